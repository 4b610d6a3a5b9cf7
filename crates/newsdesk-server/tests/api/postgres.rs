//! The server on a PostgreSQL store (`StoreAt::Postgres`): the same
//! answers as on SQLite from the same articles, live updates, and a clean
//! stop. Needs a server (`NEWSDESK_TEST_POSTGRES=$(scripts/postgres-test-server
//! DIR)`); without one each test says it is skipped, unless
//! `NEWSDESK_REQUIRE_POSTGRES=1` (CI).
//!
//! The sync PostgreSQL client blocks on a runtime of its own, which
//! panics on a thread that drives async tasks: these tests make and drop
//! their schemas on threads of their own.

use std::sync::atomic::{AtomicUsize, Ordering};

use newsdesk_server::StoreAt;

use super::*;

/// Runs `f` on a thread of its own and waits for it.
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| scope.spawn(f).join().unwrap())
}

/// A fresh schema on the test server; dropped with the guard.
struct Schema {
    base: String,
    name: String,
}

impl Schema {
    // The skip message goes to stderr on purpose.
    #[allow(clippy::print_stderr)]
    fn new(test: &str) -> Option<Schema> {
        let Ok(base) = std::env::var("NEWSDESK_TEST_POSTGRES") else {
            if std::env::var("NEWSDESK_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("NEWSDESK_TEST_POSTGRES is not set (scripts/postgres-test-server)");
            }
            eprintln!("{test}: skipped (NEWSDESK_TEST_POSTGRES is not set)");
            return None;
        };
        let name = format!("server_{test}_{}", std::process::id());
        off_runtime(|| {
            let mut client = ::postgres::Client::connect(&base, ::postgres::NoTls).unwrap();
            client
                .batch_execute(&format!(
                    "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
                ))
                .unwrap();
        });
        Some(Schema { base, name })
    }

    /// The URL of a store in the schema, its connections named `app` (as
    /// `pg_stat_activity` shows them).
    fn url(&self, app: &str) -> String {
        let separator = if self.base.contains('?') { '&' } else { '?' };
        format!(
            "{}{separator}application_name={app}&options=-csearch_path%3D{}",
            self.base, self.name
        )
    }

    /// How many connections named `app` are open.
    fn connections(&self, app: &str) -> i64 {
        off_runtime(|| {
            let mut client = ::postgres::Client::connect(&self.base, ::postgres::NoTls).unwrap();
            client
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                    &[&app],
                )
                .unwrap()
                .get(0)
        })
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let (base, name) = (&self.base, &self.name);
        off_runtime(|| {
            if let Ok(mut client) = ::postgres::Client::connect(base, ::postgres::NoTls) {
                let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {name} CASCADE"));
            }
        });
    }
}

/// Server options for a store in `schema`.
fn options_on(schema: &Schema, app: &str) -> ServeOptions {
    ServeOptions::new(StoreAt::Postgres(schema.url(app)))
}

/// A value without the times that say when the articles were stored or
/// a change was made (they differ between two ingests of the same
/// articles), anywhere in it.
fn timeless(mut value: Value) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for key in [
                    "at",
                    "ingested_at",
                    "first_stored",
                    "last_stored",
                    "stored_at",
                ] {
                    map.remove(key);
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut value);
    value
}

/// The hits of a search as (article, excerpt), sorted: the same on both
/// backends, though scores and the order of near-ties differ (PostgreSQL
/// ranks with `ts_rank`, SQLite with BM25).
async fn hits(app: &App, q: &str) -> Vec<(String, String)> {
    let answer = get(app, &format!("/api/v1/search?q={q}")).await;
    assert_eq!(answer.status, StatusCode::OK);
    let mut hits: Vec<(String, String)> = answer.json()["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["id"].to_string(), h["snippet"].to_string()))
        .collect();
    hits.sort();
    hits
}

#[tokio::test]
async fn a_postgres_store_serves_what_sqlite_serves() {
    let Some(schema) = Schema::new("same_answers") else {
        return;
    };
    let options = options_on(&schema, "same_answers");
    let pg = with_examples(app_on(options, ())).await;
    let sqlite = examples_app().await;

    // The stories, each story's report, search.
    let stories = get(&pg, "/api/v1/stories").await;
    assert_eq!(stories.status, StatusCode::OK);
    let stories = stories.json();
    assert_eq!(
        timeless(stories.clone()),
        timeless(get(&sqlite, "/api/v1/stories").await.json())
    );
    let listed = stories["stories"].as_array().unwrap();
    assert!(listed.len() >= 2, "{stories}");
    for story in listed {
        let uri = format!("/api/v1/stories/{}", story["id"]);
        let report = get(&pg, &uri).await;
        assert_eq!(report.status, StatusCode::OK);
        assert_eq!(
            report.header("etag"),
            format!("\"{}\"", story["version"].as_str().unwrap())
        );
        assert_eq!(
            timeless(report.json()),
            timeless(get(&sqlite, &uri).await.json())
        );
    }
    let spillway = hits(&pg, "spillway").await;
    assert!(!spillway.is_empty());
    assert_eq!(spillway, hits(&sqlite, "spillway").await);
    get(&pg, "/api/v1/search?q=%20")
        .await
        .problem(StatusCode::BAD_REQUEST);

    // Health.
    let health = get(&pg, "/api/v1/health").await.json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["articles"], 7);
    assert_eq!(health, get(&sqlite, "/api/v1/health").await.json());

    // A correction, checked against the stories' versions, and undone.
    let (into, from) = (&listed[0], &listed[1]);
    let merge = serde_json::json!({
        "by": "ana",
        "change": {"kind": "merge_stories", "into": into["id"], "from": from["id"]},
    })
    .to_string();
    let correct = |tags: String| {
        Request::post("/api/v1/corrections")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::IF_MATCH, tags)
            .body(Body::from(merge.clone()))
            .unwrap()
    };
    call(&pg, correct("\"0000000000000000\"".to_owned()))
        .await
        .problem(StatusCode::PRECONDITION_FAILED);
    let tags = format!("{}, {}", story_tag(into), story_tag(from));
    let made = call(&pg, correct(tags.clone())).await;
    assert_eq!(
        made.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&made.body)
    );
    let made_on_sqlite = call(&sqlite, correct(tags)).await;
    assert_eq!(made_on_sqlite.status, StatusCode::CREATED);
    assert_eq!(timeless(made.json()), timeless(made_on_sqlite.json()));
    let merged = get(&pg, "/api/v1/stories").await.json();
    assert_eq!(merged["total"], stories["total"].as_u64().unwrap() - 1);
    assert_eq!(
        timeless(merged),
        timeless(get(&sqlite, "/api/v1/stories").await.json())
    );
    let old = get(&pg, &format!("/api/v1/stories/{}", from["id"])).await;
    assert_eq!(old.status, StatusCode::TEMPORARY_REDIRECT);
    let corrections = get(&pg, "/api/v1/corrections").await.json();
    let id = corrections[0]["id"].as_u64().unwrap();
    let undo = |id: u64| {
        Request::delete(format!("/api/v1/corrections/{id}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(call(&pg, undo(id)).await.status, StatusCode::OK);
    assert_eq!(
        timeless(get(&pg, "/api/v1/stories").await.json()),
        timeless(stories.clone())
    );

    // The changes since the start, the pages.
    let changes = get(&pg, "/api/v1/changes").await;
    assert_eq!(changes.status, StatusCode::OK);
    assert!(!changes.json().as_array().unwrap().is_empty());
    let front = get(&pg, "/").await;
    assert_eq!(front.status, StatusCode::OK);
    assert!(String::from_utf8(front.body).unwrap().contains("Veldmoor"));
    let page = get(&pg, &format!("/stories/{}", into["id"])).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(String::from_utf8(page.body)
        .unwrap()
        .contains("class=\"brief\""));
}

/// A story's version as an entity tag.
fn story_tag(story: &Value) -> String {
    format!("\"{}\"", story["version"].as_str().unwrap())
}

/// Every event of a live stream up to the one with id `last`, by name
/// and data, without the times of the changes.
async fn events_until(
    reader: &mut BufReader<tokio::net::TcpStream>,
    last: u64,
) -> Vec<(String, Value)> {
    let mut events = Vec::new();
    loop {
        let (id, name, data) = next_figure_or_event(reader).await;
        events.push((name, timeless(data)));
        if id == Some(last) {
            return events;
        }
    }
}

/// The live stream of a server on `options` while the examples are
/// ingested through it: every event, then the server stopped (which
/// ends the stream).
async fn live_while_ingesting(options: ServeOptions) -> Vec<(String, Value)> {
    let (addr, stop, server) = serve_tcp(options).await;
    let mut live = open_stream(addr, "/api/v1/live", None).await;
    let status = post_tcp(
        addr,
        "/api/v1/articles",
        "application/x-ndjson",
        &examples_jsonl(),
    )
    .await;
    assert!(status.contains("200"), "{status}");
    let health = get_tcp(addr, "/api/v1/health").await;
    let events = events_until(&mut live, health["log_seq"].as_u64().unwrap()).await;
    stop.send(()).unwrap();
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), live.read_to_end(&mut rest))
        .await
        .expect("the stream ends at shutdown")
        .unwrap();
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
    events
}

/// GETs `path` over TCP and returns the JSON body.
async fn get_tcp(addr: std::net::SocketAddr, path: &str) -> Value {
    let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
    client
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
    let mut answer = String::new();
    client.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).unwrap();
    serde_json::from_str(body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_updates_on_postgres_are_those_on_sqlite() {
    let Some(schema) = Schema::new("live") else {
        return;
    };
    let on_pg = live_while_ingesting(options_on(&schema, "live")).await;
    let dir = tempfile::tempdir().unwrap();
    let on_sqlite = live_while_ingesting(ServeOptions::new(dir.path().join("desk.db"))).await;
    assert!(
        on_pg.iter().filter(|(name, _)| name == "story.new").count() >= 2,
        "{on_pg:?}"
    );
    assert_eq!(on_pg, on_sqlite);
    // The server's connections are all closed once it has stopped.
    for _ in 0..50 {
        if schema.connections("live") == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("connections left open: {}", schema.connections("live"));
}

/// Found when the server first ran on PostgreSQL: the last reference to
/// the server's state went on a thread driving async tasks (a test's, or
/// the live watcher's at shutdown), and closing the PostgreSQL
/// connections kept for reading panicked there ("Cannot start a runtime
/// from within a runtime").
#[test]
fn the_server_stopped_on_a_runtime_thread_closes_its_postgres_readers() {
    let Some(schema) = Schema::new("stop") else {
        return;
    };
    // A panic on any thread counts, a tokio task's too (the runtime
    // would only log it).
    static PANICS: AtomicUsize = AtomicUsize::new(0);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        previous(info);
    }));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let app = app_on(options_on(&schema, "stop"), ());
        // A read leaves a reader kept, and the watcher polls meanwhile.
        assert_eq!(get(&app, "/api/v1/health").await.status, StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(600)).await;
        // Dropped here, on this runtime's thread; the watcher ends at its
        // next poll and drops the state's last reference.
        drop(app);
        tokio::time::sleep(Duration::from_millis(600)).await;
    });
    drop(runtime);
    let _ = std::panic::take_hook();
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "a panic while stopping");
    assert_eq!(schema.connections("stop"), 0);
}
