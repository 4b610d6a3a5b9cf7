//! Entity analysis throughput on whole articles.
//!
//! `cargo bench -p newsdesk-entities --bench articles` reads the texts of
//! `../shared/eval/clustering/neus_val.jsonl` (news articles, one JSON
//! object a line with a `text` field), runs the text stage once (not
//! timed), then times [`Analyzer::story`] over all of them as one story on
//! one thread: tokenising, tagging, the rule layer, grouping within
//! articles and merging across them. Prints megabytes of article text per
//! second. Record results in `bench/results/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::time::Instant;

use newsdesk_entities::Analyzer;
use newsdesk_model::Article;

const ROUNDS: usize = 3;

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/eval/clustering/neus_val.jsonl");
    let Ok(jsonl) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let documents: Vec<_> = jsonl
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .map(|text| newsdesk_text::analyze(Article::new(text)))
        .collect();
    let bytes: usize = documents.iter().map(|d| d.article.text.len()).sum();
    let analyzer = Analyzer::new().expect("the embedded model loads");
    let refs: Vec<_> = documents.iter().collect();
    // Articles one by one (the cost that grows with the store), then the
    // whole file as one story (adds the pairwise merge).
    let mut best_articles = f64::INFINITY;
    let mut best_story = f64::INFINITY;
    let mut count = 0;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        count = refs
            .iter()
            .map(|d| analyzer.article(d).len())
            .sum::<usize>();
        best_articles = best_articles.min(start.elapsed().as_secs_f64());
        let start = Instant::now();
        let entities = analyzer.story(&refs);
        best_story = best_story.min(start.elapsed().as_secs_f64());
        std::hint::black_box(entities);
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "{} articles, {:.2} MB, {count} article entities: per article {:.2} MB/s ({:.3} s); as one story {:.2} MB/s ({:.3} s)",
        documents.len(),
        mb,
        mb / best_articles,
        best_articles,
        mb / best_story,
        best_story
    );
}
