//! Story ids that last: a story keeps its number when a re-linking keeps
//! most of its articles, so that `show 12` in an editor's note still names
//! the same story after the next ingest.
//!
//! Batch linking gives groups of events without ids. Each group inherits
//! the id of the stored story it shares most articles with, largest
//! overlaps first ([`stable_ids`]): on a merge the larger story keeps its
//! id and the other id is retired as merged into it; on a split the larger
//! part keeps the id and the other gets a new one. Ids are only inherited
//! from articles that a completed re-linking numbered; articles stored
//! since (an ingest cut short, or one that linked online) carry
//! provisional ids and are numbered with the new ones, in the order of
//! their groups' first articles, from above every id ever used. A store
//! filled in one ingest is thus numbered as before: 1, 2, … in the order
//! of each story's first article.

use std::collections::{BTreeMap, HashMap};

/// Stable ids for one re-linking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Renumbered {
    /// Each article's story id, in the order given.
    pub stories: Vec<u64>,
    /// Retired ids, each with the story it was merged into.
    pub aliases: Vec<(u64, u64)>,
}

/// The story ids of articles that batch linking put in `groups` (any
/// numbering, one per article), given each article's stored story when a
/// completed re-linking numbered it (`None` for articles stored since or
/// not stored yet); new ids start at `next`.
///
/// An editor's corrections come first (`preferred`, each an id and the
/// positions of the articles it names, most recent correction first):
/// the group that holds more than half of those articles takes the id,
/// unless an earlier preference gave that group or that id already.
pub(crate) fn stable_ids(
    groups: &[u64],
    old: &[Option<u64>],
    next: u64,
    preferred: &[(u64, Vec<usize>)],
) -> Renumbered {
    let mut id_of: HashMap<u64, u64> = HashMap::new();
    let mut taken: HashMap<u64, u64> = HashMap::new();
    for (id, positions) in preferred {
        let mut held: BTreeMap<u64, usize> = BTreeMap::new();
        for &p in positions {
            if let Some(&group) = groups.get(p) {
                *held.entry(group).or_default() += 1;
            }
        }
        let most = held
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(&group, &n)| (group, n));
        if let Some((group, n)) = most {
            if 2 * n > positions.len() && !id_of.contains_key(&group) && !taken.contains_key(id) {
                id_of.insert(group, *id);
                taken.insert(*id, group);
            }
        }
    }
    let mut overlap: BTreeMap<(u64, u64), usize> = BTreeMap::new();
    for (&group, old) in groups.iter().zip(old) {
        if let Some(old) = *old {
            *overlap.entry((group, old)).or_default() += 1;
        }
    }
    // Largest overlaps first; ties to the older id, then to the group of
    // the earlier first article (groups are numbered in that order).
    let mut pairs: Vec<(usize, u64, u64)> = overlap
        .iter()
        .map(|(&(group, old), &count)| (count, old, group))
        .collect();
    pairs.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for &(_, old, group) in &pairs {
        if !id_of.contains_key(&group) && !taken.contains_key(&old) {
            id_of.insert(group, old);
            taken.insert(old, group);
        }
    }
    let mut next = next;
    for &group in groups {
        id_of.entry(group).or_insert_with(|| {
            next += 1;
            next - 1
        });
    }
    // A retired id points at the story that holds most of its articles.
    let mut aliases: Vec<(u64, u64)> = Vec::new();
    for &(_, old, group) in &pairs {
        if let std::collections::hash_map::Entry::Vacant(slot) = taken.entry(old) {
            slot.insert(group);
            if let Some(&now) = id_of.get(&group) {
                aliases.push((old, now));
            }
        }
    }
    aliases.sort_unstable();
    Renumbered {
        stories: groups
            .iter()
            .map(|group| id_of.get(group).copied().unwrap_or(0))
            .collect(),
        aliases,
    }
}

/// Store ids for the stories the online clusterer gives new articles
/// before (or instead of) a batch re-linking: an article of a stored
/// event takes that event's story, one of a new event the story of the
/// clusterer's story's stored events, and a new story a new id.
#[derive(Debug, Default)]
pub(crate) struct OnlineIds {
    /// Event → its story in the store.
    events: HashMap<u64, u64>,
    /// The clusterer's story number → its story in the store.
    stories: HashMap<u64, u64>,
    next: u64,
}

impl OnlineIds {
    /// The ids of a store whose articles' events and stories are
    /// `stored` (in ingest order), with the clusterer's story of each
    /// event from `story_of_event`; new ids from `next` on.
    pub fn new(
        stored: impl IntoIterator<Item = (u64, u64)>,
        story_of_event: impl Fn(u64) -> Option<u64>,
        next: u64,
    ) -> OnlineIds {
        let mut ids = OnlineIds {
            next,
            ..OnlineIds::default()
        };
        for (event, story) in stored {
            if ids.events.contains_key(&event) {
                continue;
            }
            ids.events.insert(event, story);
            if let Some(clustered) = story_of_event(event) {
                ids.stories.entry(clustered).or_insert(story);
            }
        }
        ids
    }

    /// The store's id for an article the clusterer put in `event` and
    /// its story `clustered`.
    pub fn story(&mut self, event: u64, clustered: u64) -> u64 {
        let id = match self.events.get(&event) {
            Some(&id) => id,
            None => match self.stories.get(&clustered) {
                Some(&id) => id,
                None => {
                    self.next += 1;
                    self.next - 1
                }
            },
        };
        self.events.insert(event, id);
        self.stories.entry(clustered).or_insert(id);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_store_is_numbered_in_the_order_of_first_articles() {
        let got = stable_ids(&[4, 9, 4, 2], &[None; 4], 1, &[]);
        assert_eq!(got.stories, [1, 2, 1, 3]);
        assert!(got.aliases.is_empty());
    }

    #[test]
    fn a_story_that_keeps_its_articles_keeps_its_id() {
        // Stories 7 and 3 stored; a new article joins 3's group.
        let got = stable_ids(
            &[1, 1, 2, 2, 2],
            &[Some(7), Some(7), Some(3), Some(3), None],
            10,
            &[],
        );
        assert_eq!(got.stories, [7, 7, 3, 3, 3]);
        assert!(got.aliases.is_empty());
    }

    #[test]
    fn on_a_merge_the_larger_keeps_its_id_and_the_other_is_retired_into_it() {
        let got = stable_ids(
            &[1, 1, 1, 1],
            &[Some(5), Some(8), Some(8), Some(8)],
            10,
            &[],
        );
        assert_eq!(got.stories, [8, 8, 8, 8]);
        assert_eq!(got.aliases, [(5, 8)]);
    }

    #[test]
    fn an_editors_merge_keeps_the_id_the_editor_chose_and_its_undoing_gives_both_back() {
        // Story 5 (one article) merged into story 8 (three) by the editor,
        // who wants 5 to stay: 5's preference wins over the larger overlap.
        let merged = stable_ids(
            &[1, 1, 1, 1],
            &[Some(5), Some(8), Some(8), Some(8)],
            10,
            &[(5, vec![0, 1, 2, 3])],
        );
        assert_eq!(merged.stories, [5, 5, 5, 5]);
        assert_eq!(merged.aliases, [(8, 5)]);
        // Undone: each part takes its id back, the retired one too.
        let undone = stable_ids(
            &[1, 2, 2, 2],
            &[Some(5), Some(5), Some(5), Some(5)],
            10,
            &[(5, vec![0]), (8, vec![1, 2, 3])],
        );
        assert_eq!(undone.stories, [5, 8, 8, 8]);
        assert!(undone.aliases.is_empty());
        // A preference held by no group's majority gives nothing.
        let scattered = stable_ids(&[1, 2], &[Some(5), Some(5)], 10, &[(9, vec![0, 1])]);
        assert_eq!(scattered.stories, [5, 10]);
    }

    #[test]
    fn on_a_split_the_larger_part_keeps_the_id_and_the_other_gets_a_new_one() {
        let got = stable_ids(&[1, 2, 2, 3], &[Some(5), Some(5), Some(5), None], 10, &[]);
        assert_eq!(got.stories, [10, 5, 5, 11]);
        assert!(got.aliases.is_empty());
    }

    #[test]
    fn online_ids_follow_the_stored_event_then_the_clusterers_story() {
        // Stored: event 1 in store story 4 (clusterer story 1), event 2 in
        // store story 6 (clusterer story 2).
        let clustered = |event: u64| Some(event);
        let mut ids = OnlineIds::new([(1, 4), (2, 6), (1, 4)], clustered, 9);
        assert_eq!(ids.story(1, 1), 4, "a stored event");
        assert_eq!(ids.story(3, 2), 6, "a new event of a stored story");
        assert_eq!(ids.story(5, 5), 9, "a new story");
        assert_eq!(ids.story(6, 5), 9, "the same new story again");
    }
}
