//! What stands around a figure: the modifier before it ("at least",
//! "about") and the noun phrase it counts after it ("U.S. troops"), read by
//! a small chunker that stops at the first word that cannot be part of the
//! phrase.

use super::number::digits;
use super::tokens::Token;

word_list! {
    /// Modifiers that may stand before a figure ("at least", "about").
    fn modifiers = "modifiers.txt";
}

word_list! {
    /// Words that end a counted noun phrase (prepositions, verbs of
    /// reporting, conjunctions, determiners).
    pub(super) fn phrase_stops = "phrase_stops.txt";
}

/// The modifier written right before a number starting at `start` (the
/// longest that matches), lower case.
pub(super) fn modifier_before(text: &str, start: usize) -> Option<String> {
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
pub(super) fn counted_after(text: &str, toks: &[Token<'_>], mut k: usize) -> String {
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
