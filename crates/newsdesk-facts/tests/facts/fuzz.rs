//! Figures and quotes never panic and their spans always point into the
//! text, whatever the text.

use newsdesk_facts::contradictions::claims;
use newsdesk_facts::figures::figures;
use newsdesk_facts::quotes::{paraphrases, quotes};
use newsdesk_facts::speakers::{NameKind, Named};
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
        Just("Ana Brisk said that".to_string()),
        Just(", according to Ana Brisk".to_string()),
        Just(" no resistance in the city".to_string()),
        Just(" fighting".to_string()),
        Just(". ".to_string()),
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
        let at = cut.min(text.len());
        let names = [
            Named { name: "Ana Brisk", kind: NameKind::Person, start: at.saturating_sub(9), end: at },
            Named { name: "Dunmore", kind: NameKind::Place { city: true }, start: at / 2, end: at },
        ];
        for q in quotes(&text, &names) {
            prop_assert!(q.start <= q.end && q.end <= text.len());
            prop_assert!(text.get(q.start..q.end).is_some());
        }
        // Sentences: any spans, in or out of bounds, on or off char
        // boundaries.
        let sentences = [Span::new(0, at), Span::new(at, text.len()), Span::new(at / 3, at + 7)];
        for q in paraphrases(&text, &sentences, &names) {
            prop_assert_eq!(text.get(q.start..q.end), Some(q.text.as_str()));
        }
        let _ = claims(&text, &sentences, &[], &names);
    }
}
