//! What a sentence is about, as countable *concepts*.
//!
//! A concept is a stemmed content word (a unigram; a number that is not a
//! year is a [`Kind::Figure`], an acronym such as "US" is a word and never
//! the pronoun "us") or a pair of adjacent stemmed words of which at least
//! one is a content word (a bigram), as in the concept-coverage
//! summarisers of Gillick & Favre (ICSI, 2009). A concept's weight is the
//! number of independent sources that mention it: what many outlets report
//! is what the story is about.

use std::collections::HashMap;
use std::sync::OnceLock;

use newsdesk_text::words::{is_stop_word, words, Stemmer};

/// A concept's number in a [`Vocabulary`].
pub type ConceptId = u32;

/// What a concept is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A content word.
    Word,
    /// A number that is not a year ("600", "5,000", "12.5"): a figure,
    /// which pins a claim down as no word does.
    Figure,
    /// A pair of adjacent words.
    Pair,
}

impl Kind {
    /// The kind of concept `key` (a stem, or two stems joined by a space).
    fn of(key: &str) -> Kind {
        if key.contains(' ') {
            Kind::Pair
        } else if key.chars().any(|c| c.is_ascii_digit()) && !is_year(key) {
            Kind::Figure
        } else {
            Kind::Word
        }
    }
}

/// Whether `word` reads as a year (1000–2999), which dates a claim rather
/// than counting anything in it.
fn is_year(word: &str) -> bool {
    word.len() == 4
        && word.chars().all(|c| c.is_ascii_digit())
        && matches!(word.as_bytes()[0], b'1' | b'2')
}

/// Interns concept strings as numbers.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: HashMap<String, ConceptId>,
    kinds: Vec<Kind>,
}

impl Vocabulary {
    /// The id of `key`, adding it if new.
    pub fn id(&mut self, key: &str) -> ConceptId {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = ConceptId::try_from(self.ids.len()).unwrap_or(ConceptId::MAX);
        self.ids.insert(key.to_string(), id);
        self.kinds.push(Kind::of(key));
        id
    }

    /// What concept `id` is.
    pub fn kind(&self, id: ConceptId) -> Kind {
        self.kinds.get(id as usize).copied().unwrap_or(Kind::Word)
    }

    /// Whether concept `id` is a bigram (else a unigram).
    pub fn is_bigram(&self, id: ConceptId) -> bool {
        self.kind(id) == Kind::Pair
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
        // An acronym ("US", "U.S", "UN") names a country or a body, never
        // the pronoun it may spell in lowercase; its dots do not count.
        let acronym = word.chars().filter(char::is_ascii_uppercase).count() >= 2
            && word.chars().all(|c| c.is_ascii_uppercase() || c == '.');
        let lower = if acronym {
            word.to_lowercase().replace('.', "")
        } else {
            word.to_lowercase().replace('\u{2019}', "'")
        };
        let mut stop = !acronym && (is_stop_word(&lower) || lower.chars().count() < 2);
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
    fn figures_are_numbers_but_not_years_and_acronyms_are_not_pronouns() {
        let stemmer = Stemmer::new();
        let mut v = Vocabulary::default();
        let a = read(
            "In 2021 the US sent 5,000 troops and told us about 600 more.",
            &stemmer,
            &mut v,
        );
        let kinds: Vec<Kind> = a.unigrams.iter().map(|&c| v.kind(c)).collect();
        assert_eq!(kinds.iter().filter(|&&k| k == Kind::Figure).count(), 2);
        // "US" and "U.S." are one concept; the pronoun "us" is none.
        let b = read("The U.S. sent troops to us.", &stemmer, &mut v);
        let shared: Vec<&ConceptId> = a
            .unigrams
            .iter()
            .filter(|c| b.unigrams.contains(c))
            .collect();
        assert_eq!(shared.len(), 3, "us, send, troop");
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
