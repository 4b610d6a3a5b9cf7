//! Saved states of every format this version reads: one fixture per
//! format in `tests/fixtures/`, each written by the code of its time.

use std::io::Write as _;
use std::path::PathBuf;

use newsdesk_cluster::{
    ClusterConfig, ClusterError, Clusterer, OLDEST_SUPPORTED_STATE_FORMAT, STATE_FORMAT,
};
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

/// A fixture's file name: JSON up to format 2, binary from format 3.
fn fixture_name(format: u32) -> String {
    if format <= 2 {
        format!("state-v{format}.json")
    } else {
        format!("state-v{format}.bin")
    }
}

/// Writes the fixture of the current state format ([`fixture_name`]) from
/// [`fixture_articles`]; refuses to overwrite one that exists (a fixture
/// is what the version of its time wrote, never regenerated). Run with
/// `cargo test -p newsdesk-cluster --test integration -- --ignored write_state_fixture`
/// when [`STATE_FORMAT`] is raised. (`state-v1.json` was written by this
/// test as it stood before formats were numbered, at the same articles.)
#[test]
#[ignore = "writes a fixture file; run by hand when the state format changes"]
fn write_state_fixture() {
    let mut clusterer = Clusterer::new(ClusterConfig::default());
    for d in &fixture_articles() {
        clusterer.assign(d);
    }
    let path = fixture(&fixture_name(STATE_FORMAT));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("{} (not overwritten): {e}", path.display()));
    file.write_all(&clusterer.to_bytes())
        .expect("write fixture");
}

/// A later report of the dam and one of the tram line, like the earlier
/// ones.
fn later_articles() -> Vec<Document> {
    vec![
        doc(
            "dam-3",
            "Veldmoor dam spillway cracks: Ossel valley stays evacuated",
            "The 3,200 people evacuated from the Ossel valley cannot return yet, engineers \
             said on Friday, as the cracks in the Veldmoor dam spillway are being repaired.",
            13,
        ),
        doc(
            "tram-3",
            "Dunmere tram line: council vote angers old town traders",
            "Traders of the old town of Dunmere protested against the tram line the council \
             approved by 27 votes to 14, saying the works would drive customers away.",
            13,
        ),
    ]
}

/// Every fixture from the oldest supported format to the current one.
fn fixtures() -> Vec<(u32, Vec<u8>)> {
    (OLDEST_SUPPORTED_STATE_FORMAT..=STATE_FORMAT)
        .map(|format| {
            let path = fixture(&fixture_name(format));
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (one fixture per format)", path.display()));
            (format, bytes)
        })
        .collect()
}

#[test]
fn every_supported_format_restores_and_goes_on_assigning() {
    let current = {
        let mut clusterer = Clusterer::new(ClusterConfig::default());
        let assigned: Vec<_> = fixture_articles()
            .iter()
            .map(|d| clusterer.assign(d))
            .collect();
        // The fixtures' articles: two events, in two stories.
        let events: Vec<u64> = assigned.iter().map(|a| a.event).collect();
        assert_eq!(events, [1, 2, 1, 2]);
        clusterer.to_bytes()
    };
    for (format, bytes) in fixtures() {
        let mut clusterer = Clusterer::restore(&bytes, ClusterConfig::default())
            .unwrap_or_else(|e| panic!("format {format}: {e}"));
        assert_eq!(clusterer.articles_seen(), 4, "format {format}");
        // What the state holds has not changed between formats: saved
        // again, it is the state the current version builds.
        assert_eq!(clusterer.to_bytes(), current, "format {format}");
        let later = later_articles();
        let dam = clusterer.assign(&later[0]);
        let tram = clusterer.assign(&later[1]);
        assert_eq!(
            dam.event, 1,
            "format {format}: the dam report joins the dam"
        );
        assert_eq!(
            tram.event, 2,
            "format {format}: the tram report joins the tram"
        );
        assert_eq!(dam.duplicate_of, None);
    }
}

#[test]
fn a_state_of_a_later_format_is_refused_with_both_formats_named() {
    let (_, mut later) = fixtures().pop().expect("the current format's fixture");
    later[4..8].copy_from_slice(&(STATE_FORMAT + 1).to_le_bytes());
    let error = Clusterer::restore(&later, ClusterConfig::default())
        .expect_err("a later format is refused");
    assert!(
        matches!(error, ClusterError::NewerFormat { found, newest } if found == STATE_FORMAT + 1 && newest == STATE_FORMAT),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains(&format!("format {}", STATE_FORMAT + 1))
            && message.contains(&format!("format {STATE_FORMAT}")),
        "{message}"
    );
}
