//! What a document is about, as terms: the word stems and name-like terms
//! that clustering weighs, and a story's most characteristic stems.
//!
//! [`name_terms`] finds runs of capitalised words ("Ashraf Ghani", "Bank
//! of England") and numbers ("5,000"); [`document_terms`] counts a
//! document's word stems (or, for a language without a stemmer, its
//! entity-like words); [`top_terms`] ranks a few documents' stems for a
//! quick "what is this about" line.
//!
//! ```
//! use newsdesk_text::terms::name_terms;
//!
//! let names = name_terms(&["Officials said Ashraf Ghani left Kabul with 3,000 troops."]);
//! assert_eq!(names, ["ashraf ghani", "kabul", "3,000"]);
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use newsdesk_model::Document;

use crate::normalize::normalize;
use crate::words::{is_stop_word, lowercase, terms, words, Stemmer};

/// Lowercased name-like terms of some sentences, in order of first
/// appearance, each once: runs of capitalised words (joined by single
/// spaces; short lowercase joiners such as "of" inside a run are kept, as in
/// "Bank of England") and numbers containing a digit.
pub fn name_terms(sentences: &[&str]) -> Vec<String> {
    // Capitalised words seen anywhere but at a sentence start: a sentence's
    // first word only counts as part of a name when it is one of these.
    let mut inner_capitalised: BTreeSet<String> = BTreeSet::new();
    for sentence in sentences {
        for (i, (_, word)) in words(sentence).enumerate() {
            if i > 0 && is_capitalised(word) {
                inner_capitalised.insert(lowercase(word));
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut push = |term: String, out: &mut Vec<String>| {
        if !term.is_empty() && seen.insert(term.clone()) {
            out.push(term);
        }
    };
    for sentence in sentences {
        let tokens: Vec<(usize, &str)> = words(sentence).map(|(span, w)| (span.start, w)).collect();
        let mut run: Vec<&str> = Vec::new();
        let mut pending_joiners: Vec<&str> = Vec::new();
        for (i, &(_, word)) in tokens.iter().enumerate() {
            if word.chars().any(|c| c.is_ascii_digit()) {
                flush(&mut run, &mut pending_joiners, &mut out, &mut push);
                push(word.to_string(), &mut out);
                continue;
            }
            let lower = lowercase(word);
            let starts_sentence = i == 0;
            let capitalised = is_capitalised(word)
                && (!starts_sentence || inner_capitalised.contains(&lower))
                && (!run.is_empty() || !is_stop_word(&lower));
            if capitalised {
                run.append(&mut pending_joiners);
                run.push(word);
            } else if !run.is_empty() && is_joiner(&lower) && pending_joiners.is_empty() {
                pending_joiners.push(word);
            } else {
                flush(&mut run, &mut pending_joiners, &mut out, &mut push);
            }
        }
        flush(&mut run, &mut pending_joiners, &mut out, &mut push);
    }
    out
}

fn flush(
    run: &mut Vec<&str>,
    pending_joiners: &mut Vec<&str>,
    out: &mut Vec<String>,
    push: &mut impl FnMut(String, &mut Vec<String>),
) {
    pending_joiners.clear();
    if !run.is_empty() {
        push(lowercase(&run.join(" ")), out);
        run.clear();
    }
}

/// Lowercase words that may stand inside a name ("Bank of England").
fn is_joiner(lower: &str) -> bool {
    matches!(
        lower,
        "of" | "de" | "al" | "el" | "bin" | "van" | "von" | "la" | "du"
    )
}

/// The word terms of a document with their counts: stems of the title
/// (counted `title_weight` times) and of its headings and sentences.
///
/// A document in a language the text stage cannot analyse
/// ([`Document::analysable`] is false) has no English stems: its words
/// would be stemmed and stopped as if they were English, which matches
/// unrelated articles on noise ("die", "der", "le"). It is counted by its
/// entity-like words instead (capitalised words, lowercased and unstemmed;
/// a sentence's first word only when it is capitalised elsewhere too) and
/// its numbers.
pub fn document_terms(
    doc: &Document,
    stemmer: &Stemmer,
    title_weight: f64,
) -> BTreeMap<String, f64> {
    let title = document_title(doc).map(normalize);
    let body: Vec<Cow<'_, str>> = doc
        .headings()
        .chain(doc.sentence_texts())
        .map(normalize)
        .collect();
    document_terms_of(
        doc.analysable(),
        title.as_deref(),
        &body,
        stemmer,
        title_weight,
    )
}

/// [`document_terms`] of a document whose normalised title and body
/// (headings and sentences) are at hand.
pub fn document_terms_of(
    analysable: bool,
    title: Option<&str>,
    body: &[Cow<'_, str>],
    stemmer: &Stemmer,
    title_weight: f64,
) -> BTreeMap<String, f64> {
    let mut counts: BTreeMap<String, f64> = BTreeMap::new();
    if analysable {
        if let Some(title) = title {
            for term in terms(title, stemmer) {
                *counts.entry(term).or_default() += title_weight;
            }
        }
        for text in body {
            for term in terms(text, stemmer) {
                *counts.entry(term).or_default() += 1.0;
            }
        }
    } else {
        let all: Vec<&str> = title
            .into_iter()
            .chain(body.iter().map(|t| t.as_ref()))
            .collect();
        let capitalised_inside = capitalised_inside(&all);
        if let Some(title) = title {
            for term in entity_terms(title, &capitalised_inside) {
                *counts.entry(term).or_default() += title_weight;
            }
        }
        for text in body {
            for term in entity_terms(text, &capitalised_inside) {
                *counts.entry(term).or_default() += 1.0;
            }
        }
    }
    counts
}

/// The terms of a document's title as [`document_terms`] counts them,
/// sorted, each once.
pub fn title_terms(doc: &Document, stemmer: &Stemmer) -> Vec<String> {
    let Some(title) = document_title(doc).map(normalize) else {
        return Vec::new();
    };
    let mut found: Vec<String> = if doc.analysable() {
        terms(&title, stemmer)
    } else {
        let inside = capitalised_inside(&[title.as_ref()]);
        entity_terms(&title, &inside).collect()
    };
    found.sort_unstable();
    found.dedup();
    found
}

/// The `n` most characteristic word stems of some documents: summed
/// sublinear term frequency, for a quick "what is this about" line. Terms
/// without a letter are left out; ties are broken alphabetically.
pub fn top_terms(docs: &[&Document], n: usize) -> Vec<String> {
    let stemmer = Stemmer::new();
    let mut totals: BTreeMap<String, f64> = BTreeMap::new();
    for doc in docs {
        for (term, count) in document_terms(doc, &stemmer, 1.0) {
            if term.chars().all(|c| !c.is_alphabetic()) {
                continue;
            }
            *totals.entry(term).or_default() += 1.0 + count.ln();
        }
    }
    let mut ranked: Vec<(String, f64)> = totals.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.into_iter().take(n).map(|(t, _)| t).collect()
}

/// A document's title, when it has one that is not blank.
fn document_title(doc: &Document) -> Option<&str> {
    doc.article
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
}

/// The lowercased words that are capitalised somewhere other than at the
/// start of a text: only these count as entity-like at a sentence start.
fn capitalised_inside(texts: &[&str]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for text in texts {
        for (_, word) in words(text).skip(1) {
            if is_capitalised(word) {
                found.insert(lowercase(word));
            }
        }
    }
    found
}

/// The entity-like terms of `text` for a language without a stemmer: its
/// numbers, and its capitalised words, lowercased (the first word only
/// when it is in `capitalised_inside`).
fn entity_terms<'a>(
    text: &'a str,
    capitalised_inside: &'a BTreeSet<String>,
) -> impl Iterator<Item = String> + 'a {
    words(text).enumerate().filter_map(|(i, (_, word))| {
        if word.chars().any(|c| c.is_ascii_digit()) {
            return Some(word.to_owned());
        }
        if !is_capitalised(word) {
            return None;
        }
        let lower = lowercase(word);
        (i > 0 || capitalised_inside.contains(&lower)).then_some(lower)
    })
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_starts_are_not_names_unless_seen_inside() {
        let names = name_terms(&[
            "Floods hit Veldmoor on Monday.",
            "Veldmoor residents fled to the Bank of England branch.",
        ]);
        assert_eq!(names, ["veldmoor", "monday", "bank of england"]);
    }

    #[test]
    fn joiners_only_inside_runs() {
        assert_eq!(name_terms(&["It was of Note and of course."]), ["note"]);
        assert!(name_terms(&[""]).is_empty());
    }
}
