//! Metadata given later (trust issue; desk review: "a later sidecar with
//! the right date or outlet is silently ignored").

use crate::support::{root, run};

/// The stored outlet, date and address of the article read from `file`.
fn stored(
    db: &std::path::Path,
    origin_ends: &str,
) -> (Option<String>, Option<String>, Option<String>) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row(
        "SELECT source, date, url FROM articles WHERE origin LIKE ?1",
        [format!("%{origin_ends}")],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
    .expect("the article")
}

#[test]
fn a_sidecar_written_later_corrects_the_stored_article_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).expect("dir");
    for entry in std::fs::read_dir(root().join("examples/lake-dam")).expect("examples") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, articles.join(path.file_name().expect("name"))).expect("copy");
    }
    let db = dir.path().join("store.db");
    let input = articles.to_str().expect("path");
    run(&db, &["ingest", input]).expect_code(0);
    let file = "05-veldmoor-flood-riverpost.txt";
    assert_eq!(stored(&db, file).0, None, "no outlet without a sidecar");

    std::fs::write(
        articles.join("05-veldmoor-flood-riverpost.meta.json"),
        r#"{"source": "The River Post", "date": "2025-03-15", "url": "https://riverpost.example/flood"}"#,
    )
    .expect("sidecar");
    let again = run(&db, &["ingest", input, "--json"]).expect_code(0).json();
    assert_eq!(again["updated"], 1, "{again}");
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(
        stored(&db, file),
        (
            Some("The River Post".to_owned()),
            Some("2025-03-15".to_owned()),
            Some("https://riverpost.example/flood".to_owned())
        )
    );
    let text = run(&db, &["ingest", input]).expect_code(0);
    assert!(
        !text.stdout.contains("updated"),
        "nothing more to correct: {}",
        text.stdout
    );
}
