//! What a sentence is about, as countable *concepts*.
//!
//! A concept is a stemmed content word (a unigram) or a pair of adjacent
//! stemmed words of which at least one is a content word (a bigram), as in
//! the concept-coverage summarisers of Gillick & Favre (ICSI, 2009). A
//! concept's weight is the number of independent sources that mention it:
//! what many outlets report is what the story is about.

use std::collections::HashMap;

use newsdesk_text::words::{is_stop_word, words, Stemmer};

/// A concept's number in a [`Vocabulary`].
pub type ConceptId = u32;

/// Interns concept strings as numbers.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: HashMap<String, ConceptId>,
}

impl Vocabulary {
    /// The id of `key`, adding it if new.
    pub fn id(&mut self, key: &str) -> ConceptId {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = ConceptId::try_from(self.ids.len()).unwrap_or(ConceptId::MAX);
        self.ids.insert(key.to_string(), id);
        id
    }

    /// How many concepts there are.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// One sentence read for concepts.
#[derive(Debug, Clone, Default)]
pub struct SentenceConcepts {
    /// Words in the sentence (for the length budget).
    pub words: usize,
    /// Distinct content-word concepts, sorted.
    pub unigrams: Vec<ConceptId>,
    /// Distinct bigram concepts, sorted.
    pub bigrams: Vec<ConceptId>,
}

/// Reads the concepts of `text`.
pub fn read(text: &str, stemmer: &Stemmer, vocabulary: &mut Vocabulary) -> SentenceConcepts {
    let mut tokens: Vec<(String, bool)> = Vec::new();
    let mut count = 0;
    for (_, word) in words(text) {
        count += 1;
        let lower = word.to_lowercase().replace('\u{2019}', "'");
        let stop = is_stop_word(&lower) || lower.chars().count() < 2;
        let stem = if lower.chars().any(char::is_alphabetic) {
            stemmer.stem(&lower).into_owned()
        } else {
            lower
        };
        tokens.push((stem, stop));
    }
    let mut unigrams: Vec<ConceptId> = tokens
        .iter()
        .filter(|(_, stop)| !stop)
        .map(|(stem, _)| vocabulary.id(stem))
        .collect();
    let mut bigrams: Vec<ConceptId> = tokens
        .windows(2)
        .filter(|pair| !(pair[0].1 && pair[1].1))
        .map(|pair| vocabulary.id(&format!("{} {}", pair[0].0, pair[1].0)))
        .collect();
    unigrams.sort_unstable();
    unigrams.dedup();
    bigrams.sort_unstable();
    bigrams.dedup();
    SentenceConcepts {
        words: count,
        unigrams,
        bigrams,
    }
}

/// Document frequencies: for each concept, in how many of the sources
/// (each a list of sentences) it appears.
pub fn document_frequencies(sources: &[Vec<SentenceConcepts>], concepts: usize) -> Vec<u32> {
    let mut df = vec![0u32; concepts];
    let mut seen = vec![usize::MAX; concepts];
    for (s, sentences) in sources.iter().enumerate() {
        for sentence in sentences {
            for &c in sentence.unigrams.iter().chain(&sentence.bigrams) {
                let c = c as usize;
                if seen[c] != s {
                    seen[c] = s;
                    df[c] += 1;
                }
            }
        }
    }
    df
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_need_a_content_word_and_stems_fold_forms() {
        let stemmer = Stemmer::new();
        let mut v = Vocabulary::default();
        let a = read("Troops entered the capital.", &stemmer, &mut v);
        let b = read("The troop enters capitals", &stemmer, &mut v);
        assert_eq!(a.words, 4);
        assert_eq!(a.unigrams, b.unigrams);
        // "entered the", "the capital", "troops entered": three bigrams;
        // no stop-word pair.
        assert_eq!(a.bigrams.len(), 3);
        let df = document_frequencies(&[vec![a], vec![b]], v.len());
        assert_eq!(df.iter().filter(|&&d| d == 2).count(), 3 + 1);
    }
}
