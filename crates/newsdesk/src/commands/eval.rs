//! `newsdesk eval`: score a stage on a benchmark file.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use newsdesk_cluster::{ClusterConfig, Clusterer};
use newsdesk_eval::clustering::{read_gold, score, ClusteringScore};
use newsdesk_ingest::ReadOptions;

use crate::output;
use crate::pipeline;

/// Clusters the file exactly as `newsdesk cluster` does (the gold field is
/// not read by the clusterer) and scores the events against the gold.
pub fn clustering(file: &Path, config: ClusterConfig, json: bool) -> anyhow::Result<ExitCode> {
    let gold = read_gold(file)
        .with_context(|| format!("cannot read the gold clusters of {}", file.display()))?;
    let mut clusterer = Clusterer::new(config);
    let mut predicted = std::collections::BTreeMap::new();
    let diagnostics = pipeline::cluster_inputs(
        &[file.to_path_buf()],
        &ReadOptions::default(),
        &mut clusterer,
        &mut |a| {
            predicted.insert(a.id.0, a.event);
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
        for (name, prf) in [("BCubed", result.bcubed), ("pairwise", result.pairwise)] {
            table.add_row(vec![
                name.to_string(),
                format!("{:.4}", prf.precision),
                format!("{:.4}", prf.recall),
                format!("{:.4}", prf.f1),
            ]);
        }
        output::print_table(&table)?;
        output::line(&format!(
            "{} articles, {} gold events, {} predicted events",
            result.items, result.gold_clusters, result.predicted_clusters
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
