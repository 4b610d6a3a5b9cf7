//! HTML main-text extraction on arbitrary bytes (any encoding), then the
//! text stage on what it extracted.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let page = newsdesk_html::extract_bytes(data);
    for paragraph in &page.paragraphs {
        assert!(!paragraph.text.is_empty(), "empty paragraph");
    }
    newsdesk_fuzz::analyze(&page.text);
});
