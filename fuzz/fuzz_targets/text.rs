//! The text stage (normalisation, cleaning, sentences, language, title) on
//! arbitrary text, plus word terms.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = newsdesk_fuzz::text_of(data);
    let doc = newsdesk_fuzz::analyze(&text);
    let stemmer = newsdesk_text::words::Stemmer::new();
    for sentence in doc.sentence_texts() {
        let _ = newsdesk_text::words::terms(sentence, &stemmer);
    }
});
