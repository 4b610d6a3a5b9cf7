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
//! - [`corrections`]: an editor's corrections of stories, entities and
//!   facts, made ([`ingest::Ingestor::correct`]), undone, and applied
//!   again at every re-linking.
//! - [`changes`]: what changed in the stories since a time (articles,
//!   outlets, figures that changed or became disputed, quotes, timeline
//!   entries, merges, corrections).
//! - [`story`]: a story's documents (independent reports or all), and the
//!   [`story::StoryReport`] (headline, sources, events, timeline,
//!   entities, facts, brief) built from them, each document dated once.
//! - [`export`]: the provenance graph of stories (story → event →
//!   article → sentence → claim, with the evidence spans of each claim),
//!   as rows for JSONL or CSV (`newsdesk export`).
//! - [`sources`]: a story's numbered sources ([`sources::Sources`]), the
//!   one legend by which every story output cites.
//! - [`why`]: why a story's articles are together ([`why::story_why`]):
//!   each article's tie to its event, each link between its events, the
//!   weak ones first.
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
pub mod changes;
pub mod corrections;
pub mod evaluate;
pub mod export;
pub mod ingest;
pub mod order;
pub mod sources;
pub mod story;
mod story_ids;
pub mod why;

/// The current time as RFC 3339 UTC, to the second: when an ingest
/// stored its articles, when a correction was made.
pub fn now() -> String {
    let now = jiff::Timestamp::now();
    jiff::Timestamp::from_second(now.as_second())
        .unwrap_or(now)
        .to_string()
}

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
    /// A correction could not be made.
    #[error(transparent)]
    Correction(#[from] corrections::CorrectionError),
    /// The store changed under a running operation.
    #[error("the store lost articles while they were being re-linked")]
    StoreChanged,
}
