//! The web page: server-rendered HTML (every page works without
//! JavaScript), enhanced by one script of our own for live updates,
//! keyboard navigation and "what changed since you last looked".
//!
//! Article text, titles, outlet names and addresses are untrusted: maud
//! escapes every value it writes, and an address becomes a link only when
//! it is `http:` or `https:`. Assets are compiled into the binary and
//! served by name from a fixed list (no path reaches the file system).

mod coverage;
mod map;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup, DOCTYPE};
use newsdesk_desk::story::StoryReport;
use newsdesk_model::{BlockKind, StoryId};
use serde::Deserialize;

use crate::api::stories::{find, page as story_page, version, Found, StoryQuery, StorySort};
use crate::problem::Problem;
use crate::state::AppState;

/// The page's routes.
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(front))
        .route("/stories/{id}", get(story))
        .route("/stories/{id}/correct", post(correct))
        .route("/articles/{id}", get(article))
        .route("/search", get(search))
        .route("/login", get(login_page).post(login))
        .route("/assets/{name}", get(asset))
}

/// The assets, by name: (name, media type, bytes).
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("assets/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/app.js"),
    ),
];

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, media, bytes)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(media)),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=300"),
                ),
            ],
            *bytes,
        )
            .into_response(),
        None => page_error(Problem::not_found(format!("no asset {name:?}"))),
    }
}

/// A page around `body`, titled `title`; `live` turns on live updates;
/// a story page names its story and the time it was made (for "what
/// changed since you last looked").
fn layout(
    title: &str,
    query: &str,
    live: bool,
    story: Option<(StoryId, &str)>,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                title { (title) " · newsdesk" }
                link rel="icon" href="data:,";
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/app.js" defer {}
            }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="site" {
                    a class="brand" href="/" { "newsdesk" }
                    form action="/search" method="get" role="search" {
                        label for="search-q" class="skip" { "Search articles" }
                        input id="search-q" type="search" name="q" value=(query)
                            placeholder="Search articles (press /)";
                        button type="submit" { "Search" }
                    }
                }
                main id="main" data-live=(if live { "on" } else { "off" })
                    data-story=[story.map(|s| s.0)] data-now=[story.map(|s| s.1)] {
                    p id="live-status" class="live" role="status" aria-live="polite" {}
                    (body)
                }
            }
        }
    }
}

/// An error as a page (the API answers problem documents instead).
fn page_error(problem: Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = layout(
        &problem.title,
        "",
        false,
        None,
        html! {
            h1 { (problem.title) }
            p { (problem.detail.clone().unwrap_or_default()) }
            p { a href="/" { "Back to the stories" } }
        },
    );
    (status, body).into_response()
}

/// A link to an address only when it is a web address: anything else
/// (`javascript:`, `data:`) is shown as text.
fn external(url: Option<&str>, text: &str) -> Markup {
    match url.map(str::trim) {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
            html! { a href=(u) rel="noopener noreferrer nofollow" { (text) } }
        }
        _ => html! { (text) },
    }
}

fn date_or_dash(d: Option<newsdesk_model::Date>) -> String {
    d.map_or_else(|| "–".to_owned(), |d| d.to_string())
}

/// The front page's query: the list's filters, ranked by growth.
#[derive(Debug, Clone, Default, Deserialize)]
struct FrontQuery {
    hours: Option<u32>,
    cursor: Option<String>,
}

async fn front(State(state): State<Arc<AppState>>, Query(q): Query<FrontQuery>) -> Response {
    let query = StoryQuery {
        sort: Some(StorySort::Growth),
        hours: q.hours,
        cursor: q.cursor,
        limit: Some(50),
        ..StoryQuery::default()
    };
    let page = match story_page(&state, query).await {
        Ok(page) => page,
        Err(p) => return page_error(p),
    };
    let hours = q.hours.unwrap_or(24);
    let body = html! {
        h1 { "Stories" }
        p class="muted" {
            (page.total) " stories, those growing most in the last " (hours) " hours first. "
            "Keys: j and k move, Enter opens, / searches."
        }
        @if page.stories.is_empty() {
            p { "No stories yet: ingest articles (" code { "newsdesk ingest PATH" } " or "
                code { "POST /api/v1/articles" } ")." }
        }
        ol class="stories" {
            @for s in &page.stories {
                li class="story" tabindex="-1" data-story=(s.summary.id) {
                    h2 { a href=(format!("/stories/{}", s.summary.id)) { (s.summary.title) } }
                    div class="bar" role="img"
                        aria-label=(format!("{} outlet(s), {} language(s)", s.outlet_names.len(), s.languages.len())) {
                        @for _ in 0..s.outlet_names.len().min(12) { span {} }
                        @for _ in 0..s.languages.len().min(4) { span class="lang" {} }
                    }
                    p class="meta" {
                        (s.summary.articles.len()) " article(s)"
                        @if s.summary.reprints > 0 { " (" (s.summary.reprints) " reprint(s))" }
                        " from " (s.outlet_names.len()) " outlet(s)"
                        @if !s.languages.is_empty() { " in " (s.languages.join(", ")) }
                        " · " (s.recent_reports) " new report(s) from " (s.recent_outlets) " outlet(s) in " (hours) " h"
                        " · first report " (date_or_dash(s.summary.first_date))
                        ", last " (date_or_dash(s.summary.last_date))
                    }
                }
            }
        }
        @if let Some(next) = &page.next_cursor {
            p { a href=(format!("/?hours={hours}&cursor={next}")) rel="next" { "More stories" } }
        }
    };
    layout("Stories", "", true, None, body).into_response()
}

/// A story page's query: a notice after a correction.
#[derive(Debug, Clone, Default, Deserialize)]
struct StoryPageQuery {
    done: Option<String>,
    error: Option<String>,
}

async fn story(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(q): Query<StoryPageQuery>,
    headers: axum::http::HeaderMap,
) -> Response {
    let Ok(id) = id.parse::<StoryId>() else {
        return page_error(Problem::not_found(format!("no story {id:?}")));
    };
    let index = match state.story_index().await {
        Ok(index) => index,
        Err(p) => return page_error(p),
    };
    let kept = Arc::clone(&index);
    match state.read(move |store| find(store, &kept, id)).await {
        Ok(Found::Here) => {}
        Ok(Found::MovedTo(to)) => {
            return Redirect::temporary(&format!("/stories/{to}")).into_response()
        }
        Err(p) => return page_error(p),
    }
    let kept = Arc::clone(&index);
    let report = match state
        .read(move |store| Ok(StoryReport::build_from(store, &kept.entries, id)?))
        .await
    {
        Ok(r) => r,
        Err(p) => return page_error(p),
    };
    let version = index
        .rows
        .get(&id)
        .map(|r| version(&r.summary))
        .unwrap_or_default();
    let others: Vec<(StoryId, String)> = index
        .rows
        .values()
        .filter(|r| r.summary.id != id)
        .take(500)
        .map(|r| (r.summary.id, coverage::truncate(&r.summary.title, 60)))
        .collect();
    let writes = if crate::auth::may_write(&state, &headers) {
        Writes::Open
    } else if state.token.is_some() {
        Writes::SignIn
    } else {
        Writes::Closed
    };
    let body = story_body(&report, &version, &others, &q, writes);
    let now = newsdesk_desk::now();
    let mut response =
        layout(&report.summary.title, "", true, Some((id, &now)), body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

/// A citation mark: the source's number, opening the cited span
/// highlighted in its article.
fn cite(n: Option<usize>, article: &str, span: Option<(usize, usize)>) -> Markup {
    let href = match span {
        Some((s, e)) => format!("/articles/{article}?hl={s}-{e}#hl"),
        None => format!("/articles/{article}"),
    };
    let label = n.map_or_else(|| "source".to_owned(), |n| n.to_string());
    html! { a class="cite" href=(href) title=(format!("Source {label}: the sentence in its article")) { "[" (label) "]" } }
}

/// Whether the page may offer corrections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writes {
    /// This visitor may write.
    Open,
    /// Writes need the token: signing in gives them.
    SignIn,
    /// The server takes no writes (beyond loopback without a token).
    Closed,
}

fn story_body(
    report: &StoryReport,
    version: &str,
    others: &[(StoryId, String)],
    q: &StoryPageQuery,
    writes: Writes,
) -> Markup {
    let s = &report.summary;
    let mut quotes: BTreeMap<String, Vec<&newsdesk_facts::table::QuoteGroup>> = BTreeMap::new();
    for g in &report.facts.quotes {
        quotes
            .entry(
                g.speaker
                    .clone()
                    .unwrap_or_else(|| "Unknown speaker".to_owned()),
            )
            .or_default()
            .push(g);
    }
    html! {
        @if let Some(done) = &q.done { p class="notice" role="status" { (done) } }
        @if let Some(error) = &q.error { p class="notice error" role="alert" { (error) } }
        h1 { (s.title) }
        p class="meta" {
            (s.articles.len()) " article(s) = " (s.articles.len() - s.reprints) " independent report(s) + "
            (s.reprints) " reprint(s), from " (s.outlets) " outlet(s), "
            (date_or_dash(s.first_date)) " to " (date_or_dash(s.last_date))
            " · version " code { (version) }
            " · " a href=(format!("/api/v1/stories/{}", s.id)) { "JSON" }
            " · " a href=(format!("/api/v1/stories/{}/why", s.id)) { "why together" }
        }
        section id="since" aria-label="What changed since you last looked" {}
        h2 { "Brief" }
        div class="brief" {
            @for sentence in &report.brief.sentences {
                p {
                    (sentence.text)
                    @for c in &sentence.citations {
                        (cite(Some(c.number), &c.article, c.span.map(|sp| (sp.start, sp.end))))
                    }
                }
            }
            @for r in &report.revisions {
                p { (r.sentence(false)) }
            }
            @if report.brief.sentences.is_empty() { p class="muted" { "No brief: the story's reports have no sentence to cite." } }
        }
        h2 { "Timeline" }
        div class="table-wrap" {
            table {
                thead { tr { th scope="col" { "Date" } th scope="col" { "What happened" } th scope="col" { "Sources" } } }
                tbody {
                    @for e in &report.timeline {
                        tr {
                            td { (e.date) @if e.background { br; span class="muted" { "background" } } }
                            td { (e.text) }
                            td {
                                @for c in &e.citations {
                                    (cite(c.n, c.article.as_str(), c.evidence.first().map(|sp| (sp.start, sp.end))))
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Figures" }
        div class="table-wrap" {
            table {
                thead { tr { th scope="col" { "What" } th scope="col" { "Status" } th scope="col" { "Values, when and from whom" } } }
                tbody {
                    @for g in &report.facts.figures {
                        @let status = serde_json::to_value(g.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                        tr {
                            td { (g.concept) @if let Some(a) = &g.actor { br; span class="muted" { (a) } } }
                            td {
                                span class=(format!("badge {status}")) { (status.replace('_', " ")) }
                                @if let Some(b) = g.basis { br; span class="muted" { "by " (b) } }
                            }
                            td {
                                @for v in &g.values {
                                    div {
                                        strong { (v.text) }
                                        @if let Some(d) = &v.date { " · " (d) }
                                        @for c in &v.citations {
                                            " " span class="muted" { (c.outlet.as_deref().unwrap_or("unknown outlet")) }
                                            (cite(c.n, &c.article, Some((c.start, c.end))))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Quotes" }
        div class="quotes" {
            @for (speaker, groups) in &quotes {
                h3 { (speaker) }
                @for g in groups {
                    blockquote {
                        @if matches!(g.kind, newsdesk_facts::quotes::QuoteKind::Direct) { "“" (g.text) "”" } @else { span class="muted" { "(paraphrase) " } (g.text) }
                        @for c in &g.citations { (cite(c.n, &c.article, Some((c.start, c.end)))) }
                    }
                }
            }
        }
        h2 { "People, organisations and places" }
        ul class="entities" {
            @for e in &report.entities {
                li {
                    strong { (e.name) } " "
                    span class="muted" { (e.kind.as_str()) }
                    @if e.variants.len() > 1 || e.variants.first().is_some_and(|v| v != &e.name) {
                        " · spelled " (e.variants.join(", "))
                    }
                    @if let Some(place) = &e.place { " · " span class="muted" { (place.country) } }
                }
            }
        }
        @if let Some(map) = map::map(&report.entities) {
            h2 { "Map" }
            (map)
        }
        h2 { "Coverage" }
        (coverage::chart(report))
        h2 { "Sources" }
        ol {
            @for src in report.sources.iter() {
                li value=(src.n) {
                    a href=(format!("/articles/{}", src.article_id)) {
                        (if src.outlet_known { src.outlet.as_str() } else { "unknown outlet" })
                    }
                    " · " (date_or_dash(src.date)) " · "
                    (external(src.url.as_deref(), "original"))
                    @if !src.reprinted_by.is_empty() {
                        " · reprinted by "
                        @for r in &src.reprinted_by {
                            a href=(format!("/articles/{}", r.article_id)) { (r.outlet.as_deref().unwrap_or("unknown outlet")) } " "
                        }
                    }
                }
            }
        }
        h2 { "Corrections" }
        @if writes == Writes::SignIn {
            p { a href=(format!("/login?next=/stories/{}", s.id)) { "Sign in with the desk's token" } " to correct this story." }
        }
        @if writes == Writes::Open {
            p class="muted" { "Each correction is kept with who made it and why, and can be undone." }
            form class="correct" method="post" action=(format!("/stories/{}/correct", s.id)) {
                input type="hidden" name="version" value=(version);
                input type="hidden" name="kind" value="merge_stories";
                label { "Merge into story"
                    select name="into" {
                        @for (n, t) in others { option value=(n) { (n) ": " (t) } }
                    }
                }
                label { "Your name" input name="by" required autocomplete="name"; }
                label { "Why" input name="reason"; }
                button type="submit" { "Merge" }
            }
            form class="correct" method="post" action=(format!("/stories/{}/correct", s.id)) {
                input type="hidden" name="version" value=(version);
                input type="hidden" name="kind" value="move_article";
                label { "Move article"
                    select name="article" {
                        @for a in &report.articles { option value=(a.id.as_str()) { (coverage::truncate(a.title.as_deref().unwrap_or(a.id.as_str()), 60)) } }
                    }
                }
                label { "to story (empty: a new one)" input name="to" inputmode="numeric" pattern="[0-9]*"; }
                label { "Your name" input name="by" required autocomplete="name"; }
                button type="submit" { "Move" }
            }
            form class="correct" method="post" action=(format!("/stories/{}/correct", s.id)) {
                input type="hidden" name="version" value=(version);
                input type="hidden" name="kind" value="rename_entity";
                label { "Rename"
                    select name="entity" {
                        @for e in &report.entities { option value=(e.name) { (e.name) } }
                    }
                }
                label { "to" input name="to" required; }
                label { "Your name" input name="by" required autocomplete="name"; }
                button type="submit" { "Rename" }
            }
            @for event in &s.events {
                @let members: Vec<&newsdesk_desk::story::ReportArticle> = report.articles.iter().filter(|a| a.event == *event).collect();
                @if members.len() > 1 {
                    form class="correct" method="post" action=(format!("/stories/{}/correct", s.id)) {
                        input type="hidden" name="version" value=(version);
                        input type="hidden" name="kind" value="split_event";
                        input type="hidden" name="event" value=(event);
                        fieldset {
                            legend { "Split event " (event) ": these articles are an event of their own" }
                            @for a in &members {
                                label { input type="checkbox" name="articles" value=(a.id.as_str()); " " (coverage::truncate(a.title.as_deref().unwrap_or(a.id.as_str()), 70)) }
                            }
                        }
                        label { "Your name" input name="by" required autocomplete="name"; }
                        button type="submit" { "Split" }
                    }
                }
            }
        }
        @if writes == Writes::Closed {
            p class="muted" { "This server takes no writes (it listens beyond loopback without a token): corrections go through the API with the token." }
        }
    }
}

/// A correction sent from the story page's forms.
#[derive(Debug, Clone, Default)]
struct CorrectionForm {
    kind: String,
    version: String,
    by: String,
    reason: Option<String>,
    into: Option<String>,
    article: Option<String>,
    to: Option<String>,
    entity: Option<String>,
    event: Option<String>,
    /// The checked articles of a split (a form sends one pair per box).
    articles: Vec<String>,
}

impl CorrectionForm {
    /// The form's fields from its URL-encoded body; unknown ones ignored.
    fn parse(body: &[u8]) -> CorrectionForm {
        let mut form = CorrectionForm::default();
        for (name, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            match name.as_ref() {
                "kind" => form.kind = value,
                "version" => form.version = value,
                "by" => form.by = value,
                "reason" => form.reason = Some(value),
                "into" => form.into = Some(value),
                "article" => form.article = Some(value),
                "to" => form.to = Some(value),
                "entity" => form.entity = Some(value),
                "event" => form.event = Some(value),
                "articles" => form.articles.push(value),
                _ => {}
            }
        }
        form
    }
}

/// Makes a correction from a form, then back to the story (303), with a
/// notice; the story's version must still be the one the form showed.
async fn correct(
    State(state): State<Arc<AppState>>,
    Path(id): Path<StoryId>,
    body: axum::body::Bytes,
) -> Response {
    let form = CorrectionForm::parse(&body);
    use crate::api::corrections::Change;
    let back = |key: &str, text: &str, story: StoryId| {
        Redirect::to(&format!("/stories/{story}?{key}={}", encode(text))).into_response()
    };
    let number = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::parse::<u64>)
    };
    let change = match form.kind.as_str() {
        "merge_stories" => match number(&form.into) {
            Some(Ok(into)) => Change::MergeStories { into, from: id },
            _ => return back("error", "choose the story to merge into", id),
        },
        "move_article" => match (form.article.clone(), number(&form.to)) {
            (Some(article), None) => Change::MoveArticle { article, to: None },
            (Some(article), Some(Ok(to))) => Change::MoveArticle {
                article,
                to: Some(to),
            },
            _ => {
                return back(
                    "error",
                    "choose an article, and a story number or nothing",
                    id,
                )
            }
        },
        "split_event" => match (number(&form.event), form.articles.is_empty()) {
            (Some(Ok(event)), false) => Change::SplitEvent {
                event,
                articles: form.articles.clone(),
            },
            _ => {
                return back(
                    "error",
                    "tick the articles that are an event of their own",
                    id,
                )
            }
        },
        "rename_entity" => match (
            form.entity.clone(),
            form.to.clone().filter(|t| !t.trim().is_empty()),
        ) {
            (Some(entity), Some(to)) => Change::RenameEntity {
                entity,
                to: to.trim().to_owned(),
            },
            _ => return back("error", "choose an entity and its new name", id),
        },
        other => return back("error", &format!("unknown correction {other}"), id),
    };
    if form.by.trim().is_empty() {
        return back("error", "say who makes the correction", id);
    }
    let index = match state.story_index().await {
        Ok(i) => i,
        Err(p) => return page_error(p),
    };
    if index.rows.get(&id).map(|r| version(&r.summary)).as_deref() != Some(form.version.as_str()) {
        return back(
            "error",
            "the story changed since this page was shown: look again, then correct",
            id,
        );
    }
    let by = form.by.trim().to_owned();
    let reason = form.reason.clone().filter(|r| !r.trim().is_empty());
    let request = crate::api::corrections::CorrectionRequest { by, reason, change };
    match crate::api::corrections::apply(&state, request).await {
        Ok(corrected) => {
            let to = corrected.story.unwrap_or(id);
            back(
                "done",
                &format!(
                    "Correction {} made: {}",
                    corrected.correction.id,
                    corrected.correction.correction.describe()
                ),
                to,
            )
        }
        Err(p) => back(
            "error",
            p.detail.as_deref().unwrap_or("the correction was refused"),
            id,
        ),
    }
}

/// Where to go after signing in.
#[derive(Debug, Clone, Default, Deserialize)]
struct LoginQuery {
    next: Option<String>,
    failed: Option<String>,
}

/// A local path to go back to (never another site).
fn local(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

async fn login_page(Query(q): Query<LoginQuery>) -> Response {
    let next = local(q.next.as_deref());
    let body = html! {
        h1 { "Sign in" }
        @if q.failed.is_some() { p class="notice error" role="alert" { "That is not the desk's token." } }
        p { "Corrections on this server need the desk's token (the " code { "NEWSDESK_TOKEN" } " it was started with)." }
        form class="correct" method="post" action="/login" {
            input type="hidden" name="next" value=(next);
            label { "Token" input type="password" name="token" required autocomplete="current-password"; }
            button type="submit" { "Sign in" }
        }
    };
    layout("Sign in", "", false, None, body).into_response()
}

/// A sign-in form.
#[derive(Debug, Clone, Deserialize)]
struct LoginForm {
    token: String,
    #[serde(default)]
    next: Option<String>,
}

/// Checks the token; on success sets the session cookie (HttpOnly,
/// SameSite=Strict: never sent by another site's page) and goes back.
async fn login(State(state): State<Arc<AppState>>, Form(form): Form<LoginForm>) -> Response {
    let next = local(form.next.as_deref());
    let Some(token) = &state.token else {
        return Redirect::to(&next).into_response();
    };
    if !token.matches(form.token.trim()) {
        return Redirect::to(&format!("/login?failed=1&next={}", encode(&next))).into_response();
    }
    let cookie = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Strict",
        crate::auth::SESSION_COOKIE,
        token.session()
    );
    let mut response = Redirect::to(&next).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The article page's query: the span to highlight (`START-END`, bytes).
#[derive(Debug, Clone, Default, Deserialize)]
struct ArticleQuery {
    hl: Option<String>,
}

async fn article(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(q): Query<ArticleQuery>,
) -> Response {
    let highlight = q.hl.as_deref().and_then(|h| {
        let (s, e) = h.split_once('-')?;
        let (s, e) = (s.parse::<usize>().ok()?, e.parse::<usize>().ok()?);
        (s < e).then_some((s, e))
    });
    let index = match state.story_index().await {
        Ok(i) => i,
        Err(p) => return page_error(p),
    };
    let Some(entry) = index.entries.iter().find(|e| e.id.as_str() == id).cloned() else {
        return page_error(Problem::not_found(format!(
            "no article {id:?} in the store"
        )));
    };
    let doc = match state
        .read(move |store| {
            Ok(store
                .documents(std::slice::from_ref(&entry.id))?
                .into_iter()
                .next())
        })
        .await
    {
        Ok(Some(doc)) => doc,
        Ok(None) => return page_error(Problem::not_found(format!("no article {id:?}"))),
        Err(p) => return page_error(p),
    };
    let story = index
        .entries
        .iter()
        .find(|e| e.id == doc.article.id)
        .map(|e| e.story);
    let a = &doc.article;
    let title = a
        .title
        .clone()
        .unwrap_or_else(|| "Untitled article".to_owned());
    let body = html! {
        h1 { (title) }
        p class="meta" {
            (a.source.as_deref().unwrap_or("unknown outlet")) " · " (date_or_dash(a.date))
            @if let Some(l) = &a.lang { " · " (l) }
            " · " (external(a.url.as_deref(), "original"))
            @if let Some(s) = story { " · " a href=(format!("/stories/{s}")) { "its story" } }
            " · " a href=(format!("/api/v1/articles/{}", a.id)) { "JSON" }
        }
        article class="text" {
            @for b in &doc.blocks {
                @let text = doc.text_of(b.span);
                @match b.kind {
                    BlockKind::Heading => h2 { (marked(text, b.span.start, highlight)) },
                    BlockKind::Body => p { (marked(text, b.span.start, highlight)) },
                    BlockKind::Debris => details class="debris" {
                        summary { "Dropped as debris" @if let Some(r) = &b.rule { " (" (r) ")" } }
                        p { (marked(text, b.span.start, highlight)) }
                    },
                }
            }
        }
    };
    layout(&title, "", false, None, body).into_response()
}

/// A block's text with the highlighted span (article offsets) marked,
/// when the span falls in it (cut to character boundaries).
fn marked(text: &str, offset: usize, highlight: Option<(usize, usize)>) -> Markup {
    let Some((s, e)) = highlight else {
        return html! { (text) };
    };
    let end = offset + text.len();
    if e <= offset || s >= end {
        return html! { (text) };
    }
    let mut from = s.saturating_sub(offset).min(text.len());
    let mut to = e.saturating_sub(offset).min(text.len());
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    while to < text.len() && !text.is_char_boundary(to) {
        to += 1;
    }
    let first = s >= offset;
    html! {
        (&text[..from])
        @if first { mark id="hl" { (&text[from..to]) } } @else { mark { (&text[from..to]) } }
        (&text[to..])
    }
}

/// How many articles a search page shows (and counts in its facets).
const SEARCH_HITS: usize = 200;

/// A search with its facets.
#[derive(Debug, Clone, Default, Deserialize)]
struct SearchPageQuery {
    #[serde(default)]
    q: String,
    outlet: Option<String>,
    lang: Option<String>,
    date: Option<String>,
    entity: Option<String>,
}

async fn search(State(state): State<Arc<AppState>>, Query(q): Query<SearchPageQuery>) -> Response {
    let words = q.q.trim().to_owned();
    let entity = crate::api::given(q.entity.clone());
    let query = match (&entity, words.is_empty()) {
        (Some(e), true) => format!("\"{}\"", e.replace('"', " ")),
        (Some(e), false) => format!("{words} \"{}\"", e.replace('"', " ")),
        (None, _) => words.clone(),
    };
    let hits = if query.trim().is_empty() {
        Vec::new()
    } else {
        match state
            .read(move |store| Ok(store.search(&query, SEARCH_HITS)?))
            .await
        {
            Ok(h) => h,
            Err(p) if p.status == 400 => Vec::new(),
            Err(p) => return page_error(p),
        }
    };
    let index = match state.story_index().await {
        Ok(i) => i,
        Err(p) => return page_error(p),
    };
    let meta: BTreeMap<&str, &newsdesk_store::IndexEntry> =
        index.entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let outlet = crate::api::given(q.outlet.clone());
    let lang = crate::api::given(q.lang.clone());
    let date = crate::api::given(q.date.clone());
    let rows: Vec<(
        &newsdesk_store::SearchHit,
        Option<&&newsdesk_store::IndexEntry>,
    )> = hits.iter().map(|h| (h, meta.get(h.id.as_str()))).collect();
    let field = |e: Option<&&newsdesk_store::IndexEntry>, f: &str| -> String {
        match (e, f) {
            (Some(e), "outlet") => e.source.clone().unwrap_or_else(|| "unknown".to_owned()),
            (Some(e), "lang") => e.lang.clone().unwrap_or_else(|| "unknown".to_owned()),
            (Some(e), "date") => e
                .date
                .map_or_else(|| "undated".to_owned(), |d| d.to_string()),
            _ => "unknown".to_owned(),
        }
    };
    let chosen = |e: Option<&&newsdesk_store::IndexEntry>| {
        outlet.as_ref().is_none_or(|o| &field(e, "outlet") == o)
            && lang.as_ref().is_none_or(|l| &field(e, "lang") == l)
            && date.as_ref().is_none_or(|d| &field(e, "date") == d)
    };
    let shown: Vec<_> = rows.iter().filter(|(_, e)| chosen(*e)).collect();
    let facet = |f: &str| -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for (_, e) in &shown {
            *counts.entry(field(*e, f)).or_insert(0) += 1;
        }
        counts
    };
    let link = |f: &str, v: &str| {
        let mut params: Vec<(String, String)> = vec![("q".into(), words.clone())];
        for (name, value) in [
            ("outlet", &outlet),
            ("lang", &lang),
            ("date", &date),
            ("entity", &entity),
        ] {
            if name != f {
                if let Some(v) = value {
                    params.push((name.into(), v.clone()));
                }
            }
        }
        params.push((f.into(), v.to_owned()));
        let encoded: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        format!("/search?{}", encoded.join("&"))
    };
    let stories: BTreeSet<StoryId> = shown.iter().map(|(h, _)| h.story).collect();
    let body = html! {
        h1 { "Search" }
        form method="get" action="/search" class="correct" {
            label { "Words" input type="search" name="q" value=(words); }
            label { "Entity" input name="entity" value=(entity.clone().unwrap_or_default()); }
            button type="submit" { "Search" }
        }
        @if !words.is_empty() || entity.is_some() {
            p class="muted" { (shown.len()) " article(s) in " (stories.len()) " story(ies)"
                @if outlet.is_some() || lang.is_some() || date.is_some() {
                    " · " a href=(format!("/search?q={}", encode(&words))) { "clear the facets" }
                }
            }
            div class="facets" {
                @for (f, label) in [("outlet", "Outlet"), ("lang", "Language"), ("date", "Date")] {
                    nav aria-label=(label) {
                        h2 { (label) }
                        ul {
                            @for (v, n) in facet(f) {
                                li { a href=(link(f, &v)) { (v) } " (" (n) ")" }
                            }
                        }
                    }
                }
            }
            ol {
                @for (h, e) in &shown {
                    li {
                        a href=(format!("/articles/{}", h.id)) { (h.title.clone().unwrap_or_else(|| h.id.to_string())) }
                        " · " span class="muted" { (field(*e, "outlet")) ", " (field(*e, "date")) }
                        " · " a href=(format!("/stories/{}", h.story)) { "story " (h.story) }
                        br;
                        span class="muted" { (snippet(&h.snippet)) }
                    }
                }
            }
        }
    };
    layout("Search", &words, false, None, body).into_response()
}

/// A search excerpt with its matches (`[…]`) in bold, escaped.
fn snippet(text: &str) -> Markup {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        parts.push((false, &rest[..open]));
        parts.push((true, &rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    parts.push((false, rest));
    html! { @for (hit, t) in parts { @if hit { b { (t) } } @else { (t) } } }
}

/// A query value, percent-encoded.
fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
