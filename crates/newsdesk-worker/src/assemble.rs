//! The assembler: whichever worker holds the store's writer lease
//! clusters the analysed articles into events and stories, strictly in
//! ingest order, and sweeps lost keys back into the queue.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use newsdesk_desk::ingest::Ingestor;
use newsdesk_store::{PostgresStore, Store, StoreError};

use crate::work::Shared;
use crate::WorkerError;

/// Analysed articles assembled per commit at most.
const ASSEMBLE_CHUNK: usize = 500;

/// How often a worker not holding the lease tries to take it.
const CONTEND_EVERY: Duration = Duration::from_secs(1);

/// How often the lease holder looks for work when there was none.
const IDLE_POLL: Duration = Duration::from_millis(200);

/// How often the sweeper runs.
const SWEEP_EVERY: Duration = Duration::from_secs(5);

/// Contends for the writer lease until the worker stops, assembling
/// while it holds it. Errors (the store restarting, the lease lost) give
/// the lease up and contend again.
pub(crate) fn contend(shared: &Shared<'_>) {
    while !shared.stopped() {
        match assemble_while_leased(shared) {
            Ok(true) => {}
            Ok(false) => shared.pause(CONTEND_EVERY),
            Err(e) => {
                let lost = matches!(
                    e,
                    WorkerError::Store(StoreError::LeaseLost(_))
                        | WorkerError::Desk(newsdesk_desk::DeskError::Store(
                            StoreError::LeaseLost(_)
                        ))
                );
                let what = if lost {
                    "gave up assembling"
                } else {
                    "assembling stopped"
                };
                (shared.log)(&format!("{what}: {e}; contending for the lease again"));
                shared.pause(CONTEND_EVERY);
            }
        }
    }
}

/// Takes the lease if free and assembles until the worker stops (true)
/// or returns false at once when another worker holds it.
fn assemble_while_leased(shared: &Shared<'_>) -> Result<bool, WorkerError> {
    let options = shared.options;
    let mut store = PostgresStore::connect(&options.db)?;
    match store.lock_writer(false) {
        Ok(()) => {}
        Err(StoreError::Busy) => return Ok(false),
        Err(e) => return Err(e.into()),
    }
    let epoch = store.writer_epoch().unwrap_or(0);
    let mut through = store.intake_through()?;
    if let Ok(mut epochs) = shared.counters.epochs.lock() {
        epochs.push(epoch);
    }
    (shared.log)(&format!(
        "assembling stories (lease epoch {epoch}), after intake place {through}"
    ));
    let mut ingestor = Ingestor::open(&mut store, options.ingest.clone())?;
    let mut last_sweep: Option<Instant> = None;
    while !shared.stopped() {
        let started = Instant::now();
        let ready = shared.intake.ready(through, ASSEMBLE_CHUNK)?;
        if ready.through > through {
            let read = started.elapsed();
            let n = ready.articles.len() as u64;
            let analysed = ready.articles.into_iter().map(|(_, a, d)| (a, d)).collect();
            let report = ingestor.assemble(analysed, ready.through)?;
            let assembled = started.elapsed();
            through = ready.through;
            shared.counters.assembled.fetch_add(n, Ordering::Relaxed);
            shared.intake.forget_documents(through)?;
            if let Ok(mut t) = shared.counters.assembly.lock() {
                t.reading += read.as_secs_f64();
                t.clustering += report.timings.clustering + report.timings.state;
                t.committing += report.timings.commit;
                t.assembling += (assembled - read).as_secs_f64();
                t.forgetting += (started.elapsed() - assembled).as_secs_f64();
            }
            continue;
        }
        // Caught up with the intake: what an ingest ends with.
        if !ready.waiting {
            if let Some(moved) = ingestor.relink_if_due()? {
                (shared.log)(&format!(
                    "stories linked in batch through intake place {through} ({moved} article(s) changed story)"
                ));
            }
        }
        if last_sweep.is_none_or(|at| at.elapsed() >= SWEEP_EVERY) {
            // The queue being away is no reason to give up the lease.
            if let Err(e) = sweep(shared) {
                (shared.log)(&format!("sweeper: {e}; trying again later"));
            }
            last_sweep = Some(Instant::now());
        }
        shared.pause(IDLE_POLL);
    }
    Ok(true)
}

/// Publishes again the pending articles the queue does not hold: while
/// the workers' consumer has nothing outstanding, those received (or
/// published) more than
/// [`crate::WorkerOptions::sweep_after`] (an ingester that died between
/// its commit and its publish, a stream lost or purged).
fn sweep(shared: &Shared<'_>) -> Result<(), WorkerError> {
    if shared.queue.outstanding(&shared.options.consumer)? > 0 {
        return Ok(());
    }
    let keys = shared
        .intake
        .unpublished(shared.options.sweep_after, 10_000)?;
    if keys.is_empty() {
        return Ok(());
    }
    // A new message id: the stream may remember the old one.
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    shared.queue.publish(&keys, &format!(":{at}"))?;
    shared.intake.published(&keys)?;
    (shared.log)(&format!(
        "sweeper: {} pending article(s) were not in the queue; published again",
        keys.len()
    ));
    Ok(())
}
