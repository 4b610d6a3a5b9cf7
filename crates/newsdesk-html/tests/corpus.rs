//! Replays the fuzz corpus of the HTML target (`fuzz/corpus/html`, what
//! `cargo fuzz run html` found, committed) through extraction on stable,
//! so that an input that once broke an invariant stays tested. The checks
//! are the fuzz target's: no panic, no empty paragraph; plus what
//! `extract` promises of its output (paragraphs trimmed, the text their
//! join).
#![allow(missing_docs)]

use std::path::{Path, PathBuf};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/corpus/html");

fn corpus() -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(Path::new(CORPUS)) else {
        panic!("the fuzz corpus is missing at {CORPUS}");
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    assert!(!paths.is_empty(), "empty fuzz corpus at {CORPUS}");
    paths
}

#[test]
fn fuzz_corpus_keeps_the_invariants() {
    for path in corpus() {
        let Ok(bytes) = std::fs::read(&path) else {
            panic!("cannot read {}", path.display());
        };
        let page = newsdesk_html::extract_bytes(&bytes);
        let name = path.display();
        for paragraph in &page.paragraphs {
            assert!(!paragraph.text.is_empty(), "empty paragraph in {name}");
            assert_eq!(
                paragraph.text,
                paragraph.text.trim(),
                "untrimmed paragraph in {name}"
            );
        }
        let joined: Vec<&str> = page.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(page.text, joined.join("\n\n"), "text of {name}");
        // A feed item's content goes through the fragment path.
        let fragment = newsdesk_html::extract_fragment(&newsdesk_html::decode(&bytes));
        assert!(
            fragment
                .paragraphs
                .iter()
                .all(|p| !p.text.trim().is_empty()),
            "empty fragment paragraph in {name}"
        );
    }
}
