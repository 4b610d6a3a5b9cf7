//! Writing results: JSON, tables, diagnostics, and a quiet end on a closed
//! pipe.

use std::io::{self, Write};

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use newsdesk_model::Diagnostic;
use serde::Serialize;

/// Whether an error is (caused by) writing to a closed pipe, directly or
/// through the JSON writer (`--json | head`).
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io_kind = cause.downcast_ref::<io::Error>().map(io::Error::kind);
        let json_kind = cause
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind);
        io_kind.or(json_kind) == Some(io::ErrorKind::BrokenPipe)
    })
}

/// Writes a value as pretty JSON and a newline to stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Writes a value as one line of compact JSON to stdout (JSONL).
pub fn json_line<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Writes a warning line to stderr (a skipped record, with file:line),
/// control characters escaped so that no name can forge another line.
pub fn warn(text: &str) {
    // Nothing useful can be done if stderr itself is closed.
    let _ = writeln!(io::stderr().lock(), "{}", escaped(text, false));
}

/// Writes one line (or a table) to stdout, with control characters other
/// than line breaks and tabs escaped: a field of an article cannot move
/// the cursor, clear the screen or ring the bell.
pub fn line(text: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{}", escaped(text, true))?;
    Ok(())
}

/// `text` with its control characters written as `\u{…}` escapes (line
/// breaks and tabs kept when `keep_lines`); borrowed when there are none.
pub fn escaped(text: &str, keep_lines: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && !(keep_lines && (c == '\n' || c == '\t'));
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A table with newsdesk's look and the given header.
pub fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().copied());
    table
}

/// Prints a table to stdout.
pub fn print_table(table: &Table) -> anyhow::Result<()> {
    line(&table.to_string())
}

/// Reports diagnostics on stderr, one line each.
pub fn diagnostics(diagnostics: &[Diagnostic]) {
    let mut err = io::stderr().lock();
    for d in diagnostics {
        // Nothing useful can be done if stderr itself is closed.
        let _ = writeln!(err, "{}", escaped(&d.to_string(), false));
    }
}

/// Shortens text to at most `max` characters, with an ellipsis.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
