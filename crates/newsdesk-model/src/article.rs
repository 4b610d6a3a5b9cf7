//! The article as it arrives from a source, before any analysis.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Date;

/// The stable identifier of an article.
///
/// Either given by the source (a JSONL `id` field) or derived from the
/// article's content, so that ingesting the same text twice yields the same
/// id and adds nothing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct ArticleId(pub String);

impl ArticleId {
    /// Derives an id from an article's title and text: the first 16 hex
    /// digits (64 bits) of the SHA-256 of `title`, a NUL byte and `text`.
    ///
    /// 64 bits keep ids short enough to type while making an accidental
    /// collision unlikely below a few hundred million articles.
    pub fn from_content(title: Option<&str>, text: &str) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(title.unwrap_or("").as_bytes());
        hasher.update([0u8]);
        hasher.update(text.as_bytes());
        let digest = hasher.finalize();
        let mut hex = String::with_capacity(16);
        for byte in digest.iter().take(8) {
            hex.push_str(&format!("{byte:02x}"));
        }
        ArticleId(hex)
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One news article as read from a source, with whatever metadata came
/// with it. Every field but `id` and `text` may be unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Article {
    /// Stable identifier (given, or a content hash).
    pub id: ArticleId,
    /// Headline, when the source gave one.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub title: Option<String>,
    /// The article text exactly as read (valid UTF-8); every span in later
    /// stages is a byte range of this string.
    pub text: String,
    /// Publication date, when known. Undated articles stay undated.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, required = true))]
    pub date: Option<Date>,
    /// The outlet that published it (a name or a domain).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub source: Option<String>,
    /// Where it was published.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub url: Option<String>,
    /// Language as an ISO 639-1 code (`en`), given or detected.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub lang: Option<String>,
    /// Where newsdesk read it from: a path, `path:line` for JSONL, or `-`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub origin: Option<String>,
}

impl Article {
    /// An article with only a text; its id is the content hash.
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        Article {
            id: ArticleId::from_content(None, &text),
            title: None,
            text,
            date: None,
            source: None,
            url: None,
            lang: None,
            origin: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_id_is_stable_and_depends_on_title_and_text() {
        let a = ArticleId::from_content(None, "text");
        assert_eq!(a, ArticleId::from_content(None, "text"));
        assert_eq!(a.as_str().len(), 16);
        assert_ne!(a, ArticleId::from_content(Some("t"), "text"));
        assert_ne!(a, ArticleId::from_content(None, "text2"));
        // The separator keeps "ab"+"c" apart from "a"+"bc".
        assert_ne!(
            ArticleId::from_content(Some("ab"), "c"),
            ArticleId::from_content(Some("a"), "bc")
        );
    }
}
