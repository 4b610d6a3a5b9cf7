//! The embedded backend: one SQLite file with an FTS5 index.
//!
//! Layout (schema version 6):
//!
//! - `articles`: one row per article, `seq` giving ingest order; the
//!   article's fields as columns, its blocks and sentences (compact, in
//!   `blocks`, from schema 5; as JSON before), its event and story.
//! - `cluster_records`: the clusterer's state as keyed records (opaque to
//!   the store), each commit writing only those its articles changed.
//! - `cluster_state`: at most one row holding the state as one blob, as
//!   stores before schema 4 saved it; read once, then replaced by records.
//! - `articles_fts`: an FTS5 index over the title and the cleaned body
//!   (heading and body blocks, debris left out), rowid = `articles.seq`;
//!   contentless from schema 5 (it keeps no copy of the text: search
//!   excerpts are cut from the article).
//! - `story_aliases`: story ids a re-linking retired, each with the story
//!   it was merged into.
//! - `corrections`: an editor's corrections, with who, when and why, in
//!   the order made (undone ones kept, marked undone).
//! - `story_log`: what changed in the stories, in order (a story's
//!   first articles, articles added, moved by a re-linking, an id
//!   retired, a correction made or undone), written in the transaction
//!   that made the change; its `seq` is the store's change sequence that
//!   live updates resume from.
//! - `store_meta`: the store's own records (whether a batch re-linking of
//!   stories is pending).
//!
//! One process writes at a time: [`Store::lock_writer`] takes an advisory
//! lock on the file `NAME.lock` beside the database, held until the store
//! is dropped (the operating system releases it if the process dies).
//!
//! The schema version lives in `PRAGMA user_version`; [`MIGRATIONS`] lists
//! the scripts that bring a store from one version to the next. A store
//! written by a newer build is refused rather than misread.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::time::Duration;

use newsdesk_model::{Article, ArticleId, Assignment, Block, Date, Document, Sentence, StoryId};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use newsdesk_model::correction::{Correction, CorrectionRecord};
use newsdesk_model::state::{StateChanges, StateRecord};

use crate::{
    CommitReport, IndexEntry, IngestBatch, LogEntry, LogKind, RetiredStory, SearchHit, Store,
    StoreError,
};

/// The migration scripts, in order: script `i` brings the schema from
/// version `i` to version `i + 1`. Never edit a script once it has shipped;
/// add a new one (and a fixture `tests/fixtures/store-v{N}.db` for it).
const MIGRATIONS: &[&str] = &[
    SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5, SCHEMA_V6,
];

/// Version 1: articles, the clusterer's state and the full-text index.
const SCHEMA_V1: &str = "
CREATE TABLE articles (
    -- AUTOINCREMENT so that a seq is never handed out twice: it is the
    -- ingest order that listings and search ties rely on.
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    title          TEXT,
    text           TEXT NOT NULL,
    date           TEXT,            -- YYYY-MM-DD
    source         TEXT,
    url            TEXT,
    lang           TEXT,
    origin         TEXT,
    blocks         TEXT NOT NULL,   -- JSON array of Block
    sentences      TEXT NOT NULL,   -- JSON array of Sentence
    sentence_count INTEGER NOT NULL,
    event          INTEGER NOT NULL,
    story          INTEGER NOT NULL
);
CREATE INDEX articles_story ON articles (story);
CREATE INDEX articles_event ON articles (event);

CREATE TABLE cluster_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    state BLOB NOT NULL
);

-- The porter stemmer makes `flooding` find `floods`; remove_diacritics 2
-- makes `cafe` find `café`.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title,
    body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
";

/// Version 2: near-duplicates. An article that copies an earlier one names
/// its canonical original; older stores have none (NULL).
const SCHEMA_V2: &str = "
ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
";

/// Version 3: the store's own records (`relink_pending`: whether its
/// events wait for a batch re-linking into stories).
const SCHEMA_V3: &str = "
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
";

/// Version 4: the clusterer's state as keyed records, updated in place
/// (a commit rewrote the whole state blob before: 26 MB for one article
/// added to NeuS train). The blob of an older store stays until the
/// first commit replaces it. (As shipped: version 5 re-keys the table.)
const SCHEMA_V4: &str = "
CREATE TABLE cluster_records (
    kind  INTEGER NOT NULL,
    key   INTEGER NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (kind, key)
);
";

/// Version 5: an editor's corrections (stories merged, articles moved,
/// entities merged, figures rejected, …), kept with who made them, when
/// and why, and applied again after every re-linking. An undone one is
/// kept, marked undone. The state records keyed by one integer (kind ×
/// 2^56 + key) rather than by (kind, key); the story ids that a
/// re-linking retired, each with the story it was merged into and when;
/// and when each article was stored (NULL in older stores), for
/// `changes`. The
/// full-text index keeps no copy of the text (a third of a store of
/// short articles): search excerpts are cut from the article. From
/// version 5 on, an article's blocks and sentences are written in the
/// compact form of `layout` (a BLOB in `blocks`, `sentences` an empty
/// BLOB); rows of older stores keep their JSON, read as before.
const SCHEMA_V5: &str = "
-- The state records keyed by one integer, id = kind × 2^56 + key, so that
-- the table needs no second index over (kind, key).
CREATE TABLE cluster_records_by_id (
    id    INTEGER PRIMARY KEY,
    value BLOB NOT NULL
);
INSERT INTO cluster_records_by_id (id, value)
    SELECT (kind << 56) | key, value FROM cluster_records;
DROP TABLE cluster_records;
ALTER TABLE cluster_records_by_id RENAME TO cluster_records;
-- Story ids a re-linking or a correction retired, each with the story it
-- was merged into (so that old ids still resolve) and when.
CREATE TABLE story_aliases (
    story      INTEGER PRIMARY KEY,
    now        INTEGER NOT NULL,
    retired_at TEXT
);
ALTER TABLE articles ADD COLUMN ingested_at TEXT;   -- RFC 3339, UTC
-- The full-text index keeps no copy of the text (contentless): excerpts
-- are cut from the article itself.
CREATE VIRTUAL TABLE articles_fts_index USING fts5 (
    title,
    body,
    content = '',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts_index (rowid, title, body)
    SELECT rowid, title, body FROM articles_fts;
DROP TABLE articles_fts;
ALTER TABLE articles_fts_index RENAME TO articles_fts;
CREATE TABLE corrections (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind      TEXT NOT NULL,
    body      TEXT NOT NULL,   -- JSON of the correction, `kind` included
    by        TEXT NOT NULL,
    at        TEXT NOT NULL,   -- RFC 3339, UTC
    reason    TEXT,
    undone_at TEXT
);
";

/// Version 6: the story log, what changed in the stories in the order it
/// changed, so that a live view (the server's event stream) can say what
/// changed since the last change it saw, whichever process made it. Older
/// stores start with an empty log.
const SCHEMA_V6: &str = "
CREATE TABLE story_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT,             -- RFC 3339, UTC
    kind       TEXT NOT NULL,    -- story_new, story_grew, ...
    story      INTEGER,
    into_story INTEGER,
    correction INTEGER,
    articles   INTEGER NOT NULL
);
";

/// Appends one entry to the story log.
const LOG_SQL: &str = "INSERT INTO story_log (at, kind, story, into_story, correction, articles)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// The largest part of a store file read through a memory map (SQLite's
/// `mmap_size`); the rest, if any, is read as usual.
const MMAP_BYTES: i64 = 1 << 30;

/// How long a write waits for another process's write to finish before
/// giving up with a database error.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How much of a body, in characters, a search excerpt is looked for in
/// (its start).
const SNIPPET_MAX_CHARS: usize = 65_536;

/// An article's text and layout, to cut a search excerpt from.
const BODY_SQL: &str = "SELECT text, blocks, sentences FROM articles WHERE seq = ?1";

/// A scratch full-text table, in memory, shaped and tokenised as
/// `articles_fts`, that holds one hit's body (its start) at a time.
const SCRATCH_FTS_SQL: &str = "
CREATE VIRTUAL TABLE scratch_fts USING fts5 (
    title,
    body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
";

/// The scratch body with its matches marked by `\u{1}` … `\u{2}`.
const HIGHLIGHT_SQL: &str = "
SELECT highlight(scratch_fts, 1, char(1), char(2))
FROM scratch_fts WHERE scratch_fts MATCH ?1
";

/// Full-text search: best first by BM25 with a title match worth twice a
/// body match (a headline names what the article is about), ties in ingest
/// order.
///
/// The index keeps no copy of the text, so each hit's excerpt (about 16
/// words around the first match) is cut from the article: its indexed
/// body, up to [`SNIPPET_MAX_CHARS`] characters, is highlighted in a
/// scratch table ([`SqliteStore::excerpt_of`]) and cut in Rust
/// ([`crate::indexing::excerpt`]). (FTS5's `highlight()` appends to its whole output at
/// every match, so the prefix bounds its time: 3.6 s for one 5 MB article
/// before.)
const SEARCH_SQL: &str = "
SELECT a.id, a.title, a.story,
       bm25(articles_fts, 2.0, 1.0) AS relevance,
       articles_fts.rowid
FROM articles_fts CROSS JOIN articles AS a ON a.seq = articles_fts.rowid
WHERE articles_fts MATCH ?1
ORDER BY relevance, a.seq
LIMIT ?2
";

const INSERT_ARTICLE_SQL: &str = "
INSERT INTO articles (id, title, text, date, source, url, lang, origin,
                      blocks, sentences, sentence_count, event, story, duplicate_of,
                      ingested_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
";

const INSERT_FTS_SQL: &str = "INSERT INTO articles_fts (rowid, title, body) VALUES (?1, ?2, ?3)";

const EXISTS_SQL: &str = "SELECT 1 FROM articles WHERE id = ?1";

const DOCUMENT_SQL: &str = "
SELECT title, text, date, source, url, lang, origin, blocks, sentences
FROM articles WHERE id = ?1
";

const INDEX_SQL: &str = "
SELECT seq, id, title, date, source, lang, event, story, sentence_count, duplicate_of,
       ingested_at
FROM articles ORDER BY seq
";

/// A [`Store`] in one SQLite file (or in memory), with FTS5 full-text
/// search.
///
/// Files use write-ahead logging, so readers in other processes are not
/// blocked by an ingest; a writer waits up to 5 s for another writer.
/// SQLite integers are signed, so a commit with an event or story number
/// above `i64::MAX` fails with [`StoreError::Database`] (and stores
/// nothing).
///
/// ```
/// use newsdesk_store::{IngestBatch, SqliteStore, Store};
///
/// let mut store = SqliteStore::open_in_memory().expect("in-memory store");
/// let report = store.commit(&IngestBatch::default()).expect("commit");
/// assert_eq!(report.added, 0);
/// assert_eq!(store.cluster_state().expect("state"), None);
/// ```
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    /// The database file (`None` in memory), beside which the writer
    /// lease's lock file lives.
    path: Option<std::path::PathBuf>,
    /// The locked lock file while this store holds the writer lease.
    writer: Option<std::fs::File>,
}

impl SqliteStore {
    /// A number among the store's own records, if recorded.
    fn meta_number(&self, key: &str) -> Result<Option<u64>, StoreError> {
        let value: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM store_meta WHERE key = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()?;
        crate::meta_number(key, value)
    }

    /// The newest schema version this build knows and creates.
    pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

    /// Opens the store in the file at `path`, creating it if missing and
    /// bringing an older schema up to date.
    ///
    /// Fails with [`StoreError::SchemaTooNew`] for a store written by a
    /// newer newsdesk, and with [`StoreError::Database`] when the file
    /// cannot be opened or is not a SQLite database.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Refuse a newer store before changing anything in it.
        check_version(schema_version(&conn)?)?;
        // Write-ahead logging lets readers go on during an ingest. With it,
        // synchronous=NORMAL keeps the file consistent after a crash (the
        // last commits may be lost, never half of one) without an fsync per
        // commit.
        wal_mode(&conn)?;
        let mut store = Self::set_up(conn)?;
        store.path = Some(path.to_path_buf());
        Ok(store)
    }

    /// Opens an existing store for reading only: nothing in the file is
    /// changed (no migration, no switch of journal mode), so a read
    /// command pointed at some other SQLite file leaves it as it was, and
    /// a store on a read-only disk can still be read. A store of an older
    /// schema is brought up to date first, as [`SqliteStore::open`] does.
    ///
    /// Fails with [`StoreError::NotAStore`] for a database that holds
    /// other tables than newsdesk's (or none), and as
    /// [`SqliteStore::open`] otherwise.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let found = match conn.pragma_query_value(None, "user_version", |row| row.get(0)) {
            Ok(found) => found,
            // A WAL store in a directory this user cannot write (or on a
            // read-only disk), with no `-shm` file beside it: SQLite cannot
            // make the shared-memory file that WAL readers use. Such a
            // store was closed cleanly (its WAL is checkpointed and gone),
            // so it is read as immutable: no locks, no `-shm` (reliability
            // review D18). A writer that could still change it would have
            // to be another user's.
            Err(e) if cannot_share(&e) => {
                conn = open_immutable(path).ok_or(e)?;
                schema_version(&conn)?
            }
            Err(e) => return Err(e.into()),
        };
        check_version(found)?;
        if found == 0 {
            let tables: i64 = conn.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'articles'",
                [],
                |row| row.get(0),
            )?;
            if tables == 0 {
                return Err(StoreError::NotAStore(path.display().to_string()));
            }
        }
        if found < Self::SCHEMA_VERSION {
            drop(conn);
            return Self::open(path);
        }
        Ok(SqliteStore {
            conn,
            path: Some(path.to_path_buf()),
            writer: None,
        })
    }

    /// The lock file of the writer lease: the database's path with
    /// `.lock` added.
    fn lock_path(&self) -> Option<std::path::PathBuf> {
        let path = self.path.as_ref()?;
        let mut name = path.file_name()?.to_os_string();
        name.push(".lock");
        Some(path.with_file_name(name))
    }

    /// Opens a new, empty store that lives in memory and is gone when
    /// dropped (for tests and one-off runs).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory()?;
        Self::set_up(conn)
    }

    /// Sets the per-connection options and applies pending migrations.
    fn set_up(mut conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Pages are read through a memory map rather than copied into the
        // page cache: restoring the clusterer reads megabytes of records.
        conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn,
            path: None,
            writer: None,
        })
    }
}

/// Switches `conn`'s database to write-ahead logging. The switch needs the
/// database to itself, and SQLite reports a busy database at once rather
/// than through the busy timeout when another process is opening (or
/// creating) the same file: the switch is tried again, every few
/// milliseconds, for up to [`BUSY_TIMEOUT`].
fn wal_mode(conn: &Connection) -> Result<(), rusqlite::Error> {
    let started = std::time::Instant::now();
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
            row.get::<_, String>(0)
        }) {
            Ok(_) => return Ok(()),
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Records in `tx` that the stories wait for a batch re-linking.
/// Writes what a batch did to the stories into the story log: each
/// story's added articles (new story or grown), the stories a re-linking
/// moved stored articles into, the ids it retired, and corrected
/// metadata. `added` holds, per story of the batch's assignments, how many
/// of its articles were added and whether it had articles before.
fn log_batch(
    tx: &rusqlite::Transaction<'_>,
    batch: &IngestBatch,
    added: &std::collections::BTreeMap<StoryId, (u64, bool)>,
) -> Result<(), StoreError> {
    let mut log = tx.prepare(LOG_SQL)?;
    let mut write = |kind: LogKind, story: Option<StoryId>, into: Option<StoryId>, n: u64| {
        let story = story.map(to_sql_int).transpose()?;
        let into = into.map(to_sql_int).transpose()?;
        log.execute(params![
            batch.at,
            kind.as_str(),
            story,
            into,
            None::<i64>,
            to_sql_int(n)?
        ])?;
        Ok::<(), StoreError>(())
    };
    for (&story, &(n, had)) in added {
        if n > 0 {
            let kind = if had {
                LogKind::StoryGrew
            } else {
                LogKind::StoryNew
            };
            write(kind, Some(story), None, n)?;
        }
    }
    let mut moved: std::collections::BTreeMap<StoryId, u64> = std::collections::BTreeMap::new();
    for (_, story) in &batch.stories {
        *moved.entry(*story).or_default() += 1;
    }
    for (story, n) in moved {
        write(LogKind::StoryRelinked, Some(story), None, n)?;
    }
    for &(story, now) in &batch.aliases {
        write(LogKind::StoryMerged, Some(story), Some(now), 0)?;
    }
    if !batch.corrections.is_empty() {
        write(
            LogKind::ArticlesUpdated,
            None,
            None,
            batch.corrections.len() as u64,
        )?;
    }
    Ok(())
}

fn set_relink_pending(tx: &rusqlite::Transaction<'_>) -> Result<(), rusqlite::Error> {
    tx.execute(
        "INSERT INTO store_meta (key, value) VALUES ('relink_pending', '1')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [],
    )?;
    Ok(())
}

/// Whether opening failed because SQLite could not create or write the
/// files beside the database (read-only directory or disk).
fn cannot_share(error: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::{CannotOpen, ReadOnly};
    matches!(error.sqlite_error_code(), Some(CannotOpen | ReadOnly))
}

/// `path` opened read-only as an immutable database (`immutable=1`: no
/// locking, no `-shm`); `None` when it cannot be opened so, or its path
/// is not UTF-8.
fn open_immutable(path: &Path) -> Option<Connection> {
    use rusqlite::OpenFlags;
    let mut uri = String::from("file:");
    for byte in path.to_str()?.bytes() {
        if byte.is_ascii_alphanumeric() || b"/._-~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri, flags).ok()
}

/// The schema version recorded in the database (0 for a new file).
fn schema_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Fails unless this build knows schema version `found`.
fn check_version(found: i64) -> Result<(), StoreError> {
    let supported = SqliteStore::SCHEMA_VERSION;
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    if found < 0 {
        return Err(StoreError::Corrupt {
            what: "schema version".to_owned(),
            reason: format!("negative version {found}"),
        });
    }
    Ok(())
}

/// Applies the migrations the database lacks, all in one transaction, and
/// records the new version.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let supported = SqliteStore::SCHEMA_VERSION;
    if schema_version(conn)? == supported {
        return Ok(());
    }
    // IMMEDIATE takes the write lock before reading the version, so two
    // processes opening a new file at once cannot both run migration 1: the
    // second waits, then finds nothing left to do.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found = schema_version(&tx)?;
    check_version(found)?;
    let done = usize::try_from(found).unwrap_or(0);
    for script in MIGRATIONS.iter().skip(done) {
        tx.execute_batch(script)?;
    }
    // PRAGMA takes no bound parameters; the value is our own integer.
    tx.execute_batch(&format!("PRAGMA user_version = {supported}"))?;
    tx.commit()?;
    Ok(())
}

impl SqliteStore {
    /// The excerpt of the large body of FTS row `rowid`: its first
    /// [`SNIPPET_MAX_CHARS`] characters are put in the `scratch` table
    /// (made by [`SCRATCH_FTS_SQL`]) and their matches marked there, so
    /// that the work is bounded whatever the body's length. When none of
    /// the matches lies in that part, the excerpt is the body's start.
    /// The excerpt of the article at `seq` around the first match of
    /// `fts_query`: its indexed body (headings and body text, debris left
    /// out, as [`indexed_body`] gives it), up to [`SNIPPET_MAX_CHARS`]
    /// characters, highlighted in `scratch`.
    fn excerpt_of(
        &self,
        scratch: &Connection,
        fts_query: &str,
        seq: i64,
    ) -> Result<String, StoreError> {
        let body = self
            .conn
            .query_row(BODY_SQL, [seq], |row| {
                let text: String = row.get(0)?;
                Ok(read_layout(row, 1, &ArticleId(format!("at {seq}"))).map(
                    |(blocks, sentences)| {
                        crate::indexing::indexed_body(&Document {
                            article: Article::new(text),
                            blocks,
                            sentences,
                        })
                    },
                ))
            })
            .optional()?
            .transpose()?
            .unwrap_or_default();
        let prefix: &str = match body.char_indices().nth(SNIPPET_MAX_CHARS) {
            Some((cut, _)) => &body[..cut],
            None => &body,
        };
        scratch.execute("DELETE FROM scratch_fts", [])?;
        scratch.execute(
            "INSERT INTO scratch_fts (title, body) VALUES ('', ?1)",
            [prefix],
        )?;
        let marked: Option<String> = scratch
            .query_row(HIGHLIGHT_SQL, [fts_query], |row| row.get(0))
            .optional()?;
        Ok(crate::indexing::excerpt(
            marked.as_deref().unwrap_or(prefix),
            16,
        ))
    }
}

/// Applies a state's changes in the commit's transaction: `replace` drops
/// every record (and an older store's blob), `forget` the records below a
/// key, then each record is written over the one of its kind and key.
fn apply_state_changes(
    tx: &rusqlite::Transaction<'_>,
    changes: &StateChanges,
) -> Result<(), StoreError> {
    if changes.replace {
        tx.execute("DELETE FROM cluster_records", [])?;
        tx.execute("DELETE FROM cluster_state", [])?;
    }
    for &(kind, below) in &changes.forget {
        tx.execute(
            "DELETE FROM cluster_records WHERE id >= ?1 AND id < ?2",
            params![
                record_id(kind, 0)?,
                to_sql_int(crate::record_ids::ids_below(kind, below))?
            ],
        )?;
    }
    let mut upsert = tx.prepare(
        "INSERT INTO cluster_records (id, value) VALUES (?1, ?2)
         ON CONFLICT (id) DO UPDATE SET value = excluded.value",
    )?;
    for record in &changes.records {
        upsert.execute(params![record_id(record.kind, record.key)?, record.value])?;
    }
    Ok(())
}

/// The id of the record (`kind`, `key`) as SQLite stores it; one out of
/// range is refused, and the commit with it.
fn record_id(kind: u8, key: u64) -> Result<i64, rusqlite::Error> {
    let id = crate::record_ids::record_id(kind, key).ok_or_else(|| {
        rusqlite::Error::ToSqlConversionFailure(
            format!("state record {kind}/{key} is out of range").into(),
        )
    })?;
    to_sql_int(id)
}

/// An integer as SQLite stores it (signed 64 bits); a larger one is refused
/// rather than wrapped.
fn to_sql_int<T>(value: T) -> Result<i64, rusqlite::Error>
where
    T: TryInto<i64>,
    T::Error: std::error::Error + Send + Sync + 'static,
{
    value
        .try_into()
        .map_err(|err| rusqlite::Error::ToSqlConversionFailure(Box::new(err)))
}

/// A stored integer as an unsigned number; a negative one means the record
/// was damaged.
fn from_sql_int<T: TryFrom<i64>>(value: i64, id: &str, column: &str) -> Result<T, StoreError> {
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

/// A stored JSON column.
fn parse_json<T: serde::de::DeserializeOwned>(
    json: &str,
    what: impl FnOnce() -> String,
    column: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|err| StoreError::Corrupt {
        what: what(),
        reason: format!("{column}: {err}"),
    })
}

/// An article's blocks and sentences from its `blocks` and `sentences`
/// columns (`blocks_column` and the one after it in `row`): both in `blocks` in the compact form ([`layout`], a BLOB), or
/// each as JSON (TEXT), as stores before schema 5 wrote them.
fn read_layout(
    row: &rusqlite::Row<'_>,
    blocks_column: usize,
    id: &ArticleId,
) -> Result<(Vec<Block>, Vec<Sentence>), StoreError> {
    use rusqlite::types::ValueRef;
    let what = || format!("article {id}");
    match row.get_ref(blocks_column)? {
        ValueRef::Blob(bytes) => crate::layout::decode(bytes).map_err(|e| StoreError::Corrupt {
            what: what(),
            reason: format!("blocks: {}", e.0),
        }),
        ValueRef::Text(blocks) => {
            fn text<'b>(
                bytes: &'b [u8],
                what: impl FnOnce() -> String,
                column: &str,
            ) -> Result<&'b str, StoreError> {
                std::str::from_utf8(bytes).map_err(|_| StoreError::Corrupt {
                    what: what(),
                    reason: format!("{column}: not UTF-8"),
                })
            }
            let blocks = parse_json::<Vec<Block>>(text(blocks, what, "blocks")?, what, "blocks")?;
            let sentences = match row.get_ref(blocks_column + 1)? {
                ValueRef::Text(json) => {
                    parse_json::<Vec<Sentence>>(text(json, what, "sentences")?, what, "sentences")?
                }
                _ => {
                    return Err(StoreError::Corrupt {
                        what: what(),
                        reason: "sentences: neither JSON nor held with the blocks".to_owned(),
                    })
                }
            };
            Ok((blocks, sentences))
        }
        _ => Err(StoreError::Corrupt {
            what: what(),
            reason: "blocks: neither JSON nor the compact form".to_owned(),
        }),
    }
}

impl Store for SqliteStore {
    fn existing_ids(&self, ids: &[ArticleId]) -> Result<BTreeSet<ArticleId>, StoreError> {
        let mut exists = self.conn.prepare(EXISTS_SQL)?;
        let mut found = BTreeSet::new();
        for id in ids {
            if exists.exists([id.as_str()])? {
                found.insert(id.clone());
            }
        }
        Ok(found)
    }

    fn commit(&mut self, batch: &IngestBatch) -> Result<CommitReport, StoreError> {
        let assignments: HashMap<&ArticleId, &Assignment> =
            batch.assignments.iter().map(|a| (&a.id, a)).collect();
        // IMMEDIATE: the transaction reads before it writes, and in WAL mode
        // a deferred one that meets a concurrent writer fails at its first
        // write instead of waiting.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut report = CommitReport::default();
        // What the batch does to each story, for the story log: articles
        // added (and whether the story had any before), moved in.
        let mut added: std::collections::BTreeMap<StoryId, (u64, bool)> =
            std::collections::BTreeMap::new();
        {
            let mut had_story =
                tx.prepare("SELECT EXISTS (SELECT 1 FROM articles WHERE story = ?1)")?;
            for a in &batch.assignments {
                if let std::collections::btree_map::Entry::Vacant(slot) = added.entry(a.story) {
                    let had: bool =
                        had_story.query_row([to_sql_int(a.story)?], |row| row.get(0))?;
                    slot.insert((0, had));
                }
            }
        }
        {
            let mut exists = tx.prepare(EXISTS_SQL)?;
            let mut insert = tx.prepare(INSERT_ARTICLE_SQL)?;
            let mut insert_fts = tx.prepare(INSERT_FTS_SQL)?;
            for doc in &batch.documents {
                let article = &doc.article;
                let id = &article.id;
                // Checked inside the transaction, so a document repeated
                // within the batch is also counted as already present.
                if exists.exists([id.as_str()])? {
                    report.already_present += 1;
                    continue;
                }
                // Returning drops `tx`, which rolls the whole batch back.
                let assignment = assignments
                    .get(id)
                    .ok_or_else(|| StoreError::MissingAssignment(id.clone()))?;
                insert.execute(params![
                    id.as_str(),
                    article.title,
                    article.text,
                    article.date.map(|date| date.to_string()),
                    article.source,
                    article.url,
                    article.lang,
                    article.origin,
                    crate::layout::encode(&doc.blocks, &doc.sentences),
                    // Held with the blocks (see `layout`).
                    &[] as &[u8],
                    to_sql_int(doc.sentences.len())?,
                    to_sql_int(assignment.event)?,
                    to_sql_int(assignment.story)?,
                    assignment.duplicate_of.as_ref().map(ArticleId::as_str),
                    batch.at,
                ])?;
                let seq = tx.last_insert_rowid();
                insert_fts.execute(params![
                    seq,
                    article.title.as_deref().unwrap_or(""),
                    crate::indexing::indexed_body(doc),
                ])?;
                report.added += 1;
                if let Some((n, _)) = added.get_mut(&assignment.story) {
                    *n += 1;
                }
            }
        }
        if !batch.corrections.is_empty() {
            let mut update = tx.prepare(
                "UPDATE articles SET date = coalesce(?1, date), source = coalesce(?2, source),
                                     url = coalesce(?3, url), lang = coalesce(?4, lang)
                 WHERE id = ?5",
            )?;
            for c in &batch.corrections {
                update.execute(params![
                    c.date.map(|date| date.to_string()),
                    c.source,
                    c.url,
                    c.lang,
                    c.id.as_str()
                ])?;
            }
        }
        if !batch.stories.is_empty() {
            let mut update = tx.prepare("UPDATE articles SET story = ?1 WHERE id = ?2")?;
            for (id, story) in &batch.stories {
                update.execute(params![to_sql_int(*story)?, id.as_str()])?;
            }
        }
        if !batch.events.is_empty() {
            let mut update = tx.prepare("UPDATE articles SET event = ?1 WHERE id = ?2")?;
            for (id, event) in &batch.events {
                update.execute(params![to_sql_int(*event)?, id.as_str()])?;
            }
        }
        for &story in &batch.revived {
            tx.execute(
                "DELETE FROM story_aliases WHERE story = ?1",
                [to_sql_int(story)?],
            )?;
        }
        if let Some(through) = batch.relinked_through {
            tx.execute(
                "INSERT INTO store_meta (key, value) VALUES ('relinked_through', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [through.to_string()],
            )?;
        }
        if let Some(pending) = batch.relink_pending {
            tx.execute(
                "INSERT INTO store_meta (key, value) VALUES ('relink_pending', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [if pending { "1" } else { "0" }],
            )?;
        }
        if let Some(through) = batch.intake_through {
            tx.execute(
                "INSERT INTO store_meta (key, value) VALUES ('intake_through', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [through.to_string()],
            )?;
        }
        if let Some(changes) = &batch.cluster_changes {
            apply_state_changes(&tx, changes)?;
        }
        log_batch(&tx, batch, &added)?;
        if !batch.aliases.is_empty() {
            // A retired id is never handed out again, so an alias is
            // written once; a story that later takes the id's place is
            // impossible, and an alias of an alias is followed on reading.
            let mut insert = tx.prepare(
                "INSERT INTO story_aliases (story, now, retired_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (story) DO UPDATE SET now = excluded.now",
            )?;
            for &(story, now) in &batch.aliases {
                insert.execute(params![to_sql_int(story)?, to_sql_int(now)?, batch.at])?;
            }
        }
        tx.commit()?;
        Ok(report)
    }

    fn lock_writer(&mut self, wait: bool) -> Result<(), StoreError> {
        if self.writer.is_some() {
            return Ok(());
        }
        // A store in memory has no other process to share it.
        let Some(path) = self.lock_path() else {
            return Ok(());
        };
        let failed = |source: std::io::Error| StoreError::Lock {
            path: path.display().to_string(),
            source,
        };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(failed)?;
        if wait {
            file.lock().map_err(failed)?;
        } else {
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => return Err(StoreError::Busy),
                Err(std::fs::TryLockError::Error(e)) => return Err(failed(e)),
            }
        }
        self.writer = Some(file);
        Ok(())
    }

    fn corrections(&self) -> Result<Vec<CorrectionRecord>, StoreError> {
        let mut select = self
            .conn
            .prepare("SELECT id, body, by, at, reason, undone_at FROM corrections ORDER BY id")?;
        let rows = select.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut records = Vec::new();
        for row in rows {
            let (id, body, by, at, reason, undone_at) = row?;
            let what = format!("correction {id}");
            records.push(CorrectionRecord {
                id: from_sql_int(id, &what, "id")?,
                correction: parse_json(&body, || what.clone(), "body")?,
                by,
                at,
                reason,
                undone_at,
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO corrections (kind, body, by, at, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![kind, body, by, at, reason],
        )?;
        let id = tx.last_insert_rowid();
        if correction.changes_stories() {
            set_relink_pending(&tx)?;
        }
        tx.execute(
            LOG_SQL,
            params![
                at,
                LogKind::CorrectionMade.as_str(),
                None::<i64>,
                None::<i64>,
                id,
                0
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE corrections SET undone_at = ?1 WHERE id = ?2 AND undone_at IS NULL",
            params![at, key],
        )?;
        let body: Option<String> = tx
            .query_row("SELECT body FROM corrections WHERE id = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?;
        let Some(body) = body else {
            return Ok(None);
        };
        let correction: Correction = parse_json(&body, || format!("correction {id}"), "body")?;
        if changed > 0 && correction.changes_stories() {
            set_relink_pending(&tx)?;
        }
        if changed > 0 {
            tx.execute(
                LOG_SQL,
                params![
                    at,
                    LogKind::CorrectionUndone.as_str(),
                    None::<i64>,
                    None::<i64>,
                    key,
                    0
                ],
            )?;
        }
        tx.commit()?;
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
            .conn
            .query_row(
                "SELECT value FROM store_meta WHERE key = 'relink_pending'",
                [],
                |row| row.get(0),
            )
            .optional()?;
        Ok(value.as_deref() == Some("1"))
    }

    fn cluster_state(&self) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT state FROM cluster_state WHERE id = 1", [], |row| {
                row.get(0)
            })
            .optional()?)
    }

    fn retired_stories(&self) -> Result<Vec<RetiredStory>, StoreError> {
        let mut select = self
            .conn
            .prepare("SELECT story, now, retired_at FROM story_aliases ORDER BY story")?;
        let rows = select.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut retired = Vec::new();
        for row in rows {
            let (story, now, at) = row?;
            retired.push(RetiredStory {
                story: from_sql_int(story, "a retired story", "story")?,
                now: from_sql_int(now, "a retired story", "now")?,
                retired_at: at,
            });
        }
        Ok(retired)
    }

    fn story_alias(&self, story: StoryId) -> Result<Option<StoryId>, StoreError> {
        // A number beyond SQLite's integers was never a story.
        let Ok(key) = i64::try_from(story) else {
            return Ok(None);
        };
        let now: Option<i64> = self
            .conn
            .query_row(
                "SELECT now FROM story_aliases WHERE story = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()?;
        now.map(|now| from_sql_int(now, &format!("story {story}"), "alias"))
            .transpose()
    }

    fn next_story_id(&self, through: u64) -> Result<StoryId, StoreError> {
        let highest: i64 = self.conn.query_row(
            "SELECT max(coalesce((SELECT max(story) FROM articles WHERE seq <= ?1), 0),
                        coalesce((SELECT max(max(story, now)) FROM story_aliases), 0))",
            [i64::try_from(through).unwrap_or(i64::MAX)],
            |row| row.get(0),
        )?;
        Ok(from_sql_int::<StoryId>(highest, "stories", "story")? + 1)
    }

    fn cluster_records(&self) -> Result<Vec<StateRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, value FROM cluster_records ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut records = Vec::new();
        while let Some(row) = rows.next()? {
            records.push(crate::record_ids::state_record(row.get(0)?, row.get(1)?)?);
        }
        Ok(records)
    }

    fn check(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let line: String = row.get(0)?;
            if line != "ok" {
                problems.push(line);
            }
        }
        // FTS5's own check of the index (contentless: its structure); it
        // fails with SQLITE_CORRUPT_VTAB on damage. It reads only, but is
        // an INSERT: a read-only store skips it.
        if !self.conn.is_readonly(rusqlite::MAIN_DB)? {
            if let Err(e) = self.conn.execute(
                "INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')",
                [],
            ) {
                problems.push(format!("full-text index: {e}"));
            }
        }
        let (articles, indexed): (i64, i64) = self.conn.query_row(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM articles_fts)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        if articles != indexed {
            problems.push(format!(
                "{articles} articles but {indexed} in the full-text index"
            ));
        }
        Ok(problems)
    }

    fn article_count(&self) -> Result<u64, StoreError> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM articles", [], |row| row.get(0))?;
        // count(*) is never negative.
        Ok(u64::try_from(count).unwrap_or(0))
    }

    fn last_seq(&self) -> Result<u64, StoreError> {
        let seq: i64 =
            self.conn
                .query_row("SELECT coalesce(max(seq), 0) FROM articles", [], |row| {
                    row.get(0)
                })?;
        from_sql_int(seq, "the last", "seq")
    }

    fn event_stories(&self) -> Result<Vec<(u64, u64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, event, story FROM articles ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let (event, story): (i64, i64) = (row.get(1)?, row.get(2)?);
            match (u64::try_from(event), u64::try_from(story)) {
                (Ok(event), Ok(story)) => out.push((event, story)),
                _ => {
                    let seq: i64 = row.get(0)?;
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
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM articles WHERE seq > ?1",
            [seq],
            |row| row.get(0),
        )?;
        // count(*) is never negative.
        Ok(u64::try_from(count).unwrap_or(0))
    }

    fn index(&self) -> Result<Vec<IndexEntry>, StoreError> {
        let mut stmt = self.conn.prepare(INDEX_SQL)?;
        let mut rows = stmt.query([])?;
        let mut entries = Vec::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(1)?;
            entries.push(IndexEntry {
                seq: from_sql_int(row.get(0)?, &id, "seq")?,
                title: row.get(2)?,
                date: parse_date(row.get(3)?, &id)?,
                source: row.get(4)?,
                lang: row.get(5)?,
                event: from_sql_int(row.get(6)?, &id, "event")?,
                story: from_sql_int(row.get(7)?, &id, "story")?,
                sentences: from_sql_int(row.get(8)?, &id, "sentence_count")?,
                duplicate_of: row.get::<_, Option<String>>(9)?.map(ArticleId),
                ingested_at: row.get(10)?,
                id: ArticleId(id),
            });
        }
        Ok(entries)
    }

    fn documents(&self, ids: &[ArticleId]) -> Result<Vec<Document>, StoreError> {
        let mut stmt = self.conn.prepare(DOCUMENT_SQL)?;
        let mut documents = Vec::with_capacity(ids.len());
        for id in ids {
            let mut rows = stmt.query([id.as_str()])?;
            let Some(row) = rows.next()? else {
                continue;
            };
            let (blocks, sentences) = read_layout(row, 7, id)?;
            let article = Article {
                id: id.clone(),
                title: row.get(0)?,
                text: row.get(1)?,
                date: parse_date(row.get(2)?, id.as_str())?,
                source: row.get(3)?,
                url: row.get(4)?,
                lang: row.get(5)?,
                origin: row.get(6)?,
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
        let seq: Option<i64> =
            self.conn
                .query_row("SELECT max(seq) FROM story_log", [], |row| row.get(0))?;
        from_sql_int(seq.unwrap_or(0), "the story log", "seq")
    }

    fn log_after(&self, seq: u64, limit: usize) -> Result<Vec<LogEntry>, StoreError> {
        let after = i64::try_from(seq).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut select = self.conn.prepare(
            "SELECT seq, at, kind, story, into_story, correction, articles FROM story_log
             WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = select.query_map(params![after, limit], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<i64>>(3)?,
                row.get::<_, Option<i64>>(4)?,
                row.get::<_, Option<i64>>(5)?,
                row.get::<_, i64>(6)?,
            ))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (seq, at, kind, story, into, correction, articles) = row?;
            let what = format!("story log entry {seq}");
            // A kind written by a newer build is passed over, not misread.
            let Some(kind) = LogKind::from_name(&kind) else {
                continue;
            };
            let int =
                |v: Option<i64>, field: &str| v.map(|v| from_sql_int(v, &what, field)).transpose();
            entries.push(LogEntry {
                seq: from_sql_int(seq, &what, "seq")?,
                at,
                kind,
                story: int(story, "story")?,
                into: int(into, "into_story")?,
                correction: int(correction, "correction")?,
                articles: from_sql_int(articles, &what, "articles")?,
            });
        }
        Ok(entries)
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let (fts_query, found) = self.ranked_matches(query, limit)?;
        let scratch = Connection::open_in_memory()?;
        scratch.execute_batch(SCRATCH_FTS_SQL)?;
        let mut hits = Vec::with_capacity(found.len());
        for (id, title, story, bm25, seq) in found {
            hits.push(SearchHit {
                snippet: self.excerpt_of(&scratch, &fts_query, seq)?,
                title,
                story,
                // FTS5's bm25() is lower for better matches.
                score: -bm25,
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

/// One match of a search: id, title, story, BM25 (lower is better),
/// position in ingest order.
type Match = (String, Option<String>, StoryId, f64, i64);

impl SqliteStore {
    /// The query as FTS5 takes it and its best `limit` matches, best
    /// first, without excerpts.
    fn ranked_matches(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<(String, Vec<Match>), StoreError> {
        let fts_query = crate::query::fts_query(query).ok_or(StoreError::EmptyQuery)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare(SEARCH_SQL)?;
        let mut rows = stmt.query(params![fts_query, limit])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let title: Option<String> = row.get(1)?;
            let story = from_sql_int(row.get(2)?, &id, "story")?;
            let bm25: f64 = row.get(3)?;
            let seq: i64 = row.get(4)?;
            found.push((id, title, story, bm25, seq));
        }
        Ok((fts_query, found))
    }
}
