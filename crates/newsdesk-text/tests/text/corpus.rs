//! Replays the fuzz corpus of the text target (`fuzz/corpus/text`, what
//! `cargo fuzz run text` found, committed) through the text stage on
//! stable, so that an input that once broke an invariant stays tested.

use std::path::Path;

use newsdesk_model::Article;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/corpus/text");

#[test]
fn fuzz_corpus_keeps_the_invariants() {
    let Ok(entries) = std::fs::read_dir(Path::new(CORPUS)) else {
        panic!("the fuzz corpus is missing at {CORPUS}");
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    assert!(!paths.is_empty(), "empty fuzz corpus at {CORPUS}");
    for path in paths {
        let Ok(bytes) = std::fs::read(&path) else {
            panic!("cannot read {}", path.display());
        };
        // The fuzz target decodes lossily too.
        let text = String::from_utf8_lossy(&bytes);
        let doc = newsdesk_text::analyze(Article::new(text.as_ref()));
        crate::robustness::assert_well_formed(&doc);
    }
}
