//! Which sources report a brief sentence's content.
//!
//! A source supports a sentence when one of its sentences carries enough
//! of the sentence's content words, weighted by how specific each word is
//! to part of the story (inverse source frequency: "Taliban", in every
//! article, says little; "airport" says more). The support of a source is
//! that share for its best sentence, which is the citation's evidence.
//! Shared words alone can tell different claims about the same actors, so
//! a supporting sentence must also share a word pair or a figure (a number
//! two reports agree on pins the claim down as a pair of words does).

use crate::concepts::{ConceptId, Kind, SentenceConcepts, Vocabulary};

/// Least share of a sentence's weighted content words another source must
/// report to be cited.
pub const MIN_SUPPORT: f64 = 0.45;

/// Share of a sentence's weighted words another sentence must hold to
/// support it without a single word pair in common.
const PARAPHRASE_WORDS: f64 = 0.8;

/// The weight of shared word pairs (against shared words) in support.
const BIGRAM_SHARE: f64 = 0.3;

/// How much a word no other source uses counts in a sentence's content.
const UNIQUE_WORD_SHARE: f64 = 0.5;

/// The sources supporting sentence `(source, sentence)`: `(source, evidence
/// sentence, support)`, the sentence's own source first with support 1,
/// then the others by their order.
pub fn supporting(
    read: &[Vec<SentenceConcepts>],
    df: &[u32],
    vocabulary: &Vocabulary,
    (source, sentence): (usize, usize),
    min_support: f64,
) -> Vec<(usize, usize, f64)> {
    let n = read.len() as f64;
    // A word only this sentence's source uses is its own phrasing, which no
    // other source can repeat: it counts half.
    let idf = |c: ConceptId| {
        let d = df.get(c as usize).copied().unwrap_or(1).max(1);
        let idf = (1.0 + n / f64::from(d)).ln();
        if d == 1 {
            idf * UNIQUE_WORD_SHARE
        } else {
            idf
        }
    };
    let mut out = vec![(source, sentence, 1.0)];
    let Some(taken) = read.get(source).and_then(|s| s.get(sentence)) else {
        return out;
    };
    let total: f64 = taken.unigrams.iter().map(|&c| idf(c)).sum();
    if total <= 0.0 {
        return out;
    }
    let figures: Vec<ConceptId> = taken
        .unigrams
        .iter()
        .copied()
        .filter(|&c| vocabulary.kind(c) == Kind::Figure)
        .collect();
    let total_pairs: f64 = taken.bigrams.iter().chain(&figures).map(|&c| idf(c)).sum();
    // Shared words alone can tell different claims about the same actors
    // ("the Taliban called for a transfer of power" / "the government
    // proposed the Taliban share power"); shared word pairs keep the claim,
    // and so does a shared figure ("600 British troops are being deployed"
    // / "the deployment of 600 troops").
    let support = |s: &SentenceConcepts| {
        let words = shared(&taken.unigrams, &s.unigrams, &idf) / total;
        if total_pairs <= 0.0 {
            return words;
        }
        let pairs = (shared(&taken.bigrams, &s.bigrams, &idf)
            + shared(&figures, &s.unigrams, &idf))
            / total_pairs;
        // Not one word pair or figure in common: the same actors, not the
        // same claim, unless nearly every word is there (a reordered
        // paraphrase).
        if pairs <= 0.0 && words < PARAPHRASE_WORDS {
            return 0.0;
        }
        (1.0 - BIGRAM_SHARE) * words + BIGRAM_SHARE * pairs
    };
    for (other, sentences) in read.iter().enumerate() {
        if other == source {
            continue;
        }
        let best = sentences
            .iter()
            .enumerate()
            .map(|(i, s)| (i, support(s)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, support)) = best {
            if support >= min_support {
                out.push((other, i, (support * 1000.0).round() / 1000.0));
            }
        }
    }
    out
}

/// Weighted size of the intersection of two sorted id lists.
fn shared(a: &[ConceptId], b: &[ConceptId], weight: &impl Fn(ConceptId) -> f64) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += weight(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    sum
}
