//! Errors as RFC 9457 problem details (`application/problem+json`).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use newsdesk_desk::corrections::CorrectionError;
use newsdesk_desk::DeskError;
use newsdesk_store::StoreError;
use serde::Serialize;

/// The media type of a problem document.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem document (RFC 9457): what went wrong with a request, for a
/// person (`title`, `detail`) and for a program (`type`, `status`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` when the status
    /// says it all, else `tag:newsdesk,2026:KIND`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The kind of problem in a few words.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What happened this time, and what to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Seconds to wait before trying again (a busy store, a rate limit).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem with a status and a detail; its type names `kind`.
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("tag:newsdesk,2026:{kind}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: Some(detail.into()),
            retry_after: None,
        }
    }

    /// 400: the request itself is wrong.
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }

    /// 404: nothing at that address.
    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", detail)
    }

    /// 500: the server failed; the detail is kept general (the cause goes
    /// to the server's log, not to the client).
    pub fn internal() -> Problem {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server could not complete the request; its log says why",
        )
    }

    /// 503: the store cannot be used now; try again after `seconds`.
    pub fn unavailable(detail: impl Into<String>, seconds: u64) -> Problem {
        let mut p = Problem::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", detail);
        p.retry_after = Some(seconds);
        p
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        match e {
            StoreError::Busy => Problem::unavailable(
                "another newsdesk is writing to the store (an ingest is running); try again",
                5,
            ),
            StoreError::EmptyQuery => Problem::bad_request(e.to_string()),
            StoreError::SchemaTooNew { .. } | StoreError::NotAStore(_) => {
                Problem::unavailable(e.to_string(), 60)
            }
            // The PostgreSQL server could not be reached in time (no
            // connection from the pool): the store may be back soon.
            #[cfg(feature = "postgres")]
            StoreError::Postgres(newsdesk_store::PostgresError::Pool(_)) => {
                log_error(&e);
                Problem::unavailable("the store's database cannot be reached; try again", 5)
            }
            other => {
                log_error(&other);
                Problem::internal()
            }
        }
    }
}

impl From<DeskError> for Problem {
    fn from(e: DeskError) -> Problem {
        match e {
            DeskError::Store(e) => e.into(),
            DeskError::NoSuchStory(_) => Problem::not_found(e.to_string()),
            DeskError::Correction(c) => match c {
                CorrectionError::NoSuchArticle(_) | CorrectionError::NoSuchEvent(_) => {
                    Problem::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "no-such-target",
                        c.to_string(),
                    )
                }
                other => Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "correction-refused",
                    other.to_string(),
                ),
            },
            DeskError::StoreChanged => Problem::unavailable(e.to_string(), 1),
            other => {
                log_error(&other);
                Problem::internal()
            }
        }
    }
}

/// Most bytes of a plain-text rejection read into a problem's detail.
const REJECTION_BYTES: usize = 4096;

/// Turns the framework's plain-text rejections (a path segment that is
/// not a number, a query or JSON body that does not parse, a body over
/// its limit) into problem documents, so that every error a client sees
/// has one shape.
pub(crate) async fn rejections_as_problems(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return response;
    }
    let detail = match axum::body::to_bytes(response.into_body(), REJECTION_BYTES).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_owned(),
        Err(_) => String::new(),
    };
    let kind = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        StatusCode::UNPROCESSABLE_ENTITY => "unreadable-body",
        s if s.is_server_error() => "internal",
        _ => "bad-request",
    };
    let detail = if detail.is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        detail
    };
    Problem::new(status, kind, detail).into_response()
}

/// Writes a server-side failure to standard error, where a service
/// manager keeps it (the client only learns that it failed).
pub(crate) fn log_error(e: &dyn std::error::Error) {
    #[allow(clippy::print_stderr)]
    {
        eprintln!("newsdesk serve: {e}");
    }
}
