//! The online clusterer and its saved state.

use newsdesk_model::{ArticleId, Assignment, Document};
use serde::{Deserialize, Serialize};

use crate::centroids::{Centroids, DocTerms, DocWeights, Linkage, Measured, TimeDecay};
use crate::duplicates::{DuplicateConfig, DuplicateIndex};
use crate::features::ArticleFeatures;
use crate::merge::{ArticleTraits, MergeModel};
use crate::vectorize::{smoothed_idf, to_unit_length, NAME_PREFIX};
use crate::vocabulary::TermIds;

mod records;

pub use records::RECORDS_FORMAT;

/// The format of the state that [`Clusterer::to_bytes`] writes. Raised
/// whenever a saved state would be read differently; each format has a
/// fixture in `tests/fixtures/` that must still restore.
///
/// - 1: the state as first saved (no `format` field), with the
///   configuration it was built with (`config`), which
///   [`Clusterer::restore`] ignores.
/// - 2: a `format` field, and no configuration: the caller passes it in.
/// - 3: the same fields in MessagePack (`rmp-serde`, fields by name) after
///   an 8-byte header ([`STATE_MAGIC`] and the format as a little-endian
///   `u32`): numbers are written in binary, not as decimal text, so a
///   state is several times smaller and quicker to write and read.
///   Formats 1 and 2 are JSON.
pub const STATE_FORMAT: u32 = 3;

/// The first bytes of a binary state (format 3 on).
pub const STATE_MAGIC: &[u8; 4] = b"NDCS";

/// The oldest state format that [`Clusterer::restore`] still reads.
pub const OLDEST_SUPPORTED_STATE_FORMAT: u32 = 1;

/// The format of a state saved without a `format` field.
const UNNUMBERED_STATE_FORMAT: u32 = 1;

/// How an article decides between joining its best candidate event and
/// opening a new one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventDecision {
    /// Join the candidate with the highest average-link similarity when it
    /// reaches [`ClusterConfig::event_threshold`]. The default of states
    /// saved before the learned decision existed.
    #[default]
    Threshold,
    /// Join the candidate the [`ClusterConfig::merge`] model rates most
    /// likely to be the article's event when that probability reaches the
    /// model's threshold.
    Learned,
}

/// A decision imposed from outside (the gold events, when training):
/// given the candidates, the event to join, or `None` to open one.
pub(crate) type Oracle<'a> = &'a mut dyn FnMut(&[Measured], &ArticleTraits) -> Option<usize>;

/// What can go wrong when restoring a clusterer.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// Saved state could not be decoded (damaged, or not a clustering
    /// state at all).
    #[error("cannot decode saved clustering state: {0}")]
    Decode(#[from] serde_json::Error),
    /// A binary saved state (format 3 on) could not be decoded.
    #[error("cannot decode saved clustering state: {0}")]
    Damaged(String),
    /// Saved state of a format newer than this version reads (written by
    /// a later newsdesk).
    #[error(
        "saved clustering state has format {found}, newer than format {newest}, \
         the newest this version reads: it was written by a later version"
    )]
    NewerFormat {
        /// The state's format.
        found: u32,
        /// The newest format this version reads ([`STATE_FORMAT`]).
        newest: u32,
    },
    /// Saved state of a format older than this version still reads.
    #[error(
        "saved clustering state has format {found}, older than format {oldest}, \
         the oldest this version reads"
    )]
    OlderFormat {
        /// The state's format.
        found: u32,
        /// The oldest format this version reads
        /// ([`OLDEST_SUPPORTED_STATE_FORMAT`]).
        oldest: u32,
    },
}

/// The knobs of the clusterer. The defaults were tuned on the development
/// data (`../shared/eval/clustering/neus_train.jsonl`, BCubed F1) and on
/// the seed articles (which must form one story); see `ARCHITECTURE.md`.
/// The measurements behind each default are in `bench/results/`
/// (`2026-11-25-clustering.md`, and `2026-12-07-desk.md` for those that
/// stood in these docs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClusterConfig {
    /// Average-link similarity to an event at which an article joins that
    /// event instead of opening a new one (with
    /// [`EventDecision::Threshold`]).
    pub event_threshold: f64,
    /// Cosine similarity to a story's centroid at which a new event joins
    /// that story instead of opening a new one. Lower than the event
    /// threshold: a story's events share its people and places but not
    /// their details.
    pub story_threshold: f64,
    /// Average-link similarity to a story's articles at which a new event
    /// joins that story when no story's centroid is close enough (it helped
    /// both DUC 2004 and UCI headlines; averaging alone, in place of the
    /// centroid, helped DUC and hurt UCI).
    #[serde(default = "default_story_average_threshold")]
    pub story_average_threshold: f64,
    /// Average-link similarity to a story's articles that a new event
    /// must also reach to join the story by its centroid. A story's
    /// centroid sums many articles, so a report that shares only the
    /// story's region or field can come close to it while resembling none
    /// of its articles: on DUC 2004 the East Timor topic joined the
    /// Cambodia story by its centroid while resembling none of its
    /// articles. Raised from 0.08 to 0.10 when DUC 2004 was also scored in
    /// publication order, where its topics overlap in time and more
    /// stories compete.
    #[serde(default)]
    pub story_centroid_min_average: f64,
    /// How many times the title's terms count (Miranda et al. and the
    /// eval floor weight titles above body text).
    pub title_weight: f64,
    /// Weight of name-like terms (capitalised runs, numbers) relative to
    /// word stems; 0 leaves them out.
    pub name_weight: f64,
    /// How strongly the event threshold falls for long articles, whose
    /// similarities run lower (more distinct terms, each shared by fewer
    /// reports); 0 keeps it fixed. Off by default: it lifts DUC 2004 (full
    /// articles, gold = topics over weeks) but merges the seeds' two
    /// developments (Herat and Kandahar on 12–13 August, Kabul on 15
    /// August) into one event, which the seeds must keep apart.
    pub length_exponent: f64,
    /// The article length, in distinct terms, at which the event threshold
    /// applies unscaled.
    pub reference_terms: f64,
    /// Days between an article and an event's latest article that cost
    /// nothing.
    pub event_grace_days: f64,
    /// Width in days of the Gaussian time decay beyond the grace period for
    /// events (0: no decay). An event is one development: the seeds, with
    /// their publication dates, must keep Herat and Kandahar (13 August)
    /// apart from Kabul (15 August), which without decay, in publication
    /// order, form one event. With a 1-day grace and sigma 1 they do not;
    /// an article that only the decay kept out of an event opens a new
    /// event in that event's story (a later development), so DUC 2004's
    /// topics, which run over weeks, still form stories. Sigma 2 kept the
    /// seeds apart only in a store holding nothing else: after other news,
    /// IDF weighs their shared names more, and the Kabul reports came
    /// within reach of the Herat report.
    pub event_sigma_days: f64,
    /// As `event_grace_days`, for stories, which run longer.
    pub story_grace_days: f64,
    /// As `event_sigma_days`, for stories: a 7-day grace and sigma 14 days
    /// let stories match DUC 2004's topics, which run over weeks.
    pub story_sigma_days: f64,
    /// Near-duplicate detection.
    pub duplicates: DuplicateConfig,
    /// How many of an article's highest-weighted terms are looked up in the
    /// inverted index to find candidate events and stories.
    pub probe_terms: usize,
    /// How to decide between joining an event and opening one. The
    /// learned decision by default, for articles of the lengths it learnt
    /// from (title and lede: [`MergeModel::terms`]); headlines and full
    /// articles, whose similarities run on other scales, are decided by
    /// the threshold. The seeds are full articles, so decided by the
    /// threshold; so is most of DUC 2004.
    #[serde(default)]
    pub event_decision: EventDecision,
    /// The learned merge decision's weights (used with
    /// [`EventDecision::Learned`]); trained by the `train-merge` example.
    #[serde(default)]
    pub merge: MergeModel,
    /// The learned merge decision for articles that come with a sentence
    /// embedding ([`Clusterer::assign_embedded`]): the same measurements
    /// plus the embedding similarity, its margin and its cohesion gap.
    #[serde(default = "MergeModel::embedded")]
    pub merge_embedded: MergeModel,
}

/// The default of [`ClusterConfig::story_average_threshold`] (also for
/// states saved before it existed).
fn default_story_average_threshold() -> f64 {
    0.12
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            event_threshold: 0.25,
            story_threshold: 0.20,
            story_average_threshold: default_story_average_threshold(),
            story_centroid_min_average: 0.10,
            title_weight: 2.0,
            name_weight: 1.0,
            probe_terms: 20,
            length_exponent: 0.0,
            reference_terms: 80.0,
            event_grace_days: 1.0,
            event_sigma_days: 1.0,
            story_grace_days: 7.0,
            story_sigma_days: 14.0,
            duplicates: DuplicateConfig::default(),
            event_decision: EventDecision::Learned,
            merge: MergeModel::default(),
            merge_embedded: MergeModel::embedded(),
        }
    }
}

/// The online event and story clusterer, with everything it has learnt so
/// far (vocabulary, document frequencies, event and story centroids).
#[derive(Debug)]
pub struct Clusterer {
    config: ClusterConfig,
    /// Term strings by id.
    vocab: Vec<String>,
    /// Documents containing each term, by id.
    df: Vec<u32>,
    /// Documents seen.
    docs: u64,
    events: Centroids,
    stories: Centroids,
    duplicates: DuplicateIndex,
    /// Term → id, over `vocab` (not saved).
    lookup: TermIds,
    /// Whether each term (by id) is name-like (not saved).
    names: Vec<bool>,
    /// The current article's terms weighted by plain IDF (not saved):
    /// kept from article to article to save its allocation.
    plain: DocWeights,
    /// The same, weighted by the IDF the learned decision measures in.
    model: DocWeights,
    /// How much of the state a store holds as records (not saved): what
    /// [`Clusterer::unsaved_changes`] must write.
    saved: records::Saved,
}

/// A state as [`Clusterer::to_bytes`] writes it.
#[derive(Serialize)]
struct SavedRef<'a> {
    format: u32,
    vocab: &'a [String],
    df: &'a [u32],
    docs: u64,
    events: &'a Centroids,
    stories: &'a Centroids,
    duplicates: &'a DuplicateIndex,
}

/// A saved state as read back (of a format [`Clusterer::restore`] reads).
/// A format-1 state's `config` is an unknown field, skipped.
#[derive(Deserialize)]
struct Saved {
    vocab: Vec<String>,
    df: Vec<u32>,
    docs: u64,
    events: Centroids,
    stories: Centroids,
    duplicates: DuplicateIndex,
}

/// Only the format of a saved state, read before the rest so that a
/// state of another format is refused by its number rather than by
/// whatever its other fields fail on.
#[derive(Deserialize)]
struct SavedFormat {
    #[serde(default)]
    format: Option<u32>,
}

impl Clusterer {
    /// A clusterer that has seen nothing.
    pub fn new(config: ClusterConfig) -> Self {
        Clusterer {
            config,
            vocab: Vec::new(),
            df: Vec::new(),
            docs: 0,
            events: Centroids::default(),
            stories: Centroids {
                track_norms: true,
                ..Centroids::default()
            },
            duplicates: DuplicateIndex::default(),
            lookup: TermIds::default(),
            names: Vec::new(),
            plain: DocWeights::default(),
            model: DocWeights::default(),
            saved: records::Saved::default(),
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// How many articles have been assigned.
    pub fn articles_seen(&self) -> u64 {
        self.docs
    }

    /// The story (as [`Assignment::story`] numbers it) that event `event`
    /// opened in, or `None` for an event it never opened.
    pub fn story_of_event(&self, event: u64) -> Option<u64> {
        let index = usize::try_from(event.checked_sub(1)?).ok()?;
        Some(self.events.items.get(index)?.parent + 1)
    }

    /// Gives every remembered article restored from records its shingles
    /// again, from `documents` (as [`Clusterer::assign_features_from`]
    /// does for the candidates of one article): a clusterer restored from
    /// records then saves with [`Clusterer::to_bytes`] what one never
    /// saved does.
    pub fn recall_all_shingles(
        &mut self,
        documents: &mut dyn FnMut(&[ArticleId]) -> Vec<Document>,
    ) {
        self.duplicates.recall_all(documents);
    }

    /// Saves what the clusterer has learnt, in format [`STATE_FORMAT`]. The
    /// configuration is not saved: whoever restores the state passes it to
    /// [`Clusterer::restore`]. A clusterer restored from records saves the
    /// shingles of the remembered articles it recalled
    /// ([`Clusterer::recall_all_shingles`]), and no others.
    pub fn to_bytes(&self) -> Vec<u8> {
        let saved = SavedRef {
            format: STATE_FORMAT,
            vocab: &self.vocab,
            df: &self.df,
            docs: self.docs,
            events: &self.events,
            stories: &self.stories,
            duplicates: &self.duplicates,
        };
        let mut bytes = Vec::with_capacity(1 << 16);
        bytes.extend_from_slice(STATE_MAGIC);
        bytes.extend_from_slice(&STATE_FORMAT.to_le_bytes());
        // Serialising plain structs of numbers, strings and ordered maps
        // into a vector cannot fail.
        if rmp_serde::encode::write_named(&mut bytes, &saved).is_err() {
            bytes.truncate(8);
        }
        bytes
    }

    /// The state as JSON (format 2), for people and tools to read;
    /// [`Clusterer::restore`] reads it too.
    pub fn to_json(&self) -> Vec<u8> {
        let saved = SavedRef {
            format: 2,
            vocab: &self.vocab,
            df: &self.df,
            docs: self.docs,
            events: &self.events,
            stories: &self.stories,
            duplicates: &self.duplicates,
        };
        // Serialising plain structs of numbers, strings and ordered maps
        // cannot fail.
        serde_json::to_vec(&saved).unwrap_or_default()
    }

    /// Restores a state saved by [`Clusterer::to_bytes`] (of any format
    /// from [`OLDEST_SUPPORTED_STATE_FORMAT`] to [`STATE_FORMAT`]) to go on
    /// clustering with `config`. A format-1 state also holds the
    /// configuration it was built with: it is ignored, `config` wins (see
    /// the crate documentation).
    ///
    /// # Errors
    ///
    /// [`ClusterError::NewerFormat`] or [`ClusterError::OlderFormat`] for a
    /// state of a format this version does not read, and
    /// [`ClusterError::Decode`] for one that is damaged or not a state.
    pub fn restore(bytes: &[u8], config: ClusterConfig) -> Result<Clusterer, ClusterError> {
        let binary = bytes.starts_with(STATE_MAGIC);
        let format = match bytes.get(4..8) {
            Some(&[a, b, c, d]) if binary => u32::from_le_bytes([a, b, c, d]),
            _ if binary => return Err(ClusterError::Damaged("the header is cut short".into())),
            _ => serde_json::from_slice::<SavedFormat>(bytes)?
                .format
                .unwrap_or(UNNUMBERED_STATE_FORMAT),
        };
        if format > STATE_FORMAT {
            return Err(ClusterError::NewerFormat {
                found: format,
                newest: STATE_FORMAT,
            });
        }
        if format < OLDEST_SUPPORTED_STATE_FORMAT {
            return Err(ClusterError::OlderFormat {
                found: format,
                oldest: OLDEST_SUPPORTED_STATE_FORMAT,
            });
        }
        // Formats 1 and 2 hold the same fields but for format 1's
        // configuration, which is skipped as an unknown field; format 3
        // holds them in MessagePack.
        let saved: Saved = if binary {
            rmp_serde::from_slice(&bytes[8..]).map_err(|e| ClusterError::Damaged(e.to_string()))?
        } else {
            serde_json::from_slice(bytes)?
        };
        let mut clusterer = Clusterer {
            config,
            vocab: saved.vocab,
            df: saved.df,
            docs: saved.docs,
            events: saved.events,
            stories: saved.stories,
            duplicates: saved.duplicates,
            lookup: TermIds::default(),
            names: Vec::new(),
            plain: DocWeights::default(),
            model: DocWeights::default(),
            saved: records::Saved::default(),
        };
        clusterer.lookup = TermIds::of(&clusterer.vocab);
        clusterer.names = clusterer.vocab.iter().map(|t| is_name(t)).collect();
        clusterer.duplicates.rebuild();
        Ok(clusterer)
    }

    /// Assigns one article (already through the text stage) to an event
    /// and a story, and learns from it.
    pub fn assign(&mut self, doc: &Document) -> Assignment {
        self.assign_decided(doc, None, None)
    }

    /// As [`Clusterer::assign`], with the article's sentence embedding
    /// (unit length, from one model for all articles): the learned
    /// decision then also weighs how the article's meaning compares with
    /// each candidate event's ([`ClusterConfig::merge_embedded`]).
    pub fn assign_embedded(&mut self, doc: &Document, embedding: Option<&[f32]>) -> Assignment {
        self.assign_decided(doc, embedding, None)
    }

    /// As [`Clusterer::assign_embedded`], with the article's features
    /// already computed ([`ArticleFeatures::of`], on any thread, with this
    /// clusterer's configuration): the same assignment and the same state,
    /// bit for bit. Features computed with another configuration are
    /// computed again from `doc`.
    pub fn assign_features(
        &mut self,
        doc: &Document,
        features: &ArticleFeatures,
        embedding: Option<&[f32]>,
    ) -> Assignment {
        self.assign_featured(doc, features, embedding, None, &mut no_documents)
    }

    /// As [`Clusterer::assign_features`], for a clusterer restored from
    /// records ([`Clusterer::restore_records`]): the remembered articles
    /// the article may copy are compared on their shingles, which the
    /// records do not keep; `documents` gives their stored documents (by
    /// id, any it has), from which they are computed again. An article it
    /// does not give is not compared. The same assignment and state, bit
    /// for bit, as a clusterer never saved.
    pub fn assign_features_from(
        &mut self,
        doc: &Document,
        features: &ArticleFeatures,
        embedding: Option<&[f32]>,
        documents: &mut dyn FnMut(&[ArticleId]) -> Vec<Document>,
    ) -> Assignment {
        self.assign_featured(doc, features, embedding, None, documents)
    }

    /// As [`Clusterer::assign_embedded`], with the embedding made by
    /// `embed` only when the article needs one: a near-duplicate follows
    /// its original without it (embedding is the slow part of a stream
    /// with reprints). The result is the same as embedding every article.
    pub fn assign_embedded_with(
        &mut self,
        doc: &Document,
        embed: impl FnOnce(&Document) -> Option<Vec<f32>>,
    ) -> Assignment {
        let features = ArticleFeatures::of(doc, &self.config);
        if let Some(copy) = self.copy(doc, &features, &mut no_documents) {
            return copy;
        }
        let embedding = embed(doc);
        self.assign_original(doc, &features, embedding.as_deref(), None)
    }

    /// As [`Clusterer::assign`], with the choice of event left to `oracle`
    /// when given (a copy still follows its original without asking).
    pub(crate) fn assign_decided(
        &mut self,
        doc: &Document,
        embedding: Option<&[f32]>,
        oracle: Option<Oracle<'_>>,
    ) -> Assignment {
        let features = ArticleFeatures::of(doc, &self.config);
        self.assign_featured(doc, &features, embedding, oracle, &mut no_documents)
    }

    /// `features`, or the article's features computed again when they
    /// were computed with another configuration.
    fn fitted<'f>(
        &self,
        doc: &Document,
        features: &'f ArticleFeatures,
    ) -> std::borrow::Cow<'f, ArticleFeatures> {
        if features.fit(&self.config) {
            std::borrow::Cow::Borrowed(features)
        } else {
            std::borrow::Cow::Owned(ArticleFeatures::of(doc, &self.config))
        }
    }

    /// As [`Clusterer::assign_decided`], from the article's features, the
    /// remembered articles' shingles recalled from `documents` as
    /// [`Clusterer::assign_features_from`] does.
    fn assign_featured(
        &mut self,
        doc: &Document,
        features: &ArticleFeatures,
        embedding: Option<&[f32]>,
        oracle: Option<Oracle<'_>>,
        documents: &mut dyn FnMut(&[ArticleId]) -> Vec<Document>,
    ) -> Assignment {
        let features = self.fitted(doc, features);
        let features = features.as_ref();
        match self.copy(doc, features, documents) {
            Some(copy) => copy,
            None => self.assign_original(doc, features, embedding, oracle),
        }
    }

    /// The assignment of an article that copies an earlier one: its
    /// original's event and story. A copy teaches the clusterer nothing: it
    /// would only double-count one report.
    fn copy(
        &mut self,
        doc: &Document,
        features: &ArticleFeatures,
        documents: &mut dyn FnMut(&[ArticleId]) -> Vec<Document>,
    ) -> Option<Assignment> {
        let found = self.duplicates.find_recalling(
            &features.fingerprint,
            &self.config.duplicates,
            documents,
        )?;
        Some(Assignment {
            id: doc.article.id.clone(),
            event: found.event,
            story: found.story,
            duplicate_of: Some(found.original),
        })
    }

    /// Assigns an article that copies no earlier one and remembers its
    /// fingerprint for the copies to come.
    fn assign_original(
        &mut self,
        doc: &Document,
        features: &ArticleFeatures,
        embedding: Option<&[f32]>,
        oracle: Option<Oracle<'_>>,
    ) -> Assignment {
        let assignment = self.assign_new(doc, features, embedding, oracle);
        self.duplicates.insert(
            doc.article.id.clone(),
            features.fingerprint.clone(),
            assignment.event,
            assignment.story,
            &self.config.duplicates,
        );
        assignment
    }

    /// Assigns an article that copies no earlier one.
    fn assign_new(
        &mut self,
        doc: &Document,
        features: &ArticleFeatures,
        embedding: Option<&[f32]>,
        oracle: Option<Oracle<'_>>,
    ) -> Assignment {
        let learned = oracle.is_some() || self.config.event_decision == EventDecision::Learned;
        // Title terms are kept only for the learned decision.
        let (title, title_hashes): (&[String], &[u64]) = if learned {
            (&features.title, &features.title_hashes)
        } else {
            (&[], &[])
        };
        let mut vector: Vec<(u32, f32)> = Vec::with_capacity(features.terms.len());
        // New terms are numbered in the order of their strings.
        for ((term, weight), &hash) in features.terms.iter().zip(&features.hashes) {
            let id = self.intern(term, hash);
            vector.push((id, *weight));
        }
        vector.sort_unstable_by_key(|&(t, _)| t);
        // Unit length, so that a long article weighs no more in a centroid
        // than a short one.
        to_unit_length(&mut vector);
        self.docs += 1;
        for &(term, _) in &vector {
            if let Some(df) = self.df.get_mut(term as usize) {
                *df += 1;
                self.saved.df_changed(term);
            }
        }
        let docs = self.docs as f64;
        let df = &self.df;
        // Over the articles seen so far.
        let idf = move |term: u32| -> f64 {
            smoothed_idf(docs, df.get(term as usize).copied().unwrap_or(0) as f64)
        };
        // The model decides for articles like those it learnt from; the
        // threshold for the rest (headlines, full articles).
        let learned = oracle.is_some() || (learned && self.config.merge.covers(vector.len()));
        // The IDF the deciding model measures in (for its candidates too).
        let exponent = match (learned, embedding.is_some()) {
            (false, _) => 1.0,
            (true, false) => self.config.merge.idf_exponent,
            (true, true) => self.config.merge_embedded.idf_exponent,
        };
        let model_idf = |term: u32| -> f64 {
            let plain = idf(term);
            if exponent == 1.0 {
                plain
            } else {
                plain.powf(exponent)
            }
        };
        let names = &self.names;
        let is_name = |t: u32| names.get(t as usize).copied().unwrap_or(false);
        // The article's terms weighted by plain IDF, and by the IDF the
        // model measures in when that is another: each term's IDF is
        // computed once per article, and every comparison below reads it
        // from here.
        self.plain.fill(&vector, &idf, &is_name);
        let model = if exponent == 1.0 {
            &self.plain
        } else {
            self.model.fill(&vector, &model_idf, &is_name);
            &self.model
        };
        let mut ranked: Vec<(u32, f64)> = model.weights().collect();
        // Only the highest-weighted terms are probed: they are picked out
        // first and only they are sorted (the order is total, so this is
        // the order a full sort gives).
        top_first(&mut ranked, self.config.probe_terms, |a, b| {
            b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
        });
        let day = features.day;
        let time = TimeDecay {
            day,
            grace_days: self.config.event_grace_days,
            sigma_days: self.config.event_sigma_days,
        };
        let story_time = TimeDecay {
            day,
            grace_days: self.config.story_grace_days,
            sigma_days: self.config.story_sigma_days,
        };
        let probes: Vec<u32> = ranked
            .iter()
            .take(self.config.probe_terms)
            .map(|&(t, _)| t)
            .collect();

        let title_ids: Vec<u32> = title
            .iter()
            .zip(title_hashes)
            .filter_map(|(t, &hash)| self.lookup.get(t, hash, &self.vocab))
            .collect();
        // With the threshold: the best event, and the best were time no
        // matter (see below), from one pass over the candidates.
        let mut timeless_best: Option<(usize, f64)> = None;
        // The candidates the learned decision weighed, so that each
        // remembers how close this article came (rivals and bonds).
        let mut measured = Vec::new();
        // The IDF of the article's terms, as computed above.
        let plain = &self.plain;
        let plain_idf = |term: u32| plain.idf(term);
        let joined = if learned {
            measured = self.events.measure(
                time,
                &DocTerms {
                    weights: model,
                    probe_terms: &probes,
                    title_terms: &title_ids,
                    embedding,
                },
            );
            let traits = ArticleTraits {
                terms: vector.len(),
                dated: day.is_some(),
                names: vector.iter().any(|&(t, _)| is_name(t)),
                embedded: embedding.is_some(),
            };
            match oracle {
                Some(oracle) => oracle(&measured, &traits),
                None if traits.embedded => self.config.merge_embedded.choose(&measured, &traits),
                None => self.config.merge.choose(&measured, &traits),
            }
        } else {
            let (best, timeless) =
                self.events
                    .best_matches(Linkage::Average, time, &self.plain, &probes);
            timeless_best = timeless;
            best.filter(|&(_, score)| score >= self.event_threshold_for(vector.len()))
                .map(|(event_index, _)| event_index)
        };
        let (event_index, story_index) = match joined.filter(|&i| i < self.events.items.len()) {
            Some(event_index) => {
                let story_index = self.events.items[event_index].parent as usize;
                self.events
                    .add(event_index, &vector, &title_ids, day, &plain_idf);
                self.events.add_embedding(event_index, embedding);
                self.events.remember(&measured, event_index, false);
                (event_index, story_index)
            }
            None => {
                // An event the article would have joined but for the time
                // between them: a later development of that event's story.
                let continued = timeless_best
                    .filter(|_| time.sigma_days > 0.0)
                    .filter(|&(_, score)| score >= self.event_threshold_for(vector.len()))
                    .and_then(|(e, score)| {
                        let parent = self.events.items.get(e)?.parent as usize;
                        Some((parent, score))
                    });
                let story = continued.or_else(|| {
                    // Both linkages compare with the same candidates:
                    // their dot products are computed once.
                    let stories = &self.stories;
                    let scored = stories.dots(&self.plain, &probes);
                    stories
                        .best_scored(Linkage::Centroid, story_time, &self.plain, &scored)
                        .0
                        .filter(|&(_, score)| score >= self.config.story_threshold)
                        .filter(|&(story_index, _)| {
                            let floor = self.config.story_centroid_min_average;
                            floor <= 0.0
                                || stories.average_link(story_index, &self.plain, &scored) >= floor
                        })
                        .or_else(|| {
                            // A story whose articles it resembles one by one,
                            // though not their sum (a story that wandered).
                            stories
                                .best_scored(Linkage::Average, story_time, &self.plain, &scored)
                                .0
                                .filter(|&(_, score)| score >= self.config.story_average_threshold)
                        })
                });
                let story_index = match story {
                    Some((story_index, _)) => {
                        self.stories.add(story_index, &vector, &[], day, &plain_idf);
                        story_index
                    }
                    None => self.stories.open(&vector, &[], day, 0, &plain_idf),
                };
                let event_index =
                    self.events
                        .open(&vector, &title_ids, day, story_index as u64, &plain_idf);
                self.events.add_embedding(event_index, embedding);
                self.events.remember(&measured, event_index, true);
                return Assignment {
                    id: doc.article.id.clone(),
                    event: event_index as u64 + 1,
                    story: story_index as u64 + 1,
                    duplicate_of: None,
                };
            }
        };
        self.stories.add(story_index, &vector, &[], day, &plain_idf);
        Assignment {
            id: doc.article.id.clone(),
            event: event_index as u64 + 1,
            story: story_index as u64 + 1,
            duplicate_of: None,
        }
    }

    /// The event threshold for an article with `terms` distinct terms:
    /// the configured threshold at [`ClusterConfig::reference_terms`],
    /// scaled down by `(reference / terms) ^ length_exponent` for longer
    /// articles, to at most half the threshold; shorter articles keep it.
    fn event_threshold_for(&self, terms: usize) -> f64 {
        let base = self.config.event_threshold;
        if self.config.length_exponent == 0.0 || terms == 0 {
            return base;
        }
        let ratio = self.config.reference_terms / terms as f64;
        (base * ratio.powf(self.config.length_exponent)).clamp(0.5 * base, base)
    }

    fn intern(&mut self, term: &str, hash: u64) -> u32 {
        if let Some(id) = self.lookup.get(term, hash, &self.vocab) {
            return id;
        }
        let id = self.vocab.len() as u32;
        self.lookup.insert(term, hash, id, &self.vocab);
        self.vocab.push(term.to_owned());
        self.names.push(is_name(term));
        self.df.push(0);
        id
    }
}

/// Sorts the first `k` items of `items` by `order` into place: the `k`
/// first in that order, as a full sort would place them (`order` must be
/// total); the rest follow in no particular order.
pub(crate) fn top_first<T>(
    items: &mut [T],
    k: usize,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
) {
    if k == 0 {
        return;
    }
    if k < items.len() {
        items.select_nth_unstable_by(k - 1, &order);
    }
    let top = k.min(items.len());
    items[..top].sort_unstable_by(&order);
}

/// Whether a term is name-like rather than a word stem.
fn is_name(term: &str) -> bool {
    term.starts_with(NAME_PREFIX)
}

/// Days since 1970-01-01.
pub(crate) fn day_number(date: newsdesk_model::Date) -> i32 {
    let epoch = jiff::civil::date(1970, 1, 1);
    // Civil dates lie within ±10,000 years, so the day count always fits.
    date.since(epoch).map(|span| span.get_days()).unwrap_or(0)
}

/// The documents of a clusterer never restored from records: it holds
/// every remembered article's shingles and never asks.
fn no_documents(_: &[ArticleId]) -> Vec<Document> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use newsdesk_model::Article;

    use super::*;

    fn doc(title: &str, text: &str) -> Document {
        let mut article = Article::new(text);
        article.title = Some(title.to_owned());
        newsdesk_text::analyze(article)
    }

    fn corpus() -> Vec<Document> {
        vec![
            doc("Dam cracks found at Veldmoor", "Engineers found cracks in the Veldmoor dam spillway on Thursday and ordered an evacuation of the valley."),
            doc("Tram line approved in Dunmere", "The Dunmere council voted 27 to 14 for the new tram line through the old town."),
            doc("Veldmoor dam spillway cracks", "Cracks in the spillway of the Veldmoor dam forced engineers to order the valley evacuated on Thursday."),
            doc("Traders fear tram works", "Shop owners in Dunmere fear that the tram line works will keep customers away for years."),
            doc("", ""),
            doc("Veldmoor valley evacuated", "The valley below the Veldmoor dam was evacuated after engineers found spillway cracks."),
        ]
    }

    #[test]
    fn same_event_joins_and_other_topics_stay_apart() {
        let mut clusterer = Clusterer::new(ClusterConfig::default());
        let a: Vec<Assignment> = corpus().iter().map(|d| clusterer.assign(d)).collect();
        let events: Vec<u64> = a.iter().map(|a| a.event).collect();
        assert_eq!(events[0], events[2]);
        assert_eq!(events[0], events[5]);
        assert_ne!(events[0], events[1]);
        assert_ne!(events[1], events[4]);
        assert_eq!(a[1].story, a[3].story, "tram articles share a story");
        assert_ne!(a[0].story, a[1].story);
        assert_eq!(clusterer.articles_seen(), 6);
    }

    #[test]
    fn saved_and_restored_state_gives_the_batch_result() {
        let docs = corpus();
        for decision in [EventDecision::Learned, EventDecision::Threshold] {
            let config = ClusterConfig {
                event_decision: decision,
                ..ClusterConfig::default()
            };
            let mut batch = Clusterer::new(config);
            let expected: Vec<Assignment> = docs.iter().map(|d| batch.assign(d)).collect();
            for split in 0..=docs.len() {
                let mut first = Clusterer::new(config);
                let mut got: Vec<Assignment> =
                    docs[..split].iter().map(|d| first.assign(d)).collect();
                let mut second = Clusterer::restore(&first.to_bytes(), config).expect("restore");
                got.extend(docs[split..].iter().map(|d| second.assign(d)));
                assert_eq!(got, expected, "{decision:?}, split at {split}");
                assert_eq!(
                    second.to_bytes(),
                    batch.to_bytes(),
                    "{decision:?}, state bytes at split {split}"
                );
            }
        }
    }

    /// A made-up sentence embedding: a unit vector that depends on the
    /// topic word in the title, plus a little of the article's position.
    fn embedding_of(doc: &Document, position: usize) -> Vec<f32> {
        let title = doc.article.title.as_deref().unwrap_or("");
        let topic = if title.contains("Veldmoor") || title.contains("dam") {
            0
        } else {
            1
        };
        let mut v = [0.0f32; 8];
        v[topic] = 1.0;
        v[2 + position % 6] = 0.3;
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / norm).collect()
    }

    /// The made-up embeddings of `docs`, in order.
    fn embeddings_of(docs: &[Document]) -> Vec<Vec<f32>> {
        docs.iter()
            .enumerate()
            .map(|(i, d)| embedding_of(d, i))
            .collect()
    }

    /// A fresh clusterer after assigning `docs` with their `vectors`, and
    /// the assignments.
    fn assign_all_embedded(
        docs: &[Document],
        vectors: &[Vec<f32>],
    ) -> (Clusterer, Vec<Assignment>) {
        let mut clusterer = Clusterer::new(ClusterConfig::default());
        let assignments = docs
            .iter()
            .zip(vectors)
            .map(|(d, v)| clusterer.assign_embedded(d, Some(v)))
            .collect();
        (clusterer, assignments)
    }

    #[test]
    fn lazy_embedding_skips_copies_and_changes_nothing() {
        let mut docs = corpus();
        // A reprint of the first article, under another id.
        let mut reprint = docs[0].clone();
        reprint.article.id = newsdesk_model::ArticleId("reprint".into());
        docs.insert(2, reprint);
        let vectors = embeddings_of(&docs);
        let (eager, expected) = assign_all_embedded(&docs, &vectors);
        assert_eq!(expected[2].duplicate_of, Some(docs[0].article.id.clone()));
        let mut lazy = Clusterer::new(ClusterConfig::default());
        let mut embedded = Vec::new();
        let got: Vec<Assignment> = docs
            .iter()
            .zip(&vectors)
            .map(|(d, v)| {
                lazy.assign_embedded_with(d, |doc| {
                    embedded.push(doc.article.id.clone());
                    Some(v.clone())
                })
            })
            .collect();
        assert_eq!(got, expected);
        assert_eq!(lazy.to_bytes(), eager.to_bytes());
        assert_eq!(
            embedded.len(),
            docs.len() - 1,
            "the reprint is not embedded"
        );
        assert!(!embedded.iter().any(|id| id.0 == "reprint"));
    }

    #[test]
    fn embedded_articles_give_the_batch_result_when_saved_and_restored() {
        let docs = corpus();
        let vectors = embeddings_of(&docs);
        let (batch, expected) = assign_all_embedded(&docs, &vectors);
        assert_eq!(expected[0].event, expected[2].event);
        assert_ne!(expected[0].event, expected[1].event);
        for split in 0..=docs.len() {
            let mut first = Clusterer::new(ClusterConfig::default());
            let mut got: Vec<Assignment> = docs[..split]
                .iter()
                .zip(&vectors)
                .map(|(d, v)| first.assign_embedded(d, Some(v)))
                .collect();
            let mut second =
                Clusterer::restore(&first.to_bytes(), ClusterConfig::default()).expect("restore");
            got.extend(
                docs[split..]
                    .iter()
                    .zip(&vectors[split..])
                    .map(|(d, v)| second.assign_embedded(d, Some(v))),
            );
            assert_eq!(got, expected, "split at {split}");
            assert_eq!(
                second.to_bytes(),
                batch.to_bytes(),
                "state bytes at split {split}"
            );
        }
    }

    /// Embeddings of another length (another model) than those an event
    /// holds are left out rather than compared, and nothing panics.
    #[test]
    fn embeddings_of_another_length_are_left_out() {
        let docs = corpus();
        let mut clusterer = Clusterer::new(ClusterConfig::default());
        let short = vec![1.0f32; 4];
        let long = embedding_of(&docs[2], 2);
        let first = clusterer.assign_embedded(&docs[0], Some(&short));
        let second = clusterer.assign_embedded(&docs[2], Some(&long));
        let third = clusterer.assign_embedded(&docs[5], None);
        assert_eq!(first.event, second.event);
        assert_eq!(first.event, third.event);
    }

    #[test]
    fn both_decisions_join_the_same_event_and_keep_topics_apart() {
        for decision in [EventDecision::Learned, EventDecision::Threshold] {
            let mut clusterer = Clusterer::new(ClusterConfig {
                event_decision: decision,
                ..ClusterConfig::default()
            });
            let events: Vec<u64> = corpus().iter().map(|d| clusterer.assign(d).event).collect();
            assert_eq!(events[0], events[2], "{decision:?}");
            assert_eq!(events[0], events[5], "{decision:?}");
            assert_ne!(events[0], events[1], "{decision:?}");
        }
    }

    /// A state of format 1 (no `format`, its configuration inside) as the
    /// clusterer saved it before formats were numbered.
    fn format_1(clusterer: &Clusterer, config: &ClusterConfig) -> Vec<u8> {
        let mut state: serde_json::Value =
            serde_json::from_slice(&format_2(clusterer)).expect("json");
        let fields = state.as_object_mut().expect("object");
        fields.remove("format");
        fields.insert(
            "config".into(),
            serde_json::to_value(config).expect("config"),
        );
        serde_json::to_vec(&state).expect("json")
    }

    /// A state of format 2 (JSON with a `format` field).
    fn format_2(clusterer: &Clusterer) -> Vec<u8> {
        clusterer.to_json()
    }

    #[test]
    fn a_format_2_state_restores_and_saves_as_the_current_format() {
        let mut clusterer = Clusterer::new(ClusterConfig::default());
        for d in &corpus()[..3] {
            clusterer.assign(d);
        }
        let restored =
            Clusterer::restore(&format_2(&clusterer), ClusterConfig::default()).expect("restore");
        let bytes = restored.to_bytes();
        assert!(bytes.starts_with(STATE_MAGIC));
        assert_eq!(bytes, clusterer.to_bytes());
        assert!(bytes.len() < format_2(&clusterer).len());
    }

    #[test]
    fn a_binary_state_of_a_newer_format_or_cut_short_is_refused() {
        let mut state = Clusterer::new(ClusterConfig::default()).to_bytes();
        state[4..8].copy_from_slice(&(STATE_FORMAT + 1).to_le_bytes());
        match Clusterer::restore(&state, ClusterConfig::default()) {
            Err(ClusterError::NewerFormat { found, .. }) => assert_eq!(found, STATE_FORMAT + 1),
            other => panic!("expected NewerFormat, got {other:?}"),
        }
        for cut in [6, 20] {
            let state = Clusterer::new(ClusterConfig::default()).to_bytes();
            assert!(matches!(
                Clusterer::restore(&state[..cut], ClusterConfig::default()),
                Err(ClusterError::Damaged(_))
            ));
        }
    }

    // A format-1 state carries the configuration it was built with: it is
    // ignored, the caller's wins, and the state saves as the current
    // format with the same contents.
    #[test]
    fn a_format_1_state_goes_on_with_the_callers_configuration() {
        let built_with = ClusterConfig {
            event_decision: EventDecision::Threshold,
            event_threshold: 0.9,
            ..ClusterConfig::default()
        };
        let mut clusterer = Clusterer::new(built_with);
        for d in &corpus()[..3] {
            clusterer.assign(d);
        }
        let old = format_1(&clusterer, &built_with);
        let restored = Clusterer::restore(&old, ClusterConfig::default()).expect("restore");
        assert_eq!(*restored.config(), ClusterConfig::default());
        assert_eq!(restored.to_bytes(), clusterer.to_bytes());
        assert_eq!(restored.articles_seen(), 3);
    }

    #[test]
    fn a_state_of_another_format_is_refused_by_its_number() {
        let state = format_2(&Clusterer::new(ClusterConfig::default()));
        let with_format = |format: u32| {
            let mut value: serde_json::Value = serde_json::from_slice(&state).expect("json");
            value["format"] = format.into();
            serde_json::to_vec(&value).expect("json")
        };
        match Clusterer::restore(&with_format(STATE_FORMAT + 1), ClusterConfig::default()) {
            Err(ClusterError::NewerFormat { found, newest }) => {
                assert_eq!((found, newest), (STATE_FORMAT + 1, STATE_FORMAT));
            }
            other => panic!("expected NewerFormat, got {other:?}"),
        }
        match Clusterer::restore(&with_format(0), ClusterConfig::default()) {
            Err(error @ ClusterError::OlderFormat { found: 0, oldest }) => {
                assert_eq!(oldest, OLDEST_SUPPORTED_STATE_FORMAT);
                let message = error.to_string();
                assert!(
                    message.contains("format 0") && message.contains("format 1"),
                    "{message}"
                );
            }
            other => panic!("expected OlderFormat, got {other:?}"),
        }
        assert!(Clusterer::restore(&with_format(STATE_FORMAT), ClusterConfig::default()).is_ok());
    }

    // Features computed ahead, on another thread, give the same
    // assignments and the same state as assigning the documents; features
    // of another configuration are computed again.
    #[test]
    fn features_computed_ahead_give_the_same_result() {
        let mut docs = corpus();
        let mut reprint = docs[0].clone();
        reprint.article.id = newsdesk_model::ArticleId("reprint".into());
        docs.push(reprint);
        for decision in [EventDecision::Learned, EventDecision::Threshold] {
            let config = ClusterConfig {
                event_decision: decision,
                ..ClusterConfig::default()
            };
            let other = ClusterConfig {
                title_weight: 1.0,
                ..config
            };
            let mut direct = Clusterer::new(config);
            let expected: Vec<Assignment> = docs.iter().map(|d| direct.assign(d)).collect();
            for made_with in [config, other] {
                let features = std::thread::scope(|scope| {
                    scope
                        .spawn(|| {
                            docs.iter()
                                .map(|d| ArticleFeatures::of(d, &made_with))
                                .collect::<Vec<_>>()
                        })
                        .join()
                        .expect("features thread")
                });
                let mut ahead = Clusterer::new(config);
                let got: Vec<Assignment> = docs
                    .iter()
                    .zip(&features)
                    .map(|(d, f)| ahead.assign_features(d, f, None))
                    .collect();
                assert_eq!(got, expected, "{decision:?}");
                assert_eq!(ahead.to_bytes(), direct.to_bytes(), "{decision:?}");
            }
        }
    }

    #[test]
    fn top_first_places_the_first_items_as_a_full_sort() {
        let items: Vec<(u32, f64)> = (0..50u32).map(|i| (i, f64::from((i * 37) % 11))).collect();
        let order = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let mut sorted = items.clone();
        sorted.sort_by(order);
        for k in [0, 1, 7, 20, 50, 80] {
            let mut got = items.clone();
            top_first(&mut got, k, order);
            let top = k.min(items.len());
            assert_eq!(got[..top], sorted[..top], "k = {k}");
        }
    }

    #[test]
    fn damaged_state_is_an_error_not_a_panic() {
        let config = ClusterConfig::default();
        assert!(Clusterer::restore(b"{not json", config).is_err());
        assert!(Clusterer::restore(b"", config).is_err());
        assert!(Clusterer::restore(br#"{"format": 2}"#, config).is_err());
    }
}
