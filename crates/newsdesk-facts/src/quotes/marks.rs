//! Where quotes are: pairs of quote marks (straight `"…"`, curly `“…”`,
//! `„…“`, `«…»`, TeX-style ``` ``…'' ```), paragraphs that continue a
//! quote, and the sentence around a quote that its attribution is read
//! from.

/// A quote's marks: the opening mark, the quoted words (`inner_start` to
/// `inner_end`) and the byte after the closing mark; `continued` when the
/// quote runs over paragraphs (each continuing paragraph opens with a
/// mark, the paragraphs before have none closing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Marks {
    pub open: usize,
    pub inner_start: usize,
    pub inner_end: usize,
    pub close: usize,
    pub continued: bool,
}

/// What a quote mark does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// A straight `"`: opening or closing by what stands around it.
    Either,
}

/// The quote marks of `text` with their role and length, and the line
/// breaks (as `None`), in text order.
fn marks(text: &str) -> Vec<(usize, usize, Option<Role>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        let role = match c {
            '\u{201c}' | '\u{201e}' | '\u{ab}' => Role::Open,
            '\u{201d}' | '\u{bb}' => Role::Close,
            '"' => Role::Either,
            '`' if bytes.get(i + 1) == Some(&b'`') && (i == 0 || bytes[i - 1] != b'`') => {
                Role::Open
            }
            '\'' if bytes.get(i + 1) == Some(&b'\'') && (i == 0 || bytes[i - 1] != b'\'') => {
                Role::Close
            }
            '\n' => {
                out.push((i, 1, None));
                continue;
            }
            _ => continue,
        };
        let len = if matches!(c, '`' | '\'') {
            2
        } else {
            c.len_utf8()
        };
        out.push((i, len, Some(role)));
    }
    out
}

/// Whether a straight `"` at `at` opens (`Some(true)`), closes
/// (`Some(false)`) or could do either (`None`), by the characters next to
/// it: white space or an opening bracket before and a word after opens;
/// a word or punctuation before and white space or punctuation after
/// closes.
fn straight_role(text: &str, at: usize) -> Option<bool> {
    let before = text.get(..at).and_then(|h| h.chars().next_back());
    let after = text.get(at + 1..).and_then(|t| t.chars().next());
    let opens = before.is_none_or(|c| c.is_whitespace() || "([{\u{2014}\u{2013}-/".contains(c))
        && after.is_some_and(|c| !c.is_whitespace());
    let closes = before.is_some_and(|c| !c.is_whitespace())
        && after.is_none_or(|c| c.is_whitespace() || ".,;:!?)]}\u{2014}\u{2013}-".contains(c));
    match (opens, closes) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// The quotes of `text`, in order. Any closing mark closes any opening
/// one (outlets mix straight and curly marks); a straight mark opens or
/// closes by what stands around it. A quote does not run past a line
/// break, except as news writing continues one: the paragraph ends with
/// the quote still open and the next opens with a mark; an opening mark
/// never closed is no quote.
pub(super) fn quotes(text: &str) -> Vec<Marks> {
    let mut out = Vec::new();
    // The open quote: (its opening mark, inner start, continued).
    let mut open: Option<(usize, usize, bool)> = None;
    // Whether it opened with a low mark („), which “ closes.
    let mut low = false;
    // A quote left open at the end of the last paragraph.
    let mut unclosed: Option<(usize, usize)> = None;
    // Where the current paragraph's text starts (after its line break).
    let mut paragraph = 0;
    for (at, len, role) in marks(text) {
        let Some(role) = role else {
            // A line break: an open quote may continue in the next
            // paragraph; blank lines between change nothing.
            if let Some((o, inner, _)) = open.take() {
                unclosed = Some((o, inner));
            }
            paragraph = at + 1;
            continue;
        };
        // The open quote (opening mark, inner start, continued) closed by
        // this mark.
        let closed_at = |(open, inner_start, continued): (usize, usize, bool)| Marks {
            open,
            inner_start,
            inner_end: at,
            close: at + len,
            continued,
        };
        let opens = match role {
            Role::Open if low && open.is_some() && text[at..].starts_with('\u{201c}') => false,
            // An opening mark typed where a closing one belongs ("It's
            // unusual,“ said …"): inside a quote, after a word or stop and
            // before white space, it closes.
            Role::Open if open.is_some() && straight_role(text, at) == Some(false) => false,
            Role::Open => true,
            Role::Close => false,
            Role::Either => straight_role(text, at).unwrap_or(open.is_none()),
        };
        if opens {
            let first_in_paragraph = text
                .get(paragraph..at)
                .is_some_and(|gap| gap.trim().is_empty());
            match unclosed.take() {
                Some((o, inner)) if first_in_paragraph => open = Some((o, inner, true)),
                _ if open.is_none() || role == Role::Open => {
                    low = text[at..].starts_with('\u{201e}');
                    open = Some((at, at + len, false));
                }
                // A straight mark inside an open quote that looks like an
                // opening one: taken as closing it.
                _ => out.extend(open.take().map(closed_at)),
            }
        } else if let Some(quote) = open.take() {
            unclosed = None;
            out.push(closed_at(quote));
        }
    }
    out
}

/// The text from the start of the sentence to `pos`.
pub(super) fn sentence_before(text: &str, pos: usize) -> &str {
    let head = text.get(..pos).unwrap_or("");
    let start = head.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    head.get(start..).unwrap_or("")
}

/// Quotes between single curly marks (‘…’), which some outlets use for
/// speech: an opening mark after a comma, a colon, a dash or at a
/// paragraph's start, outside every double-quoted span, closed by the
/// first ’ before white space or punctuation (not an apostrophe: "don’t",
/// "Sanders’ campaign" end no quote, as their ’ has a letter after it
/// or the quote would hold under four words).
pub(super) fn single_quotes(text: &str, doubles: &[Marks]) -> Vec<Marks> {
    let mut out = Vec::new();
    let inside = |at: usize| doubles.iter().any(|m| m.open <= at && at < m.close);
    for (open, _) in text.match_indices('\u{2018}') {
        if inside(open) || out.last().is_some_and(|m: &Marks| open < m.close) {
            continue;
        }
        // Inside a double quote left open in the paragraph: a quote
        // within a quote.
        let paragraph = &text[text[..open].rfind('\n').map_or(0, |i| i + 1)..open];
        let opened = paragraph.matches('\u{201c}').count() > paragraph.matches('\u{201d}').count()
            || paragraph.matches('"').count() % 2 == 1;
        if opened {
            continue;
        }
        let head = text[..open].trim_end_matches([' ', '\u{a0}']);
        let after_break = head.is_empty() || head.ends_with(['\n', ',', ':', '\u{2014}']);
        let inner_start = open + '\u{2018}'.len_utf8();
        let tail = &text[inner_start..];
        let limit = tail.find('\n').unwrap_or(tail.len());
        let close = tail[..limit].match_indices('\u{2019}').find(|(i, m)| {
            tail[i + m.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        });
        let Some((rel, mark)) = close else {
            continue;
        };
        let inner = &tail[..rel];
        let words = inner.split_whitespace().count();
        if !after_break || words < 4 || !inner.starts_with(char::is_alphanumeric) {
            continue;
        }
        out.push(Marks {
            open,
            inner_start,
            inner_end: inner_start + rel,
            close: inner_start + rel + mark.len(),
            continued: false,
        });
    }
    out
}

/// Abbreviations whose period does not end a sentence ("Mr. Johnson",
/// "Navy Capt. Jeff Davis", "Del. Stacey Plaskett").
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Rep", "Sen", "Gov", "Gen", "St", "Capt", "Lt", "Col", "Sgt", "Maj",
    "Adm", "Cmdr", "Cpl", "Pvt", "Del", "Rev", "Prof", "Jr", "Sr", "Mt", "Ft", "Atty",
];

/// Whether the period at byte `i` of `text` ends a sentence: it stands
/// before white space or the end, and not after a title, an abbreviation
/// or an initial ("U.S Secretary", "Mr. Johnson", "Adam B. Schiff",
/// "G.K. Butterfield" go on).
pub(super) fn period_ends_sentence(text: &str, i: usize) -> bool {
    let head = text.get(..i).unwrap_or("");
    let word = head.rsplit(char::is_whitespace).next().unwrap_or("");
    let initial = !word.is_empty()
        && word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_uppercase));
    // "the No. 2 in the leadership".
    let number = (word == "No" || word == "no")
        && text
            .get(i + 1..)
            .and_then(|t| t.trim_start().chars().next())
            .is_some_and(|c| c.is_ascii_digit());
    text.as_bytes()
        .get(i + 1)
        .is_none_or(u8::is_ascii_whitespace)
        && !initial
        && !number
        && !ABBREVIATIONS.iter().any(|t| {
            head.ends_with(t) && !head[..head.len() - t.len()].ends_with(char::is_alphanumeric)
        })
}

/// The text from `pos` to the end of the sentence.
pub(super) fn sentence_after(text: &str, pos: usize) -> &str {
    let tail = text.get(pos..).unwrap_or("");
    let end = tail
        .char_indices()
        .find(|&(i, c)| match c {
            '.' => period_ends_sentence(tail, i),
            '!' | '?' | '\n' | '"' | '\u{201c}' => true,
            _ => false,
        })
        .map_or(tail.len(), |(i, _)| i);
    tail.get(..end).unwrap_or("")
}
