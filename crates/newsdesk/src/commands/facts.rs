//! `newsdesk facts`: a story's figures and quotes side by side.

use std::process::ExitCode;

use newsdesk_brief::markdown::escape;
use newsdesk_desk::sources::marks;
use newsdesk_facts::quotes::QuoteKind;
use newsdesk_facts::table::{Citation, Facts, Status};
use newsdesk_store::Store;

use crate::cli::BriefFormat;
use crate::output;

fn status(s: Status) -> &'static str {
    match s {
        Status::Corroborated => "corroborated",
        Status::SingleSource => "single source",
        Status::Changed => "changed over time",
        Status::Disputed => "disputed",
        Status::Consistent => "consistent",
    }
}

/// A group's status with what decided it ("disputed (same date)").
fn with_basis(g: &newsdesk_facts::table::FigureGroup) -> String {
    match g.basis {
        Some(basis) => format!("{} ({basis})", status(g.status)),
        None => status(g.status).to_string(),
    }
}

fn kind(k: QuoteKind) -> &'static str {
    match k {
        QuoteKind::Direct => "quote",
        QuoteKind::Paraphrase => "paraphrase",
    }
}

/// The citation marks of some citations, by their sources' numbers.
fn cited(citations: &[Citation], markdown: bool) -> String {
    marks(citations.iter().map(|c| c.n), markdown)
}

/// Prints the fact table: figures by group, quotes by speaker, then
/// contradictions; each value, quote and statement followed by the marks
/// of its sources (`[n]`, as the story's source legend numbers them).
pub fn print(facts: &Facts) -> anyhow::Result<()> {
    let mut table = output::table(&["what", "whose", "status", "values (date: sources)"]);
    for g in &facts.figures {
        let values: Vec<String> = g
            .values
            .iter()
            .map(|v| {
                let source = if v.sources.is_empty() {
                    String::new()
                } else {
                    format!(", per {}", v.sources.join(", "))
                };
                format!(
                    "{} ({}: {}{source})",
                    v.text,
                    v.date.as_deref().unwrap_or("undated"),
                    cited(&v.citations, false)
                )
            })
            .collect();
        table.add_row(vec![
            g.concept.clone(),
            g.actor.clone().unwrap_or_default(),
            with_basis(g),
            values.join("\n"),
        ]);
    }
    output::print_table(&table)?;
    let mut quotes = output::table(&["speaker", "kind", "quote", "cited"]);
    for q in &facts.quotes {
        quotes.add_row(vec![
            q.speaker.clone().unwrap_or_else(|| "(unknown)".to_string()),
            kind(q.kind).to_string(),
            output::truncate(&q.text, 80),
            cited(&q.citations, false),
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
                        marks([s.citation.n], false),
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

/// The facts as CommonMark sections (figures, quotes, contradictions),
/// every value, quote and statement followed by its sources' marks
/// `[n]`, which the source legend's definitions make links.
pub fn markdown(facts: &Facts) -> String {
    let mut out = String::from("## Figures\n\n");
    if facts.figures.is_empty() {
        out.push_str("No figures.\n\n");
    }
    for g in &facts.figures {
        let values: Vec<String> = g
            .values
            .iter()
            .map(|v| {
                let per = if v.sources.is_empty() {
                    String::new()
                } else {
                    format!(", per {}", escape(&v.sources.join(", ")))
                };
                format!(
                    "{} ({}{per}) {}",
                    escape(&v.text),
                    v.date.as_deref().unwrap_or("undated"),
                    cited(&v.citations, true)
                )
            })
            .collect();
        let whose = g
            .actor
            .as_deref()
            .map(|a| format!(" ({})", escape(a)))
            .unwrap_or_default();
        out.push_str(&format!(
            "- {}{whose}, {}: {}\n",
            escape(&g.concept),
            with_basis(g),
            values.join("; ")
        ));
    }
    out.push_str("\n## Quotes\n\n");
    if facts.quotes.is_empty() {
        out.push_str("No quotes.\n\n");
    }
    for q in &facts.quotes {
        out.push_str(&format!(
            "- {} ({}): “{}” {}\n",
            escape(q.speaker.as_deref().unwrap_or("(unknown)")),
            kind(q.kind),
            escape(&q.text),
            cited(&q.citations, true)
        ));
    }
    if !facts.contradictions.is_empty() {
        out.push_str("\n## Contradictions\n\n");
    }
    for c in &facts.contradictions {
        let positions: Vec<String> = c
            .positions
            .iter()
            .map(|p| {
                let said: Vec<String> = p
                    .statements
                    .iter()
                    .map(|s| format!("“{}” {}", escape(&s.text), marks([s.citation.n], true)))
                    .collect();
                format!("{}: {}", escape(&p.claim), said.join(", "))
            })
            .collect();
        out.push_str(&format!(
            "- {}, {}, {}: {}\n",
            escape(&c.about),
            escape(&c.place),
            c.date.as_deref().unwrap_or("undated"),
            positions.join("; ")
        ));
    }
    out.push('\n');
    out
}

/// Runs `newsdesk facts STORY`.
pub fn run(store: &dyn Store, story: u64, format: BriefFormat) -> anyhow::Result<ExitCode> {
    let facts = newsdesk_desk::story::story_facts(store, story)?;
    match format {
        BriefFormat::Json => output::json(&facts)?,
        BriefFormat::Markdown => output::line(&format!(
            "{}{}",
            markdown(&facts.facts),
            facts.sources.markdown().trim_end()
        ))?,
        BriefFormat::Text => {
            print(&facts.facts)?;
            output::line("Sources:")?;
            super::brief::print_sources(&facts.sources)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
