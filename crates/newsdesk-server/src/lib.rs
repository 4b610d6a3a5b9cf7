//! newsdesk's HTTP server: the desk's JSON API, live updates and (to
//! come) the web page, served by the one binary from the same store.
//!
//! - [`serve`] listens until a shutdown signal, then finishes the requests
//!   in flight (writes commit or roll back whole) and ends the live
//!   streams.
//! - [`router`] is the whole application, for tests and embedding.
//! - The API lives under `/api/v1` (stories, a story's report and why,
//!   articles, search, ingest and its jobs, corrections, changes, live
//!   updates, health, metrics); its OpenAPI document, generated from the
//!   handlers and the types they return, is at `/api/v1/openapi.json`.
//!   Errors are RFC 9457 problem documents ([`Problem`]).
//! - Reads are open. Writes need the bearer token when one is set, and
//!   are refused beyond loopback without one; tokens are never taken from
//!   a URL. Every response carries a Content-Security-Policy without
//!   `unsafe-inline`, `frame-ancestors 'none'` and `nosniff`; bodies are
//!   bounded (ingest more than the rest); clients are rate-limited.
//!
//! The store ([`StoreAt`]) is a SQLite file or, with the `postgres`
//! feature, a PostgreSQL database. The store and the desk are
//! synchronous: each request runs its store work on a blocking thread,
//! reading through a connection that thread keeps (SQLite) or a reader
//! store it takes from those the server keeps (PostgreSQL); writes go one
//! at a time through an ingest session over a store opened for it, which
//! holds the store's writer lease while it runs.
//!
//! ```no_run
//! # async fn run() -> Result<(), newsdesk_server::ServerError> {
//! let options = newsdesk_server::ServeOptions::new(std::path::PathBuf::from("newsdesk.db"));
//! newsdesk_server::serve(options, async {
//!     let _ = tokio::signal::ctrl_c().await;
//! })
//! .await
//! # }
//! ```
#![deny(missing_docs)]

mod api;
mod auth;
mod backend;
mod jobs;
mod live;
mod metrics;
mod problem;
mod state;
mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::sync::watch;

pub use api::articles::{ArticleBlock, ArticleView, IngestQuery, SearchResults};
pub use api::corrections::{Change, CorrectionRequest};
pub use api::stories::{StoryListItem, StoryPage, StoryQuery, StorySort};
pub use api::Health;
pub use backend::StoreAt;
pub use jobs::{Job, JobState};
pub use problem::Problem;
pub use state::ServeOptions;

/// What can stop the server from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The address cannot be listened on.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The store cannot be opened or made.
    #[error("the store {path}: {source}")]
    Store {
        /// The store's file, or its URL without the password.
        path: String,
        /// Why.
        source: newsdesk_store::StoreError,
    },
    /// Serving failed.
    #[error("serving failed: {0}")]
    Serve(std::io::Error),
}

/// Store reads that run at once (each on a blocking thread, with its own
/// connection); more wait their turn.
const READS_AT_ONCE: usize = 16;

/// The API path whose bodies may be as large as the ingest limit.
const INGEST_PATH: &str = "/api/v1/articles";

/// The whole application over a store, and a sender that stops its live
/// streams (send `true` at shutdown).
///
/// The store is made if missing (and brought to the current schema).
pub fn router(options: ServeOptions) -> Result<(Router, watch::Sender<bool>), ServerError> {
    let (store, log_seq) =
        backend::Backend::open(options.db.clone()).map_err(|source| ServerError::Store {
            path: options.db.to_string(),
            source,
        })?;
    let (stop, shutdown) = watch::channel(false);
    let (log, _) = watch::channel(log_seq);
    let state = Arc::new(state::AppState {
        store,
        token: options.token.as_deref().map(auth::Token::new),
        open_writes: options.token.is_none() && options.addr.ip().is_loopback(),
        writer: tokio::sync::Mutex::new(()),
        stories: std::sync::Mutex::new(None),
        filters: std::sync::Mutex::new(((0, 0), std::collections::HashMap::new())),
        log,
        recent: std::sync::Mutex::new(std::collections::VecDeque::new()),
        shutdown,
        jobs: jobs::Jobs::default(),
        metrics: metrics::Metrics::default(),
        limiter: auth::RateLimiter::new(options.rate_limit),
        read_slots: tokio::sync::Semaphore::new(READS_AT_ONCE),
        options: options.clone(),
    });
    let (api, openapi) = api::routes();
    let openapi_json = serde_json::to_string_pretty(&openapi).unwrap_or_default();
    let max_body = options.max_body_bytes;
    let app = Router::new()
        .merge(api)
        .merge(web::routes())
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let body = openapi_json.clone();
                async move {
                    (
                        [(
                            header::CONTENT_TYPE,
                            HeaderValue::from_static("application/json"),
                        )],
                        body,
                    )
                }
            }),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(problem::rejections_as_problems))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            metrics::track,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            auth::authorize,
        ))
        .layer(middleware::from_fn(move |r: Request, n: Next| {
            body_limit(r, n, max_body)
        }))
        .layer(DefaultBodyLimit::max(options.max_ingest_bytes))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            auth::rate_limit,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            auth::cors,
        ))
        .layer(middleware::from_fn(auth::security_headers))
        .with_state(Arc::clone(&state));
    tokio::spawn(live::watch_log(state));
    Ok((app, stop))
}

/// Bounds every body but ingest's to `max` bytes: a declared length over
/// it is refused at once, a streamed body stops at it.
async fn body_limit(request: Request, next: Next, max: usize) -> Response {
    if request.uri().path() == INGEST_PATH {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            format!("the body is larger than {max} bytes"),
        )
        .into_response();
    }
    let (parts, body) = request.into_parts();
    let limited = axum::body::Body::new(http_body_util::Limited::new(body, max));
    next.run(Request::from_parts(parts, limited)).await
}

async fn not_found(request: Request) -> Response {
    Problem::not_found(format!("nothing at {}", request.uri().path())).into_response()
}

async fn method_not_allowed(method: Method) -> Response {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        format!("{method} is not taken here"),
    )
    .into_response()
}

/// Serves the application on `options.addr` until `shutdown` completes;
/// then stops taking connections, ends the live streams and waits for the
/// requests in flight (a write in progress commits or rolls back whole).
pub async fn serve(
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let addr = options.addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Listen { addr, source })?;
    serve_on(listener, options, shutdown).await
}

/// [`serve`] on a listener already bound (a test binds port 0 and reads
/// the port back).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let (app, stop) = router(options)?;
    let signal = async move {
        shutdown.await;
        let _ = stop.send(true);
    };
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(signal)
    .await
    .map_err(ServerError::Serve)
}
