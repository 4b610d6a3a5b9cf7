//! Web archives (`.warc`, `.warc.gz`): every `response` record holding an
//! HTML page is an article, with `WARC-Target-URI` as its address and
//! `WARC-Date` as its date when the page gives none.
//!
//! Records are streamed one at a time: only the current record's body (at
//! most the one-article limit) is held, so a crawl of many gigabytes is
//! read in constant memory. Request, metadata and other records, and
//! responses that are not successful HTML pages, are passed over quietly;
//! a record that cannot be read is reported with its number.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use newsdesk_model::{Article, Diagnostic};
use records::RecordReader;

use crate::html::{article_from_extraction, Context};
use crate::inputs::cannot_read;
use crate::text::human_bytes;
use crate::{display_path, ReadOptions};

mod records;

pub(crate) fn read_warc_file(
    path: &Path,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    let name = display_path(path);
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return vec![cannot_read(name, &e)],
    };
    let gzipped = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    if gzipped {
        // A `.warc.gz` is a series of gzip members, one per record.
        let stream = flate2::read::MultiGzDecoder::new(BufReader::new(file));
        read_warc(&name, BufReader::new(stream), options, sink)
    } else {
        read_warc(&name, BufReader::new(file), options, sink)
    }
}

/// Reads WARC records from a stream; `name` is used in diagnostics and
/// origins (`name#record3`).
pub(crate) fn read_warc<R: BufRead>(
    name: &str,
    reader: R,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut records = RecordReader::new(reader);
    while let Some((number, item)) = records.next_record() {
        let mut record = match item {
            Ok(record) => record,
            Err(e) if e.is_skippable() => {
                // The record's length was read, so the next one can still
                // be found.
                diagnostics.push(Diagnostic::error(
                    name,
                    None,
                    format!("record {number}: {e}; skipped"),
                ));
                continue;
            }
            Err(e) => {
                // Past a broken header or a cut-off body there is no
                // telling where the next record starts.
                diagnostics.push(Diagnostic::error(
                    name,
                    None,
                    format!("record {number}: {e}; the rest of the file is not read"),
                ));
                break;
            }
        };
        let header = record.header();
        if !header.is_type("response") {
            continue;
        }
        let uri = header
            .get_lossy("warc-target-uri")
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty());
        let label = match &uri {
            Some(uri) => format!("record {number} ({uri})"),
            None => format!("record {number}"),
        };
        if header
            .get("warc-target-uri")
            .is_some_and(|u| std::str::from_utf8(u).is_err())
        {
            // A URI is ASCII by its standard; the bad bytes are kept as
            // U+FFFD, so the address is not the one the crawler saw.
            diagnostics.push(Diagnostic::warning(
                name,
                None,
                format!("{label}: WARC-Target-URI is not UTF-8; its bad bytes are replaced"),
            ));
        }
        let limit = options.max_article_bytes;
        // The HTTP headers come on top of the page, so a little slack is
        // allowed on the record before the page itself is measured.
        let record_limit = limit as u64 + 64 * 1024;
        let length = header.content_length();
        if length > record_limit {
            diagnostics.push(Diagnostic::error(
                name,
                None,
                format!(
                    "{label}: {} is larger than the limit of {} for one article (--max-article-bytes); skipped",
                    human_bytes(length),
                    human_bytes(limit as u64)
                ),
            ));
            continue;
        }
        let date = header.date();
        let mut body = Vec::new();
        if let Err(e) = (&mut record).take(record_limit).read_to_end(&mut body) {
            diagnostics.push(Diagnostic::error(
                name,
                None,
                format!("{label}: cannot read ({e}); the rest of the file is not read"),
            ));
            break;
        }
        if (body.len() as u64) < length {
            diagnostics.push(Diagnostic::error(
                name,
                None,
                format!(
                    "{label}: cut off after {} of {} bytes; the rest of the file is not read",
                    body.len(),
                    length
                ),
            ));
            break;
        }
        let page = match http_page(&body, limit) {
            Ok(Some(page)) => page,
            Ok(None) => continue,
            Err(message) => {
                diagnostics.push(Diagnostic::error(
                    name,
                    None,
                    format!("{label}: {message}; skipped"),
                ));
                continue;
            }
        };
        let context = Context {
            url: uri,
            date,
            ..Context::default()
        };
        let extraction = newsdesk_html::extract_bytes(&page);
        let origin = format!("{name}#record{number}");
        match article_from_extraction(extraction, context, options, &origin) {
            Ok(article) => sink(article),
            Err(message) => {
                diagnostics.push(Diagnostic::error(name, None, format!("{label}: {message}")))
            }
        }
    }
    diagnostics
}

/// The HTML page in an HTTP response: `Ok(None)` when the response is not
/// a successful HTML page (a redirect, an image, a DNS record), an error
/// when it claims to be one but cannot be decoded.
fn http_page(response: &[u8], limit: usize) -> Result<Option<Vec<u8>>, String> {
    if !response.starts_with(b"HTTP/") {
        return Ok(None);
    }
    let (head, body) = match find(response, b"\r\n\r\n") {
        Some(at) => (&response[..at], &response[at + 4..]),
        None => match find(response, b"\n\n") {
            Some(at) => (&response[..at], &response[at + 2..]),
            None => return Err("HTTP headers without an end".to_string()),
        },
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok());
    if !status.is_some_and(|s| (200..300).contains(&s)) {
        return Ok(None);
    }
    let mut content_type = None;
    let mut chunked = false;
    let mut gzipped = false;
    for line in lines {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_ascii_lowercase();
        match key.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(value),
            "transfer-encoding" => chunked = value.contains("chunked"),
            "content-encoding" => gzipped = value.contains("gzip"),
            _ => {}
        }
    }
    if !content_type.is_some_and(|t| t.contains("html")) {
        return Ok(None);
    }
    let mut page = if chunked {
        dechunk(body).ok_or("broken chunked transfer encoding")?
    } else {
        body.to_vec()
    };
    if gzipped {
        let mut plain = Vec::new();
        flate2::read::MultiGzDecoder::new(page.as_slice())
            .take(limit as u64 + 1)
            .read_to_end(&mut plain)
            .map_err(|e| format!("cannot decompress the page ({e})"))?;
        page = plain;
    }
    if page.len() > limit {
        return Err(
            "the page is larger than the limit for one article (--max-article-bytes)".to_string(),
        );
    }
    Ok(Some(page))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Joins the chunks of a chunked HTTP body; `None` when the sizes do not
/// add up.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = find(body, b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size..)?;
        body = body.strip_prefix(b"\r\n").unwrap_or(body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_successful_html_responses() {
        let ok = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hi</p>";
        assert_eq!(http_page(ok, 1000), Ok(Some(b"<p>Hi</p>".to_vec())));
        let redirect = b"HTTP/1.1 301 Moved\r\nContent-Type: text/html\r\n\r\n<p>Moved</p>";
        assert_eq!(http_page(redirect, 1000), Ok(None));
        let image = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG";
        assert_eq!(http_page(image, 1000), Ok(None));
        assert_eq!(http_page(b"not http", 1000), Ok(None));
    }

    #[test]
    fn joins_chunks() {
        let chunked = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n<p>H\r\n5\r\ni</p>\r\n0\r\n\r\n";
        assert_eq!(http_page(chunked, 1000), Ok(Some(b"<p>Hi</p>".to_vec())));
        assert_eq!(dechunk(b"zz\r\n"), None);
        assert_eq!(dechunk(b"9\r\nab"), None);
    }
}
