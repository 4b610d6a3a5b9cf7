//! How fast the cluster stage takes in full articles, stage by stage.
//!
//! ```text
//! cargo run --release -p newsdesk-cluster --example ingest-speed -- [--repeat N] [--one-thread] [FILE]...
//! ```
//!
//! Reads the files (JSONL articles; by default PolNeAR's development
//! articles and the DUC 2004 pool under `../shared/eval/`, 1,174 full
//! articles; a missing file is skipped with a message), runs the text stage
//! (`newsdesk_text::analyze`, not timed with the rest), then times, each
//! `--repeat` times (default 3) with the fastest kept:
//!
//! - **features**: `ArticleFeatures::of` of every article, on one thread
//!   (the per-article part), and spread over all cores as a front end
//!   would (wall time; `--one-thread` leaves this out, e.g. for counting
//!   instructions with `valgrind --tool=callgrind`);
//! - **assignment**: `Clusterer::assign_features` of every article in
//!   input order, with the default configuration (the order-sensitive
//!   part);
//! - **linking**: `StoryLinker::add_features` of every article with its
//!   event, then `StoryLinker::stories` (the batch re-linking `ingest`
//!   runs).
//!
//! (Before `ArticleFeatures` existed, assignment was timed with
//! `Clusterer::assign` and linking with `StoryLinker::add`, each counting
//! the terms itself.)
//!
//! It prints the wall-clock time of each, the CPU time of the measuring
//! thread (from `/proc/thread-self/schedstat`, on Linux: on a machine
//! shared with other work it moves less than the wall clock) and articles
//! per second of CPU time, and a checksum of the events and stories, so
//! that a faster version can be checked to give the same result. Record
//! results in `bench/results/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::ops::Add;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use newsdesk_cluster::linking::{BatchLinking, StoryLinker};
use newsdesk_cluster::{ArticleFeatures, ClusterConfig, Clusterer};
use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};
use newsdesk_model::Document;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut repeat = 3usize;
    let mut spread_out = true;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--one-thread" {
            spread_out = false;
        } else if arg == "--repeat" {
            repeat = rest.next().and_then(|n| n.parse().ok()).unwrap_or(repeat);
        } else {
            files.push(PathBuf::from(arg));
        }
    }
    if files.is_empty() {
        let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval");
        files.push(eval.join("quotes/polnear_dev_articles.jsonl"));
        files.push(eval.join("clustering/duc2004_dev_pool.jsonl"));
    }
    let mut articles = Vec::new();
    for path in &files {
        if !path.exists() {
            eprintln!("skipping {}: not found", path.display());
            continue;
        }
        let input = Input::File {
            path: path.clone(),
            format: InputFormat::Jsonl,
        };
        read_input(&input, &ReadOptions::default(), &mut |a| articles.push(a));
    }
    if articles.is_empty() {
        eprintln!("no articles: nothing to measure");
        return;
    }
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let start = Instant::now();
    let docs: Vec<Document> = articles.into_iter().map(newsdesk_text::analyze).collect();
    let n = docs.len();
    println!(
        "{n} articles, {:.1} KB of text each on average; text stage {:.2} s (not counted below)",
        bytes as f64 / n as f64 / 1000.0,
        start.elapsed().as_secs_f64()
    );
    let config = ClusterConfig::default();

    let mut features = Vec::new();
    let featuring = fastest(repeat, || {
        let start = Stamp::now();
        features = docs
            .iter()
            .map(|d| ArticleFeatures::of(d, &config))
            .collect();
        start.took()
    });
    report("features (1 thread)", featuring, n);
    // The same on every core, as a front end would run them: wall time.
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let spread = fastest(repeat, || {
        if !spread_out {
            return Duration::ZERO;
        }
        let start = Instant::now();
        let chunk = n.div_ceil(threads).max(1);
        let made: usize = std::thread::scope(|scope| {
            let workers: Vec<_> = docs
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(|| {
                        part.iter()
                            .map(|d| ArticleFeatures::of(d, &config))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().map_or(0, |f| f.len()))
                .sum()
        });
        assert_eq!(made, n, "every article's features");
        start.elapsed()
    });
    if spread_out {
        println!(
            "{:<22} {:>8.1} ms wall {:>8.0} articles/s (wall)",
            format!("features ({threads} threads)"),
            spread.as_secs_f64() * 1000.0,
            n as f64 / spread.as_secs_f64()
        );
    }

    let mut events = Vec::new();
    let assignment = fastest(repeat, || {
        let mut clusterer = Clusterer::new(config);
        let start = Stamp::now();
        let assigned: Vec<_> = docs
            .iter()
            .zip(&features)
            .map(|(d, f)| clusterer.assign_features(d, f, None))
            .collect();
        let took = start.took();
        events = assigned.iter().map(|a| (a.event, a.story)).collect();
        took
    });
    report("assignment", assignment, n);

    let mut stories = Vec::new();
    let linking = fastest(repeat, || {
        let start = Stamp::now();
        let mut linker = StoryLinker::new(&config, BatchLinking::default());
        for (f, &(event, _)) in features.iter().zip(&events) {
            linker.add_features(f, event);
        }
        let added = start.took();
        stories = linker.stories();
        (start.took(), added)
    });
    report("linking", linking.0, n);
    report("  of which adding", linking.1, n);
    report("assignment + linking", assignment + linking.0, n);
    report("all, 1 thread", featuring + assignment + linking.0, n);

    let distinct = |values: &mut Vec<u64>| {
        values.sort_unstable();
        values.dedup();
        values.len()
    };
    let mut checksum = 0xcbf2_9ce4_8422_2325_u64;
    for (&(event, online), &story) in events.iter().zip(&stories) {
        for value in [event, online, story] {
            checksum = (checksum ^ value).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    println!(
        "{} events, {} online stories, {} linked stories; checksum {checksum:016x}",
        distinct(&mut events.iter().map(|e| e.0).collect()),
        distinct(&mut events.iter().map(|e| e.1).collect()),
        distinct(&mut stories.clone()),
    );
}

/// The fastest of `repeat` runs of `run`, which times itself (by CPU
/// time).
fn fastest<T: Ord + Default>(repeat: usize, mut run: impl FnMut() -> T) -> T {
    (0..repeat.max(1)).map(|_| run()).min().unwrap_or_default()
}

/// A moment, by the CPU time of this thread and the wall clock.
struct Stamp {
    cpu: Option<Duration>,
    wall: Instant,
}

/// How long something took: CPU time first, so that runs compare by it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Took {
    cpu: Duration,
    wall: Duration,
}

impl Add for Took {
    type Output = Took;

    fn add(self, other: Took) -> Took {
        Took {
            cpu: self.cpu + other.cpu,
            wall: self.wall + other.wall,
        }
    }
}

impl Stamp {
    fn now() -> Self {
        Stamp {
            cpu: thread_cpu(),
            wall: Instant::now(),
        }
    }

    fn took(&self) -> Took {
        let wall = self.wall.elapsed();
        let cpu = match (self.cpu, thread_cpu()) {
            (Some(start), Some(now)) => now.saturating_sub(start),
            _ => wall,
        };
        Took { cpu, wall }
    }
}

/// The CPU time this thread has run, where Linux tells it.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn report(what: &str, took: Took, n: usize) {
    let cpu = took.cpu.as_secs_f64();
    println!(
        "{what:<22} {:>8.1} ms CPU {:>8.1} ms wall {:>8.0} articles/s (CPU)",
        cpu * 1000.0,
        took.wall.as_secs_f64() * 1000.0,
        n as f64 / cpu
    );
}
