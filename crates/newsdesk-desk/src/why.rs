//! Why a story's articles are together: for each article, what ties it to
//! its event; for each link the batch linker made between the story's
//! events, what carries it; the weak ones first.
//!
//! Nothing of this is stored. It is measured now, on the stored articles,
//! as the batch linker weighs them ([`newsdesk_cluster::explain`]): each
//! article a unit TF-IDF vector of its word stems and names (title counted
//! twice), IDF over every article of the store, similarity the cosine.
//! These are the numbers the linker decides on (with the default
//! thresholds, [`BatchLinking::default`]); they are **not** those the
//! online clusterer saw when it placed an article in its event (it knew
//! only the articles before it, and decides ledes by a learned model), so
//! an article's "margin" says how well it fits its event now, not by how
//! much it won then.
//!
//! The cost is one reading of every stored article (their terms count
//! towards the IDF), as a re-linking reads them.

use std::collections::{BTreeMap, HashMap};

use newsdesk_cluster::explain::{
    link_weaknesses, tie_weaknesses, LinkSpace, LinkSpaceBuilder, LinkWeakness, Merge, SharedTerm,
    Tie, TieWeakness,
};
use newsdesk_cluster::linking::BatchLinking;
use newsdesk_cluster::{ArticleFeatures, ClusterConfig};
use newsdesk_model::{ArticleId, Document, StoryId};
use newsdesk_store::{IndexEntry, Store};
use newsdesk_text::normalize::normalize;
use newsdesk_text::words::{is_stop_word, lowercase, words, Stemmer};
use serde::Serialize;

use crate::DeskError;

/// How many stored documents are read at a time while the store's
/// articles are weighed.
const READ_CHUNK: usize = 512;

/// Why one story's articles are together.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryWhy {
    /// The story.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub story: StoryId,
    /// Its headline (its first article's title).
    pub title: String,
    /// What the numbers are, in one sentence.
    pub basis: String,
    /// Articles in the store (over which the IDF is counted).
    pub articles_in_store: usize,
    /// The linker's mean-similarity threshold.
    pub average_threshold: f64,
    /// The linker's floor between long articles.
    pub complete_floor: f64,
    /// The story's events, in order of their first article.
    pub events: Vec<EventWhy>,
    /// The links between the story's events (one fewer than the events),
    /// the weakest first.
    pub links: Vec<LinkWhy>,
    /// Its articles, the weakest ties first.
    pub articles: Vec<ArticleWhy>,
    /// The editor's corrections in force that put articles in this story
    /// or took some out (merges, moves, splits): a link they made is the
    /// editor's, whatever the numbers say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<newsdesk_model::correction::CorrectionRecord>,
}

impl StoryWhy {
    /// How many links have a weakness.
    pub fn weak_links(&self) -> usize {
        self.links
            .iter()
            .filter(|l| !l.weaknesses.is_empty())
            .count()
    }

    /// How many articles have a weak tie to their event.
    pub fn weak_articles(&self) -> usize {
        self.articles
            .iter()
            .filter(|a| !a.weaknesses.is_empty())
            .count()
    }
}

/// One event of the story.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventWhy {
    /// The event.
    pub event: u64,
    /// The title of its first article.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub title: Option<String>,
    /// Its articles (reprints too).
    pub articles: usize,
}

/// A shared term, readable.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = WhyTerm))]
pub struct Term {
    /// As a reader would write it: the commonest word of the story with
    /// this stem, or the name as the text spells it.
    pub text: String,
    /// The term as the linker counts it (a word stem, or a lowercased
    /// name).
    pub term: String,
    /// A name-like term (a capitalised run or a number) rather than a word.
    pub name: bool,
    /// Its part of the mean similarity.
    pub weight: f64,
    /// `weight` as a share of the mean similarity (0–1).
    pub share: f64,
}

/// How an article came into its event.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    /// It was the first article of its event: it opened it.
    Opened,
    /// It joined an event opened by an earlier article.
    Joined,
    /// It copies an earlier article (near-duplicate fingerprint) and was
    /// placed with it.
    Reprint {
        /// The article it copies.
        of: ArticleId,
    },
}

/// Another event an article resembles.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtherEvent {
    /// The event.
    pub event: u64,
    /// Its story.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub story: StoryId,
    /// The title of its first article.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub title: Option<String>,
    /// The article's mean similarity to its articles.
    pub similarity: f64,
}

/// What ties one article to its event.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleWhy {
    /// The article.
    pub id: ArticleId,
    /// Its headline.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub title: Option<String>,
    /// Its event.
    pub event: u64,
    /// How it came into the event.
    pub decision: Decision,
    /// Mean similarity to the other articles of its event (copies of it,
    /// or of what it copies, left out: they would say nothing); `None`
    /// when it has no other (alone in its event, or a reprint: its tie is
    /// its original's).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub similarity: Option<f64>,
    /// How many articles `similarity` is over.
    pub compared_with: usize,
    /// The shared terms that weigh most in `similarity`.
    pub shared: Vec<Term>,
    /// The other event of the store it resembles most, if any shares a
    /// term with it.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub closest_other: Option<OtherEvent>,
    /// `similarity` minus the closest other event's (negative: another
    /// event is more alike now).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub margin: Option<f64>,
    /// What makes the tie weak; empty when nothing does.
    pub weaknesses: Vec<TieWeakness>,
}

/// One link between two groups of the story's events.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkWhy {
    /// The events of one side.
    pub left: Vec<u64>,
    /// The events of the other side.
    pub right: Vec<u64>,
    /// The most alike pair of events across (one of each side), where the
    /// link holds.
    pub bridge: Bridge,
    /// Mean similarity over all article pairs across.
    pub average: f64,
    /// The mean without the heaviest shared term (a name with its
    /// words): how much of the link is left without it.
    pub without_top: f64,
    /// Lowest similarity of any article pair across.
    pub weakest: f64,
    /// Article pairs across.
    pub pairs: usize,
    /// Pairs that share no term.
    pub disjoint: usize,
    /// Lowest similarity between long articles across, which the
    /// complete-link floor reads; `None` when it does not apply.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub lowest_long: Option<f64>,
    /// Days between the two sides' publication ranges; `None` when either
    /// is undated (the linker's 60-day guard cannot act).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub gap_days: Option<i32>,
    /// Whether the batch linker made this link; when not, why it would
    /// have refused (the events were joined another way).
    pub by_linker: bool,
    /// Why the linker would have refused it.
    pub blocked: Vec<newsdesk_cluster::explain::Blocked>,
    /// The shared terms that weigh most in `average`.
    pub shared: Vec<Term>,
    /// What makes the link weak; empty when nothing does.
    pub weaknesses: Vec<LinkWeakness>,
}

/// The most alike pair of events across a link.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bridge {
    /// The event of the left side.
    pub left: u64,
    /// Its first article's title.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub left_title: Option<String>,
    /// The event of the right side.
    pub right: u64,
    /// Its first article's title.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub right_title: Option<String>,
    /// Their mean similarity.
    pub similarity: f64,
}

/// Why the articles of stored story `story` are together.
pub fn story_why(store: &dyn Store, story: StoryId) -> Result<StoryWhy, DeskError> {
    let index = store.index()?;
    if !index.iter().any(|e| e.story == story) {
        return Err(DeskError::NoSuchStory(story));
    }
    let config = ClusterConfig::default();
    let linking = BatchLinking::default();
    // Every stored article, in the linker's order (the index's), weighed
    // as it weighs them; the story's documents are kept for the words.
    let mut builder = LinkSpaceBuilder::default();
    let mut story_docs: Vec<Document> = Vec::new();
    for chunk in index.chunks(READ_CHUNK) {
        let ids: Vec<ArticleId> = chunk.iter().map(|e| e.id.clone()).collect();
        let docs = store.documents(&ids)?;
        if docs.len() != ids.len() || docs.iter().zip(&ids).any(|(d, id)| d.article.id != *id) {
            return Err(DeskError::StoreChanged);
        }
        for (doc, entry) in docs.into_iter().zip(chunk) {
            builder.add(&ArticleFeatures::for_linking(&doc, &config));
            if entry.story == story {
                story_docs.push(doc);
            }
        }
    }
    let space = builder.finish();
    let words = Spellings::of(&story_docs);
    let mut why = explain(&index, &space, story, &linking, &words);
    let held: std::collections::BTreeSet<&str> = index
        .iter()
        .filter(|e| e.story == story)
        .map(|e| e.id.as_str())
        .collect();
    why.corrections = store
        .corrections()?
        .into_iter()
        .filter(|r| r.undone_at.is_none() && r.correction.changes_stories())
        .filter(|r| r.correction.names_any_of(&held))
        .collect();
    Ok(why)
}

/// The explanation of `story` from the store's index and its articles
/// weighed in `space` (by index position).
fn explain(
    index: &[IndexEntry],
    space: &LinkSpace,
    story: StoryId,
    linking: &BatchLinking,
    words: &Spellings,
) -> StoryWhy {
    // Every event of the store, in order of first article.
    let mut event_slot: BTreeMap<u64, usize> = BTreeMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_event: Vec<u64> = Vec::new();
    for (position, entry) in index.iter().enumerate() {
        let next = groups.len();
        let slot = *event_slot.entry(entry.event).or_insert(next);
        if slot == next {
            groups.push(Vec::new());
            group_event.push(entry.event);
        }
        groups[slot].push(position);
    }
    let first_title = |event: u64| -> Option<String> {
        event_slot
            .get(&event)
            .and_then(|&slot| groups[slot].first())
            .and_then(|&p| index[p].title.clone())
    };
    let story_of_group =
        |slot: usize| -> StoryId { groups[slot].first().map_or(0, |&p| index[p].story) };
    let in_story: Vec<usize> = (0..index.len())
        .filter(|&p| index[p].story == story)
        .collect();
    // The story's events, in order of first article.
    let mut story_slots: Vec<usize> = Vec::new();
    for &p in &in_story {
        if let Some(&slot) = event_slot.get(&index[p].event) {
            if !story_slots.contains(&slot) {
                story_slots.push(slot);
            }
        }
    }
    // Articles by id, for copies.
    let position_of: HashMap<&ArticleId, usize> =
        index.iter().enumerate().map(|(p, e)| (&e.id, p)).collect();

    let mut articles: Vec<ArticleWhy> = in_story
        .iter()
        .map(|&p| {
            let entry = &index[p];
            let slot = event_slot.get(&entry.event).copied().unwrap_or(0);
            let members = &groups[slot];
            let decision = match &entry.duplicate_of {
                Some(of) => Decision::Reprint { of: of.clone() },
                None if members.first() == Some(&p) => Decision::Opened,
                None => Decision::Joined,
            };
            let original = entry.duplicate_of.as_ref().and_then(|o| position_of.get(o));
            let rest: Vec<usize> = if original.is_some() {
                Vec::new()
            } else {
                members
                    .iter()
                    .copied()
                    .filter(|&m| m != p && index[m].duplicate_of.as_ref() != Some(&entry.id))
                    .collect()
            };
            let tie = (!rest.is_empty()).then(|| space.between(&[p], &rest));
            let closest_other = if original.is_some() {
                None
            } else {
                space
                    .closest_groups(p, &groups)
                    .into_iter()
                    .find(|&(g, _)| g != slot)
                    .map(|(g, similarity)| OtherEvent {
                        event: group_event[g],
                        story: story_of_group(g),
                        title: first_title(group_event[g]),
                        similarity,
                    })
            };
            let similarity = tie.as_ref().map(|t| t.average);
            let margin =
                similarity.map(|s| s - closest_other.as_ref().map_or(0.0, |o| o.similarity));
            ArticleWhy {
                id: entry.id.clone(),
                title: entry.title.clone(),
                event: entry.event,
                decision,
                similarity,
                compared_with: rest.len(),
                shared: tie
                    .as_ref()
                    .map_or_else(Vec::new, |t| words.terms(&t.shared)),
                weaknesses: tie.as_ref().map_or_else(Vec::new, |t| {
                    tie_weaknesses(t, closest_other.as_ref().map(|o| o.similarity), linking)
                }),
                closest_other,
                margin,
            }
        })
        .collect();
    // Weakest ties first: most weaknesses, then the lowest margin; the
    // rest in story order.
    articles.sort_by(|a, b| {
        b.weaknesses.len().cmp(&a.weaknesses.len()).then_with(|| {
            if a.weaknesses.is_empty() {
                std::cmp::Ordering::Equal
            } else {
                let m = |x: &ArticleWhy| x.margin.unwrap_or(f64::INFINITY);
                m(a).total_cmp(&m(b))
            }
        })
    });

    let events: Vec<Vec<usize>> = story_slots.iter().map(|&s| groups[s].clone()).collect();
    let event_ids: Vec<u64> = story_slots.iter().map(|&s| group_event[s]).collect();
    let mut links: Vec<(LinkWhy, Tie)> = space
        .replay(&events, linking)
        .into_iter()
        .map(|merge| {
            let side = |of: &[usize]| -> Vec<usize> {
                of.iter().flat_map(|&e| events[e].iter().copied()).collect()
            };
            let tie = space.between(&side(&merge.left), &side(&merge.right));
            (
                link_why(&merge, &tie, &event_ids, linking, words, &first_title),
                tie,
            )
        })
        .collect();
    // Weakest first: most weaknesses, then the least left of the mean
    // without its heaviest term.
    links.sort_by(|(a, x), (b, y)| {
        b.weaknesses
            .len()
            .cmp(&a.weaknesses.len())
            .then(x.without_top().total_cmp(&y.without_top()))
    });
    let title = in_story
        .first()
        .and_then(|&p| index[p].title.clone())
        .unwrap_or_else(|| "(untitled)".to_owned());
    StoryWhy {
        story,
        title,
        basis: format!(
            "the cosine of TF-IDF vectors of word stems and names (title counted twice), \
             IDF over the {} articles of the store, as the batch linker weighs them now \
             (not as the clusterer saw them when it placed each article)",
            index.len()
        ),
        articles_in_store: index.len(),
        corrections: Vec::new(),
        average_threshold: linking.average_threshold,
        complete_floor: linking.complete_floor,
        events: story_slots
            .iter()
            .map(|&s| EventWhy {
                event: group_event[s],
                title: first_title(group_event[s]),
                articles: groups[s].len(),
            })
            .collect(),
        links: links.into_iter().map(|(l, _)| l).collect(),
        articles,
    }
}

fn link_why(
    merge: &Merge,
    tie: &Tie,
    event_ids: &[u64],
    linking: &BatchLinking,
    words: &Spellings,
    title: &dyn Fn(u64) -> Option<String>,
) -> LinkWhy {
    let ids = |of: &[usize]| -> Vec<u64> {
        of.iter()
            .filter_map(|&e| event_ids.get(e).copied())
            .collect()
    };
    let (left, right, similarity) = merge.bridge;
    let left = event_ids.get(left).copied().unwrap_or(0);
    let right = event_ids.get(right).copied().unwrap_or(0);
    LinkWhy {
        left: ids(&merge.left),
        right: ids(&merge.right),
        bridge: Bridge {
            left,
            left_title: title(left),
            right,
            right_title: title(right),
            similarity,
        },
        average: tie.average,
        without_top: tie.without_top(),
        weakest: tie.weakest,
        pairs: tie.pairs,
        disjoint: tie.disjoint,
        lowest_long: merge.lowest_long,
        gap_days: merge.gap_days,
        by_linker: merge.blocked.is_empty(),
        blocked: merge.blocked.clone(),
        shared: words.terms(&tie.shared),
        weaknesses: link_weaknesses(merge, tie, linking),
    }
}

/// How a story's texts spell its terms: for each word stem its commonest
/// word, for each name its first spelling.
#[derive(Debug, Default)]
struct Spellings {
    /// Stem → word → count.
    words: HashMap<String, BTreeMap<String, usize>>,
    /// Normalised texts (titles, headings, sentences), for names.
    texts: Vec<String>,
}

impl Spellings {
    fn of(docs: &[Document]) -> Spellings {
        let stemmer = Stemmer::new();
        let mut spellings = Spellings::default();
        for doc in docs {
            let texts = doc
                .article
                .title
                .iter()
                .map(String::as_str)
                .chain(doc.headings())
                .chain(doc.sentence_texts());
            for text in texts {
                let text = normalize(text).into_owned();
                for (_, word) in words(&text) {
                    let lower = lowercase(word);
                    if is_stop_word(&lower) || !lower.chars().any(char::is_alphabetic) {
                        continue;
                    }
                    let stem = stemmer.stem_owned(&lower);
                    *spellings
                        .words
                        .entry(stem)
                        .or_default()
                        .entry(lower)
                        .or_default() += 1;
                }
                spellings.texts.push(text);
            }
        }
        spellings
    }

    /// `shared` terms, readable.
    fn terms(&self, shared: &[SharedTerm]) -> Vec<Term> {
        shared
            .iter()
            .map(|t| Term {
                text: if t.name {
                    self.name(&t.term)
                } else {
                    self.word(&t.term)
                },
                term: t.term.clone(),
                name: t.name,
                weight: t.weight,
                share: t.share,
            })
            .collect()
    }

    /// The commonest word with this stem (ties: the first alphabetically);
    /// the stem itself when none is found.
    fn word(&self, stem: &str) -> String {
        self.words
            .get(stem)
            .and_then(|w| {
                w.iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            })
            .map_or_else(|| stem.to_owned(), |(w, _)| w.clone())
    }

    /// The name as the first text holding it spells it: the text from its
    /// first word to its last, where the text's words, lowercased, are the
    /// name's ("Mitch McConnell (R-Ky.)" for "mitch mcconnell r ky"); the
    /// lowercased name when no text holds it.
    fn name(&self, name: &str) -> String {
        let wanted: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
        if wanted.is_empty() {
            return name.to_owned();
        }
        for text in &self.texts {
            let found: Vec<(newsdesk_model::Span, String)> =
                words(text).map(|(span, w)| (span, lowercase(w))).collect();
            for run in found.windows(wanted.len()) {
                if run.iter().zip(&wanted).all(|((_, w), want)| w == want) {
                    let (start, end) = (run[0].0.start, run[run.len() - 1].0.end);
                    if let Some(spelled) = text.get(start..end) {
                        // "(R-Ky" of "(R-Ky.)": the bracket closed.
                        let mut spelled = spelled.to_owned();
                        if spelled.matches('(').count() > spelled.matches(')').count() {
                            spelled.push(')');
                        }
                        return spelled;
                    }
                }
            }
        }
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use newsdesk_model::Article;

    use super::*;

    fn doc(title: &str, text: &str) -> Document {
        let mut article = Article::new(text);
        article.title = Some(title.to_owned());
        newsdesk_text::analyze(article)
    }

    #[test]
    fn terms_read_as_the_texts_write_them() {
        let docs = [doc(
            "Flooded plant in Houston",
            "The flooded plant near Houston exploded. Floods closed the U.S. roads. \
             Mitch McConnell (R-Ky.) spoke.",
        )];
        let spellings = Spellings::of(&docs);
        assert_eq!(spellings.word("flood"), "flooded");
        assert_eq!(spellings.name("houston"), "Houston");
        assert_eq!(spellings.name("u.s"), "U.S");
        assert_eq!(
            spellings.name("flooded plant"),
            "Flooded plant",
            "the title first"
        );
        assert_eq!(
            spellings.name("mitch mcconnell r ky"),
            "Mitch McConnell (R-Ky)"
        );
        assert_eq!(spellings.name("nowhere"), "nowhere");
        assert_eq!(spellings.word("zzz"), "zzz");
    }

    fn entry(
        seq: u64,
        id: &ArticleId,
        event: u64,
        story: u64,
        duplicate_of: Option<&ArticleId>,
    ) -> IndexEntry {
        IndexEntry {
            seq,
            id: id.clone(),
            title: Some(format!("title of {id}")),
            date: None,
            source: None,
            lang: None,
            event,
            story,
            sentences: 1,
            duplicate_of: duplicate_of.cloned(),
            ingested_at: None,
        }
    }

    #[test]
    fn a_story_of_a_flood_and_a_funeral_sharing_one_city_is_explained_weak() {
        let texts = [
            (
                "Chemical plant explodes in flooded Houston",
                "Explosions shook the flooded chemical plant near Houston after the storm.",
            ),
            (
                "Flooded chemical plant burns near Houston",
                "The flooded chemical plant near Houston burned after explosions.",
            ),
            (
                "Funeral held in Houston",
                "Mourners gathered in Houston for the funeral of the slain man.",
            ),
            (
                "Tram vote in Dunmere",
                "The Dunmere council voted for trams.",
            ),
        ];
        let docs: Vec<Document> = texts.iter().map(|(t, b)| doc(t, b)).collect();
        let config = ClusterConfig::default();
        let mut builder = LinkSpaceBuilder::default();
        for d in &docs {
            builder.add(&ArticleFeatures::for_linking(d, &config));
        }
        let space = builder.finish();
        let index: Vec<IndexEntry> = docs
            .iter()
            .zip([(1, 1), (1, 1), (2, 1), (3, 2)])
            .enumerate()
            .map(|(i, (d, (event, story)))| entry(i as u64 + 1, &d.article.id, event, story, None))
            .collect();
        let why = explain(
            &index,
            &space,
            1,
            &BatchLinking::default(),
            &Spellings::of(&docs[..3]),
        );
        assert_eq!(why.events.len(), 2);
        assert_eq!(why.links.len(), 1);
        let link = &why.links[0];
        assert_eq!((link.left.clone(), link.right.clone()), (vec![1], vec![2]));
        assert_eq!(link.pairs, 2);
        let names: Vec<&str> = link
            .shared
            .iter()
            .filter(|t| t.name)
            .map(|t| t.text.as_str())
            .collect();
        assert!(names.contains(&"Houston"), "{link:?}");
        assert!(link.weaknesses.contains(&LinkWeakness::OneTerm), "{link:?}");
        assert_eq!(why.weak_links(), 1);
        // The two plant reports hold together; the funeral opened its own
        // event and has no other article to be compared with.
        let plant = why
            .articles
            .iter()
            .find(|a| a.id == index[1].id)
            .expect("article");
        assert!(matches!(plant.decision, Decision::Joined));
        assert!(plant.similarity.is_some_and(|s| s > 0.3), "{plant:?}");
        assert!(plant.weaknesses.is_empty(), "{plant:?}");
        assert_eq!(plant.closest_other.as_ref().map(|o| o.event), Some(2));
        let funeral = why
            .articles
            .iter()
            .find(|a| a.id == index[2].id)
            .expect("article");
        assert!(matches!(funeral.decision, Decision::Opened));
        assert_eq!((funeral.similarity, funeral.compared_with), (None, 0));
        let first = why
            .articles
            .iter()
            .find(|a| a.id == index[0].id)
            .expect("article");
        assert!(matches!(first.decision, Decision::Opened));
    }

    #[test]
    fn a_reprint_is_explained_by_its_original_and_not_compared_with_it() {
        let texts = [
            (
                "Dam cracks in Veldmoor",
                "Engineers found cracks in the Veldmoor dam spillway.",
            ),
            (
                "Dam cracks in Veldmoor",
                "(AP) Engineers found cracks in the Veldmoor dam spillway.",
            ),
            (
                "Veldmoor valley evacuated",
                "The valley below the Veldmoor dam was evacuated after the spillway cracks.",
            ),
        ];
        let docs: Vec<Document> = texts.iter().map(|(t, b)| doc(t, b)).collect();
        let mut builder = LinkSpaceBuilder::default();
        for d in &docs {
            builder.add(&ArticleFeatures::for_linking(d, &ClusterConfig::default()));
        }
        let space = builder.finish();
        let ids: Vec<&ArticleId> = docs.iter().map(|d| &d.article.id).collect();
        let index = vec![
            entry(1, ids[0], 1, 1, None),
            entry(2, ids[1], 1, 1, Some(ids[0])),
            entry(3, ids[2], 1, 1, None),
        ];
        let why = explain(
            &index,
            &space,
            1,
            &BatchLinking::default(),
            &Spellings::of(&docs),
        );
        assert!(why.links.is_empty(), "one event, no link");
        let original = why
            .articles
            .iter()
            .find(|a| a.id == index[0].id)
            .expect("article");
        assert_eq!(original.compared_with, 1, "not with its copy");
        assert!(original.similarity.is_some_and(|s| s < 0.99));
        let copy = why
            .articles
            .iter()
            .find(|a| a.id == index[1].id)
            .expect("article");
        assert!(matches!(&copy.decision, Decision::Reprint { of } if *of == index[0].id));
        assert_eq!(copy.similarity, None);
    }
}
