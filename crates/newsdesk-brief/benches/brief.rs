//! Time to brief a 200-article story, on one core.
//!
//! `cargo bench -p newsdesk-brief --bench brief [-- FILE]` (default:
//! `../shared/eval/summarization/duc2004_dev.jsonl`). The articles of all
//! clusters, in order, are taken as one story of 200 articles (a worst case:
//! many sub-topics, thousands of sentences). Prints the sentence count, the
//! time of `from_documents` (dating every sentence) and of `brief` (best of
//! several runs) and the peak RSS. Record results in `bench/results/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Instant;

use newsdesk_brief::{brief, from_documents, Config};
use newsdesk_eval::summarization::Cluster;
use newsdesk_model::Document;
use newsdesk_time::DatedDocument;

const ARTICLES: usize = 200;

fn main() {
    let file = newsdesk_eval::resources::bench_input("eval/summarization/duc2004_dev.jsonl");
    let Ok(text) = std::fs::read_to_string(&file) else {
        eprintln!("skipping: cannot read {}", file.display());
        return;
    };
    let docs: Vec<Document> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Cluster>(l).ok())
        .flat_map(|c| c.documents)
        .take(ARTICLES)
        .map(|d| d.to_document())
        .collect();
    let sentence_count: usize = docs.iter().map(|d| d.sentences.len()).sum();
    println!("{} articles, {sentence_count} sentences", docs.len());
    let config = Config::default();
    let mut best_sources = f64::MAX;
    let mut best_brief = f64::MAX;
    let mut chosen = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let dated: Vec<DatedDocument> = docs.iter().cloned().map(DatedDocument::new).collect();
        let refs: Vec<&DatedDocument> = dated.iter().collect();
        let sources = from_documents(&refs);
        best_sources = best_sources.min(started.elapsed().as_secs_f64());
        let started = Instant::now();
        let b = brief(&sources, &config);
        best_brief = best_brief.min(started.elapsed().as_secs_f64());
        chosen = b.sentences.len();
    }
    println!(
        "from_documents (dating sentences): {:.1} ms; brief: {:.1} ms ({chosen} sentences); total {:.1} ms",
        best_sources * 1e3,
        best_brief * 1e3,
        (best_sources + best_brief) * 1e3
    );
    println!("peak RSS {}", newsdesk_eval::resources::peak_rss());
}
