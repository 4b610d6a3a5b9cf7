//! The tagger: left-to-right beam search over IOB2 tags with an averaged
//! perceptron's weights.

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

/// How many partial taggings of a sentence the beam keeps, in training
/// and tagging alike: 4 tags the development set as well as 8 (within
/// noise) and half again as fast; greedy decoding (1) is worse by about
/// 0.015 F1.
pub(crate) const BEAM_WIDTH: usize = 4;

/// A partial tagging of a sentence and its score.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hypothesis {
    pub tags: Vec<Tag>,
    pub score: f32,
}

/// What a sentence's decoding needs from the document: per token, the
/// history counts from earlier sentences, and the earlier tokens of the
/// same sentence with the same word (whose tags depend on the hypothesis).
pub(crate) struct SentenceHistory {
    base: Vec<[u32; 5]>,
    same_before: Vec<Vec<usize>>,
}

impl SentenceHistory {
    pub(crate) fn new(view: &SentenceView, history: &History) -> SentenceHistory {
        let t = &view.tokens;
        let base = (0..t.len())
            .map(|i| history.counts(t[i].lower, view.offset + i))
            .collect();
        // Like the document history, only the last HISTORY_DEPTH earlier
        // occurrences of a word count: a sentence repeating one word
        // thousands of times made this list, and the features read from
        // it, grow with the square of the sentence's length.
        let mut positions: HashKeyed<Vec<usize>> = HashKeyed::default();
        let same_before = t
            .iter()
            .enumerate()
            .map(|(i, token)| {
                let earlier = positions.entry(token.lower).or_default();
                let kept = earlier[earlier.len().saturating_sub(HISTORY_DEPTH)..].to_vec();
                earlier.push(i);
                kept
            })
            .collect();
        SentenceHistory { base, same_before }
    }

    /// Appends token `i`'s dynamic features given the tags before it.
    pub(crate) fn dynamic_features(
        &self,
        view: &SentenceView,
        i: usize,
        tags: &[Tag],
        out: &mut Vec<u64>,
    ) {
        let previous = i.checked_sub(1).map_or(Tag::O, |j| tags[j]);
        let before = i.checked_sub(2).map_or(Tag::O, |j| tags[j]);
        let mut counts = self.base[i];
        for &j in &self.same_before[i] {
            counts[history_class(tags[j])] += 1;
        }
        view.dynamic_features(i, previous, before, &counts, out);
    }
}

/// Extends each hypothesis of `beam` by token `i`, keeping the best
/// `width`. `static_scores` are the token's scores from its static
/// features.
#[allow(clippy::too_many_arguments)]
pub(crate) fn beam_step<W: Weights>(
    view: &SentenceView,
    context: &SentenceHistory,
    i: usize,
    beam: &[Hypothesis],
    static_scores: &Scores,
    weights: &W,
    width: usize,
    features: &mut Vec<u64>,
) -> Vec<Hypothesis> {
    let mut candidates: Vec<(f32, usize, usize)> = Vec::with_capacity(beam.len() * TAG_COUNT);
    for (h, hypothesis) in beam.iter().enumerate() {
        features.clear();
        context.dynamic_features(view, i, &hypothesis.tags, features);
        let mut scores = *static_scores;
        for &f in features.iter() {
            weights.add(f, &mut scores);
        }
        let previous = hypothesis.tags.last().copied().unwrap_or(Tag::O);
        for (k, &score) in scores.iter().enumerate() {
            if Tag::from_index(k).may_follow(previous) {
                candidates.push((hypothesis.score + score, h, k));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    candidates
        .into_iter()
        .take(width.max(1))
        .map(|(score, h, k)| {
            let mut tags = Vec::with_capacity(view.tokens.len());
            tags.extend_from_slice(&beam[h].tags);
            tags.push(Tag::from_index(k));
            Hypothesis { tags, score }
        })
        .collect()
}

/// Tags a document's sentences with `weights`: a beam search over each
/// sentence, the document history updated after each sentence.
pub(crate) fn decode<W: Weights>(views: &[SentenceView], weights: &W) -> Vec<Vec<Tag>> {
    let mut history = History::default();
    let mut features = Vec::with_capacity(96);
    let mut out = Vec::with_capacity(views.len());
    for view in views {
        let context = SentenceHistory::new(view, &history);
        let mut beam = vec![Hypothesis::default()];
        for i in 0..view.tokens.len() {
            features.clear();
            view.static_features(i, &mut features);
            let mut scores = [0f32; TAG_COUNT];
            for &f in &features {
                weights.add(f, &mut scores);
            }
            beam = beam_step(
                view,
                &context,
                i,
                &beam,
                &scores,
                weights,
                BEAM_WIDTH,
                &mut features,
            );
        }
        let tags = beam.swap_remove(0).tags;
        for (i, &tag) in tags.iter().enumerate() {
            history.push(view.tokens[i].lower, view.offset + i, tag);
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
