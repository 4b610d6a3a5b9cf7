//! `newsdesk repair`: finishes a pending re-linking and checks the store.

use crate::support::{root, run};

/// Each story's articles, from `stories --json`, sorted.
fn stories(db: &std::path::Path) -> Vec<Vec<String>> {
    crate::support::story_articles(&run(db, &["stories", "--json"]).expect_code(0).json())
}

// Reliability review D4: a re-linking that an ingest left undone was
// finished only by a later batch ingest; `repair` finishes it without
// reading any article.
#[test]
fn repair_finishes_the_relinking_an_online_ingest_left() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, clean, online) = crate::support::clean_and_online_stores(dir.path());

    let repaired = run(&online, &["repair", "--json"]).expect_code(0).json();
    assert!(repaired["relinked"].is_u64(), "{repaired}");
    assert_eq!(repaired["problems"], serde_json::json!([]), "{repaired}");
    assert_eq!(stories(&online), stories(&clean));
    // Nothing is pending any more.
    let again = run(&online, &["repair"]).expect_code(0);
    assert!(
        again
            .stdout
            .contains("no re-linking of stories was pending")
            && again.stdout.contains("the store is consistent"),
        "{}",
        again.stdout
    );
}

#[test]
fn repair_reports_a_full_text_index_out_of_step_and_exits_1() {
    let examples = root().join("examples/lake-dam");
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("store.db");
    run(&db, &["ingest", examples.to_str().expect("path")]).expect_code(0);
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute("DELETE FROM articles WHERE seq = 1", [])
            .expect("delete");
    }
    let repaired = run(&db, &["repair"]).expect_code(1);
    assert!(
        repaired.stderr.contains("store check:") && repaired.stderr.contains("full-text"),
        "{}",
        repaired.stderr
    );
}

#[test]
fn repair_of_a_missing_store_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("none.db");
    let run = run(&db, &["repair"]).expect_code(1);
    assert!(run.stderr.contains("no store at"), "{}", run.stderr);
    assert!(!db.exists(), "repair made no store");
}

/// The `n` UCI headlines from `from` on, as a file in `dir`.
fn headlines(
    dir: &std::path::Path,
    from: usize,
    n: usize,
    test: &str,
) -> Option<std::path::PathBuf> {
    let relative = "eval/clustering/uci_headlines.jsonl";
    crate::support::shared_lines(relative, from, n, dir, test)
}

// Issue 27: one article added to a large store took the batch re-linking
// of every stored article (0.6 s for NeuS train). By default a small
// ingest into a store of over 1,000 articles links its new events online
// and says how many articles wait; the store is re-linked in batch once
// they reach 5% of it, or on `repair --relink`, and then holds the
// stories of one batch ingest of everything.
#[test]
fn a_small_ingest_into_a_large_store_waits_for_the_batch_relinking_until_five_percent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let test = "a_small_ingest_into_a_large_store_waits";
    let Some(base) = headlines(dir.path(), 0, 1200, test) else {
        return;
    };
    let Some(one) = headlines(dir.path(), 1200, 1, test) else {
        return;
    };
    let (Some(almost), Some(last)) = (
        headlines(dir.path(), 1201, 58, test),
        headlines(dir.path(), 1259, 1, test),
    ) else {
        return;
    };
    let (Some(upto_one), Some(all)) = (
        headlines(dir.path(), 0, 1201, test),
        headlines(dir.path(), 0, 1260, test),
    ) else {
        return;
    };
    let path = |p: &std::path::Path| p.to_str().expect("path").to_owned();
    let db = dir.path().join("store.db");
    let first = run(&db, &["--json", "ingest", &path(&base)])
        .expect_code(0)
        .json();
    assert_eq!(first["awaiting_relink"], serde_json::Value::Null, "{first}");

    let small = run(&db, &["ingest", &path(&one)]).expect_code(0);
    assert!(
        small
            .stdout
            .contains("1 article(s) linked into stories as they came")
            && !small.stdout.contains("re-linked"),
        "{}",
        small.stdout
    );
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).expect("copy the store");
    let repaired = run(&copy, &["repair"]).expect_code(0);
    assert!(
        repaired
            .stdout
            .contains("1 article(s) linked as they came wait"),
        "{}",
        repaired.stdout
    );
    let forced = run(&copy, &["--json", "repair", "--relink"])
        .expect_code(0)
        .json();
    assert!(forced["relinked"].is_u64(), "{forced}");
    assert_eq!(forced["awaiting_relink"], 0, "{forced}");

    let batch = |db: &std::path::Path, input: &std::path::Path| {
        run(db, &["ingest", "--story-linking", "batch", &path(input)]).expect_code(0);
        stories(db)
    };
    assert_eq!(
        stories(&copy),
        batch(&dir.path().join("upto-one.db"), &upto_one)
    );

    // 1 + 58 = 59 wait (under 5% of 1,200), the 60th makes it due.
    let waiting = run(&db, &["--json", "ingest", &path(&almost)])
        .expect_code(0)
        .json();
    assert_eq!(waiting["awaiting_relink"], 59, "{waiting}");
    let due = run(&db, &["--json", "ingest", &path(&last)])
        .expect_code(0)
        .json();
    assert_eq!(due["awaiting_relink"], serde_json::Value::Null, "{due}");
    assert!(
        due["story_updates"].as_u64().is_some_and(|n| n > 0),
        "{due}"
    );

    assert_eq!(stories(&db), batch(&dir.path().join("whole.db"), &all));
}
