//! `newsdesk correct …` and `newsdesk corrections`: an editor's
//! corrections, made, listed and undone.

use std::path::Path;
use std::process::ExitCode;

use newsdesk_desk::corrections::{Corrected, Request};
use newsdesk_desk::ingest::IngestOptions;
use newsdesk_model::correction::{Correction, CorrectionRecord};
use newsdesk_model::ArticleId;
use newsdesk_store::Store;

use crate::cli::{CorrectArgs, CorrectCommand, StoryTarget};
use crate::output;

/// Who makes a correction when `--by` does not say: the user name.
fn user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn target(to: StoryTarget) -> Option<u64> {
    match to {
        StoryTarget::Story(story) => Some(story),
        StoryTarget::New => None,
    }
}

fn request(what: CorrectCommand) -> Request {
    match what {
        CorrectCommand::MergeStories { into, from } => Request::MergeStories { into, from },
        CorrectCommand::Move { article, to } => Request::MoveArticle {
            article,
            to: target(to),
        },
        CorrectCommand::MoveEvent { event, to } => Request::MoveEvent {
            event,
            to: target(to),
        },
        CorrectCommand::SplitEvent { event, articles } => Request::SplitEvent { event, articles },
        CorrectCommand::MergeEntities { into, from } => {
            Request::Other(Correction::MergeEntities { into, from })
        }
        CorrectCommand::SplitSpelling { entity, spelling } => {
            Request::Other(Correction::SplitSpelling { entity, spelling })
        }
        CorrectCommand::RenameEntity { entity, to } => {
            Request::Other(Correction::RenameEntity { entity, to })
        }
        CorrectCommand::RejectFigure { article, start } => {
            Request::Other(Correction::RejectFigure {
                article: ArticleId(article),
                start,
            })
        }
        CorrectCommand::RejectQuote { article, start } => Request::Other(Correction::RejectQuote {
            article: ArticleId(article),
            start,
        }),
        CorrectCommand::AttributeQuote {
            article,
            start,
            speaker,
        } => Request::Other(Correction::AttributeQuote {
            article: ArticleId(article),
            start,
            speaker,
        }),
    }
}

/// `newsdesk correct …`.
pub fn correct(db: &Path, args: CorrectArgs, json: bool) -> anyhow::Result<ExitCode> {
    if super::postgres_url(db).is_none() && !db.exists() {
        anyhow::bail!(
            "no store at {}: ingest articles first (newsdesk ingest PATH)",
            db.display()
        );
    }
    let by = args.by.clone().unwrap_or_else(user);
    let mut store = super::open_store(db)?;
    let mut ingestor =
        super::ingest::open_writer(&mut *store, IngestOptions::default(), db, args.no_wait)?;
    let done = ingestor.correct(request(args.what), &by, args.reason.as_deref())?;
    report(&done, "", json)?;
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk corrections undo N`.
pub fn undo(db: &Path, id: u64, no_wait: bool, json: bool) -> anyhow::Result<ExitCode> {
    if super::postgres_url(db).is_none() && !db.exists() {
        anyhow::bail!("no store at {}", db.display());
    }
    let mut store = super::open_store(db)?;
    let mut ingestor =
        super::ingest::open_writer(&mut *store, IngestOptions::default(), db, no_wait)?;
    match ingestor.undo_correction(id)? {
        Some(done) => {
            report(&done, "undone: ", json)?;
            Ok(ExitCode::SUCCESS)
        }
        None => anyhow::bail!("no correction {id} in the store; `newsdesk corrections` lists them"),
    }
}

fn report(done: &Corrected, prefix: &str, json: bool) -> anyhow::Result<()> {
    if json {
        return output::json(done);
    }
    let record = &done.correction;
    output::line(&format!(
        "{prefix}correction {}: {} (by {}{})",
        record.id,
        record.correction.describe(),
        record.by,
        record
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default()
    ))?;
    if let Some(moved) = done.relinked {
        let now = done
            .story
            .map(|s| format!("; the corrected articles are in story {s}"))
            .unwrap_or_default();
        output::line(&format!(
            "stories linked again: {moved} article(s) changed story{now}"
        ))?;
    }
    Ok(())
}

/// `newsdesk corrections`.
pub fn list(store: &dyn Store, all: bool, json: bool) -> anyhow::Result<ExitCode> {
    let records: Vec<CorrectionRecord> = newsdesk_desk::corrections::corrections(store)?
        .into_iter()
        .filter(|r| all || r.undone_at.is_none())
        .collect();
    if json {
        output::json(&records)?;
        return Ok(ExitCode::SUCCESS);
    }
    if records.is_empty() {
        output::line(if all {
            "no corrections in the store"
        } else {
            "no corrections in force (--all lists the undone ones too)"
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut header = vec!["#", "made", "by", "correction", "reason"];
    if all {
        header.push("undone");
    }
    let mut table = output::table(&header);
    for r in &records {
        let mut row = vec![
            r.id.to_string(),
            r.at.clone(),
            r.by.clone(),
            r.correction.describe(),
            r.reason.clone().unwrap_or_default(),
        ];
        if all {
            row.push(r.undone_at.clone().unwrap_or_default());
        }
        table.add_row(row);
    }
    output::print_table(&table)?;
    Ok(ExitCode::SUCCESS)
}
