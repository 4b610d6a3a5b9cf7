//! The provenance graph of stories, for export: story → event → article
//! (outlet, date, address, file) → sentence (byte span) → claim (a brief
//! sentence, a figure, a quote, a timeline entry), with the evidence spans
//! that support each claim.
//!
//! [`export`] gives the graph as flat [`Row`]s, one per node or evidence
//! edge, in a fixed order (stories by number; within one: the story, its
//! events, its articles, its claims each followed by its evidence, then
//! the sentences the evidence lies in). Every span is a byte span of the
//! article's text as stored, and a row's `text` is what that span slices
//! (trimmed of surrounding white space, the span with it): a reader can
//! check each claim against the stored article, or the file it was read
//! from. [`Row::CSV_HEADER`] and [`Row::csv_record`] write the same rows as
//! CSV; as JSON, each row leaves out the fields it does not have.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use newsdesk_model::{ArticleId, Date, Document, Span, StoryId};
use newsdesk_store::{IndexEntry, Store};
use serde::Serialize;

use crate::story::StoryReport;
use crate::DeskError;

/// What a row of the graph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A story: its number and headline.
    Story,
    /// An event of a story.
    Event,
    /// An article: its event, source number, outlet, date, address, file.
    Article,
    /// A sentence of an article that evidence lies in: its byte span.
    Sentence,
    /// Something a story output says: its kind, id and words.
    Claim,
    /// A span of an article that supports a claim.
    Evidence,
}

/// What kind of claim a claim row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// A sentence of the brief (its evidence: the sentence it was taken
    /// from, and each supporting source's sentence).
    BriefSentence,
    /// A value of a figure group (its evidence: the number as each article
    /// wrote it).
    Figure,
    /// A quote or paraphrase (its evidence: the quoted words in each
    /// article).
    Quote,
    /// A timeline entry (its evidence: the sentences that report it).
    TimelineEntry,
}

/// One row of the provenance graph; the fields a kind of row does not
/// have are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// What the row is.
    pub record: RowKind,
    /// The story.
    pub story: StoryId,
    /// The event (event and article rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<u64>,
    /// The article (article, sentence and evidence rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<ArticleId>,
    /// The article's source number in the story's legend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<usize>,
    /// The article's outlet (article rows), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The article's publication date (article rows), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// The article's address (article rows), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Where the article was read from (article rows), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The article it reprints (article rows of reprints).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reprint_of: Option<ArticleId>,
    /// The claim's id within the story (`brief:2`, `figure:1.3`,
    /// `quote:4`, `timeline:5`; claim and evidence rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    /// The kind of claim (claim rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<ClaimKind>,
    /// The date a claim refers to (claim rows), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Start of the span in the article's text (sentence and evidence
    /// rows), in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    /// One past its end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    /// The sentence an evidence span lies in: its start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence_start: Option<usize>,
    /// And one past its end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence_end: Option<usize>,
    /// The story's headline, the claim's words, or the words the span
    /// slices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Row {
    fn new(record: RowKind, story: StoryId) -> Row {
        Row {
            record,
            story,
            event: None,
            article: None,
            n: None,
            outlet: None,
            published: None,
            url: None,
            path: None,
            reprint_of: None,
            claim: None,
            kind: None,
            date: None,
            start: None,
            end: None,
            sentence_start: None,
            sentence_end: None,
            text: None,
        }
    }

    /// The columns of the CSV export, in order.
    pub const CSV_HEADER: [&'static str; 18] = [
        "record",
        "story",
        "event",
        "article",
        "n",
        "outlet",
        "published",
        "url",
        "path",
        "reprint_of",
        "claim",
        "kind",
        "date",
        "start",
        "end",
        "sentence_start",
        "sentence_end",
        "text",
    ];

    /// The row as one CSV record (RFC 4180: fields with a comma, a quote
    /// or a line break quoted, quotes doubled), without the line end.
    pub fn csv_record(&self) -> String {
        let num = |v: Option<usize>| v.map(|v| v.to_string()).unwrap_or_default();
        let fields: [String; 18] = [
            self.record.name().to_owned(),
            self.story.to_string(),
            self.event.map(|e| e.to_string()).unwrap_or_default(),
            self.article
                .as_ref()
                .map(|a| a.to_string())
                .unwrap_or_default(),
            num(self.n),
            self.outlet.clone().unwrap_or_default(),
            self.published.map(|d| d.to_string()).unwrap_or_default(),
            self.url.clone().unwrap_or_default(),
            self.path.clone().unwrap_or_default(),
            self.reprint_of
                .as_ref()
                .map(|a| a.to_string())
                .unwrap_or_default(),
            self.claim.clone().unwrap_or_default(),
            self.kind.map(|k| k.name().to_owned()).unwrap_or_default(),
            self.date.clone().unwrap_or_default(),
            num(self.start),
            num(self.end),
            num(self.sentence_start),
            num(self.sentence_end),
            self.text.clone().unwrap_or_default(),
        ];
        fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl RowKind {
    /// Its name, as JSON and CSV write it.
    pub fn name(self) -> &'static str {
        match self {
            RowKind::Story => "story",
            RowKind::Event => "event",
            RowKind::Article => "article",
            RowKind::Sentence => "sentence",
            RowKind::Claim => "claim",
            RowKind::Evidence => "evidence",
        }
    }
}

impl ClaimKind {
    /// Its name, as JSON and CSV write it.
    pub fn name(self) -> &'static str {
        match self {
            ClaimKind::BriefSentence => "brief_sentence",
            ClaimKind::Figure => "figure",
            ClaimKind::Quote => "quote",
            ClaimKind::TimelineEntry => "timeline_entry",
        }
    }
}

/// One CSV field, quoted when it must be.
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// The provenance graph of story `story` (current id), or of every story
/// of the store when `None`, as rows.
pub fn export(store: &dyn Store, story: Option<StoryId>) -> Result<Vec<Row>, DeskError> {
    let index = store.index()?;
    let stories: BTreeSet<StoryId> = match story {
        Some(story) => {
            if !index.iter().any(|e| e.story == story) {
                return Err(DeskError::NoSuchStory(story));
            }
            BTreeSet::from([story])
        }
        None => index.iter().map(|e| e.story).collect(),
    };
    let mut rows = Vec::new();
    for story in stories {
        let report = StoryReport::build_from(store, &index, story)?;
        let in_story: Vec<&IndexEntry> = index.iter().filter(|e| e.story == story).collect();
        // The articles whole, as stored: spans are checked against them.
        let docs = store.documents(&report.summary.articles)?;
        story_rows(&report, &in_story, &docs, &mut rows);
    }
    Ok(rows)
}

/// A span of a claim's evidence: (article, span).
type Evidence = (ArticleId, Span);

/// A claim of a story output, before it is written as rows.
struct Claim {
    id: String,
    kind: ClaimKind,
    text: String,
    date: Option<String>,
    evidence: Vec<Evidence>,
}

fn story_rows(
    report: &StoryReport,
    in_story: &[&IndexEntry],
    docs: &[Document],
    rows: &mut Vec<Row>,
) {
    let story = report.summary.id;
    let sources = &report.sources;
    let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.article.id.as_str(), d)).collect();
    let mut row = Row::new(RowKind::Story, story);
    row.text = Some(report.summary.title.clone());
    rows.push(row);
    for &event in &report.summary.events {
        let mut row = Row::new(RowKind::Event, story);
        row.event = Some(event);
        rows.push(row);
    }
    for e in in_story {
        let doc = by_id.get(e.id.as_str());
        let mut row = Row::new(RowKind::Article, story);
        row.event = Some(e.event);
        row.article = Some(e.id.clone());
        row.n = sources.number_of(e.id.as_str());
        row.outlet.clone_from(&e.source);
        row.published = e.date;
        row.url = doc.and_then(|d| d.article.url.clone());
        row.path = doc.and_then(|d| d.article.origin.clone());
        row.reprint_of.clone_from(&e.duplicate_of);
        rows.push(row);
    }
    let mut claims: Vec<Claim> = Vec::new();
    for (k, s) in report.brief.sentences.iter().enumerate() {
        let evidence = s
            .citations
            .iter()
            .filter_map(|c| Some((ArticleId(c.article.clone()), c.span?)))
            .collect();
        claims.push(Claim {
            id: format!("brief:{}", k + 1),
            kind: ClaimKind::BriefSentence,
            text: s.text.clone(),
            date: s.event_date.clone(),
            evidence,
        });
    }
    for (g, group) in report.facts.figures.iter().enumerate() {
        for (v, value) in group.values.iter().enumerate() {
            let evidence = value
                .citations
                .iter()
                .map(|c| (ArticleId(c.article.clone()), Span::new(c.start, c.end)))
                .collect();
            claims.push(Claim {
                id: format!("figure:{}.{}", g + 1, v + 1),
                kind: ClaimKind::Figure,
                text: value.text.clone(),
                date: value.date.clone(),
                evidence,
            });
        }
    }
    for (q, quote) in report.facts.quotes.iter().enumerate() {
        let evidence = quote
            .citations
            .iter()
            .map(|c| (ArticleId(c.article.clone()), Span::new(c.start, c.end)))
            .collect();
        claims.push(Claim {
            id: format!("quote:{}", q + 1),
            kind: ClaimKind::Quote,
            text: quote.text.clone(),
            date: None,
            evidence,
        });
    }
    for (t, entry) in report.timeline.iter().enumerate() {
        let evidence = entry
            .citations
            .iter()
            .flat_map(|c| c.evidence.iter().map(|s| (c.article.clone(), *s)))
            .collect();
        claims.push(Claim {
            id: format!("timeline:{}", t + 1),
            kind: ClaimKind::TimelineEntry,
            text: entry.text.clone(),
            date: Some(entry.date.clone()),
            evidence,
        });
    }
    // The sentences evidence lies in, each once, listed after the claims.
    let mut sentences: BTreeMap<(usize, Span), (ArticleId, String)> = BTreeMap::new();
    let order: HashMap<&str, usize> = in_story
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    for Claim {
        id,
        kind,
        text,
        date,
        evidence,
    } in claims
    {
        let mut row = Row::new(RowKind::Claim, story);
        row.claim = Some(id.clone());
        row.kind = Some(kind);
        row.text = Some(text);
        row.date = date;
        rows.push(row);
        for (article, span) in evidence {
            let Some(doc) = by_id.get(article.as_str()) else {
                continue;
            };
            let Some((span, words)) = trimmed(&doc.article.text, span) else {
                continue;
            };
            let sentence = sentence_of(doc, span);
            let mut row = Row::new(RowKind::Evidence, story);
            row.claim = Some(id.clone());
            row.article = Some(article.clone());
            row.n = sources.number_of(article.as_str());
            row.start = Some(span.start);
            row.end = Some(span.end);
            row.text = Some(words.to_owned());
            if let Some(sentence) = sentence {
                row.sentence_start = Some(sentence.start);
                row.sentence_end = Some(sentence.end);
                if let Some((_, words)) = trimmed(&doc.article.text, sentence) {
                    let at = order.get(article.as_str()).copied().unwrap_or(usize::MAX);
                    sentences
                        .entry((at, sentence))
                        .or_insert_with(|| (article.clone(), words.to_owned()));
                }
            }
            rows.push(row);
        }
    }
    for ((_, span), (article, words)) in sentences {
        let mut row = Row::new(RowKind::Sentence, story);
        row.n = sources.number_of(article.as_str());
        row.article = Some(article);
        row.start = Some(span.start);
        row.end = Some(span.end);
        row.text = Some(words);
        rows.push(row);
    }
}

/// `span` of `text` without the white space around its words, and the
/// words; `None` for a span that is not a piece of the text.
fn trimmed(text: &str, span: Span) -> Option<(Span, &str)> {
    let words = span.slice(text)?;
    let start = span.start + (words.len() - words.trim_start().len());
    let end = span.end - (words.len() - words.trim_end().len());
    if start >= end {
        return None;
    }
    let span = Span::new(start, end);
    Some((span, span.slice(text)?))
}

/// The sentence of `doc` that holds `span` (trimmed of white space); the
/// span itself when no sentence does (a figure in a heading).
fn sentence_of(doc: &Document, span: Span) -> Option<Span> {
    doc.sentences
        .iter()
        .map(|s| s.span)
        .find(|s| s.start <= span.start && span.end <= s.end)
        .or(Some(span))
        .and_then(|s| trimmed(&doc.article.text, s).map(|(s, _)| s))
}
