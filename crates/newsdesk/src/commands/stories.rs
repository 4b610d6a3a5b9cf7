//! `newsdesk stories` and `newsdesk show`.

use std::process::ExitCode;

use newsdesk_desk::story::StoryReport;
use newsdesk_model::{Date, StorySummary};
use newsdesk_store::Store;

use crate::output;

/// "5" or, with reprints, "5 (4 + 1 reprint)": corroboration counts
/// independent reports.
fn articles_cell(s: &StorySummary) -> String {
    match s.reprints {
        0 => s.articles.len().to_string(),
        1 => format!(
            "{} ({} + 1 reprint)",
            s.articles.len(),
            s.articles.len() - 1
        ),
        n => format!(
            "{} ({} + {n} reprints)",
            s.articles.len(),
            s.articles.len() - n
        ),
    }
}

fn date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "-".to_string())
}

/// Lists every story, most articles first (then by number).
pub fn list(store: &dyn Store, json: bool) -> anyhow::Result<ExitCode> {
    let stories = newsdesk_desk::story::list_stories(store)?;
    if json {
        output::json(&stories)?;
        return Ok(ExitCode::SUCCESS);
    }
    if stories.is_empty() {
        output::line("no stories yet: ingest articles with `newsdesk ingest PATH`")?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = output::table(&["story", "title", "articles", "outlets", "first", "last"]);
    for s in &stories {
        table.add_row(vec![
            s.id.to_string(),
            output::truncate(&s.title, 70),
            articles_cell(s),
            s.outlets.to_string(),
            date(s.first_date),
            date(s.last_date),
        ]);
    }
    output::print_table(&table)?;
    Ok(ExitCode::SUCCESS)
}

/// A story report with why its articles are together (`show --why
/// --json`): the report's fields and a `why` field.
#[derive(serde::Serialize)]
struct ReportWithWhy<'a> {
    #[serde(flatten)]
    report: &'a StoryReport,
    why: &'a newsdesk_desk::why::StoryWhy,
}

/// Shows one story: summary, brief, articles, top terms, timeline and
/// facts; with `why`, then why its articles are together.
pub fn show(store: &dyn Store, story: u64, why: bool, json: bool) -> anyhow::Result<ExitCode> {
    let shown = StoryReport::build(store, story)?;
    let summary = &shown.summary;
    let why = why
        .then(|| newsdesk_desk::why::story_why(store, story))
        .transpose()?;
    if json {
        match &why {
            Some(why) => output::json(&ReportWithWhy {
                report: &shown,
                why,
            })?,
            None => output::json(&shown)?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    output::line(&format!("Story {}: {}", summary.id, summary.title))?;
    output::line(&format!(
        "{} article(s) = {} independent report(s) + {} reprint(s), from {} outlet(s) in {} event(s), {} to {}",
        summary.articles.len(),
        summary.articles.len() - summary.reprints,
        summary.reprints,
        summary.outlets,
        summary.events.len(),
        date(summary.first_date),
        date(summary.last_date)
    ))?;
    output::line(&format!("Top terms: {}", shown.top_terms.join(", ")))?;
    output::line("")?;
    output::line(&format!("Brief: {}", shown.brief.text))?;
    super::brief::print_sources(&shown.brief)?;
    output::line("")?;
    let mut table = output::table(&[
        "event",
        "date",
        "source",
        "lang",
        "sentences",
        "title",
        "id",
    ]);
    for a in &shown.articles {
        table.add_row(vec![
            a.event.to_string(),
            date(a.date),
            a.source.as_deref().unwrap_or("-").to_string(),
            match (a.lang.as_deref(), a.analysable) {
                (Some(lang), false) => format!("{lang} (names only)"),
                (lang, _) => lang.unwrap_or("-").to_string(),
            },
            a.sentences.to_string(),
            output::truncate(a.title.as_deref().unwrap_or("(untitled)"), 60),
            a.id.to_string(),
            a.duplicate_of
                .as_ref()
                .map_or(String::new(), ToString::to_string),
        ]);
    }
    output::print_table(&table)?;
    output::line("Timeline:")?;
    super::timeline::print(&shown.timeline)?;
    output::line("Figures and quotes:")?;
    super::facts::print(&shown.facts)?;
    if let Some(why) = &why {
        output::line("")?;
        output::line("Why together:")?;
        super::why::print(why)?;
    }
    Ok(ExitCode::SUCCESS)
}
