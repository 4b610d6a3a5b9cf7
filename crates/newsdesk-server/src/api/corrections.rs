//! An editor's corrections: made (with `If-Match` on the stories they
//! concern), listed, undone.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use newsdesk_desk::corrections::{Corrected, Request};
use newsdesk_model::correction::{Correction, CorrectionRecord};
use newsdesk_model::{ArticleId, StoryId};
use serde::Deserialize;

use crate::api::stories::version;
use crate::problem::Problem;
use crate::state::{AppState, StoryIndex};

/// What to correct.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// Story `from` is part of story `into`.
    MergeStories {
        /// The story that stays.
        into: u64,
        /// The story merged into it.
        from: u64,
    },
    /// An article (with its reprints) leaves its event and story, for
    /// story `to` or a new story (`to` absent).
    MoveArticle {
        /// The article (its id, or a prefix that names one article).
        article: String,
        /// Where it goes.
        #[serde(default)]
        to: Option<u64>,
    },
    /// A whole event leaves its story, for story `to` or a new story.
    MoveEvent {
        /// The event.
        event: u64,
        /// Where it goes.
        #[serde(default)]
        to: Option<u64>,
    },
    /// Some articles of an event are an event of their own.
    SplitEvent {
        /// The event.
        event: u64,
        /// The articles that leave it (ids or prefixes).
        articles: Vec<String>,
    },
    /// Two entities are one: `from` is merged into `into`.
    MergeEntities {
        /// The entity that stays (its name).
        into: String,
        /// The entity merged into it.
        from: String,
    },
    /// A spelling of an entity is someone else: it becomes its own entity.
    SplitSpelling {
        /// The entity.
        entity: String,
        /// The spelling that leaves it.
        spelling: String,
    },
    /// An entity is shown under another name.
    RenameEntity {
        /// The entity.
        entity: String,
        /// The name it takes.
        to: String,
    },
    /// A figure is wrong: it is left out of the story's facts.
    RejectFigure {
        /// The article that reports it.
        article: String,
        /// Byte offset where its text starts in the article.
        start: usize,
    },
    /// A quote is wrong: it is left out.
    RejectQuote {
        /// The article that reports it.
        article: String,
        /// Byte offset where its text starts in the article.
        start: usize,
    },
    /// A quote's speaker is someone else.
    AttributeQuote {
        /// The article that reports it.
        article: String,
        /// Byte offset where its text starts in the article.
        start: usize,
        /// The speaker's name.
        speaker: String,
    },
}

/// A correction as an editor sends it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CorrectionRequest {
    /// Who makes it (kept with it).
    #[schema(min_length = 1)]
    pub by: String,
    /// Why (kept with it).
    #[serde(default)]
    pub reason: Option<String>,
    /// What to correct.
    pub change: Change,
}

impl Change {
    fn request(self) -> Request {
        match self {
            Change::MergeStories { into, from } => Request::MergeStories { into, from },
            Change::MoveArticle { article, to } => Request::MoveArticle { article, to },
            Change::MoveEvent { event, to } => Request::MoveEvent { event, to },
            Change::SplitEvent { event, articles } => Request::SplitEvent { event, articles },
            Change::MergeEntities { into, from } => {
                Request::Other(Correction::MergeEntities { into, from })
            }
            Change::SplitSpelling { entity, spelling } => {
                Request::Other(Correction::SplitSpelling { entity, spelling })
            }
            Change::RenameEntity { entity, to } => {
                Request::Other(Correction::RenameEntity { entity, to })
            }
            Change::RejectFigure { article, start } => Request::Other(Correction::RejectFigure {
                article: ArticleId(article),
                start,
            }),
            Change::RejectQuote { article, start } => Request::Other(Correction::RejectQuote {
                article: ArticleId(article),
                start,
            }),
            Change::AttributeQuote {
                article,
                start,
                speaker,
            } => Request::Other(Correction::AttributeQuote {
                article: ArticleId(article),
                start,
                speaker,
            }),
        }
    }

    /// The stories the change concerns, as the index holds them now (an
    /// article named by a prefix of its id counts when the prefix names
    /// one article).
    fn stories(&self, index: &StoryIndex) -> BTreeSet<StoryId> {
        let of_article = |a: &str| {
            let mut found = index
                .entries
                .iter()
                .filter(|e| e.id.as_str().starts_with(a));
            match (found.next(), found.next()) {
                (Some(e), None) => Some(e.story),
                _ => index
                    .entries
                    .iter()
                    .find(|e| e.id.as_str() == a)
                    .map(|e| e.story),
            }
        };
        let of_event = |ev: u64| {
            index
                .entries
                .iter()
                .find(|e| e.event == ev)
                .map(|e| e.story)
        };
        let mut stories = BTreeSet::new();
        match self {
            Change::MergeStories { into, from } => {
                stories.extend([*into, *from]);
            }
            Change::MoveArticle { article, to } => {
                stories.extend(of_article(article));
                stories.extend(*to);
            }
            Change::MoveEvent { event, to } => {
                stories.extend(of_event(*event));
                stories.extend(*to);
            }
            Change::SplitEvent { event, .. } => stories.extend(of_event(*event)),
            Change::RejectFigure { article, .. }
            | Change::RejectQuote { article, .. }
            | Change::AttributeQuote { article, .. } => stories.extend(of_article(article)),
            Change::MergeEntities { .. }
            | Change::SplitSpelling { .. }
            | Change::RenameEntity { .. } => {}
        }
        stories
    }
}

/// Checks `If-Match` against the versions of the stories a change
/// concerns: each must be one of the tags given (or `*`).
fn check_versions(headers: &HeaderMap, index: &StoryIndex, change: &Change) -> Result<(), Problem> {
    let Some(given) = headers.get(header::IF_MATCH) else {
        return Ok(());
    };
    let given = given
        .to_str()
        .map_err(|_| Problem::bad_request("If-Match is not readable text"))?;
    let tags: Vec<&str> = given.split(',').map(str::trim).collect();
    for story in change.stories(index) {
        let current = index.rows.get(&story).map(|row| version(&row.summary));
        let matches = match &current {
            Some(v) => tags.iter().any(|t| *t == "*" || t.trim_matches('"') == v),
            None => false,
        };
        if !matches {
            return Err(Problem::new(
                StatusCode::PRECONDITION_FAILED,
                "stale",
                format!(
                    "story {story} changed since the version given (now {}): read it again and decide on what it holds now",
                    current.as_deref().unwrap_or("gone")
                ),
            ));
        }
    }
    Ok(())
}

/// Makes a correction: stories merged, an article or event moved, an
/// event split, entities merged, split or renamed, a figure or quote
/// rejected, a quote attributed. Send the story's version (its `ETag`,
/// or `version` in the list) as `If-Match`: a story that changed since
/// is refused with 412 rather than corrected blind.
#[utoipa::path(
    post,
    path = "/api/v1/corrections",
    operation_id = "make_correction",
    tag = "corrections",
    request_body = CorrectionRequest,
    params(("If-Match" = Option<String>, Header, description = "The versions of the stories the correction concerns")),
    responses(
        (status = 201, description = "Made: the correction as kept, and where its articles are now", body = Corrected),
        (status = 400, description = "A body that cannot be read", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The token is missing or wrong", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "A story it concerns changed since the version given", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "A body that is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "It names nothing in the store, or would change nothing", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Another process is writing to the store; try again", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn make(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(request): Json<CorrectionRequest>,
) -> Result<Response, Problem> {
    if request.by.trim().is_empty() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "correction-refused",
            "`by` is empty: say who makes the correction",
        ));
    }
    let index = state.story_index().await?;
    check_versions(&headers, &index, &request.change)?;
    let corrected = apply(&state, request).await?;
    let mut response = (StatusCode::CREATED, Json(&corrected)).into_response();
    if let Ok(location) =
        HeaderValue::from_str(&format!("/api/v1/corrections/{}", corrected.correction.id))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Makes a correction through the store's one writer.
pub(crate) async fn apply(
    state: &Arc<AppState>,
    request: CorrectionRequest,
) -> Result<Corrected, Problem> {
    let CorrectionRequest { by, reason, change } = request;
    state
        .write(move |ingestor| {
            ingestor
                .correct(change.request(), &by, reason.as_deref())
                .map_err(|e| match e {
                    // A story named in the body is not the resource of the
                    // request: the body names something the store lacks.
                    newsdesk_desk::DeskError::NoSuchStory(_) => Problem::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "no-such-target",
                        e.to_string(),
                    ),
                    other => other.into(),
                })
        })
        .await
}

/// Every correction made, undone ones too, in the order made.
#[utoipa::path(
    get,
    path = "/api/v1/corrections",
    operation_id = "list_corrections",
    tag = "corrections",
    responses((status = 200, description = "The corrections", body = Vec<CorrectionRecord>))
)]
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
) -> Result<Json<Vec<CorrectionRecord>>, Problem> {
    let records = state
        .read(|store| Ok(newsdesk_desk::corrections::corrections(store)?))
        .await?;
    Ok(Json(records))
}

/// Undoes a correction (it is kept, marked undone) and links the stories
/// again without it.
#[utoipa::path(
    delete,
    path = "/api/v1/corrections/{id}",
    operation_id = "undo_correction",
    tag = "corrections",
    params(("id" = u64, Path, description = "The correction's number")),
    responses(
        (status = 200, description = "Undone", body = Corrected),
        (status = 401, description = "The token is missing or wrong", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such correction", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Another process is writing to the store; try again", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn undo(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Json<Corrected>, Problem> {
    let undone = state
        .write(move |ingestor| Ok(ingestor.undo_correction(id)?))
        .await?;
    undone
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("no correction {id}")))
}
