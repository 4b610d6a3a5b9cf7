//! The tagger's rules and word lists, read from the data files
//! `data/timex/lexicon.txt` and `data/timex/rules.txt` (compiled in).
//!
//! A rule's pattern refers to word lists as `{class}`; loading expands each
//! reference into a named capture group, so that the value template can ask
//! for the captured word's normalised value by the same name.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use regex::{Regex, RegexBuilder};

use super::TimexType;

/// The compiled-in word lists.
pub const LEXICON: &str = include_str!("../../data/timex/lexicon.txt");
/// The compiled-in rules.
pub const RULES: &str = include_str!("../../data/timex/rules.txt");

/// A rule file or word list that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// A line is not `TYPE | VALUE | PATTERN`, or names an unknown type.
    #[error("rules line {line}: {message}")]
    Syntax {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A pattern is not a valid regular expression once expanded.
    #[error("rules line {line}: bad pattern: {source}")]
    Pattern {
        /// 1-based line number.
        line: usize,
        /// The regex error.
        source: regex::Error,
    },
}

/// The word lists: for each class, each word (lowercase) with its value.
#[derive(Debug, Default)]
pub struct Lexicon {
    classes: BTreeMap<String, Vec<(String, String)>>,
}

impl Lexicon {
    /// Parses the `[class]` / `value: word, word` format.
    pub fn parse(text: &str) -> Lexicon {
        let mut lexicon = Lexicon::default();
        let mut class: Option<String> = None;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                class = Some(name.to_string());
                continue;
            }
            let (Some(class), Some((value, words))) = (&class, line.split_once(": ")) else {
                continue;
            };
            let entries = lexicon.classes.entry(class.clone()).or_default();
            for word in words.split(',') {
                let word = word.trim().to_lowercase();
                if !word.is_empty() {
                    entries.push((word, value.trim().to_string()));
                }
            }
        }
        lexicon
    }

    /// The value of `word` (any case, runs of white space as one space) in
    /// `class`.
    pub fn value(&self, class: &str, word: &str) -> Option<&str> {
        let key = normalise_word(word);
        self.classes
            .get(class)?
            .iter()
            .find(|(w, _)| *w == key)
            .map(|(_, v)| v.as_str())
    }

    /// The words of a class as a regex alternation, longest first so that
    /// "sept." wins over "sep"; a word ending in a letter must end a word.
    fn alternation(&self, class: &str) -> Option<String> {
        let mut words: Vec<&str> = self
            .classes
            .get(class)?
            .iter()
            .map(|(w, _)| w.as_str())
            .collect();
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        words.dedup();
        let mut out = String::new();
        for (i, word) in words.iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            out.push_str(&word_pattern(word));
        }
        Some(out)
    }
}

/// Lowercase with runs of white space as one space.
pub fn normalise_word(word: &str) -> String {
    word.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A literal word or phrase as a pattern: escaped, spaces as white space
/// runs, hyphens also matching a space, and a word boundary after a final
/// letter or digit.
fn word_pattern(word: &str) -> String {
    let mut out = String::new();
    for (i, part) in word.split(' ').enumerate() {
        if i > 0 {
            out.push_str(r"\s+");
        }
        let pieces: Vec<String> = part.split('-').map(regex::escape).collect();
        out.push_str(&pieces.join("[- ]"));
    }
    if word.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        out.push_str(r"(?-u:\b)");
    }
    out
}

/// A computed part of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Function {
    /// `@date(U,N)`: the DCT moved by N units U.
    Date(String, String),
    /// `@weekday`.
    Weekday,
    /// `@month`.
    Month,
    /// `@monthday`.
    MonthDay,
    /// `@quarter(N)`.
    Quarter(i32),
    /// `@season(N)`.
    Season(i32),
    /// `@yearago`.
    YearAgo,
    /// `@weekend`: the weekend resolved like a weekday.
    Weekend,
    /// `@dur(default count)`.
    Duration(String),
    /// `@refquarter(N)`: the quarter the article reports on, moved by N
    /// years.
    RefQuarter(i32),
    /// `@holiday`: the holiday {holiday} in {year} or the year the tense
    /// points to.
    Holiday,
    /// `@weekof`: the ISO week of the month-day or holiday captured ("the
    /// week of March 6", "Easter week").
    WeekOf,
    /// `@anaphor(U,N)`: the date the text last named ("that day", "the
    /// following year"), at U's granularity, moved by N units U.
    Anaphor(char, i32),
}

/// One rule: what it finds and how it normalises.
#[derive(Debug)]
pub struct Rule {
    /// Line in the rules file (for messages and tests).
    pub line: usize,
    /// TIMEX3 type.
    pub kind: TimexType,
    /// A negative rule (type `SKIP`): what it matches is not an expression
    /// ("a 6-year-old"), and no later rule may claim it.
    pub skip: bool,
    /// Computed head of the value, if any.
    pub function: Option<Function>,
    /// Literal rest of the value with `{class}` placeholders.
    pub template: String,
    /// The pattern, anchored at the start, with named groups.
    pub regex: Regex,
    /// What must come right after the match for the rule to apply
    /// (`PATTERN >> FOLLOW`), anchored; not part of the expression.
    pub follow: Option<Regex>,
}

impl Rule {
    /// Whether `after` (the text right after a match) allows this rule.
    pub fn allows(&self, after: &str) -> bool {
        self.follow.as_ref().is_none_or(|f| f.is_match(after))
    }
}

/// All rules and the combined scanner.
#[derive(Debug)]
pub struct RuleSet {
    /// The word lists.
    pub lexicon: Lexicon,
    /// The rules in priority order.
    pub rules: Vec<Rule>,
    /// Every rule as one alternation (in order, without names): finds the
    /// spans; the rule that produced a span is the first that matches there.
    pub scanner: Regex,
}

fn build(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .unicode(false)
        .size_limit(64 << 20)
        .dfa_size_limit(64 << 20)
        .build()
}

impl RuleSet {
    /// Parses and compiles rules against a lexicon.
    pub fn parse(rules: &str, lexicon: Lexicon) -> Result<RuleSet, RuleError> {
        let mut parsed = Vec::new();
        let mut alternatives: Vec<String> = Vec::new();
        for (index, raw) in rules.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let syntax = |message: &str| RuleError::Syntax {
                line,
                message: message.to_string(),
            };
            let mut parts = trimmed.splitn(3, " | ");
            let (Some(kind), Some(value), Some(pattern)) =
                (parts.next(), parts.next(), parts.next())
            else {
                return Err(syntax("expected `TYPE | VALUE | PATTERN`"));
            };
            let skip = kind.trim() == "SKIP";
            let kind = match kind.trim() {
                "DATE" | "SKIP" => TimexType::Date,
                "TIME" => TimexType::Time,
                "DURATION" => TimexType::Duration,
                "SET" => TimexType::Set,
                other => return Err(syntax(&format!("unknown type {other:?}"))),
            };
            let (function, template) = parse_value(value.trim()).map_err(|m| syntax(&m))?;
            let (pattern, follow) = match pattern.split_once(" >> ") {
                Some((pattern, follow)) => (pattern, Some(follow)),
                None => (pattern, None),
            };
            let named = expand(pattern.trim(), &lexicon, true).map_err(|m| syntax(&m))?;
            let plain = expand(pattern.trim(), &lexicon, false).map_err(|m| syntax(&m))?;
            let follow = match follow {
                Some(f) => {
                    let f = expand(f.trim(), &lexicon, false).map_err(|m| syntax(&m))?;
                    Some(
                        build(&format!(r"^\s*(?:{f})"))
                            .map_err(|source| RuleError::Pattern { line, source })?,
                    )
                }
                None => None,
            };
            let regex = build(&format!("^(?:{named}){END}"))
                .map_err(|source| RuleError::Pattern { line, source })?;
            alternatives.push(plain);
            parsed.push(Rule {
                line,
                kind,
                skip,
                function,
                template,
                regex,
                follow,
            });
        }
        let mut scanner = String::from(r"(?-u:\b)(?:");
        for (i, alternative) in alternatives.iter().enumerate() {
            if i > 0 {
                scanner.push('|');
            }
            let _ = write!(scanner, "(?:{alternative}){END}");
        }
        scanner.push(')');
        let scanner = build(&scanner).map_err(|source| RuleError::Pattern { line: 0, source })?;
        Ok(RuleSet {
            lexicon,
            rules: parsed,
            scanner,
        })
    }

    /// The compiled-in rules.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        RuleSet::parse(RULES, Lexicon::parse(LEXICON))
    }
}

fn parse_value(value: &str) -> Result<(Option<Function>, String), String> {
    let Some(rest) = value.strip_prefix('@') else {
        return Ok((None, value.to_string()));
    };
    let name_end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let (name, mut rest) = rest.split_at(name_end);
    let mut args: Vec<String> = Vec::new();
    if let Some(inner) = rest.strip_prefix('(') {
        let close = inner.find(')').ok_or("unclosed `(` in value")?;
        args = inner[..close]
            .split(',')
            .map(|a| a.trim().to_string())
            .collect();
        rest = &inner[close + 1..];
    }
    let template = rest.trim_start().to_string();
    let int = |i: usize| -> Result<i32, String> {
        args.get(i)
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| format!("@{name} needs a number argument"))
    };
    let function = match name {
        "date" if args.len() == 2 => Function::Date(args[0].clone(), args[1].clone()),
        "weekday" => Function::Weekday,
        "month" => Function::Month,
        "monthday" => Function::MonthDay,
        "quarter" => Function::Quarter(int(0)?),
        "season" => Function::Season(int(0)?),
        "yearago" => Function::YearAgo,
        "weekend" => Function::Weekend,
        "holiday" => Function::Holiday,
        "refquarter" => Function::RefQuarter(int(0)?),
        "weekof" => Function::WeekOf,
        "anaphor" => Function::Anaphor(
            args.first()
                .and_then(|u| u.chars().next())
                .filter(|u| matches!(u, 'D' | 'M' | 'Y'))
                .ok_or("@anaphor needs a unit D, M or Y")?,
            int(1)?,
        ),
        "dur" => Function::Duration(args.first().cloned().unwrap_or_else(|| "X".into())),
        _ => return Err(format!("unknown value function @{name}")),
    };
    Ok((Some(function), template))
}

/// Every match must end before a non-word character (or the end of the
/// text), so that "May" does not match in "Mayor" nor "September 20" in
/// "September 2020".
const END: &str = r"(?-u:\b{end-half})";

/// Modifiers before a date ("early", "mid-", "the end of").
const PRE: &str = r"(?:(?:early|late|mid|the end of|the beginning of|the start of|the middle of|the first half of|the second half of|the rest of|the remainder of|the turn of|the close of)(?:-|\s+))?";
/// Approximations before a count ("about", "more than").
const APPROX: &str = r"(?:(?:about|around|nearly|almost|more than|less than|at least|over|up to|some|roughly|only|just|within|no more than|fewer than|approximately|another|the)\s+)?";

/// Expands `{class}` references; with `named`, as named groups.
fn expand(pattern: &str, lexicon: &Lexicon, named: bool) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = pattern;
    let mut seen: Vec<String> = Vec::new();
    while let Some(open) = rest.find('{') {
        // `{2}`-style repetition counts stay as they are.
        let close = rest[open..].find('}').ok_or("unclosed `{` in pattern")? + open;
        let name = &rest[open + 1..close];
        out.push_str(&rest[..open].replace(' ', r"\s+"));
        rest = &rest[close + 1..];
        if name.chars().all(|c| c.is_ascii_digit() || c == ',') {
            let _ = write!(out, "{{{name}}}");
            continue;
        }
        let group = |group: &str, body: &str| {
            if named {
                format!("(?P<{group}>{body})")
            } else {
                format!("(?:{body})")
            }
        };
        let body = match name {
            "pre" => PRE.to_string(),
            "approx" => APPROX.to_string(),
            "year" => group("year", r"(?:1[5-9]|20)\d\d(?-u:\b)"),
            "day" => group("day", r"[0-3]?\d"),
            "isodate" => format!(
                "{}-{}-{}",
                group("year", r"(?:1[5-9]|20)\d\d"),
                group("month", r"[01]\d"),
                group("day", r"[0-3]\d")
            ),
            "decade" => group("decade", r"(?:1[5-9]|20)\d0'?s(?-u:\b)"),
            "clock" => {
                let hour = group("hour", r"[012]?\d");
                let minute = group("minute", r"[0-5]\d");
                let ampm = group("ampm", r"[ap]\.m\.|[ap]\.m|[ap]m(?-u:\b)");
                format!(r"{hour}(?::{minute})?\s*{ampm}(?:\s+(?:[ecmp][sd]t|gmt|utc)(?-u:\b))?")
            }
            "num" => {
                let words = lexicon.alternation("number").ok_or("no [number] class")?;
                let digits = r"\d+(?:\.\d+)?(?:\s+1/2)?";
                let compound = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four|five|six|seven|eight|nine)(?-u:\b)";
                group("num", &format!("{digits}|{compound}|{words}"))
            }
            // The last two digits of a year said in words ("nineteen
            // ninety-six").
            "yy" => group(
                "yy",
                r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?(?-u:\b)|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen",
            ),
            "plural" => group(
                "unit",
                r"(?:seconds|minutes|hours|days|weeks|months|quarters|years|decades|centuries)(?-u:\b)",
            ),
            "Month" => {
                // Case-sensitive: a lone "march" or "may" is a verb.
                let mut names: Vec<String> = lexicon
                    .classes
                    .get("month")
                    .ok_or("no [month] class")?
                    .iter()
                    .filter(|(w, _)| w.len() > 3)
                    .map(|(w, _)| {
                        let mut c = w.chars();
                        let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or(' ');
                        word_pattern(&format!("{first}{}", c.as_str()))
                    })
                    .collect();
                names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
                names.push(r"May(?-u:\b)".to_string());
                group("month", &format!("(?-i:{})", names.join("|")))
            }
            class => group(
                class,
                &lexicon
                    .alternation(class)
                    .ok_or_else(|| format!("unknown class {{{class}}}"))?,
            ),
        };
        if seen.iter().any(|s| s == name) && named {
            return Err(format!("{{{name}}} used twice in one pattern"));
        }
        seen.push(name.to_string());
        out.push_str(&body);
    }
    out.push_str(&rest.replace(' ', r"\s+"));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_compile() {
        let set = RuleSet::builtin().expect("built-in rules compile");
        assert!(set.rules.len() > 50);
        assert_eq!(set.lexicon.value("month", "Sept."), Some("09"));
        assert_eq!(set.lexicon.value("number", "a  couple of"), Some("2"));
    }

    #[test]
    fn bad_rules_are_errors_with_line_numbers() {
        let lexicon = || Lexicon::parse(LEXICON);
        let err = RuleSet::parse("DATE | x", lexicon()).expect_err("bad");
        assert!(err.to_string().starts_with("rules line 1"), "{err}");
        let err = RuleSet::parse("\nWHEN | x | y", lexicon()).expect_err("bad");
        assert!(err.to_string().contains("line 2"), "{err}");
        let err = RuleSet::parse("DATE | x | {nosuch}", lexicon()).expect_err("bad");
        assert!(err.to_string().contains("unknown class"), "{err}");
        let err = RuleSet::parse("DATE | @nosuch | x", lexicon()).expect_err("bad");
        assert!(err.to_string().contains("@nosuch"), "{err}");
    }
}
