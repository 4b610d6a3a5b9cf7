//! One article per HTML page (`.html`, `.htm`, gzipped `.html.gz`): the
//! main text and the page's own title, date, language and canonical
//! address, through `newsdesk-html`.

use std::io::Read;
use std::path::Path;

use newsdesk_html::Extraction;
use newsdesk_model::{Article, ArticleId, Date, Diagnostic};

use crate::inputs::io_reason;
use crate::text::{human_bytes, non_empty};
use crate::{display_path, parse_date, ReadOptions};

/// Metadata known from outside the page (a feed item, a WARC record),
/// used where the page itself says nothing.
#[derive(Debug, Default)]
pub(crate) struct Context {
    /// A title given by the container (a feed item's title), preferred
    /// over the page's: it is what the publisher chose to list.
    pub title: Option<String>,
    /// The address the page was fetched from or linked as.
    pub url: Option<String>,
    /// A date from the container, used when the page gives none.
    pub date: Option<Date>,
    /// The outlet, when the container names it.
    pub source: Option<String>,
    /// The language the container declares.
    pub lang: Option<String>,
}

pub(crate) fn read_html_file(
    path: &Path,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    let name = display_path(path);
    let gzipped = is_gzip_name(path);
    let bytes = match read_limited(path, gzipped, options.max_article_bytes).and_then(text_page) {
        Ok(bytes) => bytes,
        Err(message) => return vec![Diagnostic::error(name, None, message)],
    };
    let mut diagnostics = Vec::new();
    let extraction = newsdesk_html::extract_bytes(&bytes);
    match article_from_extraction(extraction, Context::default(), options, &name) {
        Ok(article) => sink(article),
        Err(message) => diagnostics.push(Diagnostic::error(name, None, message)),
    }
    diagnostics
}

/// Reads one page held in memory (gzipped when `gzipped`), as
/// [`read_html_file`] reads a file.
pub(crate) fn read_html_bytes(
    name: &str,
    bytes: &[u8],
    gzipped: bool,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    let page = if gzipped {
        inflate_bounded(
            flate2::read::MultiGzDecoder::new(bytes),
            options.max_article_bytes,
        )
    } else if bytes.len() > options.max_article_bytes {
        Err(too_large(options.max_article_bytes))
    } else {
        Ok(bytes.to_vec())
    };
    let page = page.and_then(|page| {
        if page.iter().all(u8::is_ascii_whitespace) {
            Err("empty page; skipped".to_string())
        } else {
            text_page(page)
        }
    });
    let page = match page {
        Ok(page) => page,
        Err(message) => return vec![Diagnostic::error(name, None, message)],
    };
    let extraction = newsdesk_html::extract_bytes(&page);
    match article_from_extraction(extraction, Context::default(), options, name) {
        Ok(article) => {
            sink(article);
            Vec::new()
        }
        Err(message) => vec![Diagnostic::error(name, None, message)],
    }
}

/// Decompresses up to `limit` bytes; more is an error (a gzip bomb is
/// refused, not inflated).
fn inflate_bounded(reader: impl Read, limit: usize) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot decompress: {e}; skipped"))?;
    if bytes.len() > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

fn too_large(limit: usize) -> String {
    format!(
        "larger than the limit of {} (--max-article-bytes); skipped",
        human_bytes(limit as u64)
    )
}

fn is_gzip_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// Reads a file (gunzipping it if asked) up to `limit` bytes; a larger
/// one is an error, checked on the decompressed size so that a small
/// archive cannot expand without bound. A blank file is an error too.
pub(crate) fn read_limited(path: &Path, gzipped: bool, limit: usize) -> Result<Vec<u8>, String> {
    let bytes = read_bounded(path, gzipped, limit)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty file; skipped".to_string());
    }
    Ok(bytes)
}

/// A web page's bytes, gunzipped when its name ends in `.gz`, up to
/// `limit` bytes after decompression (a gzip bomb is refused, not
/// inflated, and the decompression is streamed, so memory stays within the
/// limit); a page that is mostly NUL or control bytes is refused as not
/// text. The error says why, for a diagnostic.
pub fn read_page(path: &Path, limit: usize) -> Result<Vec<u8>, String> {
    read_bounded(path, is_gzip_name(path), limit).and_then(text_page)
}

/// A page may hold at most this share of NUL and control bytes (other than
/// tab, line feed, form feed and carriage return). Real pages hold next to
/// none; a page that is mostly such bytes is binary data (or UTF-16, which
/// newsdesk does not read) and would only give the parser work.
const MAX_CONTROL_SHARE: f64 = 0.25;

/// `bytes` when they look like text; an error naming the share of NUL and
/// control bytes otherwise.
fn text_page(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let control = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r'))
        .count();
    if bytes.is_empty() || (control as f64) <= MAX_CONTROL_SHARE * bytes.len() as f64 {
        return Ok(bytes);
    }
    let percent = (control as f64 * 100.0 / bytes.len() as f64).floor();
    Err(format!(
        "not text: {percent}% of its bytes are NUL or control characters; skipped"
    ))
}

fn read_bounded(path: &Path, gzipped: bool, limit: usize) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {}", io_reason(&e)))?;
    let reader: Box<dyn Read> = if gzipped {
        Box::new(flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
            file,
        )))
    } else {
        Box::new(file)
    };
    let mut bytes = Vec::new();
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            if gzipped {
                format!("cannot decompress: {e}; skipped")
            } else {
                format!("cannot read: {}", io_reason(&e))
            }
        })?;
    if bytes.len() > limit {
        return Err(format!(
            "larger than the limit of {} (--max-article-bytes); skipped",
            human_bytes(limit as u64)
        ));
    }
    Ok(bytes)
}

/// Builds an article from an extraction: the page's metadata first, then
/// the container's, then the defaults. An empty main text is an error
/// (the message says why the page was skipped).
pub(crate) fn article_from_extraction(
    extraction: Extraction,
    context: Context,
    options: &ReadOptions,
    origin: &str,
) -> Result<Article, String> {
    let text = extraction.text;
    if text.trim().is_empty() {
        return Err("no main text found in the page; skipped".to_string());
    }
    let title = non_empty(context.title).or_else(|| non_empty(extraction.title));
    let url = non_empty(extraction.url).or_else(|| non_empty(context.url));
    let date = extraction
        .date
        .as_deref()
        .and_then(parse_date)
        .or(context.date)
        .or(options.defaults.date);
    let source = options
        .defaults
        .source
        .clone()
        .or_else(|| non_empty(context.source))
        .or_else(|| url.as_deref().and_then(host));
    let lang = non_empty(extraction.lang)
        .or_else(|| non_empty(context.lang))
        .or_else(|| options.defaults.lang.clone());
    Ok(Article {
        id: ArticleId::from_content(title.as_deref(), &text),
        title,
        text,
        date,
        source,
        url,
        lang,
        origin: Some(origin.to_string()),
    })
}

/// The host of an `http(s)` address without `www.`, as an outlet name:
/// `https://www.post.example/a` → `post.example`.
pub(crate) fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty() && host.contains('.')).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reliability review D17: a 5 MB page of NUL bytes reached the HTML parser and took 1.27 GB.
    #[test]
    fn reliability_d17_pages_of_nul_bytes_are_not_text() {
        let dir = tempfile::tempdir().unwrap();
        let zeros = dir.path().join("z.html");
        std::fs::write(&zeros, vec![0u8; 100_000]).unwrap();
        let error = read_page(&zeros, 1_000_000).unwrap_err();
        assert!(error.starts_with("not text: 100%"), "{error}");
        let mut sink = |_: Article| panic!("no article expected");
        let diagnostics = read_html_file(&zeros, &ReadOptions::default(), &mut sink);
        assert!(
            diagnostics[0].to_string().contains("z.html: not text"),
            "{diagnostics:?}"
        );
        // A stray NUL in a real page is no reason to refuse it.
        let page = dir.path().join("p.html");
        std::fs::write(&page, b"<p>The dam\0 held after the storm.</p>").unwrap();
        assert!(read_page(&page, 1_000_000).is_ok());
    }

    #[test]
    fn host_is_the_outlet_domain() {
        assert_eq!(
            host("https://www.post.example/a?b#c").as_deref(),
            Some("post.example")
        );
        assert_eq!(
            host("http://user@news.example:8080/x").as_deref(),
            Some("news.example")
        );
        assert_eq!(host("https://localhost/"), None);
        assert_eq!(host(""), None);
    }
}
