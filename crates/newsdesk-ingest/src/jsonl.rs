//! One article per JSON line, with newsdesk's or news-please's field names.

use std::io::BufRead;
use std::path::Path;

use newsdesk_model::{Article, ArticleId, Diagnostic};
use serde_json::{Map, Value};

use crate::inputs::cannot_read;
use crate::lines::{read_line_bounded, Line};
use crate::text::{human_bytes, non_empty};
use crate::{display_path, parse_date, ReadOptions};

pub(crate) fn read_jsonl_file(
    path: &Path,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    let name = display_path(path);
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return vec![cannot_read(name, &e)],
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    read_jsonl(&name, &mut reader, options, sink)
}

pub(crate) fn read_jsonl(
    name: &str,
    reader: &mut dyn BufRead,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut articles = 0usize;
    loop {
        line_no += 1;
        match read_line_bounded(reader, &mut buf, options.max_article_bytes) {
            Err(e) => {
                diagnostics.push(Diagnostic::error(name, Some(line_no), format!("cannot read: {e}; rest of file skipped")));
                break;
            }
            Ok(Line::End) => break,
            Ok(Line::TooLong(len)) => diagnostics.push(Diagnostic::error(
                name,
                Some(line_no),
                format!(
                    "line is {}, larger than the limit of {} for one article (--max-article-bytes); skipped",
                    human_bytes(len as u64),
                    human_bytes(options.max_article_bytes as u64)
                ),
            )),
            Ok(Line::Complete) => {
                if buf.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                // A binary file cut at its newline bytes would give one
                // error per piece: before any article, a NUL byte says the
                // whole file is no JSON lines.
                // A gzip stream is said to be one rather than binary.
                let note = crate::text::gzipped_note(&buf)
                    .filter(|_| line_no == 1)
                    .or_else(|| {
                        buf.contains(&0)
                            .then_some("binary file (contains NUL bytes), not JSON lines; skipped")
                    });
                if let Some(note) = note.filter(|_| articles == 0) {
                    diagnostics.clear();
                    diagnostics.push(Diagnostic::error(name, None, note));
                    return diagnostics;
                }
                let origin = format!("{name}:{line_no}");
                match parse_line(&buf, options, &origin) {
                    Ok((article, warnings)) => {
                        for w in warnings {
                            diagnostics.push(Diagnostic::warning(name, Some(line_no), w));
                        }
                        articles += 1;
                        sink(article);
                    }
                    Err(message) => diagnostics.push(Diagnostic::error(name, Some(line_no), message)),
                }
            }
        }
    }
    if articles == 0 && diagnostics.is_empty() {
        diagnostics.push(Diagnostic::error(name, None, "empty file; skipped"));
    }
    diagnostics
}

/// The names each field may have, first match wins: newsdesk's own, then
/// news-please's, then other common exports.
const TEXT_FIELDS: &[&str] = &["text", "maintext", "body", "content"];
const TITLE_FIELDS: &[&str] = &["title", "headline"];
const DATE_FIELDS: &[&str] = &["date", "date_publish", "published", "pubDate"];
const SOURCE_FIELDS: &[&str] = &["source", "source_domain", "outlet"];
const URL_FIELDS: &[&str] = &["url"];
const LANG_FIELDS: &[&str] = &["lang", "language"];

fn parse_line(
    bytes: &[u8],
    options: &ReadOptions,
    origin: &str,
) -> Result<(Article, Vec<String>), String> {
    let line = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (first bad byte at column {}); skipped",
            e.valid_up_to() + 1
        )
    })?;
    let value: Value =
        serde_json::from_str(line).map_err(|e| format!("not valid JSON ({e}); skipped"))?;
    let Value::Object(object) = value else {
        return Err("not a JSON object; skipped".to_string());
    };
    let mut warnings = Vec::new();
    let title = string_field(&object, TITLE_FIELDS, &mut warnings);
    // A headline without a body (feeds, headline datasets) is still an
    // article; only a record with neither is skipped.
    let text = match string_field(&object, TEXT_FIELDS, &mut warnings) {
        Some(text) => text,
        None if title.is_some() => String::new(),
        None => {
            return Err(
                "no article text or title (fields \"text\"/\"maintext\", \"title\"); skipped"
                    .to_string(),
            )
        }
    };
    let date = match string_field(&object, DATE_FIELDS, &mut warnings) {
        Some(raw) => match parse_date(&raw) {
            Some(date) => Some(date),
            None => {
                warnings.push(format!("date {raw:?} is not a date; article kept undated"));
                None
            }
        },
        None => options.defaults.date,
    };
    let id = match object.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => ArticleId(s.trim().to_string()),
        // A number keeps its digits as written: through a float,
        // 123456789012345678901 and …902 would become one id.
        Some(Value::Number(n)) => ArticleId(literal_id(line).unwrap_or_else(|| n.to_string())),
        _ => ArticleId::from_content(title.as_deref(), &text),
    };
    let article = Article {
        id,
        title,
        date,
        source: string_field(&object, SOURCE_FIELDS, &mut warnings)
            .or_else(|| options.defaults.source.clone()),
        url: string_field(&object, URL_FIELDS, &mut warnings),
        lang: string_field(&object, LANG_FIELDS, &mut warnings)
            .or_else(|| options.defaults.lang.clone()),
        origin: Some(origin.to_string()),
        text,
    };
    Ok((article, warnings))
}

/// The `id` field of a JSON line as written (the digits of a number, not
/// a float's rendering of them).
fn literal_id(line: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct IdOnly<'a> {
        #[serde(borrow)]
        id: &'a serde_json::value::RawValue,
    }
    let found: IdOnly<'_> = serde_json::from_str(line).ok()?;
    Some(found.id.get().trim().to_string())
}

/// The first non-empty string among `names`; a present field of another
/// JSON type (other than null) is warned about and passed over.
fn string_field(
    object: &Map<String, Value>,
    names: &[&str],
    warnings: &mut Vec<String>,
) -> Option<String> {
    for name in names {
        match object.get(*name) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => {
                if let Some(s) = non_empty(Some(s.clone())) {
                    return Some(s);
                }
            }
            Some(other) => warnings.push(format!(
                "field {name:?} is a {}, not a string; ignored",
                json_type(other)
            )),
        }
    }
    None
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}
