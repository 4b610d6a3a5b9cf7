//! Throughput of the temporal expression tagger on the TBAQ-cleaned text
//! (TimeBank and AQUAINT, tags stripped), on one core.
//!
//! `cargo bench -p newsdesk --bench timex [-- DIR]` (default:
//! `../shared/eval/timex`). Prints the text size, the expressions found and
//! megabytes per second (best of several passes). Record results in
//! `bench/results/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use newsdesk_eval::timex::parse_tml;
use newsdesk_model::Date;
use newsdesk_time::timex::tagger;

fn tml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            tml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "tml") {
            out.push(path);
        }
    }
}

fn main() {
    let dir = newsdesk_eval::resources::bench_input("eval/timex");
    let mut files = Vec::new();
    tml_files(&dir, &mut files);
    files.sort();
    if files.is_empty() {
        eprintln!("skipping: no .tml files under {}", dir.display());
        return;
    }
    let docs: Vec<(String, Option<Date>)> = files
        .iter()
        .filter_map(|f| {
            let doc = parse_tml(&std::fs::read_to_string(f).ok()?).ok()?;
            let dct = doc.dct.as_deref().and_then(|d| d.get(..10)?.parse().ok());
            Some((doc.text, dct))
        })
        .collect();
    let bytes: usize = docs.iter().map(|(t, _)| t.len()).sum();
    let started = Instant::now();
    let _ = tagger(); // compile the rules outside the timing
    println!(
        "rules compiled in {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let mut best = f64::INFINITY;
    let mut found = 0;
    for _ in 0..5 {
        let started = Instant::now();
        found = docs
            .iter()
            .map(|(text, dct)| tagger().tag(text, *dct).len())
            .sum();
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "timex: {} documents, {:.2} MB, {found} expressions, {:.1} ms, {:.1} MB/s",
        docs.len(),
        bytes as f64 / 1e6,
        best * 1e3,
        bytes as f64 / 1e6 / best
    );
}
