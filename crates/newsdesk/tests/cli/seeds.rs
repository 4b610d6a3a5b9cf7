//! The four seed articles (read from ../shared/seeds, never copied).

use crate::support::{run, shared_path, story_articles};

#[test]
fn seeds_form_one_story_and_a_second_ingest_adds_nothing() {
    let Some(seeds) = shared_path("seeds", "seeds_form_one_story") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("seeds.db");
    let seeds = seeds.to_str().expect("utf-8 path");
    let first = run(&db, &["ingest", seeds, "--json"]).expect_code(0).json();
    assert_eq!(first["added"], 4, "{first}");
    let stories = run(&db, &["stories", "--json"]).expect_code(0).json();
    let groups = story_articles(&stories);
    assert_eq!(groups.len(), 1, "one story: {stories}");
    assert_eq!(groups[0].len(), 4);
    // 000–002 report the same event (Kabul, 15 Aug); 003 an earlier one
    // (Herat and Kandahar, 12–13 Aug) of the same story.
    assert_eq!(
        stories[0]["events"].as_array().map(Vec::len),
        Some(2),
        "{stories}"
    );

    let again = run(&db, &["ingest", seeds, "--json"]).expect_code(0).json();
    assert_eq!(again["added"], 0);
    assert_eq!(again["already_present"], 4);
    assert_eq!(
        run(&db, &["stories", "--json"]).json(),
        stories,
        "nothing changed"
    );
}

#[test]
fn seed_debris_is_not_searchable_but_body_text_is() {
    let Some(seeds) = shared_path("seeds", "seed_debris_is_not_searchable") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("seeds.db");
    run(&db, &["ingest", seeds.to_str().expect("path")]).expect_code(0);
    let hits = run(&db, &["search", "Leave A Reply", "--json"])
        .expect_code(0)
        .json();
    assert_eq!(hits.as_array().map(Vec::len), Some(0), "{hits}");
    let hits = run(&db, &["search", "Zabihullah Mujahid", "--json"])
        .expect_code(0)
        .json();
    assert_eq!(hits.as_array().map(Vec::len), Some(1), "{hits}");
    let hits = run(&db, &["search", "Kabul", "--json"])
        .expect_code(0)
        .json();
    assert_eq!(hits.as_array().map(Vec::len), Some(4), "{hits}");
}
