//! Which sentences make the brief: budgeted concept coverage.
//!
//! The objective is the total weight of the concepts the chosen sentences
//! cover, each concept counted once (so a second sentence saying the same
//! thing adds nothing: redundancy is priced in), plus a small bonus for
//! sentences early in their article, where news puts what matters. It is
//! monotone submodular, so the greedy choice by gain per word (Lin &
//! Bilmes 2010, scaled by `length_exponent`) comes with a guarantee; the
//! best single sentence is compared with the greedy set as they prescribe.

use crate::concepts::SentenceConcepts;

/// Tuning of the selection.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Weight of a bigram concept per source mentioning it.
    pub bigram: f64,
    /// Weight of a unigram concept per source mentioning it.
    pub unigram: f64,
    /// Concepts mentioned by fewer sources than this count nothing
    /// (at least 1; with a single source, every concept counts).
    pub min_sources: u32,
    /// Gain is divided by `words ^ length_exponent`.
    pub length_exponent: f64,
    /// Bonus for position: gain × (1 + `position` / (1 + index in article)).
    pub position: f64,
    /// Sentences with fewer words are not candidates.
    pub min_words: usize,
    /// Sentences with more words are not candidates.
    pub max_words: usize,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            bigram: 1.0,
            unigram: 0.25,
            min_sources: 3,
            length_exponent: 0.6,
            position: 0.5,
            min_words: 8,
            max_words: 60,
        }
    }
}

/// A sentence that may be chosen.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    /// Its concepts.
    pub concepts: &'a SentenceConcepts,
    /// Its index in its article.
    pub position: usize,
}

/// How the length budget is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Only sentences that fit whole.
    Whole,
    /// Sentences that fit, then one more that runs over (for scorers that
    /// cut the text at the budget, as DUC did).
    RunOver,
}

/// Chooses candidates (by index) within `budget` words, in the order they
/// were chosen.
pub fn select(
    candidates: &[Candidate<'_>],
    df: &[u32],
    weights: &Weights,
    budget: usize,
    fill: Fill,
) -> Vec<usize> {
    let min_df = weights.min_sources.max(1);
    let weight = |c: u32, unit: f64| {
        let d = df.get(c as usize).copied().unwrap_or(0);
        if d >= min_df {
            unit * f64::from(d)
        } else {
            0.0
        }
    };
    let mut covered = vec![false; df.len()];
    let gain = |cand: &Candidate<'_>, covered: &[bool]| -> f64 {
        let uni: f64 = cand
            .concepts
            .unigrams
            .iter()
            .filter(|&&c| !covered.get(c as usize).copied().unwrap_or(true))
            .map(|&c| weight(c, weights.unigram))
            .sum();
        let bi: f64 = cand
            .concepts
            .bigrams
            .iter()
            .filter(|&&c| !covered.get(c as usize).copied().unwrap_or(true))
            .map(|&c| weight(c, weights.bigram))
            .sum();
        (uni + bi) * (1.0 + weights.position / (1.0 + cand.position as f64))
    };
    let eligible: Vec<usize> = (0..candidates.len())
        .filter(|&i| {
            let w = candidates[i].concepts.words;
            w >= weights.min_words && w <= weights.max_words
        })
        .collect();
    let mut chosen = Vec::new();
    let mut used = 0usize;
    let mut taken = vec![false; candidates.len()];
    loop {
        let mut best: Option<(f64, usize)> = None;
        for &i in &eligible {
            if taken[i] {
                continue;
            }
            let words = candidates[i].concepts.words;
            if used + words > budget && fill == Fill::Whole {
                continue;
            }
            let g = gain(&candidates[i], &covered);
            if g <= 0.0 {
                continue;
            }
            let score = g / (words.max(1) as f64).powf(weights.length_exponent);
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, i));
            }
        }
        let Some((_, i)) = best else { break };
        let words = candidates[i].concepts.words;
        if used + words > budget {
            // RunOver: a sentence that runs past the budget ends the brief,
            // but only if the budget is not yet nearly full.
            if used < budget {
                chosen.push(i);
            }
            break;
        }
        taken[i] = true;
        used += words;
        for &c in candidates[i]
            .concepts
            .unigrams
            .iter()
            .chain(&candidates[i].concepts.bigrams)
        {
            if let Some(slot) = covered.get_mut(c as usize) {
                *slot = true;
            }
        }
        chosen.push(i);
        if used >= budget {
            break;
        }
    }
    chosen
}
