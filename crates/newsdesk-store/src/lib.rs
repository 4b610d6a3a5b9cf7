//! Storage for newsdesk: the [`Store`] trait and its embedded SQLite
//! backend, [`SqliteStore`]; with the `postgres` feature, also a
//! PostgreSQL backend, `PostgresStore`.
//!
//! Callers (the CLI, later the HTTP server and stream workers) only speak to
//! the trait, so a PostgreSQL backend can be added without changing them.
//! Every write goes through [`Store::commit`], which applies one ingest batch
//! (new documents, their event/story assignments, what changed in the
//! clusterer's state, new stories of stored articles) atomically: after a crash or an
//! error the store holds either the whole batch or none of it.
//!
//! ```
//! use newsdesk_store::{SqliteStore, Store};
//!
//! let store = SqliteStore::open_in_memory().expect("in-memory store");
//! assert_eq!(store.article_count().expect("count"), 0);
//! ```
#![deny(missing_docs)]

mod indexing;
#[cfg(feature = "postgres")]
mod intake;
mod layout;
#[cfg(feature = "postgres")]
mod postgres;
mod query;
mod record_ids;
mod sqlite;

use std::collections::BTreeSet;

use newsdesk_model::correction::{Correction, CorrectionRecord};
use newsdesk_model::state::{StateChanges, StateRecord};
use newsdesk_model::{ArticleId, Assignment, Date, Document, EventId, StoryId};
use serde::{Deserialize, Serialize};

#[cfg(feature = "postgres")]
pub use intake::{Claim, Failure, Intake, IntakeState, IntakeStatus, Queued, Ready};
#[cfg(feature = "postgres")]
pub use postgres::{Lease, PostgresError, PostgresStore};
pub use sqlite::SqliteStore;

/// A database URL without its password, fit for a message or a log:
/// neither the one after the user name (`postgres://user:secret@host/db`)
/// nor a `password=` parameter.
pub fn redacted_url(url: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((head, query)) => (head, Some(query)),
        None => (url, None),
    };
    let mut out = match (head.find("://"), head.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &head[scheme + 3..at];
            let user = user.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &head[..scheme + 3], &head[at + 1..])
        }
        _ => head.to_owned(),
    };
    if let Some(query) = query {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.to_ascii_lowercase().starts_with("password="))
            .collect();
        if !kept.is_empty() {
            out.push('?');
            out.push_str(&kept.join("&"));
        }
    }
    out
}

/// A number kept among the store's own records (`store_meta`), read back.
pub(crate) fn meta_number(key: &str, value: Option<String>) -> Result<Option<u64>, StoreError> {
    value
        .map(|v| {
            v.parse().map_err(|_| StoreError::Corrupt {
                what: "the store's records".to_owned(),
                reason: format!("{key} {v:?} is not a number"),
            })
        })
        .transpose()
}

/// What can go wrong in a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened, read or written.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// The database was written by a newer newsdesk with a schema this
    /// version does not know.
    #[error("the store has schema version {found}, newer than this newsdesk supports ({supported}); upgrade newsdesk")]
    SchemaTooNew {
        /// Version found in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A stored record could not be decoded (the file was changed by hand
    /// or is damaged).
    #[error("stored record {what} is damaged: {reason}")]
    Corrupt {
        /// Which record.
        what: String,
        /// What failed when decoding it.
        reason: String,
    },
    /// A file that is a SQLite database but not a newsdesk store (none of
    /// its tables), opened for reading.
    #[error("{0} is not a newsdesk store (it has no newsdesk tables); point --db at a store or ingest into a new file")]
    NotAStore(String),
    /// A search query had nothing to search for.
    #[error("the search query has no words to search for")]
    EmptyQuery,
    /// Another process holds the store's writer lease (an ingest is
    /// running), and the caller asked not to wait.
    #[error("another newsdesk is writing to this store (an ingest is running)")]
    Busy,
    /// This process held the store's writer lease and lost it (its
    /// connection to the server was cut, or another process took the
    /// lease over and bumped its epoch): nothing was written, and the
    /// process must take the lease again (and reload what it keeps of the
    /// store) before writing.
    #[error("this process lost the store's writer lease ({0}); nothing was written")]
    LeaseLost(String),
    /// The store's writer lease could not be taken.
    #[error("cannot take the store's writer lock {path}: {source}")]
    Lock {
        /// The lock file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The PostgreSQL server could not be reached, or refused a statement.
    #[cfg(feature = "postgres")]
    #[error("PostgreSQL error: {0}")]
    Postgres(#[source] PostgresError),
    /// A batch held a new document without an assignment (a bug in the
    /// caller); nothing of the batch was stored.
    #[error("article {0} has no event/story assignment in its ingest batch")]
    MissingAssignment(ArticleId),
}

/// One ingest, applied atomically by [`Store::commit`].
#[derive(Debug, Clone, Default)]
pub struct IngestBatch {
    /// Analysed articles to add, in ingest order. Ones whose id the store
    /// already holds are skipped.
    pub documents: Vec<Document>,
    /// Event and story of each new document (same order, same ids).
    pub assignments: Vec<Assignment>,
    /// What changed in the clusterer's state by assigning them, as keyed
    /// records opaque to the store (see [`newsdesk_model::state`]);
    /// `None` leaves the stored state as it is. Changes that replace the
    /// state also drop a state saved as one blob by an older store
    /// ([`Store::cluster_state`]).
    pub cluster_changes: Option<StateChanges>,
    /// New stories of articles the store already holds (after a batch
    /// re-linking of its events into stories), applied after the new
    /// documents; ids the store does not hold are passed over.
    pub stories: Vec<(ArticleId, StoryId)>,
    /// Corrected metadata of stored articles (a later sidecar or flag
    /// giving another date, outlet, address or language), applied after
    /// the new documents; ids the store does not hold are passed over.
    pub corrections: Vec<MetadataCorrection>,
    /// Story ids a re-linking retired, each with the story it was merged
    /// into (`(old, now)`), so that the old ids still resolve
    /// ([`Store::story_alias`]).
    pub aliases: Vec<(StoryId, StoryId)>,
    /// New events of stored articles (an editor's correction split them
    /// off theirs, or undoing it gave them back), applied after the new
    /// documents; ids the store does not hold are passed over.
    pub events: Vec<(ArticleId, EventId)>,
    /// When the batch is written (RFC 3339, UTC), recorded as the time its
    /// new documents were stored and its aliases' ids retired; `None`
    /// records no time.
    pub at: Option<String>,
    /// Retired story ids given back to a story (undoing the correction
    /// that merged it): their aliases are removed.
    pub revived: Vec<StoryId>,
    /// Records, in the same transaction, the position of the last article
    /// a batch re-linking numbered ([`Store::relinked_through`]); `None`
    /// leaves the record as it is.
    pub relinked_through: Option<u64>,
    /// Records, in the same transaction, whether the store's events still
    /// wait for a batch re-linking into stories (`Some(true)` with new
    /// articles, `Some(false)` with the re-linked stories); `None` leaves
    /// the record as it is. See [`Store::relink_pending`].
    pub relink_pending: Option<bool>,
    /// Records, in the same transaction, the sequence number of the last
    /// article of the scale-out intake this batch assembled
    /// ([`Store::intake_through`]), so that an assembler taking over goes
    /// on after it; `None` leaves the record as it is.
    pub intake_through: Option<u64>,
}

/// New metadata for a stored article: each field given replaces the
/// stored one, each `None` leaves it as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataCorrection {
    /// The stored article.
    pub id: ArticleId,
    /// Its publication date.
    pub date: Option<Date>,
    /// Its outlet.
    pub source: Option<String>,
    /// Its address.
    pub url: Option<String>,
    /// Its language code.
    pub lang: Option<String>,
}

impl MetadataCorrection {
    /// A correction of article `id` that changes nothing yet.
    pub fn of(id: ArticleId) -> Self {
        MetadataCorrection {
            id,
            date: None,
            source: None,
            url: None,
            lang: None,
        }
    }
}

/// What a commit changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitReport {
    /// Articles added.
    pub added: usize,
    /// Articles skipped because the store already held their id.
    pub already_present: usize,
}

/// What the store keeps of one article for listing, without its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndexEntry {
    /// Position in ingest order, from 1.
    pub seq: u64,
    /// The article.
    pub id: ArticleId,
    /// Its headline, if any.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub title: Option<String>,
    /// Publication date, if known.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, required = true))]
    pub date: Option<Date>,
    /// Outlet, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub source: Option<String>,
    /// Language code, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub lang: Option<String>,
    /// Its event.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub event: EventId,
    /// Its story.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub story: StoryId,
    /// How many body sentences it has.
    pub sentences: usize,
    /// The article it copies, when it is a reprint.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub duplicate_of: Option<ArticleId>,
    /// When it was stored (RFC 3339, UTC), if the store recorded it
    /// (not before schema 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub ingested_at: Option<String>,
}

/// A story id that a re-linking or a correction retired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetiredStory {
    /// The retired id.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub story: StoryId,
    /// The story it was merged into (which may itself be retired since).
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub now: StoryId,
    /// When (RFC 3339, UTC), if recorded (not before schema 5).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub retired_at: Option<String>,
}

/// One full-text search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// The matching article.
    pub id: ArticleId,
    /// Its headline, if any.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub title: Option<String>,
    /// Its story.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub story: StoryId,
    /// A short excerpt of the body around the match, matches in `[…]`.
    pub snippet: String,
    /// Relevance, higher is better (BM25, sign flipped).
    pub score: f64,
}

/// A place to keep analysed articles, their clustering and the clusterer's
/// state, with full-text search over cleaned text.
pub trait Store {
    /// The ids among `ids` that the store already holds.
    fn existing_ids(&self, ids: &[ArticleId]) -> Result<BTreeSet<ArticleId>, StoreError>;

    /// Applies one ingest atomically (all of it or nothing). Documents whose
    /// id is already stored are skipped and counted, not an error.
    fn commit(&mut self, batch: &IngestBatch) -> Result<CommitReport, StoreError>;

    /// The clusterer's state as an older store saved it, as one blob
    /// (schema 3 and before), until a commit replaces it with records;
    /// `None` when there is none.
    fn cluster_state(&self) -> Result<Option<Vec<u8>>, StoreError>;

    /// The clusterer's state as records, in kind and key order, as the
    /// commits left it; empty for a new store (or one whose state is
    /// still a blob, [`Store::cluster_state`]).
    fn cluster_records(&self) -> Result<Vec<StateRecord>, StoreError>;

    /// How many articles the store holds.
    fn article_count(&self) -> Result<u64, StoreError>;

    /// The position in ingest order of the last article stored (0 for an
    /// empty store).
    fn last_seq(&self) -> Result<u64, StoreError>;

    /// How many stored articles come after position `seq` in ingest order.
    fn articles_after(&self, seq: u64) -> Result<u64, StoreError>;

    /// Every article's metadata and assignment, in ingest order.
    fn index(&self) -> Result<Vec<IndexEntry>, StoreError>;

    /// Every article's event and story, in ingest order: the part of
    /// [`Store::index`] that an ingest needs, read without the rest.
    fn event_stories(&self) -> Result<Vec<(u64, u64)>, StoreError>;

    /// The stored documents with these ids, in the order given; unknown
    /// ids are left out.
    fn documents(&self, ids: &[ArticleId]) -> Result<Vec<Document>, StoreError>;

    /// Every retired story id, with the story it was merged into and when.
    fn retired_stories(&self) -> Result<Vec<RetiredStory>, StoreError>;

    /// The story a retired story id was merged into (one step: the story
    /// named may itself have been retired since), or `None` for an id
    /// never retired.
    fn story_alias(&self, story: StoryId) -> Result<Option<StoryId>, StoreError>;

    /// The lowest story id above every id held by the articles up to
    /// position `through` in ingest order (`u64::MAX`: all of them) and
    /// every id ever retired: a new story's id, never one an old link or
    /// note might still name.
    fn next_story_id(&self, through: u64) -> Result<StoryId, StoreError>;

    /// The position in ingest order of the last article that the last
    /// completed batch re-linking numbered, `None` when none was recorded
    /// (a new store, or one written before this record existed): the
    /// story ids of the articles after it are provisional, given as they
    /// were clustered, and the next re-linking numbers them afresh.
    fn relinked_through(&self) -> Result<Option<u64>, StoreError>;

    /// The sequence number of the last article of the scale-out intake
    /// (articles queued by `ingest --to nats://…` for workers) that the
    /// store assembled into stories ([`IngestBatch::intake_through`]); 0
    /// when none was.
    fn intake_through(&self) -> Result<u64, StoreError>;

    /// Takes the store's writer lease, held until the store is dropped:
    /// one process at a time clusters into a store, since each restores
    /// the clusterer's state and saves it back. With `wait`, blocks until
    /// another holder is done; without, fails with [`StoreError::Busy`].
    /// Taking it again while held is a no-op.
    fn lock_writer(&mut self, wait: bool) -> Result<(), StoreError>;

    /// Whether articles were committed since the store's events were last
    /// linked into stories in one batch (an ingest stopped before its
    /// re-linking, or one that linked online): the next batch ingest
    /// re-links even when it adds nothing.
    fn relink_pending(&self) -> Result<bool, StoreError>;

    /// Checks the store's own consistency (its pages and indexes, and the
    /// full-text index against the articles); returns the problems found,
    /// none for a sound store.
    fn check(&self) -> Result<Vec<String>, StoreError>;

    /// Every correction made in the store, undone ones too, in the order
    /// made.
    fn corrections(&self) -> Result<Vec<CorrectionRecord>, StoreError>;

    /// Keeps an editor's correction, made by `by` at `at` (RFC 3339) for
    /// `reason`, and returns it as kept (numbered). A correction of
    /// stories also records, in the same transaction, that the stories
    /// wait for a re-linking ([`Store::relink_pending`]), so that it is
    /// applied even if the process stops before it re-links.
    fn add_correction(
        &mut self,
        correction: &Correction,
        by: &str,
        at: &str,
        reason: Option<&str>,
    ) -> Result<CorrectionRecord, StoreError>;

    /// Marks correction `id` undone at `at` (a correction of stories
    /// records a pending re-linking with it, as
    /// [`Store::add_correction`] does) and returns it as it now stands;
    /// `None` when no correction has that number. Undoing one already
    /// undone changes nothing.
    fn undo_correction(
        &mut self,
        id: u64,
        at: &str,
    ) -> Result<Option<CorrectionRecord>, StoreError>;

    /// Full-text search over titles, headings and body text (not debris).
    /// The query is plain words (all must match, stemmed), or a `"quoted
    /// phrase"`; best matches first, at most `limit`.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError>;

    /// The stories of the best `limit` matches of a search (as
    /// [`Store::search`] ranks them), each story once, without excerpts:
    /// for filtering stories by their text.
    fn search_stories(&self, query: &str, limit: usize) -> Result<Vec<StoryId>, StoreError>;

    /// The sequence number of the last entry of the story log (0 when it
    /// is empty): it grows with every commit that changes a story and
    /// every correction, so a reader that saw it once knows whether
    /// anything changed since.
    fn log_seq(&self) -> Result<u64, StoreError>;

    /// The story log's entries after sequence number `seq`, oldest first,
    /// at most `limit`.
    fn log_after(&self, seq: u64, limit: usize) -> Result<Vec<LogEntry>, StoreError>;
}

/// What one entry of the story log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LogKind {
    /// A story's first articles were stored.
    StoryNew,
    /// Articles were added to a story that had some.
    StoryGrew,
    /// A re-linking moved stored articles into this story.
    StoryRelinked,
    /// A story's id was retired: its articles are now in `into`.
    StoryMerged,
    /// Stored articles' metadata (date, outlet, address, language) was
    /// corrected.
    ArticlesUpdated,
    /// An editor made a correction.
    CorrectionMade,
    /// An editor undid a correction.
    CorrectionUndone,
}

impl LogKind {
    /// The name stored and shown (`story_new`, `correction_made`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            LogKind::StoryNew => "story_new",
            LogKind::StoryGrew => "story_grew",
            LogKind::StoryRelinked => "story_relinked",
            LogKind::StoryMerged => "story_merged",
            LogKind::ArticlesUpdated => "articles_updated",
            LogKind::CorrectionMade => "correction_made",
            LogKind::CorrectionUndone => "correction_undone",
        }
    }

    /// The kind of a stored name; `None` for a name this build does not
    /// know (written by a newer one).
    pub fn from_name(name: &str) -> Option<LogKind> {
        [
            LogKind::StoryNew,
            LogKind::StoryGrew,
            LogKind::StoryRelinked,
            LogKind::StoryMerged,
            LogKind::ArticlesUpdated,
            LogKind::CorrectionMade,
            LogKind::CorrectionUndone,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }
}

/// One entry of the story log: what changed, in the order the store
/// changed (see [`Store::log_after`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogEntry {
    /// Its sequence number, from 1, never reused.
    pub seq: u64,
    /// When (RFC 3339, UTC), if the change recorded a time.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub at: Option<String>,
    /// What changed.
    pub kind: LogKind,
    /// The story that changed (for a merge, the retired id); `None` for a
    /// correction or an update of articles.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>, required = true))]
    pub story: Option<StoryId>,
    /// For a merge, the story the retired id's articles are now in.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>, nullable = false))]
    pub into: Option<StoryId>,
    /// The correction made or undone.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub correction: Option<u64>,
    /// How many articles it concerns (added, moved or updated).
    pub articles: u64,
}
