//! Live updates: the story log as Server-Sent Events.
//!
//! Each event's id is its story-log sequence number, so a page that
//! reconnects sends `Last-Event-ID` and gets every change after it, none
//! missed and none twice. The log is written by whichever process
//! changed the store (this server, or an `ingest` beside it); a watcher
//! polls its last sequence number and wakes the streams.

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use newsdesk_desk::story::StoryReport;
use newsdesk_store::LogEntry;
use serde::Deserialize;

use crate::problem::{log_error, Problem};
use crate::state::AppState;

/// How often the watcher reads the store's last log sequence number.
pub(crate) const POLL: Duration = Duration::from_millis(250);

/// Most log entries sent in one read of the store.
const BATCH: usize = 500;

/// Where a stream starts.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LiveQuery {
    /// Start after this log sequence number (as `Last-Event-ID` does; the
    /// header wins when both are given). Without either, the stream
    /// starts with the changes made after it opened.
    pub after: Option<u64>,
}

/// Watches the store's story log and wakes the live streams when it
/// grows, until the server shuts down.
pub(crate) async fn watch_log(state: Arc<AppState>) {
    let mut shutdown = state.shutdown.clone();
    loop {
        let seq = state.read(|store| Ok(store.log_seq()?)).await;
        match seq {
            Ok(seq) => {
                // The new entries are read once, here, for every stream.
                if seq > *state.log.borrow() {
                    remember(&state, seq).await;
                }
                state.log.send_if_modified(|seen| {
                    let grew = seq != *seen;
                    *seen = seq;
                    grew
                });
            }
            Err(p) => {
                if let Some(detail) = &p.detail {
                    log_error(&std::io::Error::other(detail.clone()));
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// How many recent log entries are kept in memory for the streams.
const RECENT: usize = 20_000;

/// A log entry with the `figure.changed` events that go before it.
pub(crate) type Kept = (LogEntry, Arc<Vec<FigureChanged>>);

/// Reads the log entries up to `seq` that the server has not kept yet,
/// works out the figures each story growth changed, and keeps both (the
/// last [`RECENT`]), once for every stream.
async fn remember(state: &Arc<AppState>, seq: u64) {
    loop {
        let kept = state
            .recent
            .lock()
            .ok()
            .and_then(|r| r.back().map(|e| e.0.seq))
            .unwrap_or(*state.log.borrow());
        if kept >= seq {
            return;
        }
        let Ok(entries) = state
            .read(move |store| Ok(store.log_after(kept, BATCH)?))
            .await
        else {
            return;
        };
        if entries.is_empty() {
            return;
        }
        let mut with_figures = Vec::with_capacity(entries.len());
        for entry in entries {
            let figures = figures_of(state, &entry).await;
            with_figures.push((entry, figures));
        }
        if let Ok(mut recent) = state.recent.lock() {
            recent.extend(with_figures);
            while recent.len() > RECENT {
                recent.pop_front();
            }
        }
    }
}

/// The log entries after `after` with their figure events, from memory
/// when the server kept them all (a stream that is up to date), else
/// from the store (older entries, without figure events).
async fn entries_after(state: &Arc<AppState>, after: u64) -> Result<Vec<Kept>, Problem> {
    if let Ok(recent) = state.recent.lock() {
        if let Some(first) = recent.front() {
            if first.0.seq <= after + 1 {
                return Ok(recent
                    .iter()
                    .filter(|e| e.0.seq > after)
                    .take(BATCH)
                    .cloned()
                    .collect());
            }
        }
    }
    let entries = state
        .read(move |store| Ok(store.log_after(after, BATCH)?))
        .await?;
    Ok(entries.into_iter().map(|e| (e, Arc::default())).collect())
}

/// One log entry as an event: its kind as the event name, its sequence
/// number as the id, the entry as JSON data.
fn event(entry: &LogEntry) -> Event {
    let name = entry.kind.as_str().replace('_', ".");
    Event::default()
        .id(entry.seq.to_string())
        .event(name)
        .json_data(entry)
        .unwrap_or_else(|_| Event::default().comment("unreadable entry"))
}

/// A figure whose values changed over time or became disputed when a
/// story grew: sent as a `figure.changed` event just before the log
/// entry that grew the story (it carries no id of its own, so a client
/// that resumes after the entry before gets it again).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FigureChanged {
    /// The story-log entry that grew the story.
    pub seq: u64,
    /// The story.
    pub story: u64,
    /// The figure, with its status and values.
    pub figure: newsdesk_facts::table::FigureGroup,
}

/// The figures that changed over time or became disputed with the
/// articles that story-log entry `entry` added to a story (a story that
/// grew): those of the story's facts now whose values cite one of them.
/// Read from the story's report over the kept index, so that the store's
/// index is not read again for each story.
async fn figures_of(state: &Arc<AppState>, entry: &LogEntry) -> Arc<Vec<FigureChanged>> {
    use newsdesk_facts::table::Status;
    use newsdesk_store::LogKind;
    let (Some(story), Some(at)) = (entry.story, entry.at.clone()) else {
        return Arc::default();
    };
    if !matches!(entry.kind, LogKind::StoryGrew | LogKind::StoryRelinked) {
        return Arc::default();
    }
    let Ok(index) = state.story_index().await else {
        return Arc::default();
    };
    let seq = entry.seq;
    let found = state
        .read(move |store| {
            // The story's articles of the commit that wrote the entry, or
            // (moved in by a re-linking after their own commit) of its
            // latest commit.
            let of_story: Vec<&newsdesk_store::IndexEntry> =
                index.entries.iter().filter(|e| e.story == story).collect();
            let latest = of_story
                .iter()
                .filter_map(|e| e.ingested_at.as_deref())
                .max();
            let new: std::collections::BTreeSet<&str> = of_story
                .iter()
                .filter(|e| {
                    let at_entry = e.ingested_at.as_deref() == Some(at.as_str());
                    at_entry || (e.ingested_at.is_some() && e.ingested_at.as_deref() == latest)
                })
                .map(|e| e.id.as_str())
                .collect();
            if new.is_empty() {
                return Ok(Vec::new());
            }
            let report = match StoryReport::build_from(store, &index.entries, story) {
                Ok(report) => report,
                // A story merged away since has nothing to tell.
                Err(newsdesk_desk::DeskError::NoSuchStory(_)) => return Ok(Vec::new()),
                Err(e) => return Err(e.into()),
            };
            Ok(report
                .facts
                .figures
                .into_iter()
                .filter(|g| matches!(g.status, Status::Changed | Status::Disputed))
                .filter(|g| {
                    g.values
                        .iter()
                        .flat_map(|v| &v.citations)
                        .any(|c| new.contains(c.article.as_str()))
                })
                .map(|figure| FigureChanged { seq, story, figure })
                .collect())
        })
        .await;
    Arc::new(found.unwrap_or_default())
}

/// An event of the stream: a log entry, or a figure it changed.
enum Item {
    Entry(LogEntry),
    Figure(FigureChanged),
}

/// What the stream holds between events.
struct Cursor {
    state: Arc<AppState>,
    after: u64,
    pending: std::collections::VecDeque<Item>,
    log: tokio::sync::watch::Receiver<u64>,
    shutdown: tokio::sync::watch::Receiver<bool>,
}

impl Drop for Cursor {
    fn drop(&mut self) {
        self.state
            .metrics
            .live_clients
            .fetch_sub(1, Ordering::Relaxed);
    }
}

/// The changes to the stories as they happen (Server-Sent Events): each
/// event named by what changed (`story.new`, `story.grew`,
/// `story.relinked`, `story.merged`, `articles.updated`,
/// `correction.made`, `correction.undone`), its id the store's
/// story-log sequence number, its data the log entry; before the entry
/// that grew a story, a `figure.changed` event (no id) for each figure
/// whose values changed over time or became disputed with the new
/// articles. Reconnect with `Last-Event-ID` to resume.
#[utoipa::path(
    get,
    path = "/api/v1/live",
    operation_id = "live_updates",
    tag = "live",
    params(
        LiveQuery,
        ("Last-Event-ID" = Option<u64>, Header, description = "The last event id received: the stream resumes after it"),
    ),
    responses(
        (status = 200, description = "An endless stream of events, one per story-log entry", content_type = "text/event-stream", body = String),
        (status = 400, description = "A Last-Event-ID that is not a number", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn live(
    State(state): State<Arc<AppState>>,
    Query(query): Query<LiveQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Problem> {
    let resume = match headers.get("last-event-id") {
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .ok_or_else(|| {
                    Problem::bad_request("Last-Event-ID is not an event id this stream gave")
                })?,
        ),
        None => query.after,
    };
    let after = match resume {
        Some(after) => after,
        None => state.read(|store| Ok(store.log_seq()?)).await?,
    };
    state.metrics.live_clients.fetch_add(1, Ordering::Relaxed);
    let cursor = Cursor {
        log: state.log.subscribe(),
        shutdown: state.shutdown.clone(),
        state,
        after,
        pending: std::collections::VecDeque::new(),
    };
    let stream = futures_util::stream::unfold(cursor, |mut c| async move {
        loop {
            if *c.shutdown.borrow() {
                return None;
            }
            match c.pending.pop_front() {
                Some(Item::Entry(entry)) => {
                    c.after = entry.seq;
                    return Some((Ok(event(&entry)), c));
                }
                Some(Item::Figure(figure)) => {
                    let event = Event::default()
                        .event("figure.changed")
                        .json_data(&figure)
                        .unwrap_or_else(|_| Event::default().comment("unreadable figure"));
                    return Some((Ok(event), c));
                }
                None => {}
            }
            // Mark the log as seen before reading it, so that a change
            // made while reading wakes the next wait.
            c.log.borrow_and_update();
            let read = entries_after(&c.state, c.after).await;
            match read {
                Ok(entries) if !entries.is_empty() => {
                    for (entry, figures) in entries {
                        c.pending.extend(figures.iter().cloned().map(Item::Figure));
                        c.pending.push_back(Item::Entry(entry));
                    }
                    continue;
                }
                Ok(_) => {}
                // The store could not be read this time: wait for the
                // next change or poll, then try again.
                Err(_) => {}
            }
            tokio::select! {
                changed = c.log.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                }
                _ = c.shutdown.changed() => return None,
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
