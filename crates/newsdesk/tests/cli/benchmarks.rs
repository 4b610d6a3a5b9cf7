//! Smoke slices of the public benchmarks with floors that catch
//! regressions. The full evaluations are commands run by hand and reported
//! (see README.md); these keep CI quick.

use crate::support::{clustering_f1, run, run_without_store, shared_path};

/// Checks that BCubed F1 of `newsdesk eval clustering FILE ARGS` on
/// `../shared/FILE` (`items` articles) reaches `floor`; skipped when the
/// file is absent.
fn assert_clustering_floor(file: &str, test: &str, args: &[&str], items: u64, floor: f64) {
    let Some(f1) = clustering_f1(file, test, args, items) else {
        return;
    };
    assert!(
        f1 >= floor,
        "BCubed F1 {f1:.4} of {file} {args:?} fell below {floor}"
    );
}

/// BCubed F1 of `newsdesk eval clustering` on the NeuS validation set
/// (819 articles, 273 events): the score is in README.md's table, its
/// history in `bench/results/`; the floor sits below it. 0.9165 in every
/// order with events grouped in batch when it was raised from 0.87 (the
/// online events: 0.889 as listed, 0.800 shuffled).
const NEUS_VAL_BCUBED_F1_FLOOR: f64 = 0.90;

/// Story-level BCubed F1 on the DUC 2004 pool (250 dated articles, 25
/// topics running over weeks), with the default batch story linking: 0.928
/// when this floor was set (0.893 with online linking). The Stories issue
/// asks for 0.92.
const DUC_STORY_BCUBED_F1_FLOOR: f64 = 0.92;

#[test]
fn clustering_duc_stories_stay_above_their_floor() {
    let args = ["--level", "story"];
    let duc = "eval/clustering/duc2004_dev_pool.jsonl";
    assert_clustering_floor(duc, "clustering_duc", &args, 250, DUC_STORY_BCUBED_F1_FLOOR);
}

/// The same in publication order (`--order date`), where the 25 topics
/// interleave as they would in a stream, against their listing one topic
/// after another: 0.925 with batch linking when this floor was set.
const DUC_STORY_DATE_ORDER_BCUBED_F1_FLOOR: f64 = 0.91;

#[test]
fn clustering_duc_stories_in_publication_order_stay_above_their_floor() {
    let args = ["--level", "story", "--order", "date"];
    let duc = "eval/clustering/duc2004_dev_pool.jsonl";
    let floor = DUC_STORY_DATE_ORDER_BCUBED_F1_FLOOR;
    assert_clustering_floor(duc, "clustering_duc_dated", &args, 250, floor);
}

/// Online story linking (`--story-linking online`) on the DUC 2004 pool,
/// as listed and in publication order (scores in README.md's table).
const DUC_ONLINE_STORY_BCUBED_F1_FLOORS: [(&str, f64); 2] = [("given", 0.87), ("date", 0.83)];

#[test]
fn clustering_duc_online_stories_stay_above_their_floors() {
    let duc = "eval/clustering/duc2004_dev_pool.jsonl";
    for (order, floor) in DUC_ONLINE_STORY_BCUBED_F1_FLOORS {
        let args = [
            "--level",
            "story",
            "--story-linking",
            "online",
            "--order",
            order,
        ];
        assert_clustering_floor(duc, "clustering_duc_online", &args, 250, floor);
    }
}

/// Story-level BCubed F1 of NeuS val (819 articles) shuffled, scored
/// against its events grouped by hand into running stories
/// (`neus_val_threads.json`): 0.839 (precision 0.883) when this floor was
/// raised, with events grouped in batch and ledes held to a higher anchor;
/// 0.822 (0.815) with batch events alone, 0.761 (0.751) before, 0.732
/// (0.676) before links resting on one name or word were refused. The
/// report also counts the stories that mix threads.
const NEUS_THREADS_BCUBED_FLOORS: (f64, f64) = (0.82, 0.86);

#[test]
fn clustering_neus_val_stories_against_threads_stay_above_their_floor() {
    let (Some(file), Some(threads)) = (
        shared_path("eval/clustering/neus_val.jsonl", "clustering_neus_threads"),
        shared_path(
            "eval/clustering/neus_val_threads.json",
            "clustering_neus_threads",
        ),
    ) else {
        return;
    };
    let score = run_without_store(&[
        "eval",
        "clustering",
        file.to_str().expect("path"),
        "--level",
        "story",
        "--order",
        "shuffled",
        "--threads",
        threads.to_str().expect("path"),
        "--json",
    ])
    .expect_code(0)
    .json();
    assert_eq!(score["items"], 819);
    assert_eq!(score["gold_clusters"], 220, "threads, not events");
    let (f1, precision) = NEUS_THREADS_BCUBED_FLOORS;
    let got = &score["bcubed"];
    assert!(got["f1"].as_f64().expect("f1") >= f1, "{got}");
    assert!(got["precision"].as_f64().expect("p") >= precision, "{got}");
    let mixed = score["mixed_clusters"].as_u64().expect("mixed");
    // 44 when this was set (56 with the lede anchor at 0.07, 80 with
    // online events too, 86 with the anchor rule off as well).
    assert!(mixed > 0 && mixed <= 48, "{mixed} stories mix threads");
    assert!(
        score["worst"][0]["gold"][1]["title"].is_string(),
        "{}",
        score["worst"]
    );
}

/// Story-level BCubed F1 on the UCI headlines (6,366 headlines, 87
/// stories) with batch linking, where no article is long enough for the
/// complete-link floor: 0.735 when this floor was set (0.583 online);
/// 0.741 with events grouped in batch.
const UCI_STORY_BCUBED_F1_FLOOR: f64 = 0.72;

#[test]
fn clustering_uci_headline_stories_stay_above_their_floor() {
    let uci = "eval/clustering/uci_headlines.jsonl";
    let args = ["--level", "story"];
    assert_clustering_floor(
        uci,
        "clustering_uci",
        &args,
        6366,
        UCI_STORY_BCUBED_F1_FLOOR,
    );
}

/// Events grouped in batch are the same in every order: NeuS val as
/// listed, by date and in two shuffles gives one score, above the floor.
#[test]
fn clustering_neus_val_events_do_not_depend_on_the_order() {
    let neus = "eval/clustering/neus_val.jsonl";
    let mut scores = Vec::new();
    for args in [
        &["--order", "given"][..],
        &["--order", "date"],
        &["--order", "shuffled", "--seed", "2"],
        &["--order", "shuffled", "--seed", "3"],
    ] {
        let Some(f1) = clustering_f1(neus, "clustering_neus_orders", args, 819) else {
            return;
        };
        scores.push(f1);
    }
    assert!(scores.iter().all(|&f1| f1 == scores[0]), "{scores:?}");
    assert!(scores[0] >= NEUS_VAL_BCUBED_F1_FLOOR, "{scores:?}");
}

#[test]
fn clustering_neus_val_stays_above_its_floor() {
    let neus = "eval/clustering/neus_val.jsonl";
    assert_clustering_floor(
        neus,
        "clustering_neus_val",
        &[],
        819,
        NEUS_VAL_BCUBED_F1_FLOOR,
    );
}

#[test]
fn cluster_writes_one_line_per_article_without_reading_the_gold() {
    let Some(file) = shared_path("eval/clustering/neus_val.jsonl", "cluster_neus_val") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("unused.db");
    let with_gold = run(&db, &["cluster", file.to_str().expect("path")])
        .expect_code(0)
        .stdout;
    assert_eq!(with_gold.lines().count(), 819);
    // The same articles with the gold field removed cluster identically.
    let stripped: String = std::fs::read_to_string(&file)
        .expect("read")
        .lines()
        .map(|line| {
            let mut v: serde_json::Value = serde_json::from_str(line).expect("json");
            if let Some(o) = v.as_object_mut() {
                o.remove("cluster");
            }
            format!("{v}\n")
        })
        .collect();
    let copy = dir.path().join("no-gold.jsonl");
    std::fs::write(&copy, stripped).expect("write");
    let without_gold = run(&db, &["cluster", copy.to_str().expect("path")])
        .expect_code(0)
        .stdout;
    assert_eq!(with_gold, without_gold);
    assert!(!db.exists(), "cluster must not touch a store");
}

/// Near-duplicate detection on edited copies (new headline and quotes, an
/// added paragraph, a cut ending) of the NeuS validation articles, all
/// sharing a boilerplate paragraph: 0.998 precision and recall when set.
#[test]
fn duplicates_on_edited_copies_stay_above_099() {
    let Some(file) = shared_path("eval/clustering/neus_val.jsonl", "duplicates_neus_val") else {
        return;
    };
    let score = run_without_store(&["eval", "duplicates", file.to_str().expect("path"), "--json"])
        .expect_code(0)
        .json();
    assert!(score["copies"].as_u64().is_some_and(|n| n > 600), "{score}");
    for key in ["precision", "recall"] {
        let value = score[key].as_f64().expect("number");
        assert!(value >= 0.99, "{key} {value:.4} below 0.99: {score}");
    }
}

/// Floors of `eval quotes` on fold 0 of 8 of PolNeAR's development
/// articles (125 articles; the full set scored 0.974 found, speaker
/// accuracy 0.853, named precision 0.918 on 2026-12-08, this fold 0.973,
/// 0.854 and 0.929): found, speaker accuracy, precision of named speakers.
const POLNEAR_QUOTES_FLOORS: (f64, f64, f64) = (0.95, 0.80, 0.89);

#[test]
fn quotes_polnear_dev_slice_stay_above_their_floors() {
    let Some(file) = shared_path(
        "eval/quotes/polnear_dev_articles.jsonl",
        "quotes_polnear_dev",
    ) else {
        return;
    };
    let score = run_without_store(&[
        "eval",
        "quotes",
        file.to_str().expect("path"),
        "--fold",
        "0/8",
        "--json",
    ])
    .expect_code(0)
    .json();
    assert_eq!(score["articles"], 125);
    let (found, accuracy, precision) = POLNEAR_QUOTES_FLOORS;
    assert!(
        score["found_rate"].as_f64().expect("found") >= found,
        "{score}"
    );
    assert!(
        score["speaker_accuracy"].as_f64().expect("accuracy") >= accuracy,
        "{score}"
    );
    assert!(
        score["named_precision"].as_f64().expect("precision") >= precision,
        "{score}"
    );
}

/// `eval clustering --ingests-of N`: the first 1,400 UCI headlines fed to
/// a store in ingests of 20. With `auto` linking the first 1,000 are
/// re-linked after every ingest, the rest only once 5% of the store waits,
/// and the stories a user reads along the way score about as batch
/// linking after every ingest does (full set, ingests of 100: mean BCubed
/// F1 0.748 against 0.750, online 0.572; `bench/results/2026-12-07-small-ingest.md`).
#[test]
fn eval_clustering_in_ingests_scores_auto_linking_as_batch_linking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(slice) = crate::support::shared_lines(
        "eval/clustering/uci_headlines.jsonl",
        0,
        1400,
        dir.path(),
        "eval_clustering_in_ingests",
    ) else {
        return;
    };
    let eval = |linking: &str| {
        run_without_store(&[
            "--json",
            "eval",
            "clustering",
            slice.to_str().expect("path"),
            "--level",
            "story",
            "--ingests-of",
            "20",
            "--story-linking",
            linking,
        ])
        .expect_code(0)
        .json()
    };
    let (auto, batch) = (eval("auto"), eval("batch"));
    let count = |r: &serde_json::Value, key: &str| r[key].as_u64().expect("count");
    assert_eq!(count(&batch, "ingests"), 70, "{batch}");
    assert_eq!(count(&batch, "batch_relinkings"), 70, "{batch}");
    let relinked = count(&auto, "batch_relinkings");
    assert!((51..70).contains(&relinked), "{auto}");
    let f1 = |r: &serde_json::Value| r["mean_bcubed"]["f1"].as_f64().expect("f1");
    assert!(f1(&auto) >= f1(&batch) - 0.01, "auto {auto}\nbatch {batch}");
    assert!(f1(&batch) >= 0.65, "{batch}");
}
