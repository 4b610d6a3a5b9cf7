//! The scale-out intake: articles queued for workers, kept in PostgreSQL
//! beside the store (tables `intake` and `intake_documents`, schema
//! version 2), so that nothing acknowledged to an ingester lives only in
//! the work queue.
//!
//! Each article read by `ingest --to nats://…` is added once, under its
//! *key* (the SHA-256 of the article as read) and a sequence number in
//! ingest order. A worker *claims* it (counting one attempt), analyses it
//! and records the analysed document, or records why it failed; after too
//! many attempts it is *failed*, a terminal state that `newsdesk failed`
//! lists. The assembler takes analysed articles strictly in sequence
//! ([`Intake::ready`]), once every earlier one is analysed or failed, and
//! records in the store, with the articles it assembled, how far it got
//! ([`crate::Store::intake_through`]).
//!
//! Rows are added one transaction at a time under an advisory lock of
//! their own, so sequence numbers become visible in order: an assembler
//! that sees number `n` will never see a smaller one appear later.

use std::time::Duration;

use newsdesk_model::{Article, Document};
use postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;
use sha2::{Digest, Sha256};

use crate::postgres::{from_sql_int, open_pool, to_sql_int, LOCK_CLASS};
use crate::StoreError;

/// The lock that hands out intake sequence numbers one transaction at a
/// time (transaction-level; apart from the store's write lock, so that
/// ingesters do not wait for the assembler's commits).
const INTAKE_LOCK: &str =
    "SELECT pg_advisory_xact_lock($1, hashtext('intake:' || current_schema()))";

/// The rows of the intake `condition` selects, locked in the order of
/// their places (a subquery for `UPDATE … FROM`): every statement that
/// changes several rows locks them in one order, so two of them (two
/// workers' claims, a claim and the sweeper's record) wait for each
/// other instead of deadlocking.
fn locked(condition: &str) -> String {
    format!("SELECT seq FROM intake WHERE {condition} ORDER BY seq FOR UPDATE")
}

/// Where an article of the intake is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeState {
    /// Waiting for a worker (or being analysed).
    Pending,
    /// Analysed: its document waits for the assembler (or was assembled).
    Analysed,
    /// Given up after too many attempts; listed by `newsdesk failed`.
    Failed,
}

impl IntakeState {
    /// The state as the table keeps it.
    pub fn as_str(self) -> &'static str {
        match self {
            IntakeState::Pending => "pending",
            IntakeState::Analysed => "analysed",
            IntakeState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<IntakeState, StoreError> {
        match text {
            "pending" => Ok(IntakeState::Pending),
            "analysed" => Ok(IntakeState::Analysed),
            "failed" => Ok(IntakeState::Failed),
            other => Err(StoreError::Corrupt {
                what: "the intake".to_owned(),
                reason: format!("unknown state {other:?}"),
            }),
        }
    }
}

/// An article as [`Intake::add`] left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// Its key (to publish to the work queue).
    pub key: String,
    /// Its place in ingest order.
    pub seq: u64,
    /// Whether this call added it (else it was in the intake already).
    pub new: bool,
    /// Its state now.
    pub state: IntakeState,
}

/// What a worker gets when it claims a key ([`Intake::claim`]).
#[derive(Debug)]
pub enum Claim {
    /// The article is to be analysed: this is attempt number `attempts`
    /// (1 for the first). `article` is the article, or why the stored
    /// one cannot be read (a poison record: it fails every attempt).
    Take {
        /// Its place in ingest order.
        seq: u64,
        /// Attempts so far, this one included.
        attempts: u32,
        /// The article as read by the ingester.
        article: Result<Article, String>,
    },
    /// Analysed or failed already (a message delivered twice): nothing
    /// to do.
    Done(IntakeState),
    /// No article has this key (a message nobody here published).
    Unknown,
}

/// Analysed articles in ingest order, as the assembler takes them
/// ([`Intake::ready`]).
#[derive(Debug, Default)]
pub struct Ready {
    /// Each analysed article with its place, the article as read and its
    /// document.
    pub articles: Vec<(u64, Article, Document)>,
    /// The last place these cover (failed articles passed over
    /// included); the `after` given when nothing is ready.
    pub through: u64,
    /// Whether an article right after `through` is still pending.
    pub waiting: bool,
}

/// Counts of the intake for `newsdesk status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct IntakeStatus {
    /// Articles ever added.
    pub received: u64,
    /// Waiting for a worker.
    pub pending: u64,
    /// Analysed.
    pub analysed: u64,
    /// Given up.
    pub failed: u64,
    /// The last place in ingest order.
    pub last_seq: u64,
    /// Every article up to this place is analysed or failed: the
    /// assembler may take them.
    pub analysed_through: u64,
}

/// An article given up ([`IntakeState::Failed`]), for `newsdesk failed`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Failure {
    /// Its place in ingest order.
    pub seq: u64,
    /// Its key.
    pub key: String,
    /// Its id as read, when the record can be read.
    pub id: Option<String>,
    /// Where it was read from (`path:line`), when known.
    pub origin: Option<String>,
    /// Attempts made.
    pub attempts: u32,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// When it was given up (RFC 3339, UTC).
    pub at: String,
}

/// The intake of a PostgreSQL store (same database and schema).
pub struct Intake {
    pool: r2d2::Pool<PostgresConnectionManager<NoTls>>,
}

impl std::fmt::Debug for Intake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Intake").finish_non_exhaustive()
    }
}

impl Intake {
    /// Connects to the store at `url` (as [`crate::PostgresStore::connect`],
    /// which it migrates the same way).
    pub fn connect(url: &str) -> Result<Intake, StoreError> {
        let (pool, _) = open_pool(url)?;
        Ok(Intake { pool })
    }

    /// The key of an article as read, from its JSON (`raw`): 32 hex digits
    /// of the JSON's SHA-256, so that the same article read again is one
    /// row, and the same text read with other metadata another (the
    /// assembler then treats it as an ingest would: a correction of the
    /// stored one).
    fn key_of(raw: &str) -> String {
        let digest = Sha256::digest(raw.as_bytes());
        digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }

    fn conn(&self) -> Result<r2d2::PooledConnection<PostgresConnectionManager<NoTls>>, StoreError> {
        Ok(self.pool.get()?)
    }

    /// Adds articles in the order given, in one transaction: each new one
    /// gets the next place in ingest order; one already in the intake
    /// keeps its place and state.
    pub fn add(&self, articles: &[Article]) -> Result<Vec<Queued>, StoreError> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        tx.execute(INTAKE_LOCK, &[&LOCK_CLASS])?;
        let insert = tx.prepare(
            "INSERT INTO intake (key, raw) VALUES ($1, $2)
             ON CONFLICT (key) DO NOTHING RETURNING seq",
        )?;
        let existing = tx.prepare("SELECT seq, state FROM intake WHERE key = $1")?;
        let mut queued = Vec::with_capacity(articles.len());
        for article in articles {
            let raw = serde_json::to_string(article).map_err(|e| StoreError::Corrupt {
                what: format!("article {}", article.id.as_str()),
                reason: e.to_string(),
            })?;
            let key = Intake::key_of(&raw);
            if let Some(row) = tx.query_opt(&insert, &[&key, &raw])? {
                let seq: i64 = row.try_get(0)?;
                queued.push(Queued {
                    seq: from_sql_int(seq, &key, "seq")?,
                    key,
                    new: true,
                    state: IntakeState::Pending,
                });
            } else {
                let row = tx.query_one(&existing, &[&key])?;
                let seq: i64 = row.try_get(0)?;
                let state: String = row.try_get(1)?;
                queued.push(Queued {
                    seq: from_sql_int(seq, &key, "seq")?,
                    new: false,
                    state: IntakeState::parse(&state)?,
                    key,
                });
            }
        }
        tx.commit()?;
        Ok(queued)
    }

    /// Claims the article of `key` for analysis, counting one attempt
    /// (before the work: an attempt that kills its worker counts too).
    pub fn claim(&self, key: &str) -> Result<Claim, StoreError> {
        let mut claims = self.claim_all(&[key.to_owned()])?;
        Ok(claims.pop().map_or(Claim::Unknown, |(_, claim)| claim))
    }

    /// [`Intake::claim`] for many keys at once (one statement), in the
    /// order given.
    pub fn claim_all(&self, keys: &[String]) -> Result<Vec<(String, Claim)>, StoreError> {
        let mut conn = self.conn()?;
        let taken = conn.query(
            &format!(
                "UPDATE intake SET attempts = attempts + 1, updated_at = now()
                 FROM ({}) AS l WHERE intake.seq = l.seq
                 RETURNING intake.key, intake.seq, intake.attempts, intake.raw",
                locked("key = ANY($1) AND state = 'pending'")
            ),
            &[&keys],
        )?;
        let mut claims: std::collections::HashMap<String, Claim> =
            std::collections::HashMap::with_capacity(keys.len());
        for row in taken {
            let key: String = row.try_get(0)?;
            let seq: i64 = row.try_get(1)?;
            let attempts: i32 = row.try_get(2)?;
            let raw: String = row.try_get(3)?;
            let claim = Claim::Take {
                seq: from_sql_int(seq, &key, "seq")?,
                attempts: u32::try_from(attempts).unwrap_or(0),
                article: serde_json::from_str(&raw)
                    .map_err(|e| format!("the queued article cannot be read: {e}")),
            };
            claims.insert(key, claim);
        }
        let others: Vec<&String> = keys.iter().filter(|k| !claims.contains_key(*k)).collect();
        if !others.is_empty() {
            for row in conn.query(
                "SELECT key, state FROM intake WHERE key = ANY($1)",
                &[&others],
            )? {
                let state = IntakeState::parse(&row.try_get::<_, String>(1)?)?;
                claims.insert(row.try_get(0)?, Claim::Done(state));
            }
        }
        Ok(keys
            .iter()
            .map(|key| {
                let claim = claims.remove(key).unwrap_or(Claim::Unknown);
                (key.clone(), claim)
            })
            .collect())
    }

    /// Records the analysed document of a pending article; false when it
    /// was not pending (another worker recorded it first).
    pub fn analysed(&self, key: &str, document: &Document) -> Result<bool, StoreError> {
        Ok(self.analysed_all(&[(key.to_owned(), document)])? > 0)
    }

    /// [`Intake::analysed`] for many articles at once (one statement);
    /// returns how many were pending.
    pub fn analysed_all(&self, analysed: &[(String, &Document)]) -> Result<u64, StoreError> {
        let mut keys = Vec::with_capacity(analysed.len());
        let mut documents = Vec::with_capacity(analysed.len());
        for (key, document) in analysed {
            let json = serde_json::to_string(document).map_err(|e| StoreError::Corrupt {
                what: format!("article {}", document.article.id.as_str()),
                reason: e.to_string(),
            })?;
            keys.push(key.as_str());
            documents.push(json);
        }
        Ok(self.conn()?.execute(
            &format!(
                "WITH done AS (
                     UPDATE intake SET state = 'analysed', error = NULL, updated_at = now()
                     FROM ({}) AS l WHERE intake.seq = l.seq
                     RETURNING intake.seq, intake.key)
                 INSERT INTO intake_documents (seq, document)
                 SELECT done.seq, d.document
                 FROM done JOIN unnest($1::TEXT[], $2::TEXT[]) AS d (key, document)
                      ON d.key = done.key
                 ON CONFLICT (seq) DO NOTHING",
                locked("key = ANY($1) AND state = 'pending'")
            ),
            &[&keys, &documents],
        )?)
    }

    /// Records why an attempt failed; with `give_up`, the article is
    /// failed for good.
    pub fn attempt_failed(&self, key: &str, reason: &str, give_up: bool) -> Result<(), StoreError> {
        let state = if give_up { "failed" } else { "pending" };
        self.conn()?.execute(
            "UPDATE intake SET state = $2, error = $3, updated_at = now()
             WHERE key = $1 AND state = 'pending'",
            &[&key, &state, &reason],
        )?;
        Ok(())
    }

    /// Analysed articles after place `after`, in order, up to `limit`
    /// and up to the first still pending; failed ones are passed over.
    pub fn ready(&self, after: u64, limit: usize) -> Result<Ready, StoreError> {
        let mut conn = self.conn()?;
        let limit = to_sql_int(limit)?;
        let rows = conn.query(
            "SELECT i.seq, i.state, i.raw, d.document
             FROM intake AS i LEFT JOIN intake_documents AS d ON d.seq = i.seq
             WHERE i.seq > $1 ORDER BY i.seq LIMIT $2",
            &[&to_sql_int(after)?, &limit],
        )?;
        let mut ready = Ready {
            through: after,
            ..Ready::default()
        };
        for row in rows {
            let seq: i64 = row.try_get(0)?;
            let what = format!("intake {seq}");
            let seq: u64 = from_sql_int(seq, &what, "seq")?;
            match IntakeState::parse(&row.try_get::<_, String>(1)?)? {
                IntakeState::Pending => {
                    ready.waiting = true;
                    break;
                }
                IntakeState::Failed => {}
                IntakeState::Analysed => {
                    let corrupt = |column: &str, e: serde_json::Error| StoreError::Corrupt {
                        what: what.clone(),
                        reason: format!("{column}: {e}"),
                    };
                    let raw: String = row.try_get(2)?;
                    let document: Option<String> = row.try_get(3)?;
                    let Some(document) = document else {
                        return Err(StoreError::Corrupt {
                            what,
                            reason: "analysed without a document".to_owned(),
                        });
                    };
                    let article = serde_json::from_str(&raw).map_err(|e| corrupt("raw", e))?;
                    let document =
                        serde_json::from_str(&document).map_err(|e| corrupt("document", e))?;
                    ready.articles.push((seq, article, document));
                }
            }
            ready.through = seq;
        }
        Ok(ready)
    }

    /// Drops the documents of the articles up to place `through`, once
    /// assembled (the store holds them).
    pub fn forget_documents(&self, through: u64) -> Result<(), StoreError> {
        self.conn()?.execute(
            "DELETE FROM intake_documents WHERE seq <= $1",
            &[&to_sql_int(through)?],
        )?;
        Ok(())
    }

    /// The intake's counts.
    pub fn status(&self) -> Result<IntakeStatus, StoreError> {
        let mut conn = self.conn()?;
        let row = conn.query_one(
            "SELECT count(*),
                    count(*) FILTER (WHERE state = 'pending'),
                    count(*) FILTER (WHERE state = 'analysed'),
                    count(*) FILTER (WHERE state = 'failed'),
                    coalesce(max(seq), 0),
                    coalesce(min(seq) FILTER (WHERE state = 'pending') - 1, max(seq), 0)
             FROM intake",
            &[],
        )?;
        let number = |i: usize| -> Result<u64, StoreError> {
            from_sql_int(row.try_get::<_, i64>(i)?, "the intake", "counts")
        };
        Ok(IntakeStatus {
            received: number(0)?,
            pending: number(1)?,
            analysed: number(2)?,
            failed: number(3)?,
            last_seq: number(4)?,
            analysed_through: number(5)?,
        })
    }

    /// The failed articles, in ingest order.
    pub fn failures(&self) -> Result<Vec<Failure>, StoreError> {
        let rows = self.conn()?.query(
            "SELECT seq, key, raw, attempts, error,
                    to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
             FROM intake WHERE state = 'failed' ORDER BY seq",
            &[],
        )?;
        let mut failures = Vec::with_capacity(rows.len());
        for row in rows {
            let key: String = row.try_get(1)?;
            let raw: String = row.try_get(2)?;
            let article: Option<Article> = serde_json::from_str(&raw).ok();
            let attempts: i32 = row.try_get(3)?;
            failures.push(Failure {
                seq: from_sql_int(row.try_get(0)?, &key, "seq")?,
                id: article.as_ref().map(|a| a.id.as_str().to_owned()),
                origin: article.and_then(|a| a.origin),
                attempts: u32::try_from(attempts).unwrap_or(0),
                error: row.try_get(4)?,
                at: row.try_get(5)?,
                key,
            });
        }
        Ok(failures)
    }

    /// Puts failed articles back to pending with no attempts (all of
    /// them, or those of `keys`); returns their keys, to publish again.
    pub fn retry_failed(&self, keys: Option<&[String]>) -> Result<Vec<String>, StoreError> {
        let rows = match keys {
            None => self.conn()?.query(
                &format!(
                    "UPDATE intake SET state = 'pending', attempts = 0, updated_at = now()
                     FROM ({}) AS l WHERE intake.seq = l.seq RETURNING intake.key",
                    locked("state = 'failed'")
                ),
                &[],
            )?,
            Some(keys) => self.conn()?.query(
                &format!(
                    "UPDATE intake SET state = 'pending', attempts = 0, updated_at = now()
                     FROM ({}) AS l WHERE intake.seq = l.seq RETURNING intake.key",
                    locked("state = 'failed' AND key = ANY($1)")
                ),
                &[&keys],
            )?,
        };
        rows.iter().map(|row| Ok(row.try_get(0)?)).collect()
    }

    /// Pending articles not published to the work queue for `quiet` (or
    /// never), oldest first, at most `limit`: the sweeper publishes them
    /// again, so that a message the queue lost is not an article lost.
    pub fn unpublished(&self, quiet: Duration, limit: usize) -> Result<Vec<String>, StoreError> {
        let seconds = quiet.as_secs_f64();
        let rows = self.conn()?.query(
            "SELECT key FROM intake
             WHERE state = 'pending'
               AND coalesce(published_at, received_at) < now() - make_interval(secs => $1)
             ORDER BY seq LIMIT $2",
            &[&seconds, &to_sql_int(limit)?],
        )?;
        rows.iter().map(|row| Ok(row.try_get(0)?)).collect()
    }

    /// Records that `keys` were published to the work queue now.
    pub fn published(&self, keys: &[String]) -> Result<(), StoreError> {
        if keys.is_empty() {
            return Ok(());
        }
        self.conn()?.execute(
            &format!(
                "UPDATE intake SET published_at = now() FROM ({}) AS l WHERE intake.seq = l.seq",
                locked("key = ANY($1)")
            ),
            &[&keys],
        )?;
        Ok(())
    }
}
