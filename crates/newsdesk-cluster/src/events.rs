//! Order-free events: the articles of a window grouped into events in one
//! batch, so that any order of the same articles gives the same events.
//!
//! The online clusterer ([`crate::Clusterer`]) decides each article when
//! it arrives, against the events formed so far: the same articles in
//! another order form other events (on NeuS val, BCubed F1 0.889 as listed
//! and 0.80 shuffled). Here every decision is made with all the articles
//! of the window in view ([`group_events`]; 0.917 in every order):
//!
//! 1. The articles are put in a canonical order (by their key, the
//!    content id), so that term numbering and every floating-point sum are
//!    the same whatever order they came in.
//! 2. Each article becomes unit TF-IDF vectors over the window's document
//!    frequencies (IDF raised to [`PairModel::idf_exponent`]): all its
//!    terms, its word stems alone, its names alone, its title alone, and
//!    all its terms with plain IDF.
//! 3. Each article's [`PairModel::neighbours`] most similar articles are
//!    found through an inverted index over its heaviest terms that are not
//!    too common, then compared on all their terms (on the cores); every
//!    pair in which one is among the other's neighbours is a candidate.
//! 4. A pair is measured ([`PAIR_FEATURE_NAMES`]): its cosines, how close
//!    it is beside each article's best match (relative similarity,
//!    reciprocal rank, and the similarity above the two articles' usual
//!    closeness to their neighbours, as CSLS corrects hubness), length. A
//!    logistic model learnt on NeuS train ([`PairModel`], the
//!    `train-pairs` example) turns that into the probability that the two
//!    report one event ([`PairModel::weight`]); pairs beyond the lengths it
//!    learnt from are weighed by their cosine (headlines, full reports),
//!    and dated pairs lose weight with the days between them
//!    ([`PairModel::time`]).
//! 5. Articles are grouped by average link over every pair of two groups
//!    ([`average_link`]: a pair that is no candidate is measured when its
//!    groups meet), merging the closest groups while their mean reaches
//!    [`PairModel::threshold`]; ties go to the groups first in the
//!    canonical order. Copies of one text known to the caller
//!    (near-duplicates) start in one group.
//!
//! Nothing depends on the order the articles were given in, only on the
//! set.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::centroids::gaussian_decay;
use crate::clusterer::top_first;
use crate::explain::dot;
use crate::features::ArticleFeatures;
use crate::fxhash::IdMap;
use crate::linking::Candidate;
use crate::vectorize::{smoothed_idf, to_unit_length, NAME_PREFIX};
use crate::vocabulary::CountedTerms;

/// How many measurements describe a candidate pair.
pub const PAIR_FEATURES: usize = 14;

/// The measurements of a candidate pair, in order.
pub const PAIR_FEATURE_NAMES: [&str; PAIR_FEATURES] = [
    "cosine",
    "cosine of word stems",
    "cosine of names",
    "cosine of titles",
    "lower relative similarity (cosine / each article's best)",
    "higher relative similarity",
    "lower reciprocal rank",
    "higher reciprocal rank",
    "cosine above the two articles' mean neighbour cosine",
    "undated pair",
    "ln(1 + days apart)",
    "ln terms of the shorter article",
    "cosine x ln terms of the shorter article",
    "an article without names",
];

/// Terms held by more articles of a window than this (or than 1% of
/// them, if more) find no neighbours: they only count in the cosines.
const COMMON_TERMS: usize = 1000;

/// How many of an article's heaviest terms find its candidate
/// neighbours (a full report has hundreds).
const PROBE_TERMS: usize = 32;

/// How many times the neighbours wanted are compared on all their terms
/// when common terms were passed over in finding them.
const RESCORED: usize = 4;

/// Where "ln terms of the shorter article" is among the measurements.
const SHORTER_LN_TERMS: usize = 11;

/// How many of each article's closest neighbours its usual closeness is
/// the mean of (measurement 8).
const CLOSENESS_OF: usize = 3;

/// How articles are grouped into events.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventGrouping {
    /// Each article as it arrives, against the events before it (the
    /// online clusterer's events): depends on the order.
    Online,
    /// All the articles of a collection at once, by this pair decision
    /// ([`group_events`]): the same events in any order.
    Batch(PairModel),
}

impl Default for EventGrouping {
    /// In batch, with the shipped pair decision.
    fn default() -> Self {
        EventGrouping::Batch(PairModel::default())
    }
}

/// The learned pair decision and the settings it was learnt with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairModel {
    /// The intercept.
    pub bias: f64,
    /// One weight per measurement, in the order of [`PAIR_FEATURE_NAMES`].
    pub weights: [f64; PAIR_FEATURES],
    /// Average pair probability at which two groups merge.
    pub threshold: f64,
    /// Lowest pair weight two groups must reach to merge (every article
    /// of one a candidate of every article of the other): 0 turns the
    /// test off.
    pub floor: f64,
    /// The power to which IDF is raised in every cosine.
    pub idf_exponent: f64,
    /// How many closest articles each article is paired with.
    pub neighbours: usize,
    /// Fewest distinct terms of the articles the model learnt from: a pair
    /// with a shorter article (a headline) is beyond what it knows, and
    /// weighs 1 when its cosine reaches [`PairModel::short_cosine`], 0
    /// otherwise.
    pub short_terms: usize,
    /// The cosine at which a pair with a short article is one event.
    pub short_cosine: f64,
    /// Most distinct terms of the articles the model learnt from: a pair
    /// of longer articles (full reports) is beyond what it knows too, and
    /// weighs its cosine with plain IDF, scaled so that groups of them
    /// merge while their mean cosine reaches [`PairModel::long_cosine`]
    /// (at most 1): the online clusterer's average-link test, in batch.
    pub long_terms: usize,
    /// The mean cosine (plain IDF) at which groups of full reports merge:
    /// the online clusterer's [`crate::ClusterConfig::event_threshold`].
    pub long_cosine: f64,
    /// How time lowers the weight of a dated pair. The model learnt from
    /// undated articles, so this is set apart from it: nothing within a
    /// day, then a Gaussian of sigma half a day, so that reports two days
    /// apart (the seeds' Herat and Kandahar on 13 August, Kabul on 15
    /// August) are two developments however alike their words.
    pub time: Decay,
}

mod weights;

impl Default for PairModel {
    /// The shipped weights (`src/events/weights.rs`), learnt on NeuS
    /// train; headline pairs join at a cosine of 0.3.
    fn default() -> Self {
        PairModel {
            bias: weights::BIAS,
            weights: weights::WEIGHTS,
            threshold: weights::THRESHOLD,
            floor: 0.0,
            idf_exponent: weights::IDF_EXPONENT,
            neighbours: weights::NEIGHBOURS,
            short_terms: weights::SHORT_TERMS,
            short_cosine: 0.3,
            long_terms: weights::LONG_TERMS,
            long_cosine: 0.25,
            time: Decay {
                grace_days: 1.0,
                sigma_days: 0.5,
            },
        }
    }
}

impl PairModel {
    /// The weight of a pair with these measurements (and this cosine with
    /// plain IDF): the probability that it is one event; for a pair with a
    /// short article, whether its cosine reaches
    /// [`PairModel::short_cosine`]; for two full reports, their plain
    /// cosine scaled by [`PairModel::long_cosine`].
    pub fn weight(&self, features: &[f64; PAIR_FEATURES], plain_cosine: f64) -> f64 {
        let shorter = features[SHORTER_LN_TERMS].exp() - 1.0;
        if shorter < self.short_terms as f64 - 0.5 {
            return f64::from(u8::from(features[0] >= self.short_cosine));
        }
        if shorter > self.long_terms as f64 + 0.5 && self.long_cosine > 0.0 {
            return (plain_cosine * self.threshold / self.long_cosine).min(1.0);
        }
        self.probability(features)
    }

    /// The probability that a pair with these measurements is one event.
    pub fn probability(&self, features: &[f64; PAIR_FEATURES]) -> f64 {
        crate::merge::logistic_probability(self.bias, &self.weights, features)
    }
}

/// The candidate pairs of a window, measured.
#[derive(Debug, Clone, Default)]
pub struct PairTable {
    /// (first, second, measurements, time factor), by the articles'
    /// positions as given (first < second).
    pub pairs: Vec<(usize, usize, [f64; PAIR_FEATURES], f64)>,
}

/// How time lowers the weight of a pair of dated articles: nothing within
/// a grace period, then a Gaussian of the days beyond it (as the online
/// clusterer lowers its similarities, [`crate::ClusterConfig::event_sigma_days`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decay {
    /// Days apart that cost nothing.
    pub grace_days: f64,
    /// Width of the Gaussian beyond the grace, in days; 0: no decay.
    pub sigma_days: f64,
}

impl Decay {
    /// The factor of two articles' days (1 when either is undated).
    pub fn between(&self, a: Option<i32>, b: Option<i32>) -> f64 {
        match (a, b) {
            (Some(a), Some(b)) => gaussian_decay(a - b, self.grace_days, self.sigma_days),
            _ => 1.0,
        }
    }
}

/// One article's vectors over the window.
struct Vectors {
    /// All its terms with plain IDF (for full reports, [`PairModel::long_cosine`]).
    plain: Vec<(u32, f32)>,
    all: Vec<(u32, f32)>,
    words: Vec<(u32, f32)>,
    names: Vec<(u32, f32)>,
    title: Vec<(u32, f32)>,
    terms: usize,
    day: Option<i32>,
}

/// The articles of a window, vectorised over the window in canonical
/// order, with each one's closest neighbours: what a pair is measured
/// with ([`Window::measure`]), whether it is a candidate or not.
struct Window {
    /// Canonical position → position as given.
    order: Vec<usize>,
    /// By canonical position.
    vectors: Vec<Vectors>,
    /// Each article's closest articles (cosine, canonical position), the
    /// closest first.
    closest: Vec<Vec<(f64, usize)>>,
    /// Each article's highest cosine to another.
    best: Vec<f64>,
    /// Each article's mean cosine to its closest few.
    usual: Vec<f64>,
    neighbours: usize,
    time: Decay,
}

impl Window {
    /// The window of `items` (a key and its features each; keys decide
    /// the canonical order, so they should be unique), with IDF raised to
    /// `idf_exponent` and `neighbours` closest articles per article.
    /// Neighbours are found by cosine alone, as the model learnt them:
    /// ranked among the same day's articles only, an article's best match
    /// in another topic looks as close as a report of its own event.
    fn of(
        items: &[(&str, &ArticleFeatures)],
        idf_exponent: f64,
        neighbours: usize,
        time: Decay,
    ) -> Self {
        let n = items.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| items[a].0.cmp(items[b].0).then(a.cmp(&b)));
        // Terms numbered in the canonical order.
        let mut terms = CountedTerms::default();
        let counted: Vec<Vec<(u32, f32)>> =
            order.iter().map(|&i| terms.count(items[i].1)).collect();
        let docs = n as f64;
        let idf: Vec<f64> = terms
            .df
            .iter()
            .map(|&df| smoothed_idf(docs, f64::from(df)).powf(idf_exponent))
            .collect();
        let plain_idf: Vec<f64> = terms
            .df
            .iter()
            .map(|&df| smoothed_idf(docs, f64::from(df)))
            .collect();
        let is_name: Vec<bool> = terms
            .vocab
            .iter()
            .map(|t| t.starts_with(NAME_PREFIX))
            .collect();
        let vectors: Vec<Vectors> = order
            .iter()
            .zip(&counted)
            .map(|(&i, raw)| {
                let weighted: Vec<(u32, f32)> = raw
                    .iter()
                    .map(|&(t, w)| (t, (f64::from(w) * idf[t as usize]) as f32))
                    .collect();
                let unit = |keep: &dyn Fn(u32) -> bool| {
                    let mut v: Vec<(u32, f32)> =
                        weighted.iter().copied().filter(|&(t, _)| keep(t)).collect();
                    to_unit_length(&mut v);
                    v
                };
                let features = items[i].1;
                let mut title: Vec<(u32, f32)> = features
                    .title
                    .iter()
                    .zip(&features.title_hashes)
                    .filter_map(|(t, &h)| terms.lookup.get(t, h, &terms.vocab))
                    .map(|t| (t, idf[t as usize] as f32))
                    .collect();
                title.sort_unstable_by_key(|&(t, _)| t);
                title.dedup_by_key(|&mut (t, _)| t);
                to_unit_length(&mut title);
                let mut plain: Vec<(u32, f32)> = raw
                    .iter()
                    .map(|&(t, w)| (t, (f64::from(w) * plain_idf[t as usize]) as f32))
                    .collect();
                to_unit_length(&mut plain);
                Vectors {
                    plain,
                    all: unit(&|_| true),
                    words: unit(&|t| !is_name[t as usize]),
                    names: unit(&|t| is_name[t as usize]),
                    title,
                    terms: raw.len(),
                    day: features.day,
                }
            })
            .collect();
        // Postings of the full vectors, by canonical position.
        let term_count = terms.df.len();
        let mut starts = vec![0usize; term_count + 1];
        for v in &vectors {
            for &(t, _) in &v.all {
                starts[t as usize + 1] += 1;
            }
        }
        for t in 0..term_count {
            starts[t + 1] += starts[t];
        }
        let mut entries = vec![(0u32, 0.0f32); starts[term_count]];
        let mut fill = starts.clone();
        for (a, v) in vectors.iter().enumerate() {
            for &(t, w) in &v.all {
                entries[fill[t as usize]] = (a as u32, w);
                fill[t as usize] += 1;
            }
        }
        // Each article's closest neighbours (cosine, canonical position).
        // Candidates are gathered through an article's `PROBE_TERMS`
        // heaviest terms among those that at most `COMMON_TERMS` (or 1% of
        // the window's) articles hold, so that the cost per article stays
        // flat as the window and the articles grow; the closest of them
        // are then compared on all their terms.
        let common = COMMON_TERMS.max(n / 100);
        let by_closeness =
            |x: &(f64, usize), y: &(f64, usize)| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1));
        // The closest of the articles `range`, each from its own scratch.
        let closest_of = |range: std::ops::Range<usize>| -> Vec<Vec<(f64, usize)>> {
            let mut dots = vec![0.0f64; n];
            let mut touched: Vec<usize> = Vec::new();
            let mut closest: Vec<Vec<(f64, usize)>> = Vec::with_capacity(range.len());
            let mut found: Vec<(f64, usize)> = Vec::new();
            let mut probes: Vec<(u32, f32)> = Vec::new();
            let mut dense = vec![0.0f32; term_count];
            for a in range {
                let v = &vectors[a];
                // Its heaviest terms, not too common, find the candidates.
                probes.clear();
                probes.extend(
                    v.all
                        .iter()
                        .copied()
                        .filter(|&(t, _)| starts[t as usize + 1] - starts[t as usize] <= common),
                );
                let mut partial = probes.len() < v.all.len();
                if probes.len() > PROBE_TERMS {
                    top_first(&mut probes, PROBE_TERMS, |x, y| {
                        y.1.total_cmp(&x.1).then(x.0.cmp(&y.0))
                    });
                    probes.truncate(PROBE_TERMS);
                    partial = true;
                }
                for &(t, w) in &probes {
                    let list = &entries[starts[t as usize]..starts[t as usize + 1]];
                    for &(b, x) in list {
                        let b = b as usize;
                        if b == a {
                            continue;
                        }
                        if dots[b] == 0.0 {
                            touched.push(b);
                        }
                        dots[b] += f64::from(w) * f64::from(x);
                    }
                }
                found.clear();
                for b in touched.drain(..) {
                    let dot = std::mem::take(&mut dots[b]);
                    if dot > 0.0 {
                        found.push((dot, b));
                    }
                }
                if partial {
                    let kept = neighbours * RESCORED;
                    top_first(&mut found, kept, by_closeness);
                    found.truncate(kept);
                    // The article laid out by term: each candidate's dot
                    // product is one look-up per term of the candidate.
                    for &(t, w) in &v.all {
                        dense[t as usize] = w;
                    }
                    for (dot, b) in &mut found {
                        *dot = vectors[*b]
                            .all
                            .iter()
                            .map(|&(t, x)| f64::from(dense[t as usize]) * f64::from(x))
                            .sum();
                    }
                    for &(t, _) in &v.all {
                        dense[t as usize] = 0.0;
                    }
                }
                top_first(&mut found, neighbours, by_closeness);
                found.truncate(neighbours);
                closest.push(found.clone());
            }
            closest
        };
        // Contiguous shares on the cores, joined in order: the same lists
        // as one thread makes.
        let threads = std::thread::available_parallelism()
            .map_or(1, |t| t.get())
            .min(4)
            .min(n / 256 + 1);
        let share = n.div_ceil(threads.max(1)).max(1);
        let closest: Vec<Vec<(f64, usize)>> = if threads <= 1 {
            closest_of(0..n)
        } else {
            std::thread::scope(|scope| {
                let parts: Vec<_> = (0..n)
                    .step_by(share)
                    .map(|from| {
                        let closest_of = &closest_of;
                        scope.spawn(move || closest_of(from..(from + share).min(n)))
                    })
                    .collect();
                parts
                    .into_iter()
                    .flat_map(|part| {
                        part.join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    })
                    .collect()
            })
        };
        let best: Vec<f64> = closest
            .iter()
            .map(|c| c.first().map_or(0.0, |&(d, _)| d))
            .collect();
        let usual: Vec<f64> = closest
            .iter()
            .map(|c| {
                let top = &c[..c.len().min(CLOSENESS_OF)];
                if top.is_empty() {
                    0.0
                } else {
                    top.iter().map(|&(d, _)| d).sum::<f64>() / top.len() as f64
                }
            })
            .collect();
        Window {
            order,
            vectors,
            closest,
            best,
            usual,
            neighbours,
            time,
        }
    }

    /// The pairs in which one article is among the other's closest, by
    /// canonical positions (lower first), sorted.
    fn candidates(&self) -> Vec<(usize, usize)> {
        let mut candidates: Vec<(usize, usize)> = self
            .closest
            .iter()
            .enumerate()
            .flat_map(|(a, c)| c.iter().map(move |&(_, b)| (a.min(b), a.max(b))))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    /// Where `b` is among `a`'s closest (from 1), or one past them.
    fn rank(&self, a: usize, b: usize) -> usize {
        self.closest[a]
            .iter()
            .position(|&(_, x)| x == b)
            .map_or(self.neighbours + 1, |r| r + 1)
    }

    /// The measurements of the pair of canonical positions `a` and `b`,
    /// its time factor, and its cosine with plain IDF.
    fn measure(&self, a: usize, b: usize) -> ([f64; PAIR_FEATURES], f64, f64) {
        let (x, y) = (&self.vectors[a], &self.vectors[b]);
        let cosine = dot(&x.all, &y.all);
        let decay = self.time.between(x.day, y.day);
        let relative = |k: usize| {
            if self.best[k] > 0.0 {
                cosine / self.best[k]
            } else {
                0.0
            }
        };
        let (ra, rb) = (relative(a), relative(b));
        let (ka, kb) = (1.0 / self.rank(a, b) as f64, 1.0 / self.rank(b, a) as f64);
        let days = match (x.day, y.day) {
            (Some(p), Some(q)) => Some(f64::from((p - q).abs())),
            _ => None,
        };
        let shorter = (x.terms.min(y.terms) as f64 + 1.0).ln();
        let features = [
            cosine,
            dot(&x.words, &y.words),
            dot(&x.names, &y.names),
            dot(&x.title, &y.title),
            ra.min(rb),
            ra.max(rb),
            ka.min(kb),
            ka.max(kb),
            cosine - (self.usual[a] + self.usual[b]) / 2.0,
            f64::from(u8::from(days.is_none())),
            days.map_or(0.0, |d| (1.0 + d).ln()),
            shorter,
            cosine * shorter,
            f64::from(u8::from(x.names.is_empty() || y.names.is_empty())),
        ];
        (features, decay, dot(&x.plain, &y.plain))
    }
}

/// The candidate pairs of `items` (a key and its features each; keys
/// decide the canonical order, so they should be unique) and their
/// measurements, with IDF raised to `idf_exponent` and `neighbours`
/// closest articles per article, and the time factor of each pair by
/// `time`: the pairs a model learns from.
pub fn pair_table(
    items: &[(&str, &ArticleFeatures)],
    idf_exponent: f64,
    neighbours: usize,
    time: Decay,
) -> PairTable {
    let window = Window::of(items, idf_exponent, neighbours, time);
    let pairs = window
        .candidates()
        .into_iter()
        .map(|(a, b)| {
            let (features, decay, _) = window.measure(a, b);
            let (p, q) = (window.order[a], window.order[b]);
            (p.min(q), p.max(q), features, decay)
        })
        .collect();
    PairTable { pairs }
}

/// The events of `items` (an event number per item, as given; numbered
/// from 1 in order of each event's first item): candidate pairs scored by
/// `model`, grouped by average link over every pair of articles of two
/// groups (a pair that is no candidate is measured when its groups meet).
///
/// `copies` are pairs of items (positions as given) known to be copies of
/// one text (near-duplicates, reprints): they start in one group, so that
/// the pairs of fifty reprints of one report, each with only ten
/// neighbours, need not find one another.
pub fn group_events(
    items: &[(&str, &ArticleFeatures)],
    copies: &[(usize, usize)],
    model: &PairModel,
) -> Vec<u64> {
    let window = Window::of(items, model.idf_exponent, model.neighbours, model.time);
    let weight = |a: usize, b: usize| {
        let (features, decay, plain) = window.measure(a, b);
        model.weight(&features, plain) * decay
    };
    let edges: Vec<(usize, usize, f64)> = window
        .candidates()
        .into_iter()
        .map(|(a, b)| (a, b, weight(a, b)))
        .collect();
    let mut canonical = vec![0usize; items.len()];
    for (c, &i) in window.order.iter().enumerate() {
        canonical[i] = c;
    }
    let together: Vec<(usize, usize)> = copies
        .iter()
        .filter(|&&(a, b)| a < items.len() && b < items.len())
        .map(|&(a, b)| {
            let (x, y) = (canonical[a], canonical[b]);
            (x.min(y), x.max(y))
        })
        .collect();
    let roots = average_link(
        items.len(),
        &edges,
        &together,
        model.threshold,
        model.floor,
        &weight,
    );
    let mut numbers: IdMap<usize, u64> = IdMap::default();
    (0..items.len())
        .map(|i| {
            let root = roots[canonical[i]];
            let next = numbers.len() as u64 + 1;
            *numbers.entry(root).or_insert(next)
        })
        .collect()
}

/// The group (a root index) of each of `n` items after average-link
/// agglomeration: the items of each pair of `together` start in one group;
/// two groups are adjacent once an item pair between them is one of
/// `edges`, and the two adjacent groups of highest mean pair weight (over
/// every pair of their items: `weight` gives those that are no edge)
/// merge while it reaches `threshold` and their lowest pair weight reaches
/// `floor`; ties go to the lower indices. The edges' weights must be
/// `weight`'s.
pub fn average_link(
    n: usize,
    edges: &[(usize, usize, f64)],
    together: &[(usize, usize)],
    threshold: f64,
    floor: f64,
    weight: &dyn Fn(usize, usize) -> f64,
) -> Vec<usize> {
    let mut state = Agglomeration {
        rows: vec![IdMap::default(); n],
        members: (0..n).map(|i| vec![i]).collect(),
        version: vec![0; n],
        parent: (0..n).collect(),
        heap: BinaryHeap::new(),
        best: vec![f64::NEG_INFINITY; n],
        threshold,
        floor,
    };
    for &(a, b, w) in edges {
        if a != b && a < n && b < n {
            state.rows[a].insert(b, (w, w));
            state.rows[b].insert(a, (w, w));
        }
    }
    for &(a, b) in together {
        if a < n && b < n {
            let (x, y) = (state.root(a), state.root(b));
            if x != y {
                state.join(x.min(y), x.max(y), weight);
            }
        }
    }
    for a in 0..n {
        if state.parent[a] == a {
            state.offer_best(a);
        }
    }
    while let Some(m) = state.heap.pop() {
        let (a, b) = (m.a, m.b);
        let alive = |state: &Agglomeration, g: usize| state.parent[g] == g;
        if alive(&state, a)
            && alive(&state, b)
            && (state.version[a], state.version[b]) == (m.version_a, m.version_b)
        {
            state.join(a, b, weight);
            continue;
        }
        // A group whose best merge went stale while it stayed as it was
        // (its partner merged elsewhere) offers its best again.
        for (g, version) in [(a, m.version_a), (b, m.version_b)] {
            if alive(&state, g) && state.version[g] == version {
                state.offer_best(g);
            }
        }
    }
    (0..n).map(|e| state.root(e)).collect()
}

/// The state of [`average_link`].
struct Agglomeration {
    /// Per group: the adjacent groups, (sum, lowest) over all pairs.
    rows: Vec<IdMap<usize, (f64, f64)>>,
    members: Vec<Vec<usize>>,
    version: Vec<u32>,
    parent: Vec<usize>,
    heap: BinaryHeap<Candidate>,
    /// Per group: the mean of the best merge offered for it (the heap
    /// holds each group's best, not every adjacent pair).
    best: Vec<f64>,
    threshold: f64,
    floor: f64,
}

impl Agglomeration {
    fn root(&self, mut e: usize) -> usize {
        while self.parent[e] != e {
            e = self.parent[e];
        }
        e
    }

    /// The mean pair weight of groups `x` and `y` with their (sum,
    /// lowest), if they may merge.
    fn mergeable(&self, x: usize, y: usize, pair: (f64, f64)) -> Option<f64> {
        let average = pair.0 / (self.members[x].len() * self.members[y].len()) as f64;
        (average >= self.threshold && pair.1 >= self.floor).then_some(average)
    }

    /// Offers the merge of groups `x` and `y` at `average`.
    fn push(&mut self, x: usize, y: usize, average: f64) {
        let (a, b) = (x.min(y), x.max(y));
        self.heap.push(Candidate {
            average,
            a,
            b,
            version_a: self.version[a],
            version_b: self.version[b],
        });
    }

    /// Offers group `g`'s best merge (highest mean; ties: the lower
    /// index), if it has one.
    fn offer_best(&mut self, g: usize) {
        let mut best: Option<(f64, usize)> = None;
        for (&k, &pair) in &self.rows[g] {
            if let Some(average) = self.mergeable(g, k, pair) {
                let better = best.is_none_or(|(top, at)| {
                    average.total_cmp(&top).then(at.cmp(&k)) == Ordering::Greater
                });
                if better {
                    best = Some((average, k));
                }
            }
        }
        self.best[g] = best.map_or(f64::NEG_INFINITY, |(average, _)| average);
        if let Some((average, k)) = best {
            self.push(g, k, average);
        }
    }

    /// Merges group `b` into group `a` (`a` < `b`, both roots) and offers
    /// the merged group's merges.
    fn join(&mut self, a: usize, b: usize, weight: &dyn Fn(usize, usize) -> f64) {
        self.parent[b] = a;
        let row_b = std::mem::take(&mut self.rows[b]);
        let row_a = std::mem::take(&mut self.rows[a]);
        let mut adjacent: Vec<usize> = row_a
            .keys()
            .chain(row_b.keys())
            .copied()
            .filter(|&k| k != a && k != b)
            .collect();
        adjacent.sort_unstable();
        adjacent.dedup();
        // Sum and lowest over all pairs of two groups.
        let between = |x: &[usize], y: &[usize]| {
            let (mut sum, mut lowest) = (0.0, f64::INFINITY);
            for &i in x {
                for &j in y {
                    let w = weight(i.min(j), i.max(j));
                    sum += w;
                    lowest = lowest.min(w);
                }
            }
            (sum, lowest)
        };
        let mut merged: Vec<(usize, (f64, f64))> = Vec::with_capacity(adjacent.len());
        for k in adjacent {
            let of = |row: &IdMap<usize, (f64, f64)>, g: usize| match row.get(&k) {
                Some(&pair) => pair,
                None => between(&self.members[g], &self.members[k]),
            };
            let (pa, pb) = (of(&row_a, a), of(&row_b, b));
            merged.push((k, (pa.0 + pb.0, pa.1.min(pb.1))));
        }
        let moved = std::mem::take(&mut self.members[b]);
        self.members[a].extend(moved);
        self.version[a] += 1;
        let mut row = IdMap::default();
        for &(k, pair) in &merged {
            self.rows[k].remove(&b);
            self.rows[k].insert(a, pair);
            row.insert(k, pair);
        }
        self.rows[a] = row;
        self.offer_best(a);
        // A neighbour for which the merged group is a better merge than
        // the best it offered is offered that one too.
        for (k, pair) in merged {
            if let Some(average) = self.mergeable(a, k, pair) {
                if average > self.best[k] {
                    self.best[k] = average;
                    self.push(a, k, average);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use newsdesk_model::Article;

    use super::*;
    use crate::ClusterConfig;

    #[test]
    fn groups_merge_while_their_mean_pair_weight_reaches_the_threshold() {
        // 0–1 close, 2 close to 1 only: {0, 1} first, then 2 at a mean of
        // (0 + 0.8) / 2 = 0.4.
        let edges = [(0, 1, 0.9), (1, 2, 0.8)];
        let weight = |a: usize, b: usize| {
            edges
                .iter()
                .find(|&&(x, y, _)| (x, y) == (a, b))
                .map_or(0.0, |e| e.2)
        };
        let r = average_link(4, &edges, &[], 0.5, 0.0, &weight);
        assert_eq!(r[0], r[1]);
        assert_ne!(r[1], r[2]);
        assert_eq!(r[3], 3, "no edge, alone");
        let r = average_link(4, &edges, &[], 0.4, 0.0, &weight);
        assert_eq!((r[0], r[1], r[2]), (0, 0, 0));
        // A floor above 0 needs every pair: 0–2 weighs 0.
        let r = average_link(4, &edges, &[], 0.4, 0.1, &weight);
        assert_ne!(r[0], r[2]);
        assert!(average_link(0, &[], &[], 0.5, 0.0, &weight).is_empty());
        // Edges beyond the items or onto themselves are passed over.
        let none = [(0, 5, 1.0), (1, 1, 1.0)];
        assert_eq!(average_link(2, &none, &[], 0.5, 0.0, &weight), [0, 1]);
    }

    #[test]
    fn pairs_that_are_no_edge_count_with_their_own_weight() {
        // Three items alike two by two, but only 0–1 and 1–2 are edges:
        // 0–2 (weighing 0.9 too) counts once {0, 1} meets 2.
        let edges = [(0, 1, 0.9), (1, 2, 0.9)];
        let r = average_link(3, &edges, &[], 0.8, 0.0, &|_, _| 0.9);
        assert_eq!(r, [0, 0, 0]);
        // Weighing 0 instead, it holds the mean at 0.45.
        let weight = |a: usize, b: usize| if (a, b) == (0, 2) { 0.0 } else { 0.9 };
        let r = average_link(3, &edges, &[], 0.8, 0.0, &weight);
        assert_ne!(r[0], r[2]);
        // Items kept together start as one group, whatever their pairs.
        let r = average_link(3, &[], &[(2, 0)], 0.8, 0.0, &|_, _| 0.0);
        assert_eq!(r, [0, 1, 0]);
    }

    fn doc(id: &str, title: &str, text: &str) -> (String, ArticleFeatures) {
        let mut article = Article::new(text);
        article.title = Some(title.to_owned());
        article.id = newsdesk_model::ArticleId(id.to_owned());
        let doc = newsdesk_text::analyze(article);
        (
            id.to_owned(),
            ArticleFeatures::of(&doc, &ClusterConfig::default()),
        )
    }

    /// Three reports of a dam's cracks, three of a tram vote, three of a
    /// port strike, written for this test at lede length.
    fn reports() -> Vec<(String, ArticleFeatures)> {
        vec![
            doc("a1", "Cracks found in Veldmoor dam spillway", "Engineers inspecting the Veldmoor dam found deep cracks in its concrete spillway on Monday and ordered the reservoir lowered while repairs are planned, the regional water authority said in a statement."),
            doc("t1", "Dunmere council approves tram line", "The Dunmere city council voted 31 to 12 on Tuesday to build a new tram line from the harbour to the university, ending a decade of argument over the route and its cost."),
            doc("p1", "Dockers strike shuts Ostrava port", "Dock workers at the port of Ostrava walked out on Wednesday over pay, leaving container ships waiting offshore as the union said the strike would last until the operator improves its offer."),
            doc("a2", "Veldmoor reservoir lowered after dam cracks", "The water authority began lowering the Veldmoor reservoir after engineers found cracks in the dam's concrete spillway, and said repairs to the dam would take months."),
            doc("t2", "Tram line vote splits Dunmere", "Dunmere's council backed the harbour-to-university tram line by 31 votes to 12, a decision shop owners along the route called a blow to trade during construction."),
            doc("p2", "Ostrava port strike leaves ships waiting", "Container ships queued off Ostrava as dock workers kept up their strike over pay, and the port operator said it had made its final offer to the union."),
            doc("a3", "Dam spillway cracks alarm Veldmoor valley", "Residents below the Veldmoor dam worried about cracks engineers found in its spillway, as the authority lowered the reservoir and promised repairs to the concrete."),
            doc("t3", "Dunmere to build harbour tram", "A tram line from Dunmere harbour to the university will be built after councillors voted for the long-disputed route on Tuesday, the mayor's office said."),
            doc("p3", "Union vows to keep Ostrava dock strike going", "The dockers' union at Ostrava said the strike over pay would go on after the port operator called its offer final, with container ships still waiting to unload."),
        ]
    }

    fn view(items: &[(String, ArticleFeatures)]) -> Vec<(&str, &ArticleFeatures)> {
        items.iter().map(|(k, f)| (k.as_str(), f)).collect()
    }

    /// Which items share an event, as sorted pairs of keys.
    fn together(items: &[(String, ArticleFeatures)], events: &[u64]) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        for (i, (a, _)) in items.iter().enumerate() {
            for (j, (b, _)) in items.iter().enumerate() {
                if a < b && events[i] == events[j] {
                    pairs.push((a.clone(), b.clone()));
                }
            }
        }
        pairs.sort();
        pairs
    }

    #[test]
    fn events_are_the_same_in_any_order_of_the_articles() {
        let model = PairModel::default();
        let mut items = reports();
        let events = group_events(&view(&items), &[], &model);
        let given = together(&items, &events);
        // The three developments, each whole, nothing across them.
        let mut expected = Vec::new();
        for topic in ["a", "p", "t"] {
            for (x, y) in [(1, 2), (1, 3), (2, 3)] {
                expected.push((format!("{topic}{x}"), format!("{topic}{y}")));
            }
        }
        expected.sort();
        assert_eq!(given, expected);
        // Numbered by first article as given.
        assert_eq!(events[..3], [1, 2, 3]);
        items.reverse();
        let reversed = group_events(&view(&items), &[], &model);
        assert_eq!(together(&items, &reversed), given);
        items.rotate_left(4);
        let rotated = group_events(&view(&items), &[], &model);
        assert_eq!(together(&items, &rotated), given);
    }

    #[test]
    fn dated_reports_days_apart_are_other_events() {
        let model = PairModel::default();
        let time = model.time;
        let items = reports();
        let mut dated: Vec<(String, ArticleFeatures)> = items.into_iter().take(7).collect();
        // The third dam report a week after the others.
        dated[0].1.day = Some(100);
        dated[3].1.day = Some(100);
        dated[6].1.day = Some(107);
        let view: Vec<(&str, &ArticleFeatures)> =
            dated.iter().map(|(k, f)| (k.as_str(), f)).collect();
        let events = group_events(&view, &[], &model);
        assert_eq!(events[0], events[3]);
        assert_ne!(events[0], events[6]);
        assert!(time.between(Some(1), None) == 1.0 && time.between(Some(1), Some(2)) == 1.0);
        assert!(time.between(Some(1), Some(3)) < 0.2);
    }

    #[test]
    fn nothing_to_group_is_no_event() {
        assert!(group_events(&[], &[], &PairModel::default()).is_empty());
        let one = reports().into_iter().take(1).collect::<Vec<_>>();
        let view: Vec<(&str, &ArticleFeatures)> =
            one.iter().map(|(k, f)| (k.as_str(), f)).collect();
        assert_eq!(group_events(&view, &[], &PairModel::default()), [1]);
    }

    #[test]
    fn headline_and_full_report_pairs_are_weighed_by_their_cosine() {
        let model = PairModel::default();
        let mut features = [0.0; PAIR_FEATURES];
        features[SHORTER_LN_TERMS] = (1.0f64 + 8.0).ln();
        features[0] = 0.5;
        assert_eq!(model.weight(&features, 0.0), 1.0);
        features[0] = 0.1;
        assert_eq!(model.weight(&features, 1.0), 0.0);
        // Full reports: the plain cosine, scaled to the threshold.
        features[SHORTER_LN_TERMS] = (1.0f64 + 400.0).ln();
        let at = model.weight(&features, model.long_cosine);
        assert!((at - model.threshold).abs() < 1e-12);
        assert_eq!(model.weight(&features, 0.99), 1.0);
        features[SHORTER_LN_TERMS] = (1.0f64 + 40.0).ln();
        let p = model.weight(&features, 0.0);
        assert!(p > 0.0 && p < 1.0 && (p - model.probability(&features)).abs() < 1e-12);
    }
}
