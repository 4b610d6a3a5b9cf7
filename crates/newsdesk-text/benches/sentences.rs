//! Throughput of sentence splitting and normalisation on one core, over
//! generated news-like text (abbreviations, initials, decimals, quotes,
//! ellipses, curly quotes and dashes), so that the bench needs no data.
//!
//! `cargo bench -p newsdesk-text --bench sentences [-- MEGABYTES]`
//! (default 16). Prints megabytes per second, best of several passes, for
//! [`split`] alone (the figure the 50 MB/s target is about), for
//! [`Normalized::new`] and for both together as [`analyze`] runs them.
//! Record results in `bench/results/`.
#![allow(clippy::print_stdout, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use newsdesk_model::Span;
use newsdesk_text::normalize::Normalized;
use newsdesk_text::sentences::split;

/// Pieces of news prose; a fixed-seed generator strings them together.
const PIECES: &[&str] = &[
    "The council met on Monday and voted 27 to 14 for the new tram line.",
    "Mr. Brandt said the U.S. Embassy would stay open until 5 p.m. on Friday.",
    "Growth was 2.75 per cent in the third quarter, according to the bank.",
    "“We will not leave,” the mayor said. “This is our town.”",
    "J. R. Smith, a spokesman for Acme Corp., declined to comment.",
    "Talks went on… and on. Nobody knew what would come next.",
    "Gen. Varga — who arrived late — spoke for 40 minutes.",
    "\"Is it over?\" she asked. (It was not.)",
    "Prices rose by 3.5% in Jan. The rise surprised analysts at No. 10.",
    "Floods closed the bridge over the river, and traffic stopped for hours!",
    "The U.N. Security Council will meet again in the spring, officials said.",
    "Refugees crossed the border at dawn; many carried only a bag each.",
];

fn generate(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 256);
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut in_paragraph = 0;
    while text.len() < bytes {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        in_paragraph += 1;
        if in_paragraph == 5 {
            text.push('\n');
            in_paragraph = 0;
        } else {
            text.push(' ');
        }
    }
    text
}

/// The lines of `text` as spans, as the cleaner would give them.
fn lines(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        spans.push(Span::new(start, start + trimmed.len()));
        start += line.len();
    }
    spans
}

/// Best time over a few passes of `f`.
fn best(passes: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut out = 0;
    for _ in 0..passes {
        let start = Instant::now();
        out = black_box(f());
        best = best.min(start.elapsed());
    }
    (best, out)
}

/// Prints one line; `what` names the count that `f` returned.
fn report(name: &str, what: &str, bytes: usize, (time, count): (Duration, usize)) {
    let mb = bytes as f64 / 1e6;
    println!(
        "{name:<22} {mb:8.1} MB  {:8.1} ms  {:8.1} MB/s  ({count} {what})",
        time.as_secs_f64() * 1e3,
        mb / time.as_secs_f64()
    );
}

fn main() {
    let megabytes: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(16);
    let text = generate(megabytes * 1_000_000);
    let blocks = lines(&text);
    let passes = 5;
    println!(
        "generated news-like text: {} bytes, {} lines",
        text.len(),
        blocks.len()
    );

    report(
        "split",
        "sentences",
        text.len(),
        best(passes, || {
            blocks.iter().map(|b| split(&text, *b).len()).sum()
        }),
    );
    report(
        "normalize",
        "bytes out",
        text.len(),
        best(passes, || Normalized::new(&text).as_str().len()),
    );
    report(
        "normalize + split",
        "sentences",
        text.len(),
        best(passes, || {
            let normalized = Normalized::new(&text);
            let norm = normalized.as_str();
            lines(norm)
                .iter()
                .flat_map(|b| split(norm, *b))
                .map(|s| normalized.original_span(s).len())
                .filter(|&n| n > 0)
                .count()
        }),
    );
    let ascii: String = text
        .chars()
        .map(|c| if c.is_ascii() { c } else { '"' })
        .collect();
    report(
        "normalize (ASCII)",
        "bytes out",
        ascii.len(),
        best(passes, || Normalized::new(&ascii).as_str().len()),
    );
}
