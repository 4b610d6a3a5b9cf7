//! The publication date written in an article's text, for articles whose
//! metadata has none: a "Published 15 August 2021" or "Updated: March 14,
//! 2025 10:02" line, a byline ("By Mira Castell | Saturday 15 March
//! 2025"), a dateline ("VELDMOOR, March 15, 2025 (Wire) —") or a line that
//! is only a date, among the first lines of the text.
//!
//! Only a full calendar date counts: a dateline's "March 15" without a
//! year names no year, and guessing one would put every relative
//! expression of the article in the wrong year, so it is left undated.
//!
//! ```
//! use newsdesk_time::timex::published::{published_date, Found};
//!
//! let text = "Floods reach Brackwater\n\nBy Mira Castell | Saturday 15 March 2025\n\nThe river rose.";
//! let found = published_date(text).unwrap();
//! assert_eq!(found.date, jiff::civil::date(2025, 3, 15));
//! assert_eq!(found.how, Found::Byline);
//! ```

use jiff::civil::Date;
use newsdesk_model::Span;

use super::tagger;

/// How far into the text the header lines may reach: the first lines a
/// reader sees above the body, not a date the story mentions later.
const HEADER_LINES: usize = 8;
const HEADER_BYTES: usize = 2000;
/// A header line is short; a longer one is body text that names a date.
const MAX_LINE: usize = 160;

/// Where in the text the date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Found {
    /// A "Published …", "Posted …" or "First published …" line.
    Published,
    /// A byline with a date ("By … | 15 March 2025").
    Byline,
    /// A dateline opening the story ("VELDMOOR, March 15, 2025 —").
    Dateline,
    /// A header line that is only a date ("Saturday 15 March 2025").
    DateLine,
    /// An "Updated …" or "Last modified …" line: later than publication,
    /// so used only when nothing else is found.
    Updated,
}

impl Found {
    /// A short name for output: `published`, `byline`, `dateline`,
    /// `date line`, `updated`.
    pub fn as_str(self) -> &'static str {
        match self {
            Found::Published => "published",
            Found::Byline => "byline",
            Found::Dateline => "dateline",
            Found::DateLine => "date line",
            Found::Updated => "updated",
        }
    }
}

/// A publication date read from the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedDate {
    /// The date.
    pub date: Date,
    /// How it was found.
    pub how: Found,
    /// The date expression's bytes in the text.
    pub span: Span,
}

/// The publication date the first lines of `text` state, if any; the
/// preference goes published, byline, dateline, a bare date line, then
/// updated (ties to the earliest line).
pub fn published_date(text: &str) -> Option<PublishedDate> {
    let mut best: Option<PublishedDate> = None;
    let mut offset = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if start >= HEADER_BYTES || seen >= HEADER_LINES {
            break;
        }
        let content = line.trim_end();
        if content.trim().is_empty() {
            continue;
        }
        seen += 1;
        if let Some(found) = from_line(content, start) {
            if best.as_ref().is_none_or(|b| found.how < b.how) {
                best = Some(found);
            }
        }
    }
    best
}

/// The dated header a line is, if it is one.
fn from_line(line: &str, at: usize) -> Option<PublishedDate> {
    let times = tagger().tag(line, None);
    let (timex, date) = times.iter().find_map(|t| Some((t, t.day()?)))?;
    let lower = line.trim_start().to_ascii_lowercase();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| lower.starts_with(p));
    let how = if starts(&["published", "first published", "posted", "date published"]) {
        Found::Published
    } else if starts(&["updated", "last updated", "last modified", "modified"]) {
        Found::Updated
    } else if line.len() > MAX_LINE {
        // A long line is body text; only a dateline may open one.
        dateline(line, timex.span.start).then_some(Found::Dateline)?
    } else if starts(&["by "]) || line.contains(" | ") {
        Found::Byline
    } else if dateline(line, timex.span.start) {
        Found::Dateline
    } else if is_only_date(line, timex.span) {
        Found::DateLine
    } else {
        return None;
    };
    Some(PublishedDate {
        date,
        how,
        span: Span::new(at + timex.span.start, at + timex.span.end),
    })
}

/// Whether the date at `date_start` follows a dateline place: words in
/// capitals and a comma ("VELDMOOR,", "NEW YORK (AP) —" is not needed).
fn dateline(line: &str, date_start: usize) -> bool {
    let Some(place) = line.get(..date_start) else {
        return false;
    };
    let Some(place) = place.trim_end().strip_suffix(',') else {
        return false;
    };
    let place = place.trim();
    !place.is_empty()
        && place.chars().any(|c| c.is_alphabetic())
        && place
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '-' | '\'' | ','))
}

/// Whether the date is nearly all of the line (a bare "Saturday 15 March
/// 2025" under the headline, perhaps with a time).
fn is_only_date(line: &str, span: Span) -> bool {
    let rest = line.len() - (span.end - span.start);
    rest * 2 <= line.trim().len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<(&str, Found)>) {
        let found = published_date(text).map(|f| (f.date.to_string(), f.how));
        assert_eq!(
            found.as_ref().map(|(d, h)| (d.as_str(), *h)),
            expected,
            "{text}"
        );
    }

    #[test]
    fn header_lines() {
        check(
            "Title\nPublished 15 August 2021\nBody.",
            Some(("2021-08-15", Found::Published)),
        );
        check(
            "Updated: March 14, 2025 10:02\nBody.",
            Some(("2025-03-14", Found::Updated)),
        );
        check(
            "Title\nUpdated: March 16, 2025\nPublished: March 14, 2025\nBody.",
            Some(("2025-03-14", Found::Published)),
        );
        check(
            "VELDMOOR, March 15, 2025 (Wire) — The dam held on Friday.",
            Some(("2025-03-15", Found::Dateline)),
        );
        check(
            "Title\n\nSaturday 15 March 2025\n\nBody.",
            Some(("2025-03-15", Found::DateLine)),
        );
    }

    #[test]
    fn no_year_or_body_dates_give_nothing() {
        // A dateline without a year names no year.
        check("VELDMOOR, March 15 (Wire) — The dam held.", None);
        // A date the story mentions is not its publication date.
        check(
            "Title\nThe dam, finished on 3 May 1961, held on Friday as the river rose.",
            None,
        );
        check("", None);
    }

    #[test]
    fn example_without_sidecar() {
        // examples/lake-dam/05 has no metadata; its date is in the byline.
        // Its first lines, as written there:
        let text = "Ossel floods villages as Veldmoor evacuation reaches 4,500\n\n\
                    By Mira Castell | Saturday 15 March 2025\n\n\
                    The River Ossel burst its banks at Brackwater late on Friday.\n";
        check(text, Some(("2025-03-15", Found::Byline)));
    }
}
