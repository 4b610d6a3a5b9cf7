//! A story's entities: each article's entities
//! ([`crate::entity::group`]) merged when their names are spellings of one
//! name, every merge recorded with its reason.
//!
//! Two article entities merge when they come from different articles, are
//! both persons or both not persons (a person never merges with a place),
//! and one of these holds, tried in order:
//! 1. **same name**: their folded name tokens are equal;
//! 2. **same key**: their JRC-Names skeletons (module `names`) are equal
//!    and at least four letters long, and for persons the first and last
//!    tokens are compatible (so "Abdul Sattar Mirza Kawal" and "Abdul
//!    Satar Mirzakwal" merge but two people sharing only a surname do
//!    not);
//! 3. **similar tokens**: as many tokens, each pair one spelling
//!    ("Zabiullah" / "Zabihullah");
//! 4. **surname**: a person known by one name only ("Johnson") joins the
//!    one person of the story whose last name it is, if there is exactly
//!    one.
//!
//! A merge never puts two entities of one article together: the article
//! kept them apart, so they are different.
//!
//! An editor's corrections ([`crate::corrections`]) come before the rules
//! ([`merge_corrected`]): a merge of two entities is a must-link, even
//! within one article; a spelling split off an entity is a cannot-link
//! that no rule crosses; a rename changes the name shown.

use std::collections::{BTreeMap, BTreeSet};

use newsdesk_model::ArticleId;
use serde::Serialize;

use crate::corrections::{key, EntityCorrections, EntityEdit};
use crate::entity::ArticleEntity;
use crate::mention::{Kind, Mention};
use crate::names::{similar_tokens, skeleton};
use crate::places::{Place, Places};

/// One entity of a story.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entity {
    /// Its name (a person's fullest spelling; a short form's expansion).
    pub name: String,
    /// What it is.
    pub kind: Kind,
    /// Every spelling written for it, titles left out, sorted.
    pub variants: Vec<String>,
    /// The articles that mention it, in the order given.
    pub articles: Vec<ArticleId>,
    /// Its mentions, article by article in text order.
    pub mentions: Vec<EntityMention>,
    /// Titles and honorifics written with it, sorted.
    pub roles: Vec<String>,
    /// Why spellings were merged into it, and the editor's corrections
    /// that made it what it is (merged, split off, renamed).
    pub why: Vec<String>,
    /// For a place: its country and coordinates from the gazetteer (by its
    /// name, else the first variant the gazetteer knows).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub place: Option<Place>,
}

/// A mention of a story entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityMention {
    /// The article.
    pub article: ArticleId,
    /// The text as written.
    pub text: String,
    /// First byte in the article's text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

struct Item {
    article: usize,
    entity: ArticleEntity,
    tokens: Vec<String>,
    key: String,
    /// Its name and its mentions' spellings as corrections compare them.
    name_key: String,
    written_keys: BTreeSet<String>,
}

impl Item {
    fn new(article: usize, entity: ArticleEntity) -> Item {
        let name_key = key(&entity.name);
        let written_keys = entity.mentions.iter().map(|m| key(&m.text)).collect();
        let tokens = entity.tokens();
        let key = skeleton(&tokens);
        Item {
            article,
            entity,
            tokens,
            key,
            name_key,
            written_keys,
        }
    }

    /// Whether its name, folded, is one of `names`.
    fn named(&self, names: &BTreeSet<String>) -> bool {
        names.contains(&self.name_key)
    }

    /// Whether one of its mentions is written as one of `names`.
    fn written(&self, names: &BTreeSet<String>) -> bool {
        !self.written_keys.is_disjoint(names)
    }
}

/// The items an editor's name stands for: those with that name, else
/// (none has it) those with a mention so written.
fn matching(items: &[Item], names: &BTreeSet<String>) -> Vec<usize> {
    let named: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].named(names))
        .collect();
    if !named.is_empty() {
        return named;
    }
    (0..items.len())
        .filter(|&i| items[i].written(names))
        .collect()
}

/// A cannot-link constraint from a split: no entity holds an item of
/// each side.
struct Apart {
    /// The position of its correction (a later merge overrides it).
    order: usize,
    /// Whether it still holds.
    active: bool,
}

/// Who asks for a union.
#[derive(Clone, Copy)]
enum Guard {
    /// The rules: never two entities of one article, never against a
    /// split.
    Rules,
    /// The editor's merge at this position: it overrides the splits made
    /// before it and yields to those made after.
    Editor(usize),
}

/// Union-find over items, with each set's articles for the guard.
struct Sets {
    parent: Vec<usize>,
    articles: Vec<BTreeSet<usize>>,
    why: Vec<Vec<String>>,
    /// Each set's sides of the cannot-link constraints `(constraint,
    /// side)`.
    sides: Vec<BTreeSet<(usize, bool)>>,
    apart: Vec<Apart>,
    /// Items merged into another entity by an editor: not what it is
    /// called.
    absorbed: Vec<bool>,
}

impl Sets {
    fn new(items: &[Item], apart: Vec<(Apart, Vec<usize>, Vec<usize>)>) -> Sets {
        let mut sides = vec![BTreeSet::new(); items.len()];
        let mut constraints = Vec::with_capacity(apart.len());
        for (c, (constraint, a, b)) in apart.into_iter().enumerate() {
            for i in a {
                sides[i].insert((c, true));
            }
            for i in b {
                sides[i].insert((c, false));
            }
            constraints.push(constraint);
        }
        Sets {
            parent: (0..items.len()).collect(),
            articles: items.iter().map(|i| BTreeSet::from([i.article])).collect(),
            why: items.iter().map(|i| i.entity.why.clone()).collect(),
            sides,
            apart: constraints,
            absorbed: vec![false; items.len()],
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Merges the sets of `a` and `b` if `guard` allows: the rules never
    /// merge sets that share an article or that a split keeps apart; an
    /// editor's merge does, except against a later split.
    fn union(&mut self, a: usize, b: usize, why: String, guard: Guard) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let conflicts: Vec<usize> = self.sides[ra]
            .iter()
            .filter(|&&(c, side)| self.apart[c].active && self.sides[rb].contains(&(c, !side)))
            .map(|&(c, _)| c)
            .collect();
        match guard {
            Guard::Rules => {
                if !conflicts.is_empty() || !self.articles[ra].is_disjoint(&self.articles[rb]) {
                    return false;
                }
            }
            Guard::Editor(at) => {
                if conflicts.iter().any(|&c| self.apart[c].order > at) {
                    return false;
                }
                for c in conflicts {
                    self.apart[c].active = false;
                }
            }
        }
        let (keep, gone) = (ra.min(rb), ra.max(rb));
        self.parent[gone] = keep;
        let moved = std::mem::take(&mut self.articles[gone]);
        self.articles[keep].extend(moved);
        let moved = std::mem::take(&mut self.why[gone]);
        self.why[keep].extend(moved);
        let moved = std::mem::take(&mut self.sides[gone]);
        self.sides[keep].extend(moved);
        if !why.is_empty() {
            self.why[keep].push(why);
        }
        true
    }
}

fn persons(kind: Kind) -> bool {
    kind == Kind::Person
}

/// Why two items name one thing, if they do (rules 1 to 3).
fn same(a: &Item, b: &Item) -> Option<String> {
    if persons(a.entity.kind) != persons(b.entity.kind) || a.tokens.is_empty() {
        return None;
    }
    let (x, y) = (&a.entity.name, &b.entity.name);
    if a.tokens == b.tokens {
        // Identical spellings need no reason.
        return Some(if x == y {
            String::new()
        } else {
            format!("same name: {x:?} = {y:?}")
        });
    }
    let person = persons(a.entity.kind);
    let ends_agree = || {
        let (af, bf) = (&a.tokens[0], &b.tokens[0]);
        let (al, bl) = (&a.tokens[a.tokens.len() - 1], &b.tokens[b.tokens.len() - 1]);
        // A last name written in two words ("Mirza Kawal" / "Mirzakwal")
        // agrees when one's skeleton ends the other's.
        let (kl, kr) = (
            skeleton(std::slice::from_ref(al)),
            skeleton(std::slice::from_ref(bl)),
        );
        similar_tokens(af, bf)
            && (similar_tokens(al, bl)
                || (kl.len() >= 2 && kr.len() >= 2 && (kl.ends_with(&kr) || kr.ends_with(&kl))))
    };
    let multi = a.tokens.len() > 1 && b.tokens.len() > 1;
    if a.key == b.key
        && a.key.chars().count() >= 4
        && (!person || (multi && ends_agree()))
        && (person || a.entity.kind == b.entity.kind || a.key.chars().count() >= 6)
    {
        return Some(format!(
            "same key {:?} (JRC-Names skeleton): {x:?} ~ {y:?}",
            a.key
        ));
    }
    if a.tokens.len() == b.tokens.len()
        && (!person || multi)
        && a.tokens
            .iter()
            .zip(&b.tokens)
            .all(|(s, t)| similar_tokens(s, t))
    {
        return Some(format!(
            "similar tokens (edit distance / skeleton per token): {x:?} ~ {y:?}"
        ));
    }
    None
}

/// Merges article entities (`per_article[i]` from article `ids[i]`) into
/// story entities.
pub fn merge(ids: &[ArticleId], per_article: Vec<Vec<ArticleEntity>>) -> Vec<Entity> {
    merge_corrected(ids, per_article, &EntityCorrections::default())
}

/// Merges article entities (`per_article[i]` from article `ids[i]`) into
/// story entities as [`merge`] does, honouring an editor's `corrections`
/// (in the order made):
/// - a **merge** is a must-link: every article entity called (else
///   written) `from` joins the one called `into`, even from one article,
///   and `into`'s side gives the name;
/// - a **split** is a cannot-link: the mentions written `spelling` of the
///   entity that held them (as merged without the split) become article
///   entities of their own, and no rule puts them back with the rest of
///   that entity; a later merge can;
/// - a **rename** changes the shown name of the entity called `entity`
///   (else of the one entity that has it as a spelling), once the
///   entities are merged.
///
/// Each correction that changed an entity is one of its reasons
/// ([`Entity::why`]), after its label.
pub fn merge_corrected(
    ids: &[ArticleId],
    per_article: Vec<Vec<ArticleEntity>>,
    corrections: &EntityCorrections,
) -> Vec<Entity> {
    let mut items: Vec<Item> = per_article
        .into_iter()
        .enumerate()
        .flat_map(|(article, entities)| {
            entities
                .into_iter()
                .map(move |entity| Item::new(article, entity))
        })
        .collect();
    let apart = if corrections.has_splits() {
        // Which entity a split spelling was in is what the merge makes of
        // it without the splits.
        let mut merged = link(&items, corrections, Vec::new());
        split(&mut items, &mut merged, corrections)
    } else {
        Vec::new()
    };
    let mut sets = link(&items, corrections, apart);
    let n = items.len();
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let root = sets.find(i);
        members.entry(root).or_default().push(i);
    }
    let mut out: Vec<Entity> = members
        .into_iter()
        .map(|(root, members)| {
            // An entity merged into another by the editor does not name
            // it (unless nothing else could).
            let naming: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| !sets.absorbed[i])
                .collect();
            let naming = if naming.is_empty() { &members } else { &naming };
            let why = std::mem::take(&mut sets.why[root]);
            build(ids, &items, &members, naming, why)
        })
        .collect();
    rename(&mut out, corrections);
    out.sort_by(|a, b| {
        b.mentions
            .len()
            .cmp(&a.mentions.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

/// Links items that name one thing: the editor's merges first, in the
/// order made, then rules 1 to 4, kept from what the `apart` constraints
/// (each with its two sides of items) forbid.
fn link(
    items: &[Item],
    corrections: &EntityCorrections,
    apart: Vec<(Apart, Vec<usize>, Vec<usize>)>,
) -> Sets {
    let n = items.len();
    let mut sets = Sets::new(items, apart);
    for (at, c) in corrections.corrections.iter().enumerate() {
        let EntityEdit::Merge { into, from } = &c.edit else {
            continue;
        };
        let targets = matching(items, &corrections.names(at, into));
        let sources: Vec<usize> = matching(items, &corrections.names(at, from))
            .into_iter()
            .filter(|i| !targets.contains(i))
            .collect();
        let Some(&anchor) = targets.first() else {
            continue;
        };
        for &t in &targets[1..] {
            sets.union(anchor, t, String::new(), Guard::Editor(at));
        }
        let why = format!("{}: {from:?} merged into {into:?}", c.label);
        let mut noted = false;
        for &s in &sources {
            let note = if noted { String::new() } else { why.clone() };
            noted |= sets.union(anchor, s, note, Guard::Editor(at));
        }
        // The latest merge says which side names the entity.
        let root = sets.find(anchor);
        for &s in &sources {
            if sets.find(s) == root {
                sets.absorbed[s] = true;
            }
        }
        for &t in &targets {
            sets.absorbed[t] = false;
        }
    }
    // Blocking: rules 1 to 3 need the same first letter (equal keys, or
    // similar first tokens), so only items of one block are compared.
    let mut blocks: BTreeMap<(bool, Option<char>), Vec<usize>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        blocks
            .entry((persons(item.entity.kind), item.key.chars().next()))
            .or_default()
            .push(i);
    }
    for block in blocks.values() {
        for (a, &i) in block.iter().enumerate() {
            for &j in &block[a + 1..] {
                if items[i].article == items[j].article {
                    continue;
                }
                if let Some(why) = same(&items[i], &items[j]) {
                    sets.union(i, j, why, Guard::Rules);
                }
            }
        }
    }
    // Rule 4: a person known by one name joins the only person whose
    // last name it is.
    for i in 0..n {
        let item = &items[i];
        if !persons(item.entity.kind) || item.tokens.len() != 1 {
            continue;
        }
        let root = sets.find(i);
        if (0..n).any(|j| sets.find(j) == root && items[j].tokens.len() > 1) {
            continue;
        }
        let mut candidates = BTreeMap::new();
        for (j, other) in items.iter().enumerate() {
            if persons(other.entity.kind)
                && other.tokens.len() > 1
                && other
                    .tokens
                    .last()
                    .is_some_and(|last| similar_tokens(last, &item.tokens[0]))
            {
                candidates.entry(sets.find(j)).or_insert(j);
            }
        }
        if candidates.len() == 1 {
            if let Some((_, &j)) = candidates.iter().next() {
                let why = format!(
                    "surname: {:?} is the only person of the story called so ({:?})",
                    item.entity.name, items[j].entity.name
                );
                sets.union(i, j, why, Guard::Rules);
            }
        }
    }
    sets
}

/// Applies the splits to the items: within the entity each split names
/// (as `merged` grouped the items without splits), the mentions written
/// as the spelling become items of their own (an item called so stays
/// whole: its article took all its mentions for that spelling). Returns
/// one cannot-link constraint per split: the spelling's items (every item
/// called so) against the rest of that entity.
fn split(
    items: &mut Vec<Item>,
    merged: &mut Sets,
    corrections: &EntityCorrections,
) -> Vec<(Apart, Vec<usize>, Vec<usize>)> {
    // The item of `merged` each item comes from (a split-off item from the
    // one it was cut out of).
    let mut origin: Vec<usize> = (0..items.len()).collect();
    let mut apart = Vec::new();
    for (at, c) in corrections.corrections.iter().enumerate() {
        let EntityEdit::Split { entity, spelling } = &c.edit else {
            continue;
        };
        let spelling_key = BTreeSet::from([key(spelling)]);
        let roots: BTreeSet<usize> = matching(items, &corrections.names(at, entity))
            .into_iter()
            .map(|i| merged.find(origin[i]))
            .collect();
        let group: Vec<usize> = (0..items.len())
            .filter(|&i| roots.contains(&merged.find(origin[i])))
            .collect();
        if group.is_empty() {
            continue;
        }
        let why = format!("{}: {spelling:?} split off {entity:?}", c.label);
        for &i in &group {
            if items[i].named(&spelling_key) || !items[i].written(&spelling_key) {
                continue;
            }
            let (off, kept): (Vec<Mention>, Vec<Mention>) = items[i]
                .entity
                .mentions
                .iter()
                .cloned()
                .partition(|m| spelling_key.contains(&key(&m.text)));
            if kept.is_empty() {
                // Every mention is so written: the item is the spelling.
                let mut entity = items[i].entity.clone();
                entity.name.clone_from(&off[0].text);
                items[i] = Item::new(items[i].article, entity);
                continue;
            }
            let roles = |ms: &[Mention]| -> Vec<String> {
                ms.iter()
                    .filter_map(|m| m.role.clone())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect()
            };
            let cut = ArticleEntity {
                name: off[0].text.clone(),
                kind: items[i].entity.kind,
                roles: roles(&off),
                mentions: off,
                why: Vec::new(),
            };
            let mut rest = items[i].entity.clone();
            rest.roles = roles(&kept);
            rest.mentions = kept;
            let article = items[i].article;
            items[i] = Item::new(article, rest);
            items.push(Item::new(article, cut));
            origin.push(origin[i]);
        }
        let (off, rest): (Vec<usize>, Vec<usize>) = (0..items.len())
            .filter(|&i| items[i].named(&spelling_key) || group.contains(&i))
            .partition(|&i| items[i].named(&spelling_key));
        for &i in &off {
            items[i].entity.why.push(why.clone());
        }
        apart.push((
            Apart {
                order: at,
                active: true,
            },
            off,
            rest,
        ));
    }
    apart
}

/// Applies the renames, in the order made, to the merged entities: an
/// entity called (else, the only one written) as the rename's `entity`
/// takes its new name. A rename of an entity that a later correction
/// merged into another is void: that one's name stays.
fn rename(entities: &mut [Entity], corrections: &EntityCorrections) {
    for (at, c) in corrections.corrections.iter().enumerate() {
        let EntityEdit::Rename { entity, to } = &c.edit else {
            continue;
        };
        if corrections.merged_away(at, to) {
            continue;
        }
        let old = key(entity);
        let mut hits: Vec<usize> = (0..entities.len())
            .filter(|&e| key(&entities[e].name) == old)
            .collect();
        if hits.is_empty() {
            hits = (0..entities.len())
                .filter(|&e| entities[e].variants.iter().any(|v| key(v) == old))
                .collect();
            if hits.len() > 1 {
                // A spelling of several entities does not say which.
                continue;
            }
        }
        for e in hits {
            let entity = &mut entities[e];
            let why = format!("{}: {:?} renamed {to:?}", c.label, entity.name);
            entity.name.clone_from(to);
            if !entity.why.contains(&why) {
                entity.why.push(why);
            }
        }
    }
}

/// The story entity of some items; its name is the best of the `naming`
/// items'.
fn build(
    ids: &[ArticleId],
    items: &[Item],
    members: &[usize],
    naming: &[usize],
    why: Vec<String>,
) -> Entity {
    let kind = {
        let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
        for &i in members {
            *counts.entry(items[i].entity.kind).or_default() += items[i].entity.mentions.len();
        }
        counts
            .into_iter()
            .max_by_key(|(k, c)| (*c, std::cmp::Reverse(*k)))
            .map_or(Kind::Other, |(k, _)| k)
    };
    let name = naming
        .iter()
        .map(|&i| &items[i])
        .max_by(|a, b| {
            let rank = |x: &Item| {
                if kind == Kind::Person {
                    (x.tokens.len(), x.entity.mentions.len())
                } else {
                    (x.entity.mentions.len(), x.tokens.len())
                }
            };
            rank(a)
                .cmp(&rank(b))
                .then_with(|| b.entity.name.cmp(&a.entity.name))
        })
        .map(|x| x.entity.name.clone())
        .unwrap_or_default();
    let mut variants = BTreeSet::new();
    let mut roles = BTreeSet::new();
    let mut articles = BTreeSet::new();
    let mut mentions = Vec::new();
    let mut ordered: Vec<usize> = members.to_vec();
    ordered.sort_by_key(|&i| items[i].article);
    for &i in &ordered {
        let item = &items[i];
        articles.insert(item.article);
        roles.extend(item.entity.roles.iter().cloned());
        for m in &item.entity.mentions {
            variants.insert(m.text.clone());
            if let Some(id) = ids.get(item.article) {
                mentions.push(EntityMention {
                    article: id.clone(),
                    text: m.text.clone(),
                    start: m.start,
                    end: m.end,
                });
            }
        }
    }
    let mut seen = BTreeSet::new();
    let lookup = |places: &Places| {
        std::iter::once(&name)
            .chain(variants.iter())
            .find_map(|v| places.lookup(v))
            .cloned()
    };
    let (kind, place) = match (kind, Places::embedded()) {
        (Kind::Place, Ok(places)) => (kind, lookup(places)),
        // A name the tagger could not type ("Paghman") that the gazetteer
        // knows by that exact spelling is a place.
        (Kind::Other, Ok(places)) => match places.lookup(&name) {
            Some(place) => (Kind::Place, Some(place.clone())),
            None => (kind, None),
        },
        _ => (kind, None),
    };
    Entity {
        place,
        name,
        kind,
        variants: variants.into_iter().collect(),
        articles: articles
            .into_iter()
            .filter_map(|a| ids.get(a).cloned())
            .collect(),
        mentions,
        roles: roles.into_iter().collect(),
        why: why.into_iter().filter(|w| seen.insert(w.clone())).collect(),
    }
}

/// How a story's entities group spellings, against gold groups of
/// spellings: pairs of spellings put together rightly and wrongly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GroupingScore {
    /// Pairs of spellings of one gold group that share an entity.
    pub merged_right: usize,
    /// Pairs of spellings of one gold group in different entities (or
    /// not found).
    pub missed: usize,
    /// Pairs of spellings of different gold groups that share an entity.
    pub merged_wrong: usize,
}

/// Scores variant grouping: `gold` holds groups of spellings (titles left
/// out), each group one entity. A spelling is looked up among every
/// entity's variants.
pub fn score_grouping(entities: &[Entity], gold: &[&[&str]]) -> GroupingScore {
    let entity_of = |spelling: &str| {
        entities
            .iter()
            .position(|e| e.variants.iter().any(|v| v == spelling))
    };
    let mut score = GroupingScore::default();
    let spellings: Vec<(usize, &str)> = gold
        .iter()
        .enumerate()
        .flat_map(|(g, group)| group.iter().map(move |s| (g, *s)))
        .collect();
    for (a, &(ga, sa)) in spellings.iter().enumerate() {
        for &(gb, sb) in &spellings[a + 1..] {
            let (ea, eb) = (entity_of(sa), entity_of(sb));
            let together = ea.is_some() && ea == eb;
            match (ga == gb, together) {
                (true, true) => score.merged_right += 1,
                (true, false) => score.missed += 1,
                (false, true) => score.merged_wrong += 1,
                (false, false) => {}
            }
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corrections::EntityCorrection;

    fn entity(name: &str, kind: Kind) -> ArticleEntity {
        ArticleEntity {
            name: name.to_string(),
            kind,
            mentions: vec![Mention {
                text: name.to_string(),
                kind,
                start: 0,
                end: name.len(),
                role: None,
                rule: None,
            }],
            roles: Vec::new(),
            why: Vec::new(),
        }
    }

    /// An article entity with several mentions, one after the other.
    fn written(name: &str, kind: Kind, spellings: &[&str]) -> ArticleEntity {
        let mut at = 0;
        let mentions = spellings
            .iter()
            .map(|s| {
                let m = Mention {
                    text: s.to_string(),
                    kind,
                    start: at,
                    end: at + s.len(),
                    role: None,
                    rule: None,
                };
                at += s.len() + 10;
                m
            })
            .collect();
        ArticleEntity {
            name: name.to_string(),
            kind,
            mentions,
            roles: Vec::new(),
            why: Vec::new(),
        }
    }

    fn ids(n: usize) -> Vec<ArticleId> {
        (0..n).map(|i| ArticleId(format!("a{i}"))).collect()
    }

    fn corrections(edits: Vec<EntityEdit>) -> EntityCorrections {
        EntityCorrections {
            corrections: edits
                .into_iter()
                .enumerate()
                .map(|(n, edit)| EntityCorrection {
                    edit,
                    label: format!("correction {}", n + 1),
                })
                .collect(),
        }
    }

    fn merge_into(into: &str, from: &str) -> EntityEdit {
        EntityEdit::Merge {
            into: into.into(),
            from: from.into(),
        }
    }

    fn split_off(entity: &str, spelling: &str) -> EntityEdit {
        EntityEdit::Split {
            entity: entity.into(),
            spelling: spelling.into(),
        }
    }

    fn rename_to(entity: &str, to: &str) -> EntityEdit {
        EntityEdit::Rename {
            entity: entity.into(),
            to: to.into(),
        }
    }

    /// The entities' names with their sorted spellings, by name.
    fn shown(entities: &[Entity]) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = entities
            .iter()
            .map(|e| (e.name.clone(), e.variants.clone()))
            .collect();
        out.sort();
        out
    }

    fn owned(name: &str, variants: &[&str]) -> (String, Vec<String>) {
        (
            name.to_string(),
            variants.iter().map(|v| v.to_string()).collect(),
        )
    }

    /// Two articles on a harbour strike: one spells the mayor "Tomas
    /// Kerrigan", the other "Tomas Kerigan"; a union leader, "Ilse Varga",
    /// and her deputy, "Harald Brenn".
    fn strike() -> Vec<Vec<ArticleEntity>> {
        vec![
            vec![
                written(
                    "Tomas Kerrigan",
                    Kind::Person,
                    &["Tomas Kerrigan", "Kerrigan"],
                ),
                entity("Ilse Varga", Kind::Person),
                entity("Harald Brenn", Kind::Person),
            ],
            vec![
                entity("Tomas Kerigan", Kind::Person),
                entity("Ilse Varga", Kind::Person),
            ],
        ]
    }

    #[test]
    fn without_corrections_the_merge_is_the_rules_alone() {
        let got = merge(&ids(2), strike());
        assert_eq!(
            shown(&got),
            [
                owned("Harald Brenn", &["Harald Brenn"]),
                owned("Ilse Varga", &["Ilse Varga"]),
                owned(
                    "Tomas Kerrigan",
                    &["Kerrigan", "Tomas Kerigan", "Tomas Kerrigan"]
                ),
            ]
        );
    }

    #[test]
    fn an_editors_merge_joins_entities_even_of_one_article_and_says_why() {
        let got = merge_corrected(
            &ids(2),
            strike(),
            &corrections(vec![merge_into("Ilse Varga", "Harald Brenn")]),
        );
        let varga = got.iter().find(|e| e.name == "Ilse Varga").expect("Varga");
        assert_eq!(varga.variants, ["Harald Brenn", "Ilse Varga"]);
        assert_eq!(varga.mentions.len(), 3);
        assert_eq!(
            varga.why,
            ["correction 1: \"Harald Brenn\" merged into \"Ilse Varga\""]
        );
        assert!(got.iter().all(|e| e.name != "Harald Brenn"));
    }

    #[test]
    fn the_entity_merged_into_keeps_its_name_even_when_shorter() {
        let per_article = vec![
            vec![entity("Varga", Kind::Person)],
            vec![entity("Ilse Margit Varga-Holm", Kind::Person)],
        ];
        let got = merge_corrected(
            &ids(2),
            per_article,
            &corrections(vec![merge_into("Varga", "Ilse Margit Varga-Holm")]),
        );
        assert_eq!(
            shown(&got),
            [owned("Varga", &["Ilse Margit Varga-Holm", "Varga"])]
        );
    }

    #[test]
    fn a_split_spelling_is_its_own_entity_and_never_merges_back() {
        let edits = corrections(vec![split_off("Tomas Kerrigan", "Tomas Kerigan")]);
        let got = merge_corrected(&ids(2), strike(), &edits);
        assert_eq!(
            shown(&got),
            [
                owned("Harald Brenn", &["Harald Brenn"]),
                owned("Ilse Varga", &["Ilse Varga"]),
                owned("Tomas Kerigan", &["Tomas Kerigan"]),
                owned("Tomas Kerrigan", &["Kerrigan", "Tomas Kerrigan"]),
            ]
        );
        let kerigan = got
            .iter()
            .find(|e| e.name == "Tomas Kerigan")
            .expect("split");
        assert_eq!(
            kerigan.why,
            ["correction 1: \"Tomas Kerigan\" split off \"Tomas Kerrigan\""]
        );
        // A third article that spells him as the second did joins the
        // spelling split off, not the entity it was split off.
        let mut more = strike();
        more.push(vec![entity("Tomas Kerigan", Kind::Person)]);
        let got = merge_corrected(&ids(3), more, &edits);
        let kerigan = got
            .iter()
            .find(|e| e.name == "Tomas Kerigan")
            .expect("split");
        assert_eq!(
            kerigan.articles,
            [ArticleId("a1".into()), ArticleId("a2".into())]
        );
        let kerrigan = got
            .iter()
            .find(|e| e.name == "Tomas Kerrigan")
            .expect("kept");
        assert_eq!(kerrigan.articles, [ArticleId("a0".into())]);
    }

    #[test]
    fn a_spelling_split_off_within_an_article_takes_its_mentions_along() {
        // "Kerrigan" would join "Tomas Kerrigan" (the only person so
        // called) in the article and by the surname rule: split off, it is
        // neither.
        let edits = corrections(vec![split_off("Tomas Kerrigan", "Kerrigan")]);
        let got = merge_corrected(&ids(2), strike(), &edits);
        assert_eq!(
            shown(&got),
            [
                owned("Harald Brenn", &["Harald Brenn"]),
                owned("Ilse Varga", &["Ilse Varga"]),
                owned("Kerrigan", &["Kerrigan"]),
                // Each spelling now has one mention: the rules name the
                // rest by the first alphabetically.
                owned("Tomas Kerigan", &["Tomas Kerigan", "Tomas Kerrigan"]),
            ]
        );
        let kerrigan = got.iter().find(|e| e.name == "Kerrigan").expect("split");
        assert_eq!(
            (kerrigan.mentions[0].start, kerrigan.mentions[0].end),
            (24, 32),
            "the mention keeps its span"
        );
    }

    #[test]
    fn the_later_of_a_merge_and_a_split_wins() {
        let split_then_merge = corrections(vec![
            split_off("Tomas Kerrigan", "Tomas Kerigan"),
            merge_into("Tomas Kerrigan", "Tomas Kerigan"),
        ]);
        let got = merge_corrected(&ids(2), strike(), &split_then_merge);
        assert!(got.iter().all(|e| e.name != "Tomas Kerigan"), "{got:#?}");
        let merge_then_split = corrections(vec![
            merge_into("Ilse Varga", "Harald Brenn"),
            split_off("Ilse Varga", "Harald Brenn"),
        ]);
        let got = merge_corrected(&ids(2), strike(), &merge_then_split);
        assert_eq!(
            shown(&got),
            shown(&merge_corrected(
                &ids(2),
                strike(),
                &corrections(vec![split_off("Ilse Varga", "Harald Brenn")])
            ))
        );
        assert!(got.iter().any(|e| e.name == "Harald Brenn"), "{got:#?}");
    }

    #[test]
    fn a_rename_finds_the_entity_by_name_or_by_a_spelling() {
        let got = merge_corrected(
            &ids(2),
            strike(),
            &corrections(vec![
                rename_to("Tomas Kerigan", "Tomás Kerrigan"),
                rename_to("ilse  varga", "Ilse Varga-Holm"),
            ]),
        );
        assert_eq!(
            shown(&got),
            [
                owned("Harald Brenn", &["Harald Brenn"]),
                owned("Ilse Varga-Holm", &["Ilse Varga"]),
                owned(
                    "Tomás Kerrigan",
                    &["Kerrigan", "Tomas Kerigan", "Tomas Kerrigan"]
                ),
            ]
        );
        let varga = got
            .iter()
            .find(|e| e.name == "Ilse Varga-Holm")
            .expect("renamed");
        assert_eq!(
            varga.why,
            ["correction 2: \"Ilse Varga\" renamed \"Ilse Varga-Holm\""]
        );
    }

    #[test]
    fn names_in_later_corrections_are_read_through_earlier_renames() {
        // Renamed, then merged under the new name: the merge finds her.
        let got = merge_corrected(
            &ids(2),
            strike(),
            &corrections(vec![
                rename_to("Ilse Varga", "I. Varga"),
                merge_into("I. Varga", "Harald Brenn"),
            ]),
        );
        assert_eq!(
            shown(&got),
            [
                owned("I. Varga", &["Harald Brenn", "Ilse Varga"]),
                owned(
                    "Tomas Kerrigan",
                    &["Kerrigan", "Tomas Kerigan", "Tomas Kerrigan"]
                ),
            ]
        );
        // Renamed, then merged into another: that one's name stays.
        let got = merge_corrected(
            &ids(2),
            strike(),
            &corrections(vec![
                rename_to("Harald Brenn", "H. Brenn"),
                merge_into("Ilse Varga", "H. Brenn"),
            ]),
        );
        assert_eq!(
            shown(&got),
            [
                owned("Ilse Varga", &["Harald Brenn", "Ilse Varga"]),
                owned(
                    "Tomas Kerrigan",
                    &["Kerrigan", "Tomas Kerigan", "Tomas Kerrigan"]
                ),
            ]
        );
    }

    #[test]
    fn corrections_of_entities_a_story_lacks_change_nothing() {
        let got = merge_corrected(
            &ids(2),
            strike(),
            &corrections(vec![
                merge_into("Ilse Varga", "Nobody Here"),
                split_off("Nobody Here", "Ilse Varga"),
                rename_to("Nobody Here", "Someone"),
            ]),
        );
        assert_eq!(got, merge(&ids(2), strike()));
    }

    #[test]
    fn variants_merge_and_namesakes_do_not() {
        let ids: Vec<ArticleId> = (0..3).map(|i| ArticleId(format!("a{i}"))).collect();
        let got = merge(
            &ids,
            vec![
                vec![
                    entity("Abdul Sattar Mirza Kawal", Kind::Person),
                    entity("Mazar-e-Sharif", Kind::Place),
                    entity("Boris Johnson", Kind::Person),
                    entity("Ashraf Ghani", Kind::Person),
                    entity("Abdul Ghani Baradar", Kind::Person),
                ],
                vec![
                    entity("Abdul Satar Mirzakwal", Kind::Person),
                    entity("Zabiullah Mujahid", Kind::Person),
                    entity("Johnson", Kind::Person),
                    entity("Mazar", Kind::Person),
                ],
                vec![
                    entity("Zabihullah Mujahid", Kind::Person),
                    entity("Mazar-i-Sharif", Kind::Place),
                    entity("Ghani", Kind::Person),
                ],
            ],
        );
        let gold: &[&[&str]] = &[
            &["Abdul Sattar Mirza Kawal", "Abdul Satar Mirzakwal"],
            &["Mazar-e-Sharif", "Mazar-i-Sharif"],
            &["Zabiullah Mujahid", "Zabihullah Mujahid"],
            &["Boris Johnson", "Johnson"],
            &["Ashraf Ghani", "Ghani"],
            &["Abdul Ghani Baradar"],
        ];
        let score = score_grouping(&got, gold);
        assert_eq!(
            score,
            GroupingScore {
                merged_right: 5,
                missed: 0,
                merged_wrong: 0
            },
            "{got:#?}"
        );
    }
}
