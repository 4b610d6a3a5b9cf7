//! Tagging throughput of the embedded named-entity model.
//!
//! `cargo bench -p newsdesk-entities --bench tagger` tags
//! `../shared/eval/ner/conll2003_valid.txt` (one document, as `newsdesk
//! entities --conll` does) a few times on one thread and prints megabytes
//! of text per second, the text being the tokens joined by single spaces
//! with a newline per sentence. Model loading is timed apart. Record
//! results in `bench/results/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::time::Instant;

use newsdesk_entities::{conll, Tagger};

const ROUNDS: usize = 5;

fn main() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/ner/conll2003_valid.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let start = Instant::now();
    let tagger = Tagger::embedded().expect("the embedded model loads");
    let load = start.elapsed().as_secs_f64();
    let file = conll::parse(&text, false).expect("the file parses");
    let documents: Vec<Vec<Vec<&str>>> = file
        .documents
        .iter()
        .map(|d| {
            d.iter()
                .map(|s| s.tokens.iter().map(String::as_str).collect())
                .collect()
        })
        .collect();
    let bytes: usize = file
        .sentences()
        .map(|s| s.tokens.iter().map(|t| t.len() + 1).sum::<usize>())
        .sum();
    let mut best = f64::INFINITY;
    let mut entities = 0usize;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        entities = 0;
        for document in &documents {
            let tags = tagger.tag_document(document);
            entities += tags
                .iter()
                .map(|t| newsdesk_entities::label::spans(t).len())
                .sum::<usize>();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "model load {:.3} s ({} features); tagged {} tokens, {:.2} MB of text, {} entities: best of {ROUNDS} {:.3} s = {:.2} MB/s, {:.0} tokens/s on one thread",
        load,
        tagger.feature_count(),
        file.token_count(),
        bytes as f64 / 1e6,
        entities,
        best,
        bytes as f64 / 1e6 / best,
        file.token_count() as f64 / best
    );
}
