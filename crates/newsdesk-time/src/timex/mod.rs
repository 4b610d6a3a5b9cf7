//! Temporal expressions: dates, times, durations and sets in English news
//! text, normalised to TIMEX3 values against the document creation time
//! (DCT), in the manner of HeidelTime (Strötgen & Gertz 2013).
//!
//! The rules and word lists are data (`data/timex/rules.txt` and
//! `lexicon.txt`, compiled in); [`Tagger`] compiles them once into one
//! scanning regex, finds the leftmost expression, asks the first rule that
//! matches there for its value, and goes on after it. Values follow TimeML:
//! `2021-08-12`, `2021-08`, `2021-W32`, `2021-Q3`, `2021-SU`, `P2D`, `PT3H`,
//! `PRESENT_REF`, `XXXX-WXX-4` (every Thursday). A weekday takes the tense
//! of its sentence ([`tense`]): "fell on Thursday" is the Thursday on or
//! before the DCT, "will meet on Thursday" the one on or after. Without a
//! DCT, relative expressions keep no value rather than a guessed one.
//!
//! ```
//! use newsdesk_time::timex::{tagger, TimexType};
//!
//! let text = "Herat fell on Thursday; troops will arrive within 48 hours.";
//! let times = tagger().tag(text, Some(jiff::civil::date(2021, 8, 13)));
//! assert_eq!(&text[times[0].span.start..times[0].span.end], "Thursday");
//! assert_eq!(times[0].value.as_deref(), Some("2021-08-12"));
//! assert_eq!(times[1].kind, TimexType::Duration);
//! assert_eq!(times[1].value.as_deref(), Some("PT48H"));
//! ```

pub mod published;
pub mod resolve;
pub mod rules;
pub mod tense;

use std::sync::OnceLock;

use jiff::civil::Date;
use newsdesk_model::Span;

pub use rules::RuleError;
use rules::RuleSet;

/// The four TIMEX3 types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimexType {
    /// A calendar date or period: "Thursday", "August 2021", "last year".
    Date,
    /// A time of day: "7:15 p.m.", "Friday morning".
    Time,
    /// A length of time: "48 hours", "two weeks".
    Duration,
    /// A recurring time: "daily", "every Thursday".
    Set,
}

impl TimexType {
    /// The TIMEX3 name: `DATE`, `TIME`, `DURATION`, `SET`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// One temporal expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timex {
    /// Its bytes in the text as given.
    pub span: Span,
    /// Its type.
    pub kind: TimexType,
    /// Its TIMEX3 value, or `None` when it cannot be resolved (a relative
    /// expression without a DCT, a vague count).
    pub value: Option<String>,
    /// The line of the rule that found it (for auditing the rules).
    pub rule: usize,
}

impl Timex {
    /// The calendar day the value names, if it names one
    /// (`2021-08-12`, `2021-08-12TNI`).
    pub fn day(&self) -> Option<Date> {
        let v = self.value.as_deref()?;
        v.get(..10)?
            .parse()
            .ok()
            .filter(|_| v.len() == 10 || v.as_bytes()[10] == b'T')
    }
}

/// The compiled rules.
#[derive(Debug)]
pub struct Tagger {
    set: RuleSet,
}

impl Tagger {
    /// Compiles the built-in rules.
    pub fn new() -> Result<Tagger, RuleError> {
        Ok(Tagger {
            set: RuleSet::builtin()?,
        })
    }

    /// Compiles other rules and word lists (same formats as the built-in
    /// `data/timex/` files).
    pub fn with_rules(rules: &str, lexicon: &str) -> Result<Tagger, RuleError> {
        Ok(Tagger {
            set: RuleSet::parse(rules, rules::Lexicon::parse(lexicon))?,
        })
    }

    /// Every temporal expression of `text`, in order and not overlapping,
    /// with values resolved against `dct` (the publication date).
    pub fn tag(&self, text: &str, dct: Option<Date>) -> Vec<Timex> {
        TEXTS_TAGGED.with(|n| n.set(n.get() + 1));
        let bytes = text.as_bytes();
        let is_word = |i: usize| {
            bytes
                .get(i)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        };
        let mut out: Vec<Timex> = Vec::new();
        let mut at = 0;
        while let Some(m) = self.set.scanner.find_at(text, at) {
            let (start, end) = (m.start(), m.end());
            // The match must not end inside a word ("Mayor", "2001st").
            if end == start || (is_word(end - 1) && is_word(end)) {
                at = next_boundary(text, start + 1);
                continue;
            }
            let hay = &text[start..];
            let after = text.get(end..).unwrap_or("");
            let found = self.set.rules.iter().find_map(|rule| {
                // A plain match first (a DFA), captures only for the rule
                // that wins: most rules fail at once, and captures cost more.
                let m = rule.regex.find(hay)?;
                if m.end() != end - start || !rule.allows(after) {
                    return None;
                }
                Some((rule, rule.regex.captures(hay)?))
            });
            if let Some((rule, caps)) = found.filter(|(rule, _)| !rule.skip) {
                // The last calendar date named before this expression.
                let previous = out
                    .iter()
                    .rev()
                    .filter(|t| t.kind == TimexType::Date)
                    .filter_map(|t| t.value.as_deref())
                    .find(|v| v.len() >= 4 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit));
                let cx = resolve::Context {
                    text,
                    start,
                    end,
                    dct,
                    lexicon: &self.set.lexicon,
                    previous,
                };
                out.push(Timex {
                    span: Span::new(start, end),
                    kind: rule.kind,
                    value: resolve::value(rule, &caps, &cx),
                    rule: rule.line,
                });
            }
            at = end;
        }
        out
    }
}

thread_local! {
    static TEXTS_TAGGED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many texts [`Tagger::tag`] has tagged on the calling thread so far:
/// lets a test check that a caller tags each document once.
pub fn texts_tagged_on_this_thread() -> u64 {
    TEXTS_TAGGED.with(std::cell::Cell::get)
}

fn next_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// The built-in tagger, compiled on first use.
///
/// # Panics
///
/// Never in practice: the built-in rules are compiled by a unit test, so a
/// rule that does not compile fails the build's tests, not a user's run.
pub fn tagger() -> &'static Tagger {
    static TAGGER: OnceLock<Tagger> = OnceLock::new();
    TAGGER.get_or_init(|| {
        #[allow(clippy::expect_used)]
        Tagger::new().expect("the built-in timex rules compile (tested)")
    })
}

#[cfg(test)]
mod tests;
