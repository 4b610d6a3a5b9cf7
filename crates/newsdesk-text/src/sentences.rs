//! Sentence splitting of body text.
//!
//! A sentence ends at a run of terminators (`.`, `!`, `?`, `…`), followed by
//! any closing quotes or brackets, followed by white space, when the next
//! word does not start with a lowercase letter. A single `.` after a known
//! abbreviation is looked at more closely (the method of Punkt-style
//! splitters, with hand-written lists instead of learnt ones):
//!
//! * after a title ("Mr.", "Gen.", "St.") or a never-final abbreviation
//!   ("vs.", "e.g.") it never ends a sentence;
//! * after "No." and the like it does not end one before a number;
//! * after an abbreviation that may end a sentence ("etc.", "Inc.",
//!   "Jan."), a dotted acronym ("U.S.", "a.m.") or an initial ("J."), it
//!   ends one only when the next word is a common sentence starter
//!   ("The", "He", "But" …), so that "the U.S. Embassy" and "J. R. Smith"
//!   stay whole while "in the U.S. The" splits.

use newsdesk_model::Span;

/// Titles before a name: a following `.` never ends a sentence.
const TITLES: &[&str] = &[
    "Adm", "Amb", "Capt", "Cmdr", "Col", "Cpl", "Cpt", "Dr", "Fr", "Ft", "Gen", "Gov", "Hon",
    "Insp", "Lt", "Maj", "Messrs", "Mlle", "Mme", "Mr", "Mrs", "Ms", "Mt", "Pres", "Prof", "Rep",
    "Rev", "Sen", "Sgt", "St", "Supt",
];

/// Abbreviations that are never the last word of a sentence (compared in
/// lowercase).
const NEVER_FINAL: &[&str] = &["cf", "e.g", "esp", "i.e", "v", "viz", "vs"];

/// Abbreviations that come before a number ("No. 5", "Art. 12"): a `.`
/// followed by a digit does not end a sentence.
const BEFORE_NUMBER: &[&str] = &[
    "Art", "Ch", "Fig", "No", "Nos", "Nr", "Vol", "art", "ch", "fig", "no", "nos", "p", "pp", "vol",
];

/// Abbreviations that may also end a sentence: a following `.` ends one
/// only before a common sentence starter.
const MAYBE_FINAL: &[&str] = &[
    "Apr", "Aug", "Bros", "Co", "Corp", "Dec", "Dept", "Feb", "Inc", "Jan", "Jr", "Jul", "Jun",
    "Ltd", "Mar", "Nov", "Oct", "Sep", "Sept", "Sr", "al", "approx", "etc", "govt", "inc", "jr",
    "ltd",
];

/// Capitalised words that commonly begin an English sentence and rarely
/// continue a name after an abbreviation.
const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "About",
    "According",
    "After",
    "Afterwards",
    "Again",
    "All",
    "Also",
    "Although",
    "Among",
    "An",
    "And",
    "Another",
    "Any",
    "As",
    "At",
    "Because",
    "Before",
    "Both",
    "But",
    "By",
    "Despite",
    "During",
    "Each",
    "Earlier",
    "Even",
    "Every",
    "For",
    "From",
    "Further",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "Instead",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "More",
    "Most",
    "Much",
    "My",
    "Neither",
    "Never",
    "Nevertheless",
    "No",
    "None",
    "Nor",
    "Not",
    "Now",
    "Of",
    "On",
    "Once",
    "One",
    "Only",
    "Or",
    "Other",
    "Our",
    "Over",
    "Several",
    "She",
    "Since",
    "So",
    "Some",
    "Still",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Thus",
    "To",
    "Today",
    "Two",
    "Under",
    "Until",
    "Upon",
    "We",
    "What",
    "When",
    "Where",
    "Whether",
    "Which",
    "While",
    "Who",
    "Why",
    "With",
    "Within",
    "Without",
    "Yesterday",
    "Yet",
    "You",
    "Your",
];

/// How far back (in bytes) to look for the word before a `.`; longer words
/// are not abbreviations, and the bound keeps splitting linear.
const MAX_ABBREVIATION_BYTES: usize = 24;

/// The sentences of the block `span` of `text`, as trimmed, non-empty
/// spans of `text` in order. A span that is out of range or not on
/// character boundaries yields no sentences.
///
/// ```
/// use newsdesk_model::Span;
/// use newsdesk_text::sentences::split;
///
/// let text = "Mr. Brandt left at 9 a.m. on Monday. \"We are done,\" he said. Then he went home.";
/// let found: Vec<&str> = split(text, Span::new(0, text.len()))
///     .into_iter()
///     .filter_map(|s| s.slice(text))
///     .collect();
/// assert_eq!(
///     found,
///     ["Mr. Brandt left at 9 a.m. on Monday.", "\"We are done,\" he said.", "Then he went home."]
/// );
/// ```
pub fn split(text: &str, span: Span) -> Vec<Span> {
    let Some(block) = span.slice(text) else {
        return Vec::new();
    };
    let mut sentences = Vec::new();
    let mut push = |start: usize, end: usize| {
        for (start, end) in bounded_pieces(block, start, end) {
            let piece = &block[start..end];
            let trimmed_start = start + (piece.len() - piece.trim_start().len());
            let trimmed_end = start + piece.trim_end().len();
            if trimmed_start < trimmed_end {
                sentences.push(Span::new(
                    span.start + trimmed_start,
                    span.start + trimmed_end,
                ));
            }
        }
    };

    let mut start = 0;
    let mut i = 0;
    while let Some(c) = char_at(block, i) {
        if !is_terminator(c) {
            i += c.len_utf8();
            continue;
        }
        let run_start = i;
        let run_end = skip_while(block, i, is_terminator);
        let end = skip_while(block, run_end, is_closer);
        i = end;
        // A terminator glued to what follows ("3.5", "U.S", "Doha.,") ends
        // nothing.
        if !char_at(block, end).is_some_and(char::is_whitespace) {
            continue;
        }
        let next = skip_while(block, end, char::is_whitespace);
        if next >= block.len() {
            break;
        }
        let boundary = Boundary {
            block,
            sentence_start: start,
            run: &block[run_start..run_end],
            run_start,
            closed: end > run_end,
            next,
        };
        if boundary.ends_sentence() {
            push(start, end);
            start = next;
        }
        i = next;
    }
    push(start, block.len());
    sentences
}

/// The longest sentence kept whole, in bytes. A longer one is cut into
/// pieces of at most this length, each ending after its last comma or
/// semicolon in the second half of the allowance, else at its last white
/// space there, else at the allowance. Prose never comes near it: of the
/// 175,000 sentences of the development collections (NeuS, DUC 2004,
/// PolNeAR, WCXB), the longest in news is 1,098 bytes, and the 11 over
/// 2,000 are code, JSON and logs on web pages. Without it one sentence
/// could be a whole article, and per-sentence work is not always linear
/// (the entity tagger's beam copies its tags at every word): a 1.1 MB text
/// without a full stop took 87 s and 16.5 GB to `show`.
pub const MAX_SENTENCE_BYTES: usize = 2_000;

/// `[start, end)` of `block` as pieces of at most [`MAX_SENTENCE_BYTES`]
/// (one piece when it is no longer), in order and covering it.
fn bounded_pieces(block: &str, mut start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut pieces = Vec::new();
    while end - start > MAX_SENTENCE_BYTES {
        let limit = floor_boundary(block, start + MAX_SENTENCE_BYTES);
        let half = floor_boundary(block, start + MAX_SENTENCE_BYTES / 2);
        let window = &block[half..limit];
        let cut = window
            .rfind([',', ';'])
            .map(|i| half + i + 1)
            .or_else(|| window.rfind(char::is_whitespace).map(|i| half + i))
            .filter(|&cut| cut > start)
            .unwrap_or(limit);
        pieces.push((start, cut));
        start = cut;
    }
    pieces.push((start, end));
    pieces
}

/// The largest character boundary of `s` at or before `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A candidate sentence end: a terminator run followed by white space.
struct Boundary<'a> {
    /// The block being split.
    block: &'a str,
    /// Where the current sentence started.
    sentence_start: usize,
    /// The terminators ("." or "?!" or "...").
    run: &'a str,
    /// Where the run starts.
    run_start: usize,
    /// Whether closing quotes or brackets follow the run.
    closed: bool,
    /// Where the next non-space text starts.
    next: usize,
}

impl Boundary<'_> {
    fn ends_sentence(&self) -> bool {
        let after_openers = skip_while(self.block, self.next, is_opener);
        let Some(first) = char_at(self.block, after_openers) else {
            return true;
        };
        // A lowercase continuation ("etc. and", `?" he asked`) never starts
        // a new sentence.
        if first.is_lowercase() {
            return false;
        }
        if self.run != "." || self.closed {
            return true;
        }
        let next_word = word_at(self.block, after_openers);
        let word = self.word_before();
        if TITLES.contains(&word) || NEVER_FINAL.contains(&word.to_lowercase().as_str()) {
            return false;
        }
        if BEFORE_NUMBER.contains(&word) && first.is_ascii_digit() {
            return false;
        }
        if MAYBE_FINAL.contains(&word) || is_dotted_acronym(word) {
            return is_sentence_starter(next_word);
        }
        if is_initial(word) {
            // "J. R. Smith": another initial follows.
            let next_is_initial = is_initial(next_word)
                && self.block[after_openers + next_word.len()..].starts_with('.');
            return !next_is_initial && is_sentence_starter(next_word);
        }
        true
    }

    /// The word just before the run, without opening quotes or brackets;
    /// empty when it is too long to be an abbreviation.
    fn word_before(&self) -> &str {
        let floor = self
            .sentence_start
            .max(self.run_start.saturating_sub(MAX_ABBREVIATION_BYTES));
        let mut start = self.run_start;
        while start > floor {
            let Some(c) = self.block[..start].chars().next_back() else {
                break;
            };
            if c.is_whitespace() {
                break;
            }
            start -= c.len_utf8();
        }
        let word = &self.block[start..self.run_start];
        if start == floor && floor > self.sentence_start {
            // The word may go on further back: too long to be an abbreviation.
            let before = self.block[..start].chars().next_back();
            if before.is_some_and(|c| !c.is_whitespace()) {
                return "";
            }
        }
        word.trim_start_matches(is_opener)
    }
}

/// The character at byte `i` of `s`, if any.
fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|rest| rest.chars().next())
}

/// The byte after the characters from `i` on that satisfy `pred`.
fn skip_while(s: &str, mut i: usize, pred: impl Fn(char) -> bool) -> usize {
    while let Some(c) = char_at(s, i).filter(|c| pred(*c)) {
        i += c.len_utf8();
    }
    i
}

/// The alphanumeric word starting at byte `i` of `s`.
fn word_at(s: &str, i: usize) -> &str {
    let end = skip_while(s, i, char::is_alphanumeric);
    &s[i..end]
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '}' | '»' | '›')
}

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '„' | '(' | '[' | '{' | '«' | '‹' | '¿' | '¡'
    )
}

/// "U.S", "a.m", "U.N": single letters joined by dots (the final dot is the
/// terminator itself).
fn is_dotted_acronym(word: &str) -> bool {
    let mut parts = 0;
    for part in word.split('.') {
        let mut chars = part.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_alphabetic() => parts += 1,
            _ => return false,
        }
    }
    parts >= 2
}

/// A single capital letter, as in "J. R. Smith".
fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

fn is_sentence_starter(word: &str) -> bool {
    SENTENCE_STARTERS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    /// Splits `input` as one block and shows one sentence per line.
    fn check(input: &str, expected: Expect) {
        let actual: String = split(input, Span::new(0, input.len()))
            .iter()
            .map(|span| {
                format!(
                    "[{}]\n",
                    span.slice(input).unwrap_or("<not on a char boundary>")
                )
            })
            .collect();
        expected.assert_eq(&actual);
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for pair in SENTENCE_STARTERS.windows(2) {
            assert!(pair[0] < pair[1], "{} !< {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn plain_sentences() {
        check(
            "The bridge closed. Traffic stopped! Why now? Nobody knows.",
            expect![[r#"
                [The bridge closed.]
                [Traffic stopped!]
                [Why now?]
                [Nobody knows.]
            "#]],
        );
        check(
            "  No terminator at the end  ",
            expect![[r#"
                [No terminator at the end]
            "#]],
        );
        check("", expect![[""]]);
        check("   ", expect![[""]]);
        check(
            "...",
            expect![[r#"
                [...]
            "#]],
        );
    }

    #[test]
    fn titles_never_split() {
        check(
            "Mr. Brandt met Mrs. Okafor and Dr. Lenz. Gen. Varga, Sen. Moss and Gov. Hale came. They met on St. Olaf Street.",
            expect![[r#"
                [Mr. Brandt met Mrs. Okafor and Dr. Lenz.]
                [Gen. Varga, Sen. Moss and Gov. Hale came.]
                [They met on St. Olaf Street.]
            "#]],
        );
    }

    #[test]
    fn abbreviations_that_may_end_a_sentence() {
        check(
            "They sold bread, milk, etc. The shop closed. Bread, milk, etc. and more. Tom Reed Jr. He won. Reed Jr. Day came.",
            expect![[r#"
                [They sold bread, milk, etc.]
                [The shop closed.]
                [Bread, milk, etc. and more.]
                [Tom Reed Jr.]
                [He won.]
                [Reed Jr. Day came.]
            "#]],
        );
        check(
            "The Lakers vs. Celtics game is on Jan. 5 at No. 3 Arena. It starts on Jan. The crowd came.",
            expect![[r#"
                [The Lakers vs. Celtics game is on Jan. 5 at No. 3 Arena.]
                [It starts on Jan.]
                [The crowd came.]
            "#]],
        );
    }

    #[test]
    fn dotted_acronyms_split_only_before_starters() {
        check(
            "U.S. troops left. The U.N. Council met at 9 a.m. Monday. It ended at 5 p.m. The staff left the U.S. But the U.N. Mission stayed.",
            expect![[r#"
                [U.S. troops left.]
                [The U.N. Council met at 9 a.m. Monday.]
                [It ended at 5 p.m.]
                [The staff left the U.S.]
                [But the U.N. Mission stayed.]
            "#]],
        );
    }

    #[test]
    fn initials_and_decimals() {
        check(
            "J. R. Smith scored 3.5 points. A. B. Ortiz said growth was 2.75 per cent. Plan B. Then plan C.",
            expect![[r#"
                [J. R. Smith scored 3.5 points.]
                [A. B. Ortiz said growth was 2.75 per cent.]
                [Plan B.]
                [Then plan C.]
            "#]],
        );
    }

    #[test]
    fn ellipses() {
        check(
            "The situation… is changing. We waited... Then it rained. Hold on… And go.",
            expect![[r#"
                [The situation… is changing.]
                [We waited...]
                [Then it rained.]
                [Hold on…]
                [And go.]
            "#]],
        );
    }

    #[test]
    fn quotes_and_brackets() {
        check(
            r#"He left." Then she came. "We want peace," he said. "Is it over?" she asked. (It was.) Later "they" arrived. 'Fine.' Done."#,
            expect![[r#"
                [He left."]
                [Then she came.]
                ["We want peace," he said.]
                ["Is it over?" she asked.]
                [(It was.)]
                [Later "they" arrived.]
                ['Fine.']
                [Done.]
            "#]],
        );
        check(
            "“We will stay,” the mayor said. “This is not the end. It is a pause,” she added.",
            expect![[r#"
                [“We will stay,” the mayor said.]
                [“This is not the end.]
                [It is a pause,” she added.]
            "#]],
        );
    }

    #[test]
    fn sentences_starting_with_digits_or_quotes() {
        check(
            "The vote was close. 212 members backed it. \"Good,\" said Ames. 'Fine' said Low.",
            expect![[r#"
                [The vote was close.]
                [212 members backed it.]
                ["Good," said Ames.]
                ['Fine' said Low.]
            "#]],
        );
    }

    #[test]
    fn doubled_and_stray_punctuation() {
        check(
            "Most fled, according to the UN.. Many came back. Talks went on in Varna., where it rained. Really?! Yes.",
            expect![[r#"
                [Most fled, according to the UN..]
                [Many came back.]
                [Talks went on in Varna., where it rained.]
                [Really?!]
                [Yes.]
            "#]],
        );
    }

    #[test]
    fn spans_are_offsets_into_the_whole_text() {
        let text = "Heading\nFirst one. Second one.\nTail";
        let block = Span::new(8, 30);
        let found: Vec<&str> = split(text, block)
            .into_iter()
            .filter_map(|s| s.slice(text))
            .collect();
        assert_eq!(found, ["First one.", "Second one."]);
        assert!(split(text, Span::new(8, 100)).is_empty());
        assert!(split("é", Span::new(1, 2)).is_empty());
    }

    #[test]
    fn long_words_before_a_dot_are_not_abbreviations() {
        let text = format!("{}. The end.", "x".repeat(100));
        assert_eq!(split(&text, Span::new(0, text.len())).len(), 2);
    }

    // Reliability review, measurement 7.6: a 1.1 MB text without a full stop was one sentence, and `show` took 87 s and 16.5 GB.
    #[test]
    fn reliability_7_6_over_long_sentences_are_cut_into_bounded_pieces() {
        let words = ["mayor", "council,", "budget", "city", "résumé;", "bridge"];
        let prose: String = (0..40_000)
            .map(|i| words[i % 6])
            .collect::<Vec<_>>()
            .join(" ");
        for text in [prose, "é".repeat(30_000), "a ".repeat(20_000)] {
            let found = split(&text, Span::new(0, text.len()));
            assert!(found.len() > 1);
            let mut end = 0;
            for span in &found {
                assert!(span.end - span.start <= MAX_SENTENCE_BYTES, "{span:?}");
                assert!(span.start >= end && span.slice(&text).is_some(), "{span:?}");
                end = span.end;
            }
            // Nothing but white space is left out.
            let kept: String = found.iter().filter_map(|s| s.slice(&text)).collect();
            let strip = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(strip(&kept), strip(&text));
        }
        // Where it can, a piece ends after a comma or semicolon.
        let text = "word word, ".repeat(400);
        let found = split(&text, Span::new(0, text.len()));
        assert!(found[..found.len() - 1]
            .iter()
            .all(|s| s.slice(&text).is_some_and(|p| p.ends_with(','))));
    }
}
