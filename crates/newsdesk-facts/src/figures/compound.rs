//! Hyphenated compounds that hold a number: "600-member", "two-story",
//! "63-percent", "600-kilometer", "22-year-old", "two-thirds", a vote
//! tally ("5-to-4"); and those that are durations, not figures
//! ("three-week").

use super::counted::{counted_after, modifier_before};
use super::exclusions::is_time_unit;
use super::number::{denominator, digits, word_value};
use super::tokens::Token;
use super::units::units;
use super::Figure;

/// The part after the number of a hyphenated compound ("member" of
/// "600-member"), when the part before is a number.
pub(super) fn compound_tail(token: &str) -> Option<&str> {
    // "thirty-five" is one number, not a compound.
    if word_value(token).is_some() {
        return None;
    }
    let (head, tail) = token.split_once('-')?;
    let numeric = digits(head).is_some() || word_value(head).is_some();
    (numeric && tail.starts_with(|c: char| c.is_ascii_alphabetic())).then_some(tail)
}

/// The figure of a hyphenated compound at token `i`: `None` when the
/// token is no such compound, `Some(None)` when it is one that is not a
/// figure (a duration: "three-week"; a name's number is not a compound).
pub(super) fn compound(text: &str, toks: &[Token<'_>], i: usize) -> Option<Option<Figure>> {
    let t = &toks[i];
    let tail = compound_tail(t.text)?;
    let head = &t.text[..t.text.len() - tail.len() - 1];
    let mut value = digits(head).or_else(|| word_value(head))?;
    let lower = tail.to_ascii_lowercase();
    let (counted, unit, normalized) = if lower == "year-old" || lower == "years-old" {
        (
            counted_after(text, toks, i + 1),
            Some("years".to_string()),
            None,
        )
    } else if is_time_unit(&lower) {
        return Some(None);
    } else if lower
        .strip_prefix("to-")
        .is_some_and(|r| digits(r).is_some())
    {
        // A vote tally ("5-to-4", "a 6-to-3 ruling"): the majority's
        // count, of a vote.
        ("vote".to_string(), None, None)
    } else if let Some(d) = denominator(&lower) {
        value /= d;
        // "three-tenths of a percent".
        let percent = toks.get(i + 1..i + 4).is_some_and(|w| {
            w.iter()
                .map(|x| x.text.to_ascii_lowercase())
                .collect::<Vec<_>>()
                == ["of", "a", "percent"]
        });
        let counted = if percent {
            String::new()
        } else {
            toks.get(i + 1)
                .filter(|n| n.text.eq_ignore_ascii_case("of"))
                .map(|_| counted_after(text, toks, i + 2))
                .unwrap_or_default()
        };
        (counted, percent.then(|| "%".to_string()), None)
    } else if lower == "percent" {
        (
            counted_after(text, toks, i + 1),
            Some("%".to_string()),
            None,
        )
    } else if let Some(u) = units()
        .iter()
        .find(|u| u.after && !u.exact && u.written == lower)
    {
        (
            counted_after(text, toks, i + 1),
            Some(u.unit.clone()),
            (u.factor != 1.0).then_some(value * u.factor),
        )
    } else {
        (lower.clone(), None, None)
    };
    Some(Some(Figure {
        value,
        text: t.text.to_string(),
        start: t.start,
        end: t.end,
        modifier: modifier_before(text, t.start),
        counted,
        unit,
        normalized,
        total: false,
        outcome: None,
        kind: super::FigureKind::Reported,
        earlier: false,
    }))
}
