//! Training: an averaged perceptron (Collins 2002) over left-to-right beam
//! search with early update (Collins & Roark 2004), learning from its own
//! earlier predictions (the history features see what the tagger
//! predicted in earlier sentences, as they will when tagging).

use crate::conll::Sentence;
use crate::features::{document_views, HashKeyed, Scores, SentenceView};
use crate::gazetteer::Gazetteer;
use crate::label::{Tag, TAG_COUNT};
use crate::tagger::{
    beam_step, History, Hypothesis, QuantisedWeights, SentenceHistory, Tagger, Weights, BEAM_WIDTH,
};

/// How training runs.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the training data.
    pub epochs: usize,
    /// Folds for the jackknifed gazetteers: each sentence sees lists built
    /// from the other folds.
    pub folds: usize,
    /// Sentences per training unit when a document is longer (a file
    /// without `-DOCSTART-` is one long document): units are shuffled
    /// between epochs and assigned to folds.
    pub unit: usize,
    /// Seed of the shuffle.
    pub seed: u64,
    /// Percent of training units that are also trained on in a copy whose
    /// names are partly lower-cased ("Ned price", "fall of herat"), as
    /// machine-translated news writes them.
    pub lowercase: usize,
    /// Features whose averaged weights are all smaller than this (in
    /// quantised steps out of 32,767) are dropped from the model.
    pub prune: i16,
}

impl TrainOptions {
    /// Applies `key=value` overrides separated by commas (`epochs`,
    /// `folds`, `unit`, `seed`, `prune`, `lowercase`), for experiments.
    pub fn tune(&mut self, spec: &str) -> Result<(), String> {
        for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair:?} is not key=value"))?;
            let bad = |_| format!("{value:?} is not a number for {key}");
            match key.trim() {
                "epochs" => self.epochs = value.trim().parse().map_err(bad)?,
                "folds" => self.folds = value.trim().parse().map_err(bad)?,
                "unit" => self.unit = value.trim().parse().map_err(bad)?,
                "seed" => self.seed = value.trim().parse().map_err(bad)?,
                "prune" => self.prune = value.trim().parse().map_err(bad)?,
                "lowercase" => self.lowercase = value.trim().parse().map_err(bad)?,
                other => return Err(format!("unknown training option {other:?}")),
            }
        }
        Ok(())
    }
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 10,
            folds: 10,
            unit: 50,
            seed: 2009,
            prune: 4,
            lowercase: 0,
        }
    }
}

/// Weights while training: current weights and the sums for averaging
/// (Daumé's trick: the average is `w - u / c`).
#[derive(Default)]
struct Learner {
    index: HashKeyed<u32>,
    w: Vec<[f32; TAG_COUNT]>,
    u: Vec<[f64; TAG_COUNT]>,
    c: f64,
}

impl Weights for Learner {
    fn add(&self, feature: u64, scores: &mut Scores) {
        if let Some(&row) = self.index.get(&feature) {
            for (s, &w) in scores.iter_mut().zip(&self.w[row as usize]) {
                *s += w;
            }
        }
    }
}

impl Learner {
    fn bump(&mut self, features: &[u64], tag: Tag, delta: f32) {
        let c = self.c;
        for &f in features {
            let next = self.w.len() as u32;
            let row = *self.index.entry(f).or_insert(next) as usize;
            if row == self.w.len() {
                self.w.push([0.0; TAG_COUNT]);
                self.u.push([0.0; TAG_COUNT]);
            }
            self.w[row][tag.index()] += delta;
            self.u[row][tag.index()] += f64::from(delta) * c;
        }
    }

    /// The perceptron update for a sentence (or a prefix of one): the
    /// gold tagging's features up, the predicted one's down, from the
    /// first tag where they differ.
    fn update_sequences(
        &mut self,
        view: &SentenceView,
        context: &SentenceHistory,
        statics: &[Vec<u64>],
        gold: &[Tag],
        predicted: &[Tag],
        features: &mut Vec<u64>,
    ) {
        let from = gold
            .iter()
            .zip(predicted)
            .position(|(g, p)| g != p)
            .unwrap_or(gold.len().min(predicted.len()));
        for (tags, delta) in [(gold, 1.0f32), (predicted, -1.0)] {
            for i in from..tags.len() {
                features.clear();
                features.extend_from_slice(&statics[i]);
                context.dynamic_features(view, i, tags, features);
                self.bump(features, tags[i], delta);
            }
        }
    }

    fn averaged(&self, prune: i16) -> QuantisedWeights {
        let c = self.c.max(1.0);
        let averaged: Vec<[f32; TAG_COUNT]> = self
            .w
            .iter()
            .zip(&self.u)
            .map(|(w, u)| {
                let mut row = [0f32; TAG_COUNT];
                for k in 0..TAG_COUNT {
                    row[k] = (f64::from(w[k]) - u[k] / c) as f32;
                }
                row
            })
            .collect();
        let max = averaged
            .iter()
            .flatten()
            .fold(0f32, |m, &v| m.max(v.abs()))
            .max(1e-9);
        let scale = 32767.0 / max;
        let mut keys: Vec<(u64, u32)> = self.index.iter().map(|(&k, &v)| (k, v)).collect();
        keys.sort_unstable();
        let mut out = QuantisedWeights::default();
        for (key, row) in keys {
            let mut q = [0i16; TAG_COUNT];
            for (slot, &v) in q.iter_mut().zip(&averaged[row as usize]) {
                *slot = (v * scale).round() as i16;
            }
            if q.iter().any(|v| v.abs() >= prune.max(1)) {
                out.index.insert(key, out.rows.len() as u32);
                out.rows.push(q);
            }
        }
        out
    }
}

/// A small deterministic generator for the shuffle (xorshift64*).
struct Shuffle(u64);

impl Shuffle {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The capitalisation each lower-cased word most often has in `sentences`
/// where capitalisation tells something (not first in a sentence, not in a
/// headline), for words seen there at least twice.
fn vocabulary_casing(documents: &[Vec<Sentence>]) -> HashKeyed<u8> {
    use crate::features::{is_headline, Casing, TokenInfo};
    let mut counts: HashKeyed<[u32; 5]> = HashKeyed::default();
    for sentence in documents.iter().flatten() {
        let words: Vec<&str> = sentence.tokens.iter().map(String::as_str).collect();
        let tokens: Vec<TokenInfo> = words.iter().map(|w| TokenInfo::new(w)).collect();
        if is_headline(&tokens, &words) {
            continue;
        }
        for token in tokens.iter().skip(1) {
            if token.casing != Casing::None {
                counts.entry(token.lower).or_default()[token.casing as usize] += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter(|(_, c)| c.iter().sum::<u32>() >= 2)
        .map(|(k, c)| {
            let mut best = 1usize;
            for class in 1..5 {
                if c[class] > c[best] {
                    best = class;
                }
            }
            (k, best as u8)
        })
        .collect()
}

/// A copy of `sentences` in which each name is, by turns of the
/// generator, lower-cased whole ("fall of herat"), lower-cased after its
/// first token ("Ned price"), or left alone.
fn lower_names(sentences: &[Sentence], shuffle: &mut Shuffle) -> Vec<Sentence> {
    sentences
        .iter()
        .map(|sentence| {
            let mut copy = sentence.clone();
            for span in crate::label::spans(&sentence.gold) {
                let from = match shuffle.next() % 3 {
                    0 => span.start,
                    1 => span.start + 1,
                    _ => continue,
                };
                for token in &mut copy.tokens[from.min(span.end)..span.end] {
                    *token = token.to_lowercase();
                }
            }
            copy
        })
        .collect()
}

/// One training unit: a run of sentences of one document.
struct Unit<'a> {
    sentences: &'a [Sentence],
    fold: usize,
}

/// Trains a tagger on gold-tagged documents, with name lists from outside
/// the training data (`lists`, possibly empty). `on_epoch` is called after
/// every epoch with the epoch number (from 1) and the averaged tagger so
/// far, e.g. to score it on development data.
pub fn train(
    documents: &[Vec<Sentence>],
    lists: &Gazetteer,
    options: &TrainOptions,
    mut on_epoch: impl FnMut(usize, &Tagger),
) -> Tagger {
    let folds = options.folds.max(1);
    let mut units = Vec::new();
    for document in documents {
        for chunk in document.chunks(options.unit.max(1)) {
            let fold = units.len() % folds;
            units.push(Unit {
                sentences: chunk,
                fold,
            });
        }
    }
    let originals = units.len();
    let mut shuffle = Shuffle(options.seed | 1);
    let lowered: Vec<(Vec<Sentence>, usize)> = units
        .iter()
        .enumerate()
        .filter(|(k, _)| {
            k * options.lowercase.min(100) / 100 != (k + 1) * options.lowercase.min(100) / 100
        })
        .map(|(_, unit)| (lower_names(unit.sentences, &mut shuffle), unit.fold))
        .collect();
    for (sentences, fold) in &lowered {
        units.push(Unit {
            sentences,
            fold: *fold,
        });
    }
    // The full lists, for tagging, and one per fold without that fold's
    // names, for training.
    let mut full = Gazetteer::default();
    let mut per_fold = vec![Gazetteer::default(); folds];
    for unit in &units[..originals] {
        for sentence in unit.sentences {
            let words: Vec<&str> = sentence.tokens.iter().map(String::as_str).collect();
            full.add_tagged(&words, &sentence.gold);
            if folds > 1 {
                for (k, gazetteer) in per_fold.iter_mut().enumerate() {
                    if k != unit.fold {
                        gazetteer.add_tagged(&words, &sentence.gold);
                    }
                }
            }
        }
    }
    if folds == 1 {
        per_fold[0] = full.clone();
    }
    let vocab_casing = vocabulary_casing(documents);
    let views: Vec<Vec<SentenceView>> = units
        .iter()
        .map(|unit| {
            let sentences: Vec<Vec<&str>> = unit
                .sentences
                .iter()
                .map(|s| s.tokens.iter().map(String::as_str).collect())
                .collect();
            document_views(&sentences, &per_fold[unit.fold], lists, &vocab_casing)
        })
        .collect();
    // Static features do not change between epochs.
    let static_features: Vec<Vec<Vec<Vec<u64>>>> = views
        .iter()
        .map(|unit| {
            unit.iter()
                .map(|view| {
                    (0..view.tokens.len())
                        .map(|i| {
                            let mut f = Vec::with_capacity(64);
                            view.static_features(i, &mut f);
                            f
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut learner = Learner::default();
    let mut order: Vec<usize> = (0..units.len()).collect();
    let mut features = Vec::with_capacity(96);
    for epoch in 1..=options.epochs {
        shuffle.shuffle(&mut order);
        for &u in &order {
            let mut history = History::default();
            for (s, view) in views[u].iter().enumerate() {
                let gold = &units[u].sentences[s].gold;
                let n = view.tokens.len().min(gold.len());
                let gold = &gold[..n];
                let statics = &static_features[u][s];
                let context = SentenceHistory::new(view, &history);
                let mut beam = vec![Hypothesis::default()];
                let mut updated = false;
                for i in 0..n {
                    let mut scores = [0f32; TAG_COUNT];
                    for &f in &statics[i] {
                        learner.add(f, &mut scores);
                    }
                    beam = beam_step(
                        view,
                        &context,
                        i,
                        &beam,
                        &scores,
                        &learner,
                        BEAM_WIDTH,
                        &mut features,
                    );
                    // Early update (Collins & Roark 2004): once the gold
                    // prefix falls out of the beam.
                    if !updated && !beam.iter().any(|h| h.tags[..] == gold[..=i]) {
                        learner.update_sequences(
                            view,
                            &context,
                            statics,
                            &gold[..=i],
                            &beam[0].tags,
                            &mut features,
                        );
                        updated = true;
                    }
                }
                let predicted = beam.swap_remove(0).tags;
                if !updated && predicted[..] != gold[..] {
                    learner.update_sequences(
                        view,
                        &context,
                        statics,
                        gold,
                        &predicted,
                        &mut features,
                    );
                }
                learner.c += n as f64;
                for (i, &tag) in predicted.iter().enumerate() {
                    history.push(view.tokens[i].lower, view.offset + i, tag);
                }
            }
        }
        let tagger = Tagger {
            weights: learner.averaged(options.prune),
            gazetteer: full.clone(),
            lists: lists.clone(),
            vocab_casing: vocab_casing.clone(),
        };
        on_epoch(epoch, &tagger);
        if epoch == options.epochs {
            return tagger;
        }
    }
    Tagger {
        weights: learner.averaged(options.prune),
        gazetteer: full,
        lists: lists.clone(),
        vocab_casing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conll;

    /// A made-up corpus: people say things in places, companies report.
    fn corpus() -> Vec<Vec<Sentence>> {
        let mut text = String::new();
        let people = ["Anna Berg", "Tomas Ruud", "Lena Holm", "Piet Smit"];
        let places = ["Oslo", "Bergen", "Tromso", "Utrecht"];
        let firms = ["Norsk Hydro", "Statoil", "Philips", "Telenor"];
        for round in 0..12 {
            let person = people[round % 4];
            let place = places[(round + 1) % 4];
            let firm = firms[(round + 2) % 4];
            let (first, last) = person.split_once(' ').expect("two names");
            text.push_str(&format!(
                "{first} B-PER\n{last} I-PER\nsaid O\nin O\n{place} B-LOC\nthat O\n"
            ));
            for (i, word) in firm.split(' ').enumerate() {
                let tag = if i == 0 { "B-ORG" } else { "I-ORG" };
                text.push_str(&format!("{word} {tag}\n"));
            }
            text.push_str("made O\nprofits O\n. O\n\n");
        }
        conll::parse(&text, true).expect("corpus parses").documents
    }

    #[test]
    fn learns_a_toy_corpus_deterministically() {
        let documents = corpus();
        let options = TrainOptions {
            epochs: 5,
            folds: 2,
            unit: 3,
            ..TrainOptions::default()
        };
        let lists = Gazetteer::default();
        let a = train(&documents, &lists, &options, |_, _| {});
        let b = train(&documents, &lists, &options, |_, _| {});
        let bytes = a.to_bytes();
        assert_eq!(bytes, b.to_bytes(), "training is deterministic");
        let loaded = Tagger::from_bytes(&bytes).expect("round trip");
        assert_eq!(loaded.to_bytes(), bytes);
        let tokens = [
            "Lena", "Holm", "said", "in", "Bergen", "that", "Statoil", "made", "profits", ".",
        ];
        let tags: Vec<String> = loaded
            .tag_sentence(&tokens)
            .iter()
            .map(|t| t.to_string())
            .collect();
        assert_eq!(
            tags,
            ["B-PER", "I-PER", "O", "O", "B-LOC", "O", "B-ORG", "O", "O", "O"]
        );
    }

    #[test]
    fn tune_reads_overrides() {
        let mut options = TrainOptions::default();
        options.tune("epochs=3, prune=1").expect("valid");
        assert_eq!((options.epochs, options.prune), (3, 1));
        assert!(options.tune("speed=9").is_err());
        assert!(options.tune("epochs").is_err());
    }

    #[test]
    fn the_embedded_model_loads_and_tags() {
        let tagger = Tagger::embedded().expect("embedded model");
        let tags = tagger.tag_sentence(&["Peter", "Blackburn", "visited", "Germany", "."]);
        assert_eq!(tags[3], Tag::B(crate::EntityType::Loc));
    }
}
