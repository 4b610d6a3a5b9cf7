//! Feature extraction: what the tagger knows about a token, as 64-bit
//! feature hashes (Ratinov & Roth 2009's baseline features plus their
//! non-local ones).
//!
//! Features are hashed, never stored as strings: each token's word forms,
//! shapes and affixes are hashed once, and a feature is the hash of a
//! template number and those hashes. The hash (FNV-1a, then a splitmix
//! finaliser) is fixed so that a model file means the same on every
//! machine.

use std::collections::HashMap;

use crate::gazetteer::Gazetteer;
use crate::label::{Tag, TAG_COUNT};

/// FNV-1a over bytes.
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Combines two hashes (order matters).
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a
        .rotate_left(23)
        .wrapping_add(b)
        .wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A hasher for keys that are already hashes.
#[derive(Default, Clone, Copy)]
pub(crate) struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by hashes.
pub(crate) type HashKeyed<V> = HashMap<u64, V, std::hash::BuildHasherDefault<PassThrough>>;

/// How a word is capitalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub(crate) enum Casing {
    /// No letters.
    None = 0,
    /// All letters lower case.
    Lower = 1,
    /// First letter upper case, the rest lower.
    Capitalised = 2,
    /// All letters upper case (two or more).
    AllCaps = 3,
    /// Anything else (`McDonald`, `iPhone`).
    Mixed = 4,
}

impl Casing {
    pub(crate) fn from_u8(v: u8) -> Casing {
        match v {
            1 => Casing::Lower,
            2 => Casing::Capitalised,
            3 => Casing::AllCaps,
            4 => Casing::Mixed,
            _ => Casing::None,
        }
    }

    fn of(word: &str) -> Casing {
        let mut letters = 0usize;
        let mut upper = 0usize;
        let mut first_upper = false;
        for (i, c) in word.chars().filter(|c| c.is_alphabetic()).enumerate() {
            letters += 1;
            if c.is_uppercase() {
                upper += 1;
                if i == 0 {
                    first_upper = true;
                }
            }
        }
        if letters == 0 {
            Casing::None
        } else if upper == 0 {
            Casing::Lower
        } else if upper == letters && letters > 1 {
            Casing::AllCaps
        } else if first_upper && upper == 1 {
            Casing::Capitalised
        } else {
            Casing::Mixed
        }
    }
}

/// What is hashed once per token.
#[derive(Debug, Clone)]
pub(crate) struct TokenInfo {
    pub word: u64,
    pub lower: u64,
    pub shape: u64,
    pub short_shape: u64,
    pub affixes: [u64; 8],
    pub casing: Casing,
    pub flags: u64,
}

/// A sentence boundary's pseudo-token.
const START: u64 = 0x0053_5441_5254;
const END: u64 = 0x0045_4e44;

fn shape_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else {
        c
    }
}

impl TokenInfo {
    pub(crate) fn new(word: &str) -> TokenInfo {
        let lower_string;
        let lower: &str = if word.bytes().any(|b| b.is_ascii_uppercase()) || !word.is_ascii() {
            lower_string = word.to_lowercase();
            &lower_string
        } else {
            word
        };
        // The shape maps letters to X/x and digits to d, with runs cut
        // to two ("Leicester" -> "Xxx", "1996-08-30" -> "dd-dd-dd"); the
        // short shape keeps one of each run ("Xx", "d-d-d").
        let mut shape = String::with_capacity(8);
        let mut short = String::with_capacity(6);
        let mut run = 0usize;
        let mut last = '\0';
        let mut has_digit = false;
        let mut has_alpha = false;
        let mut hyphen = false;
        let mut period = false;
        let mut apostrophe = false;
        for c in word.chars() {
            let class = shape_class(c);
            has_digit |= c.is_numeric();
            has_alpha |= c.is_alphabetic();
            hyphen |= c == '-';
            period |= c == '.';
            apostrophe |= c == '\'';
            if class == last {
                run += 1;
            } else {
                run = 1;
                last = class;
                if short.len() < 6 {
                    short.push(class);
                }
            }
            if run <= 2 && shape.len() < 10 {
                shape.push(class);
            }
        }
        let chars: Vec<char> = lower.chars().collect();
        let mut affixes = [0u64; 8];
        for n in 1..=4 {
            if chars.len() > n {
                let prefix: String = chars[..n].iter().collect();
                let suffix: String = chars[chars.len() - n..].iter().collect();
                affixes[n - 1] = hash_bytes(prefix.as_bytes());
                affixes[n + 3] = hash_bytes(suffix.as_bytes());
            }
        }
        let all_digit = !word.is_empty() && word.chars().all(|c| c.is_numeric());
        let flags = u64::from(has_digit)
            | u64::from(has_alpha) << 1
            | u64::from(hyphen) << 2
            | u64::from(period) << 3
            | u64::from(apostrophe) << 4
            | u64::from(all_digit) << 5
            | u64::from(has_digit && has_alpha) << 6
            | (chars.len().min(8) as u64) << 8;
        TokenInfo {
            word: hash_bytes(word.as_bytes()),
            lower: hash_bytes(lower.as_bytes()),
            shape: hash_bytes(shape.as_bytes()),
            short_shape: hash_bytes(short.as_bytes()),
            affixes,
            casing: Casing::of(word),
            flags,
        }
    }
}

/// Whether a sentence is a headline set in capitals: every word with
/// letters has no lower-case letter, and one has two letters or more.
pub(crate) fn is_headline(tokens: &[TokenInfo], words: &[&str]) -> bool {
    let mut long = false;
    for (info, word) in tokens.iter().zip(words) {
        match info.casing {
            Casing::Lower | Casing::Capitalised | Casing::Mixed => {
                if word.chars().filter(|c| c.is_alphabetic()).count() > 1
                    || info.casing != Casing::Capitalised
                {
                    return false;
                }
            }
            Casing::AllCaps => long = true,
            Casing::None => {}
        }
    }
    long
}

/// The static view of one sentence: token hashes, gazetteer matches and
/// document evidence, everything that does not depend on predicted tags.
pub(crate) struct SentenceView {
    pub tokens: Vec<TokenInfo>,
    pub headline: bool,
    /// Per token, bit `t` set: begins a gazetteer match of type `t`; bit
    /// `4 + t`: inside one.
    pub gazetteer: Vec<u8>,
    /// The same for the name lists from outside the training data.
    pub lists: Vec<u8>,
    /// Per token, the capitalisation its word most often has elsewhere in
    /// the document (not sentence-initial, not in a headline).
    pub doc_casing: Vec<Casing>,
    /// Per token, the same in the training vocabulary.
    pub vocab_casing: Vec<Casing>,
    /// Position of the sentence's first token in the document.
    pub offset: usize,
    /// Per token, context-aggregation features: the neighbours of the
    /// word's other occurrences in the document.
    pub context: Vec<Vec<u64>>,
}

// Template numbers. Changing one changes every feature hash: bump
// `model::FORMAT` with any change here.
const BIAS: u64 = 1;
const WORD: u64 = 2;
const LOWER: u64 = 3; // + offset 0..5
const SHORT: u64 = 10; // + offset 0..5
const SHAPE: u64 = 17;
const AFFIX: u64 = 18; // + 0..8
const BIGRAM_LEFT: u64 = 30;
const BIGRAM_RIGHT: u64 = 31;
const SHAPE_LEFT: u64 = 32;
const SHAPE_RIGHT: u64 = 33;
const FLAGS: u64 = 34;
const POSITION_CASING: u64 = 35;
const VOCAB_CASING: u64 = 36;
const DOC_CASING: u64 = 37;
const HEADLINE: u64 = 38;
const GAZ: u64 = 40; // + offset 0..3
const GAZ_CASING: u64 = 44;
const PREV_TAG: u64 = 50;
const PREV_TWO: u64 = 51;
const PREV_WORD: u64 = 52;
const PREV_SHAPE: u64 = 53;
const HISTORY: u64 = 54;
const HISTORY_MAJOR: u64 = 55;
const HISTORY_CASING: u64 = 56;
const LOWER_NEXT_CASING: u64 = 57;
const PREV_GAZ: u64 = 58;
const LIST: u64 = 60; // + offset 0..3
const LIST_CASING: u64 = 64;
const PREV_LIST: u64 = 65;
const CONTEXT_PREV: u64 = 66;
const CONTEXT_NEXT: u64 = 67;

#[inline]
fn feature(template: u64, value: u64) -> u64 {
    mix(template.wrapping_mul(0x2545_f491_4f6c_dd1d), value)
}

impl SentenceView {
    /// The static features of token `i`, appended to `out`.
    pub(crate) fn static_features(&self, i: usize, out: &mut Vec<u64>) {
        let t = &self.tokens;
        let n = t.len();
        let at = |k: isize| -> Option<&TokenInfo> {
            let j = i as isize + k;
            (j >= 0 && (j as usize) < n).then(|| &t[j as usize])
        };
        let edge = |k: isize| if k < 0 { START } else { END };
        let me = &t[i];
        out.push(feature(BIAS, 0));
        out.push(feature(WORD, me.word));
        for (slot, k) in (-2isize..=2).enumerate() {
            let (lower, short) = match at(k) {
                Some(x) => (x.lower, x.short_shape),
                None => (edge(k), edge(k)),
            };
            out.push(feature(LOWER + slot as u64, lower));
            out.push(feature(SHORT + slot as u64, short));
        }
        out.push(feature(SHAPE, me.shape));
        for (slot, &a) in me.affixes.iter().enumerate() {
            if a != 0 {
                out.push(feature(AFFIX + slot as u64, a));
            }
        }
        let left = at(-1);
        let right = at(1);
        out.push(feature(
            BIGRAM_LEFT,
            mix(left.map_or(START, |x| x.lower), me.lower),
        ));
        out.push(feature(
            BIGRAM_RIGHT,
            mix(me.lower, right.map_or(END, |x| x.lower)),
        ));
        out.push(feature(
            SHAPE_LEFT,
            mix(left.map_or(START, |x| x.short_shape), me.short_shape),
        ));
        out.push(feature(
            SHAPE_RIGHT,
            mix(me.short_shape, right.map_or(END, |x| x.short_shape)),
        ));
        out.push(feature(FLAGS, me.flags));
        let position = u64::from(i == 0) | u64::from(self.headline) << 1;
        let casing = me.casing as u64;
        out.push(feature(POSITION_CASING, position << 8 | casing));
        let vocab = self.vocab_casing[i] as u64;
        let doc = self.doc_casing[i] as u64;
        out.push(feature(VOCAB_CASING, position << 16 | vocab << 8 | casing));
        out.push(feature(DOC_CASING, position << 16 | doc << 8 | casing));
        if self.headline {
            out.push(feature(HEADLINE, mix(me.lower, doc << 8 | vocab)));
        }
        out.push(feature(
            LOWER_NEXT_CASING,
            mix(me.lower, right.map_or(9, |x| x.casing as u64)),
        ));
        out.extend_from_slice(&self.context[i]);
        gazetteer_features(&self.gazetteer, i, casing, GAZ, GAZ_CASING, out);
        gazetteer_features(&self.lists, i, casing, LIST, LIST_CASING, out);
    }

    /// The features that depend on earlier predictions: the two previous
    /// tags of this sentence, and the tags the same word was given earlier
    /// in the document (`history`: counts per tag class, `O` and the four
    /// types, within the window).
    pub(crate) fn dynamic_features(
        &self,
        i: usize,
        previous: Tag,
        before: Tag,
        history: &[u32; 5],
        out: &mut Vec<u64>,
    ) {
        let me = &self.tokens[i];
        let p = previous.index() as u64;
        let b = before.index() as u64;
        out.push(feature(PREV_TAG, p));
        out.push(feature(PREV_TWO, b << 8 | p));
        out.push(feature(PREV_WORD, mix(p, me.lower)));
        out.push(feature(PREV_SHAPE, mix(p, me.short_shape)));
        out.push(feature(PREV_GAZ, p << 8 | u64::from(self.gazetteer[i])));
        out.push(feature(PREV_LIST, p << 8 | u64::from(self.lists[i])));
        let total: u32 = history.iter().sum();
        if total > 0 {
            let mut major = 0usize;
            for (class, &count) in history.iter().enumerate() {
                if count > 0 {
                    out.push(feature(HISTORY, class as u64));
                }
                if count > history[major] {
                    major = class;
                }
            }
            out.push(feature(HISTORY_MAJOR, major as u64));
            out.push(feature(
                HISTORY_CASING,
                (major as u64) << 8 | me.casing as u64,
            ));
        }
    }
}

/// Gazetteer features of token `i`: the match masks of the token and its
/// neighbours, and each list the token is in, alone and with its
/// capitalisation.
fn gazetteer_features(
    masks: &[u8],
    i: usize,
    casing: u64,
    base: u64,
    with_casing: u64,
    out: &mut Vec<u64>,
) {
    for (slot, j) in [i.checked_sub(1), Some(i), Some(i + 1)]
        .into_iter()
        .enumerate()
    {
        let mask = j.and_then(|j| masks.get(j)).copied().unwrap_or(0);
        if mask == 0 {
            continue;
        }
        out.push(feature(base + slot as u64, u64::from(mask)));
        if slot == 1 {
            for bit in 0..8u64 {
                if mask & (1 << bit) != 0 {
                    out.push(feature(base + 3, bit));
                    out.push(feature(with_casing, bit << 8 | casing));
                }
            }
        }
    }
}

/// The tag class kept in the prediction history: 0 for `O`, 1 + type.
pub(crate) fn history_class(tag: Tag) -> usize {
    tag.entity_type().map_or(0, |t| 1 + t as usize)
}

/// How far (in tokens) the document evidence reaches on either side:
/// Ratinov & Roth keep a prediction history over a window of about a
/// thousand tokens, which covers a news article and keeps a file without
/// document marks (one long "document") from mixing distant stories.
pub(crate) const WINDOW: usize = 1000;

/// Builds the static views of a document's sentences.
pub(crate) fn document_views(
    sentences: &[Vec<&str>],
    gazetteer: &Gazetteer,
    lists: &Gazetteer,
    vocab_casing: &HashKeyed<u8>,
) -> Vec<SentenceView> {
    let mut views = Vec::with_capacity(sentences.len());
    let mut offset = 0usize;
    // lower hash -> positions (in document order) and casings where the
    // capitalisation tells something.
    let mut evidence: HashKeyed<Vec<(usize, Casing)>> = HashKeyed::default();
    for words in sentences {
        let tokens: Vec<TokenInfo> = words.iter().map(|w| TokenInfo::new(w)).collect();
        let headline = is_headline(&tokens, words);
        if !headline {
            for (i, token) in tokens.iter().enumerate().skip(1) {
                if token.casing != Casing::None {
                    evidence
                        .entry(token.lower)
                        .or_default()
                        .push((offset + i, token.casing));
                }
            }
        }
        let gazetteer = gazetteer.matches(&tokens);
        let lists = lists.matches(&tokens);
        let vocab_casing = tokens
            .iter()
            .map(|t| Casing::from_u8(vocab_casing.get(&t.lower).copied().unwrap_or(0)))
            .collect();
        let len = tokens.len();
        views.push(SentenceView {
            tokens,
            headline,
            gazetteer,
            lists,
            doc_casing: Vec::new(),
            vocab_casing,
            offset,
            context: Vec::new(),
        });
        offset += len;
    }
    add_context(&mut views);
    for view in &mut views {
        view.doc_casing = view
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let position = view.offset + i;
                evidence
                    .get(&t.lower)
                    .map_or(Casing::None, |list| dominant(list, position))
            })
            .collect();
    }
    views
}

/// How many other occurrences of a word (the nearest before and after)
/// lend their neighbours to its context-aggregation features.
const CONTEXT_OCCURRENCES: usize = 3;

/// Context aggregation (Ratinov & Roth 2009): each word with letters gets
/// the words before and after its other occurrences in the document
/// window ("Mr X" there, "X said" here).
fn add_context(views: &mut [SentenceView]) {
    // Per document position: the word, and its neighbours in its sentence.
    let mut words: Vec<(u64, u64, u64, bool)> = Vec::new();
    for view in views.iter() {
        let t = &view.tokens;
        for i in 0..t.len() {
            let previous = if i == 0 { START } else { t[i - 1].lower };
            let next = t.get(i + 1).map_or(END, |x| x.lower);
            words.push((t[i].lower, previous, next, t[i].casing != Casing::None));
        }
    }
    let mut positions: HashKeyed<Vec<usize>> = HashKeyed::default();
    for (p, w) in words.iter().enumerate() {
        if w.3 {
            positions.entry(w.0).or_default().push(p);
        }
    }
    for view in views.iter_mut() {
        view.context = (0..view.tokens.len())
            .map(|i| {
                let p = view.offset + i;
                let mut out = Vec::new();
                let Some(list) = positions.get(&words[p].0).filter(|_| words[p].3) else {
                    return out;
                };
                let at = list.partition_point(|&q| q < p);
                let before = list[..at]
                    .iter()
                    .rev()
                    .take(CONTEXT_OCCURRENCES)
                    .filter(|&&q| q + WINDOW >= p);
                let after = list[at..]
                    .iter()
                    .filter(|&&q| q != p)
                    .take(CONTEXT_OCCURRENCES)
                    .filter(|&&q| q <= p + WINDOW);
                for &q in before.chain(after) {
                    out.push(feature(CONTEXT_PREV, words[q].1));
                    out.push(feature(CONTEXT_NEXT, words[q].2));
                }
                out
            })
            .collect();
    }
}

/// The most frequent casing among `list`'s entries within the window
/// around `position`, not counting the position itself.
fn dominant(list: &[(usize, Casing)], position: usize) -> Casing {
    let from = list.partition_point(|&(p, _)| p + WINDOW < position);
    let mut counts = [0u32; 5];
    for &(p, casing) in &list[from..] {
        if p > position + WINDOW {
            break;
        }
        if p != position {
            counts[casing as usize] += 1;
        }
    }
    let mut best = 0usize;
    for class in 1..5 {
        if counts[class] > counts[best] {
            best = class;
        }
    }
    Casing::from_u8(best as u8)
}

/// Scores of the tags for one feature list.
pub(crate) type Scores = [f32; TAG_COUNT];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_classes() {
        assert_eq!(Casing::of("Herat"), Casing::Capitalised);
        assert_eq!(Casing::of("herat"), Casing::Lower);
        assert_eq!(Casing::of("NATO"), Casing::AllCaps);
        assert_eq!(Casing::of("A"), Casing::Capitalised);
        assert_eq!(Casing::of("McDonald"), Casing::Mixed);
        assert_eq!(Casing::of("1996-08-30"), Casing::None);
    }

    #[test]
    fn headlines_are_all_capitals() {
        let words = ["SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN", "."];
        let tokens: Vec<_> = words.iter().map(|w| TokenInfo::new(w)).collect();
        assert!(is_headline(&tokens, &words));
        let words = ["EU", "rejects", "German", "call"];
        let tokens: Vec<_> = words.iter().map(|w| TokenInfo::new(w)).collect();
        assert!(!is_headline(&tokens, &words));
    }
}
