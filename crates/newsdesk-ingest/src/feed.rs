//! RSS and Atom feeds (`.rss`, `.atom`, `.xml`): each item is an article.
//! The item's content (or, without it, its summary) is HTML and goes
//! through the extractor; the item's title, link and date are its
//! metadata.

use std::path::Path;

use newsdesk_model::{Article, Diagnostic};

use crate::html::{article_from_extraction, read_limited, Context};
use crate::{display_path, parse_date, ReadOptions};

/// How many times the one-article limit a whole feed may be: a feed holds
/// many items, but a feed file larger than this is not one.
const FEED_SIZE_FACTOR: usize = 16;

pub(crate) fn read_feed_file(
    path: &Path,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    let name = display_path(path);
    let limit = options.max_article_bytes.saturating_mul(FEED_SIZE_FACTOR);
    let bytes = match read_limited(path, false, limit) {
        Ok(bytes) => bytes,
        Err(message) => return vec![Diagnostic::error(name, None, message)],
    };
    read_feed(&name, &bytes, options, sink)
}

/// Reads a feed held in memory; `name` is used in diagnostics and origins.
pub(crate) fn read_feed(
    name: &str,
    bytes: &[u8],
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(feed) => feed,
        Err(e) => {
            return vec![Diagnostic::error(
                name,
                None,
                format!("not an RSS or Atom feed ({e}); skipped"),
            )]
        }
    };
    let mut diagnostics = Vec::new();
    let feed_title = feed.title.map(|t| t.content);
    let items = feed.entries.len();
    for (index, entry) in feed.entries.into_iter().enumerate() {
        let number = index + 1;
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| l.href.clone());
        let label = match &link {
            Some(link) => format!("item {number} ({link})"),
            None => format!("item {number}"),
        };
        let html = entry
            .content
            .and_then(|c| c.body)
            .filter(|b| !b.trim().is_empty())
            .or_else(|| entry.summary.map(|s| s.content));
        let Some(html) = html.filter(|h| !h.trim().is_empty()) else {
            diagnostics.push(Diagnostic::error(
                name,
                None,
                format!("{label}: no content or summary; skipped"),
            ));
            continue;
        };
        if html.len() > options.max_article_bytes {
            diagnostics.push(Diagnostic::error(
                name,
                None,
                format!(
                    "{label}: larger than the limit for one article (--max-article-bytes); skipped"
                ),
            ));
            continue;
        }
        let date = entry
            .published
            .or(entry.updated)
            .and_then(|d| parse_date(&d.to_rfc3339()));
        let context = Context {
            title: entry.title.map(|t| t.content),
            url: link,
            date,
            source: feed_title.clone(),
            lang: entry.language.or_else(|| feed.language.clone()),
        };
        let extraction = newsdesk_html::extract_fragment(&html);
        let origin = format!("{name}#item{number}");
        match article_from_extraction(extraction, context, options, &origin) {
            Ok(article) => sink(article),
            Err(message) => {
                diagnostics.push(Diagnostic::error(name, None, format!("{label}: {message}")))
            }
        }
    }
    if items == 0 {
        diagnostics.push(Diagnostic::warning(name, None, "feed has no items"));
    }
    diagnostics
}
