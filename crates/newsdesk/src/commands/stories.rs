//! `newsdesk stories` and `newsdesk show`.

use std::process::ExitCode;

use newsdesk_brief::markdown::escape;
use newsdesk_desk::sources::marks;
use newsdesk_desk::story::StoryReport;
use newsdesk_model::{Date, StorySummary};
use newsdesk_store::Store;

use crate::cli::BriefFormat;
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

/// The line under a story's headline: articles, reports, reprints,
/// outlets, events and dates.
fn summary_line(summary: &StorySummary) -> String {
    format!(
        "{} article(s) = {} independent report(s) + {} reprint(s), from {} outlet(s) in {} event(s), {} to {}",
        summary.articles.len(),
        summary.articles.len() - summary.reprints,
        summary.reprints,
        summary.outlets,
        summary.events.len(),
        date(summary.first_date),
        date(summary.last_date)
    )
}

/// A story report with why its articles are together (`show --why
/// --json`): the report's fields and a `why` field.
#[derive(serde::Serialize)]
struct ReportWithWhy<'a> {
    #[serde(flatten)]
    report: &'a StoryReport,
    why: &'a newsdesk_desk::why::StoryWhy,
}

/// Shows one story: summary, brief, its numbered sources, articles, top
/// terms, timeline and facts, every citation a source's number; with
/// `why`, then why its articles are together.
pub fn show(
    store: &dyn Store,
    story: u64,
    format: BriefFormat,
    why: bool,
) -> anyhow::Result<ExitCode> {
    let shown = StoryReport::build(store, story)?;
    let summary = &shown.summary;
    let why = why
        .then(|| newsdesk_desk::why::story_why(store, story))
        .transpose()?;
    match format {
        BriefFormat::Json => {
            match &why {
                Some(why) => output::json(&ReportWithWhy {
                    report: &shown,
                    why,
                })?,
                None => output::json(&shown)?,
            }
            return Ok(ExitCode::SUCCESS);
        }
        BriefFormat::Markdown => {
            output::line(markdown(&shown).trim_end())?;
            if let Some(why) = &why {
                output::line("")?;
                output::line("## Why together")?;
                output::line("")?;
                output::line("```text")?;
                super::why::print(why)?;
                output::line("```")?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        BriefFormat::Text => {}
    }
    output::line(&format!("Story {}: {}", summary.id, summary.title))?;
    output::line(&summary_line(summary))?;
    output::line(&format!("Top terms: {}", shown.top_terms.join(", ")))?;
    output::line("")?;
    output::line(&format!("Brief: {}", shown.brief.text))?;
    for r in &shown.revisions {
        output::line(&r.sentence(false))?;
    }
    output::line("")?;
    output::line("Sources:")?;
    super::brief::print_sources(&shown.sources)?;
    output::line("")?;
    let mut table = output::table(&[
        "source",
        "event",
        "date",
        "outlet",
        "lang",
        "sentences",
        "title",
        "id",
        "reprint of",
    ]);
    for a in &shown.articles {
        table.add_row(vec![
            marks([shown.sources.number_of(a.id.as_str())], false),
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

/// A story as one CommonMark document: headline, summary, brief,
/// articles, timeline, facts, then the source legend whose definitions
/// make every `[n]` a link.
fn markdown(shown: &StoryReport) -> String {
    let summary = &shown.summary;
    let mut out = format!(
        "# Story {}: {}\n\n{}\n\nTop terms: {}\n\n## Brief\n\n",
        summary.id,
        escape(&summary.title),
        escape(&summary_line(summary)),
        escape(&shown.top_terms.join(", "))
    );
    if shown.brief.sentences.is_empty() {
        out.push_str("Nothing to brief: no sentence can stand alone.\n\n");
    } else {
        out.push_str(&shown.brief.markdown_paragraph());
        out.push_str("\n\n");
    }
    for r in &shown.revisions {
        out.push_str(&r.sentence(true));
        out.push_str("\n\n");
    }
    out.push_str("## Articles\n\n");
    for a in &shown.articles {
        let reprint = a
            .duplicate_of
            .as_ref()
            .map(|o| format!(", reprint of `{o}`"))
            .unwrap_or_default();
        out.push_str(&format!(
            "- {} {} (event {}, {}, article `{}`{reprint})\n",
            marks([shown.sources.number_of(a.id.as_str())], true),
            escape(a.title.as_deref().unwrap_or("(untitled)")),
            a.event,
            date(a.date),
            a.id
        ));
    }
    out.push('\n');
    out.push_str(&super::timeline::markdown(&shown.timeline));
    out.push_str(&super::facts::markdown(&shown.facts));
    out.push_str(&shown.sources.markdown());
    out
}
