//! An experiment for order-free events (issue 20): every article its own
//! unit, grouped by batch average-link ([`StoryLinker`]) with event-level
//! thresholds, scored against the gold events as given and shuffled.
//!
//! ```text
//! cargo run --release -p newsdesk-cluster --example batch-events -- [--online] FILE [AVG,FLOOR,ANCHOR]...
//! ```
//!
//! With `--online`, the units are the online clusterer's events (in each
//! order) rather than single articles: the batch pass then only merges
//! events that one order split (0 as AVG leaves them as they are).
//!
//! FILE is a clustering benchmark (JSONL with a gold `cluster`), e.g.
//! `../shared/eval/clustering/neus_val.jsonl`. Each triple is one setting
//! (default: a small grid). Prints BCubed P/R/F1 for the listed order and
//! for three seeded shuffles. Batch grouping depends only on the articles,
//! not their order, apart from exact ties: the shuffled scores show it.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use newsdesk_cluster::linking::{BatchLinking, StoryLinker};
use newsdesk_cluster::{ArticleFeatures, ClusterConfig};
use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let online = args.peek().is_some_and(|a| a == "--online");
    if online {
        args.next();
    }
    let Some(file) = args.next().map(PathBuf::from) else {
        eprintln!("usage: batch-events FILE [AVG,FLOOR,ANCHOR]...");
        std::process::exit(2);
    };
    let mut settings: Vec<(f64, f64, f64)> = args
        .filter_map(|a| {
            let v: Vec<f64> = a.split(',').filter_map(|x| x.parse().ok()).collect();
            (v.len() == 3).then(|| (v[0], v[1], v[2]))
        })
        .collect();
    if settings.is_empty() {
        for avg in [0.1, 0.15, 0.2, 0.25, 0.3] {
            for floor in [0.0, 0.05] {
                settings.push((avg, floor, 0.0));
            }
        }
    }
    let gold: std::collections::BTreeMap<String, String> =
        match newsdesk_eval::clustering::read_gold(&file) {
            Ok(gold) => gold.into_iter().collect(),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
    let mut articles = Vec::new();
    let _ = read_input(
        &Input::File {
            path: file.clone(),
            format: InputFormat::from_path(&file),
        },
        &ReadOptions::default(),
        &mut |a| articles.push(a),
    );
    let config = ClusterConfig::default();
    let docs: Vec<newsdesk_model::Document> =
        articles.into_iter().map(newsdesk_text::analyze).collect();
    let features: Vec<(String, ArticleFeatures)> = docs
        .iter()
        .map(|doc| {
            let f = ArticleFeatures::for_linking(doc, &config);
            (doc.article.id.0.clone(), f)
        })
        .collect();
    let clustered: Vec<ArticleFeatures> = docs
        .iter()
        .map(|d| ArticleFeatures::of(d, &config))
        .collect();
    for (avg, floor, anchor) in settings {
        let linking = BatchLinking {
            average_threshold: avg,
            complete_floor: floor,
            anchor_threshold: anchor,
            lede_anchor_threshold: anchor,
            max_gap_days: 3,
            ..BatchLinking::default()
        };
        let mut line = format!("avg {avg:.3} floor {floor:.3} anchor {anchor:.3}:");
        for seed in [0u64, 1, 2, 3] {
            let mut order: Vec<usize> = (0..features.len()).collect();
            if seed > 0 {
                shuffle(&mut order, seed);
            }
            let units: Vec<u64> = if online {
                let mut clusterer = newsdesk_cluster::Clusterer::new(config);
                order
                    .iter()
                    .map(|&i| {
                        clusterer
                            .assign_features(&docs[i], &clustered[i], None)
                            .event
                    })
                    .collect()
            } else {
                (1..=order.len() as u64).collect()
            };
            let groups = if avg <= 0.0 {
                units.clone()
            } else {
                let mut linker = StoryLinker::new(&config, linking);
                for (k, &i) in order.iter().enumerate() {
                    linker.add_features(&features[i].1, units[k]);
                }
                linker.stories()
            };
            let mut g = Vec::new();
            let mut p = Vec::new();
            for (k, &i) in order.iter().enumerate() {
                if let Some(cluster) = gold.get(&features[i].0) {
                    g.push(cluster.as_str());
                    p.push(groups[k]);
                }
            }
            let s = newsdesk_eval::clustering::score(&g, &p);
            line.push_str(&format!(
                " {} P {:.3} R {:.3} F1 {:.3} ({})",
                if seed == 0 { "listed" } else { "| shuffled" },
                s.bcubed.precision,
                s.bcubed.recall,
                s.bcubed.f1,
                s.predicted_clusters
            ));
        }
        println!("{line}");
    }
}

/// A seeded Fisher–Yates shuffle (xorshift).
fn shuffle(items: &mut [usize], seed: u64) {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = (state % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}
