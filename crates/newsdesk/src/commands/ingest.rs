//! `newsdesk ingest`: read, analyse, cluster and store articles.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use newsdesk_cluster::linking::{BatchLinking, StoryLinker};
use newsdesk_cluster::{ClusterConfig, Clusterer};
use newsdesk_model::{ArticleId, Severity};
use newsdesk_store::{CommitReport, IngestBatch, Store};
use serde::Serialize;

use crate::cli::IngestArgs;
use crate::embedding::Embeddings;
use crate::output;
use crate::pipeline;

/// Articles per transaction: each commit stores its articles, their
/// assignments and the clusterer's state together, so the store is always
/// consistent, and memory stays bounded on large ingests.
const COMMIT_EVERY: usize = 500;

/// Progress is shown for ingests of more than this many inputs.
const PROGRESS_MIN_INPUTS: usize = 3;

#[derive(Debug, Default, Serialize)]
struct IngestReport {
    read: usize,
    added: usize,
    already_present: usize,
    skipped: usize,
    warnings: usize,
    /// Articles whose story number changed when the store's events were
    /// linked into stories in batch after the ingest (this ingest's
    /// articles included: they are first stored with their online story).
    story_updates: usize,
    articles_in_store: u64,
    diagnostics: Vec<newsdesk_model::Diagnostic>,
}

pub fn run(db: &Path, args: &IngestArgs, json: bool) -> anyhow::Result<ExitCode> {
    let options = pipeline::read_options(&args.metadata)?;
    let embeddings = Embeddings::load_optional(args.embed_model.as_deref())?;
    let mut store = super::open_store(db)?;
    let mut clusterer = match store.cluster_state()? {
        Some(bytes) => Clusterer::from_bytes(&bytes).context("the store's clustering state")?,
        None => Clusterer::new(ClusterConfig::default()),
    };
    let mut report = IngestReport::default();
    let mut batch = IngestBatch::default();
    let mut seen_in_run: BTreeSet<ArticleId> = BTreeSet::new();
    let mut failure: Option<anyhow::Error> = None;
    let progress = ProgressBar::hidden();
    let mut embedding_warnings = Vec::new();

    let mut handle = |article: newsdesk_model::Article| {
        if failure.is_some() {
            return;
        }
        report.read += 1;
        if !seen_in_run.insert(article.id.clone()) {
            report.already_present += 1;
            return;
        }
        match store.existing_ids(std::slice::from_ref(&article.id)) {
            Ok(existing) if !existing.is_empty() => {
                report.already_present += 1;
                return;
            }
            Ok(_) => {}
            Err(e) => {
                failure = Some(e.into());
                return;
            }
        }
        let doc = pipeline::analyze(article);
        let assignment = clusterer.assign_embedded_with(&doc, |doc| {
            embeddings
                .as_ref()
                .and_then(|e| e.of(doc, &mut embedding_warnings))
        });
        batch.documents.push(doc);
        batch.assignments.push(assignment);
        if batch.documents.len() >= COMMIT_EVERY {
            if let Err(e) = commit(&mut store, &mut batch, &clusterer, &mut report) {
                failure = Some(e);
            }
        }
    };
    let mut diagnostics = pipeline::read_in_order(
        &args.paths,
        &options,
        &args.order,
        |done, total| {
            if total > PROGRESS_MIN_INPUTS && done == 0 {
                progress.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                progress.set_length(total as u64);
                progress.set_style(
                    ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
            }
            progress.set_position(done as u64);
        },
        &mut handle,
    );
    progress.finish_and_clear();
    diagnostics.append(&mut embedding_warnings);
    if let Some(e) = failure {
        return Err(e.context("ingest stopped; articles committed before the failure are kept"));
    }
    commit(&mut store, &mut batch, &clusterer, &mut report)?;
    if report.added > 0 && args.story_linking == crate::cli::StoryLinkingArg::Batch {
        report.story_updates = relink(&mut store, clusterer.config())
            .context("cannot link the store's events into stories")?;
    }
    report.skipped = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    report.warnings = diagnostics.len() - report.skipped;
    report.articles_in_store = store.article_count()?;
    output::diagnostics(&diagnostics);
    report.diagnostics = diagnostics;
    if json {
        output::json(&report)?;
    } else {
        let moved = if report.story_updates > 0 {
            format!(
                "; stories re-linked ({} article(s) changed story number)",
                report.story_updates
            )
        } else {
            String::new()
        };
        output::line(&format!(
            "read {} article(s): {} added, {} already in the store; {} input(s) skipped; the store holds {} article(s){moved}",
            report.read, report.added, report.already_present, report.skipped, report.articles_in_store
        ))?;
    }
    // Exit non-zero only when the user must act: nothing at all could be
    // read. Articles that were already stored count as read.
    if report.read == 0 {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Articles read back from the store at a time when re-linking.
const RELINK_CHUNK: usize = 1000;

/// Links every event in the store into stories in one batch
/// ([`StoryLinker`], over the stored documents in ingest order) and stores
/// the stories that changed, in one transaction; returns how many articles
/// changed story number. The stories are then those a single batch ingest
/// of the same articles in the same order would give. Every stored
/// document is read back and its terms counted again: the cost grows with
/// the store, not with the ingest (`--story-linking online` skips it).
fn relink(store: &mut dyn Store, config: &ClusterConfig) -> anyhow::Result<usize> {
    let index = store.index()?;
    let mut linker = StoryLinker::new(config, BatchLinking::default());
    for chunk in index.chunks(RELINK_CHUNK) {
        let ids: Vec<ArticleId> = chunk.iter().map(|e| e.id.clone()).collect();
        let documents = store.documents(&ids)?;
        if documents.len() != chunk.len() {
            anyhow::bail!("the store lost articles while they were being re-linked");
        }
        for (entry, doc) in chunk.iter().zip(&documents) {
            linker.add(doc, entry.event);
        }
    }
    let stories: Vec<(ArticleId, u64)> = index
        .into_iter()
        .zip(linker.stories())
        .filter(|(entry, story)| entry.story != *story)
        .map(|(entry, story)| (entry.id, story))
        .collect();
    let moved = stories.len();
    if moved > 0 {
        store.commit(&IngestBatch {
            stories,
            ..IngestBatch::default()
        })?;
    }
    Ok(moved)
}

fn commit(
    store: &mut dyn Store,
    batch: &mut IngestBatch,
    clusterer: &Clusterer,
    report: &mut IngestReport,
) -> anyhow::Result<()> {
    if batch.documents.is_empty() {
        return Ok(());
    }
    batch.cluster_state = Some(clusterer.to_bytes());
    let CommitReport {
        added,
        already_present,
    } = store.commit(batch).context("cannot write to the store")?;
    report.added += added;
    report.already_present += already_present;
    *batch = IngestBatch::default();
    Ok(())
}
