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

use std::sync::OnceLock;

use newsdesk_model::Span;
use serde::Serialize;

/// One figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    pub modifier: Option<String>,
    /// What it counts, as written ("U.S. troops"); empty when nothing
    /// follows that reads as a noun phrase.
    pub counted: String,
    /// `%` for percentages, a currency code (`USD`, `GBP`, `EUR`) for money,
    /// `years` for ages, a unit of measure (`km`, `m`, `kg`, `t`, `ha`,
    /// `l`) for distances, weights, areas and volumes.
    pub unit: Option<String>,
    /// The value in `unit` when it was written in another unit ("12
    /// miles": 19.31 in `km`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normalized: Option<f64>,
    /// The whole of a ratio ("34" in "26 of the country's 34 provincial
    /// capitals"), not a count of its own.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub total: bool,
}

const SMALL: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("dozen", 12.0),
    ("half", 0.5),
];

const SCALES: &[(&str, f64)] = &[
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("bn", 1e9),
    ("m", 1e6),
];
word_list! {
    /// Modifiers that may stand before a figure ("at least", "about").
    fn modifiers = "modifiers.txt";
}

word_list! {
    /// Words that end a counted noun phrase (prepositions, verbs of
    /// reporting, conjunctions, determiners).
    fn phrase_stops = "phrase_stops.txt";
}

/// A token: a word or a number with its span.
#[derive(Debug, Clone)]
struct Token<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphanumeric() || c == b'$' {
            let start = i;
            // A token: letters, digits, and inner . , ' - between
            // alphanumerics ("3,000", "5.2", "U.S", "country's", "G-20").
            i += 1;
            while i < bytes.len() {
                let b = bytes[i];
                let inner = matches!(b, b'.' | b',' | b'\'' | b'-')
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
                    && bytes
                        .get(i.wrapping_sub(1))
                        .is_some_and(u8::is_ascii_alphanumeric);
                if b.is_ascii_alphanumeric() || inner {
                    i += 1;
                } else {
                    break;
                }
            }
            // A percent sign belongs to its number ("12%").
            if bytes.get(i) == Some(&b'%') {
                i += 1;
            }
            // Keep a trailing "." of an abbreviation like "U.S." inside.
            if i < bytes.len()
                && bytes[i] == b'.'
                && text[start..i].contains('.')
                && text[start..i].len() <= 5
            {
                i += 1;
            }
            if let Some(t) = text.get(start..i) {
                out.push(Token {
                    text: t,
                    start,
                    end: i,
                });
            }
        } else {
            // Multi-byte characters and punctuation: skip to the next
            // character boundary.
            i += 1;
            while i < bytes.len() && !text.is_char_boundary(i) {
                i += 1;
            }
        }
    }
    out
}

/// The value of a digit token ("3,000" → 3000, "5.2" → 5.2, "$5" → 5).
fn digits(token: &str) -> Option<f64> {
    let t = token.trim_start_matches('$').trim_end_matches('%');
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // "3,000" but not "3,00" (a list of numbers) nor a decimal comma.
    let groups: Vec<&str> = t.split('.').next().unwrap_or("").split(',').collect();
    if groups.len() > 1 && groups[1..].iter().any(|g| g.len() != 3) {
        return None;
    }
    t.replace(',', "").parse().ok()
}

fn word_value(word: &str) -> Option<f64> {
    let lower = word.to_ascii_lowercase();
    let small = |w: &str| SMALL.iter().find(|(x, _)| *x == w).map(|(_, v)| *v);
    // "thirty-five": tens and units joined by a hyphen.
    if let Some((tens, units)) = lower.split_once('-') {
        let (t, u) = (small(tens)?, small(units)?);
        return ((20.0..100.0).contains(&t) && t % 10.0 == 0.0 && (1.0..10.0).contains(&u))
            .then_some(t + u);
    }
    small(&lower)
}

fn scale(word: &str) -> Option<f64> {
    let lower = word.to_ascii_lowercase();
    SCALES.iter().find(|(w, _)| *w == lower).map(|(_, v)| *v)
}

/// The units table, as shipped.
const UNITS: &str = include_str!("../data/units.txt");

/// A unit or currency a number may be written with.
#[derive(Debug)]
struct Unit {
    /// As written: lower-cased words, or a symbol or code as is.
    written: String,
    /// A symbol or upper-case code, matched exactly before the number.
    exact: bool,
    unit: String,
    factor: f64,
    before: bool,
    after: bool,
}

fn units() -> &'static [Unit] {
    static UNITS_TABLE: OnceLock<Vec<Unit>> = OnceLock::new();
    UNITS_TABLE.get_or_init(|| parse_units(UNITS).0)
}

/// The units of `data` and the numbers of its malformed lines.
fn parse_units(data: &str) -> (Vec<Unit>, Vec<usize>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for (n, line) in data.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let (before, after) = match f.get(3) {
            Some(&"before") => (true, false),
            Some(&"after") => (false, true),
            Some(&"both") => (true, true),
            _ => {
                bad.push(n + 1);
                continue;
            }
        };
        let (Some(written), Some(unit), Some(Ok(factor)), 4) = (
            f.first(),
            f.get(1),
            f.get(2).map(|x| x.parse::<f64>()),
            f.len(),
        ) else {
            bad.push(n + 1);
            continue;
        };
        let exact = !written.chars().all(|c| c.is_lowercase() || c == ' ');
        out.push(Unit {
            written: if exact {
                (*written).to_string()
            } else {
                written.to_lowercase()
            },
            exact,
            unit: (*unit).to_string(),
            factor,
            before,
            after,
        });
    }
    (out, bad)
}

/// The unit written right before a number that starts at `start` ("$",
/// "US$", "€", "USD "), the longest that matches.
fn unit_before(text: &str, start: usize) -> Option<&'static Unit> {
    let head = text.get(..start)?.trim_end();
    units()
        .iter()
        .filter(|u| u.before && head.ends_with(u.written.as_str()))
        .filter(|u| {
            // A code is a word of its own ("USD", not "BUSD").
            let rest = &head[..head.len() - u.written.len()];
            !u.written.starts_with(|c: char| c.is_alphanumeric())
                || !rest.ends_with(|c: char| c.is_alphanumeric())
        })
        .max_by_key(|u| u.written.len())
}

/// The unit written from token `k` on ("dollars", "square miles"), with
/// how many tokens it takes.
fn unit_after(toks: &[Token<'_>], k: usize) -> Option<(&'static Unit, usize)> {
    units()
        .iter()
        .filter(|u| u.after)
        .filter_map(|u| {
            let words: Vec<&str> = u.written.split(' ').collect();
            let matched = words.iter().enumerate().all(|(i, w)| {
                toks.get(k + i).is_some_and(|t| {
                    if u.exact {
                        t.text == *w
                    } else {
                        t.text.eq_ignore_ascii_case(w)
                    }
                })
            });
            matched.then_some((u, words.len()))
        })
        .max_by_key(|(_, n)| *n)
}

/// A number with a scale glued to it ("2bn", "$5m", "10k"): its value.
/// "m" and "k" only count as scales after a currency (`money`): "5m" alone
/// may be five metres.
fn glued_scale(token: &str, money: bool) -> Option<f64> {
    let t = token.trim_start_matches('$');
    let at = t.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, suffix) = t.split_at(at);
    let factor = match suffix.to_ascii_lowercase().as_str() {
        "bn" => 1e9,
        "tn" => 1e12,
        "m" | "mn" if money => 1e6,
        "k" if money => 1e3,
        _ => return None,
    };
    Some(digits(number)? * factor)
}

/// Whether a digit token is a year, an ordinal or a clock time, not a
/// figure.
fn not_a_figure(token: &str, before: Option<&str>, after: Option<&str>) -> bool {
    let plain = token.trim_start_matches('$');
    let year_like = plain.len() == 4
        && plain.chars().all(|c| c.is_ascii_digit())
        && (1800..=2100).contains(&plain.parse::<u32>().unwrap_or(0));
    let ordinal = ["st", "nd", "rd", "th"]
        .iter()
        .any(|s| after.is_some_and(|a| a.eq_ignore_ascii_case(s)));
    // A year unless it counts something ("2021 people" is rare; "in 2021"
    // and "2021 elections" are years).
    year_like && !after.is_some_and(|a| a.ends_with('s') && a.len() > 3 && !a.ends_with("ss"))
        || ordinal
        || before.is_some_and(|b| b.eq_ignore_ascii_case("No.") || b.eq_ignore_ascii_case("number"))
}

/// The figures of `text`, leaving out numbers inside the `exclude` spans
/// (dates and times found by the temporal tagger).
pub fn figures(text: &str, exclude: &[Span]) -> Vec<Figure> {
    let toks = tokens(text);
    let excluded = |t: &Token<'_>| exclude.iter().any(|s| t.start < s.end && s.start < t.end);
    let mut out = Vec::new();
    // The token of a ratio's whole ("34" after "26 of the country's").
    let mut whole: Option<usize> = None;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let lower = t.text.to_ascii_lowercase();
        // "a dozen", "a half": the article belongs to the number.
        // An age: "22-year-old" is 22 years.
        if let Some(age) = t
            .text
            .strip_suffix("-year-old")
            .or_else(|| t.text.strip_suffix("-years-old"))
            .and_then(digits)
        {
            out.push(Figure {
                value: age,
                text: t.text.to_string(),
                start: t.start,
                end: t.end,
                modifier: modifier_before(text, t.start),
                counted: counted_after(text, &toks, i + 1),
                unit: Some("years".to_string()),
                normalized: None,
                total: false,
            });
            i += 1;
            continue;
        }
        // Hyphenated compounds: "600-member", "two-story", "63-percent",
        // "600-kilometer", "two-thirds"; "three-week" is a duration.
        if let Some(f) = compound(text, &toks, i) {
            if let Some(f) = f.filter(|_| !excluded(t)) {
                out.push(f);
            }
            i += 1;
            continue;
        }
        // "three- to four-week": the first number of a suspended compound
        // is what the compound is.
        if text.get(t.end..).is_some_and(|r| r.starts_with("- "))
            && toks
                .iter()
                .skip(i + 1)
                .take(3)
                .any(|n| compound_tail(n.text).is_some_and(is_time_unit))
        {
            i += 1;
            continue;
        }
        // "several dozen", "a few hundred": vague, not figures.
        if matches!(lower.as_str(), "dozen" | "hundred")
            && i.checked_sub(1).is_some_and(|b| {
                matches!(
                    toks[b].text.to_ascii_lowercase().as_str(),
                    "several" | "few" | "many"
                )
            })
        {
            i += 1;
            continue;
        }
        // "half a million".
        if lower == "half"
            && toks
                .get(i + 1)
                .is_some_and(|a| a.text.eq_ignore_ascii_case("a"))
        {
            if let Some(s) = toks.get(i + 2).and_then(|n| scale(n.text)) {
                let end = toks[i + 2].end;
                out.push(Figure {
                    value: 0.5 * s,
                    text: text[t.start..end].to_string(),
                    start: t.start,
                    end,
                    modifier: modifier_before(text, t.start),
                    counted: counted_after(text, &toks, i + 3),
                    unit: None,
                    normalized: None,
                    total: false,
                });
                i += 3;
                continue;
            }
        }
        // A unit written before the number ("$", "€", "USD"); a "$" is
        // part of the token.
        let digit_start = t.start + (t.text.len() - t.text.trim_start_matches('$').len());
        let unit_first = unit_before(text, digit_start);
        let money = unit_first.is_some_and(|u| is_currency(&u.unit));
        let (value, mut last) = if let Some(v) = digits(t.text) {
            if t.text.contains(|c: char| c.is_ascii_alphabetic()) {
                (None, i)
            } else {
                (Some(v), i)
            }
        } else if let Some(v) = glued_scale(t.text, money) {
            (Some(v), i)
        } else if let Some(v) = word_value(&lower) {
            // Compound words: "twenty five", "three hundred".
            let mut v = v;
            let mut j = i;
            while let Some(next) = toks.get(j + 1).and_then(|n| word_value(n.text)) {
                if next < 10.0 && (20.0..100.0).contains(&v) {
                    v += next;
                    j += 1;
                } else {
                    break;
                }
            }
            (Some(v), j)
        } else {
            (None, i)
        };
        let Some(mut value) = value else {
            i += 1;
            continue;
        };
        let before = i.checked_sub(1).map(|b| toks[b].text);
        let after = toks.get(last + 1).map(|a| a.text);
        // An age ("18 year olds", "40 years old") is a figure even where
        // the time tagger took it for a duration.
        let age = after
            .is_some_and(|a| matches!(a.to_ascii_lowercase().as_str(), "year" | "years"))
            && toks
                .get(last + 2)
                .is_some_and(|o| matches!(o.text.to_ascii_lowercase().as_str(), "old" | "olds"));
        if (excluded(t) && !age)
            || not_a_figure(t.text, before, after)
            || glued_to_letters(text, t)
            || clock(text, t)
            || in_a_name(text, &toks, i)
            || (!age && duration_after(&toks, last + 1))
        {
            i = last + 1;
            continue;
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
        if pronoun_one
            || matches!(lower.as_str(), "one" | "half")
                && after.is_none_or(|a| phrase_stops().contains(&a.to_ascii_lowercase().as_str()))
        {
            i = last + 1;
            continue;
        }
        // Scales: "5 million", "three thousand", "$2bn".
        while let Some(s) = toks.get(last + 1).and_then(|n| scale(n.text)) {
            value *= s;
            last += 1;
        }
        let mut unit = unit_first.map(|u| u.unit.clone());
        let mut factor = unit_first.map_or(1.0, |u| u.factor);
        let mut measured = false;
        // The figure's span is the number with its scale, not its unit.
        let number_last = last;
        if unit.is_none() {
            if let Some((u, n)) = unit_after(&toks, last + 1) {
                unit = Some(u.unit.clone());
                factor = u.factor;
                last += n;
                measured = true;
            }
        }
        if t.text.ends_with('%') {
            unit = Some("%".to_string());
        }
        if let Some(a) = toks.get(last + 1) {
            let a = a.text.to_ascii_lowercase();
            if a == "percent"
                || a == "per"
                    && toks
                        .get(last + 2)
                        .is_some_and(|n| n.text.eq_ignore_ascii_case("cent"))
            {
                unit = Some("%".to_string());
            }
        }
        let start = t.start;
        let end = toks[number_last].end;
        let modifier = modifier_before(text, start);
        // After a unit, "of" says what is measured ("12 miles of road"),
        // not a ratio.
        let of_next = toks
            .get(last + 1)
            .is_some_and(|t| t.text.eq_ignore_ascii_case("of"));
        let mut counted = if measured && of_next {
            counted_after(text, &toks, last + 2)
        } else {
            counted_after(text, &toks, last + 1)
        };
        // Money counts what it is for: "$5m in aid", "€2bn for repairs".
        if counted.is_empty() && unit.as_deref().is_some_and(is_currency) {
            if let Some(p) = toks.get(last + 1) {
                if ["in", "for", "of", "on"].contains(&p.text.to_ascii_lowercase().as_str()) {
                    counted = counted_after(text, &toks, last + 2);
                }
            }
        }
        // "one" or "half" counting nothing is a pronoun or a fraction word;
        // "one" before a noun is an article ("One student told …"), not a
        // count to compare, unless scaled ("one million").
        let scaled = last > i;
        if (counted.is_empty() && unit.is_none() && matches!(lower.as_str(), "one" | "half"))
            || (lower == "one" && !scaled)
        {
            i = last + 1;
            continue;
        }
        if of_next && !measured {
            whole =
                (last + 2..(last + 6).min(toks.len())).find(|&j| digits(toks[j].text).is_some());
        }
        out.push(Figure {
            value,
            text: text[start..end].to_string(),
            start,
            end,
            modifier,
            counted,
            normalized: (factor != 1.0).then_some(value * factor),
            unit,
            total: whole == Some(i),
        });
        i = last + 1;
    }
    out
}

/// Whether a unit is a currency (an ISO 4217 code).
fn is_currency(unit: &str) -> bool {
    unit.len() == 3 && unit.chars().all(|c| c.is_ascii_uppercase())
}

word_list! {
    /// Units of time, singular: a number counting them is a duration, not
    /// a figure.
    fn time_units = "time_units.txt";
}

/// Whether a word (singular or plural) is a unit of time.
fn is_time_unit(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    let w = w.split('-').next().unwrap_or("");
    let singular = w
        .strip_suffix("ies")
        .map(|x| format!("{x}y"))
        .or_else(|| w.strip_suffix('s').map(str::to_string))
        .unwrap_or_else(|| w.to_string());
    time_units().contains(&w) || time_units().contains(&singular.as_str())
}

/// Whether the tokens from `k` say the number counts time: "hours", "and
/// a half hours".
fn duration_after(toks: &[Token<'_>], k: usize) -> bool {
    let word = |j: usize| toks.get(j).map(|t| t.text.to_ascii_lowercase());
    match word(k).as_deref() {
        Some("and")
            if word(k + 1).as_deref() == Some("a") && word(k + 2).as_deref() == Some("half") =>
        {
            toks.get(k + 3).is_some_and(|t| is_time_unit(t.text))
        }
        // "24 to 48 hours": the first bound of a range of time.
        Some("to" | "and" | "or") => {
            toks.get(k + 1)
                .is_some_and(|n| digits(n.text).is_some() || word_value(n.text).is_some())
                && toks.get(k + 2).is_some_and(|t| is_time_unit(t.text))
                && !toks
                    .get(k + 3)
                    .is_some_and(|o| matches!(o.text.to_ascii_lowercase().as_str(), "old" | "olds"))
        }
        Some(_) => toks.get(k).is_some_and(|t| is_time_unit(t.text)),
        None => false,
    }
}

/// The part after the number of a hyphenated compound ("member" of
/// "600-member"), when the part before is a number.
fn compound_tail(token: &str) -> Option<&str> {
    // "thirty-five" is one number, not a compound.
    if word_value(token).is_some() {
        return None;
    }
    let (head, tail) = token.split_once('-')?;
    let numeric = digits(head).is_some() || word_value(head).is_some();
    (numeric && tail.starts_with(|c: char| c.is_ascii_alphabetic())).then_some(tail)
}

/// Denominators of written fractions ("two-thirds", "three-tenths").
fn denominator(word: &str) -> Option<f64> {
    let w = word.to_ascii_lowercase();
    let w = w.strip_suffix('s').unwrap_or(&w);
    Some(match w {
        "half" | "halve" => 2.0,
        "third" => 3.0,
        "quarter" => 4.0,
        "fifth" => 5.0,
        "sixth" => 6.0,
        "seventh" => 7.0,
        "eighth" => 8.0,
        "ninth" => 9.0,
        "tenth" => 10.0,
        _ => return None,
    })
}

/// The figure of a hyphenated compound at token `i`: `None` when the
/// token is no such compound, `Some(None)` when it is one that is not a
/// figure (a duration: "three-week"; a name's number is not a compound).
fn compound(text: &str, toks: &[Token<'_>], i: usize) -> Option<Option<Figure>> {
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
    }))
}

/// Whether the number is part of a clock time: "11 : 43", "2243 GMT",
/// "9 p.m.".
fn clock(text: &str, t: &Token<'_>) -> bool {
    let after = text.get(t.end..).unwrap_or("").trim_start();
    let before = text.get(..t.start).unwrap_or("").trim_end();
    let colon_after = after
        .strip_prefix(':')
        .is_some_and(|r| r.trim_start().starts_with(|c: char| c.is_ascii_digit()));
    let colon_before = before
        .strip_suffix(':')
        .is_some_and(|r| r.trim_end().ends_with(|c: char| c.is_ascii_digit()));
    let zone = after
        .split_whitespace()
        .next()
        .map(|w| w.trim_end_matches([',', ')', ';']))
        .is_some_and(|w| {
            matches!(
                w,
                "GMT"
                    | "UTC"
                    | "EST"
                    | "EDT"
                    | "CST"
                    | "CDT"
                    | "PST"
                    | "PDT"
                    | "BST"
                    | "CET"
                    | "a.m."
                    | "p.m."
                    | "a.m"
                    | "p.m"
                    | "am"
                    | "pm"
            )
        });
    colon_after || colon_before || zone
}

word_list! {
    /// Capitalised words after which a number is not part of a name
    /// (months, modifiers, determiners, prepositions), lower case.
    fn not_name_words = "not_name_words.txt";
}

/// Whether a number is part of a name: right after a capitalised word in
/// the middle of a sentence ("Channel 2", "Flight 990", "Apollo 13"),
/// not after a month, a weekday or a modifier.
fn in_a_name(text: &str, toks: &[Token<'_>], i: usize) -> bool {
    let t = &toks[i];
    let Some(prev) = i.checked_sub(1).and_then(|b| toks.get(b)) else {
        return false;
    };
    // A number word written capitalised inside a sentence and followed by
    // a capitalised word: "The Three Percenters", "the Four Seasons".
    let starts_sentence = |tok: &Token<'_>| {
        let head = text.get(..tok.start).unwrap_or("").trim_end();
        head.is_empty() || head.ends_with(['.', '!', '?', '\n', ':', '"'])
    };
    let capital = |w: &str| w.starts_with(|c: char| c.is_ascii_uppercase());
    if word_value(t.text).is_some()
        && capital(t.text)
        && !starts_sentence(t)
        && toks
            .get(i + 1)
            .is_some_and(|n| capital(n.text) && text.get(t.end..n.start) == Some(" "))
    {
        return true;
    }
    let plain = t.text.chars().all(|c| c.is_ascii_digit()) && t.text.len() <= 4;
    let gap = text.get(prev.end..t.start).unwrap_or("x");
    let capitalised = prev.text.len() >= 3
        && prev.text.starts_with(|c: char| c.is_ascii_uppercase())
        && prev.text.chars().skip(1).all(|c| c.is_ascii_lowercase());
    // The first word of a sentence is capitalised anyway.
    let head = text.get(..prev.start).unwrap_or("").trim_end();
    let sentence_start = head.is_empty() || head.ends_with(['.', '!', '?', '\n', ':', '"']);
    plain
        && gap == " "
        && capitalised
        && !sentence_start
        && !not_name_words().contains(&prev.text.to_ascii_lowercase().as_str())
        && !crate::weekdays().contains(&prev.text.to_ascii_lowercase().as_str())
}

/// Whether the number is glued to letters by a hyphen ("G-20", "F-16",
/// "COVID-19"), i.e. part of a name.
fn glued_to_letters(text: &str, t: &Token<'_>) -> bool {
    let before = text.get(..t.start).unwrap_or("");
    t.text.contains('-')
        && t.text.starts_with(|c: char| c.is_ascii_alphabetic())
        && word_value(t.text).is_none()
        || before.ends_with('-')
            && before
                .trim_end_matches('-')
                .ends_with(|c: char| c.is_ascii_alphabetic())
}

fn modifier_before(text: &str, start: usize) -> Option<String> {
    let before = text
        .get(..start)?
        .trim_end()
        .trim_end_matches('$')
        .trim_end();
    let tail = before
        .get(before.len().saturating_sub(20)..)
        .unwrap_or(before);
    let lower = tail.to_ascii_lowercase();
    modifiers()
        .iter()
        .filter(|m| {
            lower
                .strip_suffix(*m)
                .is_some_and(|rest| !rest.ends_with(|c: char| c.is_ascii_alphabetic()))
        })
        .max_by_key(|m| m.len())
        .map(|m| (*m).to_string())
}

/// What the number counts: "U.S. troops", "provincial capitals"; for
/// "26 of the country's 34 provincial capitals" the phrase after the
/// second number. Up to four words, ending before a phrase stop.
fn counted_after(text: &str, toks: &[Token<'_>], mut k: usize) -> String {
    // "of the country's 34 ...": a ratio; count what the second number counts.
    if toks
        .get(k)
        .is_some_and(|t| t.text.eq_ignore_ascii_case("of"))
    {
        let mut j = k + 1;
        while j < toks.len() && j <= k + 4 && digits(toks[j].text).is_none() {
            j += 1;
        }
        if toks.get(j).is_some_and(|t| digits(t.text).is_some()) {
            k = j + 1;
        }
    }
    let mut words: Vec<&Token<'_>> = Vec::new();
    while let Some(t) = toks.get(k) {
        let lower = t.text.to_ascii_lowercase();
        if words.len() == 4
            || phrase_stops().contains(&lower.as_str())
            || digits(t.text).is_some()
            || lower == "percent"
        {
            break;
        }
        // A verb in "-ed" ends the phrase ("people displaced", "troops
        // arrived") unless a noun follows it ("armed men").
        if lower.len() >= 5 && lower.ends_with("ed") && !words.is_empty() {
            let next_is_noun = toks.get(k + 1).is_some_and(|n| {
                let gap = text.get(t.end..n.start).unwrap_or("");
                gap.chars().all(char::is_whitespace)
                    && !phrase_stops().contains(&n.text.to_ascii_lowercase().as_str())
                    && digits(n.text).is_none()
            });
            if !next_is_noun {
                break;
            }
        }
        // Punctuation between tokens ends the phrase ("troops, and").
        if let Some(prev) = words.last() {
            let gap = text.get(prev.end..t.start).unwrap_or("");
            if gap.chars().any(|c| !c.is_whitespace()) {
                break;
            }
        } else if let Some(prev) = k.checked_sub(1).and_then(|p| toks.get(p)) {
            let gap = text.get(prev.end..t.start).unwrap_or("");
            if gap.chars().any(|c| !c.is_whitespace() && c != '-') {
                break;
            }
        }
        words.push(t);
        k += 1;
    }
    match (words.first(), words.last()) {
        (Some(first), Some(last)) => text.get(first.start..last.end).unwrap_or("").to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> Vec<String> {
        figures(text, &[])
            .iter()
            .map(|f| {
                format!(
                    "{} | {} | {} | {} | {}",
                    f.value,
                    f.text,
                    f.modifier.as_deref().unwrap_or("-"),
                    f.counted,
                    f.unit.as_deref().unwrap_or("-")
                )
            })
            .collect()
    }

    #[test]
    fn the_shipped_units_parse() {
        let (units, bad) = parse_units(UNITS);
        assert!(bad.is_empty(), "malformed lines {bad:?}");
        assert!(units.iter().any(|u| u.written == "US$" && u.before));
        let (_, bad) = parse_units("miles\tkm\tfar\tafter\nkm\tkm\t1\tbeside\n");
        assert_eq!(bad, [1, 2]);
    }

    #[test]
    fn currencies_and_units_are_normalised() {
        let found = figures(
            "The fund pledged $5m in aid and \u{20ac}2bn for repairs; US$40 went missing, \
             USD 300 more. The flood covered 12 miles of road and 400 acres, 5 km from the dam.",
            &[],
        );
        let got: Vec<(f64, &str, Option<&str>, Option<f64>)> = found
            .iter()
            .map(|f| (f.value, f.counted.as_str(), f.unit.as_deref(), f.normalized))
            .collect();
        assert_eq!(got[0], (5e6, "aid", Some("USD"), None));
        assert_eq!(got[1], (2e9, "repairs", Some("EUR"), None));
        assert_eq!((got[2].0, got[2].2), (40.0, Some("USD")));
        assert_eq!((got[3].0, got[3].2), (300.0, Some("USD")));
        assert_eq!((got[4].0, got[4].1, got[4].2), (12.0, "road", Some("km")));
        assert!((got[4].3.unwrap_or(0.0) - 19.312).abs() < 0.001, "{got:?}");
        assert_eq!(got[5].2, Some("ha"));
        assert_eq!((got[6].0, got[6].2, got[6].3), (5.0, Some("km"), None));
        // Spans cover the number and its glued scale, not the symbol.
        assert_eq!(found[0].text, "$5m");
        // "5m" without a currency is not five million.
        assert!(figures("a wall 5m high", &[]).is_empty());
    }

    #[test]
    fn digits_words_scales_and_modifiers() {
        assert_eq!(
            show("At least 183 civilians were killed and about 360,000 people displaced."),
            [
                "183 | 183 | at least | civilians | -",
                "360000 | 360,000 | about | people | -"
            ]
        );
        assert_eq!(
            show(
                "The US dispatched three thousand soldiers; 5 million dollars and a dozen trucks."
            ),
            [
                "3000 | three thousand | - | soldiers | -",
                "5000000 | 5 million | - |  | USD",
                "12 | dozen | - | trucks | -"
            ]
        );
        assert_eq!(
            show("Turnout rose 12% to 64 percent."),
            ["12 | 12% | - |  | %", "64 | 64 | - |  | %"]
        );
    }

    #[test]
    fn a_ratio_marks_its_whole() {
        let found = figures("They took 26 of the country's 34 provincial capitals.", &[]);
        assert_eq!((found[0].total, found[1].total), (false, true));
        // A curly apostrophe splits "country’s" in two tokens; still a ratio.
        let curly = figures(
            "They took 26 of the country\u{2019}s 34 provincial capitals.",
            &[],
        );
        assert_eq!((curly[0].total, curly[1].total), (false, true));
        assert_eq!(curly[0].counted, "provincial capitals");
    }

    #[test]
    fn ages_count_years() {
        assert_eq!(
            show("A 22-year-old student was hurt."),
            ["22 | 22-year-old | - | student | years"]
        );
    }

    #[test]
    fn ranges_and_ratios_give_each_bound() {
        assert_eq!(
            show("Between 40 and 45 villages are flooded, 120 to 150 homes."),
            [
                "40 | 40 | - |  | -",
                "45 | 45 | - | villages | -",
                "120 | 120 | - |  | -",
                "150 | 150 | - | homes | -"
            ]
        );
        // A range of time is a duration, not two figures.
        assert!(show("Troops will arrive in the next 24 to 48 hours.").is_empty());
        assert_eq!(
            show("The Taliban took 26 of the country's 34 provincial capitals."),
            [
                "26 | 26 | - | provincial capitals | -",
                "34 | 34 | - | provincial capitals | -"
            ]
        );
    }

    #[test]
    fn compounds_fractions_ages_and_what_is_not_a_figure() {
        let got = |text: &str| -> Vec<(f64, String)> {
            figures(text, &[])
                .into_iter()
                .map(|f| {
                    (
                        (f.value * 1000.0).round() / 1000.0,
                        f.unit.unwrap_or_default(),
                    )
                })
                .collect()
        };
        assert_eq!(
            got("The 600-member council, a two-story house, a 63-percent share, the 40-kilometer road."),
            [
                (600.0, String::new()),
                (2.0, String::new()),
                (63.0, "%".to_string()),
                (40.0, "km".to_string())
            ]
        );
        assert_eq!(
            got("Two-thirds of voters and three-tenths of a percent; half a million people."),
            [
                (0.667, String::new()),
                (0.3, "%".to_string()),
                (500000.0, String::new())
            ]
        );
        assert_eq!(
            got("Most were 13 to 18 year olds."),
            [(13.0, String::new()), (18.0, String::new())]
        );
        // Durations, clock times, vague amounts and names.
        assert!(got(
            "After three and a half hours and a three- to four-week period, two seasons on."
        )
        .is_empty());
        assert!(got("Alerted at 11 : 43 p.m.( 2243 GMT) Thursday, 9 p.m. local.").is_empty());
        assert!(got("Several dozen friends watched Channel 2 and Flight 990 news.").is_empty());
        assert!(got("A rally of the Three Percenters was held.").is_empty());
        assert_eq!(
            got("Thirty-five percent of staff; Five Guys sold 40 burgers."),
            [(35.0, "%".to_string()), (40.0, String::new())]
        );
    }

    #[test]
    fn years_ordinals_names_and_excluded_spans_are_not_figures() {
        assert!(show("In 2021, the G-20 met for the 3rd time since 1999.").is_empty());
        let text = "On 15 August 600 British troops arrived.";
        let date = text
            .find("15 August")
            .map(|s| Span::new(s, s + 9))
            .expect("date");
        let found = figures(text, &[date]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].value, found[0].counted.as_str()),
            (600.0, "British troops")
        );
        assert!(show("No one came; one of them left.").is_empty());
    }

    #[test]
    fn spans_point_into_the_text_whatever_its_characters() {
        let text = "Über 1,200 Menschen — “about 900 cubic metres” per second.";
        for f in figures(text, &[]) {
            assert_eq!(&text[f.start..f.end], f.text);
        }
    }
}
