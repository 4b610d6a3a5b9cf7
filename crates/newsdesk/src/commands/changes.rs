//! `newsdesk changes [STORY] [--since TIME]`: what changed in the stories.

use std::process::ExitCode;

use newsdesk_desk::changes::{changes, Since, StoryChanges};
use newsdesk_desk::sources::marks;
use newsdesk_facts::table::Status;
use newsdesk_store::Store;

use crate::output;

/// Runs `newsdesk changes`.
pub fn run(
    store: &dyn Store,
    story: Option<u64>,
    since: Option<&str>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let since: Option<Since> = since.map(str::parse).transpose()?;
    let all = changes(store, since.as_ref(), story)?;
    if json {
        output::json(&all)?;
        return Ok(ExitCode::SUCCESS);
    }
    if all.is_empty() {
        let when = since
            .as_ref()
            .map(|s| format!(" since {}", s.as_str()))
            .unwrap_or_default();
        output::line(&format!("nothing changed{when}"))?;
    }
    for (i, c) in all.iter().enumerate() {
        if i > 0 {
            output::line("")?;
        }
        print(c, since.is_some())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print(c: &StoryChanges, since: bool) -> anyhow::Result<()> {
    output::line(&format!(
        "Story {}: {}",
        c.story,
        c.title.as_deref().unwrap_or("(untitled)")
    ))?;
    if since {
        let outlets = if c.new_outlets.is_empty() {
            String::new()
        } else {
            format!("; new outlets: {}", c.new_outlets.join(", "))
        };
        output::line(&format!(
            "  {} new article(s){outlets}",
            c.new_articles.len()
        ))?;
    }
    for g in &c.figures {
        let how = match g.status {
            Status::Disputed => "disputed",
            _ => "changed",
        };
        let values: Vec<String> = g
            .values
            .iter()
            .map(|v| {
                format!(
                    "{} ({}) {}",
                    v.text,
                    v.date.as_deref().unwrap_or("undated"),
                    marks(v.citations.iter().map(|c| c.n), false)
                )
            })
            .collect();
        let whose = g
            .actor
            .as_deref()
            .map(|a| format!(" ({a})"))
            .unwrap_or_default();
        let arrow = if g.status == Status::Disputed {
            " vs "
        } else {
            " → "
        };
        output::line(&format!(
            "  {how}: {}{whose}: {}",
            g.concept,
            values.join(arrow)
        ))?;
    }
    for q in &c.quotes {
        output::line(&format!(
            "  new quote: {}: “{}” {}",
            q.speaker.as_deref().unwrap_or("(unknown)"),
            output::truncate(&q.text, 80),
            marks(q.citations.iter().map(|c| c.n), false)
        ))?;
    }
    for e in &c.timeline {
        output::line(&format!(
            "  new on the timeline: {}: {} {}",
            e.date,
            output::truncate(&e.text, 80),
            marks(e.citations.iter().map(|c| c.n), false)
        ))?;
    }
    for m in &c.merged {
        output::line(&format!("  story {m} was merged into it"))?;
    }
    for r in &c.corrections {
        let undone = if r.undone_at.is_some() {
            " (undone)"
        } else {
            ""
        };
        output::line(&format!(
            "  correction {}: {}{undone}, by {}",
            r.id,
            r.correction.describe(),
            r.by
        ))?;
    }
    if !c.figures.is_empty() || !c.quotes.is_empty() || !c.timeline.is_empty() {
        output::line("  Sources:")?;
        for line in c.sources.text_lines() {
            output::line(&format!("    {line}"))?;
        }
    }
    Ok(())
}
