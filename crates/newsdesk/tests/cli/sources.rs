//! Numbered sources and provenance (trust issue; desk review: citations
//! read `unknown outlet (32a19ca9f89be648)`, file paths and URLs were
//! stored but never shown, the Markdown brief's source list broke, and the
//! timeline cited every outlet of a day). Every citation of `show`,
//! `brief` and `facts` (and `timeline`), in text, Markdown and JSON, must
//! resolve to an outlet, a date and an address or file; `export` must give
//! spans that slice the stored articles to the claimed words.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::support::{root, run, shared_path, SEED_DATES};

/// The seeds copied into `dir/seeds` with a sidecar each giving an
/// outlet, the date of ../shared/seeds/README.md and an address, ingested
/// into `dir/seeds.db`; `None` (the test says it is skipped) without the
/// seeds.
fn seeds_with_sidecars(dir: &Path, test: &str) -> Option<PathBuf> {
    let seeds = shared_path("seeds", test)?;
    let copy = dir.join("seeds");
    std::fs::create_dir(&copy).expect("dir");
    for (file, date) in SEED_DATES {
        std::fs::copy(seeds.join(file), copy.join(file)).expect("copy");
        let stem = file.trim_end_matches(".txt");
        let sidecar = serde_json::json!({
            "source": format!("Outlet {}", &file[..3]),
            "date": date,
            "url": format!("https://news.example/{stem}"),
        });
        std::fs::write(copy.join(format!("{stem}.meta.json")), sidecar.to_string())
            .expect("sidecar");
    }
    let db = dir.join("seeds.db");
    run(
        &db,
        &["ingest", copy.to_str().expect("path"), "--order", "date"],
    )
    .expect_code(0);
    Some(db)
}

/// examples/lake-dam ingested into `dir/examples.db` (one article of it has
/// no sidecar: its file stands in for its outlet).
fn examples(dir: &Path) -> PathBuf {
    let db = dir.join("examples.db");
    let path = root().join("examples/lake-dam");
    run(&db, &["ingest", path.to_str().expect("path")]).expect_code(0);
    db
}

fn story_ids(db: &Path) -> Vec<String> {
    run(db, &["stories", "--json"])
        .expect_code(0)
        .json()
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| s["id"].to_string())
        .collect()
}

/// What a source must say for a citation to resolve: an outlet (or,
/// without one, its file, never a bare id), a date, and an address or a
/// file.
fn check_source(source: &serde_json::Value, with_sidecars: bool) {
    let outlet = source["outlet"].as_str().expect("an outlet");
    assert!(!outlet.is_empty(), "{source}");
    assert_ne!(
        outlet,
        source["article_id"].as_str().unwrap_or(""),
        "{source}"
    );
    assert!(source["date"].as_str().is_some(), "no date: {source}");
    let url = source["url"].as_str();
    let path = source["path"].as_str();
    assert!(url.is_some() || path.is_some(), "{source}");
    if !source["outlet_known"].as_bool().expect("outlet_known") {
        assert_eq!(Some(outlet), path, "the file stands in: {source}");
    }
    if with_sidecars {
        assert_eq!(source["outlet_known"], true, "{source}");
        assert!(url.is_some_and(|u| u.starts_with("https://")), "{source}");
    }
    assert!(source["reprints"].is_array(), "{source}");
}

/// Every citation in a JSON output, by walking it: each element of a
/// `citations` list and each `citation` object; their `n`.
fn cited_numbers(value: &serde_json::Value, out: &mut Vec<(u64, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                let citations: Vec<&serde_json::Value> = match (key.as_str(), v) {
                    ("citations", serde_json::Value::Array(list)) => list.iter().collect(),
                    ("citation", serde_json::Value::Object(_)) => vec![v],
                    _ => Vec::new(),
                };
                for c in citations {
                    let n = c["n"]
                        .as_u64()
                        .unwrap_or_else(|| panic!("a citation without n: {c}"));
                    out.push((n, c["article"].as_str().unwrap_or("").to_owned()));
                }
                cited_numbers(v, out);
            }
        }
        serde_json::Value::Array(list) => list.iter().for_each(|v| cited_numbers(v, out)),
        _ => {}
    }
}

/// The JSON form: a top-level `sources` list whose every entry resolves,
/// and every citation an `n` of it (the article cited being the source or
/// one of its reprints). Returns the sources by number.
fn check_json(out: &serde_json::Value, with_sidecars: bool) -> BTreeMap<u64, serde_json::Value> {
    let sources: BTreeMap<u64, serde_json::Value> = out["sources"]
        .as_array()
        .unwrap_or_else(|| panic!("no top-level sources: {out}"))
        .iter()
        .map(|s| (s["n"].as_u64().expect("n"), s.clone()))
        .collect();
    assert!(!sources.is_empty(), "{out}");
    assert_eq!(
        sources.keys().copied().collect::<Vec<_>>(),
        (1..=sources.len() as u64).collect::<Vec<_>>()
    );
    for s in sources.values() {
        check_source(s, with_sidecars);
    }
    let mut cited = Vec::new();
    cited_numbers(out, &mut cited);
    for (n, article) in &cited {
        let source = sources
            .get(n)
            .unwrap_or_else(|| panic!("[{n}] is no source: {out}"));
        let reprints: Vec<&str> = source["reprints"]
            .as_array()
            .expect("reprints")
            .iter()
            .filter_map(|r| r.as_str())
            .collect();
        assert!(
            source["article_id"] == article.as_str() || reprints.contains(&article.as_str()),
            "[{n}] cites {article}, not its source {source}"
        );
    }
    sources
}

/// The text form: every mark `[n]` in it has a legend line `[n] outlet,
/// date, address or file (article id)`.
fn check_text(text: &str, sources: &BTreeMap<u64, serde_json::Value>) {
    let legend: BTreeMap<u64, &str> = text
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix('[')?;
            let (n, _) = rest.split_once("] ")?;
            Some((n.parse().ok()?, l))
        })
        .collect();
    let mut marks = BTreeSet::new();
    for (i, _) in text.match_indices('[') {
        let rest = &text[i + 1..];
        if let Some(n) = rest
            .find(']')
            .and_then(|end| rest[..end].parse::<u64>().ok())
        {
            marks.insert(n);
        }
    }
    for n in marks {
        let line = legend
            .get(&n)
            .unwrap_or_else(|| panic!("no legend line for [{n}]:\n{text}"));
        let source = &sources[&n];
        assert!(
            line.contains(source["outlet"].as_str().expect("outlet")),
            "{line}"
        );
        assert!(
            line.contains(source["date"].as_str().expect("date")),
            "{line}"
        );
        let target = source["url"]
            .as_str()
            .or(source["path"].as_str())
            .expect("a target");
        assert!(line.contains(target), "{line}");
        assert!(
            line.contains(source["article_id"].as_str().expect("id")),
            "{line}"
        );
    }
}

/// The Markdown form: parsed as CommonMark, every `[n]` is a link to its
/// source's address, else its file; no mark is left as plain text; every
/// source is a list item naming its outlet.
fn check_markdown(
    markdown: &str,
    sources: &BTreeMap<u64, serde_json::Value>,
    cited: &BTreeSet<u64>,
) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut links: Vec<(String, String)> = Vec::new();
    let mut plain = String::new();
    let mut items: Vec<String> = Vec::new();
    let (mut in_link, mut link_text, mut in_item) = (None::<String>, String::new(), None::<String>);
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                in_link = Some(dest_url.to_string());
                link_text.clear();
            }
            Event::End(TagEnd::Link) => {
                if let Some(dest) = in_link.take() {
                    links.push((link_text.clone(), dest));
                }
            }
            Event::Start(Tag::Item) => in_item = Some(String::new()),
            Event::End(TagEnd::Item) => items.extend(in_item.take()),
            Event::Text(text) | Event::Code(text) => {
                if in_link.is_some() {
                    link_text.push_str(&text);
                } else {
                    plain.push_str(&text);
                }
                if let Some(item) = in_item.as_mut() {
                    item.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            _ => {}
        }
    }
    let decode = |d: &str| {
        d.replace("%20", " ")
            .replace("%3C", "<")
            .replace("%3E", ">")
    };
    let mut linked = BTreeSet::new();
    for (text, dest) in &links {
        let Ok(n) = text.parse::<u64>() else { continue };
        let source = sources
            .get(&n)
            .unwrap_or_else(|| panic!("[{n}] links to no source:\n{markdown}"));
        let target = source["url"]
            .as_str()
            .or(source["path"].as_str())
            .expect("a target");
        assert_eq!(decode(dest), target, "[{n}]:\n{markdown}");
        linked.insert(n);
    }
    for n in cited {
        assert!(
            linked.contains(n),
            "[{n}] is cited but no link:\n{markdown}"
        );
    }
    for n in sources.keys() {
        assert!(
            !plain.contains(&format!("[{n}]")),
            "[{n}] left as plain text:\n{markdown}"
        );
        let outlet = sources[n]["outlet"].as_str().expect("outlet");
        assert!(
            items.iter().any(|i| i.contains(outlet)),
            "no legend item for [{n}] {outlet}: {items:?}"
        );
    }
}

/// Every story of `db`, through `show`, `brief`, `facts` and `timeline` in
/// JSON, text and Markdown.
fn check_store(db: &Path, with_sidecars: bool) {
    let stories = story_ids(db);
    assert!(!stories.is_empty());
    for story in &stories {
        for command in ["show", "brief", "facts", "timeline"] {
            let json = run(db, &[command, story, "--format", "json"])
                .expect_code(0)
                .json();
            let sources = check_json(&json, with_sidecars);
            let mut cited = Vec::new();
            cited_numbers(&json, &mut cited);
            let cited: BTreeSet<u64> = cited.into_iter().map(|(n, _)| n).collect();
            if command != "timeline" {
                assert!(!cited.is_empty(), "{command} {story} cites nothing: {json}");
            }
            let text = run(db, &[command, story]).expect_code(0).stdout;
            check_text(&text, &sources);
            let markdown = run(db, &[command, story, "--format", "markdown"])
                .expect_code(0)
                .stdout;
            check_markdown(&markdown, &sources, &cited);
        }
    }
}

#[test]
fn every_citation_of_the_seeds_resolves_to_an_outlet_a_date_and_an_address() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(db) = seeds_with_sidecars(dir.path(), "seed_sources") else {
        return;
    };
    check_store(&db, true);
}

#[test]
fn every_citation_of_the_examples_resolves_to_an_outlet_a_date_and_an_address_or_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = examples(dir.path());
    check_store(&db, false);
    // The reprint (06 of 04) is listed under its original and cited by its
    // number.
    let shown = run(&db, &["show", "1", "--json"]).expect_code(0).json();
    let reprinted: Vec<&serde_json::Value> = shown["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .filter(|s| !s["reprints"].as_array().expect("reprints").is_empty())
        .collect();
    assert_eq!(reprinted.len(), 1, "{}", shown["sources"]);
    assert!(
        reprinted[0]["reprinted_by"][0]["outlet"]
            .as_str()
            .is_some_and(|o| o.contains("Harrow")),
        "{}",
        reprinted[0]
    );
}

/// Desk review, UX 1: without outlets, citations read `unknown outlet
/// (32a19ca9f89be648)`. The file read stands in for the outlet.
#[test]
fn without_sidecars_the_file_stands_in_for_the_outlet() {
    let Some(seeds) = shared_path("seeds", "seed_sources_without_sidecars") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plain.db");
    run(&db, &["ingest", seeds.to_str().expect("path")]).expect_code(0);
    for story in story_ids(&db) {
        let brief = run(&db, &["brief", &story, "--json"]).expect_code(0).json();
        for s in brief["sources"].as_array().expect("sources") {
            assert_eq!(s["outlet_known"], false, "{s}");
            let outlet = s["outlet"].as_str().expect("outlet");
            assert!(outlet.ends_with(".txt") && outlet.contains("seeds"), "{s}");
        }
        let text = run(&db, &["brief", &story]).expect_code(0).stdout;
        let legend: Vec<&str> = text.lines().filter(|l| l.starts_with('[')).collect();
        assert!(!legend.is_empty(), "{text}");
        for line in legend {
            assert!(line.contains(".txt (outlet not given)"), "{line}");
            let first = line.split_once("] ").map_or("", |(_, rest)| rest);
            assert!(
                !first.chars().take(16).all(|c| c.is_ascii_hexdigit()),
                "a bare hash: {line}"
            );
        }
    }
}

/// Stored texts by article id.
fn stored_texts(db: &Path) -> BTreeMap<String, (String, Option<String>)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut statement = conn
        .prepare("SELECT id, text, origin FROM articles")
        .expect("query");
    statement
        .query_map([], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect()
}

/// A small RFC 4180 reader: the records of a CSV text.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

/// Checks an export: every evidence span slices the stored text (and the
/// file it was read from, when that is the stored text) to the row's
/// words, within its sentence; every claim has evidence whose words are
/// the claimed ones (a figure's: the number as written, which its claim
/// opens with). Returns the rows.
fn check_export(db: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = run(db, &[&["export"], args, &["--format", "jsonl"]].concat()).expect_code(0);
    let rows: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let texts = stored_texts(db);
    let mut claims: BTreeMap<String, (serde_json::Value, Vec<String>)> = BTreeMap::new();
    for row in &rows {
        let key =
            |r: &serde_json::Value| format!("{}/{}", r["story"], r["claim"].as_str().unwrap_or(""));
        match row["record"].as_str().expect("record") {
            "claim" => {
                claims.insert(key(row), (row.clone(), Vec::new()));
            }
            "evidence" | "sentence" => {
                let (text, origin) = &texts[row["article"].as_str().expect("article")];
                let (start, end) = (
                    row["start"].as_u64().expect("start") as usize,
                    row["end"].as_u64().expect("end") as usize,
                );
                let words = row["text"].as_str().expect("text");
                assert_eq!(text.get(start..end), Some(words), "{row}");
                // A plain-text article is stored as its file holds it, so
                // every span slices the file too.
                if let Some(path) = origin.as_deref().filter(|o| o.ends_with(".txt")) {
                    let file = std::fs::read_to_string(path).expect("the article's file");
                    assert_eq!(file, *text, "{path} is stored as it is");
                    assert_eq!(file.get(start..end), Some(words), "{row}");
                }
                if row["record"] == "evidence" {
                    let s = row["sentence_start"].as_u64().expect("sentence") as usize;
                    let e = row["sentence_end"].as_u64().expect("sentence") as usize;
                    assert!(s <= start && end <= e, "{row}");
                    assert!(row["n"].as_u64().is_some(), "{row}");
                    claims
                        .get_mut(&key(row))
                        .unwrap_or_else(|| panic!("evidence before its claim: {row}"))
                        .1
                        .push(words.to_owned());
                }
            }
            _ => {}
        }
    }
    assert!(!claims.is_empty(), "{}", out.stdout);
    for (id, (claim, evidence)) in &claims {
        let text = claim["text"].as_str().expect("text");
        assert!(!evidence.is_empty(), "{id} has no evidence: {claim}");
        let backed = match claim["kind"].as_str().expect("kind") {
            // A figure's evidence is its number as written; the claim says
            // it with its modifier and what it counts ("at least 183
            // civilians").
            "figure" => evidence
                .iter()
                .any(|e| text.starts_with(e.as_str()) || text.contains(&format!(" {e}"))),
            _ => evidence.iter().any(|e| e == text),
        };
        assert!(backed, "{id}: no evidence slices to {text:?}: {evidence:?}");
    }
    // The CSV has the same rows.
    let csv = run(db, &[&["export"], args, &["--format", "csv"]].concat()).expect_code(0);
    let records = csv_records(&csv.stdout);
    assert_eq!(records.len(), rows.len() + 1, "header and rows");
    let header = &records[0];
    let column = |name: &str| header.iter().position(|h| h == name).expect("column");
    for (record, row) in records[1..].iter().zip(&rows) {
        assert_eq!(
            record[column("record")],
            row["record"].as_str().expect("record")
        );
        assert_eq!(record[column("text")], row["text"].as_str().unwrap_or(""));
        assert_eq!(
            record[column("start")],
            row["start"]
                .as_u64()
                .map(|s| s.to_string())
                .unwrap_or_default()
        );
    }
    rows
}

#[test]
fn the_export_of_the_seeds_story_slices_its_sources_to_the_claimed_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(db) = seeds_with_sidecars(dir.path(), "seed_export") else {
        return;
    };
    let rows = check_export(&db, &["1"]);
    let count = |record: &str| rows.iter().filter(|r| r["record"] == record).count();
    assert_eq!(count("story"), 1);
    assert_eq!(count("article"), 4);
    for article in rows.iter().filter(|r| r["record"] == "article") {
        assert!(
            article["outlet"]
                .as_str()
                .is_some_and(|o| o.starts_with("Outlet ")),
            "{article}"
        );
        assert!(
            article["published"].as_str().is_some() && article["url"].as_str().is_some(),
            "{article}"
        );
    }
    let kinds: BTreeSet<&str> = rows.iter().filter_map(|r| r["kind"].as_str()).collect();
    for kind in ["brief_sentence", "figure", "quote", "timeline_entry"] {
        assert!(kinds.contains(kind), "no {kind} claim");
    }
}

#[test]
fn the_export_of_every_story_of_the_examples_slices_its_sources() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = examples(dir.path());
    let rows = check_export(&db, &[]);
    let stories: BTreeSet<u64> = rows.iter().filter_map(|r| r["story"].as_u64()).collect();
    assert_eq!(stories.len(), 2, "both stories");
    // An unknown story is an error, as for `show`.
    run(&db, &["export", "99"]).expect_code(1);
}
