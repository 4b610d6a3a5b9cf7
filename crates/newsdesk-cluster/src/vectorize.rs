//! Turning a document into weighted terms.

use std::collections::BTreeMap;

use newsdesk_extract::names::name_terms;
use newsdesk_model::Document;
use newsdesk_text::words::{terms, Stemmer};

/// Prefix that keeps name-like terms apart from word stems in the
/// vocabulary ("n:kabul" next to the stem "kabul").
pub(crate) const NAME_PREFIX: &str = "n:";

/// The raw term counts of a document: stems of the title (counted
/// `title_weight` times) and of its headings and sentences, plus name-like
/// terms (each counted once per appearance in title or body).
pub(crate) fn term_counts(
    doc: &Document,
    stemmer: &Stemmer,
    title_weight: f64,
) -> BTreeMap<String, f64> {
    let mut counts: BTreeMap<String, f64> = BTreeMap::new();
    let title = document_title(doc);
    if let Some(title) = title {
        for term in terms(title, stemmer) {
            *counts.entry(term).or_default() += title_weight;
        }
    }
    let body: Vec<&str> = doc.headings().chain(doc.sentence_texts()).collect();
    for text in &body {
        for term in terms(text, stemmer) {
            *counts.entry(term).or_default() += 1.0;
        }
    }
    let mut name_input: Vec<&str> = Vec::with_capacity(body.len() + 1);
    if let Some(title) = title {
        name_input.push(title);
    }
    name_input.extend(body.iter().copied());
    for name in name_terms(&name_input) {
        *counts.entry(format!("{NAME_PREFIX}{name}")).or_default() += 1.0;
    }
    counts
}

fn document_title(doc: &Document) -> Option<&str> {
    doc.article
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
}

/// The `n` most characteristic word stems of some documents: summed
/// sublinear term frequency, for a quick "what is this about" line. Name
/// terms are left out; ties are broken alphabetically.
pub fn top_terms(docs: &[&Document], n: usize) -> Vec<String> {
    let stemmer = Stemmer::new();
    let mut totals: BTreeMap<String, f64> = BTreeMap::new();
    for doc in docs {
        for (term, count) in term_counts(doc, &stemmer, 1.0) {
            if term.starts_with(NAME_PREFIX) || term.chars().all(|c| !c.is_alphabetic()) {
                continue;
            }
            *totals.entry(term).or_default() += 1.0 + count.ln();
        }
    }
    let mut ranked: Vec<(String, f64)> = totals.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.into_iter().take(n).map(|(t, _)| t).collect()
}
