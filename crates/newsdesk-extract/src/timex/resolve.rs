//! Normalising a matched expression to a TIMEX3 value.

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;
use regex::Captures;

use super::rules::{Function, Lexicon, Rule};
use super::tense::{tense_at, Tense};

/// What a value is computed from: the match, its text and the DCT.
pub struct Context<'a> {
    /// The whole text (for the tense and for "quarter" near "a year ago").
    pub text: &'a str,
    /// Where the expression starts.
    pub start: usize,
    /// Where it ends.
    pub end: usize,
    /// The document creation time, if known.
    pub dct: Option<Date>,
    /// The word lists.
    pub lexicon: &'a Lexicon,
}

/// The TIMEX3 value of `rule`'s match `caps`, or `None` when it needs an
/// anchor that is missing (no DCT, a vague count) or a field is invalid.
pub fn value(rule: &Rule, caps: &Captures<'_>, cx: &Context<'_>) -> Option<String> {
    let head = match &rule.function {
        None => String::new(),
        Some(function) => compute(function, caps, cx)?,
    };
    let tail = fill(&rule.template, caps, cx)?;
    Some(head + &tail)
}

/// The normalised value of the group `name`.
fn group(name: &str, caps: &Captures<'_>, lexicon: &Lexicon) -> Option<String> {
    let raw = caps.name(name)?.as_str();
    match name {
        "year" => Some(raw.to_string()),
        "day" => {
            let d: u32 = raw.parse().ok()?;
            (1..=31).contains(&d).then(|| format!("{d:02}"))
        }
        "month" if raw.chars().all(|c| c.is_ascii_digit()) => {
            let m: u32 = raw.parse().ok()?;
            (1..=12).contains(&m).then(|| format!("{m:02}"))
        }
        "dayordinal" => {
            let d: u32 = lexicon.value("dayordinal", raw)?.parse().ok()?;
            Some(format!("{d:02}"))
        }
        "decade" => Some(raw.get(..3)?.to_string()),
        "num" => number(raw, lexicon),
        "clock" => None,
        _ => lexicon.value(name, raw).map(str::to_string),
    }
}

/// A count in digits or words; `X` for "several"; `None` if unreadable.
fn number(raw: &str, lexicon: &Lexicon) -> Option<String> {
    let raw = raw.trim();
    if raw.starts_with(|c: char| c.is_ascii_digit()) {
        let mut parts = raw.split_whitespace();
        let whole = parts.next()?;
        return Some(match parts.next() {
            Some("1/2") => format!("{whole}.5"),
            _ => whole.to_string(),
        });
    }
    if let Some(v) = lexicon.value("number", raw) {
        return Some(v.to_string());
    }
    // "twenty-four", "twenty four".
    let mut total = 0u32;
    for part in raw.split(['-', ' ']).filter(|p| !p.is_empty()) {
        total += lexicon.value("number", part)?.parse::<u32>().ok()?;
    }
    Some(total.to_string())
}

/// Replaces `{name}` placeholders with normalised group values.
fn fill(template: &str, caps: &Captures<'_>, cx: &Context<'_>) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        if name == "clock" {
            out.push_str(&clock(caps)?);
        } else {
            out.push_str(&group(name, caps, cx.lexicon)?);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// "7:15 p.m." as `19:15`.
fn clock(caps: &Captures<'_>) -> Option<String> {
    let mut hour: u32 = caps.name("hour")?.as_str().parse().ok()?;
    let minute: u32 = caps
        .name("minute")
        .map_or(Some(0), |m| m.as_str().parse().ok())?;
    let pm = caps
        .name("ampm")
        .is_some_and(|m| m.as_str().to_ascii_lowercase().starts_with('p'));
    if hour > 12 && caps.name("ampm").is_some() || hour > 24 {
        return None;
    }
    if pm && hour < 12 {
        hour += 12;
    } else if !pm && hour == 12 {
        hour = 0;
    }
    Some(format!("{hour:02}:{minute:02}"))
}

fn compute(function: &Function, caps: &Captures<'_>, cx: &Context<'_>) -> Option<String> {
    let matched = cx
        .text
        .get(cx.start..cx.end)
        .unwrap_or("")
        .to_ascii_lowercase();
    match function {
        Function::Duration(default) => {
            let count = match caps.name("num") {
                Some(_) => group("num", caps, cx.lexicon)?,
                None => default.clone(),
            };
            let unit =
                group("unit", caps, cx.lexicon).or_else(|| group("unitly", caps, cx.lexicon))?;
            Some(duration(&count, &unit))
        }
        // Everything below is anchored on the DCT.
        _ if cx.dct.is_none() => None,
        Function::Date(unit, offset) => {
            let unit = fill(unit, caps, cx)?;
            let offset: i64 = fill(offset, caps, cx)?.replace("--", "").parse().ok()?;
            shifted(cx.dct?, &unit, offset)
        }
        Function::Weekday => {
            let wd: i8 = group("weekday", caps, cx.lexicon)?.parse().ok()?;
            let wd = Weekday::from_monday_one_offset(wd).ok()?;
            let direction = direction(&matched, cx);
            Some(weekday(cx.dct?, wd, direction)?.to_string())
        }
        Function::Weekend => {
            // The weekend's Saturday, like a weekday; written as its week.
            let saturday = weekday(cx.dct?, Weekday::Saturday, direction(&matched, cx))?;
            let week = saturday.iso_week_date();
            Some(format!("{:04}-W{:02}-WE", week.year(), week.week()))
        }
        Function::Month => {
            let month: i8 = group("month", caps, cx.lexicon)?.parse().ok()?;
            let dct = cx.dct?;
            let year = year_for(dct, (month, 1), (dct.month(), 1), direction(&matched, cx));
            Some(format!("{year:04}-{month:02}"))
        }
        Function::MonthDay => {
            let month: i8 = group("month", caps, cx.lexicon)?.parse().ok()?;
            let day: i8 = group("day", caps, cx.lexicon)
                .or_else(|| group("dayordinal", caps, cx.lexicon))?
                .parse()
                .ok()?;
            let dct = cx.dct?;
            let year = year_for(
                dct,
                (month, day),
                (dct.month(), dct.day()),
                direction(&matched, cx),
            );
            Date::new(year, month, day).ok().map(|d| d.to_string())
        }
        Function::Quarter(offset) => {
            let q = group("ordinal", caps, cx.lexicon)?;
            Some(format!("{:04}-Q{q}", i32::from(cx.dct?.year()) + offset))
        }
        Function::Season(offset) => {
            let season = group("season", caps, cx.lexicon)?;
            Some(format!(
                "{:04}-{season}",
                i32::from(cx.dct?.year()) + offset
            ))
        }
        Function::YearAgo => {
            // Earnings reports compare with the year-ago quarter.
            if cx.text.contains("quarter") {
                shifted(cx.dct?, "Q", -5)
            } else {
                shifted(cx.dct?, "Y", -1)
            }
        }
    }
}

/// Which way a weekday or a month without a year points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Back,
    Forward,
    /// "last Friday": strictly before the DCT.
    StrictlyBack,
    /// "next Friday": strictly after.
    StrictlyForward,
}

fn direction(matched: &str, cx: &Context<'_>) -> Direction {
    let first = matched.split_whitespace().next().unwrap_or("");
    match first {
        "last" | "previous" | "the" if matched.contains("previous") || first == "last" => {
            Direction::StrictlyBack
        }
        "next" => Direction::StrictlyForward,
        _ if matched.starts_with("this coming") || matched.contains("following") => {
            Direction::StrictlyForward
        }
        _ => match tense_at(cx.text, cx.start, cx.end) {
            Tense::Future => Direction::Forward,
            Tense::Past | Tense::Present => Direction::Back,
        },
    }
}

/// The date of weekday `wd` relative to `dct`: the DCT itself when it is
/// that weekday (news says "Friday" of the day it is published), else the
/// one before or after.
fn weekday(dct: Date, wd: Weekday, direction: Direction) -> Option<Date> {
    let diff = i64::from(wd.to_monday_one_offset() - dct.weekday().to_monday_one_offset());
    let days = match direction {
        Direction::Back => -((-diff).rem_euclid(7)),
        Direction::Forward => diff.rem_euclid(7),
        Direction::StrictlyBack => -((-diff - 1).rem_euclid(7) + 1),
        Direction::StrictlyForward => (diff - 1).rem_euclid(7) + 1,
    };
    dct.checked_add(days.days()).ok()
}

/// The year of a (month, day) said without one. "last" and "next" point
/// strictly before or after the DCT; otherwise news names dates close to
/// the day it is written, so the nearest occurrence wins (within half a
/// year), the tense deciding only a tie.
fn year_for(dct: Date, md: (i8, i8), dct_md: (i8, i8), direction: Direction) -> i16 {
    let year = dct.year();
    match direction {
        Direction::StrictlyBack if md >= dct_md => year - 1,
        Direction::StrictlyForward if md <= dct_md => year + 1,
        Direction::StrictlyBack | Direction::StrictlyForward => year,
        Direction::Back | Direction::Forward => {
            let days = |(m, d): (i8, i8)| i32::from(m) * 31 + i32::from(d);
            let diff = days(md) - days(dct_md);
            let half = 6 * 31;
            if diff > half || (diff == half && direction == Direction::Back) {
                year - 1
            } else if -diff > half || (-diff == half && direction == Direction::Forward) {
                year + 1
            } else {
                year
            }
        }
    }
}

/// `P3D`, `PT2H`, `P20Y` for two decades, `PXY` for "several years".
fn duration(count: &str, unit: &str) -> String {
    let scaled = |factor: u32, code: &str| match count.parse::<u32>() {
        Ok(n) => format!("P{}{code}", n * factor),
        Err(_) => format!("P{count}{code}"),
    };
    match unit {
        "H" | "MIN" | "S" => {
            let code = if unit == "MIN" { "M" } else { unit };
            format!("PT{count}{code}")
        }
        "E" => scaled(10, "Y"),
        "C" => scaled(100, "Y"),
        "L" => scaled(1000, "Y"),
        "Q" => scaled(3, "M"),
        _ => format!("P{count}{unit}"),
    }
}

/// The DCT moved by `offset` units, written at that unit's granularity.
fn shifted(dct: Date, unit: &str, offset: i64) -> Option<String> {
    match unit {
        "D" | "H" | "MIN" | "S" => Some(dct.checked_add(offset.days()).ok()?.to_string()),
        "W" => {
            let week = dct.checked_add((offset * 7).days()).ok()?.iso_week_date();
            Some(format!("{:04}-W{:02}", week.year(), week.week()))
        }
        "M" => {
            let d = dct.first_of_month().checked_add(offset.months()).ok()?;
            Some(format!("{:04}-{:02}", d.year(), d.month()))
        }
        "Q" => {
            let index = i64::from(dct.year()) * 4 + i64::from((dct.month() - 1) / 3) + offset;
            Some(format!(
                "{:04}-Q{}",
                index.div_euclid(4),
                index.rem_euclid(4) + 1
            ))
        }
        "Y" => Some(format!("{:04}", i64::from(dct.year()) + offset)),
        "E" => Some(format!(
            "{:03}",
            (i64::from(dct.year()) + offset * 10).div_euclid(10)
        )),
        "C" => Some(format!(
            "{:02}",
            (i64::from(dct.year()) + offset * 100).div_euclid(100)
        )),
        _ => None,
    }
}
