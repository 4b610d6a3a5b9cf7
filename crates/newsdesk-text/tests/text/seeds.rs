//! The seed articles (read from `shared/seeds`, never copied here).

use std::path::{Path, PathBuf};

use newsdesk_model::{Article, BlockKind, Document};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");

/// The analysed seed articles by file name, or `None` (with a message)
/// when the seeds are not there.
#[allow(clippy::print_stderr)]
fn seeds() -> Option<Vec<(String, Document)>> {
    let dir = Path::new(SEEDS);
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("seed articles not found at {}: skipping", dir.display());
        return None;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "txt")
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('0'))
        })
        .collect();
    paths.sort();
    if paths.is_empty() {
        eprintln!("no seed articles in {}: skipping", dir.display());
        return None;
    }
    Some(
        paths
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).expect("seed is UTF-8");
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (name, newsdesk_text::analyze(Article::new(text)))
            })
            .collect(),
    )
}

/// The texts of the blocks of `doc` that contain `needle`.
fn blocks_with<'a>(doc: &'a Document, needle: &str) -> Vec<(BlockKind, &'a str)> {
    doc.blocks
        .iter()
        .map(|b| (b.kind, doc.text_of(b.span)))
        .filter(|(_, text)| text.contains(needle))
        .collect()
}

/// Every line seeds/README.md names as debris, and a few of their
/// neighbours, must be debris wherever they occur.
#[test]
fn debris_named_in_the_readme_is_debris() {
    let Some(seeds) = seeds() else { return };
    let debris = [
        "Related Topics",
        "War in Afghanistan (2001-present)",
        "image sourceGetty Images",
        "image caption",
        "LIVE UPDATES:",
        "EXPLAINER:",
        "FEATURE:",
        "PROFILE:",
        "media caption",
        "Recent Articles",
        "Related News",
        "Leave A Reply",
        "Please enter your comment!",
        "Please enter your name here",
    ];
    for needle in debris {
        let found: Vec<(BlockKind, &str)> = seeds
            .iter()
            .flat_map(|(_, doc)| blocks_with(doc, needle))
            .collect();
        assert!(!found.is_empty(), "no block contains {needle:?}");
        for (kind, text) in found {
            assert_eq!(kind, BlockKind::Debris, "{text:?}");
        }
    }
}

#[test]
fn section_headings_are_headings() {
    let Some(seeds) = seeds() else { return };
    for heading in [
        "Taliban announces amnesty",
        "fall of herat",
        "sending troops",
        "shared strength",
        "Negotiations between the Taliban and the Kabul government for a peaceful transfer of power",
        "What do we know about the Taliban advance?",
    ] {
        let found: Vec<&str> = seeds
            .iter()
            .flat_map(|(_, doc)| doc.headings().filter(|h| *h == heading))
            .collect();
        assert_eq!(found.len(), 1, "{heading:?} is not a heading once");
    }
}

#[test]
fn sentences_are_sensible() {
    let Some(seeds) = seeds() else { return };
    let mut total = 0;
    for (name, doc) in &seeds {
        let count = doc.sentences.len();
        // The seeds have 20 to 45 sentences each, counted by hand.
        assert!((15..=50).contains(&count), "{name}: {count} sentences");
        total += count;
        assert_eq!(doc.article.lang.as_deref(), Some("en"), "{name}");
        for sentence in doc.sentence_texts() {
            for debris in [
                "image caption",
                "media caption",
                "Leave A Reply",
                "Related Topics",
            ] {
                assert!(!sentence.contains(debris), "{name}: {sentence:?}");
            }
            for ending in [" Mr", " Mr.", " Mrs.", " Dr."] {
                assert!(!sentence.ends_with(ending), "{name}: {sentence:?}");
            }
            assert!(sentence == sentence.trim() && !sentence.is_empty());
        }
    }
    assert!((100..=140).contains(&total), "{total} sentences in all");
}

/// Abbreviations and stray stops in the seeds that must not split, and a
/// doubled stop that must split once.
#[test]
fn seed_abbreviations() {
    let Some(seeds) = seeds() else { return };
    let sentences: Vec<&str> = seeds
        .iter()
        .flat_map(|(_, doc)| doc.sentence_texts())
        .collect();
    let containing = |needle: &str| sentences.iter().filter(|s| s.contains(needle)).count();
    for whole in [
        "Mr Ghani is bound",
        "5,000 U.S. troops",
        "since the U.S. started",
        "Mr. Johnson said",
        "in Doha., where",
        "in recent days., which",
    ] {
        assert_eq!(containing(whole), 1, "{whole:?} is split or missing");
    }
    assert!(sentences
        .iter()
        .any(|s| s.ends_with("according to the UN..")));
    assert!(sentences
        .iter()
        .any(|s| s.starts_with("Many civilians have arrived")));
}

#[test]
fn spans_lie_on_char_boundaries() {
    let Some(seeds) = seeds() else { return };
    for (_, doc) in &seeds {
        crate::robustness::assert_well_formed(doc);
    }
}
