//! Story ids that last (trust issue; reliability review N1: adding one
//! article to a store renumbered 472 of its 874 stories, so `show 75` in
//! an editor's note named another story after the next ingest).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::{run, shared_path};

/// Each story's id by its set of articles, from `stories --json`.
fn ids_by_articles(db: &Path) -> BTreeMap<BTreeSet<String>, u64> {
    let stories = run(db, &["stories", "--json"]).expect_code(0).json();
    stories
        .as_array()
        .expect("a list")
        .iter()
        .map(|story| {
            let articles = story["articles"]
                .as_array()
                .expect("articles")
                .iter()
                .map(|a| a.as_str().expect("id").to_owned())
                .collect();
            (articles, story["id"].as_u64().expect("story id"))
        })
        .collect()
}

#[test]
fn adding_the_last_one_percent_keeps_the_id_of_every_story_it_does_not_touch() {
    let Some(val) = shared_path("eval/clustering/neus_val.jsonl", "story ids") else {
        return;
    };
    let lines: Vec<String> = std::fs::read_to_string(&val)
        .expect("read")
        .lines()
        .map(str::to_owned)
        .collect();
    let cut = lines.len() - lines.len() / 100;
    let dir = tempfile::tempdir().expect("tempdir");
    let first = dir.path().join("first.jsonl");
    let last = dir.path().join("last.jsonl");
    std::fs::write(&first, lines[..cut].join("\n") + "\n").expect("write");
    std::fs::write(&last, lines[cut..].join("\n") + "\n").expect("write");
    let db = dir.path().join("store.db");
    run(&db, &["ingest", first.to_str().expect("path")]).expect_code(0);
    let before = ids_by_articles(&db);
    run(&db, &["ingest", last.to_str().expect("path")]).expect_code(0);
    let after = ids_by_articles(&db);

    let unchanged: Vec<(&BTreeSet<String>, u64, u64)> = before
        .iter()
        .filter_map(|(articles, &id)| after.get(articles).map(|&now| (articles, id, now)))
        .collect();
    let renumbered: Vec<_> = unchanged.iter().filter(|(_, id, now)| id != now).collect();
    assert!(
        renumbered.is_empty(),
        "{} of {} unchanged stories changed id: {:?}",
        renumbered.len(),
        unchanged.len(),
        renumbered
            .iter()
            .map(|(_, id, now)| (id, now))
            .take(10)
            .collect::<Vec<_>>()
    );
    assert!(
        unchanged.len() * 10 > before.len() * 9,
        "most stories are untouched"
    );

    // Every id the first ingest gave still resolves: to its own story, or
    // with a note to the story it was merged into.
    let live: BTreeSet<u64> = after.values().copied().collect();
    let retired: Vec<u64> = before
        .values()
        .copied()
        .filter(|id| !live.contains(id))
        .collect();
    eprintln!(
        "{} stories before, {} after; {} kept their articles and id; retired: {retired:?}",
        before.len(),
        after.len(),
        unchanged.len()
    );
    for id in retired {
        let shown = run(&db, &["timeline", &id.to_string(), "--json"]).expect_code(0);
        assert!(
            shown
                .stderr
                .contains(&format!("story {id} was merged into story")),
            "{}",
            shown.stderr
        );
    }
}

#[test]
fn a_fresh_store_numbers_stories_in_the_order_of_their_first_articles() {
    let examples = crate::support::root().join("examples/lake-dam");
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("store.db");
    run(&db, &["ingest", examples.to_str().expect("path")]).expect_code(0);
    let ids: BTreeSet<u64> = ids_by_articles(&db).into_values().collect();
    let expected: BTreeSet<u64> = (1..=ids.len() as u64).collect();
    assert_eq!(ids, expected);
    let missing = run(&db, &["show", "999"]).expect_code(1);
    assert!(
        missing.stderr.contains("no story 999"),
        "{}",
        missing.stderr
    );
}
