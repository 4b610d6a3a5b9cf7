//! The contract every backend of the `Store` trait must meet, and the
//! test documents it is written with: shared by the SQLite tests
//! (`tests/store.rs`) and the PostgreSQL ones (`tests/postgres.rs`).

// Each test binary uses its own part of the contract.
#![allow(dead_code)]

use std::collections::BTreeSet;

use newsdesk_model::correction::{Correction, CorrectionRecord};
use newsdesk_model::state::{StateChanges, StateRecord};
use newsdesk_model::{
    Article, ArticleId, Assignment, Block, BlockKind, Date, Document, Sentence, Span,
};
use newsdesk_store::{IndexEntry, IngestBatch, LogKind, Store, StoreError};

// ---------------------------------------------------------------------------
// Test documents, built by hand.

/// One block of a test article.
pub enum Part<'a> {
    Heading(&'a str),
    /// Body text given as its sentences, joined with spaces.
    Body(&'a [&'a str]),
    Debris(&'a str),
}

/// A document whose text is `parts` separated by blank lines, with the
/// blocks and sentences spans a text stage would give it.
pub fn document(id: &str, title: Option<&str>, parts: &[Part<'_>]) -> Document {
    let mut text = String::new();
    let mut blocks = Vec::new();
    let mut sentences = Vec::new();
    for part in parts {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        let (kind, rule) = match part {
            Part::Heading(heading) => {
                text.push_str(heading);
                (BlockKind::Heading, Some("short-line".to_owned()))
            }
            Part::Debris(debris) => {
                text.push_str(debris);
                (BlockKind::Debris, Some("share-prompt".to_owned()))
            }
            Part::Body(body) => {
                for (i, sentence) in body.iter().enumerate() {
                    if i > 0 {
                        text.push(' ');
                    }
                    let sentence_start = text.len();
                    text.push_str(sentence);
                    sentences.push(Sentence {
                        span: Span::new(sentence_start, text.len()),
                    });
                }
                (BlockKind::Body, None)
            }
        };
        blocks.push(Block {
            span: Span::new(start, text.len()),
            kind,
            rule,
        });
    }
    Document {
        article: Article {
            id: ArticleId(id.to_owned()),
            title: title.map(str::to_owned),
            text,
            date: None,
            source: None,
            url: None,
            lang: None,
            origin: None,
        },
        blocks,
        sentences,
    }
}

pub fn date(text: &str) -> Date {
    text.parse().expect("test date")
}

pub fn id(text: &str) -> ArticleId {
    ArticleId(text.to_owned())
}

pub fn flood_doc() -> Document {
    let mut doc = document(
        "flood-1",
        Some("River floods close the old bridge"),
        &[
            Part::Heading("Water rises overnight"),
            Part::Body(&[
                "The river Alder burst its banks on Monday.",
                "Floods closed the old stone bridge for two days.",
                "The council said repairs would start in May.",
            ]),
            Part::Debris("Share this story on Quackbook"),
        ],
    );
    doc.article.date = Some(date("2024-03-04"));
    doc.article.source = Some("Valley Gazette".to_owned());
    doc.article.url = Some("https://gazette.example/floods".to_owned());
    doc.article.lang = Some("en".to_owned());
    doc.article.origin = Some("articles.jsonl:1".to_owned());
    doc
}

pub fn budget_doc() -> Document {
    document(
        "budget-1",
        Some("Council approves the harbour budget"),
        &[
            Part::Body(&[
                "The town council approved the harbour budget on Tuesday.",
                "Café owners on the quay welcomed the decision.",
                "The U.S. consulate sent a letter of support.",
            ]),
            Part::Debris("Photo: a zeppelin over the harbour"),
        ],
    )
}

pub fn assignment(doc: &Document, event: u64, story: u64) -> Assignment {
    Assignment {
        id: doc.article.id.clone(),
        event,
        story,
        duplicate_of: None,
    }
}

/// The first batch every contract run commits: two articles and a state.
pub fn first_batch() -> IngestBatch {
    let flood = flood_doc();
    let budget = budget_doc();
    IngestBatch {
        assignments: vec![assignment(&flood, 1, 1), assignment(&budget, 2, 2)],
        documents: vec![flood, budget],
        cluster_changes: Some(changes(true, &[(1, 1, b"state-1")])),
        ..IngestBatch::default()
    }
}

/// The index a store holds after `first_batch`.
pub fn first_index() -> Vec<IndexEntry> {
    vec![
        IndexEntry {
            seq: 1,
            id: id("flood-1"),
            title: Some("River floods close the old bridge".to_owned()),
            date: Some(date("2024-03-04")),
            source: Some("Valley Gazette".to_owned()),
            lang: Some("en".to_owned()),
            event: 1,
            story: 1,
            sentences: 3,
            duplicate_of: None,
            ingested_at: None,
        },
        IndexEntry {
            seq: 2,
            id: id("budget-1"),
            title: Some("Council approves the harbour budget".to_owned()),
            date: None,
            source: None,
            lang: None,
            event: 2,
            story: 2,
            sentences: 3,
            duplicate_of: None,
            ingested_at: None,
        },
    ]
}

pub fn hit_ids(store: &dyn Store, query: &str) -> Vec<String> {
    store
        .search(query, 10)
        .unwrap_or_else(|err| panic!("search {query:?}: {err}"))
        .into_iter()
        .map(|hit| hit.id.0)
        .collect()
}

// ---------------------------------------------------------------------------
// The contract every backend must meet.

/// Runs the whole contract on a new, empty store. Leaves it holding
/// `first_batch` with cluster state `state-2`.
pub fn contract(store: &mut dyn Store) {
    empty_store(store);
    commit_and_recommit(store);
    index_and_documents(store);
    cluster_records(store);
    story_aliases(store);
    restory(store);
    search(store);
    weird_queries(store);
    failed_commit_changes_nothing(store);
}

pub fn duplicates_name_their_original(store: &mut dyn Store) {
    let copy = document(
        "flood-copy",
        Some("Bridge shut by floods"),
        &[Part::Body(&[
            "The river flooded and the old bridge closed.",
        ])],
    );
    let mut copied = assignment(&copy, 1, 1);
    copied.duplicate_of = Some(id("flood-1"));
    let batch = IngestBatch {
        assignments: vec![copied],
        documents: vec![copy],
        ..IngestBatch::default()
    };
    assert_eq!(store.commit(&batch).expect("commit").added, 1);
    let index = store.index().expect("index");
    let entry = index
        .iter()
        .find(|e| e.id == id("flood-copy"))
        .expect("copy indexed");
    assert_eq!(entry.duplicate_of, Some(id("flood-1")));
    assert!(index
        .iter()
        .filter(|e| e.id != id("flood-copy"))
        .all(|e| e.duplicate_of.is_none()));
}

pub fn empty_store(store: &mut dyn Store) {
    assert_eq!(store.article_count().expect("count"), 0);
    assert_eq!(store.index().expect("index"), vec![]);
    assert_eq!(store.cluster_state().expect("state"), None);
    assert_eq!(
        store.existing_ids(&[id("flood-1")]).expect("ids"),
        BTreeSet::new()
    );
    assert_eq!(store.documents(&[id("flood-1")]).expect("docs"), vec![]);
    assert_eq!(hit_ids(store, "flooding"), Vec::<String>::new());
}

pub fn commit_and_recommit(store: &mut dyn Store) {
    let batch = first_batch();
    let report = store.commit(&batch).expect("first commit");
    assert_eq!((report.added, report.already_present), (2, 0));
    assert_eq!(store.article_count().expect("count"), 2);

    // Ingesting twice changes nothing.
    let report = store.commit(&batch).expect("second commit");
    assert_eq!((report.added, report.already_present), (0, 2));
    assert_eq!(store.article_count().expect("count"), 2);

    // Already present documents need no assignment: they are skipped.
    let without_assignments = IngestBatch {
        documents: batch.documents.clone(),
        assignments: vec![],
        ..IngestBatch::default()
    };
    let report = store.commit(&without_assignments).expect("third commit");
    assert_eq!((report.added, report.already_present), (0, 2));
    assert_eq!(store.index().expect("index"), first_index());
}

pub fn index_and_documents(store: &mut dyn Store) {
    assert_eq!(store.index().expect("index"), first_index());

    let docs = store
        .documents(&[id("budget-1"), id("missing"), id("flood-1")])
        .expect("documents");
    assert_eq!(docs, vec![budget_doc(), flood_doc()]);

    let existing = store
        .existing_ids(&[id("flood-1"), id("missing"), id("budget-1")])
        .expect("existing ids");
    assert_eq!(existing, BTreeSet::from([id("budget-1"), id("flood-1")]));
}

/// State changes that write `records` (kind, key, value), replacing
/// every record first when `replace`.
pub fn changes(replace: bool, records: &[(u8, u64, &[u8])]) -> StateChanges {
    StateChanges {
        replace,
        forget: Vec::new(),
        records: records
            .iter()
            .map(|&(kind, key, value)| StateRecord {
                kind,
                key,
                value: value.to_vec(),
            })
            .collect(),
    }
}

/// The store's state records as (kind, key, value).
pub fn records(store: &dyn Store) -> Vec<(u8, u64, Vec<u8>)> {
    store
        .cluster_records()
        .expect("records")
        .into_iter()
        .map(|r| (r.kind, r.key, r.value))
        .collect()
}

/// The records a store holds after `contract`.
pub fn records_after_contract() -> Vec<(u8, u64, Vec<u8>)> {
    vec![(1, 1, b"state-2".to_vec()), (2, 9, b"nine".to_vec())]
}

pub fn cluster_records(store: &mut dyn Store) {
    assert_eq!(records(store), [(1, 1, b"state-1".to_vec())]);
    // `None` leaves the state as it is.
    store.commit(&IngestBatch::default()).expect("empty commit");
    assert_eq!(records(store), [(1, 1, b"state-1".to_vec())]);
    // Changes apply even when no document is new: records are written
    // over those of their kind and key, and added.
    let batch = IngestBatch {
        cluster_changes: Some(changes(
            false,
            &[
                (1, 1, b"state-2"),
                (2, 3, b"three"),
                (2, 5, b"five"),
                (2, 9, b"nine"),
            ],
        )),
        ..first_batch()
    };
    let report = store.commit(&batch).expect("state commit");
    assert_eq!(report.added, 0);
    // Forgetting drops the records of one kind below a key.
    let batch = IngestBatch {
        cluster_changes: Some(StateChanges {
            forget: vec![(2, 6)],
            ..StateChanges::default()
        }),
        ..IngestBatch::default()
    };
    store.commit(&batch).expect("forget commit");
    assert_eq!(records(store), records_after_contract());
    assert_eq!(store.cluster_state().expect("blob"), None);
}

/// Retired story ids resolve to the story they were merged into, and are
/// never handed out again.
pub fn story_aliases(store: &mut dyn Store) {
    assert_eq!(store.next_story_id(u64::MAX).expect("next"), 3);
    assert_eq!(store.next_story_id(1).expect("next"), 2, "only flood-1's");
    assert_eq!(store.next_story_id(0).expect("next"), 1);
    assert_eq!(store.relinked_through().expect("through"), None);
    assert_eq!(store.story_alias(2).expect("alias"), None);
    let batch = IngestBatch {
        aliases: vec![(5, 1)],
        relinked_through: Some(2),
        ..IngestBatch::default()
    };
    store.commit(&batch).expect("alias commit");
    assert_eq!(store.relinked_through().expect("through"), Some(2));
    assert_eq!(store.story_alias(5).expect("alias"), Some(1));
    assert_eq!(store.story_alias(1).expect("alias"), None);
    assert_eq!(
        store.next_story_id(u64::MAX).expect("next"),
        6,
        "5 is retired"
    );
    assert_eq!(store.next_story_id(0).expect("next"), 6);
}

/// A batch re-linking changes the stories of stored articles, passes over
/// ids the store does not hold, and can be undone by the next.
pub fn restory(store: &mut dyn Store) {
    let batch = IngestBatch {
        stories: vec![(id("flood-1"), 7), (id("not-stored"), 9)],
        ..IngestBatch::default()
    };
    let report = store.commit(&batch).expect("re-linking commit");
    assert_eq!((report.added, report.already_present), (0, 0));
    let mut expected = first_index();
    expected[0].story = 7;
    assert_eq!(store.index().expect("index"), expected);
    assert_eq!(
        records(store),
        records_after_contract(),
        "a re-linking leaves the clusterer's state alone"
    );
    let batch = IngestBatch {
        stories: vec![(id("flood-1"), 1)],
        ..IngestBatch::default()
    };
    store.commit(&batch).expect("re-linking commit");
    assert_eq!(store.index().expect("index"), first_index());
}

pub fn search(store: &mut dyn Store) {
    // The stories of a search, each once, best first, as the hits rank.
    assert_eq!(store.search_stories("flooding", 10).expect("stories"), [1]);
    assert_eq!(
        store.search_stories("zeppelin", 10).expect("none"),
        Vec::<u64>::new()
    );
    assert!(matches!(
        store.search_stories("  ", 10),
        Err(StoreError::EmptyQuery)
    ));
    // Stemming: "flooding" finds "floods".
    let hits = store.search("flooding", 10).expect("search");
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(hit.id, id("flood-1"));
    assert_eq!(
        hit.title.as_deref(),
        Some("River floods close the old bridge")
    );
    assert_eq!(hit.story, 1);
    assert!(hit.score > 0.0, "score {}", hit.score);
    assert!(
        hit.snippet.contains("[Floods]"),
        "snippet {:?}",
        hit.snippet
    );

    // Headings are indexed as body text.
    assert_eq!(hit_ids(store, "overnight"), ["flood-1"]);
    // Phrases must match in order.
    assert_eq!(hit_ids(store, "\"old stone bridge\""), ["flood-1"]);
    assert_eq!(hit_ids(store, "\"bridge stone\""), Vec::<String>::new());
    // All words must match.
    assert_eq!(hit_ids(store, "harbour budget"), ["budget-1"]);
    assert_eq!(hit_ids(store, "harbour bridge"), Vec::<String>::new());
    // Diacritics are folded; punctuation inside a word still matches.
    assert_eq!(hit_ids(store, "cafe"), ["budget-1"]);
    assert_eq!(hit_ids(store, "U.S."), ["budget-1"]);
    // Debris is not indexed.
    assert_eq!(hit_ids(store, "zeppelin"), Vec::<String>::new());
    assert_eq!(hit_ids(store, "Quackbook"), Vec::<String>::new());

    // A title match weighs more: both mention the council, only the budget
    // article in its title.
    let hits = store.search("council", 10).expect("search");
    let ids: Vec<_> = hits.iter().map(|hit| hit.id.as_str()).collect();
    assert_eq!(ids, ["budget-1", "flood-1"]);
    assert!(hits[0].score > hits[1].score);
    assert_eq!(store.search("council", 1).expect("search").len(), 1);
    assert_eq!(store.search("council", 0).expect("search"), vec![]);
}

pub fn weird_queries(store: &mut dyn Store) {
    let queries = [
        "",
        " ",
        "\"",
        "\"\"",
        "\"unclosed",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        "NEAR(a b)",
        "*",
        "flood*",
        "^flood",
        "title:flood",
        "body:",
        "-flood",
        "(flood",
        "flood)",
        "a OR b",
        "'",
        "''",
        "U.S.",
        "🌊",
        "flood 🌊",
        "\\",
        ";",
        "--",
        "%_",
        "{flood}",
        "\u{0903}",
        "\u{0301}",
        "नमस्ते",
        "\0",
        "x\"y\"z",
        "flood AND",
        "NOT flood",
    ];
    for query in queries {
        match store.search(query, 5) {
            Ok(_) | Err(StoreError::EmptyQuery) => {}
            Err(err) => panic!("search {query:?} failed: {err}"),
        }
    }
    for query in ["", "\"", "AND", "*", "NEAR(", "🌊", "\"\""] {
        assert!(
            matches!(store.search(query, 5), Err(StoreError::EmptyQuery)),
            "{query:?} should be an empty query"
        );
    }
}

pub fn failed_commit_changes_nothing(store: &mut dyn Store) {
    let before_index = store.index().expect("index");
    let before_state = records(store);

    let storm = document(
        "storm-1",
        Some("Storm warning"),
        &[Part::Body(&["A storm is coming."])],
    );
    let gale = document(
        "storm-2",
        Some("Gale warning"),
        &[Part::Body(&["A gale is coming."])],
    );
    let batch = IngestBatch {
        assignments: vec![assignment(&storm, 3, 3)],
        documents: vec![storm, gale],
        cluster_changes: Some(changes(true, &[(1, 1, b"never")])),
        stories: vec![(id("flood-1"), 99)],
        aliases: vec![(2, 1)],
        relinked_through: Some(9),
        ..IngestBatch::default()
    };
    match store.commit(&batch) {
        Err(StoreError::MissingAssignment(missing)) => assert_eq!(missing, id("storm-2")),
        other => panic!("expected a missing assignment, got {other:?}"),
    }

    assert_eq!(store.article_count().expect("count"), 2);
    assert_eq!(store.index().expect("index"), before_index);
    assert_eq!(records(store), before_state);
    assert_eq!(
        store.existing_ids(&[id("storm-1")]).expect("ids"),
        BTreeSet::new()
    );
    assert_eq!(hit_ids(store, "storm"), Vec::<String>::new());
}

/// Checks a store that went through `contract` (possibly after reopening).
pub fn check_after_contract(store: &dyn Store) {
    assert_eq!(store.article_count().expect("count"), 2);
    assert_eq!(store.index().expect("index"), first_index());
    assert_eq!(
        store
            .documents(&[id("flood-1"), id("budget-1")])
            .expect("documents"),
        vec![flood_doc(), budget_doc()]
    );
    assert_eq!(records(store), records_after_contract());
    assert_eq!(hit_ids(store, "flooding"), ["flood-1"]);
}

/// The correction that the fixtures from schema 5 on hold.
pub fn fixture_correction() -> CorrectionRecord {
    CorrectionRecord {
        id: 1,
        correction: Correction::Move {
            articles: vec![id("budget-1")],
            from: 2,
            from_event: 2,
            whole_event: false,
            to: Some(1),
            with: vec![id("flood-1")],
            away_from: Vec::new(),
        },
        by: "fixture".to_owned(),
        at: "2026-12-07T08:00:00Z".to_owned(),
        reason: Some("one story".to_owned()),
        undone_at: None,
    }
}

// ---------------------------------------------------------------------------
// The story log.

/// The story log says, in order, which stories a commit started, grew,
/// re-linked and retired, and which corrections were made and undone; a
/// reader resumes after the last entry it saw.
pub fn story_log(store: &mut dyn Store) {
    assert_eq!(store.log_seq().expect("seq"), 0);
    store.commit(&first_batch()).expect("commit");
    let first = store.log_after(0, 100).expect("log");
    let kinds: Vec<_> = first
        .iter()
        .map(|e| (e.kind, e.story, e.articles))
        .collect();
    assert_eq!(
        kinds,
        [
            (LogKind::StoryNew, Some(1), 1),
            (LogKind::StoryNew, Some(2), 1)
        ]
    );
    let seen = store.log_seq().expect("seq");
    assert_eq!(seen, first.last().map(|e| e.seq).unwrap_or(0));

    // A second flood article grows story 1; a re-linking moves the budget
    // article into story 1 and retires story 2.
    let flood2 = document(
        "flood-2",
        Some("More rain"),
        &[Part::Body(&["More rain fell."])],
    );
    let batch = IngestBatch {
        assignments: vec![assignment(&flood2, 1, 1)],
        documents: vec![flood2],
        stories: vec![(id("budget-1"), 1)],
        aliases: vec![(2, 1)],
        at: Some("2026-12-07T09:00:00Z".to_owned()),
        ..IngestBatch::default()
    };
    store.commit(&batch).expect("commit");
    let second = store.log_after(seen, 100).expect("log");
    let kinds: Vec<_> = second
        .iter()
        .map(|e| (e.kind, e.story, e.into, e.articles))
        .collect();
    assert_eq!(
        kinds,
        [
            (LogKind::StoryGrew, Some(1), None, 1),
            (LogKind::StoryRelinked, Some(1), None, 1),
            (LogKind::StoryMerged, Some(2), Some(1), 0),
        ]
    );
    assert!(second
        .iter()
        .all(|e| e.at.as_deref() == Some("2026-12-07T09:00:00Z")));
    // Nothing is logged twice: an article already stored adds nothing.
    let again = store.log_seq().expect("seq");
    store.commit(&first_batch()).expect("commit again");
    assert_eq!(store.log_seq().expect("seq"), again);

    let rename = Correction::RenameEntity {
        entity: "Harbour Board".to_owned(),
        to: "Port Authority".to_owned(),
    };
    let made = store
        .add_correction(&rename, "ana", "2026-12-07T10:00:00Z", None)
        .expect("add");
    store
        .undo_correction(made.id, "2026-12-07T11:00:00Z")
        .expect("undo");
    // Undoing twice changes nothing and logs nothing.
    store
        .undo_correction(made.id, "2026-12-07T12:00:00Z")
        .expect("undo again");
    let third = store.log_after(again, 100).expect("log");
    let kinds: Vec<_> = third
        .iter()
        .map(|e| (e.kind, e.correction, e.at.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                LogKind::CorrectionMade,
                Some(made.id),
                Some("2026-12-07T10:00:00Z")
            ),
            (
                LogKind::CorrectionUndone,
                Some(made.id),
                Some("2026-12-07T11:00:00Z")
            ),
        ]
    );
    // Paged: at most `limit`, resuming after the last one seen.
    let all = store.log_after(0, 100).expect("log");
    let page = store.log_after(0, 2).expect("page");
    assert_eq!(page, all[..2]);
    assert_eq!(store.log_after(page[1].seq, 100).expect("rest"), all[2..]);
}
