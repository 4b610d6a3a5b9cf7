//! Reading a stream (JSONL when it starts with `{`, else one text article)
//! with a size limit taken from the input, then the text stage on every
//! article read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk_ingest::{read_stream, ReadOptions};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the size limit, so that limits are fuzzed too.
    let (max, data) = match data.split_first() {
        Some((&first, rest)) => (usize::from(first) * 64 + 1, rest),
        None => (1, data),
    };
    let options = ReadOptions {
        max_article_bytes: max,
        ..ReadOptions::default()
    };
    let mut reader = data;
    let mut articles = Vec::new();
    let diagnostics = read_stream("fuzz", &mut reader, &options, &mut |a| articles.push(a));
    for d in &diagnostics {
        assert!(!d.message.contains('\n'), "one line per diagnostic: {d}");
    }
    for article in &articles {
        assert!(article.text.len() <= max, "limit kept");
        newsdesk_fuzz::analyze(&article.text);
    }
});
