//! The desk: what every newsdesk front end calls.
//!
//! The stage crates each do one thing to one article or one story; the
//! desk strings them together over a store, so that the command line, the
//! HTTP server and the queue workers are each parse → call → print:
//!
//! - [`analysis`]: one article through the per-article stages —
//!   [`analysis::analyze`] (the text stage, with a publication date read
//!   from the text when the metadata has none) and
//!   [`analysis::ArticleAnalysis`] (its times, sentence dates, entities,
//!   figures, quotes and paraphrases, as `newsdesk analyze` prints).
//! - [`order`]: reading inputs in the order asked for (as given, by
//!   publication date, or a seeded shuffle).
//! - [`ingest`]: an [`ingest::Ingestor`] session: read → analyse (on every
//!   core) → cluster (one writer, in order) → commit → re-link stories,
//!   with its [`ingest::IngestReport`]; and [`ingest::cluster_inputs`], the
//!   same without a store.
//! - [`evaluate`]: stages run over benchmark files as the front ends run
//!   them, and scored (`newsdesk eval`).
//! - [`story`]: a story's documents (independent reports or all), and the
//!   [`story::StoryReport`] (headline, sources, events, timeline,
//!   entities, facts, brief) built from them, each document dated once.
//! - [`amend`]: the editor's corrections of entities and facts, as the
//!   entity merge and the fact table take them ([`amend::Amendments`]),
//!   read with every story's entities and facts.
//!
//! ```no_run
//! use newsdesk_desk::ingest::{IngestOptions, Ingestor};
//! use newsdesk_store::SqliteStore;
//!
//! let mut store = SqliteStore::open(std::path::Path::new("newsdesk.db"))?;
//! let mut ingestor = Ingestor::open(&mut store, IngestOptions::default())?;
//! let report = ingestor.ingest_paths(&["articles/".into()], &mut |_, _| {})?;
//! println!("{} added", report.added);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod amend;
pub mod analysis;
pub mod evaluate;
pub mod ingest;
pub mod order;
pub mod story;
mod story_ids;

/// What can go wrong at the desk. Bad input is not an error: readers
/// report it as a [`newsdesk_model::Diagnostic`] and go on.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The store could not be read or written.
    #[error(transparent)]
    Store(#[from] newsdesk_store::StoreError),
    /// The store's clustering state could not be restored.
    #[error("the store's clustering state: {0}")]
    ClusterState(#[from] newsdesk_cluster::ClusterError),
    /// The embedded entity model could not be read.
    #[error("the embedded entity model cannot be read: {0}")]
    EntityModel(#[from] newsdesk_entities::EntityError),
    /// No story has this number.
    #[error("no story {0} in the store; `newsdesk stories` lists them")]
    NoSuchStory(u64),
    /// The store changed under a running operation.
    #[error("the store lost articles while they were being re-linked")]
    StoreChanged,
}
