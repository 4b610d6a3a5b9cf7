//! A story report over the seeds (read from ../shared/seeds, never
//! copied): each document is dated once, whatever reads its dates.
#![allow(clippy::print_stderr)]

use std::path::PathBuf;

use newsdesk_desk::ingest::{IngestOptions, Ingestor};
use newsdesk_desk::story::{list_stories, StoryReport};
use newsdesk_store::SqliteStore;

fn seeds() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

#[test]
fn a_report_of_the_seeds_story_tags_each_document_once() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut store = SqliteStore::open(&dir.path().join("seeds.db")).expect("the store opens");
    let report = Ingestor::open(&mut store, IngestOptions::default())
        .and_then(|mut ingestor| ingestor.ingest_paths(&[seeds], &mut |_, _| {}))
        .expect("the seeds ingest");
    assert_eq!(report.added, 4);
    let stories = list_stories(&store).expect("stories");
    assert_eq!(stories.len(), 1, "{stories:?}");

    let before = newsdesk_time::texts_tagged_on_this_thread();
    let shown = StoryReport::build(&store, stories[0].id).expect("the report");
    let tagged = newsdesk_time::texts_tagged_on_this_thread() - before;
    // Timeline, facts and brief all read the dates; each of the four
    // documents is tagged once.
    assert_eq!(tagged, 4);
    assert_eq!(shown.articles.len(), 4);
    assert!(!shown.timeline.is_empty());
    assert!(!shown.brief.sentences.is_empty());
    assert!(!shown.facts.figures.is_empty());
    assert!(shown.entities.iter().any(|e| e.name.contains("Mujahid")));
}
