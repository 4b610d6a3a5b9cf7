//! Every command on the example corpus that ships in `examples/`.

use std::process::Stdio;

use crate::support::{newsdesk, root, run, run_with_stdin, shared_path, story_articles};

fn examples() -> String {
    root()
        .join("examples/lake-dam")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn example_corpus_gives_a_dam_story_and_a_tram_story() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("ex.db");
    let report = run(&db, &["ingest", &examples(), "--json"])
        .expect_code(0)
        .json();
    assert_eq!(report["added"], 7, "{report}");
    assert_eq!(report["skipped"], 0, "{report}");
    let stories = run(&db, &["stories", "--json"]).expect_code(0).json();
    let sizes: Vec<usize> = story_articles(&stories).iter().map(Vec::len).collect();
    assert_eq!(sizes.len(), 2, "{stories}");
    // Listed biggest first: the dam story (5 articles, one of them a
    // reprint) and the tram story (2).
    assert_eq!(stories[0]["articles"].as_array().map(Vec::len), Some(5));
    assert_eq!(stories[1]["articles"].as_array().map(Vec::len), Some(2));
    assert_eq!(stories[0]["first_date"], "2025-03-13");
    assert_eq!(stories[0]["last_date"], "2025-03-15");
    // 06 reprints 04 (new headline, an added sentence, the ending cut): one
    // report, not two. Independent outlets: River Post, Vessary Courier,
    // Uplands Wire, and the article that names none.
    assert_eq!(stories[0]["reprints"], 1);
    assert_eq!(stories[0]["outlets"], 4);

    let id = stories[0]["id"].as_u64().expect("story id").to_string();
    let shown = run(&db, &["show", &id, "--json"]).expect_code(0).json();
    let details = shown["article_details"].as_array().expect("details");
    assert_eq!(details.len(), 5);
    let titled = |needle: &str| {
        details
            .iter()
            .find(|a| a["title"].as_str().is_some_and(|t| t.contains(needle)))
            .unwrap_or_else(|| panic!("no article titled {needle:?}"))
    };
    let original = titled("Veldmoor spillway gives way");
    let reprint = titled("Thousands flee as dam spillway collapses");
    assert_eq!(reprint["duplicate_of"], original["id"]);
    assert_eq!(reprint["event"], original["event"]);
    let terms: Vec<&str> = shown["top_terms"]
        .as_array()
        .expect("terms")
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert!(terms.contains(&"spillway"), "{terms:?}");
    let table = run(&db, &["show", &id]).expect_code(0).stdout;
    assert!(table.contains("Top terms:"), "{table}");

    let table = run(&db, &["stories"]).expect_code(0).stdout;
    assert!(table.contains("2025-03-13"), "{table}");
    let missing = run(&db, &["show", "999"]).expect_code(1);
    assert!(
        missing.stderr.contains("no story 999"),
        "{}",
        missing.stderr
    );
}

#[test]
fn search_finds_stemmed_words_and_survives_odd_queries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("ex.db");
    run(&db, &["ingest", &examples()]).expect_code(0);
    let hits = run(&db, &["search", "evacuate", "--json"])
        .expect_code(0)
        .json();
    let hits = hits.as_array().expect("list");
    assert!(hits.len() >= 3, "{hits:?}");
    assert!(hits[0]["snippet"].as_str().is_some_and(|s| s.contains('[')));
    for query in ["U.N.", "\"", "AND", "a* OR (", "tram line"] {
        let run = run(&db, &["search", query]);
        assert!(
            run.code == 0 || run.stderr.contains("no words"),
            "{query}: {}",
            run.stderr
        );
    }
}

#[test]
fn reading_commands_do_not_create_a_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("absent.db");
    let run = run(&db, &["stories"]).expect_code(1);
    assert!(run.stderr.contains("no store at"), "{}", run.stderr);
    assert!(!db.exists());
}

#[test]
fn the_store_can_be_named_by_environment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("env.db");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .env("NEWSDESK_DB", &db)
        .args(["ingest", &examples()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run");
    assert!(status.success());
    assert!(db.exists());
}

#[test]
fn stdin_and_flags_supply_articles_and_metadata() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("stdin.db");
    let text = b"Harbour cranes stopped in Port Alder on Monday after a power cut hit the docks.\n";
    let report = run_with_stdin(
        &db,
        &[
            "ingest",
            "-",
            "--source",
            "Alder Times",
            "--date",
            "2024-05-06",
            "--json",
        ],
        text,
    )
    .expect_code(0)
    .json();
    assert_eq!(report["added"], 1);
    let stories = run(&db, &["stories", "--json"]).json();
    assert_eq!(stories[0]["first_date"], "2024-05-06");
    // A bad flag is a usage error (exit 2), as README says.
    let bad_date = run_with_stdin(&db, &["ingest", "-", "--date", "Monday"], text).expect_code(2);
    assert!(bad_date.stderr.contains("--date"), "{}", bad_date.stderr);
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("u.db");
    assert_eq!(run(&db, &["frobnicate"]).code, 2);
    assert_eq!(run(&db, &["ingest"]).code, 2);
    assert_eq!(run(&db, &["show", "not-a-number"]).code, 2);
}

#[test]
fn ingesting_one_by_one_equals_one_batch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let batch_db = dir.path().join("batch.db");
    let single_db = dir.path().join("single.db");
    run(&batch_db, &["ingest", &examples()]).expect_code(0);
    let mut files: Vec<_> = std::fs::read_dir(examples())
        .expect("examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    for file in &files {
        run(&single_db, &["ingest", file.to_str().expect("path")]).expect_code(0);
    }
    let batch = run(&batch_db, &["stories", "--json"]).json();
    let single = run(&single_db, &["stories", "--json"]).json();
    assert_eq!(batch, single);
    // The stateless stage gives the same grouping as the store.
    assert_eq!(
        cluster_groups(&batch_db, &examples()),
        story_articles(&batch)
    );
}

/// The article ids of each story that `newsdesk cluster PATH` prints,
/// sorted as [`story_articles`] sorts them; an id listed twice in the
/// input (the DUC pool has two) counts once, as in a store.
fn cluster_groups(db: &std::path::Path, path: &str) -> Vec<Vec<String>> {
    let lines = run(db, &["cluster", path]).expect_code(0).stdout;
    let mut by_story: std::collections::BTreeMap<u64, Vec<String>> = Default::default();
    for line in lines.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json line");
        by_story
            .entry(v["story"].as_u64().expect("story"))
            .or_default()
            .push(v["id"].as_str().expect("id").to_string());
    }
    let mut groups: Vec<Vec<String>> = by_story
        .into_values()
        .map(|mut v| {
            v.sort();
            v.dedup();
            v
        })
        .collect();
    groups.sort();
    groups
}

/// The same on the DUC 2004 pool in three ingests, where the batch
/// re-linking after each ingest moves stored articles to other stories: the
/// store ends with the stories of one ingest of the whole file, which are
/// the groups `cluster` gives.
#[test]
fn ingesting_in_parts_relinks_stories_as_one_batch_would() {
    let Some(pool) = shared_path(
        "eval/clustering/duc2004_dev_pool.jsonl",
        "ingesting_in_parts",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let whole_db = dir.path().join("whole.db");
    let parts_db = dir.path().join("parts.db");
    let pool_path = pool.to_str().expect("path");
    run(&whole_db, &["ingest", pool_path]).expect_code(0);
    let text = std::fs::read_to_string(&pool).expect("pool");
    let lines: Vec<&str> = text.lines().collect();
    let mut moved = 0;
    for (i, part) in lines.chunks(lines.len().div_ceil(3)).enumerate() {
        let file = dir.path().join(format!("part{i}.jsonl"));
        std::fs::write(&file, format!("{}\n", part.join("\n"))).expect("write");
        let report = run(
            &parts_db,
            &["ingest", file.to_str().expect("path"), "--json"],
        )
        .expect_code(0)
        .json();
        moved += report["story_updates"].as_u64().expect("story_updates");
    }
    assert!(moved > 0, "a later part re-links some stored articles");
    // The same stories; their ids and their events' ids follow the
    // store's history (a story keeps the id it had after an earlier part;
    // an event regrouped in batch keeps the lowest free id its articles
    // had), so they are compared without them: each story's number of
    // events stands for its events.
    let without_ids = |db: &std::path::Path| {
        let mut stories = run(db, &["stories", "--json"]).json();
        for story in stories.as_array_mut().expect("a list") {
            let story = story.as_object_mut().expect("a story");
            story.remove("id");
            let events = story["events"].as_array().map_or(0, Vec::len);
            story.insert("events".to_owned(), events.into());
        }
        let mut stories = stories.as_array().expect("a list").clone();
        stories.sort_by_key(|s| s.to_string());
        stories
    };
    assert_eq!(without_ids(&parts_db), without_ids(&whole_db));
    let whole = run(&whole_db, &["stories", "--json"]).json();
    assert_eq!(cluster_groups(&whole_db, pool_path), story_articles(&whole));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pipe.db");
    let mut child = newsdesk(&db)
        .args(["cluster", &examples()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn cluster_and_ingest_take_articles_in_the_order_asked_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("dated.jsonl");
    // Listed out of date order, one undated after the newest; one whose
    // date only its dateline states.
    let lines = [
        ("t", "null", "Published 2 March 2024. "),
        ("c", r#""2024-03-03""#, ""),
        ("u", "null", ""),
        ("a", r#""2024-03-01""#, ""),
        ("b", r#""2024-03-02""#, ""),
    ]
    .map(|(id, date, dateline)| {
        format!(
            r#"{{"id":"{id}","date":{date},"title":"Ferry timetable {id}","text":"{dateline}The harbour ferry runs a new timetable from Monday."}}"#
        )
    })
    .join("\n");
    std::fs::write(&file, lines).expect("write");
    let path = file.to_str().expect("path");
    let db = dir.path().join("unused.db");
    let ids = |args: &[&str]| -> Vec<String> {
        run(&db, &[&["cluster", path], args].concat())
            .expect_code(0)
            .stdout
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("json line");
                v["id"].as_str().expect("id").to_string()
            })
            .collect()
    };
    assert_eq!(ids(&[]), ["t", "c", "u", "a", "b"]);
    assert_eq!(ids(&["--order", "given"]), ["t", "c", "u", "a", "b"]);
    // Undated, "t" would stay first; its dateline puts it on the 2nd.
    assert_eq!(ids(&["--order", "date"]), ["a", "t", "b", "c", "u"]);
    let shuffled = ids(&["--order", "shuffled", "--seed", "3"]);
    assert_eq!(shuffled, ids(&["--order", "shuffled", "--seed", "3"]));
    let mut sorted = shuffled.clone();
    sorted.sort();
    assert_eq!(sorted, ["a", "b", "c", "t", "u"]);
    run(&db, &["cluster", path, "--order", "sideways"]).expect_code(2);

    // `ingest` too: the story opened first (story 1) is the older report's.
    let two = dir.path().join("two.jsonl");
    std::fs::write(
        &two,
        concat!(
            r#"{"id":"tram","date":"2024-03-05","title":"Tram line approved","text":"The Dunmere council voted for the new tram line through the old town."}"#,
            "\n",
            r#"{"id":"dam","date":"2024-03-01","title":"Cracks in the Veldmoor dam","text":"Engineers found cracks in the Veldmoor dam spillway and ordered an evacuation."}"#,
        ),
    )
    .expect("write");
    let first_story = |order: &str| -> serde_json::Value {
        let store = dir.path().join(format!("{order}.db"));
        run(
            &store,
            &["ingest", two.to_str().expect("path"), "--order", order],
        )
        .expect_code(0);
        let stories = run(&store, &["stories", "--json"]).expect_code(0).json();
        let first = stories
            .as_array()
            .expect("stories")
            .iter()
            .find(|s| s["id"] == 1)
            .expect("story 1");
        first["articles"].clone()
    };
    assert_eq!(first_story("given"), serde_json::json!(["tram"]));
    assert_eq!(first_story("date"), serde_json::json!(["dam"]));
}
