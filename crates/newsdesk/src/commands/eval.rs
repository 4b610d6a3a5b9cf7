//! `newsdesk eval`: score a stage on a benchmark file.

use std::path::Path;
use std::process::ExitCode;

use newsdesk_desk::evaluate;
use newsdesk_desk::ingest::{Embedder, IngestOptions};

use crate::output;

/// Clusters the file exactly as `newsdesk cluster` does (the gold field is
/// not read by the clusterer), in the order `order` asks for, and scores
/// the events against the gold.
pub fn clustering(
    file: &Path,
    threads: Option<&Path>,
    level: crate::cli::Level,
    tuning: &crate::cli::TuningArgs,
    order: &crate::cli::OrderArgs,
    ingests_of: Option<usize>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let embeddings = crate::embedding::Embeddings::load_optional(tuning.embed_model.as_deref())?;
    let options = IngestOptions {
        order: order.input_order(),
        linking: tuning.linking(),
        events: tuning.events(),
        cluster: tuning.config(),
        ..IngestOptions::default()
    };
    let level = match level {
        crate::cli::Level::Event => evaluate::Level::Event,
        crate::cli::Level::Story => evaluate::Level::Story,
    };
    if let Some(size) = ingests_of {
        if embeddings.is_some() {
            anyhow::bail!(crate::cli::Usage(
                "--ingests-of does not take --embed-model".to_owned()
            ));
        }
        return stream(file, &options, level, threads, size, json);
    }
    let (result, diagnostics) = evaluate::clustering(
        file,
        &options,
        embeddings.as_ref().map(|e| e as &dyn Embedder),
        level,
        threads,
    );
    output::diagnostics(&diagnostics);
    let result = result?;
    if json {
        output::json(&result)?;
    } else {
        let score = &result.score;
        print_prf_table(
            "metric",
            &[
                ("BCubed", score.bcubed),
                ("pairwise", score.pairwise),
                ("CEAF-e", score.ceaf_e),
            ],
        )?;
        let (unit, one) = match level {
            evaluate::Level::Event => ("events", "event"),
            evaluate::Level::Story => ("stories", "story"),
        };
        let gold = if threads.is_some() {
            "gold threads"
        } else {
            "gold clusters"
        };
        output::line(&format!(
            "{} articles, {} {gold}, {} predicted {unit}; {} of them mix two or more {gold}",
            score.items, score.gold_clusters, score.predicted_clusters, result.mixed_clusters
        ))?;
        if !result.worst.is_empty() {
            output::line(&format!("The largest that mix {gold}:"))?;
        }
        for m in &result.worst {
            output::line(&format!(
                "  {one} {} ({} articles, {} {gold}):",
                m.predicted,
                m.articles,
                m.gold.len()
            ))?;
            for g in &m.gold {
                output::line(&format!(
                    "    {} × {}: {}",
                    g.articles,
                    g.gold,
                    output::truncate(g.title.as_deref().unwrap_or("(untitled)"), 70)
                ))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `eval clustering --ingests-of N`: the store scored after each ingest.
fn stream(
    file: &Path,
    options: &IngestOptions,
    level: evaluate::Level,
    threads: Option<&Path>,
    size: usize,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let (result, diagnostics) = evaluate::clustering_stream(file, options, level, threads, size);
    output::diagnostics(&diagnostics);
    let result = result?;
    if json {
        output::json(&result)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_prf_table(
        "BCubed",
        &[
            ("final", result.last.bcubed),
            ("mean over the ingests", result.mean_bcubed),
        ],
    )?;
    output::line(&format!(
        "{} ingests of up to {} articles, {} re-linked in batch, {:.1} s; lowest F1 {:.4} after ingest {}",
        result.ingests,
        result.articles_per_ingest,
        result.batch_relinkings,
        result.seconds,
        result.lowest_bcubed_f1,
        result.lowest_after_ingest
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// A table of named precision, recall and F1 rows under `first`.
fn print_prf_table(
    first: &str,
    rows: &[(&str, newsdesk_eval::clustering::Prf)],
) -> anyhow::Result<()> {
    let mut table = output::table(&[first, "precision", "recall", "F1"]);
    for (name, prf) in rows {
        table.add_row(vec![
            (*name).to_string(),
            format!("{:.4}", prf.precision),
            format!("{:.4}", prf.recall),
            format!("{:.4}", prf.f1),
        ]);
    }
    output::print_table(&table)?;
    Ok(())
}

/// Scores near-duplicate detection on edited copies of the file's articles.
pub fn duplicates(file: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let (result, seconds, diagnostics) = evaluate::duplicates(file);
    output::diagnostics(&diagnostics);
    if json {
        output::json(&result)?;
    } else {
        output::line(&format!(
            "{} articles ({} edited copies): precision {:.4}, recall {:.4} ({} called copies, {} right) in {:.2} s",
            result.articles, result.copies, result.precision, result.recall, result.predicted, result.correct, seconds
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
