//! The named things an article mentions, as the facts stage needs them:
//! persons (quote speakers, pronoun antecedents), organisations and other
//! names (speakers of reported speech, what "it said" stands for) and
//! places (where a claim is about). [`from_entities`] adapts the entity
//! stage's [`ArticleEntity`] list to [`Named`] mentions.

use newsdesk_entities::entity::ArticleEntity;
use newsdesk_entities::mention::Kind;
use newsdesk_entities::places::{PlaceKind, Places};

/// What a named thing is, as far as facts care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A person.
    Person,
    /// An organisation.
    Organisation,
    /// Any other name (what the entity stage could not type: an armed
    /// group, an embassy, a nationality).
    Other,
    /// A place; `city` when the gazetteer knows it as a city or town (what
    /// "the city" and "the capital" can stand for).
    Place {
        /// Whether it is a city or town.
        city: bool,
    },
}

/// One mention of a named thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named<'a> {
    /// The entity's name (its canonical spelling).
    pub name: &'a str,
    /// What it is.
    pub kind: NameKind,
    /// Where the mention starts (byte offset into the article's text).
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

impl Named<'_> {
    /// Whether it names a person.
    pub fn is_person(&self) -> bool {
        self.kind == NameKind::Person
    }
}

/// The mentions of an article's named things, in text order. `places` tells cities from other places (`None`: no place is
/// taken for a city).
pub fn from_entities<'a>(entities: &'a [ArticleEntity], places: Option<&Places>) -> Vec<Named<'a>> {
    let mut out: Vec<Named<'a>> = entities
        .iter()
        .map(|e| {
            let kind = match e.kind {
                Kind::Person => NameKind::Person,
                Kind::Organisation => NameKind::Organisation,
                Kind::Place => NameKind::Place {
                    city: places
                        .and_then(|p| p.lookup(&e.name))
                        .is_some_and(|p| p.kind == PlaceKind::City),
                },
                Kind::Other => NameKind::Other,
            };
            (e, kind)
        })
        .flat_map(|(e, kind)| {
            e.mentions.iter().map(move |m| Named {
                name: e.name.as_str(),
                kind,
                start: m.start,
                end: m.end,
            })
        })
        .collect();
    out.sort_by_key(|n| (n.start, n.end));
    out
}
