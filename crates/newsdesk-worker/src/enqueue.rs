//! `newsdesk ingest … --to nats://…`: articles read into the intake, then
//! their keys onto the work queue.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use newsdesk_desk::order::{read_in_order, InputOrder};
use newsdesk_ingest::ReadOptions;
use newsdesk_model::{Article, Diagnostic, Severity};
use newsdesk_store::{Intake, IntakeState};
use serde::Serialize;

use crate::{Queue, WorkerError};

/// Articles added to the intake per transaction (and published together).
const CHUNK: usize = 500;

/// What an ingest into the queue did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct EnqueueReport {
    /// Articles read from the inputs.
    pub read: usize,
    /// Articles added to the intake and queued.
    pub queued: usize,
    /// Articles the intake held already (read before): queued again if
    /// still waiting for a worker, else left as they are.
    pub already_queued: usize,
    /// Inputs or records skipped as unreadable.
    pub skipped: usize,
    /// Warnings (the article was kept).
    pub warnings: usize,
    /// The intake's last place after the ingest.
    pub last_seq: u64,
    /// Whether the ingest was stopped early (a signal): the articles read
    /// before it were queued, and the same ingest run again queues the
    /// rest.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stopped: bool,
    /// Every problem met, naming the file (and line).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every article of `paths` in `order` into the intake and
/// publishes the keys of those that wait for a worker, a chunk at a
/// time: a key is published only once its article is committed, so a
/// worker never gets a key it cannot find, and an ingester that dies
/// between the two leaves its articles to the sweeper.
pub fn enqueue(
    paths: &[PathBuf],
    read: &ReadOptions,
    order: InputOrder,
    intake: &Intake,
    queue: &Queue,
    stop: Option<Arc<AtomicBool>>,
    on_input: &mut dyn FnMut(usize, usize),
) -> Result<EnqueueReport, WorkerError> {
    let mut report = EnqueueReport::default();
    let mut chunk: Vec<Article> = Vec::with_capacity(CHUNK);
    let mut failure: Option<WorkerError> = None;
    let flush = |chunk: &mut Vec<Article>, report: &mut EnqueueReport| {
        if chunk.is_empty() {
            return Ok(());
        }
        let queued = intake.add(chunk)?;
        chunk.clear();
        let mut keys = Vec::with_capacity(queued.len());
        for q in queued {
            if q.new {
                report.queued += 1;
            } else {
                report.already_queued += 1;
            }
            report.last_seq = report.last_seq.max(q.seq);
            if q.state == IntakeState::Pending {
                keys.push(q.key);
            }
        }
        // Not recorded as published: the sweeper reckons from the time
        // an article was received, and a record here would lock rows
        // the workers are claiming.
        queue.publish(&keys, "")?;
        Ok::<(), WorkerError>(())
    };
    let mut diagnostics = read_in_order(paths, read, order, on_input, &mut |article| {
        if failure.is_some() {
            return;
        }
        if stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed)) {
            report.stopped = true;
            return;
        }
        report.read += 1;
        chunk.push(article);
        if chunk.len() >= CHUNK {
            if let Err(e) = flush(&mut chunk, &mut report) {
                failure = Some(e);
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    flush(&mut chunk, &mut report)?;
    report.skipped = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    report.warnings = diagnostics.len() - report.skipped;
    report.last_seq = report.last_seq.max(intake.status()?.last_seq);
    report.diagnostics = std::mem::take(&mut diagnostics);
    Ok(report)
}
