//! The OpenAPI schemas of what the HTTP API returns, checked against real
//! output: the lake-dam examples are ingested into a store, every type the
//! API returns is built from it as the server builds it (reports, why,
//! changes, search, the index, corrections of every kind made and undone
//! through the desk), written with serde_json and validated against the
//! schema utoipa generated for it (OpenAPI 3.1 schemas are JSON Schema
//! 2020-12, so `jsonschema` reads them as they are).
//!
//! What makes the check strict enough to trust:
//! - every object schema is closed for the check (`unevaluatedProperties:
//!   false`), so that a property the output has and the schema lacks (a
//!   rename or a flatten utoipa did not read) fails as a missing required
//!   one does; dates are checked as dates (`format: date`);
//! - every schema, and each variant of a tagged enum, must have described
//!   some output (a small story of two contradicting reports, figures of
//!   every shape and ingests stopped or awaiting a re-linking are added to
//!   the examples for that), so that no schema goes unchecked;
//! - no schema stands for "any value", and no two types share a name;
//! - the properties each schema leaves optional are a reviewed snapshot:
//!   each must be one that serde may leave out (`skip_serializing_if`),
//!   every other one is required, `null` or not.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use jsonschema::Validator;
use newsdesk_cluster::linking::BatchLinking;
use newsdesk_desk::changes::{changes, StoryChanges};
use newsdesk_desk::corrections::{Corrected, Request};
use newsdesk_desk::ingest::{IngestOptions, IngestReport, Ingestor, RelinkWhen, StoryLinking};
use newsdesk_desk::sources::{Reprint, Source, Sources};
use newsdesk_desk::story::{
    list_stories, story_brief, story_facts, story_timeline, ReportArticle, RevisedValue, Revision,
    StoryBrief, StoryFacts, StoryReport, StoryTimeline,
};
use newsdesk_desk::why::{story_why, StoryWhy};
use newsdesk_entities::entity::ArticleEntity;
use newsdesk_entities::Analyzer;
use newsdesk_facts::figures::Figure;
use newsdesk_facts::quotes::Quote;
use newsdesk_model::correction::{Correction, CorrectionRecord};
use newsdesk_model::{Article, Diagnostic, Document, StoryId, StorySummary};
use newsdesk_store::{
    CommitReport, IndexEntry, IngestBatch, LogEntry, RetiredStory, SearchHit, SqliteStore, Store,
};
use serde::Serialize;
use serde_json::{json, Map, Value};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{ComponentsBuilder, RefOr};
use utoipa::ToSchema;

type Schemas = Vec<(String, RefOr<Schema>)>;

/// A root type's schema and every schema it refers to.
fn collect<T: ToSchema>(out: &mut Schemas) {
    out.push((T::name().into_owned(), T::schema()));
    T::schemas(out);
}

/// The components of the API's OpenAPI document: the schemas of every type
/// it returns, by name. Two types of one name would overwrite each other
/// in the document, so a name given twice must be the same schema.
fn components() -> Map<String, Value> {
    let mut all = Schemas::new();
    collect::<StorySummary>(&mut all);
    collect::<Correction>(&mut all);
    collect::<CorrectionRecord>(&mut all);
    collect::<Document>(&mut all);
    collect::<Diagnostic>(&mut all);
    collect::<IndexEntry>(&mut all);
    collect::<SearchHit>(&mut all);
    collect::<RetiredStory>(&mut all);
    collect::<CommitReport>(&mut all);
    collect::<LogEntry>(&mut all);
    collect::<StoryReport>(&mut all);
    collect::<ReportArticle>(&mut all);
    collect::<StoryTimeline>(&mut all);
    collect::<StoryFacts>(&mut all);
    collect::<StoryBrief>(&mut all);
    collect::<Revision>(&mut all);
    collect::<RevisedValue>(&mut all);
    collect::<Sources>(&mut all);
    collect::<Source>(&mut all);
    collect::<Reprint>(&mut all);
    collect::<StoryWhy>(&mut all);
    collect::<StoryChanges>(&mut all);
    collect::<Corrected>(&mut all);
    collect::<IngestReport>(&mut all);
    collect::<ArticleEntity>(&mut all);
    collect::<Figure>(&mut all);
    collect::<Quote>(&mut all);

    let mut by_name: BTreeMap<String, Value> = BTreeMap::new();
    for (name, schema) in &all {
        let schema = serde_json::to_value(schema).expect("a schema is JSON");
        if let Some(seen) = by_name.get(name) {
            assert_eq!(seen, &schema, "two different schemas are named {name}");
        }
        by_name.insert(name.clone(), schema);
    }
    let components = ComponentsBuilder::new().schemas_from_iter(all).build();
    let json = serde_json::to_value(&components).expect("the components are JSON");
    let schemas = json["schemas"]
        .as_object()
        .expect("the components hold schemas")
        .clone();
    assert_eq!(schemas.len(), by_name.len());
    schemas
}

/// The name of the open copy of component `name`, which an `allOf`
/// refers to (see [`strict`]).
fn open_name(name: &str) -> String {
    format!("{name}__open")
}

/// `schema` closed for the check: `unevaluatedProperties: false` on every
/// object in it, so that a property no schema declares fails. An `allOf`
/// (utoipa's `#[serde(flatten)]`) is closed as a whole, its parts left
/// open (`open`), and the components they refer to are read through their
/// open copies: a closed part would reject the properties of the others.
fn strict(schema: &Value, open: bool) -> Value {
    let Some(object) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in object {
        let value = match key.as_str() {
            "$ref" if open => {
                let target = value.as_str().expect("a $ref is a string");
                let name = target
                    .strip_prefix("#/components/schemas/")
                    .expect("refs are to components");
                json!(format!("#/components/schemas/{}", open_name(name)))
            }
            "properties" => Value::Object(
                value
                    .as_object()
                    .expect("properties is an object")
                    .iter()
                    .map(|(k, v)| (k.clone(), strict(v, false)))
                    .collect(),
            ),
            "items" | "additionalProperties" => strict(value, false),
            "oneOf" | "anyOf" => Value::Array(
                value
                    .as_array()
                    .expect("a list of schemas")
                    .iter()
                    .map(|v| strict(v, open))
                    .collect(),
            ),
            "allOf" => Value::Array(
                value
                    .as_array()
                    .expect("a list of schemas")
                    .iter()
                    .map(|v| strict(v, true))
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    let is_object = object.contains_key("properties") || object.contains_key("allOf");
    if is_object && !open {
        out.insert("unevaluatedProperties".into(), json!(false));
    }
    Value::Object(out)
}

/// The components as the check reads them: each closed, and an open copy
/// of each for the `allOf`s that refer to it.
fn strict_components(components: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, schema) in components {
        out.insert(name.clone(), strict(schema, false));
        out.insert(open_name(name), strict(schema, true));
    }
    out
}

/// Where a schema says nothing of what it holds (`{}`, or only a
/// description: any JSON value), as utoipa writes for a type it takes for
/// `serde_json::Value` (any type named `Value`).
fn any_values(components: &Map<String, Value>) -> Vec<String> {
    fn walk(at: String, schema: &Value, out: &mut Vec<String>) {
        let Some(object) = schema.as_object() else {
            return;
        };
        let says = ["type", "$ref", "oneOf", "allOf", "anyOf", "enum", "const"]
            .iter()
            .any(|k| object.contains_key(*k));
        if !says {
            out.push(at.clone());
        }
        for (key, value) in object {
            match key.as_str() {
                "properties" => {
                    for (name, property) in value.as_object().into_iter().flatten() {
                        walk(format!("{at}/properties/{name}"), property, out);
                    }
                }
                "items" | "additionalProperties" => walk(format!("{at}/{key}"), value, out),
                "oneOf" | "allOf" | "anyOf" => {
                    for (i, part) in value.as_array().into_iter().flatten().enumerate() {
                        walk(format!("{at}/{key}/{i}"), part, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (name, schema) in components {
        walk(name.clone(), schema, &mut out);
    }
    out
}

/// Where object schemas sit in the components: each component with
/// properties, each part of an `allOf` and each variant of a `oneOf` that
/// has some (as `Name`, `Name/oneOf/2`, `Name/allOf/1`).
fn object_schemas(components: &Map<String, Value>) -> BTreeSet<String> {
    fn walk(at: String, schema: &Value, out: &mut BTreeSet<String>) {
        if schema.get("properties").is_some() {
            out.insert(at.clone());
        }
        for list in ["oneOf", "allOf", "anyOf"] {
            if let Some(parts) = schema.get(list).and_then(Value::as_array) {
                for (i, part) in parts.iter().enumerate() {
                    walk(format!("{at}/{list}/{i}"), part, out);
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    for (name, schema) in components {
        walk(name.clone(), schema, &mut out);
    }
    out
}

/// The properties each object schema leaves optional (not `required`),
/// one line per schema that has some; those that no output checked had
/// are marked `(never written)`.
fn optional_properties(components: &Map<String, Value>, written: &BTreeSet<String>) -> String {
    fn walk(at: String, schema: &Value, written: &BTreeSet<String>, out: &mut Vec<String>) {
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            let required: BTreeSet<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for name in &required {
                assert!(
                    properties.contains_key(*name),
                    "{at} requires {name}, which it does not declare"
                );
            }
            let optional: Vec<String> = properties
                .keys()
                .filter(|p| !required.contains(p.as_str()))
                .map(
                    |p| match written.contains(&format!("{at}/properties/{p}")) {
                        true => p.clone(),
                        false => format!("{p} (never written)"),
                    },
                )
                .collect();
            if !optional.is_empty() {
                out.push(format!("{at}: {}", optional.join(", ")));
            }
        }
        for list in ["oneOf", "allOf", "anyOf"] {
            if let Some(parts) = schema.get(list).and_then(Value::as_array) {
                for (i, part) in parts.iter().enumerate() {
                    walk(format!("{at}/{list}/{i}"), part, written, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    for (name, schema) in components {
        walk(name.clone(), schema, written, &mut out);
    }
    out.join("\n") + "\n"
}

/// Validates JSON against the components' schemas, and keeps which parts
/// of the schemas described some of it.
struct Checker {
    root: Map<String, Value>,
    validators: HashMap<String, Validator>,
    /// The schema locations (`Name`, `Name/oneOf/1/properties/kind`)
    /// that described some of the output checked.
    written: BTreeSet<String>,
    checked: usize,
}

impl Checker {
    fn new(components: &Map<String, Value>) -> Checker {
        Checker {
            root: strict_components(components),
            validators: HashMap::new(),
            written: BTreeSet::new(),
            checked: 0,
        }
    }

    fn validator(&mut self, schema: &str) -> &Validator {
        let root = &self.root;
        self.validators.entry(schema.to_owned()).or_insert_with(|| {
            assert!(root.contains_key(schema), "no schema {schema}");
            let document = json!({
                "$ref": format!("#/components/schemas/{schema}"),
                "components": {"schemas": root},
            });
            jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(&document)
                .expect("the schemas are valid JSON Schema 2020-12")
        })
    }

    /// The errors of `json` against schema `schema`, none when it
    /// validates.
    fn errors(&mut self, schema: &str, json: &Value) -> Vec<String> {
        self.validator(schema)
            .iter_errors(json)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect()
    }

    /// Checks that `value`, written by serde_json, is what schema `schema`
    /// describes.
    fn check<T: Serialize>(&mut self, schema: &str, value: &T) {
        let json = serde_json::to_value(value).expect("the value is JSON");
        let errors = self.errors(schema, &json);
        assert!(
            errors.is_empty(),
            "schema {schema} does not describe what serde_json writes:\n{}\n{}",
            errors.join("\n"),
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        self.checked += 1;
        // Where the schemas described some of it: the locations of the
        // annotations (a schema's description, the properties it
        // evaluated), each through the closed or the open copy.
        let evaluation = self.validator(schema).evaluate(&json);
        for annotation in evaluation.iter_annotations() {
            if let Some(at) = annotation
                .schema_location
                .strip_prefix("/components/schemas/")
            {
                let (name, rest) = at.split_once('/').unwrap_or((at, ""));
                let name = name.strip_suffix("__open").unwrap_or(name);
                self.written.insert(if rest.is_empty() {
                    name.to_owned()
                } else {
                    format!("{name}/{rest}")
                });
            }
        }
    }

    fn check_all<T: Serialize>(&mut self, schema: &str, values: &[T]) {
        for value in values {
            self.check(schema, value);
        }
    }
}

/// Searches that find something in the lake-dam examples.
const LAKE_DAM_QUERIES: &[&str] = &["spillway", "evacuation", "\"tram vote\""];

fn lake_dam() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/lake-dam")
}

/// An ingestor over `store`, to make one correction.
fn ingestor(store: &mut SqliteStore) -> Ingestor<'_> {
    Ingestor::open(store, IngestOptions::default()).expect("an ingestor")
}

/// Everything the API returns of the store as it is now, checked; `queries`
/// each find something.
fn check_store(checker: &mut Checker, store: &SqliteStore, queries: &[&str]) {
    let stories = list_stories(store).expect("the stories");
    checker.check_all("StorySummary", &stories);
    for story in &stories {
        let report = StoryReport::build(store, story.id).expect("a report");
        checker.check("StoryReport", &report);
        checker.check("Sources", &report.sources);
        checker.check_all("ReportArticle", &report.articles);
        checker.check_all("Revision", &report.revisions);
        for revision in &report.revisions {
            checker.check("RevisedValue", &revision.before);
            checker.check("RevisedValue", &revision.after);
        }
        for source in report.sources.iter() {
            checker.check("Source", source);
            checker.check_all("Reprint", &source.reprinted_by);
        }
        checker.check(
            "StoryTimeline",
            &story_timeline(store, story.id).expect("a timeline"),
        );
        checker.check("StoryFacts", &story_facts(store, story.id).expect("facts"));
        let brief =
            story_brief(store, story.id, &newsdesk_brief::Config::default()).expect("a brief");
        checker.check("StoryBrief", &brief);
        checker.check("StoryWhy", &story_why(store, story.id).expect("why"));
        checker.check_all(
            "StoryChanges",
            &changes(store, None, Some(story.id)).expect("changes"),
        );
    }
    checker.check_all(
        "StoryChanges",
        &changes(store, None, None).expect("changes"),
    );
    let index = store.index().expect("the index");
    checker.check_all("IndexEntry", &index);
    let ids: Vec<_> = index.iter().map(|e| e.id.clone()).collect();
    checker.check_all("Document", &store.documents(&ids).expect("the documents"));
    for query in queries {
        let hits = store.search(query, 10).expect("a search");
        assert!(!hits.is_empty(), "nothing found for {query}");
        checker.check_all("SearchHit", &hits);
    }
    checker.check_all("RetiredStory", &store.retired_stories().expect("retired"));
    checker.check_all(
        "CorrectionRecord",
        &store.corrections().expect("corrections"),
    );
    checker.check_all("LogEntry", &store.log_after(0, 10_000).expect("the log"));
}

/// The story, event and id of the first stored article whose title has
/// `title_word` (the examples' ids are content hashes).
fn story_titled(store: &SqliteStore, title_word: &str) -> (StoryId, u64, String) {
    let index = store.index().expect("the index");
    let entry = index
        .iter()
        .find(|e| e.title.as_deref().is_some_and(|t| t.contains(title_word)))
        .unwrap_or_else(|| panic!("no article titled with {title_word}: {index:#?}"));
    (entry.story, entry.event, entry.id.0.clone())
}

/// Two outlets' reports of one day, one denying what the other reports.
fn contradicting_reports() -> Vec<Article> {
    let report = |outlet: &str, title: &str, text: &str| {
        let mut article = Article::new(text);
        article.title = Some(title.to_owned());
        article.source = Some(outlet.to_owned());
        article.date = Some(newsdesk_model::Date::constant(2025, 3, 15));
        article.lang = Some("en".to_owned());
        article.id = newsdesk_model::ArticleId::from_content(article.title.as_deref(), text);
        article
    };
    vec![
        report(
            "The River Post",
            "Rebels take Kandahar without a fight",
            "Rebel fighters reached Kandahar at dawn on Saturday, officials said. \
             They met no resistance from the garrison in Kandahar, the officials said.",
        ),
        report(
            "Uplands Wire",
            "Clashes as rebels enter Kandahar",
            "Rebel fighters entered Kandahar on Saturday, officials said. \
             There were clashes near the bridge in Kandahar, residents said.",
        ),
    ]
}

#[test]
fn every_schema_describes_what_serde_json_writes() {
    let components = components();
    let mut checker = Checker::new(&components);

    let mut store = SqliteStore::open_in_memory().expect("a store");
    let report = ingestor(&mut store)
        .ingest_paths(&[lake_dam()], &mut |_, _| {})
        .expect("the examples ingest");
    assert_eq!(report.added, 7, "{report:#?}");
    assert_eq!(list_stories(&store).expect("the stories").len(), 2);
    checker.check("IngestReport", &report);
    checker.check_all("Diagnostic", &report.diagnostics);
    checker.check(
        "Diagnostic",
        &Diagnostic::warning("feed.jsonl", Some(3), "no date"),
    );
    checker.check(
        "Diagnostic",
        &Diagnostic::error("feed.xml", None, "not a feed"),
    );
    // Ingesting again adds nothing; the report says so.
    let again = ingestor(&mut store)
        .ingest_paths(&[lake_dam()], &mut |_, _| {})
        .expect("the examples ingest again");
    checker.check("IngestReport", &again);
    let commit: CommitReport = store.commit(&IngestBatch::default()).expect("a commit");
    checker.check("CommitReport", &commit);

    // One article alone, as `analyze` finds it (ArticleAnalysis itself is
    // not serialised: its parts are).
    let analyzer = Analyzer::embedded().expect("the entity model");
    let index = store.index().expect("the index");
    let ids: Vec<_> = index.iter().map(|e| e.id.clone()).collect();
    for doc in store.documents(&ids).expect("the documents") {
        let found = newsdesk_desk::analysis::ArticleAnalysis::of(doc.article, analyzer)
            .expect("an analysis");
        checker.check_all("ArticleEntity", &found.entities);
        checker.check_all("Figure", &found.figures);
        checker.check_all("Quote", &found.quotes);
        checker.check_all("Quote", &found.paraphrases);
    }

    // Figures of every shape: the whole of a ratio, a converted unit, an
    // earlier value.
    let figures = newsdesk_desk::analysis::ArticleAnalysis::of(
        Article::new(
            "Officials said 26 of the province's 34 checkpoints had fallen. \
             The convoy stretched over 12 miles of road. The toll went from 10 \
             to 15 dead overnight.",
        ),
        analyzer,
    )
    .expect("an analysis")
    .figures;
    checker.check_all("Figure", &figures);

    check_store(&mut checker, &store, LAKE_DAM_QUERIES);

    // Corrections of every kind, made and undone through the desk.
    let (dam, dam_event, warning) = story_titled(&store, "Cracks");
    let (tram, _, _) = story_titled(&store, "tram");
    let (_, _, evacuation) = story_titled(&store, "evacuat");
    let shown = StoryReport::build(&store, dam).expect("a report");
    let person = shown
        .entities
        .iter()
        .find(|e| e.kind == newsdesk_entities::Kind::Person)
        .expect("a person in the dam story");
    let other = shown
        .entities
        .iter()
        .find(|e| e.name != person.name)
        .expect("another entity");
    let figure = &shown.facts.figures[0].values[0].citations[0];
    let quote = &shown.facts.quotes[0].citations[0];
    let requests = vec![
        Request::MergeStories {
            into: dam,
            from: tram,
        },
        Request::MoveArticle {
            article: evacuation.clone(),
            to: None,
        },
        Request::MoveEvent {
            event: dam_event,
            to: Some(tram),
        },
        Request::SplitEvent {
            event: dam_event,
            articles: vec![warning.clone()],
        },
        Request::Other(Correction::RenameEntity {
            entity: person.name.clone(),
            to: format!("{} (renamed)", person.name),
        }),
        Request::Other(Correction::MergeEntities {
            into: person.name.clone(),
            from: other.name.clone(),
        }),
        Request::Other(Correction::SplitSpelling {
            entity: person.name.clone(),
            spelling: person.variants[0].clone(),
        }),
        Request::Other(Correction::RejectFigure {
            article: newsdesk_model::ArticleId(figure.article.clone()),
            start: figure.start,
        }),
        Request::Other(Correction::RejectQuote {
            article: newsdesk_model::ArticleId(quote.article.clone()),
            start: quote.start,
        }),
        Request::Other(Correction::AttributeQuote {
            article: newsdesk_model::ArticleId(quote.article.clone()),
            start: quote.start,
            speaker: person.name.clone(),
        }),
    ];
    for request in requests {
        let what = format!("{request:?}");
        let made = ingestor(&mut store)
            .correct(request, "editor", Some("checked"))
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        checker.check("Corrected", &made);
        check_store(&mut checker, &store, LAKE_DAM_QUERIES);
        let undone = ingestor(&mut store)
            .undo_correction(made.correction.id)
            .expect("the undo")
            .expect("the correction");
        checker.check("Corrected", &undone);
    }
    // The merge again, left in force: a retired id, and a story whose
    // articles a correction put together.
    let merged = ingestor(&mut store)
        .correct(
            Request::MergeStories {
                into: dam,
                from: tram,
            },
            "editor",
            None,
        )
        .expect("the merge");
    checker.check("Corrected", &merged);
    check_store(&mut checker, &store, LAKE_DAM_QUERIES);
    assert!(!store.retired_stories().expect("retired").is_empty());

    // The examples hold no contradiction: two reports that make one.
    let mut disputed = SqliteStore::open_in_memory().expect("a store");
    ingestor(&mut disputed)
        .ingest_articles(contradicting_reports())
        .expect("the reports ingest");
    check_store(&mut checker, &disputed, &["Kandahar", "\"no resistance\""]);
    let stories = list_stories(&disputed).expect("the stories");
    let facts = story_facts(&disputed, stories[0].id).expect("facts");
    assert!(
        !facts.facts.contradictions.is_empty(),
        "{:#?}",
        StoryReport::build(&disputed, stories[0].id).map(|r| r.entities)
    );

    // An ingest stopped before it took anything, and one whose articles
    // wait for a re-linking.
    let mut waiting = SqliteStore::open_in_memory().expect("a store");
    let [first, second] = <[Article; 2]>::try_from(contradicting_reports()).expect("two");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let stopped = Ingestor::open(
        &mut waiting,
        IngestOptions {
            stop: Some(stop),
            ..IngestOptions::default()
        },
    )
    .expect("an ingestor")
    .ingest_articles(vec![first.clone()])
    .expect("the stopped ingest");
    assert!(stopped.stopped, "{stopped:#?}");
    checker.check("IngestReport", &stopped);
    ingestor(&mut waiting)
        .ingest_articles(vec![first])
        .expect("the first report ingests");
    let lazily = StoryLinking::Auto(
        BatchLinking::default(),
        RelinkWhen {
            share: 10.0,
            small_store: 0,
        },
    );
    let awaiting = Ingestor::open(
        &mut waiting,
        IngestOptions {
            linking: lazily,
            ..IngestOptions::default()
        },
    )
    .expect("an ingestor")
    .ingest_articles(vec![second])
    .expect("the second report ingests");
    assert!(awaiting.awaiting_relink > 0, "{awaiting:#?}");
    checker.check("IngestReport", &awaiting);

    // No schema stands for "any value": each says what the output holds.
    assert_eq!(any_values(&components), Vec::<String>::new());

    // Every schema described some output: each component, and each object
    // schema (each variant of a tagged enum too) evaluated the properties
    // of some.
    let undescribed: Vec<String> = components
        .keys()
        .filter(|name| !checker.written.contains(*name))
        .cloned()
        .chain(
            object_schemas(&components)
                .into_iter()
                .filter(|at| !checker.written.contains(&format!("{at}/properties"))),
        )
        .collect();
    assert!(
        undescribed.is_empty(),
        "no output was checked against {undescribed:?} ({} values checked)",
        checker.checked
    );

    // What each schema leaves optional: each one a property that serde
    // may leave out (`skip_serializing_if`, or a variant's own).
    expect_test::expect![[r#"
        CorrectionRecord/allOf/1: reason, undone_at
        Entity: place
        FactCitation: n
        Figure: earlier, normalized, outcome, total
        FigureGroup: basis
        FigureValue: modifier, sources
        IndexEntry: ingested_at
        IngestReport: awaiting_relink, stopped
        LogEntry: correction, into
        Mention: role, rule
        Quote: attribution
        ReportArticle: duplicate_of
        Source: reprinted_by
        StoryBrief/allOf/1: revisions
        StoryReport/allOf/1: revisions
        StoryWhy: corrections
        TimelineCitation: n
    "#]]
    .assert_eq(&optional_properties(&components, &checker.written));
}

/// The check itself: output that a schema does not describe fails it (a
/// property the schema lacks, a required one the output lacks, a value of
/// another type, a date that is not one, a `null` where none is written),
/// through flattened parts and tagged enums too.
#[test]
fn the_check_fails_where_a_schema_and_the_output_disagree() {
    let components = components();
    let mut checker = Checker::new(&components);
    let mut store = SqliteStore::open_in_memory().expect("a store");
    ingestor(&mut store)
        .ingest_paths(&[lake_dam()], &mut |_, _| {})
        .expect("the examples ingest");
    let story = list_stories(&store).expect("the stories")[0].id;
    let report =
        serde_json::to_value(StoryReport::build(&store, story).expect("a report")).expect("JSON");
    assert!(checker.errors("StoryReport", &report).is_empty());

    let broken = |change: &dyn Fn(&mut Value)| {
        let mut json = report.clone();
        change(&mut json);
        json
    };
    let cases: Vec<(&str, Value)> = vec![
        (
            "an unknown property at the top",
            broken(&|j| j["surprise"] = json!(1)),
        ),
        (
            "an unknown property of a flattened part's neighbour",
            broken(&|j| j["brief"]["surprise"] = json!(1)),
        ),
        (
            "an unknown property deep down",
            broken(&|j| j["sources"][0]["surprise"] = json!(1)),
        ),
        (
            "a required property of the flattened summary missing",
            broken(&|j| {
                j.as_object_mut().map(|o| o.remove("title"));
            }),
        ),
        (
            "a required property missing deep down",
            broken(&|j| {
                j["article_details"][0]
                    .as_object_mut()
                    .map(|o| o.remove("event"));
            }),
        ),
        (
            "a required nullable property missing",
            broken(&|j| {
                j["article_details"][0]
                    .as_object_mut()
                    .map(|o| o.remove("date"));
            }),
        ),
        ("a number for a string", broken(&|j| j["title"] = json!(3))),
        (
            "a date that is not one",
            broken(&|j| j["first_date"] = json!("13 March 2025")),
        ),
        (
            "a null where none is written",
            broken(&|j| j["sources"][0]["outlet"] = Value::Null),
        ),
        (
            "an unknown enum value",
            broken(&|j| j["entities"][0]["kind"] = json!("animal")),
        ),
    ];
    for (what, json) in cases {
        assert!(
            !checker.errors("StoryReport", &json).is_empty(),
            "the check let {what} through"
        );
    }
    // A correction record is a flattened tagged enum: its variant's
    // fields and the record's own are both checked.
    let record = json!({
        "id": 1, "kind": "rename_entity", "entity": "A", "to": "B",
        "by": "editor", "at": "2026-12-07T10:00:00Z"
    });
    assert!(checker.errors("CorrectionRecord", &record).is_empty());
    let mut unknown = record.clone();
    unknown["into"] = json!(2);
    assert!(!checker.errors("CorrectionRecord", &unknown).is_empty());
    let mut no_kind = record.clone();
    no_kind.as_object_mut().map(|o| o.remove("kind"));
    assert!(!checker.errors("CorrectionRecord", &no_kind).is_empty());
    let mut no_by = record;
    no_by.as_object_mut().map(|o| o.remove("by"));
    assert!(!checker.errors("CorrectionRecord", &no_by).is_empty());
}
