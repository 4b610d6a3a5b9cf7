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
