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
