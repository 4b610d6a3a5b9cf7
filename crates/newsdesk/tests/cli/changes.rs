//! `newsdesk changes` (issue 19, "what changed"): on the seeds ingested in
//! date order, the US troops (3,000 → 5,000) and the provincial capitals
//! (12 → 26) are changes, with their dates; `--since` reports only what
//! was stored since.

use std::path::Path;

use crate::support::{ingest_dated_seeds, run, shared_path, SEED_DATES};

/// The figure group of `changes --json` about `concept`, as
/// `(value, date)` pairs.
fn values(story: &serde_json::Value, concept: &str) -> Vec<(f64, String)> {
    let group = story["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .find(|g| g["concept"] == concept)
        .unwrap_or_else(|| panic!("no {concept} in {story:#}"));
    assert_eq!(group["status"], "changed", "{group:#}");
    group["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| {
            (
                v["value"].as_f64().expect("value"),
                v["date"].as_str().expect("dated").to_owned(),
            )
        })
        .collect()
}

fn latest_ingest(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("SELECT max(ingested_at) FROM articles", [], |row| {
        row.get(0)
    })
    .expect("ingested_at")
}

#[test]
fn changes_on_the_seeds_report_the_troops_and_the_capitals_with_their_dates() {
    let Some(seeds) = shared_path("seeds", "changes") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("seeds.db");
    ingest_dated_seeds(&db, &seeds);
    let all = run(&db, &["--json", "changes"]).expect_code(0).json();
    let story = &all[0];
    assert_eq!(
        values(story, "troops"),
        [
            (3000.0, "2021-08-12".to_owned()),
            (5000.0, "2021-08-14".to_owned())
        ]
    );
    assert_eq!(
        values(story, "capitals"),
        [
            (12.0, "2021-08-13".to_owned()),
            (26.0, "2021-08-15".to_owned())
        ]
    );
    let text = run(&db, &["changes"]).expect_code(0).stdout;
    assert!(
        text.contains("changed: troops (US): three thousand soldiers (2021-08-12) [1] → 5,000"),
        "{text}"
    );
    assert!(text.contains("Sources:"), "{text}");
    // The brief says it in one sentence each.
    let brief = run(&db, &["brief", "1"]).expect_code(0).stdout;
    assert!(
        brief.contains("Later reports revise the troops (US): three thousand soldiers on 2021-08-12 [1], then 5,000"),
        "{brief}"
    );
    assert!(
        brief.contains("Later reports revise the capitals (Taliban): 12 Afghan provincial capitals on 2021-08-13 [1], then 26"),
        "{brief}"
    );
}

#[test]
fn changes_since_a_time_report_what_was_stored_since() {
    let Some(seeds) = shared_path("seeds", "changes") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("seeds.db");
    let (first, first_date) = SEED_DATES[0];
    let path = seeds.join(first);
    run(
        &db,
        &[
            "ingest",
            path.to_str().expect("utf-8"),
            "--date",
            first_date,
        ],
    )
    .expect_code(0);
    let before = latest_ingest(&db);
    // Times are kept to the second.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let rest = dir.path().join("rest");
    std::fs::create_dir_all(&rest).expect("mkdir");
    for (file, date) in &SEED_DATES[1..] {
        std::fs::copy(seeds.join(file), rest.join(file)).expect("copy");
        std::fs::write(
            rest.join(file).with_extension("meta.json"),
            format!(r#"{{"date": "{date}", "source": "seed{}"}}"#, &file[..3]),
        )
        .expect("sidecar");
    }
    run(&db, &["ingest", rest.to_str().expect("utf-8")]).expect_code(0);
    let since = latest_ingest(&db);
    assert!(since > before, "{since} after {before}");

    let changed = run(&db, &["--json", "changes", "--since", &since])
        .expect_code(0)
        .json();
    let story = &changed[0];
    assert_eq!(story["new_articles"].as_array().expect("new").len(), 3);
    assert_eq!(story["new_outlets"].as_array().expect("outlets").len(), 3);
    assert!(!story["timeline"].as_array().expect("timeline").is_empty());
    assert_eq!(values(story, "troops").len(), 2);
    // Nothing is new after the last ingest, and a bad time is refused.
    let later = run(&db, &["changes", "--since", "2999-01-01"]).expect_code(0);
    assert!(later.stdout.contains("nothing changed"), "{}", later.stdout);
    let bad = run(&db, &["changes", "--since", "last week"]);
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("is not a date"), "{}", bad.stderr);
}
