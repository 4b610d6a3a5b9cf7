//! Why articles are together: the evidence behind events and stories,
//! measured after the fact on the articles as the batch linker weighs
//! them.
//!
//! A [`LinkSpace`] holds every article of a collection (a store) as the
//! unit TF-IDF vector that [`crate::linking::StoryLinker`] compares: the
//! same terms and weights ([`ArticleFeatures::for_linking`]), smoothed
//! IDF over the whole collection. On it:
//!
//! - [`LinkSpace::between`] measures two sets of articles (one article and
//!   the rest of its event; two groups of events): the mean cosine over
//!   all pairs, the weakest pair, the pairs that share nothing, and the
//!   shared terms that weigh most, each with its **share** of the mean.
//!   The shares are exact: the mean cosine is the dot product of the two
//!   sets' mean vectors, a sum over terms, so each term's part of it is
//!   its product in that sum, and the parts add up to the mean. A name
//!   and the stems of its words are one piece of evidence counted twice
//!   by the features ("Houston" the name, "houston" the stem), so their
//!   parts are added up and shown under the name.
//! - [`LinkSpace::replay`] runs the batch linker's agglomeration again
//!   over the events of one story alone, giving the merges that joined
//!   them in order ([`Merge`]). Average-link merges within a story do not
//!   depend on the groups of other stories, so these are the linker's
//!   merges, with two known departures: the linker's cap on neighbours
//!   per event ([`BatchLinking::neighbours`]) is not applied (within one
//!   story it never binds unless an event has that many closer ones), and
//!   events that the linker would not join (online linking, or an
//!   editor's correction) are joined last, best pair first, with the
//!   reasons the linker would have refused ([`Merge::blocked`]).
//! - [`link_weaknesses`] and [`tie_weaknesses`] say which links and
//!   memberships an editor should look at first.
//!
//! The numbers are those of the collection as it is now, not those the
//! online clusterer saw when it placed an article (it knew only the
//! articles before, and long-enough ledes are decided by a learned
//! model over other features): they say how well the articles hold
//! together, not how the decision was reached.
//!
//! ```
//! use newsdesk_cluster::explain::LinkSpaceBuilder;
//! use newsdesk_cluster::{ArticleFeatures, ClusterConfig};
//! use newsdesk_model::Article;
//!
//! let config = ClusterConfig::default();
//! let mut builder = LinkSpaceBuilder::default();
//! for text in [
//!     "Floods closed the Ossel bridge in Veldmoor on Monday.",
//!     "The Ossel bridge in Veldmoor was closed by floods.",
//!     "The Dunmere council voted for trams.",
//! ] {
//!     let doc = newsdesk_text::analyze(Article::new(text));
//!     builder.add(&ArticleFeatures::for_linking(&doc, &config));
//! }
//! let space = builder.finish();
//! let tie = space.between(&[0], &[1]);
//! assert!(tie.average > 0.5);
//! assert!(tie.shared.iter().any(|t| t.term == "ossel" && t.name));
//! assert_eq!(space.between(&[0], &[2]).average, 0.0);
//! ```

use std::collections::BTreeMap;

use serde::Serialize;

use crate::features::ArticleFeatures;
use crate::linking::{add_sorted, without_heaviest, BatchLinking};
use crate::vectorize::{smoothed_idf, to_unit_length, NAME_PREFIX};
use crate::vocabulary::CountedTerms;

/// How many shared names, and how many shared words, a [`Tie`] lists at
/// most.
pub const SHARED_TERMS: usize = 6;

/// A link whose mean similarity is under this many times the linker's
/// average threshold is [`LinkWeakness::NearThreshold`]: on NeuS val,
/// the links an editor would keep mostly reach several times the
/// threshold, and those between unrelated events sit just above it.
pub const NEAR_THRESHOLD_FACTOR: f64 = 2.0;

/// A link across which at least this share of article pairs share no
/// term at all is [`LinkWeakness::MostPairsDisjoint`]: the average
/// rests on a few pairs.
pub const DISJOINT_SHARE: f64 = 0.5;

/// An article whose mean similarity to the rest of its event is under
/// this is [`TieWeakness::Loose`]: a quarter of the clusterer's default
/// event threshold (0.25), in the linker's weighting, where reports of one
/// development run at 0.2 and above.
pub const LOOSE_TIE: f64 = 0.1;

/// Collects articles' features, in the order the linker adds them, for a
/// [`LinkSpace`].
#[derive(Debug, Default)]
pub struct LinkSpaceBuilder {
    /// The collection's terms and their document frequencies.
    terms: CountedTerms,
    /// Per article: weighted term frequencies before IDF, by term id.
    raw: Vec<Vec<(u32, f32)>>,
    days: Vec<Option<i32>>,
}

impl LinkSpaceBuilder {
    /// Adds an article (its features as [`ArticleFeatures::for_linking`]
    /// computes them); returns its index in the space.
    pub fn add(&mut self, features: &ArticleFeatures) -> usize {
        let vector = self.terms.count(features);
        self.raw.push(vector);
        self.days.push(features.day);
        self.raw.len() - 1
    }

    /// The space: each article's unit vector, weighted by smoothed IDF over
    /// every article added (as [`crate::linking::StoryLinker`] weighs it).
    pub fn finish(self) -> LinkSpace {
        let docs = self.raw.len() as f64;
        let name_words = self.terms.name_words();
        let CountedTerms { vocab, df, .. } = self.terms;
        let idf: Vec<f64> = df
            .iter()
            .map(|&df| smoothed_idf(docs, f64::from(df)))
            .collect();
        let vectors = self
            .raw
            .into_iter()
            .map(|terms| {
                let mut vector: Vec<(u32, f32)> = terms
                    .into_iter()
                    .map(|(t, w)| {
                        let idf = idf.get(t as usize).copied().unwrap_or(1.0);
                        (t, (f64::from(w) * idf) as f32)
                    })
                    .collect();
                to_unit_length(&mut vector);
                vector
            })
            .collect();
        LinkSpace {
            vocab,
            name_words,
            vectors,
            days: self.days,
        }
    }
}

/// Articles as unit TF-IDF vectors, as the batch linker compares them.
#[derive(Debug, Default)]
pub struct LinkSpace {
    /// Term strings by id.
    vocab: Vec<String>,
    /// Per term id: for a name, the ids of its words' stems; for a word,
    /// nothing.
    name_words: Vec<Vec<u32>>,
    /// Per article: its unit vector, sorted by term id.
    vectors: Vec<Vec<(u32, f32)>>,
    /// Per article: its publication day (days since 1970-01-01).
    days: Vec<Option<i32>>,
}

/// A term two sets of articles share, and how much of their similarity
/// it makes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedTerm {
    /// The term: a word stem, or a name-like term (lowercased), which
    /// stands for the stems of its words too.
    pub term: String,
    /// Whether it is a name-like term (a capitalised run or a number)
    /// rather than a word stem.
    pub name: bool,
    /// Its part of the mean similarity (the parts of all shared terms add
    /// up to it).
    pub weight: f64,
    /// `weight` as a share of the mean similarity (0–1).
    pub share: f64,
}

/// How two sets of articles resemble each other.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tie {
    /// Mean cosine over all pairs (one article of each set).
    pub average: f64,
    /// Lowest cosine of any pair.
    pub weakest: f64,
    /// Pairs compared.
    pub pairs: usize,
    /// Pairs that share no term at all (cosine 0).
    pub disjoint: usize,
    /// The shared names and the shared words that weigh most, heaviest
    /// first (at most [`SHARED_TERMS`] of each).
    pub shared: Vec<SharedTerm>,
}

impl Tie {
    /// The share of the mean that the heaviest shared term makes (0 when
    /// nothing is shared).
    pub fn top_share(&self) -> f64 {
        self.shared.first().map_or(0.0, |t| t.share)
    }

    /// The mean without the heaviest shared term: what is left of the
    /// similarity once that one term (a name with its words) is taken
    /// away.
    pub fn without_top(&self) -> f64 {
        self.average - self.shared.first().map_or(0.0, |t| t.weight)
    }
}

/// Why the batch linker would not have made a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Blocked {
    /// The mean similarity is under [`BatchLinking::average_threshold`].
    Average,
    /// Two long articles across the groups are less alike than
    /// [`BatchLinking::complete_floor`].
    Floor,
    /// The groups' publication days are more than
    /// [`BatchLinking::max_gap_days`] apart.
    Gap,
    /// Both hold a long article and, without their heaviest shared name
    /// or word, their mean is under [`BatchLinking::anchor_for`] them.
    Anchor,
}

/// One merge of the linker's agglomeration over a story's events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merge {
    /// The events (indices into the events given to
    /// [`LinkSpace::replay`]) of one group, ascending.
    pub left: Vec<usize>,
    /// The events of the other group, ascending.
    pub right: Vec<usize>,
    /// The most alike pair of events across the groups (one of `left`,
    /// one of `right`) and their mean similarity: where the link holds.
    pub bridge: (usize, usize, f64),
    /// The mean similarity as the linker measured it: event pairs under
    /// half its threshold count as sharing nothing, so this may be
    /// slightly under the exact mean.
    pub linker_average: f64,
    /// The lowest similarity between long articles across the groups,
    /// which the complete-link floor reads; `None` when either group has
    /// no long article (the floor does not apply).
    pub lowest_long: Option<f64>,
    /// Days between the groups' publication ranges; `None` when either is
    /// undated (the gap guard cannot act).
    pub gap_days: Option<i32>,
    /// Why the linker would not have made this merge; empty when it would.
    pub blocked: Vec<Blocked>,
}

impl LinkSpace {
    /// How many articles the space holds.
    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    /// Whether the space holds no article.
    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// The cosine of two articles (0 for an index out of range).
    pub fn cosine(&self, a: usize, b: usize) -> f64 {
        match (self.vectors.get(a), self.vectors.get(b)) {
            (Some(a), Some(b)) => dot(a, b),
            _ => 0.0,
        }
    }

    /// The distinct terms of an article (0 for an index out of range):
    /// from [`BatchLinking::long_terms`] on it is a long article.
    pub fn terms_of(&self, article: usize) -> usize {
        self.vectors.get(article).map_or(0, Vec::len)
    }

    /// How sets of articles `a` and `b` resemble each other (indices out
    /// of range are left out; an article in both is not compared with
    /// itself).
    pub fn between(&self, a: &[usize], b: &[usize]) -> Tie {
        let a: Vec<usize> = a.iter().copied().filter(|&i| i < self.len()).collect();
        let b: Vec<usize> = b.iter().copied().filter(|&i| i < self.len()).collect();
        let mut pairs = 0usize;
        let mut disjoint = 0usize;
        let mut weakest = f64::INFINITY;
        // Per term, the summed product of its weights over all pairs:
        // their total is the sum of the pair cosines.
        let mut parts: BTreeMap<u32, f64> = BTreeMap::new();
        for &i in &a {
            for &j in &b {
                if i == j {
                    continue;
                }
                pairs += 1;
                let cosine = dot(&self.vectors[i], &self.vectors[j]);
                weakest = weakest.min(cosine);
                if cosine <= 0.0 {
                    disjoint += 1;
                }
                for_shared(&self.vectors[i], &self.vectors[j], |t, x, y| {
                    *parts.entry(t).or_default() += f64::from(x) * f64::from(y);
                });
            }
        }
        if pairs == 0 {
            return Tie {
                average: 0.0,
                weakest: 0.0,
                pairs: 0,
                disjoint: 0,
                shared: Vec::new(),
            };
        }
        let total: f64 = parts.values().sum();
        let average = total / pairs as f64;
        let ranked = self.by_name(&parts);
        // The heaviest names and the heaviest words, each up to the
        // limit: the many word stems of a long report would otherwise
        // hide the names two reports share.
        let (mut names, mut words) = (0, 0);
        let shared = ranked
            .into_iter()
            .filter_map(|(t, w)| {
                let raw = self.vocab.get(t as usize).map_or("", String::as_str);
                let (term, name) = match raw.strip_prefix(NAME_PREFIX) {
                    Some(name) => (name, true),
                    None => (raw, false),
                };
                let kept = if name { &mut names } else { &mut words };
                if *kept == SHARED_TERMS {
                    return None;
                }
                *kept += 1;
                Some(SharedTerm {
                    term: term.to_owned(),
                    name,
                    weight: w / pairs as f64,
                    share: if total > 0.0 { w / total } else { 0.0 },
                })
            })
            .collect();
        Tie {
            average,
            weakest,
            pairs,
            disjoint,
            shared,
        }
    }

    /// Parts of a similarity by term gathered by name: a shared name
    /// takes the shared stems of its words ("Supreme Court" takes
    /// "suprem" and "court"; "Mitch McConnell" takes "mitch" and
    /// "mcconnel"), names of several words first, heaviest first, each
    /// stem once; a one-word name joins the name that took its stem.
    /// Returns (shown term, summed part); the rest of the words each
    /// stand alone.
    fn by_name(&self, parts: &BTreeMap<u32, f64>) -> Vec<(u32, f64)> {
        let words_of =
            |t: u32| -> &[u32] { self.name_words.get(t as usize).map_or(&[], Vec::as_slice) };
        let is_name = |t: u32| {
            self.vocab
                .get(t as usize)
                .is_some_and(|raw| raw.starts_with(NAME_PREFIX))
        };
        let mut names: Vec<(u32, f64)> = parts
            .iter()
            .filter(|&(&t, &w)| w > 0.0 && is_name(t))
            .map(|(&t, &w)| (t, w))
            .collect();
        // Names of several words first, then the heaviest, then by id.
        names.sort_by(|x, y| {
            (words_of(y.0).len() > 1)
                .cmp(&(words_of(x.0).len() > 1))
                .then(y.1.total_cmp(&x.1))
                .then(x.0.cmp(&y.0))
        });
        let mut owner: BTreeMap<u32, u32> = BTreeMap::new();
        for &(name, _) in &names {
            let words = words_of(name);
            let rep = match words {
                [stem] => owner.get(stem).copied().unwrap_or(name),
                _ => name,
            };
            owner.insert(name, rep);
            for w in words {
                if parts.contains_key(w) {
                    owner.entry(*w).or_insert(rep);
                }
            }
        }
        let mut groups: BTreeMap<u32, f64> = BTreeMap::new();
        for (&t, &w) in parts {
            *groups
                .entry(owner.get(&t).copied().unwrap_or(t))
                .or_default() += w;
        }
        let mut ranked: Vec<(u32, f64)> = groups.into_iter().filter(|&(_, w)| w > 0.0).collect();
        ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        ranked
    }

    /// For article `article`, its mean similarity to each group of
    /// `groups` (articles by group; the article itself is left out of its
    /// own group), as (group index, mean), most alike first (ties: the
    /// lower index); groups it shares nothing with are left out.
    pub fn closest_groups(&self, article: usize, groups: &[Vec<usize>]) -> Vec<(usize, f64)> {
        let Some(vector) = self.vectors.get(article) else {
            return Vec::new();
        };
        let mut dense = Dense::default();
        dense.scatter(vector);
        let mut found: Vec<(usize, f64)> = groups
            .iter()
            .enumerate()
            .filter_map(|(g, members)| {
                let others: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|&m| m != article && m < self.len())
                    .collect();
                if others.is_empty() {
                    return None;
                }
                let sum: f64 = others.iter().map(|&m| dense.dot(&self.vectors[m])).sum();
                (sum > 0.0).then(|| (g, sum / others.len() as f64))
            })
            .collect();
        found.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        found
    }

    /// The batch linker's merges over `events` (each a list of article
    /// indices) with `linking`, in the order it makes them; once it would
    /// make no more, the remaining groups are joined too, most alike
    /// first, each with the reasons the linker would have refused it. A
    /// story of n events gives n − 1 merges.
    pub fn replay(&self, events: &[Vec<usize>], linking: &BatchLinking) -> Vec<Merge> {
        let events: Vec<Vec<usize>> = events
            .iter()
            .map(|e| e.iter().copied().filter(|&i| i < self.len()).collect())
            .collect();
        let n = events.len();
        let long: Vec<Vec<usize>> = events
            .iter()
            .map(|e| {
                e.iter()
                    .copied()
                    .filter(|&a| self.terms_of(a) >= linking.long_terms)
                    .collect()
            })
            .collect();
        let sums: Vec<Vec<(u32, f64)>> = events.iter().map(|e| self.sum(e)).collect();
        // Exact pair sums between events, and what the linker keeps of
        // them (pairs under half its threshold count as nothing shared).
        let prune = linking.average_threshold / 2.0;
        let mut exact = vec![vec![0.0f64; n]; n];
        let mut pairs = vec![vec![PairState::default(); n]; n];
        for e in 0..n {
            for f in e + 1..n {
                let sum = dot64(&sums[e], &sums[f]);
                exact[e][f] = sum;
                exact[f][e] = sum;
                let size = (events[e].len() * events[f].len()) as f64;
                let average = if size > 0.0 { sum / size } else { 0.0 };
                let kept = average >= prune;
                let both_long = !long[e].is_empty() && !long[f].is_empty();
                let lowest = if !both_long {
                    f64::INFINITY
                } else if kept && average >= linking.complete_floor {
                    self.lowest(&long[e], &long[f])
                } else {
                    0.0
                };
                let state = PairState {
                    sum: if kept { sum } else { 0.0 },
                    lowest,
                };
                pairs[e][f] = state;
                pairs[f][e] = state;
            }
        }
        let mut size: Vec<f64> = events.iter().map(|e| e.len() as f64).collect();
        // Each group's summed vector, for the anchor test.
        let mut group_sums = sums.clone();
        // Each group's longest article, in distinct terms.
        let mut longest: Vec<usize> = events
            .iter()
            .map(|e| e.iter().map(|&a| self.terms_of(a)).max().unwrap_or(0))
            .collect();
        let anchored = |a: usize,
                        b: usize,
                        group_sums: &[Vec<(u32, f64)>],
                        size: &[f64],
                        longest: &[usize]| {
            let threshold = linking.anchor_for(longest[a].max(longest[b]));
            threshold <= 0.0
                || ratio(
                    without_heaviest(&group_sums[a], &group_sums[b], &self.name_words),
                    size[a] * size[b],
                ) >= threshold
        };
        let mut span: Vec<Option<(i32, i32)>> = events.iter().map(|e| self.span(e)).collect();
        let mut has_long: Vec<bool> = long.iter().map(|l| !l.is_empty()).collect();
        let mut members: Vec<Vec<usize>> = (0..n).map(|e| vec![e]).collect();
        let mut alive = vec![true; n];
        let mut merges = Vec::new();
        loop {
            let live: Vec<usize> = (0..n).filter(|&g| alive[g]).collect();
            if live.len() < 2 {
                break;
            }
            let mut best: Option<(bool, f64, usize, usize)> = None;
            for (x, &a) in live.iter().enumerate() {
                for &b in &live[x + 1..] {
                    let state = pairs[a][b];
                    let average = ratio(state.sum, size[a] * size[b]);
                    let gap = gap(span[a], span[b]);
                    let eligible = average >= linking.average_threshold
                        && state.lowest >= linking.complete_floor
                        && gap.is_none_or(|g| g <= linking.max_gap_days)
                        && (!(has_long[a] && has_long[b])
                            || anchored(a, b, &group_sums, &size, &longest));
                    // Among merges the linker refuses, the most alike
                    // by the exact mean.
                    let score = if eligible {
                        average
                    } else {
                        ratio(
                            group_sum(&exact, &members[a], &members[b]),
                            size[a] * size[b],
                        )
                    };
                    // Ties go to the pair of lower indices, found first.
                    let better = best.is_none_or(|(best_eligible, best_score, _, _)| {
                        (eligible, score) > (best_eligible, best_score)
                    });
                    if better {
                        best = Some((eligible, score, a, b));
                    }
                }
            }
            let Some((_, _, a, b)) = best else {
                break;
            };
            let state = pairs[a][b];
            let linker_average = ratio(state.sum, size[a] * size[b]);
            let gap_days = gap(span[a], span[b]);
            let mut blocked = Vec::new();
            if linker_average < linking.average_threshold {
                blocked.push(Blocked::Average);
            }
            if state.lowest < linking.complete_floor {
                blocked.push(Blocked::Floor);
            }
            if gap_days.is_some_and(|g| g > linking.max_gap_days) {
                blocked.push(Blocked::Gap);
            }
            if has_long[a] && has_long[b] && !anchored(a, b, &group_sums, &size, &longest) {
                blocked.push(Blocked::Anchor);
            }
            let mut left = members[a].clone();
            let mut right = members[b].clone();
            left.sort_unstable();
            right.sort_unstable();
            let mut bridge = (left[0], right[0], f64::NEG_INFINITY);
            for &e in &left {
                for &f in &right {
                    let average = ratio(exact[e][f], (events[e].len() * events[f].len()) as f64);
                    if average > bridge.2 {
                        bridge = (e, f, average);
                    }
                }
            }
            merges.push(Merge {
                left,
                right,
                bridge: (bridge.0, bridge.1, bridge.2.max(0.0)),
                linker_average,
                lowest_long: (has_long[a] && has_long[b]).then_some(state.lowest),
                gap_days,
                blocked,
            });
            // Merge b into a, as the linker does.
            let merged = add_sorted(&group_sums[a], &group_sums[b]);
            group_sums[a] = merged;
            alive[b] = false;
            let moved = std::mem::take(&mut members[b]);
            members[a].extend(moved);
            for k in 0..n {
                if k == a || k == b || !alive[k] {
                    continue;
                }
                let pa = pairs[a][k];
                let pb = pairs[b][k];
                let merged = PairState {
                    sum: pa.sum + pb.sum,
                    lowest: pa.lowest.min(pb.lowest),
                };
                pairs[a][k] = merged;
                pairs[k][a] = merged;
            }
            size[a] += size[b];
            span[a] = match (span[a], span[b]) {
                (Some((lo, hi)), Some((lo_b, hi_b))) => Some((lo.min(lo_b), hi.max(hi_b))),
                (x, y) => x.or(y),
            };
            has_long[a] = has_long[a] || has_long[b];
            longest[a] = longest[a].max(longest[b]);
        }
        merges
    }

    /// The sum of some articles' unit vectors, by term id.
    fn sum(&self, articles: &[usize]) -> Vec<(u32, f64)> {
        let mut sum: BTreeMap<u32, f64> = BTreeMap::new();
        for &a in articles {
            for &(t, w) in &self.vectors[a] {
                *sum.entry(t).or_default() += f64::from(w);
            }
        }
        sum.into_iter().collect()
    }

    /// The lowest cosine between an article of `a` and one of `b`.
    fn lowest(&self, a: &[usize], b: &[usize]) -> f64 {
        let mut lowest = f64::INFINITY;
        for &i in a {
            for &j in b {
                lowest = lowest.min(dot(&self.vectors[i], &self.vectors[j]));
            }
        }
        lowest
    }

    /// The range of publication days of some articles.
    fn span(&self, articles: &[usize]) -> Option<(i32, i32)> {
        articles
            .iter()
            .filter_map(|&a| self.days.get(a).copied().flatten())
            .fold(None, |range, d| match range {
                None => Some((d, d)),
                Some((lo, hi)) => Some((lo.min(d), hi.max(d))),
            })
    }
}

/// Why a link between groups of events deserves a second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LinkWeakness {
    /// The batch linker would not have made it: the events were joined
    /// another way (online linking, or a correction).
    NotLinked,
    /// It rests on one shared term: without it (a name with its words),
    /// the mean would be under the linker's threshold ("Houston" between
    /// a flood and a funeral).
    OneTerm,
    /// The mean similarity is under [`NEAR_THRESHOLD_FACTOR`] times the
    /// linker's threshold.
    NearThreshold,
    /// At least [`DISJOINT_SHARE`] of the article pairs across share no
    /// term.
    MostPairsDisjoint,
}

/// What makes a link weak: `merge` as the linker made it, `tie` the
/// articles of its two groups measured against each other.
pub fn link_weaknesses(merge: &Merge, tie: &Tie, linking: &BatchLinking) -> Vec<LinkWeakness> {
    let mut out = Vec::new();
    if !merge.blocked.is_empty() {
        out.push(LinkWeakness::NotLinked);
    }
    if !tie.shared.is_empty() && tie.without_top() < linking.average_threshold {
        out.push(LinkWeakness::OneTerm);
    }
    if tie.average < linking.average_threshold * NEAR_THRESHOLD_FACTOR {
        out.push(LinkWeakness::NearThreshold);
    }
    if tie.pairs > 0 && tie.disjoint as f64 >= DISJOINT_SHARE * tie.pairs as f64 {
        out.push(LinkWeakness::MostPairsDisjoint);
    }
    out
}

/// Why an article's place in its event deserves a second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TieWeakness {
    /// Another event is now more alike to it than the rest of its own.
    CloserElsewhere,
    /// It rests on one shared term: without it (a name with its words),
    /// its mean similarity to the rest of its event would be under the
    /// linker's threshold, too little even to link it into the story.
    OneTerm,
    /// Its mean similarity to the rest of its event is under
    /// [`LOOSE_TIE`].
    Loose,
}

/// What makes an article's tie to the rest of its event weak: `tie` to
/// the rest of its event, `closest_other` the mean similarity to the
/// most alike other event, if any shares a term with it.
pub fn tie_weaknesses(
    tie: &Tie,
    closest_other: Option<f64>,
    linking: &BatchLinking,
) -> Vec<TieWeakness> {
    let mut out = Vec::new();
    if closest_other.is_some_and(|other| other > tie.average) {
        out.push(TieWeakness::CloserElsewhere);
    }
    if !tie.shared.is_empty() && tie.without_top() < linking.average_threshold {
        out.push(TieWeakness::OneTerm);
    }
    if tie.average < LOOSE_TIE {
        out.push(TieWeakness::Loose);
    }
    out
}

/// A pair state between two groups: the linker's sum of pair cosines and
/// lowest long-pair cosine.
#[derive(Debug, Clone, Copy)]
struct PairState {
    sum: f64,
    lowest: f64,
}

impl Default for PairState {
    fn default() -> Self {
        PairState {
            sum: 0.0,
            lowest: f64::INFINITY,
        }
    }
}

fn ratio(sum: f64, size: f64) -> f64 {
    if size > 0.0 {
        sum / size
    } else {
        0.0
    }
}

/// The summed pair cosines between two groups of events, from the exact
/// sums between events.
fn group_sum(exact: &[Vec<f64>], a: &[usize], b: &[usize]) -> f64 {
    a.iter()
        .flat_map(|&e| b.iter().map(move |&f| exact[e][f]))
        .sum()
}

/// Days between two ranges of days (negative when they overlap); `None`
/// when either is undated.
fn gap(a: Option<(i32, i32)>, b: Option<(i32, i32)>) -> Option<i32> {
    let ((lo_a, hi_a), (lo_b, hi_b)) = (a?, b?);
    Some((lo_b - hi_a).max(lo_a - hi_b))
}

/// Calls `f` with each term two sorted vectors share and its two weights.
fn for_shared(a: &[(u32, f32)], b: &[(u32, f32)], mut f: impl FnMut(u32, f32, f32)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(a[i].0, a[i].1, b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
}

/// The dot product of two sorted vectors.
pub(crate) fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f64 {
    let mut sum = 0.0;
    for_shared(a, b, |_, x, y| sum += f64::from(x) * f64::from(y));
    sum
}

/// The dot product of two sorted vectors of f64 weights.
fn dot64(a: &[(u32, f64)], b: &[(u32, f64)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// One vector laid out by term id, for many dot products with it.
#[derive(Debug, Default)]
struct Dense {
    weights: Vec<f32>,
}

impl Dense {
    fn scatter(&mut self, vector: &[(u32, f32)]) {
        if let Some(top) = vector.iter().map(|&(t, _)| t as usize + 1).max() {
            self.weights.resize(top, 0.0);
        }
        for &(t, w) in vector {
            self.weights[t as usize] = w;
        }
    }

    fn dot(&self, other: &[(u32, f32)]) -> f64 {
        other
            .iter()
            .map(|&(t, w)| {
                f64::from(self.weights.get(t as usize).copied().unwrap_or(0.0)) * f64::from(w)
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A space of given unit vectors over named terms (undated).
    fn space(vocab: &[&str], vectors: &[&[(u32, f32)]]) -> LinkSpace {
        LinkSpace {
            vocab: vocab.iter().map(|t| (*t).to_owned()).collect(),
            name_words: vec![Vec::new(); vocab.len()],
            vectors: vectors.iter().map(|v| v.to_vec()).collect(),
            days: vec![None; vectors.len()],
        }
    }

    fn linking(average_threshold: f64, complete_floor: f64, long_terms: usize) -> BatchLinking {
        BatchLinking {
            average_threshold,
            complete_floor,
            long_terms,
            anchor_threshold: 0.0,
            lede_anchor_threshold: 0.0,
            ..BatchLinking::default()
        }
    }

    #[test]
    fn shares_of_shared_terms_add_up_to_the_mean_similarity() {
        // a·b = 0.6·0.8 + 0.8·0.6 = 0.96; a·c = 0.6·1.0 = 0.6.
        let s = space(
            &["n:kabul", "taliban", "herat"],
            &[&[(0, 0.6), (1, 0.8)], &[(0, 0.8), (1, 0.6)], &[(0, 1.0)]],
        );
        let tie = s.between(&[0], &[1, 2]);
        assert!((tie.average - (0.96 + 0.6) / 2.0).abs() < 1e-6);
        assert_eq!(tie.pairs, 2);
        assert_eq!(tie.disjoint, 0);
        assert!((tie.weakest - 0.6).abs() < 1e-6);
        let total: f64 = tie.shared.iter().map(|t| t.weight).sum();
        assert!((total - tie.average).abs() < 1e-6);
        let shares: f64 = tie.shared.iter().map(|t| t.share).sum();
        assert!((shares - 1.0).abs() < 1e-6);
        // Kabul weighs 0.48 + 0.6 of 1.56; the name prefix is dropped.
        assert_eq!(tie.shared[0].term, "kabul");
        assert!(tie.shared[0].name);
        assert!((tie.shared[0].share - 1.08 / 1.56).abs() < 1e-6);
        assert_eq!(tie.shared[1].term, "taliban");
        assert!(!tie.shared[1].name);
    }

    #[test]
    fn pairs_that_share_nothing_are_counted_and_an_article_is_not_its_own_pair() {
        let s = space(&["x", "y"], &[&[(0, 1.0)], &[(1, 1.0)], &[(0, 1.0)]]);
        let tie = s.between(&[0], &[0, 1, 2]);
        assert_eq!(tie.pairs, 2, "0 with itself is not a pair");
        assert_eq!(tie.disjoint, 1);
        assert_eq!(tie.weakest, 0.0);
        assert!((tie.average - 0.5).abs() < 1e-6);
        assert_eq!(tie.top_share(), 1.0);
        let nothing = s.between(&[0], &[0]);
        assert_eq!((nothing.pairs, nothing.average), (0, 0.0));
        assert!(nothing.shared.is_empty());
    }

    #[test]
    fn the_closest_groups_come_first_and_unrelated_ones_are_left_out() {
        let s = space(
            &["x", "y", "z"],
            &[&[(0, 0.6), (1, 0.8)], &[(0, 1.0)], &[(1, 1.0)], &[(2, 1.0)]],
        );
        let groups = vec![vec![0, 1], vec![2], vec![3]];
        let closest = s.closest_groups(0, &groups);
        assert_eq!(closest.len(), 2, "group 2 shares nothing: {closest:?}");
        assert_eq!(closest[0].0, 1, "0.8 to article 2");
        assert!((closest[0].1 - 0.8).abs() < 1e-6);
        assert_eq!(closest[1].0, 0, "0.6 to article 1, itself left out");
        assert!((closest[1].1 - 0.6).abs() < 1e-6);
    }

    #[test]
    fn replay_merges_the_most_alike_groups_first_as_the_linker_does() {
        // Events 0 and 2 are alike (0.9), event 1 resembles event 2 less
        // (0.3): 0+2 merge first, then 1 joins them at the mean over both.
        let s = space(
            &["x", "y"],
            &[&[(0, 1.0)], &[(1, 1.0)], &[(0, 0.9), (1, 0.436)]],
        );
        let merges = s.replay(&[vec![0], vec![1], vec![2]], &linking(0.1, 0.0, 1000));
        assert_eq!(merges.len(), 2);
        assert_eq!(
            (merges[0].left.clone(), merges[0].right.clone()),
            (vec![0], vec![2])
        );
        assert!(merges[0].blocked.is_empty());
        assert_eq!(merges[1].left, [0, 2]);
        assert_eq!(merges[1].right, [1]);
        // Mean of 0·1 = 0 and 2·1 = 0.436.
        assert!((merges[1].linker_average - 0.218).abs() < 1e-3);
        assert_eq!(merges[1].bridge.0, 2, "event 2 holds the link");
        assert_eq!(merges[1].bridge.1, 1);
        assert!(merges[1].blocked.is_empty());
        assert_eq!(merges[1].lowest_long, None, "no article is long");
    }

    #[test]
    fn replay_joins_what_the_linker_would_not_and_says_why() {
        let s = space(
            &["x", "y"],
            &[&[(0, 1.0)], &[(0, 0.6), (1, 0.8)], &[(1, 1.0)]],
        );
        // Average threshold 0.7: the linker joins 1 and 2 (0.8) and stops
        // there, yet a story of the three events (joined by hand, say)
        // needs a second link, which it would have refused.
        let merges = s.replay(&[vec![0], vec![1], vec![2]], &linking(0.7, 0.0, 1000));
        assert_eq!(merges.len(), 2);
        assert_eq!(
            (merges[0].left.clone(), merges[0].right.clone()),
            (vec![1], vec![2])
        );
        assert!(merges[0].blocked.is_empty());
        assert_eq!(
            (merges[1].left.clone(), merges[1].right.clone()),
            (vec![0], vec![1, 2])
        );
        assert_eq!(merges[1].blocked, [Blocked::Average], "mean 0.3");
        assert_eq!((merges[1].bridge.0, merges[1].bridge.1), (0, 1));
        assert!((merges[1].bridge.2 - 0.6).abs() < 1e-6);
        // The floor, between long articles (one term suffices here).
        let merges = s.replay(&[vec![0, 1], vec![2]], &linking(0.3, 0.1, 1));
        assert_eq!(merges[0].lowest_long, Some(0.0));
        assert_eq!(merges[0].blocked, [Blocked::Floor]);
        // The anchor: 1 and 2 share one term only, so without it nothing.
        let anchored = BatchLinking {
            anchor_threshold: 0.05,
            lede_anchor_threshold: 0.05,
            ..linking(0.3, 0.0, 1)
        };
        let merges = s.replay(&[vec![1], vec![2]], &anchored);
        assert_eq!(merges[0].blocked, [Blocked::Anchor]);
    }

    #[test]
    fn replay_prunes_pairs_under_half_the_threshold_as_the_linker_does() {
        // Event 0 is made of a and b, event 1 of c. a·c = 0.08 (under
        // half of 0.2, so the linker keeps nothing of the pair at first);
        // b·c = 0.
        let s = space(
            &["x", "y"],
            &[&[(0, 1.0)], &[(1, 1.0)], &[(0, 0.08), (1, 0.0)]],
        );
        let merges = s.replay(&[vec![0, 1], vec![2]], &linking(0.02, 0.0, 1000));
        assert!(
            (merges[0].linker_average - 0.04).abs() < 1e-6,
            "kept: 0.04 ≥ 0.01"
        );
        let merges = s.replay(&[vec![0, 1], vec![2]], &linking(0.2, 0.0, 1000));
        assert_eq!(merges[0].linker_average, 0.0, "pruned: 0.04 < 0.1");
        assert_eq!(merges[0].blocked, [Blocked::Average]);
        assert!((merges[0].bridge.2 - 0.04).abs() < 1e-6, "the exact mean");
    }

    #[test]
    fn replay_keeps_groups_months_apart_apart() {
        let mut s = space(&["x"], &[&[(0, 1.0)], &[(0, 1.0)]]);
        s.days = vec![Some(0), Some(100)];
        let merges = s.replay(&[vec![0], vec![1]], &linking(0.1, 0.0, 1000));
        assert_eq!(merges[0].gap_days, Some(100));
        assert_eq!(merges[0].blocked, [Blocked::Gap]);
        s.days = vec![Some(0), None];
        let merges = s.replay(&[vec![0], vec![1]], &linking(0.1, 0.0, 1000));
        assert_eq!(merges[0].gap_days, None);
        assert!(merges[0].blocked.is_empty());
    }

    #[test]
    fn a_link_on_one_name_near_the_threshold_is_weak_and_a_broad_one_is_not() {
        let l = BatchLinking::default();
        // Two events sharing only "Houston", just over the threshold.
        let s = space(
            &["n:houston", "flood", "funer"],
            &[&[(0, 0.3), (1, 0.954)], &[(0, 0.2), (2, 0.98)]],
        );
        let merges = s.replay(&[vec![0], vec![1]], &l);
        let tie = s.between(&[0], &[1]);
        assert!(
            merges[0].blocked.is_empty(),
            "the linker made it: {merges:?}"
        );
        assert_eq!(
            link_weaknesses(&merges[0], &tie, &l),
            [LinkWeakness::OneTerm, LinkWeakness::NearThreshold]
        );
        // Two events sharing several terms, well over the threshold.
        let s = space(
            &["n:kabul", "taliban", "capit", "ghani"],
            &[
                &[(0, 0.5), (1, 0.5), (2, 0.5), (3, 0.5)],
                &[(0, 0.5), (1, 0.5), (2, 0.5), (3, 0.5)],
            ],
        );
        let merges = s.replay(&[vec![0], vec![1]], &l);
        let tie = s.between(&[0], &[1]);
        assert!(link_weaknesses(&merges[0], &tie, &l).is_empty());
    }

    #[test]
    fn an_article_closer_to_another_event_or_held_by_one_term_is_flagged() {
        let l = BatchLinking::default();
        // Articles 0 and 1 share only x (0.3).
        let s = space(
            &["x", "y", "z"],
            &[&[(0, 1.0)], &[(0, 0.3), (1, 0.954)], &[(0, 0.6), (2, 0.8)]],
        );
        let tie = s.between(&[0], &[1]);
        assert_eq!(
            tie_weaknesses(&tie, Some(0.5), &l),
            [TieWeakness::CloserElsewhere, TieWeakness::OneTerm]
        );
        assert_eq!(tie_weaknesses(&tie, Some(0.2), &l), [TieWeakness::OneTerm]);
        // Articles 2 and 1 share only x: a mean of 0.18, not loose, but
        // all of it is x.
        let one = s.between(&[2], &[1]);
        assert!((one.average - 0.18).abs() < 1e-6);
        assert_eq!(tie_weaknesses(&one, None, &l), [TieWeakness::OneTerm]);
        // Articles sharing two terms evenly are not held by one.
        let s = space(&["x", "y"], &[&[(0, 0.6), (1, 0.8)], &[(0, 0.6), (1, 0.8)]]);
        assert!(tie_weaknesses(&s.between(&[0], &[1]), None, &l).is_empty());
        // Loose: under a mean of 0.1, whatever carries it.
        let s = space(
            &["x", "y", "z"],
            &[&[(0, 0.2), (1, 0.2), (2, 0.959)], &[(0, 0.2), (1, 0.2)]],
        );
        let tie = s.between(&[0], &[1]);
        assert!(tie.average < LOOSE_TIE);
        assert!(tie_weaknesses(&tie, None, &l).contains(&TieWeakness::Loose));
    }

    #[test]
    fn a_one_word_name_and_its_stem_are_one_shared_term() {
        use newsdesk_model::Article;
        let config = crate::ClusterConfig::default();
        let mut builder = LinkSpaceBuilder::default();
        for text in [
            "Rising floods hit the city of Houston.",
            "Mourners met in Houston for the funeral.",
            "The Dunmere council voted for trams.",
        ] {
            let doc = newsdesk_text::analyze(Article::new(text));
            builder.add(&ArticleFeatures::for_linking(&doc, &config));
        }
        let s = builder.finish();
        let tie = s.between(&[0], &[1]);
        assert_eq!(tie.shared.len(), 1, "{tie:?}");
        assert_eq!(tie.shared[0].term, "houston");
        assert!(tie.shared[0].name);
        assert!(
            (tie.top_share() - 1.0).abs() < 1e-6,
            "the name and the stem"
        );
    }

    #[test]
    fn a_name_of_several_words_takes_the_stems_of_its_words() {
        use newsdesk_model::Article;
        let config = crate::ClusterConfig::default();
        let mut builder = LinkSpaceBuilder::default();
        for text in [
            "Justices of the Supreme Court ruled on abortion clinics in Louisiana.",
            "Gay workers asked the Supreme Court to hear their case.",
            "The Dunmere council voted for trams.",
        ] {
            let doc = newsdesk_text::analyze(Article::new(text));
            builder.add(&ArticleFeatures::for_linking(&doc, &config));
        }
        let s = builder.finish();
        let tie = s.between(&[0], &[1]);
        let terms: Vec<(&str, bool)> = tie
            .shared
            .iter()
            .map(|t| (t.term.as_str(), t.name))
            .collect();
        assert_eq!(terms[0], ("supreme court", true), "{tie:?}");
        assert!(!terms.contains(&("court", false)), "{terms:?}");
        assert!(!terms.contains(&("suprem", false)), "{terms:?}");
        assert!(tie.top_share() > 0.9, "{tie:?}");
    }

    #[test]
    fn the_space_weighs_articles_as_the_linker_does() {
        use newsdesk_model::Article;
        let config = crate::ClusterConfig::default();
        let docs: Vec<_> = [
            "Engineers found cracks in the Veldmoor dam spillway.",
            "The valley below the Veldmoor dam was evacuated after the spillway cracks.",
            "The Dunmere council voted for the new tram line.",
        ]
        .into_iter()
        .map(|t| newsdesk_text::analyze(Article::new(t)))
        .collect();
        let mut builder = LinkSpaceBuilder::default();
        for d in &docs {
            builder.add(&ArticleFeatures::for_linking(d, &config));
        }
        let s = builder.finish();
        assert_eq!(s.len(), 3);
        for a in 0..3 {
            let norm: f64 = s.vectors[a]
                .iter()
                .map(|&(_, w)| f64::from(w).powi(2))
                .sum();
            assert!((norm - 1.0).abs() < 1e-5, "unit length");
        }
        assert!(s.cosine(0, 1) > 0.2);
        assert_eq!(s.cosine(0, 2), 0.0);
        let tie = s.between(&[0], &[1]);
        let terms: Vec<&str> = tie.shared.iter().map(|t| t.term.as_str()).collect();
        assert!(terms.contains(&"veldmoor"), "{terms:?}");
        assert!(terms.contains(&"spillway"), "{terms:?}");
    }
}
