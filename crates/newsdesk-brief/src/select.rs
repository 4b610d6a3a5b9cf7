//! Which sentences make the brief: budgeted concept coverage.
//!
//! The objective is the total weight of the concepts the chosen sentences
//! cover, each concept counted once (so a second sentence saying the same
//! thing adds nothing: redundancy is priced in), with a bonus for sentences
//! early in their article, where news puts what matters, and a density
//! term (the value of all a sentence's concepts per √word, covered or not).
//! Sentences are chosen greedily by gain per word ^ `length_exponent`, as
//! in Lin & Bilmes 2010; a candidate mostly repeating a chosen sentence
//! (`max_overlap`) is skipped. With the density term the objective is no
//! longer purely submodular, so the greedy choice is a heuristic here,
//! tuned on DUC 2004 dev (bench/results/2026-11-25-brief.md).

use crate::concepts::SentenceConcepts;

/// Tuning of the selection.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Weight of a bigram concept per source mentioning it.
    pub bigram: f64,
    /// Weight of a unigram concept per source mentioning it.
    pub unigram: f64,
    /// Concepts mentioned by fewer sources than this count nothing (the
    /// brief lowers it to a third of the sources for small stories).
    pub min_sources: u32,
    /// Extra weight of a concept per source that mentions it in its first
    /// `lead_sentences` sentences.
    pub lead: f64,
    /// How many opening sentences of an article count as its lead.
    pub lead_sentences: usize,
    /// Weight of a sentence's density (its concepts' total value per word,
    /// covered or not): a modular centrality term beside coverage.
    pub density: f64,
    /// A candidate whose valued concepts are already this share (by value)
    /// of one chosen sentence's is redundant and skipped (1 turns it off).
    pub max_overlap: f64,
    /// Least share (by value) of a candidate's concepts that must be new,
    /// not yet covered by the chosen sentences (0 turns it off).
    pub min_novelty: f64,
    /// Bonus for corroboration: gain × (1 + `corroboration` × other
    /// sources reporting the sentence's content).
    pub corroboration: f64,
    /// The density is the concepts' value per (words ^ this).
    pub density_exponent: f64,
    /// Gain is divided by `words ^ length_exponent`.
    pub length_exponent: f64,
    /// Bonus for position: gain × (1 + `position` / (1 + index in article)).
    pub position: f64,
    /// A concept's weight grows as (sources mentioning it) ^ this.
    pub frequency_exponent: f64,
    /// Sentences with fewer words are not candidates.
    pub min_words: usize,
    /// Sentences with more words are not candidates.
    pub max_words: usize,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            bigram: 1.0,
            unigram: 1.0,
            min_sources: 4,
            frequency_exponent: 1.0,
            lead: 0.0,
            density: 2.0,
            density_exponent: 0.5,
            max_overlap: 0.6,
            min_novelty: 0.0,
            corroboration: 0.0,
            lead_sentences: 2,
            length_exponent: 0.8,
            position: 0.5,
            min_words: 10,
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
    /// How many other sources report its content (see [`crate::cite`]).
    pub support: usize,
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

/// The value of each concept: its unit weight (bigram or unigram) times
/// (sources mentioning it + `lead` × sources leading with it) ^
/// `frequency_exponent`; nothing below `min_sources`.
pub fn concept_values(
    df: &[u32],
    lead_df: &[u32],
    is_bigram: impl Fn(u32) -> bool,
    weights: &Weights,
) -> Vec<f64> {
    let min_df = weights.min_sources.max(1);
    df.iter()
        .zip(lead_df)
        .enumerate()
        .map(|(c, (&d, &l))| {
            if d < min_df {
                return 0.0;
            }
            let unit = if is_bigram(u32::try_from(c).unwrap_or(u32::MAX)) {
                weights.bigram
            } else {
                weights.unigram
            };
            unit * (f64::from(d) + weights.lead * f64::from(l)).powf(weights.frequency_exponent)
        })
        .collect()
}

/// Chooses candidates (by index) within `budget` words, in the order they
/// were chosen.
pub fn select(
    candidates: &[Candidate<'_>],
    value: &[f64],
    weights: &Weights,
    budget: usize,
    fill: Fill,
) -> Vec<usize> {
    let weight = |c: u32| value.get(c as usize).copied().unwrap_or(0.0);
    let mut covered = vec![false; value.len()];
    // The gain of a candidate's first `within` words.
    let gain = |cand: &Candidate<'_>, covered: &[bool], within: usize| -> f64 {
        let mut new = 0.0;
        let mut all = 0.0;
        for (c, at) in cand.concepts.concepts() {
            if at >= within {
                continue;
            }
            let w = weight(c);
            all += w;
            if !covered.get(c as usize).copied().unwrap_or(true) {
                new += w;
            }
        }
        if all > 0.0 && new / all < weights.min_novelty {
            return 0.0;
        }
        let words = cand.concepts.words.min(within).max(1) as f64;
        let density = weights.density * all / words.powf(weights.density_exponent);
        (new + density)
            * (1.0 + weights.position / (1.0 + cand.position as f64))
            * (1.0 + weights.corroboration * cand.support as f64)
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
            let mut words = candidates[i].concepts.words;
            if used + words > budget {
                if fill == Fill::Whole {
                    continue;
                }
                // Running over: only the words before the cut count.
                words = budget - used;
            }
            if weights.max_overlap < 1.0
                && chosen.iter().any(|&j: &usize| {
                    overlap(candidates[i].concepts, candidates[j].concepts, &weight)
                        > weights.max_overlap
                })
            {
                continue;
            }
            let g = gain(&candidates[i], &covered, words);
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
        for (c, _) in candidates[i].concepts.concepts() {
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

/// The share (by value) of `a`'s unigram concepts that `b` also has.
fn overlap(a: &SentenceConcepts, b: &SentenceConcepts, weight: &impl Fn(u32) -> f64) -> f64 {
    let total: f64 = a.unigrams.iter().map(|&c| weight(c)).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let shared: f64 = a
        .unigrams
        .iter()
        .filter(|c| b.unigrams.binary_search(c).is_ok())
        .map(|&c| weight(c))
        .sum();
    shared / total
}
