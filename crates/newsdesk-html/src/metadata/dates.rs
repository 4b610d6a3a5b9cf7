//! The publication date of a page, from every place the page states one:
//! JSON-LD (`datePublished`, `dateModified`, `dateCreated`), `<meta>` tags
//! (`article:published_time` and kin), `<time datetime>`, a date in the
//! page's own address, and the dates the page shows a reader around its
//! headline (a byline's "12 March 2025", "Updated on …").
//!
//! A wrong date is worse than none, so a date is given only when the
//! sources agree or one is clearly the publication date; when they
//! disagree in a way nothing on the page resolves, none is given. The
//! rules, measured on WCXB's development pages (see
//! `bench/results/2026-12-08-dates.md`):
//!
//! 1. The declared publication date (JSON-LD, else `<meta>`) shown near the
//!    headline is given. A JSON-LD and a `<meta>` publication date more
//!    than a day apart are a disagreement: no date.
//! 2. Shown only a day off (the page shows the day in its own time zone,
//!    the markup in UTC, and the annotators took either): no date.
//! 3. A page that declares a publication date but shows another date near
//!    its headline (often its update, "Updated on …"): no date. WCXB's gold
//!    took the update about as often as the original in those pages.
//! 4. A page that declares no publication date and shows one near its
//!    headline: that date, when something else on the page confirms it (a
//!    `<time datetime>`, the modification or creation date, the address,
//!    or a "Published"/"Posted"/"on" before it). A date labelled as an
//!    update, a member's join date and a numeric date whose day and month
//!    could be swapped are not publication dates.
//! 5. Nothing shown near the headline: the declared publication date, else
//!    the first `<time datetime>`, else the date in the address.

use dom_query::{Document, NodeRef};
use serde_json::Value;

/// A calendar day, checked (no 31 April).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Day {
    year: i32,
    month: u32,
    day: u32,
}

impl Day {
    /// A day in the years a web page can plausibly be dated in.
    fn new(year: u32, month: u32, day: u32) -> Option<Day> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        let year = i32::try_from(year).ok()?;
        ((1970..=2100).contains(&year) && (1..=days).contains(&day)).then_some(Day {
            year,
            month,
            day,
        })
    }

    /// The day at the start of an ISO date or timestamp (`2025-03-13`,
    /// `2025-03-13T08:00:00Z`): the day as written, in the time zone the
    /// timestamp states.
    pub(crate) fn from_iso(text: &str) -> Option<Day> {
        let b = text.trim().as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || b.get(10).is_some_and(u8::is_ascii_digit)
        {
            return None;
        }
        Day::new(digits(&b[..4])?, digits(&b[5..7])?, digits(&b[8..10])?)
    }

    /// `YYYY-MM-DD`.
    pub(crate) fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    fn number(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Whether two days are at most one day apart (the same moment in two
    /// time zones can be).
    fn near(self, other: Day) -> bool {
        (self.number() - other.number()).abs() <= 1
    }
}

/// The number an all-digit byte string spells.
fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

/// What the words just before a shown date say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    /// Nothing telling.
    Plain,
    /// "Published", "Posted", "on", "Date": a publication.
    Published,
    /// "Updated", "Modified", "Edited", "Reviewed": a later change.
    Updated,
    /// "Joined", "Founded", "Since": not the page's date at all.
    Unrelated,
}

/// One date shown in the text around the headline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shown {
    /// Characters from the headline's start (negative: before it).
    offset: i64,
    /// The day.
    day: Day,
    /// The other reading of a numeric date whose day and month could be
    /// swapped (`03/04/2025`).
    swapped: Option<Day>,
    /// What the words before it say.
    label: Label,
}

impl Shown {
    fn is(&self, day: Day) -> bool {
        self.day == day || self.swapped == Some(day)
    }

    fn near(&self, day: Day) -> bool {
        self.day.near(day) || self.swapped.is_some_and(|s| s.near(day))
    }
}

/// Characters of text read before the headline's start and after it; the
/// windows the rules look in are at most these.
const MAX_BEFORE: usize = 600;
const MAX_AFTER: usize = 2000;

/// Where a page shows dates near its headline: this many characters before
/// the start of its first `<h1>` (a date above the headline, after the
/// section name) …
pub(crate) const BEFORE_HEADLINE: usize = 200;
/// … and this many after it (the headline, a standfirst, the byline).
/// Both were chosen on all of WCXB's development pages, which the rules
/// are scored on; precision is flat from 600 to 1,500 characters after.
/// Chosen instead on one half of the pages by id hash and scored on the
/// other (the `dates_cv` example), the windows give precision 0.980 and
/// 0.984 (`bench/results/2026-12-08-dates.md`).
pub(crate) const AFTER_HEADLINE: usize = 600;

/// Everything a page says about its dates, before any is chosen.
#[derive(Debug, Clone, Default)]
pub struct DateEvidence {
    published_ld: Option<Day>,
    /// Whether the JSON-LD objects state different publication days.
    ld_disagrees: bool,
    published_meta: Option<Day>,
    modified: Option<Day>,
    created: Option<Day>,
    times: Vec<Day>,
    url: Option<Day>,
    shown: Vec<Shown>,
}

/// `<meta>` names of the publication date, most specific first.
pub(crate) const PUBLISHED_METAS: &[(&str, &str)] = &[
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("property", "og:article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "date"),
    ("name", "dc.date"),
    ("name", "DC.date.issued"),
    ("name", "parsely-pub-date"),
    ("name", "sailthru.date"),
];

/// `<meta>` names of the last modification.
pub(crate) const MODIFIED_METAS: &[(&str, &str)] = &[
    ("property", "article:modified_time"),
    ("property", "og:updated_time"),
    ("itemprop", "dateModified"),
    ("property", "og:article:modified_time"),
];

impl DateEvidence {
    /// Gathers the evidence. `ld` are the page's JSON-LD objects, `meta`
    /// looks a `<meta>` tag up by the first of its names that it has, and
    /// `url` is the page's own address if it states one.
    pub(crate) fn read(
        document: &Document,
        ld: &[Value],
        meta: impl Fn(&[(&str, &str)]) -> Option<String>,
        url: Option<&str>,
    ) -> DateEvidence {
        let ld_day = |key: &str| super::ld_string(ld, key).as_deref().and_then(Day::from_iso);
        let times = document
            .select("time[datetime]")
            .nodes()
            .iter()
            .filter_map(|n| n.attr("datetime").and_then(|d| Day::from_iso(&d)))
            .take(20)
            .collect();
        let mut ld_published = ld
            .iter()
            .filter_map(|v| v.get("datePublished").and_then(Value::as_str))
            .filter_map(Day::from_iso);
        let first = ld_published.next();
        let ld_disagrees = ld_published.any(|d| Some(d) != first);
        DateEvidence {
            published_ld: ld_day("datePublished"),
            ld_disagrees,
            published_meta: meta(PUBLISHED_METAS).as_deref().and_then(Day::from_iso),
            modified: ld_day("dateModified")
                .or_else(|| meta(MODIFIED_METAS).as_deref().and_then(Day::from_iso)),
            created: ld_day("dateCreated"),
            times,
            url: url.and_then(url_day),
            shown: shown_dates(document),
        }
    }

    /// The publication date by the rules of the module, with the headline
    /// windows `before` and `after` (characters).
    pub fn decide(&self, before: usize, after: usize) -> Option<String> {
        self.explain(before, after).0
    }

    /// The date [`DateEvidence::decide`] gives and the rule that gave it,
    /// or that gave none (for tuning and reports).
    pub fn explain(&self, before: usize, after: usize) -> (Option<String>, &'static str) {
        let (day, rule) = self.choose(before, after);
        (day.map(Day::iso), rule)
    }

    fn choose(&self, before: usize, after: usize) -> (Option<Day>, &'static str) {
        let (before, after) = (before as i64, after as i64);
        // Nearest first: the dates after the headline's start in reading
        // order, then those above it from the closest up.
        let mut window: Vec<&Shown> = self
            .shown
            .iter()
            .filter(|s| (0..=after).contains(&s.offset))
            .collect();
        window.extend(
            self.shown
                .iter()
                .rev()
                .filter(|s| (-before..0).contains(&s.offset)),
        );
        if self.ld_disagrees {
            return (None, "1: JSON-LD objects disagree");
        }
        if let (Some(a), Some(b)) = (self.published_ld, self.published_meta) {
            if !a.near(b) {
                return (None, "1: JSON-LD and meta disagree");
            }
        }
        let published = self.published_ld.or(self.published_meta);
        if let Some(p) = published {
            if window.iter().any(|s| s.is(p)) {
                return (Some(p), "1: declared and shown");
            }
            if window.iter().any(|s| s.near(p)) {
                return (None, "2: shown a day off the declared");
            }
        }
        if !window.is_empty() {
            if published.is_some() {
                return (None, "3: declared, another shown");
            }
            let Some(shown) = window.iter().find(|s| {
                s.swapped.is_none() && matches!(s.label, Label::Plain | Label::Published)
            }) else {
                return (None, "4: only updates, join dates or swappable shown");
            };
            let d = shown.day;
            let confirmed = shown.label == Label::Published
                || self.times.contains(&d)
                || [self.modified, self.created, self.url].contains(&Some(d));
            return if confirmed {
                (Some(d), "4: shown and confirmed")
            } else {
                (None, "4: shown, unconfirmed")
            };
        }
        // A `<time datetime>` a day off the declared date is the same
        // ambiguity as a shown date a day off (rule 2).
        if let (Some(p), Some(&t)) = (published, self.times.first()) {
            if t != p && t.near(p) {
                return (None, "2: <time> a day off the declared");
            }
        }
        if published.is_some() {
            (published, "5: declared, nothing shown")
        } else if let Some(&t) = self.times.first() {
            (Some(t), "5: first <time>, nothing shown")
        } else if self.url.is_some() {
            (self.url, "5: address, nothing shown")
        } else {
            (None, "5: nothing")
        }
    }
}

/// A `/YYYY/MM/DD/` date in an address's path.
fn url_day(url: &str) -> Option<Day> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = path.split(['?', '#']).next()?;
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    segments.windows(3).find_map(|w| {
        let ok = w[0].len() == 4 && (1..=2).contains(&w[1].len()) && (1..=2).contains(&w[2].len());
        if !ok {
            return None;
        }
        Day::new(
            digits(w[0].as_bytes())?,
            digits(w[1].as_bytes())?,
            digits(w[2].as_bytes())?,
        )
    })
}

/// Elements whose text a reader does not see.
fn unseen(name: &str) -> bool {
    matches!(
        name,
        "head" | "script" | "style" | "noscript" | "template" | "svg" | "iframe" | "select"
    )
}

/// Appends a text node to `out`, white space collapsed to single spaces
/// and one space after it (text nodes of two elements are two words).
fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
}

/// The dates shown within [`MAX_BEFORE`] characters before the start of
/// the first `<h1>` and [`MAX_AFTER`] after it, with their offsets. The
/// walk stops once past the window, so a long page costs no more than a
/// short one beyond its headline.
fn shown_dates(document: &Document) -> Vec<Shown> {
    let Some(h1) = document.select_single("h1").nodes().first().copied() else {
        return Vec::new();
    };
    let mut before = String::new();
    let mut after = String::new();
    let mut seen = false;
    let mut stack: Vec<NodeRef> = vec![document.root()];
    while let Some(node) = stack.pop() {
        if node.id == h1.id {
            seen = true;
        }
        if node.is_text() {
            let text = node.text();
            if seen {
                push_text(&mut after, &text);
                if after.len() >= MAX_AFTER * 4 || after.chars().count() >= MAX_AFTER {
                    break;
                }
            } else {
                push_text(&mut before, &text);
                keep_tail(&mut before, MAX_BEFORE);
            }
        } else if node.is_element() {
            if node.node_name().is_some_and(|n| unseen(&n)) {
                continue;
            }
            stack.extend(node.children_it(true));
        } else if node.is_document() || node.is_fragment() {
            stack.extend(node.children_it(true));
        }
    }
    let before_chars = before.chars().count() as i64;
    let mut shown: Vec<Shown> = dates_in(&before)
        .into_iter()
        .map(|mut s| {
            s.offset -= before_chars;
            s
        })
        .collect();
    shown.extend(
        dates_in(&after)
            .into_iter()
            .filter(|s| s.offset <= MAX_AFTER as i64),
    );
    shown
}

/// Keeps at most the last `chars` characters (and a few more: trimmed
/// only when twice as long, so that appending stays linear).
fn keep_tail(text: &mut String, chars: usize) {
    if text.len() <= 8 * chars {
        return;
    }
    let count = text.chars().count();
    if count > 2 * chars {
        let cut = text.char_indices().nth(count - chars).map_or(0, |(i, _)| i);
        text.drain(..cut);
    }
}

/// A word or number of a text: a run of letters or of digits.
#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    text: &'a str,
    /// Byte range in the text.
    start: usize,
    end: usize,
    number: bool,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, bool)> = None;
    for (i, c) in text.char_indices() {
        let class = if c.is_ascii_digit() {
            Some(true)
        } else if c.is_alphabetic() {
            Some(false)
        } else {
            None
        };
        if let Some((s, number)) = start {
            if class != Some(number) {
                out.push(Token {
                    text: &text[s..i],
                    start: s,
                    end: i,
                    number,
                });
                start = None;
            }
        }
        if start.is_none() {
            start = class.map(|n| (i, n));
        }
    }
    if let Some((s, number)) = start {
        out.push(Token {
            text: &text[s..],
            start: s,
            end: text.len(),
            number,
        });
    }
    out
}

/// The month an English month name or its abbreviation names.
pub(crate) fn month(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if !(3..=9).contains(&word.len()) {
        return None;
    }
    let w = word.to_ascii_lowercase();
    NAMES
        .iter()
        .position(|name| *name == w || (name.starts_with(&w) && (w.len() == 3 || w == "sept")))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Whether the text between two tokens may separate the parts of a
/// written date (`March 13, 2025`, `13 Mar. 2025`).
fn loose_gap(gap: &str) -> bool {
    gap.len() <= 3 && gap.chars().all(|c| c == ' ' || c == ',' || c == '.')
}

fn ordinal_suffix(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "st" | "nd" | "rd" | "th"
    )
}

/// The dates written in `text`: `March 13, 2025`, `13th March 2025`,
/// `2025-03-13`, `13/03/2025` (English month names), each with its
/// character offset and the label the words before it give.
fn dates_in(text: &str) -> Vec<Shown> {
    let toks = tokens(text);
    let gap = |a: usize, b: usize| &text[toks[a].end..toks[b].start];
    let num = |i: usize, lens: std::ops::RangeInclusive<usize>| {
        toks.get(i)
            .filter(|t| t.number && lens.contains(&t.text.len()))
            .and_then(|t| digits(t.text.as_bytes()))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let found: Option<(Day, Option<Day>, usize)> = (|| {
            // 2025-03-13
            if let (Some(y), Some(m), Some(d)) =
                (num(i, 4..=4), num(i + 1, 2..=2), num(i + 2, 2..=2))
            {
                if gap(i, i + 1) == "-" && gap(i + 1, i + 2) == "-" {
                    return Some((Day::new(y, m, d)?, None, i + 2));
                }
            }
            // 13/03/2025, 3.13.2025
            if let (Some(a), Some(b), Some(y)) =
                (num(i, 1..=2), num(i + 1, 1..=2), num(i + 2, 4..=4))
            {
                let sep = gap(i, i + 1);
                if (sep == "/" || sep == ".") && gap(i + 1, i + 2) == sep {
                    let (md, dm) = (Day::new(y, a, b), Day::new(y, b, a));
                    return match (md, dm) {
                        (Some(x), Some(z)) if x != z => Some((x, Some(z), i + 2)),
                        (Some(x), _) | (None, Some(x)) => Some((x, None, i + 2)),
                        (None, None) => None,
                    };
                }
            }
            // March 13, 2025 / Mar. 13th 2025
            if let Some(m) = toks
                .get(i)
                .filter(|t| !t.number)
                .and_then(|t| month(t.text))
            {
                let d = num(i + 1, 1..=2).filter(|_| loose_gap(gap(i, i + 1)))?;
                let mut j = i + 2;
                if toks
                    .get(j)
                    .is_some_and(|t| !t.number && ordinal_suffix(t.text))
                    && gap(i + 1, j).is_empty()
                {
                    j += 1;
                }
                let y = num(j, 4..=4).filter(|_| loose_gap(gap(j - 1, j)))?;
                return Some((Day::new(y, m, d)?, None, j));
            }
            // 13 March 2025 / 13th of March, 2025
            let d = num(i, 1..=2)?;
            let mut j = i + 1;
            if toks
                .get(j)
                .is_some_and(|t| !t.number && ordinal_suffix(t.text))
                && gap(i, j).is_empty()
            {
                j += 1;
            }
            if toks
                .get(j)
                .is_some_and(|t| t.text.eq_ignore_ascii_case("of"))
                && loose_gap(gap(j - 1, j))
            {
                j += 1;
            }
            let m = toks
                .get(j)
                .filter(|t| !t.number && loose_gap(gap(j - 1, j)))
                .and_then(|t| month(t.text))?;
            let y = num(j + 1, 4..=4).filter(|_| loose_gap(gap(j, j + 1)))?;
            Some((Day::new(y, m, d)?, None, j + 1))
        })();
        match found {
            Some((day, swapped, last)) => {
                let start = toks[i].start;
                out.push(Shown {
                    offset: text[..start].chars().count() as i64,
                    day,
                    swapped,
                    label: label(&text[..start]),
                });
                i = last + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// Whether `text` starts with a written date.
pub(crate) fn starts_date(text: &str) -> bool {
    dates_in(text).first().is_some_and(|s| s.offset == 0)
}

/// What the last words before a date say it is.
fn label(preceding: &str) -> Label {
    let mut words = preceding
        .rsplit(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(2)
        .map(str::to_lowercase);
    let last = words.next().unwrap_or_default();
    let second = words.next().unwrap_or_default();
    let updated = |w: &str| {
        ["updat", "modif", "edit", "revis", "review"]
            .iter()
            .any(|p| w.starts_with(p) || w.starts_with(&format!("last{p}")))
    };
    let head = if last == "on" || last == "at" {
        &second
    } else {
        &last
    };
    if updated(head) {
        return Label::Updated;
    }
    let either = |set: &[&str]| set.contains(&last.as_str()) || set.contains(&second.as_str());
    if either(&["joined", "founded", "since", "registered"]) {
        Label::Unrelated
    } else if either(&["published", "posted", "on", "date", "dated", "written"]) {
        Label::Published
    } else {
        Label::Plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The date `extract` gives a page with `head` and `body`.
    fn check(head: &str, body: &str, expected: Option<&str>) {
        let html = format!("<html><head>{head}</head><body>{body}</body></html>");
        let date = super::super::read(&Document::from(html.as_str())).date;
        assert_eq!(date.as_deref(), expected, "{html}");
    }

    fn ld(json: &str) -> String {
        format!(r#"<script type="application/ld+json">{json}</script>"#)
    }

    fn day(text: &str) -> Day {
        Day::from_iso(text).unwrap()
    }

    #[test]
    fn days_are_checked_and_numbered() {
        assert_eq!(day("2025-03-13T23:00:00-05:00").iso(), "2025-03-13");
        assert_eq!(Day::from_iso("2025-02-29"), None);
        assert_eq!(day("2024-02-29").iso(), "2024-02-29");
        assert_eq!(Day::from_iso("13/03/2025"), None);
        assert_eq!(Day::from_iso("2025-03-133"), None);
        assert_eq!(day("1970-01-01").number(), 0);
        assert!(day("2024-12-31").near(day("2025-01-01")));
        assert!(day("2024-02-28").near(day("2024-02-29")));
        assert!(!day("2024-02-28").near(day("2024-03-01")));
    }

    #[test]
    fn written_dates_are_read_in_english_and_numeric_forms() {
        let days = |text: &str| -> Vec<(String, Option<String>)> {
            dates_in(text)
                .iter()
                .map(|s| (s.day.iso(), s.swapped.map(Day::iso)))
                .collect()
        };
        let one = |d: &str| vec![(d.to_string(), None)];
        assert_eq!(days("By Ana Ruiz, March 13, 2025"), one("2025-03-13"));
        assert_eq!(days("Mar. 3rd 2025 at noon"), one("2025-03-03"));
        assert_eq!(days("the 13th of March, 2025"), one("2025-03-13"));
        assert_eq!(days("13 Sept 2025"), one("2025-09-13"));
        assert_eq!(days("filed 2025-03-13T08:00"), one("2025-03-13"));
        assert_eq!(days("on 13/03/2025"), one("2025-03-13"));
        assert_eq!(
            days("on 03/04/2025"),
            vec![("2025-03-04".to_string(), Some("2025-04-03".to_string()))]
        );
        // Not dates: a word that starts like a month, a day that month
        // has not, a number too long to be a year.
        assert!(days("Mayor 12 2025").is_empty());
        assert!(days("April 31, 2025").is_empty());
        assert!(days("March 13, 20255").is_empty());
    }

    #[test]
    fn the_words_before_a_date_label_it() {
        let labels =
            |text: &str| -> Vec<Label> { dates_in(text).iter().map(|s| s.label).collect() };
        assert_eq!(labels("Updated on 4 May 2025"), [Label::Updated]);
        assert_eq!(labels("Last updated: 4 May 2025"), [Label::Updated]);
        assert_eq!(labels("Reviewed May 4, 2025"), [Label::Updated]);
        assert_eq!(labels("Joined: May 4, 2025"), [Label::Unrelated]);
        assert_eq!(labels("Posted on May 4, 2025"), [Label::Published]);
        assert_eq!(labels("Ana Ruiz · May 4, 2025"), [Label::Plain]);
    }

    #[test]
    fn addresses_with_a_dated_path() {
        assert_eq!(
            url_day("https://post.example/2025/03/13/dam-fails").map(Day::iso),
            Some("2025-03-13".to_string())
        );
        assert_eq!(url_day("https://post.example/2025/dam-fails"), None);
        assert_eq!(url_day("https://post.example/a?d=2025/03/13"), None);
    }

    // Rule 1: the declared date, shown near the headline.
    #[test]
    fn a_declared_date_shown_by_the_headline_is_given() {
        check(
            &ld(
                r#"{"@type": "NewsArticle", "datePublished": "2025-03-13T08:00:00Z", "dateModified": "2025-06-01"}"#,
            ),
            "<nav>Home</nav><h1>Dam fails at Orlen</h1><p>By A. Novak | 13 March 2025</p>",
            Some("2025-03-13"),
        );
        // Also when it is above the headline.
        check(
            r#"<meta property="article:published_time" content="2025-03-13">"#,
            "<p>World · March 13, 2025</p><h1>Dam fails at Orlen</h1><p>Text.</p>",
            Some("2025-03-13"),
        );
    }

    // Rule 1: two declarations that disagree.
    #[test]
    fn declarations_that_disagree_give_no_date() {
        check(
            &format!(
                r#"{}<meta property="article:published_time" content="2025-01-02">"#,
                ld(r#"{"@type": "Article", "datePublished": "2025-03-13"}"#)
            ),
            "<h1>Tram vote</h1>",
            None,
        );
        check(
            &ld(
                r#"[{"@type": "WebPage", "datePublished": "2025-03-14"}, {"@type": "Article", "datePublished": "2025-03-13"}]"#,
            ),
            "<h1>Tram vote</h1>",
            None,
        );
        // A day apart between JSON-LD and `<meta>` is one moment in two
        // time zones: JSON-LD's day is given.
        check(
            &format!(
                r#"{}<meta property="article:published_time" content="2025-03-14T01:00:00Z">"#,
                ld(r#"{"@type": "Article", "datePublished": "2025-03-13T21:00:00-04:00"}"#)
            ),
            "<h1>Tram vote</h1>",
            Some("2025-03-13"),
        );
    }

    // Rule 2: shown a day off.
    #[test]
    fn a_declared_date_shown_a_day_off_gives_no_date() {
        check(
            r#"<meta property="article:published_time" content="2025-03-14T02:00:00+00:00">"#,
            "<h1>Tram vote</h1><p>March 13, 2025</p>",
            None,
        );
        // The same with a `<time>` elsewhere on the page and nothing shown
        // by the headline.
        check(
            r#"<meta property="article:published_time" content="2025-03-14T02:00:00+00:00">"#,
            r#"<h1>Tram vote</h1><p>Text.</p><footer><time datetime="2025-03-13T22:00:00-04:00">yesterday</time></footer>"#,
            None,
        );
    }

    // Rule 3: declared one date, shows another.
    #[test]
    fn a_declared_date_not_shown_while_another_is_gives_no_date() {
        check(
            &ld(
                r#"{"@type": "Article", "datePublished": "2024-01-10", "dateModified": "2025-06-01"}"#,
            ),
            "<h1>Best kettles</h1><p>Updated June 1, 2025</p>",
            None,
        );
        check(
            &ld(r#"{"@type": "Article", "datePublished": "2024-01-10"}"#),
            "<h1>Best kettles</h1><p>By C. Roe, August 14, 2025</p>",
            None,
        );
    }

    // Rule 4: nothing declared, a date shown and confirmed.
    #[test]
    fn a_shown_date_is_given_when_something_confirms_it() {
        check(
            "",
            r#"<h1>Tram vote</h1><p>C. Roe <time datetime="2025-03-13">March 13, 2025</time></p>"#,
            Some("2025-03-13"),
        );
        check(
            "",
            "<h1>Tram vote</h1><p>Published: 13 March 2025</p>",
            Some("2025-03-13"),
        );
        check(
            r#"<link rel="canonical" href="https://post.example/2025/03/13/tram">"#,
            "<h1>Tram vote</h1><p>C. Roe · 13 March 2025</p>",
            Some("2025-03-13"),
        );
        // Alone, it could be any date of the page.
        check("", "<h1>Tram vote</h1><p>C. Roe · 13 March 2025</p>", None);
    }

    // Rule 4: shown dates that are not publication dates.
    #[test]
    fn updates_join_dates_and_swappable_numbers_are_not_publication_dates() {
        let time = r#"<footer><time datetime="2025-03-04">x</time></footer>"#;
        check(
            "",
            &format!("<h1>Tram vote</h1><p>Updated 4 March 2025</p>{time}"),
            None,
        );
        check(
            "",
            &format!("<h1>Tram vote</h1><p>Joined March 4, 2025</p>{time}"),
            None,
        );
        check(
            "",
            &format!("<h1>Tram vote</h1><p>03/04/2025</p>{time}"),
            None,
        );
        // A swappable date still confirms a declared one.
        check(
            r#"<meta property="article:published_time" content="2025-04-03">"#,
            "<h1>Tram vote</h1><p>03/04/2025</p>",
            Some("2025-04-03"),
        );
    }

    // Rule 5: nothing shown near the headline.
    #[test]
    fn with_nothing_shown_the_declarations_are_taken_in_order() {
        let far = format!(
            "<h1>Tram vote</h1><p>{}</p><p>May 1, 2020</p>",
            "Text. ".repeat(400)
        );
        check(
            r#"<meta property="article:published_time" content="2025-03-13">"#,
            &far,
            Some("2025-03-13"),
        );
        check(
            "",
            &format!(r#"{far}<time datetime="2025-03-12">x</time>"#),
            Some("2025-03-12"),
        );
        check(
            r#"<link rel="canonical" href="https://post.example/2025/03/11/tram">"#,
            &far,
            Some("2025-03-11"),
        );
        check("", &far, None);
        // No headline: the declarations alone.
        check(
            &ld(r#"{"@type": "BlogPosting", "datePublished": "2025-03-13"}"#),
            "<p>March 2, 2025</p>",
            Some("2025-03-13"),
        );
    }

    #[test]
    fn scripts_and_styles_are_not_shown_text() {
        check(
            &ld(r#"{"@type": "Article", "datePublished": "2024-01-10"}"#),
            r#"<h1>Tram vote</h1><script>var d = "March 13, 2025";</script><style>/* May 1, 2025 */</style><p>Text.</p>"#,
            Some("2024-01-10"),
        );
    }
}
