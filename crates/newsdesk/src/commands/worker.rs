//! The scale-out mode's commands: `ingest --to`, `worker`, `failed`,
//! `status`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use newsdesk_queue::QueueUrl;
use newsdesk_store::Intake;
use newsdesk_worker::{Queue, WorkerOptions};

use crate::cli::{IngestArgs, WorkerArgs};
use crate::output;

/// The PostgreSQL URL of `--db`, or why the scale-out mode cannot run.
fn postgres_db(db: &Path) -> anyhow::Result<&str> {
    super::postgres_url(db).ok_or_else(|| {
        anyhow::anyhow!(
            "the scale-out mode needs a PostgreSQL store: give --db postgres://USER@HOST/DATABASE (not {})",
            db.display()
        )
    })
}

/// Connects to the queue at `url`.
fn connect_queue(url: &str) -> anyhow::Result<Queue> {
    let url: QueueUrl = url.parse()?;
    Queue::connect(&url).with_context(|| format!("cannot open the work queue {}", url.server))
}

/// `newsdesk ingest … --to nats://…`.
pub fn enqueue(db: &Path, args: &IngestArgs, to: &str, json: bool) -> anyhow::Result<ExitCode> {
    let url = postgres_db(db)?;
    if args.embed_model.is_some() {
        anyhow::bail!("--embed-model is not used by the scale-out mode's workers yet; ingest without --to to cluster with embeddings");
    }
    let stop = super::ingest::stop_on_signals()?;
    let queue = connect_queue(to)?;
    let intake = Intake::connect(url)
        .with_context(|| format!("cannot open the PostgreSQL store {}", super::store_name(db)))?;
    let report = newsdesk_worker::enqueue(
        &args.paths,
        &args.metadata.read_options()?,
        args.order.input_order(),
        &intake,
        &queue,
        Some(stop),
        &mut |_, _| {},
    )
    .context("queuing stopped; articles queued before the failure are kept")?;
    output::diagnostics(&report.diagnostics);
    if json {
        output::json(&report)?;
    } else {
        output::line(&format!(
            "read {} article(s): {} queued for the workers, {} queued before; {} input(s) skipped; the intake's last place is {}",
            report.read, report.queued, report.already_queued, report.skipped, report.last_seq
        ))?;
    }
    if report.stopped {
        output::warn("stopped by a signal: the articles read before it were queued; run the same ingest again to queue the rest");
        return Ok(ExitCode::from(130));
    }
    if report.read == 0 {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk worker`.
pub fn run(db: &Path, args: &WorkerArgs, json: bool) -> anyhow::Result<ExitCode> {
    let url = postgres_db(db)?;
    let queue: QueueUrl = args.from.parse()?;
    let mut options = WorkerOptions::new(url.to_owned(), queue);
    options.consumer = args.consumer.clone();
    options.threads = args.threads;
    options.batch = args.batch;
    options.max_attempts = args.max_attempts.max(1);
    options.ack_wait = std::time::Duration::from_secs(args.ack_wait.max(1));
    options.retry_after = std::time::Duration::from_secs(args.retry_after);
    options.assemble = !args.no_assemble;
    options.until_idle = args.until_idle;
    options.stop = super::ingest::stop_on_signals()?;
    let log = |line: &str| output::warn(line);
    let report = newsdesk_worker::run_worker(&options, &log)
        .with_context(|| format!("the worker on {} stopped", super::store_name(db)))?;
    if json {
        output::json(&report)?;
    } else {
        output::line(&format!(
            "analysed {} article(s) ({} failed attempt(s), {} failed for good, {} delivered again after they were done); assembled {} as the lease holder",
            report.analysed, report.failed_attempts, report.failed, report.redelivered, report.assembled
        ))?;
        if report.assembled > 0 {
            let t = report.assembly;
            output::warn(&format!(
                "assembling took {:.1} s reading the intake, {:.1} s assembling ({:.1} s clustering, {:.1} s committing), {:.1} s dropping assembled documents",
                t.reading, t.assembling, t.clustering, t.committing, t.forgetting
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk failed`.
pub fn failed(db: &Path, retry: bool, queue: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let url = postgres_db(db)?;
    let intake = Intake::connect(url)
        .with_context(|| format!("cannot open the PostgreSQL store {}", super::store_name(db)))?;
    let failures = intake.failures()?;
    if retry {
        let keys = intake.retry_failed(None)?;
        if let Some(queue) = queue {
            connect_queue(queue)?.publish(&keys, &format!(":retry{}", now_millis()))?;
            intake.published(&keys)?;
        }
        if json {
            output::json(&keys)?;
        } else {
            let how = if queue.is_some() {
                "published to the queue"
            } else {
                "the assembling worker's sweeper queues them"
            };
            output::line(&format!(
                "{} failed article(s) set to be tried again ({how})",
                keys.len()
            ))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if json {
        output::json(&failures)?;
        return Ok(ExitCode::SUCCESS);
    }
    if failures.is_empty() {
        output::line("no failed articles")?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = output::table(&["place", "key", "article", "from", "attempts", "at", "why"]);
    for f in &failures {
        table.add_row(vec![
            f.seq.to_string(),
            f.key.clone(),
            f.id.clone().unwrap_or_else(|| "(unreadable)".to_owned()),
            f.origin.clone().unwrap_or_default(),
            f.attempts.to_string(),
            f.at.clone(),
            output::truncate(f.error.as_deref().unwrap_or(""), 80),
        ]);
    }
    output::print_table(&table)?;
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk status`.
pub fn status(db: &Path, queue: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let url = postgres_db(db)?;
    let queue = queue.map(connect_queue).transpose()?;
    let status = newsdesk_worker::status(url, queue.as_ref())
        .with_context(|| format!("cannot read the status of {}", super::store_name(db)))?;
    if json {
        output::json(&status)?;
        return Ok(ExitCode::SUCCESS);
    }
    let i = &status.intake;
    let depth = status
        .queue_depth
        .map_or_else(|| "(give --queue)".to_owned(), |d| d.to_string());
    let lease = match (status.lease_held, status.lease_epoch) {
        (true, Some(epoch)) => format!("held (epoch {epoch}): a worker is assembling"),
        (false, Some(epoch)) => format!("free (last epoch {epoch}): no worker is assembling"),
        _ => "never taken".to_owned(),
    };
    output::line(&format!(
        "queue depth        {depth}
received           {} (last place {})
pending            {}
analysed           {}
failed             {}
analysed through   {}
assembled through  {}
articles in store  {}
awaiting relink    {}
writer lease       {lease}",
        i.received,
        i.last_seq,
        i.pending,
        i.analysed,
        i.failed,
        i.analysed_through,
        status.assembled_through,
        status.articles,
        status.awaiting_relink,
    ))?;
    for f in status.failed.iter().take(10) {
        output::line(&format!(
            "failed: place {} key {} ({}): {}",
            f.seq,
            f.key,
            f.origin.as_deref().unwrap_or("?"),
            f.error.as_deref().unwrap_or("")
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Milliseconds since 1970, for message ids that must be new.
fn now_millis() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}
