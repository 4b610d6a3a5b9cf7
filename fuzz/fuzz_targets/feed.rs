//! Reading an RSS or Atom feed (through a file, as ingest reads feeds),
//! then the text stage on every item.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("newsdesk-fuzz-{}.xml", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let input = Input::File {
        path,
        format: InputFormat::Feed,
    };
    let mut articles = Vec::new();
    let _ = read_input(&input, &ReadOptions::default(), &mut |a| articles.push(a));
    for article in &articles {
        newsdesk_fuzz::analyze(&article.text);
    }
});
