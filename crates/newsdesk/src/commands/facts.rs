//! `newsdesk facts`: a story's figures and quotes side by side.

use std::process::ExitCode;

use newsdesk_facts::quotes::QuoteKind;
use newsdesk_facts::table::{Facts, Status};
use newsdesk_store::Store;

use crate::output;

fn status(s: Status) -> &'static str {
    match s {
        Status::Corroborated => "corroborated",
        Status::SingleSource => "single source",
        Status::Changed => "changed over time",
        Status::Disputed => "disputed",
    }
}

/// Prints the fact table: figures by group, quotes by speaker, then
/// contradictions.
pub fn print(facts: &Facts) -> anyhow::Result<()> {
    let mut table = output::table(&["what", "whose", "status", "values (date: outlets)"]);
    for g in &facts.figures {
        let values: Vec<String> = g
            .values
            .iter()
            .map(|v| {
                let outlets: Vec<String> = v
                    .citations
                    .iter()
                    .map(|c| c.outlet.clone().unwrap_or_else(|| c.article.clone()))
                    .collect();
                let source = if v.sources.is_empty() {
                    String::new()
                } else {
                    format!(", per {}", v.sources.join(", "))
                };
                format!(
                    "{} ({}: {}{source})",
                    v.text,
                    v.date.as_deref().unwrap_or("undated"),
                    outlets.join(", ")
                )
            })
            .collect();
        table.add_row(vec![
            g.concept.clone(),
            g.actor.clone().unwrap_or_default(),
            status(g.status).to_string(),
            values.join("\n"),
        ]);
    }
    output::print_table(&table)?;
    let mut quotes = output::table(&["speaker", "kind", "quote", "cited"]);
    for q in &facts.quotes {
        let outlets: Vec<String> = q
            .citations
            .iter()
            .map(|c| c.outlet.clone().unwrap_or_else(|| c.article.clone()))
            .collect();
        quotes.add_row(vec![
            q.speaker.clone().unwrap_or_else(|| "(unknown)".to_string()),
            match q.kind {
                QuoteKind::Direct => "quote",
                QuoteKind::Paraphrase => "paraphrase",
            }
            .to_string(),
            output::truncate(&q.text, 80),
            outlets.join(", "),
        ]);
    }
    output::print_table(&quotes)?;
    if facts.contradictions.is_empty() {
        return Ok(());
    }
    let mut contradictions = output::table(&["about", "where", "date", "claim", "said by"]);
    for c in &facts.contradictions {
        for p in &c.positions {
            let said: Vec<String> = p
                .statements
                .iter()
                .map(|s| {
                    format!(
                        "{}: {}",
                        s.citation
                            .outlet
                            .clone()
                            .unwrap_or_else(|| s.citation.article.clone()),
                        output::truncate(&s.text, 70)
                    )
                })
                .collect();
            contradictions.add_row(vec![
                c.about.clone(),
                c.place.clone(),
                c.date.clone().unwrap_or_else(|| "undated".to_string()),
                p.claim.clone(),
                said.join("\n"),
            ]);
        }
    }
    output::print_table(&contradictions)
}

/// Runs `newsdesk facts STORY`.
pub fn run(store: &dyn Store, story: u64, json: bool) -> anyhow::Result<ExitCode> {
    let facts = newsdesk_desk::story::story_facts(store, story)?;
    if json {
        output::json(&facts)?;
    } else {
        print(&facts)?;
    }
    Ok(ExitCode::SUCCESS)
}
