//! Learns the pair decision of order-free events ([`newsdesk_cluster::events`])
//! on a training benchmark and scores the events it gives on others.
//!
//! ```text
//! cargo run --release -p newsdesk-cluster --example train-pairs -- TRAIN [EVAL...]
//! ```
//!
//! TRAIN and each EVAL are clustering benchmarks (JSONL with a gold
//! `cluster`), e.g. `../shared/eval/clustering/neus_train.jsonl`. For each
//! IDF exponent and neighbour count, it fits the logistic model on
//! TRAIN's candidate pairs, picks the threshold that clusters TRAIN best,
//! and prints BCubed P/R/F1 on every file at a few thresholds.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use newsdesk_cluster::events::{
    group_events, pair_table, PairModel, PAIR_FEATURES, PAIR_FEATURE_NAMES,
};
use newsdesk_cluster::merge::logistic;
use newsdesk_cluster::{ArticleFeatures, ClusterConfig};
use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};

struct Set {
    name: String,
    ids: Vec<String>,
    gold: Vec<String>,
    features: Vec<ArticleFeatures>,
}

fn load(file: &Path) -> Set {
    let gold: std::collections::HashMap<String, String> =
        match newsdesk_eval::clustering::read_gold(file) {
            Ok(gold) => gold.into_iter().collect(),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
    let mut articles = Vec::new();
    let _ = read_input(
        &Input::File {
            path: file.to_path_buf(),
            format: InputFormat::from_path(file),
        },
        &ReadOptions::default(),
        &mut |a| articles.push(a),
    );
    let config = ClusterConfig::default();
    let mut set = Set {
        name: file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        ids: Vec::new(),
        gold: Vec::new(),
        features: Vec::new(),
    };
    for a in articles {
        let doc = newsdesk_text::analyze(a);
        let id = doc.article.id.0.clone();
        let Some(g) = gold.get(&id) else { continue };
        set.gold.push(g.clone());
        set.features.push(ArticleFeatures::of(&doc, &config));
        set.ids.push(id);
    }
    set
}

/// BCubed (precision, recall, F1), the number of predicted events and
/// how many of them mix gold events.
fn score(set: &Set, model: &PairModel) -> (f64, f64, f64, usize, usize) {
    let items: Vec<(&str, &ArticleFeatures)> = set
        .ids
        .iter()
        .map(String::as_str)
        .zip(&set.features)
        .collect();
    let events = group_events(&items, &[], model);
    let gold: Vec<&str> = set.gold.iter().map(String::as_str).collect();
    let b = newsdesk_eval::clustering::bcubed(&gold, &events);
    let count = events
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let mixed = newsdesk_eval::clustering::mixed(&gold, &events).len();
    (b.precision, b.recall, b.f1, count, mixed)
}

fn main() {
    let files: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let Some((train, evals)) = files.split_first() else {
        eprintln!("usage: train-pairs TRAIN [EVAL...]");
        std::process::exit(2);
    };
    let train = load(train);
    let evals: Vec<Set> = evals.iter().map(|f| load(f)).collect();
    let exponents: Vec<f64> = std::env::var("IDF").ok().map_or(vec![0.25, 0.5, 1.0], |v| {
        v.split(',').filter_map(|x| x.parse().ok()).collect()
    });
    let counts: Vec<usize> = std::env::var("K").ok().map_or(vec![5, 10, 20], |v| {
        v.split(',').filter_map(|x| x.parse().ok()).collect()
    });
    let thresholds: Vec<f64> = std::env::var("T")
        .ok()
        .map_or(vec![0.2, 0.3, 0.4, 0.5, 0.6], |v| {
            v.split(',').filter_map(|x| x.parse().ok()).collect()
        });
    for &idf in &exponents {
        for &k in &counts {
            let items: Vec<(&str, &ArticleFeatures)> = train
                .ids
                .iter()
                .map(String::as_str)
                .zip(&train.features)
                .collect();
            let table = pair_table(&items, idf, k, PairModel::default().time);
            // MASK=i,j,...: measurements left out (weight 0).
            let mask: Vec<usize> = std::env::var("MASK").ok().map_or(Vec::new(), |v| {
                v.split(',').filter_map(|x| x.parse().ok()).collect()
            });
            let masked: Vec<[f64; PAIR_FEATURES]> = table
                .pairs
                .iter()
                .map(|(_, _, f, _)| {
                    let mut f = *f;
                    for &i in &mask {
                        if i < PAIR_FEATURES {
                            f[i] = 0.0;
                        }
                    }
                    f
                })
                .collect();
            let rows: Vec<(&[f64], bool)> = table
                .pairs
                .iter()
                .zip(&masked)
                .map(|((a, b, _, _), f)| (f.as_slice(), train.gold[*a] == train.gold[*b]))
                .collect();
            let positives = rows.iter().filter(|r| r.1).count();
            let (bias, w) = logistic(&rows, 1.0);
            let mut weights = [0.0; PAIR_FEATURES];
            weights.copy_from_slice(&w);
            println!(
                "idf {idf} k {k}: {} pairs, {positives} positive; bias {bias:.3}",
                rows.len()
            );
            println!("  bias {bias:?} weights {weights:?}");
            for (name, w) in PAIR_FEATURE_NAMES.iter().zip(&weights) {
                println!("    {w:>8.3}  {name}");
            }
            for &t in &thresholds {
                let model = PairModel {
                    bias,
                    weights,
                    threshold: t,
                    floor: env("FLOOR", 0.0),
                    idf_exponent: idf,
                    neighbours: k,
                    short_terms: env("SHORT", 14.0) as usize,
                    short_cosine: env("SHORTCOS", 0.3),
                    long_terms: env("LONG", 69.0) as usize,
                    long_cosine: env("LONGCOS", 0.25),
                    time: newsdesk_cluster::events::Decay {
                        grace_days: 1.0,
                        sigma_days: env("SIGMA", 0.5),
                    },
                };
                let mut line = format!("  t {t:.2}");
                for set in std::iter::once(&train).chain(&evals) {
                    let (p, r, f1, events, mixed) = score(set, &model);
                    line.push_str(&format!(
                        " | {} P {p:.3} R {r:.3} F1 {f1:.3} ({events}, {mixed} mixed)",
                        set.name
                    ));
                }
                println!("{line}");
            }
        }
    }
}

fn env(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
