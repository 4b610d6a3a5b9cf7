//! Where quotes are: the next pair of quote marks (straight `"…"`, curly
//! `“…”`, TeX-style ``` ``…'' ```), and the sentence around a quote that
//! its attribution is read from.

/// The next quote from `at`: (opening mark, inner start, inner end, after
/// the closing mark).
pub(super) fn next_quote(text: &str, at: usize) -> Option<(usize, usize, usize, usize)> {
    let rest = text.get(at..)?;
    let (rel, open_len, closers): (usize, usize, &[&str]) = [
        ("\u{201c}", &["\u{201d}"][..]),
        ("``", &["''"][..]),
        ("\"", &["\""][..]),
    ]
    .iter()
    .filter_map(|(open, closers)| rest.find(open).map(|i| (i, open.len(), *closers)))
    .min_by_key(|(i, _, _)| *i)?;
    let open = at + rel;
    let inner_start = open + open_len;
    let tail = text.get(inner_start..)?;
    // A quote does not run past a paragraph.
    let limit = tail.find("\n\n").unwrap_or(tail.len());
    let (close_rel, close_len) = closers
        .iter()
        .filter_map(|c| tail.get(..limit)?.find(c).map(|i| (i, c.len())))
        .min_by_key(|(i, _)| *i)?;
    Some((
        open,
        inner_start,
        inner_start + close_rel,
        inner_start + close_rel + close_len,
    ))
}

/// The text from the start of the sentence to `pos`.
pub(super) fn sentence_before(text: &str, pos: usize) -> &str {
    let head = text.get(..pos).unwrap_or("");
    let start = head.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    head.get(start..).unwrap_or("")
}

/// The text from `pos` to the end of the sentence.
pub(super) fn sentence_after(text: &str, pos: usize) -> &str {
    let tail = text.get(pos..).unwrap_or("");
    // A period ends the sentence only before white space or the end, and
    // not after a title or an initial ("U.S Secretary", "Mr. Johnson",
    // "Adam B. Schiff" go on).
    let bytes = tail.as_bytes();
    let initial = |i: usize| {
        let head = &tail.as_bytes()[..i];
        head.len() >= 2 && head[head.len() - 1].is_ascii_uppercase() && head[head.len() - 2] == b' '
    };
    let end = tail
        .char_indices()
        .find(|&(i, c)| match c {
            '.' => {
                bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace)
                    && !initial(i)
                    && !["Mr", "Mrs", "Ms", "Dr", "Rep", "Sen", "Gov", "Gen", "St"]
                        .iter()
                        .any(|t| tail[..i].ends_with(t))
            }
            '!' | '?' | '\n' | '"' | '\u{201c}' => true,
            _ => false,
        })
        .map_or(tail.len(), |(i, _)| i);
    tail.get(..end).unwrap_or("")
}
