//! `newsdesk extract` on made-up pages, and a smoke slice of `newsdesk
//! eval extract` on the WCXB development pages.

use std::io::Write;
use std::path::Path;

use crate::support::{run, run_without_store, shared_path};

/// A made-up news page with the usual debris around its article.
const PAGE: &str = r##"<!DOCTYPE html><html lang="en"><head>
<title>Spillway gives way | River Post</title>
<meta name="author" content="Ana Novak">
<meta property="article:published_time" content="2025-03-13T07:30:00Z">
</head><body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Spillway gives way above Orlen</h1>
<p>The concrete spillway of the old dam above Orlen gave way on Wednesday night, sending water into the lower town.</p>
<figure><img src="a.jpg"><figcaption>Image caption: the broken spillway</figcaption></figure>
<h2>Evacuation</h2>
<p>Some 3,000 residents were moved to schools on higher ground before dawn, the regional office said on Thursday.</p>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/x">Tram vote delayed again</a></li></ul></aside>
<footer>© River Post 2025. All rights reserved.</footer>
</body></html>"##;

fn write(dir: &Path, name: &str, content: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write");
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

#[test]
fn extract_prints_the_article_without_debris() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = write(dir.path(), "spillway.html", PAGE.as_bytes());
    let db = dir.path().join("unused.db");
    let out = run(&db, &["extract", page.to_str().expect("utf-8")]).expect_code(0);
    assert_eq!(
        out.stdout,
        "Spillway gives way above Orlen\n\n\
         The concrete spillway of the old dam above Orlen gave way on Wednesday night, sending water into the lower town.\n\n\
         Evacuation\n\n\
         Some 3,000 residents were moved to schools on higher ground before dawn, the regional office said on Thursday.\n"
    );
    assert!(!db.exists(), "extract must not create a store");
}

#[test]
fn extract_json_gives_metadata() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = write(dir.path(), "spillway.htm", PAGE.as_bytes());
    let out = run(
        &dir.path().join("unused.db"),
        &["extract", "--json", page.to_str().expect("utf-8")],
    )
    .expect_code(0);
    let json = out.json();
    let first = &json[0];
    // The headline the page shows, which shares its words with `<title>`.
    assert_eq!(first["title"], "Spillway gives way above Orlen");
    assert_eq!(first["byline"], "Ana Novak");
    assert_eq!(first["date"], "2025-03-13");
    assert_eq!(first["lang"], "en");
    assert!(first["text"]
        .as_str()
        .expect("text")
        .starts_with("Spillway gives way above Orlen"));
}

#[test]
fn extract_out_dir_writes_one_file_per_page_and_an_empty_one_for_a_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = write(dir.path(), "one.html", PAGE.as_bytes());
    let zipped = write(dir.path(), "two.html.gz", &gzip(PAGE.as_bytes()));
    let broken = write(dir.path(), "three.html.gz", b"not gzip at all");
    let out_dir = dir.path().join("out");
    let out = run(
        &dir.path().join("unused.db"),
        &[
            "extract",
            "--out-dir",
            out_dir.to_str().expect("utf-8"),
            plain.to_str().expect("utf-8"),
            zipped.to_str().expect("utf-8"),
            broken.to_str().expect("utf-8"),
        ],
    )
    .expect_code(0);
    let one = std::fs::read_to_string(out_dir.join("one.txt")).expect("one.txt");
    let two = std::fs::read_to_string(out_dir.join("two.txt")).expect("two.txt");
    let three = std::fs::read_to_string(out_dir.join("three.txt")).expect("three.txt");
    assert!(one.contains("Some 3,000 residents"));
    assert_eq!(one, two);
    assert_eq!(three, "");
    let messages: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(messages.len(), 1, "stderr: {}", out.stderr);
    assert!(
        messages[0].contains("three.html.gz"),
        "stderr: {}",
        out.stderr
    );
}

#[test]
fn extract_fails_when_no_page_can_be_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.html");
    let out = run(
        &dir.path().join("unused.db"),
        &["extract", missing.to_str().expect("utf-8")],
    )
    .expect_code(1);
    assert!(
        out.stderr.contains("missing.html"),
        "stderr: {}",
        out.stderr
    );
}

#[test]
fn extract_survives_binary_and_empty_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let binary = write(dir.path(), "binary.html", &[0, 159, 146, 150, 255, 0, 1, 2]);
    let empty = write(dir.path(), "empty.html", b"");
    let out = run(
        &dir.path().join("unused.db"),
        &[
            "extract",
            binary.to_str().expect("utf-8"),
            empty.to_str().expect("utf-8"),
        ],
    )
    .expect_code(0);
    assert!(out.stderr.contains("empty.html"), "stderr: {}", out.stderr);
}

/// Word F1 of `newsdesk eval extract --limit 40` on the first 40 WCXB dev
/// pages was 0.970 when this floor was set (see README.md for the
/// full run).
const WCXB_40_F1_FLOOR: f64 = 0.95;

#[test]
fn eval_extract_wcxb_slice_stays_above_its_floor() {
    let Some(dir) = shared_path("eval/extraction/wcxb_dev", "eval_extract_wcxb_slice") else {
        return;
    };
    let out = run_without_store(&[
        "eval",
        "extract",
        "--json",
        "--limit",
        "40",
        dir.to_str().expect("utf-8"),
    ])
    .expect_code(0);
    let json = out.json();
    assert_eq!(json["all"]["pages"], 40);
    let f1 = json["all"]["mean"]["f1"].as_f64().expect("f1");
    assert!(
        f1 >= WCXB_40_F1_FLOOR,
        "word F1 {f1} fell below {WCXB_40_F1_FLOOR}"
    );
}

/// The first 60 pages of L3S-GN1 (news articles, `gold/`): the floor
/// catches a regression on news pages. These 60 scored word F1 0.929 on
/// 2026-12-08 (all 620: 0.923, `newsdesk eval extract
/// ../shared/eval/extraction/l3s_gn1`).
const L3S_60_F1_FLOOR: f64 = 0.91;

#[test]
fn eval_extract_l3s_slice_stays_above_its_floor_and_names_sites() {
    let Some(dir) = shared_path("eval/extraction/l3s_gn1", "eval_extract_l3s_slice") else {
        return;
    };
    let scratch = tempfile::tempdir().expect("tempdir");
    let pages = scratch.path().join("pages.tsv");
    let dir = dir.to_str().expect("utf-8");
    let pages_arg = pages.to_str().expect("utf-8");
    let args = [
        "eval", "extract", "--json", "--limit", "60", dir, "--pages", pages_arg,
    ];
    let json = run_without_store(&args).expect_code(0).json();
    assert_eq!(json["all"]["pages"], 60);
    assert_eq!(
        json["by_type"]["article"]["pages"], 60,
        "every L3S-GN1 page is an article"
    );
    let f1 = json["all"]["mean"]["f1"].as_f64().expect("f1");
    assert!(
        f1 >= L3S_60_F1_FLOOR,
        "word F1 {f1} fell below {L3S_60_F1_FLOOR}"
    );
    assert!(json["by_site"].as_object().is_some_and(|s| s.len() > 20));
    // The regression file: one line per page; the same run against it
    // loses nothing, a file claiming better scores is a loss (exit 1).
    let written = std::fs::read_to_string(&pages).expect("pages file");
    assert_eq!(written.lines().count(), 61);
    let against = [
        "eval",
        "extract",
        "--limit",
        "60",
        dir,
        "--against",
        pages_arg,
    ];
    run_without_store(&against).expect_code(0);
    // A page scored below 0.97 is said to have scored 1.
    let weak = written
        .lines()
        .skip(1)
        .position(|line| line.split('\t').nth(4).and_then(|f| f.parse::<f64>().ok()) < Some(0.97))
        .expect("a page below 0.97")
        + 1;
    let better: String = written
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == weak {
                let mut f: Vec<&str> = line.split('\t').collect();
                f[4] = "1.0000";
                f.join("\t") + "\n"
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    std::fs::write(&pages, better).expect("write");
    let lost = run_without_store(&against).expect_code(1);
    assert!(lost.stderr.contains("LOST: page"), "{}", lost.stderr);
}

/// `newsdesk ingest` reads web inputs: an HTML page, a gzipped one, an RSS
/// and an Atom feed and a WARC archive, all found by walking a directory.
#[test]
fn ingest_reads_pages_feeds_and_web_archives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).expect("mkdir");
    write(&inputs, "a.html", PAGE.as_bytes());
    let vessary = PAGE
        .replace("Orlen", "Vessary")
        .replace("2025-03-13", "2025-03-14");
    write(&inputs, "b.html.gz", &gzip(vessary.as_bytes()));
    write(
        &inputs,
        "c.rss",
        br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Vessary Courier</title>
<item><title>Tram vote delayed</title><link>https://courier.example/tram</link>
<pubDate>Fri, 14 Mar 2025 09:00:00 +0000</pubDate>
<description>&lt;p&gt;The city council delayed its vote on the new tram line to April, citing the cost of the river crossing.&lt;/p&gt;</description></item>
</channel></rss>"#,
    );
    write(
        &inputs,
        "d.atom",
        br#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Uplands Wire</title><id>urn:u</id><updated>2025-03-15T12:00:00Z</updated>
<entry><title>Families return to Orlen</title><id>urn:u:1</id><link href="https://uplands.example/orlen"/><updated>2025-03-15T12:00:00Z</updated>
<content type="html">&lt;p&gt;The first families returned to the lower town of Orlen on Saturday as the water receded.&lt;/p&gt;</content></entry></feed>"#,
    );
    let page = PAGE.replace("Orlen", "Kessel").replace(
        r#"<meta property="article:published_time" content="2025-03-13T07:30:00Z">"#,
        "",
    );
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{page}");
    let mut warc = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n\
         WARC-Date: 2025-03-16T08:00:00Z\r\nWARC-Target-URI: https://post.example/kessel\r\n\
         Content-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    warc.extend_from_slice(b"WARC/1.0\r\nbroken header\r\n\r\n");
    write(&inputs, "e.warc", &warc);

    let db = dir.path().join("web.db");
    let report = run(&db, &["ingest", inputs.to_str().expect("utf-8"), "--json"]).json();
    assert_eq!(report["added"], 5, "{report}");
    let text = report.to_string();
    assert!(
        text.contains("e.warc") && text.contains("record 2"),
        "{report}"
    );
}

/// Reliability review D9 and D10: pages sharing a stem overwrote each
/// other's output without a word, and a symbolic link in the output
/// folder was followed to overwrite a file outside it.
#[test]
fn out_dir_keeps_pages_that_share_a_name_and_never_follows_a_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b, out) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("out"),
    );
    for d in [&a, &b, &out] {
        std::fs::create_dir(d).expect("mkdir");
    }
    let page = |title: &str| {
        format!("<html><head><title>{title}</title></head><body><article><p>{title} was reported on Monday by the river authority, which said the water would fall by Friday.</p></article></body></html>")
    };
    std::fs::write(a.join("page.html"), page("Dam holds")).expect("write");
    std::fs::write(b.join("page.html"), page("Bridge opens")).expect("write");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&victim, out.join("page.txt")).expect("symlink");
    let pages = [a.join("page.html"), b.join("page.html")];
    let result = crate::support::run_without_store(&[
        "extract",
        pages[0].to_str().expect("path"),
        pages[1].to_str().expect("path"),
        "--out-dir",
        out.to_str().expect("path"),
    ])
    .expect_code(0);
    assert!(
        result.stderr.contains("written as page-2.txt"),
        "{}",
        result.stderr
    );
    let first = std::fs::read_to_string(out.join("page.txt")).expect("page.txt");
    let second = std::fs::read_to_string(out.join("page-2.txt")).expect("page-2.txt");
    assert!(first.contains("Dam holds"), "{first}");
    assert!(second.contains("Bridge opens"), "{second}");
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep");
}

/// Reliability review D3: `extract` inflated a gzip bomb without a limit
/// (a 97 KB page grew to 23 GB before the kernel killed it).
#[test]
fn extract_refuses_a_page_that_inflates_past_the_size_limit() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb = dir.path().join("bomb.html.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&zeros).expect("compress");
    }
    std::fs::write(&bomb, gz.finish().expect("gzip")).expect("write");
    let refused = crate::support::run_without_store(&["extract", bomb.to_str().expect("path")])
        .expect_code(1);
    assert!(
        refused.stderr.contains("larger than the limit"),
        "{}",
        refused.stderr
    );
}

#[test]
fn extract_jobs_give_the_output_of_one_job() {
    // Pages of the fuzz corpus (broken, deep, Latin-1), a made-up
    // article plain and gzipped, and a page that cannot be read: on two
    // threads the output, its order and the messages are those of one.
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/html");
    let mut files: Vec<std::path::PathBuf> = [
        "seed-article.html",
        "seed-broken.html",
        "seed-latin1.html",
        "seed-time.html",
        "seed-deep-div-1400.html",
        "seed-deep-table.html",
    ]
    .iter()
    .map(|name| corpus.join(name))
    .collect();
    files.push(write(dir.path(), "one.html", PAGE.as_bytes()));
    files.push(write(dir.path(), "two.html.gz", &gzip(PAGE.as_bytes())));
    files.push(write(dir.path(), "three.html.gz", b"not gzip at all"));
    let files: Vec<&str> = files.iter().map(|f| f.to_str().expect("utf-8")).collect();
    let with = |extra: &[&str]| {
        let mut args = vec!["extract"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&files);
        run_without_store(&args).expect_code(0)
    };
    for format in [&[][..], &["--json"][..]] {
        let one = with(&[format, &["--jobs", "1"][..]].concat());
        let two = with(&[format, &["--jobs", "2"][..]].concat());
        assert!(one.stdout.contains("Some 3,000 residents"));
        assert_eq!(one.stdout, two.stdout);
        assert_eq!(one.stderr, two.stderr);
    }
    let out_dir = |jobs: &str| {
        let out = dir.path().join(format!("out-{jobs}"));
        with(&["--out-dir", out.to_str().expect("utf-8"), "--jobs", jobs]);
        let mut written: Vec<(String, String)> = std::fs::read_dir(&out)
            .expect("out dir")
            .map(|e| {
                let path = e.expect("entry").path();
                let name = path
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned();
                (name, std::fs::read_to_string(&path).expect("read"))
            })
            .collect();
        written.sort();
        written
    };
    assert_eq!(out_dir("1"), out_dir("2"));
}
