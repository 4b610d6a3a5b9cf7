//! Which sentences make the brief: budgeted concept coverage.
//!
//! The objective is the total weight of the concepts the chosen sentences
//! cover, each concept counted once (so a second sentence saying the same
//! thing adds nothing: redundancy is priced in), with a bonus for sentences
//! early in their article, where news puts what matters, and a density
//! term (the value of all a sentence's concepts per √word, covered or not).
//! Sentences are chosen greedily by gain per word ^ `length_exponent`, as
//! in Lin & Bilmes 2010; a candidate whose content is mostly told already
//! (less than `min_novelty` of its concepts' value new) is skipped, since
//! the density term alone would keep retelling the story's core. With the
//! density term the objective is no longer purely submodular, so the
//! greedy choice is a heuristic here, tuned on DUC 2004 dev
//! (bench/results/2026-11-25-brief.md).

use crate::concepts::{Kind, SentenceConcepts};

/// Tuning of the selection.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Weight of a bigram concept per source mentioning it.
    pub bigram: f64,
    /// Weight of a unigram concept per source mentioning it.
    pub unigram: f64,
    /// Weight of a figure (a number, not a year) per source mentioning it:
    /// a figure that outlets agree on is a checked fact, and more specific
    /// than any word. (Figures need `min_sources` like any concept: a
    /// lower bar for them lost ROUGE on DUC.)
    pub figure: f64,
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
    /// of one chosen sentence's is redundant and skipped (1 turns it off,
    /// the default: `min_novelty` does its work).
    pub max_overlap: f64,
    /// Least share (by value) of a candidate's concepts that must be new,
    /// not yet covered by the chosen sentences (0 turns it off). It keeps
    /// the brief from telling the core event three times in other words
    /// (DUC 2004 dev: ROUGE-1 39.5–39.7 from 0.55 to 0.62, then a cliff at
    /// 0.65), and it makes `max_overlap` redundant.
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
            figure: 2.0,
            min_sources: 4,
            frequency_exponent: 1.0,
            lead: 0.0,
            density: 2.0,
            density_exponent: 0.5,
            max_overlap: 1.0,
            min_novelty: 0.6,
            corroboration: 0.0,
            lead_sentences: 2,
            length_exponent: 0.8,
            position: 0.5,
            min_words: 10,
            max_words: 60,
        }
    }
}

impl Weights {
    /// Sets the weight named `key` (the field's name) to `value`, for
    /// experiments (`--tune key=value`); counts are rounded. The error
    /// names an unknown key.
    pub fn set(&mut self, key: &str, value: f64) -> Result<(), String> {
        let count = || value.max(0.0).round() as usize;
        match key {
            "bigram" => self.bigram = value,
            "unigram" => self.unigram = value,
            "figure" => self.figure = value,
            "min_sources" => self.min_sources = u32::try_from(count()).unwrap_or(u32::MAX),
            "frequency_exponent" => self.frequency_exponent = value,
            "lead" => self.lead = value,
            "lead_sentences" => self.lead_sentences = count(),
            "density" => self.density = value,
            "density_exponent" => self.density_exponent = value,
            "max_overlap" => self.max_overlap = value,
            "min_novelty" => self.min_novelty = value,
            "corroboration" => self.corroboration = value,
            "length_exponent" => self.length_exponent = value,
            "position" => self.position = value,
            "min_words" => self.min_words = count(),
            "max_words" => self.max_words = count(),
            other => return Err(format!("unknown weight `{other}`")),
        }
        Ok(())
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

/// The value of each concept: its unit weight (bigram, figure or unigram)
/// times (sources mentioning it + `lead` × sources leading with it) ^
/// `frequency_exponent`; nothing below `min_sources`.
pub fn concept_values(
    df: &[u32],
    lead_df: &[u32],
    kind: impl Fn(u32) -> Kind,
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
            let unit = match kind(u32::try_from(c).unwrap_or(u32::MAX)) {
                Kind::Pair => weights.bigram,
                Kind::Figure => weights.figure,
                Kind::Word => weights.unigram,
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
