//! The CLI on a PostgreSQL store (`--db postgres://…`): the same stories,
//! search and corrections as on SQLite, from the same articles. Needs a
//! server (`NEWSDESK_TEST_POSTGRES=$(scripts/postgres-test-server DIR)`);
//! without one the test says it is skipped, unless
//! `NEWSDESK_REQUIRE_POSTGRES=1` (CI).

use std::path::Path;

use crate::support::{newsdesk, root, run};

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

/// A GET over TCP: the status line and the body (the server closes the
/// connection after answering).
fn http_get(addr: &str, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    let status = head.lines().next().unwrap_or("").to_owned();
    (status, body.to_owned())
}

#[test]
fn serve_answers_from_a_postgres_store_and_stops_cleanly() {
    use std::io::BufRead;
    let Some(schema) = Schema::new("serve") else {
        return;
    };
    let url = schema.url();
    let examples = root().join("examples/lake-dam");
    let ingested = run(
        Path::new(&url),
        &["ingest", examples.to_str().expect("utf-8")],
    );
    assert_eq!(ingested.code, 0, "{}", ingested.stderr);
    let listed = stories(Path::new(&url));
    // With a password in the URL (the test server trusts loopback and
    // ignores it), which the server never shows.
    let with_password = match url.split_once("://") {
        Some((scheme, rest)) if !rest.split('@').next().unwrap_or("").contains(':') => {
            format!("{scheme}://{}", rest.replacen('@', ":s3cret@", 1))
        }
        _ => url.clone(),
    };
    let mut server = newsdesk(Path::new(&with_password))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn newsdesk serve");
    let mut stdout = std::io::BufReader::new(server.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("the serving line");
    assert!(!line.contains("s3cret"), "{line}");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    let (status, body) = http_get(&addr, "/api/v1/stories");
    assert!(status.contains("200"), "{status} {body}");
    let page: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(page["total"], listed.as_array().map_or(0, Vec::len));
    let (status, body) = http_get(&addr, "/");
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("Veldmoor"));
    let sent = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(server.id().to_string())
        .status()
        .expect("kill");
    assert!(sent.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).expect("stdout");
    let output = server.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(rest.contains("newsdesk serve: stopped"), "{rest}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
