//! The text stage never fails: odd input gives a well-formed document.

use newsdesk_model::{Article, BlockKind, Document};

/// Checks the invariants of a document: every span lies on character
/// boundaries of the text, blocks are trimmed, in order and disjoint, and
/// every sentence is a trimmed, non-empty part of one body block.
pub fn assert_well_formed(doc: &Document) {
    let text = &doc.article.text;
    let mut previous_end = 0;
    for block in &doc.blocks {
        let slice = text.get(block.span.start..block.span.end);
        let Some(slice) = slice else {
            panic!("block span {:?} is not on char boundaries", block.span);
        };
        assert!(!slice.is_empty() && slice == slice.trim(), "{slice:?}");
        assert!(block.span.start >= previous_end, "blocks overlap");
        previous_end = block.span.end;
        assert_eq!(block.rule.is_some(), block.kind != BlockKind::Body);
    }
    let mut previous_end = 0;
    for sentence in &doc.sentences {
        let span = sentence.span;
        let Some(slice) = text.get(span.start..span.end) else {
            panic!("sentence span {span:?} is not on char boundaries");
        };
        assert!(!slice.is_empty() && slice == slice.trim(), "{slice:?}");
        assert!(span.start >= previous_end, "sentences overlap");
        previous_end = span.end;
        assert!(
            doc.blocks.iter().any(|b| b.kind == BlockKind::Body
                && b.span.start <= span.start
                && span.end <= b.span.end),
            "sentence outside body blocks: {slice:?}"
        );
    }
}

fn check(text: &str) -> Document {
    let doc = newsdesk_text::analyze(Article::new(text));
    assert_well_formed(&doc);
    doc
}

#[test]
fn empty_and_blank() {
    for text in ["", " ", "\n\n\n", " \t\r\n\u{a0}\u{2028}\u{3000}", "\r"] {
        let doc = check(text);
        assert!(doc.blocks.is_empty(), "{text:?}");
        assert!(doc.sentences.is_empty());
        assert_eq!(doc.article.lang, None);
    }
}

#[test]
fn punctuation_only() {
    for text in [
        ".", "...", "?!?!", "…", ". . .", "\"\"", "“”", "•", "• •", "-", "*", "()", ".\n.\n",
    ] {
        check(text);
    }
}

#[test]
fn control_characters_and_mixed_scripts() {
    check("\u{0}\u{1}\u{7}\u{1b}[31m red \u{1b}[0m. \u{feff}Next.\u{0}");
    check("Кабул пал. 喀布尔沦陷。 كابل سقطت. Kabul fell. काबुल गिर गया। 🇦🇫🏳️. e\u{301}.");
    check("\u{202e}reversed. \u{200d}\u{200b}zero width. Ǆ. ß. İ.");
    let doc = check(
        "Das Parlament hat am Dienstag ein neues Gesetz über den Schutz der Wälder beschlossen.",
    );
    assert_eq!(doc.article.lang.as_deref(), Some("de"));
}

#[test]
fn one_megabyte_line() {
    let sentence = "The river rose by 3.5 metres near St. Mary's, the U.S. team said… ";
    let text = sentence.repeat(1_000_000 / sentence.len() + 1);
    assert!(text.len() > 1_000_000);
    let doc = check(&text);
    assert_eq!(doc.blocks.len(), 1);
    assert!(doc.sentences.len() > 10_000);

    for unit in ["x", ".", "a.", "é…", "\"", "• ", "Mr. "] {
        check(&unit.repeat(1_000_000 / unit.len()));
    }
}

/// Many small texts built from the characters that the cleaner and the
/// splitter treat specially, from a fixed seed.
#[test]
fn generated_texts() {
    const PIECES: &[&str] = &[
        ".",
        ". ",
        "..",
        "...",
        "…",
        "?",
        "!",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\n\n",
        "\u{2028}",
        "\"",
        "“",
        "”",
        "'",
        "’",
        "(",
        ")",
        "•",
        "- ",
        "* ",
        "Mr",
        "U.S",
        "a.m",
        "J",
        "etc",
        "No",
        "The",
        "he",
        "Kabul",
        "3",
        "3,000",
        "é",
        "Ж",
        "中",
        "🏳️",
        "\u{0}",
        "\t",
        ":",
        ",",
        "image caption",
        "Related Topics",
        "Share",
        "Advertisement",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        // xorshift64: deterministic and dependency-free.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..2_000 {
        let len = (next() % 40) as usize;
        let text: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        check(&text);
    }
}
