//! An editor's corrections of newsdesk's analysis: stories merged, articles
//! or events moved, events split, entities merged, split or renamed,
//! figures and quotes rejected or re-attributed.
//!
//! A correction names what it corrects by what does not change when the
//! stories are linked again: article ids (with the articles a story or
//! event held when the editor corrected it), entity names, and byte spans
//! of articles. Kept in the store, each is applied again after every
//! re-linking and every ingest: the story corrections as must-link and
//! cannot-link constraints that story linking honours
//! ([`StoryConstraints`]), the others where a story's entities and facts
//! are assembled.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{ArticleId, EventId, StoryId};

/// One correction, as the editor made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Correction {
    /// Two stories are one: every article of `from` goes with those of
    /// `into`, which keeps its id.
    MergeStories {
        /// The story that stays.
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        into: StoryId,
        /// The story merged into it.
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        from: StoryId,
        /// The articles of `into` when they were merged.
        into_articles: Vec<ArticleId>,
        /// The articles of `from` when they were merged (undone, they get
        /// `from` back).
        from_articles: Vec<ArticleId>,
    },
    /// Articles (one, or a whole event) leave their story for another
    /// story, or for a story of their own.
    Move {
        /// The articles moved.
        articles: Vec<ArticleId>,
        /// The story they left.
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        from: StoryId,
        /// The event they were in.
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        from_event: EventId,
        /// Whether the whole event moved (else the articles leave it for
        /// an event of their own).
        whole_event: bool,
        /// The story they go to; `None` for a new story.
        #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>, required = true))]
        to: Option<StoryId>,
        /// The articles of that story when they were moved: the moved
        /// articles stay with them.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(required = true))]
        with: Vec<ArticleId>,
        /// The other articles of the story they left: never again in
        /// their story.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(required = true))]
        away_from: Vec<ArticleId>,
    },
    /// Some articles of an event are an event of their own.
    SplitEvent {
        /// The event split.
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        event: EventId,
        /// The articles that leave it, as one new event.
        articles: Vec<ArticleId>,
    },
    /// Two entities are one: `from`'s mentions go under `into`'s name.
    MergeEntities {
        /// The name that stays.
        into: String,
        /// The name merged into it.
        from: String,
    },
    /// A spelling is not the entity it was merged into: its mentions are
    /// an entity of their own.
    SplitSpelling {
        /// The entity it was merged into (its name).
        entity: String,
        /// The spelling split off.
        spelling: String,
    },
    /// An entity goes by another name.
    RenameEntity {
        /// Its name now.
        entity: String,
        /// The name it takes.
        to: String,
    },
    /// A figure is wrong: it is left out of the story's facts.
    RejectFigure {
        /// The article that reports it.
        article: ArticleId,
        /// Byte offset where its text starts in the article.
        start: usize,
    },
    /// A quote is wrong (not a quote, or not of this story): it is left out.
    RejectQuote {
        /// The article that reports it.
        article: ArticleId,
        /// Byte offset where its text starts in the article.
        start: usize,
    },
    /// A quote's speaker is someone else.
    AttributeQuote {
        /// The article that reports it.
        article: ArticleId,
        /// Byte offset where its text starts in the article.
        start: usize,
        /// The speaker's name.
        speaker: String,
    },
}

impl Correction {
    /// What the correction does, in a few words, for listings.
    pub fn describe(&self) -> String {
        match self {
            Correction::MergeStories { into, from, .. } => {
                format!("merge story {from} into story {into}")
            }
            Correction::Move {
                articles,
                from_event,
                whole_event,
                to,
                ..
            } => {
                let what = match (whole_event, articles.as_slice()) {
                    (true, _) => format!("event {from_event}"),
                    (false, [one]) => format!("article {one}"),
                    (false, many) => format!("{} articles", many.len()),
                };
                match to {
                    Some(story) => format!("move {what} to story {story}"),
                    None => format!("move {what} to a new story"),
                }
            }
            Correction::SplitEvent { event, articles } => {
                format!("split {} article(s) off event {event}", articles.len())
            }
            Correction::MergeEntities { into, from } => {
                format!("merge entity \"{from}\" into \"{into}\"")
            }
            Correction::SplitSpelling { entity, spelling } => {
                format!("split \"{spelling}\" off entity \"{entity}\"")
            }
            Correction::RenameEntity { entity, to } => {
                format!("rename entity \"{entity}\" to \"{to}\"")
            }
            Correction::RejectFigure { article, start } => {
                format!("reject the figure at byte {start} of article {article}")
            }
            Correction::RejectQuote { article, start } => {
                format!("reject the quote at byte {start} of article {article}")
            }
            Correction::AttributeQuote {
                article,
                start,
                speaker,
            } => format!("attribute the quote at byte {start} of article {article} to {speaker}"),
        }
    }

    /// Whether the correction names one of the articles `held` (by id):
    /// those a story correction moved or kept together, or the article of
    /// a corrected figure or quote. Entity corrections name no article.
    pub fn names_any_of(&self, held: &std::collections::BTreeSet<&str>) -> bool {
        let any = |articles: &[ArticleId]| articles.iter().any(|a| held.contains(a.as_str()));
        match self {
            Correction::MergeStories {
                into_articles,
                from_articles,
                ..
            } => any(into_articles) || any(from_articles),
            Correction::Move { articles, .. } | Correction::SplitEvent { articles, .. } => {
                any(articles)
            }
            Correction::RejectFigure { article, .. }
            | Correction::RejectQuote { article, .. }
            | Correction::AttributeQuote { article, .. } => held.contains(article.as_str()),
            Correction::MergeEntities { .. }
            | Correction::SplitSpelling { .. }
            | Correction::RenameEntity { .. } => false,
        }
    }

    /// Whether the correction changes how events are linked into stories
    /// (and so calls for a re-linking when made or undone).
    pub fn changes_stories(&self) -> bool {
        matches!(
            self,
            Correction::MergeStories { .. }
                | Correction::Move { .. }
                | Correction::SplitEvent { .. }
        )
    }
}

/// A correction as the store keeps it: numbered, with who made it, when,
/// and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectionRecord {
    /// Its number, from 1, in the order made.
    pub id: u64,
    /// What it corrects.
    #[serde(flatten)]
    pub correction: Correction,
    /// Who made it.
    pub by: String,
    /// When, as an RFC 3339 UTC timestamp.
    pub at: String,
    /// Why, if the editor said.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub reason: Option<String>,
    /// When it was undone, if it was (an undone correction is kept, for
    /// the record, and no longer applied).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub undone_at: Option<String>,
}

/// The first event number of the events that corrections make: an event
/// split off by correction `n` is event `CORRECTION_EVENTS + n`, far above
/// any the clusterer numbers (from 1, one per event it opens).
pub const CORRECTION_EVENTS: EventId = 1_000_000_000_000;

/// What the story corrections ask of story linking, over articles:
/// groups of articles that must share a story, pairs of groups that must
/// not, and the event of each article a correction split off its event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryConstraints {
    /// Each group's articles are in one story.
    pub together: Vec<Vec<ArticleId>>,
    /// No article of the first group is in a story with one of the second.
    pub apart: Vec<(Vec<ArticleId>, Vec<ArticleId>)>,
    /// The event of every article that a correction, in force or undone,
    /// ever split off its event: the event of the last correction in force
    /// that split it off ([`CORRECTION_EVENTS`] + its number), else the
    /// clusterer's event it was first split off (all undone).
    pub events: BTreeMap<ArticleId, EventId>,
}

impl StoryConstraints {
    /// The constraints of the corrections (in the order made; undone ones
    /// only give back the events they took).
    pub fn of<'a>(corrections: impl IntoIterator<Item = &'a CorrectionRecord>) -> Self {
        let mut constraints = StoryConstraints::default();
        for record in corrections {
            let in_force = record.undone_at.is_none();
            let split_off = |constraints: &mut StoryConstraints, articles: &[ArticleId], from| {
                for article in articles {
                    let event = constraints.events.entry(article.clone()).or_insert(from);
                    if in_force {
                        *event = CORRECTION_EVENTS + record.id;
                    }
                }
            };
            match &record.correction {
                Correction::MergeStories {
                    into_articles,
                    from_articles,
                    ..
                } if in_force => {
                    let mut group = into_articles.clone();
                    group.extend(from_articles.iter().cloned());
                    constraints.together.push(group);
                }
                Correction::Move {
                    articles,
                    from_event,
                    whole_event,
                    with,
                    away_from,
                    ..
                } => {
                    if !whole_event {
                        split_off(&mut constraints, articles, *from_event);
                    }
                    if in_force {
                        // A later move supersedes what earlier corrections
                        // said of these articles' stories.
                        constraints.forget(articles);
                    }
                    if in_force && !with.is_empty() {
                        let mut group = with.clone();
                        group.extend(articles.iter().cloned());
                        constraints.together.push(group);
                    }
                    if in_force && !away_from.is_empty() {
                        constraints
                            .apart
                            .push((articles.clone(), away_from.clone()));
                    }
                }
                Correction::SplitEvent { event, articles } => {
                    split_off(&mut constraints, articles, *event);
                }
                _ => {}
            }
        }
        constraints
    }

    /// Drops `articles` from the constraints made so far.
    fn forget(&mut self, articles: &[ArticleId]) {
        let gone = |a: &ArticleId| articles.contains(a);
        for group in &mut self.together {
            group.retain(|a| !gone(a));
        }
        self.together.retain(|group| group.len() > 1);
        for (left, right) in &mut self.apart {
            left.retain(|a| !gone(a));
            right.retain(|a| !gone(a));
        }
        self.apart
            .retain(|(left, right)| !left.is_empty() && !right.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ArticleId {
        ArticleId(s.to_string())
    }

    fn record(id: u64, correction: Correction) -> CorrectionRecord {
        CorrectionRecord {
            id,
            correction,
            by: "editor".into(),
            at: "2026-12-07T00:00:00Z".into(),
            reason: None,
            undone_at: None,
        }
    }

    #[test]
    fn a_correction_round_trips_through_json_with_its_kind() {
        let r = record(
            3,
            Correction::Move {
                articles: vec![id("a")],
                from: 2,
                from_event: 7,
                whole_event: false,
                to: Some(4),
                with: vec![id("b")],
                away_from: vec![id("c")],
            },
        );
        let json = serde_json::to_string(&r).expect("json");
        assert!(json.contains("\"kind\":\"move\""), "{json}");
        let back: CorrectionRecord = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, r);
    }

    #[test]
    fn constraints_come_from_the_corrections_in_force() {
        let mut undone = record(
            2,
            Correction::MergeStories {
                into: 1,
                from: 2,
                into_articles: vec![id("x")],
                from_articles: vec![id("y")],
            },
        );
        undone.undone_at = Some("2026-12-07T01:00:00Z".into());
        let records = [
            record(
                1,
                Correction::Move {
                    articles: vec![id("a")],
                    from: 2,
                    from_event: 7,
                    whole_event: false,
                    to: None,
                    with: vec![],
                    away_from: vec![id("b"), id("c")],
                },
            ),
            undone,
            record(
                3,
                Correction::RenameEntity {
                    entity: "A".into(),
                    to: "B".into(),
                },
            ),
        ];
        let c = StoryConstraints::of(&records);
        assert!(c.together.is_empty());
        assert_eq!(c.apart, vec![(vec![id("a")], vec![id("b"), id("c")])]);
        assert_eq!(c.events, BTreeMap::from([(id("a"), CORRECTION_EVENTS + 1)]));
    }

    #[test]
    fn an_article_split_off_by_an_undone_correction_gets_its_event_back() {
        let split = |n: u64, event: u64| {
            record(
                n,
                Correction::SplitEvent {
                    event,
                    articles: vec![id("a")],
                },
            )
        };
        let mut first = split(1, 7);
        let second = split(2, CORRECTION_EVENTS + 1);
        assert_eq!(
            StoryConstraints::of([&first, &second]).events[&id("a")],
            CORRECTION_EVENTS + 2
        );
        first.undone_at = Some("later".into());
        let mut second = second;
        second.undone_at = Some("later".into());
        assert_eq!(StoryConstraints::of([&first, &second]).events[&id("a")], 7);
        second.undone_at = None;
        assert_eq!(
            StoryConstraints::of([&first, &second]).events[&id("a")],
            CORRECTION_EVENTS + 2
        );
    }

    #[test]
    fn a_later_move_supersedes_an_earlier_merge_for_the_articles_it_moves() {
        let merge = record(
            1,
            Correction::MergeStories {
                into: 1,
                from: 2,
                into_articles: vec![id("a"), id("b")],
                from_articles: vec![id("c"), id("d")],
            },
        );
        let away = record(
            2,
            Correction::Move {
                articles: vec![id("d")],
                from: 1,
                from_event: 4,
                whole_event: false,
                to: None,
                with: vec![],
                away_from: vec![id("a"), id("b"), id("c")],
            },
        );
        let c = StoryConstraints::of([&merge, &away]);
        assert_eq!(c.together, vec![vec![id("a"), id("b"), id("c")]]);
        assert_eq!(
            c.apart,
            vec![(vec![id("d")], vec![id("a"), id("b"), id("c")])]
        );
    }
}
