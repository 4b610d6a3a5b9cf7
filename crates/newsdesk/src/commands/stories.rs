//! `newsdesk stories` and `newsdesk show`.

use std::process::ExitCode;

use anyhow::Context;
use newsdesk_model::{Date, StorySummary};
use newsdesk_store::{IndexEntry, Store};
use newsdesk_story::{summarize, Member};
use newsdesk_text::terms::top_terms;
use serde::Serialize;

use crate::output;

fn members(index: &[IndexEntry]) -> Vec<Member<'_>> {
    index
        .iter()
        .map(|e| Member {
            id: &e.id,
            title: e.title.as_deref(),
            source: e.source.as_deref(),
            date: e.date,
            event: e.event,
            story: e.story,
            reprint: e.duplicate_of.is_some(),
        })
        .collect()
}

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
    let index = store.index()?;
    let mut stories = summarize(&members(&index));
    stories.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then(a.id.cmp(&b.id))
    });
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

#[derive(Serialize)]
struct ShownArticle<'a> {
    id: &'a str,
    title: Option<&'a str>,
    source: Option<&'a str>,
    date: Option<Date>,
    lang: Option<&'a str>,
    /// False for a language whose words newsdesk cannot analyse yet: the
    /// article is clustered by its names and numbers only.
    analysable: bool,
    event: u64,
    sentences: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_of: Option<&'a str>,
}

#[derive(Serialize)]
struct ShownStory<'a> {
    #[serde(flatten)]
    summary: &'a StorySummary,
    top_terms: Vec<String>,
    article_details: Vec<ShownArticle<'a>>,
    timeline: Vec<newsdesk_story::timeline::Entry>,
    brief: newsdesk_brief::Brief,
    /// The story's entities with their spellings (`variants`).
    entities: Vec<newsdesk_entities::Entity>,
    /// Figures and quotes side by side (as `newsdesk facts`).
    facts: newsdesk_facts::table::Facts,
}

/// Shows one story: summary, brief, articles, top terms and timeline.
pub fn show(store: &dyn Store, story: u64, json: bool) -> anyhow::Result<ExitCode> {
    let index = store.index()?;
    let in_story: Vec<IndexEntry> = index.into_iter().filter(|e| e.story == story).collect();
    let Some(summary) = summarize(&members(&in_story)).into_iter().next() else {
        anyhow::bail!("no story {story} in the store; `newsdesk stories` lists them");
    };
    let docs = store.documents(&summary.articles)?;
    let doc_refs: Vec<_> = docs.iter().collect();
    // The brief reads independent reports only: a reprint's canonical
    // article speaks for it.
    let independent: Vec<&newsdesk_model::Document> = doc_refs
        .iter()
        .copied()
        .filter(|d| {
            in_story
                .iter()
                .any(|e| e.id == d.article.id && e.duplicate_of.is_none())
        })
        .collect();
    // Each article's entities are found once: for the story's entities
    // (all reports) and for its facts (independent ones).
    let analyzer = newsdesk_entities::Analyzer::embedded()
        .context("the embedded entity model cannot be read")?;
    let per_article: Vec<Vec<newsdesk_entities::ArticleEntity>> =
        doc_refs.iter().map(|d| analyzer.article(d)).collect();
    let independent_entities = doc_refs
        .iter()
        .zip(&per_article)
        .filter(|(d, _)| independent.iter().any(|i| i.article.id == d.article.id))
        .map(|(_, e)| e.clone())
        .collect();
    let dated: Vec<newsdesk_time::DatedDocument> = docs
        .iter()
        .cloned()
        .map(newsdesk_time::DatedDocument::new)
        .collect();
    let dated_refs: Vec<&newsdesk_time::DatedDocument> = dated.iter().collect();
    let independent_dated: Vec<&newsdesk_time::DatedDocument> = dated
        .iter()
        .filter(|d| {
            independent
                .iter()
                .any(|i| i.article.id == d.document().article.id)
        })
        .collect();
    let ids: Vec<newsdesk_model::ArticleId> =
        doc_refs.iter().map(|d| d.article.id.clone()).collect();
    let entities = newsdesk_entities::merge::merge(&ids, per_article);
    let shown = ShownStory {
        facts: super::facts::of_analysed(&independent, independent_entities),
        summary: &summary,
        brief: newsdesk_brief::brief(
            &newsdesk_brief::from_documents(&independent_dated),
            &newsdesk_brief::Config::default(),
        ),
        top_terms: top_terms(&doc_refs, 12),
        timeline: newsdesk_story::timeline::timeline(&dated_refs),
        entities,
        article_details: in_story
            .iter()
            .map(|e| ShownArticle {
                id: e.id.as_str(),
                title: e.title.as_deref(),
                source: e.source.as_deref(),
                date: e.date,
                lang: e.lang.as_deref(),
                analysable: newsdesk_model::is_analysable_language(e.lang.as_deref()),
                event: e.event,
                sentences: e.sentences,
                duplicate_of: e.duplicate_of.as_ref().map(|d| d.as_str()),
            })
            .collect(),
    };
    if json {
        output::json(&shown)?;
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
    for a in &shown.article_details {
        table.add_row(vec![
            a.event.to_string(),
            date(a.date),
            a.source.unwrap_or("-").to_string(),
            match (a.lang, a.analysable) {
                (Some(lang), false) => format!("{lang} (names only)"),
                (lang, _) => lang.unwrap_or("-").to_string(),
            },
            a.sentences.to_string(),
            output::truncate(a.title.unwrap_or("(untitled)"), 60),
            a.id.to_string(),
            a.duplicate_of.unwrap_or("").to_string(),
        ]);
    }
    output::print_table(&table)?;
    output::line("Timeline:")?;
    super::timeline::print(&shown.timeline)?;
    output::line("Figures and quotes:")?;
    super::facts::print(&shown.facts)?;
    Ok(ExitCode::SUCCESS)
}
