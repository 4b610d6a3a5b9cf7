//! What a sentence is about, as countable *concepts*.
//!
//! A concept is a stemmed content word (a unigram) or a pair of adjacent
//! stemmed words of which at least one is a content word (a bigram), as in
//! the concept-coverage summarisers of Gillick & Favre (ICSI, 2009). A
//! concept's weight is the number of independent sources that mention it:
//! what many outlets report is what the story is about.

use std::collections::HashMap;
use std::sync::OnceLock;

use newsdesk_text::words::{is_stop_word, words, Stemmer};

/// A concept's number in a [`Vocabulary`].
pub type ConceptId = u32;

/// Interns concept strings as numbers.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: HashMap<String, ConceptId>,
    bigram: Vec<bool>,
}

impl Vocabulary {
    /// The id of `key`, adding it if new.
    pub fn id(&mut self, key: &str) -> ConceptId {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = ConceptId::try_from(self.ids.len()).unwrap_or(ConceptId::MAX);
        self.ids.insert(key.to_string(), id);
        self.bigram.push(key.contains(' '));
        id
    }

    /// Whether concept `id` is a bigram (else a unigram).
    pub fn is_bigram(&self, id: ConceptId) -> bool {
        self.bigram.get(id as usize).copied().unwrap_or(false)
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
    /// For each of `unigrams`, then each of `bigrams`: the index of the
    /// word that completes its first mention (for a text cut short).
    pub first_word: Vec<usize>,
}

impl SentenceConcepts {
    /// The concepts (unigrams, then bigrams) with the index of the word
    /// completing their first mention.
    pub fn concepts(&self) -> impl Iterator<Item = (ConceptId, usize)> + '_ {
        self.unigrams
            .iter()
            .chain(&self.bigrams)
            .copied()
            .zip(self.first_word.iter().copied())
    }
}

/// Sorted distinct ids, each with its smallest position.
fn distinct(mut pairs: Vec<(ConceptId, usize)>) -> (Vec<ConceptId>, Vec<usize>) {
    pairs.sort_unstable();
    pairs.dedup_by_key(|p| p.0);
    pairs.into_iter().unzip()
}

/// The concept lexicon (`data/concepts.txt`): irregular verb forms and news
/// synonyms folded into one word before stemming.
fn lexicon() -> &'static HashMap<&'static str, &'static str> {
    static LEXICON: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    LEXICON.get_or_init(|| {
        include_str!("../data/concepts.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once(char::is_whitespace))
            .map(|(word, concept)| (word, concept.trim()))
            .collect()
    })
}

/// Reads the concepts of `text`.
pub fn read(text: &str, stemmer: &Stemmer, vocabulary: &mut Vocabulary) -> SentenceConcepts {
    let mut tokens: Vec<(String, bool)> = Vec::new();
    let mut count = 0;
    for (_, word) in words(text) {
        count += 1;
        let lower = word.to_lowercase().replace('\u{2019}', "'");
        let mut stop = is_stop_word(&lower) || lower.chars().count() < 2;
        let lower = match lexicon().get(lower.as_str()) {
            Some(&"-") => {
                stop = true;
                lower
            }
            Some(concept) => (*concept).to_string(),
            None => lower,
        };
        let stem = if lower.chars().any(char::is_alphabetic) {
            stemmer.stem(&lower).into_owned()
        } else {
            lower
        };
        tokens.push((stem, stop));
    }
    let unigrams: Vec<(ConceptId, usize)> = tokens
        .iter()
        .enumerate()
        .filter(|(_, (_, stop))| !stop)
        .map(|(i, (stem, _))| (vocabulary.id(stem), i))
        .collect();
    let bigrams: Vec<(ConceptId, usize)> = tokens
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| !(pair[0].1 && pair[1].1))
        .map(|(i, pair)| {
            (
                vocabulary.id(&format!("{} {}", pair[0].0, pair[1].0)),
                i + 1,
            )
        })
        .collect();
    let (unigrams, mut first_word) = distinct(unigrams);
    let (bigrams, bigram_words) = distinct(bigrams);
    first_word.extend(bigram_words);
    SentenceConcepts {
        words: count,
        unigrams,
        bigrams,
        first_word,
    }
}

/// Document frequencies: for each concept, in how many of the sources
/// (each a list of sentences) it appears.
pub fn document_frequencies(sources: &[Vec<SentenceConcepts>], concepts: usize) -> Vec<u32> {
    lead_frequencies(sources, concepts, usize::MAX)
}

/// Like [`document_frequencies`], counting only each source's first
/// `lead` sentences (where news says what matters most).
pub fn lead_frequencies(
    sources: &[Vec<SentenceConcepts>],
    concepts: usize,
    lead: usize,
) -> Vec<u32> {
    let mut df = vec![0u32; concepts];
    let mut seen = vec![usize::MAX; concepts];
    for (s, sentences) in sources.iter().enumerate() {
        for sentence in sentences.iter().take(lead) {
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
    fn irregular_forms_and_synonyms_fold() {
        let stemmer = Stemmer::new();
        let mut v = Vocabulary::default();
        let a = read("The president fled as soldiers were sent", &stemmer, &mut v);
        let b = read("Presidents flee as troops send", &stemmer, &mut v);
        assert_eq!(a.unigrams, b.unigrams);
    }

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
