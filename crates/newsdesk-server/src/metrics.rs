//! Counters in the Prometheus text format (`GET /api/v1/metrics`).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// A request's route pattern, method and status.
type RequestKey = (String, String, u16);

/// What the server counts.
#[derive(Default)]
pub(crate) struct Metrics {
    /// Requests by (route, method, status): how many, and their seconds.
    requests: Mutex<BTreeMap<RequestKey, (u64, f64)>>,
    /// Live streams open now.
    pub live_clients: AtomicU64,
    /// Articles added through the API.
    pub articles_added: AtomicU64,
}

impl Metrics {
    fn record(&self, route: String, method: String, status: u16, seconds: f64) {
        if let Ok(mut requests) = self.requests.lock() {
            let entry = requests.entry((route, method, status)).or_default();
            entry.0 += 1;
            entry.1 += seconds;
        }
    }

    /// The counters as Prometheus text, with the store's own numbers.
    pub fn render(&self, articles: usize, stories: usize, log_seq: u64) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP newsdesk_http_requests_total HTTP requests answered, by route, method and status.\n# TYPE newsdesk_http_requests_total counter"
        );
        let requests = self.requests.lock().map(|r| r.clone()).unwrap_or_default();
        for ((route, method, status), (count, _)) in &requests {
            let _ = writeln!(
                out,
                "newsdesk_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        let _ = writeln!(
            out,
            "# HELP newsdesk_http_request_seconds_total Time spent answering, by route, method and status.\n# TYPE newsdesk_http_request_seconds_total counter"
        );
        for ((route, method, status), (_, seconds)) in &requests {
            let _ = writeln!(
                out,
                "newsdesk_http_request_seconds_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {seconds:.6}",
                escape(route)
            );
        }
        let gauges = [
            (
                "newsdesk_live_clients",
                "Live update streams open.",
                self.live_clients.load(Ordering::Relaxed),
            ),
            (
                "newsdesk_articles_added_total",
                "Articles added through the API since the server started.",
                self.articles_added.load(Ordering::Relaxed),
            ),
            (
                "newsdesk_store_articles",
                "Articles in the store.",
                articles as u64,
            ),
            (
                "newsdesk_store_stories",
                "Stories in the store.",
                stories as u64,
            ),
            (
                "newsdesk_store_log_seq",
                "The store's last story-log sequence number.",
                log_seq,
            ),
        ];
        for (name, help, value) in gauges {
            let kind = if name.ends_with("_total") {
                "counter"
            } else {
                "gauge"
            };
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        }
        out
    }
}

/// A label value as Prometheus text takes it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Counts each request under its route's pattern (never its raw path, so
/// that the counters stay few).
pub(crate) async fn track(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let start = Instant::now();
    let response = next.run(request).await;
    state.metrics.record(
        route,
        method,
        response.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    response
}
