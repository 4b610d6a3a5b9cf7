//! Deeply nested pages (thousands of nested tags, closed or not, with
//! comments and scripts between them) built from a short program
//! (`newsdesk_fuzz::nested_page`), through HTML extraction and the text
//! stage. Run with `-timeout` so that time growing with the depth shows
//! as a crash (reliability review D2: 100,000 nested divs took an hour).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let page = newsdesk_fuzz::nested_page(data);
    let extraction = newsdesk_html::extract_bytes(page.as_bytes());
    for paragraph in &extraction.paragraphs {
        assert!(!paragraph.text.is_empty(), "empty paragraph");
    }
    newsdesk_fuzz::analyze(&extraction.text);
});
