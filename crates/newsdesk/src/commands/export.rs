//! `newsdesk export`: the provenance graph of stories as JSONL or CSV.

use std::io::Write;
use std::process::ExitCode;

use newsdesk_desk::export::{export, Row};
use newsdesk_store::Store;

use crate::cli::ExportFormat;

/// Runs `newsdesk export [STORY] --format jsonl|csv`.
pub fn run(
    store: &dyn Store,
    story: Option<u64>,
    format: ExportFormat,
) -> anyhow::Result<ExitCode> {
    let rows = export(store, story)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        ExportFormat::Jsonl => {
            for row in &rows {
                serde_json::to_writer(&mut out, row)?;
                out.write_all(b"\n")?;
            }
        }
        ExportFormat::Csv => {
            writeln!(out, "{}", Row::CSV_HEADER.join(","))?;
            for row in &rows {
                writeln!(out, "{}", row.csv_record())?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
