//! The store the server serves: where it is ([`StoreAt`]: a SQLite file
//! or, with the `postgres` feature, a PostgreSQL database), and how the
//! server reads and writes it ([`Backend`]).
//!
//! Both backends are synchronous. Store work runs on tokio's blocking
//! threads, never on a thread that drives async tasks: the PostgreSQL
//! client blocks on a runtime of its own for every statement, and for
//! closing a connection when it is dropped, and that panics on such a
//! thread ("Cannot start a runtime from within a runtime").

use std::cell::RefCell;
use std::fmt;
use std::path::{Path, PathBuf};

use newsdesk_store::{SqliteStore, Store, StoreError};

use crate::problem::{log_error, Problem};

/// Where the store is: what `newsdesk serve --db` names.
///
/// Non-exhaustive since a variant comes with a feature: a match written
/// without it would break when another crate turns the feature on.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreAt {
    /// A SQLite file, made when missing.
    Sqlite(PathBuf),
    /// A PostgreSQL database by its `postgres://` URL (add
    /// `options=-csearch_path%3DNAME` for schema `NAME`); the store's
    /// tables are made when missing.
    #[cfg(feature = "postgres")]
    Postgres(String),
}

impl From<PathBuf> for StoreAt {
    fn from(path: PathBuf) -> StoreAt {
        StoreAt::Sqlite(path)
    }
}

impl From<&Path> for StoreAt {
    fn from(path: &Path) -> StoreAt {
        StoreAt::Sqlite(path.to_path_buf())
    }
}

/// The file, or the URL without its password: fit for a message or a log.
impl fmt::Display for StoreAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreAt::Sqlite(path) => write!(f, "{}", path.display()),
            #[cfg(feature = "postgres")]
            StoreAt::Postgres(url) => f.write_str(&newsdesk_store::redacted_url(url)),
        }
    }
}

/// As [`fmt::Display`] shows it: a password never reaches a log through
/// `{:?}` either.
impl fmt::Debug for StoreAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreAt::Sqlite(_) => write!(f, "Sqlite({self})"),
            #[cfg(feature = "postgres")]
            StoreAt::Postgres(_) => write!(f, "Postgres({self})"),
        }
    }
}

impl StoreAt {
    /// Opens the store for writing, making it (or bringing its schema up
    /// to date) when needed. Call it off the async runtime.
    fn open(&self) -> Result<Box<dyn Store>, StoreError> {
        match self {
            StoreAt::Sqlite(path) => Ok(Box::new(SqliteStore::open(path)?)),
            #[cfg(feature = "postgres")]
            StoreAt::Postgres(url) => Ok(Box::new(newsdesk_store::PostgresStore::connect(url)?)),
        }
    }
}

/// Runs `f` on a thread of its own and waits for it: for store work that
/// must not run on a thread driving async tasks (opening the store at
/// start, closing PostgreSQL connections), from code that may be on one.
/// A panic in `f` goes on in the caller.
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| match scope.spawn(f).join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

thread_local! {
    /// Each blocking thread keeps its reading connection to a SQLite store
    /// between requests (opening one costs a schema check and, for a
    /// large store, the first pages of the file).
    static SQLITE_READER: RefCell<Option<(PathBuf, SqliteStore)>> = const { RefCell::new(None) };
}

/// Runs `f` with a read-only connection to the SQLite store at `db`, on
/// the calling (blocking) thread.
fn with_sqlite_reader<T>(
    db: &Path,
    f: impl FnOnce(&dyn Store) -> Result<T, Problem>,
) -> Result<T, Problem> {
    SQLITE_READER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let fresh = !matches!(&*slot, Some((path, _)) if path == db);
        if fresh {
            let store = SqliteStore::open_read_only(db).map_err(|e| {
                log_error(&e);
                Problem::unavailable(format!("the store cannot be opened: {e}"), 5)
            })?;
            *slot = Some((db.to_path_buf(), store));
        }
        match &*slot {
            Some((_, store)) => f(store),
            None => Err(Problem::internal()),
        }
    })
}

/// The store the server serves, and the readers it keeps.
pub(crate) struct Backend {
    /// Where the store is.
    at: StoreAt,
    /// PostgreSQL reader stores not in use. A `PostgresStore` cannot be
    /// shared between threads (it is `Send`, not `Sync`: the connection
    /// that would hold its writer lease), so each read takes one for
    /// itself and puts it back: there are at most as many as reads ever
    /// ran at once (bounded by the server's read slots), each with its
    /// own small pool holding a connection.
    #[cfg(feature = "postgres")]
    idle: std::sync::Mutex<Vec<newsdesk_store::PostgresStore>>,
}

impl Backend {
    /// Opens the store at `at` once, making it if missing (a new SQLite
    /// file, or the tables in a PostgreSQL schema), and returns the
    /// backend with the store's last story-log sequence number.
    ///
    /// Safe to call on a thread that drives async tasks: the store is
    /// opened on a thread of its own.
    pub(crate) fn open(at: StoreAt) -> Result<(Backend, u64), StoreError> {
        let log_seq = off_runtime(|| at.open()?.log_seq())?;
        let backend = Backend {
            at,
            #[cfg(feature = "postgres")]
            idle: std::sync::Mutex::new(Vec::new()),
        };
        Ok((backend, log_seq))
    }

    /// Runs `f` with a store to read, on the calling thread, which must be
    /// a blocking thread (`tokio::task::spawn_blocking`).
    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, Problem>,
    ) -> Result<T, Problem> {
        match &self.at {
            StoreAt::Sqlite(path) => with_sqlite_reader(path, f),
            #[cfg(feature = "postgres")]
            StoreAt::Postgres(url) => {
                let kept = self.idle.lock().ok().and_then(|mut idle| idle.pop());
                let store = match kept {
                    Some(store) => store,
                    None => newsdesk_store::PostgresStore::connect(url).map_err(|e| {
                        log_error(&e);
                        Problem::unavailable(format!("the store cannot be opened: {e}"), 5)
                    })?,
                };
                let result = f(&store);
                if let Ok(mut idle) = self.idle.lock() {
                    idle.push(store);
                }
                result
            }
        }
    }

    /// The store opened afresh for one write session (it takes the
    /// writer lease, held until it is dropped), on the calling thread,
    /// which must be a blocking thread.
    pub(crate) fn open_for_writing(&self) -> Result<Box<dyn Store>, StoreError> {
        self.at.open()
    }
}

#[cfg(feature = "postgres")]
impl Drop for Backend {
    fn drop(&mut self) {
        // The last reference to the server's state may go on a thread
        // that drives async tasks, where closing a PostgreSQL connection
        // panics: the kept readers are closed on a thread of their own.
        let idle = match self.idle.get_mut() {
            Ok(idle) => std::mem::take(idle),
            Err(poisoned) => std::mem::take(poisoned.into_inner()),
        };
        if !idle.is_empty() {
            off_runtime(move || drop(idle));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_is_named_without_its_password() {
        let file = StoreAt::from(PathBuf::from("desk.db"));
        assert_eq!(file.to_string(), "desk.db");
        assert_eq!(format!("{file:?}"), "Sqlite(desk.db)");
        #[cfg(feature = "postgres")]
        for (url, shown) in [
            (
                "postgres://ana:s3cret@db.example/desk",
                "postgres://ana@db.example/desk",
            ),
            (
                "postgresql://ana@db.example:5433/desk?password=s3cret&options=-csearch_path%3Dx",
                "postgresql://ana@db.example:5433/desk?options=-csearch_path%3Dx",
            ),
            (
                "postgres://db.example/desk?Password=s3cret",
                "postgres://db.example/desk",
            ),
        ] {
            let at = StoreAt::Postgres(url.to_owned());
            assert_eq!(at.to_string(), shown);
            assert!(!format!("{at:?}").contains("s3cret"));
        }
    }
}
