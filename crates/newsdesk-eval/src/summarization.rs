//! Scoring briefs: DUC-style clusters and ROUGE-N recall.
//!
//! The scorer follows Google's `rouge-score` in spirit (lowercase `[a-z0-9]+`
//! tokens, Porter-family stemming, n-gram overlap clipped by count) with
//! ROUGE-1.5.5's multi-reference averaging (`-f A`) and word limit (`-l`).
//! It is for tests and quick tuning; the figure to report comes from the
//! perl ROUGE-1.5.5 (`scripts/rouge-duc`), which also drops nothing but
//! tokenises slightly differently.

use std::collections::HashMap;

use newsdesk_text::words::Stemmer;
use serde::Deserialize;

/// One DUC-style cluster: documents of one topic and, for scoring,
/// human reference summaries.
#[derive(Debug, Clone, Deserialize)]
pub struct Cluster {
    /// The topic's id (`d30001t`).
    pub cluster_id: String,
    /// The articles, each as sentences.
    pub documents: Vec<ClusterDocument>,
    /// Human summaries (absent in input to be summarised).
    #[serde(default)]
    pub references: Vec<Reference>,
}

/// One article of a cluster.
#[derive(Debug, Clone, Deserialize)]
pub struct ClusterDocument {
    /// The article's id.
    pub doc_id: String,
    /// Its outlet (`APW`, `NYT`), if given.
    #[serde(default)]
    pub source: Option<String>,
    /// Its publication date (`YYYY-MM-DD`), if given.
    #[serde(default)]
    pub date: Option<String>,
    /// Its sentences in order.
    pub sentences: Vec<String>,
}

impl Cluster {
    /// Its articles as documents of the text stage
    /// ([`ClusterDocument::to_document`]), in order.
    pub fn to_documents(&self) -> Vec<newsdesk_model::Document> {
        self.documents
            .iter()
            .map(ClusterDocument::to_document)
            .collect()
    }
}

impl ClusterDocument {
    /// The article as a document of the text stage: its sentences, one per
    /// line, are its text and its sentences (so that dates resolve as for
    /// any article); id, outlet and date (the first ten characters, when
    /// they are a date) carried over.
    pub fn to_document(&self) -> newsdesk_model::Document {
        let mut text = String::new();
        let mut sentences = Vec::new();
        for s in &self.sentences {
            let start = text.len();
            text.push_str(s.trim());
            sentences.push(newsdesk_model::Sentence {
                span: newsdesk_model::Span::new(start, text.len()),
            });
            text.push('\n');
        }
        let mut article = newsdesk_model::Article::new(text);
        article.id = newsdesk_model::ArticleId(self.doc_id.clone());
        article.source.clone_from(&self.source);
        article.date = self.date.as_deref().and_then(|d| d.get(..10)?.parse().ok());
        newsdesk_model::Document {
            article,
            blocks: Vec::new(),
            sentences,
        }
    }
}

/// A human summary.
#[derive(Debug, Clone, Deserialize)]
pub struct Reference {
    /// Who wrote it, if given.
    #[serde(default)]
    pub annotator: Option<String>,
    /// The summary.
    pub text: String,
}

/// Lowercased `[a-z0-9]+` tokens, stemmed, at most `limit` of them.
pub fn tokens(text: &str, stemmer: &Stemmer, limit: Option<usize>) -> Vec<String> {
    let lower = text.to_lowercase();
    let all = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| {
            if t.len() > 3 {
                stemmer.stem(t).into_owned()
            } else {
                t.to_string()
            }
        });
    match limit {
        Some(n) => all.take(n).collect(),
        None => all.collect(),
    }
}

fn ngrams(tokens: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    if n == 0 {
        return counts;
    }
    for gram in tokens.windows(n) {
        *counts.entry(gram).or_insert(0) += 1;
    }
    counts
}

/// ROUGE-N recall of `summary` against one reference: matched n-grams
/// (clipped by count) over the reference's n-grams; 0 for an empty
/// reference.
pub fn rouge_n_recall(summary: &[String], reference: &[String], n: usize) -> f64 {
    let s = ngrams(summary, n);
    let r = ngrams(reference, n);
    let total: usize = r.values().sum();
    if total == 0 {
        return 0.0;
    }
    let matched: usize = r
        .iter()
        .map(|(gram, &count)| count.min(s.get(gram).copied().unwrap_or(0)))
        .sum();
    matched as f64 / total as f64
}

/// ROUGE-N recall against several references, averaged (ROUGE-1.5.5 `-f A`),
/// with the summary cut at `word_limit` words.
pub fn rouge_n(summary: &str, references: &[&str], n: usize, word_limit: Option<usize>) -> f64 {
    let stemmer = Stemmer::new();
    let summary = tokens(summary, &stemmer, word_limit);
    if references.is_empty() {
        return 0.0;
    }
    references
        .iter()
        .map(|r| rouge_n_recall(&summary, &tokens(r, &stemmer, None), n))
        .sum::<f64>()
        / references.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_recall() {
        // Reference "the cat sat on the mat" has 6 unigrams; the summary
        // "the cat lay on the rug" matches the, cat, on, the = 4.
        let r1 = rouge_n(
            "the cat lay on the rug",
            &["the cat sat on the mat"],
            1,
            None,
        );
        assert!((r1 - 4.0 / 6.0).abs() < 1e-9);
        // Bigrams: "the cat", "on the" of 5.
        let r2 = rouge_n(
            "the cat lay on the rug",
            &["the cat sat on the mat"],
            2,
            None,
        );
        assert!((r2 - 2.0 / 5.0).abs() < 1e-9);
        // Two references average; a word limit cuts the summary first.
        let avg = rouge_n("cat dog", &["cat", "dog"], 1, Some(1));
        assert!((avg - 0.5).abs() < 1e-9);
        assert_eq!(rouge_n("x", &[], 1, None), 0.0);
    }

    #[test]
    fn clusters_parse_with_and_without_references() {
        let line = r#"{"cluster_id": "d1", "documents": [{"doc_id": "a", "date": "1998-10-16", "sentences": ["One."]}]}"#;
        let c: Cluster = serde_json::from_str(line).expect("parses");
        assert!(c.references.is_empty());
        assert_eq!(c.documents[0].sentences, ["One."]);
    }
}
