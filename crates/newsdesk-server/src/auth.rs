//! Who may write, and the headers every response carries.
//!
//! Reads are open. Writes (every method but GET, HEAD and OPTIONS) need
//! the bearer token when one is set (`NEWSDESK_TOKEN`), and are refused
//! on a non-loopback address without one. The token is compared in
//! constant time and never taken from a URL.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::problem::Problem;
use crate::state::AppState;

/// A bearer token, kept as its SHA-256 digest: comparing two digests of
/// equal length byte by byte, without stopping early, takes the same
/// time whatever the token given.
#[derive(Clone)]
pub(crate) struct Token([u8; 32]);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

impl Token {
    /// The token `secret`.
    pub fn new(secret: &str) -> Token {
        Token(Sha256::digest(secret.as_bytes()).into())
    }

    /// Whether `given` is the token, in time independent of where they
    /// differ.
    pub fn matches(&self, given: &str) -> bool {
        let given: [u8; 32] = Sha256::digest(given.as_bytes()).into();
        self.0
            .iter()
            .zip(given.iter())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
    }
}

/// The name of the cookie a signed-in page carries.
pub(crate) const SESSION_COOKIE: &str = "newsdesk_session";

impl Token {
    /// The session cookie's value for this token: a digest of it (the
    /// token itself never goes into a cookie).
    pub fn session(&self) -> String {
        let digest = Sha256::digest([b"newsdesk-session:".as_slice(), &self.0].concat());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether a session cookie's value is this token's, in constant time.
    pub fn matches_session(&self, given: &str) -> bool {
        let want = self.session();
        want.len() == given.len()
            && want
                .bytes()
                .zip(given.bytes())
                .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                == 0
    }
}

/// The session cookie of a request, if any.
pub(crate) fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// Whether a request may write: the bearer token, or (for the page's
/// own forms) the session cookie of a sign-in; or no token needed.
pub(crate) fn may_write(state: &AppState, headers: &axum::http::HeaderMap) -> bool {
    let Some(token) = &state.token else {
        return state.open_writes;
    };
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, given) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| given.trim())
        });
    bearer.is_some_and(|b| token.matches(b))
        || session_cookie(headers).is_some_and(|c| token.matches_session(&c))
}

/// Whether a request changes something.
fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Query parameter names a token must never be passed in.
const TOKEN_PARAMETERS: &[&str] = &["token", "access_token", "api_key", "apikey", "key"];

/// Refuses a token in the URL, and a write without the right token.
pub(crate) async fn authorize(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(query) = request.uri().query() {
        let named = query.split('&').any(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            TOKEN_PARAMETERS
                .iter()
                .any(|t| name.eq_ignore_ascii_case(t))
        });
        if named {
            return Problem::bad_request(
                "a token is never taken from a URL (it would be logged and kept in histories): send it as `Authorization: Bearer …`",
            )
            .into_response();
        }
    }
    if !is_write(request.method()) {
        return next.run(request).await;
    }
    // A page of another site may make the browser send a write here (a
    // form or a simple fetch, cookies or not): a browser names the page's
    // origin, and only this server's own (or one configured for CORS) may
    // write.
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let own = origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host));
        let allowed = state.options.cors_origins.iter().any(|o| o == origin);
        if !own && !allowed {
            return Problem::new(
                StatusCode::FORBIDDEN,
                "cross-origin",
                format!("a write from a page of {origin} is refused: only this server's own pages may write"),
            )
            .into_response();
        }
    }
    // Signing in is how a page gets to write: it checks the token itself.
    if request.uri().path() == "/login" || may_write(&state, request.headers()) {
        return next.run(request).await;
    }
    match &state.token {
        Some(_) => {
            let mut response = Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this request changes the store: send the server's token as `Authorization: Bearer …`",
            )
            .into_response();
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
        None => Problem::new(
            StatusCode::FORBIDDEN,
            "writes-need-token",
            "this server listens beyond loopback without a token, so it takes no writes: start it with NEWSDESK_TOKEN set",
        )
        .into_response(),
    }
}

/// The policy every response carries: nothing from elsewhere, no inline
/// script or style, never inside a frame.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers to every response.
pub(crate) async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // No address leaves for other sites; the page's own requests keep
    // theirs (with `no-referrer` a browser names a form's origin "null",
    // and the page's own corrections would look cross-site).
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Cross-origin calls (CORS), off unless origins are configured: a page
/// of a listed origin may call the API (its preflight answered here);
/// any other origin gets no CORS headers, so browsers keep its pages out.
pub(crate) async fn cors(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .filter(|o| state.options.cors_origins.iter().any(|c| c == o))
        .map(str::to_owned);
    let Some(origin) = origin else {
        return next.run(request).await;
    };
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = if preflight {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, DELETE"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(
                "authorization, content-type, if-match, if-none-match, last-event-id",
            ),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        r
    } else {
        next.run(request).await
    };
    let h = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&origin) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("etag, location, retry-after"),
    );
    h.append(header::VARY, HeaderValue::from_static("origin"));
    response
}

/// A client's allowance of requests: a token bucket per address, refilled
/// at the limit per minute, holding at most a minute's worth.
pub(crate) struct RateLimiter {
    per_minute: u32,
    buckets:
        std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, (f64, std::time::Instant)>>,
}

/// How many client addresses the limiter remembers before it forgets the
/// idle ones.
const MAX_CLIENTS: usize = 10_000;

impl RateLimiter {
    /// A limiter of `per_minute` requests per client (0: no limit).
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// Whether `client` may make a request now; if not, how many seconds
    /// until it may.
    pub fn admit(&self, client: std::net::IpAddr) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let now = std::time::Instant::now();
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() >= MAX_CLIENTS {
            // Full buckets hold nothing worth keeping.
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * per_second < capacity
            });
        }
        let (tokens, at) = buckets.entry(client).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * per_second).min(capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / per_second).ceil() as u64)
        }
    }
}

/// Refuses a client over its allowance with 429 and `Retry-After`.
pub(crate) async fn rate_limit(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if let Some(client) = client {
        if let Err(wait) = state.limiter.admit(client) {
            let mut p = Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                format!(
                    "more than {} requests a minute from this address; try again in {wait} s",
                    state.options.rate_limit
                ),
            );
            p.retry_after = Some(wait);
            return p.into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_matches_only_itself() {
        let token = Token::new("s3cret");
        assert!(token.matches("s3cret"));
        assert!(!token.matches("s3cret "));
        assert!(!token.matches(""));
        assert!(!token.matches("S3CRET"));
    }

    #[test]
    fn a_client_over_its_allowance_waits() {
        let limiter = RateLimiter::new(60);
        let client = std::net::IpAddr::from([10, 0, 0, 1]);
        for _ in 0..60 {
            assert!(limiter.admit(client).is_ok());
        }
        let wait = limiter.admit(client).unwrap_err();
        assert!((1..=2).contains(&wait), "wait {wait}");
        // Another client has its own allowance.
        assert!(limiter.admit(std::net::IpAddr::from([10, 0, 0, 2])).is_ok());
        // No limit at 0.
        let open = RateLimiter::new(0);
        for _ in 0..1000 {
            assert!(open.admit(client).is_ok());
        }
    }
}
