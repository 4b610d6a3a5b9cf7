//! Term ids looked up by a hash of the term computed ahead of time, on
//! any thread ([`term_hash`], in [`crate::ArticleFeatures`]), so that the
//! order-sensitive assignment does not hash every term of every article.

use std::collections::hash_map::{Entry, RandomState};
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::OnceLock;

use crate::fxhash::IdMap;

/// The keys of [`term_hash`]: random, the same for the whole process.
static KEYS: OnceLock<RandomState> = OnceLock::new();

/// The hash of a term: SipHash with keys drawn once per process (as the
/// standard library's maps do per map), so that articles cannot be written
/// to make terms collide.
pub(crate) fn term_hash(text: &str) -> u64 {
    KEYS.get_or_init(RandomState::new).hash_one(text)
}

/// Term ids by term, looked up by [`term_hash`]. The terms themselves are
/// kept by the caller (its vocabulary, by id), which every look-up checks
/// against.
#[derive(Debug, Default)]
pub(crate) struct TermIds {
    by_hash: IdMap<u64, u32>,
    /// Terms whose hash an earlier term took: keyed SipHash makes this a
    /// freak event, but two terms must never be confused.
    collided: HashMap<String, u32>,
}

impl TermIds {
    /// The id of `text` (of hash `hash`), if it has one; `vocab` holds the
    /// terms by id.
    pub fn get(&self, text: &str, hash: u64, vocab: &[String]) -> Option<u32> {
        let &id = self.by_hash.get(&hash)?;
        if vocab.get(id as usize).is_some_and(|t| t == text) {
            Some(id)
        } else {
            self.collided.get(text).copied()
        }
    }

    /// Gives `text` (of hash `hash`) the id `id`; a term given an id again
    /// keeps the later one.
    pub fn insert(&mut self, text: &str, hash: u64, id: u32, vocab: &[String]) {
        match self.by_hash.entry(hash) {
            Entry::Vacant(slot) => {
                slot.insert(id);
            }
            Entry::Occupied(mut slot) => {
                if vocab.get(*slot.get() as usize).is_some_and(|t| t == text) {
                    slot.insert(id);
                } else {
                    self.collided.insert(text.to_owned(), id);
                }
            }
        }
    }

    /// The ids of every term of `vocab` (by id).
    pub fn of(vocab: &[String]) -> Self {
        let mut ids = TermIds::default();
        ids.by_hash.reserve(vocab.len());
        for (id, text) in vocab.iter().enumerate() {
            ids.insert(text, term_hash(text), id as u32, vocab);
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_found_by_their_hash_and_checked_against_their_text() {
        let vocab: Vec<String> = ["dam", "tram", "dam"].map(String::from).to_vec();
        let ids = TermIds::of(&vocab);
        assert_eq!(ids.get("tram", term_hash("tram"), &vocab), Some(1));
        // A term listed twice keeps its later id.
        assert_eq!(ids.get("dam", term_hash("dam"), &vocab), Some(2));
        assert_eq!(ids.get("bridge", term_hash("bridge"), &vocab), None);
        // Two terms under one hash (forced here) stay apart.
        let mut forced = TermIds::default();
        let vocab: Vec<String> = ["a", "b"].map(String::from).to_vec();
        forced.insert("a", 7, 0, &vocab);
        forced.insert("b", 7, 1, &vocab);
        assert_eq!(forced.get("a", 7, &vocab), Some(0));
        assert_eq!(forced.get("b", 7, &vocab), Some(1));
        assert_eq!(forced.get("c", 7, &vocab), None);
    }
}

/// A vocabulary that counts document frequencies: each article's
/// weighted terms become term ids (new terms get the next id), and each
/// term's count of articles grows by one. What batch linking and its
/// explanation both build over a collection.
#[derive(Debug, Default)]
pub(crate) struct CountedTerms {
    /// Term strings by id.
    pub vocab: Vec<String>,
    /// Term → id, over `vocab`.
    pub lookup: TermIds,
    /// Articles holding each term, by id.
    pub df: Vec<u32>,
}

impl CountedTerms {
    /// The word stems of each name term (by id; empty for other terms)
    /// that the vocabulary holds: a name and the stems of its words are
    /// one piece of evidence that the features count twice ("Houston" the
    /// name and "houston" the stem).
    pub fn name_words(&self) -> Vec<Vec<u32>> {
        let stemmer = newsdesk_text::words::Stemmer::new();
        self.vocab
            .iter()
            .map(
                |term| match term.strip_prefix(crate::vectorize::NAME_PREFIX) {
                    Some(name) => newsdesk_text::words::terms(name, &stemmer)
                        .iter()
                        .filter_map(|stem| self.lookup.get(stem, term_hash(stem), &self.vocab))
                        .collect(),
                    None => Vec::new(),
                },
            )
            .collect()
    }

    /// The article of `features` as (term id, weight) sorted by id, its
    /// terms counted.
    pub fn count(&mut self, features: &crate::ArticleFeatures) -> Vec<(u32, f32)> {
        let mut vector = Vec::with_capacity(features.terms.len());
        for ((term, weight), &hash) in features.terms.iter().zip(&features.hashes) {
            let id = match self.lookup.get(term, hash, &self.vocab) {
                Some(id) => id,
                None => {
                    let id = self.df.len() as u32;
                    self.lookup.insert(term, hash, id, &self.vocab);
                    self.vocab.push(term.clone());
                    self.df.push(0);
                    id
                }
            };
            if let Some(df) = self.df.get_mut(id as usize) {
                *df += 1;
            }
            vector.push((id, *weight));
        }
        vector.sort_unstable_by_key(|&(t, _)| t);
        vector
    }
}
