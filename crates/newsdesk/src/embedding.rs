//! Sentence embeddings for the clusterer's learned decision: optional,
//! built with the `neural` cargo feature, used when the user names a model
//! directory (`--embed-model`). Without them newsdesk clusters on words and
//! names alone (the default, and the fast path).

use std::path::Path;

use newsdesk_model::{Diagnostic, Document};

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

    /// The embedding of a document (its title and text, as the model was
    /// trained on). When the model cannot embed it, the article is
    /// clustered on its words and names alone, and a warning naming it is
    /// added to `warnings`.
    pub fn of(&self, doc: &Document, warnings: &mut Vec<Diagnostic>) -> Option<Vec<f32>> {
        #[cfg(feature = "neural")]
        {
            let text =
                newsdesk_embed::article_text(doc.article.title.as_deref(), &doc.article.text);
            match self.model.embed(&text) {
                Ok(vector) => Some(vector),
                Err(e) => {
                    warnings.push(not_embedded(doc, &e));
                    None
                }
            }
        }
        #[cfg(not(feature = "neural"))]
        {
            let _ = (doc, warnings);
            None
        }
    }
}

/// The warning for an article the model could not embed, at the place it
/// was read from (`path:line` for JSONL, else the origin or the id).
#[cfg_attr(not(feature = "neural"), allow(dead_code))]
fn not_embedded(doc: &Document, reason: &dyn std::fmt::Display) -> Diagnostic {
    let article = &doc.article;
    let origin = article.origin.as_deref().unwrap_or(article.id.as_str());
    let (path, line) = match origin.rsplit_once(':') {
        Some((path, line)) if !path.is_empty() => match line.parse::<u64>() {
            Ok(line) => (path, Some(line)),
            Err(_) => (origin, None),
        },
        _ => (origin, None),
    };
    Diagnostic::warning(
        path,
        line,
        format!(
            "article {}: no sentence embedding ({reason}); clustered on its words and names",
            article.id.as_str()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_model::{Article, Severity};

    fn doc(origin: Option<&str>) -> Document {
        let mut article = Article::new("Herat fell on Thursday.");
        article.origin = origin.map(str::to_string);
        crate::pipeline::analyze(article)
    }

    #[test]
    fn a_failed_embedding_is_a_warning_at_the_line_it_was_read_from() {
        let warning = not_embedded(&doc(Some("feeds/day1.jsonl:12")), &"no tokens");
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!(
            (warning.path.as_str(), warning.line),
            ("feeds/day1.jsonl", Some(12))
        );
        assert!(warning
            .message
            .contains("no sentence embedding (no tokens)"));
        assert!(warning.message.contains("clustered on its words"));
    }

    #[test]
    fn a_failed_embedding_without_a_line_names_the_origin_or_the_id() {
        let from_feed = not_embedded(&doc(Some("feed.xml#item3")), &"x");
        assert_eq!(
            (from_feed.path.as_str(), from_feed.line),
            ("feed.xml#item3", None)
        );
        let unknown = doc(None);
        let warning = not_embedded(&unknown, &"x");
        assert_eq!(warning.path, unknown.article.id.as_str());
        assert_eq!(warning.line, None);
        // A Windows-style path keeps its drive letter.
        let drive = not_embedded(&doc(Some("C:\\news\\a.txt")), &"x");
        assert_eq!((drive.path.as_str(), drive.line), ("C:\\news\\a.txt", None));
    }
}
