//! Numbers that are not figures: years, ordinals and "No. 5"; clock
//! times ("11:43", "2243 GMT", "9 p.m."); durations ("three weeks", "24 to
//! 48 hours"); numbers glued to letters ("G-20", "F-16") and numbers that
//! are part of a name ("Channel 2", "the Three Percenters").

use super::number::{digits, word_value};
use super::tokens::Token;

/// Whether a digit token is a year, an ordinal or a clock time, not a
/// figure.
pub(super) fn not_a_figure(token: &str, before: Option<&str>, after: Option<&str>) -> bool {
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

word_list! {
    /// Units of time, singular: a number counting them is a duration, not
    /// a figure.
    fn time_units = "time_units.txt";
}

word_list! {
    /// Capitalised words after which a number is not part of a name
    /// (months, modifiers, determiners, prepositions), lower case.
    fn not_name_words = "not_name_words.txt";
}

/// Whether a word (singular or plural) is a unit of time.
pub(super) fn is_time_unit(word: &str) -> bool {
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
pub(super) fn duration_after(toks: &[Token<'_>], k: usize) -> bool {
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

/// Whether the number is part of a clock time: "11 : 43", "2243 GMT",
/// "9 p.m.".
pub(super) fn clock(text: &str, t: &Token<'_>) -> bool {
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

/// Whether a number is part of a name: right after a capitalised word in
/// the middle of a sentence ("Channel 2", "Flight 990", "Apollo 13"),
/// not after a month, a weekday or a modifier; or a number word written
/// capitalised before a capitalised word ("The Three Percenters").
pub(super) fn in_a_name(text: &str, toks: &[Token<'_>], i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).and_then(|b| toks.get(b)) else {
        return false;
    };
    capitalised_number_word(text, toks, i) || numbered_name(text, prev, &toks[i])
}

/// Whether the token at `start` opens a sentence (the first word of a
/// sentence is capitalised anyway).
fn starts_sentence(text: &str, start: usize) -> bool {
    let head = text.get(..start).unwrap_or("").trim_end();
    head.is_empty() || head.ends_with(['.', '!', '?', '\n', ':', '"'])
}

/// A number word written capitalised inside a sentence and followed by a
/// capitalised word: "The Three Percenters", "the Four Seasons".
fn capitalised_number_word(text: &str, toks: &[Token<'_>], i: usize) -> bool {
    let t = &toks[i];
    let capital = |w: &str| w.starts_with(|c: char| c.is_ascii_uppercase());
    word_value(t.text).is_some()
        && capital(t.text)
        && !starts_sentence(text, t.start)
        && toks
            .get(i + 1)
            .is_some_and(|n| capital(n.text) && text.get(t.end..n.start) == Some(" "))
}

/// A plain number of up to four digits right after a capitalised word
/// (not opening the sentence, not a month, weekday or modifier): "Channel
/// 2", "Flight 990".
fn numbered_name(text: &str, prev: &Token<'_>, t: &Token<'_>) -> bool {
    let plain = t.text.chars().all(|c| c.is_ascii_digit()) && t.text.len() <= 4;
    let gap = text.get(prev.end..t.start).unwrap_or("x");
    let capitalised = prev.text.len() >= 3
        && prev.text.starts_with(|c: char| c.is_ascii_uppercase())
        && prev.text.chars().skip(1).all(|c| c.is_ascii_lowercase());
    let word = prev.text.to_ascii_lowercase();
    plain
        && gap == " "
        && capitalised
        && !starts_sentence(text, prev.start)
        && !not_name_words().contains(&word.as_str())
        && !crate::weekdays().contains(&word.as_str())
}

/// Whether the number is glued to letters by a hyphen ("G-20", "F-16",
/// "COVID-19"), i.e. part of a name.
pub(super) fn glued_to_letters(text: &str, t: &Token<'_>) -> bool {
    let before = text.get(..t.start).unwrap_or("");
    t.text.contains('-')
        && t.text.starts_with(|c: char| c.is_ascii_alphabetic())
        && word_value(t.text).is_none()
        || before.ends_with('-')
            && before
                .trim_end_matches('-')
                .ends_with(|c: char| c.is_ascii_alphabetic())
}
