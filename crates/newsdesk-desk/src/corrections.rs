//! An editor's corrections: made, listed, undone, and applied again at
//! every re-linking.
//!
//! A correction is asked for in the terms an editor sees ([`Request`]:
//! story and event numbers, article ids) and kept in the terms that last
//! ([`Correction`]: the articles each story or event held when it was
//! corrected), so that it still means the same after the stories are
//! linked again. The story corrections (merge, move, split) are applied
//! as constraints of batch story linking (`LinkAmendments`), at every
//! re-linking: an ingest of new articles, `newsdesk repair`, and the one
//! each correction and each undo runs itself. Undone, a correction is
//! kept (marked undone) and the stories are linked again without it; a
//! story id that a merge retired is given back to the story it names.

use std::collections::{BTreeSet, HashMap};

use newsdesk_cluster::linking::LinkConstraints;
use newsdesk_model::correction::{Correction, CorrectionRecord, StoryConstraints};
use newsdesk_model::{ArticleId, EventId, StoryId};
use newsdesk_store::{IndexEntry, Store};
use serde::Serialize;

use crate::ingest::{Ingestor, Linked};
use crate::story::current_story;
use crate::DeskError;

/// A correction as an editor asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Story `from` is part of story `into`.
    MergeStories {
        /// The story that stays.
        into: StoryId,
        /// The story merged into it.
        from: StoryId,
    },
    /// An article (with its reprints) leaves its event and story, for
    /// story `to` or a new story (`None`).
    MoveArticle {
        /// The article (its id, or a prefix of it that names one article).
        article: String,
        /// Where it goes.
        to: Option<StoryId>,
    },
    /// A whole event leaves its story, for story `to` or a new story.
    MoveEvent {
        /// The event.
        event: EventId,
        /// Where it goes.
        to: Option<StoryId>,
    },
    /// Some articles of an event are an event of their own.
    SplitEvent {
        /// The event.
        event: EventId,
        /// The articles that leave it (ids or prefixes).
        articles: Vec<String>,
    },
    /// A correction of entities or facts, kept as given.
    Other(Correction),
}

/// What a correction (or its undoing) did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Corrected {
    /// The correction as kept.
    pub correction: CorrectionRecord,
    /// Articles whose story changed when the stories were linked again
    /// (`None` for a correction that leaves the stories as they are).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub relinked: Option<usize>,
    /// The story the corrected articles are in now, for a correction of
    /// stories.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>, required = true))]
    pub story: Option<StoryId>,
}

/// What a correction of the stories could not be made for.
#[derive(Debug, thiserror::Error)]
pub enum CorrectionError {
    /// No stored article has that id or id prefix.
    #[error("no article {0} in the store; `newsdesk show STORY` lists a story's article ids")]
    NoSuchArticle(String),
    /// Several stored articles start with that prefix.
    #[error("{0} names {1} articles; give more of the id")]
    AmbiguousArticle(String, usize),
    /// No stored article is in that event.
    #[error("no event {0} in the store; `newsdesk show STORY` lists a story's events")]
    NoSuchEvent(EventId),
    /// The correction would change nothing.
    #[error("{0}")]
    Nothing(String),
    /// A name or value given is empty.
    #[error("{0} is empty")]
    Empty(&'static str),
}

/// Every correction made in the store, undone ones too, in the order made.
pub fn corrections(store: &dyn Store) -> Result<Vec<CorrectionRecord>, DeskError> {
    Ok(store.corrections()?)
}

impl Ingestor<'_> {
    /// Makes the correction `request` by `by` (for `reason`): resolves it
    /// against the stories as they are, keeps it, and links the stories
    /// again under it (for a correction of stories).
    pub fn correct(
        &mut self,
        request: Request,
        by: &str,
        reason: Option<&str>,
    ) -> Result<Corrected, DeskError> {
        let index = self.store().index()?;
        let correction = resolve(self.store(), &index, request)?;
        let record = self
            .store_mut()
            .add_correction(&correction, by, &crate::now(), reason)?;
        self.after(record)
    }

    /// Undoes correction `id` (kept, marked undone) and links the stories
    /// again without it (for a correction of stories); `None` when no
    /// correction has that number.
    pub fn undo_correction(&mut self, id: u64) -> Result<Option<Corrected>, DeskError> {
        match self.store_mut().undo_correction(id, &crate::now())? {
            Some(record) => self.after(record).map(Some),
            None => Ok(None),
        }
    }

    /// Links the stories again after `record` was made or undone, if it
    /// changes them.
    fn after(&mut self, record: CorrectionRecord) -> Result<Corrected, DeskError> {
        if !record.correction.changes_stories() {
            return Ok(Corrected {
                correction: record,
                relinked: None,
                story: None,
            });
        }
        let relinked = self.relink()?;
        let moved = match &record.correction {
            Correction::MergeStories { from_articles, .. } => from_articles.first(),
            Correction::Move { articles, .. } | Correction::SplitEvent { articles, .. } => {
                articles.first()
            }
            _ => None,
        };
        let story = match moved {
            Some(article) => self
                .store()
                .index()?
                .into_iter()
                .find(|e| &e.id == article)
                .map(|e| e.story),
            None => None,
        };
        Ok(Corrected {
            correction: record,
            relinked: Some(relinked),
            story,
        })
    }
}

/// The correction that `request` asks for, in lasting terms.
fn resolve(
    store: &dyn Store,
    index: &[IndexEntry],
    request: Request,
) -> Result<Correction, DeskError> {
    let story_of = |story: StoryId| -> Result<(StoryId, Vec<ArticleId>), DeskError> {
        let story = current_story(store, story)?;
        Ok((story, articles_where(index, |e| e.story == story)))
    };
    let nothing = |what: String| DeskError::Correction(CorrectionError::Nothing(what));
    Ok(match request {
        Request::MergeStories { into, from } => {
            let (into, into_articles) = story_of(into)?;
            let (from, from_articles) = story_of(from)?;
            if into == from {
                return Err(nothing(format!(
                    "story {from} and {into} are one story already"
                )));
            }
            Correction::MergeStories {
                into,
                from,
                into_articles,
                from_articles,
            }
        }
        Request::MoveArticle { article, to } => {
            let entry = find_article(index, &article)?;
            // Its reprints go with it.
            let mut articles = vec![entry.id.clone()];
            articles.extend(articles_where(index, |e| {
                e.duplicate_of.as_ref() == Some(&entry.id)
            }));
            moved(store, index, articles, entry.event, false, entry.story, to)?
        }
        Request::MoveEvent { event, to } => {
            let articles = articles_where(index, |e| e.event == event);
            let Some(story) = index.iter().find(|e| e.event == event).map(|e| e.story) else {
                return Err(DeskError::Correction(CorrectionError::NoSuchEvent(event)));
            };
            moved(store, index, articles, event, true, story, to)?
        }
        Request::SplitEvent { event, articles } => {
            let in_event = articles_where(index, |e| e.event == event);
            if in_event.is_empty() {
                return Err(DeskError::Correction(CorrectionError::NoSuchEvent(event)));
            }
            let mut split = Vec::new();
            for given in &articles {
                let entry = find_article(index, given)?;
                if entry.event != event {
                    return Err(nothing(format!(
                        "article {} is in event {}, not in event {event}",
                        entry.id, entry.event
                    )));
                }
                if !split.contains(&entry.id) {
                    split.push(entry.id.clone());
                }
            }
            if split.is_empty() || split.len() == in_event.len() {
                return Err(nothing(format!(
                    "a split of event {event} must leave some of its {} articles in it",
                    in_event.len()
                )));
            }
            Correction::SplitEvent {
                event,
                articles: split,
            }
        }
        Request::Other(mut correction) => {
            check_names(&correction)?;
            // A fact's article may be given by the start of its id.
            if let Correction::RejectFigure { article, .. }
            | Correction::RejectQuote { article, .. }
            | Correction::AttributeQuote { article, .. } = &mut correction
            {
                *article = find_article(index, article.as_str())?.id.clone();
            }
            correction
        }
    })
}

/// The move of `articles` (of event `event`, the whole of it or not) from
/// story `from` to story `to` (a new one for `None`).
fn moved(
    store: &dyn Store,
    index: &[IndexEntry],
    articles: Vec<ArticleId>,
    event: EventId,
    whole_event: bool,
    from: StoryId,
    to: Option<StoryId>,
) -> Result<Correction, DeskError> {
    let moving: BTreeSet<&ArticleId> = articles.iter().collect();
    let away_from = articles_where(index, |e| e.story == from && !moving.contains(&e.id));
    let (to, with) = match to {
        Some(to) => {
            let to = current_story(store, to)?;
            if to == from {
                return Err(DeskError::Correction(CorrectionError::Nothing(format!(
                    "already in story {to}"
                ))));
            }
            (Some(to), articles_where(index, |e| e.story == to))
        }
        None if away_from.is_empty() && whole_event => {
            return Err(DeskError::Correction(CorrectionError::Nothing(format!(
                "event {event} is story {from} on its own already"
            ))));
        }
        None => (None, Vec::new()),
    };
    Ok(Correction::Move {
        articles,
        from,
        from_event: event,
        whole_event,
        to,
        with,
        away_from,
    })
}

/// Refuses an entity or fact correction with an empty name.
fn check_names(correction: &Correction) -> Result<(), DeskError> {
    let empty = |name: &str, what| {
        if name.trim().is_empty() {
            Err(DeskError::Correction(CorrectionError::Empty(what)))
        } else {
            Ok(())
        }
    };
    match correction {
        Correction::MergeEntities { into, from } => {
            empty(into, "the entity's name")?;
            empty(from, "the entity's name")
        }
        Correction::SplitSpelling { entity, spelling } => {
            empty(entity, "the entity's name")?;
            empty(spelling, "the spelling")
        }
        Correction::RenameEntity { entity, to } => {
            empty(entity, "the entity's name")?;
            empty(to, "the new name")
        }
        Correction::AttributeQuote { speaker, .. } => empty(speaker, "the speaker's name"),
        _ => Ok(()),
    }
}

fn articles_where(index: &[IndexEntry], keep: impl Fn(&IndexEntry) -> bool) -> Vec<ArticleId> {
    index
        .iter()
        .filter(|e| keep(e))
        .map(|e| e.id.clone())
        .collect()
}

/// The stored article whose id is `given`, or the one whose id starts
/// with it.
fn find_article<'i>(index: &'i [IndexEntry], given: &str) -> Result<&'i IndexEntry, DeskError> {
    if let Some(entry) = index.iter().find(|e| e.id.as_str() == given) {
        return Ok(entry);
    }
    let matching: Vec<&IndexEntry> = index
        .iter()
        .filter(|e| !given.is_empty() && e.id.as_str().starts_with(given))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one),
        [] => Err(DeskError::Correction(CorrectionError::NoSuchArticle(
            given.to_owned(),
        ))),
        many => Err(DeskError::Correction(CorrectionError::AmbiguousArticle(
            given.to_owned(),
            many.len(),
        ))),
    }
}

/// What the story corrections in force change in one re-linking.
#[derive(Debug, Default)]
pub(crate) struct LinkAmendments {
    /// The constraints of batch linking, over positions in the order.
    pub links: LinkConstraints,
    /// Articles whose stored event changes (split off, or given back).
    pub events: Vec<(ArticleId, EventId)>,
    /// Story ids the corrections ask for, each with the positions in the
    /// order of the articles it names, most recent correction first (see
    /// [`crate::story_ids::stable_ids`]): a merge's story keeps the id the
    /// editor merged into, a move's target keeps its id, and an undone
    /// merge gives both stories their ids back.
    pub preferred: Vec<(StoryId, Vec<usize>)>,
}

impl LinkAmendments {
    /// The amendments of `records` to a re-linking of `order`: each
    /// article's event in `order` is set to the one the corrections give
    /// it. When the events were `regrouped` in batch, an undone split
    /// gives nothing back: the regrouping has decided the article's event
    /// afresh, and the event it was split off may no longer exist.
    pub(crate) fn of(
        records: &[CorrectionRecord],
        order: &mut [Linked],
        regrouped: bool,
    ) -> LinkAmendments {
        let mut amendments = LinkAmendments::default();
        if records.is_empty() {
            return amendments;
        }
        let constraints = StoryConstraints::of(records);
        {
            let position: HashMap<&ArticleId, usize> =
                order.iter().enumerate().map(|(i, l)| (&l.id, i)).collect();
            let positions = |articles: &mut dyn Iterator<Item = &ArticleId>| -> Vec<usize> {
                articles.filter_map(|a| position.get(a).copied()).collect()
            };
            amendments.links.together = constraints
                .together
                .iter()
                .map(|group| positions(&mut group.iter()))
                .filter(|group| group.len() > 1)
                .collect();
            amendments.links.apart = constraints
                .apart
                .iter()
                .map(|(left, right)| (positions(&mut left.iter()), positions(&mut right.iter())))
                .filter(|(left, right)| !left.is_empty() && !right.is_empty())
                .collect();
            for record in records.iter().rev() {
                let in_force = record.undone_at.is_none();
                match &record.correction {
                    Correction::MergeStories {
                        into,
                        from,
                        into_articles,
                        from_articles,
                    } => {
                        if in_force {
                            let both = &mut into_articles.iter().chain(from_articles);
                            amendments.preferred.push((*into, positions(both)));
                        } else {
                            let into_part = positions(&mut into_articles.iter());
                            amendments.preferred.push((*into, into_part));
                            let from_part = positions(&mut from_articles.iter());
                            amendments.preferred.push((*from, from_part));
                        }
                    }
                    Correction::Move {
                        articles,
                        from,
                        to,
                        with,
                        away_from,
                        ..
                    } if in_force => {
                        // The story left keeps its id; the one joined too.
                        if let Some(to) = to {
                            let both = &mut with.iter().chain(articles);
                            amendments.preferred.push((*to, positions(both)));
                        }
                        let left = positions(&mut away_from.iter());
                        amendments.preferred.push((*from, left));
                    }
                    _ => {}
                }
            }
            amendments.preferred.retain(|(_, p)| !p.is_empty());
        }
        for linked in order.iter_mut() {
            if let Some(&event) = constraints.events.get(&linked.id) {
                let given_back = event < newsdesk_model::correction::CORRECTION_EVENTS;
                if linked.event != event && !(regrouped && given_back) {
                    linked.event = event;
                    amendments.events.push((linked.id.clone(), event));
                }
            }
        }
        amendments
    }
}
