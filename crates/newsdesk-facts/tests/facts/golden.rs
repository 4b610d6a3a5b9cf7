//! Golden files in the manner of rust-analyzer's data-driven tests: each
//! `test_data/figures/*.txt` article is dumped to the `.figures` file next
//! to it, each `test_data/quotes/*.txt` article to a `.quotes` file. A
//! change in output shows as a diff to review; `UPDATE_EXPECT=1 cargo test`
//! rewrites the dumps once the change is meant.
//!
//! A quotes fixture starts with the names the entity stage would have
//! found, one per line (`#! person Ana Brisk`, `#! organisation Water
//! Board`, `#! place Dunmore`, `#! other Taliban`); every whole-word
//! occurrence of a name in the article is one mention. The article is what
//! follows those lines, and spans are byte offsets into it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use expect_test::expect_file;
use newsdesk_facts::figures::figures;
use newsdesk_facts::quotes::{paraphrases, quotes, QuoteKind};
use newsdesk_facts::speakers::{NameKind, Named};
use newsdesk_model::Span;
use newsdesk_time::timex::tagger;

/// The fixtures of `test_data/<area>`, sorted by name.
fn fixtures(area: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data")
        .join(area);
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no fixtures in {}", dir.display());
    found
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// One line per figure: span, text as written, value, then what is known
/// of it.
fn dump_figures(text: &str) -> String {
    // Numbers inside date and time expressions are not figures, as in the
    // pipeline.
    let times: Vec<Span> = tagger().tag(text, None).iter().map(|t| t.span).collect();
    let mut out = String::new();
    for f in figures(text, &times) {
        assert_eq!(text.get(f.start..f.end), Some(f.text.as_str()));
        let _ = write!(out, "{}..{} {:?} value={}", f.start, f.end, f.text, f.value);
        if let Some(m) = &f.modifier {
            let _ = write!(out, " modifier={m:?}");
        }
        if !f.counted.is_empty() {
            let _ = write!(out, " counted={:?}", f.counted);
        }
        if let Some(u) = &f.unit {
            let _ = write!(out, " unit={u}");
        }
        if let Some(n) = f.normalized {
            let _ = write!(out, " normalized={n}");
        }
        if f.total {
            out.push_str(" total");
        }
        out.push('\n');
    }
    out
}

#[test]
fn figures_match_their_golden_files() {
    for path in fixtures("figures") {
        let text = read(&path);
        expect_file![path.with_extension("figures")].assert_eq(&dump_figures(&text));
    }
}

/// The names header of a quotes fixture, and the article after it.
fn split_header(fixture: &str) -> (Vec<(NameKind, &str)>, &str) {
    let mut names = Vec::new();
    let mut rest = fixture;
    while let Some(line) = rest.strip_prefix("#! ") {
        let (line, tail) = line.split_once('\n').unwrap_or((line, ""));
        let (kind, name) = line.split_once(' ').expect("`#! kind name`");
        let kind = match kind {
            "person" => NameKind::Person,
            "organisation" => NameKind::Organisation,
            "place" => NameKind::Place { city: true },
            "other" => NameKind::Other,
            other => panic!("unknown name kind {other:?}"),
        };
        names.push((kind, name.trim()));
        rest = tail;
    }
    (names, rest)
}

/// Every whole-word occurrence of each name, in text order.
fn mentions<'a>(text: &str, names: &[(NameKind, &'a str)]) -> Vec<Named<'a>> {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut out = Vec::new();
    for &(kind, name) in names {
        for (start, _) in text.match_indices(name) {
            let end = start + name.len();
            if word(text[..start].chars().next_back()) || word(text[end..].chars().next()) {
                continue;
            }
            out.push(Named {
                name,
                kind,
                start,
                end,
            });
        }
    }
    out.sort_by_key(|n| (n.start, n.end));
    out
}

/// One line per quote, direct ones first, then paraphrases: kind, span,
/// text and speaker (`?` when unknown).
fn dump_quotes(fixture: &str) -> String {
    let (names, text) = split_header(fixture);
    let named = mentions(text, &names);
    let sentences = newsdesk_text::sentences::split(text, Span::new(0, text.len()));
    let found = quotes(text, &named)
        .into_iter()
        .chain(paraphrases(text, &sentences, &named));
    let mut out = String::new();
    for q in found {
        // The quoted words as written, less the comma before an
        // attribution.
        assert_eq!(
            text.get(q.start..q.end)
                .map(|t| t.trim().trim_end_matches(',').trim_end()),
            Some(q.text.as_str())
        );
        let kind = match q.kind {
            QuoteKind::Direct => "direct",
            QuoteKind::Paraphrase => "paraphrase",
        };
        let _ = writeln!(
            out,
            "{kind} {}..{} {:?} speaker={}",
            q.start,
            q.end,
            q.text,
            q.speaker.as_deref().unwrap_or("?")
        );
    }
    out
}

#[test]
fn quotes_match_their_golden_files() {
    for path in fixtures("quotes") {
        let fixture = read(&path);
        expect_file![path.with_extension("quotes")].assert_eq(&dump_quotes(&fixture));
    }
}
