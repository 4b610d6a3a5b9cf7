//! CommonMark helpers for the brief and every other Markdown newsdesk
//! writes: text that reads as the words it is, and link destinations.

/// `text` with every character CommonMark could read as inline markup
/// escaped (emphasis, code, links, raw HTML, entities), and, at the start
/// of a line, the characters that open a block (a heading, a list, a
/// quote): so that it reads as the words it is.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let text = text.trim_start();
    if text.starts_with(['#', '-', '+']) {
        out.push('\\');
    }
    // "1998. The…" would open an ordered list: its `.` is escaped (a
    // backslash before a digit is no escape in CommonMark).
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let list_mark = (digits > 0 && text[digits..].starts_with(['.', ')'])).then_some(digits);
    for (i, c) in text.char_indices() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|'
        ) || list_mark == Some(i)
        {
            out.push('\\');
        }
        match c {
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An address or path as a CommonMark link destination between `<` and
/// `>`: spaces, angle brackets and line breaks percent-encoded.
pub fn link_destination(target: &str) -> String {
    let mut out = String::with_capacity(target.len());
    for c in target.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\n' | '\r' => {}
            '\\' => out.push_str("%5C"),
            c => out.push(c),
        }
    }
    out
}
