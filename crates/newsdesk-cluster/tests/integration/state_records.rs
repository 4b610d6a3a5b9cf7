//! The clusterer's state saved as records, commit by commit: restored
//! between any two commits it goes on exactly as if it had never been
//! saved, and a commit writes only what its articles changed.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use newsdesk_cluster::{ClusterConfig, ClusterError, Clusterer};
use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};
use newsdesk_model::seeded::SplitMix64;
use newsdesk_model::state::{StateChanges, StateRecord};
use newsdesk_model::{Assignment, Document};

use crate::corpus::corpus;

/// A store's table of records, as the SQLite store applies changes.
#[derive(Default)]
struct Table(BTreeMap<(u8, u64), Vec<u8>>);

impl Table {
    fn apply(&mut self, changes: &StateChanges) {
        if changes.replace {
            self.0.clear();
        }
        for &(kind, below) in &changes.forget {
            self.0.retain(|&(k, key), _| k != kind || key >= below);
        }
        for r in &changes.records {
            self.0.insert((r.kind, r.key), r.value.clone());
        }
    }

    fn records(&self) -> Vec<StateRecord> {
        self.0
            .iter()
            .map(|(&(kind, key), value)| StateRecord {
                kind,
                key,
                value: value.clone(),
            })
            .collect()
    }
}

/// NeuS val's articles (real reports, with reprints), if the shared data
/// is there.
#[allow(clippy::print_stderr)]
fn neus_val() -> Option<Vec<Document>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/eval/clustering/neus_val.jsonl");
    if !path.exists() {
        eprintln!("skipped: {} is absent", path.display());
        return None;
    }
    let mut articles = Vec::new();
    let input = Input::File {
        path,
        format: InputFormat::Jsonl,
    };
    read_input(&input, &ReadOptions::default(), &mut |a| articles.push(a));
    Some(articles.into_iter().map(newsdesk_text::analyze).collect())
}

/// The assignments of `docs` by a clusterer saved as records after every
/// `step` articles and restored from them, and the clusterer at the end.
fn in_commits(docs: &[Document], step: usize) -> (Vec<Assignment>, Clusterer) {
    let config = ClusterConfig::default();
    let mut table = Table::default();
    let mut clusterer = Clusterer::new(config);
    let mut assignments = Vec::new();
    for chunk in docs.chunks(step) {
        assignments.extend(chunk.iter().map(|d| clusterer.assign(d)));
        table.apply(&clusterer.unsaved_changes());
        clusterer.mark_saved();
        clusterer = Clusterer::restore_records(&table.records(), config).expect("restores");
    }
    (assignments, clusterer)
}

fn at_once(docs: &[Document]) -> (Vec<Assignment>, Clusterer) {
    let mut clusterer = Clusterer::new(ClusterConfig::default());
    let assignments = docs.iter().map(|d| clusterer.assign(d)).collect();
    (assignments, clusterer)
}

#[test]
fn a_state_saved_as_records_after_each_article_goes_on_as_if_never_saved() {
    let docs = corpus();
    let (expected, whole) = at_once(&docs);
    let (got, restored) = in_commits(&docs, 1);
    assert_eq!(got, expected);
    assert_eq!(restored.to_bytes(), whole.to_bytes());
    assert!(
        got[5].duplicate_of.is_some(),
        "the reprint is found after a restore"
    );
}

#[test]
fn neus_val_saved_in_commits_gives_the_events_and_state_of_one_pass() {
    let Some(docs) = neus_val() else { return };
    let (expected, whole) = at_once(&docs);
    for step in [37, 200] {
        let (got, restored) = in_commits(&docs, step);
        assert_eq!(got, expected, "saved every {step} article(s)");
        assert_eq!(restored.to_bytes(), whole.to_bytes(), "saved every {step}");
    }
}

// Reliability review 7.5: adding one article to a store rewrote the whole
// clusterer state (26 MB for NeuS train).
#[test]
fn a_commit_of_one_article_writes_what_it_changed_not_the_state() {
    let Some(docs) = neus_val() else { return };
    let config = ClusterConfig::default();
    let (before, last_100) = docs.split_at(docs.len() - 100);
    let (_, clusterer) = at_once(before);
    let mut table = Table::default();
    let mut clusterer = Clusterer::restore(&clusterer.to_bytes(), config).expect("restores");
    let whole = clusterer.unsaved_changes().bytes();
    table.apply(&clusterer.unsaved_changes());
    clusterer.mark_saved();
    let mut written = Vec::new();
    for d in last_100 {
        clusterer.assign(d);
        let changes = clusterer.unsaved_changes();
        written.push(changes.bytes());
        table.apply(&changes);
        clusterer.mark_saved();
    }
    let mut last = written;
    last.sort_unstable();
    let median = last[50];
    let most = last[99];
    assert!(
        most < whole / 20 && median < 24 * 1024,
        "one article wrote up to {most} bytes (median {median}) of a {whole}-byte state"
    );
}

#[test]
fn a_single_blob_state_is_written_whole_as_records_once() {
    let docs = corpus();
    let (_, whole) = at_once(&docs[..4]);
    let config = ClusterConfig::default();
    let mut restored = Clusterer::restore(&whole.to_bytes(), config).expect("restores");
    let changes = restored.unsaved_changes();
    assert!(changes.replace, "the first save as records replaces");
    let mut table = Table::default();
    table.apply(&changes);
    restored.mark_saved();
    assert!(!restored.unsaved_changes().replace);
    let mut again = Clusterer::restore_records(&table.records(), config).expect("restores");
    let mut continuous = whole;
    for d in &docs[4..] {
        assert_eq!(again.assign(d), continuous.assign(d));
    }
}

#[test]
fn records_of_a_later_format_or_with_one_missing_are_refused() {
    let docs = corpus();
    let (_, mut clusterer) = at_once(&docs);
    let mut table = Table::default();
    table.apply(&clusterer.unsaved_changes());
    clusterer.mark_saved();
    let records = table.records();
    for (i, record) in records.iter().enumerate() {
        let mut fewer = records.clone();
        fewer.remove(i);
        assert!(
            Clusterer::restore_records(&fewer, ClusterConfig::default()).is_err(),
            "record {}/{} left out",
            record.kind,
            record.key
        );
    }
    let mut later = Clusterer::new(ClusterConfig::default());
    later.assign(&docs[0]);
    let mut changes = later.unsaved_changes();
    // The header's format is its first field: a MessagePack array of
    // numbers whose first is 5.
    let header = changes
        .records
        .iter_mut()
        .find(|r| r.kind == 0)
        .expect("header");
    assert_eq!(header.value.get(1), Some(&5));
    header.value[1] = 6;
    match Clusterer::restore_records(&changes.records, ClusterConfig::default()) {
        Err(ClusterError::NewerFormat {
            found: 6,
            newest: 5,
        }) => {}
        other => panic!("expected a newer-format error, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn damaged_records_are_refused_or_used_without_panicking() {
    let docs = corpus();
    let (_, mut clusterer) = at_once(&docs[..4]);
    let mut table = Table::default();
    table.apply(&clusterer.unsaved_changes());
    clusterer.mark_saved();
    let records = table.records();
    let mut rng = SplitMix64::new(5);
    let (mut refused, mut used, mut panicked) = (0, 0, 0);
    for _ in 0..2000 {
        let mut damaged = records.clone();
        for _ in 0..1 + rng.below(3) {
            let r = rng.below(damaged.len());
            let value = &mut damaged[r].value;
            match rng.below(3) {
                0 if !value.is_empty() => {
                    let at = rng.below(value.len());
                    value[at] = rng.below(256) as u8;
                }
                1 => value.truncate(rng.below(value.len() + 1)),
                _ => damaged[r].key = rng.below(5000) as u64,
            }
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            match Clusterer::restore_records(&damaged, ClusterConfig::default()) {
                Ok(mut restored) => {
                    for d in &docs {
                        restored.assign(d);
                    }
                    let _ = restored.unsaved_changes();
                    true
                }
                Err(_) => false,
            }
        }));
        match outcome {
            Ok(true) => used += 1,
            Ok(false) => refused += 1,
            Err(_) => panicked += 1,
        }
    }
    assert_eq!(panicked, 0, "{refused} refused, {used} used");
    assert!(refused > 0 && used > 0, "{refused} refused, {used} used");
}
