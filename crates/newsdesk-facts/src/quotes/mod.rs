//! Direct quotes and who said them.
//!
//! A quote is text between double quote marks (straight `"…"`, curly
//! `“…”`, or TeX-style ``` ``…'' ```) of four words or more. Its speaker is
//! read from the attribution next to it in the same sentence: "…," X said;
//! "…," said X; X said: "…"; X told the BBC "…"; "…", according to X. A
//! name is a run of capitalised words (titles such as "President" or
//! "spokesman" are kept apart as the role); a pronoun or a bare title
//! ("he", "the spokesman") is resolved to the nearest person named before
//! the quote when the caller knows the persons (`names`), else the speaker
//! stays unknown — never guessed. A quote split by its attribution
//! ("We want…," he said, "and …") is two quotes with one speaker.
//!
//! Reported speech ("Blinken said the embassy was being moved") is kept as
//! a paraphrase (`QuoteKind::Paraphrase`) by [`paraphrases`], only where
//! the speaker is a person or organisation the caller found.
//!
//! The reading is split by what it finds: `marks` (where quotes are and
//! the sentence around them), `attribution` (the speech verb and the
//! speaker phrase next to a quote), `speaker` (who the phrase or the names
//! around it say spoke) and `paraphrase` (reported speech).

mod attribution;
mod marks;
mod paraphrase;
mod speaker;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::speakers::Named;
use attribution::{attribution_after, attribution_before, verb_within};
use marks::{next_quote, sentence_after, sentence_before};
pub use paraphrase::paraphrases;
use speaker::{antecedent_window, named_after, named_before, resolve, speaking};

/// Whether a quote is the speaker's own words or reported speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// Words between quote marks.
    Direct,
    /// Indirect speech: what someone said, in the outlet's words.
    Paraphrase,
}

/// One quote, direct or reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The quoted words, without the quote marks (for a paraphrase: the
    /// reported clause, without "that" and the final stop).
    pub text: String,
    /// Direct quote or paraphrase.
    pub kind: QuoteKind,
    /// Where the quoted words are (byte offsets into the text given).
    pub start: usize,
    /// One past their last byte.
    pub end: usize,
    /// Who said it, when the attribution names someone.
    pub speaker: Option<String>,
}

/// The direct quotes of `text`, speakers resolved against the persons of
/// `names` (named in the text, in any order) where the attribution is a
/// pronoun or title.
pub fn quotes(text: &str, names: &[Named<'_>]) -> Vec<Quote> {
    let people: Vec<&Named<'_>> = names.iter().filter(|n| n.is_person()).collect();
    let speaking = speaking(text, names);
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(marks) = next_quote(text, at) {
        at = marks.3;
        out.extend(quote_at(text, marks, &people, &speaking));
    }
    out
}

/// The quote between the marks found at (opening mark, inner start, inner
/// end, after the closing mark), with its speaker; `None` when it is under
/// four words.
fn quote_at(
    text: &str,
    (open, inner_start, inner_end, close): (usize, usize, usize, usize),
    people: &[&Named<'_>],
    speaking: &[&Named<'_>],
) -> Option<Quote> {
    let inner = &text[inner_start..inner_end];
    // Four words or more ("&" is not a word).
    if inner
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
        < 4
    {
        return None;
    }
    // The attribution before a quote starts after the previous quote
    // ("…," he said, "…": the second part's "he said").
    let before = sentence_before(text, open);
    let before = before
        .rfind(['"', '\u{201d}'])
        .and_then(|i| before.get(i + 1..))
        .unwrap_or(before);
    let after = sentence_after(text, close);
    // After a quote that ends its sentence ("….” The president's
    // comments came after the Pentagon announced …), what follows is a
    // new sentence unless its verb comes at once ("….” Mujahid said).
    let ends_sentence = inner.trim_end().ends_with(['.', '!', '?']);
    let after = if ends_sentence && !verb_within(after, 4) {
        ""
    } else {
        after
    };
    // A person the caller found inside the attribution is the speaker
    // (after the quote first, then before it); else the attribution's own
    // words, resolved.
    let speaker = named_after(close, after, people)
        .or(named_before(text, open, before, people))
        .map(|p| p.name.to_string())
        .or_else(|| {
            attribution_after(after)
                .or_else(|| attribution_before(before))
                .and_then(|s| resolve(s, open, antecedent_window(text, open), people, speaking))
        });
    Some(Quote {
        text: inner.trim().to_string(),
        kind: QuoteKind::Direct,
        start: inner_start,
        end: inner_end,
        speaker,
    })
}
