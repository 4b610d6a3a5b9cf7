//! Figures: numbers that count or measure something, with what they count.
//!
//! A figure is a number written in digits ("3,000", "5.2", "26%") or in
//! words ("three thousand", "a dozen", "half"), scaled by a following
//! "million"/"billion"/"thousand"; each bound of a range ("24 to 48",
//! "between 24 and 48") and each side of a ratio ("26 of the country's 34")
//! is its own figure. Before it may stand a modifier ("at least", "about",
//! "more than"); after it, the noun phrase it counts ("U.S. troops",
//! "provincial capitals"), up to the first word that is not part of a noun
//! phrase. Numbers that are not figures are left out: those inside a date
//! or time expression (give their spans as `exclude`), years, ordinals,
//! clock times, and numbers glued to letters ("G-20", "F-16").
//!
//! Units and currencies come from `data/units.txt`: a symbol or code
//! before the number ("$5m", "€2bn", "USD 40") or a word after it ("3,000
//! dollars", "12 miles"); the figure keeps the value as written and, when
//! the unit converts ("miles" to `km`), the value in the normalised unit.
//!
//! The reading is split by what it knows: `tokens` (the tokenizer),
//! `number` (digits, number words, scales, fractions), `units` (the units
//! table), `compound` ("600-member", "two-thirds"), `exclusions` (years,
//! clock times, durations, names) and `counted` (the modifier before a
//! number and the noun phrase after it). [`figures`] runs them in order
//! over the tokens, one named step at a time.

mod compound;
mod context;
mod counted;
mod exclusions;
mod number;
#[cfg(test)]
mod tests;
mod tokens;
mod units;

use newsdesk_model::Span;
use serde::Serialize;

use compound::{compound, compound_tail};
pub use context::FigureKind;
use counted::{counted_after, modifier_before, phrase_stops};
use exclusions::{clock, duration_after, glued_to_letters, in_a_name, is_time_unit, not_a_figure};
use number::{digits, glued_scale, scale, word_value};
use tokens::{tokens, Token};
use units::{is_currency, unit_after, unit_before, Unit};

/// One figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figure {
    /// The value (a range's bound on its own).
    pub value: f64,
    /// The number as written ("3,000", "three thousand").
    pub text: String,
    /// Where the number is (byte offsets into the text given).
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// "at least", "about", "more than", … when written.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub modifier: Option<String>,
    /// What it counts, as written ("U.S. troops"); empty when nothing
    /// follows that reads as a noun phrase.
    pub counted: String,
    /// `%` for percentages, a currency code (`USD`, `GBP`, `EUR`) for money,
    /// `years` for ages, a unit of measure (`km`, `m`, `kg`, `t`, `ha`,
    /// `l`, `m3`) for distances, weights, areas and volumes, and a rate
    /// over time (`m3/s`, `km/h`) when "per second", "an hour" follows.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub unit: Option<String>,
    /// The value in `unit` when it was written in another unit ("12
    /// miles": 19.31 in `km`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub normalized: Option<f64>,
    /// The whole of a ratio ("34" in "26 of the country's 34 provincial
    /// capitals"), not a count of its own.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub total: bool,
    /// What happened to what it counts, when its clause says ("evacuated",
    /// "killed", "injured", "missing", "rescued", "arrested").
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub outcome: Option<String>,
    /// A count of what happened, an estimate of it, a forecast or a
    /// target.
    pub kind: FigureKind,
    /// An earlier value of the figure written next to it: 10 in "from 10
    /// to 15", 1,200 in "3,000, up from 1,200".
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub earlier: bool,
}

impl Figure {
    /// Takes what `other` counts (its noun phrase, outcome and, if this
    /// figure has none, unit): a figure that counts nothing of its own
    /// beside one that does ("between 3,000 and 5,000 people", "from 10
    /// to 15 villages", "3,000 people, up from 1,200").
    pub(crate) fn counts_what(&mut self, other: &Figure) {
        self.counted.clone_from(&other.counted);
        self.outcome.clone_from(&other.outcome);
        if self.unit.is_none() {
            self.unit.clone_from(&other.unit);
        }
    }
}

/// The figures of `text`, leaving out numbers inside the `exclude` spans
/// (dates and times found by the temporal tagger).
pub fn figures(text: &str, exclude: &[Span]) -> Vec<Figure> {
    let scan = Scan {
        text,
        toks: tokens(text),
        exclude,
    };
    let mut out = Vec::new();
    // The token of a ratio's whole ("34" after "26 of the country's").
    let mut whole: Option<usize> = None;
    let mut i = 0;
    while i < scan.toks.len() {
        let (figure, next) = scan.step(i, &mut whole);
        out.extend(figure);
        i = next;
    }
    for f in &mut out {
        if f.unit.is_none() {
            f.outcome = context::outcome(text, f.start, f.end).map(str::to_string);
        }
        f.kind = context::kind(text, f.start, f.end, f.modifier.as_deref());
    }
    for i in 1..out.len() {
        // "from 10 to 15 dead": 10 is the earlier value of what 15 counts.
        if context::change_bounds(
            text,
            (out[i - 1].start, out[i - 1].end),
            (out[i].start, out[i].end),
        ) {
            out[i - 1].earlier = true;
            if out[i - 1].counted.is_empty() {
                let (first, second) = out.split_at_mut(i);
                first[i - 1].counts_what(&second[0]);
            }
            continue;
        }
        if context::range_bounds(
            text,
            (out[i - 1].start, out[i - 1].end),
            (out[i].start, out[i].end),
        ) && out[i - 1].kind.observed()
            && out[i].kind.observed()
        {
            out[i - 1].kind = FigureKind::Range;
            out[i].kind = FigureKind::Range;
            // "between 3,000 and 5,000 people": the first bound counts what
            // the second does.
            if out[i - 1].counted.is_empty() {
                let (first, second) = out.split_at_mut(i);
                first[i - 1].counts_what(&second[0]);
            }
        }
    }
    out
}

/// The noun before "of" right before `start` ("flow" in "a peak flow of
/// 1,400"), lower case.
fn noun_before_of(text: &str, start: usize) -> Option<String> {
    let head = text.get(..start)?.trim_end();
    let mut words = head.rsplit(char::is_whitespace);
    let stem_of = words.next()?;
    // "about 900 …": the modifier stands between.
    let (of, noun) = if stem_of.eq_ignore_ascii_case("of") {
        (stem_of, words.next()?)
    } else {
        let of = words.next()?;
        (of, words.next()?)
    };
    (of.eq_ignore_ascii_case("of")
        && noun.chars().all(|c| c.is_alphabetic())
        && noun.starts_with(char::is_lowercase)
        && !phrase_stops().contains(&noun))
    .then(|| noun.to_string())
}

/// One text as [`figures`] reads it: its tokens and the spans to leave out.
struct Scan<'t> {
    text: &'t str,
    toks: Vec<Token<'t>>,
    exclude: &'t [Span],
}

/// What one step of the scan found: the figure at a token, if any, and the
/// token to go on from.
type Step = (Option<Figure>, usize);

/// A number with what is written right after it: its scale ("5 million")
/// and its unit ("12 miles", "64 percent").
struct Measure {
    /// The value, scaled.
    value: f64,
    /// The last token of the number, its scale and its unit.
    last: usize,
    /// The last token of the number and its scale: where the figure's span
    /// ends.
    number_last: usize,
    unit: Option<String>,
    /// What the value is multiplied by to be in `unit`.
    factor: f64,
    /// Whether the unit is written after the number ("12 miles").
    measured: bool,
}

impl Scan<'_> {
    /// Whether a token lies in a span to leave out.
    fn excluded(&self, t: &Token<'_>) -> bool {
        self.exclude
            .iter()
            .any(|s| t.start < s.end && s.start < t.end)
    }

    /// The figure at token `i`: the shapes a number can take, tried in
    /// order.
    fn step(&self, i: usize, whole: &mut Option<usize>) -> Step {
        let t = &self.toks[i];
        // An age: "22-year-old" is 22 years.
        if let Some(age) = self.age(i) {
            return (Some(age), i + 1);
        }
        // Hyphenated compounds: "600-member", "two-story", "63-percent",
        // "600-kilometer", "two-thirds"; "three-week" is a duration.
        if let Some(f) = compound(self.text, &self.toks, i) {
            return (f.filter(|_| !self.excluded(t)), i + 1);
        }
        if self.suspended_compound(i) || self.vague(i) {
            return (None, i + 1);
        }
        if let Some(f) = self.half_a_scale(i) {
            return (Some(f), i + 3);
        }
        self.number(i, whole)
    }

    /// "22-year-old", "40-years-old": an age in years.
    fn age(&self, i: usize) -> Option<Figure> {
        let t = &self.toks[i];
        let age = t
            .text
            .strip_suffix("-year-old")
            .or_else(|| t.text.strip_suffix("-years-old"))
            .and_then(digits)?;
        Some(Figure {
            value: age,
            text: t.text.to_string(),
            start: t.start,
            end: t.end,
            modifier: modifier_before(self.text, t.start),
            counted: counted_after(self.text, &self.toks, i + 1),
            unit: Some("years".to_string()),
            normalized: None,
            total: false,
            outcome: None,
            kind: FigureKind::Reported,
            earlier: false,
        })
    }

    /// "three- to four-week": the first number of a suspended compound is
    /// what the compound is (here a duration).
    fn suspended_compound(&self, i: usize) -> bool {
        let t = &self.toks[i];
        self.text.get(t.end..).is_some_and(|r| r.starts_with("- "))
            && self
                .toks
                .iter()
                .skip(i + 1)
                .take(3)
                .any(|n| compound_tail(n.text).is_some_and(is_time_unit))
    }

    /// "several dozen", "a few hundred": vague, not figures.
    fn vague(&self, i: usize) -> bool {
        let lower = self.toks[i].text.to_ascii_lowercase();
        matches!(lower.as_str(), "dozen" | "hundred")
            && i.checked_sub(1).is_some_and(|b| {
                matches!(
                    self.toks[b].text.to_ascii_lowercase().as_str(),
                    "several" | "few" | "many"
                )
            })
    }

    /// "half a million": a half of the scale.
    fn half_a_scale(&self, i: usize) -> Option<Figure> {
        let t = &self.toks[i];
        let half_a = t.text.eq_ignore_ascii_case("half")
            && self
                .toks
                .get(i + 1)
                .is_some_and(|a| a.text.eq_ignore_ascii_case("a"));
        if !half_a {
            return None;
        }
        let s = self.toks.get(i + 2).and_then(|n| scale(n.text))?;
        let end = self.toks[i + 2].end;
        Some(Figure {
            value: 0.5 * s,
            text: self.text[t.start..end].to_string(),
            start: t.start,
            end,
            modifier: modifier_before(self.text, t.start),
            counted: counted_after(self.text, &self.toks, i + 3),
            unit: None,
            normalized: None,
            total: false,
            outcome: None,
            kind: FigureKind::Reported,
            earlier: false,
        })
    }

    /// A number in digits or words at token `i`, with its scale, unit,
    /// modifier and what it counts; `whole` marks a ratio's whole.
    fn number(&self, i: usize, whole: &mut Option<usize>) -> Step {
        let t = &self.toks[i];
        let lower = t.text.to_ascii_lowercase();
        // A unit written before the number ("$", "€", "USD"); a "$" is
        // part of the token.
        let digit_start = t.start + (t.text.len() - t.text.trim_start_matches('$').len());
        let unit_first = unit_before(self.text, digit_start);
        let money = unit_first.is_some_and(|u| is_currency(&u.unit));
        let Some((value, last)) = self.value_at(i, &lower, money) else {
            return (None, i + 1);
        };
        if self.not_a_count(i, last, &lower) {
            return (None, last + 1);
        }
        let m = self.measure(i, value, last, unit_first);
        // After a unit, "of" says what is measured ("12 miles of road"),
        // not a ratio.
        let of_next = self
            .toks
            .get(m.last + 1)
            .is_some_and(|t| t.text.eq_ignore_ascii_case("of"));
        let counted = self.counted(&m, of_next, t.start);
        // "one" or "half" counting nothing is a pronoun or a fraction word;
        // "one" before a noun is an article ("One student told …"), not a
        // count to compare, unless scaled ("one million").
        let scaled = m.last > i;
        if (counted.is_empty() && m.unit.is_none() && matches!(lower.as_str(), "one" | "half"))
            || (lower == "one" && !scaled)
        {
            return (None, m.last + 1);
        }
        if of_next && !m.measured {
            *whole = (m.last + 2..(m.last + 6).min(self.toks.len()))
                .find(|&j| digits(self.toks[j].text).is_some());
        }
        let (start, end) = (t.start, self.toks[m.number_last].end);
        let figure = Figure {
            value: m.value,
            text: self.text[start..end].to_string(),
            start,
            end,
            modifier: modifier_before(self.text, start),
            counted,
            normalized: (m.factor != 1.0).then_some(m.value * m.factor),
            unit: m.unit,
            total: *whole == Some(i),
            outcome: None,
            kind: FigureKind::Reported,
            earlier: false,
        };
        (Some(figure), m.last + 1)
    }

    /// The value of the number at token `i` and its last token: digits,
    /// digits with a glued scale ("2bn"), or number words ("twenty five").
    fn value_at(&self, i: usize, lower: &str, money: bool) -> Option<(f64, usize)> {
        let t = &self.toks[i];
        if let Some(v) = digits(t.text) {
            return (!t.text.contains(|c: char| c.is_ascii_alphabetic())).then_some((v, i));
        }
        if let Some(v) = glued_scale(t.text, money) {
            return Some((v, i));
        }
        // Compound words: "twenty five", "three hundred".
        let mut v = word_value(lower)?;
        let mut j = i;
        while let Some(next) = self.toks.get(j + 1).and_then(|n| word_value(n.text)) {
            if next < 10.0 && (20.0..100.0).contains(&v) {
                v += next;
                j += 1;
            } else {
                break;
            }
        }
        Some((v, j))
    }

    /// Whether the number at tokens `i..=last` counts nothing: a date or
    /// time, a year, an ordinal, part of a name or a clock time, a
    /// duration, or "one" and "half" as pronoun and fraction word.
    fn not_a_count(&self, i: usize, last: usize, lower: &str) -> bool {
        let toks = &self.toks;
        let t = &toks[i];
        let before = i.checked_sub(1).map(|b| toks[b].text);
        let after = toks.get(last + 1).map(|a| a.text);
        // An age ("18 year olds", "40 years old") is a figure even where
        // the time tagger took it for a duration.
        let age = after
            .is_some_and(|a| matches!(a.to_ascii_lowercase().as_str(), "year" | "years"))
            && toks
                .get(last + 2)
                .is_some_and(|o| matches!(o.text.to_ascii_lowercase().as_str(), "old" | "olds"));
        if (self.excluded(t) && !age)
            || not_a_figure(t.text, before, after)
            || glued_to_letters(self.text, t)
            || clock(self.text, t)
            || in_a_name(self.text, toks, i)
            || (!age && duration_after(toks, last + 1))
        {
            return true;
        }
        // "one" as a pronoun ("one of the ...", "no one") and "half" alone
        // are not figures unless a noun follows; keep them only when the
        // next word starts a counted phrase.
        let pronoun_one = lower == "one"
            && before.is_some_and(|b| {
                matches!(
                    b.to_ascii_lowercase().as_str(),
                    "no" | "any" | "every" | "some" | "each" | "the" | "this" | "that" | "which"
                )
            });
        pronoun_one
            || matches!(lower, "one" | "half")
                && after.is_none_or(|a| phrase_stops().contains(&a.to_ascii_lowercase().as_str()))
    }

    /// The number at tokens `i..=last` with its scales ("5 million") and
    /// its unit, before (`unit_first`) or after it ("12 miles", "64
    /// percent", "12%").
    fn measure(&self, i: usize, value: f64, last: usize, unit_first: Option<&Unit>) -> Measure {
        let (mut value, mut last) = (value, last);
        // Scales: "5 million", "three thousand", "$2bn".
        while let Some(s) = self.toks.get(last + 1).and_then(|n| scale(n.text)) {
            value *= s;
            last += 1;
        }
        let mut unit = unit_first.map(|u| u.unit.clone());
        let mut factor = unit_first.map_or(1.0, |u| u.factor);
        let mut measured = false;
        // The figure's span is the number with its scale, not its unit.
        let number_last = last;
        if unit.is_none() {
            if let Some((u, n)) = unit_after(&self.toks, last + 1) {
                unit = Some(u.unit.clone());
                factor = u.factor;
                last += n;
                measured = true;
            }
        }
        // A rate: "cubic metres per second", "km an hour", "mm a day".
        if measured {
            let by = self.toks.get(last + 1).map(|t| t.text.to_ascii_lowercase());
            let per = self.toks.get(last + 2).map(|t| t.text.to_ascii_lowercase());
            if let (Some(by), Some(per)) = (by, per) {
                let time = match per.as_str() {
                    "second" => Some("s"),
                    "minute" => Some("min"),
                    "hour" => Some("h"),
                    "day" => Some("day"),
                    _ => None,
                };
                if let (true, Some(time)) = (matches!(by.as_str(), "per" | "a" | "an"), time) {
                    unit = unit.map(|u| format!("{u}/{time}"));
                    last += 2;
                }
            }
        }
        if self.toks[i].text.ends_with('%') {
            unit = Some("%".to_string());
        }
        if let Some(a) = self.toks.get(last + 1) {
            let a = a.text.to_ascii_lowercase();
            if a == "percent"
                || a == "per"
                    && self
                        .toks
                        .get(last + 2)
                        .is_some_and(|n| n.text.eq_ignore_ascii_case("cent"))
            {
                unit = Some("%".to_string());
            }
        }
        Measure {
            value,
            last,
            number_last,
            unit,
            factor,
            measured,
        }
    }

    /// What a measured number counts: the noun phrase after it (after
    /// "of" when a unit stands before: "12 miles of road"); for money, what
    /// it is for ("$5m in aid", "€2bn for repairs").
    fn counted(&self, m: &Measure, of_next: bool, start: usize) -> String {
        let (text, toks) = (self.text, &self.toks);
        let mut counted = if m.measured && of_next {
            counted_after(text, toks, m.last + 2)
        } else {
            counted_after(text, toks, m.last + 1)
        };
        // A measure with nothing after it counts what stands before "of"
        // ("a peak flow of 1,400 cubic metres per second").
        if counted.is_empty() && m.measured {
            if let Some(noun) = noun_before_of(text, start) {
                return noun;
            }
        }
        if counted.is_empty() && m.unit.as_deref().is_some_and(is_currency) {
            if let Some(p) = toks.get(m.last + 1) {
                if ["in", "for", "of", "on"].contains(&p.text.to_ascii_lowercase().as_str()) {
                    counted = counted_after(text, toks, m.last + 2);
                }
            }
        }
        counted
    }
}
