//! Readers that turn files, directory trees and standard input into
//! [`Article`]s for newsdesk.
//!
//! Inputs are found first ([`collect_inputs`], which walks directories in a
//! stable order), then each [`Input`] is read with [`read_input`], which
//! hands every article to a callback and returns [`Diagnostic`]s for what it
//! had to skip. Bad input never stops a batch: an empty, binary, non-UTF-8
//! or oversized file, or a malformed JSONL line, is reported with its path
//! (and line) and the reader goes on.
//!
//! Formats:
//! - plain text and Markdown (`.txt`, `.md`, …): one article per file, with
//!   metadata from a sidecar `NAME.meta.json` and from the defaults given in
//!   [`ReadOptions`] (the CLI's `--source`, `--date`, `--lang`);
//! - JSONL (`.jsonl`, `.ndjson`, `.json`): one article per line, with
//!   newsdesk's field names (`id`, `title`, `text`, `date`, `source`, `url`,
//!   `lang`) or news-please's (`maintext`, `date_publish`, `source_domain`,
//!   `language`);
//! - HTML pages (`.html`, `.htm`, gzipped `.html.gz`): one article per
//!   page, its main text found by `newsdesk-html`, with the page's title,
//!   date, language and canonical address;
//! - RSS and Atom feeds (`.rss`, `.atom`, `.xml`): one article per item,
//!   the item's HTML content (or summary) through the same extractor, the
//!   item's title, link and date as metadata;
//! - WARC archives (`.warc`, `.warc.gz`): one article per HTML response
//!   record, streamed record by record, with `WARC-Target-URI` as address
//!   and `WARC-Date` as the fallback date;
//! - standard input (`-`): JSONL if it starts with `{`, else one text article.
//!
//! ```
//! use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};
//!
//! let dir = std::env::temp_dir().join(format!("newsdesk-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("a.jsonl");
//! std::fs::write(&path, "{\"id\": \"a1\", \"text\": \"Rain fell.\"}\nnot json\n").unwrap();
//! let mut articles = Vec::new();
//! let input = Input::File { path, format: InputFormat::Jsonl };
//! let diagnostics = read_input(&input, &ReadOptions::default(), &mut |a| articles.push(a));
//! assert_eq!(articles.len(), 1);
//! assert_eq!(diagnostics.len(), 1); // line 2 is reported and skipped
//! ```
#![deny(missing_docs)]

mod date;
mod feed;
mod html;
mod inputs;
mod jsonl;
mod lines;
mod text;
mod web_archive;

use std::path::PathBuf;

pub use date::parse_date;
pub use html::read_page;
pub use inputs::{collect_inputs, Input, InputFormat};
use newsdesk_model::{Article, Date, Diagnostic};

/// Metadata applied to articles that do not carry their own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Defaults {
    /// Outlet (`--source`).
    pub source: Option<String>,
    /// Publication date (`--date`).
    pub date: Option<Date>,
    /// Language code (`--lang`).
    pub lang: Option<String>,
}

/// How inputs are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Metadata for articles that lack it.
    pub defaults: Defaults,
    /// Largest article accepted, in bytes (a text file, or one JSONL line).
    /// Larger ones are reported and skipped: no real article is this long,
    /// and holding one in memory would hurt the rest of the batch.
    pub max_article_bytes: usize,
}

/// The default size limit for one article: 5 MiB.
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 5 * 1024 * 1024;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            defaults: Defaults::default(),
            max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
        }
    }
}

/// Reads one input, passing each article to `sink` in input order, and
/// returns what had to be reported (skipped records, ignored metadata).
pub fn read_input(
    input: &Input,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    match input {
        Input::File { path, format } => match format {
            InputFormat::Text => text::read_text_file(path, options, sink),
            InputFormat::Jsonl => jsonl::read_jsonl_file(path, options, sink),
            InputFormat::Html => html::read_html_file(path, options, sink),
            InputFormat::Feed => feed::read_feed_file(path, options, sink),
            InputFormat::Warc => web_archive::read_warc_file(path, options, sink),
        },
        Input::Stdin => read_stdin(options, sink),
    }
}

fn read_stdin(options: &ReadOptions, sink: &mut dyn FnMut(Article)) -> Vec<Diagnostic> {
    let stdin = std::io::stdin();
    let mut reader = std::io::BufReader::new(stdin.lock());
    read_stream("-", &mut reader, options, sink)
}

/// Reads articles from any buffered stream: JSONL if its first non-blank
/// byte is `{`, else the whole stream as one text article. `name` is used
/// in diagnostics and as the articles' origin.
pub fn read_stream(
    name: &str,
    reader: &mut dyn std::io::BufRead,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    match lines::first_non_blank_byte(reader) {
        Err(e) => vec![Diagnostic::error(name, None, format!("cannot read: {e}"))],
        Ok(None) => vec![Diagnostic::error(name, None, "empty input")],
        Ok(Some(b'{')) => jsonl::read_jsonl(name, reader, options, sink),
        Ok(Some(_)) => text::read_text_stream(name, reader, options, sink),
    }
}

/// Reads articles from bytes held in memory (a request body, a queue
/// message) in a known format, as [`read_input`] reads a file of that
/// format: one text article, JSONL lines, one HTML page, a feed's items,
/// or a WARC archive's pages. HTML and WARC bytes may be gzipped (their
/// first bytes say so). `name` is used in diagnostics and as the
/// articles' origin. The size limits of `options` apply as to files.
///
/// ```
/// use newsdesk_ingest::{read_bytes, InputFormat, ReadOptions};
///
/// let mut articles = Vec::new();
/// let body = b"{\"id\": \"a1\", \"text\": \"Rain fell.\"}\n{oops\n";
/// let diagnostics = read_bytes("upload", InputFormat::Jsonl, body, &ReadOptions::default(),
///     &mut |a| articles.push(a));
/// assert_eq!(articles.len(), 1);
/// assert_eq!(diagnostics[0].line, Some(2));
/// ```
pub fn read_bytes(
    name: &str,
    format: InputFormat,
    bytes: &[u8],
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    let gzipped = bytes.starts_with(&[0x1f, 0x8b]);
    match format {
        InputFormat::Text => {
            text::read_text_stream(name, &mut std::io::BufReader::new(bytes), options, sink)
        }
        InputFormat::Jsonl => {
            jsonl::read_jsonl(name, &mut std::io::BufReader::new(bytes), options, sink)
        }
        InputFormat::Html => html::read_html_bytes(name, bytes, gzipped, options, sink),
        InputFormat::Feed => feed::read_feed(name, bytes, options, sink),
        InputFormat::Warc if gzipped => {
            let stream = flate2::read::MultiGzDecoder::new(bytes);
            web_archive::read_warc(name, std::io::BufReader::new(stream), options, sink)
        }
        InputFormat::Warc => {
            web_archive::read_warc(name, std::io::BufReader::new(bytes), options, sink)
        }
    }
}

/// A display form of a path for diagnostics and origins.
fn display_path(path: &std::path::Path) -> String {
    path.display().to_string()
}

/// A path's sidecar candidates: `NAME.meta.json` for `NAME.txt`, then
/// `NAME.txt.meta.json`.
fn sidecar_paths(path: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let (Some(parent), Some(stem)) = (path.parent(), path.file_stem()) {
        let mut name = stem.to_os_string();
        name.push(".meta.json");
        out.push(parent.join(name));
    }
    let mut full = path.as_os_str().to_os_string();
    full.push(".meta.json");
    out.push(PathBuf::from(full));
    out
}
