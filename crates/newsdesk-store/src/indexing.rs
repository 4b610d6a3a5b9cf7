//! What both backends index for search and show of a hit: an article's
//! searchable body (headings and body text, never debris) and the excerpt
//! around a hit's first match.

use newsdesk_model::{BlockKind, Document};

/// The text the full-text index holds for a document's body: its headings
/// and body blocks, one per line. Debris (captions, share prompts, related
/// links) is left out so that it never makes an article match.
pub(crate) fn indexed_body(doc: &Document) -> String {
    let mut body = String::new();
    for block in &doc.blocks {
        let indexed = match block.kind {
            BlockKind::Body | BlockKind::Heading => true,
            BlockKind::Debris => false,
        };
        if indexed {
            if !body.is_empty() {
                body.push('\n');
            }
            body.push_str(doc.text_of(block.span));
        }
    }
    body
}

/// An excerpt of about `words` words around the first match of a body
/// whose matches `highlight()` marked with `\u{1}` … `\u{2}`: matches in
/// `[…]`, `…` where the body goes on, as FTS5's `snippet()` writes them.
pub(crate) fn excerpt(marked: &str, words: usize) -> String {
    let first = marked.find('\u{1}').unwrap_or(0);
    // Start a few words before the match, at a word boundary.
    let before: Vec<usize> = marked[..first]
        .char_indices()
        .filter(|&(_, c)| c.is_whitespace())
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    let start = before
        .len()
        .checked_sub(words / 4 + 1)
        .and_then(|k| before.get(k).copied())
        .unwrap_or(0);
    let mut end = marked.len();
    let mut seen = 0;
    for (i, c) in marked[start..].char_indices() {
        if c.is_whitespace() {
            seen += 1;
            if seen >= words {
                end = start + i;
                break;
            }
        }
    }
    let mut out = String::with_capacity(end - start + 8);
    if start > 0 {
        out.push('…');
    }
    for c in marked[start..end].chars() {
        match c {
            '\u{1}' => out.push('['),
            '\u{2}' => out.push(']'),
            c => out.push(c),
        }
    }
    // A match cut by the end of the excerpt is closed.
    if out.matches('[').count() > out.matches(']').count() {
        out.push(']');
    }
    if end < marked.len() {
        out.push('…');
    }
    out
}
