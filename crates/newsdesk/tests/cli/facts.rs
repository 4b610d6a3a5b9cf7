//! Figures in `newsdesk analyze --json`.

use crate::support::{run, run_without_store, shared_path};

/// `analyze FILE --date DATE --json`.
fn analysis(file: &std::path::Path, date: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("tempdir");
    run(
        &dir.path().join("unused.db"),
        &[
            "analyze",
            file.to_str().expect("utf-8"),
            "--date",
            date,
            "--json",
        ],
    )
    .expect_code(0)
    .json()
}

fn figures(file: &std::path::Path, date: &str) -> Vec<serde_json::Value> {
    analysis(file, date)["figures"]
        .as_array()
        .expect("figures")
        .clone()
}

fn has(figures: &[serde_json::Value], value: f64, counted: &str) -> bool {
    figures.iter().any(|f| {
        f["value"].as_f64() == Some(value)
            && f["counted"]
                .as_str()
                .is_some_and(|c| c.to_lowercase().contains(counted))
    })
}

#[test]
fn analyze_lists_figures_with_what_they_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("a.txt");
    let text = "Flood\n\nAbout 1,200 people left two villages on 13 March 2025; \
                by Saturday 4,500 residents had gone and 38 villages were on alert.\n";
    std::fs::write(&file, text).expect("write");
    let found = figures(&file, "2025-03-15");
    assert!(has(&found, 1200.0, "people"), "{found:?}");
    assert!(has(&found, 2.0, "villages"), "{found:?}");
    assert!(has(&found, 4500.0, "residents"), "{found:?}");
    assert!(has(&found, 38.0, "villages"), "{found:?}");
    // The date's numbers are not figures; spans point into the file.
    assert!(
        !found.iter().any(|f| f["value"].as_f64() == Some(13.0)),
        "{found:?}"
    );
    for f in &found {
        let (s, e) = (
            f["start"].as_u64().expect("start") as usize,
            f["end"].as_u64().expect("end") as usize,
        );
        assert_eq!(&text[s..e], f["text"].as_str().expect("text"));
    }
    assert_eq!(
        found
            .iter()
            .find(|f| f["value"].as_f64() == Some(1200.0))
            .map(|f| f["modifier"].clone()),
        Some(serde_json::json!("about"))
    );
}

#[test]
fn the_seeds_figures_are_found() {
    let Some(seeds) = shared_path("seeds", "the_seeds_figures_are_found") else {
        return;
    };
    let f003 = figures(&seeds.join("003_13007314bf827a1d.txt"), "2021-08-13");
    assert!(has(&f003, 3000.0, "soldiers"), "{f003:?}");
    assert!(has(&f003, 600.0, "troops"), "{f003:?}");
    assert!(has(&f003, 12.0, "provincial capitals") && has(&f003, 34.0, "provincial capitals"));
    assert!(has(&f003, 183.0, "civilians") && has(&f003, 360000.0, "people"));
    let f001 = figures(&seeds.join("001_fb07d6c771e3af61.txt"), "2021-08-15");
    assert!(has(&f001, 5000.0, "troops") && has(&f001, 26.0, "provincial capitals"));
    let f002 = figures(&seeds.join("002_1d5f5812acdbfad4.txt"), "2021-08-15");
    assert!(has(&f002, 600.0, "british troops") && has(&f002, 5000.0, "troops"));
}

fn quotes(file: &std::path::Path, date: &str) -> Vec<(String, Option<String>)> {
    analysis(file, date)["quotes"]
        .as_array()
        .expect("quotes")
        .iter()
        .map(|q| {
            (
                q["text"].as_str().unwrap_or("").to_string(),
                q["speaker"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// The speaker of the quote starting with `opening`, if the quote is found.
fn speaker_of(quotes: &[(String, Option<String>)], opening: &str) -> Option<Option<String>> {
    quotes
        .iter()
        .find(|(text, _)| text.starts_with(opening))
        .map(|(_, speaker)| speaker.clone())
}

#[test]
fn the_seeds_quotes_have_their_speakers() {
    let Some(seeds) = shared_path("seeds", "the_seeds_quotes_have_their_speakers") else {
        return;
    };
    // The openings of the quotes ../shared/seeds/README.md lists, and who
    // said them (as the articles spell them).
    let cases = [
        (
            "001_fb07d6c771e3af61.txt",
            "We want to enter Kabul",
            "Zabiullah Mujahid",
        ),
        (
            "001_fb07d6c771e3af61.txt",
            "There is an agreement",
            "Abdul Satar Mirzakwal",
        ),
        (
            "002_1d5f5812acdbfad4.txt",
            "Our forces are entering",
            "Zabihullah Mujahid",
        ),
        (
            "002_1d5f5812acdbfad4.txt",
            "God will hold him",
            "Abdullah Abdullah",
        ),
        (
            "002_1d5f5812acdbfad4.txt",
            "We are the servants",
            "Suhail Shaheen",
        ),
        (
            "003_13007314bf827a1d.txt",
            "We will reduce our civilian",
            "Ned Price",
        ),
        (
            "003_13007314bf827a1d.txt",
            "We are very scared",
            "Masoom Jan",
        ),
    ];
    for (file, opening, speaker) in cases {
        let found = quotes(&seeds.join(file), "2021-08-15");
        assert_eq!(
            speaker_of(&found, opening),
            Some(Some(speaker.to_string())),
            "{file}: {opening:?} in {found:?}"
        );
    }
}

#[test]
fn the_seeds_fact_table_marks_changes_and_corroboration() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(db) = crate::support::ingest_seeds(dir.path(), "seed_facts") else {
        return;
    };
    let facts = run(&db, &["facts", "1", "--json"]).expect_code(0).json();
    let groups = facts["figures"].as_array().expect("figures");
    let group = |concept: &str, actor: &str| {
        groups
            .iter()
            .find(|g| g["concept"] == concept && g["actor"] == actor)
            .unwrap_or_else(|| panic!("no {actor} {concept} in {facts}"))
            .clone()
    };
    let values = |g: &serde_json::Value| -> Vec<f64> {
        g["values"]
            .as_array()
            .expect("values")
            .iter()
            .filter_map(|v| v["value"].as_f64())
            .collect()
    };
    // Desk review: "at least 183 civilians" was shown as "183 civilians".
    let civilians = groups
        .iter()
        .flat_map(|g| g["values"].as_array().cloned().unwrap_or_default())
        .find(|v| v["value"] == 183.0)
        .unwrap_or_else(|| panic!("no 183 in {facts}"));
    assert_eq!(civilians["text"], "at least 183 civilians", "{civilians}");
    assert_eq!(civilians["modifier"], "at least", "{civilians}");
    let table = run(&db, &["facts", "1"]).expect_code(0).stdout;
    assert!(table.contains("at least 183 civilians"), "{table}");
    // US troops: 3,000 on Thursday, then 5,000 on Saturday.
    let us = group("troops", "US");
    assert_eq!(us["status"], "changed", "{us}");
    assert_eq!(values(&us), [3000.0, 5000.0]);
    // UK troops: 600, from two outlets.
    let uk = group("troops", "UK");
    assert_eq!(uk["status"], "corroborated", "{uk}");
    assert_eq!(
        uk["values"][0]["citations"].as_array().map(Vec::len),
        Some(2)
    );
    // Provincial capitals taken: 12 of 34, then 26 of 34.
    let capitals = group("capitals", "Taliban");
    assert_eq!(capitals["status"], "changed", "{capitals}");
    assert_eq!(values(&capitals), [12.0, 26.0]);
    // Quotes grouped by speaker under one story-wide name: the two
    // spellings of Zabihullah Mujahid (001, 002) are one speaker.
    let quotes = facts["quotes"].as_array().expect("quotes");
    assert!(quotes.iter().any(|q| q["speaker"] == "Suhail Shaheen"));
    let mujahid: Vec<&serde_json::Value> = quotes
        .iter()
        .filter(|q| {
            q["kind"] == "direct"
                && q["speaker"]
                    .as_str()
                    .is_some_and(|s| s.ends_with("Mujahid"))
        })
        .collect();
    assert_eq!(mujahid.len(), 2, "{mujahid:?}");
    assert_eq!(mujahid[0]["speaker"], mujahid[1]["speaker"]);
    // Reported speech is kept, marked as paraphrase, with its speaker.
    assert!(
        quotes
            .iter()
            .any(|q| q["kind"] == "paraphrase" && q["speaker"] == "Suhail Shaheen"),
        "{quotes:?}"
    );
    // 000 has no resistance in Kabul where 002 reports fighting in the
    // city's Qarabagh district: flagged, and nothing else is.
    let contradictions = facts["contradictions"].as_array().expect("contradictions");
    assert_eq!(contradictions.len(), 1, "{contradictions:?}");
    let c = &contradictions[0];
    assert_eq!(
        (c["about"].as_str(), c["place"].as_str()),
        (Some("fighting"), Some("Kabul"))
    );
    let cited = |side: usize| -> Vec<String> {
        c["positions"][side]["statements"]
            .as_array()
            .expect("statements")
            .iter()
            .map(|s| s["citation"]["outlet"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(cited(0), ["seed000"]);
    assert_eq!(cited(1), ["seed002"]);
    // `show --json` carries the same facts.
    let shown = run(&db, &["--json", "show", "1"]).expect_code(0).json();
    let mut without_sources = facts.clone();
    let sources = without_sources
        .as_object_mut()
        .and_then(|f| f.remove("sources"))
        .expect("facts carry their sources");
    assert_eq!(shown["facts"], without_sources);
    assert_eq!(shown["sources"], sources);
}

/// `eval facts` on the seeds' hand-labelled gold: figures 1.00 / 1.00,
/// quotes P 0.91 R 1.00, speaker accuracy 1.00 when these floors were set.
/// Facts issue: without publication dates, US troops 3,000 → 5,000 and the
/// capitals 12 → 26 were "disputed", though the texts give their order.
#[test]
fn the_seeds_without_dates_show_troops_and_capitals_changed() {
    let Some(seeds) = crate::support::shared_path("seeds", "undated_seed_facts") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("undated.db");
    for (file, _) in crate::support::SEED_DATES {
        let path = seeds.join(file);
        run(&db, &["ingest", path.to_str().expect("utf-8")]).expect_code(0);
    }
    let facts = run(&db, &["facts", "1", "--json"]).expect_code(0).json();
    let groups = facts["figures"].as_array().expect("figures");
    for (concept, actor, first, last) in [
        ("troops", "US", 3000.0, 5000.0),
        ("capitals", "Taliban", 12.0, 26.0),
    ] {
        let g = groups
            .iter()
            .find(|g| g["concept"] == concept && g["actor"] == actor)
            .unwrap_or_else(|| panic!("no {actor} {concept} in {facts}"));
        assert_eq!(g["status"], "changed", "{g}");
        assert!(g["basis"].is_string(), "{g}");
        let values: Vec<f64> = g["values"]
            .as_array()
            .expect("values")
            .iter()
            .filter_map(|v| v["value"].as_f64())
            .collect();
        assert_eq!(values, [first, last], "{g}");
    }
}

#[test]
fn eval_facts_on_the_seeds_stays_above_its_floor() {
    let Some(seeds) = shared_path("seeds", "eval_facts_on_the_seeds") else {
        return;
    };
    let scores = eval_facts(None, &seeds);
    assert_floors(&scores, [0.95, 0.90, 0.95, 0.95]);
}

/// `eval facts --json` of the articles in `dir`, against `gold` (the
/// seeds' own when none).
fn eval_facts(gold: Option<&std::path::Path>, dir: &std::path::Path) -> serde_json::Value {
    let mut args = vec!["--json", "eval", "facts"];
    if let Some(gold) = gold {
        args.extend(["--gold", gold.to_str().expect("utf-8")]);
    }
    args.extend(["--dir", dir.to_str().expect("utf-8")]);
    run_without_store(&args).expect_code(0).json()
}

/// Asserts `eval facts` scores reach their floors: figures' precision
/// and recall, quotes' recall, speaker accuracy.
fn assert_floors(scores: &serde_json::Value, floors: [f64; 4]) {
    let get = |a: &str, b: &str| scores[a][b].as_f64().expect("score");
    let [figure_precision, figure_recall, quote_recall, speakers] = floors;
    assert!(get("figures", "precision") >= figure_precision, "{scores}");
    assert!(get("figures", "recall") >= figure_recall, "{scores}");
    assert!(get("quotes", "recall") >= quote_recall, "{scores}");
    assert!(
        scores["speaker_accuracy"].as_f64().expect("accuracy") >= speakers,
        "{scores}"
    );
}

/// `eval facts` on the DUC dev gold (8 pool articles, figures only; see
/// `scripts/facts-dev-articles`): figures P 0.99 R 0.98 when this floor was
/// set (0.88 / 0.85 when it was first scored, blind).
#[test]
fn eval_facts_on_the_duc_dev_gold_stays_above_its_floor() {
    let Some(pool) = shared_path(
        "eval/clustering/duc2004_dev_pool.jsonl",
        "eval_facts_on_the_duc_dev_gold",
    ) else {
        return;
    };
    let gold = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../newsdesk-eval/data/duc-facts-dev.json");
    let wanted: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&gold).expect("gold")).expect("json");
    let files: Vec<&str> = wanted["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .filter_map(|a| a["file"].as_str())
        .collect();
    // The articles as the script writes them: each `text` as is.
    let dir = tempfile::tempdir().expect("tempdir");
    for line in std::fs::read_to_string(&pool).expect("pool").lines() {
        let article: serde_json::Value = serde_json::from_str(line).expect("pool line");
        let file = format!("{}.txt", article["id"].as_str().expect("id"));
        if files.contains(&file.as_str()) {
            std::fs::write(
                dir.path().join(&file),
                article["text"].as_str().expect("text"),
            )
            .expect("write");
        }
    }
    let scores = eval_facts(Some(&gold), dir.path());
    let get = |b: &str| scores["figures"][b].as_f64().expect("score");
    assert!(get("precision") >= 0.95, "{scores}");
    assert!(get("recall") >= 0.90, "{scores}");
}

/// A quote or figure in a line the text stage drops as debris (a video
/// caption) is not the article's.
#[test]
fn analyze_leaves_out_quotes_and_figures_in_debris() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("a.txt");
    let text = "Flood in the valley\n\n\
                The river rose overnight and 40 homes were flooded, officials said.\n\n\
                media captionMayor: \"We will rebuild the 12 bridges soon\"\n\n\
                Crews worked through the night.\n";
    std::fs::write(&file, text).expect("write");
    let out = analysis(&file, "2025-03-15");
    assert_eq!(out["quotes"].as_array().map(Vec::len), Some(0), "{out}");
    let figures = out["figures"].as_array().expect("figures");
    assert!(has(figures, 40.0, "homes"), "{out}");
    assert!(
        !figures.iter().any(|f| f["value"].as_f64() == Some(12.0)),
        "{out}"
    );
}

/// Facts issue: figures on `examples/` at P and R 0.95 or more, and every
/// quote's speaker right (`crates/newsdesk-eval/data/examples-facts.json`,
/// 37 figures and 29 quotes labelled by hand; 2026-12-07: figures P 1.00
/// R 0.97, the miss a headline's number, quotes 1.00 / 1.00, speakers
/// 1.00).
#[test]
fn eval_facts_on_the_examples_gold_stays_above_its_floor() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let gold = root.join("../newsdesk-eval/data/examples-facts.json");
    let examples = root.join("../../examples/lake-dam");
    let scores = eval_facts(Some(&gold), &examples);
    assert_floors(&scores, [0.95, 0.95, 0.95, 1.0]);
}
