//! Unicode normalisation with a map back to the original text.
//!
//! Analysis should not care whether an outlet typed `"` or `“`, `-` or `—`,
//! a space or a non-breaking space, "fi" or the ligature "ﬁ", "2021" or
//! full-width "２０２１". [`Normalized`] holds the text as analysis sees it:
//!
//! * NFKC (compatibility characters folded, marks composed), applied chunk
//!   by chunk, where a chunk is one character with the combining marks that
//!   follow it (so the rare compositions of two starters, such as Hangul
//!   compatibility jamo, are not made);
//! * curly and low single quotes become `'`, curly and low double quotes
//!   `"`;
//! * hyphens and dashes (en, em, figure dash, minus sign, bar) become `-`;
//! * white space other than line breaks becomes a plain space (line breaks
//!   stay as they are, so the cleaner sees the same lines);
//! * soft hyphens and zero-width characters (spaces, joiners, word joiner,
//!   byte order mark) are removed.
//!
//! Every byte offset of the normalised text maps back to a byte offset of
//! the original on a character boundary, and spans map back monotonically:
//! a span of the normalised text becomes the smallest span of the original
//! whose normalisation covers it. Spans reported by the text stage are
//! therefore always offsets into the text as given.
//!
//! ```
//! use newsdesk_model::Span;
//! use newsdesk_text::normalize::Normalized;
//!
//! let original = "“Oﬃcial” — ２０２１";
//! let normalized = Normalized::new(original);
//! assert_eq!(normalized.as_str(), "\"Official\" - 2021");
//! // "Official" in the normalised text is "Oﬃcial" in the original.
//! let span = normalized.original_span(Span::new(1, 9));
//! assert_eq!(span.slice(original), Some("Oﬃcial"));
//! ```

use std::borrow::Cow;

use newsdesk_model::Span;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

/// A text as analysis sees it, with the way back to the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized<'a> {
    /// The normalised text; borrowed when normalisation changed nothing.
    text: Cow<'a, str>,
    /// The pieces of the normalised text in order, each either copied from
    /// the original or the replacement of one original chunk. A piece ends
    /// where the next begins (the last at the ends of both texts). Empty
    /// when the text is unchanged: the map is then the identity.
    pieces: Vec<Piece>,
    /// Length of the original text in bytes.
    original_len: usize,
}

/// Where one piece starts in both texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    /// Byte offset in the normalised text.
    normalized: usize,
    /// Byte offset in the original text.
    original: usize,
    /// Whether the piece is a verbatim copy (same bytes in both texts), so
    /// offsets inside it map one to one; else it is the replacement of one
    /// chunk, and offsets inside it map to the chunk's ends.
    copied: bool,
}

impl<'a> Normalized<'a> {
    /// Normalises `original` (see the [module docs](self)). Pure ASCII text
    /// is borrowed as it is.
    pub fn new(original: &'a str) -> Self {
        if original.is_ascii() {
            return Self::unchanged(original);
        }
        let mut builder = Builder {
            text: String::with_capacity(original.len()),
            pieces: Vec::new(),
        };
        let bytes = original.as_bytes();
        let mut i = 0;
        while i < original.len() {
            // Copy a run of ASCII in bulk, except its last character, which
            // a combining mark may follow.
            let run_end = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii())
                .map_or(original.len(), |n| i + n);
            if run_end > i + 1 {
                builder.copy(original, i, run_end - 1);
                i = run_end - 1;
            }
            let end = chunk_end(original, i);
            builder.chunk(original, i, end);
            i = end;
        }
        if builder.pieces.iter().all(|p| p.copied) {
            return Self::unchanged(original);
        }
        Normalized {
            text: Cow::Owned(builder.text),
            pieces: builder.pieces,
            original_len: original.len(),
        }
    }

    fn unchanged(original: &'a str) -> Self {
        Normalized {
            text: Cow::Borrowed(original),
            pieces: Vec::new(),
            original_len: original.len(),
        }
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether normalisation left the text as it was (offsets then map to
    /// themselves).
    pub fn is_unchanged(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Gives up the normalised text.
    pub fn into_string(self) -> Cow<'a, str> {
        self.text
    }

    /// The original offset where a span starting at `normalized` (a char
    /// boundary of the normalised text) starts: offsets inside a replaced
    /// chunk go to the chunk's start, and removed characters right at
    /// `normalized` are skipped. Offsets past the end map to the end.
    pub fn original_start(&self, normalized: usize) -> usize {
        if self.pieces.is_empty() {
            return normalized.min(self.original_len);
        }
        if normalized >= self.text.len() {
            return self.original_len;
        }
        // The last piece starting at or before the offset (a removed
        // chunk at the offset comes before the piece after it, which wins).
        let index = self
            .pieces
            .partition_point(|p| p.normalized <= normalized)
            .saturating_sub(1);
        let piece = self.pieces[index];
        if piece.copied {
            piece.original + (normalized - piece.normalized)
        } else {
            piece.original
        }
    }

    /// The original offset where a span ending at `normalized` (a char
    /// boundary of the normalised text) ends: offsets inside a replaced
    /// chunk go to the chunk's end, and removed characters right at
    /// `normalized` are left out. Offsets past the end map to the end.
    pub fn original_end(&self, normalized: usize) -> usize {
        if self.pieces.is_empty() {
            return normalized.min(self.original_len);
        }
        let normalized = normalized.min(self.text.len());
        // The piece that the offset ends: the last one starting before it.
        let after = self.pieces.partition_point(|p| p.normalized < normalized);
        let Some(index) = after.checked_sub(1) else {
            return 0;
        };
        let piece = self.pieces[index];
        if piece.copied {
            piece.original + (normalized - piece.normalized)
        } else {
            self.pieces
                .get(index + 1)
                .map_or(self.original_len, |next| next.original)
        }
    }

    /// The span of the original text that a span of the normalised text
    /// comes from (see [`original_start`](Self::original_start) and
    /// [`original_end`](Self::original_end)). An empty span maps to an
    /// empty span.
    pub fn original_span(&self, span: Span) -> Span {
        let start = self.original_start(span.start);
        if span.end <= span.start {
            return Span::new(start, start);
        }
        let end = self.original_end(span.end).max(start);
        Span::new(start, end)
    }

    /// The word tokens of the normalised text (as [`crate::words::words`]
    /// finds them), each with its span in the original text.
    ///
    /// ```
    /// use newsdesk_text::normalize::Normalized;
    ///
    /// let original = "Zorvan’s ﬁnal vote";
    /// let normalized = Normalized::new(original);
    /// let found: Vec<(&str, &str)> = normalized
    ///     .words()
    ///     .map(|(span, word)| (word, span.slice(original).unwrap_or("")))
    ///     .collect();
    /// assert_eq!(
    ///     found,
    ///     [("Zorvan's", "Zorvan’s"), ("final", "ﬁnal"), ("vote", "vote")]
    /// );
    /// ```
    pub fn words(&self) -> impl Iterator<Item = (Span, &str)> {
        self.text
            .split_word_bound_indices()
            .filter(|(_, word)| word.chars().any(char::is_alphanumeric))
            .map(|(start, word)| {
                (
                    self.original_span(Span::new(start, start + word.len())),
                    word,
                )
            })
    }
}

/// `text` normalised (see the [module docs](self)), without the map back:
/// for callers that only count words.
///
/// ```
/// use newsdesk_text::normalize::normalize;
///
/// assert_eq!(normalize("don’t\u{a0}stop — ﬁne"), "don't stop - fine");
/// ```
pub fn normalize(text: &str) -> Cow<'_, str> {
    Normalized::new(text).into_string()
}

/// Builds the normalised text and its pieces.
struct Builder {
    text: String,
    pieces: Vec<Piece>,
}

impl Builder {
    /// Copies `original[start..end]` as it is.
    fn copy(&mut self, original: &str, start: usize, end: usize) {
        if start == end {
            return;
        }
        if !self.pieces.last().is_some_and(|p| p.copied) {
            self.pieces.push(Piece {
                normalized: self.text.len(),
                original: start,
                copied: true,
            });
        }
        self.text.push_str(&original[start..end]);
    }

    /// Normalises the chunk `original[start..end]`.
    fn chunk(&mut self, original: &str, start: usize, end: usize) {
        let chunk = &original[start..end];
        let mut chars = chunk.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if c.is_ascii()
                || (fold(c) == Fold::Keep && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes)
            {
                self.copy(original, start, end);
                return;
            }
        }
        let mut replacement = String::with_capacity(chunk.len());
        for c in chunk.nfkc() {
            match fold(c) {
                Fold::Keep => replacement.push(c),
                Fold::To(to) => replacement.push(to),
                Fold::Remove => {}
            }
        }
        if replacement == chunk {
            self.copy(original, start, end);
            return;
        }
        self.pieces.push(Piece {
            normalized: self.text.len(),
            original: start,
            copied: false,
        });
        self.text.push_str(&replacement);
    }
}

/// The end of the chunk starting at byte `start`: the character there and
/// the combining marks (and Hangul medial and final jamo) after it. White
/// space and control characters stand alone, so that a line break is never
/// part of a replaced chunk.
fn chunk_end(text: &str, start: usize) -> usize {
    let mut chars = text[start..].chars();
    let Some(first) = chars.next() else {
        return start;
    };
    let mut end = start + first.len_utf8();
    if first.is_whitespace() || first.is_control() {
        return end;
    }
    for c in chars {
        if !continues_chunk(c) {
            break;
        }
        end += c.len_utf8();
    }
    end
}

/// Whether `c` may combine with what comes before it.
fn continues_chunk(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    canonical_combining_class(c) != 0 || matches!(c, '\u{1160}'..='\u{11FF}')
}

/// What the fold after NFKC does with a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fold {
    /// Leave it.
    Keep,
    /// Replace it by this ASCII character.
    To(char),
    /// Drop it.
    Remove,
}

fn fold(c: char) -> Fold {
    match c {
        // Curly, low and reversed single quotes; the modifier apostrophe.
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' => Fold::To('\''),
        // Curly, low and reversed double quotes.
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' => Fold::To('"'),
        // Hyphens and dashes: hyphen, non-breaking hyphen, figure dash, en
        // and em dash, horizontal bar, minus sign, two- and three-em dash,
        // small and full-width forms (which NFKC mostly folds already).
        '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{2E3A}'
        | '\u{2E3B}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}' => Fold::To('-'),
        // Soft hyphen, zero-width space, non-joiner and joiner, word
        // joiner, invisible operators, Mongolian vowel separator and the
        // byte order mark (zero-width no-break space).
        '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{180E}' | '\u{FEFF}' => {
            Fold::Remove
        }
        c if !c.is_ascii() && c.is_whitespace() && !crate::clean::is_line_break(c) => Fold::To(' '),
        _ => Fold::Keep,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Normalises `original` and checks the normalised text; then checks
    /// that the span of `word` in the normalised text maps back to
    /// `original_word`.
    fn check(original: &str, expected: &str, word: &str, original_word: &str) {
        let normalized = Normalized::new(original);
        assert_eq!(normalized.as_str(), expected, "{original:?}");
        let start = expected
            .find(word)
            .unwrap_or_else(|| panic!("{word:?} in {expected:?}"));
        let span = normalized.original_span(Span::new(start, start + word.len()));
        assert_eq!(span.slice(original), Some(original_word), "{original:?}");
    }

    #[test]
    fn ascii_is_borrowed() {
        let normalized = Normalized::new("Plain text - \"quoted\".");
        assert!(normalized.is_unchanged());
        assert!(matches!(normalized.into_string(), Cow::Borrowed(_)));
        let normalized = Normalized::new("Ünïcödé already in NFKC");
        assert!(normalized.is_unchanged());
        assert_eq!(normalized.original_span(Span::new(3, 9)), Span::new(3, 9));
    }

    #[test]
    fn curly_quotes() {
        check(
            "She said “we’ll stay” and ‘left’.",
            "She said \"we'll stay\" and 'left'.",
            "\"we'll stay\"",
            "“we’ll stay”",
        );
        check("„Ja“, sagte er.", "\"Ja\", sagte er.", "Ja", "Ja");
        check("„Ja“, sagte er.", "\"Ja\", sagte er.", "sagte", "sagte");
    }

    #[test]
    fn dashes() {
        check(
            "Kabul — the capital – fell; −5 degrees",
            "Kabul - the capital - fell; -5 degrees",
            "- the capital -",
            "— the capital –",
        );
        check("non‑breaking", "non-breaking", "-", "‑");
    }

    #[test]
    fn spaces() {
        check(
            "3\u{a0}000 people\u{2009}came\u{3000}home",
            "3 000 people came home",
            "000 people came",
            "000 people\u{2009}came",
        );
        // Line breaks stay, so the cleaner sees the same lines.
        check(
            "one\u{2028}two\u{85}three",
            "one\u{2028}two\u{85}three",
            "two",
            "two",
        );
    }

    #[test]
    fn invisible_characters_are_removed() {
        check(
            "pro\u{ad}test\u{200b}ers \u{feff}left",
            "protesters left",
            "protesters",
            "pro\u{ad}test\u{200b}ers",
        );
        // A removed character at a span's edge stays out of the span.
        check("\u{200b}left\u{200b}", "left", "left", "left");
    }

    #[test]
    fn ligatures_and_full_width_digits() {
        check("the ﬁnal ﬂight", "the final flight", "final", "ﬁnal");
        // Inside a ligature, a span widens to the whole ligature.
        check("the ﬁnal", "the final", "inal", "ﬁnal");
        check(
            "in ２０２１ and ３.５%",
            "in 2021 and 3.5%",
            "2021",
            "２０２１",
        );
        check("ＡＢＣ News", "ABC News", "ABC", "ＡＢＣ");
    }

    #[test]
    fn composition_and_ellipsis() {
        check("Cafe\u{301} open", "Café open", "Café", "Cafe\u{301}");
        check("Wait… Then", "Wait... Then", "...", "…");
    }

    #[test]
    fn words_have_original_spans() {
        let original = "“Oﬃcial”\u{a0}figures: ３,０００ left — Kabul’s";
        let normalized = Normalized::new(original);
        let found: Vec<(&str, &str)> = normalized
            .words()
            .map(|(span, word)| (word, span.slice(original).unwrap_or("<bad span>")))
            .collect();
        assert_eq!(
            found,
            [
                ("Official", "Oﬃcial"),
                ("figures", "figures"),
                ("3,000", "３,０００"),
                ("left", "left"),
                ("Kabul's", "Kabul’s"),
            ]
        );
    }

    #[test]
    fn offsets_at_the_ends() {
        let normalized = Normalized::new("\u{200b}a\u{200b}");
        assert_eq!(normalized.as_str(), "a");
        assert_eq!(normalized.original_start(0), 3);
        assert_eq!(normalized.original_end(1), 4);
        assert_eq!(normalized.original_start(1), 7);
        assert_eq!(normalized.original_end(0), 0);
        assert_eq!(normalized.original_span(Span::new(5, 9)), Span::new(7, 7));
        let empty = Normalized::new("\u{200b}");
        assert_eq!(empty.as_str(), "");
        assert_eq!(empty.original_span(Span::new(0, 0)), Span::new(3, 3));
    }
}
