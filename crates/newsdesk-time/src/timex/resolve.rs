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
    /// The last calendar date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`) named
    /// before the expression, for anaphora ("that day").
    pub previous: Option<&'a str>,
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
        "yy" => {
            let n: u32 = number(raw, lexicon)?.parse().ok()?;
            (10..100).contains(&n).then(|| format!("{n:02}"))
        }
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
        // Anaphora are anchored on the text, not on the DCT.
        Function::Anaphor(unit, offset) => anaphor(cx.previous?, *unit, i64::from(*offset)),
        Function::Duration(default) => {
            let mut count = match caps.name("num") {
                Some(_) => group("num", caps, cx.lexicon)?,
                None => default.clone(),
            };
            // "a minute and a half", "two and a half years".
            if matched.contains("and a half") && count.chars().all(|c| c.is_ascii_digit()) {
                count.push_str(".5");
            }
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
            // "the previous Friday", "the following Monday" count from the
            // day the text last named, when it named one.
            let anchor = match cx.previous.and_then(|p| p.get(..10)?.parse::<Date>().ok()) {
                Some(day) if matched.starts_with("the ") => day,
                _ => cx.dct?,
            };
            Some(weekday(anchor, wd, direction)?.to_string())
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
            let dct = cx.dct?;
            let mut year = i32::from(dct.year()) + offset;
            // A quarter that has not begun by the DCT, told in the past or
            // present tense, is last year's ("the fourth quarter" in a
            // January earnings report).
            let current = (dct.month() - 1) / 3 + 1;
            if *offset == 0
                && q.parse::<i8>().is_ok_and(|q| q > current)
                && tense_at(cx.text, cx.start, cx.end) != Tense::Future
            {
                year -= 1;
            }
            Some(format!("{year:04}-Q{q}"))
        }
        Function::Season(offset) => {
            let season = group("season", caps, cx.lexicon)?;
            Some(format!(
                "{:04}-{season}",
                i32::from(cx.dct?.year()) + offset
            ))
        }
        Function::Holiday => {
            let code = group("holiday", caps, cx.lexicon)?;
            if let Some(year) = group("year", caps, cx.lexicon) {
                return holiday(&code, year.parse().ok()?).map(|d| d.to_string());
            }
            let dct = cx.dct?;
            let this = holiday(&code, dct.year())?;
            let year = year_for(
                dct,
                (this.month(), this.day()),
                (dct.month(), dct.day()),
                direction(&matched, cx),
            );
            holiday(&code, year).map(|d| d.to_string())
        }
        Function::WeekOf => {
            let day = if caps.name("holiday").is_some() {
                Function::Holiday
            } else {
                Function::MonthDay
            };
            let day: Date = compute(&day, caps, cx)?.parse().ok()?;
            let week = day.iso_week_date();
            Some(format!("{:04}-W{:02}", week.year(), week.week()))
        }
        Function::RefQuarter(years) => {
            let (year, q) = reference_quarter(cx.text, cx.dct?);
            match group("year", caps, cx.lexicon) {
                // "the 1988 period" beside "the first nine months" is
                // the year's part, written as the year.
                Some(named) if sentence_is_yearly(cx) => Some(named),
                Some(named) => Some(format!("{named}-Q{q}")),
                None => Some(format!("{:04}-Q{q}", year + years)),
            }
        }
        Function::YearAgo => {
            if year_ago_is_quarter(cx) {
                let (year, q) = reference_quarter(cx.text, cx.dct?);
                Some(format!("{:04}-Q{q}", year - 1))
            } else {
                shifted(cx.dct?, "Y", -1)
            }
        }
    }
}

/// The quarter an earnings report is about (year, quarter): the first
/// quarter the article names ("fiscal first quarter", "third-quarter
/// profit"), in the DCT's year unless it has not begun by then; else the
/// quarter before the DCT's. "The quarter" and "a year earlier" in such a
/// report refer to it, whatever the calendar says (fiscal years).
fn reference_quarter(text: &str, dct: Date) -> (i32, i32) {
    let current = i32::from((dct.month() - 1) / 3 + 1);
    let named = text
        .to_ascii_lowercase()
        .match_indices("quarter")
        .find_map(|(i, _)| {
            // "quarter", "quarters", not "quarterly".
            let after = text.get(i + "quarter".len()..)?;
            if after.starts_with(|c: char| c.is_ascii_alphabetic() && c != 's') {
                return None;
            }
            let before = text.get(..i)?.trim_end_matches(['-', ' ']);
            let before = before
                .strip_suffix("fiscal")
                .map_or(before, |b| b.trim_end_matches(['-', ' ']));
            let word = before
                .rsplit(|c: char| !c.is_ascii_alphanumeric())
                .next()?
                .to_ascii_lowercase();
            match word.as_str() {
                "first" | "1st" => Some(1),
                "second" | "2nd" => Some(2),
                "third" | "3rd" => Some(3),
                "fourth" | "4th" => Some(4),
                _ => None,
            }
        });
    match named {
        Some(q) if q > current => (i32::from(dct.year()) - 1, q),
        Some(q) => (i32::from(dct.year()), q),
        None if current == 1 => (i32::from(dct.year()) - 1, 4),
        None => (i32::from(dct.year()), current - 1),
    }
}

/// Whether "a year ago" compares with the year-ago quarter rather than the
/// year before. Earnings reports compare quarters, so the sentence decides
/// first ("for the nine months ... a year earlier" is about a year, "the
/// third quarter ... a year earlier" about a quarter), then the article.
fn year_ago_is_quarter(cx: &Context<'_>) -> bool {
    if sentence_is_yearly(cx) {
        return false;
    }
    let (s, e) = super::tense::sentence_around(cx.text, cx.start, cx.end);
    let sentence = cx.text.get(s..e).unwrap_or("").to_ascii_lowercase();
    sentence.contains("quarter") || cx.text.contains("quarter")
}

/// Whether the expression's sentence reports a year or a part of one
/// longer than a quarter ("for the nine months", "the full year").
fn sentence_is_yearly(cx: &Context<'_>) -> bool {
    let (s, e) = super::tense::sentence_around(cx.text, cx.start, cx.end);
    let sentence = cx.text.get(s..e).unwrap_or("").to_ascii_lowercase();
    const YEARLY: [&str; 6] = [
        "nine months",
        "six months",
        "first half",
        "full year",
        "fiscal year",
        "for the year",
    ];
    YEARLY.iter().any(|w| sentence.contains(w))
}

/// The date of holiday `code` (a `[holiday]` value of the lexicon) in
/// `year`: `MM-DD` for a fixed date, else a rule of the US calendar.
fn holiday(code: &str, year: i16) -> Option<Date> {
    let nth = |month: i8, nth: i8, wd: Weekday| {
        Date::new(year, month, 1)
            .ok()?
            .nth_weekday_of_month(nth, wd)
            .ok()
    };
    match code {
        "THANKSGIVING" => nth(11, 4, Weekday::Thursday),
        // The Tuesday after the first Monday of November.
        "ELECTION" => nth(11, 1, Weekday::Monday)?.checked_add(1.day()).ok(),
        "MEMORIAL" => nth(5, -1, Weekday::Monday),
        "LABOR" => nth(9, 1, Weekday::Monday),
        "MLK" => nth(1, 3, Weekday::Monday),
        "EASTER" => easter(year),
        "GOODFRIDAY" => easter(year)?.checked_sub(2.days()).ok(),
        fixed => {
            let (month, day) = fixed.split_once('-')?;
            Date::new(year, month.parse().ok()?, day.parse().ok()?).ok()
        }
    }
}

/// Easter Sunday of the Gregorian calendar (the anonymous computus,
/// Meeus/Jones/Butcher).
fn easter(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let (a, b, c) = (y % 19, y / 100, y % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// `previous` (a date the text named) at `unit`'s granularity moved by
/// `offset` units. When it is coarser than `unit`, the unknown fields
/// stay `XX` as TimeML writes them ("that same day" after "October 1998"
/// is `1998-10-XX`), and only without a shift: "the next day" after "in
/// 1998" has no value.
fn anaphor(previous: &str, unit: char, offset: i64) -> Option<String> {
    let year: i16 = previous.get(..4)?.parse().ok()?;
    if offset == 0 {
        let month = previous
            .get(5..7)
            .filter(|m| m.bytes().all(|b| b.is_ascii_digit()));
        match (unit, month) {
            ('M', None) => return Some(format!("{year:04}-XX")),
            ('D', None) => return Some(format!("{year:04}-XX-XX")),
            ('D', Some(m)) if previous.get(8..10).is_none() => {
                return Some(format!("{year:04}-{m}-XX"));
            }
            _ => {}
        }
    }
    match unit {
        'Y' => Some(format!("{:04}", i64::from(year) + offset)),
        'M' => {
            let month: i8 = previous.get(5..7)?.parse().ok()?;
            let d = Date::new(year, month, 1)
                .ok()?
                .checked_add(offset.months())
                .ok()?;
            Some(format!("{:04}-{:02}", d.year(), d.month()))
        }
        _ => {
            let date: Date = previous.get(..10)?.parse().ok()?;
            Some(date.checked_add(offset.days()).ok()?.to_string())
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
    /// A present-tense sentence: whichever is closer (a weekday looks back).
    Nearest,
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
        _ if preceded_by(cx, &["as soon as", "as early as", "starting", "beginning"]) => {
            Direction::Forward
        }
        // "postponed until Tuesday" looks ahead; a sentence opening
        // "Until Thursday, they had not ..." looks back.
        _ if preceded_by(cx, &["until"])
            && cx
                .text
                .get(..cx.start)
                .is_some_and(|b| b.trim_end().ends_with("until")) =>
        {
            Direction::Forward
        }
        _ if preceded_by(cx, &["since"]) => Direction::Back,
        // "the fiscal year ended Jan. 31": a period that ended lies before
        // the DCT.
        _ if preceded_by(cx, &["ended"]) => Direction::StrictlyBack,
        // A narrative opening "In January, the company ..." tells what
        // already happened, unless it speaks of the future.
        _ if opens_sentence_with_in(cx) && tense_at(cx.text, cx.start, cx.end) != Tense::Future => {
            Direction::StrictlyBack
        }
        // "Wednesday's ruling": a possessive names something that already
        // exists, whatever the sentence's tense.
        _ if followed_by_possessive(cx) => Direction::Back,
        _ => match tense_at(cx.text, cx.start, cx.end) {
            Tense::Future => Direction::Forward,
            Tense::Past => Direction::Back,
            Tense::Present => Direction::Nearest,
        },
    }
}

/// Whether the expression is a sentence's opening "In ...," ("In
/// January, American Medical brought in a new chief").
fn opens_sentence_with_in(cx: &Context<'_>) -> bool {
    let before = cx.text.get(..cx.start).unwrap_or("");
    let Some(rest) = before.strip_suffix("In ") else {
        return false;
    };
    let rest = rest.trim_end_matches([' ', '\t']);
    let opens = rest.is_empty() || rest.ends_with(['.', '!', '?', '\n', '"', '\'']);
    opens && cx.text.get(cx.end..).is_some_and(|a| a.starts_with(','))
}

/// Whether the expression is followed by a possessive "'s" ("Wednesday's").
fn followed_by_possessive(cx: &Context<'_>) -> bool {
    let after = cx.text.get(cx.end..).unwrap_or("");
    after
        .strip_prefix("'s")
        .or_else(|| after.strip_prefix("\u{2019}s"))
        .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
}

/// Whether the words just before an expression are one of `cues`; these
/// point it whatever the verb's tense: "as soon as Tuesday" ahead,
/// "since March" back.
fn preceded_by(cx: &Context<'_>, cues: &[&str]) -> bool {
    let before = cx.text.get(..cx.start).unwrap_or("").trim_end();
    let tail = before
        .get(before.len().saturating_sub(16)..)
        .unwrap_or("")
        .to_ascii_lowercase();
    cues.iter().any(|cue| {
        tail.strip_suffix(cue)
            .is_some_and(|rest| !rest.ends_with(|c: char| c.is_ascii_alphabetic()))
    })
}

/// The date of weekday `wd` relative to `dct`: the DCT itself when it is
/// that weekday (news says "Friday" of the day it is published), else the
/// one before or after.
fn weekday(dct: Date, wd: Weekday, direction: Direction) -> Option<Date> {
    let diff = i64::from(wd.to_monday_one_offset() - dct.weekday().to_monday_one_offset());
    let days = match direction {
        Direction::Back | Direction::Nearest => -((-diff).rem_euclid(7)),
        Direction::Forward => diff.rem_euclid(7),
        Direction::StrictlyBack => -((-diff - 1).rem_euclid(7) + 1),
        Direction::StrictlyForward => (diff - 1).rem_euclid(7) + 1,
    };
    dct.checked_add(days.days()).ok()
}

/// The year of a (month, day) said without one. "last" and "next" point
/// strictly before or after the DCT; otherwise news names dates close to
/// the day it is written, so the nearest occurrence wins, a past-tense
/// sentence leaning back (a date up to four months ahead is still this
/// year's) and a future one forward.
fn year_for(dct: Date, md: (i8, i8), dct_md: (i8, i8), direction: Direction) -> i16 {
    let year = dct.year();
    // How far ahead (in 31-day months) the date may lie and still be this
    // year's; beyond that it is last year's. A past-tense sentence still
    // names dates just ahead ("trading resumes Nov. 16", "by January"), so
    // the tense only shifts the half-year split of the nearest occurrence.
    let ahead = match direction {
        Direction::StrictlyBack if md >= dct_md => return year - 1,
        Direction::StrictlyForward if md <= dct_md => return year + 1,
        Direction::StrictlyBack | Direction::StrictlyForward => return year,
        Direction::Back => 4 * 31,
        Direction::Nearest => 6 * 31,
        Direction::Forward => 8 * 31,
    };
    let days = |(m, d): (i8, i8)| i32::from(m) * 31 + i32::from(d);
    let diff = days(md) - days(dct_md);
    // A future-tense sentence never names last year's date ("will fly a
    // mission in December", said in March).
    if diff > ahead && direction != Direction::Forward {
        year - 1
    } else if diff < ahead - 12 * 31 {
        year + 1
    } else {
        year
    }
}

/// `P3D`, `PT2H`, `P20Y` for two decades, `P2Q` for two quarters (as
/// HeidelTime and the TimeBank annotators write them), `PXY` for "several
/// years";
/// a half in the next smaller unit, as TimeML writes it (`P2Y6M`,
/// `PT5H30M`).
fn duration(count: &str, unit: &str) -> String {
    if let Some(whole) = count.strip_suffix(".5") {
        let half = match unit {
            "Y" => Some(("", "Y", "6M")),
            "D" => Some(("", "D", "T12H")),
            "H" => Some(("T", "H", "30M")),
            "MIN" => Some(("T", "M", "30S")),
            _ => None,
        };
        if let Some((t, code, rest)) = half {
            return format!("P{t}{whole}{code}{rest}");
        }
    }
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
