//! Byte-level scanning of tags in raw HTML, for the passes that run
//! before parsing ([`crate::raw_text`], [`crate::nesting`]): the next tag
//! outside comments, a tag's name, where a tag ends.

/// Where the next `<` outside a comment lies, from `at` on; `None` at the
/// end, or at a comment that does not close (the rest is left as it is).
pub(crate) fn next_tag(html: &str, mut at: usize) -> Option<usize> {
    loop {
        let lt = at + html.get(at..)?.find('<')?;
        if !html.as_bytes()[lt..].starts_with(b"<!--") {
            return Some(lt);
        }
        at = find_from(html, lt + 4, "-->")? + 3;
    }
}

/// Where the first `needle` (ASCII, not empty) lies in `html` from
/// `from` on. `str::find` with a string runs a general substring search;
/// the needles here are two or three bytes, so finding their first byte
/// (a `memchr`) and comparing the rest is several times faster on long
/// pages.
pub(crate) fn find_from(html: &str, from: usize, needle: &str) -> Option<usize> {
    let first = char::from(*needle.as_bytes().first()?);
    let mut at = from;
    loop {
        let found = at + html.get(at..)?.find(first)?;
        if html.as_bytes()[found..].starts_with(needle.as_bytes()) {
            return Some(found);
        }
        // `first` is ASCII, so the next byte starts a character.
        at = found + 1;
    }
}

/// Whether the tag name `name` (any case) starts at `at`, followed by
/// white space, `/` or `>`.
pub(crate) fn name_at(bytes: &[u8], at: usize, name: &str) -> bool {
    let after = at + name.len();
    bytes
        .get(at..after)
        .is_some_and(|found| found.eq_ignore_ascii_case(name.as_bytes()))
        && matches!(
            bytes.get(after),
            Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
        )
}

/// The position just after the `>` that ends the tag whose attributes
/// start at `from`, skipping quoted attribute values. A quoted value's
/// end is found by a `memchr`: most of a tag's bytes are in its values
/// (class lists, addresses), and this runs for every container tag.
pub(crate) fn tag_end(html: &str, from: usize) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut at = from;
    loop {
        let i = at
            + bytes
                .get(at..)?
                .iter()
                .position(|&b| matches!(b, b'"' | b'\'' | b'>'))?;
        if bytes[i] == b'>' {
            return Some(i + 1);
        }
        // The quote is ASCII, so the next byte starts a character.
        let close = html.get(i + 1..)?.find(char::from(bytes[i]))?;
        at = i + 1 + close + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_ends_skip_quoted_values() {
        assert_eq!(tag_end("<a b='>' c=\"'>\">x", 2), Some(16));
        assert_eq!(tag_end("<a>", 2), Some(3));
        assert_eq!(tag_end("<a b=\">", 2), None);
        assert_eq!(tag_end("<a", 5), None);
        assert_eq!(tag_end("<a é='ü>'>", 2), Some(12));
    }

    #[test]
    fn finds_needles_as_str_find_does() {
        let html = "a-->é</b<</c-->";
        for needle in ["-->", "</", "<", "x"] {
            for from in (0..=html.len()).filter(|&i| html.is_char_boundary(i)) {
                assert_eq!(
                    find_from(html, from, needle),
                    html[from..].find(needle).map(|p| from + p),
                    "{needle} from {from}"
                );
            }
        }
    }
}
