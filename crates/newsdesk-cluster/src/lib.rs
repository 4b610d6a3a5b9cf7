//! Cluster stage of newsdesk: groups articles into **events** (one
//! development, told by several outlets) and links events into **stories**
//! (events that continue one another over days).
//!
//! The method is an online single pass in the spirit of Miranda et al. 2018,
//! "Multilingual Clustering of Streaming News": each article, in the order
//! it arrives, becomes a TF-IDF vector (stemmed words of title and body, the
//! title counted twice, sublinear term frequency, plus name-like terms) and
//! joins the most similar event if its average-link similarity reaches
//! [`ClusterConfig::event_threshold`] (or, with [`EventDecision::Learned`],
//! the candidate event that a learned merge decision, [`merge::MergeModel`],
//! rates most likely, if that probability reaches the model's threshold);
//! otherwise it
//! opens a new event, which joins the most similar story if it reaches the lower
//! [`ClusterConfig::story_threshold`], or opens a new story. Candidate
//! events and stories come from an inverted index over their terms, never a
//! scan of all of them.
//!
//! The events of the online pass depend on the order of the articles;
//! [`events`] groups a whole collection (or a store's articles) into
//! events in one batch, the same in any order, with a pair decision learnt
//! on NeuS train.
//!
//! For a collection that is complete (a closed corpus, a benchmark file),
//! [`linking::StoryLinker`] re-links the events into stories in one batch:
//! agglomerative, by average link over all their articles with a
//! complete-link floor between full reports, independent of the order of
//! the articles.
//!
//! [`explain`] says, after the fact, why articles are together: how alike
//! each article is to the rest of its event, which merges of the batch
//! linker joined a story's events, and which shared terms carry them.
//!
//! The whole state is a [`Clusterer`], which can be saved and restored so
//! that ingesting articles one batch at a time gives exactly the same
//! events and stories as one batch in the same order: as keyed records
//! of which each save writes only those changed since the last
//! ([`Clusterer::unsaved_changes`], [`Clusterer::mark_saved`],
//! [`Clusterer::restore_records`]; what a store keeps), or as one blob
//! ([`Clusterer::to_bytes`], [`Clusterer::restore`]).
//!
//! # Saved state and configuration
//!
//! A saved state holds what the clusterer has learnt (vocabulary, document
//! frequencies, events, stories, near-duplicate index) and its format,
//! [`STATE_FORMAT`], as tantivy's indexes carry theirs. It does **not**
//! hold the [`ClusterConfig`]: the caller passes the configuration to
//! [`Clusterer::restore`], so that better thresholds or merge weights
//! reach existing stores with the next release instead of being frozen
//! into each store. [`Clusterer::restore`] reads every format from
//! [`OLDEST_SUPPORTED_STATE_FORMAT`] on and refuses others with a typed
//! error naming both formats ([`ClusterError::NewerFormat`],
//! [`ClusterError::OlderFormat`]).
//!
//! States written before formats were numbered are format 1. They also
//! hold the configuration they were built with; it is **ignored**, and the
//! configuration passed in wins. Newsdesk always built its stores with the
//! default configuration, so a store that goes on with the default
//! configuration of a later release takes up that release's thresholds and
//! learned weights for the articles to come; the events and stories
//! already formed stay as they are. This is a deliberate change: a store
//! begun before the learned merge decision existed saved no
//! `event_decision` and went on deciding by threshold; restored with the
//! default configuration, it now decides as that configuration says (a
//! caller who wants the threshold passes
//! [`EventDecision::Threshold`]). Each format has a fixture in
//! `tests/fixtures/` that must go on restoring.
//!
//! # Per-article work and order-sensitive work
//!
//! Everything the clusterer and the batch linker read of one article alone
//! (weighted terms, title terms, near-duplicate fingerprint, day) is an
//! [`ArticleFeatures`], which any thread may compute
//! ([`ArticleFeatures::of`]); only the assignment itself
//! ([`Clusterer::assign_features`]) depends on the articles before, and
//! must run in order on one thread. [`Clusterer::assign`] computes the
//! features itself, with the same result.
//!
//! ```
//! use newsdesk_cluster::{Clusterer, ClusterConfig};
//! use newsdesk_model::Article;
//!
//! let mut clusterer = Clusterer::new(ClusterConfig::default());
//! let a = newsdesk_text::analyze(Article::new("Floods closed the Ossel bridge in Veldmoor on Monday."));
//! let b = newsdesk_text::analyze(Article::new("The Ossel bridge in Veldmoor was closed by floods."));
//! let first = clusterer.assign(&a);
//! let second = clusterer.assign(&b);
//! assert_eq!(first.event, 1);
//! assert_eq!(second.event, first.event);
//! ```
#![deny(missing_docs)]

mod binary;
mod centroids;
mod clusterer;
pub mod duplicates;
pub mod events;
pub mod explain;
mod features;
mod fxhash;
pub mod linking;
pub mod merge;
mod vectorize;
mod vocabulary;

pub use clusterer::{
    ClusterConfig, ClusterError, Clusterer, EventDecision, OLDEST_SUPPORTED_STATE_FORMAT,
    RECORDS_FORMAT, STATE_FORMAT, STATE_MAGIC,
};
pub use features::ArticleFeatures;
