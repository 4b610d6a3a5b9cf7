//! What every request shares: the store and its readers, the one writer,
//! the stories' index kept between requests, the jobs, the metrics.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use newsdesk_desk::ingest::{IngestOptions, Ingestor};
use newsdesk_model::{StoryId, StorySummary};
use newsdesk_store::{IndexEntry, Store};
use tokio::sync::watch;

use crate::auth::Token;
use crate::backend::{Backend, StoreAt};
use crate::jobs::Jobs;
use crate::metrics::Metrics;
use crate::problem::{log_error, Problem};

/// How `newsdesk serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen (loopback by default).
    pub addr: SocketAddr,
    /// The store: a SQLite file, or (feature `postgres`) a PostgreSQL
    /// database; made when missing.
    pub db: StoreAt,
    /// The bearer token that write requests must carry (`NEWSDESK_TOKEN`).
    /// Without one, writes are only taken on a loopback address.
    pub token: Option<String>,
    /// The largest request body, in bytes, except for ingest.
    pub max_body_bytes: usize,
    /// The largest ingest body, in bytes.
    pub max_ingest_bytes: usize,
    /// Requests per minute one client address may make (0: no limit).
    pub rate_limit: u32,
    /// Origins allowed to call the API from another site's pages (CORS);
    /// empty: none.
    pub cors_origins: Vec<String>,
}

impl ServeOptions {
    /// The defaults for a store at `db` (a SQLite file's path, or a
    /// [`StoreAt`]): 127.0.0.1:8080, no token, 1 MiB bodies (64 MiB for
    /// ingest), 1,200 requests a minute per client.
    pub fn new(db: impl Into<StoreAt>) -> ServeOptions {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: db.into(),
            token: None,
            max_body_bytes: 1 << 20,
            max_ingest_bytes: 64 << 20,
            rate_limit: 1200,
            cors_origins: Vec::new(),
        }
    }
}

/// The stories of text filters: (index key, query → stories).
pub(crate) type StoryFilters = (
    (u64, u64),
    std::collections::HashMap<String, Arc<BTreeSet<StoryId>>>,
);

/// The state every handler reads.
pub(crate) struct AppState {
    /// The store, and the readers kept for it.
    pub store: Backend,
    /// The token writes must carry, if one is set.
    pub token: Option<Token>,
    /// Whether writes are taken without a token (a loopback address and no
    /// token set).
    pub open_writes: bool,
    /// One write at a time from this server (other processes are kept out
    /// by the store's writer lease).
    pub writer: tokio::sync::Mutex<()>,
    /// The stories' index, kept until the store changes.
    pub stories: Mutex<Option<Arc<StoryIndex>>>,
    /// The stories each text filter found, for the index key they were
    /// found at.
    pub filters: Mutex<StoryFilters>,
    /// The last story-log sequence number seen; live streams wait on it.
    pub log: watch::Sender<u64>,
    /// The story log's entries since the server started (the last ones),
    /// read once by the watcher for every live stream.
    pub recent: Mutex<std::collections::VecDeque<crate::live::Kept>>,
    /// Set when the server shuts down: live streams end.
    pub shutdown: watch::Receiver<bool>,
    /// Ingest jobs.
    pub jobs: Jobs,
    /// Counters for `/api/v1/metrics`.
    pub metrics: Metrics,
    /// Requests per client address.
    pub limiter: crate::auth::RateLimiter,
    /// Store reads that may run at once.
    pub read_slots: tokio::sync::Semaphore,
    /// The options it was started with.
    pub options: ServeOptions,
}

impl AppState {
    /// Runs `f` over the store on a blocking thread (the store and the
    /// desk are synchronous).
    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&dyn Store) -> Result<T, Problem> + Send + 'static,
    ) -> Result<T, Problem> {
        // A bounded number of reads at a time: each blocking thread keeps
        // a SQLite connection with its own page cache (each PostgreSQL
        // read a store with a connection), and hundreds of live streams
        // or clients must not make hundreds of them.
        let _slot = self
            .read_slots
            .acquire()
            .await
            .map_err(|_| Problem::internal())?;
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || state.store.read(f))
            .await
            .map_err(|e| {
                log_error(&e);
                Problem::internal()
            })?
    }

    /// Runs `f` with an ingest session over the store (one at a time; the
    /// store's writer lease keeps other processes out meanwhile, and a
    /// store another process is writing is a 503 to try again).
    pub async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Ingestor<'_>) -> Result<T, Problem> + Send + 'static,
    ) -> Result<T, Problem> {
        let _one = self.writer.lock().await;
        let state = Arc::clone(self);
        let result = tokio::task::spawn_blocking(move || {
            let mut store = state.store.open_for_writing()?;
            let options = IngestOptions {
                wait_for_writer: false,
                ..IngestOptions::default()
            };
            let mut ingestor = Ingestor::open(&mut *store, options)?;
            f(&mut ingestor)
        })
        .await
        .map_err(|e| {
            log_error(&e);
            Problem::internal()
        })?;
        // What was written shows at once to this server's readers.
        self.forget_stories();
        result
    }

    /// The stories' index as the store holds it now, read again only when
    /// the store changed since (new articles or a new story-log entry).
    pub async fn story_index(self: &Arc<Self>) -> Result<Arc<StoryIndex>, Problem> {
        let kept = self.stories.lock().map(|s| s.clone()).unwrap_or(None);
        let state = Arc::clone(self);
        let index = self
            .read(move |store| {
                let key = (store.log_seq()?, store.last_seq()?);
                if let Some(kept) = kept.filter(|k| k.key == key) {
                    return Ok(kept);
                }
                Ok(Arc::new(StoryIndex::new(key, store.index()?)))
            })
            .await?;
        if let Ok(mut slot) = state.stories.lock() {
            *slot = Some(Arc::clone(&index));
        }
        Ok(index)
    }

    /// Drops the kept index (after a write).
    pub fn forget_stories(&self) {
        if let Ok(mut slot) = self.stories.lock() {
            *slot = None;
        }
    }
}

/// One story as the list shows it: its summary, and what the index tells
/// about its articles.
#[derive(Debug, Clone)]
pub(crate) struct StoryRow {
    /// Headline, articles, events, outlets and dates.
    pub summary: StorySummary,
    /// Its outlets' names, sorted.
    pub outlets: Vec<String>,
    /// Its articles' languages, sorted.
    pub languages: Vec<String>,
    /// When each article was stored, with whether it is an independent
    /// report and its outlet (for growth), sorted by time.
    pub stored: Vec<Stored>,
}

/// One article of a story as growth counts it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Stored {
    /// When it was stored, seconds since 1970 (read once, here).
    pub at: i64,
    /// The same time as stored (RFC 3339).
    pub time: String,
    /// Whether it is an independent report (not a reprint).
    pub independent: bool,
    /// Its outlet.
    pub outlet: Option<String>,
}

/// The stories of the store at one moment, by number.
#[derive(Debug)]
pub(crate) struct StoryIndex {
    /// (story-log sequence, last article sequence) when read.
    pub key: (u64, u64),
    /// Every story.
    pub rows: BTreeMap<StoryId, StoryRow>,
    /// The store's index as read.
    pub entries: Vec<IndexEntry>,
}

impl StoryIndex {
    fn new(key: (u64, u64), entries: Vec<IndexEntry>) -> StoryIndex {
        let index = entries.as_slice();
        let mut rows: BTreeMap<StoryId, StoryRow> = newsdesk_desk::story::stories_of(index)
            .into_iter()
            .map(|summary| {
                (
                    summary.id,
                    StoryRow {
                        summary,
                        outlets: Vec::new(),
                        languages: Vec::new(),
                        stored: Vec::new(),
                    },
                )
            })
            .collect();
        let mut outlets: BTreeMap<StoryId, BTreeSet<String>> = BTreeMap::new();
        let mut languages: BTreeMap<StoryId, BTreeSet<String>> = BTreeMap::new();
        for e in index {
            if let Some(source) = &e.source {
                outlets.entry(e.story).or_default().insert(source.clone());
            }
            if let Some(lang) = &e.lang {
                languages.entry(e.story).or_default().insert(lang.clone());
            }
            if let (Some(row), Some(time)) = (rows.get_mut(&e.story), &e.ingested_at) {
                row.stored.push(Stored {
                    at: time.parse::<jiff::Timestamp>().map_or(0, |t| t.as_second()),
                    time: time.clone(),
                    independent: e.duplicate_of.is_none(),
                    outlet: e.source.clone(),
                });
            }
        }
        for (story, row) in rows.iter_mut() {
            row.outlets = outlets
                .remove(story)
                .unwrap_or_default()
                .into_iter()
                .collect();
            row.languages = languages
                .remove(story)
                .unwrap_or_default()
                .into_iter()
                .collect();
            row.stored.sort();
        }
        StoryIndex { key, rows, entries }
    }
}
