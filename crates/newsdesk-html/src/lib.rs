//! HTML main-text extraction for newsdesk: from a web page to the text of
//! its article (headings on their own lines, paragraphs kept) without
//! navigation, ads, cookie banners, related-article lists, comment forms,
//! captions or share buttons; plus the title, byline, publication date and
//! language the page gives in its JSON-LD, `<meta>` tags and `<time>`.
//!
//! [`extract`] does it all for one page; [`decode`] turns a page's bytes
//! into text first (UTF-8, or Windows-1252 when the bytes are not UTF-8). The page is parsed by html5ever (through `dom_query`), so any
//! input, however broken, yields a result: possibly empty, never a panic.
//!
//! How the main text is chosen is explained in the `main_text` module:
//! block classes by length and link density, a container search over the
//! DOM, class/id and phrase evidence for boilerplate.
//!
//! This is a crate of its own, not a module of `newsdesk-text`, so that the
//! HTML parser stays out of the builds of the crates that need only the
//! plain-text stage (the clusterer, the store).
//!
//! ```
//! let page = r#"<html lang="en"><head><title>Dam fails | River Post</title></head><body>
//!   <nav><a href="/">Home</a> <a href="/world">World</a></nav>
//!   <article><h1>Dam fails at Orlen</h1>
//!     <p>The old dam above Orlen gave way on Monday night, flooding the lower town and cutting the road to the valley.</p>
//!     <p>Rescue teams reached the last stranded families by boat on Tuesday morning, the mayor said.</p>
//!     <div class="share">Share on Facebook</div>
//!   </article></body></html>"#;
//! let page = newsdesk_html::extract(page);
//! assert_eq!(page.title.as_deref(), Some("Dam fails | River Post"));
//! assert_eq!(page.lang.as_deref(), Some("en"));
//! assert!(page.text.starts_with("Dam fails at Orlen\n\nThe old dam"));
//! assert!(!page.text.contains("Share"));
//! assert!(!page.text.contains("World"));
//! ```
#![deny(missing_docs)]

mod blocks;
mod encoding;
mod main_text;
mod metadata;
mod patterns;

use serde::Serialize;

pub use encoding::decode;

/// One paragraph or heading of the main text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// Its text, white space collapsed (line breaks of `<br>` kept).
    pub text: String,
    /// Whether the page marks it as a heading (`<h1>`–`<h6>`).
    pub heading: bool,
}

/// What [`extract`] found in a page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Extraction {
    /// The headline: JSON-LD `headline`, `og:title`, `<title>` or the
    /// first `<h1>`.
    pub title: Option<String>,
    /// The author(s) as the page names them.
    pub byline: Option<String>,
    /// The publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The language the page declares (primary subtag, lowercased).
    pub lang: Option<String>,
    /// The main text: paragraphs separated by a blank line.
    pub text: String,
    /// The same text as paragraphs and headings.
    pub paragraphs: Vec<Paragraph>,
}

/// Extracts the main text and metadata of one HTML page.
pub fn extract(html: &str) -> Extraction {
    let document = dom_query::Document::from(html);
    let meta = metadata::read(&document);
    let page = blocks::page(&document);
    let paragraphs: Vec<Paragraph> = main_text::select(&page)
        .into_iter()
        .map(|b| Paragraph {
            text: b.text,
            heading: b.heading,
        })
        .collect();
    let mut text = String::new();
    for p in &paragraphs {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&p.text);
    }
    Extraction {
        title: meta.title,
        byline: meta.byline,
        date: meta.date,
        lang: meta.lang,
        text,
        paragraphs,
    }
}

/// Extracts from a page's raw bytes: [`decode`], then [`extract`].
pub fn extract_bytes(bytes: &[u8]) -> Extraction {
    extract(&decode(bytes))
}
