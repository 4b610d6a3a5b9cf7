//! The clusterer's state saved as records, commit by commit: restored
//! between any two commits it goes on exactly as if it had never been
//! saved, and a commit writes only what its articles changed.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use newsdesk_cluster::{ArticleFeatures, ClusterConfig, ClusterError, Clusterer};
use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};
use newsdesk_model::seeded::SplitMix64;
use newsdesk_model::state::{StateChanges, StateRecord};
use newsdesk_model::{ArticleId, Assignment, Document};

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

/// `d` assigned by a clusterer that may have been restored from records,
/// the documents of `docs` standing for the store's (the remembered
/// articles' shingles are computed again from them).
fn assign_from(clusterer: &mut Clusterer, d: &Document, docs: &[Document]) -> Assignment {
    let features = ArticleFeatures::of(d, clusterer.config());
    clusterer.assign_features_from(d, &features, None, &mut stored(docs))
}

/// The documents of `docs` with the ids asked for, as a store gives them.
fn stored(docs: &[Document]) -> impl FnMut(&[ArticleId]) -> Vec<Document> + '_ {
    |ids| {
        docs.iter()
            .filter(|d| ids.contains(&d.article.id))
            .cloned()
            .collect()
    }
}

/// The assignments of `docs` by a clusterer saved as records after every
/// `step` articles and restored from them, and the clusterer at the end
/// (with every remembered article's shingles recalled).
fn in_commits(docs: &[Document], step: usize) -> (Vec<Assignment>, Clusterer) {
    let config = ClusterConfig::default();
    let mut table = Table::default();
    let mut clusterer = Clusterer::new(config);
    let mut assignments = Vec::new();
    for chunk in docs.chunks(step) {
        assignments.extend(chunk.iter().map(|d| assign_from(&mut clusterer, d, docs)));
        table.apply(&clusterer.unsaved_changes());
        clusterer.mark_saved();
        clusterer = Clusterer::restore_records(&table.records(), config).expect("restores");
    }
    clusterer.recall_all_shingles(&mut stored(docs));
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
        assert_eq!(assign_from(&mut again, d, &docs), continuous.assign(d));
    }
}

/// `records` (format 6) as format 5 wrote them: one term per record,
/// postings logs of (term, group) pairs, and remembered articles with
/// their shingles (from `docs`).
fn as_format_5(records: &[StateRecord], docs: &[Document]) -> Vec<StateRecord> {
    fn varint(r: &mut &[u8]) -> u32 {
        let mut value = 0u32;
        for shift in (0..35).step_by(7) {
            let (&byte, rest) = r.split_first().expect("a varint");
            *r = rest;
            value |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
        }
        value
    }
    fn put(out: &mut Vec<u8>, mut value: u32) {
        while value >= 0x80 {
            out.push((value as u8 & 0x7f) | 0x80);
            value >>= 7;
        }
        out.push(value as u8);
    }
    let mut old = Vec::new();
    for r in records {
        match r.kind {
            0 => {
                let mut value = r.value.clone();
                value[1] = 5;
                old.push(StateRecord { value, ..r.clone() });
            }
            1 => {
                let mut bytes = r.value.as_slice();
                let mut key = r.key * 128;
                while !bytes.is_empty() {
                    let n = varint(&mut bytes) as usize;
                    let (term, rest) = bytes.split_at(n);
                    bytes = rest;
                    old.push(StateRecord {
                        kind: 1,
                        key,
                        value: term.to_vec(),
                    });
                    key += 1;
                }
            }
            5 | 6 => {
                let mut bytes = r.value.as_slice();
                let (mut term, mut value) = (0, Vec::new());
                while !bytes.is_empty() {
                    term += varint(&mut bytes);
                    let mut group = 0u32;
                    for _ in 0..varint(&mut bytes) {
                        let folded = varint(&mut bytes);
                        let gap = ((folded >> 1) as i32) ^ -((folded & 1) as i32);
                        group = group.wrapping_add(gap as u32);
                        put(&mut value, term);
                        put(&mut value, group);
                    }
                }
                old.push(StateRecord { value, ..r.clone() });
            }
            7 => {
                // Event, story, the id's length (u32) and the id, then the
                // shingles' count (u32) and the shingles (u32 each).
                let id_len = u32::from_le_bytes(r.value[16..20].try_into().expect("4 bytes"));
                let id_end = 20 + id_len as usize;
                let id = std::str::from_utf8(&r.value[20..id_end]).expect("an id");
                let doc = docs
                    .iter()
                    .find(|d| d.article.id.as_str() == id)
                    .expect("the remembered article");
                let shingles = newsdesk_cluster::duplicates::shingles(doc);
                let mut value = r.value[..id_end].to_vec();
                value.extend_from_slice(&(shingles.len() as u32).to_le_bytes());
                for shingle in shingles {
                    value.extend_from_slice(&shingle.to_le_bytes());
                }
                value.extend_from_slice(&r.value[id_end..]);
                old.push(StateRecord { value, ..r.clone() });
            }
            _ => old.push(r.clone()),
        }
    }
    old
}

#[test]
fn a_state_of_format_5_goes_on_as_if_never_saved_and_is_saved_whole_in_format_6() {
    let docs = corpus();
    let (expected, whole) = at_once(&docs);
    let config = ClusterConfig::default();
    let (_, mut first) = at_once(&docs[..4]);
    let mut table = Table::default();
    let changes = first.unsaved_changes();
    table.apply(&changes);
    first.mark_saved();
    let old = as_format_5(&table.records(), &docs);
    assert!(old.len() > table.records().len(), "one record per term");
    let mut restored = Clusterer::restore_records(&old, config).expect("restores format 5");
    let mut got = expected[..4].to_vec();
    got.extend(docs[4..].iter().map(|d| restored.assign(d)));
    assert_eq!(got, expected);
    assert_eq!(restored.to_bytes(), whole.to_bytes());
    let changes = restored.unsaved_changes();
    assert!(changes.replace, "a state of format 5 is saved whole");
    let mut table = Table::default();
    table.apply(&changes);
    let mut again = Clusterer::restore_records(&table.records(), config).expect("restores");
    again.recall_all_shingles(&mut stored(&docs));
    assert_eq!(again.to_bytes(), whole.to_bytes());
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
    // numbers whose first is 6.
    let header = changes
        .records
        .iter_mut()
        .find(|r| r.kind == 0)
        .expect("header");
    assert_eq!(header.value.get(1), Some(&6));
    header.value[1] = 7;
    match Clusterer::restore_records(&changes.records, ClusterConfig::default()) {
        Err(ClusterError::NewerFormat {
            found: 7,
            newest: 6,
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
