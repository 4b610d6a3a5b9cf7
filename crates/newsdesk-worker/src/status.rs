//! `newsdesk status`: where the scale-out mode stands.

use newsdesk_desk::ingest::{relink_due, RelinkWhen};
use newsdesk_store::{Failure, Intake, IntakeStatus, PostgresStore, Store};
use serde::Serialize;

use crate::{Queue, WorkerError};

/// Where the scale-out mode stands.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// Keys waiting in the work queue (published, not acknowledged), when
    /// a queue was given.
    pub queue_depth: Option<u64>,
    /// The intake's counts and how far analysis got.
    pub intake: IntakeStatus,
    /// The last intake place assembled into stories.
    pub assembled_through: u64,
    /// Articles in the store.
    pub articles: u64,
    /// Articles linked into stories as they came, awaiting a batch
    /// re-linking.
    pub awaiting_relink: u64,
    /// The writer lease: its epoch, and whether a process holds it (the
    /// assembler).
    pub lease_epoch: Option<i64>,
    /// Whether a process holds the writer lease now.
    pub lease_held: bool,
    /// The failed articles.
    pub failed: Vec<Failure>,
}

/// The status of the store at `db` (and of `queue`, if given).
pub fn status(db: &str, queue: Option<&Queue>) -> Result<Status, WorkerError> {
    let store = PostgresStore::connect(db)?;
    let intake = Intake::connect(db)?;
    let lease = store.lease()?;
    let (_, awaiting_relink) = relink_due(&store, RelinkWhen::default())?;
    Ok(Status {
        queue_depth: queue.map(Queue::depth).transpose()?,
        intake: intake.status()?,
        assembled_through: store.intake_through()?,
        articles: store.article_count()?,
        awaiting_relink,
        lease_epoch: lease.epoch,
        lease_held: lease.held,
        failed: intake.failures()?,
    })
}
