//! Stories from the store: their documents, and everything a reader sees
//! of one.
//!
//! A story's entities and timeline read every article of it; its facts and
//! brief read its independent reports only (a reprint's canonical article
//! speaks for it: corroboration counts outlets, not copies). Nothing of
//! this is stored: it is recomputed from the stored documents, so a better
//! stage improves old stories too. Each document is dated once
//! ([`DatedDocument`]) and its entities found once, whatever reads them.

use std::collections::{BTreeSet, HashMap};

use newsdesk_brief::Brief;
use newsdesk_entities::entity::ArticleEntity;
use newsdesk_entities::merge::merge_corrected;
use newsdesk_entities::{Analyzer, Entity};
use newsdesk_facts::table::{article_facts, facts, Facts};
use newsdesk_model::{ArticleId, Date, Document, StoryId, StorySummary};
use newsdesk_store::{IndexEntry, Store};
use newsdesk_story::timeline::{timeline, Entry};
use newsdesk_story::{summarize, Member};
use newsdesk_time::DatedDocument;
use serde::Serialize;

use crate::amend::Amendments;
use crate::analysis::speaker_names;
use crate::sources::{SourceArticle, Sources};
use crate::DeskError;

/// Which of a story's articles to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reprints {
    /// Every article, reprints too.
    Include,
    /// Independent reports only: a reprint's canonical article speaks for
    /// it.
    Exclude,
}

/// How much of an article the per-story stages read, in bytes: its text
/// up to the end of the last line (or sentence) that ends within this
/// many bytes. News reports are far shorter (the longest article of the
/// development collections is 74 KB, a web page; the longest news report
/// 34 KB), and every per-story stage then costs at most a bounded amount
/// per article: a 5 MB article took 15 s to `show`. The stored article is
/// whole; only what the stages read of it is cut.
pub const STORY_ARTICLE_BYTES: usize = 100_000;

/// `doc` cut to [`STORY_ARTICLE_BYTES`]: its text up to the last line or
/// sentence ending within the budget, and the blocks and sentences within
/// that text (spans stay valid, as the text keeps its start).
fn within_budget(mut doc: Document) -> Document {
    let text = &doc.article.text;
    if text.len() <= STORY_ARTICLE_BYTES {
        return doc;
    }
    let cut = doc
        .blocks
        .iter()
        .map(|b| b.span.end)
        .chain(doc.sentences.iter().map(|s| s.span.end))
        .filter(|&end| end <= STORY_ARTICLE_BYTES && text.is_char_boundary(end))
        .max()
        .unwrap_or_else(|| {
            (0..=STORY_ARTICLE_BYTES)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0)
        });
    doc.article.text.truncate(cut);
    doc.blocks.retain(|b| b.span.end <= cut);
    doc.sentences.retain(|s| s.span.end <= cut);
    doc
}

/// The story that id `story` names now: itself while the store holds it,
/// else the story a re-linking merged it into (followed through later
/// merges); [`DeskError::NoSuchStory`] for an id never given.
pub fn current_story(store: &dyn Store, story: StoryId) -> Result<StoryId, DeskError> {
    // A chain of merges is short; the bound only guards against a store
    // edited into a cycle.
    const MOST_MERGES: usize = 1000;
    let held: std::collections::HashSet<StoryId> =
        store.index()?.into_iter().map(|e| e.story).collect();
    let mut at = story;
    for _ in 0..MOST_MERGES {
        if held.contains(&at) {
            return Ok(at);
        }
        match store.story_alias(at)? {
            Some(now) => at = now,
            None => break,
        }
    }
    Err(DeskError::NoSuchStory(story))
}

/// The stored documents of story `story`, in clustering order, each cut
/// to what the per-story stages read ([`STORY_ARTICLE_BYTES`]).
pub fn story_documents(
    store: &dyn Store,
    story: StoryId,
    reprints: Reprints,
) -> Result<Vec<Document>, DeskError> {
    let index = store.index()?;
    documents_of(store, &index, story, reprints)
}

fn documents_of(
    store: &dyn Store,
    index: &[IndexEntry],
    story: StoryId,
    reprints: Reprints,
) -> Result<Vec<Document>, DeskError> {
    let ids: Vec<ArticleId> = index
        .iter()
        .filter(|e| e.story == story)
        .filter(|e| reprints == Reprints::Include || e.duplicate_of.is_none())
        .map(|e| e.id.clone())
        .collect();
    if ids.is_empty() {
        return Err(DeskError::NoSuchStory(story));
    }
    Ok(store
        .documents(&ids)?
        .into_iter()
        .map(within_budget)
        .collect())
}

/// Dates documents (each tagged once).
pub fn dated(docs: Vec<Document>) -> Vec<DatedDocument> {
    docs.into_iter().map(DatedDocument::new).collect()
}

/// The stories of the store, most articles first (then by number).
pub fn list_stories(store: &dyn Store) -> Result<Vec<StorySummary>, DeskError> {
    Ok(stories_of(&store.index()?))
}

/// The stories of a store's index (as [`Store::index`] reads it), most
/// articles first (then by number): [`list_stories`] for a caller that
/// holds the index already.
pub fn stories_of(index: &[IndexEntry]) -> Vec<StorySummary> {
    let mut stories = summarize(&members(index));
    stories.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then(a.id.cmp(&b.id))
    });
    stories
}

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

/// A stored story's documents, every article of it in clustering order,
/// with its numbered sources and which documents are independent reports.
struct StoryDocuments {
    docs: Vec<Document>,
    independent: Vec<bool>,
    sources: Sources,
}

fn story_documents_with_sources(
    store: &dyn Store,
    story: StoryId,
) -> Result<StoryDocuments, DeskError> {
    let index = store.index()?;
    let docs = documents_of(store, &index, story, Reprints::Include)?;
    let reprint_of: HashMap<&ArticleId, &ArticleId> = index
        .iter()
        .filter(|e| e.story == story)
        .filter_map(|e| Some((&e.id, e.duplicate_of.as_ref()?)))
        .collect();
    let sources = Sources::new(
        docs.iter()
            .map(|d| SourceArticle::of(d, reprint_of.get(&d.article.id).map(|&o| o.clone())))
            .collect(),
    );
    let independent = docs
        .iter()
        .map(|d| !reprint_of.contains_key(&d.article.id))
        .collect();
    Ok(StoryDocuments {
        docs,
        independent,
        sources,
    })
}

/// A story's timeline with its numbered sources.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryTimeline {
    /// The story's sources, which the citations number.
    pub sources: Sources,
    /// Its dated developments, each citation numbered (`n`).
    pub entries: Vec<Entry>,
}

/// A story's facts with its numbered sources.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryFacts {
    /// The story's sources, which the citations number.
    pub sources: Sources,
    /// Its figures, quotes and contradictions, each citation numbered
    /// (`n`).
    #[serde(flatten)]
    pub facts: Facts,
}

/// A story's brief with its numbered sources.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryBrief {
    /// The story's sources, which the citations number.
    pub sources: Sources,
    /// The cited brief, its marks the sources' numbers.
    #[serde(flatten)]
    pub brief: Brief,
    /// The figures that later reports revised, one sentence each, said
    /// after the brief.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<Revision>,
}

/// One value of a revised figure: as written, when, and by whom.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisedValue {
    /// As an article wrote it ("three thousand soldiers").
    pub text: String,
    /// The date it refers to.
    pub date: String,
    /// The numbers of the sources that report it.
    pub sources: Vec<usize>,
}

/// A figure that a later report revised: its first dated value and its
/// last, different, one (the facts' "changed over time").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revision {
    /// What is counted.
    pub concept: String,
    /// Whose figure it is, when said.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub actor: Option<String>,
    /// The earlier value.
    pub before: RevisedValue,
    /// The later value.
    pub after: RevisedValue,
}

impl Revision {
    /// The revision in one sentence, each value followed by its sources'
    /// marks (`[n]`; links in Markdown, `markdown`).
    pub fn sentence(&self, markdown: bool) -> String {
        let text = |t: &str| {
            if markdown {
                newsdesk_brief::markdown::escape(t)
            } else {
                t.to_owned()
            }
        };
        let whose = self
            .actor
            .as_deref()
            .map(|a| format!(" ({})", text(a)))
            .unwrap_or_default();
        let marks =
            |v: &RevisedValue| crate::sources::marks(v.sources.iter().map(|&n| Some(n)), markdown);
        format!(
            "Later reports revise the {}{whose}: {} on {} {}, then {} on {} {}.",
            text(&self.concept),
            text(&self.before.text),
            self.before.date,
            marks(&self.before),
            text(&self.after.text),
            self.after.date,
            marks(&self.after)
        )
    }
}

/// The figures of `facts` (cited with their sources' numbers) that
/// changed over time, each from its first dated value to its last
/// different one.
pub fn revisions(facts: &Facts) -> Vec<Revision> {
    use newsdesk_facts::table::{Status, Value};
    let value = |v: &Value| -> Option<RevisedValue> {
        let mut sources: Vec<usize> = v.citations.iter().filter_map(|c| c.n).collect();
        sources.sort_unstable();
        sources.dedup();
        Some(RevisedValue {
            text: v.text.clone(),
            date: v.date.clone()?,
            sources,
        })
    };
    facts
        .figures
        .iter()
        .filter(|g| g.status == Status::Changed)
        .filter_map(|g| {
            let dated: Vec<&Value> = g.values.iter().filter(|v| v.date.is_some()).collect();
            let first = *dated.first()?;
            let last = dated
                .iter()
                .rev()
                .find(|v| v.value != first.value && v.date > first.date)?;
            Some(Revision {
                concept: g.concept.clone(),
                actor: g.actor.clone(),
                before: value(first)?,
                after: value(last)?,
            })
        })
        .collect()
}

/// The timeline of a stored story (every article of it).
pub fn story_timeline(store: &dyn Store, story: StoryId) -> Result<StoryTimeline, DeskError> {
    let StoryDocuments { docs, sources, .. } = story_documents_with_sources(store, story)?;
    let docs = dated(docs);
    let refs: Vec<&DatedDocument> = docs.iter().collect();
    let mut entries = timeline(&refs);
    sources.cite_timeline(&mut entries);
    Ok(StoryTimeline { sources, entries })
}

/// The entities of a stored story (every article of it), found with
/// `analyzer`, the store's corrections of entities honoured.
pub fn story_entities(
    store: &dyn Store,
    story: StoryId,
    analyzer: &Analyzer,
) -> Result<Vec<Entity>, DeskError> {
    let amendments = Amendments::load(store)?;
    let docs = story_documents(store, story, Reprints::Include)?;
    let refs: Vec<&Document> = docs.iter().collect();
    Ok(analyzer.story_corrected(&refs, &amendments.entities))
}

/// The entities of every story of the store, by story number, found with
/// `analyzer` (the store's index and corrections read once).
pub fn all_story_entities(
    store: &dyn Store,
    analyzer: &Analyzer,
) -> Result<Vec<(StoryId, Vec<Entity>)>, DeskError> {
    let amendments = Amendments::load(store)?;
    let index = store.index()?;
    let numbers: BTreeSet<StoryId> = index.iter().map(|e| e.story).collect();
    numbers
        .into_iter()
        .map(|story| {
            let docs = documents_of(store, &index, story, Reprints::Include)?;
            let refs: Vec<&Document> = docs.iter().collect();
            Ok((story, analyzer.story_corrected(&refs, &amendments.entities)))
        })
        .collect()
}

/// The independent reports of a stored story, dated, with the story's
/// sources.
fn independent_dated(
    store: &dyn Store,
    story: StoryId,
) -> Result<(Vec<DatedDocument>, Sources), DeskError> {
    let StoryDocuments {
        docs,
        independent,
        sources,
    } = story_documents_with_sources(store, story)?;
    let docs = docs
        .into_iter()
        .zip(independent)
        .filter(|(_, independent)| *independent)
        .map(|(d, _)| d)
        .collect();
    Ok((dated(docs), sources))
}

/// The facts of a stored story (its independent reports) and its
/// timeline (every article), its documents read and dated once for both.
pub fn story_facts_and_timeline(
    store: &dyn Store,
    story: StoryId,
) -> Result<(StoryFacts, Vec<Entry>), DeskError> {
    let StoryDocuments {
        docs,
        independent,
        sources,
    } = story_documents_with_sources(store, story)?;
    let docs = dated(docs);
    let all: Vec<&DatedDocument> = docs.iter().collect();
    let reports: Vec<&DatedDocument> = all
        .iter()
        .zip(&independent)
        .filter(|(_, &independent)| independent)
        .map(|(&d, _)| d)
        .collect();
    let facts = cited_facts(store, &reports, &sources)?;
    let mut entries = timeline(&all);
    sources.cite_timeline(&mut entries);
    Ok((StoryFacts { sources, facts }, entries))
}

/// The facts of a stored story (its independent reports).
/// The store's corrections of entities and facts are honoured.
pub fn story_facts(store: &dyn Store, story: StoryId) -> Result<StoryFacts, DeskError> {
    let (docs, sources) = independent_dated(store, story)?;
    let refs: Vec<&DatedDocument> = docs.iter().collect();
    let facts = cited_facts(store, &refs, &sources)?;
    Ok(StoryFacts { sources, facts })
}

/// The facts of a story's dated independent reports, its entities found
/// here, the store's corrections honoured, every citation numbered by
/// `sources`.
fn cited_facts(
    store: &dyn Store,
    refs: &[&DatedDocument],
    sources: &Sources,
) -> Result<Facts, DeskError> {
    let amendments = Amendments::load(store)?;
    let analyzer = Analyzer::embedded()?;
    let per_article = refs
        .iter()
        .map(|d| analyzer.article(d.document()))
        .collect();
    let mut facts = facts_of(refs, per_article, &amendments)?;
    sources.cite_facts(&mut facts);
    Ok(facts)
}

/// The cited brief of a stored story (its independent reports), its marks
/// the numbers of the story's sources.
pub fn story_brief(
    store: &dyn Store,
    story: StoryId,
    config: &newsdesk_brief::Config,
) -> Result<StoryBrief, DeskError> {
    let (docs, sources) = independent_dated(store, story)?;
    let refs: Vec<&DatedDocument> = docs.iter().collect();
    let mut brief = newsdesk_brief::brief(&newsdesk_brief::from_documents(&refs), config);
    sources.cite_brief(&mut brief);
    let facts = cited_facts(store, &refs, &sources)?;
    Ok(StoryBrief {
        revisions: revisions(&facts),
        sources,
        brief,
    })
}

/// The facts of dated documents (independent reports of one story) whose
/// entities are found already (`per_article[i]` of `docs[i]`), with the
/// editor's `amendments`. Speakers and places go by their story-wide
/// names, as the corrected entity merge gives them ("Zabiullah Mujahid"
/// in one article and "Zabihullah Mujahid" in another are one speaker; a
/// renamed entity speaks under its new name).
pub fn facts_of(
    docs: &[&DatedDocument],
    mut per_article: Vec<Vec<ArticleEntity>>,
    amendments: &Amendments,
) -> Result<Facts, DeskError> {
    let ids: Vec<ArticleId> = docs
        .iter()
        .map(|d| d.document().article.id.clone())
        .collect();
    let mut story_name: HashMap<(ArticleId, usize), String> = HashMap::new();
    let entities = merge_corrected(&ids, per_article.clone(), &amendments.entities);
    let corrections = amendments.facts_in(&entities);
    for e in entities {
        for m in &e.mentions {
            story_name.insert((m.article.clone(), m.start), e.name.clone());
        }
    }
    for (id, entities) in ids.iter().zip(per_article.iter_mut()) {
        *entities = std::mem::take(entities)
            .into_iter()
            .flat_map(|e| by_story_name(id, e, &story_name))
            .collect();
    }
    let mut articles = Vec::with_capacity(docs.len());
    for (doc, entities) in docs.iter().zip(&per_article) {
        let mut found = article_facts(doc, &speaker_names(entities)?);
        corrections.apply(&mut found);
        articles.push(found);
    }
    Ok(facts(&articles))
}

/// An article entity under the story-wide names of its mentions: one
/// entity per name, in the order first mentioned (an article entity is one
/// story entity unless the editor split a spelling off it).
fn by_story_name(
    id: &ArticleId,
    entity: ArticleEntity,
    story_name: &HashMap<(ArticleId, usize), String>,
) -> Vec<ArticleEntity> {
    let mut parts: Vec<ArticleEntity> = Vec::new();
    for m in &entity.mentions {
        let name = story_name
            .get(&(id.clone(), m.start))
            .unwrap_or(&entity.name);
        match parts.iter_mut().find(|p| p.name == *name) {
            Some(part) => part.mentions.push(m.clone()),
            None => parts.push(ArticleEntity {
                name: name.clone(),
                mentions: vec![m.clone()],
                ..entity.clone()
            }),
        }
    }
    parts
}

/// One article of a story, as a story report lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportArticle {
    /// The article's id.
    pub id: ArticleId,
    /// Its headline.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub title: Option<String>,
    /// Its outlet.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub source: Option<String>,
    /// Its publication date.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, required = true))]
    pub date: Option<Date>,
    /// Its language.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub lang: Option<String>,
    /// False for a language whose words newsdesk cannot analyse yet: the
    /// article is clustered by its names and numbers only.
    pub analysable: bool,
    /// Its event.
    pub event: u64,
    /// Its body sentences.
    pub sentences: usize,
    /// The article it reprints, if it is a reprint.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub duplicate_of: Option<ArticleId>,
}

/// Everything a reader sees of one story.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryReport {
    /// Headline, articles, events, outlets and dates.
    #[serde(flatten)]
    pub summary: StorySummary,
    /// Its numbered sources, which every citation of the report numbers.
    pub sources: Sources,
    /// Its most characteristic word stems.
    pub top_terms: Vec<String>,
    /// Its articles, in clustering order.
    #[serde(rename = "article_details")]
    pub articles: Vec<ReportArticle>,
    /// Its dated developments (from every article).
    pub timeline: Vec<Entry>,
    /// Its cited brief (from its independent reports).
    pub brief: Brief,
    /// The figures later reports revised, one sentence each (see
    /// [`revisions`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<Revision>,
    /// Its entities with their spellings (`variants`), from every article.
    pub entities: Vec<Entity>,
    /// Figures and quotes side by side, from its independent reports.
    pub facts: Facts,
}

/// How many top terms a report lists.
const TOP_TERMS: usize = 12;

impl StoryReport {
    /// The report of stored story `story`: each document is read once,
    /// dated once and its entities found once.
    pub fn build(store: &dyn Store, story: StoryId) -> Result<StoryReport, DeskError> {
        Self::build_from(store, &store.index()?, story)
    }

    /// [`StoryReport::build`] with the store's index read already (a
    /// caller reporting many stories reads it once).
    pub fn build_from(
        store: &dyn Store,
        index: &[IndexEntry],
        story: StoryId,
    ) -> Result<StoryReport, DeskError> {
        let amendments = Amendments::load(store)?;
        let in_story: Vec<&IndexEntry> = index.iter().filter(|e| e.story == story).collect();
        let members: Vec<Member<'_>> = members(index)
            .into_iter()
            .filter(|m| m.story == story)
            .collect();
        let Some(summary) = summarize(&members).into_iter().next() else {
            return Err(DeskError::NoSuchStory(story));
        };
        let docs = dated(
            store
                .documents(&summary.articles)?
                .into_iter()
                .map(within_budget)
                .collect(),
        );
        let independent_ids: BTreeSet<&ArticleId> = in_story
            .iter()
            .filter(|e| e.duplicate_of.is_none())
            .map(|e| &e.id)
            .collect();
        let is_independent = |d: &DatedDocument| independent_ids.contains(&d.document().article.id);
        let all: Vec<&DatedDocument> = docs.iter().collect();
        let independent: Vec<&DatedDocument> = docs.iter().filter(|d| is_independent(d)).collect();
        let analyzer = Analyzer::embedded()?;
        let per_article: Vec<Vec<ArticleEntity>> =
            all.iter().map(|d| analyzer.article(d.document())).collect();
        let independent_entities: Vec<Vec<ArticleEntity>> = all
            .iter()
            .zip(&per_article)
            .filter(|(d, _)| is_independent(d))
            .map(|(_, e)| e.clone())
            .collect();
        let ids: Vec<ArticleId> = all
            .iter()
            .map(|d| d.document().article.id.clone())
            .collect();
        let plain: Vec<&Document> = all.iter().map(|d| d.document()).collect();
        let reprint_of: HashMap<&ArticleId, &ArticleId> = in_story
            .iter()
            .filter_map(|e| Some((&e.id, e.duplicate_of.as_ref()?)))
            .collect();
        let sources = Sources::new(
            plain
                .iter()
                .map(|d| SourceArticle::of(d, reprint_of.get(&d.article.id).map(|&o| o.clone())))
                .collect(),
        );
        let mut facts = facts_of(&independent, independent_entities, &amendments)?;
        sources.cite_facts(&mut facts);
        let mut brief = newsdesk_brief::brief(
            &newsdesk_brief::from_documents(&independent),
            &newsdesk_brief::Config::default(),
        );
        sources.cite_brief(&mut brief);
        let mut entries = timeline(&all);
        sources.cite_timeline(&mut entries);
        Ok(StoryReport {
            revisions: revisions(&facts),
            sources,
            facts,
            brief,
            top_terms: newsdesk_text::terms::top_terms(&plain, TOP_TERMS),
            timeline: entries,
            entities: merge_corrected(&ids, per_article, &amendments.entities),
            articles: in_story
                .iter()
                .map(|e| ReportArticle {
                    id: e.id.clone(),
                    title: e.title.clone(),
                    source: e.source.clone(),
                    date: e.date,
                    lang: e.lang.clone(),
                    analysable: newsdesk_model::is_analysable_language(e.lang.as_deref()),
                    event: e.event,
                    sentences: e.sentences,
                    duplicate_of: e.duplicate_of.clone(),
                })
                .collect(),
            summary,
        })
    }
}

/// The articles of some inputs as the independent reports of one story,
/// for a brief of a file (`brief --input`): read and analysed as `ingest`
/// does, reprints folded by the near-duplicate detector, each dated once;
/// with the diagnostics of reading.
pub fn independent_reports(
    paths: &[std::path::PathBuf],
) -> (Vec<DatedDocument>, Vec<newsdesk_model::Diagnostic>) {
    let options = newsdesk_ingest::ReadOptions::default();
    let mut clusterer =
        newsdesk_cluster::Clusterer::new(newsdesk_cluster::ClusterConfig::default());
    let mut docs = Vec::new();
    let diagnostics = crate::order::read_all(paths, &options, &mut |_, _| {}, &mut |article| {
        let doc = crate::analysis::analyze(article);
        if clusterer.assign(&doc).duplicate_of.is_none() {
            docs.push(doc);
        }
    });
    (dated(docs), diagnostics)
}

/// The brief's sources from documents of one story (reprints already left
/// out), each dated once.
pub fn brief_sources(docs: Vec<Document>) -> Vec<newsdesk_brief::Source> {
    let docs = dated(docs);
    let refs: Vec<&DatedDocument> = docs.iter().collect();
    newsdesk_brief::from_documents(&refs)
}

#[cfg(test)]
mod tests {
    use newsdesk_model::Article;

    use super::*;

    // Reliability review D7: a 5 MB article took 15 s to `show` and 11 s for `facts`.
    #[test]
    fn reliability_d7_stages_read_a_bounded_part_of_a_long_article() {
        let line = "The mayor said on Tuesday that the old bridge would reopen in March. \
                    Residents asked the council for a new ferry.\n";
        let doc = newsdesk_text::analyze(Article::new(line.repeat(3000)));
        let sentences = doc.sentences.len();
        let cut = within_budget(doc);
        let text = &cut.article.text;
        assert!(text.len() <= STORY_ARTICLE_BYTES && text.len() > STORY_ARTICLE_BYTES / 2);
        assert!(text.ends_with("ferry."), "cut at a line's end");
        assert!(cut.sentences.len() < sentences);
        assert!(cut.sentences.iter().all(|s| s.span.slice(text).is_some()));
        assert!(cut.blocks.iter().all(|b| b.span.slice(text).is_some()));
        // A short article is read whole.
        let short = newsdesk_text::analyze(Article::new(line));
        assert_eq!(
            within_budget(short.clone()).article.text,
            short.article.text
        );
    }
}
