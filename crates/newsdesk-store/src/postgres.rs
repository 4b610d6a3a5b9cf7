//! The server backend: a PostgreSQL schema, with PostgreSQL's own
//! full-text search (a `tsvector` column and a GIN index).
//!
//! Layout (schema version 1), the same records as the SQLite store's:
//!
//! - `schema_version`: one row, the schema's version.
//! - `articles`: one row per article, `seq` (an identity column, never
//!   handed out twice) giving ingest order; the article's fields, its
//!   blocks and sentences in the SQLite store's compact form (`layout`,
//!   BYTEA), its event and story, and `search`: the `tsvector` of its
//!   title (weight A) and cleaned body (weight B: heading and body
//!   blocks, debris left out), GIN-indexed.
//! - `cluster_records`, `cluster_state`, `story_aliases`, `corrections`,
//!   `story_log`, `store_meta`: as in the SQLite store.
//!
//! Text is indexed as the SQLite store's tokenizer sees it: runs of
//! letters and digits (so `U.S.` is `U S` and `covid-19` is `covid 19`),
//! Latin diacritics folded (`café` is found by `cafe`), stemmed with
//! PostgreSQL's `english` configuration.
//!
//! Every write takes a transaction-level advisory lock first, so writes
//! are applied one at a time, as SQLite's `BEGIN IMMEDIATE` applies them:
//! the story log's sequence numbers then become visible in order, and a
//! reader resuming after the last one it saw misses none.
//!
//! [`Store::lock_writer`] takes a session-level advisory lock on a
//! connection of its own, kept until the store is dropped (the server
//! releases it if the process dies).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use newsdesk_model::correction::{Correction, CorrectionRecord};
use newsdesk_model::state::{StateChanges, StateRecord};
use newsdesk_model::{Article, ArticleId, Assignment, Date, Document, StoryId};
use postgres::types::ToSql;
use postgres::{Client, NoTls, Transaction};
use r2d2_postgres::PostgresConnectionManager;

use crate::{
    CommitReport, IndexEntry, IngestBatch, LogEntry, LogKind, RetiredStory, SearchHit, Store,
    StoreError,
};

/// What can go wrong in a PostgreSQL store (inside
/// [`StoreError::Postgres`]).
#[derive(Debug, thiserror::Error)]
pub enum PostgresError {
    /// The server could not be reached, or refused a statement.
    #[error(transparent)]
    Client(#[from] postgres::Error),
    /// No connection could be had from the pool in time.
    #[error("no connection to PostgreSQL: {0}")]
    Pool(#[from] r2d2::Error),
    /// A number too large for PostgreSQL's integers (BIGINT, signed).
    #[error("{0} is too large for PostgreSQL's integers")]
    OutOfRange(String),
}

impl From<postgres::Error> for StoreError {
    fn from(error: postgres::Error) -> Self {
        StoreError::Postgres(PostgresError::Client(error))
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(error: r2d2::Error) -> Self {
        StoreError::Postgres(PostgresError::Pool(error))
    }
}

/// The migration scripts, in order: script `i` brings the schema from
/// version `i` to version `i + 1`. Never edit a script once it has shipped;
/// add a new one (and a fixture `tests/fixtures/postgres-v{N}.sql`).
const MIGRATIONS: &[&str] = &[SCHEMA_V1, SCHEMA_V2];

/// Version 1: everything the SQLite store holds at its version 6.
const SCHEMA_V1: &str = "
CREATE TABLE schema_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
CREATE TABLE articles (
    -- An identity so that a seq is never handed out twice: it is the
    -- ingest order that listings and search ties rely on.
    seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    title          TEXT,
    text           TEXT NOT NULL,
    date           TEXT,            -- YYYY-MM-DD
    source         TEXT,
    url            TEXT,
    lang           TEXT,
    origin         TEXT,
    layout         BYTEA NOT NULL,  -- blocks and sentences, compact
    sentence_count BIGINT NOT NULL,
    event          BIGINT NOT NULL,
    story          BIGINT NOT NULL,
    duplicate_of   TEXT,
    ingested_at    TEXT,            -- RFC 3339, UTC
    search         TSVECTOR NOT NULL
);
CREATE INDEX articles_story ON articles (story);
CREATE INDEX articles_event ON articles (event);
CREATE INDEX articles_search ON articles USING GIN (search);
CREATE TABLE cluster_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    state BYTEA NOT NULL
);
-- The state records keyed by one integer, id = kind * 2^56 + key.
CREATE TABLE cluster_records (
    id    BIGINT PRIMARY KEY,
    value BYTEA NOT NULL
);
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE story_aliases (
    story      BIGINT PRIMARY KEY,
    now        BIGINT NOT NULL,
    retired_at TEXT
);
CREATE TABLE corrections (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind      TEXT NOT NULL,
    body      TEXT NOT NULL,   -- JSON of the correction, `kind` included
    \"by\"      TEXT NOT NULL,
    at        TEXT NOT NULL,   -- RFC 3339, UTC
    reason    TEXT,
    undone_at TEXT
);
CREATE TABLE story_log (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TEXT,
    kind       TEXT NOT NULL,
    story      BIGINT,
    into_story BIGINT,
    correction BIGINT,
    articles   BIGINT NOT NULL
);
";

/// Version 2: the scale-out intake (see [`crate::Intake`]): articles
/// queued for workers, by content key, each with its place in ingest
/// order and its state; once analysed, its document (until assembled).
const SCHEMA_V2: &str = "
CREATE TABLE intake (
    -- The ingest order: handed out under a lock, so that rows become
    -- visible in the order of their numbers.
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,   -- SHA-256 of the article as read
    raw          TEXT NOT NULL,          -- the article as read (JSON)
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'analysed', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    error        TEXT,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX intake_pending ON intake (seq) WHERE state = 'pending';
CREATE INDEX intake_failed ON intake (seq) WHERE state = 'failed';
-- The analysed documents, until assembled (deleted then: a delete is
-- cheaper than rewriting the intake's row).
CREATE TABLE intake_documents (
    seq      BIGINT PRIMARY KEY,
    document TEXT NOT NULL              -- JSON
);
";

/// The first key of every advisory lock the store takes: `news` in ASCII.
/// The second is the hash of the store's schema, so that stores in other
/// schemas of the same database do not wait for each other.
pub(crate) const LOCK_CLASS: i32 = 0x6e65_7773;

/// The second key's offset of the lock that applies writes one at a time
/// (transaction-level).
pub(crate) const WRITE_LOCK: &str = "SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))";

/// The writer lease (session-level), blocking.
const LEASE_LOCK: &str = "SELECT pg_advisory_lock($1, hashtext('lease:' || current_schema()))";

/// The writer lease (session-level), without waiting.
const LEASE_TRY_LOCK: &str =
    "SELECT pg_try_advisory_lock($1, hashtext('lease:' || current_schema()))";

/// At most this many connections are open per store.
const POOL_SIZE: u32 = 4;

/// How long getting a connection waits before giving up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How much of a body, in characters, a search excerpt is looked for in
/// (its start), as in the SQLite store.
const SNIPPET_MAX_CHARS: usize = 65_536;

/// Appends one entry to the story log.
const LOG_SQL: &str = "INSERT INTO story_log (at, kind, story, into_story, correction, articles)
     VALUES ($1, $2, $3, $4, $5, $6)";

/// New articles from parallel arrays (`$14`, the time stored, is one
/// value), in the arrays' order.
const INSERT_ARTICLES_SQL: &str = "
INSERT INTO articles (id, title, text, date, source, url, lang, origin, layout,
                      sentence_count, event, story, duplicate_of, ingested_at, search)
SELECT a.id, a.title, a.text, a.date, a.source, a.url, a.lang, a.origin, a.layout,
       a.sentence_count, a.event, a.story, a.duplicate_of, $14,
       setweight(to_tsvector('english', a.search_title), 'A')
       || setweight(to_tsvector('english', a.search_body), 'B')
FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[],
            $7::TEXT[], $8::TEXT[], $9::BYTEA[], $10::BIGINT[], $11::BIGINT[],
            $12::BIGINT[], $13::TEXT[], $15::TEXT[], $16::TEXT[])
     WITH ORDINALITY AS a (id, title, text, date, source, url, lang, origin, layout,
                           sentence_count, event, story, duplicate_of, search_title,
                           search_body, n)
ORDER BY a.n
ON CONFLICT (id) DO NOTHING
RETURNING id
";

const INDEX_SQL: &str = "
SELECT seq, id, title, date, source, lang, event, story, sentence_count, duplicate_of,
       ingested_at
FROM articles ORDER BY seq
";

const DOCUMENT_SQL: &str = "
SELECT title, text, date, source, url, lang, origin, layout FROM articles WHERE id = $1
";

/// A [`Store`] in a PostgreSQL schema (the first of the connection's
/// `search_path`), with PostgreSQL's full-text search.
///
/// Connections come from a small pool, so a store can be shared by
/// reference between threads' reads. Integers are BIGINT: a commit with
/// an event or story number above `i64::MAX` fails (and stores nothing).
/// Text holding a NUL character cannot be stored (PostgreSQL's text
/// refuses it): such a commit fails and stores nothing.
///
/// ```no_run
/// use newsdesk_store::{PostgresStore, Store};
///
/// let store = PostgresStore::connect("postgres://newsdesk@127.0.0.1/newsdesk")
///     .expect("connect");
/// println!("{} articles", store.article_count().expect("count"));
/// ```
pub struct PostgresStore {
    pool: r2d2::Pool<PostgresConnectionManager<NoTls>>,
    config: postgres::Config,
    /// The connection holding the writer lease, once taken, and the
    /// lease's epoch then (see [`PostgresStore::writer_epoch`]).
    writer: Option<(Client, i64)>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("hosts", &self.config.get_hosts())
            .field("dbname", &self.config.get_dbname())
            .field("writer_epoch", &self.writer_epoch())
            .finish()
    }
}

impl PostgresStore {
    /// The newest schema version this build knows and creates.
    pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

    /// Connects to the database at `url` (a `postgres://` URL or a
    /// `key=value` connection string), creating the store's tables in
    /// the first schema of its `search_path` if missing and bringing an
    /// older schema up to date (add `options=-csearch_path%3DNAME` to the
    /// URL to use schema `NAME`).
    ///
    /// Fails with [`StoreError::SchemaTooNew`] for a store written by a
    /// newer newsdesk, and with [`StoreError::Postgres`] when the server
    /// cannot be reached within 10 s or refuses.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let (pool, config) = open_pool(url)?;
        Ok(PostgresStore {
            pool,
            config,
            writer: None,
        })
    }

    /// The script that brings a schema from version `version - 1` to
    /// `version` (1: the script that creates a store), for a database
    /// administrator who applies migrations by hand and for the
    /// fixtures; `None` for a version this build does not know.
    pub fn migration_script(version: i64) -> Option<&'static str> {
        let index = usize::try_from(version.checked_sub(1)?).ok()?;
        MIGRATIONS.get(index).copied()
    }

    /// The epoch of the writer lease this store holds, if it holds it.
    ///
    /// Every taking of the lease counts one epoch up (kept in the
    /// store). A holder checks in each commit's transaction that the
    /// epoch is still its own and that its lease's connection is alive,
    /// and writes nothing otherwise ([`StoreError::LeaseLost`]): a
    /// process paused long enough for its lease to pass to another (its
    /// connection cut, say) cannot write over the new holder's work
    /// when it wakes. This is the fencing token of a lease.
    pub fn writer_epoch(&self) -> Option<i64> {
        self.writer.as_ref().map(|(_, epoch)| *epoch)
    }

    /// The writer lease as the server sees it: its last epoch, and whether
    /// a process holds it now.
    pub fn lease(&self) -> Result<Lease, StoreError> {
        let mut conn = self.conn()?;
        let held: bool = conn
            .query_one(
                "SELECT EXISTS (
                     SELECT 1 FROM pg_locks
                     WHERE locktype = 'advisory' AND granted AND objsubid = 2
                       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                       AND classid::INT8 = ($1::INT4)::INT8
                       AND objid::INT8 = (hashtext('lease:' || current_schema())::INT8 & 4294967295))",
                &[&LOCK_CLASS],
            )?
            .try_get(0)?;
        let epoch: Option<String> = conn
            .query_opt(
                "SELECT value FROM store_meta WHERE key = 'writer_epoch'",
                &[],
            )?
            .map(|row| row.try_get(0))
            .transpose()?;
        Ok(Lease {
            held,
            epoch: epoch.and_then(|e| e.parse().ok()),
        })
    }

    /// Checks, in a commit's transaction, that the writer lease this store
    /// holds (if it holds one) is still held and still its own; forgets
    /// it otherwise.
    fn check_lease(&mut self, tx: &mut Transaction<'_>) -> Result<(), StoreError> {
        let Some((writer, epoch)) = self.writer.as_mut() else {
            return Ok(());
        };
        let epoch = *epoch;
        let lost = if writer.simple_query("").is_err() {
            Some("the connection holding it was closed".to_owned())
        } else {
            let now: Option<String> = tx
                .query_opt(
                    "SELECT value FROM store_meta WHERE key = 'writer_epoch'",
                    &[],
                )?
                .map(|row| row.try_get(0))
                .transpose()?;
            (now.as_deref() != Some(epoch.to_string().as_str())).then(|| {
                format!(
                    "another process took it over: epoch {}, this process's {epoch}",
                    now.as_deref().unwrap_or("none")
                )
            })
        };
        match lost {
            Some(reason) => {
                self.writer = None;
                Err(StoreError::LeaseLost(reason))
            }
            None => Ok(()),
        }
    }

    /// A number among the store's own records, if recorded.
    fn meta_number(&self, key: &str) -> Result<Option<u64>, StoreError> {
        let value: Option<String> = self
            .conn()?
            .query_opt("SELECT value FROM store_meta WHERE key = $1", &[&key])?
            .map(|row| row.try_get(0))
            .transpose()?;
        crate::meta_number(key, value)
    }

    /// A connection from the pool.
    fn conn(&self) -> Result<r2d2::PooledConnection<PostgresConnectionManager<NoTls>>, StoreError> {
        Ok(self.pool.get()?)
    }

    /// The query of a search as PostgreSQL SQL (`phraseto_tsquery` per
    /// term, AND-ed; the terms are its parameters), or
    /// [`StoreError::EmptyQuery`].
    fn ranked_matches(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<(TsQuery, Vec<Match>), StoreError> {
        let tsquery = TsQuery::parse(query)?;
        let sql = format!(
            "SELECT a.id, a.title, a.story,
                    ts_rank('{{0.1, 0.2, 0.5, 1.0}}', a.search, q.q)::float8 AS rank, a.seq
             FROM articles AS a, (SELECT {} AS q) AS q
             WHERE a.search @@ q.q
             ORDER BY rank DESC, a.seq
             LIMIT ${}",
            tsquery.sql,
            tsquery.terms.len() + 1
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut params = tsquery.params();
        params.push(&limit);
        let rows = self.conn()?.query(&sql, &params)?;
        let mut found = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get(0)?;
            let story = from_sql_int(row.try_get(2)?, &id, "story")?;
            found.push((id, row.try_get(1)?, story, row.try_get(3)?, row.try_get(4)?));
        }
        Ok((tsquery, found))
    }

    /// The excerpt of the article at `seq` around the first match of the
    /// query: its indexed body, up to [`SNIPPET_MAX_CHARS`] characters,
    /// highlighted by `ts_headline` and cut in Rust as the SQLite store
    /// cuts it.
    fn excerpt_of(
        &self,
        client: &mut Client,
        tsquery: &TsQuery,
        seq: i64,
    ) -> Result<String, StoreError> {
        let row = client.query_opt("SELECT text, layout FROM articles WHERE seq = $1", &[&seq])?;
        let Some(row) = row else {
            return Ok(String::new());
        };
        let what = ArticleId(format!("at {seq}"));
        let (blocks, sentences) = decode_layout(row.try_get(1)?, &what)?;
        let body = crate::indexing::indexed_body(&Document {
            article: Article::new(row.try_get::<_, String>(0)?),
            blocks,
            sentences,
        });
        let prefix: &str = match body.char_indices().nth(SNIPPET_MAX_CHARS) {
            Some((cut, _)) => &body[..cut],
            None => &body,
        };
        let sql = format!(
            "SELECT ts_headline('english', ${}, {}, 'StartSel=\u{1}, StopSel=\u{2}, HighlightAll=true')",
            tsquery.terms.len() + 1,
            tsquery.sql
        );
        let mut params = tsquery.params();
        params.push(&prefix);
        let marked: String = client.query_one(&sql, &params)?.try_get(0)?;
        Ok(crate::indexing::excerpt(&marked, 16))
    }
}

/// The writer lease of a PostgreSQL store ([`PostgresStore::lease`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    /// Whether a process holds it now.
    pub held: bool,
    /// Its last epoch (`None`: never taken).
    pub epoch: Option<i64>,
}

/// One match of a search: id, title, story, rank (higher is better),
/// position in ingest order.
type Match = (String, Option<String>, StoryId, f64, i64);

/// A search query as PostgreSQL takes it: one `phraseto_tsquery` per
/// term, AND-ed, the terms (folded words joined by spaces) bound as
/// parameters `$1`…`$n`.
struct TsQuery {
    sql: String,
    terms: Vec<String>,
}

impl TsQuery {
    /// The query of what a user typed: the terms the SQLite store would
    /// search for (its `fts_query`: plain words, all required, or quoted
    /// phrases; operators and punctuation dropped; at most 32 terms),
    /// folded as the index is.
    fn parse(input: &str) -> Result<TsQuery, StoreError> {
        let fts = crate::query::fts_query(input).ok_or(StoreError::EmptyQuery)?;
        // `fts_query` quotes every term and its words hold only letters
        // and digits, so the terms are the odd pieces between quotes.
        let terms: Vec<String> = fts
            .split('"')
            .skip(1)
            .step_by(2)
            .map(search_text)
            .filter(|term| !term.is_empty())
            .collect();
        if terms.is_empty() {
            return Err(StoreError::EmptyQuery);
        }
        let sql = (1..=terms.len())
            .map(|i| format!("phraseto_tsquery('english', ${i})"))
            .collect::<Vec<_>>()
            .join(" && ");
        Ok(TsQuery { sql, terms })
    }

    /// The terms as statement parameters.
    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.terms
            .iter()
            .map(|term| term as &(dyn ToSql + Sync))
            .collect()
    }
}

/// Text as the full-text index takes it: its runs of letters and digits
/// (as SQLite's `unicode61` tokenizer splits text), Latin diacritics
/// folded, joined by spaces. PostgreSQL's own parser would keep `U.S.`
/// or `covid-19` whole, and `english` keeps `é`.
fn search_text(text: &str) -> String {
    let folded = fold_diacritics(text);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|token| !token.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` without the diacritics of Latin letters (`café` → `cafe`), as
/// SQLite's `remove_diacritics 2` folds them; marks on other scripts
/// (Devanagari vowel signs, …) are part of their words and kept.
fn fold_diacritics(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    if text.is_ascii() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut after_latin = false;
    for c in text.nfd() {
        if is_combining_mark(c) {
            if !after_latin {
                out.push(c);
            }
            continue;
        }
        let code = u32::from(c);
        // Basic Latin to Latin Extended-B, and Latin Extended Additional.
        after_latin = code < 0x250 || (0x1E00..0x1F00).contains(&code);
        out.push(c);
    }
    out.nfc().collect()
}

/// A pool of connections to the store at `url` (at most [`POOL_SIZE`],
/// [`CONNECT_TIMEOUT`] to get one), its schema brought up to date, and
/// the parsed connection settings.
pub(crate) fn open_pool(
    url: &str,
) -> Result<
    (
        r2d2::Pool<PostgresConnectionManager<NoTls>>,
        postgres::Config,
    ),
    StoreError,
> {
    let config: postgres::Config = url.parse()?;
    let manager = PostgresConnectionManager::new(config.clone(), NoTls);
    let pool = r2d2::Pool::builder()
        .max_size(POOL_SIZE)
        .min_idle(Some(1))
        .connection_timeout(CONNECT_TIMEOUT)
        .build(manager)?;
    migrate(&mut *pool.get()?)?;
    Ok((pool, config))
}

/// The schema version recorded in the store (0 when it has no tables yet).
fn schema_version(tx: &mut Transaction<'_>) -> Result<i64, StoreError> {
    let exists: bool = tx
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
        .try_get(0)?;
    if !exists {
        return Ok(0);
    }
    let found: Option<i64> = tx
        .query_opt("SELECT version FROM schema_version WHERE id = 1", &[])?
        .map(|row| row.try_get(0))
        .transpose()?;
    Ok(found.unwrap_or(0))
}

/// Applies the migrations the schema lacks, all in one transaction, and
/// records the new version; refuses a newer schema before changing
/// anything.
fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let supported = PostgresStore::SCHEMA_VERSION;
    let mut tx = client.transaction()?;
    // Two processes connecting to a new schema at once: the second waits,
    // then finds nothing left to do.
    tx.execute(WRITE_LOCK, &[&LOCK_CLASS])?;
    let found = schema_version(&mut tx)?;
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    if found < 0 {
        return Err(StoreError::Corrupt {
            what: "schema version".to_owned(),
            reason: format!("negative version {found}"),
        });
    }
    if found == supported {
        return Ok(());
    }
    let done = usize::try_from(found).unwrap_or(0);
    for script in MIGRATIONS.iter().skip(done) {
        tx.batch_execute(script)?;
    }
    tx.execute(
        "INSERT INTO schema_version (id, version) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version",
        &[&supported],
    )?;
    tx.commit()?;
    Ok(())
}

/// Writes what a batch did to the stories into the story log, as the
/// SQLite store does (see its `log_batch`).
fn log_batch(
    tx: &mut Transaction<'_>,
    batch: &IngestBatch,
    added: &BTreeMap<StoryId, (u64, bool)>,
) -> Result<(), StoreError> {
    let mut entries: Vec<(LogKind, Option<StoryId>, Option<StoryId>, u64)> = Vec::new();
    for (&story, &(n, had)) in added {
        if n > 0 {
            let kind = if had {
                LogKind::StoryGrew
            } else {
                LogKind::StoryNew
            };
            entries.push((kind, Some(story), None, n));
        }
    }
    let mut moved: BTreeMap<StoryId, u64> = BTreeMap::new();
    for (_, story) in &batch.stories {
        *moved.entry(*story).or_default() += 1;
    }
    for (story, n) in moved {
        entries.push((LogKind::StoryRelinked, Some(story), None, n));
    }
    for &(story, now) in &batch.aliases {
        entries.push((LogKind::StoryMerged, Some(story), Some(now), 0));
    }
    if !batch.corrections.is_empty() {
        entries.push((
            LogKind::ArticlesUpdated,
            None,
            None,
            batch.corrections.len() as u64,
        ));
    }
    if entries.is_empty() {
        return Ok(());
    }
    let mut kinds = Vec::with_capacity(entries.len());
    let mut stories = Vec::with_capacity(entries.len());
    let mut intos = Vec::with_capacity(entries.len());
    let mut counts = Vec::with_capacity(entries.len());
    for (kind, story, into, n) in entries {
        kinds.push(kind.as_str());
        stories.push(story.map(to_sql_int).transpose()?);
        intos.push(into.map(to_sql_int).transpose()?);
        counts.push(to_sql_int(n)?);
    }
    // One statement; the entries take their sequence numbers in order.
    tx.execute(
        "INSERT INTO story_log (at, kind, story, into_story, correction, articles)
         SELECT $1, e.kind, e.story, e.into_story, NULL, e.articles
         FROM unnest($2::TEXT[], $3::BIGINT[], $4::BIGINT[], $5::BIGINT[])
              WITH ORDINALITY AS e (kind, story, into_story, articles, n)
         ORDER BY e.n",
        &[&batch.at, &kinds, &stories, &intos, &counts],
    )?;
    Ok(())
}

/// Articles inserted per statement.
const INSERT_CHUNK: usize = 500;

/// Inserts new articles with one statement (their ingest order is the
/// order given); returns the ids inserted (one stored meanwhile is not).
fn insert_articles(
    tx: &mut Transaction<'_>,
    new: &[(&Document, &Assignment)],
    at: Option<&str>,
) -> Result<BTreeSet<String>, StoreError> {
    let n = new.len();
    let mut ids = Vec::with_capacity(n);
    let mut titles = Vec::with_capacity(n);
    let mut texts = Vec::with_capacity(n);
    let mut dates = Vec::with_capacity(n);
    let mut sources = Vec::with_capacity(n);
    let mut urls = Vec::with_capacity(n);
    let mut langs = Vec::with_capacity(n);
    let mut origins = Vec::with_capacity(n);
    let mut layouts = Vec::with_capacity(n);
    let mut sentence_counts = Vec::with_capacity(n);
    let mut events = Vec::with_capacity(n);
    let mut stories = Vec::with_capacity(n);
    let mut duplicates = Vec::with_capacity(n);
    let mut search_titles = Vec::with_capacity(n);
    let mut search_bodies = Vec::with_capacity(n);
    for (doc, assignment) in new {
        let article = &doc.article;
        ids.push(article.id.as_str());
        titles.push(article.title.as_deref());
        texts.push(article.text.as_str());
        dates.push(article.date.map(|date| date.to_string()));
        sources.push(article.source.as_deref());
        urls.push(article.url.as_deref());
        langs.push(article.lang.as_deref());
        origins.push(article.origin.as_deref());
        layouts.push(crate::layout::encode(&doc.blocks, &doc.sentences));
        sentence_counts.push(to_sql_int(doc.sentences.len())?);
        events.push(to_sql_int(assignment.event)?);
        stories.push(to_sql_int(assignment.story)?);
        duplicates.push(assignment.duplicate_of.as_ref().map(ArticleId::as_str));
        search_titles.push(search_text(article.title.as_deref().unwrap_or("")));
        search_bodies.push(search_text(&crate::indexing::indexed_body(doc)));
    }
    let rows = tx.query(
        INSERT_ARTICLES_SQL,
        &[
            &ids,
            &titles,
            &texts,
            &dates,
            &sources,
            &urls,
            &langs,
            &origins,
            &layouts,
            &sentence_counts,
            &events,
            &stories,
            &duplicates,
            &at,
            &search_titles,
            &search_bodies,
        ],
    )?;
    rows.iter().map(|row| Ok(row.try_get(0)?)).collect()
}

/// Sets `column` (`story` or `event`) of stored articles, with one
/// statement per thousand; ids the store does not hold are passed over,
/// and an id given twice takes its last value.
fn update_column(
    tx: &mut Transaction<'_>,
    column: &str,
    values: &[(ArticleId, u64)],
) -> Result<(), StoreError> {
    let mut last: BTreeMap<&str, i64> = BTreeMap::new();
    for (id, value) in values {
        last.insert(id.as_str(), to_sql_int(*value)?);
    }
    let pairs: Vec<(&str, i64)> = last.into_iter().collect();
    for chunk in pairs.chunks(1000) {
        let ids: Vec<&str> = chunk.iter().map(|(id, _)| *id).collect();
        let values: Vec<i64> = chunk.iter().map(|(_, value)| *value).collect();
        tx.execute(
            &format!(
                "UPDATE articles SET {column} = d.value
                 FROM unnest($1::TEXT[], $2::BIGINT[]) AS d (id, value)
                 WHERE articles.id = d.id"
            ),
            &[&ids, &values],
        )?;
    }
    Ok(())
}

/// Records in `tx` that the stories wait for a batch re-linking.
fn set_meta(tx: &mut Transaction<'_>, key: &str, value: &str) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO store_meta (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&key, &value],
    )?;
    Ok(())
}

/// Applies a state's changes in the commit's transaction, as the SQLite
/// store does: `replace` drops every record (and an older store's blob),
/// `forget` the records below a key, then each record is written over the
/// one of its kind and key.
fn apply_state_changes(tx: &mut Transaction<'_>, changes: &StateChanges) -> Result<(), StoreError> {
    if changes.replace {
        tx.execute("DELETE FROM cluster_records", &[])?;
        tx.execute("DELETE FROM cluster_state", &[])?;
    }
    for &(kind, below) in &changes.forget {
        let from = record_id(kind, 0)?;
        let to = to_sql_int(crate::record_ids::ids_below(kind, below))?;
        tx.execute(
            "DELETE FROM cluster_records WHERE id >= $1 AND id < $2",
            &[&from, &to],
        )?;
    }
    // The last value of each record (a record written twice in one batch
    // cannot be upserted twice by one statement), in sets of a thousand.
    let mut last: BTreeMap<i64, &[u8]> = BTreeMap::new();
    for record in &changes.records {
        last.insert(record_id(record.kind, record.key)?, &record.value);
    }
    let records: Vec<(i64, &[u8])> = last.into_iter().collect();
    for chunk in records.chunks(1000) {
        let ids: Vec<i64> = chunk.iter().map(|(id, _)| *id).collect();
        let values: Vec<&[u8]> = chunk.iter().map(|(_, value)| *value).collect();
        tx.execute(
            "INSERT INTO cluster_records (id, value)
             SELECT * FROM unnest($1::BIGINT[], $2::BYTEA[])
             ON CONFLICT (id) DO UPDATE SET value = excluded.value",
            &[&ids, &values],
        )?;
    }
    Ok(())
}

/// The id of the record (`kind`, `key`) as PostgreSQL stores it; one out
/// of range is refused, and the commit with it.
fn record_id(kind: u8, key: u64) -> Result<i64, StoreError> {
    let id = crate::record_ids::record_id(kind, key).ok_or_else(|| {
        StoreError::Postgres(PostgresError::OutOfRange(format!(
            "state record {kind}/{key}"
        )))
    })?;
    to_sql_int(id)
}

/// An integer as PostgreSQL stores it (BIGINT); a larger one is refused
/// rather than wrapped.
pub(crate) fn to_sql_int<T>(value: T) -> Result<i64, StoreError>
where
    T: TryInto<i64> + Copy + std::fmt::Display,
{
    value
        .try_into()
        .map_err(|_| StoreError::Postgres(PostgresError::OutOfRange(value.to_string())))
}

/// A stored integer as an unsigned number; a negative one means the record
/// was damaged.
pub(crate) fn from_sql_int<T: TryFrom<i64>>(
    value: i64,
    id: &str,
    column: &str,
) -> Result<T, StoreError> {
    T::try_from(value).map_err(|_| StoreError::Corrupt {
        what: format!("article {id}"),
        reason: format!("{column} {value} is out of range"),
    })
}

/// A stored `YYYY-MM-DD` date.
fn parse_date(text: Option<String>, id: &str) -> Result<Option<Date>, StoreError> {
    text.map(|text| {
        text.parse::<Date>().map_err(|err| StoreError::Corrupt {
            what: format!("article {id}"),
            reason: format!("date {text:?}: {err}"),
        })
    })
    .transpose()
}

/// An article's blocks and sentences from its `layout` column.
fn decode_layout(
    bytes: &[u8],
    id: &ArticleId,
) -> Result<(Vec<newsdesk_model::Block>, Vec<newsdesk_model::Sentence>), StoreError> {
    crate::layout::decode(bytes).map_err(|e| StoreError::Corrupt {
        what: format!("article {id}"),
        reason: format!("blocks: {}", e.0),
    })
}

impl Store for PostgresStore {
    fn existing_ids(&self, ids: &[ArticleId]) -> Result<BTreeSet<ArticleId>, StoreError> {
        let wanted: Vec<&str> = ids.iter().map(ArticleId::as_str).collect();
        let rows = self
            .conn()?
            .query("SELECT id FROM articles WHERE id = ANY($1)", &[&wanted])?;
        rows.iter()
            .map(|row| Ok(ArticleId(row.try_get(0)?)))
            .collect()
    }

    fn commit(&mut self, batch: &IngestBatch) -> Result<CommitReport, StoreError> {
        let assignments: HashMap<&ArticleId, &Assignment> =
            batch.assignments.iter().map(|a| (&a.id, a)).collect();
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        tx.execute(WRITE_LOCK, &[&LOCK_CLASS])?;
        self.check_lease(&mut tx)?;
        let mut report = CommitReport::default();
        // What the batch does to each story, for the story log: articles
        // added (and whether the story had any before).
        let mut added: BTreeMap<StoryId, (u64, bool)> = BTreeMap::new();
        let stories: BTreeSet<StoryId> = batch.assignments.iter().map(|a| a.story).collect();
        if !stories.is_empty() {
            let stories = stories
                .into_iter()
                .map(to_sql_int)
                .collect::<Result<Vec<i64>, _>>()?;
            let had: BTreeSet<i64> = tx
                .query(
                    "SELECT DISTINCT story FROM articles WHERE story = ANY($1)",
                    &[&stories],
                )?
                .iter()
                .map(|row| row.try_get(0))
                .collect::<Result<_, _>>()?;
            for story in stories {
                let key = from_sql_int(story, "the batch", "story")?;
                added.insert(key, (0, had.contains(&story)));
            }
        }
        // Checked inside the transaction, so a document repeated within
        // the batch is also counted as already present.
        let ids: Vec<&str> = batch
            .documents
            .iter()
            .map(|d| d.article.id.as_str())
            .collect();
        let mut stored: BTreeSet<String> = if ids.is_empty() {
            BTreeSet::new()
        } else {
            tx.query("SELECT id FROM articles WHERE id = ANY($1)", &[&ids])?
                .iter()
                .map(|row| row.try_get(0))
                .collect::<Result<_, _>>()?
        };
        let mut new: Vec<(&Document, &Assignment)> = Vec::with_capacity(batch.documents.len());
        for doc in &batch.documents {
            let id = &doc.article.id;
            if !stored.insert(id.as_str().to_owned()) {
                report.already_present += 1;
                continue;
            }
            // Returning drops `tx`, which rolls the whole batch back.
            let assignment = assignments
                .get(id)
                .ok_or_else(|| StoreError::MissingAssignment(id.clone()))?;
            new.push((doc, assignment));
        }
        for chunk in new.chunks(INSERT_CHUNK) {
            let inserted = insert_articles(&mut tx, chunk, batch.at.as_deref())?;
            for (doc, assignment) in chunk {
                if !inserted.contains(doc.article.id.as_str()) {
                    // Stored meanwhile by a writer that holds no lease.
                    report.already_present += 1;
                    continue;
                }
                report.added += 1;
                if let Some((n, _)) = added.get_mut(&assignment.story) {
                    *n += 1;
                }
            }
        }
        if !batch.corrections.is_empty() {
            let update = tx.prepare(
                "UPDATE articles SET date = coalesce($1, date), source = coalesce($2, source),
                                     url = coalesce($3, url), lang = coalesce($4, lang)
                 WHERE id = $5",
            )?;
            for c in &batch.corrections {
                tx.execute(
                    &update,
                    &[
                        &c.date.map(|date| date.to_string()),
                        &c.source,
                        &c.url,
                        &c.lang,
                        &c.id.as_str(),
                    ],
                )?;
            }
        }
        update_column(&mut tx, "story", &batch.stories)?;
        update_column(&mut tx, "event", &batch.events)?;
        for &story in &batch.revived {
            tx.execute(
                "DELETE FROM story_aliases WHERE story = $1",
                &[&to_sql_int(story)?],
            )?;
        }
        if let Some(through) = batch.relinked_through {
            set_meta(&mut tx, "relinked_through", &through.to_string())?;
        }
        if let Some(pending) = batch.relink_pending {
            set_meta(&mut tx, "relink_pending", if pending { "1" } else { "0" })?;
        }
        if let Some(through) = batch.intake_through {
            set_meta(&mut tx, "intake_through", &through.to_string())?;
        }
        if let Some(changes) = &batch.cluster_changes {
            apply_state_changes(&mut tx, changes)?;
        }
        log_batch(&mut tx, batch, &added)?;
        if !batch.aliases.is_empty() {
            // A retired id is never handed out again, so an alias is
            // written once; an alias of an alias is followed on reading.
            let insert = tx.prepare(
                "INSERT INTO story_aliases (story, now, retired_at) VALUES ($1, $2, $3)
                 ON CONFLICT (story) DO UPDATE SET now = excluded.now",
            )?;
            for &(story, now) in &batch.aliases {
                tx.execute(
                    &insert,
                    &[&to_sql_int(story)?, &to_sql_int(now)?, &batch.at],
                )?;
            }
        }
        tx.commit()?;
        Ok(report)
    }

    fn lock_writer(&mut self, wait: bool) -> Result<(), StoreError> {
        if self.writer.is_some() {
            return Ok(());
        }
        let mut client = self.config.connect(NoTls)?;
        if wait {
            client.execute(LEASE_LOCK, &[&LOCK_CLASS])?;
        } else {
            let taken: bool = client
                .query_one(LEASE_TRY_LOCK, &[&LOCK_CLASS])?
                .try_get(0)?;
            if !taken {
                return Err(StoreError::Busy);
            }
        }
        // The next epoch, in the transaction order of writes: a commit
        // of the holder before is either done or sees the new epoch.
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        tx.execute(WRITE_LOCK, &[&LOCK_CLASS])?;
        let epoch: String = tx
            .query_one(
                "INSERT INTO store_meta (key, value) VALUES ('writer_epoch', '1')
                 ON CONFLICT (key) DO UPDATE SET value = (store_meta.value::BIGINT + 1)::TEXT
                 RETURNING value",
                &[],
            )?
            .try_get(0)?;
        tx.commit()?;
        let epoch = epoch.parse().map_err(|_| StoreError::Corrupt {
            what: "the store's records".to_owned(),
            reason: format!("writer_epoch {epoch:?} is not a number"),
        })?;
        self.writer = Some((client, epoch));
        Ok(())
    }

    fn corrections(&self) -> Result<Vec<CorrectionRecord>, StoreError> {
        let rows = self.conn()?.query(
            "SELECT id, body, \"by\", at, reason, undone_at FROM corrections ORDER BY id",
            &[],
        )?;
        let mut records = Vec::with_capacity(rows.len());
        for row in rows {
            let id: i64 = row.try_get(0)?;
            let what = format!("correction {id}");
            let body: String = row.try_get(1)?;
            records.push(CorrectionRecord {
                id: from_sql_int(id, &what, "id")?,
                correction: serde_json::from_str(&body).map_err(|e| StoreError::Corrupt {
                    what: what.clone(),
                    reason: format!("body: {e}"),
                })?,
                by: row.try_get(2)?,
                at: row.try_get(3)?,
                reason: row.try_get(4)?,
                undone_at: row.try_get(5)?,
            });
        }
        Ok(records)
    }

    fn add_correction(
        &mut self,
        correction: &Correction,
        by: &str,
        at: &str,
        reason: Option<&str>,
    ) -> Result<CorrectionRecord, StoreError> {
        let body = serde_json::to_string(correction).map_err(|e| StoreError::Corrupt {
            what: "a new correction".to_owned(),
            reason: e.to_string(),
        })?;
        let kind = serde_json::to_value(correction)
            .ok()
            .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_owned))
            .unwrap_or_default();
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        tx.execute(WRITE_LOCK, &[&LOCK_CLASS])?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO corrections (kind, body, \"by\", at, reason)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[&kind, &body, &by, &at, &reason],
            )?
            .try_get(0)?;
        if correction.changes_stories() {
            set_meta(&mut tx, "relink_pending", "1")?;
        }
        tx.execute(
            LOG_SQL,
            &[
                &at,
                &LogKind::CorrectionMade.as_str(),
                &None::<i64>,
                &None::<i64>,
                &id,
                &0_i64,
            ],
        )?;
        tx.commit()?;
        Ok(CorrectionRecord {
            id: from_sql_int(id, "a new correction", "id")?,
            correction: correction.clone(),
            by: by.to_owned(),
            at: at.to_owned(),
            reason: reason.map(str::to_owned),
            undone_at: None,
        })
    }

    fn undo_correction(
        &mut self,
        id: u64,
        at: &str,
    ) -> Result<Option<CorrectionRecord>, StoreError> {
        let Ok(key) = i64::try_from(id) else {
            return Ok(None);
        };
        {
            let mut conn = self.conn()?;
            let mut tx = conn.transaction()?;
            tx.execute(WRITE_LOCK, &[&LOCK_CLASS])?;
            let changed = tx.execute(
                "UPDATE corrections SET undone_at = $1 WHERE id = $2 AND undone_at IS NULL",
                &[&at, &key],
            )?;
            let Some(row) = tx.query_opt("SELECT body FROM corrections WHERE id = $1", &[&key])?
            else {
                return Ok(None);
            };
            let body: String = row.try_get(0)?;
            let correction: Correction =
                serde_json::from_str(&body).map_err(|e| StoreError::Corrupt {
                    what: format!("correction {id}"),
                    reason: format!("body: {e}"),
                })?;
            if changed > 0 && correction.changes_stories() {
                set_meta(&mut tx, "relink_pending", "1")?;
            }
            if changed > 0 {
                tx.execute(
                    LOG_SQL,
                    &[
                        &at,
                        &LogKind::CorrectionUndone.as_str(),
                        &None::<i64>,
                        &None::<i64>,
                        &key,
                        &0_i64,
                    ],
                )?;
            }
            tx.commit()?;
        }
        Ok(self.corrections()?.into_iter().find(|r| r.id == id))
    }

    fn relinked_through(&self) -> Result<Option<u64>, StoreError> {
        self.meta_number("relinked_through")
    }

    fn intake_through(&self) -> Result<u64, StoreError> {
        Ok(self.meta_number("intake_through")?.unwrap_or(0))
    }

    fn relink_pending(&self) -> Result<bool, StoreError> {
        let value: Option<String> = self
            .conn()?
            .query_opt(
                "SELECT value FROM store_meta WHERE key = 'relink_pending'",
                &[],
            )?
            .map(|row| row.try_get(0))
            .transpose()?;
        Ok(value.as_deref() == Some("1"))
    }

    fn cluster_state(&self) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .conn()?
            .query_opt("SELECT state FROM cluster_state WHERE id = 1", &[])?
            .map(|row| row.try_get(0))
            .transpose()?)
    }

    fn retired_stories(&self) -> Result<Vec<RetiredStory>, StoreError> {
        let rows = self.conn()?.query(
            "SELECT story, now, retired_at FROM story_aliases ORDER BY story",
            &[],
        )?;
        let mut retired = Vec::with_capacity(rows.len());
        for row in rows {
            retired.push(RetiredStory {
                story: from_sql_int(row.try_get(0)?, "a retired story", "story")?,
                now: from_sql_int(row.try_get(1)?, "a retired story", "now")?,
                retired_at: row.try_get(2)?,
            });
        }
        Ok(retired)
    }

    fn story_alias(&self, story: StoryId) -> Result<Option<StoryId>, StoreError> {
        // A number beyond BIGINT was never a story.
        let Ok(key) = i64::try_from(story) else {
            return Ok(None);
        };
        let now: Option<i64> = self
            .conn()?
            .query_opt("SELECT now FROM story_aliases WHERE story = $1", &[&key])?
            .map(|row| row.try_get(0))
            .transpose()?;
        now.map(|now| from_sql_int(now, &format!("story {story}"), "alias"))
            .transpose()
    }

    fn next_story_id(&self, through: u64) -> Result<StoryId, StoreError> {
        let through = i64::try_from(through).unwrap_or(i64::MAX);
        let highest: i64 = self
            .conn()?
            .query_one(
                "SELECT greatest(coalesce((SELECT max(story) FROM articles WHERE seq <= $1), 0),
                                 coalesce((SELECT max(greatest(story, now)) FROM story_aliases), 0))",
                &[&through],
            )?
            .try_get(0)?;
        Ok(from_sql_int::<StoryId>(highest, "stories", "story")? + 1)
    }

    fn cluster_records(&self) -> Result<Vec<StateRecord>, StoreError> {
        let rows = self
            .conn()?
            .query("SELECT id, value FROM cluster_records ORDER BY id", &[])?;
        let mut records = Vec::with_capacity(rows.len());
        for row in rows {
            records.push(crate::record_ids::state_record(
                row.try_get(0)?,
                row.try_get(1)?,
            )?);
        }
        Ok(records)
    }

    /// PostgreSQL keeps its own pages consistent (its page checks are the
    /// `amcheck` extension's, not run here); this checks that the store's
    /// indexes are valid and that every article is in the full-text
    /// index.
    fn check(&self) -> Result<Vec<String>, StoreError> {
        let mut conn = self.conn()?;
        let mut problems = Vec::new();
        for row in conn.query(
            "SELECT c.relname FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid
             WHERE c.relnamespace = current_schema()::regnamespace
               AND NOT (i.indisvalid AND i.indisready)
             ORDER BY c.relname",
            &[],
        )? {
            let name: String = row.try_get(0)?;
            problems.push(format!(
                "index {name} is not valid (rebuild it with REINDEX)"
            ));
        }
        let (articles, unindexed): (i64, i64) = {
            let row = conn.query_one(
                "SELECT count(*), count(*) FILTER (WHERE search IS NULL
                        OR (length(search) = 0 AND coalesce(title, '') || text ~ '[[:alnum:]]'))
                 FROM articles",
                &[],
            )?;
            (row.try_get(0)?, row.try_get(1)?)
        };
        if unindexed > 0 {
            problems.push(format!(
                "{unindexed} of {articles} articles are missing from the full-text index"
            ));
        }
        Ok(problems)
    }

    fn article_count(&self) -> Result<u64, StoreError> {
        let count: i64 = self
            .conn()?
            .query_one("SELECT count(*) FROM articles", &[])?
            .try_get(0)?;
        // count(*) is never negative.
        Ok(u64::try_from(count).unwrap_or(0))
    }

    fn last_seq(&self) -> Result<u64, StoreError> {
        let seq: i64 = self
            .conn()?
            .query_one("SELECT coalesce(max(seq), 0) FROM articles", &[])?
            .try_get(0)?;
        from_sql_int(seq, "the last", "seq")
    }

    fn event_stories(&self) -> Result<Vec<(u64, u64)>, StoreError> {
        let rows = self
            .conn()?
            .query("SELECT seq, event, story FROM articles ORDER BY seq", &[])?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let (event, story): (i64, i64) = (row.try_get(1)?, row.try_get(2)?);
            match (u64::try_from(event), u64::try_from(story)) {
                (Ok(event), Ok(story)) => out.push((event, story)),
                _ => {
                    let seq: i64 = row.try_get(0)?;
                    return Err(StoreError::Corrupt {
                        what: format!("the article at position {seq}"),
                        reason: format!("event {event} or story {story} is out of range"),
                    });
                }
            }
        }
        Ok(out)
    }

    fn articles_after(&self, seq: u64) -> Result<u64, StoreError> {
        let seq = i64::try_from(seq).unwrap_or(i64::MAX);
        let count: i64 = self
            .conn()?
            .query_one("SELECT count(*) FROM articles WHERE seq > $1", &[&seq])?
            .try_get(0)?;
        // count(*) is never negative.
        Ok(u64::try_from(count).unwrap_or(0))
    }

    fn index(&self) -> Result<Vec<IndexEntry>, StoreError> {
        let rows = self.conn()?.query(INDEX_SQL, &[])?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get(1)?;
            entries.push(IndexEntry {
                seq: from_sql_int(row.try_get(0)?, &id, "seq")?,
                title: row.try_get(2)?,
                date: parse_date(row.try_get(3)?, &id)?,
                source: row.try_get(4)?,
                lang: row.try_get(5)?,
                event: from_sql_int(row.try_get(6)?, &id, "event")?,
                story: from_sql_int(row.try_get(7)?, &id, "story")?,
                sentences: from_sql_int(row.try_get(8)?, &id, "sentence_count")?,
                duplicate_of: row.try_get::<_, Option<String>>(9)?.map(ArticleId),
                ingested_at: row.try_get(10)?,
                id: ArticleId(id),
            });
        }
        Ok(entries)
    }

    fn documents(&self, ids: &[ArticleId]) -> Result<Vec<Document>, StoreError> {
        let mut conn = self.conn()?;
        let select = conn.prepare(DOCUMENT_SQL)?;
        let mut documents = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(row) = conn.query_opt(&select, &[&id.as_str()])? else {
                continue;
            };
            let (blocks, sentences) = decode_layout(row.try_get(7)?, id)?;
            let article = Article {
                id: id.clone(),
                title: row.try_get(0)?,
                text: row.try_get(1)?,
                date: parse_date(row.try_get(2)?, id.as_str())?,
                source: row.try_get(3)?,
                url: row.try_get(4)?,
                lang: row.try_get(5)?,
                origin: row.try_get(6)?,
            };
            documents.push(Document {
                blocks,
                sentences,
                article,
            });
        }
        Ok(documents)
    }

    fn log_seq(&self) -> Result<u64, StoreError> {
        let seq: i64 = self
            .conn()?
            .query_one("SELECT coalesce(max(seq), 0) FROM story_log", &[])?
            .try_get(0)?;
        from_sql_int(seq, "the story log", "seq")
    }

    fn log_after(&self, seq: u64, limit: usize) -> Result<Vec<LogEntry>, StoreError> {
        let after = i64::try_from(seq).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.conn()?.query(
            "SELECT seq, at, kind, story, into_story, correction, articles FROM story_log
             WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&after, &limit],
        )?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let seq: i64 = row.try_get(0)?;
            let what = format!("story log entry {seq}");
            // A kind written by a newer build is passed over, not misread.
            let Some(kind) = LogKind::from_name(&row.try_get::<_, String>(2)?) else {
                continue;
            };
            let int =
                |v: Option<i64>, field: &str| v.map(|v| from_sql_int(v, &what, field)).transpose();
            entries.push(LogEntry {
                seq: from_sql_int(seq, &what, "seq")?,
                at: row.try_get(1)?,
                kind,
                story: int(row.try_get(3)?, "story")?,
                into: int(row.try_get(4)?, "into_story")?,
                correction: int(row.try_get(5)?, "correction")?,
                articles: from_sql_int(row.try_get(6)?, &what, "articles")?,
            });
        }
        Ok(entries)
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let (tsquery, found) = self.ranked_matches(query, limit)?;
        let mut conn = self.conn()?;
        let mut hits = Vec::with_capacity(found.len());
        for (id, title, story, rank, seq) in found {
            hits.push(SearchHit {
                snippet: self.excerpt_of(&mut conn, &tsquery, seq)?,
                title,
                story,
                score: rank,
                id: ArticleId(id),
            });
        }
        Ok(hits)
    }

    fn search_stories(&self, query: &str, limit: usize) -> Result<Vec<StoryId>, StoreError> {
        let (_, found) = self.ranked_matches(query, limit)?;
        let mut seen = BTreeSet::new();
        Ok(found
            .into_iter()
            .map(|(_, _, story, _, _)| story)
            .filter(|s| seen.insert(*s))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::search_text;

    #[test]
    fn text_is_split_and_folded_as_sqlite_indexes_it() {
        assert_eq!(search_text("The U.S. consulate"), "The U S consulate");
        assert_eq!(search_text("covid-19 Café"), "covid 19 Cafe");
        assert_eq!(search_text("Ærøskøbing façade"), "Ærøskøbing facade");
        // Marks of other scripts are kept, but a mark that is no letter
        // splits a word there, as the query's terms are split.
        assert_eq!(search_text("नमस्ते"), "नमस ते");
        assert_eq!(search_text("हिंदी"), "हिंदी");
    }
}
