//! The HTTP API end to end over a real SQLite store: the application's
//! router called in process for the routes, and a real TCP server for
//! live updates and shutdown. The same over a real PostgreSQL store, in
//! `postgres` (feature `postgres`).

// The helpers below are test code too: a failed unwrap is a failed test,
// as clippy.toml allows inside `#[test]` functions.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use newsdesk_server::ServeOptions;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tower::ServiceExt;

#[cfg(feature = "postgres")]
#[path = "api/postgres.rs"]
mod postgres;

/// The example articles as one JSONL body (each file's text with its
/// sidecar's metadata).
fn examples_jsonl() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/lake-dam");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    let mut body = String::new();
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap();
        let meta_path = path.with_extension("meta.json");
        let mut line: serde_json::Map<String, Value> = match std::fs::read_to_string(&meta_path) {
            Ok(meta) => serde_json::from_str(&meta).unwrap(),
            Err(_) => serde_json::Map::new(),
        };
        line.insert("text".into(), Value::String(text));
        body.push_str(&serde_json::to_string(&line).unwrap());
        body.push('\n');
    }
    body
}

struct App {
    router: Router,
    /// What holds the store (its temporary directory) while the app runs.
    _store: Box<dyn std::any::Any + Send>,
    _stop: tokio::sync::watch::Sender<bool>,
}

fn app_with(options: impl FnOnce(&mut ServeOptions)) -> App {
    let dir = tempfile::tempdir().unwrap();
    let mut o = ServeOptions::new(dir.path().join("desk.db"));
    options(&mut o);
    app_on(o, dir)
}

/// The app over the store `options` name, keeping `store` (what holds
/// it) as long as the app.
fn app_on(options: ServeOptions, store: impl std::any::Any + Send) -> App {
    let (router, stop) = newsdesk_server::router(options).unwrap();
    App {
        router,
        _store: Box::new(store),
        _stop: stop,
    }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts a problem document with this status.
    fn problem(&self, status: StatusCode) -> Value {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.header("content-type"), "application/problem+json");
        let p = self.json();
        assert_eq!(p["status"], status.as_u16());
        assert!(p["title"].is_string() && p["type"].is_string(), "{p}");
        p
    }
}

async fn call(app: &App, request: Request<Body>) -> Answer {
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn get(app: &App, uri: &str) -> Answer {
    call(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(app: &App, uri: &str, content_type: &str, body: impl Into<Body>) -> Answer {
    call(
        app,
        Request::post(uri)
            .header(header::CONTENT_TYPE, content_type)
            .body(body.into())
            .unwrap(),
    )
    .await
}

/// An app holding the examples, ingested through the API.
async fn examples_app() -> App {
    with_examples(app_with(|_| {})).await
}

/// `app` once it holds the examples, ingested through the API.
async fn with_examples(app: App) -> App {
    let answer = post(
        &app,
        "/api/v1/articles",
        "application/x-ndjson",
        examples_jsonl(),
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let report = answer.json();
    assert_eq!(report["added"], 7, "{report}");
    app
}

#[tokio::test]
async fn stories_list_filter_page_and_show() {
    let app = examples_app().await;
    let page = get(&app, "/api/v1/stories").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.json();
    let stories = page["stories"].as_array().unwrap();
    assert_eq!(page["total"], stories.len());
    assert!(stories.len() >= 2, "{page}");
    // The dam story and the tram story are apart.
    let titles: Vec<&str> = stories
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("Veldmoor") || t.contains("spillway")),
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.contains("tram") || t.contains("Dunmere")),
        "{titles:?}"
    );
    for s in stories {
        assert!(s["version"].as_str().is_some_and(|v| v.len() == 16), "{s}");
        assert!(s["outlet_names"].is_array() && s["languages"].is_array());
    }

    // One per page: the cursor walks them all, none twice.
    let mut seen = Vec::new();
    let mut uri = "/api/v1/stories?limit=1&sort=articles".to_owned();
    loop {
        let p = get(&app, &uri).await.json();
        let s = p["stories"].as_array().unwrap();
        assert!(s.len() <= 1);
        seen.extend(s.iter().map(|s| s["id"].as_u64().unwrap()));
        match p["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/stories?limit=1&sort=articles&cursor={c}"),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), seen.len());
    assert_eq!(seen.len(), stories.len());

    // Filters: text, outlet, language, dates.
    let tram = get(&app, "/api/v1/stories?q=tram").await.json();
    assert!(tram["total"].as_u64().unwrap() >= 1);
    for s in tram["stories"].as_array().unwrap() {
        assert!(
            s["title"].as_str().unwrap().to_lowercase().contains("tram"),
            "{s}"
        );
    }
    let none = get(&app, "/api/v1/stories?outlet=No%20Such%20Outlet")
        .await
        .json();
    assert_eq!(none["total"], 0);
    let german = get(&app, "/api/v1/stories?lang=de").await.json();
    assert_eq!(german["total"], 0);
    let later = get(&app, "/api/v1/stories?from=2099-01-01").await.json();
    assert_eq!(later["total"], 0);
    get(&app, "/api/v1/stories?from=yesterday")
        .await
        .problem(StatusCode::BAD_REQUEST);
    get(&app, "/api/v1/stories?cursor=zzzz")
        .await
        .problem(StatusCode::BAD_REQUEST);
    // A limit beyond the cap is taken as the cap, not refused.
    assert_eq!(
        get(&app, "/api/v1/stories?limit=100000").await.status,
        StatusCode::OK
    );

    // One story: the report, its version as ETag, 304 when unchanged.
    let id = stories[0]["id"].as_u64().unwrap();
    let shown = get(&app, &format!("/api/v1/stories/{id}")).await;
    assert_eq!(shown.status, StatusCode::OK);
    let etag = shown.header("etag").to_owned();
    assert_eq!(
        etag,
        format!("\"{}\"", stories[0]["version"].as_str().unwrap())
    );
    let report = shown.json();
    for field in [
        "brief",
        "timeline",
        "facts",
        "entities",
        "sources",
        "article_details",
    ] {
        assert!(!report[field].is_null(), "no {field}: {report}");
    }
    let again = call(
        &app,
        Request::get(format!("/api/v1/stories/{id}"))
            .header(header::IF_NONE_MATCH, &etag)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let why = get(&app, &format!("/api/v1/stories/{id}/why")).await;
    assert_eq!(why.status, StatusCode::OK);
    assert_eq!(why.json()["story"], id);
    get(&app, "/api/v1/stories/999999")
        .await
        .problem(StatusCode::NOT_FOUND);
    get(&app, "/api/v1/stories/abc")
        .await
        .problem(StatusCode::BAD_REQUEST);

    // An article: its text, its debris and why, its analysis.
    let article_id = report["article_details"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let article = get(&app, &format!("/api/v1/articles/{article_id}")).await;
    assert_eq!(article.status, StatusCode::OK);
    let article = article.json();
    assert_eq!(article["story"], id);
    assert!(!article["text"].as_str().unwrap().is_empty());
    assert!(article["blocks"].as_array().is_some_and(|b| !b.is_empty()));
    assert!(article["entities"].is_array() && article["quotes"].is_array());
    get(&app, "/api/v1/articles/no-such-article")
        .await
        .problem(StatusCode::NOT_FOUND);

    // Entities across stories, with their spellings.
    let entities = get(&app, "/api/v1/entities?name=brisk").await.json();
    let brisk = &entities["entities"][0];
    assert_eq!(brisk["name"], "Ana Brisk", "{entities}");
    assert_eq!(brisk["kind"], "person");
    assert!(!brisk["stories"].as_array().unwrap().is_empty());
    let places = get(&app, "/api/v1/entities?kind=place").await.json();
    assert!(places["entities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["kind"] == "place"));

    // Search, changes, health, metrics.
    let hits = get(&app, "/api/v1/search?q=spillway").await.json();
    assert!(!hits["hits"].as_array().unwrap().is_empty());
    get(&app, "/api/v1/search?q=%20")
        .await
        .problem(StatusCode::BAD_REQUEST);
    let changes = get(&app, "/api/v1/changes").await;
    assert_eq!(changes.status, StatusCode::OK);
    assert!(!changes.json().as_array().unwrap().is_empty());
    get(&app, "/api/v1/changes?since=soon")
        .await
        .problem(StatusCode::BAD_REQUEST);
    let health = get(&app, "/api/v1/health").await.json();
    assert_eq!(health["articles"], 7);
    assert_eq!(health["status"], "ok");
    let metrics = get(&app, "/api/v1/metrics").await;
    let text = String::from_utf8(metrics.body).unwrap();
    assert!(text.contains("newsdesk_store_articles 7"), "{text}");
    assert!(
        text.contains(
            "newsdesk_http_requests_total{route=\"/api/v1/stories\",method=\"GET\",status=\"200\"}"
        ),
        "{text}"
    );
    get(&app, "/nothing/here")
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_openapi_document_names_every_route() {
    let app = app_with(|_| {});
    let doc = get(&app, "/api/v1/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = doc.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/api/v1/stories", &["get"][..]),
        ("/api/v1/stories/{id}", &["get"]),
        ("/api/v1/stories/{id}/why", &["get"]),
        ("/api/v1/articles", &["post"]),
        ("/api/v1/articles/{id}", &["get"]),
        ("/api/v1/jobs/{id}", &["get"]),
        ("/api/v1/search", &["get"]),
        ("/api/v1/changes", &["get"]),
        ("/api/v1/entities", &["get"]),
        ("/api/v1/corrections", &["get", "post"]),
        ("/api/v1/corrections/{id}", &["delete"]),
        ("/api/v1/live", &["get"]),
        ("/api/v1/health", &["get"]),
        ("/api/v1/metrics", &["get"]),
    ] {
        for m in methods {
            assert!(paths[path][m].is_object(), "{m} {path} is not documented");
        }
    }
    // Every operation has its own id (a validator refuses repeats).
    let mut ids: Vec<&str> = paths
        .values()
        .flat_map(|m| m.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "repeated operation ids: {ids:?}");
    assert_eq!(all, 15);
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "StoryPage",
        "StoryReport",
        "Problem",
        "ArticleView",
        "IngestReport",
        "Corrected",
    ] {
        assert!(schemas.contains_key(name), "no schema {name}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = app_with(|_| {});
    for uri in ["/api/v1/health", "/api/v1/stories/1", "/nowhere"] {
        let a = get(&app, uri).await;
        let csp = a.header("content-security-policy");
        assert!(csp.contains("default-src 'none'"), "{uri}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(a.header("x-content-type-options"), "nosniff");
    }
}

#[tokio::test]
async fn writes_need_the_token_and_a_token_is_never_taken_from_a_url() {
    let app = app_with(|o| o.token = Some("s3cret".to_owned()));
    let body = "{\"id\": \"a1\", \"text\": \"Rain fell on the town for a third day.\"}\n";
    let refused = post(&app, "/api/v1/articles", "application/x-ndjson", body).await;
    refused.problem(StatusCode::UNAUTHORIZED);
    assert_eq!(refused.header("www-authenticate"), "Bearer");
    let wrong = call(
        &app,
        Request::post("/api/v1/articles")
            .header(header::CONTENT_TYPE, "application/x-ndjson")
            .header(header::AUTHORIZATION, "Bearer nope")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    wrong.problem(StatusCode::UNAUTHORIZED);
    let taken = call(
        &app,
        Request::post("/api/v1/articles")
            .header(header::CONTENT_TYPE, "application/x-ndjson")
            .header(header::AUTHORIZATION, "Bearer s3cret")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(taken.status, StatusCode::OK);
    // Reads stay open.
    assert_eq!(get(&app, "/api/v1/stories").await.status, StatusCode::OK);
    // A token in the URL is refused, even on a read.
    get(&app, "/api/v1/stories?token=s3cret")
        .await
        .problem(StatusCode::BAD_REQUEST);

    // A page of another site cannot make the browser write here, token
    // or not; the server's own pages can.
    for (origin, status) in [
        ("https://evil.example", StatusCode::FORBIDDEN),
        ("null", StatusCode::FORBIDDEN),
        ("http://test", StatusCode::OK),
    ] {
        let a = call(
            &app,
            Request::post("/api/v1/articles")
                .header(header::HOST, "test")
                .header(header::ORIGIN, origin)
                .header(header::CONTENT_TYPE, "text/plain")
                .header(header::AUTHORIZATION, "Bearer s3cret")
                .body(Body::from(
                    "Wind brought down power lines across the valley overnight.",
                ))
                .unwrap(),
        )
        .await;
        assert_eq!(
            a.status,
            status,
            "{origin}: {}",
            String::from_utf8_lossy(&a.body)
        );
    }

    // Beyond loopback without a token: reads only.
    let open = app_with(|o| o.addr = "0.0.0.0:8080".parse().unwrap());
    post(&open, "/api/v1/articles", "application/x-ndjson", body)
        .await
        .problem(StatusCode::FORBIDDEN);
    assert_eq!(get(&open, "/api/v1/health").await.status, StatusCode::OK);
}

#[tokio::test]
async fn ingest_reports_bad_records_and_keeps_the_rest() {
    let app = app_with(|_| {});
    let body = "{\"id\": \"a1\", \"text\": \"Rain fell on the town for a third day.\"}\n{broken\n";
    let a = post(
        &app,
        "/api/v1/articles?source=Test%20Wire",
        "application/x-ndjson",
        body,
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    let report = a.json();
    assert_eq!(report["added"], 1);
    assert_eq!(report["skipped"], 1);
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["line"], 2, "{report}");
    // A text article, an HTML page.
    let text = post(
        &app,
        "/api/v1/articles",
        "text/plain",
        "Snow closed the mountain pass on Monday, officials said.",
    )
    .await;
    assert_eq!(text.json()["added"], 1);
    let page = "<html><head><title>Bridge reopens</title></head><body><article><h1>Bridge reopens</h1><p>The old bridge reopened to traffic on Tuesday after repairs that took three months, the city said.</p><p>Engineers replaced two of its piers and the deck.</p></article></body></html>";
    let html = post(&app, "/api/v1/articles", "text/html; charset=utf-8", page).await;
    assert_eq!(
        html.json()["added"],
        1,
        "{}",
        String::from_utf8_lossy(&html.body)
    );
    // What is not a format, and nothing at all.
    post(&app, "/api/v1/articles", "image/png", "x")
        .await
        .problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    post(&app, "/api/v1/articles", "text/plain", "  ")
        .await
        .problem(StatusCode::BAD_REQUEST);
    // In the background: 202, then the job says what it did.
    let queued = post(
        &app,
        "/api/v1/articles?background=true",
        "text/plain",
        "Fog delayed flights at the airport on Wednesday morning.",
    )
    .await;
    assert_eq!(queued.status, StatusCode::ACCEPTED);
    let location = queued.header("location").to_owned();
    let mut job = Value::Null;
    for _ in 0..200 {
        job = get(&app, &location).await.json();
        if job["state"] == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["report"]["added"], 1);
    get(&app, "/api/v1/jobs/999")
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn cors_is_off_unless_an_origin_is_configured() {
    let closed = app_with(|_| {});
    let a = call(
        &closed,
        Request::get("/api/v1/health")
            .header(header::ORIGIN, "https://desk.example.org")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(a.header("access-control-allow-origin"), "");
    let open = app_with(|o| o.cors_origins = vec!["https://desk.example.org".to_owned()]);
    let preflight = call(
        &open,
        Request::options("/api/v1/corrections")
            .header(header::ORIGIN, "https://desk.example.org")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        "https://desk.example.org"
    );
    assert!(preflight
        .header("access-control-allow-headers")
        .contains("if-match"));
    let other = call(
        &open,
        Request::get("/api/v1/health")
            .header(header::ORIGIN, "https://other.example")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(other.header("access-control-allow-origin"), "");
}

#[tokio::test]
async fn a_body_beyond_the_limit_is_refused() {
    let app = app_with(|o| o.max_body_bytes = 1000);
    let big = format!("{{\"by\": \"{}\", \"change\": {{\"kind\": \"rename_entity\", \"entity\": \"a\", \"to\": \"b\"}}}}", "x".repeat(2000));
    post(&app, "/api/v1/corrections", "application/json", big)
        .await
        .problem(StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn corrections_check_the_story_version_and_undo() {
    let app = examples_app().await;
    let page = get(&app, "/api/v1/stories?sort=articles").await.json();
    let stories = page["stories"].as_array().unwrap();
    let (into, from) = (&stories[0], &stories[1]);
    let merge = serde_json::json!({
        "by": "ana",
        "reason": "one story",
        "change": {"kind": "merge_stories", "into": into["id"], "from": from["id"]},
    })
    .to_string();
    let with_tags = |tags: String| {
        Request::post("/api/v1/corrections")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::IF_MATCH, tags)
            .body(Body::from(merge.clone()))
            .unwrap()
    };
    // A stale version is refused and nothing changes.
    let stale = call(
        &app,
        with_tags(format!(
            "\"0000000000000000\", \"{}\"",
            from["version"].as_str().unwrap()
        )),
    )
    .await;
    stale.problem(StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        get(&app, "/api/v1/corrections").await.json(),
        serde_json::json!([])
    );
    // The current versions of both: made.
    let tags = format!(
        "\"{}\", \"{}\"",
        into["version"].as_str().unwrap(),
        from["version"].as_str().unwrap()
    );
    let made = call(&app, with_tags(tags.clone())).await;
    assert_eq!(
        made.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&made.body)
    );
    let made_json = made.json();
    let id = made_json["correction"]["id"].as_u64().unwrap();
    assert_eq!(made.header("location"), format!("/api/v1/corrections/{id}"));
    let after = get(&app, "/api/v1/stories").await.json();
    assert_eq!(after["total"], page["total"].as_u64().unwrap() - 1);
    // The retired number leads to the story that holds its articles.
    let old = get(&app, &format!("/api/v1/stories/{}", from["id"])).await;
    assert_eq!(old.status, StatusCode::TEMPORARY_REDIRECT);
    // The same versions again are stale now.
    call(&app, with_tags(tags))
        .await
        .problem(StatusCode::PRECONDITION_FAILED);
    // Undone.
    let undone = call(
        &app,
        Request::delete(format!("/api/v1/corrections/{id}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(undone.status, StatusCode::OK);
    assert!(undone.json()["correction"]["undone_at"].is_string());
    assert_eq!(
        get(&app, "/api/v1/stories").await.json()["total"],
        page["total"]
    );
    let missing = call(
        &app,
        Request::delete("/api/v1/corrections/999")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    missing.problem(StatusCode::NOT_FOUND);
    // A correction that names nothing, and a body that is not one.
    let nothing = serde_json::json!({"by": "ana", "change": {"kind": "move_article", "article": "zzzz-none"}}).to_string();
    post(&app, "/api/v1/corrections", "application/json", nothing)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let bad = post(
        &app,
        "/api/v1/corrections",
        "application/json",
        "{\"by\": 1}",
    )
    .await;
    assert!(bad.status.is_client_error());
}

/// A server on a free loopback port: its address, the sender that stops
/// it, and its task.
async fn serve_tcp(
    options: ServeOptions,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), newsdesk_server::ServerError>>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(newsdesk_server::serve_on(listener, options, async {
        let _ = stopped.await;
    }));
    (addr, stop, server)
}

/// A minimal HTTP/1.1 client over TCP for the live stream.
async fn open_stream(
    addr: std::net::SocketAddr,
    path: &str,
    last_event: Option<u64>,
) -> BufReader<tokio::net::TcpStream> {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let resume = last_event
        .map(|id| format!("Last-Event-ID: {id}\r\n"))
        .unwrap_or_default();
    stream
        .write_all(
            format!(
                "GET {path} HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream\r\n{resume}\r\n"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).await.unwrap();
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        if line == "\r\n" {
            break;
        }
    }
    reader
}

/// The next event on a stream: (id, name, data), skipping comments and
/// chunk-size lines.
async fn next_event(reader: &mut BufReader<tokio::net::TcpStream>) -> (u64, String, Value) {
    let (mut id, mut name, mut data) = (None, None, None);
    loop {
        let mut line = String::new();
        let n = tokio::time::timeout(Duration::from_secs(20), reader.read_line(&mut line))
            .await
            .expect("an event within 20 s")
            .unwrap();
        assert!(n > 0, "the stream ended");
        let line = line.trim_end();
        if let Some(v) = line
            .strip_prefix("id: ")
            .or_else(|| line.strip_prefix("id:"))
        {
            id = v.trim().parse().ok();
        } else if let Some(v) = line
            .strip_prefix("event: ")
            .or_else(|| line.strip_prefix("event:"))
        {
            name = Some(v.trim().to_owned());
        } else if let Some(v) = line
            .strip_prefix("data: ")
            .or_else(|| line.strip_prefix("data:"))
        {
            data = serde_json::from_str(v.trim()).ok();
        } else if line.is_empty() {
            if let (Some(id), Some(name), Some(data)) = (id, name.take(), data.take()) {
                return (id, name, data);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_updates_resume_from_the_last_event_and_end_at_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, stop, server) = serve_tcp(ServeOptions::new(dir.path().join("desk.db"))).await;

    let mut live = open_stream(addr, "/api/v1/live", None).await;
    // Ingest through the server, over TCP too.
    let body = examples_jsonl();
    let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
    client
        .write_all(
            format!(
                "POST /api/v1/articles HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-ndjson\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let mut answer = String::new();
    client.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // The new stories arrive, numbered by the store's log.
    let (first, name, data) = next_event(&mut live).await;
    assert_eq!(name, "story.new", "{data}");
    assert_eq!(data["seq"], first);
    let (second, _, _) = next_event(&mut live).await;
    assert!(second > first);
    drop(live);

    // A page that reconnects after the first event gets the second again,
    // and nothing before it.
    let mut resumed = open_stream(addr, "/api/v1/live", Some(first)).await;
    let (again, _, _) = next_event(&mut resumed).await;
    assert_eq!(again, second);

    // Shutdown ends the open stream and the server.
    stop.send(()).unwrap();
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), resumed.read_to_end(&mut rest))
        .await
        .expect("the stream ends at shutdown")
        .unwrap();
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn signing_in_lets_the_page_write_and_nothing_else_does() {
    let app = app_with(|o| o.token = Some("s3cret".to_owned()));
    let form = |body: &'static str, cookie: Option<&str>| {
        let mut r = Request::post("/login")
            .header(header::HOST, "desk")
            .header(header::ORIGIN, "http://desk")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        r.body(Body::from(body)).unwrap()
    };
    // A wrong token: back to the form, no cookie.
    let wrong = call(&app, form("token=nope&next=/stories/1", None)).await;
    assert_eq!(wrong.status, StatusCode::SEE_OTHER);
    assert!(wrong.header("location").starts_with("/login?failed=1"));
    assert_eq!(wrong.header("set-cookie"), "");
    // The right one: an HttpOnly, SameSite=Strict cookie that is not the
    // token, and back to a local page only.
    let right = call(&app, form("token=s3cret&next=https://evil.example/", None)).await;
    assert_eq!(right.header("location"), "/");
    let cookie = right.header("set-cookie").to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(!cookie.contains("s3cret"));
    let session = cookie.split(';').next().unwrap().to_owned();
    // With the cookie, the page's own write is taken; a forged cookie is not.
    let write = |cookie: &str| {
        Request::post("/api/v1/articles")
            .header(header::HOST, "desk")
            .header(header::ORIGIN, "http://desk")
            .header(header::CONTENT_TYPE, "text/plain")
            .header(header::COOKIE, cookie)
            .body(Body::from(
                "Hail damaged the orchards of the valley on Sunday, growers said.",
            ))
            .unwrap()
    };
    assert_eq!(call(&app, write(&session)).await.status, StatusCode::OK);
    call(&app, write("newsdesk_session=0000"))
        .await
        .problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_pages_render_and_escape() {
    let app = examples_app().await;
    let front = get(&app, "/").await;
    assert_eq!(front.status, StatusCode::OK);
    assert!(front.header("content-type").starts_with("text/html"));
    let html = String::from_utf8(front.body).unwrap();
    assert!(html.contains("Veldmoor"));
    let page = get(&app, "/stories/1").await;
    let html = String::from_utf8(page.body).unwrap();
    for part in [
        "class=\"brief\"",
        "svg class=\"coverage\"",
        "badge",
        "form class=\"correct\"",
        "split_event",
    ] {
        assert!(html.contains(part), "no {part}");
    }
    // A value in a URL comes back as text.
    let page = get(&app, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    let html = String::from_utf8(page.body).unwrap();
    assert!(!html.contains("<script>alert"), "unescaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Assets by name only.
    assert_eq!(get(&app, "/assets/app.js").await.status, StatusCode::OK);
    assert_eq!(
        get(&app, "/assets/..%2FCargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/assets/countries.tsv").await.status,
        StatusCode::NOT_FOUND
    );
}

/// Posts a body over TCP and returns the answer's status line.
async fn post_tcp(
    addr: std::net::SocketAddr,
    path: &str,
    content_type: &str,
    body: &str,
) -> String {
    let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
    client
        .write_all(
            format!(
                "POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let mut answer = String::new();
    client.read_to_string(&mut answer).await.unwrap();
    answer.lines().next().unwrap_or("").to_owned()
}

/// The next event named `name`, skipping others.
async fn next_named(reader: &mut BufReader<tokio::net::TcpStream>, name: &str) -> Value {
    loop {
        let (id, n, data) = next_figure_or_event(reader).await;
        let _ = id;
        if n == name {
            return data;
        }
    }
}

/// The next event, with or without an id (figure events carry none).
async fn next_figure_or_event(
    reader: &mut BufReader<tokio::net::TcpStream>,
) -> (Option<u64>, String, Value) {
    let (mut id, mut name, mut data) = (None, None, None);
    loop {
        let mut line = String::new();
        let n = tokio::time::timeout(Duration::from_secs(30), reader.read_line(&mut line))
            .await
            .expect("an event within 30 s")
            .unwrap();
        assert!(n > 0, "the stream ended");
        let line = line.trim_end();
        if let Some(v) = line.strip_prefix("id:") {
            id = v.trim().parse().ok();
        } else if let Some(v) = line.strip_prefix("event:") {
            name = Some(v.trim().to_owned());
        } else if let Some(v) = line.strip_prefix("data:") {
            data = serde_json::from_str(v.trim()).ok();
        } else if line.is_empty() {
            if let (Some(name), Some(data)) = (name.take(), data.take()) {
                return (id.take(), name, data);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_figure_that_a_later_report_changes_is_a_live_event() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, stop, server) = serve_tcp(ServeOptions::new(dir.path().join("desk.db"))).await;
    // The dam's first two reports (1,200 people evacuated), then the
    // stream opens, then the reports of the days after (3,000, 4,500).
    let lines: Vec<String> = examples_jsonl().lines().map(str::to_owned).collect();
    let (first, later): (Vec<&String>, Vec<&String>) =
        lines.iter().partition(|l| l.contains("\"2025-03-13\""));
    let join = |ls: &[&String]| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
    assert!(post_tcp(
        addr,
        "/api/v1/articles",
        "application/x-ndjson",
        &join(&first)
    )
    .await
    .contains("200"));
    let mut live = open_stream(addr, "/api/v1/live", None).await;
    assert!(post_tcp(
        addr,
        "/api/v1/articles",
        "application/x-ndjson",
        &join(&later)
    )
    .await
    .contains("200"));
    let figure = next_named(&mut live, "figure.changed").await;
    assert!(figure["figure"]["concept"].is_string(), "{figure}");
    assert!(
        ["changed", "disputed"].contains(&figure["figure"]["status"].as_str().unwrap()),
        "{figure}"
    );
    assert!(figure["seq"].as_u64().unwrap() > 0);
    stop.send(()).unwrap();
    drop(live);
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}
