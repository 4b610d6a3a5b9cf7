//! Events, stories and the summary a reader sees of a story.

use serde::{Deserialize, Serialize};

use crate::{ArticleId, Date};

/// The number of an event: a group of articles about one development.
/// Numbered from 1 in the order events were opened.
pub type EventId = u64;

/// The number of a story: events that continue one another over days.
/// Numbered from 1 in the order stories were opened.
pub type StoryId = u64;

/// Where the cluster stage put one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The article.
    pub id: ArticleId,
    /// Its event.
    pub event: EventId,
    /// The story its event belongs to.
    pub story: StoryId,
    /// When the article is a reprint or lightly edited copy of an earlier
    /// one: that canonical article. A copy shares its original's event and
    /// story and does not count as an independent report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<ArticleId>,
}

/// What the story list shows of one story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StorySummary {
    /// The story's number.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub id: StoryId,
    /// A headline for the story (from its most representative article).
    pub title: String,
    /// Its articles, in the order they were clustered.
    pub articles: Vec<ArticleId>,
    /// Its events, in the order they were opened.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u64>))]
    pub events: Vec<EventId>,
    /// Distinct outlets; an article with no known outlet counts as one.
    pub outlets: usize,
    /// Articles that are copies of another article of the story (reprints
    /// of one wire story count once: `articles = independent + reprints`).
    pub reprints: usize,
    /// Earliest publication date among its articles.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, required = true))]
    pub first_date: Option<Date>,
    /// Latest publication date among its articles.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, required = true))]
    pub last_date: Option<Date>,
}
