//! `newsdesk facts`: a story's figures and quotes side by side.

use std::process::ExitCode;

use anyhow::Context;
use newsdesk_entities::entity::ArticleEntity;
use newsdesk_entities::mention::Kind;
use newsdesk_entities::story::Analyzer;
use newsdesk_extract::timex::tagger;
use newsdesk_facts::quotes::Person;
use newsdesk_facts::table::{article_facts, facts, Facts, Status};
use newsdesk_model::Document;
use newsdesk_store::Store;

use crate::output;

/// The persons an article names, each mention's end with the person's name
/// (for resolving quote speakers).
pub fn people(entities: &[ArticleEntity]) -> Vec<Person<'_>> {
    entities
        .iter()
        .filter(|e| e.kind == Kind::Person)
        .flat_map(|e| {
            e.mentions.iter().map(|m| Person {
                name: e.name.as_str(),
                end: m.end,
            })
        })
        .collect()
}

/// The facts of documents (independent reports of one story).
pub fn of_documents(docs: &[&Document]) -> anyhow::Result<Facts> {
    let analyzer = Analyzer::embedded().context("the embedded entity model cannot be read")?;
    let articles: Vec<_> = docs
        .iter()
        .map(|doc| {
            let times = tagger().tag(&doc.article.text, doc.article.date);
            let dates: Vec<Option<String>> = newsdesk_story::timeline::sentence_dates(doc, &times)
                .into_iter()
                .map(|d| d.map(|d| d.value))
                .collect();
            let spans: Vec<_> = times.iter().map(|t| t.span).collect();
            let entities = analyzer.article(doc);
            article_facts(doc, &dates, &spans, &people(&entities))
        })
        .collect();
    Ok(facts(&articles))
}

/// The facts of stored story `story` (reprints left out: corroboration
/// counts independent reports).
pub fn of_story(store: &dyn Store, story: u64) -> anyhow::Result<Facts> {
    let docs = super::story_documents(store, story, super::Reprints::Exclude)?;
    let refs: Vec<&Document> = docs.iter().collect();
    of_documents(&refs)
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Corroborated => "corroborated",
        Status::SingleSource => "single source",
        Status::Changed => "changed over time",
        Status::Disputed => "disputed",
    }
}

/// Prints the fact table: figures by group, then quotes by speaker.
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
                format!(
                    "{} ({}: {})",
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
    let mut quotes = output::table(&["speaker", "quote", "cited"]);
    for q in &facts.quotes {
        let outlets: Vec<String> = q
            .citations
            .iter()
            .map(|c| c.outlet.clone().unwrap_or_else(|| c.article.clone()))
            .collect();
        quotes.add_row(vec![
            q.speaker.clone().unwrap_or_else(|| "(unknown)".to_string()),
            output::truncate(&q.text, 80),
            outlets.join(", "),
        ]);
    }
    output::print_table(&quotes)
}

/// Runs `newsdesk facts STORY`.
pub fn run(store: &dyn Store, story: u64, json: bool) -> anyhow::Result<ExitCode> {
    let facts = of_story(store, story)?;
    if json {
        output::json(&facts)?;
    } else {
        print(&facts)?;
    }
    Ok(ExitCode::SUCCESS)
}
