//! `newsdesk facts`: a story's figures and quotes side by side.

use std::collections::HashMap;
use std::process::ExitCode;

use anyhow::Context;
use newsdesk_entities::entity::ArticleEntity;
use newsdesk_entities::merge::merge;
use newsdesk_entities::places::Places;
use newsdesk_entities::Analyzer;
use newsdesk_facts::quotes::QuoteKind;
use newsdesk_facts::speakers::{from_entities, Named};
use newsdesk_facts::table::{article_facts, facts, Facts, Status};
use newsdesk_model::{ArticleId, Document};
use newsdesk_store::Store;

use crate::output;

/// The persons, organisations and places an article names, as the facts
/// stage takes them (quote speakers, where claims are about); cities told
/// apart by the embedded gazetteer when it reads.
pub fn names(entities: &[ArticleEntity]) -> Vec<Named<'_>> {
    from_entities(entities, Places::embedded().ok())
}

/// The facts of documents (independent reports of one story).
pub fn of_documents(docs: &[&Document]) -> anyhow::Result<Facts> {
    let analyzer = Analyzer::embedded().context("the embedded entity model cannot be read")?;
    let per_article = docs.iter().map(|d| analyzer.article(d)).collect();
    Ok(of_analysed(docs, per_article))
}

/// The facts of documents whose entities are found already
/// (`per_article[i]` of `docs[i]`). Speakers and places go by their
/// story-wide names ("Zabiullah Mujahid" in one article and "Zabihullah
/// Mujahid" in another are one speaker).
pub fn of_analysed(docs: &[&Document], mut per_article: Vec<Vec<ArticleEntity>>) -> Facts {
    let ids: Vec<ArticleId> = docs.iter().map(|d| d.article.id.clone()).collect();
    let mut story_name: HashMap<(ArticleId, usize), String> = HashMap::new();
    for e in merge(&ids, per_article.clone()) {
        for m in &e.mentions {
            story_name.insert((m.article.clone(), m.start), e.name.clone());
        }
    }
    for (id, entities) in ids.iter().zip(per_article.iter_mut()) {
        for e in entities {
            if let Some(name) = e
                .mentions
                .first()
                .and_then(|m| story_name.get(&(id.clone(), m.start)))
            {
                e.name.clone_from(name);
            }
        }
    }
    let articles: Vec<_> = docs
        .iter()
        .zip(&per_article)
        .map(|(doc, entities)| {
            let dated = newsdesk_time::DatedDocument::new((*doc).clone());
            article_facts(&dated, &names(entities))
        })
        .collect();
    facts(&articles)
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
    let facts = of_story(store, story)?;
    if json {
        output::json(&facts)?;
    } else {
        print(&facts)?;
    }
    Ok(ExitCode::SUCCESS)
}
