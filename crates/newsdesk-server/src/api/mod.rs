//! The JSON API under `/api/v1`, and its OpenAPI document.

pub(crate) mod articles;
pub(crate) mod corrections;
pub(crate) mod entities;
pub(crate) mod stories;

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use newsdesk_desk::changes::{Since, StoryChanges};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::problem::Problem;
use crate::state::AppState;

/// A query parameter as given, with an empty one taken as absent (a
/// form sends its empty fields as `name=`).
pub(crate) fn given(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

/// The server's health and the store's size.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` when the store can be read.
    pub status: String,
    /// newsdesk's version.
    pub version: String,
    /// Articles in the store.
    pub articles: usize,
    /// Stories in the store.
    pub stories: usize,
    /// The store's last story-log sequence number (live events resume
    /// from it).
    pub log_seq: u64,
}

/// Whether the server can read its store, and how much it holds.
#[utoipa::path(
    get,
    path = "/api/v1/health",
    operation_id = "health",
    tag = "server",
    responses(
        (status = 200, description = "The store can be read", body = Health),
        (status = 503, description = "The store cannot be read", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn health(State(state): State<Arc<AppState>>) -> Result<Json<Health>, Problem> {
    let index = state.story_index().await?;
    Ok(Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        articles: index.entries.len(),
        stories: index.rows.len(),
        log_seq: index.key.0,
    }))
}

/// The server's counters in the Prometheus text format.
#[utoipa::path(
    get,
    path = "/api/v1/metrics",
    operation_id = "metrics",
    tag = "server",
    responses((status = 200, description = "Counters", content_type = "text/plain; version=0.0.4", body = String))
)]
pub(crate) async fn metrics(State(state): State<Arc<AppState>>) -> Result<Response, Problem> {
    let index = state.story_index().await?;
    let text = state
        .metrics
        .render(index.entries.len(), index.rows.len(), index.key.0);
    let mut response = text.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    Ok(response)
}

/// What changed since when.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// A date (YYYY-MM-DD, from its start, UTC) or an RFC 3339 time;
    /// without it, everything.
    pub since: Option<String>,
    /// Only this story.
    pub story: Option<u64>,
}

/// What changed in the stories since a time: new articles and outlets,
/// figures that changed or became disputed, quotes, timeline entries,
/// merges and corrections.
#[utoipa::path(
    get,
    path = "/api/v1/changes",
    operation_id = "list_changes",
    tag = "stories",
    params(ChangesQuery),
    responses(
        (status = 200, description = "The stories that changed, each with what changed", body = Vec<StoryChanges>),
        (status = 400, description = "A time that cannot be read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such story", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn changes(
    State(state): State<Arc<AppState>>,
    Query(query): Query<ChangesQuery>,
) -> Result<Json<Vec<StoryChanges>>, Problem> {
    let since = given(query.since)
        .as_deref()
        .map(|s| {
            s.parse::<Since>()
                .map_err(|e| Problem::bad_request(e.to_string()))
        })
        .transpose()?;
    let story = query.story;
    let changes = state
        .read(move |store| {
            Ok(newsdesk_desk::changes::changes(
                store,
                since.as_ref(),
                story,
            )?)
        })
        .await?;
    Ok(Json(changes))
}

/// The bearer token scheme of the write routes.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The answers every route may give, added to each operation: 400 for a
/// parameter that cannot be read (where it takes any), 413 for a body over
/// the limit (where it takes one), 429 over the rate limit. Each is a
/// problem document.
pub(crate) struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = |what: &str| {
            ResponseBuilder::new()
                .description(what)
                .content(
                    crate::problem::PROBLEM_JSON,
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let responses = &mut op.responses.responses;
                let takes_parameters = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                if takes_parameters || op.request_body.is_some() {
                    responses.entry("400".to_owned()).or_insert_with(|| {
                        problem("A parameter or body that cannot be read").into()
                    });
                }
                if op.request_body.is_some() {
                    responses
                        .entry("413".to_owned())
                        .or_insert_with(|| problem("A body over the size limit").into());
                }
                responses.entry("429".to_owned()).or_insert_with(|| {
                    problem("Too many requests from this address: wait `Retry-After` seconds")
                        .into()
                });
            }
        }
    }
}

/// The API's description; the routes add their own paths.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "newsdesk",
        description = "Stories from many articles: the desk's JSON API. Reads are open; writes need the server's bearer token when it has one. Errors are RFC 9457 problem documents.",
        license(name = "Apache-2.0")
    ),
    modifiers(&BearerToken),
    tags(
        (name = "stories", description = "Stories, their reports and what changed"),
        (name = "articles", description = "Articles, search and ingest"),
        (name = "corrections", description = "An editor's corrections"),
        (name = "live", description = "Live updates"),
        (name = "server", description = "Health and metrics"),
    )
)]
struct ApiDoc;

/// The API's routes and their OpenAPI document.
pub(crate) fn routes() -> (axum::Router<Arc<AppState>>, utoipa::openapi::OpenApi) {
    let (router, mut openapi) = documented_routes().split_for_parts();
    CommonAnswers.modify(&mut openapi);
    (router, openapi)
}

fn documented_routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(stories::list))
        .routes(routes!(stories::show))
        .routes(routes!(stories::why))
        .routes(routes!(changes))
        .routes(routes!(entities::list))
        .routes(routes!(articles::show))
        .routes(routes!(articles::ingest))
        .routes(routes!(articles::job))
        .routes(routes!(articles::search))
        .routes(routes!(corrections::list, corrections::make))
        .routes(routes!(corrections::undo))
        .routes(routes!(crate::live::live))
        .routes(routes!(health))
        .routes(routes!(metrics))
}
