//! Named entities for newsdesk: a statistical tagger that finds people
//! (`PER`), organisations (`ORG`), places (`LOC`) and other names (`MISC`)
//! in tokenised English news, its CoNLL reader and its scorer.
//!
//! The tagger ([`Tagger`]) is an averaged perceptron decoding greedily left
//! to right over IOB2 tags, with the features of Ratinov & Roth (2009,
//! "Design challenges and misconceptions in named entity recognition"):
//! words and their lower-case forms in a window of two, prefixes and
//! suffixes, word shapes, capitalisation by position (first in the
//! sentence, in an all-capitals headline), the two previous predictions,
//! gazetteer matches, and non-local features: the tags the same word got
//! earlier in the document and the capitalisation it has elsewhere in the
//! document (which tells a headline's `LEICESTERSHIRE` or a
//! machine-translated `herat` what the word usually is). [`train()`] learns
//! it from CoNLL data; [`Tagger::to_bytes`] and [`Tagger::from_bytes`]
//! write and read the compact model file; [`Tagger::embedded`] is the model
//! shipped in the binary.
//!
//! ```
//! use newsdesk_entities::{conll, score};
//!
//! let gold = conll::parse("Peter NNP B-PER\nBlackburn NNP I-PER\nsaid VBD O\n", true)?;
//! let tags: Vec<_> = gold.sentences().map(|s| s.gold.clone()).collect();
//! let result = score::score(gold.sentences().zip(&tags).map(|(s, t)| (s.gold.as_slice(), t.as_slice())));
//! assert_eq!(result.overall.f1, 1.0);
//! # Ok::<(), newsdesk_entities::EntityError>(())
//! ```
#![deny(missing_docs)]

pub mod analyze;
pub mod conll;
pub mod corrections;
pub mod entity;
mod features;
pub mod gazetteer;
pub mod label;
pub mod mention;
pub mod merge;
mod model;
mod names;
pub mod places;
pub mod score;
mod tagger;
mod train;

pub use analyze::{entities, Analyzer};
pub use corrections::{EntityCorrection, EntityCorrections, EntityEdit};
pub use entity::ArticleEntity;
pub use label::{EntityType, Tag, TokenSpan};
pub use mention::{Kind, Mention};
pub use merge::{Entity, EntityMention};
pub use model::FORMAT;
pub use tagger::Tagger;
pub use train::{train, TrainOptions};

/// What can go wrong reading the tagger's inputs.
#[derive(Debug, thiserror::Error)]
pub enum EntityError {
    /// A CoNLL line could not be read.
    #[error("line {line}: {message}")]
    Conll {
        /// The line number (from 1).
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A model file could not be read.
    #[error("bad tagger model: {0}")]
    Model(&'static str),
    /// The place gazetteer could not be read.
    #[error("bad place gazetteer: {0}")]
    Gazetteer(String),
}

/// The model trained on CoNLL-2003's English training data, embedded at
/// build time from `data/ner-conll2003.model` (rebuilt with `newsdesk
/// train ner`).
static EMBEDDED: &[u8] = include_bytes!("../data/ner-conll2003.model");

impl Tagger {
    /// The model shipped in the binary.
    pub fn embedded() -> Result<Tagger, EntityError> {
        if EMBEDDED.is_empty() {
            return Err(EntityError::Model(
                "no model was embedded: train one with `newsdesk train ner`",
            ));
        }
        Tagger::from_bytes(EMBEDDED)
    }
}
