//! Replays the fuzz corpora of the JSONL and feed targets
//! (`fuzz/corpus/jsonl`, `fuzz/corpus/feed`, what `cargo fuzz` found,
//! committed) through the readers on stable, so that an input that once
//! broke an invariant stays tested. The checks are the fuzz targets'
//! (no panic, the size limit kept, one line per diagnostic) and what every
//! reader promises of an article (an id, some text or a title). The fuzz
//! targets also run the text stage on what was read; the text corpus
//! replay in `newsdesk-text` covers that stage.

use std::path::{Path, PathBuf};

use newsdesk_ingest::{read_input, read_stream, Input, InputFormat, ReadOptions};
use newsdesk_model::{Article, Diagnostic};

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        panic!("the fuzz corpus is missing at {}", dir.display());
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    assert!(!paths.is_empty(), "empty fuzz corpus at {}", dir.display());
    paths
}

fn check_articles(name: &str, articles: &[Article], max: usize) {
    for article in articles {
        assert!(
            !article.id.as_str().is_empty(),
            "article without id in {name}"
        );
        assert!(article.text.len() <= max, "limit broken in {name}");
        assert!(
            !article.text.trim().is_empty() || article.title.is_some(),
            "article without text or title in {name}"
        );
    }
}

fn check_diagnostics(name: &str, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        assert!(
            !d.message.contains('\n'),
            "diagnostic of more than one line in {name}: {d}"
        );
    }
}

#[test]
fn jsonl_corpus_keeps_the_invariants() {
    for path in corpus("jsonl") {
        let Ok(data) = std::fs::read(&path) else {
            panic!("cannot read {}", path.display());
        };
        // As in the fuzz target, the first byte picks the size limit.
        let (max, data) = match data.split_first() {
            Some((&first, rest)) => (usize::from(first) * 64 + 1, rest),
            None => (1, &data[..]),
        };
        let options = ReadOptions {
            max_article_bytes: max,
            ..ReadOptions::default()
        };
        let mut reader = data;
        let mut articles = Vec::new();
        let diagnostics = read_stream("fuzz", &mut reader, &options, &mut |a| articles.push(a));
        let name = path.display().to_string();
        check_articles(&name, &articles, max);
        check_diagnostics(&name, &diagnostics);
    }
}

/// Reads one feed file of the corpus: its articles and diagnostics.
fn read_feed(path: &Path) -> (Vec<Article>, Vec<Diagnostic>) {
    let input = Input::File {
        path: path.to_path_buf(),
        format: InputFormat::Feed,
    };
    let mut articles = Vec::new();
    let diagnostics = read_input(&input, &ReadOptions::default(), &mut |a| articles.push(a));
    (articles, diagnostics)
}

#[test]
fn feed_corpus_keeps_the_invariants() {
    for path in corpus("feed") {
        let (articles, _) = read_feed(&path);
        let name = path.display().to_string();
        check_articles(&name, &articles, ReadOptions::default().max_article_bytes);
    }
}

/// Found by replaying the feed corpus: the feed reader puts feed-rs's
/// parse error into its diagnostic verbatim, and that message can quote
/// the input, line breaks included, so the diagnostic is not one line.
/// (The feed fuzz target does not check diagnostics; the JSONL one does.)
/// The feed reader now flattens the message.
#[test]
fn feed_corpus_diagnostics_are_one_line() {
    for path in corpus("feed") {
        let (_, diagnostics) = read_feed(&path);
        check_diagnostics(&path.display().to_string(), &diagnostics);
    }
}

/// The `gzip` fuzz target's reading of its input, shared by path so that
/// the replay decodes each case as the target does.
#[path = "../../../fuzz/src/gzip_case.rs"]
mod gzip_case;

/// The gzip target's corpus (`fuzz/corpus/gzip`): gzipped pages and web
/// archives, bombs, cut-off and corrupt archives, deep nesting gzipped,
/// read from a file as `ingest` reads `.html.gz` and `.warc.gz`. The
/// first byte is taken as the fuzz target takes it
/// (`newsdesk_fuzz::gzip_case`): bit 0, gzip the rest (bit 1: in two
/// members); bit 2, a WARC archive; bits 3–7, the size limit.
#[test]
fn gzip_corpus_keeps_the_invariants() {
    let dir = tempfile::tempdir().expect("tempdir");
    for path in corpus("gzip") {
        let data = std::fs::read(&path).expect("read");
        let gzip_case::GzipCase { warc, file, limit } = gzip_case::gzip_case(&data);
        let (format, name) = if warc {
            (InputFormat::Warc, "case.warc.gz")
        } else {
            (InputFormat::Html, "case.html.gz")
        };
        let file_path = dir.path().join(name);
        std::fs::write(&file_path, &file).expect("write");
        let options = ReadOptions {
            max_article_bytes: limit,
            ..ReadOptions::default()
        };
        let input = Input::File {
            path: file_path,
            format,
        };
        let mut articles = Vec::new();
        let diagnostics = read_input(&input, &options, &mut |a| articles.push(a));
        let name = path.display().to_string();
        check_diagnostics(&name, &diagnostics);
        assert!(warc || articles.len() <= 1, "more than one page in {name}");
        for article in &articles {
            assert!(
                !article.id.as_str().is_empty(),
                "article without id in {name}"
            );
        }
    }
}
