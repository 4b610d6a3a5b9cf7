//! Briefs of DUC-style clusters for tuning, without building the whole
//! binary:
//!
//! ```text
//! cargo run --release -p newsdesk-brief --example duc_briefs -- \
//!     FILE (OUT.jsonl | --write-briefs OUT.jsonl) [--words N] [--whole] [--tune key=value,...]
//! ```
//!
//! writes one line per cluster, `{"cluster_id", "sentences": [{"text",
//! "cited"}]}`, the same sentences as `newsdesk eval brief --write-briefs`
//! (the last sentence may run over, for a scorer that cuts at the budget;
//! `--whole` keeps to whole sentences, as a reader's brief does). Weights
//! are named as in [`Weights::set`]. `scripts/rouge-duc --newsdesk WRAPPER`
//! scores them, WRAPPER being a script that drops `eval brief` and runs
//! this example with the rest of its arguments.
//!
//! [`Weights::set`]: newsdesk_brief::select::Weights::set
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;

use newsdesk_brief::{brief, from_documents, Budget, Config};
use newsdesk_eval::summarization::Cluster;
use newsdesk_time::DatedDocument;

/// The flags followed by a value.
const VALUE_FLAGS: &[&str] = &["--write-briefs", "--words", "--tune"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let positional: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            let after_value_flag = i
                .checked_sub(1)
                .is_some_and(|j| VALUE_FLAGS.contains(&args[j].as_str()));
            !a.starts_with("--") && !after_value_flag
        })
        .map(|(_, a)| a)
        .collect();
    let out = flag("--write-briefs").or_else(|| positional.get(1).map(|s| s.to_string()));
    let (Some(file), Some(out)) = (positional.first(), out) else {
        eprintln!("usage: duc_briefs FILE (OUT.jsonl | --write-briefs OUT.jsonl) [--words N] [--tune key=value,...]");
        std::process::exit(2);
    };
    let words = flag("--words").and_then(|w| w.parse().ok()).unwrap_or(100);
    let mut config = Config {
        budget: Budget::Words(words),
        run_over: !args.iter().any(|a| a == "--whole"),
        ..Config::default()
    };
    if let Some(spec) = flag("--tune") {
        for kv in spec.split(',').filter(|kv| !kv.trim().is_empty()) {
            let parsed = kv
                .split_once('=')
                .and_then(|(k, v)| Some((k.trim(), v.trim().parse::<f64>().ok()?)));
            let Some((k, v)) = parsed else {
                eprintln!("--tune: `{kv}` is not key=number");
                std::process::exit(2);
            };
            if k == "min_support" {
                config.min_support = v;
            } else if let Err(e) = config.weights.set(k, v) {
                eprintln!("--tune: {e}");
                std::process::exit(2);
            }
        }
    }
    let text = std::fs::read_to_string(file).expect("read the clusters");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&out).expect("create the output"));
    for cluster in text
        .lines()
        .filter_map(|l| serde_json::from_str::<Cluster>(l).ok())
    {
        let docs: Vec<DatedDocument> = cluster
            .to_documents()
            .into_iter()
            .map(DatedDocument::new)
            .collect();
        let refs: Vec<&DatedDocument> = docs.iter().collect();
        let b = brief(&from_documents(&refs), &config);
        let line = serde_json::json!({
            "cluster_id": cluster.cluster_id,
            "sentences": b.sentences.iter().map(|s| serde_json::json!({
                "text": s.text,
                "cited": s.citations.iter().map(|c| (c.article.as_str(), c.support)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        });
        writeln!(w, "{line}").expect("write");
    }
}
