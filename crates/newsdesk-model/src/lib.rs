//! The data types that every newsdesk stage shares.
//!
//! One article flows through the stages in order (see `ARCHITECTURE.md`):
//! ingest produces an [`Article`], the text stage turns it into a
//! [`Document`] (blocks of body text, headings and debris, and sentences,
//! each a [`Span`] of the article's original text), the cluster stage gives
//! it an [`Assignment`] to an event and a story, and the story stage
//! summarises a group of documents as a [`StorySummary`]. Any stage that
//! meets bad input reports a [`Diagnostic`] and goes on.
//!
//! ```
//! use newsdesk_model::{Article, ArticleId};
//!
//! let article = Article::new("Floods closed the bridge on Monday.");
//! assert_eq!(article.id, ArticleId::from_content(None, "Floods closed the bridge on Monday."));
//! ```
#![deny(missing_docs)]

mod article;
pub mod correction;
mod diagnostic;
mod document;
pub mod seeded;
pub mod state;
mod story;

pub use article::{Article, ArticleId};
pub use diagnostic::{Diagnostic, Severity};
pub use document::{
    is_analysable_language, Block, BlockKind, Document, Sentence, Span, ANALYSABLE_LANGUAGES,
};
pub use story::{Assignment, EventId, StoryId, StorySummary};

/// A calendar date (no time zone), as used for publication dates.
pub use jiff::civil::Date;
