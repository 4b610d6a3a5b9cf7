//! The CLI on a PostgreSQL store (`--db postgres://…`): the same stories,
//! search and corrections as on SQLite, from the same articles. Needs a
//! server (`NEWSDESK_TEST_POSTGRES=$(scripts/postgres-test-server DIR)`);
//! without one the test says it is skipped, unless
//! `NEWSDESK_REQUIRE_POSTGRES=1` (CI).

use std::path::Path;

use crate::support::{root, run};

/// A fresh schema on the test server and the URL of a store in it; the
/// schema is dropped when the guard goes.
pub(crate) struct Schema {
    base: String,
    name: String,
}

impl Schema {
    pub(crate) fn new(test: &str) -> Option<Schema> {
        let Ok(base) = std::env::var("NEWSDESK_TEST_POSTGRES") else {
            if std::env::var("NEWSDESK_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("NEWSDESK_TEST_POSTGRES is not set (scripts/postgres-test-server)");
            }
            eprintln!("{test}: skipped (NEWSDESK_TEST_POSTGRES is not set)");
            return None;
        };
        let name = format!("cli_{test}_{}", std::process::id());
        let mut client = postgres::Client::connect(&base, postgres::NoTls).expect("connect");
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            ))
            .expect("schema");
        Some(Schema { base, name })
    }

    pub(crate) fn url(&self) -> String {
        let separator = if self.base.contains('?') { '&' } else { '?' };
        format!(
            "{}{separator}options=-csearch_path%3D{}",
            self.base, self.name
        )
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.base, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// The stories as `stories --json` lists them, without what depends on
/// when the articles were stored.
fn stories(db: &Path) -> serde_json::Value {
    let listed = run(db, &["stories", "--json"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    listed.json()
}

#[test]
fn a_postgres_store_gives_the_stories_sqlite_gives() {
    let Some(schema) = Schema::new("same_stories") else {
        return;
    };
    let pg = schema.url();
    let pg = Path::new(&pg);
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = dir.path().join("desk.db");
    let examples = root().join("examples/lake-dam");
    let examples = examples.to_str().expect("utf-8");
    for db in [pg, sqlite.as_path()] {
        let ingested = run(db, &["ingest", examples]);
        assert_eq!(ingested.code, 0, "{}", ingested.stderr);
    }
    let on_pg = stories(pg);
    assert_eq!(on_pg, stories(&sqlite));
    assert!(on_pg.as_array().is_some_and(|s| s.len() >= 2), "{on_pg}");
    // Search, a story's report, a correction and its undoing.
    // The same hits with the same excerpts; scores and the order of
    // near-ties differ (PostgreSQL ranks with ts_rank, SQLite with BM25).
    let hits = |db: &Path| {
        let mut hits: Vec<(String, String)> = run(db, &["search", "spillway", "--json"])
            .json()
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| (h["id"].to_string(), h["snippet"].to_string()))
            .collect();
        hits.sort();
        hits
    };
    assert_eq!(hits(pg), hits(&sqlite));
    assert_eq!(hits(pg).len(), 5);
    let first = on_pg[0]["id"].as_u64().expect("id").to_string();
    let shown = run(pg, &["show", &first, "--json"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert_eq!(
        shown.json()["brief"],
        run(&sqlite, &["show", &first, "--json"]).json()["brief"]
    );
    let second = on_pg[1]["id"].as_u64().expect("id").to_string();
    let merged = run(
        pg,
        &["correct", "merge-stories", &first, &second, "--by", "test"],
    );
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    assert_eq!(
        stories(pg).as_array().map(Vec::len),
        Some(on_pg.as_array().map_or(0, Vec::len) - 1)
    );
    let undone = run(pg, &["corrections", "undo", "1"]);
    assert_eq!(undone.code, 0, "{}", undone.stderr);
    assert_eq!(stories(pg), on_pg);
    // A password never shows in a message.
    let wrong = run(
        Path::new("postgres://newsdesk:s3cret@127.0.0.1:1/none"),
        &["stories"],
    );
    assert_ne!(wrong.code, 0);
    assert!(!wrong.stderr.contains("s3cret"), "{}", wrong.stderr);
}
