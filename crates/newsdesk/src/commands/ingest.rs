//! `newsdesk ingest`: read, analyse, cluster and store articles.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use newsdesk_desk::ingest::{Embedder, IngestOptions, Ingestor};
use newsdesk_store::StoreError;

use crate::cli::IngestArgs;
use crate::embedding::Embeddings;
use crate::output;

/// A flag set by the first SIGINT (Ctrl-C) or SIGTERM: the ingest then
/// takes no more articles, commits what it has, links the stories and
/// says so. A second signal ends the process at once (the store stays
/// consistent: each commit is one transaction).
pub(super) fn stop_on_signals() -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // Registered first, so it sees the flag as the earlier signal left
        // it: set only from the second signal on.
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))
            .context("cannot handle signals")?;
        signal_hook::flag::register(signal, Arc::clone(&stop)).context("cannot handle signals")?;
    }
    Ok(stop)
}

/// Opens an ingest session on `store` (the file `db`), taking its writer
/// lease: when another process holds it, waits for it with a message, or
/// fails with `no_wait`.
pub(super) fn open_writer<'s>(
    store: &'s mut dyn newsdesk_store::Store,
    options: IngestOptions,
    db: &Path,
    no_wait: bool,
) -> anyhow::Result<Ingestor<'s>> {
    // Tried without waiting first, so that a wait is announced.
    match store.lock_writer(false) {
        Ok(()) => {}
        Err(StoreError::Busy) if no_wait => anyhow::bail!(
            "another newsdesk is writing to {} (--no-wait); try again when it is done",
            super::store_name(db)
        ),
        Err(StoreError::Busy) => output::warn(&format!(
            "another newsdesk is writing to {}; waiting for it to finish",
            super::store_name(db)
        )),
        Err(e) => return Err(e).context("cannot open the store for writing"),
    }
    // Takes the lease (waiting, unless `options` says not to) if not held.
    Ingestor::open(store, options).context("cannot open the store for writing")
}

/// Progress is shown for ingests of more than this many inputs.
const PROGRESS_MIN_INPUTS: usize = 3;

pub fn run(db: &Path, args: &IngestArgs, json: bool) -> anyhow::Result<ExitCode> {
    if let Some(to) = &args.to {
        return super::worker::enqueue(db, args, to, json);
    }
    let stop = stop_on_signals()?;
    let options = IngestOptions {
        read: args.metadata.read_options()?,
        order: args.order.input_order(),
        linking: args.linking(),
        stop: Some(stop),
        ..IngestOptions::default()
    };
    let embeddings = Embeddings::load_optional(args.embed_model.as_deref())?;
    let mut store = super::open_store(db)?;
    let mut ingestor = open_writer(&mut *store, options, db, args.no_wait)?;
    if let Some(e) = &embeddings {
        ingestor = ingestor.with_embedder(e as &dyn Embedder);
    }
    let progress = ProgressBar::hidden();
    let report = ingestor
        .ingest_paths(&args.paths, &mut |done, total| {
            if total > PROGRESS_MIN_INPUTS && done == 0 {
                progress.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                progress.set_length(total as u64);
                progress.set_style(
                    ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
            }
            progress.set_position(done as u64);
        })
        .context("ingest stopped; articles committed before the failure are kept");
    progress.finish_and_clear();
    // The clusterer's maps (millions of small allocations for a large
    // store) would take longer to free than a small ingest takes to run,
    // and the process ends right after: their memory is left to the
    // operating system, as compilers do. The store is not in the session
    // and closes as usual.
    std::mem::forget(ingestor);
    let report = report?;
    output::diagnostics(&report.diagnostics);
    if json {
        output::json(&report)?;
    } else {
        let moved = if report.story_updates > 0 {
            format!(
                "; stories re-linked ({} article(s) changed story number)",
                report.story_updates
            )
        } else if report.awaiting_relink > 0 {
            format!(
                "; {} article(s) linked into stories as they came, until the next batch re-linking (`newsdesk repair --relink` runs it now)",
                report.awaiting_relink
            )
        } else {
            String::new()
        };
        let updated = if report.updated > 0 {
            format!(
                ", {} updated (read again with another date, outlet, address or language)",
                report.updated
            )
        } else {
            String::new()
        };
        output::line(&format!(
            "read {} article(s): {} added{updated}, {} already in the store; {} input(s) skipped; the store holds {} article(s){moved}",
            report.read, report.added, report.already_present, report.skipped, report.articles_in_store
        ))?;
    }
    if report.stopped {
        output::warn(&format!(
            "stopped by a signal: {} article(s) were stored and the stories linked; run the same ingest again to take the rest",
            report.added
        ));
        return Ok(ExitCode::from(130));
    }
    // Exit non-zero only when the user must act: nothing at all could be
    // read. Articles that were already stored count as read.
    if report.read == 0 {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
