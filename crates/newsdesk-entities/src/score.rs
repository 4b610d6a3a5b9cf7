//! Entity-level scoring as CoNLL's `conlleval` does it: an entity counts as
//! found only when its span and type match a gold entity exactly;
//! precision is correct / predicted entities, recall correct / gold
//! entities, F1 their harmonic mean, per type and overall, plus token
//! accuracy (tags equal, `O` included).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::label::{spans, Tag};

/// Counts and scores for one type or for all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Gold entities.
    pub gold: usize,
    /// Predicted entities.
    pub predicted: usize,
    /// Predicted entities matching a gold one in span and type.
    pub correct: usize,
    /// correct / predicted (0 when nothing was predicted).
    pub precision: f64,
    /// correct / gold (0 when there is no gold entity).
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
}

impl Prf {
    fn finish(mut self) -> Self {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        self.precision = ratio(self.correct, self.predicted);
        self.recall = ratio(self.correct, self.gold);
        self.f1 = if self.precision + self.recall > 0.0 {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        } else {
            0.0
        };
        self
    }
}

/// The score of a tagged corpus.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NerScore {
    /// Tokens scored.
    pub tokens: usize,
    /// Share of tokens whose predicted tag equals the gold one.
    pub accuracy: f64,
    /// All types together.
    pub overall: Prf,
    /// Per type (`LOC`, `MISC`, `ORG`, `PER`), for every type found in the
    /// gold or the prediction.
    pub types: BTreeMap<String, Prf>,
}

/// Scores predicted tags against gold tags, sentence by sentence (an
/// entity never crosses a sentence). Both should be IOB2; IOB1 is read the
/// same way conlleval reads it. Sentences of unequal length are scored on
/// their common prefix.
pub fn score<'a>(pairs: impl IntoIterator<Item = (&'a [Tag], &'a [Tag])>) -> NerScore {
    let mut overall = Prf::default();
    let mut types: BTreeMap<String, Prf> = BTreeMap::new();
    let mut tokens = 0usize;
    let mut same = 0usize;
    for (gold, predicted) in pairs {
        let n = gold.len().min(predicted.len());
        let (gold, predicted) = (&gold[..n], &predicted[..n]);
        tokens += n;
        same += gold.iter().zip(predicted).filter(|(g, p)| g == p).count();
        let gold_spans: BTreeSet<_> = spans(gold).into_iter().collect();
        let predicted_spans: BTreeSet<_> = spans(predicted).into_iter().collect();
        for span in &gold_spans {
            overall.gold += 1;
            types.entry(span.kind.as_str().into()).or_default().gold += 1;
        }
        for span in &predicted_spans {
            let entry = types.entry(span.kind.as_str().into()).or_default();
            overall.predicted += 1;
            entry.predicted += 1;
            if gold_spans.contains(span) {
                overall.correct += 1;
                entry.correct += 1;
            }
        }
    }
    NerScore {
        tokens,
        accuracy: if tokens == 0 {
            0.0
        } else {
            same as f64 / tokens as f64
        },
        overall: overall.finish(),
        types: types.into_iter().map(|(k, v)| (k, v.finish())).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<Tag> {
        text.split_whitespace()
            .map(|t| Tag::parse(t).expect("tag"))
            .collect()
    }

    fn check(gold: &[&str], predicted: &[&str]) -> NerScore {
        let gold: Vec<Vec<Tag>> = gold.iter().map(|s| tags(s)).collect();
        let predicted: Vec<Vec<Tag>> = predicted.iter().map(|s| tags(s)).collect();
        score(
            gold.iter()
                .zip(&predicted)
                .map(|(g, p)| (g.as_slice(), p.as_slice())),
        )
    }

    #[test]
    fn perfect_prediction() {
        let s = check(&["B-PER I-PER O B-LOC"], &["B-PER I-PER O B-LOC"]);
        assert_eq!(
            (s.overall.gold, s.overall.predicted, s.overall.correct),
            (2, 2, 2)
        );
        assert_eq!(s.overall.f1, 1.0);
        assert_eq!(s.accuracy, 1.0);
    }

    #[test]
    fn partial_spans_and_wrong_types_count_as_misses() {
        // Gold: [Peter Blackburn]PER visited [New York]LOC and [EU]ORG.
        // Predicted: [Peter]PER Blackburn visited [New York]ORG and [EU]ORG.
        // Only EU matches: precision 1/3, recall 1/3.
        let s = check(
            &["B-PER I-PER O B-LOC I-LOC O B-ORG"],
            &["B-PER O O B-ORG I-ORG O B-ORG"],
        );
        assert_eq!(
            (s.overall.gold, s.overall.predicted, s.overall.correct),
            (3, 3, 1)
        );
        assert!((s.overall.f1 - 1.0 / 3.0).abs() < 1e-12);
        let org = s.types["ORG"];
        assert_eq!((org.gold, org.predicted, org.correct), (1, 2, 1));
        assert_eq!(org.precision, 0.5);
        assert_eq!(org.recall, 1.0);
        let loc = s.types["LOC"];
        assert_eq!((loc.precision, loc.recall, loc.f1), (0.0, 0.0, 0.0));
        // 7 tokens, tags differ at Blackburn, New and York.
        assert!((s.accuracy - 4.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn entities_do_not_cross_sentences_and_iob1_is_read() {
        // Two sentences; the prediction uses IOB1 (I- at the start of a
        // chunk), which conlleval reads as the same chunks.
        let s = check(
            &["O B-MISC", "B-MISC O", "B-PER B-PER"],
            &["O I-MISC", "I-MISC O", "I-PER B-PER"],
        );
        assert_eq!(
            (s.overall.gold, s.overall.predicted, s.overall.correct),
            (4, 4, 4)
        );
        // Precision 2/3, recall 2/4: F1 = 2 * (2/3) * (1/2) / (2/3 + 1/2) = 4/7.
        let s = check(
            &["B-LOC O B-LOC O B-LOC O B-LOC"],
            &["B-LOC O B-LOC O O B-ORG O"],
        );
        assert_eq!((s.overall.predicted, s.overall.correct), (3, 2));
        assert!((s.overall.f1 - 4.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn empty_prediction_scores_zero() {
        let s = check(&["B-ORG O"], &["O O"]);
        assert_eq!(s.overall.precision, 0.0);
        assert_eq!(s.overall.recall, 0.0);
        assert_eq!(s.overall.f1, 0.0);
    }
}
