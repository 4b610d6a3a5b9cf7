//! The tokenizer figures are read from: words and numbers with their
//! byte spans, inner punctuation kept ("3,000", "5.2", "U.S.", "G-20").

/// A token: a word or a number with its span.
#[derive(Debug, Clone)]
pub(super) struct Token<'a> {
    /// The token as written.
    pub(super) text: &'a str,
    /// Where it starts (byte offset).
    pub(super) start: usize,
    /// One past its last byte.
    pub(super) end: usize,
}

/// The tokens of `text`, in order; punctuation and other characters
/// between them are skipped.
pub(super) fn tokens(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphanumeric() || c == b'$' {
            let start = i;
            // A token: letters, digits, and inner . , ' - between
            // alphanumerics ("3,000", "5.2", "U.S", "country's", "G-20").
            i += 1;
            while i < bytes.len() {
                let b = bytes[i];
                let inner = matches!(b, b'.' | b',' | b'\'' | b'-')
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
                    && bytes
                        .get(i.wrapping_sub(1))
                        .is_some_and(u8::is_ascii_alphanumeric);
                if b.is_ascii_alphanumeric() || inner {
                    i += 1;
                } else {
                    break;
                }
            }
            // A percent sign belongs to its number ("12%").
            if bytes.get(i) == Some(&b'%') {
                i += 1;
            }
            // Keep a trailing "." of an abbreviation like "U.S." inside.
            if i < bytes.len()
                && bytes[i] == b'.'
                && text[start..i].contains('.')
                && text[start..i].len() <= 5
            {
                i += 1;
            }
            if let Some(t) = text.get(start..i) {
                out.push(Token {
                    text: t,
                    start,
                    end: i,
                });
            }
        } else {
            // Multi-byte characters and punctuation: skip to the next
            // character boundary.
            i += 1;
            while i < bytes.len() && !text.is_char_boundary(i) {
                i += 1;
            }
        }
    }
    out
}
