//! Stages run over benchmark files and scored, as `newsdesk eval` reports
//! them: the stages run exactly as the front ends run them (the gold
//! fields are read by the scorer only).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use newsdesk_cluster::duplicates::{DuplicateConfig, DuplicateIndex, Fingerprint};
use newsdesk_eval::clustering::{read_gold, score, ClusteringScore};
use newsdesk_eval::duplicates::{edited_copies, DuplicateScore};
use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};
use newsdesk_model::Diagnostic;

use crate::analysis::analyze;
use crate::ingest::{cluster_inputs, Embedder, IngestOptions};

/// What is scored against a clustering file's gold clusters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Events.
    Event,
    /// Stories.
    Story,
}

/// Why a benchmark could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The gold file could not be read.
    #[error("cannot read the gold clusters of {path}: {source}")]
    Gold {
        /// The file.
        path: String,
        /// Why.
        source: newsdesk_eval::clustering::GoldError,
    },
    /// Some gold articles were never clustered (unreadable lines).
    #[error("{0} gold article(s) were not clustered (see the diagnostics)")]
    Missing(usize),
}

/// Clusters `file` exactly as `newsdesk cluster` does with `options`, and
/// scores the events (or stories) against its gold clusters; with the
/// diagnostics of reading it.
pub fn clustering(
    file: &Path,
    options: &IngestOptions,
    embedder: Option<&dyn Embedder>,
    level: Level,
) -> (Result<ClusteringScore, EvalError>, Vec<Diagnostic>) {
    let gold = match read_gold(file) {
        Ok(gold) => gold,
        Err(source) => {
            let error = EvalError::Gold {
                path: file.display().to_string(),
                source,
            };
            return (Err(error), Vec::new());
        }
    };
    let mut predicted = BTreeMap::new();
    let diagnostics = cluster_inputs(&[file.to_path_buf()], options, embedder, &mut |a| {
        let label = match level {
            Level::Event => a.event,
            Level::Story => a.story,
        };
        predicted.insert(a.id.0, label);
    });
    let mut gold_labels = Vec::with_capacity(gold.len());
    let mut predicted_labels = Vec::with_capacity(gold.len());
    let mut missing = 0usize;
    for (id, cluster) in &gold {
        match predicted.get(id) {
            Some(&label) => {
                gold_labels.push(cluster.as_str());
                predicted_labels.push(label);
            }
            None => missing += 1,
        }
    }
    if missing > 0 {
        return (Err(EvalError::Missing(missing)), diagnostics);
    }
    (Ok(score(&gold_labels, &predicted_labels)), diagnostics)
}

/// Near-duplicate detection scored on edited copies of `file`'s articles,
/// with the seconds the detection took and the diagnostics of reading.
pub fn duplicates(file: &Path) -> (DuplicateScore, f64, Vec<Diagnostic>) {
    let mut originals = Vec::new();
    let diagnostics = read_input(
        &Input::File {
            path: file.to_path_buf(),
            format: InputFormat::from_path(file),
        },
        &ReadOptions::default(),
        &mut |a| originals.push(a),
    );
    let cases = edited_copies(&originals);
    let config = DuplicateConfig::default();
    let mut index = DuplicateIndex::default();
    let start = Instant::now();
    let found: Vec<_> = cases
        .iter()
        .map(|case| {
            let doc = analyze(case.article.clone());
            let fingerprint = Fingerprint::of(&doc);
            let found = index.find(&fingerprint, &config);
            if found.is_none() {
                index.insert(doc.article.id.clone(), fingerprint, 0, 0, &config);
            }
            found.map(|m| m.original)
        })
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    (
        newsdesk_eval::duplicates::score(&cases, &found),
        seconds,
        diagnostics,
    )
}
