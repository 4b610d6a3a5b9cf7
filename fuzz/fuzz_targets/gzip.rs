//! Gzipped pages and web archives (`.html.gz`, `.warc.gz`) through the
//! file reader `ingest` uses, decompression and its size limit included,
//! then the text stage on every article. The first byte says how the rest
//! is taken (`newsdesk_fuzz::gzip_case`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let case = newsdesk_fuzz::gzip_case(data);
    let (format, extension) = if case.warc {
        (InputFormat::Warc, "warc.gz")
    } else {
        (InputFormat::Html, "html.gz")
    };
    let path =
        std::env::temp_dir().join(format!("newsdesk-fuzz-{}.{extension}", std::process::id()));
    if std::fs::write(&path, &case.file).is_err() {
        return;
    }
    let input = Input::File { path, format };
    let options = ReadOptions {
        max_article_bytes: case.limit,
        ..ReadOptions::default()
    };
    let mut articles = Vec::new();
    let diagnostics = read_input(&input, &options, &mut |a| articles.push(a));
    for d in &diagnostics {
        assert!(!d.message.contains('\n'), "one line per diagnostic: {d}");
    }
    if !case.warc {
        assert!(articles.len() <= 1, "one article per page");
    }
    for article in &articles {
        newsdesk_fuzz::analyze(&article.text);
    }
});
