//! Running the binary and finding the data it reads.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared` beside the workspace, when it is there.
pub fn shared() -> Option<PathBuf> {
    let path = root().join("../shared");
    path.is_dir().then_some(path)
}

/// A path under `../shared`, or `None` with a message saying the test is
/// skipped.
pub fn shared_path(relative: &str, test: &str) -> Option<PathBuf> {
    match shared().map(|s| s.join(relative)).filter(|p| p.exists()) {
        Some(path) => Some(path),
        None => {
            eprintln!("skipping {test}: ../shared/{relative} is not present beside the workspace");
            None
        }
    }
}

/// Lines `from..from + n` of the shared file `relative` (JSONL, say), as
/// a file in `dir`, or `None` (the test says it is skipped) without
/// ../shared.
pub fn shared_lines(
    relative: &str,
    from: usize,
    n: usize,
    dir: &Path,
    test: &str,
) -> Option<PathBuf> {
    let all = std::fs::read_to_string(shared_path(relative, test)?).expect("read the shared file");
    let lines: Vec<&str> = all.lines().skip(from).take(n).collect();
    assert_eq!(lines.len(), n, "{relative} is shorter than expected");
    let name = Path::new(relative)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("lines");
    Some(write_lines(
        &dir.join(format!("{name}-{from}-{n}.jsonl")),
        &lines,
    ))
}

/// `lines` as the file `path`, one per line.
pub fn write_lines(path: &Path, lines: &[&str]) -> PathBuf {
    std::fs::write(path, lines.join("\n") + "\n").expect("write the input");
    path.to_path_buf()
}

/// Whether another process holds the store's writer lock.
pub fn writer_lock_held(db: &Path) -> bool {
    let lock = db.with_file_name(format!(
        "{}.lock",
        db.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("newsdesk.db")
    ));
    let Ok(file) = std::fs::OpenOptions::new().write(true).open(lock) else {
        return false;
    };
    matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Panics unless the run exited with `code`.
    pub fn expect_code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "exit code {} (wanted {code})\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

fn finish(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A command for the binary with the store at `db`.
pub fn newsdesk(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsdesk"));
    command
        .env_remove("NEWSDESK_DB")
        .arg("--db")
        .arg(db)
        .stdin(Stdio::null());
    command
}

/// Runs the binary with the store at `db`.
pub fn run(db: &Path, args: &[&str]) -> Run {
    finish(newsdesk(db).args(args).output().expect("run newsdesk"))
}

/// Runs a command that needs no store (`eval`, `extract`, `cluster`…),
/// pointing `--db` at a file in a directory of its own that is removed
/// afterwards.
pub fn run_without_store(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    run(&dir.path().join("unused.db"), args)
}

/// Runs the binary with the store at `db`, feeding `input` on stdin.
pub fn run_with_stdin(db: &Path, args: &[&str], input: &[u8]) -> Run {
    use std::io::Write;
    let mut child = newsdesk(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn newsdesk");
    // The command may exit before reading its input (a usage error, say):
    // a closed pipe is then expected, not a failure of the test.
    if let Err(e) = child.stdin.take().expect("stdin").write_all(input) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
    finish(child.wait_with_output().expect("wait"))
}

/// The ids of the articles of each story in `stories --json`, sorted.
pub fn story_articles(stories: &serde_json::Value) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = stories
        .as_array()
        .expect("stories is a list")
        .iter()
        .map(|s| {
            let mut ids: Vec<String> = s["articles"]
                .as_array()
                .expect("articles")
                .iter()
                .map(|a| a.as_str().expect("id").to_string())
                .collect();
            ids.sort();
            ids
        })
        .collect();
    out.sort();
    out
}

/// Ingests the seeds with their publication dates (003 on 13 August, the
/// others on 15 August) and an outlet name per file; returns the store.
pub fn ingest_seeds(dir: &std::path::Path, test: &str) -> Option<std::path::PathBuf> {
    let seeds = shared_path("seeds", test)?;
    let db = dir.join("seeds.db");
    ingest_dated_seeds(&db, &seeds);
    Some(db)
}

/// The seeds in publication order with their dates from
/// ../shared/seeds/README.md.
pub const SEED_DATES: [(&str, &str); 4] = [
    ("003_13007314bf827a1d.txt", "2021-08-13"),
    ("000_1966d61d00fcbcb0.txt", "2021-08-15"),
    ("001_fb07d6c771e3af61.txt", "2021-08-15"),
    ("002_1d5f5812acdbfad4.txt", "2021-08-15"),
];

/// Ingests the four seeds from `seeds` into `db` as [`ingest_seeds`] does,
/// after whatever the store already holds.
pub fn ingest_dated_seeds(db: &std::path::Path, seeds: &std::path::Path) {
    for (file, date) in SEED_DATES {
        let source = format!("seed{}", &file[..3]);
        let path = seeds.join(file);
        run(
            db,
            &[
                "ingest",
                path.to_str().expect("utf-8"),
                "--date",
                date,
                "--source",
                &source,
            ],
        )
        .expect_code(0);
    }
}

/// BCubed F1 of `newsdesk eval clustering` on a benchmark file with
/// `args`, checking that all `items` articles were scored; `None` (the
/// test says it is skipped) when the file is absent.
pub fn clustering_f1(relative: &str, test: &str, args: &[&str], items: u64) -> Option<f64> {
    let file = shared_path(relative, test)?;
    let path = file.to_str().expect("path");
    let score = run_without_store(&[&["eval", "clustering", path, "--json"], args].concat())
        .expect_code(0)
        .json();
    assert_eq!(score["items"], items);
    Some(score["bcubed"]["f1"].as_f64().expect("f1"))
}

/// The examples of `examples/lake-dam` ingested twice in `dir`: into
/// `clean.db` with batch linking, and into `online.db` with
/// `--story-linking online`, which leaves a batch re-linking pending.
/// Returns the examples' path and the two stores.
pub fn clean_and_online_stores(dir: &Path) -> (String, PathBuf, PathBuf) {
    let examples = root().join("examples/lake-dam");
    let examples = examples.to_str().expect("path").to_owned();
    let clean = dir.join("clean.db");
    run(&clean, &["ingest", &examples]).expect_code(0);
    let online = dir.join("online.db");
    run(&online, &["ingest", &examples, "--story-linking", "online"]).expect_code(0);
    (examples, clean, online)
}
