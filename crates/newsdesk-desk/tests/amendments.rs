//! An editor's corrections of entities and facts, as a story shows them:
//! each holds in the report, the entities and the facts of the story, and
//! through a later ingest; undone, the story is as it was, byte for byte.
//! The articles are invented for this test (a ferry aground off a port
//! that does not exist).

use newsdesk_desk::ingest::{IngestOptions, Ingestor};
use newsdesk_desk::story::{list_stories, story_entities, story_facts, StoryReport};
use newsdesk_entities::{Analyzer, Entity};
use newsdesk_facts::table::Facts;
use newsdesk_model::correction::Correction;
use newsdesk_model::{Article, ArticleId, Date, StoryId};
use newsdesk_store::{SqliteStore, Store};

fn article(title: &str, outlet: &str, day: u8, text: &str) -> Article {
    Article {
        title: Some(title.to_string()),
        source: Some(outlet.to_string()),
        date: Some(Date::new(2025, 4, i8::try_from(day).expect("a day")).expect("a date")),
        lang: Some("en".to_string()),
        ..Article::new(text)
    }
}

fn first_reports() -> Vec<Article> {
    vec![
        article(
            "Ferry runs aground off Kessling",
            "Harbour Times",
            1,
            "The passenger ferry Maren Star ran aground on a sandbank off Kessling on Tuesday \
             morning, the coastguard said. All 212 passengers were taken off by lifeboats.\n\n\
             Captain Edda Lindqvist said the ship lost its steering in heavy fog. \
             \"We followed every rule of the channel and the fog still beat us,\" Lindqvist said.\n\n\
             Rune Falk, a coastguard officer, said the tide would be used to pull the ferry free.\n\n\
             Port director Oskar Halvorsen said the harbour would stay closed until Thursday.\n",
        ),
        article(
            "Kessling ferry stranded on a sandbank",
            "Coast Herald",
            1,
            "The ferry Maren Star struck a sandbank near Kessling on Tuesday, and lifeboats \
             brought its 212 passengers ashore, the coastguard said.\n\n\
             Captain Edda Lindquist told reporters the steering failed in thick fog. \
             \"We followed every rule of the channel and the fog still beat us,\" Lindquist said.\n\n\
             Oskar Halvorsen, the port director, said the harbour of Kessling would reopen on Thursday.\n",
        ),
    ]
}

fn later_report() -> Article {
    article(
        "Maren Star pulled free at Kessling",
        "Harbour Times",
        2,
        "Tugs pulled the ferry Maren Star off the sandbank near Kessling on Wednesday, the \
         coastguard said.\n\n\
         Captain Edda Lindquist said the hull was sound and thanked the lifeboat crews of Kessling.\n\n\
         Port director Oskar Halvorsen said the harbour would reopen on Thursday.\n",
    )
}

fn ingest(store: &mut SqliteStore, articles: Vec<Article>) {
    Ingestor::open(store, IngestOptions::default())
        .and_then(|mut ingestor| ingestor.ingest_articles(articles))
        .expect("the articles ingest");
}

/// The story of the first article.
fn the_story(store: &SqliteStore, first: &ArticleId) -> StoryId {
    list_stories(store)
        .expect("stories")
        .into_iter()
        .find(|s| s.articles.contains(first))
        .expect("the ferry's story")
        .id
}

fn report(store: &SqliteStore, story: StoryId) -> String {
    serde_json::to_string(&StoryReport::build(store, story).expect("the report")).expect("json")
}

fn entities(store: &SqliteStore, story: StoryId) -> Vec<Entity> {
    story_entities(store, story, Analyzer::embedded().expect("the model")).expect("entities")
}

fn entity_with<'a>(entities: &'a [Entity], spelling: &str) -> Vec<&'a Entity> {
    entities
        .iter()
        .filter(|e| e.variants.iter().any(|v| v == spelling))
        .collect()
}

fn speakers(facts: &Facts) -> Vec<String> {
    facts
        .quotes
        .iter()
        .filter_map(|q| q.speaker.clone())
        .collect()
}

fn correct(store: &mut SqliteStore, correction: Correction) -> u64 {
    store
        .add_correction(&correction, "ana", "2026-12-07T10:00:00Z", Some("checked"))
        .expect("the correction is kept")
        .id
}

fn undo(store: &mut SqliteStore, id: u64) {
    store
        .undo_correction(id, "2026-12-07T11:00:00Z")
        .expect("the store")
        .expect("the correction");
}

#[test]
fn corrections_of_entities_and_facts_show_hold_and_undo_exactly() {
    let mut store = SqliteStore::open_in_memory().expect("a store");
    let articles = first_reports();
    let (first, second) = (articles[0].id.clone(), articles[1].id.clone());
    ingest(&mut store, articles);
    let story = the_story(&store, &first);
    let before = report(&store, story);
    let shown = StoryReport::build(&store, story).expect("the report");
    assert_eq!(shown.articles.len(), 2, "both reports are one story");

    // The rules make the captain's two spellings one person, who says
    // the quote in both reports.
    let captain = entity_with(&shown.entities, "Edda Lindquist");
    assert_eq!(captain.len(), 1, "{:#?}", shown.entities);
    assert!(captain[0].variants.iter().any(|v| v == "Edda Lindqvist"));
    let captain = captain[0].name.clone();
    assert!(
        speakers(&shown.facts).contains(&captain),
        "{:#?}",
        shown.facts
    );

    // A rename: the entity and the speaker take the new name.
    let rename = correct(
        &mut store,
        Correction::RenameEntity {
            entity: captain.clone(),
            to: "Edda Lindqvist-Aro".into(),
        },
    );
    let renamed = entities(&store, story);
    let edda = entity_with(&renamed, "Edda Lindquist");
    assert_eq!(edda[0].name, "Edda Lindqvist-Aro");
    assert!(edda[0]
        .why
        .iter()
        .any(|w| w.starts_with("correction 1 by ana")));
    let facts = story_facts(&store, story).expect("facts").facts;
    assert!(
        speakers(&facts).iter().any(|s| s == "Edda Lindqvist-Aro"),
        "{facts:#?}"
    );
    assert!(!speakers(&facts).contains(&captain));
    let shown = StoryReport::build(&store, story).expect("the report");
    assert!(shown
        .entities
        .iter()
        .any(|e| e.name == "Edda Lindqvist-Aro"));
    assert!(speakers(&shown.facts)
        .iter()
        .any(|s| s == "Edda Lindqvist-Aro"));
    undo(&mut store, rename);
    assert_eq!(
        report(&store, story),
        before,
        "an undone rename changes nothing"
    );

    // A split: the second spelling is a person of its own, also in a
    // report ingested later.
    let split = correct(
        &mut store,
        Correction::SplitSpelling {
            entity: captain.clone(),
            spelling: "Edda Lindquist".into(),
        },
    );
    let apart = entities(&store, story);
    let lindquist = entity_with(&apart, "Edda Lindquist");
    assert_eq!(lindquist.len(), 1);
    assert!(
        lindquist[0].variants.iter().all(|v| v != "Edda Lindqvist"),
        "{apart:#?}"
    );
    assert_eq!(lindquist[0].articles, std::slice::from_ref(&second));

    // A merge of two people the rules keep apart.
    let merge = correct(
        &mut store,
        Correction::MergeEntities {
            into: "Oskar Halvorsen".into(),
            from: "Rune Falk".into(),
        },
    );
    let merged = entities(&store, story);
    let halvorsen = entity_with(&merged, "Rune Falk");
    assert_eq!(halvorsen.len(), 1);
    assert_eq!(halvorsen[0].name, "Oskar Halvorsen");
    assert!(halvorsen[0].variants.iter().any(|v| v == "Oskar Halvorsen"));

    // A rejected figure and a quote given to someone else.
    let facts = story_facts(&store, story).expect("facts").facts;
    let passengers = facts
        .figures
        .iter()
        .flat_map(|g| &g.values)
        .flat_map(|v| &v.citations)
        .find(|c| c.article == first.to_string())
        .expect("a figure of the first report")
        .clone();
    let quoted = facts
        .quotes
        .iter()
        .flat_map(|q| &q.citations)
        .find(|c| c.article == second.to_string())
        .expect("a quote of the second report")
        .clone();
    let reject = correct(
        &mut store,
        Correction::RejectFigure {
            article: first.clone(),
            start: passengers.start,
        },
    );
    let attribute = correct(
        &mut store,
        Correction::AttributeQuote {
            article: second.clone(),
            start: quoted.start,
            speaker: "Rune Falk".into(),
        },
    );
    let facts = story_facts(&store, story).expect("facts").facts;
    let cited = |facts: &Facts| -> Vec<(String, usize)> {
        facts
            .figures
            .iter()
            .flat_map(|g| &g.values)
            .flat_map(|v| &v.citations)
            .map(|c| (c.article.clone(), c.start))
            .collect()
    };
    assert!(!cited(&facts).contains(&(passengers.article.clone(), passengers.start)));
    let requoted = facts
        .quotes
        .iter()
        .find(|q| {
            q.citations
                .iter()
                .any(|c| c.start == quoted.start && c.article == quoted.article)
        })
        .expect("the quote is still there");
    // Given to Rune Falk, who is merged into Oskar Halvorsen: his.
    assert_eq!(requoted.speaker.as_deref(), Some("Oskar Halvorsen"));

    // The corrections hold through an ingest of a later report.
    let third = later_report();
    let third_id = third.id.clone();
    ingest(&mut store, vec![third]);
    let story = the_story(&store, &first);
    let later = entities(&store, story);
    let lindquist = entity_with(&later, "Edda Lindquist");
    assert_eq!(lindquist.len(), 1);
    assert!(
        lindquist[0].variants.iter().all(|v| v != "Edda Lindqvist"),
        "{later:#?}"
    );
    assert!(
        list_stories(&store)
            .expect("stories")
            .iter()
            .any(|s| s.id == story && s.articles.contains(&third_id)),
        "the later report is of the story"
    );
    assert!(lindquist[0].articles.contains(&third_id), "{later:#?}");
    assert_eq!(entity_with(&later, "Rune Falk")[0].name, "Oskar Halvorsen");
    let facts = story_facts(&store, story).expect("facts").facts;
    assert!(!cited(&facts).contains(&(passengers.article.clone(), passengers.start)));

    // Undone, every correction leaves the story as the rules make it.
    let with_third = {
        for id in [split, merge, reject, attribute] {
            undo(&mut store, id);
        }
        report(&store, story)
    };
    let mut fresh = SqliteStore::open_in_memory().expect("a store");
    ingest(&mut fresh, first_reports());
    ingest(&mut fresh, vec![later_report()]);
    let fresh_story = the_story(&fresh, &first);
    assert_eq!(fresh_story, story);
    assert_eq!(with_third, report(&fresh, fresh_story));
}
