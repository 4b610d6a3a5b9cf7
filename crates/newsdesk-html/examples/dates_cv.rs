//! Tunes and checks the publication-date rules on a WCXB-style directory
//! whose gold has `publish_date`:
//! `cargo run --release -p newsdesk-html --example dates_cv -- DIR [show ID]`.
//!
//! Two-fold cross-validation of the headline windows: the pages are split
//! in two by a hash of their id; on each half the (before, after) windows
//! with the highest coverage at a precision of at least 0.98 are chosen
//! (the highest precision if none reaches it) and scored on the other
//! half. `show ID` prints one page's evidence and chosen date.
#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

use newsdesk_eval::extraction::read_benchmark;

const BEFORES: [usize; 5] = [0, 100, 200, 300, 400];
const AFTERS: [usize; 8] = [150, 250, 400, 600, 800, 1000, 1500, 2000];
const TARGET: f64 = 0.98;

/// FNV-1a of the id: a split that does not follow the ids' order (WCXB
/// numbers its pages roughly by source).
fn fold(id: &str) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % 2) as usize
}

/// (given, right, pages) of the windows over the pages of `fold`.
fn score(
    pages: &[(String, String, newsdesk_html::DateEvidence)],
    fold_of: Option<usize>,
    before: usize,
    after: usize,
) -> (usize, usize, usize) {
    let (mut given, mut right, mut n) = (0, 0, 0);
    for (id, gold, evidence) in pages {
        if fold_of.is_some_and(|f| fold(id) != f) {
            continue;
        }
        n += 1;
        if let Some(d) = evidence.decide(before, after) {
            given += 1;
            right += usize::from(d == *gold);
        }
    }
    (given, right, n)
}

fn line(label: &str, (given, right, n): (usize, usize, usize)) {
    println!(
        "{label}: {given} of {n} given, {right} right: precision {:.4}, coverage {:.4}",
        right as f64 / given.max(1) as f64,
        given as f64 / n.max(1) as f64
    );
}

/// CPU time of this thread so far, in nanoseconds (as the `wcxb`
/// example reads it): a shared machine's load does not count.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// CPU seconds to parse every page, to gather its date evidence (parse
/// included) and to extract it, each the fastest of three rounds: the
/// share of extraction the date rules cost.
fn time(dir: &std::path::Path) {
    let htmls: Vec<String> = read_benchmark(dir)
        .unwrap()
        .iter()
        .map(|p| newsdesk_html::decode(&p.read_html().unwrap()).into_owned())
        .collect();
    let best = |f: &dyn Fn(&str)| {
        (0..3)
            .map(|_| {
                let start = cpu_ns();
                htmls.iter().for_each(|h| f(h));
                cpu_ns().saturating_sub(start) as f64 / 1e9
            })
            .fold(f64::INFINITY, f64::min)
    };
    let parse = best(&|h| drop(dom_query::Document::from(h)));
    let evidence = best(&|h| drop(newsdesk_html::date_evidence(h)));
    let extract = best(&|h| drop(newsdesk_html::extract(h)));
    println!(
        "{} pages: parse {parse:.2} s, date evidence with parse {evidence:.2} s, extract {extract:.2} s; \
         dates beyond the parse: {:.1}% of extraction",
        htmls.len(),
        100.0 * (evidence - parse) / extract
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    if args.get(2).map(String::as_str) == Some("time") {
        return time(&dir);
    }
    let show = (args.get(2).map(String::as_str) == Some("show")).then(|| args[3].clone());
    let pages: Vec<(String, String, newsdesk_html::DateEvidence)> = read_benchmark(&dir)
        .unwrap()
        .into_iter()
        .filter(|p| p.date.is_some())
        .filter(|p| show.as_ref().is_none_or(|id| *id == p.id))
        .map(|p| {
            let html = newsdesk_html::decode(&p.read_html().unwrap()).into_owned();
            (
                p.id,
                p.date.unwrap_or_default(),
                newsdesk_html::date_evidence(&html),
            )
        })
        .collect();
    if show.is_some() {
        for (id, gold, evidence) in &pages {
            println!("{id}: gold {gold}\n{evidence:#?}");
            println!("chosen: {:?}", evidence.decide(200, 600));
        }
        return;
    }
    let mut total = (0, 0, 0);
    for test in 0..2 {
        let train = 1 - test;
        let mut best: Option<((usize, usize), bool, f64, f64)> = None;
        for before in BEFORES {
            for after in AFTERS {
                let (g, r, n) = score(&pages, Some(train), before, after);
                let precision = r as f64 / g.max(1) as f64;
                let coverage = g as f64 / n.max(1) as f64;
                let key = (
                    precision >= TARGET,
                    if precision >= TARGET {
                        coverage
                    } else {
                        precision
                    },
                );
                let better = best.is_none_or(|(_, ok, _, k)| (key.0, key.1) > (ok, k));
                if better {
                    best = Some(((before, after), key.0, precision, key.1));
                }
            }
        }
        let ((before, after), _, p, _) = best.unwrap();
        println!("fold {train}: chose before {before}, after {after} (precision there {p:.4})");
        let s = score(&pages, Some(test), before, after);
        line(&format!("  scored on fold {test}"), s);
        total = (total.0 + s.0, total.1 + s.1, total.2 + s.2);
    }
    line("cross-validated, both folds", total);
    // Every rule's pages at the windows the library uses.
    let mut rules: std::collections::BTreeMap<&str, (usize, usize, Vec<String>)> =
        Default::default();
    for (id, gold, evidence) in &pages {
        let (date, rule) = evidence.explain(200, 600);
        let e = rules.entry(rule).or_default();
        e.0 += 1;
        if let Some(d) = date {
            if d == *gold {
                e.1 += 1;
            } else {
                e.2.push(format!("{id} {d} (gold {gold})"));
            }
        }
    }
    for (rule, (n, right, wrong)) in &rules {
        println!(
            "{rule}: {n} pages, {right} right, wrong: {}",
            wrong.join(", ")
        );
    }
    for before in BEFORES {
        for after in AFTERS {
            line(
                &format!("all pages, before {before}, after {after}"),
                score(&pages, None, before, after),
            );
        }
    }
}
