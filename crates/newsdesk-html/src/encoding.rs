//! From a page's bytes to text.

use std::borrow::Cow;

/// Decodes a page: UTF-8 when the bytes are valid UTF-8 (a byte-order
/// mark is dropped), else Windows-1252, which is what browsers read for
/// `iso-8859-1` too. A page that declares a Western charset but is valid
/// UTF-8 is read as UTF-8: non-ASCII text that happens to be valid UTF-8
/// is almost never Windows-1252, and such declarations are often stale.
/// Never fails: every byte sequence has a reading.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()),
    }
}

/// The character a Windows-1252 byte stands for.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_western() {
        assert_eq!(decode("café".as_bytes()), "café");
        assert_eq!(decode(b"\xEF\xBB\xBFabc"), "abc");
        assert_eq!(decode(b"caf\xE9 \x93q\x94"), "café “q”");
    }
}
