//! newsdesk's scale-out mode: PostgreSQL as the shared store, NATS
//! JetStream as the work queue, and stateless workers that can die.
//!
//! - [`enqueue()`] (`newsdesk ingest … --to nats://HOST/SUBJECT`): each
//!   article read is stored, as read, in the store's intake
//!   ([`newsdesk_store::Intake`]) under its key and a place in ingest
//!   order, and only then its key is published to the work queue.
//! - [`run_worker`] (`newsdesk worker --from nats://…`): pulls keys
//!   through one durable consumer shared by every worker, analyses the
//!   articles, records their documents in the intake and then
//!   acknowledges; an article that fails too many attempts is *failed*
//!   for good. Every worker also contends for the store's writer lease:
//!   the one holding it *assembles* — clusters the analysed articles into
//!   events and stories strictly in ingest order, as one `newsdesk
//!   ingest` would, and commits them with the intake place reached — and
//!   sweeps pending articles the queue lost back into it.
//! - [`status()`] (`newsdesk status`): the queue's depth, the intake's
//!   counts, how far analysis and assembly got, the failed articles.
//!
//! Why N workers give the stories of one machine: analysis is per
//! article and the same wherever it runs; clustering and linking are
//! order-sensitive, so they run in one process at a time (the lease
//! holder, fenced by the lease's epoch: a holder that lost the lease
//! writes nothing), in the intake's order, and an assembler taking over
//! restores the clusterer the last one committed with its place.
#![deny(missing_docs)]

mod assemble;
pub mod enqueue;
mod queue;
pub mod status;
mod work;

pub use enqueue::{enqueue, EnqueueReport};
pub use queue::Queue;
pub use status::{status, Status};
pub use work::{run_worker, AssemblyTimings, WorkerOptions, WorkerReport};

/// What can stop the scale-out mode.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The store (or its intake) could not be read or written.
    #[error(transparent)]
    Store(#[from] newsdesk_store::StoreError),
    /// The work queue failed.
    #[error(transparent)]
    Queue(#[from] newsdesk_queue::QueueError),
    /// Assembling stories failed.
    #[error(transparent)]
    Desk(#[from] newsdesk_desk::DeskError),
    /// The queue's runtime could not start.
    #[error("cannot start the queue's runtime: {0}")]
    Runtime(std::io::Error),
}

/// Where the workers log what they do (one line per event): the CLI
/// prints it on stderr.
pub type Log<'a> = &'a (dyn Fn(&str) + Sync);
