//! Reader tests on real files in a temporary directory: good input, the
//! bad inputs the Foundation issue lists, and metadata precedence.

use std::path::{Path, PathBuf};

use newsdesk_ingest::{collect_inputs, read_input, Defaults, ReadOptions};
use newsdesk_model::{Article, Diagnostic, Severity};

fn read_all(paths: &[PathBuf], options: &ReadOptions) -> (Vec<Article>, Vec<Diagnostic>) {
    let (inputs, mut diagnostics) = collect_inputs(paths);
    let mut articles = Vec::new();
    for input in &inputs {
        diagnostics.extend(read_input(input, options, &mut |a| articles.push(a)));
    }
    (articles, diagnostics)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write fixture");
    path
}

fn messages(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(|d| d.to_string()).collect()
}

#[test]
fn bad_files_are_reported_by_name_and_the_rest_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "a-good.txt",
        b"The bridge reopened on Monday after repairs.\n",
    );
    write(d, "b-empty.txt", b"");
    write(d, "c-blank.txt", b"  \n\n ");
    write(d, "d-binary.txt", b"GIF89a\x00\x01\x02binary");
    write(d, "e-latin1.txt", b"Caf\xe9 owners protested.");
    let big = vec![b'a'; 50 * 1024 * 1024];
    write(d, "f-big.txt", &big);
    write(
        d,
        "g-lines.jsonl",
        b"{\"id\": \"x1\", \"text\": \"First.\"}\n{broken\n[1, 2]\n{\"lang\": \"en\"}\n\n{\"id\": \"x2\", \"text\": \"Second.\"}\n",
    );
    write(d, "notes.csv", b"a,b\n");
    write(d, "README.md", b"What this folder holds.\n");
    let missing = d.join("missing.txt");
    let (articles, diagnostics) = read_all(&[d.to_path_buf(), missing], &ReadOptions::default());

    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(&ids[1..], &["x1", "x2"]);
    let text = messages(&diagnostics).join("\n");
    for expected in [
        "missing.txt: cannot read: no such file or directory",
        "b-empty.txt: empty file",
        "c-blank.txt: empty file",
        "d-binary.txt: binary file",
        "e-latin1.txt: not valid UTF-8 (first bad byte at offset 3)",
        "f-big.txt: file is 52.4 MB, larger than the limit",
        "g-lines.jsonl:2: not valid JSON",
        "g-lines.jsonl:3: not a JSON object",
        "g-lines.jsonl:4: no article text or title",
        "passed over 2 file(s) that are not articles (README.md, notes.csv)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert_eq!(errors, 9, "{text}");
}

#[test]
fn a_giant_jsonl_line_is_skipped_without_losing_its_neighbours() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut data = b"{\"id\": \"before\", \"text\": \"Before.\"}\n{\"text\": \"".to_vec();
    data.extend(std::iter::repeat_n(b'x', 2000));
    data.extend_from_slice(b"\"}\n{\"id\": \"after\", \"text\": \"After.\"}");
    let path = write(dir.path(), "big.jsonl", &data);
    let options = ReadOptions {
        max_article_bytes: 1000,
        ..ReadOptions::default()
    };
    let (articles, diagnostics) = read_all(&[path], &options);
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["before", "after"]);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].line, Some(2));
}

#[test]
fn news_please_fields_and_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "np.jsonl",
        br#"{"maintext": "Body.", "title": "T", "date_publish": "2021-08-15 10:30:00", "source_domain": "example.org", "language": "en", "url": "https://example.org/a"}
{"text": "Other.", "date": null, "id": 7}
{"text": "Bad date.", "date": "someday"}
"#,
    );
    let options = ReadOptions {
        defaults: Defaults {
            source: Some("flag-source".into()),
            date: Some(jiff::civil::date(2020, 1, 2)),
            lang: Some("de".into()),
        },
        ..ReadOptions::default()
    };
    let (articles, diagnostics) = read_all(&[path], &options);
    assert_eq!(articles.len(), 3);
    let a = &articles[0];
    assert_eq!(a.text, "Body.");
    assert_eq!(a.title.as_deref(), Some("T"));
    assert_eq!(a.date, Some(jiff::civil::date(2021, 8, 15)));
    assert_eq!(a.source.as_deref(), Some("example.org"));
    assert_eq!(a.lang.as_deref(), Some("en"));
    assert_eq!(a.url.as_deref(), Some("https://example.org/a"));
    assert!(a
        .origin
        .as_deref()
        .is_some_and(|o| o.ends_with("np.jsonl:1")));
    let b = &articles[1];
    assert_eq!(b.id.as_str(), "7");
    assert_eq!(b.source.as_deref(), Some("flag-source"));
    assert_eq!(b.date, Some(jiff::civil::date(2020, 1, 2)));
    // A date that cannot be read leaves the article undated, with a warning.
    assert_eq!(articles[2].date, None);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].severity, Severity::Warning);
}

#[test]
fn sidecar_metadata_wins_over_flags_and_ids_are_content_hashes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let with = write(d, "with.txt", b"Text with a sidecar.");
    write(
        d,
        "with.meta.json",
        br#"{"title": "Sidecar title", "source": "Sidecar Post", "date": "2024-03-01", "extra": 1}"#,
    );
    let without = write(d, "without.txt", b"Text without one.");
    let broken = write(d, "broken.txt", b"Text with a broken sidecar.");
    write(d, "broken.meta.json", b"{not json");
    let options = ReadOptions {
        defaults: Defaults {
            source: Some("Flag Times".into()),
            ..Defaults::default()
        },
        ..ReadOptions::default()
    };
    let (articles, diagnostics) = read_all(&[with, without, broken], &options);
    assert_eq!(articles.len(), 3);
    assert_eq!(articles[0].title.as_deref(), Some("Sidecar title"));
    assert_eq!(articles[0].source.as_deref(), Some("Sidecar Post"));
    assert_eq!(articles[0].date, Some(jiff::civil::date(2024, 3, 1)));
    assert_eq!(articles[1].source.as_deref(), Some("Flag Times"));
    assert_eq!(articles[1].date, None);
    assert_eq!(articles[2].source.as_deref(), Some("Flag Times"));
    assert_eq!(diagnostics.len(), 1, "{:?}", messages(&diagnostics));
    assert!(diagnostics[0].path.ends_with("broken.meta.json"));
    // Reading again gives the same ids.
    let (again, _) = read_all(&[d.join("without.txt")], &options);
    assert_eq!(again[0].id, articles[1].id);
}

#[test]
fn stdin_like_streams_are_jsonl_or_text() {
    let options = ReadOptions::default();
    let mut out = Vec::new();
    let mut jsonl: &[u8] = b"\n  {\"text\": \"One.\"}\n{\"text\": \"Two.\"}\n";
    let diagnostics = newsdesk_ingest::read_stream("-", &mut jsonl, &options, &mut |a| out.push(a));
    assert!(diagnostics.is_empty());
    assert_eq!(out.len(), 2);
    out.clear();
    let mut text: &[u8] = b"A plain article.\nSecond line.";
    let diagnostics = newsdesk_ingest::read_stream("-", &mut text, &options, &mut |a| out.push(a));
    assert!(diagnostics.is_empty());
    assert_eq!(out[0].text, "A plain article.\nSecond line.");
    let mut empty: &[u8] = b"   ";
    let diagnostics = newsdesk_ingest::read_stream("-", &mut empty, &options, &mut |a| out.push(a));
    assert_eq!(diagnostics.len(), 1);
}
