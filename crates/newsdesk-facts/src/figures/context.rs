//! What the words around a figure say of it: what happened to what it
//! counts ("3,000 people had been *evacuated*", "two people *missing*") and
//! whether it is a count of what happened, a forecast, a plan or a
//! target ("forecasters *expect* a further 60 millimetres", "*will send*
//! 3,000 troops"). Two figures are
//! compared only when both agree: the dead are not the injured, and a
//! forecast is not what fell.

use serde::Serialize;

/// What kind of quantity a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FigureKind {
    /// A count or measure of what happened or is (the default).
    #[default]
    Reported,
    /// An estimate of it ("about", "an estimated", "roughly").
    Estimate,
    /// What is expected to happen ("forecasters expect", "could reach").
    Forecast,
    /// What someone has decided or promised to do ("will send 3,000
    /// troops", "plans to build 500 homes", "pledged $2 million").
    Plan,
    /// What someone aims for ("a target of", "the goal is").
    Target,
    /// A bound of a range ("3,000 to 5,000", "between 40 and 50").
    Range,
}

impl FigureKind {
    /// Whether a figure of this kind tells what happened (a reported
    /// count or an estimate of it), as opposed to what is expected or
    /// aimed for.
    pub fn observed(self) -> bool {
        matches!(
            self,
            FigureKind::Reported | FigureKind::Estimate | FigureKind::Range
        )
    }
}

/// Words that say what happened to what a figure counts, and the outcome
/// they stand for.
const OUTCOMES: &[(&str, &str)] = &[
    ("killed", "killed"),
    ("dead", "killed"),
    ("died", "killed"),
    ("deaths", "killed"),
    ("fatalities", "killed"),
    ("injured", "injured"),
    ("wounded", "injured"),
    ("hurt", "injured"),
    ("injuries", "injured"),
    ("missing", "missing"),
    ("unaccounted", "missing"),
    ("evacuated", "evacuated"),
    ("evacuation", "evacuated"),
    ("leaving", "evacuated"),
    ("fled", "evacuated"),
    ("displaced", "evacuated"),
    ("relocated", "evacuated"),
    ("homeless", "evacuated"),
    ("rescued", "rescued"),
    ("arrested", "arrested"),
    ("detained", "arrested"),
];

/// Words that make a figure a forecast.
const FORECAST: &[&str] = &[
    "forecast",
    "forecasts",
    "forecasters",
    "forecaster",
    "expect",
    "expects",
    "expected",
    "predicted",
    "predicts",
    "projected",
    "projection",
    "could",
    "may",
    "might",
];

/// Words that make a figure a plan: what is to be done, not what was.
const PLAN: &[&str] = &[
    "will",
    "plan",
    "plans",
    "planned",
    "planning",
    "pledged",
    "pledges",
    "promised",
    "promises",
    "intends",
    "proposed",
    "proposes",
    "scheduled",
];

/// Words that make a figure a target.
const TARGET: &[&str] = &["target", "targets", "goal", "aim", "aims", "aiming"];

/// Modifiers and words that make a figure an estimate.
const ESTIMATE: &[&str] = &[
    "about",
    "around",
    "roughly",
    "approximately",
    "estimated",
    "some",
    "nearly",
    "almost",
];

/// The words of `text` from `from` to `to` (clipped to the sentence), in
/// order, lower case.
fn words(text: &str, from: usize, to: usize) -> Vec<String> {
    text.get(from..to)
        .unwrap_or("")
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The sentence around bytes `start..end`: from after the last stop,
/// semicolon or line break before to the next one after.
fn sentence(text: &str, start: usize, end: usize) -> (usize, usize) {
    let head = text.get(..start).unwrap_or("");
    let from = head
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            matches!(c, ';' | '\n')
                || (matches!(c, '.' | '!' | '?') && head[i + 1..].starts_with(char::is_whitespace))
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    let tail = text.get(end..).unwrap_or("");
    let to = tail
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, ';' | '\n')
                || (matches!(c, '.' | '!' | '?')
                    && tail[i + 1..].chars().next().is_none_or(char::is_whitespace))
        })
        .map_or(text.len(), |(i, _)| end + i);
    (from, to)
}

/// What happened to what the figure at `start..end` counts, read from the
/// words just after it (its counted phrase and the verb after: "people
/// had been evacuated") or just before it ("killed 12 people").
pub(super) fn outcome(text: &str, start: usize, end: usize) -> Option<&'static str> {
    let (from, to) = sentence(text, start, end);
    // The clause after the figure: up to a comma or a conjunction.
    let clause_end = text
        .get(end..to)
        .and_then(|t| t.find([',', ';']))
        .map_or(to, |i| end + i);
    let after = words(text, end, clause_end);
    let before = words(text, from, start);
    let find = |w: &String| OUTCOMES.iter().find(|(k, _)| k == w).map(|(_, o)| *o);
    // "killed 12 people": the verb right before wins.
    before
        .iter()
        .rev()
        .take(2)
        .find_map(find)
        .or_else(|| {
            after
                .iter()
                .take(7)
                .take_while(|w| !matches!(w.as_str(), "and" | "but" | "while" | "whereas"))
                .find_map(find)
        })
        .or_else(|| before.iter().rev().take(3).find_map(find))
}

/// What kind of quantity the figure at `start..end` (with its `modifier`)
/// is, read from the words of its clause.
pub(super) fn kind(text: &str, start: usize, end: usize, modifier: Option<&str>) -> FigureKind {
    let (from, to) = sentence(text, start, end);
    let before = words(text, from, start);
    let after = words(text, end, to);
    let near = before
        .iter()
        .rev()
        .take(8)
        .chain(after.iter().take(4))
        .map(String::as_str)
        .collect::<Vec<_>>();
    if near.iter().any(|w| TARGET.contains(w)) {
        FigureKind::Target
    } else if near.iter().any(|w| FORECAST.contains(w)) {
        FigureKind::Forecast
    } else if before
        .iter()
        .rev()
        .take(6)
        .any(|w| PLAN.contains(&w.as_str()))
    {
        // The plan's verb governs the figure from before it ("will send
        // 3,000 troops"); "3,000 troops will arrive" tells a plan too,
        // but "the 3,000 who fled will be housed" does not, so only the
        // words before count.
        FigureKind::Plan
    } else if modifier.is_some_and(|m| ESTIMATE.iter().any(|e| m.contains(e)))
        || before.last().is_some_and(|w| w == "estimated")
    {
        FigureKind::Estimate
    } else {
        FigureKind::Reported
    }
}

/// Whether the figures at `a` and `b` (in text order) are a value and
/// the one it changed to: "from 10 to 15".
pub(super) fn change_bounds(text: &str, a: (usize, usize), b: (usize, usize)) -> bool {
    let joined = text
        .get(a.1..b.0)
        .is_some_and(|between| between.trim().eq_ignore_ascii_case("to"));
    let from = text
        .get(..a.0)
        .unwrap_or("")
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("from"));
    joined && from
}

/// Whether the figures at `a` and `b` (in text order) are the bounds of
/// one range: "3,000 to 5,000", "3,000-5,000", "between 40 and 50" (not
/// "from 3,000 to 5,000", a change).
pub(super) fn range_bounds(text: &str, a: (usize, usize), b: (usize, usize)) -> bool {
    let Some(between) = text.get(a.1..b.0) else {
        return false;
    };
    let joiner = between.trim().to_ascii_lowercase();
    let before = text
        .get(..a.0)
        .unwrap_or("")
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match joiner.as_str() {
        "to" | "-" | "\u{2013}" => before != "from",
        "and" => before == "between",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, number: &str) -> (usize, usize) {
        let start = text.find(number).expect("the number is in the text");
        (start, start + number.len())
    }

    #[test]
    fn outcomes_tell_the_evacuated_from_the_missing() {
        let text =
            "By Friday about 3,000 people had been evacuated. Two people were reported missing.";
        let (s, e) = at(text, "3,000");
        assert_eq!(outcome(text, s, e), Some("evacuated"));
        let (s, e) = at(text, "Two");
        assert_eq!(outcome(text, s, e), Some("missing"));
        let text = "The blast killed 12 people and wounded 40 more.";
        let (s, e) = at(text, "12");
        assert_eq!(outcome(text, s, e), Some("killed"));
    }

    #[test]
    fn a_forecast_is_not_what_fell() {
        let text = "Forecasters expect a further 60 millimetres before the weekend.";
        let (s, e) = at(text, "60");
        assert_eq!(kind(text, s, e, None), FigureKind::Forecast);
        let text = "About 30 inches of rain fell on Houston.";
        let (s, e) = at(text, "30");
        assert_eq!(kind(text, s, e, Some("about")), FigureKind::Estimate);
        let text = "The council set a target of 500 new homes.";
        let (s, e) = at(text, "500");
        assert_eq!(kind(text, s, e, None), FigureKind::Target);
    }

    #[test]
    fn a_plan_is_not_what_was_done() {
        for (text, n) in [
            (
                "The Pentagon will send 3,000 more troops to the region.",
                "3,000",
            ),
            (
                "The city plans to build 500 homes on the old airfield.",
                "500",
            ),
            ("The donors pledged $2 million for the clinic.", "2"),
        ] {
            let (s, e) = at(text, n);
            assert_eq!(kind(text, s, e, None), FigureKind::Plan, "{text}");
            assert!(!FigureKind::Plan.observed());
        }
        let text = "The Pentagon sent 3,000 troops to the region.";
        let (s, e) = at(text, "3,000");
        assert_eq!(kind(text, s, e, None), FigureKind::Reported);
    }
}
