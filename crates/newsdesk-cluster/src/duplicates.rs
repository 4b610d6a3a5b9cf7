//! Near-duplicate detection: reprints and syndicated copies of one story.
//!
//! Each article's body (headings and sentences, never the title, which
//! reprints often change, and never debris) becomes a set of word 3-gram
//! shingles, hashed to 32 bits. A MinHash signature of [`PERMUTATIONS`]
//! values is cut into [`BANDS`] bands for locality-sensitive hashing: two
//! articles whose shingle sets have Jaccard similarity `J` share at least
//! one band with probability `1 - (1 - J^r)^b`: with `r = 3`, `b = 32`,
//! 0.986 at `J = 0.5`, 0.88 at `J = 0.4`, and 0.004 at `J = 0.05`, so
//! unrelated articles rarely become candidates. Every candidate is then
//! checked exactly on the two shingle sets, so the LSH step only saves time
//! and never decides on its own (Broder 1997; Leskovec et al., *Mining of
//! Massive Datasets*, ch. 3).
//!
//! An article is a duplicate of the most similar earlier *canonical*
//! article if their Jaccard similarity (resemblance) reaches
//! [`DuplicateConfig::threshold`] (0.5: a copy with a changed headline or an
//! added paragraph keeps well above it; two different reports of one event
//! share far fewer 3-grams), or if one contains at least
//! [`DuplicateConfig::containment`] of the other's shingles (Broder's
//! containment: a copy whose ending was cut hard keeps little of a short
//! original's text, but all it keeps is the original's). Duplicates are
//! not indexed themselves, so a chain of copies all point at the first
//! one. Only the most recent [`DuplicateConfig::window`] canonical articles
//! are kept, which bounds memory: reprints appear within days of the
//! original.

use std::collections::VecDeque;

use newsdesk_model::{ArticleId, Document};
use newsdesk_text::words::words;
use serde::{Deserialize, Serialize};

use crate::binary::{Put, Reader};
use crate::fxhash::IdMap;

/// Hash functions in a MinHash signature.
pub const PERMUTATIONS: usize = 96;
/// LSH bands; `PERMUTATIONS / BANDS` rows each.
pub const BANDS: usize = 32;
const ROWS: usize = PERMUTATIONS / BANDS;

/// Articles with fewer shingles than this (headline-only items, one-line
/// briefs) are never called duplicates: too little text to tell a copy
/// from a coincidence.
const MIN_SHINGLES: usize = 8;

/// Settings of near-duplicate detection.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DuplicateConfig {
    /// Jaccard similarity of shingle sets at which an article is a copy.
    pub threshold: f64,
    /// Share of the smaller shingle set found in the larger at which an
    /// article is a copy (a cut or extended version of the other).
    pub containment: f64,
    /// How many recent canonical articles are remembered; 0 turns
    /// near-duplicate detection off.
    pub window: usize,
}

impl Default for DuplicateConfig {
    fn default() -> Self {
        DuplicateConfig {
            threshold: 0.5,
            containment: 0.8,
            window: 20_000,
        }
    }
}

/// A remembered canonical article.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// Position among all entries ever added.
    seq: u64,
    id: ArticleId,
    /// Its event and story numbers, which a copy of it inherits.
    event: u64,
    story: u64,
    /// Sorted, distinct shingle hashes; `None` for an article restored from
    /// a record, which does not keep them (its stored text gives them
    /// again: [`DuplicateIndex::unknown_candidates`]).
    shingles: Option<Vec<u32>>,
    /// Its LSH band keys (computed again on load).
    #[serde(skip)]
    bands: Vec<BandKey>,
}

/// An LSH band and the hash of its rows, kept to 32 bits
/// ([`BAND_HASH_MASK`]).
type BandKey = (u8, u64);

/// The bits of a band's hash that are kept: 32 (half the bytes of each
/// remembered article's record). A band key only finds candidates, which
/// their resemblance then confirms; with 32 bands, the odds that an
/// unrelated article shares a key by chance are about 32 × the articles
/// remembered / 2^32 per look-up (under 10^-3 for 100,000 articles).
const BAND_HASH_MASK: u64 = 0xffff_ffff;

/// A remembered article as its state record holds it ([`crate::binary`]):
/// event, story, id, and the 32-bit hashes of its bands in band order, so
/// that loading need not compute the MinHash signatures again. Its
/// shingles are not kept: they were two thirds of the record, and only a
/// candidate that shares a band needs them, computed again from its
/// stored text. (Records of state formats 4 and 5 hold the shingles too,
/// and those of format 4 64-bit band hashes, read as their low 32 bits.)
fn encode_entry(entry: &Entry) -> Vec<u8> {
    let id = entry.id.as_str().as_bytes();
    let mut out = Vec::with_capacity(20 + id.len() + 4 * BANDS);
    out.put_u64(entry.event);
    out.put_u64(entry.story);
    out.put_len(id.len());
    out.extend_from_slice(id);
    for &(_, hash) in &entry.bands {
        // Masked when made (`band_keys`) or read (`decode_entry`).
        out.put_u32((hash & BAND_HASH_MASK) as u32);
    }
    out
}

/// [`encode_entry`]'s bytes read back as the entry at position `seq`
/// (with its shingles for a record of a format before 6); `None` when they
/// are cut or left over.
fn decode_entry(seq: u64, bytes: &[u8], with_shingles: bool) -> Option<Entry> {
    let mut r = Reader::new(bytes);
    let event = r.u64()?;
    let story = r.u64()?;
    let id_len = r.len(1)?;
    let id = String::from_utf8(r.take(id_len)?.to_vec()).ok()?;
    let shingles = if with_shingles {
        let n = r.len(4)?;
        Some((0..n).map(|_| r.u32()).collect::<Option<Vec<u32>>>()?)
    } else {
        None
    };
    let wide = r.remaining() == 8 * BANDS;
    let bands = (0..BANDS as u8)
        .map(|band| {
            let hash = if wide { r.u64()? } else { u64::from(r.u32()?) };
            Some((band, hash & BAND_HASH_MASK))
        })
        .collect::<Option<Vec<BandKey>>>()?;
    r.is_done().then_some(Entry {
        seq,
        id: ArticleId(id),
        event,
        story,
        shingles,
        bands,
    })
}

/// An article's body as the index compares it: its shingles (see
/// [`shingles`]) and the LSH band keys of their MinHash signature,
/// computed once for both the lookup and the insertion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprint {
    shingles: Vec<u32>,
    bands: Vec<BandKey>,
}

impl Fingerprint {
    /// The fingerprint of a document's body.
    pub fn of(doc: &Document) -> Self {
        Fingerprint::from_shingles(shingles(doc))
    }

    /// The fingerprint of sorted, distinct shingle hashes. Too few of them
    /// (see `MIN_SHINGLES`) get no band keys: such items are never
    /// compared.
    fn from_shingles(shingles: Vec<u32>) -> Self {
        let bands = if shingles.len() < MIN_SHINGLES {
            Vec::new()
        } else {
            band_keys(&minhash(&shingles)).collect()
        };
        Fingerprint { shingles, bands }
    }
}

/// The index of recent canonical articles.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct DuplicateIndex {
    entries: VecDeque<Entry>,
    next_seq: u64,
    /// (band, band hash) → entry seqs; rebuilt from `entries` on load.
    /// Hashed with FxHash: the keys are MinHash band hashes, mixed already.
    #[serde(skip)]
    buckets: IdMap<(u8, u64), Vec<u64>>,
    /// The articles read from records (positions below this) are not in
    /// `buckets`: indexing 200,000 band keys cost a small ingest into a
    /// large store more than all else, so they are searched one by one
    /// for the first [`SCANNED_LOOKUPS`] look-ups, then through `loaded`.
    #[serde(skip)]
    unindexed_below: u64,
    /// The band keys of those articles with their positions, sorted (one
    /// sort, not a map entry and an allocation per key), made at the look-up
    /// after the first [`SCANNED_LOOKUPS`]. Articles forgotten since stay
    /// and are passed over (their positions are gone).
    #[serde(skip)]
    loaded: std::cell::OnceCell<Vec<(BandKey, u64)>>,
    /// Look-ups so far.
    #[serde(skip)]
    lookups: std::cell::Cell<u32>,
}

/// Look-ups that search the articles read from records one by one (each
/// costs one pass over them, about a millisecond for 6,000) before their
/// band keys are indexed: a small ingest never pays for the index.
const SCANNED_LOOKUPS: u32 = 16;

/// What the index found for one article.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateMatch {
    /// The canonical article it copies.
    pub original: ArticleId,
    /// Their exact Jaccard similarity.
    pub jaccard: f64,
    /// The original's event.
    pub event: u64,
    /// The original's story.
    pub story: u64,
}

impl DuplicateIndex {
    /// Rebuilds the LSH buckets after loading.
    pub(crate) fn rebuild(&mut self) {
        self.buckets.clear();
        for entry in &mut self.entries {
            // A single-blob state always holds the shingles.
            let shingles = entry.shingles.as_deref().unwrap_or_default();
            entry.bands = band_keys(&minhash(shingles)).collect();
            for &key in &entry.bands {
                self.buckets.entry(key).or_default().push(entry.seq);
            }
        }
    }

    /// How many canonical articles are remembered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The canonical article that the article of `fingerprint` copies, if
    /// any.
    pub fn find(
        &self,
        fingerprint: &Fingerprint,
        config: &DuplicateConfig,
    ) -> Option<DuplicateMatch> {
        if config.window == 0 || fingerprint.bands.is_empty() {
            return None;
        }
        self.best_of(&self.candidates(fingerprint), fingerprint, config)
    }

    /// As [`DuplicateIndex::find`], for an index restored from records:
    /// the candidates whose shingles it does not hold get them again from
    /// their stored documents, which `documents` gives (by id, any it
    /// has); a candidate it does not give is passed over.
    pub(crate) fn find_recalling(
        &mut self,
        fingerprint: &Fingerprint,
        config: &DuplicateConfig,
        documents: &mut dyn FnMut(&[ArticleId]) -> Vec<Document>,
    ) -> Option<DuplicateMatch> {
        if config.window == 0 || fingerprint.bands.is_empty() {
            return None;
        }
        let candidates = self.candidates(fingerprint);
        let wanted: Vec<(u64, ArticleId)> = candidates
            .iter()
            .filter_map(|&seq| self.entry(seq))
            .filter(|e| e.shingles.is_none())
            .map(|e| (e.seq, e.id.clone()))
            .collect();
        self.recall(&wanted, documents);
        self.best_of(&candidates, fingerprint, config)
    }

    /// The candidate (by position) that `fingerprint`'s article copies
    /// most, if any.
    fn best_of(
        &self,
        candidates: &[u64],
        fingerprint: &Fingerprint,
        config: &DuplicateConfig,
    ) -> Option<DuplicateMatch> {
        let shingles = &fingerprint.shingles;
        let mut best: Option<(f64, &Entry)> = None;
        for &seq in candidates {
            // An article whose shingles could not be had again is passed
            // over.
            let Some((entry, theirs)) = self
                .entry(seq)
                .and_then(|e| Some((e, e.shingles.as_deref()?)))
            else {
                continue;
            };
            let (j, contained) = resemblance(shingles, theirs);
            // Ties go to the older article, the likelier original.
            let copy = j >= config.threshold || contained >= config.containment;
            if copy && best.is_none_or(|(b, _)| j > b) {
                best = Some((j, entry));
            }
        }
        best.map(|(jaccard, entry)| DuplicateMatch {
            original: entry.id.clone(),
            jaccard,
            event: entry.event,
            story: entry.story,
        })
    }

    /// The remembered articles sharing a band key with `fingerprint`, by
    /// position, in order.
    fn candidates(&self, fingerprint: &Fingerprint) -> Vec<u64> {
        let mut candidates: Vec<u64> = Vec::new();
        for key in &fingerprint.bands {
            if let Some(list) = self.buckets.get(key) {
                candidates.extend_from_slice(list);
            }
        }
        self.loaded_candidates(&fingerprint.bands, &mut candidates);
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    /// Gives every remembered article whose shingles the index does not
    /// hold (one restored from records) its shingles again, from the
    /// documents `documents` gives.
    pub(crate) fn recall_all(&mut self, documents: &mut dyn FnMut(&[ArticleId]) -> Vec<Document>) {
        let wanted: Vec<(u64, ArticleId)> = self
            .entries
            .iter()
            .filter(|e| e.shingles.is_none())
            .map(|e| (e.seq, e.id.clone()))
            .collect();
        self.recall(&wanted, documents);
    }

    /// Gives the remembered articles `wanted` (positions and ids) their
    /// shingles again, computed from the documents `documents` gives.
    fn recall(
        &mut self,
        wanted: &[(u64, ArticleId)],
        documents: &mut dyn FnMut(&[ArticleId]) -> Vec<Document>,
    ) {
        if wanted.is_empty() {
            return;
        }
        let ids: Vec<ArticleId> = wanted.iter().map(|(_, id)| id.clone()).collect();
        let seqs: std::collections::HashMap<&ArticleId, u64> =
            wanted.iter().map(|(seq, id)| (id, *seq)).collect();
        let first = self.first_seq();
        for stored in documents(&ids) {
            let Some(&seq) = seqs.get(&stored.article.id) else {
                continue;
            };
            let at = seq.checked_sub(first).and_then(|i| usize::try_from(i).ok());
            if let Some(entry) = at.and_then(|i| self.entries.get_mut(i)) {
                entry.shingles = Some(shingles(&stored));
            }
        }
    }

    /// Remembers a canonical article (one that [`DuplicateIndex::find`]
    /// matched to nothing) with its event and story, forgetting the oldest
    /// beyond the window. Articles with too little text are not kept.
    pub fn insert(
        &mut self,
        id: ArticleId,
        fingerprint: Fingerprint,
        event: u64,
        story: u64,
        config: &DuplicateConfig,
    ) {
        if config.window == 0 || fingerprint.bands.is_empty() {
            return;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        for &key in &fingerprint.bands {
            self.buckets.entry(key).or_default().push(seq);
        }
        self.entries.push_back(Entry {
            seq,
            id,
            event,
            story,
            shingles: Some(fingerprint.shingles),
            bands: fingerprint.bands,
        });
        while self.entries.len() > config.window {
            if let Some(old) = self.entries.pop_front() {
                self.remove_buckets(old.seq, &old.bands);
            }
        }
    }

    /// The position the next remembered article will get.
    pub(crate) fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// The position of the oldest remembered article (the next one's when
    /// nothing is remembered): every earlier one was forgotten.
    pub(crate) fn first_seq(&self) -> u64 {
        self.entries.front().map_or(self.next_seq, |e| e.seq)
    }

    /// The remembered articles from position `seq` on, each as a state
    /// record's key and value ([`EntryRecord`]).
    pub(crate) fn records_from(&self, seq: u64) -> impl Iterator<Item = (u64, Vec<u8>)> + '_ {
        let skip = usize::try_from(seq.saturating_sub(self.first_seq())).unwrap_or(usize::MAX);
        self.entries
            .iter()
            .skip(skip)
            .map(|entry| (entry.seq, encode_entry(entry)))
    }

    /// The index of the remembered articles read back from their records
    /// (in any order), the next article to get position `next_seq`.
    pub(crate) fn from_records(
        next_seq: u64,
        records: Vec<(u64, &[u8])>,
        with_shingles: bool,
    ) -> Result<DuplicateIndex, String> {
        let mut entries: Vec<Entry> = Vec::with_capacity(records.len());
        for (seq, bytes) in records {
            let entry = decode_entry(seq, bytes, with_shingles)
                .filter(|_| seq < next_seq)
                .ok_or_else(|| format!("remembered article {seq} is damaged"))?;
            entries.push(entry);
        }
        entries.sort_unstable_by_key(|e| e.seq);
        if entries.windows(2).any(|w| w[1].seq != w[0].seq + 1) {
            return Err("the remembered articles are not consecutive".to_owned());
        }
        Ok(DuplicateIndex {
            entries: entries.into(),
            next_seq,
            buckets: IdMap::default(),
            unindexed_below: next_seq,
            loaded: std::cell::OnceCell::new(),
            lookups: std::cell::Cell::new(0),
        })
    }

    /// Adds to `candidates` the articles read from records that share one
    /// of `bands` (see [`DuplicateIndex::unindexed_below`]).
    fn loaded_candidates(&self, bands: &[BandKey], candidates: &mut Vec<u64>) {
        let loaded = self
            .entries
            .iter()
            .take_while(|e| e.seq < self.unindexed_below);
        let lookups = self.lookups.get();
        self.lookups.set(lookups.saturating_add(1));
        let index = match self.loaded.get() {
            Some(index) => index,
            None if lookups < SCANNED_LOOKUPS => {
                // A band key holds its band's number and every article's
                // keys are in band order: keys can only match at the same
                // place.
                candidates.extend(
                    loaded
                        .filter(|e| e.bands.iter().zip(bands).any(|(x, y)| x == y))
                        .map(|e| e.seq),
                );
                return;
            }
            None => self.loaded.get_or_init(|| {
                let mut index: Vec<(BandKey, u64)> = loaded
                    .flat_map(|e| e.bands.iter().map(move |&key| (key, e.seq)))
                    .collect();
                index.sort_unstable();
                index
            }),
        };
        for key in bands {
            let from = index.partition_point(|(k, _)| k < key);
            candidates.extend(
                index[from..]
                    .iter()
                    .take_while(|(k, _)| k == key)
                    .map(|&(_, seq)| seq),
            );
        }
    }

    fn entry(&self, seq: u64) -> Option<&Entry> {
        let first = self.entries.front()?.seq;
        self.entries
            .get(usize::try_from(seq.checked_sub(first)?).ok()?)
    }

    fn remove_buckets(&mut self, seq: u64, bands: &[BandKey]) {
        for key in bands {
            if let Some(list) = self.buckets.get_mut(key) {
                list.retain(|&s| s != seq);
                if list.is_empty() {
                    self.buckets.remove(key);
                }
            }
        }
    }
}

/// The body's word 3-gram shingles as sorted, distinct 32-bit hashes.
/// Words are lowercased and curly quotes folded, so that a reprint that
/// only changed typography is still a copy.
pub fn shingles(doc: &Document) -> Vec<u32> {
    let mut tokens: Vec<u64> = Vec::new();
    // One buffer for every word's folded form.
    let mut folded = String::new();
    for text in doc.headings().chain(doc.sentence_texts()) {
        for (_, word) in words(text) {
            folded.clear();
            folded.extend(
                word.chars()
                    .map(|c| match c {
                        '\u{2018}' | '\u{2019}' => '\'',
                        other => other,
                    })
                    .flat_map(char::to_lowercase),
            );
            tokens.push(fnv1a(folded.as_bytes()));
        }
    }
    let mut out: Vec<u32> = tokens
        .windows(3)
        .map(|w| (mix(w[0] ^ mix(w[1] ^ mix(w[2]))) >> 32) as u32)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Exact Jaccard similarity of two sorted, distinct sets.
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    resemblance(a, b).0
}

/// Exact Jaccard similarity of two sorted, distinct sets, and the share of
/// the smaller set found in the larger (containment).
pub fn resemblance(a: &[u32], b: &[u32]) -> (f64, f64) {
    if a.is_empty() && b.is_empty() {
        return (1.0, 1.0);
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let smaller = a.len().min(b.len()).max(1);
    (
        both as f64 / (a.len() + b.len() - both) as f64,
        both as f64 / smaller as f64,
    )
}

fn minhash(shingles: &[u32]) -> [u32; PERMUTATIONS] {
    let mut signature = [u32::MAX; PERMUTATIONS];
    for &shingle in shingles {
        let base = mix(u64::from(shingle));
        for (i, slot) in signature.iter_mut().enumerate() {
            // One independent-enough hash per permutation: the shingle's
            // hash re-mixed with a per-permutation constant.
            let h = (mix(base ^ SEEDS[i]) >> 32) as u32;
            if h < *slot {
                *slot = h;
            }
        }
    }
    signature
}

fn band_keys(signature: &[u32; PERMUTATIONS]) -> impl Iterator<Item = BandKey> + '_ {
    signature.chunks(ROWS).enumerate().map(|(band, rows)| {
        let mut key = 0xcbf2_9ce4_8422_2325_u64;
        for &row in rows {
            key = mix(key ^ u64::from(row));
        }
        (band as u8, key & BAND_HASH_MASK)
    })
}

/// FNV-1a, 64 bits: a fixed, portable hash (the standard library's hasher
/// may change between Rust versions, and saved state must not).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// SplitMix64's finaliser: spreads every input bit over the output.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Per-permutation constants (SplitMix64 sequence from 1).
const SEEDS: [u64; PERMUTATIONS] = {
    let mut seeds = [0u64; PERMUTATIONS];
    let mut state = 1u64;
    let mut i = 0;
    while i < PERMUTATIONS {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        seeds[i] = z ^ (z >> 31);
        i += 1;
    }
    seeds
};

#[cfg(test)]
mod tests {
    use newsdesk_model::Article;

    use super::*;

    fn doc(id: &str, title: &str, text: &str) -> Document {
        let mut article = Article::new(text);
        article.id = ArticleId(id.to_owned());
        article.title = Some(title.to_owned());
        newsdesk_text::analyze(article)
    }

    trait CheckAndInsert {
        fn check_and_insert(
            &mut self,
            doc: &Document,
            config: &DuplicateConfig,
        ) -> Option<DuplicateMatch>;
    }

    impl CheckAndInsert for DuplicateIndex {
        fn check_and_insert(
            &mut self,
            doc: &Document,
            config: &DuplicateConfig,
        ) -> Option<DuplicateMatch> {
            let fingerprint = Fingerprint::of(doc);
            let found = self.find(&fingerprint, config);
            if found.is_none() {
                self.insert(doc.article.id.clone(), fingerprint, 1, 1, config);
            }
            found
        }
    }

    #[test]
    fn a_remembered_article_keeps_its_band_hashes_not_its_shingles_and_reads_formats_4_and_5() {
        let fingerprint = Fingerprint::of(&doc("a", "Dam cracks", ORIGINAL));
        assert!(fingerprint.bands.iter().all(|&(_, h)| h <= BAND_HASH_MASK));
        let entry = Entry {
            seq: 3,
            id: ArticleId("a".to_owned()),
            event: 7,
            story: 2,
            shingles: Some(fingerprint.shingles.clone()),
            bands: fingerprint.bands.clone(),
        };
        let bytes = encode_entry(&entry);
        assert_eq!(bytes.len(), 8 + 8 + 4 + 1 + 4 * BANDS, "no shingles");
        let back = decode_entry(3, &bytes, false).expect("decoded");
        assert_eq!((back.id, back.event, back.story), (entry.id.clone(), 7, 2));
        assert_eq!(back.bands, entry.bands);
        assert_eq!(back.shingles, None);
        // Format 5 kept the shingles after the id.
        let (head, bands) = bytes.split_at(bytes.len() - 4 * BANDS);
        let mut old = head.to_vec();
        old.put_len(fingerprint.shingles.len());
        for &shingle in &fingerprint.shingles {
            old.put_u32(shingle);
        }
        let mut five = old.clone();
        five.extend_from_slice(bands);
        let back = decode_entry(3, &five, true).expect("decoded");
        assert_eq!(back.shingles, entry.shingles);
        assert_eq!(back.bands, entry.bands);
        // Format 4 wrote each band's hash in 64 bits: the low 32 are kept.
        let mut wide = old;
        for &(_, hash) in &entry.bands {
            wide.extend_from_slice(&(hash | 0xabcd_0000_0000_0000).to_le_bytes());
        }
        assert_eq!(
            decode_entry(3, &wide, true).expect("decoded").bands,
            entry.bands
        );
        // Anything else is damaged.
        assert!(decode_entry(3, &bytes[..bytes.len() - 1], false).is_none());
        assert!(decode_entry(3, &five, false).is_none());
    }

    const ORIGINAL: &str = "Engineers found new cracks in the spillway of the Veldmoor dam early on Thursday, the regional emergency service said.\n\
        Governor Ana Brisk ordered the evacuation of three villages below the dam as a precaution.\n\
        \"We are not taking any chances with people's lives,\" Ms Brisk told reporters at the scene.\n\
        About 1,200 residents were moved to schools and sports halls in Harrowgate by the evening.\n\
        The dam, built in 1962, holds back the Ossel river and supplies water to much of the region.\n\
        Inspectors had flagged erosion at the spillway in a report last year, according to documents seen by the Post.";

    #[test]
    fn edited_copies_are_duplicates_and_other_reports_are_not() {
        let config = DuplicateConfig::default();
        let mut index = DuplicateIndex::default();
        assert_eq!(
            index.check_and_insert(&doc("a", "Cracks found", ORIGINAL), &config),
            None
        );
        // A reprint with another headline, an added paragraph and curly
        // quotes.
        let reprint = format!(
            "{}\nThe governor will visit the site again on Friday.",
            ORIGINAL.replace('"', "\u{201c}")
        );
        let found = index.check_and_insert(&doc("b", "Dam evacuation", &reprint), &config);
        assert_eq!(found.as_ref().map(|m| m.original.as_str()), Some("a"));
        // A copy with the ending cut.
        let cut: String = ORIGINAL.lines().take(4).collect::<Vec<_>>().join("\n");
        let found = index.check_and_insert(&doc("c", "Cracks", &cut), &config);
        assert_eq!(found.map(|m| m.original.0), Some("a".to_owned()));
        // Another outlet's own report of the same event.
        let other = "The Veldmoor dam spillway has cracked, officials said on Thursday, and three villages were evacuated.\n\
            Some 1,200 people spent the night in schools in Harrowgate, while engineers inspected the structure.\n\
            Governor Brisk said she would not take chances; a report last year had warned of erosion.";
        assert_eq!(
            index.check_and_insert(&doc("d", "Dam cracks", other), &config),
            None
        );
        assert_eq!(index.len(), 2, "only canonical articles are remembered");
    }

    #[test]
    fn short_items_are_never_duplicates_and_the_window_is_bounded() {
        let config = DuplicateConfig {
            threshold: 0.5,
            containment: 0.8,
            window: 2,
        };
        let mut index = DuplicateIndex::default();
        assert_eq!(
            index.check_and_insert(&doc("a", "t", "Dam cracks."), &config),
            None
        );
        assert_eq!(
            index.check_and_insert(&doc("b", "t", "Dam cracks."), &config),
            None
        );
        assert!(index.is_empty());
        for (i, text) in [
            "one two three four five six seven eight nine ten eleven",
            "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda",
            "red orange yellow green blue indigo violet black white grey brown",
        ]
        .iter()
        .enumerate()
        {
            assert_eq!(
                index.check_and_insert(&doc(&i.to_string(), "t", text), &config),
                None
            );
        }
        assert_eq!(index.len(), 2);
        // The first was forgotten, so its copy is now canonical.
        assert_eq!(
            index.check_and_insert(
                &doc(
                    "x",
                    "t",
                    "one two three four five six seven eight nine ten eleven"
                ),
                &config
            ),
            None
        );
    }

    #[test]
    fn jaccard_of_sorted_sets() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 1.0);
        assert_eq!(jaccard(&[1], &[]), 0.0);
    }
}
