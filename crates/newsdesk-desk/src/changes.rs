//! What changed in the stories since a point in time: the articles and
//! outlets added, the figures that changed or became disputed, the quotes
//! and timeline entries that are new, the stories merged into them, and
//! the corrections made.
//!
//! "Since" is when newsdesk stored an article (an editor's "since I last
//! looked"), not when it was published; a figure's change itself is
//! dated by publication, as the facts date it. Without a time, every
//! change is reported: the figures that changed over the story's whole
//! course, with their dates.

use std::collections::BTreeSet;

use newsdesk_facts::table::{FigureGroup, QuoteGroup, Status};
use newsdesk_model::correction::CorrectionRecord;
use newsdesk_model::{ArticleId, StoryId};
use newsdesk_store::Store;
use newsdesk_story::timeline::Entry;
use serde::Serialize;

use crate::sources::Sources;
use crate::story::{current_story, story_facts, story_facts_and_timeline};
use crate::DeskError;

/// A point in time as `changes --since` takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Since(String);

/// A `--since` that is neither a date nor a time.
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SSZ)")]
pub struct BadSince(String);

impl std::str::FromStr for Since {
    type Err = BadSince;

    /// A date (`2026-12-07`, from its start, UTC) or an RFC 3339 time.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(date) = s.parse::<jiff::civil::Date>() {
            let start: jiff::Timestamp = format!("{date}T00:00:00Z")
                .parse()
                .map_err(|_| BadSince(s.to_owned()))?;
            return Ok(Since(start.to_string()));
        }
        let time: jiff::Timestamp = s.parse().map_err(|_| BadSince(s.to_owned()))?;
        let whole = jiff::Timestamp::from_second(time.as_second()).unwrap_or(time);
        Ok(Since(whole.to_string()))
    }
}

impl Since {
    /// Whether a stored time (RFC 3339 UTC, as newsdesk writes it) is at
    /// or after this one; an unknown time is not.
    fn covers(&self, at: Option<&str>) -> bool {
        // Both are written by jiff in UTC to the second ("…T08:00:00Z"),
        // so their text sorts as their time.
        at.is_some_and(|at| at >= self.0.as_str())
    }

    /// The time, RFC 3339.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What changed in one story.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryChanges {
    /// The story.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub story: StoryId,
    /// Its headline.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub title: Option<String>,
    /// The story's sources, which the citations number.
    pub sources: Sources,
    /// Articles stored since (all of them without `--since`).
    pub new_articles: Vec<ArticleId>,
    /// Outlets none of whose articles the story held before.
    pub new_outlets: Vec<String>,
    /// Figures whose values differ over time (changed) or between
    /// outlets at one time (disputed), where a new article reports one
    /// of the values.
    pub figures: Vec<FigureGroup>,
    /// Quotes that a new article reports.
    pub quotes: Vec<QuoteGroup>,
    /// Timeline entries that a new article reports.
    pub timeline: Vec<Entry>,
    /// Story ids retired into this story since (merged in by a
    /// re-linking or a correction).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u64>))]
    pub merged: Vec<StoryId>,
    /// Corrections made (or undone) since that concern the story's
    /// articles.
    pub corrections: Vec<CorrectionRecord>,
}

/// What changed since `since` (everything without it) in story `story`,
/// or in every story that changed.
pub fn changes(
    store: &dyn Store,
    since: Option<&Since>,
    story: Option<StoryId>,
) -> Result<Vec<StoryChanges>, DeskError> {
    let index = store.index()?;
    let story = story.map(|s| current_story(store, s)).transpose()?;
    let is_new = |at: Option<&str>| since.is_none_or(|since| since.covers(at));
    let stories: BTreeSet<StoryId> = index
        .iter()
        .filter(|e| story.is_none_or(|s| s == e.story))
        .map(|e| e.story)
        .collect();
    let retired = store.retired_stories()?;
    let records = store.corrections()?;
    let mut all = Vec::new();
    for s in stories {
        let entries: Vec<_> = index.iter().filter(|e| e.story == s).collect();
        let new: BTreeSet<&str> = entries
            .iter()
            .filter(|e| is_new(e.ingested_at.as_deref()))
            .map(|e| e.id.as_str())
            .collect();
        let merged: Vec<StoryId> = retired
            .iter()
            .filter(|r| r.now == s && is_new(r.retired_at.as_deref()))
            .map(|r| r.story)
            .collect();
        let held: BTreeSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        let corrections: Vec<CorrectionRecord> = records
            .iter()
            .filter(|r| is_new(Some(r.undone_at.as_deref().unwrap_or(&r.at))))
            .filter(|r| r.correction.names_any_of(&held))
            .cloned()
            .collect();
        if new.is_empty() && merged.is_empty() && corrections.is_empty() {
            continue;
        }
        let old_outlets: BTreeSet<&str> = entries
            .iter()
            .filter(|e| !new.contains(e.id.as_str()))
            .filter_map(|e| e.source.as_deref())
            .collect();
        let new_outlets: BTreeSet<String> = entries
            .iter()
            .filter(|e| new.contains(e.id.as_str()))
            .filter_map(|e| e.source.as_deref())
            .filter(|o| !old_outlets.contains(o))
            .map(str::to_owned)
            .collect();
        // The timeline is only asked for with a time; the documents are
        // read once for both.
        let (facts, entries_of_timeline) = if since.is_some() {
            story_facts_and_timeline(store, s)?
        } else {
            (story_facts(store, s)?, Vec::new())
        };
        let cites_new = |citations: &[newsdesk_facts::table::Citation]| {
            citations.iter().any(|c| new.contains(c.article.as_str()))
        };
        let figures = facts
            .facts
            .figures
            .into_iter()
            .filter(|g| matches!(g.status, Status::Changed | Status::Disputed))
            .filter(|g| g.values.iter().any(|v| cites_new(&v.citations)))
            .collect();
        let quotes = if since.is_some() {
            facts
                .facts
                .quotes
                .into_iter()
                .filter(|q| cites_new(&q.citations))
                .collect()
        } else {
            Vec::new()
        };
        let timeline = entries_of_timeline
            .into_iter()
            .filter(|e| e.citations.iter().any(|c| new.contains(c.article.as_str())))
            .collect();
        all.push(StoryChanges {
            story: s,
            title: entries.iter().find_map(|e| e.title.clone()),
            sources: facts.sources,
            new_articles: entries
                .iter()
                .filter(|e| new.contains(e.id.as_str()))
                .map(|e| e.id.clone())
                .collect(),
            new_outlets: new_outlets.into_iter().collect(),
            figures,
            quotes,
            timeline,
            merged,
            corrections,
        });
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_date_or_a_time_and_compares_as_time() {
        let day: Since = "2026-12-07".parse().expect("date");
        assert_eq!(day.as_str(), "2026-12-07T00:00:00Z");
        let time: Since = "2026-12-07T08:30:00.25Z".parse().expect("time");
        assert_eq!(time.as_str(), "2026-12-07T08:30:00Z");
        assert!(day.covers(Some("2026-12-07T00:00:00Z")));
        assert!(day.covers(Some("2026-12-08T01:00:00Z")));
        assert!(!day.covers(Some("2026-12-06T23:59:59Z")));
        assert!(!day.covers(None));
        assert!("yesterday".parse::<Since>().is_err());
    }
}
