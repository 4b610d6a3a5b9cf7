//! A near-duplicate benchmark made from any set of distinct articles: each
//! original gets edited copies of the kinds reprints show (a changed
//! headline and typography, an added paragraph, a cut ending), and every
//! article, original or copy, carries the same boilerplate paragraph, so
//! that different articles share some text without being copies.

use newsdesk_model::{Article, ArticleId};
use serde::Serialize;

/// One article of the benchmark and the truth about it.
#[derive(Debug, Clone)]
pub struct Case {
    /// The article as it would be ingested.
    pub article: Article,
    /// For a copy, the id of its original.
    pub original: Option<ArticleId>,
}

/// A paragraph every article ends with, as agencies append one to their
/// stories. Written for this benchmark.
const BOILERPLATE: &str = "This report was compiled by the newsdesk benchmark service from \
    wire copy and local correspondents. Readers who have information about this story can \
    contact the desk by telephone or by letter; corrections are published within two days.";

/// How the copies are made.
const KINDS: &[&str] = &["headline-and-quotes", "added-paragraph", "cut-ending"];

/// Builds the benchmark: the originals (in order, boilerplate appended),
/// then three copies of each. Articles whose text has fewer than four
/// sentence stops are left out (too short to copy meaningfully), and so
/// is any article that shares a fifth or more of its word 3-grams with an
/// earlier one (source sets hold copies of their own: the DUC 2004 pool
/// has several versions of some wire stories), keeping at most
/// [`MAX_ORIGINALS`].
pub fn edited_copies(originals: &[Article]) -> Vec<Case> {
    let originals = distinct(
        originals
            .iter()
            .filter(|a| a.text.matches(". ").count() >= 3),
    );
    let mut cases: Vec<Case> = originals
        .iter()
        .map(|a| Case {
            article: with_text(
                a,
                a.id.clone(),
                a.title.clone(),
                format!("{}\n{BOILERPLATE}", a.text),
            ),
            original: None,
        })
        .collect();
    for (i, original) in originals.iter().enumerate() {
        let sentences: Vec<&str> = original.text.split_inclusive(". ").collect();
        for (k, kind) in KINDS.iter().enumerate() {
            let text = match *kind {
                "headline-and-quotes" => original
                    .text
                    .replace('"', "\u{201d}")
                    .replace(" '", " \u{2018}"),
                "added-paragraph" => {
                    // Two sentences of another article, as an editor's
                    // local addition.
                    let other = originals[(i + 7) % originals.len()];
                    let extra: String = other.text.split_inclusive(". ").take(2).collect();
                    format!("{}\n{}", original.text, extra.trim())
                }
                _ => {
                    let keep = (sentences.len() * 7).div_ceil(10).max(1);
                    sentences[..keep].concat().trim().to_string()
                }
            };
            let title = original.title.as_ref().map(|t| format!("{t} ({kind})"));
            cases.push(Case {
                article: with_text(
                    original,
                    ArticleId(format!("{}-copy-{k}", original.id)),
                    title,
                    format!("{text}\n{BOILERPLATE}"),
                ),
                original: Some(original.id.clone()),
            });
        }
    }
    cases
}

/// The most originals a benchmark uses: the check that they are distinct
/// compares every pair.
pub const MAX_ORIGINALS: usize = 1500;

/// Originals that share under a fifth of their word 3-grams (Jaccard, on
/// lowercased alphanumeric words) with every earlier kept one.
fn distinct<'a>(articles: impl Iterator<Item = &'a Article>) -> Vec<&'a Article> {
    let mut kept: Vec<(&Article, Vec<u64>)> = Vec::new();
    for article in articles {
        if kept.len() >= MAX_ORIGINALS {
            break;
        }
        let grams = word_trigrams(&article.text);
        if kept.iter().all(|(_, other)| overlap(&grams, other) < 0.2) {
            kept.push((article, grams));
        }
    }
    kept.into_iter().map(|(a, _)| a).collect()
}

fn word_trigrams(text: &str) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut grams: Vec<u64> = words
        .windows(3)
        .map(|w| {
            // Only compared within one run, so the standard hasher's
            // stability across versions does not matter here.
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// Jaccard of two sorted sets. `newsdesk_cluster::duplicates` has its own:
/// the benchmark's ground truth is kept independent of the code it scores
/// (own tokenisation, own hashing, own comparison).
fn overlap(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        1.0
    } else {
        both as f64 / union as f64
    }
}

fn with_text(base: &Article, id: ArticleId, title: Option<String>, text: String) -> Article {
    Article {
        id,
        title,
        text,
        ..base.clone()
    }
}

/// Precision and recall of duplicate decisions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DuplicateScore {
    /// Articles in the benchmark.
    pub articles: usize,
    /// Copies among them.
    pub copies: usize,
    /// Articles called copies.
    pub predicted: usize,
    /// Copies called copies of their own original.
    pub correct: usize,
    /// `correct / predicted` (1 when nothing was predicted).
    pub precision: f64,
    /// `correct / copies` (1 when there are no copies).
    pub recall: f64,
}

/// Scores decisions: `found[i]` is the original that article `i` of `cases`
/// was called a copy of, if any.
pub fn score(cases: &[Case], found: &[Option<ArticleId>]) -> DuplicateScore {
    let copies = cases.iter().filter(|c| c.original.is_some()).count();
    let predicted = found.iter().filter(|f| f.is_some()).count();
    let correct = cases
        .iter()
        .zip(found)
        .filter(|(c, f)| c.original.is_some() && c.original == **f)
        .count();
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    DuplicateScore {
        articles: cases.len(),
        copies,
        predicted,
        correct,
        precision: ratio(correct, predicted),
        recall: ratio(correct, copies),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_point_at_their_originals() {
        let a = Article::new("One. Two three. Four five six. Seven eight. Nine ten.");
        let b = Article::new("Short.");
        let cases = edited_copies(&[a.clone(), b]);
        assert_eq!(cases.len(), 4, "the short article is left out");
        assert!(cases[1..].iter().all(|c| c.original == Some(a.id.clone())));
        assert!(cases
            .iter()
            .all(|c| c.article.text.ends_with("within two days.")));
        let cut = &cases[3].article.text;
        assert!(
            cut.starts_with("One. Two three. Four five six. Seven eight.") && !cut.contains("Nine")
        );
        let s = score(
            &cases,
            &[None, Some(a.id.clone()), None, Some(ArticleId("x".into()))],
        );
        assert_eq!((s.copies, s.predicted, s.correct), (3, 2, 1));
    }
}
