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

use std::collections::{BTreeMap, BTreeSet};

use newsdesk_model::ArticleId;
use serde::Serialize;

use crate::entity::ArticleEntity;
use crate::mention::Kind;
use crate::names::{similar_tokens, skeleton};
use crate::places::{Place, Places};

/// One entity of a story.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// Why spellings were merged into it.
    pub why: Vec<String>,
    /// For a place: its country and coordinates from the gazetteer (by its
    /// name, else the first variant the gazetteer knows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
}

/// A mention of a story entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

/// Union-find over items, with each set's articles for the guard.
struct Sets {
    parent: Vec<usize>,
    articles: Vec<BTreeSet<usize>>,
    why: Vec<Vec<String>>,
}

impl Sets {
    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Merges the sets of `a` and `b` unless they share an article.
    fn union(&mut self, a: usize, b: usize, why: String) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb || !self.articles[ra].is_disjoint(&self.articles[rb]) {
            return false;
        }
        let (keep, gone) = (ra.min(rb), ra.max(rb));
        self.parent[gone] = keep;
        let moved = std::mem::take(&mut self.articles[gone]);
        self.articles[keep].extend(moved);
        let moved = std::mem::take(&mut self.why[gone]);
        self.why[keep].extend(moved);
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
    let items: Vec<Item> = per_article
        .into_iter()
        .enumerate()
        .flat_map(|(article, entities)| {
            entities.into_iter().map(move |entity| {
                let tokens = entity.tokens();
                let key = skeleton(&tokens);
                Item {
                    article,
                    entity,
                    tokens,
                    key,
                }
            })
        })
        .collect();
    let n = items.len();
    let mut sets = Sets {
        parent: (0..n).collect(),
        articles: items.iter().map(|i| BTreeSet::from([i.article])).collect(),
        why: items.iter().map(|i| i.entity.why.clone()).collect(),
    };
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
                    sets.union(i, j, why);
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
                sets.union(i, j, why);
            }
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let root = sets.find(i);
        members.entry(root).or_default().push(i);
    }
    let mut out: Vec<Entity> = members
        .into_iter()
        .map(|(root, members)| build(ids, &items, &members, std::mem::take(&mut sets.why[root])))
        .collect();
    out.sort_by(|a, b| {
        b.mentions
            .len()
            .cmp(&a.mentions.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

fn build(ids: &[ArticleId], items: &[Item], members: &[usize], why: Vec<String>) -> Entity {
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
    let name = members
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
    use crate::mention::Mention;

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
