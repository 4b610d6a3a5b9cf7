//! The tagger: greedy left-to-right decoding over IOB2 tags with an
//! averaged perceptron's weights.

use crate::features::{document_views, history_class, HashKeyed, Scores, SentenceView, WINDOW};
use crate::gazetteer::Gazetteer;
use crate::label::{Tag, TAG_COUNT};

/// Something that gives each tag a weight for a feature.
pub(crate) trait Weights {
    /// Adds the feature's weights to `scores`.
    fn add(&self, feature: u64, scores: &mut Scores);
}

/// Trained weights, quantised to 16 bits: a feature's row of one weight
/// per tag, found by the feature's hash.
#[derive(Debug, Clone, Default)]
pub(crate) struct QuantisedWeights {
    pub index: HashKeyed<u32>,
    pub rows: Vec<[i16; TAG_COUNT]>,
}

impl Weights for QuantisedWeights {
    #[inline]
    fn add(&self, feature: u64, scores: &mut Scores) {
        if let Some(&row) = self.index.get(&feature) {
            if let Some(row) = self.rows.get(row as usize) {
                for (s, &w) in scores.iter_mut().zip(row) {
                    *s += f32::from(w);
                }
            }
        }
    }
}

/// The tags given so far to each word of a document, for the non-local
/// features: the history of predictions of Ratinov & Roth 2009.
#[derive(Default)]
pub(crate) struct History {
    seen: HashKeyed<Vec<(usize, u8)>>,
}

/// How many earlier occurrences of a word are looked at.
const HISTORY_DEPTH: usize = 16;

impl History {
    /// Counts per class (`O`, then the four types) of the word's earlier
    /// tags within the window before `position`.
    pub(crate) fn counts(&self, lower: u64, position: usize) -> [u32; 5] {
        let mut counts = [0u32; 5];
        if let Some(list) = self.seen.get(&lower) {
            for &(p, class) in list.iter().rev().take(HISTORY_DEPTH) {
                if p + WINDOW < position {
                    break;
                }
                counts[usize::from(class)] += 1;
            }
        }
        counts
    }

    pub(crate) fn push(&mut self, lower: u64, position: usize, tag: Tag) {
        self.seen
            .entry(lower)
            .or_default()
            .push((position, history_class(tag) as u8));
    }
}

/// The highest-scoring tag that may follow `previous`.
pub(crate) fn best_tag(scores: &Scores, previous: Tag) -> Tag {
    let mut best = Tag::O;
    let mut best_score = f32::NEG_INFINITY;
    for (i, &score) in scores.iter().enumerate() {
        let tag = Tag::from_index(i);
        if score > best_score && tag.may_follow(previous) {
            best = tag;
            best_score = score;
        }
    }
    best
}

/// Tags a document's sentences with `weights`.
pub(crate) fn decode<W: Weights>(views: &[SentenceView], weights: &W) -> Vec<Vec<Tag>> {
    let mut history = History::default();
    let mut features = Vec::with_capacity(96);
    let mut out = Vec::with_capacity(views.len());
    for view in views {
        let mut tags = Vec::with_capacity(view.tokens.len());
        let (mut previous, mut before) = (Tag::O, Tag::O);
        for i in 0..view.tokens.len() {
            features.clear();
            let lower = view.tokens[i].lower;
            let position = view.offset + i;
            view.static_features(i, &mut features);
            let counts = history.counts(lower, position);
            view.dynamic_features(i, previous, before, &counts, &mut features);
            let mut scores = [0f32; TAG_COUNT];
            for &f in &features {
                weights.add(f, &mut scores);
            }
            let tag = best_tag(&scores, previous);
            history.push(lower, position, tag);
            tags.push(tag);
            before = previous;
            previous = tag;
        }
        out.push(tags);
    }
    out
}

/// A trained named-entity tagger: weights, gazetteers and the training
/// vocabulary's usual capitalisation of words.
#[derive(Debug, Clone, Default)]
pub struct Tagger {
    pub(crate) weights: QuantisedWeights,
    pub(crate) gazetteer: Gazetteer,
    pub(crate) lists: Gazetteer,
    pub(crate) vocab_casing: HashKeyed<u8>,
}

impl Tagger {
    /// Tags one document, given as sentences of tokens: one IOB2 tag per
    /// token. Words seen earlier in the document (within about a thousand
    /// tokens) and their capitalisation elsewhere inform each other.
    pub fn tag_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<Tag>> {
        let views = document_views(sentences, &self.gazetteer, &self.lists, &self.vocab_casing);
        decode(&views, &self.weights)
    }

    /// Tags one sentence on its own.
    pub fn tag_sentence(&self, tokens: &[&str]) -> Vec<Tag> {
        self.tag_document(&[tokens.to_vec()])
            .pop()
            .unwrap_or_default()
    }

    /// How many features have weights.
    pub fn feature_count(&self) -> usize {
        self.weights.rows.len()
    }

    /// How many gazetteer keys (names and their prefixes) the tagger holds.
    pub fn gazetteer_len(&self) -> usize {
        self.gazetteer.len()
    }
}
