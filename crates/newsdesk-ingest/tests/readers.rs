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

/// A made-up news page: debris around an article, with a canonical link.
const PAGE: &str = r##"<!DOCTYPE html><html lang="en"><head>
<title>Spillway gives way | River Post</title>
<link rel="canonical" href="https://www.riverpost.example/2025/03/spillway">
<meta property="article:published_time" content="2025-03-13T07:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Spillway gives way above Orlen</h1>
<p>The concrete spillway of the old dam above Orlen gave way on Wednesday night, sending water into the lower town.</p>
<p>Some 3,000 residents were moved to schools on higher ground before dawn, the regional office said on Thursday.</p>
<div class="share"><a href="#">Share on Facebook</a></div>
</article><footer>© River Post 2025. All rights reserved.</footer></body></html>"##;

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Vessary Courier</title><link>https://courier.example/</link>
<description>News</description><language>en-gb</language>
<item><title>Tram vote delayed</title><link>https://courier.example/tram-vote</link>
<pubDate>Fri, 14 Mar 2025 09:00:00 +0000</pubDate>
<description>&lt;p&gt;The city council delayed its vote on the new tram line to April, citing the cost of the river crossing.&lt;/p&gt;</description></item>
<item><title>Empty item</title><link>https://courier.example/empty</link><description></description></item>
<item><title>Dam inquiry</title><link>https://courier.example/dam-inquiry</link>
<pubDate>Sat, 15 Mar 2025 10:00:00 +0000</pubDate>
<description><![CDATA[<p>The regional office opened an inquiry into the failed spillway above Orlen on Saturday.</p><p>Engineers had warned of cracks in 2019.</p>]]></description></item>
</channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Uplands Wire</title><id>urn:uplands</id>
<updated>2025-03-15T12:00:00Z</updated>
<entry><title>Families return to Orlen</title><id>urn:uplands:1</id>
<link rel="alternate" href="https://uplands.example/orlen-return"/>
<published>2025-03-15T11:00:00Z</published><updated>2025-03-15T12:00:00Z</updated>
<content type="html">&lt;p&gt;The first families returned to the lower town of Orlen on Saturday as the water receded.&lt;/p&gt;</content>
</entry></feed>"#;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

/// One WARC record with the given type, target and HTTP payload.
fn warc_record(number: u32, kind: &str, uri: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012}>\r\n\
         WARC-Date: 2025-03-16T08:00:00Z\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http_response(content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A page without its date, so that the WARC-Date is used.
fn undated_page() -> String {
    PAGE.replace(
        r#"<meta property="article:published_time" content="2025-03-13T07:30:00Z">"#,
        "",
    )
    .replace(
        r#"<link rel="canonical" href="https://www.riverpost.example/2025/03/spillway">"#,
        "",
    )
}

fn tiny_warc() -> Vec<u8> {
    let mut warc = Vec::new();
    warc.extend(warc_record(
        1,
        "request",
        "https://riverpost.example/a",
        b"GET /a HTTP/1.1\r\n\r\n",
    ));
    warc.extend(warc_record(
        2,
        "response",
        "https://riverpost.example/a",
        &http_response("text/html; charset=utf-8", &undated_page()),
    ));
    warc.extend(warc_record(
        3,
        "response",
        "https://riverpost.example/logo.png",
        &http_response("image/png", "PNG"),
    ));
    warc.extend(warc_record(
        4,
        "response",
        "https://riverpost.example/blank",
        &http_response(
            "text/html",
            "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        ),
    ));
    warc
}

#[test]
fn html_pages_plain_and_gzipped_give_main_text_and_metadata() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "a.html", PAGE.as_bytes());
    write(
        d,
        "b.html.gz",
        &gzip(PAGE.replace("Orlen", "Vessary").as_bytes()),
    );
    write(
        d,
        "c.htm",
        b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
    );
    write(d, "d.html.gz", b"not gzip at all");
    let (articles, diagnostics) = read_all(&[d.to_path_buf()], &ReadOptions::default());
    assert_eq!(articles.len(), 2, "{:?}", messages(&diagnostics));
    let a = &articles[0];
    // The headline the page shows, which shares its words with `<title>`.
    assert_eq!(a.title.as_deref(), Some("Spillway gives way above Orlen"));
    assert!(
        a.text
            .starts_with("Spillway gives way above Orlen\n\nThe concrete spillway"),
        "{}",
        a.text
    );
    assert!(
        !a.text.contains("Share") && !a.text.contains("World"),
        "{}",
        a.text
    );
    assert_eq!(a.date, Some(jiff::civil::date(2025, 3, 13)));
    assert_eq!(a.lang.as_deref(), Some("en"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://www.riverpost.example/2025/03/spillway")
    );
    assert_eq!(a.source.as_deref(), Some("riverpost.example"));
    assert!(articles[1].text.contains("above Vessary"));
    let messages = messages(&diagnostics);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].contains("c.htm") && messages[0].contains("no main text"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("d.html.gz") && messages[1].contains("decompress"),
        "{messages:?}"
    );
}

#[test]
fn rss_and_atom_items_are_articles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "a.rss", RSS.as_bytes());
    write(d, "b.atom", ATOM.as_bytes());
    write(d, "c.xml", b"<notes><note>not a feed</note></notes>");
    let (articles, diagnostics) = read_all(&[d.to_path_buf()], &ReadOptions::default());
    let titles: Vec<_> = articles
        .iter()
        .map(|a| a.title.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        titles,
        [
            "Tram vote delayed",
            "Dam inquiry",
            "Families return to Orlen"
        ],
        "{:?}",
        messages(&diagnostics)
    );
    let tram = &articles[0];
    assert_eq!(tram.text, "The city council delayed its vote on the new tram line to April, citing the cost of the river crossing.");
    assert_eq!(
        tram.url.as_deref(),
        Some("https://courier.example/tram-vote")
    );
    assert_eq!(tram.date, Some(jiff::civil::date(2025, 3, 14)));
    assert_eq!(tram.source.as_deref(), Some("Vessary Courier"));
    assert_eq!(tram.lang.as_deref(), Some("en-gb"));
    assert!(tram
        .origin
        .as_deref()
        .is_some_and(|o| o.ends_with("a.rss#item1")));
    assert!(
        articles[1].text.contains("\n\nEngineers had warned"),
        "{}",
        articles[1].text
    );
    let wire = &articles[2];
    assert_eq!(wire.date, Some(jiff::civil::date(2025, 3, 15)));
    assert_eq!(
        wire.url.as_deref(),
        Some("https://uplands.example/orlen-return")
    );
    let messages = messages(&diagnostics);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].contains("a.rss")
            && messages[0].contains("item 2 (https://courier.example/empty)"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("c.xml") && messages[1].contains("not an RSS or Atom feed"),
        "{messages:?}"
    );
}

/// Found by the `gzip` fuzz target (issue 27, crash-706dbf24): a
/// `WARC-Target-URI` that is not UTF-8 panics inside warc 0.4's
/// `Record::header` (an `unwrap` on `String::from_utf8`), which
/// `web_archive.rs` calls for the target URI, so one bad byte in an
/// archive ends the whole ingest with exit code 101. Plain and gzipped
/// archives alike. Fixed by reading WARC with newsdesk's own record
/// reader, which keeps header values as bytes.
#[test]
fn fuzz_gzip_warc_target_uri_not_utf8_is_a_diagnostic_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let mut record = warc_record(
        1,
        "response",
        "https:X//riverpost.example/z",
        &http_response("text/html", &undated_page()),
    );
    let at = record
        .windows(7)
        .position(|w| w == b"https:X")
        .expect("the URI")
        + 6;
    record[at] = 0x8b;
    let mut archive = record.clone();
    archive.extend(tiny_warc());
    write(d, "bad-uri.warc", &archive);
    write(d, "bad-uri.warc.gz", &gzip(&archive));
    let (articles, diagnostics) = read_all(&[d.to_path_buf()], &ReadOptions::default());
    // The good records of both archives are still read.
    assert!(articles.len() >= 2, "{:?}", messages(&diagnostics));
    // The bad record too, its address shown lossily and reported.
    let bad = "https:\u{FFFD}//riverpost.example/z";
    assert_eq!(
        articles
            .iter()
            .filter(|a| a.url.as_deref() == Some(bad))
            .count(),
        2
    );
    let warnings: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.message.contains("not UTF-8"))
        .collect();
    assert_eq!(warnings.len(), 2, "{:?}", messages(&diagnostics));
    assert!(warnings[0]
        .message
        .starts_with(&format!("record 1 ({bad})")));
}

#[test]
fn warc_response_records_are_articles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "a.warc", &tiny_warc());
    // Gzipped the way crawlers write it: one gzip member per record.
    let mut members = Vec::new();
    members.extend(gzip(&warc_record(
        1,
        "response",
        "https://riverpost.example/b",
        &http_response("text/html", &undated_page().replace("Orlen", "Vessary")),
    )));
    members.extend(gzip(&warc_record(2, "warcinfo", "", b"software: test\r\n")));
    write(d, "b.warc.gz", &members);
    // Cut off in the middle of its second record's body.
    let mut cut = tiny_warc();
    let first = warc_record(
        1,
        "request",
        "https://riverpost.example/a",
        b"GET /a HTTP/1.1\r\n\r\n",
    )
    .len();
    cut.truncate(first + 400);
    write(d, "c.warc", &cut);
    let (articles, diagnostics) = read_all(&[d.to_path_buf()], &ReadOptions::default());
    assert_eq!(articles.len(), 2, "{:?}", messages(&diagnostics));
    let a = &articles[0];
    assert!(
        a.text.starts_with("Spillway gives way above Orlen"),
        "{}",
        a.text
    );
    assert_eq!(a.url.as_deref(), Some("https://riverpost.example/a"));
    assert_eq!(a.date, Some(jiff::civil::date(2025, 3, 16)));
    assert!(a
        .origin
        .as_deref()
        .is_some_and(|o| o.ends_with("a.warc#record2")));
    assert!(articles[1].text.contains("above Vessary"));
    let messages = messages(&diagnostics);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].contains("a.warc")
            && messages[0].contains("record 4 (https://riverpost.example/blank)"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("c.warc") && messages[1].contains("record 2"),
        "{messages:?}"
    );
}

/// Reliability review D5: numeric ids went through a float, so two
/// articles with ids beyond 2^53 became one id and one was dropped.
#[test]
fn numeric_ids_keep_their_digits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "ids.jsonl",
        b"{\"id\":123456789012345678901,\"title\":\"Harbour strike begins\",\"text\":\"Dock workers walked out on Monday.\"}\n\
          {\"id\": 123456789012345678902 ,\"title\":\"Mountain road closed\",\"text\":\"A rockslide closed the road on Sunday.\"}\n\
          {\"id\":7,\"text\":\"A small id.\"}\n{\"id\":1.50,\"text\":\"A fractional id keeps its digits too.\"}\n",
    );
    let (articles, diagnostics) = read_all(&[path], &ReadOptions::default());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "123456789012345678901",
            "123456789012345678902",
            "7",
            "1.50"
        ]
    );
}

/// Reliability review D16: a binary `.jsonl` gave one error per
/// pseudo-line (3,916 of them).
#[test]
fn a_binary_jsonl_file_is_one_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = Vec::new();
    for i in 0..500u32 {
        bytes.extend_from_slice(&i.to_le_bytes());
        bytes.extend_from_slice(b"\x00\x01garbage\n");
    }
    let path = write(dir.path(), "data.jsonl", &bytes);
    let (articles, diagnostics) = read_all(&[path], &ReadOptions::default());
    assert!(articles.is_empty());
    assert_eq!(messages(&diagnostics).len(), 1, "{diagnostics:?}");
    assert!(
        messages(&diagnostics)[0].contains("binary file"),
        "{diagnostics:?}"
    );
    assert_eq!(diagnostics[0].severity, Severity::Error);
}

/// Found by the hostile-input work (issue 27): a gzipped `.jsonl` named on
/// the command line was called a binary file, which says nothing of what
/// to do. It is now called gzip-compressed, once, as is gzipped text.
#[test]
fn gzipped_jsonl_and_text_say_they_are_compressed() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..200 {
        writeln!(
            gz,
            r#"{{"id": "a{i}", "text": "Floods closed the bridge on Monday."}}"#
        )
        .expect("gzip");
    }
    let bytes = gz.finish().expect("gzip");
    for name in ["feed.jsonl.gz", "note.txt.gz"] {
        let path = write(dir.path(), name, &bytes);
        let (articles, diagnostics) = read_all(&[path], &ReadOptions::default());
        assert!(articles.is_empty());
        let messages = messages(&diagnostics);
        assert_eq!(messages.len(), 1, "{name}: {diagnostics:?}");
        assert!(
            messages[0].contains("gzip-compressed"),
            "{name}: {messages:?}"
        );
    }
}
