//! Figures and quotes never panic and their spans always point into the
//! text, whatever the text.

use newsdesk_facts::figures::figures;
use newsdesk_facts::quotes::{quotes, Person};
use newsdesk_model::Span;
use proptest::prelude::*;

/// Text made of number-ish, quote-ish and word-ish pieces.
fn newsish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("3,000".to_string()),
        Just("three thousand".to_string()),
        Just("26 of the country\u{2019}s 34".to_string()),
        Just("\u{201c}".to_string()),
        Just("\u{201d}".to_string()),
        Just("\"".to_string()),
        Just("``".to_string()),
        Just("''".to_string()),
        Just(" he said".to_string()),
        Just(", said Ana Brisk.".to_string()),
        Just("$5 million".to_string()),
        Just("12%".to_string()),
        Just("22-year-old".to_string()),
        Just("G-20".to_string()),
        "[a-zA-Z ,.'-]{0,12}",
        "\\PC{0,4}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn spans_lie_on_char_boundaries(text in newsish(), cut in 0usize..64) {
        let exclude = [Span::new(cut.min(text.len()), (cut + 5).min(text.len()))];
        for f in figures(&text, &exclude) {
            prop_assert!(f.start <= f.end && f.end <= text.len());
            prop_assert_eq!(text.get(f.start..f.end), Some(f.text.as_str()));
        }
        let people = [Person { name: "Ana Brisk", end: cut.min(text.len()) }];
        for q in quotes(&text, &people) {
            prop_assert!(q.start <= q.end && q.end <= text.len());
            prop_assert!(text.get(q.start..q.end).is_some());
        }
    }
}
