//! The text stage of newsdesk: from an [`Article`]'s plain text to a
//! [`Document`] of blocks and sentences.
//!
//! [`analyze`] runs the whole stage:
//!
//! 0. [`normalize::Normalized`] gives the text as analysis sees it (NFKC,
//!    straight quotes, `-` for dashes, plain spaces, no soft hyphens or
//!    zero-width characters) with a map back to the original;
//! 1. [`clean::blocks`] cuts the text into blocks (one per non-blank line)
//!    and marks each as body text, a heading or web debris (captions, share
//!    prompts, related-link lists, comment forms), naming the rule that
//!    decided;
//! 2. [`sentences::split`] splits every body block into sentences, minding
//!    abbreviations ("Mr.", "U.S."), decimals, ellipses and quotes;
//! 3. [`language::detect`] fills in the article's language when the source
//!    gave none.
//!
//! [`words`] provides what later stages count: word tokens, a stop list, a
//! stemmer and [`words::terms`] for TF-IDF. [`lexicon`] holds the word
//! lists several stages share (the reporting verbs).
//!
//! The steps run on the normalised text, and every span the stage produces
//! is mapped back: it is a byte range of the article's original text on
//! character boundaries. No input makes the stage panic.
//!
//! ```
//! use newsdesk_model::{Article, BlockKind};
//!
//! let text = "Bridge reopens in Orlen\n\
//!             The old bridge over the Varta reopened on Monday. Mr. Novak cut the ribbon.\n\
//!             Share on Facebook\n";
//! let doc = newsdesk_text::analyze(Article::new(text));
//! assert_eq!(doc.headings().collect::<Vec<_>>(), ["Bridge reopens in Orlen"]);
//! assert_eq!(
//!     doc.sentence_texts().collect::<Vec<_>>(),
//!     ["The old bridge over the Varta reopened on Monday.", "Mr. Novak cut the ribbon."]
//! );
//! assert_eq!(doc.blocks[2].kind, BlockKind::Debris);
//! assert_eq!(doc.article.lang.as_deref(), Some("en"));
//! ```
#![deny(missing_docs)]

pub mod clean;
pub mod language;
pub mod lexicon;
pub mod normalize;
pub mod sentences;
pub mod terms;
pub mod words;

use newsdesk_model::{Article, Block, BlockKind, Document, Sentence, Span};
use normalize::Normalized;

/// At most this much body text is handed to language detection.
const LANGUAGE_SAMPLE_BYTES: usize = 16 * 1024;

/// Runs the text stage on `article`: cleans its text into blocks, splits
/// the body blocks into sentences and, when `article.lang` is `None`, sets
/// it to the detected language (which stays `None` when the text is too
/// short or the guess is unsure).
///
/// Cleaning, splitting and language detection see the normalised text
/// ([`normalize`]); the blocks' and sentences' spans are mapped back to
/// the original text, and an inferred title is taken from the original.
///
/// The language is guessed from the body blocks only, so that debris such
/// as share prompts does not sway it; a text without body blocks is judged
/// as a whole.
pub fn analyze(mut article: Article) -> Document {
    let normalized = Normalized::new(&article.text);
    let text = normalized.as_str();
    let normalized_blocks = clean::blocks(text);
    let mut sentences: Vec<Sentence> = Vec::new();
    for block in normalized_blocks
        .iter()
        .filter(|block| block.kind == BlockKind::Body)
    {
        for span in sentences::split(text, block.span) {
            push_sentence(&mut sentences, normalized.original_span(span));
        }
    }
    if article.lang.is_none() {
        let mut sample = String::new();
        for block in normalized_blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Body)
        {
            if sample.len() >= LANGUAGE_SAMPLE_BYTES {
                break;
            }
            if let Some(text) = block.span.slice(text) {
                sample.push_str(text);
                sample.push('\n');
            }
        }
        article.lang = if sample.is_empty() {
            language::detect(text)
        } else {
            language::detect(&sample)
        };
    }
    let blocks: Vec<Block> = normalized_blocks
        .into_iter()
        .map(|block| Block {
            span: normalized.original_span(block.span),
            ..block
        })
        .collect();
    if article.title.is_none() {
        article.title = infer_title(&article.text, &blocks, &sentences);
    }
    Document {
        article,
        blocks,
        sentences,
    }
}

/// Adds a sentence, already mapped back to the original text. Two
/// sentences that split one replaced chunk (an NFKC expansion such as
/// "⒈" to "1.") would overlap once widened to the whole chunk; they are
/// joined, so that sentences stay disjoint and in order.
fn push_sentence(sentences: &mut Vec<Sentence>, span: Span) {
    if span.is_empty() {
        return;
    }
    match sentences.last_mut() {
        Some(last) if span.start < last.span.end => {
            last.span.end = last.span.end.max(span.end);
        }
        _ => sentences.push(Sentence { span }),
    }
}

/// Longest inferred title, in words.
const INFERRED_TITLE_WORDS: usize = 16;

/// A headline for an article that came without one: its first line when
/// the cleaner took that for a title (rule `title-line`), else its first
/// sentence, shortened to [`INFERRED_TITLE_WORDS`] words. The title is
/// always a piece of the article's own text, so its provenance is plain.
fn infer_title(text: &str, blocks: &[Block], sentences: &[Sentence]) -> Option<String> {
    let first = blocks.iter().find(|b| b.kind != BlockKind::Debris)?;
    let source = if first.kind == BlockKind::Heading && first.rule.as_deref() == Some("title-line")
    {
        first.span
    } else {
        sentences.first()?.span
    };
    let raw = source.slice(text)?;
    let words: Vec<&str> = raw.split_whitespace().collect();
    let mut title = words
        .iter()
        .take(INFERRED_TITLE_WORDS)
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if words.len() > INFERRED_TITLE_WORDS {
        title.push('…');
    }
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_titles_are_taken_from_the_text() {
        let doc = analyze(Article::new(
            "Bridge closed after floods\n\nThe old bridge over the Ossel was closed on Tuesday.",
        ));
        assert_eq!(
            doc.article.title.as_deref(),
            Some("Bridge closed after floods")
        );
        let doc = analyze(Article::new(
            "The old bridge over the Ossel river in the town of Veldmoor was closed on Tuesday after the floods of the week.",
        ));
        assert_eq!(
            doc.article.title.as_deref(),
            Some("The old bridge over the Ossel river in the town of Veldmoor was closed on Tuesday…")
        );
        let mut given = Article::new("Body text of the article goes here.");
        given.title = Some("Given".to_owned());
        assert_eq!(analyze(given).article.title.as_deref(), Some("Given"));
        assert_eq!(analyze(Article::new("")).article.title, None);
    }

    #[test]
    fn given_language_is_kept() {
        let mut article = Article::new("The council voted on Tuesday to close the old bridge.");
        article.lang = Some("fr".to_owned());
        assert_eq!(analyze(article).article.lang.as_deref(), Some("fr"));
    }

    #[test]
    fn headings_and_debris_give_no_sentences() {
        let doc = analyze(Article::new(
            "Bridge reopens\nAdvertisement\nThe bridge reopened. Cars crossed it.\n",
        ));
        assert_eq!(
            doc.sentence_texts().collect::<Vec<_>>(),
            ["The bridge reopened.", "Cars crossed it."]
        );
    }
}
