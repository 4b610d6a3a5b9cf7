//! Hostile inputs (issue 27, "bounded work on any input"): each is refused
//! or read in bounded time and memory. `scripts/hostile-inputs` runs the
//! full-size versions under a memory cap; these are the small ones.

use std::io::Write;

use crate::support::{run, run_with_stdin};

/// `bytes` gzipped.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

/// Reliability review D3: `extract` inflated a 97 KB gzip bomb to 23 GB
/// before it was OOM-killed; every reader must stop at the limit.
#[test]
fn reliability_d3_gzip_bombs_are_refused_at_the_limit_by_every_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb = dir.path().join("bomb.html.gz");
    // 20 MB of zeros in about 20 KB, against a limit of 1 MB.
    std::fs::write(&bomb, gzip(&vec![0u8; 20_000_000])).expect("write");
    let bomb = bomb.to_str().expect("path");
    let db = dir.path().join("b.db");
    for command in ["extract", "ingest", "cluster"] {
        let refused = run(&db, &[command, bomb, "--max-article-bytes", "1000000"]).expect_code(1);
        assert!(
            refused
                .stderr
                .contains("bomb.html.gz: larger than the limit"),
            "{command}: {}",
            refused.stderr
        );
    }
    // `analyze` reads plain text only: the archive is not inflated at all.
    let refused = run(&db, &["analyze", bomb]).expect_code(1);
    assert!(refused.stderr.contains("not UTF-8"), "{}", refused.stderr);
}

/// Found while checking D3: `analyze` measured the file first and then
/// read it whole, so a pipe (which has no size) was read without a limit.
#[test]
fn analyze_applies_the_limit_while_reading_a_pipe() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "The mayor said the bridge would reopen. ".repeat(100);
    let refused = run_with_stdin(
        &dir.path().join("a.db"),
        &["analyze", "/dev/stdin", "--max-article-bytes", "1000"],
        text.as_bytes(),
    )
    .expect_code(1);
    assert!(
        refused.stderr.contains("larger than the limit"),
        "{}",
        refused.stderr
    );
}

/// Reliability review D17: a 5 MB page of NUL bytes took 1.27 GB through
/// `ingest` and `extract` before "no main text found".
#[test]
fn reliability_d17_a_page_of_nul_bytes_is_refused_as_not_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("z.html");
    std::fs::write(&page, vec![0u8; 1_000_000]).expect("write");
    let gzipped = dir.path().join("z.html.gz");
    std::fs::write(&gzipped, gzip(&vec![0u8; 1_000_000])).expect("write");
    let db = dir.path().join("z.db");
    for path in [&page, &gzipped] {
        let path = path.to_str().expect("path");
        for command in ["extract", "ingest"] {
            let refused = run(&db, &[command, path]).expect_code(1);
            assert!(
                refused
                    .stderr
                    .contains(": not text: 100% of its bytes are NUL"),
                "{command} {path}: {}",
                refused.stderr
            );
        }
    }
}
