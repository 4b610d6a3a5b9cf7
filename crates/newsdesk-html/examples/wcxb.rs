//! Scores the extractor on a WCXB-style directory and lists the worst
//! pages: `cargo run --release -p newsdesk-html --example wcxb -- DIR [MODE] [ARG]`.
//!
//! Modes: `smoothie` scores dom_smoothie alone; `type T` lists the worst
//! pages of type `T`; `show ID` prints one page's extracted and gold text;
//! `scores` prints `id type f1` for every page (to compare two runs);
//! `dump OUT` writes each page's text to `OUT/ID.txt`.
#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

use std::time::Instant;

use newsdesk_eval::extraction::{read_benchmark, score, summarize};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let mode = args.get(2).map(String::as_str).unwrap_or("");
    let arg = args.get(3).map(String::as_str).unwrap_or("article");
    let smoothie = mode == "smoothie";
    let mut pages = read_benchmark(&dir).unwrap();
    if mode == "show" {
        pages.retain(|p| p.id == arg);
    }
    let htmls: Vec<String> = pages
        .iter()
        .map(|p| newsdesk_html::decode(&p.read_html().unwrap()).into_owned())
        .collect();
    let start = Instant::now();
    let cpu_start = cpu_ns();
    let texts: Vec<String> = htmls
        .iter()
        .map(|h| {
            if smoothie {
                dom_smoothie::Readability::new(h.as_str(), None, None)
                    .ok()
                    .and_then(|mut r| r.parse().ok())
                    .map(|a| a.text_content.to_string())
                    .unwrap_or_default()
            } else {
                newsdesk_html::extract(h).text
            }
        })
        .collect();
    let secs = start.elapsed().as_secs_f64();
    let cpu_secs = (cpu_ns() - cpu_start) as f64 / 1e9;
    if mode == "show" {
        for (p, t) in pages.iter().zip(&texts) {
            let s = score(t, &p.gold);
            println!("==== EXTRACTED ({:?}) ====\n{t}", s);
            println!("==== GOLD ====\n{}", p.gold);
        }
        return;
    }
    let mut rows = Vec::new();
    for (p, t) in pages.iter().zip(&texts) {
        let s = score(t, &p.gold);
        rows.push((p.id.clone(), p.page_type.clone().unwrap_or_default(), s));
    }
    if mode == "dump" {
        // Writes each page's extracted text to `ARG/ID.txt`.
        std::fs::create_dir_all(arg).unwrap();
        for (p, t) in pages.iter().zip(&texts) {
            std::fs::write(format!("{arg}/{}.txt", p.id), t).unwrap();
        }
        return;
    }
    if mode == "scores" {
        for (id, t, s) in &rows {
            println!("{id} {t} {:.4} {:.4} {:.4}", s.f1, s.precision, s.recall);
        }
        return;
    }
    let report = summarize(rows.iter().map(|(_, t, s)| (Some(t.as_str()), *s)));
    let wanted = if mode == "type" { arg } else { "article" };
    let mut worst: Vec<_> = rows.iter().filter(|r| r.1 == wanted).collect();
    worst.sort_by(|a, b| a.2.f1.partial_cmp(&b.2.f1).unwrap());
    for (id, t, s) in worst.iter().take(25) {
        println!(
            "{id} {t} P {:.3} R {:.3} F {:.3}",
            s.precision, s.recall, s.f1
        );
    }
    for (t, s) in &report.by_type {
        println!(
            "{t:14} {:4} P {:.4} R {:.4} F1 {:.4}",
            s.pages, s.mean.precision, s.mean.recall, s.mean.f1
        );
    }
    let a = &report.all;
    println!(
        "{:14} {:4} P {:.4} R {:.4} F1 {:.4}",
        "all", a.pages, a.mean.precision, a.mean.recall, a.mean.f1
    );
    let parse = Instant::now();
    for h in &htmls {
        let _ = dom_query::Document::from(h.as_str());
    }
    println!(
        "{:.1} pages/s, {:.1} pages per CPU second (parse alone {:.1} pages/s)",
        pages.len() as f64 / secs,
        pages.len() as f64 / cpu_secs,
        pages.len() as f64 / parse.elapsed().as_secs_f64()
    );
}

/// Nanoseconds this thread has run on a CPU (Linux; 0 elsewhere): a
/// throughput measure that other processes' load does not distort.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
