//! `newsdesk eval`: score a stage on a benchmark file.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use newsdesk_desk::ingest::{cluster_inputs, Embedder, IngestOptions};
use newsdesk_eval::clustering::{read_gold, score, ClusteringScore};

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
    let gold = read_gold(file)
        .with_context(|| format!("cannot read the gold clusters of {}", file.display()))?;
    let embeddings = crate::embedding::Embeddings::load_optional(tuning.embed_model.as_deref())?;
    let options = IngestOptions {
        order: order.input_order(),
        linking: tuning.story_linking.linking(),
        cluster: tuning.config(),
        ..IngestOptions::default()
    };
    let mut predicted = std::collections::BTreeMap::new();
    let diagnostics = cluster_inputs(
        &[file.to_path_buf()],
        &options,
        embeddings.as_ref().map(|e| e as &dyn Embedder),
        &mut |a| {
            predicted.insert(
                a.id.0,
                match level {
                    crate::cli::Level::Event => a.event,
                    crate::cli::Level::Story => a.story,
                },
            );
        },
    );
    output::diagnostics(&diagnostics);
    let mut gold_labels = Vec::with_capacity(gold.len());
    let mut predicted_labels = Vec::with_capacity(gold.len());
    let mut missing = 0usize;
    for (id, cluster) in &gold {
        match predicted.get(id) {
            Some(&event) => {
                gold_labels.push(cluster.as_str());
                predicted_labels.push(event);
            }
            None => missing += 1,
        }
    }
    if missing > 0 {
        anyhow::bail!("{missing} gold article(s) were not clustered (see the messages above)");
    }
    let result: ClusteringScore = score(&gold_labels, &predicted_labels);
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
            crate::cli::Level::Event => "events",
            crate::cli::Level::Story => "stories",
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
    use newsdesk_cluster::duplicates::{DuplicateConfig, DuplicateIndex, Fingerprint};
    use newsdesk_eval::duplicates::{edited_copies, score};

    let mut originals = Vec::new();
    let diagnostics = newsdesk_ingest::read_input(
        &newsdesk_ingest::Input::File {
            path: file.to_path_buf(),
            format: newsdesk_ingest::InputFormat::from_path(file),
        },
        &newsdesk_ingest::ReadOptions::default(),
        &mut |a| originals.push(a),
    );
    output::diagnostics(&diagnostics);
    let cases = edited_copies(&originals);
    let config = DuplicateConfig::default();
    let mut index = DuplicateIndex::default();
    let start = std::time::Instant::now();
    let found: Vec<_> = cases
        .iter()
        .map(|case| {
            let doc = newsdesk_desk::analysis::analyze(case.article.clone());
            let fingerprint = Fingerprint::of(&doc);
            let found = index.find(&fingerprint, &config);
            if found.is_none() {
                index.insert(doc.article.id.clone(), fingerprint, 0, 0, &config);
            }
            found.map(|m| m.original)
        })
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    let result = score(&cases, &found);
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
