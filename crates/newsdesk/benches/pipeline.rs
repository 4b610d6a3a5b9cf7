//! Throughput and memory of `ingest` end to end, through the same
//! [`Ingestor`] as the command: read, the per-article stages on every
//! core, clustering, commits to an SQLite file and the batch re-linking of
//! stories, with the time of each stage.
//!
//! `cargo bench -p newsdesk --bench pipeline [-- FILE.jsonl …]`. Without
//! files it runs three ingests into fresh stores: full articles (PolNeAR's
//! development articles and the DUC 2004 pool together, 1,174 articles of
//! 4.4 KB on average), NeuS train (title and lede) and UCI headlines.
//! `--threads N` sets the analysis threads (default: one per core),
//! `--commit-every N` the articles per transaction (default 500).
//! Prints one block per ingest, then the process's peak resident memory.
//! Record results in `bench/results/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use newsdesk_desk::ingest::{IngestOptions, IngestReport, Ingestor};
use newsdesk_store::SqliteStore;

fn main() {
    let mut threads = 0;
    let mut commit_every = newsdesk_desk::ingest::COMMIT_EVERY;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--threads" {
            threads = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        } else if arg == "--commit-every" {
            commit_every = args
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(commit_every);
        } else if !arg.starts_with("--") {
            files.push(PathBuf::from(arg));
        }
    }
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval");
    let runs: Vec<(String, Vec<PathBuf>)> = if files.is_empty() {
        vec![
            (
                "full articles (PolNeAR dev + DUC 2004 pool)".to_string(),
                vec![
                    base.join("quotes/polnear_dev_articles.jsonl"),
                    base.join("clustering/duc2004_dev_pool.jsonl"),
                ],
            ),
            (
                "NeuS train".to_string(),
                vec![base.join("clustering/neus_train.jsonl")],
            ),
            (
                "UCI headlines".to_string(),
                vec![base.join("clustering/uci_headlines.jsonl")],
            ),
        ]
    } else {
        vec![("given files".to_string(), files)]
    };
    for (name, files) in runs {
        if let Some(missing) = files.iter().find(|f| !f.exists()) {
            eprintln!("skipping {name}: {} not found", missing.display());
            continue;
        }
        bench(&name, &files, threads, commit_every);
    }
    println!(
        "peak resident memory: {}",
        newsdesk_eval::resources::peak_rss()
    );
}

fn bench(name: &str, files: &[PathBuf], threads: usize, commit_every: usize) {
    println!("== {name}");
    let dir = std::env::temp_dir().join(format!("newsdesk-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let db = dir.join("bench.db");
    let _ = std::fs::remove_file(&db);
    let mut store = match SqliteStore::open(&db) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("cannot open {}: {e}", db.display());
            return;
        }
    };
    let options = IngestOptions {
        threads,
        commit_every,
        ..IngestOptions::default()
    };
    let started = Instant::now();
    let report = Ingestor::open(&mut store, options)
        .and_then(|mut ingestor| ingestor.ingest_paths(files, &mut |_, _| {}));
    let seconds = started.elapsed().as_secs_f64();
    match report {
        Ok(report) => print_report(&report, seconds, &db),
        Err(e) => eprintln!("ingest failed: {e}"),
    }
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

fn print_report(report: &IngestReport, seconds: f64, db: &Path) {
    let n = report.added;
    let t = &report.timings;
    let size = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    println!(
        "ingest         {:>8.0} articles/s ({n} in {seconds:.3} s; {} diagnostics)",
        n as f64 / seconds,
        report.diagnostics.len()
    );
    println!(
        "  analysis     {:>8.3} s summed over threads ({:.0} articles/s per thread)",
        t.analysis,
        n as f64 / t.analysis.max(1e-9)
    );
    println!("  waiting      {:>8.3} s for analysis", t.waiting);
    println!(
        "  clustering   {:>8.3} s ({:.0} articles/s)",
        t.clustering,
        n as f64 / t.clustering.max(1e-9)
    );
    println!(
        "  state        {:>8.3} s (saving the clusterer's state)",
        t.state
    );
    println!(
        "  commits      {:>8.3} s (store; file {} bytes/article)",
        t.commit,
        size / n.max(1) as u64
    );
    println!(
        "  re-linking   {:>8.3} s ({} articles changed story)",
        t.relink, report.story_updates
    );
    println!(
        "  peak resident memory so far: {}",
        newsdesk_eval::resources::peak_rss()
    );
}
