//! Throughput of HTML main-text extraction and of sentence splitting on
//! the WCXB development pages.
//!
//! `cargo bench -p newsdesk --bench extract [-- DIR]` (default:
//! `../shared/eval/extraction/wcxb_dev`). Pages are read and decompressed
//! first; the clock runs over parsing and extraction only, on one core,
//! then on all cores (one thread per core, each taking the next page).
//! Then the extracted texts are split into sentences, block by block, and
//! that throughput is reported in MB/s. Record results in `bench/results/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Instant;

use newsdesk_eval::extraction::read_benchmark;
use newsdesk_model::Span;

fn main() {
    let dir = newsdesk_eval::resources::bench_input("eval/extraction/wcxb_dev");
    let pages = match read_benchmark(&dir) {
        Ok(pages) => pages,
        Err(e) => {
            eprintln!("skipping the extraction bench: {e}");
            return;
        }
    };
    let htmls: Vec<Vec<u8>> = pages.iter().filter_map(|p| p.read_html().ok()).collect();
    let bytes: usize = htmls.iter().map(Vec::len).sum();
    let start = Instant::now();
    let texts: Vec<String> = htmls
        .iter()
        .map(|h| newsdesk_html::extract_bytes(h).text)
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "extract: {} pages ({:.1} MB of HTML) in {seconds:.2} s: {:.0} pages/s (one core)",
        htmls.len(),
        bytes as f64 / 1e6,
        htmls.len() as f64 / seconds
    );
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let start = Instant::now();
    let (parallel, _) = newsdesk_desk::ingest::parallel_map(htmls.iter().collect(), cores, |h| {
        newsdesk_html::extract_bytes(h).text
    });
    let seconds = start.elapsed().as_secs_f64();
    assert!(
        parallel == texts,
        "the pages extracted on {cores} threads differ"
    );
    println!(
        "extract: {} pages in {seconds:.2} s: {:.0} pages/s ({cores} cores)",
        htmls.len(),
        htmls.len() as f64 / seconds
    );
    // Sentence splitting over every paragraph of the extracted texts,
    // several rounds so the clock sees enough work.
    let rounds = 5;
    let text_bytes: usize = texts.iter().map(String::len).sum();
    let start = Instant::now();
    let mut sentences = 0usize;
    for _ in 0..rounds {
        for text in &texts {
            let mut offset = 0;
            for paragraph in text.split("\n\n") {
                let span = Span::new(offset, offset + paragraph.len());
                sentences += newsdesk_text::sentences::split(text, span).len();
                offset += paragraph.len() + 2;
            }
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "sentences: {:.1} MB x {rounds} in {seconds:.2} s: {:.1} MB/s ({} sentences per round)",
        text_bytes as f64 / 1e6,
        (text_bytes * rounds) as f64 / 1e6 / seconds,
        sentences / rounds
    );
}
