//! The store contract against a real PostgreSQL server, each test in a
//! schema of its own (dropped at its end).
//!
//! The server is the one `NEWSDESK_TEST_POSTGRES` names (a URL such as
//! `postgres://newsdesk@127.0.0.1:54329/newsdesk`; `scripts/postgres-test-server`
//! starts one). Without it the tests say they are skipped and pass, unless
//! `NEWSDESK_REQUIRE_POSTGRES=1`, which makes them fail.
#![cfg(feature = "postgres")]
// The skip message goes to stderr on purpose.
#![allow(clippy::print_stderr)]

mod contract;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use contract::*;
use newsdesk_store::{IngestBatch, LogKind, PostgresStore, Store, StoreError};
use postgres::{Client, NoTls};

/// A schema of its own for one test, dropped when the test ends.
struct Schema {
    /// The server's URL, as given.
    base: String,
    /// The schema's name.
    name: String,
    /// The URL of a connection whose `search_path` is the schema.
    url: String,
}

impl Schema {
    /// A new, empty schema for test `test`; `None` (the test is skipped)
    /// when no server is given.
    fn new(test: &str) -> Option<Schema> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let base = match std::env::var("NEWSDESK_TEST_POSTGRES") {
            Ok(url) if !url.is_empty() => url,
            _ => {
                assert!(
                    std::env::var("NEWSDESK_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                    "NEWSDESK_REQUIRE_POSTGRES=1 but NEWSDESK_TEST_POSTGRES names no server"
                );
                eprintln!("{test}: skipped, NEWSDESK_TEST_POSTGRES is not set");
                return None;
            }
        };
        let name = format!(
            "newsdesk_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = Client::connect(&base, NoTls).expect("connect to the test server");
        admin
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .expect("create schema");
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options=-csearch_path%3D{name}");
        Some(Schema { base, name, url })
    }

    /// A plain connection into the schema.
    fn client(&self) -> Client {
        Client::connect(&self.url, NoTls).expect("connect")
    }

    fn store(&self) -> PostgresStore {
        PostgresStore::connect(&self.url).expect("connect store")
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(&self.base, NoTls) {
            let _ = admin.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}

#[test]
fn postgres_meets_the_contract_and_persists() {
    let Some(schema) = Schema::new("postgres_meets_the_contract_and_persists") else {
        return;
    };
    {
        let mut store = schema.store();
        contract(&mut store);
        check_after_contract(&store);
        assert_eq!(store.check().expect("check"), Vec::<String>::new());
    }
    let store = schema.store();
    check_after_contract(&store);
}

#[test]
fn postgres_keeps_the_original_of_a_duplicate() {
    let Some(schema) = Schema::new("postgres_keeps_the_original_of_a_duplicate") else {
        return;
    };
    let mut store = schema.store();
    store.commit(&first_batch()).expect("commit");
    duplicates_name_their_original(&mut store);
}

#[test]
fn postgres_story_log_records_every_change_in_order() {
    let Some(schema) = Schema::new("postgres_story_log_records_every_change_in_order") else {
        return;
    };
    let mut store = schema.store();
    story_log(&mut store);
}

#[test]
fn postgres_refuses_a_newer_schema() {
    let Some(schema) = Schema::new("postgres_refuses_a_newer_schema") else {
        return;
    };
    drop(schema.store());
    schema
        .client()
        .batch_execute("UPDATE schema_version SET version = 99")
        .expect("set version");
    match PostgresStore::connect(&schema.url) {
        Err(StoreError::SchemaTooNew { found, supported }) => {
            assert_eq!((found, supported), (99, PostgresStore::SCHEMA_VERSION));
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
}

#[test]
fn postgres_second_writer_is_refused_or_waits_until_the_first_is_done() {
    let Some(schema) = Schema::new("postgres_second_writer") else {
        return;
    };
    let mut first = schema.store();
    let mut second = schema.store();
    first
        .lock_writer(false)
        .expect("the first writer takes the lease");
    first
        .lock_writer(false)
        .expect("taking it again is a no-op");
    assert!(matches!(second.lock_writer(false), Err(StoreError::Busy)));
    assert_eq!(second.article_count().expect("count"), 0);
    let waiter = std::thread::spawn(move || {
        second.lock_writer(true).expect("waits for the lease");
        second
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(!waiter.is_finished(), "the second writer waits");
    drop(first);
    drop(waiter.join().expect("the waiter gets the lease"));
    let mut third = schema.store();
    third
        .lock_writer(false)
        .expect("free again once both are gone");
}

#[test]
fn postgres_corrections_are_kept_and_undone() {
    let Some(schema) = Schema::new("postgres_corrections") else {
        return;
    };
    let mut store = schema.store();
    store.commit(&first_batch()).expect("commit");
    let c = fixture_correction();
    let made = store
        .add_correction(&c.correction, &c.by, &c.at, c.reason.as_deref())
        .expect("add");
    assert_eq!(made, c);
    assert!(store.relink_pending().expect("pending"));
    let undone = store
        .undo_correction(1, "2026-12-07T09:00:00Z")
        .expect("undo")
        .expect("exists");
    assert_eq!(undone.undone_at.as_deref(), Some("2026-12-07T09:00:00Z"));
    let again = store
        .undo_correction(1, "2026-12-07T10:00:00Z")
        .expect("undo")
        .expect("exists");
    assert_eq!(again.undone_at.as_deref(), Some("2026-12-07T09:00:00Z"));
    assert_eq!(store.undo_correction(9, "now").expect("undo"), None);
}

// ---------------------------------------------------------------------------
// Fixtures: one SQL snapshot per schema version, which must keep opening.

/// The tables of a store, in the order a snapshot restores them.
const TABLES: [&str; 10] = [
    "schema_version",
    "articles",
    "cluster_state",
    "cluster_records",
    "store_meta",
    "story_aliases",
    "corrections",
    "story_log",
    "intake",
    "intake_documents",
];

/// The identity columns whose sequences a snapshot sets.
const IDENTITIES: [(&str, &str); 4] = [
    ("articles", "seq"),
    ("corrections", "id"),
    ("story_log", "seq"),
    ("intake", "seq"),
];

fn fixture_path(version: i64) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("postgres-v{version}.sql"))
}

/// Writes `tests/fixtures/postgres-v{N}.sql` for the current schema
/// version: the migration scripts up to it and the rows of a store that
/// holds `first_batch` and one correction.
///
/// Run once when adding a schema version (with a server):
/// `cargo test -p newsdesk-store --features postgres --test postgres -- --ignored write_postgres_fixture`.
/// It refuses to overwrite a fixture.
#[test]
#[ignore = "writes a fixture file; run by hand when the schema version changes"]
fn write_postgres_fixture() {
    let version = PostgresStore::SCHEMA_VERSION;
    let path = fixture_path(version);
    assert!(
        !path.exists(),
        "{} exists; never rewrite a fixture",
        path.display()
    );
    let Some(schema) = Schema::new("write_postgres_fixture") else {
        return;
    };
    {
        let mut store = schema.store();
        store.commit(&first_batch()).expect("commit");
        let c = fixture_correction();
        store
            .add_correction(&c.correction, &c.by, &c.at, c.reason.as_deref())
            .expect("correction");
        // From version 2: an article queued for the workers.
        newsdesk_store::Intake::connect(&schema.url)
            .expect("intake")
            .add(&[flood_doc().article])
            .expect("queue");
    }
    let mut client = schema.client();
    let mut sql = format!(
        "-- A newsdesk PostgreSQL store at schema version {version}, holding two\n\
         -- articles and one correction; load it into an empty schema.\n"
    );
    for v in 1..=version {
        sql.push_str(&format!("\n-- Migration to version {v}.\n"));
        sql.push_str(PostgresStore::migration_script(v).expect("script").trim());
        sql.push('\n');
    }
    sql.push_str("\n-- The rows.\n");
    // The tables of this version (the intake's from version 2).
    let tables: Vec<&str> = TABLES
        .into_iter()
        .filter(|t| !t.starts_with("intake") || version >= 2)
        .collect();
    for table in tables {
        let rows = client
            .query(
                &format!(
                    "SELECT format('INSERT INTO %I OVERRIDING SYSTEM VALUE \
                     SELECT * FROM json_populate_record(NULL::%I, %L);', \
                     '{table}', '{table}', row_to_json(t)::text) AS line \
                     FROM {table} AS t ORDER BY line"
                ),
                &[],
            )
            .expect("dump");
        for row in rows {
            sql.push_str(&row.get::<_, String>(0));
            sql.push('\n');
        }
    }
    for (table, column) in IDENTITIES {
        let last: Option<i64> = client
            .query_one(
                "SELECT pg_sequence_last_value(pg_get_serial_sequence($1, $2)::regclass)",
                &[&table, &column],
            )
            .expect("sequence")
            .get(0);
        if let Some(last) = last {
            sql.push_str(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), {last});\n"
            ));
        }
    }
    std::fs::write(&path, sql).expect("write fixture");
}

#[test]
fn postgres_v1_fixture_still_opens() {
    fixture_still_opens(1);
}

#[test]
fn postgres_v2_fixture_still_opens() {
    fixture_still_opens(2);
    let Some(schema) = Schema::new("v2_fixture_intake") else {
        return;
    };
    let sql = std::fs::read_to_string(fixture_path(2)).expect("read fixture");
    schema.client().batch_execute(&sql).expect("load fixture");
    let intake = newsdesk_store::Intake::connect(&schema.url).expect("intake");
    let status = intake.status().expect("status");
    assert_eq!(
        (status.received, status.pending, status.last_seq),
        (1, 1, 1)
    );
    // The next article queued takes the next place.
    let queued = intake.add(&[budget_doc().article]).expect("queue");
    assert_eq!((queued[0].seq, queued[0].new), (2, true));
}

fn fixture_still_opens(version: i64) {
    let Some(schema) = Schema::new("fixture_still_opens") else {
        return;
    };
    let sql = std::fs::read_to_string(fixture_path(version)).expect("read fixture");
    schema.client().batch_execute(&sql).expect("load fixture");
    let found: i64 = schema
        .client()
        .query_one("SELECT version FROM schema_version", &[])
        .expect("version")
        .get(0);
    assert_eq!(found, version, "fixture holds another schema version");
    let mut store = schema.store();
    assert_eq!(store.article_count().expect("count"), 2);
    assert_eq!(store.index().expect("index"), first_index());
    assert_eq!(
        store
            .documents(&[id("flood-1"), id("budget-1")])
            .expect("documents"),
        vec![flood_doc(), budget_doc()]
    );
    assert_eq!(store.cluster_state().expect("state"), None);
    assert_eq!(records(&store), [(1, 1, b"state-1".to_vec())]);
    assert_eq!(
        store.corrections().expect("corrections"),
        [fixture_correction()]
    );
    assert_eq!(hit_ids(&store, "flooding"), ["flood-1"]);
    assert_eq!(hit_ids(&store, "\"harbour budget\""), ["budget-1"]);
    assert_eq!(hit_ids(&store, "zeppelin"), Vec::<String>::new());

    // It still takes new articles after the old ones, and the story log
    // goes on from where the fixture's ended.
    let storm = document(
        "storm-1",
        Some("Storm warning"),
        &[Part::Body(&["A storm is coming."])],
    );
    let batch = IngestBatch {
        assignments: vec![assignment(&storm, 3, 3)],
        documents: vec![storm],
        ..IngestBatch::default()
    };
    let logged = store.log_seq().expect("log seq");
    assert!(logged > 0);
    assert_eq!(store.commit(&batch).expect("commit").added, 1);
    let index = store.index().expect("index");
    assert_eq!(index.last().map(|entry| entry.seq), Some(3));
    let log = store.log_after(logged, 10).expect("log");
    assert_eq!(
        log.iter()
            .map(|e| (e.kind, e.story, e.articles))
            .collect::<Vec<_>>(),
        [(LogKind::StoryNew, Some(3), 1)]
    );
    assert_eq!(hit_ids(&store, "storm"), ["storm-1"]);
}

/// Ends the server sessions that hold the schema's writer lease, as a
/// network cut or a server-side timeout would.
fn cut_lease_connections(schema: &Schema) {
    schema
        .client()
        .batch_execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks
             WHERE locktype = 'advisory' AND granted AND objsubid = 2
               AND objid::INT8 = (hashtext('lease:' || current_schema())::INT8 & 4294967295)",
        )
        .expect("terminate");
}

#[test]
fn postgres_a_writer_that_lost_its_lease_writes_nothing() {
    let Some(schema) = Schema::new("postgres_fenced_writer") else {
        return;
    };
    let mut old = schema.store();
    old.lock_writer(false).expect("lease");
    assert_eq!(old.writer_epoch(), Some(1));
    assert_eq!(
        old.lease().expect("lease"),
        newsdesk_store::Lease {
            held: true,
            epoch: Some(1)
        }
    );
    // The old holder pauses; its lease's connection is cut and another
    // process takes the lease over.
    cut_lease_connections(&schema);
    let mut new = schema.store();
    new.lock_writer(false).expect("the lease is free again");
    assert_eq!(new.writer_epoch(), Some(2));
    new.commit(&first_batch()).expect("the new holder writes");
    // The old holder wakes and writes: refused, nothing written.
    let late = IngestBatch {
        relinked_through: Some(99),
        intake_through: Some(99),
        ..IngestBatch::default()
    };
    assert!(matches!(old.commit(&late), Err(StoreError::LeaseLost(_))));
    assert_eq!(old.writer_epoch(), None, "the lost lease is forgotten");
    assert_eq!(new.intake_through().expect("place"), 0);
    assert_eq!(new.relinked_through().expect("through"), None);
    // Taken again, it writes under a new epoch (the new holder's lease is
    // cut first, or it would wait).
    cut_lease_connections(&schema);
    old.lock_writer(false).expect("lease again");
    assert_eq!(old.writer_epoch(), Some(3));
    old.commit(&late).expect("writes again");
    assert_eq!(old.intake_through().expect("place"), 99);
    assert!(matches!(new.commit(&late), Err(StoreError::LeaseLost(_))));
}

#[test]
fn postgres_a_holder_whose_lease_connection_died_writes_nothing() {
    let Some(schema) = Schema::new("postgres_dead_lease") else {
        return;
    };
    let mut store = schema.store();
    store.lock_writer(false).expect("lease");
    cut_lease_connections(&schema);
    // Nobody took the lease over, but this process no longer holds it.
    assert!(matches!(
        store.commit(&first_batch()),
        Err(StoreError::LeaseLost(_))
    ));
    assert_eq!(store.article_count().expect("count"), 0);
    store.lock_writer(false).expect("taken again");
    store.commit(&first_batch()).expect("then it writes");
    assert_eq!(store.article_count().expect("count"), 2);
}

#[test]
fn postgres_the_intake_hands_out_articles_in_order() {
    use newsdesk_store::{Claim, Intake, IntakeState};
    let Some(schema) = Schema::new("postgres_intake") else {
        return;
    };
    let intake = Intake::connect(&schema.url).expect("intake");
    let docs = [flood_doc(), budget_doc()];
    let articles: Vec<_> = docs.iter().map(|d| d.article.clone()).collect();
    let queued = intake.add(&articles).expect("add");
    assert_eq!(
        queued.iter().map(|q| (q.seq, q.new)).collect::<Vec<_>>(),
        [(1, true), (2, true)]
    );
    // Added again: the same places, nothing new.
    let again = intake.add(&articles[..1]).expect("add again");
    assert_eq!(
        (again[0].seq, again[0].new, again[0].state),
        (1, false, IntakeState::Pending)
    );
    // The second is analysed first: nothing is ready before the first is.
    let Claim::Take {
        attempts: 1,
        article: Ok(read),
        ..
    } = intake.claim(&queued[1].key).expect("claim")
    else {
        panic!("the second is to be analysed");
    };
    assert_eq!(read, articles[1]);
    assert!(intake.analysed(&queued[1].key, &docs[1]).expect("analysed"));
    let ready = intake.ready(0, 10).expect("ready");
    assert!(ready.articles.is_empty() && ready.waiting && ready.through == 0);
    // The first fails once, then is given up: the second is ready, and
    // the place passes over the first.
    assert!(matches!(
        intake.claim(&queued[0].key).expect("claim"),
        Claim::Take { attempts: 1, .. }
    ));
    intake
        .attempt_failed(&queued[0].key, "first try", false)
        .expect("failed once");
    assert!(matches!(
        intake.claim(&queued[0].key).expect("claim"),
        Claim::Take { attempts: 2, .. }
    ));
    intake
        .attempt_failed(&queued[0].key, "broken", true)
        .expect("given up");
    let ready = intake.ready(0, 10).expect("ready");
    assert_eq!(ready.through, 2);
    assert!(!ready.waiting);
    assert_eq!(ready.articles.len(), 1);
    assert_eq!(ready.articles[0].2, docs[1]);
    // Delivered twice: done; a key nobody queued: unknown.
    assert!(matches!(
        intake.claim(&queued[1].key).expect("claim"),
        Claim::Done(IntakeState::Analysed)
    ));
    assert!(matches!(
        intake.claim("nobody").expect("claim"),
        Claim::Unknown
    ));
    let status = intake.status().expect("status");
    assert_eq!(
        (
            status.received,
            status.pending,
            status.analysed,
            status.failed
        ),
        (2, 0, 1, 1)
    );
    assert_eq!((status.last_seq, status.analysed_through), (2, 2));
    let failures = intake.failures().expect("failures");
    assert_eq!(failures.len(), 1);
    assert_eq!(
        (failures[0].attempts, failures[0].error.as_deref()),
        (2, Some("broken"))
    );
    // Tried again: pending, attempts afresh, published by the sweeper.
    assert_eq!(
        intake.retry_failed(None).expect("retry"),
        [queued[0].key.clone()]
    );
    assert_eq!(intake.status().expect("status").analysed_through, 0);
    assert_eq!(
        intake
            .unpublished(std::time::Duration::ZERO, 10)
            .expect("unpublished"),
        [queued[0].key.clone()]
    );
    intake
        .published(&[queued[0].key.clone()])
        .expect("published");
    assert!(intake
        .unpublished(std::time::Duration::from_secs(60), 10)
        .expect("unpublished")
        .is_empty());
}
