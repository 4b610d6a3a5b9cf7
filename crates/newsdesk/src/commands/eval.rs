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
    level: crate::cli::Level,
    tuning: &crate::cli::TuningArgs,
    order: &crate::cli::OrderArgs,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let embeddings = crate::embedding::Embeddings::load_optional(tuning.embed_model.as_deref())?;
    let options = IngestOptions {
        order: order.input_order(),
        linking: tuning.story_linking.linking(),
        cluster: tuning.config(),
        ..IngestOptions::default()
    };
    let level = match level {
        crate::cli::Level::Event => evaluate::Level::Event,
        crate::cli::Level::Story => evaluate::Level::Story,
    };
    let (result, diagnostics) = evaluate::clustering(
        file,
        &options,
        embeddings.as_ref().map(|e| e as &dyn Embedder),
        level,
    );
    output::diagnostics(&diagnostics);
    let result = result?;
    if json {
        output::json(&result)?;
    } else {
        let mut table = output::table(&["metric", "precision", "recall", "F1"]);
        for (name, prf) in [
            ("BCubed", result.bcubed),
            ("pairwise", result.pairwise),
            ("CEAF-e", result.ceaf_e),
        ] {
            table.add_row(vec![
                name.to_string(),
                format!("{:.4}", prf.precision),
                format!("{:.4}", prf.recall),
                format!("{:.4}", prf.f1),
            ]);
        }
        output::print_table(&table)?;
        let unit = match level {
            evaluate::Level::Event => "events",
            evaluate::Level::Story => "stories",
        };
        output::line(&format!(
            "{} articles, {} gold clusters, {} predicted {unit}",
            result.items, result.gold_clusters, result.predicted_clusters
        ))?;
    }
    Ok(ExitCode::SUCCESS)
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
