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
//! For a collection that is complete (a closed corpus, a benchmark file),
//! [`linking::StoryLinker`] re-links the events into stories in one batch:
//! agglomerative, by average link over all their articles with a
//! complete-link floor between full reports, independent of the order of
//! the articles.
//!
//! The whole state is a [`Clusterer`], which can be saved and restored
//! ([`Clusterer::to_bytes`], [`Clusterer::from_bytes`]) so that ingesting
//! articles one batch at a time gives exactly the same events and stories
//! as one batch in the same order.
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

mod centroids;
mod clusterer;
pub mod duplicates;
pub mod linking;
pub mod merge;
mod vectorize;

pub use clusterer::{ClusterConfig, ClusterError, Clusterer, EventDecision};
