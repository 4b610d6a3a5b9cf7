//! The checks behind newsdesk's fuzz targets: each runs one input path on
//! arbitrary bytes and asserts what must hold of its output, so that a
//! broken invariant is a crash that libFuzzer records, like a panic.

use newsdesk_model::{Article, BlockKind, Document};
use newsdesk_text::normalize::Normalized;

// Shared with newsdesk-ingest's replay of the `gzip` corpus on stable,
// which includes the file by path.
mod gzip_case;
pub use gzip_case::{gzip, gzip_case, GzipCase};

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

/// Elements the `nesting` target nests: containers the extractor weighs
/// (div, section, article, table cells, lists), inline ones it flattens,
/// and ones the HTML parser closes or re-parents on its own (p, a, font,
/// table parts, form).
const NESTED_TAGS: [&str; 20] = [
    "div",
    "span",
    "b",
    "i",
    "p",
    "table",
    "tr",
    "td",
    "ul",
    "li",
    "section",
    "article",
    "blockquote",
    "a",
    "font",
    "center",
    "main",
    "form",
    "noscript",
    "dl",
];

/// The largest page [`nested_page`] builds.
pub const NESTED_PAGE_MAX: usize = 1 << 20;

/// A page from a short program, so that a few bytes of fuzz input give
/// thousands of nested tags (which mutations of the page itself reach
/// only slowly). Each instruction is two bytes: the first picks the
/// operation (`% 4`: open a tag, close one, text, a comment or script)
/// and the tag (`/ 4`), the second how often it repeats (a power of two
/// up to 4,096, times one to eight). The page stops growing at
/// [`NESTED_PAGE_MAX`] bytes.
pub fn nested_page(program: &[u8]) -> String {
    let mut page = String::from("<!doctype html><html><head><title>Nested</title></head><body>");
    for op in program.chunks(2) {
        let (code, count) = (op[0], op.get(1).copied().unwrap_or(0));
        let repeat = (1usize << (count % 13)) * (usize::from(count >> 5) % 8 + 1);
        let tag = NESTED_TAGS[usize::from(code >> 2) % NESTED_TAGS.len()];
        let piece = match code % 4 {
            0 => format!("<{tag} class=\"c{count}\">"),
            1 => format!("</{tag}>"),
            2 => "Officials said the river rose by two metres overnight. ".to_string(),
            _ => {
                if count % 2 == 0 {
                    "<!-- <div> -->".to_string()
                } else {
                    "<script>var x = '<div>';</script>".to_string()
                }
            }
        };
        for _ in 0..repeat {
            if page.len() + piece.len() > NESTED_PAGE_MAX {
                return page;
            }
            page.push_str(&piece);
        }
    }
    page
}
