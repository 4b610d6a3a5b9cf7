//! An article after the text stage: its blocks and sentences as spans.

use serde::{Deserialize, Serialize};

use crate::Article;

/// A byte range `[start, end)` of an article's original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The text this span covers, or `None` when it does not lie on
    /// character boundaries of `text`.
    pub fn slice<'a>(&self, text: &'a str) -> Option<&'a str> {
        text.get(self.start..self.end)
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a block (a line or paragraph of the original text) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// Running text, split into sentences.
    Body,
    /// A heading: kept, shown as a heading, never used as a sentence.
    Heading,
    /// Web debris (captions, share prompts, related links): dropped.
    Debris,
}

/// One block of the original text and what the cleaner made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Block {
    /// Where it is, with surrounding white space trimmed.
    pub span: Span,
    /// Body, heading or debris.
    pub kind: BlockKind,
    /// For debris and headings: the rule that decided, so that cleaning can
    /// be audited (`--why`).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub rule: Option<String>,
}

/// One sentence of body text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sentence {
    /// Where it is in the article's text.
    pub span: Span,
}

/// An article with the text stage's results: every later stage reads this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    /// The article as read; `article.lang` holds the detected language when
    /// none was given.
    pub article: Article,
    /// The blocks of the text in order, debris included (marked).
    pub blocks: Vec<Block>,
    /// The body sentences in order.
    pub sentences: Vec<Sentence>,
}

/// The languages (ISO 639-1) whose words the text stage can analyse
/// (English stop words and stemmer). Articles in other languages are kept
/// and clustered by their names and numbers only.
pub const ANALYSABLE_LANGUAGES: &[&str] = &["en"];

/// Whether an article in language `lang` (an ISO 639-1 code, possibly with
/// a region as in `en-GB` or `en_US`, in any case) can be analysed word by
/// word. An unknown language (`None`, or a code that is empty) counts as
/// analysable: detection leaves short texts unmarked, and most input is
/// English.
///
/// ```
/// use newsdesk_model::is_analysable_language;
///
/// assert!(is_analysable_language(Some("en")));
/// assert!(is_analysable_language(Some("EN-gb")));
/// assert!(is_analysable_language(None));
/// assert!(!is_analysable_language(Some("de")));
/// ```
pub fn is_analysable_language(lang: Option<&str>) -> bool {
    let Some(lang) = lang else {
        return true;
    };
    let primary = lang.trim().split(['-', '_']).next().unwrap_or("");
    primary.is_empty()
        || ANALYSABLE_LANGUAGES
            .iter()
            .any(|known| known.eq_ignore_ascii_case(primary))
}

impl Document {
    /// Whether the article's language is one the text stage analyses word
    /// by word ([`is_analysable_language`] of `article.lang`). A document
    /// that is not analysable is kept, marked as such where its language is
    /// shown, and clustered by its name-like terms and numbers only.
    pub fn analysable(&self) -> bool {
        is_analysable_language(self.article.lang.as_deref())
    }

    /// The text of a span of this document's article (empty if the span is
    /// out of range, which the text stage never produces).
    pub fn text_of(&self, span: Span) -> &str {
        span.slice(&self.article.text).unwrap_or("")
    }

    /// The headings' texts, in order.
    pub fn headings(&self) -> impl Iterator<Item = &str> {
        self.blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Heading)
            .map(|b| self.text_of(b.span))
    }

    /// The sentences' texts, in order.
    pub fn sentence_texts(&self) -> impl Iterator<Item = &str> {
        self.sentences.iter().map(|s| self.text_of(s.span))
    }
}
