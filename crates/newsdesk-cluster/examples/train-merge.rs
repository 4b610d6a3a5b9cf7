//! Trains the learned merge decision (`newsdesk_cluster::merge`) and tunes
//! its threshold.
//!
//! ```text
//! cargo run --release -p newsdesk-cluster --example train-merge -- \
//!     ../shared/eval/clustering/neus_train.jsonl [--check FILE]... [--ridge R] \
//!     [--drop I,J] [--embeddings FILE]... [--orders K] [--idf-exponent E] [--write]
//! ```
//!
//! The first file (with a gold `cluster` field) is replayed in order with
//! its gold events to collect (article, candidate event) pairs; a logistic
//! regression is fitted to them and its threshold chosen by clustering the
//! same file and maximising BCubed F1. Each `--check` file is then
//! clustered with the threshold decision and the learned one, and scored.
//! `--drop` leaves out measurements (0-based, as in `FEATURE_NAMES`);
//! `--write` stores the weights in `src/merge/weights.rs`.
//!
//! The benchmark files list each gold event's articles together, an order
//! no real stream keeps. `--orders K` also replays the training file in K
//! seeded shuffles (`newsdesk_eval::clustering::shuffled_order`, seeds 1 to
//! K), pools their pairs, and picks the threshold that clusters best on
//! average over all the orders. Check files are scored in their own order
//! and shuffled (seed 1).
//!
//! With `--embeddings` (lines of `ID<TAB>v1 v2 …`, as the `embed-jsonl`
//! example of `newsdesk-embed` writes them, for the training and check
//! articles) every article comes with its sentence embedding: the model is
//! the one for embedded articles, written to `src/merge/weights_embedded.rs`.
//!
//! `--idf-exponent E` (default 1) measures the pairs, and clusters, with
//! the inverse document frequency raised to E; the model keeps E
//! (`MergeModel::idf_exponent`) and measures with it when it decides.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use newsdesk_cluster::merge::{self, MergeModel, FEATURE_NAMES};
use newsdesk_cluster::{ClusterConfig, Clusterer, EventDecision};
use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};
use newsdesk_model::Document;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut train: Option<PathBuf> = None;
    let mut checks: Vec<PathBuf> = Vec::new();
    let mut ridge = 1.0;
    let mut write = false;
    let mut min_average = 0.0;
    let mut dropped: Vec<usize> = Vec::new();
    let mut embedding_files: Vec<PathBuf> = Vec::new();
    let mut shuffles = 0u64;
    let mut idf_exponent = 1.0;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--check" => checks.extend(rest.next().map(PathBuf::from)),
            "--ridge" => ridge = rest.next().and_then(|r| r.parse().ok()).unwrap_or(ridge),
            "--write" => write = true,
            "--orders" => shuffles = rest.next().and_then(|k| k.parse().ok()).unwrap_or(0),
            "--idf-exponent" => {
                idf_exponent = rest.next().and_then(|e| e.parse().ok()).unwrap_or(1.0);
            }
            "--embeddings" => embedding_files.extend(rest.next().map(PathBuf::from)),
            "--min-average" => {
                min_average = rest.next().and_then(|r| r.parse().ok()).unwrap_or(0.0);
            }
            "--drop" => dropped.extend(
                rest.next()
                    .into_iter()
                    .flat_map(|d| d.split(','))
                    .filter_map(|i| i.parse::<usize>().ok()),
            ),
            _ => train = Some(PathBuf::from(arg)),
        }
    }
    let Some(train) = train else {
        eprintln!("usage: train-merge TRAIN.jsonl [--check FILE]... [--ridge R] [--write]");
        return ExitCode::from(2);
    };
    let Some((docs, gold)) = load(&train) else {
        return ExitCode::FAILURE;
    };
    let embeddings = match read_embeddings(&embedding_files) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let embedded = !embedding_files.is_empty();
    let vectors = |docs: &[Document]| -> Option<Vec<Vec<f32>>> {
        embedded.then(|| {
            docs.iter()
                .map(|d| embeddings.get(&d.article.id.0).cloned().unwrap_or_default())
                .collect()
        })
    };
    // The training file in its own order, then in each shuffle.
    let replays: Vec<Replay> = (0..=shuffles)
        .map(|seed| Replay::new(&docs, &gold, vectors(&docs), seed))
        .collect();
    let mut samples = Vec::new();
    for (n, replay) in replays.iter().enumerate() {
        // Each replay's articles are numbered apart from the others', so
        // that `merge::fit` counts every article of every order once.
        samples.extend(
            merge::training_samples(
                training_config(idf_exponent),
                &replay.docs,
                &replay.labels(),
                replay.vectors.as_deref(),
            )
            .into_iter()
            .map(|sample| merge::Sample {
                article: sample.article + n * docs.len(),
                ..sample
            }),
        );
    }
    // A dropped measurement is constant, so it gets no weight.
    for sample in &mut samples {
        for &i in &dropped {
            if let Some(f) = sample.features.get_mut(i) {
                *f = 0.0;
            }
        }
    }
    let positives = samples.iter().filter(|s| s.joins).count();
    println!(
        "{} pairs ({positives} positive) from {} articles in {} orders",
        samples.len(),
        docs.len(),
        replays.len()
    );
    let mut model = MergeModel {
        min_average,
        idf_exponent,
        ..merge::fit(&samples, ridge)
    };
    // The threshold that clusters the training set best, on average over
    // its orders.
    let mut best = (0.0, model.threshold);
    for step in 1..40 {
        let threshold = f64::from(step) * 0.025;
        let config = learned(MergeModel { threshold, ..model }, embedded);
        let f1 = replays
            .iter()
            .map(|r| bcubed(&r.docs, &r.labels(), r.vectors.as_deref(), config, false))
            .sum::<f64>()
            / replays.len() as f64;
        println!("threshold {threshold:.2}: BCubed F1 {f1:.4}");
        if f1 > best.0 {
            best = (f1, threshold);
        }
    }
    model.threshold = best.1;
    println!("bias {:+.6}", model.bias);
    for (name, w) in FEATURE_NAMES.iter().zip(&model.weights) {
        println!("{w:+12.6}  {name}");
    }
    println!(
        "threshold {:.2} (train BCubed F1 {:.4}); articles of {} to {} terms",
        model.threshold, best.0, model.terms[0], model.terms[1]
    );
    for path in &checks {
        let Some((docs, gold)) = load(path) else {
            return ExitCode::FAILURE;
        };
        for seed in [0, 1] {
            let check = Replay::new(&docs, &gold, vectors(&docs), seed);
            let labels = check.labels();
            let order = if seed == 0 { "" } else { ", shuffled" };
            for level in [false, true] {
                println!(
                    "{} {}{order}: threshold {:.4}, learned {:.4}",
                    path.display(),
                    if level { "stories" } else { "events" },
                    bcubed(&check.docs, &labels, None, threshold_decision(), level),
                    bcubed(
                        &check.docs,
                        &labels,
                        check.vectors.as_deref(),
                        learned(model, embedded),
                        level
                    ),
                );
            }
        }
    }
    if write {
        let file = if embedded {
            "src/merge/weights_embedded.rs"
        } else {
            "src/merge/weights.rs"
        };
        let target = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        if let Err(e) = std::fs::write(&target, source(&model, embedded)) {
            eprintln!("cannot write {}: {e}", target.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", target.display());
    }
    ExitCode::SUCCESS
}

/// A file's articles in one order: their own (seed 0) or a seeded shuffle.
struct Replay {
    docs: Vec<Document>,
    gold: Vec<String>,
    vectors: Option<Vec<Vec<f32>>>,
}

impl Replay {
    fn new(docs: &[Document], gold: &[String], vectors: Option<Vec<Vec<f32>>>, seed: u64) -> Self {
        let order: Vec<usize> = if seed == 0 {
            (0..docs.len()).collect()
        } else {
            newsdesk_eval::clustering::shuffled_order(docs.len(), seed)
        };
        Replay {
            docs: order.iter().map(|&i| docs[i].clone()).collect(),
            gold: order.iter().map(|&i| gold[i].clone()).collect(),
            vectors: vectors.map(|v| order.iter().map(|&i| v[i].clone()).collect()),
        }
    }

    fn labels(&self) -> Vec<&str> {
        self.gold.iter().map(String::as_str).collect()
    }
}

/// The default configuration, with both merge models measuring in IDF
/// raised to `idf_exponent` (the model being trained decides which one
/// the replay reads).
fn training_config(idf_exponent: f64) -> ClusterConfig {
    let config = ClusterConfig::default();
    ClusterConfig {
        merge: MergeModel {
            idf_exponent,
            ..config.merge
        },
        merge_embedded: MergeModel {
            idf_exponent,
            ..config.merge_embedded
        },
        ..config
    }
}

fn threshold_decision() -> ClusterConfig {
    ClusterConfig {
        event_decision: EventDecision::Threshold,
        ..ClusterConfig::default()
    }
}

fn learned(model: MergeModel, embedded: bool) -> ClusterConfig {
    let config = ClusterConfig {
        event_decision: EventDecision::Learned,
        ..ClusterConfig::default()
    };
    if embedded {
        ClusterConfig {
            merge_embedded: model,
            ..config
        }
    } else {
        ClusterConfig {
            merge: model,
            ..config
        }
    }
}

/// Sentence embeddings by article id, from `ID<TAB>v1 v2 …` lines.
fn read_embeddings(files: &[PathBuf]) -> Result<HashMap<String, Vec<f32>>, String> {
    let mut found = HashMap::new();
    for file in files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        for (number, line) in text.lines().enumerate() {
            let Some((id, values)) = line.split_once('\t') else {
                return Err(format!(
                    "{}:{}: no tab after the id",
                    file.display(),
                    number + 1
                ));
            };
            let vector: Result<Vec<f32>, _> = values.split(' ').map(str::parse).collect();
            let vector = vector.map_err(|e| format!("{}:{}: {e}", file.display(), number + 1))?;
            found.insert(id.to_owned(), vector);
        }
    }
    Ok(found)
}

/// BCubed F1 of the events (or stories) of `config` on `docs` (with
/// `embeddings`, one per document, when given).
fn bcubed(
    docs: &[Document],
    gold: &[&str],
    embeddings: Option<&[Vec<f32>]>,
    config: ClusterConfig,
    stories: bool,
) -> f64 {
    let mut clusterer = Clusterer::new(config);
    let predicted: Vec<u64> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let embedding = embeddings.and_then(|e| e.get(i)).map(Vec::as_slice);
            let a = clusterer.assign_embedded(d, embedding);
            if stories {
                a.story
            } else {
                a.event
            }
        })
        .collect();
    newsdesk_eval::clustering::score(gold, &predicted).bcubed.f1
}

/// The documents of a JSONL file, in order, with their gold events.
fn load(path: &Path) -> Option<(Vec<Document>, Vec<String>)> {
    let gold: BTreeMap<String, String> = match newsdesk_eval::clustering::read_gold(path) {
        Ok(gold) => gold.into_iter().collect(),
        Err(e) => {
            eprintln!("cannot read the gold of {}: {e}", path.display());
            return None;
        }
    };
    let mut articles = Vec::new();
    let input = Input::File {
        path: path.to_path_buf(),
        format: InputFormat::Jsonl,
    };
    read_input(&input, &ReadOptions::default(), &mut |a| articles.push(a));
    let docs: Vec<Document> = articles.into_iter().map(newsdesk_text::analyze).collect();
    let labels: Option<Vec<String>> = docs
        .iter()
        .map(|d| gold.get(&d.article.id.0).cloned())
        .collect();
    let Some(labels) = labels else {
        eprintln!("{}: an article has no gold event", path.display());
        return None;
    };
    Some((docs, labels))
}

/// `src/merge/weights.rs` (or `weights_embedded.rs`) for `model`.
fn source(model: &MergeModel, embedded: bool) -> String {
    let mut out = if embedded {
        String::from(
            "//! Weights of the learned merge decision for articles with sentence\n\
             //! embeddings (all-MiniLM-L6-v2). Generated by\n\
             //! `cargo run --release -p newsdesk-cluster --example train-merge --\n\
             //! ../shared/eval/clustering/neus_train.jsonl --embeddings FILE \\\n\
             //! --idf-exponent E --write` (E as in IDF_EXPONENT below), FILE from\n\
             //! `cargo run --release -p newsdesk-embed --example embed-jsonl --\n\
             //! ../shared/eval/clustering/neus_train.jsonl --vectors`; do not edit.\n\n",
        )
    } else {
        String::from(
            "//! Weights of the learned merge decision. Generated by\n\
             //! `cargo run --release -p newsdesk-cluster --example train-merge --\n\
             //! ../shared/eval/clustering/neus_train.jsonl --idf-exponent E --write`\n\
             //! (E as in IDF_EXPONENT below); do not edit.\n\n",
        )
    };
    let _ = writeln!(out, "pub(super) const BIAS: f64 = {:?};", model.bias);
    out.push_str("pub(super) const WEIGHTS: [f64; super::FEATURES] = [\n");
    for (name, w) in FEATURE_NAMES.iter().zip(&model.weights) {
        let _ = writeln!(out, "    // {name}\n    {w:?},");
    }
    out.push_str("];\n");
    let _ = writeln!(
        out,
        "pub(super) const THRESHOLD: f64 = {:?};",
        model.threshold
    );
    let _ = writeln!(
        out,
        "pub(super) const MIN_AVERAGE: f64 = {:?};",
        model.min_average
    );
    let _ = writeln!(
        out,
        "pub(super) const TERMS: [u32; 2] = [{}, {}];",
        model.terms[0], model.terms[1]
    );
    let _ = writeln!(
        out,
        "pub(super) const IDF_EXPONENT: f64 = {:?};",
        model.idf_exponent
    );
    out
}
