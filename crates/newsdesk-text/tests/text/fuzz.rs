//! Property tests: the text stage never panics on arbitrary text, and every
//! span it returns lies inside the text, on character boundaries, in order.

use newsdesk_model::{Article, BlockKind};
use newsdesk_text::analyze;
use proptest::prelude::*;

fn check(text: &str) {
    let doc = analyze(Article::new(text));
    let text = &doc.article.text;
    let mut last_end = 0;
    for block in &doc.blocks {
        assert!(block.span.slice(text).is_some(), "block {:?}", block.span);
        assert!(block.span.start >= last_end, "blocks in order");
        last_end = block.span.end;
    }
    let mut last_end = 0;
    for sentence in &doc.sentences {
        let slice = sentence.span.slice(text);
        assert!(
            slice.is_some_and(|s| !s.trim().is_empty()),
            "sentence {:?}",
            sentence.span
        );
        assert!(sentence.span.start >= last_end, "sentences in order");
        last_end = sentence.span.end;
        assert!(
            doc.blocks.iter().any(|b| b.kind == BlockKind::Body
                && b.span.start <= sentence.span.start
                && sentence.span.end <= b.span.end),
            "sentence inside a body block"
        );
    }
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        check(&text);
    }

    #[test]
    fn news_like_text_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("Mr. ".to_string()), Just("U.S. ".to_string()), Just("a.m. ".to_string()),
                Just("\u{201c}".to_string()), Just("\u{201d} ".to_string()), Just("\"".to_string()),
                Just("... ".to_string()), Just("\u{2026} ".to_string()), Just("3.5 ".to_string()),
                Just("\n".to_string()), Just("\n\n".to_string()), Just("  \u{2022} ".to_string()),
                Just("Related Topics\n".to_string()), Just("image caption".to_string()),
                Just(". ".to_string()), Just("? ".to_string()), Just("! ".to_string()),
                "[A-Z][a-z]{0,8} ", "[a-z]{1,8} ", "[0-9]{1,4}",
                // What normalisation changes: the text stage must still
                // report spans of the original.
                Just("\u{2019}".to_string()), Just(" \u{2014} ".to_string()),
                Just("\u{a0}".to_string()), Just("\u{ad}".to_string()),
                Just("\u{200b}".to_string()), Just("\u{fb01}".to_string()),
                Just("\u{ff11}\u{ff12} ".to_string()), Just("\u{2488} ".to_string()),
                Just("e\u{301}".to_string()), Just("\u{2028}".to_string()),
            ],
            0..60,
        )
    ) {
        check(&parts.concat());
    }
}
