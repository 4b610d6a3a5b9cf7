//! One article per plain-text or Markdown file.

use std::io::Read;
use std::path::Path;

use newsdesk_model::{Article, ArticleId, Diagnostic};
use serde::Deserialize;

use crate::inputs::cannot_read;
use crate::{display_path, parse_date, sidecar_paths, ReadOptions};

/// The fields a sidecar `NAME.meta.json` may set.
#[derive(Debug, Default, Deserialize)]
struct Sidecar {
    id: Option<String>,
    title: Option<String>,
    date: Option<String>,
    source: Option<String>,
    url: Option<String>,
    lang: Option<String>,
}

pub(crate) fn read_text_file(
    path: &Path,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    let name = display_path(path);
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(e) => return vec![cannot_read(name, &e)],
    };
    if size > options.max_article_bytes as u64 {
        return vec![too_large(&name, size, options.max_article_bytes)];
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return vec![cannot_read(name, &e)],
    };
    let mut diagnostics = Vec::new();
    let sidecar = read_sidecar(path, &mut diagnostics);
    if let Some(article) = article_from_bytes(&name, bytes, sidecar, options, &mut diagnostics) {
        sink(article);
    }
    diagnostics
}

pub(crate) fn read_text_stream(
    name: &str,
    reader: &mut dyn std::io::BufRead,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    let limit = options.max_article_bytes as u64;
    let mut bytes = Vec::new();
    if let Err(e) = reader.take(limit + 1).read_to_end(&mut bytes) {
        return vec![Diagnostic::error(name, None, format!("cannot read: {e}"))];
    }
    if bytes.len() as u64 > limit {
        return vec![Diagnostic::error(
            name,
            None,
            format!(
                "larger than the limit of {} for one article (--max-article-bytes); skipped",
                human_bytes(options.max_article_bytes as u64)
            ),
        )];
    }
    let mut diagnostics = Vec::new();
    if let Some(article) = article_from_bytes(name, bytes, None, options, &mut diagnostics) {
        sink(article);
    }
    diagnostics
}

fn too_large(name: &str, size: u64, max: usize) -> Diagnostic {
    Diagnostic::error(
        name,
        None,
        format!(
            "file is {}, larger than the limit of {} for one article (--max-article-bytes); skipped",
            human_bytes(size),
            human_bytes(max as u64)
        ),
    )
}

/// A byte count for people: `52.4 MB`, `900 B`.
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: &[&str] = &["B", "KB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// What to say of bytes that are a gzip stream where text was expected
/// (a `.jsonl.gz` or `.txt.gz`, read as the text it is not): `None` for
/// anything else.
pub(crate) fn gzipped_note(bytes: &[u8]) -> Option<&'static str> {
    bytes.starts_with(&[0x1f, 0x8b]).then_some(
        "gzip-compressed, and only .html.gz and .warc.gz are read compressed: decompress it first (gunzip); skipped",
    )
}

/// Checks that bytes are an article's text: not empty, not binary, UTF-8.
/// Returns the text without a byte order mark.
pub(crate) fn decode_text(bytes: Vec<u8>) -> Result<String, String> {
    if let Some(note) = gzipped_note(&bytes) {
        return Err(note.to_string());
    }
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes); skipped".to_string());
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            return Err(format!(
                "not valid UTF-8 (first bad byte at offset {offset}); convert it to UTF-8 first; skipped"
            ));
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.trim().is_empty() {
        return Err("empty file; skipped".to_string());
    }
    Ok(text)
}

fn article_from_bytes(
    name: &str,
    bytes: Vec<u8>,
    sidecar: Option<Sidecar>,
    options: &ReadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Article> {
    let text = match decode_text(bytes) {
        Ok(text) => text,
        Err(message) => {
            diagnostics.push(Diagnostic::error(name, None, message));
            return None;
        }
    };
    let sidecar = sidecar.unwrap_or_default();
    let date = match sidecar.date.as_deref() {
        Some(raw) => {
            match parse_date(raw) {
                Some(date) => Some(date),
                None => {
                    diagnostics.push(Diagnostic::warning(
                    name,
                    None,
                    format!("sidecar date {raw:?} is not a date (use YYYY-MM-DD); article kept undated"),
                ));
                    None
                }
            }
        }
        None => options.defaults.date,
    };
    let title = non_empty(sidecar.title);
    let id = match non_empty(sidecar.id) {
        Some(id) => ArticleId(id),
        None => ArticleId::from_content(title.as_deref(), &text),
    };
    Some(Article {
        id,
        title,
        text,
        date,
        source: non_empty(sidecar.source).or_else(|| options.defaults.source.clone()),
        url: non_empty(sidecar.url),
        lang: non_empty(sidecar.lang).or_else(|| options.defaults.lang.clone()),
        origin: Some(name.to_string()),
    })
}

pub(crate) fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn read_sidecar(path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Sidecar> {
    for candidate in sidecar_paths(path) {
        let bytes = match std::fs::read(&candidate) {
            Ok(bytes) => bytes,
            Err(_) => continue,
        };
        return match serde_json::from_slice::<Sidecar>(&bytes) {
            Ok(sidecar) => Some(sidecar),
            Err(e) => {
                diagnostics.push(Diagnostic::warning(
                    display_path(&candidate),
                    Some(e.line() as u64),
                    format!("sidecar ignored: {e}"),
                ));
                None
            }
        };
    }
    None
}
