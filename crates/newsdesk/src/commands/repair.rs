//! `newsdesk repair`: finish what an interrupted or older newsdesk left
//! undone in a store, and check it.

use std::path::Path;
use std::process::ExitCode;

use newsdesk_desk::ingest::IngestOptions;

use crate::output;

pub fn run(db: &Path, no_wait: bool, relink: bool, json: bool) -> anyhow::Result<ExitCode> {
    if super::postgres_url(db).is_none() && !db.exists() {
        anyhow::bail!("no store at {}: nothing to repair", db.display());
    }
    let mut store = super::open_store(db)?;
    let mut ingestor =
        super::ingest::open_writer(&mut *store, IngestOptions::default(), db, no_wait)?;
    let report = ingestor.repair(relink)?;
    if json {
        output::json(&report)?;
    } else {
        if let Some(bytes) = report.state_bytes_converted {
            output::line(&format!(
                "the clusterer's state was saved as one blob; written as records ({bytes} bytes)"
            ))?;
        }
        match report.relinked {
            Some(moved) if relink => output::line(&format!(
                "stories re-linked in batch ({moved} article(s) changed story number)"
            ))?,
            Some(moved) => output::line(&format!(
                "a re-linking of stories was pending; done ({moved} article(s) changed story number)"
            ))?,
            None if report.awaiting_relink > 0 => output::line(&format!(
                "no re-linking of stories was pending ({} article(s) linked as they came wait for the next; --relink runs it now)",
                report.awaiting_relink
            ))?,
            None => output::line("no re-linking of stories was pending")?,
        }
        if report.problems.is_empty() {
            output::line(&format!(
                "the store is consistent ({} article(s))",
                report.articles_in_store
            ))?;
        }
    }
    for problem in &report.problems {
        output::warn(&format!("store check: {problem}"));
    }
    if report.problems.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        output::warn("the store has problems that repair cannot fix: keep a copy, and ingest the articles again into a new store");
        Ok(ExitCode::from(1))
    }
}
