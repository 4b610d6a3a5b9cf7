//! Groups (events or stories) as centroids of raw term weights, with an
//! inverted index from terms to the groups that contain them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::binary::{Put, Reader};

use crate::clusterer::top_first;
use crate::fxhash::IdMap;

/// How many groups one probe term contributes as candidates, at most.
const MAX_CANDIDATES_PER_TERM: usize = 64;

/// How many candidate groups are scored exactly, at most: those sharing
/// the most probe terms with the document.
const MAX_SCORED_CANDIDATES: usize = 48;

/// A group of up to this many times the document's terms is compared by
/// walking all its terms; a larger one by searching for the document's.
const SCAN_RATIO: usize = 32;

/// Below this time factor a group is not even scored: it is too far in
/// time to be joined (more than about four sigmas away).
const MIN_DECAY: f64 = 1e-4;

/// How many of a group's closest outsiders it remembers
/// ([`Centroid::rivals`]).
pub(crate) const RIVALS: usize = 2;

/// How time lowers the similarity of an article to a group last seen on
/// another day: a Gaussian of the gap in days beyond a grace period, as in
/// Miranda et al. 2018 (sigma of 3 days there). Without a date on either
/// side nothing is lowered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TimeDecay {
    /// The article's publication day (days since 1970-01-01).
    pub day: Option<i32>,
    /// Gaps up to this many days cost nothing.
    pub grace_days: f64,
    /// Width of the Gaussian beyond the grace period, in days; 0 turns the
    /// decay off.
    pub sigma_days: f64,
}

impl TimeDecay {
    fn factor(&self, group_day: Option<i32>) -> f64 {
        let (Some(day), Some(group_day)) = (self.day, group_day) else {
            return 1.0;
        };
        gaussian_decay(day - group_day, self.grace_days, self.sigma_days)
    }
}

/// The time factor of two days `apart`: 1 within `grace_days`, then a
/// Gaussian of width `sigma_days` (0 turns the decay off).
pub(crate) fn gaussian_decay(apart: i32, grace_days: f64, sigma_days: f64) -> f64 {
    if sigma_days <= 0.0 {
        return 1.0;
    }
    let gap = (f64::from(apart).abs() - grace_days).max(0.0);
    (-(gap * gap) / (2.0 * sigma_days * sigma_days)).exp()
}

/// How similar a document is to a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Linkage {
    /// IDF-weighted cosine to the group's centroid. Lenient with groups
    /// whose members differ, which suits stories.
    Centroid,
    /// Approximately the mean IDF-weighted cosine to the group's members
    /// (the dot product with the centroid over the member count and the
    /// document's own squared norm, exact when members have the document's
    /// norm). Stricter with groups that have grown diverse, so an event does
    /// not swallow the neighbouring events of its topic (BCubed F1 0.762 vs
    /// 0.722 for centroid cosine on neus_train).
    Average,
}

/// A document as [`Centroids::measure`] reads it.
pub(crate) struct DocTerms<'a> {
    /// Its terms, weighted by the IDF the decision measures in, with their
    /// kinds (word or name-like).
    pub weights: &'a DocWeights,
    /// The terms looked up in the inverted index.
    pub probe_terms: &'a [u32],
    /// The title's term ids.
    pub title_terms: &'a [u32],
    /// The document's sentence embedding (unit length), if it has one.
    pub embedding: Option<&'a [f32]>,
}

/// A candidate group and how a document compares with it (similarities
/// are already lowered by the time decay).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    /// The group's 0-based index.
    pub index: usize,
    /// Average-link similarity ([`Linkage::Average`]).
    pub average: f64,
    /// Average-link similarity over word stems only.
    pub words: f64,
    /// Average-link similarity over name-like terms only (0 when the
    /// document has none).
    pub names: f64,
    /// Mean cosine of the title's terms (unweighted) with the titles of
    /// the group's articles.
    pub same_title: f64,
    /// Days between the document and the group's latest article, when
    /// both are dated.
    pub gap_days: Option<f64>,
    /// Average-link similarity without the time decay (what
    /// [`Centroid::rivals`] remembers).
    pub timeless: f64,
    /// How many of the group's remembered outsiders ([`Centroid::rivals`])
    /// resembled it more than this document does, 0 to [`RIVALS`]: the
    /// group's side of "are we each other's closest match".
    pub closer_rivals: f64,
    /// Average-link similarity (without time decay) minus the mean at
    /// which the group's later members joined it ([`Centroid::bonds`]); 0
    /// for a group of one. Below 0: the document fits the group less well
    /// than its members fit one another.
    pub cohesion_gap: f64,
    /// Mean cosine of the document's embedding with those of the group's
    /// members (lowered by the time decay), when both have embeddings.
    pub dense: Option<f64>,
    /// `dense` without the time decay (what [`Centroid::dense_bonds`]
    /// sums).
    pub dense_timeless: Option<f64>,
    /// As `cohesion_gap`, over the embeddings (0 when the group has no
    /// earlier bonds over them).
    pub dense_gap: f64,
}

/// One group's summed term weights (before IDF) and its size.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Centroid {
    /// Term id → summed sublinear term frequency of the members.
    pub terms: TermWeights,
    /// How many vectors were added.
    pub members: u32,
    /// What the group belongs to (an event's story; unused for stories).
    pub parent: u64,
    /// Squared norm of the IDF-weighted centroid, kept up to date
    /// incrementally: when a member is added, the terms it touches are
    /// re-weighted with the IDF of that moment and the others keep the IDF
    /// they were last weighted with. Recomputing it with today's IDF would
    /// cost the whole centroid per comparison; IDF of a group's established
    /// terms moves slowly (used by [`Linkage::Centroid`] only).
    #[serde(default)]
    pub norm_sq: f64,
    /// The latest publication day (days since 1970-01-01) of its members,
    /// if any was dated.
    #[serde(default)]
    pub last_day: Option<i32>,
    /// Term id → summed title weights of the members, each member's title
    /// terms weighing 1/√(their number) so that its title has unit length
    /// (kept for the learned merge decision only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub titles: BTreeMap<u32, f32>,
    /// The highest average-link similarities (without time decay, highest
    /// first, at most [`RIVALS`]) of articles that were compared with the
    /// group and did not join it, and of its first article to the groups it
    /// did not join: how close the nearest outsiders came. Kept for the
    /// learned merge decision only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rivals: Vec<f32>,
    /// The summed average-link similarities (without time decay) at which
    /// its members after the first joined it: how tightly it holds
    /// together. Kept for the learned merge decision only.
    #[serde(default, skip_serializing_if = "is_default")]
    pub bonds: f32,
    /// The sum of its members' sentence embeddings (unit vectors), when
    /// articles come with them; empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dense: Vec<f32>,
    /// How many members brought an embedding.
    #[serde(default, skip_serializing_if = "is_default")]
    pub dense_members: u32,
    /// As `bonds`, over the embeddings: the summed mean cosines at which
    /// its later members joined.
    #[serde(default, skip_serializing_if = "is_default")]
    pub dense_bonds: f32,
}

impl Centroid {
    /// The group as a state record's value ([`crate::binary`]): its
    /// numbers, then its terms, title terms, rivals and embedding sum as
    /// length-prefixed arrays.
    pub fn encode(&self) -> Vec<u8> {
        let entries = &self.terms.entries;
        let mut out = Vec::with_capacity(48 + 8 * (entries.len() + self.titles.len()));
        out.put_u32(self.members);
        out.put_u64(self.parent);
        out.put_f64(self.norm_sq);
        match self.last_day {
            Some(day) => {
                out.push(1);
                out.put_u32(day as u32);
            }
            None => out.push(0),
        }
        out.put_f32(self.bonds);
        out.put_u32(self.dense_members);
        out.put_f32(self.dense_bonds);
        // Terms in increasing order, each as its difference from the last.
        let mut put_pairs = |pairs: &mut dyn Iterator<Item = (u32, f32)>, len: usize| {
            out.put_len(len);
            let mut last = 0;
            for (term, weight) in pairs {
                out.put_varint(term.wrapping_sub(last));
                out.put_f32(weight);
                last = term;
            }
        };
        put_pairs(&mut entries.iter().copied(), entries.len());
        put_pairs(
            &mut self.titles.iter().map(|(&t, &w)| (t, w)),
            self.titles.len(),
        );
        out.put_len(self.rivals.len());
        for &rival in &self.rivals {
            out.put_f32(rival);
        }
        out.put_len(self.dense.len());
        for &value in &self.dense {
            out.put_f32(value);
        }
        out
    }

    /// A group read back from [`Centroid::encode`]'s bytes; `None` when
    /// they are cut, left over or out of order.
    pub fn decode(bytes: &[u8]) -> Option<Centroid> {
        let mut r = Reader::new(bytes);
        let members = r.u32()?;
        let parent = r.u64()?;
        let norm_sq = r.f64()?;
        let last_day = match r.take(1)? {
            [1] => Some(r.u32()? as i32),
            [0] => None,
            _ => return None,
        };
        let bonds = r.f32()?;
        let dense_members = r.u32()?;
        let dense_bonds = r.f32()?;
        let pairs = |r: &mut Reader<'_>| -> Option<Vec<(u32, f32)>> {
            let n = r.len(5)?;
            let mut pairs = Vec::with_capacity(n);
            let mut last: u32 = 0;
            for i in 0..n {
                let step = r.varint()?;
                // Sorted and distinct, as the group keeps them.
                if i > 0 && step == 0 {
                    return None;
                }
                last = last.checked_add(step)?;
                pairs.push((last, r.f32()?));
            }
            Some(pairs)
        };
        let entries = pairs(&mut r)?;
        let titles = pairs(&mut r)?.into_iter().collect();
        let floats = |r: &mut Reader<'_>| -> Option<Vec<f32>> {
            let n = r.len(4)?;
            (0..n).map(|_| r.f32()).collect()
        };
        let rivals = floats(&mut r)?;
        let dense = floats(&mut r)?;
        r.is_done().then_some(Centroid {
            terms: TermWeights { entries },
            members,
            parent,
            norm_sq,
            last_day,
            titles,
            rivals,
            bonds,
            dense,
            dense_members,
            dense_bonds,
        })
    }
}

/// Whether a saved field holds its default (and can be left out).
fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// A group's summed term weights: term id → weight, sorted by term id in
/// one array, so that a comparison walks memory in order. Saved as the map
/// it replaces (`{"term id": weight}`), so the saved state is unchanged.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TermWeights {
    entries: Vec<(u32, f32)>,
}

impl TermWeights {
    /// The weight of `term`, if the group holds it.
    #[cfg(test)]
    pub fn get(&self, term: u32) -> Option<f32> {
        let i = self.entries.binary_search_by_key(&term, |&(t, _)| t).ok()?;
        self.entries.get(i).map(|&(_, w)| w)
    }

    /// Adds `doc` (sorted by term id, distinct) to the weights, calling
    /// `added(term, before, after)` for each of its terms in order;
    /// `before` is `None` for a term the group did not hold.
    fn add(&mut self, doc: &[(u32, f32)], mut added: impl FnMut(u32, Option<f32>, f32)) {
        // First the terms the group holds, updated in place, each searched
        // after the previous one; then the new terms merged in from the
        // back, so that nothing is allocated but the room they take.
        let mut new = 0;
        let mut from = 0;
        for &(term, weight) in doc {
            let rest = self.entries.get(from..).unwrap_or_default();
            let i = from + rest.partition_point(|&(k, _)| k < term);
            match self.entries.get_mut(i) {
                Some((k, slot)) if *k == term => {
                    let before = *slot;
                    *slot = before + weight;
                    added(term, Some(before), *slot);
                    from = i + 1;
                }
                _ => {
                    new += 1;
                    added(term, None, 0.0 + weight);
                    from = i;
                }
            }
        }
        if new == 0 {
            return;
        }
        let old = self.entries.len();
        self.entries.resize(old + new, (0, 0.0));
        let (mut j, mut k) = (old, old + new);
        for &(term, weight) in doc.iter().rev() {
            while j > 0 && self.entries[j - 1].0 > term {
                j -= 1;
                k -= 1;
                self.entries[k] = self.entries[j];
            }
            if j > 0 && self.entries[j - 1].0 == term {
                // Held already, and updated above.
                continue;
            }
            k -= 1;
            self.entries[k] = (term, 0.0 + weight);
        }
    }
}

impl FromIterator<(u32, f32)> for TermWeights {
    fn from_iter<I: IntoIterator<Item = (u32, f32)>>(items: I) -> Self {
        let sorted: BTreeMap<u32, f32> = items.into_iter().collect();
        TermWeights {
            entries: sorted.into_iter().collect(),
        }
    }
}

impl Serialize for TermWeights {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.entries.iter().map(|(t, w)| (t, w)))
    }
}

impl<'de> Deserialize<'de> for TermWeights {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<u32, f32>::deserialize(deserializer)?;
        Ok(map.into_iter().collect())
    }
}

/// Term id → the groups holding the term, in the order they got it:
/// hashed for look-up, saved in term order as the map it replaces
/// (`{"term id": [group, …]}`), so the saved state is unchanged.
#[derive(Debug, Clone, Default)]
pub(crate) struct TermPostings {
    pub lists: IdMap<u32, Vec<u32>>,
}

impl Serialize for TermPostings {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut terms: Vec<(&u32, &Vec<u32>)> = self.lists.iter().collect();
        terms.sort_unstable_by_key(|&(t, _)| *t);
        serializer.collect_map(terms)
    }
}

impl<'de> Deserialize<'de> for TermPostings {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<u32, Vec<u32>>::deserialize(deserializer)?;
        Ok(TermPostings {
            lists: map.into_iter().collect(),
        })
    }
}

/// One term of a document as [`DocWeights`] holds it by term id.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The term's IDF (0 for a term the document lacks).
    idf: f64,
    /// The document's IDF-weighted weight of the term.
    weight: f64,
}

/// A document's terms weighted by one IDF, ready to be compared with many
/// groups: each term's IDF is computed once (a logarithm) rather than once
/// per group, and the terms are also laid out by term id, so that a group
/// can look each of its terms up in one step. Kept by the clusterer and
/// filled again for each article (only the previous article's slots are
/// cleared), so it costs no allocation per article.
#[derive(Debug, Default)]
pub(crate) struct DocWeights {
    /// Term id, IDF-weighted weight, kind (0: word, 1: name-like) and
    /// IDF, sorted by term id.
    terms: Vec<(u32, f64, usize, f64)>,
    /// By term id: the document's terms, zero elsewhere.
    dense: Vec<Slot>,
    /// By term id: the kind of the document's terms.
    kinds: Vec<u8>,
    /// Squared norm of the IDF-weighted vector.
    norm_sq: f64,
    /// The same, per kind, summed in term order.
    kind_norm_sq: [f64; 2],
}

impl DocWeights {
    /// Fills the weights with `doc` (term ids and unit-length raw weights,
    /// sorted by term id) weighted by `idf`, each term of kind
    /// `is_name(term)`.
    pub fn fill(
        &mut self,
        doc: &[(u32, f32)],
        idf: &dyn Fn(u32) -> f64,
        is_name: &dyn Fn(u32) -> bool,
    ) {
        for &(t, ..) in &self.terms {
            if let Some(slot) = self.dense.get_mut(t as usize) {
                *slot = Slot::default();
            }
        }
        self.terms.clear();
        self.kind_norm_sq = [0.0; 2];
        let top = doc.iter().map(|&(t, _)| t as usize + 1).max().unwrap_or(0);
        if self.dense.len() < top {
            self.dense.resize(top, Slot::default());
            self.kinds.resize(top, 0);
        }
        for &(t, w) in doc {
            let idf = idf(t);
            let weight = f64::from(w) * idf;
            let kind = usize::from(is_name(t));
            self.kind_norm_sq[kind] += weight * weight;
            self.terms.push((t, weight, kind, idf));
            self.dense[t as usize] = Slot { idf, weight };
            self.kinds[t as usize] = kind as u8;
        }
        self.norm_sq = self.terms.iter().map(|(_, w, ..)| w * w).sum();
    }

    /// The document's terms and their IDF-weighted weights, by term id.
    pub fn weights(&self) -> impl Iterator<Item = (u32, f64)> + '_ {
        self.terms.iter().map(|&(t, w, ..)| (t, w))
    }

    /// The IDF the document's term `term` was weighted with (0 for a term
    /// it lacks).
    pub fn idf(&self, term: u32) -> f64 {
        self.dense.get(term as usize).map_or(0.0, |slot| slot.idf)
    }
}

impl Centroid {
    /// Remembers an outsider that resembled the group with `score`, if it
    /// is among the closest.
    /// Returns whether the group changed (the score is among its closest).
    fn note_rival(&mut self, score: f64) -> bool {
        let score = score as f32;
        let at = self.rivals.iter().take_while(|&&r| r >= score).count();
        if at < RIVALS {
            self.rivals.insert(at, score);
            self.rivals.truncate(RIVALS);
            return true;
        }
        false
    }

    /// How many remembered outsiders resembled the group more than `score`.
    fn rivals_above(&self, score: f64) -> usize {
        self.rivals
            .iter()
            .filter(|&&r| f64::from(r) > score)
            .count()
    }

    /// Mean cosine of `embedding` with the members' embeddings, if any
    /// member had one.
    fn mean_cosine(&self, embedding: &[f32]) -> Option<f64> {
        if self.dense_members == 0 || self.dense.len() != embedding.len() {
            return None;
        }
        let dot: f64 = self
            .dense
            .iter()
            .zip(embedding)
            .map(|(a, b)| f64::from(*a) * f64::from(*b))
            .sum();
        Some(dot / f64::from(self.dense_members))
    }

    /// The dot product of the IDF-weighted centroid with `doc`. Its cost
    /// grows with the smaller of the group and the document.
    fn dot(&self, doc: &DocWeights) -> f64 {
        let mut dot = 0.0;
        self.for_each_shared(doc, |_, weight, slot| {
            dot += f64::from(weight) * slot.idf * slot.weight;
        });
        dot
    }

    /// [`Linkage::Average`] similarity to `doc` (whose norm is not 0).
    fn average_link(&self, doc: &DocWeights) -> f64 {
        self.average_of(self.dot(doc), doc)
    }

    /// [`Linkage::Average`] similarity to `doc` (whose norm is not 0), of
    /// which `dot` is the dot product with the group.
    fn average_of(&self, dot: f64, doc: &DocWeights) -> f64 {
        dot / (f64::from(self.members.max(1)) * doc.norm_sq)
    }

    /// Calls `found(term, group weight, document slot)` for each term of
    /// `doc` that the group holds, in ascending term order (so that sums
    /// over them add up in one order whichever way they are found), and
    /// possibly for other terms of the group with a zero slot. A group not
    /// much larger than the document is walked, each of its terms looked
    /// up in the document's slots; in a larger one (a story's) each of the
    /// document's terms is searched, so the cost never grows with the
    /// group beyond the document's terms times the logarithm of the
    /// group's.
    ///
    /// The zero slots keep the walk free of branches, and change no sum
    /// of products: a product with a zero slot is ±0, and adding ±0 to a
    /// sum that started at +0 leaves it as it was, bit for bit (such a sum
    /// is never -0, and x + ±0 = x for any other x).
    fn for_each_shared(&self, doc: &DocWeights, mut found: impl FnMut(u32, f32, Slot)) {
        let entries = &self.terms.entries;
        if entries.len() <= SCAN_RATIO * doc.terms.len() {
            for &(t, weight) in entries {
                let slot = doc.dense.get(t as usize).copied().unwrap_or_default();
                found(t, weight, slot);
            }
        } else {
            let mut from = 0;
            for &(t, weight, _, idf) in &doc.terms {
                let rest = entries.get(from..).unwrap_or_default();
                let i = from + rest.partition_point(|&(k, _)| k < t);
                match entries.get(i) {
                    Some(&(k, w)) if k == t => {
                        found(t, w, Slot { idf, weight });
                        from = i + 1;
                    }
                    _ => from = i,
                }
            }
        }
    }
}

/// All groups of one level, numbered from 1 in the order they were opened.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Centroids {
    pub items: Vec<Centroid>,
    /// Whether [`Centroid::norm_sq`] is kept up to date (needed for
    /// [`Linkage::Centroid`] only).
    pub track_norms: bool,
    /// Term id → indices (0-based) of the groups holding the term, in the
    /// order they got it.
    pub postings: TermPostings,
    /// What changed since the state was last saved (not saved itself).
    #[serde(skip)]
    pub unsaved: Unsaved,
}

/// The groups and postings changed since a [`Centroids`] was last saved,
/// so that a store rewrites only those.
#[derive(Debug, Clone, Default)]
pub(crate) struct Unsaved {
    /// Indices of the groups opened or changed.
    pub groups: std::collections::BTreeSet<usize>,
    /// The (term, group) postings added, in the order they were added
    /// (which [`Centroids::candidates`] relies on).
    pub postings: Vec<(u32, u32)>,
}

/// A group's index and its similarity, when there is a group.
pub(crate) type Best = Option<(usize, f64)>;

/// Candidate groups' indices and their dot products with a document.
pub(crate) type Scored = Vec<(usize, f64)>;

impl Centroids {
    /// The most similar group to `doc` by `linkage`, among the groups
    /// sharing one of `probe_terms` (ties go to the older group), and
    /// beside it the most similar group were time no matter (no decay),
    /// scoring each candidate once.
    pub fn best_matches(
        &self,
        linkage: Linkage,
        time: TimeDecay,
        doc: &DocWeights,
        probe_terms: &[u32],
    ) -> (Best, Best) {
        self.best_scored(linkage, time, doc, &self.dots(doc, probe_terms))
    }

    /// The dot products of `doc` with the IDF-weighted centroids of the
    /// groups sharing one of `probe_terms` (as [`Centroids::best_matches`]
    /// finds them), in index order: computed once, they serve every
    /// linkage ([`Centroids::best_scored`]) and [`Centroids::average_link`].
    /// Empty for a document without weight.
    pub fn dots(&self, doc: &DocWeights, probe_terms: &[u32]) -> Scored {
        if doc.norm_sq == 0.0 {
            return Vec::new();
        }
        self.candidates(probe_terms)
            .into_iter()
            .filter_map(|index| {
                let centroid = self.items.get(index as usize)?;
                Some((index as usize, centroid.dot(doc)))
            })
            .collect()
    }

    /// As [`Centroids::best_matches`], over candidates already scored
    /// ([`Centroids::dots`]).
    pub fn best_scored(
        &self,
        linkage: Linkage,
        time: TimeDecay,
        doc: &DocWeights,
        scored: &[(usize, f64)],
    ) -> (Best, Best) {
        if doc.norm_sq == 0.0 {
            return (None, None);
        }
        let mut best: Option<(usize, f64)> = None;
        let mut timeless: Option<(usize, f64)> = None;
        for &(index, dot) in scored {
            let Some(centroid) = self.items.get(index) else {
                continue;
            };
            let score = match linkage {
                Linkage::Average => centroid.average_of(dot, doc),
                Linkage::Centroid => {
                    if centroid.norm_sq == 0.0 {
                        continue;
                    }
                    dot / (centroid.norm_sq.sqrt() * doc.norm_sq.sqrt())
                }
            };
            if timeless.is_none_or(|(_, s)| score > s) {
                timeless = Some((index, score));
            }
            let decay = time.factor(centroid.last_day);
            if decay < MIN_DECAY {
                continue;
            }
            let score = score * decay;
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((index, score));
            }
        }
        (best, timeless)
    }

    /// The groups worth scoring for a document with `probe_terms`, in
    /// index order.
    fn candidates(&self, probe_terms: &[u32]) -> Vec<u32> {
        let mut candidates: Vec<u32> = Vec::new();
        for term in probe_terms {
            if let Some(list) = self.postings.lists.get(term) {
                // Only the groups that got the term most recently: a common
                // term would otherwise make every old group a candidate and
                // the cost per article would grow with the corpus. An old
                // group that is the right match still shares rarer terms.
                let recent = list.len().saturating_sub(MAX_CANDIDATES_PER_TERM);
                candidates.extend_from_slice(&list[recent..]);
            }
        }
        candidates.sort_unstable();
        // Keep the groups that share the most probe terms; only they are
        // scored exactly. Ties go to the newer group.
        let mut shared: Vec<(usize, u32)> = Vec::new();
        for group in candidates {
            match shared.last_mut() {
                Some((count, last)) if *last == group => *count += 1,
                _ => shared.push((1, group)),
            }
        }
        // Only those are put in order (the order is total: the same groups
        // as a full sort).
        top_first(&mut shared, MAX_SCORED_CANDIDATES, |a, b| b.cmp(a));
        shared.truncate(MAX_SCORED_CANDIDATES);
        let mut candidates: Vec<u32> = shared.into_iter().map(|(_, group)| group).collect();
        candidates.sort_unstable();
        candidates
    }

    /// Every candidate group for `doc` (as [`Centroids::best_matches`] finds
    /// them) with the measurements a learned merge decision weighs, in
    /// index order.
    pub fn measure(&self, time: TimeDecay, doc: &DocTerms<'_>) -> Vec<Measured> {
        let weights = doc.weights;
        let doc_norm_sq = weights.kind_norm_sq;
        let total_norm_sq = doc_norm_sq[0] + doc_norm_sq[1];
        if total_norm_sq == 0.0 {
            return Vec::new();
        }
        let mut found = Vec::new();
        for index in self.candidates(doc.probe_terms) {
            let Some(centroid) = self.items.get(index as usize) else {
                continue;
            };
            let decay = time.factor(centroid.last_day);
            if decay < MIN_DECAY {
                continue;
            }
            let mut dot = [0.0f64; 2];
            centroid.for_each_shared(weights, |term, weight, slot| {
                let kind = weights.kinds.get(term as usize).copied().unwrap_or(0);
                dot[usize::from(kind)] += f64::from(weight) * slot.idf * slot.weight;
            });
            let members = f64::from(centroid.members.max(1));
            let average = |dot: f64, norm_sq: f64| {
                if norm_sq > 0.0 {
                    dot / (members * norm_sq)
                } else {
                    0.0
                }
            };
            let same_title: f64 = doc
                .title_terms
                .iter()
                .filter_map(|t| centroid.titles.get(t))
                .map(|&w| f64::from(w))
                .sum::<f64>()
                / ((doc.title_terms.len().max(1) as f64).sqrt() * members);
            let gap_days = match (time.day, centroid.last_day) {
                (Some(day), Some(last)) => Some(f64::from((day - last).abs())),
                _ => None,
            };
            let timeless = (dot[0] + dot[1]) / (members * total_norm_sq);
            let cosine = doc.embedding.and_then(|e| centroid.mean_cosine(e));
            found.push(Measured {
                index: index as usize,
                average: decay * timeless,
                words: decay * average(dot[0], doc_norm_sq[0]),
                names: decay * average(dot[1], doc_norm_sq[1]),
                same_title,
                gap_days,
                timeless,
                closer_rivals: centroid.rivals_above(timeless) as f64,
                dense: cosine.map(|c| decay * c),
                dense_timeless: cosine,
                dense_gap: match (cosine, centroid.dense_members) {
                    (Some(cosine), members) if members > 1 => {
                        cosine - f64::from(centroid.dense_bonds) / f64::from(members - 1)
                    }
                    _ => 0.0,
                },
                cohesion_gap: match centroid.members {
                    0 | 1 => 0.0,
                    m => timeless - f64::from(centroid.bonds) / f64::from(m - 1),
                },
            });
        }
        found
    }

    /// Remembers, after a document measured against `measured` went to
    /// group `chosen`, how close it came to each group it did not join
    /// (their rivals) and, when it joined `chosen`, at what similarity
    /// (its bonds); when it opened `chosen`, its closest other groups
    /// become the new group's rivals.
    pub fn remember(&mut self, measured: &[Measured], chosen: usize, opened: bool) {
        self.unsaved.groups.insert(chosen);
        if !opened {
            let joined = measured.iter().find(|m| m.index == chosen);
            if let (Some(m), Some(group)) = (joined, self.items.get_mut(chosen)) {
                group.bonds += m.timeless as f32;
                if let Some(cosine) = m.dense_timeless {
                    group.dense_bonds += cosine as f32;
                }
            }
        }
        for m in measured.iter().filter(|m| m.index != chosen) {
            if let Some(group) = self.items.get_mut(m.index) {
                if group.note_rival(m.timeless) {
                    self.unsaved.groups.insert(m.index);
                }
            }
            if opened {
                if let Some(group) = self.items.get_mut(chosen) {
                    group.note_rival(m.timeless);
                }
            }
        }
    }

    /// The average-link similarity ([`Linkage::Average`]) of `doc` to
    /// group `index`, without time decay; 0 for a group that does not
    /// exist or a document without weight.
    pub fn average_link(&self, index: usize, doc: &DocWeights, scored: &[(usize, f64)]) -> f64 {
        let dot = scored
            .iter()
            .find(|&&(i, _)| i == index)
            .map(|&(_, dot)| dot);
        match self.items.get(index) {
            Some(centroid) if doc.norm_sq > 0.0 => match dot {
                Some(dot) => centroid.average_of(dot, doc),
                None => centroid.average_link(doc),
            },
            _ => 0.0,
        }
    }

    /// Adds a member's sentence embedding to group `index`.
    pub fn add_embedding(&mut self, index: usize, embedding: Option<&[f32]>) {
        let (Some(embedding), Some(group)) = (embedding, self.items.get_mut(index)) else {
            return;
        };
        self.unsaved.groups.insert(index);
        if group.dense.is_empty() {
            group.dense = vec![0.0; embedding.len()];
        }
        if group.dense.len() != embedding.len() {
            // Embeddings of another model: not comparable, left out.
            return;
        }
        for (sum, value) in group.dense.iter_mut().zip(embedding) {
            *sum += value;
        }
        group.dense_members += 1;
    }

    /// Opens a new group holding `doc`; returns its 0-based index.
    pub fn open(
        &mut self,
        doc: &[(u32, f32)],
        title: &[u32],
        day: Option<i32>,
        parent: u64,
        idf: &dyn Fn(u32) -> f64,
    ) -> usize {
        let index = self.items.len();
        self.items.push(Centroid {
            terms: TermWeights::default(),
            members: 0,
            parent,
            norm_sq: 0.0,
            last_day: None,
            titles: BTreeMap::new(),
            rivals: Vec::new(),
            bonds: 0.0,
            dense: Vec::new(),
            dense_members: 0,
            dense_bonds: 0.0,
        });
        self.add(index, doc, title, day, idf);
        index
    }

    /// Adds `doc` (whose title has the terms `title`, if they are to be
    /// kept) to group `index`, refreshing its cached norm with `idf`.
    pub fn add(
        &mut self,
        index: usize,
        doc: &[(u32, f32)],
        title: &[u32],
        day: Option<i32>,
        idf: &dyn Fn(u32) -> f64,
    ) {
        let Some(centroid) = self.items.get_mut(index) else {
            return;
        };
        centroid.members += 1;
        self.unsaved.groups.insert(index);
        if !title.is_empty() {
            let weight = 1.0 / (title.len() as f32).sqrt();
            for &term in title {
                *centroid.titles.entry(term).or_insert(0.0) += weight;
            }
        }
        if let Some(day) = day {
            centroid.last_day = Some(centroid.last_day.map_or(day, |d| d.max(day)));
        }
        let (postings, track_norms) = (&mut self.postings, self.track_norms);
        let new_postings = &mut self.unsaved.postings;
        let norm_sq = &mut centroid.norm_sq;
        centroid.terms.add(doc, |term, before, after| {
            let before = before.unwrap_or(0.0);
            if before == 0.0 {
                postings.lists.entry(term).or_default().push(index as u32);
                new_postings.push((term, index as u32));
            }
            if track_norms {
                // Only this document's terms change; their contribution is
                // updated with today's IDF, the others keep theirs.
                let idf = idf(term);
                let (before, after) = (f64::from(before), f64::from(after));
                *norm_sq += (after * idf).powi(2) - (before * idf).powi(2);
            }
        });
        centroid.norm_sq = centroid.norm_sq.max(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A group remembers only its closest outsiders, closest first, and
    /// counts those that came closer than a given score.
    #[test]
    fn rivals_keep_the_closest_outsiders() {
        let mut group = Centroid::default();
        for score in [0.1, 0.4, 0.2, 0.3] {
            group.note_rival(score);
        }
        assert_eq!(group.rivals, vec![0.4, 0.3]);
        assert_eq!(group.rivals_above(0.35), 1);
        assert_eq!(group.rivals_above(0.5), 0);
        assert_eq!(group.rivals_above(0.05), RIVALS);
    }

    /// Both ways of finding shared terms (walking a small group, searching
    /// a large one) find exactly the shared terms, in term order (among
    /// others with zero slots, when walking).
    #[test]
    fn shared_terms_are_found_in_small_and_large_groups() {
        let doc: Vec<(u32, f32)> = [2, 5, 9, 40, 41, 1000].map(|t| (t, 0.5)).to_vec();
        let mut weights = DocWeights::default();
        weights.fill(&doc, &|t| f64::from(t) + 1.0, &|_| false);
        for size in [3u32, 10, 200] {
            let centroid = Centroid {
                terms: (0..size).map(|i| (i * 5, i as f32)).collect(),
                ..Centroid::default()
            };
            let mut found = Vec::new();
            centroid.for_each_shared(&weights, |t, w, slot| {
                // Terms the document lacks may come, with a zero slot.
                if slot.idf == 0.0 {
                    assert_eq!(slot.weight, 0.0);
                } else {
                    found.push((t, w, slot.idf));
                }
            });
            let expected: Vec<(u32, f32, f64)> = doc
                .iter()
                .filter_map(|&(t, _)| centroid.terms.get(t).map(|w| (t, w, f64::from(t) + 1.0)))
                .collect();
            assert_eq!(found, expected, "group of {size} terms");
        }
    }

    /// Filling the weights again forgets the previous document's terms.
    #[test]
    fn weights_filled_again_hold_only_the_new_document() {
        let mut weights = DocWeights::default();
        weights.fill(&[(1, 1.0), (7, 1.0)], &|_| 2.0, &|t| t == 7);
        assert_eq!(weights.kind_norm_sq, [4.0, 4.0]);
        weights.fill(&[(3, 1.0)], &|_| 2.0, &|_| false);
        let group = Centroid {
            terms: [(1, 1.0), (3, 1.0), (7, 1.0)].into_iter().collect(),
            ..Centroid::default()
        };
        assert_eq!(group.dot(&weights), 4.0);
        assert_eq!(weights.norm_sq, 4.0);
    }

    /// Adding a document merges its terms into the group's, in order.
    #[test]
    fn term_weights_add_in_order_and_save_as_a_map() {
        let mut terms: TermWeights = [(2, 1.0), (9, 2.0)].into_iter().collect();
        let mut seen = Vec::new();
        terms.add(&[(1, 0.5), (9, 1.0), (12, 3.0)], |t, before, after| {
            seen.push((t, before, after));
        });
        assert_eq!(seen, [(1, None, 0.5), (9, Some(2.0), 3.0), (12, None, 3.0)]);
        assert_eq!(terms.entries, [(1, 0.5), (2, 1.0), (9, 3.0), (12, 3.0)]);
        // Only held terms; then only new ones, around and between them.
        terms.add(&[(2, 1.0), (12, 1.0)], |_, _, _| {});
        terms.add(&[(0, 1.0), (5, 1.0), (20, 1.0)], |_, before, _| {
            assert_eq!(before, None);
        });
        assert_eq!(
            terms.entries,
            [
                (0, 1.0),
                (1, 0.5),
                (2, 2.0),
                (5, 1.0),
                (9, 3.0),
                (12, 4.0),
                (20, 1.0)
            ]
        );
        let json = serde_json::to_string(&terms).expect("json");
        assert_eq!(
            json,
            r#"{"0":1.0,"1":0.5,"2":2.0,"5":1.0,"9":3.0,"12":4.0,"20":1.0}"#
        );
        let back: TermWeights = serde_json::from_str(&json).expect("json");
        assert_eq!(back, terms);
    }
}
