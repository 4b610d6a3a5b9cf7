//! The checks behind newsdesk's fuzz targets: each runs one input path on
//! arbitrary bytes and asserts what must hold of its output, so that a
//! broken invariant is a crash that libFuzzer records, like a panic.

use newsdesk_model::{Article, BlockKind, Document};
use newsdesk_text::normalize::Normalized;

/// Bytes as text: UTF-8 when they are, else decoded lossily, so that every
/// input reaches the analysis.
pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Runs the text stage on `text` and checks the document: spans on char
/// boundaries of the original, trimmed, in order, sentences inside body
/// blocks; and the normalisation map monotonic on char boundaries.
pub fn analyze(text: &str) -> Document {
    let doc = newsdesk_text::analyze(Article::new(text));
    check_document(&doc);
    check_normalized(text);
    doc
}

/// The invariants of a document from the text stage.
pub fn check_document(doc: &Document) {
    let text = &doc.article.text;
    let mut previous_end = 0;
    for block in &doc.blocks {
        let slice = block.span.slice(text).expect("block on char boundaries");
        assert!(
            !slice.is_empty() && slice == slice.trim(),
            "block {slice:?}"
        );
        assert!(block.span.start >= previous_end, "blocks in order");
        previous_end = block.span.end;
    }
    let mut previous_end = 0;
    for sentence in &doc.sentences {
        let slice = sentence
            .span
            .slice(text)
            .expect("sentence on char boundaries");
        assert!(
            !slice.is_empty() && slice == slice.trim(),
            "sentence {slice:?}"
        );
        assert!(sentence.span.start >= previous_end, "sentences in order");
        previous_end = sentence.span.end;
        assert!(
            doc.blocks.iter().any(|b| b.kind == BlockKind::Body
                && b.span.start <= sentence.span.start
                && sentence.span.end <= b.span.end),
            "sentence inside a body block"
        );
    }
}

/// The normalisation map: every char boundary of the normalised text maps
/// to char boundaries of the original, never going back.
pub fn check_normalized(original: &str) {
    let normalized = Normalized::new(original);
    let text = normalized.as_str();
    let mut last = (0, 0);
    let boundaries = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    for b in boundaries {
        let start = normalized.original_start(b);
        let end = normalized.original_end(b);
        assert!(original.is_char_boundary(start) && original.is_char_boundary(end));
        assert!(start >= last.0 && end >= last.1, "monotonic at {b}");
        last = (start, end);
    }
}
