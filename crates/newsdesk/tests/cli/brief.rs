//! `newsdesk brief` from the store and from files, `eval brief`, and the
//! brief in `show`.

use crate::support::{ingest_seeds, root, run, run_without_store, shared_path};

/// The words of a brief's sentences (citation marks not counted).
fn words(brief: &serde_json::Value) -> usize {
    sentences(brief)
        .iter()
        .map(|s| s["text"].as_str().unwrap_or("").split_whitespace().count())
        .sum()
}

fn sentences(brief: &serde_json::Value) -> Vec<serde_json::Value> {
    brief["sentences"].as_array().expect("sentences").clone()
}

fn outlets(sentence: &serde_json::Value) -> Vec<String> {
    sentence["citations"]
        .as_array()
        .expect("citations")
        .iter()
        .map(|c| c["outlet"].as_str().unwrap_or("?").to_string())
        .collect()
}

#[test]
fn the_seeds_brief_tells_the_fall_of_kabul_with_its_sources() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(db) = ingest_seeds(dir.path(), "seed_brief") else {
        return;
    };
    let brief = run(&db, &["brief", "1", "--words", "120", "--json"])
        .expect_code(0)
        .json();
    assert!(words(&brief) <= 120, "{brief}");
    let all = sentences(&brief);
    let find = |test: &dyn Fn(&str) -> bool| {
        all.iter()
            .find(|s| test(s["text"].as_str().unwrap_or("")))
            .unwrap_or_else(|| panic!("missing from the brief: {}", brief["text"]))
            .clone()
    };
    // The Taliban entered Kabul: reported by 000, 001 and 002.
    let entered = find(&|t| t.contains("entered") && t.contains("Kabul") && t.contains("fled"));
    let cited = outlets(&entered);
    assert!(cited.len() >= 2, "{entered}");
    assert!(cited.iter().all(|o| o != "seed003"), "{entered}");
    // Ghani fled (001, 002), never 000 alone, which has him ready to leave.
    assert!(cited.contains(&"seed001".to_string()) && cited.contains(&"seed002".to_string()));
    // Troops sent to evacuate (003: the US dispatch of 3,000 soldiers).
    let troops = find(&|t| t.contains("soldiers") || t.contains("troops"));
    assert!(
        outlets(&troops).contains(&"seed003".to_string()),
        "{troops}"
    );
    // The UK sent troops too (002: about 600 British troops; 003: the UK
    // Ministry of Defence sends 600 troops): told, and cited by both, the
    // one figure they share being the evidence that they report one claim.
    // The US and UK may share a sentence.
    let uk = find(&|t| {
        ["British", "UK", "United Kingdom"]
            .iter()
            .any(|n| t.contains(n))
            && (t.contains("troops") || t.contains("soldiers"))
    });
    let cited = outlets(&uk);
    assert!(
        cited.contains(&"seed002".to_string()) && cited.contains(&"seed003".to_string()),
        "{uk}"
    );
    // Every citation carries its evidence and span.
    for s in &all {
        for c in s["citations"].as_array().expect("citations") {
            assert!(c["evidence"].as_str().is_some_and(|e| !e.is_empty()), "{c}");
            let span = &c["span"];
            assert!(span["start"].as_u64() < span["end"].as_u64(), "{c}");
            let support = c["support"].as_f64().expect("support");
            assert!((0.4..=1.0).contains(&support), "{c}");
        }
    }
    // The text carries the marks; `show` carries the same brief.
    let text = brief["text"].as_str().expect("text");
    assert!(text.contains("[1]"), "{text}");
    let shown = run(&db, &["show", "1", "--json"]).expect_code(0).json();
    assert!(shown["brief"]["text"]
        .as_str()
        .is_some_and(|t| t.contains("[1]")));
    let plain = run(&db, &["show", "1"]).expect_code(0).stdout;
    assert!(plain.contains("Brief: "), "{plain}");
}

/// Two invented clusters in the DUC layout, one JSON line each, with a
/// broken line between them.
fn cluster_lines() -> String {
    let doc = |id: &str, source: Option<&str>, date: &str, sentences: &[&str]| serde_json::json!({"doc_id": id, "source": source, "date": date, "sentences": sentences});
    let dam = serde_json::json!({"cluster_id": "dam", "documents": [
        doc("d1", Some("Valley Post"), "2025-03-11", &[
            "Floodwater breached the old dam at Lake Varna on Monday night, forcing 2,000 residents from their homes.",
            "Engineers had warned in January that cracks in the dam wall were widening.",
            "He said more rain was due."]),
        doc("d2", Some("River News"), "2025-03-12", &[
            "About 2,000 residents left their homes after floodwater breached the old Lake Varna dam on Monday night.",
            "The regional governor declared a state of emergency across the valley on Tuesday."]),
        doc("d3", Some("Lake Times"), "2025-03-12", &[
            "The governor declared a state of emergency for the whole valley on Tuesday after the Lake Varna dam breach.",
            "Rescue teams used boats to reach farms cut off by the water."]),
    ]});
    let fair = serde_json::json!({"cluster_id": "fair", "documents": [
        doc("f1", None, "2025-05-02", &[
            "The town fair of Varna opened on Saturday with music, food stalls and a parade through the old town."]),
        doc("f2", None, "2025-05-03", &[
            "Thousands visited the Varna town fair on its opening Saturday, with a parade through the old town."]),
    ]});
    format!("{dam}\nnot json\n{fair}\n")
}

#[test]
fn duc_style_input_gives_one_brief_per_cluster_and_skips_a_bad_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("unused.db");
    let file = dir.path().join("clusters.jsonl");
    std::fs::write(&file, cluster_lines()).expect("write");
    let out = run(
        &db,
        &[
            "brief",
            "--input",
            file.to_str().expect("utf-8"),
            "--words",
            "40",
            "--json",
        ],
    )
    .expect_code(0);
    assert!(out.stderr.contains("clusters.jsonl:2"), "{}", out.stderr);
    let briefs: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(briefs.len(), 2, "{}", out.stdout);
    assert_eq!(briefs[0]["cluster_id"], "dam");
    assert_eq!(briefs[1]["cluster_id"], "fair");
    for b in &briefs {
        assert!(words(b) <= 40, "{b}");
        assert!(!sentences(b).is_empty(), "{b}");
    }
    // The breach is told once and cited by both outlets that report it.
    let breach: Vec<serde_json::Value> = sentences(&briefs[0])
        .into_iter()
        .filter(|s| s["text"].as_str().unwrap_or("").contains("breach"))
        .collect();
    assert_eq!(breach.len(), 1, "{}", briefs[0]);
    assert!(breach[0]["citations"].as_array().expect("citations").len() >= 2);
    // Markdown lists the numbered sources.
    let md = run(
        &db,
        &[
            "brief",
            "--input",
            file.to_str().expect("utf-8"),
            "--format",
            "markdown",
        ],
    )
    .expect_code(0);
    assert!(
        md.stdout.contains("== dam") && md.stdout.contains("Sources:\n\n- [1] "),
        "{}",
        md.stdout
    );
}

#[test]
fn articles_of_one_story_can_be_briefed_without_a_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("unused.db");
    let examples = root().join("examples/lake-dam");
    let out = run(
        &db,
        &[
            "brief",
            "--input",
            examples.to_str().expect("utf-8"),
            "--words",
            "80",
        ],
    )
    .expect_code(0);
    assert!(out.stdout.contains("[1]"), "{}", out.stdout);
    assert!(!db.exists(), "a stateless brief must not create a store");
    // Neither a story nor an input: a usage error that says what to give.
    let none = run(&db, &["brief"]);
    assert_ne!(none.code, 0);
    assert!(none.stderr.contains("--input"), "{}", none.stderr);
}

/// `newsdesk eval brief` on the 25 DUC 2004 dev clusters with newsdesk's
/// own ROUGE: 0.379 / 0.095 when these floors were set (perl ROUGE-1.5.5
/// via scripts/rouge-duc: 39.34 / 9.76); 0.382 / 0.096 since figures and
/// the novelty threshold (perl: 39.56 / 9.89).
#[test]
fn brief_rouge_on_duc2004_dev_stays_above_its_floor() {
    let Some(file) = shared_path("eval/summarization/duc2004_dev.jsonl", "brief_rouge") else {
        return;
    };
    let scores = run_without_store(&["eval", "brief", file.to_str().expect("utf-8"), "--json"])
        .expect_code(0)
        .json();
    assert_eq!(scores["clusters"], 25);
    let r1 = scores["rouge_1_recall"].as_f64().expect("r1");
    let r2 = scores["rouge_2_recall"].as_f64().expect("r2");
    assert!(r1 >= 0.37, "ROUGE-1 {r1:.4} below 0.37");
    assert!(r2 >= 0.088, "ROUGE-2 {r2:.4} below 0.088");
}

/// Desk review: citations read `unknown outlet (32a19ca9f89be648)` and
/// `show`'s brief had no sources at all. Every mark of the text brief and
/// of `show` now has a source line naming an outlet, or the file the
/// article was read from when it names none, and its date.
#[test]
fn every_citation_mark_has_a_source_line_with_an_outlet_or_a_file() {
    let examples = crate::support::root().join("examples/lake-dam");
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("store.db");
    run(&db, &["ingest", examples.to_str().expect("path")]).expect_code(0);
    for args in [&["brief", "1"][..], &["show", "1"][..]] {
        let out = run(&db, args).expect_code(0).stdout;
        let brief_line = out
            .lines()
            .find(|l| l.contains("[1]") && l.len() > 200)
            .unwrap_or_else(|| panic!("{args:?}: no brief\n{out}"));
        let marks: std::collections::BTreeSet<String> = brief_line
            .match_indices('[')
            .filter_map(|(i, _)| {
                let rest = &brief_line[i + 1..];
                let end = rest.find(']')?;
                rest[..end].parse::<usize>().ok().map(|n| format!("[{n}] "))
            })
            .collect();
        assert!(!marks.is_empty(), "{out}");
        for mark in &marks {
            let source = out
                .lines()
                .find(|l| l.starts_with(mark.as_str()))
                .unwrap_or_else(|| panic!("{args:?}: no source line for {mark}\n{out}"));
            let named = source[mark.len()..].split(',').next().unwrap_or("");
            assert!(
                named.contains(' ') || named.ends_with(".txt"),
                "{args:?}: {source}"
            );
            assert!(source.contains("2025-03-1"), "{args:?}: {source}");
        }
    }
}
