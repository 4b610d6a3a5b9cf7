//! Entity analysis of articles and stories: the tagger finds mentions,
//! [`crate::entity::group`] groups an article's mentions into its
//! entities, [`crate::merge`] merges a story's.

use newsdesk_model::{ArticleId, Document};

use crate::corrections::EntityCorrections;
use crate::entity::{group, ArticleEntity};
use crate::merge::{merge_corrected, Entity};
use crate::{EntityError, Tagger};

/// Entity analysis: the tagger and the grouping rules.
#[derive(Debug)]
pub struct Analyzer {
    tagger: Tagger,
}

impl Analyzer {
    /// An analyser with the embedded tagger model.
    pub fn new() -> Result<Analyzer, EntityError> {
        Ok(Analyzer::with_tagger(Tagger::embedded()?))
    }

    /// The analyser with the embedded model, loaded once per process.
    pub fn embedded() -> Result<&'static Analyzer, EntityError> {
        static ANALYZER: std::sync::OnceLock<Option<Analyzer>> = std::sync::OnceLock::new();
        ANALYZER
            .get_or_init(|| Analyzer::new().ok())
            .as_ref()
            .ok_or(EntityError::Model("the embedded model does not load"))
    }

    /// An analyser with a given tagger.
    pub fn with_tagger(tagger: Tagger) -> Analyzer {
        Analyzer { tagger }
    }

    /// The entities of one article.
    pub fn article(&self, document: &Document) -> Vec<ArticleEntity> {
        let mentions = self.tagger.mentions(document);
        group(&mentions, &document.article.text)
    }

    /// The entities of a story's articles, most mentioned first.
    pub fn story(&self, documents: &[&Document]) -> Vec<Entity> {
        self.story_corrected(documents, &EntityCorrections::default())
    }

    /// The entities of a story's articles as [`Analyzer::story`] finds
    /// them, with an editor's `corrections` honoured
    /// ([`merge_corrected`]).
    pub fn story_corrected(
        &self,
        documents: &[&Document],
        corrections: &EntityCorrections,
    ) -> Vec<Entity> {
        let per_article: Vec<Vec<ArticleEntity>> =
            documents.iter().map(|d| self.article(d)).collect();
        let ids: Vec<ArticleId> = documents.iter().map(|d| d.article.id.clone()).collect();
        merge_corrected(&ids, per_article, corrections)
    }
}

/// The entities of a story's documents with the embedded model (loaded
/// once per process).
pub fn entities(documents: &[&Document]) -> Result<Vec<Entity>, EntityError> {
    Ok(Analyzer::embedded()?.story(documents))
}
