//! One module per command.

mod analyze;
mod brief;
mod changes;
mod cluster;
mod correct;
mod entities;
mod eval;
mod export;
mod extract;
mod facts;
mod ingest;
mod repair;
mod search;
mod serve;
mod stories;
mod timeline;
mod why;
mod worker;

use std::process::ExitCode;

use anyhow::Context;
use newsdesk_store::{PostgresStore, SqliteStore, Store};

use crate::cli::{Cli, Command, EvalCommand, TrainCommand};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Ingest(args) => ingest::run(&cli.db, &args, cli.json),
        Command::Repair { no_wait, relink } => repair::run(&cli.db, no_wait, relink, cli.json),
        Command::Stories => stories::list(&*open_existing(&cli.db)?, cli.json),
        Command::Show { story, format, why } => {
            let store = open_existing(&cli.db)?;
            stories::show(
                &*store,
                current_story(&*store, story)?,
                format.or_json(cli.json),
                why,
            )
        }
        Command::Why { story } => {
            let store = open_existing(&cli.db)?;
            why::run(&*store, current_story(&*store, story)?, cli.json)
        }
        Command::Search { query, limit } => {
            let limit = usize::try_from(limit).unwrap_or(usize::MAX);
            search::run(&*open_existing(&cli.db)?, &query, limit, cli.json)
        }
        Command::Cluster(args) => cluster::run(&args),
        Command::Analyze {
            file,
            date,
            max_article_bytes,
        } => analyze::analyze(&file, date.as_deref(), max_article_bytes, cli.json),
        Command::Timeline { story, format } => {
            let store = open_existing(&cli.db)?;
            timeline::run(
                &*store,
                current_story(&*store, story)?,
                format.or_json(cli.json),
            )
        }
        Command::Facts { story, format } => {
            let store = open_existing(&cli.db)?;
            facts::run(
                &*store,
                current_story(&*store, story)?,
                format.or_json(cli.json),
            )
        }
        Command::Extract(args) => extract::run(&args, cli.json),
        Command::Brief(args) => brief::run(&cli.db, &args, cli.json),
        Command::Export(args) => {
            let store = open_existing(&cli.db)?;
            let story = match args.story {
                Some(story) => Some(current_story(&*store, story)?),
                None => None,
            };
            export::run(&*store, story, args.format)
        }
        Command::Eval { what } => match what {
            EvalCommand::Timex { dir, errors } => analyze::eval_timex(&dir, errors, cli.json),
            EvalCommand::Clustering {
                file,
                level,
                threads,
                tuning,
                order,
                ingests_of,
            } => eval::clustering(
                &file,
                threads.as_deref(),
                level,
                &tuning,
                &order,
                ingests_of,
                cli.json,
            ),
            EvalCommand::Duplicates { file } => eval::duplicates(&file, cli.json),
            EvalCommand::Extract {
                dir,
                limit,
                with_headline,
                by_site,
                pages,
                against,
            } => extract::eval(
                &dir,
                &extract::EvalExtract {
                    limit,
                    with_headline,
                    by_site,
                    pages,
                    against,
                },
                cli.json,
            ),
            EvalCommand::Quotes { file, fold, errors } => {
                analyze::eval_quotes(&file, fold, errors.as_deref(), cli.json)
            }
            EvalCommand::Facts { gold, dir } => {
                analyze::eval_facts(gold.as_deref(), &dir, cli.json)
            }
            EvalCommand::Ner { file, model } => entities::eval(&file, model.as_deref(), cli.json),
            EvalCommand::Brief {
                file,
                words,
                write_briefs,
                tune,
            } => brief::eval(
                &file,
                words,
                write_briefs.as_deref(),
                tune.as_deref(),
                cli.json,
            ),
        },
        Command::Entities(args) => match (&args.conll, args.story) {
            (Some(file), _) => entities::conll(file, args.model.as_deref()),
            (None, Some(story)) => {
                let store = open_existing(&cli.db)?;
                let story = current_story(&*store, story)?;
                entities::story(&*store, story, args.model.as_deref(), args.why, cli.json)
            }
            (None, None) => entities::all(
                &*open_existing(&cli.db)?,
                args.model.as_deref(),
                args.why,
                cli.json,
            ),
        },
        Command::Changes { story, since } => {
            let store = open_existing(&cli.db)?;
            // An old id says where its story went, as for `show`.
            let story = story.map(|s| current_story(&*store, s)).transpose()?;
            changes::run(&*store, story, since.as_deref(), cli.json)
        }
        Command::Correct(args) => correct::correct(&cli.db, args, cli.json),
        Command::Serve(args) => serve::run(&cli.db, &args),
        Command::Worker(args) => worker::run(&cli.db, &args, cli.json),
        Command::Failed { retry, queue } => {
            worker::failed(&cli.db, retry, queue.as_deref(), cli.json)
        }
        Command::Status { queue } => worker::status(&cli.db, queue.as_deref(), cli.json),
        Command::Corrections { all, action } => match action {
            None => correct::list(&*open_existing(&cli.db)?, all, cli.json),
            Some(crate::cli::CorrectionsCommand::Undo { id, no_wait }) => {
                correct::undo(&cli.db, id, no_wait, cli.json)
            }
        },
        Command::Train { what } => match what {
            TrainCommand::Ner {
                train,
                out,
                gazetteers,
                dev,
                tune,
            } => entities::train(
                &train,
                &out,
                gazetteers.as_deref(),
                dev.as_deref(),
                tune.as_deref(),
            ),
        },
    }
}

/// The story that the id a user gave names now, with a note on stderr
/// when a re-linking merged it into another (`show 12` from an editor's
/// note of last week still finds its story).
fn current_story(store: &dyn Store, story: u64) -> anyhow::Result<u64> {
    let now = newsdesk_desk::story::current_story(store, story)?;
    if now != story {
        crate::output::warn(&format!(
            "story {story} was merged into story {now} by a later re-linking or a correction; showing story {now}"
        ));
    }
    Ok(now)
}

/// The PostgreSQL URL `--db` names, if it names one (`postgres://…` or
/// `postgresql://…`) rather than a SQLite file.
pub(super) fn postgres_url(path: &std::path::Path) -> Option<&str> {
    path.to_str()
        .filter(|p| p.starts_with("postgres://") || p.starts_with("postgresql://"))
}

/// Opens (creating if needed) the store for writing: a SQLite file, or a
/// PostgreSQL database named by a `postgres://` URL.
fn open_store(path: &std::path::Path) -> anyhow::Result<Box<dyn Store>> {
    if let Some(url) = postgres_url(path) {
        let store = PostgresStore::connect(url).with_context(|| {
            format!(
                "cannot open the PostgreSQL store {}",
                newsdesk_store::redacted_url(url)
            )
        })?;
        return Ok(Box::new(store));
    }
    let store = SqliteStore::open(path)
        .with_context(|| format!("cannot open the store {}", path.display()))?;
    Ok(Box::new(store))
}

/// Opens a store that must already exist, for reading only: reading
/// commands should not leave an empty database behind a mistyped `--db`,
/// nor change some other SQLite file it names. (A PostgreSQL store is
/// opened as for writing: its schema is made if missing.)
fn open_existing(path: &std::path::Path) -> anyhow::Result<Box<dyn Store>> {
    if postgres_url(path).is_some() {
        return open_store(path);
    }
    if !path.exists() {
        anyhow::bail!(
            "no store at {}: ingest articles first (newsdesk ingest PATH) or point --db / NEWSDESK_DB at a store",
            path.display()
        );
    }
    let store = SqliteStore::open_read_only(path)
        .with_context(|| format!("cannot open the store {}", path.display()))?;
    Ok(Box::new(store))
}

/// How a message names the store `--db` gives: the file, or the URL
/// without its password.
pub(super) fn store_name(path: &std::path::Path) -> String {
    match postgres_url(path) {
        Some(url) => newsdesk_store::redacted_url(url),
        None => path.display().to_string(),
    }
}
