//! The text stage of newsdesk: from an [`Article`]'s plain text to a
//! [`Document`] of blocks and sentences.
//!
//! [`analyze`] runs the whole stage:
//!
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
//! stemmer and [`words::terms`] for TF-IDF.
//!
//! Every span the stage produces is a byte range of the article's original
//! text on character boundaries, and no input makes it panic.
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
pub mod sentences;
pub mod words;

use newsdesk_model::{Article, Block, BlockKind, Document, Sentence};

/// At most this much body text is handed to language detection.
const LANGUAGE_SAMPLE_BYTES: usize = 16 * 1024;

/// Runs the text stage on `article`: cleans its text into blocks, splits
/// the body blocks into sentences and, when `article.lang` is `None`, sets
/// it to the detected language (which stays `None` when the text is too
/// short or the guess is unsure).
///
/// The language is guessed from the body blocks only, so that debris such
/// as share prompts does not sway it; a text without body blocks is judged
/// as a whole.
pub fn analyze(mut article: Article) -> Document {
    let blocks = clean::blocks(&article.text);
    let sentences: Vec<Sentence> = blocks
        .iter()
        .filter(|block| block.kind == BlockKind::Body)
        .flat_map(|block| sentences::split(&article.text, block.span))
        .map(|span| Sentence { span })
        .collect();
    if article.lang.is_none() {
        let mut sample = String::new();
        for block in blocks.iter().filter(|b| b.kind == BlockKind::Body) {
            if sample.len() >= LANGUAGE_SAMPLE_BYTES {
                break;
            }
            if let Some(text) = block.span.slice(&article.text) {
                sample.push_str(text);
                sample.push('\n');
            }
        }
        article.lang = if sample.is_empty() {
            language::detect(&article.text)
        } else {
            language::detect(&sample)
        };
    }
    if article.title.is_none() {
        article.title = infer_title(&article.text, &blocks, &sentences);
    }
    Document {
        article,
        blocks,
        sentences,
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
