//! Words, stop words and stems: the terms that TF-IDF clustering counts.
//!
//! [`words`] finds word tokens by Unicode word segmentation (UAX #29), so
//! that "3,000", "U.S" and "Afghanistan’s" stay one token each.
//! [`terms`] turns a text into the lowercased, stop-word-free, stemmed terms
//! that the cluster stage weighs.

use std::borrow::Cow;
use std::fmt;

use newsdesk_model::Span;
use unicode_segmentation::UnicodeSegmentation;

use crate::normalize::normalize;

/// The word tokens of `text` with their byte spans (relative to `text`),
/// as written: for tokens of the normalised text with spans into the
/// original, see [`crate::normalize::Normalized::words`].
///
/// Only tokens with at least one alphanumeric character count as words:
/// white space and punctuation between words are skipped.
///
/// ```
/// use newsdesk_text::words::words;
///
/// let found: Vec<&str> = words("Troops, 3,000 of them, left.").map(|(_, w)| w).collect();
/// assert_eq!(found, ["Troops", "3,000", "of", "them", "left"]);
/// ```
pub fn words(text: &str) -> impl Iterator<Item = (Span, &str)> {
    if text.is_ascii() {
        Words::Ascii { text, at: 0 }
    } else {
        Words::Unicode(text.split_word_bound_indices())
    }
}

/// The word tokens of a text: by the UAX #29 tables, or, for ASCII text,
/// by the same rules written out for ASCII (several times quicker; a
/// property test checks that both give the same tokens).
enum Words<'a> {
    Unicode(unicode_segmentation::UWordBoundIndices<'a>),
    Ascii { text: &'a str, at: usize },
}

impl<'a> Iterator for Words<'a> {
    type Item = (Span, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Words::Unicode(segments) => segments
                .find(|(_, word)| word.chars().any(char::is_alphanumeric))
                .map(|(start, word)| (Span::new(start, start + word.len()), word)),
            Words::Ascii { text, at } => {
                let (start, end) = next_ascii_word(text.as_bytes(), *at)?;
                *at = end;
                Some((Span::new(start, end), text.get(start..end)?))
            }
        }
    }
}

/// The next word of ASCII `bytes` from `at`, as UAX #29 cuts it: letters,
/// digits and `_` join; `:` joins two letters; `'` and `.` join two
/// letters or two digits; `,` and `;` join two digits. Segments without a
/// letter or digit (spaces, punctuation, `_` alone) are skipped.
fn next_ascii_word(bytes: &[u8], mut at: usize) -> Option<(usize, usize)> {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    loop {
        // Skip to the start of a run of word characters.
        while at < bytes.len() && !is_word(bytes[at]) {
            at += 1;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        at += 1;
        loop {
            match bytes.get(at) {
                Some(&b) if is_word(b) => at += 1,
                Some(&mid) => {
                    let (Some(&before), Some(&after)) = (bytes.get(at - 1), bytes.get(at + 1))
                    else {
                        break;
                    };
                    let letters = before.is_ascii_alphabetic() && after.is_ascii_alphabetic();
                    let digits = before.is_ascii_digit() && after.is_ascii_digit();
                    let joins = match mid {
                        b':' => letters,
                        b'.' | b'\'' => letters || digits,
                        b',' | b';' => digits,
                        _ => false,
                    };
                    if !joins {
                        break;
                    }
                    at += 2;
                }
                None => break,
            }
        }
        // A run of `_` alone is no word.
        if bytes[start..at].iter().any(u8::is_ascii_alphanumeric) {
            return Some((start, at));
        }
    }
}

/// English stop words, sorted (byte order) for binary search.
///
/// This is the NLTK English list (the usual choice for TF-IDF over news)
/// plus "also", "could" and "would", which carry no topic either. Two of
/// NLTK's entries are left out on purpose: "won" (in news it is mostly the
/// verb, as in "won the vote") and "ma".
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "ain",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren",
    "aren't",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "couldn",
    "couldn't",
    "d",
    "did",
    "didn",
    "didn't",
    "do",
    "does",
    "doesn",
    "doesn't",
    "doing",
    "don",
    "don't",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "hadn",
    "hadn't",
    "has",
    "hasn",
    "hasn't",
    "have",
    "haven",
    "haven't",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "ll",
    "m",
    "me",
    "mightn",
    "mightn't",
    "more",
    "most",
    "mustn",
    "mustn't",
    "my",
    "myself",
    "needn",
    "needn't",
    "no",
    "nor",
    "not",
    "now",
    "o",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "re",
    "s",
    "same",
    "shan",
    "shan't",
    "she",
    "she's",
    "should",
    "should've",
    "shouldn",
    "shouldn't",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "that'll",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "ve",
    "very",
    "was",
    "wasn",
    "wasn't",
    "we",
    "were",
    "weren",
    "weren't",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won't",
    "would",
    "wouldn",
    "wouldn't",
    "y",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether `lowercase` (an already lowercased word, with a straight
/// apostrophe) is an English stop word.
///
/// ```
/// use newsdesk_text::words::is_stop_word;
///
/// assert!(is_stop_word("the"));
/// assert!(is_stop_word("don't"));
/// assert!(!is_stop_word("taliban"));
/// ```
pub fn is_stop_word(lowercase: &str) -> bool {
    let Some(&first) = lowercase.as_bytes().first() else {
        return false;
    };
    let (start, end) = stop_word_ranges()[usize::from(first)];
    STOP_WORDS[start..end].binary_search(&lowercase).is_ok()
}

/// For each first byte, the range of [`STOP_WORDS`] that starts with it
/// (the list is sorted by bytes), so that a look-up compares a few words.
fn stop_word_ranges() -> &'static [(usize, usize); 256] {
    static RANGES: std::sync::OnceLock<[(usize, usize); 256]> = std::sync::OnceLock::new();
    RANGES.get_or_init(|| {
        let mut ranges = [(0, 0); 256];
        for (i, word) in STOP_WORDS.iter().enumerate() {
            if let Some(&first) = word.as_bytes().first() {
                let range = &mut ranges[usize::from(first)];
                if range.1 == 0 {
                    *range = (i, i + 1);
                } else {
                    range.1 = i + 1;
                }
            }
        }
        ranges
    })
}

/// `word` in lower case: as [`str::to_lowercase`], quicker for ASCII.
pub fn lowercase(word: &str) -> String {
    if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        word.to_lowercase()
    }
}

/// An English stemmer (Snowball's Porter2), made once and reused.
pub struct Stemmer {
    inner: rust_stemmers::Stemmer,
}

impl Stemmer {
    /// A stemmer for English.
    pub fn new() -> Self {
        Stemmer {
            inner: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
        }
    }

    /// The stem of `lowercase`, an already lowercased word; borrowed when
    /// the word is its own stem.
    ///
    /// ```
    /// use newsdesk_text::words::Stemmer;
    ///
    /// assert_eq!(Stemmer::new().stem("troops"), "troop");
    /// ```
    pub fn stem<'a>(&self, lowercase: &'a str) -> Cow<'a, str> {
        self.inner.stem(lowercase)
    }

    /// [`Stemmer::stem`] as an owned string, remembered per thread: news
    /// repeats its words, and a look-up is quicker than stemming again.
    pub fn stem_owned(&self, lowercase: &str) -> String {
        /// Words remembered per thread before the memory starts afresh.
        const REMEMBERED: usize = 1 << 16;
        thread_local! {
            static STEMS: std::cell::RefCell<std::collections::HashMap<String, String>> =
                std::cell::RefCell::new(std::collections::HashMap::new());
        }
        STEMS.with(|stems| {
            let mut stems = stems.borrow_mut();
            if let Some(stem) = stems.get(lowercase) {
                return stem.clone();
            }
            let stem = self.inner.stem(lowercase).into_owned();
            if stems.len() >= REMEMBERED {
                stems.clear();
            }
            stems.insert(lowercase.to_owned(), stem.clone());
            stem
        })
    }
}

impl Default for Stemmer {
    fn default() -> Self {
        Stemmer::new()
    }
}

impl fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Stemmer(English)")
    }
}

/// The index terms of `text`, in order: each word lowercased, stop words
/// dropped, stemmed. Numbers ("3,000", "2021") are kept as they are.
///
/// The text is normalised first ([`crate::normalize`]): curly apostrophes
/// become straight ones, so that "Afghanistan’s" and "Afghanistan's" give
/// the same term and "don’t" is a stop word; "ﬁnal" is "final" and
/// full-width "２０２１" is "2021".
///
/// ```
/// use newsdesk_text::words::{terms, Stemmer};
///
/// let stemmer = Stemmer::new();
/// assert_eq!(terms("The troops were deployed in 2021.", &stemmer), ["troop", "deploy", "2021"]);
/// ```
pub fn terms(text: &str, stemmer: &Stemmer) -> Vec<String> {
    let text = normalize(text);
    words(&text)
        .filter_map(|(_, word)| {
            let lower = lowercase(word);
            if is_stop_word(&lower) {
                return None;
            }
            if !lower.chars().any(char::is_alphabetic) {
                return Some(lower);
            }
            Some(stemmer.stem_owned(&lower))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stop_word_is_found_and_nothing_else() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS, "the list stays sorted by bytes");
        for word in STOP_WORDS {
            assert!(is_stop_word(word), "{word}");
        }
        for word in ["", "taliban", "zz", "\u{e9}t\u{e9}", "thee", "aa", "won"] {
            assert!(!is_stop_word(word), "{word}");
        }
    }

    #[test]
    fn remembered_stems_are_the_stems() {
        let stemmer = Stemmer::new();
        for word in [
            "troops",
            "deployed",
            "running",
            "running",
            "kabul",
            "caf\u{e9}s",
        ] {
            assert_eq!(stemmer.stem_owned(word), stemmer.stem(word));
        }
        assert_eq!(lowercase("Kabul"), "kabul");
        assert_eq!(lowercase("\u{c9}TAT"), "\u{e9}tat");
    }

    /// The UAX #29 word tokens of `text` from the Unicode tables alone.
    fn by_tables(text: &str) -> Vec<(Span, &str)> {
        text.split_word_bound_indices()
            .filter(|(_, word)| word.chars().any(char::is_alphanumeric))
            .map(|(start, word)| (Span::new(start, start + word.len()), word))
            .collect()
    }

    #[test]
    fn ascii_words_are_cut_as_the_unicode_tables_cut_them() {
        for text in [
            "U.S. troops, 3,000 of them, left at 7:30; don't go.",
            "a:b a.b a'b 1.5 1,5 1;5 1:5 a,b a;b 1'5 a.5 5.a",
            "__ _a a_ a__b _ 1_2 x_.y 3._4 end.",
            "...a..b''c::d,,1,,2 'quoted' \"double\" a-b a/b\r\n\tz",
            "",
            " ",
            "a",
        ] {
            let fast: Vec<_> = words(text).collect();
            assert_eq!(fast, by_tables(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_words_match_the_tables_on_any_ascii(text in "[a-zA-Z0-9_.,;:'\" \t\r\n\x0b\x0c!?()/-]{0,40}") {
            let fast: Vec<_> = words(&text).collect();
            proptest::prop_assert_eq!(fast, by_tables(&text));
        }

        #[test]
        fn ascii_words_match_the_tables_on_any_bytes(bytes in proptest::collection::vec(0u8..128, 0..40)) {
            let text = String::from_utf8(bytes).unwrap_or_default();
            let fast: Vec<_> = words(&text).collect();
            proptest::prop_assert_eq!(fast, by_tables(&text));
        }
    }

    #[test]
    fn stop_words_are_sorted_unique_and_lowercase() {
        for pair in STOP_WORDS.windows(2) {
            assert!(pair[0] < pair[1], "{} !< {}", pair[0], pair[1]);
        }
        assert!(STOP_WORDS.iter().all(|w| w.to_lowercase() == *w));
        assert!((170..=190).contains(&STOP_WORDS.len()));
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
    }

    #[test]
    fn words_have_spans_into_the_text() {
        let text = "Zorvan’s mayor — “elected” in 2019 — quit at 9 a.m. (local time).";
        let found: Vec<(Span, &str)> = words(text).collect();
        for (span, word) in &found {
            assert_eq!(span.slice(text), Some(*word));
        }
        let tokens: Vec<&str> = found.iter().map(|(_, w)| *w).collect();
        assert_eq!(
            tokens,
            [
                "Zorvan’s",
                "mayor",
                "elected",
                "in",
                "2019",
                "quit",
                "at",
                "9",
                "a.m",
                "local",
                "time"
            ]
        );
    }

    #[test]
    fn words_of_nothing() {
        assert_eq!(words("").count(), 0);
        assert_eq!(words(" ... — !!").count(), 0);
    }

    #[test]
    fn terms_drop_stop_words_and_stem() {
        let stemmer = Stemmer::default();
        assert_eq!(
            terms(
                "The mayors of Zorvan didn’t resign; 3,000 protesters marched.",
                &stemmer
            ),
            ["mayor", "zorvan", "resign", "3,000", "protest", "march"]
        );
        // Possessives fold into the plain name whatever the apostrophe.
        assert_eq!(terms("Zorvan’s", &stemmer), terms("Zorvan's", &stemmer));
        assert_eq!(terms("Zorvan’s", &stemmer), ["zorvan"]);
        // Ligatures, full-width digits and soft hyphens are normalised away.
        assert_eq!(
            terms("The ﬁnal pro\u{ad}test in ２０２１", &stemmer),
            terms("The final protest in 2021", &stemmer)
        );
    }
}
