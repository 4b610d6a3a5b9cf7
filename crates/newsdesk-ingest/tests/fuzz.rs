//! Property tests: the readers never panic on arbitrary bytes, and what
//! they return is well formed.

use newsdesk_ingest::{read_stream, ReadOptions};
use proptest::prelude::*;

fn check(bytes: &[u8], max: usize) {
    let options = ReadOptions {
        max_article_bytes: max,
        ..ReadOptions::default()
    };
    let mut reader = bytes;
    let mut articles = Vec::new();
    let diagnostics = read_stream("fuzz", &mut reader, &options, &mut |a| articles.push(a));
    for article in &articles {
        assert!(!article.id.as_str().is_empty());
        assert!(article.text.len() <= max);
        assert!(!article.text.trim().is_empty() || article.title.is_some());
    }
    for d in &diagnostics {
        assert_eq!(d.path, "fuzz");
        assert!(!d.message.contains('\n'), "one line per diagnostic: {d}");
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), max in 1usize..4096) {
        check(&bytes, max);
    }

    #[test]
    fn jsonl_like_input_never_panics(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("{\"text\": \"A.\"}".to_string()),
                Just("{\"id\": 5, \"maintext\": \"B\", \"date_publish\": \"2021-08-15 00:00:00\"}".to_string()),
                Just("{\"title\": \"Only a title\", \"date\": 12}".to_string()),
                Just("{\"text\": null}".to_string()),
                Just("[]".to_string()),
                "\\PC{0,40}",
                "\\{\"text\": \"\\PC{0,30}\"\\}",
            ],
            0..12,
        ),
        max in 8usize..512,
    ) {
        let input = format!("{{}}\n{}", lines.join("\n"));
        check(input.as_bytes(), max);
    }
}
