//! Stories: the list (filtered, ranked, paged by cursor), one story's
//! report, and why its articles are together.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use newsdesk_desk::story::StoryReport;
use newsdesk_desk::why::StoryWhy;
use newsdesk_model::{Date, StoryId, StorySummary};
use newsdesk_store::Store;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::api::given;
use crate::problem::Problem;
use crate::state::{AppState, StoryIndex, StoryRow};

/// How the list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StorySort {
    /// Most recently grown first (when its last article was stored, then
    /// its latest publication date).
    #[default]
    Recent,
    /// Most independent reports stored in the last `hours` first, then
    /// most new outlets: what the front page shows.
    Growth,
    /// Most articles first.
    Articles,
}

/// The list's filters, order and page.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StoryQuery {
    /// Stories with an article published on or after this date
    /// (YYYY-MM-DD).
    pub from: Option<String>,
    /// Stories with an article published on or before this date
    /// (YYYY-MM-DD).
    pub to: Option<String>,
    /// Stories whose articles name this person, organisation or place
    /// (as a phrase in their text).
    pub entity: Option<String>,
    /// Stories with an article from this outlet (its name, any case).
    pub outlet: Option<String>,
    /// Stories with an article in this language (ISO 639-1, e.g. `en`).
    pub lang: Option<String>,
    /// Stories whose articles match this full-text query.
    pub q: Option<String>,
    /// The order (default `recent`).
    #[param(inline)]
    pub sort: Option<StorySort>,
    /// The window of `growth`, in hours (default 24, at most 8760).
    #[param(minimum = 1, maximum = 8760)]
    pub hours: Option<u32>,
    /// Stories per page (default 50, at most 200; more is taken as 200).
    #[param(minimum = 1)]
    pub limit: Option<u32>,
    /// Where the page starts: the `next_cursor` of the page before.
    pub cursor: Option<String>,
}

/// Default stories per page.
const DEFAULT_LIMIT: usize = 50;
/// Most stories per page.
const MAX_LIMIT: usize = 200;
/// Most search hits a text or entity filter reads.
const FILTER_HITS: usize = 5000;
/// How many filter queries' stories are kept (for one state of the store).
const FILTERS_KEPT: usize = 256;

/// One story in the list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoryListItem {
    /// Headline, articles, events, outlets and dates.
    #[serde(flatten)]
    pub summary: StorySummary,
    /// Its outlets by name.
    pub outlet_names: Vec<String>,
    /// Its articles' languages.
    pub languages: Vec<String>,
    /// When its first article was stored (RFC 3339), if recorded.
    pub first_stored: Option<String>,
    /// When its last article was stored (RFC 3339), if recorded.
    pub last_stored: Option<String>,
    /// Independent reports (not reprints) stored in the last `hours`.
    pub recent_reports: usize,
    /// Outlets of the reports stored in the last `hours`.
    pub recent_outlets: usize,
    /// The story's version: it changes when its articles, events, title
    /// or dates do (`ETag` of the story, `If-Match` of a correction).
    pub version: String,
}

/// A page of stories.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoryPage {
    /// The stories of this page.
    pub stories: Vec<StoryListItem>,
    /// How many stories pass the filters, on every page.
    pub total: usize,
    /// The cursor of the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A story's version: a digest of its summary (articles, events, title,
/// dates, outlets).
pub(crate) fn version(summary: &StorySummary) -> String {
    let json = serde_json::to_vec(summary).unwrap_or_default();
    let digest = Sha256::digest(&json);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_date(name: &str, value: Option<&str>) -> Result<Option<Date>, Problem> {
    value
        .map(|v| {
            v.trim().parse::<Date>().map_err(|_| {
                Problem::bad_request(format!("{name}={v:?} is not a date (YYYY-MM-DD)"))
            })
        })
        .transpose()
}

/// A number that orders dates (0 when none).
fn days(date: Option<Date>) -> i64 {
    date.map_or(0, |d| {
        i64::from(d.year()) * 366 + i64::from(d.day_of_year())
    })
}

/// A page position: the sort key of the last story shown and its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Position {
    /// Larger first.
    key: [i64; 3],
    /// Then smaller numbers first.
    story: StoryId,
}

impl Position {
    /// Whether this position comes after `other` in the list.
    fn after(&self, other: &Position) -> bool {
        (std::cmp::Reverse(self.key), self.story) > (std::cmp::Reverse(other.key), other.story)
    }

    /// The opaque cursor (hex of the key and number, with the order's
    /// name, so that a cursor of another order is refused).
    fn cursor(&self, sort: StorySort) -> String {
        let text = format!(
            "{:?}:{}:{}:{}:{}",
            sort, self.key[0], self.key[1], self.key[2], self.story
        );
        text.bytes().map(|b| format!("{b:02x}")).collect()
    }

    fn parse(cursor: &str, sort: StorySort) -> Option<Position> {
        if !cursor.len().is_multiple_of(2) || cursor.len() > 200 {
            return None;
        }
        let bytes: Option<Vec<u8>> = (0..cursor.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok())
            .collect();
        let text = String::from_utf8(bytes?).ok()?;
        let mut parts = text.split(':');
        if parts.next()? != format!("{sort:?}") {
            return None;
        }
        let mut key = [0i64; 3];
        for k in &mut key {
            *k = parts.next()?.parse().ok()?;
        }
        let story = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some(Position { key, story })
    }
}

/// The stories that pass the filters, ranked, one page of them.
pub(crate) async fn page(state: &Arc<AppState>, query: StoryQuery) -> Result<StoryPage, Problem> {
    let query = StoryQuery {
        from: given(query.from),
        to: given(query.to),
        entity: given(query.entity),
        outlet: given(query.outlet),
        lang: given(query.lang),
        q: given(query.q),
        cursor: given(query.cursor),
        ..query
    };
    let from = parse_date("from", query.from.as_deref())?;
    let to = parse_date("to", query.to.as_deref())?;
    let sort = query.sort.unwrap_or_default();
    let hours = i64::from(query.hours.unwrap_or(24).clamp(1, 8760));
    let limit = query
        .limit
        .map_or(DEFAULT_LIMIT, |l| (l as usize).clamp(1, MAX_LIMIT));
    let after = match &query.cursor {
        Some(c) => Some(Position::parse(c, sort).ok_or_else(|| {
            Problem::bad_request(
                "the cursor is not one this list gave (for this order); start again without it",
            )
        })?),
        None => None,
    };
    let index = state.story_index().await?;
    // Text and entity filters go through the full-text index, each query
    // once for a given state of the store.
    let matching = |q: String| {
        let state = Arc::clone(state);
        let key = index.key;
        async move {
            if let Some(kept) = state
                .filters
                .lock()
                .ok()
                .and_then(|f| (f.0 == key).then(|| f.1.get(&q).cloned()).flatten())
            {
                return Ok(kept);
            }
            let asked = q.clone();
            let found = state
                .read(move |store| {
                    let stories = store.search_stories(&asked, FILTER_HITS)?;
                    Ok(Arc::new(stories.into_iter().collect::<BTreeSet<StoryId>>()))
                })
                .await?;
            if let Ok(mut filters) = state.filters.lock() {
                if filters.0 != key || filters.1.len() >= FILTERS_KEPT {
                    *filters = (key, std::collections::HashMap::new());
                }
                filters.1.insert(q, Arc::clone(&found));
            }
            Ok::<_, Problem>(found)
        }
    };
    let text = match query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => Some(matching(q.to_owned()).await?),
        None => None,
    };
    let entity = match query
        .entity
        .as_deref()
        .map(|e| e.replace('"', " "))
        .filter(|e| !e.trim().is_empty())
    {
        Some(e) => Some(matching(format!("\"{}\"", e.trim())).await?),
        None => None,
    };
    let outlet = query
        .outlet
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty());
    let lang = query
        .lang
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let since = jiff::Timestamp::now().as_second() - hours * 3600;

    let mut ranked: Vec<(Position, &StoryRow, usize, usize)> = index
        .rows
        .values()
        .filter(|row| {
            let s = &row.summary;
            from.is_none_or(|f| s.last_date.is_some_and(|d| d >= f))
                && to.is_none_or(|t| s.first_date.is_some_and(|d| d <= t))
                && text.as_ref().is_none_or(|set| set.contains(&s.id))
                && entity.as_ref().is_none_or(|set| set.contains(&s.id))
                && outlet.is_none_or(|o| row.outlets.iter().any(|n| n.eq_ignore_ascii_case(o)))
                && lang.is_none_or(|l| {
                    row.languages.iter().any(|n| {
                        n.split(['-', '_'])
                            .next()
                            .is_some_and(|p| p.eq_ignore_ascii_case(l))
                    })
                })
        })
        .map(|row| {
            // Sorted by time: the recent ones are the tail.
            let from = row.stored.partition_point(|a| a.at < since);
            let recent = row.stored[from..].iter().filter(|a| a.independent);
            let reports = recent.clone().count();
            let outlets = recent
                .map(|a| a.outlet.as_deref())
                .collect::<BTreeSet<_>>()
                .len();
            let last_stored = row.stored.last().map_or(0, |a| a.at);
            let s = &row.summary;
            let key = match sort {
                StorySort::Recent => [last_stored, days(s.last_date), s.articles.len() as i64],
                StorySort::Growth => [reports as i64, outlets as i64, last_stored],
                StorySort::Articles => [s.articles.len() as i64, s.outlets as i64, last_stored],
            };
            (Position { key, story: s.id }, row, reports, outlets)
        })
        .collect();
    ranked.sort_by(|a, b| {
        (std::cmp::Reverse(a.0.key), a.0.story).cmp(&(std::cmp::Reverse(b.0.key), b.0.story))
    });
    let total = ranked.len();
    let start = after.map_or(0, |after| {
        ranked.partition_point(|(p, ..)| !p.after(&after))
    });
    let shown: Vec<_> = ranked.iter().skip(start).take(limit).collect();
    let next_cursor = (start + shown.len() < total)
        .then(|| shown.last().map(|(p, ..)| p.cursor(sort)))
        .flatten();
    let stories = shown
        .into_iter()
        .map(|(_, row, reports, outlets)| StoryListItem {
            summary: row.summary.clone(),
            outlet_names: row.outlets.clone(),
            languages: row.languages.clone(),
            first_stored: row.stored.first().map(|a| a.time.clone()),
            last_stored: row.stored.last().map(|a| a.time.clone()),
            recent_reports: *reports,
            recent_outlets: *outlets,
            version: version(&row.summary),
        })
        .collect();
    Ok(StoryPage {
        stories,
        total,
        next_cursor,
    })
}

/// The stories, filtered and ranked, a page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/stories",
    operation_id = "list_stories",
    tag = "stories",
    params(StoryQuery),
    responses(
        (status = 200, description = "A page of stories", body = StoryPage),
        (status = 400, description = "A filter or cursor that cannot be read", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    Query(query): Query<StoryQuery>,
) -> Result<Json<StoryPage>, Problem> {
    Ok(Json(page(&state, query).await?))
}

/// Where a story number leads: the story itself, or the story a retired
/// number was merged into.
pub(crate) enum Found {
    /// The story holds articles.
    Here,
    /// The number was retired; its articles are in this story now.
    MovedTo(StoryId),
}

/// Follows retired numbers to the story that holds their articles.
pub(crate) fn find(
    store: &dyn Store,
    index: &StoryIndex,
    story: StoryId,
) -> Result<Found, Problem> {
    if index.rows.contains_key(&story) {
        return Ok(Found::Here);
    }
    let mut at = story;
    for _ in 0..1000 {
        match store.story_alias(at)? {
            Some(now) if index.rows.contains_key(&now) => return Ok(Found::MovedTo(now)),
            Some(now) => at = now,
            None => break,
        }
    }
    Err(Problem::not_found(format!("no story {story} in the store")))
}

/// A redirect to where a retired story number's articles are now.
fn moved(to: StoryId, suffix: &str) -> Response {
    let location = format!("/api/v1/stories/{to}{suffix}");
    let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// One story: headline, sources, articles, timeline, brief with its
/// citations, entities with their spellings, figures and quotes.
#[utoipa::path(
    get,
    path = "/api/v1/stories/{id}",
    operation_id = "get_story",
    tag = "stories",
    params(("id" = u64, Path, description = "The story's number")),
    responses(
        (status = 200, description = "The story's report; its `ETag` is the story's version", body = StoryReport,
            headers(("ETag" = String, description = "The story's version"))),
        (status = 304, description = "The story has not changed since the `If-None-Match` version"),
        (status = 307, description = "The number was retired: `Location` names the story that holds its articles now"),
        (status = 404, description = "No such story", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let index = state.story_index().await?;
    let kept = Arc::clone(&index);
    let found = state.read(move |store| find(store, &kept, id)).await?;
    if let Found::MovedTo(to) = found {
        return Ok(moved(to, ""));
    }
    let version = index
        .rows
        .get(&id)
        .map(|row| version(&row.summary))
        .unwrap_or_default();
    let etag = format!("\"{version}\"");
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let report = state
            .read(move |store| Ok(StoryReport::build_from(store, &index.entries, id)?))
            .await?;
        Json(report).into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    Ok(response)
}

/// Why a story's articles are together: each article's tie to its
/// event, each link between its events, the weakest first.
#[utoipa::path(
    get,
    path = "/api/v1/stories/{id}/why",
    operation_id = "get_story_why",
    tag = "stories",
    params(("id" = u64, Path, description = "The story's number")),
    responses(
        (status = 200, description = "Why the story's articles are together", body = StoryWhy),
        (status = 307, description = "The number was retired: `Location` names the story that holds its articles now"),
        (status = 404, description = "No such story", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn why(
    State(state): State<Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Response, Problem> {
    let index = state.story_index().await?;
    let found = state.read(move |store| find(store, &index, id)).await?;
    if let Found::MovedTo(to) = found {
        return Ok(moved(to, "/why"));
    }
    let why = state
        .read(move |store| Ok(newsdesk_desk::why::story_why(store, id)?))
        .await?;
    Ok(Json(why).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_is_refused_for_another_order() {
        let p = Position {
            key: [1_733_000_000, -3, 7],
            story: 42,
        };
        let c = p.cursor(StorySort::Growth);
        assert_eq!(Position::parse(&c, StorySort::Growth), Some(p));
        assert_eq!(Position::parse(&c, StorySort::Recent), None);
        let extra = format!("{c}3a31");
        for bad in ["", "zz", "0", &extra, "ff"] {
            assert_eq!(Position::parse(bad, StorySort::Growth), None, "{bad:?}");
        }
    }

    #[test]
    fn positions_run_from_the_largest_key_then_the_smallest_number() {
        let a = Position {
            key: [5, 0, 0],
            story: 9,
        };
        let b = Position {
            key: [5, 0, 0],
            story: 10,
        };
        let c = Position {
            key: [4, 9, 9],
            story: 1,
        };
        assert!(b.after(&a));
        assert!(c.after(&b));
        assert!(!a.after(&c));
    }
}
