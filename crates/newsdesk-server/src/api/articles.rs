//! Articles: one article with its analysis, full-text search, and ingest.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use newsdesk_desk::analysis::ArticleAnalysis;
use newsdesk_desk::ingest::IngestReport;
use newsdesk_entities::entity::ArticleEntity;
use newsdesk_facts::figures::Figure;
use newsdesk_facts::quotes::Quote;
use newsdesk_ingest::{read_bytes, Defaults, InputFormat, ReadOptions};
use newsdesk_model::{ArticleId, BlockKind, Date, Severity, Span};
use newsdesk_store::SearchHit;
use serde::{Deserialize, Serialize};

use crate::api::given;
use crate::jobs::{Job, JobState};
use crate::problem::{log_error, Problem};
use crate::state::AppState;

/// One block of an article as the text stage split it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ArticleBlock {
    /// Body, heading or debris (dropped from the analysis).
    pub kind: BlockKind,
    /// Its text.
    pub text: String,
    /// Where it is in the article's text (bytes).
    pub span: Span,
    /// Why it was dropped, for debris.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// One stored article with what newsdesk found in it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ArticleView {
    /// Its id.
    #[schema(value_type = String)]
    pub id: ArticleId,
    /// Its headline.
    pub title: Option<String>,
    /// Its publication date (YYYY-MM-DD).
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<Date>,
    /// Its outlet.
    pub source: Option<String>,
    /// Its address.
    pub url: Option<String>,
    /// Its language.
    pub lang: Option<String>,
    /// Its story.
    pub story: u64,
    /// Its event.
    pub event: u64,
    /// The article it copies, when it is a reprint.
    #[schema(value_type = Option<String>)]
    pub duplicate_of: Option<String>,
    /// When it was stored (RFC 3339).
    pub ingested_at: Option<String>,
    /// The article's text as stored (offsets below are into it).
    pub text: String,
    /// Its blocks in order: body, headings, and what was dropped as debris
    /// and why.
    pub blocks: Vec<ArticleBlock>,
    /// Its body sentences (spans into `text`).
    pub sentences: Vec<Span>,
    /// Its persons, organisations and places with their mentions.
    pub entities: Vec<ArticleEntity>,
    /// Numbers that count or measure something.
    pub figures: Vec<Figure>,
    /// Direct quotes with their speaker.
    pub quotes: Vec<Quote>,
    /// Reported speech with a named speaker.
    pub paraphrases: Vec<Quote>,
}

/// One article: its clean text, what was dropped as debris, and its
/// analysis (entities, figures, quotes).
#[utoipa::path(
    get,
    path = "/api/v1/articles/{id}",
    operation_id = "get_article",
    tag = "articles",
    params(("id" = String, Path, description = "The article's id")),
    responses(
        (status = 200, description = "The article", body = ArticleView),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<ArticleView>, Problem> {
    let index = state.story_index().await?;
    let Some(entry) = index.entries.iter().find(|e| e.id.as_str() == id).cloned() else {
        return Err(Problem::not_found(format!(
            "no article {id:?} in the store"
        )));
    };
    let view = state
        .read(move |store| {
            let Some(doc) = store
                .documents(std::slice::from_ref(&entry.id))?
                .into_iter()
                .next()
            else {
                return Err(Problem::not_found(format!(
                    "no article {id:?} in the store"
                )));
            };
            let blocks = doc
                .blocks
                .iter()
                .map(|b| ArticleBlock {
                    kind: b.kind,
                    text: doc.text_of(b.span).to_owned(),
                    span: b.span,
                    rule: b.rule.clone(),
                })
                .collect();
            let sentences = doc.sentences.iter().map(|s| s.span).collect();
            let analyzer = newsdesk_entities::Analyzer::embedded().map_err(|e| {
                log_error(&e);
                Problem::internal()
            })?;
            let found = ArticleAnalysis::of(doc.article.clone(), analyzer)?;
            let article = doc.article;
            Ok(ArticleView {
                id: article.id,
                title: article.title,
                date: article.date,
                source: article.source,
                url: article.url,
                lang: article.lang,
                story: entry.story,
                event: entry.event,
                duplicate_of: entry.duplicate_of.map(|d| d.as_str().to_owned()),
                ingested_at: entry.ingested_at,
                text: article.text,
                blocks,
                sentences,
                entities: found.entities,
                figures: found.figures,
                quotes: found.quotes,
                paraphrases: found.paraphrases,
            })
        })
        .await?;
    Ok(Json(view))
}

/// A search.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words (all must match, stemmed) or a "quoted phrase".
    #[param(min_length = 1)]
    pub q: String,
    /// Most hits (default 20, at most 200; more is taken as 200).
    #[param(minimum = 1)]
    pub limit: Option<u32>,
}

/// Search results.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// The query as searched.
    pub query: String,
    /// The matching articles, best first.
    pub hits: Vec<SearchHit>,
}

/// Full-text search over titles, headings and body text (not debris).
#[utoipa::path(
    get,
    path = "/api/v1/search",
    operation_id = "search_articles",
    tag = "articles",
    params(SearchQuery),
    responses(
        (status = 200, description = "The matching articles, best first", body = SearchResults),
        (status = 400, description = "A query with nothing to search for", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn search(
    State(state): State<Arc<AppState>>,
    Query(query): Query<SearchQuery>,
) -> Result<Json<SearchResults>, Problem> {
    let limit = query.limit.map_or(20, |l| (l as usize).clamp(1, 200));
    let q = query.q.clone();
    let hits = state
        .read(move |store| Ok(store.search(&q, limit)?))
        .await?;
    Ok(Json(SearchResults {
        query: query.q,
        hits,
    }))
}

/// Metadata for ingested articles that lack their own.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IngestQuery {
    /// The outlet of articles that name none.
    pub source: Option<String>,
    /// The publication date of articles that give none (YYYY-MM-DD).
    pub date: Option<String>,
    /// The language of articles that give none.
    pub lang: Option<String>,
    /// The body's format when its media type does not say: `text`,
    /// `jsonl`, `html`, `feed` or `warc`.
    pub format: Option<String>,
    /// Answer at once (202) with a job to follow, whatever the size.
    #[serde(default)]
    pub background: bool,
}

/// Bodies up to this size are ingested before the answer; larger ones
/// become a job (202).
const INLINE_BYTES: usize = 256 * 1024;

/// The format a request's media type (or `format`) names.
fn format_of(headers: &HeaderMap, named: Option<&str>) -> Result<InputFormat, Problem> {
    let by_name = |name: &str| match name.trim().to_ascii_lowercase().as_str() {
        "text" | "txt" => Some(InputFormat::Text),
        "jsonl" | "ndjson" | "json" => Some(InputFormat::Jsonl),
        "html" => Some(InputFormat::Html),
        "feed" | "rss" | "atom" => Some(InputFormat::Feed),
        "warc" => Some(InputFormat::Warc),
        _ => None,
    };
    if let Some(name) = named {
        return by_name(name).ok_or_else(|| {
            Problem::bad_request(format!(
                "format={name:?}: use text, jsonl, html, feed or warc"
            ))
        });
    }
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let format = match media.as_str() {
        "text/plain" | "text/markdown" => InputFormat::Text,
        "application/x-ndjson" | "application/jsonl" | "application/jsonlines"
        | "application/x-jsonlines" | "application/json" => InputFormat::Jsonl,
        "text/html" | "application/xhtml+xml" => InputFormat::Html,
        "application/rss+xml" | "application/atom+xml" | "application/xml" | "text/xml" => {
            InputFormat::Feed
        }
        "application/warc" => InputFormat::Warc,
        "" => {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "say what the body is with Content-Type (text/plain, application/x-ndjson, text/html, application/rss+xml, application/warc) or ?format=",
            ))
        }
        other => {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                format!("{other} is not a format newsdesk reads: send text/plain, application/x-ndjson, text/html, application/rss+xml or application/warc"),
            ))
        }
    };
    Ok(format)
}

/// Reads and ingests one body (on a blocking thread, as the store's one
/// writer).
async fn ingest_body(
    state: &Arc<AppState>,
    name: String,
    format: InputFormat,
    body: Bytes,
    defaults: Defaults,
) -> Result<IngestReport, Problem> {
    let report = state
        .write(move |ingestor| {
            let options = ReadOptions {
                defaults,
                ..ReadOptions::default()
            };
            let mut articles = Vec::new();
            let diagnostics = read_bytes(&name, format, &body, &options, &mut |a| articles.push(a));
            let mut report = ingestor.ingest_articles(articles)?;
            report.skipped += diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            report.warnings += diagnostics
                .iter()
                .filter(|d| d.severity != Severity::Error)
                .count();
            let mut all = diagnostics;
            all.append(&mut report.diagnostics);
            report.diagnostics = all;
            Ok(report)
        })
        .await?;
    state
        .metrics
        .articles_added
        .fetch_add(report.added as u64, Ordering::Relaxed);
    Ok(report)
}

/// Adds articles: a text article, JSONL lines, an HTML page, an RSS or
/// Atom feed, or a WARC archive, by the body's media type. A body up to
/// 256 KiB is ingested before the answer (200, what was added); a larger
/// one, or any with `background=true`, is answered at once (202) with a
/// job to follow at `Location`. Bad records are reported in the
/// diagnostics and skipped; the rest is stored.
#[utoipa::path(
    post,
    path = "/api/v1/articles",
    operation_id = "ingest_articles",
    tag = "articles",
    params(IngestQuery),
    request_body(
        description = "The articles, as their media type says",
        content(
            (String = "text/plain"),
            (String = "application/x-ndjson"),
            (String = "text/html"),
            (String = "application/rss+xml"),
            (String = "application/atom+xml"),
            (String = "application/warc"),
        )
    ),
    responses(
        (status = 200, description = "Ingested: what was added, skipped and why", body = IngestReport),
        (status = 202, description = "Taken as a job: follow `Location`", body = Job),
        (status = 400, description = "A default that cannot be read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The token is missing or wrong", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the ingest limit"),
        (status = 415, description = "A media type newsdesk does not read", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Another process is writing to the store; try again", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn ingest(
    State(state): State<Arc<AppState>>,
    Query(query): Query<IngestQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let format = format_of(&headers, given(query.format).as_deref())?;
    let date = given(query.date)
        .as_deref()
        .map(|d| {
            d.trim()
                .parse::<Date>()
                .map_err(|_| Problem::bad_request(format!("date={d:?} is not a date (YYYY-MM-DD)")))
        })
        .transpose()?;
    let defaults = Defaults {
        source: given(query.source),
        date,
        lang: given(query.lang),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::bad_request(
            "the body is empty: send the articles in it",
        ));
    }
    let job = state.jobs.start(body.len());
    let name = format!("POST /api/v1/articles (job {})", job.id);
    if body.len() <= INLINE_BYTES && !query.background {
        let result = ingest_body(&state, name, format, body, defaults).await;
        state.jobs.update(job.id, |j| match &result {
            Ok(report) => {
                j.state = JobState::Done;
                j.report = Some(report.clone());
            }
            Err(p) => {
                j.state = JobState::Failed;
                j.error = p.detail.clone();
            }
        });
        return Ok(Json(result?).into_response());
    }
    let id = job.id;
    let runner = Arc::clone(&state);
    tokio::spawn(async move {
        runner.jobs.update(id, |j| j.state = JobState::Running);
        let result = ingest_body(&runner, name, format, body, defaults).await;
        runner.jobs.update(id, |j| match result {
            Ok(report) => {
                j.state = JobState::Done;
                j.report = Some(report);
            }
            Err(p) => {
                j.state = JobState::Failed;
                j.error = p.detail;
            }
        });
    });
    let mut response = (StatusCode::ACCEPTED, Json(job)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/jobs/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// An ingest job: queued, running, done with its report, or failed.
#[utoipa::path(
    get,
    path = "/api/v1/jobs/{id}",
    operation_id = "get_job",
    tag = "articles",
    params(("id" = u64, Path, description = "The job's number")),
    responses(
        (status = 200, description = "The job", body = Job),
        (status = 404, description = "No such job (the server remembers the last 1,000)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn job(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Json<Job>, Problem> {
    state
        .jobs
        .get(id)
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("no job {id}")))
}
