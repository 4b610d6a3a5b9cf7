//! Bad input: each bad file or line is named on stderr and skipped, the
//! rest is ingested, and the exit code is non-zero only when nothing could
//! be read.

use crate::support::run;

#[test]
fn each_bad_input_is_named_and_the_good_ones_are_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("mkdir");
    let write = |name: &str, bytes: &[u8]| std::fs::write(input.join(name), bytes).expect("write");
    write(
        "01-good.txt",
        b"Rail workers in Lenholm began a two-day strike on Friday over pay.\n",
    );
    write("02-empty.txt", b"");
    write("03-binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00binary");
    write("04-latin1.txt", b"Stra\xdfe closed after the storm.\n");
    write(
        "05-mixed.jsonl",
        b"{\"id\": \"m1\", \"title\": \"Ferry resumes\", \"text\": \"The Lenholm ferry resumed service on Sunday.\"}\n{\"id\": \"m2\", \"text\": \n",
    );
    write("06-huge.txt", &vec![b'x'; 50 * 1024 * 1024]);
    let db = dir.path().join("bad.db");
    let missing = dir.path().join("no-such-file.txt");
    let result = run(
        &db,
        &[
            "ingest",
            input.to_str().expect("path"),
            missing.to_str().expect("path"),
            "--json",
        ],
    )
    .expect_code(0);
    for expected in [
        "02-empty.txt: empty file",
        "03-binary.txt: binary file",
        "04-latin1.txt: not valid UTF-8",
        "05-mixed.jsonl:2: not valid JSON",
        "06-huge.txt: file is 52.4 MB",
        "no-such-file.txt: cannot read: no such file or directory",
    ] {
        assert!(
            result.stderr.contains(expected),
            "missing {expected:?} in:\n{}",
            result.stderr
        );
    }
    // One line per problem.
    assert_eq!(result.stderr.lines().count(), 6, "{}", result.stderr);
    let report = result.json();
    assert_eq!(report["added"], 2);
    assert_eq!(report["skipped"], 6);
    assert_eq!(report["articles_in_store"], 2);
}

#[test]
fn nothing_readable_exits_non_zero_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"   \n").expect("write");
    let db = dir.path().join("none.db");
    let result = run(&db, &["ingest", empty.to_str().expect("path")]).expect_code(1);
    assert!(
        result.stderr.contains("empty.txt: empty file"),
        "{}",
        result.stderr
    );
    let missing = run(&db, &["ingest", "/no/such/dir"]).expect_code(1);
    assert!(
        missing.stderr.contains("/no/such/dir"),
        "{}",
        missing.stderr
    );
    let stories = run(&db, &["stories", "--json"]).expect_code(0).json();
    assert_eq!(stories, serde_json::json!([]));
}

/// Reliability review D5: an article whose id another article already
/// has (two feeds numbering from 1) was counted "already in the store"
/// and dropped without a word.
#[test]
fn an_id_taken_by_another_article_is_kept_apart_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = dir.path().join("first.jsonl");
    let second = dir.path().join("second.jsonl");
    std::fs::write(
        &first,
        "{\"id\": 1, \"title\": \"Harbour strike begins\", \"text\": \"Dock workers walked out on Monday.\"}\n",
    )
    .expect("write");
    std::fs::write(
        &second,
        "{\"id\": 1, \"title\": \"Mountain road closed\", \"text\": \"A rockslide closed the road on Sunday.\"}\n",
    )
    .expect("write");
    let db = dir.path().join("ids.db");
    let (first, second) = (
        first.to_str().expect("path"),
        second.to_str().expect("path"),
    );
    run(&db, &["ingest", first]).expect_code(0);
    let kept = run(&db, &["ingest", second, "--json"]).expect_code(0);
    assert!(
        kept.stderr.contains("second.jsonl:1") && kept.stderr.contains("kept as \"1~"),
        "{}",
        kept.stderr
    );
    assert_eq!(kept.json()["added"], 1);
    // Both again: nothing new, nothing warned.
    let again = run(&db, &["ingest", first, second, "--json"]).expect_code(0);
    assert_eq!(again.json()["already_present"], 2);
    assert!(!again.stderr.contains("kept as"), "{}", again.stderr);
}

/// Reliability review D14: usage mistakes exited 1, where README and
/// clap's own usage errors say 2.
#[test]
fn usage_mistakes_exit_with_code_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("u.db");
    let article = dir.path().join("a.txt");
    std::fs::write(&article, "The bridge reopened on Monday.").expect("write");
    let article = article.to_str().expect("path");
    let bad_date = run(&db, &["ingest", article, "--date", "2025-13-45"]).expect_code(2);
    assert!(
        bad_date.stderr.contains("is not a date"),
        "{}",
        bad_date.stderr
    );
    run(&db, &["analyze", article, "--date", "soon"]).expect_code(2);
    run(&db, &["brief"]).expect_code(2);
    run(&db, &["search", "bridge", "--limit", "0"]).expect_code(2);
    run(&db, &["no-such-command"]).expect_code(2);
}

/// Reliability review D11: `--json | head` printed "Broken pipe" and exited
/// 1, where the table form ends quietly.
#[test]
fn json_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.db");
    // Output well beyond a pipe's buffer (64 KB), so that the writer meets
    // the closed pipe.
    let long = dir.path().join("long.txt");
    let sentence = "The river rose by 2 metres on Monday, officials in Orlen said. ";
    std::fs::write(&long, sentence.repeat(2000)).expect("write");
    let mut child = crate::support::newsdesk(&db)
        .args(["analyze", long.to_str().expect("path"), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    // Read a few bytes, then close the pipe as `head -c 100` does.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 100];
    stdout
        .read_exact(&mut first)
        .expect("the start of the JSON");
    drop(stdout);
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

/// Reliability review D12: a file name with a line break forged an
/// `error:` line on stderr, and an outlet name with an escape sequence
/// reached the terminal raw.
#[test]
fn control_characters_in_names_and_fields_are_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let forged = dir
        .path()
        .join("e\nerror: fake.txt: forged line; skipped\n.txt");
    std::fs::write(&forged, "").expect("write");
    let empty = run(&db, &["ingest", forged.to_str().expect("path")]);
    assert!(
        !empty
            .stderr
            .lines()
            .any(|l| l.starts_with("error: fake.txt")),
        "{}",
        empty.stderr
    );
    assert!(
        empty.stderr.contains("\\u{a}error: fake.txt"),
        "{}",
        empty.stderr
    );

    let feed = dir.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        "{\"title\": \"Bridge reopens\", \"source\": \"Valley News\\u001b[2J\", \"text\": \"The bridge over the Varta reopened on Monday.\"}\n",
    )
    .expect("write");
    run(&db, &["ingest", feed.to_str().expect("path")]).expect_code(0);
    let shown = run(&db, &["show", "1"]).expect_code(0);
    assert!(!shown.stdout.contains('\u{1b}'), "{:?}", shown.stdout);
    assert!(
        shown.stdout.contains("Valley News\\u{1b}[2J"),
        "{}",
        shown.stdout
    );
}

/// Reliability review D6: `analyze` read a file of any size (60 MB took
/// 4.4 GB and did not finish in two minutes).
#[test]
fn analyze_refuses_a_file_over_the_size_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.txt");
    std::fs::write(
        &big,
        "The mayor said the bridge would reopen. ".repeat(3000),
    )
    .expect("write");
    let big = big.to_str().expect("path");
    let refused = run(
        &dir.path().join("a.db"),
        &["analyze", big, "--max-article-bytes", "1000"],
    )
    .expect_code(1);
    assert!(
        refused.stderr.contains("larger than the limit"),
        "{}",
        refused.stderr
    );
    run(&dir.path().join("a.db"), &["analyze", big]).expect_code(0);
}

/// Reliability review D13: `stories` on some other SQLite file added
/// newsdesk's tables to it.
#[test]
fn a_read_command_on_another_sqlite_file_refuses_it_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let other = dir.path().join("bookmarks.db");
    {
        let conn = rusqlite::Connection::open(&other).expect("open");
        conn.execute_batch(
            "CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('x');",
        )
        .expect("create");
    }
    let before = std::fs::read(&other).expect("read");
    let refused = run(&other, &["stories"]).expect_code(1);
    assert!(
        refused.stderr.contains("not a newsdesk store"),
        "{}",
        refused.stderr
    );
    assert_eq!(std::fs::read(&other).expect("read"), before);
}
