//! Sentence embeddings for the clusterer's learned decision: optional,
//! built with the `neural` cargo feature, used when the user names a model
//! directory (`--embed-model`). Without them newsdesk clusters on words and
//! names alone (the default, and the fast path).

use std::path::Path;

use newsdesk_model::Document;

/// A loaded sentence-embedding model (all-MiniLM-L6-v2).
pub struct Embeddings {
    #[cfg(feature = "neural")]
    model: newsdesk_embed::Embedder,
}

impl Embeddings {
    /// Loads the model in `dir`; an error says why (a missing file, or a
    /// newsdesk built without the `neural` feature).
    pub fn load(dir: &Path) -> anyhow::Result<Embeddings> {
        #[cfg(feature = "neural")]
        {
            use anyhow::Context;
            let model = newsdesk_embed::Embedder::load(dir)
                .with_context(|| format!("cannot load the embedding model in {}", dir.display()))?;
            Ok(Embeddings { model })
        }
        #[cfg(not(feature = "neural"))]
        {
            anyhow::bail!(
                "--embed-model {}: this newsdesk was built without sentence embeddings; \
                 build it with `cargo build --release -p newsdesk --features neural`",
                dir.display()
            )
        }
    }

    /// Loads the model in `dir` when one is named.
    pub fn load_optional(dir: Option<&Path>) -> anyhow::Result<Option<Embeddings>> {
        dir.map(Embeddings::load).transpose()
    }
}

impl newsdesk_desk::ingest::Embedder for Embeddings {
    /// The embedding of a document (its title and text, as the model was
    /// trained on), or why the model cannot embed it.
    fn embed(&self, doc: &Document) -> Result<Vec<f32>, String> {
        #[cfg(feature = "neural")]
        {
            let text =
                newsdesk_embed::article_text(doc.article.title.as_deref(), &doc.article.text);
            self.model.embed(&text).map_err(|e| e.to_string())
        }
        #[cfg(not(feature = "neural"))]
        {
            let _ = doc;
            Err("this newsdesk was built without sentence embeddings".to_string())
        }
    }
}
