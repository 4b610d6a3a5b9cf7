//! `newsdesk worker`: analyse what the queue hands out; assemble stories
//! while holding the store's writer lease.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use newsdesk_desk::analysis::analyze;
use newsdesk_desk::ingest::{relink_due, IngestOptions, RelinkWhen, StoryLinking};
use newsdesk_model::{Article, Document};
use newsdesk_queue::{Delivery, QueueUrl};
use newsdesk_store::{Claim, Intake, PostgresStore, Store};
use serde::Serialize;

use crate::{Log, Queue, WorkerError};

/// What a worker is asked to do.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// The PostgreSQL store (`postgres://…`).
    pub db: String,
    /// The work queue.
    pub queue: QueueUrl,
    /// The durable consumer every worker of the queue shares.
    pub consumer: String,
    /// Threads analysing articles (0: one per core).
    pub threads: usize,
    /// Keys pulled from the queue at a time.
    pub batch: usize,
    /// Attempts at an article before it is failed for good (an attempt
    /// that kills its worker counts).
    pub max_attempts: u32,
    /// How long the queue waits for a worker's acknowledgement before it
    /// hands the key to another (used when the workers' consumer is
    /// made).
    pub ack_wait: Duration,
    /// How long a failed attempt waits before the next.
    pub retry_after: Duration,
    /// Whether this worker may assemble stories (contend for the lease).
    pub assemble: bool,
    /// Exit once every queued article (one at least) is analysed (or
    /// failed), assembled and its stories linked.
    pub until_idle: bool,
    /// Set (by a signal handler) to stop: keys in hand are finished or
    /// left to the queue, what is assembled is committed.
    pub stop: Arc<AtomicBool>,
    /// How stories are assembled (the clusterer, story linking).
    pub ingest: IngestOptions,
    /// A pending article received (or published) longer ago than this,
    /// while the workers' consumer has nothing outstanding, is published
    /// again by the assembler (the sweeper).
    pub sweep_after: Duration,
}

impl WorkerOptions {
    /// The defaults for a store and a queue.
    pub fn new(db: String, queue: QueueUrl) -> WorkerOptions {
        WorkerOptions {
            db,
            queue,
            consumer: "workers".to_owned(),
            threads: 0,
            batch: 64,
            max_attempts: 5,
            ack_wait: newsdesk_queue::ACK_WAIT,
            retry_after: Duration::from_secs(2),
            assemble: true,
            until_idle: false,
            stop: Arc::new(AtomicBool::new(false)),
            ingest: IngestOptions::default(),
            sweep_after: Duration::from_secs(30),
        }
    }
}

/// What a worker did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct WorkerReport {
    /// Articles this worker analysed.
    pub analysed: u64,
    /// Attempts that failed (the article to be tried again, or failed).
    pub failed_attempts: u64,
    /// Articles this worker gave up on.
    pub failed: u64,
    /// Keys delivered again after their article was done (acknowledged
    /// without work).
    pub redelivered: u64,
    /// Articles this worker assembled into stories (as the lease holder).
    pub assembled: u64,
    /// The lease epochs this worker assembled under.
    pub epochs: Vec<i64>,
    /// Where the assembling time went (not serialised: it differs from
    /// run to run).
    #[serde(skip)]
    pub assembly: AssemblyTimings,
}

/// Seconds the assembler spent, by step.
#[derive(Debug, Default, Clone, Copy)]
pub struct AssemblyTimings {
    /// Reading analysed articles from the intake (their documents
    /// decoded).
    pub reading: f64,
    /// All of assembling (clustering, features, the commit).
    pub assembling: f64,
    /// Of which clustering in order (and saving its state).
    pub clustering: f64,
    /// Of which the store's commit.
    pub committing: f64,
    /// Dropping the assembled documents from the intake.
    pub forgetting: f64,
}

/// Counters shared by a worker's threads.
#[derive(Default)]
pub(crate) struct Counters {
    pub analysed: AtomicU64,
    pub failed_attempts: AtomicU64,
    pub failed: AtomicU64,
    pub redelivered: AtomicU64,
    pub assembled: AtomicU64,
    pub epochs: std::sync::Mutex<Vec<i64>>,
    pub assembly: std::sync::Mutex<AssemblyTimings>,
}

/// What a worker's threads share.
pub(crate) struct Shared<'a> {
    pub options: &'a WorkerOptions,
    pub intake: Intake,
    pub queue: Queue,
    pub counters: Counters,
    pub log: Log<'a>,
}

impl Shared<'_> {
    pub fn stopped(&self) -> bool {
        self.options.stop.load(Ordering::Relaxed)
    }

    /// Sleeps `for_how_long`, waking early on a stop.
    pub fn pause(&self, for_how_long: Duration) {
        let step = Duration::from_millis(50);
        let mut slept = Duration::ZERO;
        while slept < for_how_long && !self.stopped() {
            std::thread::sleep(step);
            slept += step;
        }
    }
}

/// Runs a worker until it is stopped (or, with
/// [`WorkerOptions::until_idle`], until everything queued is done).
///
/// Connection failures (the queue's or the store's server restarting)
/// are logged and retried, never fatal once started: a key not
/// acknowledged goes back to the queue, an assembler that lost its lease
/// gives way and contends again.
pub fn run_worker(options: &WorkerOptions, log: Log<'_>) -> Result<WorkerReport, WorkerError> {
    let shared = Shared {
        options,
        intake: Intake::connect(&options.db)?,
        queue: Queue::connect(&options.queue)?,
        counters: Counters::default(),
        log,
    };
    let mut consumer = shared.queue.consumer(&options.consumer, options.ack_wait)?;
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    std::thread::scope(|scope| {
        let assembler = options
            .assemble
            .then(|| scope.spawn(|| crate::assemble::contend(&shared)));
        let mut reads: Option<PostgresStore> = None;
        while !shared.stopped() {
            let fetched = shared
                .queue
                .block_on(consumer.next_batch(options.batch.max(1), Duration::from_secs(1)));
            let deliveries = match fetched {
                Ok(deliveries) => deliveries,
                Err(e) => {
                    log(&format!("queue: {e}; trying again"));
                    shared.pause(Duration::from_secs(1));
                    continue;
                }
            };
            if deliveries.is_empty() {
                if options.until_idle {
                    match all_done(&shared, &mut reads) {
                        Ok(true) => break,
                        Ok(false) => {}
                        Err(e) => {
                            reads = None;
                            log(&format!("status: {e}; trying again"));
                            shared.pause(Duration::from_secs(1));
                        }
                    }
                }
                continue;
            }
            work_on(&shared, deliveries, threads);
        }
        // The assembler stops with the rest (its last commit done).
        shared.options.stop.store(true, Ordering::Relaxed);
        if let Some(assembler) = assembler {
            if assembler.join().is_err() {
                log("the assembler stopped on a panic");
            }
        }
    });
    let c = &shared.counters;
    Ok(WorkerReport {
        analysed: c.analysed.load(Ordering::Relaxed),
        failed_attempts: c.failed_attempts.load(Ordering::Relaxed),
        failed: c.failed.load(Ordering::Relaxed),
        redelivered: c.redelivered.load(Ordering::Relaxed),
        assembled: c.assembled.load(Ordering::Relaxed),
        epochs: c.epochs.lock().map(|e| e.clone()).unwrap_or_default(),
        assembly: c.assembly.lock().map(|t| *t).unwrap_or_default(),
    })
}

/// Whether everything queued is done: nothing pending in the intake,
/// everything assembled and its stories linked.
fn all_done(shared: &Shared<'_>, reads: &mut Option<PostgresStore>) -> Result<bool, WorkerError> {
    // The intake, not the queue, says what is done: a key the queue still
    // holds for an article analysed is no work left.
    let intake = shared.intake.status()?;
    // An empty intake is not done: its ingester has not begun.
    if intake.pending > 0 || intake.received == 0 {
        return Ok(false);
    }
    if reads.is_none() {
        *reads = Some(PostgresStore::connect(&shared.options.db)?);
    }
    let Some(store) = reads.as_ref() else {
        return Ok(false);
    };
    if store.intake_through()? < intake.last_seq {
        return Ok(false);
    }
    // The assembler, caught up, re-links what is due.
    let when = match shared.options.ingest.linking {
        StoryLinking::Auto(_, when) => when,
        _ => RelinkWhen::default(),
    };
    Ok(!relink_due(store, when)?.0)
}

/// A delivery being worked on, with its attempt number.
struct InHand {
    delivery: Delivery,
    attempts: u32,
}

/// Claims, analyses and records one batch of deliveries, acknowledging
/// each once its result is committed.
fn work_on(shared: &Shared<'_>, deliveries: Vec<Delivery>, threads: usize) {
    let options = shared.options;
    let mut in_hand: Vec<InHand> = Vec::new();
    let mut articles: Vec<Article> = Vec::new();
    let keys: Vec<String> = deliveries.iter().map(|d| d.id.clone()).collect();
    let claims = match shared.intake.claim_all(&keys) {
        Ok(claims) => claims,
        Err(e) => {
            (shared.log)(&format!(
                "store: {e}; {} key(s) left to the queue",
                deliveries.len()
            ));
            for delivery in deliveries {
                settle(shared, delivery.retry(options.retry_after));
            }
            return;
        }
    };
    for (delivery, (_, claim)) in deliveries.into_iter().zip(claims) {
        match claim {
            Claim::Unknown => {
                (shared.log)(&format!(
                    "queue: {:?} is no article of the intake; dropped",
                    delivery.id
                ));
                settle(shared, delivery.give_up());
            }
            Claim::Done(_) => {
                shared.counters.redelivered.fetch_add(1, Ordering::Relaxed);
                settle(shared, delivery.ack());
            }
            Claim::Take {
                attempts, article, ..
            } => {
                let hand = InHand { delivery, attempts };
                if attempts > options.max_attempts {
                    let reason = format!(
                        "given up after {} attempts (each ended its worker before it could record why)",
                        options.max_attempts
                    );
                    attempt_failed(shared, hand, &reason);
                    continue;
                }
                match article {
                    Ok(article) => {
                        in_hand.push(hand);
                        articles.push(article);
                    }
                    Err(reason) => attempt_failed(shared, hand, &reason),
                }
            }
        }
    }
    let analysed = analyse_all(articles, threads);
    let mut done: Vec<(InHand, Document)> = Vec::with_capacity(analysed.len());
    for (hand, result) in in_hand.into_iter().zip(analysed) {
        match result {
            Ok(document) => done.push((hand, document)),
            Err(reason) => attempt_failed(shared, hand, &reason),
        }
    }
    let records: Vec<(String, &Document)> = done
        .iter()
        .map(|(hand, document)| (hand.delivery.id.clone(), document))
        .collect();
    match shared.intake.analysed_all(&records) {
        Ok(_) => {
            shared
                .counters
                .analysed
                .fetch_add(done.len() as u64, Ordering::Relaxed);
            for (hand, _) in done {
                settle(shared, hand.delivery.ack());
            }
        }
        Err(e) => {
            (shared.log)(&format!(
                "store: {e}; {} analysed article(s) left to the queue",
                done.len()
            ));
            for (hand, _) in done {
                settle(shared, hand.delivery.retry(options.retry_after));
            }
        }
    }
}

/// Records a failed attempt: the article is tried again after a while,
/// or, at its last attempt, failed for good.
fn attempt_failed(shared: &Shared<'_>, hand: InHand, reason: &str) {
    let options = shared.options;
    let give_up = hand.attempts >= options.max_attempts;
    shared
        .counters
        .failed_attempts
        .fetch_add(1, Ordering::Relaxed);
    let key = hand.delivery.id.clone();
    if let Err(e) = shared.intake.attempt_failed(&key, reason, give_up) {
        (shared.log)(&format!("store: {e}; {key} left to the queue"));
        settle(shared, hand.delivery.retry(options.retry_after));
        return;
    }
    if give_up {
        shared.counters.failed.fetch_add(1, Ordering::Relaxed);
        (shared.log)(&format!(
            "article {key} failed after {} attempt(s): {reason} (`newsdesk failed` lists it)",
            hand.attempts
        ));
        settle(shared, hand.delivery.give_up());
    } else {
        (shared.log)(&format!(
            "article {key}: attempt {} of {} failed: {reason}",
            hand.attempts, options.max_attempts
        ));
        settle(shared, hand.delivery.retry(options.retry_after));
    }
}

/// Sends an acknowledgement (of any kind); a failure is logged (the key
/// comes back after the ack wait, and its claim finds it done).
fn settle(
    shared: &Shared<'_>,
    acknowledgement: impl std::future::Future<Output = Result<(), newsdesk_queue::QueueError>>,
) {
    if let Err(e) = shared.queue.block_on(acknowledgement) {
        (shared.log)(&format!("queue: {e}"));
    }
}

/// Every article through the per-article stages on up to `threads`
/// threads, in order; an article whose analysis panics gets the panic's
/// message instead of a document (its attempt failed).
fn analyse_all(articles: Vec<Article>, threads: usize) -> Vec<Result<Document, String>> {
    let analyse = |article: Article| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyze(article))).map_err(
            |panic| {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_owned());
                format!("the analysis failed: {message}")
            },
        )
    };
    newsdesk_desk::ingest::parallel_map(articles, threads, analyse).0
}
