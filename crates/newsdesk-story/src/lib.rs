//! Story stage of newsdesk: what a reader sees of a story at a glance.
//!
//! [`summarize`] lists stories (headline, articles, events, independent
//! outlets, first and last date); [`timeline`] dates a story's
//! developments. A story's entities, facts and brief are their own stages
//! (`newsdesk-entities`, `newsdesk-facts`, `newsdesk-brief`).
//!
//! ```
//! use newsdesk_model::ArticleId;
//! use newsdesk_story::{summarize, Member};
//!
//! let a = ArticleId("a".into());
//! let b = ArticleId("b".into());
//! let members = [
//!     Member { id: &a, title: Some("Dam cracks"), source: Some("River Post"), date: None, event: 1, story: 1, reprint: false },
//!     Member { id: &b, title: Some("Spillway fails"), source: None, date: None, event: 2, story: 1, reprint: false },
//! ];
//! let stories = summarize(&members);
//! assert_eq!(stories.len(), 1);
//! assert_eq!(stories[0].outlets, 2);
//! ```
#![deny(missing_docs)]

pub mod timeline;

use std::collections::{BTreeMap, BTreeSet};

use newsdesk_model::{ArticleId, Date, EventId, StoryId, StorySummary};

/// What the story list needs to know of one clustered article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member<'a> {
    /// The article.
    pub id: &'a ArticleId,
    /// Its headline, if any.
    pub title: Option<&'a str>,
    /// Its outlet, if known.
    pub source: Option<&'a str>,
    /// Its publication date, if known.
    pub date: Option<Date>,
    /// Its event.
    pub event: EventId,
    /// Its story.
    pub story: StoryId,
    /// Whether it is a reprint or copy of another article.
    pub reprint: bool,
}

/// Summarises the stories of some clustered articles (given in clustering
/// order), ordered by story number.
///
/// A story's headline is the title of the first article of its largest
/// event (the earliest such event on ties): the largest event is what most
/// outlets covered. Outlets are counted by distinct name, compared without
/// case, over independent reports only (a reprint adds no corroboration);
/// an article with no known outlet counts as one outlet of its own, since
/// nothing says it repeats another.
pub fn summarize(members: &[Member<'_>]) -> Vec<StorySummary> {
    let mut by_story: BTreeMap<StoryId, Vec<&Member<'_>>> = BTreeMap::new();
    for member in members {
        by_story.entry(member.story).or_default().push(member);
    }
    by_story
        .into_iter()
        .map(|(story, members)| summarize_one(story, &members))
        .collect()
}

fn summarize_one(story: StoryId, members: &[&Member<'_>]) -> StorySummary {
    let mut events: Vec<EventId> = Vec::new();
    let mut event_size: BTreeMap<EventId, usize> = BTreeMap::new();
    for m in members {
        if !events.contains(&m.event) {
            events.push(m.event);
        }
        *event_size.entry(m.event).or_default() += 1;
    }
    events.sort_unstable();
    let largest = events
        .iter()
        .copied()
        .max_by(|a, b| event_size[a].cmp(&event_size[b]).then(b.cmp(a)));
    let title = members
        .iter()
        .filter(|m| Some(m.event) == largest)
        .find_map(|m| m.title)
        .or_else(|| members.iter().find_map(|m| m.title))
        .unwrap_or("(untitled)")
        .to_string();
    let mut named: BTreeSet<String> = BTreeSet::new();
    let mut unnamed = 0usize;
    for m in members.iter().filter(|m| !m.reprint) {
        match m.source.map(str::trim).filter(|s| !s.is_empty()) {
            Some(source) => {
                named.insert(source.to_lowercase());
            }
            None => unnamed += 1,
        }
    }
    StorySummary {
        id: story,
        title,
        articles: members.iter().map(|m| m.id.clone()).collect(),
        events,
        outlets: named.len() + unnamed,
        reprints: members.iter().filter(|m| m.reprint).count(),
        first_date: members.iter().filter_map(|m| m.date).min(),
        last_date: members.iter().filter_map(|m| m.date).max(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_outlets_and_dates() {
        let ids: Vec<ArticleId> = (0..5).map(|i| ArticleId(format!("a{i}"))).collect();
        let d = |day| Some(jiff::civil::date(2025, 3, day));
        let members = [
            Member {
                id: &ids[0],
                title: Some("Cracks found"),
                source: Some("River Post"),
                date: d(13),
                event: 1,
                story: 1,
                reprint: false,
            },
            Member {
                id: &ids[1],
                title: Some("Spillway fails"),
                source: Some("river post"),
                date: d(14),
                event: 2,
                story: 1,
                reprint: false,
            },
            Member {
                id: &ids[2],
                title: None,
                source: None,
                date: None,
                event: 2,
                story: 1,
                reprint: false,
            },
            Member {
                id: &ids[3],
                title: Some("Tram vote"),
                source: Some("Gazette"),
                date: d(14),
                event: 3,
                story: 2,
                reprint: false,
            },
            // A reprint by another outlet: counted, but not as an outlet.
            Member {
                id: &ids[4],
                title: Some("Spillway fails (reprint)"),
                source: Some("Harrow Ledger"),
                date: d(15),
                event: 2,
                story: 1,
                reprint: true,
            },
        ];
        let stories = summarize(&members);
        assert_eq!(stories.len(), 2);
        let first = &stories[0];
        assert_eq!(first.title, "Spillway fails");
        assert_eq!(first.events, [1, 2]);
        assert_eq!(first.outlets, 2);
        assert_eq!(first.reprints, 1);
        assert_eq!(first.articles.len(), 4);
        assert_eq!(first.first_date, d(13));
        assert_eq!(first.last_date, d(15));
        assert_eq!(stories[1].articles, [ids[3].clone()]);
    }
}
