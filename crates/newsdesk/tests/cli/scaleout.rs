//! The scale-out mode end to end (issue 23): `ingest --to nats://…`,
//! `newsdesk worker`s on a PostgreSQL store, and the faults they must
//! survive — a worker killed mid-batch, the assembling worker killed,
//! the NATS server and the PostgreSQL server restarted, a key delivered
//! twice, a poison article. Each run must end with exactly the stories a
//! one-binary `newsdesk ingest` of the same input gives, no article lost
//! and none doubled.
//!
//! Needs PostgreSQL and NATS (`NEWSDESK_TEST_POSTGRES`,
//! `NEWSDESK_TEST_NATS`; the restart tests start servers of their own
//! with `scripts/postgres-test-server` and `scripts/nats-test-server`);
//! without them the tests say they are skipped, unless
//! `NEWSDESK_REQUIRE_POSTGRES=1` / `NEWSDESK_REQUIRE_NATS=1` (CI).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::postgres::Schema;
use crate::support::{newsdesk, run, shared_lines};

/// Articles of the smoke stream: the first of NeuS val (several events,
/// several stories).
const ARTICLES: usize = 120;

/// The NATS server of the tests, unless the test is skipped.
fn nats_server(test: &str) -> Option<String> {
    match std::env::var("NEWSDESK_TEST_NATS") {
        Ok(url) => Some(url.trim_end_matches('/').to_owned()),
        Err(_) => {
            if std::env::var("NEWSDESK_REQUIRE_NATS").as_deref() == Ok("1") {
                panic!("NEWSDESK_TEST_NATS is not set (scripts/nats-test-server)");
            }
            eprintln!("{test}: skipped (NEWSDESK_TEST_NATS is not set)");
            None
        }
    }
}

/// A subject of the test's own on `server` (so a stream of its own).
fn subject(server: &str, test: &str) -> String {
    format!("{server}/test.scaleout.{test}.{}", std::process::id())
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A server of the test's own, started by one of the scripts, which a
/// test may stop and start again (same data directory, same port).
struct OwnServer {
    script: &'static str,
    dir: tempfile::TempDir,
    port: u16,
    url: String,
}

impl OwnServer {
    fn start(script: &'static str) -> OwnServer {
        let dir = tempfile::tempdir().expect("tempdir");
        // PostgreSQL runs as its own user when the tests run as root.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        }
        let mut server = OwnServer {
            script,
            dir,
            port: free_port(),
            url: String::new(),
        };
        server.url = server.up();
        server
    }

    fn up(&self) -> String {
        let out = Command::new(crate::support::root().join("scripts").join(self.script))
            .arg(self.dir.path())
            .arg(self.port.to_string())
            .stdin(Stdio::null())
            .output()
            .expect("run the server script");
        assert!(
            out.status.success(),
            "{}: {}",
            self.script,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// The server's pid, from its pid file.
    fn pid(&self) -> Option<String> {
        let file = match self.script {
            "nats-test-server" => self.dir.path().join("nats.pid"),
            _ => self.dir.path().join("data/postmaster.pid"),
        };
        let text = std::fs::read_to_string(file).ok()?;
        text.lines().next().map(|l| l.trim().to_owned())
    }

    /// Stops the server (a fast shutdown) and waits until it is gone.
    fn stop(&self) {
        let Some(pid) = self.pid() else { return };
        let signal = if self.script == "nats-test-server" {
            "-TERM"
        } else {
            "-INT"
        };
        let _ = Command::new("kill").args([signal, &pid]).status();
        let started = Instant::now();
        while Path::new(&format!("/proc/{pid}")).exists() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{} did not stop",
                self.script
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn restart(&self) {
        self.stop();
        self.up();
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Where a scale-out test runs: a store, a queue, the input, and the
/// stories a one-binary ingest of it gives.
struct Desk {
    db: String,
    queue: String,
    input: PathBuf,
    dir: tempfile::TempDir,
    _schema: Option<Schema>,
}

impl Desk {
    /// On the shared test servers.
    fn shared(test: &str) -> Option<Desk> {
        let queue = subject(&nats_server(test)?, test);
        let schema = Schema::new(&format!("scaleout_{test}"))?;
        Desk::new(test, schema.url(), queue, Some(schema))
    }

    fn new(test: &str, db: String, queue: String, schema: Option<Schema>) -> Option<Desk> {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = shared_lines(
            "eval/clustering/neus_val.jsonl",
            0,
            ARTICLES,
            dir.path(),
            test,
        )?;
        Some(Desk {
            db,
            queue,
            input,
            dir,
            _schema: schema,
        })
    }

    fn db(&self) -> &Path {
        Path::new(&self.db)
    }

    fn ingest(&self) {
        let input = self.input.to_str().expect("utf-8");
        let queued = run(self.db(), &["ingest", input, "--to", &self.queue]);
        assert_eq!(queued.code, 0, "{}", queued.stderr);
    }

    /// A worker, its log in the test's directory.
    fn worker(&self, name: &str, args: &[&str]) -> Child {
        let log = std::fs::File::create(self.dir.path().join(format!("{name}.log"))).expect("log");
        newsdesk(self.db())
            .args(["worker", "--from", &self.queue, "--threads", "1"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn a worker")
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(format!("{name}.log"))).unwrap_or_default()
    }

    /// Waits for `worker` to exit 0 (within two minutes).
    fn finished(&self, name: &str, mut worker: Child) {
        let started = Instant::now();
        loop {
            if let Some(status) = worker.try_wait().expect("wait") {
                assert!(
                    status.success(),
                    "worker {name}: {status}\n{}",
                    self.log(name)
                );
                return;
            }
            if started.elapsed() > Duration::from_secs(120) {
                let _ = worker.kill();
                panic!("worker {name} did not finish\n{}", self.log(name));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// One SQL number from the store.
    fn number(&self, sql: &str) -> i64 {
        let mut client = postgres::Client::connect(&self.db, postgres::NoTls).expect("connect");
        client
            .query_one(sql, &[])
            .and_then(|row| row.try_get(0))
            .unwrap_or(0)
    }

    /// Waits until `sql` gives at least `n` (within a minute).
    fn wait_for(&self, sql: &str, n: i64) {
        let started = Instant::now();
        while self.number(sql) < n {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "waited for {sql} ≥ {n}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The stories of a one-binary ingest of the same input.
    fn one_binary_stories(&self) -> serde_json::Value {
        let db = self.dir.path().join("one.db");
        let input = self.input.to_str().expect("utf-8");
        let ingested = run(&db, &["ingest", input]);
        assert_eq!(ingested.code, 0, "{}", ingested.stderr);
        stories(&db)
    }

    /// The run is complete: nothing pending, every article stored once,
    /// the stories of one machine.
    fn check_complete(&self, failed: usize) {
        let status = run(self.db(), &["status", "--json"]);
        assert_eq!(status.code, 0, "{}", status.stderr);
        let status = status.json();
        assert_eq!(status["intake"]["pending"], 0, "{status}");
        assert_eq!(status["intake"]["failed"], failed as u64, "{status}");
        assert_eq!(
            status["assembled_through"], status["intake"]["last_seq"],
            "{status}"
        );
        assert_eq!(status["articles"], ARTICLES as u64, "{status}");
        assert_eq!(status["awaiting_relink"], 0, "{status}");
        assert_eq!(stories(self.db()), self.one_binary_stories());
    }
}

fn stories(db: &Path) -> serde_json::Value {
    let listed = run(db, &["stories", "--json"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    listed.json()
}

/// Articles the assembler has committed.
const ASSEMBLED: &str =
    "SELECT coalesce((SELECT value::BIGINT FROM store_meta WHERE key = 'intake_through'), 0)";

/// Articles the workers have analysed.
const ANALYSED: &str = "SELECT count(*) FROM intake WHERE state = 'analysed'";

#[test]
fn three_workers_give_the_stories_of_one_machine() {
    let Some(desk) = Desk::shared("three_workers") else {
        return;
    };
    desk.ingest();
    // Queued twice: nothing more is queued, nothing is doubled.
    desk.ingest();
    let workers: Vec<Child> = (0..3)
        .map(|i| desk.worker(&format!("w{i}"), &["--until-idle", "--batch", "8"]))
        .collect();
    for (i, w) in workers.into_iter().enumerate() {
        desk.finished(&format!("w{i}"), w);
    }
    desk.check_complete(0);
    // One of them assembled everything, under one lease epoch.
    let logs: String = (0..3).map(|i| desk.log(&format!("w{i}"))).collect();
    assert_eq!(
        logs.matches("assembling stories (lease epoch").count(),
        1,
        "{logs}"
    );
}

#[test]
fn a_worker_killed_mid_batch_loses_nothing() {
    let Some(desk) = Desk::shared("kill_worker") else {
        return;
    };
    desk.ingest();
    // An analyser only, killed with keys in hand (not acknowledged).
    let mut doomed = desk.worker(
        "doomed",
        &["--no-assemble", "--batch", "16", "--ack-wait", "2"],
    );
    desk.wait_for(ANALYSED, 20);
    doomed.kill().expect("kill -9");
    let _ = doomed.wait();
    let rest = desk.worker("rest", &["--until-idle", "--batch", "16"]);
    desk.finished("rest", rest);
    desk.check_complete(0);
}

#[test]
fn the_assembling_worker_killed_another_takes_over() {
    let Some(desk) = Desk::shared("kill_assembler") else {
        return;
    };
    desk.ingest();
    // The first worker alone takes the lease; kill it once it has
    // committed some stories (a kill -9 drops its connections, and so
    // its lease, at once).
    let mut first = desk.worker("first", &["--batch", "4", "--ack-wait", "2"]);
    desk.wait_for(ASSEMBLED, 10);
    let second = desk.worker("second", &["--until-idle", "--batch", "4"]);
    first.kill().expect("kill -9");
    let _ = first.wait();
    desk.finished("second", second);
    assert!(
        desk.log("second")
            .contains("assembling stories (lease epoch 2)"),
        "{}",
        desk.log("second")
    );
    desk.check_complete(0);
}

#[test]
fn a_restart_of_the_nats_server_loses_nothing() {
    let Some(_) = nats_server("nats_restart") else {
        return;
    };
    let Some(schema) = Schema::new("scaleout_nats_restart") else {
        return;
    };
    let nats = OwnServer::start("nats-test-server");
    let queue = subject(&nats.url, "nats_restart");
    let Some(desk) = Desk::new("nats_restart", schema.url(), queue, Some(schema)) else {
        return;
    };
    desk.ingest();
    // Acknowledgements lost with the connection come back after the ack
    // wait.
    let worker = desk.worker("w", &["--until-idle", "--batch", "4", "--ack-wait", "2"]);
    desk.wait_for(ANALYSED, 10);
    nats.restart();
    desk.finished("w", worker);
    desk.check_complete(0);
}

#[test]
fn a_restart_of_the_postgres_server_loses_nothing() {
    let Some(nats) = nats_server("postgres_restart") else {
        return;
    };
    // The shared server's variable says whether PostgreSQL is there.
    let Some(_shared) = Schema::new("scaleout_postgres_restart") else {
        return;
    };
    let postgres = OwnServer::start("postgres-test-server");
    let queue = subject(&nats, "postgres_restart");
    let Some(desk) = Desk::new("postgres_restart", postgres.url.clone(), queue, None) else {
        return;
    };
    desk.ingest();
    let worker = desk.worker("w", &["--until-idle", "--batch", "4", "--ack-wait", "2"]);
    desk.wait_for(ASSEMBLED, 10);
    postgres.restart();
    desk.finished("w", worker);
    assert!(
        desk.log("w").contains("contending for the lease again"),
        "{}",
        desk.log("w")
    );
    desk.check_complete(0);
}

#[test]
fn a_key_delivered_twice_is_done_once() {
    let Some(desk) = Desk::shared("twice") else {
        return;
    };
    desk.ingest();
    let worker = desk.worker("first", &["--until-idle"]);
    desk.finished("first", worker);
    // Every key delivered again (as a queue may after a lost
    // acknowledgement): acknowledged without work.
    let mut client = postgres::Client::connect(&desk.db, postgres::NoTls).expect("connect");
    let keys: Vec<String> = client
        .query("SELECT key FROM intake", &[])
        .expect("keys")
        .iter()
        .map(|row| row.get(0))
        .collect();
    republish(&desk.queue, &keys);
    let again = newsdesk(desk.db())
        .args(["worker", "--from", &desk.queue, "--until-idle", "--json"])
        .output()
        .expect("worker");
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).expect("json");
    assert_eq!(report["redelivered"], ARTICLES as u64, "{report}");
    assert_eq!(report["analysed"], 0, "{report}");
    desk.check_complete(0);
}

/// Publishes `keys` again under new message ids (as the sweeper does),
/// with the queue crate the binary uses.
fn republish(queue: &str, keys: &[String]) {
    let url: newsdesk_queue::QueueUrl = queue.parse().expect("queue url");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let queue = newsdesk_queue::WorkQueue::connect(&url)
            .await
            .expect("connect");
        let published = queue.publish_many(keys, ":again").await.expect("publish");
        assert!(published.iter().all(|p| !p.duplicate));
    });
}

#[test]
fn a_poison_article_is_failed_and_the_rest_assembled() {
    let Some(desk) = Desk::shared("poison") else {
        return;
    };
    desk.ingest();
    // A record no worker can read, queued among the others.
    let mut client = postgres::Client::connect(&desk.db, postgres::NoTls).expect("connect");
    client
        .execute(
            "INSERT INTO intake (key, raw) VALUES ('poison', '{\"id\": 7, \"text\": ')",
            &[],
        )
        .expect("insert");
    republish(&desk.queue, &["poison".to_owned()]);
    let worker = desk.worker(
        "w",
        &["--until-idle", "--max-attempts", "2", "--retry-after", "0"],
    );
    desk.finished("w", worker);
    let failed = run(desk.db(), &["failed", "--json"]);
    assert_eq!(failed.code, 0, "{}", failed.stderr);
    let failed = failed.json();
    assert_eq!(failed[0]["key"], "poison", "{failed}");
    assert_eq!(failed[0]["attempts"], 2, "{failed}");
    assert!(
        failed[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("cannot be read")),
        "{failed}"
    );
    desk.check_complete(1);
}
