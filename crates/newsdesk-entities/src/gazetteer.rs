//! Gazetteers: lists of names of each type, matched against token
//! sequences case-insensitively.
//!
//! The lists are built from the entities of the training data (each name's
//! lower-cased tokens and the types it was seen with). While training, a
//! sentence only sees the lists built from the *other* folds of the
//! training data (jackknifing), so that the tagger learns how far a list
//! match can be trusted for names it has not been trained on, rather than
//! learning that every training name is in the list.

use crate::features::{hash_bytes, mix, HashKeyed, TokenInfo};
use crate::label::{spans, EntityType, Tag};

/// Longest name, in tokens, that is matched.
const MAX_TOKENS: usize = 6;

/// Marks a key that is the prefix of a longer name.
const PREFIX: u8 = 0x80;

/// Names in up to four lists (the four entity types, or other lists such
/// as first names and cities), stored as hashes of their lower-cased
/// tokens.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// Key: hash of the token sequence; value: bit `t` for each type the
    /// name has, [`PREFIX`] if a longer name starts with it.
    pub(crate) entries: HashKeyed<u8>,
}

/// The files of outside name lists that `newsdesk train ner
/// --gazetteers DIR` reads (written by `scripts/ner-gazetteers`), in list
/// order: list 0 is places, 1 cities, 2 first names, 3 surnames.
pub const LIST_FILES: [&str; 4] = [
    "places.txt",
    "cities.txt",
    "first_names.txt",
    "last_names.txt",
];

fn seed() -> u64 {
    hash_bytes(b"gazetteer")
}

impl Gazetteer {
    /// Adds a name (its tokens) of a type.
    pub fn insert(&mut self, tokens: &[&str], kind: EntityType) {
        self.insert_list(tokens, kind as u8);
    }

    /// Adds a name (its tokens) to list `list` (0 to 3): the lists of
    /// [`Gazetteer::insert`] are the four entity types; other gazetteers
    /// number their own lists.
    ///
    /// A name written with diacritics ("Lashkar Gāh") is also added without
    /// them, as news text in English usually writes it.
    pub fn insert_list(&mut self, tokens: &[&str], list: u8) {
        let lower: Vec<u64> = tokens
            .iter()
            .map(|t| hash_bytes(t.to_lowercase().as_bytes()))
            .collect();
        self.insert_hashes(&lower, list & 3);
        let folded: Vec<u64> = tokens
            .iter()
            .map(|t| hash_bytes(crate::names::fold(t).as_bytes()))
            .collect();
        if folded != lower {
            self.insert_hashes(&folded, list & 3);
        }
    }

    fn insert_hashes(&mut self, lower: &[u64], list: u8) {
        if lower.is_empty() || lower.len() > MAX_TOKENS {
            return;
        }
        let mut key = seed();
        for (i, &h) in lower.iter().enumerate() {
            key = mix(key, h);
            let entry = self.entries.entry(key).or_insert(0);
            if i + 1 == lower.len() {
                *entry |= 1 << list;
            } else {
                *entry |= PREFIX;
            }
        }
    }

    /// Adds one name per line of `text` to list `list`, tokens split at
    /// white space.
    pub fn add_lines(&mut self, text: &str, list: u8) {
        for line in text.lines() {
            let tokens: Vec<&str> = line.split_whitespace().collect();
            self.insert_list(&tokens, list);
        }
    }

    /// Adds every entity of tagged sentences.
    pub fn add_tagged(&mut self, tokens: &[&str], tags: &[Tag]) {
        for span in spans(tags) {
            self.insert(&tokens[span.start..span.end], span.kind);
        }
    }

    /// How many keys (names and name prefixes) the lists hold.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the lists are empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The lists (bit `t` for list `t`) that hold exactly the name of
    /// these lower-cased token hashes.
    pub(crate) fn lookup(&self, lower: &[u64]) -> u8 {
        let mut key = seed();
        for &h in lower {
            key = mix(key, h);
        }
        self.entries.get(&key).map_or(0, |v| v & 0x0f)
    }

    /// For each token, bit `t` if a name of type `t` starts there, bit
    /// `4 + t` if the token is inside (not first in) one.
    pub(crate) fn matches(&self, tokens: &[TokenInfo]) -> Vec<u8> {
        let mut out = vec![0u8; tokens.len()];
        if self.entries.is_empty() {
            return out;
        }
        for start in 0..tokens.len() {
            let mut key = seed();
            for end in start..tokens.len().min(start + MAX_TOKENS) {
                key = mix(key, tokens[end].lower);
                let Some(&value) = self.entries.get(&key) else {
                    break;
                };
                let types = value & 0x0f;
                if types != 0 {
                    out[start] |= types;
                    for slot in &mut out[start + 1..=end] {
                        *slot |= types << 4;
                    }
                }
                if value & PREFIX == 0 {
                    break;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_names_case_insensitively() {
        let mut g = Gazetteer::default();
        g.insert(&["New", "York"], EntityType::Loc);
        g.insert(&["New", "York", "Times"], EntityType::Org);
        g.insert(&["Herat"], EntityType::Loc);
        let words = ["the", "new", "york", "times", "in", "HERAT"];
        let tokens: Vec<_> = words.iter().map(|w| TokenInfo::new(w)).collect();
        let m = g.matches(&tokens);
        let loc = 1 << EntityType::Loc as u8;
        let org = 1 << EntityType::Org as u8;
        assert_eq!(m, vec![0, loc | org, (loc | org) << 4, org << 4, 0, loc]);
    }
}
