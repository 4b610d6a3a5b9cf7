//! Throughput and memory of the ingest pipeline on the development data:
//! reading JSONL, the text stage, clustering, and a full ingest into an
//! SQLite file.
//!
//! `cargo bench -p newsdesk --bench pipeline [-- FILE.jsonl …]` (default:
//! `../shared/eval/clustering/neus_train.jsonl` and `uci_headlines.jsonl`).
//! Prints one line per stage with articles per second, then the process's
//! peak resident memory. Record results in `bench/results/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use newsdesk_cluster::{ClusterConfig, Clusterer};
use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};
use newsdesk_model::{Article, Document};
use newsdesk_store::{IngestBatch, SqliteStore, Store};

fn main() {
    let args: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let files = if args.is_empty() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/clustering");
        vec![
            base.join("neus_train.jsonl"),
            base.join("uci_headlines.jsonl"),
        ]
    } else {
        args
    };
    for file in files {
        if !file.exists() {
            eprintln!("skipping {}: not found", file.display());
            continue;
        }
        bench_file(&file);
    }
    println!(
        "peak resident memory: {}",
        newsdesk_eval::resources::peak_rss()
    );
}

fn rate(n: usize, seconds: f64) -> String {
    format!(
        "{:>9.0} articles/s ({n} in {seconds:.3} s)",
        n as f64 / seconds
    )
}

fn bench_file(file: &Path) {
    println!("== {}", file.display());
    let input = Input::File {
        path: file.to_path_buf(),
        format: InputFormat::Jsonl,
    };
    let start = Instant::now();
    let mut articles: Vec<Article> = Vec::new();
    let diagnostics = read_input(&input, &ReadOptions::default(), &mut |a| articles.push(a));
    let n = articles.len();
    println!(
        "read JSONL     {} ({} diagnostics)",
        rate(n, start.elapsed().as_secs_f64()),
        diagnostics.len()
    );

    let start = Instant::now();
    let docs: Vec<Document> = articles.into_iter().map(newsdesk_text::analyze).collect();
    println!("text stage     {}", rate(n, start.elapsed().as_secs_f64()));

    let start = Instant::now();
    let mut clusterer = Clusterer::new(ClusterConfig::default());
    let assignments: Vec<_> = docs.iter().map(|d| clusterer.assign(d)).collect();
    let seconds = start.elapsed().as_secs_f64();
    let state = clusterer.to_bytes().len();
    println!(
        "cluster        {} state {} bytes/article",
        rate(n, seconds),
        state / n.max(1)
    );

    let dir = std::env::temp_dir().join(format!("newsdesk-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let db = dir.join("bench.db");
    let _ = std::fs::remove_file(&db);
    let start = Instant::now();
    match SqliteStore::open(&db) {
        Ok(mut store) => {
            for (docs, assignments) in docs.chunks(500).zip(assignments.chunks(500)) {
                let batch = IngestBatch {
                    documents: docs.to_vec(),
                    assignments: assignments.to_vec(),
                    cluster_state: Some(clusterer.to_bytes()),
                    stories: Vec::new(),
                };
                if let Err(e) = store.commit(&batch) {
                    eprintln!("commit failed: {e}");
                    break;
                }
            }
            let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
            println!(
                "store commit   {} file {} bytes/article",
                rate(n, start.elapsed().as_secs_f64()),
                size / n.max(1) as u64
            );
        }
        Err(e) => eprintln!("cannot open {}: {e}", db.display()),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
