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

mod antecedent;
mod attribution;
mod marks;
mod paraphrase;
mod speaker;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::speakers::Named;
use antecedent::Genders;
use attribution::{attribution_after, attribution_before, verb_within};
use marks::{sentence_after, sentence_before, Marks};
pub use paraphrase::paraphrases;
use speaker::{named_after, named_before, resolve, speaking, Context};

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
/// `names` (named in the text, in any order), by sieves run over all
/// quotes in turn, surest first:
///
/// 1. the attribution next to the quote names its speaker ("…," X said;
///    "…," said X; X said: "…"; X, the spokesman, told …: "…");
/// 2. a pronoun or title there ("…," she said) is resolved to a person of
///    a compatible gender named in the sentences before
///    ([`antecedent`]), an "it" to the organisation last named saying
///    something;
/// 3. a quote with no attribution of its own continues a speaker's: the
///    other quotes of its paragraph, or the quote that ends the paragraph
///    before when it opens its own.
///
/// What no sieve names stays unknown.
pub fn quotes(text: &str, names: &[Named<'_>]) -> Vec<Quote> {
    let people: Vec<&Named<'_>> = names.iter().filter(|n| n.is_person()).collect();
    let speaking = speaking(text, names);
    let genders = Genders::of(text, &people);
    // Sieve 1: the attribution next to each quote.
    // A quote under four words is kept only when it is an utterance with
    // an attribution of its own ("Elections matter," Kelly said): the
    // rest are scare quotes, titles and words quoted inside a paraphrase.
    let mut found: Vec<(Marks, Said)> = marks::quotes(text)
        .into_iter()
        .map(|m| (m, attribution(text, &m, &people)))
        .filter(|(m, said)| long_enough(text, m) || (*said != Said::Nothing && utterance(text, m)))
        .collect();
    // Sieve 2: pronouns and titles, in text order, knowing who spoke
    // before.
    let mut spoke: Vec<(usize, String)> = Vec::new();
    for (m, said) in &mut found {
        if let Said::Phrase(phrase) = said {
            let resolved = resolve(
                phrase,
                m.open,
                &Context {
                    text,
                    people: &people,
                    speaking: &speaking,
                    genders: &genders,
                    spoke: &spoke,
                },
            );
            *said = match resolved {
                Some(name) => Said::Name(name),
                None => Said::Unknown,
            };
        }
        if let Said::Name(name) = said {
            spoke.push((m.open, name.clone()));
        }
    }
    // Sieve 3: quotes without an attribution continue a speaker's.
    let speakers = continued(text, &found);
    found
        .into_iter()
        .zip(speakers)
        .map(|((m, _), speaker)| Quote {
            text: quoted_words(text, &m),
            kind: QuoteKind::Direct,
            start: m.inner_start,
            end: m.inner_end,
            speaker,
        })
        .collect()
}

/// What the attribution next to a quote says of its speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Said {
    /// No attribution: nothing next to the quote says who said it.
    Nothing,
    /// A name.
    Name(String),
    /// A pronoun, a title or another phrase still to resolve.
    Phrase(String),
    /// An attribution that names nobody the article knows.
    Unknown,
}

/// Whether the quoted words are four words or more ("&" is not a word).
fn long_enough(text: &str, m: &Marks) -> bool {
    text.get(m.inner_start..m.inner_end).is_some_and(|inner| {
        inner
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
            >= 4
    })
}

/// Whether the quoted words are said in full: they open with a capital
/// and close with a stop or comma inside the marks ("Judge," "No way!").
fn utterance(text: &str, m: &Marks) -> bool {
    let inner = text.get(m.inner_start..m.inner_end).unwrap_or("").trim();
    inner.starts_with(char::is_uppercase) && inner.ends_with([',', '.', '!', '?'])
}

/// The quoted words, trimmed; for a quote continued over paragraphs,
/// without the marks that open each continuing paragraph.
fn quoted_words(text: &str, m: &Marks) -> String {
    let inner = text.get(m.inner_start..m.inner_end).unwrap_or("");
    if !m.continued {
        return inner.trim().to_string();
    }
    inner
        .split('\n')
        .map(|line| {
            line.trim()
                .trim_start_matches(['"', '\u{201c}', '\u{201e}', '\u{ab}'])
        })
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Sieve 1: the attribution in the quote's sentence, before or after it.
fn attribution(text: &str, m: &Marks, people: &[&Named<'_>]) -> Said {
    let inner = text.get(m.inner_start..m.inner_end).unwrap_or("");
    // The attribution before a quote starts after the previous quote
    // ("…," he said, "…": the second part's "he said").
    let before = sentence_before(text, m.open);
    let before = before
        .rfind(['"', '\u{201d}'])
        .and_then(|i| before.get(i + 1..))
        .unwrap_or(before);
    let after = sentence_after(text, m.close);
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
    // words.
    if let Some(p) =
        named_after(text, m.close, after, people).or(named_before(text, m.open, before, people))
    {
        return Said::Name(p.name.to_string());
    }
    match attribution_after(after).or_else(|| attribution_before(before)) {
        Some(phrase) => Said::Phrase(phrase),
        None => Said::Nothing,
    }
}

/// Sieve 3: each quote's speaker, a quote without an attribution taking
/// the speaker of the quote before it in its paragraph (else the one
/// after), or, when it opens its paragraph, of the quote that ends the
/// paragraph before.
fn continued(text: &str, found: &[(Marks, Said)]) -> Vec<Option<String>> {
    let paragraph_of = |at: usize| {
        text.get(..at)
            .map_or(0, |h| h.rfind('\n').map_or(0, |i| i + 1))
    };
    let named = |said: &Said| match said {
        Said::Name(n) => Some(n.clone()),
        _ => None,
    };
    let mut out: Vec<Option<String>> = found.iter().map(|(_, s)| named(s)).collect();
    for i in 0..found.len() {
        let (m, said) = &found[i];
        if *said != Said::Nothing {
            continue;
        }
        let paragraph = paragraph_of(m.open);
        let same = |j: &usize| paragraph_of(found[*j].0.open) == paragraph;
        let before = (0..i)
            .rev()
            .take_while(same)
            .find_map(|j| named(&found[j].1));
        let after = || {
            (i + 1..found.len())
                .take_while(same)
                .find_map(|j| named(&found[j].1))
        };
        let opens_paragraph = text
            .get(paragraph..m.open)
            .is_some_and(|gap| gap.trim().is_empty());
        let previous = || {
            // The quote before, ending the paragraph right before: nothing
            // after it there but its attribution.
            let j = i.checked_sub(1)?;
            let between = text.get(found[j].0.close..m.open)?;
            let (rest, gap) = between.split_once('\n')?;
            let rest = rest.trim().trim_end_matches(['.', '!', '?']);
            let one_clause = !rest.contains(". ") && !rest.contains("? ") && !rest.contains("! ");
            (gap.trim().is_empty() && one_clause)
                .then(|| out[j].clone())
                .flatten()
        };
        let speaker =
            before
                .or_else(after)
                .or_else(|| if opens_paragraph { previous() } else { None });
        out[i] = speaker;
    }
    out
}
