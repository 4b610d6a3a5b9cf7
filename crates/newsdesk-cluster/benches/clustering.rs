//! Clustering throughput, state size and quality.
//!
//! `cargo bench -p newsdesk-cluster --bench clustering` runs:
//! 1. each development set in `../shared/eval/clustering/` once: articles
//!    per second of the cluster stage (text stage excluded), bytes of saved
//!    state per article, and BCubed F1 of the events against the gold;
//! 2. a synthetic stream of `--stream N` articles (default 100,000) made by
//!    repeating the dev sets with new ids and dates shifted by 30 days per
//!    repetition, with the cost per article measured in each stretch of
//!    10,000, so that any growth of per-article cost with corpus size shows;
//! 3. batch story linking (`newsdesk_cluster::linking`) of each set's
//!    events, and of the whole stream's, with its time and story-level
//!    BCubed F1 (`--no-stream-linking` leaves out the stream's).
//!
//! Record results in `bench/results/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::time::Instant;

use newsdesk_cluster::linking::{BatchLinking, StoryLinker};
use newsdesk_cluster::{ClusterConfig, Clusterer, EventDecision};
use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};
use newsdesk_model::{ArticleId, Document};

const SETS: &[&str] = &[
    "uci_headlines.jsonl",
    "neus_train.jsonl",
    "neus_val.jsonl",
    "duc2004_dev_pool.jsonl",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let stream_len = args
        .iter()
        .position(|a| a == "--stream")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000usize);
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/clustering");
    let mut all: Vec<Document> = Vec::new();
    // Per set: name, first index in `all`, length, events, gold; linked in
    // batch after the stream, so that the stream's peak RSS is the online
    // clusterer's alone.
    let mut linked_sets = Vec::new();
    for name in SETS {
        let path = base.join(name);
        if !path.exists() {
            eprintln!("skipping {name}: not found");
            continue;
        }
        let docs = load(&path);
        let gold = newsdesk_eval::clustering::read_gold(&path).unwrap_or_default();
        let start = Instant::now();
        let mut clusterer = Clusterer::new(config());
        let assignments: Vec<_> = docs.iter().map(|d| clusterer.assign(d)).collect();
        let seconds = start.elapsed().as_secs_f64();
        let state = clusterer.to_bytes().len();
        let predicted: std::collections::BTreeMap<&str, u64> = assignments
            .iter()
            .map(|a| (a.id.as_str(), a.event))
            .collect();
        let (g, p): (Vec<&str>, Vec<u64>) = gold
            .iter()
            .filter_map(|(id, c)| predicted.get(id.as_str()).map(|&e| (c.as_str(), e)))
            .unzip();
        let score = newsdesk_eval::clustering::score(&g, &p);
        let stories: std::collections::BTreeMap<&str, u64> = assignments
            .iter()
            .map(|a| (a.id.as_str(), a.story))
            .collect();
        let (gs, ps): (Vec<&str>, Vec<u64>) = gold
            .iter()
            .filter_map(|(id, c)| stories.get(id.as_str()).map(|&e| (c.as_str(), e)))
            .unzip();
        let story_score = newsdesk_eval::clustering::score(&gs, &ps);
        println!(
            "{name:<24} {:>6} articles {:>9.0} articles/s {:>6} bytes state/article  BCubed F1 {:.4} (stories as events: {:.4})",
            docs.len(),
            docs.len() as f64 / seconds,
            state / docs.len().max(1),
            score.bcubed.f1,
            story_score.bcubed.f1
        );
        let events: Vec<u64> = assignments.iter().map(|a| a.event).collect();
        linked_sets.push((*name, all.len(), docs.len(), events, gold));
        all.extend(docs);
    }
    if all.is_empty() {
        return;
    }
    println!("synthetic stream of {stream_len} articles (dev sets repeated, new ids, dates +30 days per round):");
    // Repeated articles would be folded as duplicates of their first round;
    // detection is off here so that every article is clustered (its own
    // speed is measured by `newsdesk eval duplicates`).
    let mut config = config();
    config.duplicates.window = 0;
    let mut clusterer = Clusterer::new(config);
    let mut stretch_start = Instant::now();
    let mut total = 0.0;
    let stream_doc = |i: usize| {
        let round = i / all.len();
        let mut doc = all[i % all.len()].clone();
        doc.article.id = ArticleId(format!("{}-r{round}", doc.article.id));
        if let Some(date) = doc.article.date {
            doc.article.date = date
                .checked_add(jiff::Span::new().days(30 * round as i64))
                .ok();
        }
        doc
    };
    let mut events = Vec::with_capacity(stream_len);
    for i in 0..stream_len {
        let doc = stream_doc(i);
        events.push(clusterer.assign(&doc).event);
        if (i + 1) % 10_000 == 0 {
            let seconds = stretch_start.elapsed().as_secs_f64();
            total += seconds;
            println!(
                "  {:>7} articles: last 10,000 at {:>7.0} articles/s, {:.1} µs/article; state {:.0} bytes/article",
                i + 1,
                10_000.0 / seconds,
                seconds * 100.0,
                clusterer.to_bytes().len() as f64 / (i + 1) as f64
            );
            stretch_start = Instant::now();
        }
    }
    println!(
        "  overall {:.0} articles/s; peak RSS {}",
        stream_len as f64 / total.max(1e-9),
        newsdesk_eval::resources::peak_rss()
    );
    println!("batch story linking (newsdesk_cluster::linking) of each set's events:");
    for (name, first, len, events, gold) in &linked_sets {
        let docs = &all[*first..*first + *len];
        let start = Instant::now();
        let mut linker = StoryLinker::new(&config, BatchLinking::default());
        for (doc, &event) in docs.iter().zip(events) {
            linker.add(doc, event);
        }
        let stories = linker.stories();
        let seconds = start.elapsed().as_secs_f64();
        let linked: std::collections::BTreeMap<&str, u64> = docs
            .iter()
            .map(|d| d.article.id.as_str())
            .zip(stories)
            .collect();
        let (gs, ps): (Vec<&str>, Vec<u64>) = gold
            .iter()
            .filter_map(|(id, c)| linked.get(id.as_str()).map(|&s| (c.as_str(), s)))
            .unzip();
        println!(
            "  {name:<24} {:>8.1} ms ({:>7.0} articles/s)  stories BCubed F1 {:.4}",
            seconds * 1000.0,
            docs.len() as f64 / seconds,
            newsdesk_eval::clustering::score(&gs, &ps).bcubed.f1
        );
    }
    if args.iter().any(|a| a == "--no-stream-linking") {
        return;
    }
    let start = Instant::now();
    let mut linker = StoryLinker::new(clusterer.config(), BatchLinking::default());
    for (i, &event) in events.iter().enumerate() {
        linker.add(&stream_doc(i), event);
    }
    let stories = linker.stories();
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "  batch story linking of the stream: {} stories in {:.1} s ({:.0} articles/s); peak RSS {}",
        stories.iter().max().copied().unwrap_or(0),
        seconds,
        stream_len as f64 / seconds,
        newsdesk_eval::resources::peak_rss()
    );
}

/// The default configuration, with overrides from the environment for
/// tuning runs (`ND_EVENT_THRESHOLD`, `ND_EVENT_SIGMA`, `ND_EVENT_GRACE`,
/// `ND_LENGTH_EXPONENT`, `ND_REFERENCE_TERMS`, `ND_STORY_THRESHOLD`,
/// `ND_STORY_AVERAGE`, `ND_STORY_CENTROID_MIN_AVERAGE`, `ND_STORY_SIGMA`, `ND_STORY_GRACE`; `ND_EVENT_DECISION=learned` or
/// `threshold`).
/// Picks one tunable number out of a configuration.
type Field = fn(&mut ClusterConfig) -> &mut f64;

fn config() -> ClusterConfig {
    let mut config = ClusterConfig::default();
    let fields: [(&str, Field); 10] = [
        ("ND_EVENT_THRESHOLD", |c| &mut c.event_threshold),
        ("ND_EVENT_SIGMA", |c| &mut c.event_sigma_days),
        ("ND_EVENT_GRACE", |c| &mut c.event_grace_days),
        ("ND_LENGTH_EXPONENT", |c| &mut c.length_exponent),
        ("ND_REFERENCE_TERMS", |c| &mut c.reference_terms),
        ("ND_STORY_THRESHOLD", |c| &mut c.story_threshold),
        ("ND_STORY_AVERAGE", |c| &mut c.story_average_threshold),
        ("ND_STORY_CENTROID_MIN_AVERAGE", |c| {
            &mut c.story_centroid_min_average
        }),
        ("ND_STORY_SIGMA", |c| &mut c.story_sigma_days),
        ("ND_STORY_GRACE", |c| &mut c.story_grace_days),
    ];
    for (name, field) in fields {
        if let Some(v) = std::env::var(name).ok().and_then(|v| v.parse::<f64>().ok()) {
            *field(&mut config) = v;
        }
    }
    match std::env::var("ND_EVENT_DECISION").as_deref() {
        Ok("learned") => config.event_decision = EventDecision::Learned,
        Ok("threshold") => config.event_decision = EventDecision::Threshold,
        _ => {}
    }
    config
}

fn load(path: &Path) -> Vec<Document> {
    let mut articles = Vec::new();
    let input = Input::File {
        path: path.to_path_buf(),
        format: InputFormat::Jsonl,
    };
    read_input(&input, &ReadOptions::default(), &mut |a| articles.push(a));
    articles.into_iter().map(newsdesk_text::analyze).collect()
}
