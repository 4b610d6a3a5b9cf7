//! Articles per second of the whole one-article analysis (`newsdesk
//! analyze`): the text stage, time expressions and sentence dates,
//! entities, figures, quotes, paraphrases and contradiction claims, on one
//! core.
//!
//! `cargo bench -p newsdesk --bench analysis [-- FILE.jsonl]` (default:
//! `../shared/eval/clustering/neus_val.jsonl`). Prints articles/s per stage
//! and for all of them, and the peak RSS. Record results in `bench/results/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Instant;

use newsdesk_desk::analysis::{speaker_names, ArticleAnalysis};
use newsdesk_entities::Analyzer;
use newsdesk_model::Article;

fn main() {
    let file = newsdesk_eval::resources::bench_input("eval/clustering/neus_val.jsonl");
    let Ok(text) = std::fs::read_to_string(&file) else {
        eprintln!("skipping: cannot read {}", file.display());
        return;
    };
    let articles: Vec<Article> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            let mut a = Article::new(v["text"].as_str().unwrap_or(""));
            a.title = v["title"].as_str().map(str::to_string);
            a.date = v["date"].as_str().and_then(|d| d.get(..10)?.parse().ok());
            a
        })
        .collect();
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let Ok(analyzer) = Analyzer::new() else {
        eprintln!("the embedded entity model cannot be read");
        return;
    };
    let mut best = f64::MAX;
    let (mut figures, mut quotes, mut claims) = (0, 0, 0);
    for _ in 0..3 {
        let started = Instant::now();
        figures = 0;
        quotes = 0;
        claims = 0;
        for article in &articles {
            let Ok(found) = ArticleAnalysis::of(article.clone(), &analyzer) else {
                eprintln!("the analysis failed");
                return;
            };
            figures += found.figures.len();
            quotes += found.quotes.len() + found.paraphrases.len();
            // Contradiction claims, as the story's fact table reads them.
            let Ok(names) = speaker_names(&found.entities) else {
                return;
            };
            let doc = found.document();
            let sentences: Vec<_> = doc.sentences.iter().map(|s| s.span).collect();
            let dates: Vec<Option<String>> = found
                .dated
                .sentence_dates()
                .iter()
                .map(|d| d.as_ref().map(|d| d.value.clone()))
                .collect();
            claims += newsdesk_facts::contradictions::claims(
                &doc.article.text,
                &sentences,
                &dates,
                &names,
            )
            .len();
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "{} articles, {:.2} MB: text + times + entities + figures + quotes in {:.2} s = {:.0} articles/s ({:.2} MB/s); {figures} figures, {quotes} quotes and paraphrases, {claims} claims",
        articles.len(),
        bytes as f64 / 1e6,
        best,
        articles.len() as f64 / best,
        bytes as f64 / 1e6 / best
    );
    println!("peak RSS {}", newsdesk_eval::resources::peak_rss());
}
