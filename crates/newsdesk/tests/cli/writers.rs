//! One writer at a time, and re-linking that a stopped or online ingest
//! left to the next batch ingest.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{newsdesk, root, run, shared_path, writer_lock_held};

/// Every article's (id, event, story) as stored, sorted by id.
fn clustering(db: &Path) -> Vec<(String, i64, i64)> {
    let conn = rusqlite::Connection::open(db).expect("open the store");
    let mut query = conn
        .prepare("SELECT id, event, story FROM articles ORDER BY id")
        .expect("query");
    let rows = query
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("rows");
    rows.map(|row| row.expect("row")).collect()
}

#[test]
fn two_ingests_at_once_give_the_stories_of_one_after_the_other() {
    let Some(first) = shared_path("eval/clustering/neus_val.jsonl", "two_ingests_at_once") else {
        return;
    };
    let second = root().join("examples/lake-dam");
    let dir = tempfile::tempdir().expect("tempdir");
    let together = dir.path().join("together.db");
    let mut running = newsdesk(&together)
        .args(["ingest"])
        .arg(&first)
        .spawn()
        .expect("start the first ingest");
    // Start the second while the first holds the store (if the first is
    // done before the lock is seen, the two simply run one after the
    // other, which must give the same stories too).
    let started = Instant::now();
    while !writer_lock_held(&together) && started.elapsed() < Duration::from_secs(30) {
        if running.try_wait().expect("poll").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let held = writer_lock_held(&together);
    let busy = run(
        &together,
        &["ingest", second.to_str().expect("path"), "--no-wait"],
    );
    if held {
        assert_eq!(busy.code, 1, "{}", busy.stderr);
        assert!(
            busy.stderr.contains("another newsdesk is writing"),
            "{}",
            busy.stderr
        );
    }
    let waited = run(&together, &["ingest", second.to_str().expect("path")]).expect_code(0);
    if held {
        assert!(
            waited.stderr.contains("waiting for it to finish"),
            "{}",
            waited.stderr
        );
    }
    assert!(running.wait().expect("first ingest").success());

    let apart = dir.path().join("apart.db");
    run(&apart, &["ingest", first.to_str().expect("path")]).expect_code(0);
    run(&apart, &["ingest", second.to_str().expect("path")]).expect_code(0);
    assert_eq!(clustering(&together), clustering(&apart));
}

#[test]
fn a_batch_ingest_that_adds_nothing_still_relinks_what_an_online_ingest_left() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (examples, clean, online) = crate::support::clean_and_online_stores(dir.path());
    let examples = examples.as_str();
    let again = run(&online, &["ingest", examples, "--json"])
        .expect_code(0)
        .json();
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(clustering(&online), clustering(&clean));
    // Once re-linked, nothing is pending: a third ingest moves nothing.
    let third = run(&online, &["ingest", examples, "--json"])
        .expect_code(0)
        .json();
    assert_eq!(third["story_updates"], 0, "{third}");
}
