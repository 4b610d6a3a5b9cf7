//! The clusterer's state as keyed records ([`StateRecord`]), so that a
//! store keeps it in a table and each commit writes only what the articles
//! since the last one changed: their new terms, the document frequencies
//! they raised, the events and stories they joined or were measured
//! against, the postings they added and the articles the near-duplicate
//! index remembered or forgot. Adding one article to a store of thousands
//! writes kilobytes, not the whole state.
//!
//! | kind | key | value |
//! |---|---|---|
//! | [`HEADER`] | 0 | format, counts (MessagePack) |
//! | [`TERM`] | chunk | [`TERM_CHUNK`] terms (length-prefixed UTF-8) |
//! | [`DF`] | chunk | [`DF_CHUNK`] document frequencies (u32 LE) |
//! | [`EVENT`], [`STORY`] | 0-based index | a centroid |
//! | [`EVENT_POSTINGS`], [`STORY_POSTINGS`] | commit | the groups each term got (LEB128) |
//! | [`DUPLICATE`] | position | a remembered article |
//!
//! Postings are a log, replayed in order on load: the order in which
//! groups got a term decides which are a term's most recent groups
//! (candidates are drawn from those), and a log keeps it exactly without
//! rewriting a long list for every group that joins it. A log record
//! holds, term by term (ascending, as gaps), how many groups got the
//! term and which (each as a zigzag gap from the one before), in the
//! order they got it: only a term's own order matters on replay.
//!
//! Format 5 kept one term per record and each posting as a (term, group)
//! pair; a state of format 5 is read, and saved whole in format 6 at the
//! next commit.

use std::collections::BTreeSet;

use newsdesk_model::state::{StateChanges, StateRecord};
use serde::{Deserialize, Serialize};

use super::{is_name, ClusterConfig, ClusterError, Clusterer};
use crate::binary::{Put, Reader};
use crate::centroids::{Centroid, Centroids, DocWeights, TermPostings};
use crate::duplicates::DuplicateIndex;
use crate::vocabulary::TermIds;

/// The format of the state as records, in its header record. Format 4
/// follows the single-blob formats 1–3 ([`super::STATE_FORMAT`]); format
/// 5 keeps the near-duplicate index's band hashes to 32 bits (format 4's
/// 64-bit ones are still read); format 6 keeps terms in chunks, postings
/// by term, and remembered articles without their shingles (formats 4 and 5 are read, and saved whole in format
/// 6 at the next commit).
pub const RECORDS_FORMAT: u32 = 6;

/// The first format whose terms are in chunks and postings by term.
const CHUNKED_FORMAT: u32 = 6;

/// Kind of the header record (key 0).
const HEADER: u8 = 0;
/// Kind of the term records.
const TERM: u8 = 1;
/// Kind of the document-frequency records.
const DF: u8 = 2;
/// Kind of the event centroid records.
const EVENT: u8 = 3;
/// Kind of the story centroid records.
const STORY: u8 = 4;
/// Kind of the event postings log.
const EVENT_POSTINGS: u8 = 5;
/// Kind of the story postings log.
const STORY_POSTINGS: u8 = 6;
/// Kind of the near-duplicate index's records.
const DUPLICATE: u8 = 7;

/// Terms per record (about 2 KB of words and names): a commit rewrites
/// the last chunk it added terms to, and loading reads a few hundred
/// records instead of one per term.
const TERM_CHUNK: usize = 128;

/// Document frequencies per record (1 KB, a quarter of a page): an
/// article raises the frequencies of its few dozen terms, spread over the
/// vocabulary, so small chunks keep what a commit rewrites small, and
/// four to a page keep the table compact.
const DF_CHUNK: usize = 256;

/// What a store already holds of a clusterer's state.
#[derive(Debug, Clone, Default)]
pub(super) struct Saved {
    /// Whether the store holds the state as records at all (false for a
    /// new clusterer and one restored from a single-blob state: the next
    /// save writes everything and replaces what the store held).
    pub as_records: bool,
    /// Terms the store holds (ids below).
    terms: usize,
    /// Document-frequency chunks changed since.
    df_chunks: BTreeSet<u32>,
    /// Postings log records the store holds, of events and of stories.
    event_logs: u64,
    story_logs: u64,
    /// The near-duplicate index's next and first positions when saved.
    duplicates_next: u64,
    duplicates_first: u64,
}

impl Saved {
    /// Notes that the document frequency of `term` changed.
    pub fn df_changed(&mut self, term: u32) {
        if self.as_records {
            self.df_chunks.insert(term / DF_CHUNK as u32);
        }
    }
}

/// The header record: the format and the counts that tell a complete
/// state from one with records missing.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: u32,
    docs: u64,
    terms: u64,
    events: u64,
    stories: u64,
    event_logs: u64,
    story_logs: u64,
    duplicates_first: u64,
    duplicates_next: u64,
}

impl Clusterer {
    /// What changed in the state since it was last saved as records
    /// ([`Clusterer::mark_saved`]), for a store to apply in the commit
    /// that stores the articles: everything, replacing what the store
    /// held, for a clusterer never saved as records.
    pub fn unsaved_changes(&self) -> StateChanges {
        let all = !self.saved.as_records;
        let mut changes = StateChanges {
            replace: all,
            ..StateChanges::default()
        };
        let (event_logs, story_logs) = if all {
            (0, 0)
        } else {
            (self.saved.event_logs, self.saved.story_logs)
        };
        let header = Header {
            format: RECORDS_FORMAT,
            docs: self.docs,
            terms: self.vocab.len() as u64,
            events: self.events.items.len() as u64,
            stories: self.stories.items.len() as u64,
            event_logs: event_logs + u64::from(has_postings(&self.events, all)),
            story_logs: story_logs + u64::from(has_postings(&self.stories, all)),
            duplicates_first: self.duplicates.first_seq(),
            duplicates_next: self.duplicates.next_seq(),
        };
        changes.records.push(StateRecord {
            kind: HEADER,
            key: 0,
            // Plain numbers into a vector: cannot fail.
            value: rmp_serde::to_vec(&header).unwrap_or_default(),
        });
        // The chunk the first new term falls in is written again, whole.
        let first_term = if all { 0 } else { self.saved.terms };
        let first_chunk = first_term / TERM_CHUNK;
        for (chunk, terms) in self
            .vocab
            .chunks(TERM_CHUNK)
            .enumerate()
            .skip(first_chunk)
            .filter(|_| first_term < self.vocab.len())
        {
            let mut value = Vec::with_capacity(terms.iter().map(|t| t.len() + 1).sum());
            for term in terms {
                value.put_short_len(term.len());
                value.extend_from_slice(term.as_bytes());
            }
            changes.records.push(StateRecord {
                kind: TERM,
                key: chunk as u64,
                value,
            });
        }
        // Chunks of new terms hold new (or raised) frequencies too.
        let mut chunks: BTreeSet<u32> = if all {
            BTreeSet::new()
        } else {
            self.saved.df_chunks.clone()
        };
        let first_new = if all { 0 } else { self.saved.terms };
        chunks.extend((first_new..self.df.len()).map(|t| (t / DF_CHUNK) as u32));
        for chunk in chunks {
            let from = chunk as usize * DF_CHUNK;
            let Some(frequencies) = self.df.get(from..(from + DF_CHUNK).min(self.df.len())) else {
                continue;
            };
            changes.records.push(StateRecord {
                kind: DF,
                key: u64::from(chunk),
                value: frequencies.iter().flat_map(|f| f.to_le_bytes()).collect(),
            });
        }
        for (kind, log_kind, groups, logs) in [
            (EVENT, EVENT_POSTINGS, &self.events, event_logs),
            (STORY, STORY_POSTINGS, &self.stories, story_logs),
        ] {
            group_records(&mut changes.records, kind, groups, all);
            if let Some(log) = postings_log(groups, all) {
                changes.records.push(StateRecord {
                    kind: log_kind,
                    key: logs,
                    value: log,
                });
            }
        }
        let from = if all { 0 } else { self.saved.duplicates_next };
        for (seq, value) in self.duplicates.records_from(from) {
            changes.records.push(StateRecord {
                kind: DUPLICATE,
                key: seq,
                value,
            });
        }
        let first = self.duplicates.first_seq();
        if !all && first > self.saved.duplicates_first {
            changes.forget.push((DUPLICATE, first));
        }
        changes
    }

    /// Records that the changes last returned by
    /// [`Clusterer::unsaved_changes`] were stored.
    pub fn mark_saved(&mut self) {
        let all = !self.saved.as_records;
        let (event_logs, story_logs) = if all {
            (0, 0)
        } else {
            (self.saved.event_logs, self.saved.story_logs)
        };
        self.saved = Saved {
            as_records: true,
            terms: self.vocab.len(),
            df_chunks: BTreeSet::new(),
            event_logs: event_logs + u64::from(has_postings(&self.events, all)),
            story_logs: story_logs + u64::from(has_postings(&self.stories, all)),
            duplicates_next: self.duplicates.next_seq(),
            duplicates_first: self.duplicates.first_seq(),
        };
        for groups in [&mut self.events, &mut self.stories] {
            groups.unsaved = Default::default();
        }
    }

    /// Restores a state saved as records ([`Clusterer::unsaved_changes`],
    /// in any order) to go on clustering with `config`, as
    /// [`Clusterer::restore`] does for a single-blob state: the same
    /// assignments, bit for bit, as if it had never been saved.
    ///
    /// # Errors
    ///
    /// [`ClusterError::NewerFormat`] for records of a later format, and
    /// [`ClusterError::Damaged`] for records that are missing, left over
    /// or cannot be decoded.
    pub fn restore_records(
        records: &[StateRecord],
        config: ClusterConfig,
    ) -> Result<Clusterer, ClusterError> {
        let damaged = |what: String| ClusterError::Damaged(what);
        let header = records
            .iter()
            .find(|r| r.kind == HEADER && r.key == 0)
            .ok_or_else(|| damaged("the state's header record is missing".to_owned()))?;
        let header: Header = rmp_serde::from_slice(&header.value)
            .map_err(|e| damaged(format!("the state's header: {e}")))?;
        if header.format > RECORDS_FORMAT {
            return Err(ClusterError::NewerFormat {
                found: header.format,
                newest: RECORDS_FORMAT,
            });
        }
        let terms = count(header.terms, "terms")?;
        let mut vocab: Vec<Option<String>> = vec![None; terms];
        let mut df = vec![0u32; terms];
        // The groups' records, decoded below on a second thread.
        let mut events: Vec<Option<&[u8]>> = vec![None; count(header.events, "events")?];
        let mut stories: Vec<Option<&[u8]>> = vec![None; count(header.stories, "stories")?];
        let mut event_logs: Vec<(u64, &[u8])> = Vec::new();
        let mut story_logs: Vec<(u64, &[u8])> = Vec::new();
        let mut duplicates: Vec<(u64, &[u8])> = Vec::new();
        let chunked = header.format >= CHUNKED_FORMAT;
        let mut df_chunks = 0;
        for record in records {
            let key = usize::try_from(record.key).unwrap_or(usize::MAX);
            let out_of_range = || {
                damaged(format!(
                    "record {}/{} is out of range",
                    record.kind, record.key
                ))
            };
            match record.kind {
                HEADER => {}
                TERM if chunked => {
                    let from = key.checked_mul(TERM_CHUNK).ok_or_else(out_of_range)?;
                    let expected = terms.saturating_sub(from).min(TERM_CHUNK);
                    let mut r = Reader::new(&record.value);
                    for i in 0..expected {
                        let slot = vocab.get_mut(from + i).ok_or_else(out_of_range)?;
                        let term = r
                            .short_len(1)
                            .and_then(|n| r.take(n))
                            .and_then(|bytes| std::str::from_utf8(bytes).ok())
                            .ok_or_else(|| damaged(format!("term chunk {key} is damaged")))?;
                        *slot = Some(term.to_owned());
                    }
                    if expected == 0 || !r.is_done() {
                        return Err(out_of_range());
                    }
                }
                TERM => {
                    let slot = vocab.get_mut(key).ok_or_else(out_of_range)?;
                    let term = String::from_utf8(record.value.clone())
                        .map_err(|_| damaged(format!("term {key} is not UTF-8")))?;
                    *slot = Some(term);
                }
                DF => {
                    let from = key.checked_mul(DF_CHUNK).ok_or_else(out_of_range)?;
                    let expected = terms.saturating_sub(from).min(DF_CHUNK) * 4;
                    if from >= terms || record.value.len() != expected {
                        return Err(out_of_range());
                    }
                    df_chunks += 1;
                    for (i, bytes) in record.value.chunks_exact(4).enumerate() {
                        let slot = df.get_mut(from + i).ok_or_else(out_of_range)?;
                        *slot = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
                    }
                }
                EVENT | STORY => {
                    let groups = if record.kind == EVENT {
                        &mut events
                    } else {
                        &mut stories
                    };
                    let slot = groups.get_mut(key).ok_or_else(out_of_range)?;
                    *slot = Some(&record.value);
                }
                EVENT_POSTINGS => event_logs.push((record.key, &record.value)),
                STORY_POSTINGS => story_logs.push((record.key, &record.value)),
                DUPLICATE => duplicates.push((record.key, &record.value)),
                other => return Err(damaged(format!("record of unknown kind {other}"))),
            }
        }
        if df_chunks != terms.div_ceil(DF_CHUNK) {
            return Err(damaged("document frequencies are missing".to_owned()));
        }
        // The groups' centroids, their postings, and the rest (terms,
        // remembered articles) are decoded at once, each about a third of
        // the work.
        let (centroids, postings, rest) = std::thread::scope(|scope| {
            let centroids = scope
                .spawn(|| Ok::<_, ClusterError>((decode_groups(events)?, decode_groups(stories)?)));
            let postings = scope.spawn(|| {
                Ok::<_, ClusterError>((
                    replay_logs(&mut event_logs, header.event_logs, chunked)?,
                    replay_logs(&mut story_logs, header.story_logs, chunked)?,
                ))
            });
            let rest = restore_rest(vocab, duplicates, &header, chunked);
            let centroids = centroids
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let postings = postings
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (centroids, postings, rest)
        });
        let (event_items, story_items) = centroids?;
        let (event_postings, story_postings) = postings?;
        let restored_events = Centroids {
            items: event_items,
            postings: event_postings,
            ..Centroids::default()
        };
        let restored_stories = Centroids {
            items: story_items,
            postings: story_postings,
            track_norms: true,
            ..Centroids::default()
        };
        let (vocab, duplicates, lookup, names) = rest?;
        let saved = Saved {
            // An older format is saved whole, in this one, at the next
            // commit.
            as_records: chunked,
            terms: vocab.len(),
            df_chunks: BTreeSet::new(),
            event_logs: header.event_logs,
            story_logs: header.story_logs,
            duplicates_next: duplicates.next_seq(),
            duplicates_first: duplicates.first_seq(),
        };
        Ok(Clusterer {
            config,
            vocab,
            df,
            docs: header.docs,
            events: restored_events,
            stories: restored_stories,
            duplicates,
            lookup,
            names,
            plain: DocWeights::default(),
            model: DocWeights::default(),
            saved,
        })
    }
}

/// Groups (events or stories) decoded from their records, each present.
fn decode_groups(items: Vec<Option<&[u8]>>) -> Result<Vec<Centroid>, ClusterError> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, g)| {
            g.and_then(Centroid::decode)
                .ok_or_else(|| ClusterError::Damaged(format!("group {i} is missing or damaged")))
        })
        .collect()
}

/// The postings of groups replayed from their logs (`expected` of them,
/// keyed from 0).
fn replay_logs(
    logs: &mut [(u64, &[u8])],
    expected: u64,
    chunked: bool,
) -> Result<TermPostings, ClusterError> {
    let damaged = |what: String| ClusterError::Damaged(what);
    logs.sort_unstable_by_key(|&(key, _)| key);
    if logs.len() as u64 != expected || logs.iter().enumerate().any(|(i, &(k, _))| k != i as u64) {
        return Err(damaged("the postings log is incomplete".to_owned()));
    }
    let mut postings = TermPostings::default();
    if chunked {
        // Each term's list is made at its full length first: growing it
        // log by log cost more than reading the logs.
        let mut lengths: crate::fxhash::IdMap<u32, usize> = Default::default();
        for (key, log) in logs.iter() {
            count_by_term(log, &mut lengths)
                .ok_or_else(|| damaged(format!("postings log {key} is cut")))?;
        }
        postings.lists.reserve(lengths.len());
        for (term, n) in lengths {
            postings.lists.insert(term, Vec::with_capacity(n));
        }
    }
    for (key, log) in logs.iter() {
        let replayed = if chunked {
            replay_by_term(log, &mut postings.lists)
        } else {
            replay_pairs(log, &mut postings.lists)
        };
        replayed.ok_or_else(|| damaged(format!("postings log {key} is cut")))?;
    }
    Ok(postings)
}

/// The vocabulary (every term present), the near-duplicate index, the
/// terms' lookup and which terms are names.
type Rest = (Vec<String>, DuplicateIndex, TermIds, Vec<bool>);

/// The vocabulary's terms checked present, the remembered articles
/// decoded, and the lookups made from the vocabulary.
fn restore_rest(
    vocab: Vec<Option<String>>,
    duplicates: Vec<(u64, &[u8])>,
    header: &Header,
    chunked: bool,
) -> Result<Rest, ClusterError> {
    let damaged = |what: String| ClusterError::Damaged(what);
    let vocab: Vec<String> = vocab
        .into_iter()
        .enumerate()
        .map(|(id, term)| term.ok_or_else(|| damaged(format!("term {id} is missing"))))
        .collect::<Result<_, _>>()?;
    let duplicates = DuplicateIndex::from_records(header.duplicates_next, duplicates, !chunked)
        .map_err(damaged)?;
    let remembered = header.duplicates_next.checked_sub(header.duplicates_first);
    if duplicates.first_seq() != header.duplicates_first
        || remembered != Some(duplicates.len() as u64)
    {
        return Err(damaged("remembered articles are missing".to_owned()));
    }
    let lookup = TermIds::of(&vocab);
    let names = vocab.iter().map(|t| is_name(t)).collect();
    Ok((vocab, duplicates, lookup, names))
}

/// A count from the header as a length.
fn count(value: u64, what: &str) -> Result<usize, ClusterError> {
    usize::try_from(value)
        .map_err(|_| ClusterError::Damaged(format!("the state's header counts {value} {what}")))
}

/// Whether a save writes a postings log record for `groups`.
fn has_postings(groups: &Centroids, all: bool) -> bool {
    if all {
        !groups.postings.lists.is_empty()
    } else {
        !groups.unsaved.postings.is_empty()
    }
}

/// The postings log record of a save: every posting (each term's groups in
/// the order they got it) when `all`, else those added since.
fn postings_log(groups: &Centroids, all: bool) -> Option<Vec<u8>> {
    if !has_postings(groups, all) {
        return None;
    }
    let mut log = Vec::new();
    let mut previous_term = 0;
    let mut put_term = |log: &mut Vec<u8>, term: u32, list: &mut dyn Iterator<Item = u32>, n| {
        log.put_varint(term - previous_term);
        previous_term = term;
        log.put_short_len(n);
        let mut previous = 0u32;
        for group in list {
            log.put_varint(zigzag(group, previous));
            previous = group;
        }
    };
    if all {
        let mut terms: Vec<(&u32, &Vec<u32>)> = groups.postings.lists.iter().collect();
        terms.sort_unstable_by_key(|&(t, _)| *t);
        for (&term, list) in terms {
            put_term(&mut log, term, &mut list.iter().copied(), list.len());
        }
    } else {
        // Each term's groups keep the order they got it (a stable sort).
        let mut added = groups.unsaved.postings.clone();
        added.sort_by_key(|&(term, _)| term);
        for run in added.chunk_by(|a, b| a.0 == b.0) {
            put_term(
                &mut log,
                run[0].0,
                &mut run.iter().map(|&(_, g)| g),
                run.len(),
            );
        }
    }
    Some(log)
}

/// `group` as a gap from `previous`, folded to an unsigned number
/// (zigzag: 0, -1, 1, -2, … become 0, 1, 2, 3, …).
fn zigzag(group: u32, previous: u32) -> u32 {
    let gap = group.wrapping_sub(previous) as i32;
    ((gap << 1) ^ (gap >> 31)) as u32
}

/// [`zigzag`] undone.
fn unzigzag(folded: u32, previous: u32) -> u32 {
    let gap = ((folded >> 1) as i32) ^ -((folded & 1) as i32);
    previous.wrapping_add(gap as u32)
}

/// Replays a log record of format 6 ([`postings_log`]) onto `lists`;
/// `None` when it is cut.
fn replay_by_term(log: &[u8], lists: &mut crate::fxhash::IdMap<u32, Vec<u32>>) -> Option<()> {
    let mut r = Reader::new(log);
    let mut term = 0u32;
    while !r.is_done() {
        term = term.checked_add(r.varint()?)?;
        let n = r.short_len(1)?;
        let list = lists.entry(term).or_default();
        let mut previous = 0u32;
        for _ in 0..n {
            previous = unzigzag(r.varint()?, previous);
            list.push(previous);
        }
    }
    Some(())
}

/// Adds to `lengths` how many groups each term gets in a log record of
/// format 6; `None` when it is cut.
fn count_by_term(log: &[u8], lengths: &mut crate::fxhash::IdMap<u32, usize>) -> Option<()> {
    let mut r = Reader::new(log);
    let mut term = 0u32;
    while !r.is_done() {
        term = term.checked_add(r.varint()?)?;
        let n = r.short_len(1)?;
        *lengths.entry(term).or_default() += n;
        for _ in 0..n {
            r.varint()?;
        }
    }
    Some(())
}

/// Replays a log record of formats 4 and 5, (term, group) pairs, onto
/// `lists`; `None` when it is cut.
fn replay_pairs(log: &[u8], lists: &mut crate::fxhash::IdMap<u32, Vec<u32>>) -> Option<()> {
    let mut r = Reader::new(log);
    while !r.is_done() {
        let (term, group) = (r.varint()?, r.varint()?);
        lists.entry(term).or_default().push(group);
    }
    Some(())
}

/// The records of the groups a save writes: all when `all`, else those
/// opened or changed since.
fn group_records(records: &mut Vec<StateRecord>, kind: u8, groups: &Centroids, all: bool) {
    let mut push = |index: usize| {
        if let Some(group) = groups.items.get(index) {
            records.push(StateRecord {
                kind,
                key: index as u64,
                value: group.encode(),
            });
        }
    };
    if all {
        (0..groups.items.len()).for_each(&mut push);
    } else {
        groups.unsaved.groups.iter().copied().for_each(push);
    }
}
