//! Saved states of every format this version reads: one fixture per
//! format in `tests/fixtures/`, each written by the code of its time.

use std::io::Write as _;
use std::path::PathBuf;

use newsdesk_cluster::{ClusterConfig, Clusterer};
use newsdesk_model::{Article, ArticleId, Date, Document};

fn doc(id: &str, title: &str, text: &str, day: i8) -> Document {
    let mut article = Article::new(text);
    article.id = ArticleId(id.to_owned());
    article.title = Some(title.to_owned());
    article.date = Some(Date::constant(2025, 6, day));
    newsdesk_text::analyze(article)
}

/// The invented articles the fixtures hold: two developments (a dam on
/// the verge of failing, a tram line voted through) told by a few reports.
fn fixture_articles() -> Vec<Document> {
    vec![
        doc(
            "dam-1",
            "Cracks found in Veldmoor dam spillway",
            "Engineers found cracks in the spillway of the Veldmoor dam on Thursday and \
             ordered the evacuation of 3,200 people from the Ossel valley below the reservoir.",
            12,
        ),
        doc(
            "tram-1",
            "Dunmere council approves tram line",
            "The Dunmere council voted 27 to 14 for the new tram line through the old town, \
             ending a dispute of six years over its route and its cost of 410 million.",
            12,
        ),
        doc(
            "dam-2",
            "Ossel valley evacuated as Veldmoor dam cracks",
            "About 3,200 residents of the Ossel valley left their homes after cracks were \
             found in the Veldmoor dam spillway, engineers of the water board said on Thursday.",
            12,
        ),
        doc(
            "tram-2",
            "Dunmere traders fear years of tram works",
            "Shop owners in Dunmere fear that the works for the tram line the council approved \
             will keep customers out of the old town for years, their association said.",
            13,
        ),
    ]
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Writes the fixture of the current state format from
/// [`fixture_articles`]; refuses to overwrite one that exists (a fixture
/// is what an older version wrote, never regenerated). Run with
/// `cargo test -p newsdesk-cluster --test integration -- --ignored write_state_fixture`.
#[test]
#[ignore = "writes a fixture file; run by hand when the state format changes"]
fn write_state_fixture() {
    let mut clusterer = Clusterer::new(ClusterConfig::default());
    for d in &fixture_articles() {
        clusterer.assign(d);
    }
    let path = fixture("state-v1.json");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("{} (not overwritten): {e}", path.display()));
    file.write_all(&clusterer.to_bytes()).expect("write fixture");
}
