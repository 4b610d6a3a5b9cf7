//! Property tests of normalisation: every offset of the normalised text
//! maps back to a character boundary of the original, monotonically, and
//! a mapped span's original text normalises to something that holds the
//! normalised span.

use newsdesk_model::{Article, Span};
use newsdesk_text::normalize::{normalize, Normalized};
use proptest::prelude::*;

/// Characters that normalisation changes or must keep apart, mixed with
/// ordinary ones.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 .,]{1,6}",
        "\\PC{1,4}",
        prop::sample::select(vec![
            "\u{2018}",
            "\u{2019}",
            "\u{201c}",
            "\u{201d}",
            "\u{201e}",
            "\u{2013}",
            "\u{2014}",
            "\u{2212}",
            "\u{a0}",
            "\u{2009}",
            "\u{3000}",
            "\u{ad}",
            "\u{200b}",
            "\u{200d}",
            "\u{feff}",
            "\u{fb01}",
            "\u{fb03}",
            "\u{ff11}\u{ff12}",
            "\u{ff21}",
            "\u{2026}",
            "\u{2488}",
            "\u{bd}",
            "\u{a8}",
            "\u{301}",
            "\u{323}\u{301}",
            "e\u{301}",
            "\u{1100}",
            "\u{1161}",
            "\u{3131}",
            "\n",
            "\r\n",
            "\u{2028}",
            "\u{85}",
            "\u{1f600}",
            "\u{2122}",
            "\u{33c2}",
            "\u{fdfa}",
        ])
        .prop_map(str::to_owned),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|parts| parts.concat())
}

fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect()
}

fn check(original: &str) {
    let normalized = Normalized::new(original);
    let text = normalized.as_str();
    let points = boundaries(text);
    let mut last = (0, 0);
    for &b in &points {
        let start = normalized.original_start(b);
        let end = normalized.original_end(b);
        assert!(original.is_char_boundary(start), "start {b} -> {start}");
        assert!(original.is_char_boundary(end), "end {b} -> {end}");
        assert!(start >= last.0 && end >= last.1, "monotonic at {b}");
        last = (start, end);
    }
    assert_eq!(normalized.original_end(0), 0);
    if text.is_empty() {
        assert_eq!(normalized.original_start(0), original.len());
    }
    for (i, &a) in points.iter().enumerate() {
        for &b in points.iter().skip(i + 1).step_by(3) {
            let span = normalized.original_span(Span::new(a, b));
            assert!(span.start <= span.end);
            let Some(slice) = span.slice(original) else {
                panic!("{a}..{b} maps to {span:?}, off char boundaries");
            };
            let again = normalize(slice);
            assert!(
                again.contains(&text[a..b]),
                "{:?} normalises to {again:?}, without {:?}",
                slice,
                &text[a..b]
            );
        }
    }
    // No character that normalisation folds is left.
    assert!(!text.contains([
        '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2013}', '\u{2014}', '\u{a0}', '\u{ad}',
        '\u{200b}', '\u{feff}', '\u{fb01}'
    ]));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn offsets_map_back_to_char_boundaries_in_order(original in text()) {
        check(&original);
    }

    #[test]
    fn arbitrary_text_maps_back(original in "\\PC{0,60}") {
        check(&original);
    }

    #[test]
    fn analysed_spans_are_original_offsets(original in text()) {
        let doc = newsdesk_text::analyze(Article::new(original.as_str()));
        crate::robustness::assert_well_formed(&doc);
        // Each sentence, normalised, is what the splitter saw.
        for sentence in doc.sentence_texts() {
            prop_assert!(!normalize(sentence).trim().is_empty());
        }
    }
}

/// The examples of the issue, through the whole text stage: spans are
/// offsets into the text as given.
#[test]
fn analysis_reports_original_offsets() {
    let text = "Oﬃcials said: “We’ll stay.”\u{a0}The vote — 3\u{a0}000 to １２ — passed. Next\u{ad}day it rained.";
    let doc = newsdesk_text::analyze(Article::new(text));
    assert_eq!(
        doc.sentence_texts().collect::<Vec<_>>(),
        [
            "Oﬃcials said: “We’ll stay.”",
            "The vote — 3\u{a0}000 to １２ — passed.",
            "Next\u{ad}day it rained."
        ]
    );
    crate::robustness::assert_well_formed(&doc);
}
