//! Main-text extraction metrics: word-level precision, recall and F1 of an
//! extracted text against a gold text, as WCXB (the Web Content Extraction
//! Benchmark) defines them, and a reader for a WCXB-style directory.
//!
//! Tokens are the maximal runs of word characters (Unicode letters, digits
//! and `_`, as Python's `\w+`), lowercased. Per page, precision and
//! recall come from the overlap of the two bags of words (multisets); the
//! page's F1 is their harmonic mean, and a benchmark's score is the mean
//! over its pages.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

/// What can go wrong reading a benchmark directory.
#[derive(Debug, thiserror::Error)]
pub enum BenchmarkError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A ground-truth file is not what the benchmark promises.
    #[error("{path}: {reason}")]
    Format {
        /// The file.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// Precision, recall and F1 of one page (or their means over pages).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct WordScore {
    /// Share of the extracted words that are in the gold text.
    pub precision: f64,
    /// Share of the gold words that were extracted.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

/// The word tokens of `text`: runs of word characters, lowercased.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if is_word_char(c) {
            current.extend(c.to_lowercase());
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Python's `\w` for `str` patterns is a letter, a number or `_`. Rust's
/// `is_alphanumeric` also counts the vowel signs of some scripts as
/// alphabetic, which Python does not; the difference is rare in the
/// benchmark and only splits fewer words.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Scores an extracted text against the gold text. Two empty texts agree
/// perfectly; an empty side against a non-empty one scores zero.
pub fn score(extracted: &str, gold: &str) -> WordScore {
    let predicted = tokens(extracted);
    let expected = tokens(gold);
    if predicted.is_empty() && expected.is_empty() {
        return WordScore {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
        };
    }
    if predicted.is_empty() || expected.is_empty() {
        return WordScore::default();
    }
    let mut gold_counts: HashMap<&str, usize> = HashMap::new();
    for t in &expected {
        *gold_counts.entry(t.as_str()).or_default() += 1;
    }
    let mut overlap = 0usize;
    for t in &predicted {
        if let Some(n) = gold_counts.get_mut(t.as_str()) {
            if *n > 0 {
                *n -= 1;
                overlap += 1;
            }
        }
    }
    let precision = overlap as f64 / predicted.len() as f64;
    let recall = overlap as f64 / expected.len() as f64;
    let f1 = if overlap == 0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    WordScore {
        precision,
        recall,
        f1,
    }
}

/// Whether an extracted title is the gold one: the same word tokens
/// ([`tokens`]: case, punctuation and the kind of quote or dash do not
/// count). An empty title is never right.
pub fn same_title(extracted: &str, gold: &str) -> bool {
    let t = tokens(extracted);
    !t.is_empty() && t == tokens(gold)
}

/// Whether an extracted byline names the gold author(s): the same word
/// tokens once a leading "by" and every "and" are dropped (so
/// "By A, B and C" is "A, B, C").
pub fn same_author(extracted: &str, gold: &str) -> bool {
    let names = |text: &str| {
        let mut t = tokens(text);
        if t.first().is_some_and(|w| w == "by") {
            t.remove(0);
        }
        t.retain(|w| w != "and");
        t
    };
    let t = names(extracted);
    !t.is_empty() && t == names(gold)
}

/// One page of a benchmark directory.
#[derive(Debug, Clone)]
pub struct Page {
    /// The page's number (`NNNN`).
    pub id: String,
    /// Its gzipped (or plain) HTML file.
    pub html_path: PathBuf,
    /// The gold main text.
    pub gold: String,
    /// Its type from `metadata.json` (`article`, `forum`, …), if given.
    pub page_type: Option<String>,
    /// The page's address, if the benchmark gives it.
    pub url: Option<String>,
    /// Its site: the address's host without `www.` (for scores per site).
    pub site: Option<String>,
    /// Its publication date as annotated (`YYYY-MM-DD`), if any.
    pub date: Option<String>,
    /// Its title as annotated (the headline), if any.
    pub title: Option<String>,
    /// Its author(s) as annotated, if any.
    pub author: Option<String>,
}

/// Which gold text a benchmark with two is scored against (L3S-GN1:
/// `gold/` holds the article body, `gold_wceb/` the headline, body and
/// captions; WCXB has one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GoldSet {
    /// The body (`gold/`), the benchmark's own convention.
    #[default]
    Body,
    /// Headline, body and captions (`gold_wceb/`), the convention of
    /// later benchmarks.
    WithHeadline,
}

/// The site of an address: its host, lower-cased, without `www.`.
pub fn site_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (!host.is_empty()).then_some(host)
}

impl Page {
    /// The page's HTML bytes, decompressed when the file is gzipped.
    pub fn read_html(&self) -> Result<Vec<u8>, BenchmarkError> {
        read_maybe_gzipped(&self.html_path).map_err(|source| BenchmarkError::Io {
            path: self.html_path.display().to_string(),
            source,
        })
    }
}

/// Reads a file, decompressing it when its name ends in `.gz`.
pub fn read_maybe_gzipped(path: &Path) -> std::io::Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
    {
        let mut out = Vec::with_capacity(raw.len() * 4);
        flate2::read::MultiGzDecoder::new(raw.as_slice()).read_to_end(&mut out)?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// Reads a WCXB-style directory: `html/NNNN.html.gz` (or `.html`),
/// `ground-truth/NNNN.json` with `ground_truth.main_content`, and an
/// optional `metadata.json` with `{"page_types": {"NNNN": type}}`. Pages
/// come sorted by id; a page without ground truth is an error, since a
/// score over part of a benchmark would mislead.
pub fn read_benchmark(dir: &Path) -> Result<Vec<Page>, BenchmarkError> {
    read_benchmark_with(dir, GoldSet::Body)
}

/// As [`read_benchmark`], reading either layout: WCXB's (above) or
/// L3S-GN1's — `html/ID.html.gz`, `gold/ID.txt` (or `gold_wceb/ID.txt`,
/// by `gold`) and `pages.jsonl` (`{"id", "url"}` per line); every L3S-GN1
/// page is a news article.
pub fn read_benchmark_with(dir: &Path, gold: GoldSet) -> Result<Vec<Page>, BenchmarkError> {
    if !dir.join("ground-truth").is_dir() && dir.join("gold").is_dir() {
        return read_l3s(dir, gold);
    }
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| BenchmarkError::Io { path, source }
    };
    let types: BTreeMap<String, String> = match std::fs::read(dir.join("metadata.json")) {
        Ok(bytes) => {
            let value: Value =
                serde_json::from_slice(&bytes).map_err(|e| BenchmarkError::Format {
                    path: dir.join("metadata.json").display().to_string(),
                    reason: format!("not valid JSON ({e})"),
                })?;
            value
                .get("page_types")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default()
        }
        Err(_) => BTreeMap::new(),
    };
    let html_dir = dir.join("html");
    let mut html_files: Vec<PathBuf> = std::fs::read_dir(&html_dir)
        .map_err(io(&html_dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase());
            name.is_some_and(|n| n.ends_with(".html.gz") || n.ends_with(".html"))
        })
        .collect();
    html_files.sort();
    let mut pages = Vec::with_capacity(html_files.len());
    for html_path in html_files {
        let name = html_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = name.split('.').next().unwrap_or_default().to_string();
        let truth_path = dir.join("ground-truth").join(format!("{id}.json"));
        let bytes = std::fs::read(&truth_path).map_err(io(&truth_path))?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| BenchmarkError::Format {
            path: truth_path.display().to_string(),
            reason: format!("not valid JSON ({e})"),
        })?;
        // A page whose ground truth has no main text (some forum threads
        // of WCXB) is scored against an empty text.
        let gold = match value.pointer("/ground_truth/main_content") {
            Some(Value::String(s)) => s.clone(),
            None | Some(Value::Null) if value.get("ground_truth").is_some() => String::new(),
            _ => {
                return Err(BenchmarkError::Format {
                    path: truth_path.display().to_string(),
                    reason: "no ground_truth object with a main_content".to_string(),
                })
            }
        };
        let page_type = types.get(&id).cloned();
        let url = value.get("url").and_then(Value::as_str).map(str::to_owned);
        let field = |name: &str| {
            value
                .pointer(&format!("/ground_truth/{name}"))
                .and_then(Value::as_str)
                .filter(|d| !d.trim().is_empty())
                .map(str::to_owned)
        };
        let date = field("publish_date");
        pages.push(Page {
            site: url.as_deref().and_then(site_of),
            url,
            id,
            html_path,
            gold,
            page_type,
            date,
            title: field("title"),
            author: field("author"),
        });
    }
    Ok(pages)
}

/// Reads an L3S-GN1-style directory (see [`read_benchmark_with`]).
fn read_l3s(dir: &Path, gold: GoldSet) -> Result<Vec<Page>, BenchmarkError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| BenchmarkError::Io { path, source }
    };
    let list = dir.join("pages.jsonl");
    let text = std::fs::read_to_string(&list).map_err(io(&list))?;
    let gold_dir = dir.join(match gold {
        GoldSet::Body => "gold",
        GoldSet::WithHeadline => "gold_wceb",
    });
    let mut pages = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line).map_err(|e| BenchmarkError::Format {
            path: format!("{}:{}", list.display(), n + 1),
            reason: format!("not valid JSON ({e})"),
        })?;
        let Some(id) = value.get("id").and_then(Value::as_str) else {
            return Err(BenchmarkError::Format {
                path: format!("{}:{}", list.display(), n + 1),
                reason: "no id".to_string(),
            });
        };
        let html_path = dir.join("html").join(format!("{id}.html.gz"));
        let gold_path = gold_dir.join(format!("{id}.txt"));
        let gold = std::fs::read_to_string(&gold_path).map_err(io(&gold_path))?;
        let url = value.get("url").and_then(Value::as_str).map(str::to_owned);
        pages.push(Page {
            id: id.to_owned(),
            html_path,
            gold,
            page_type: Some("article".to_owned()),
            site: url.as_deref().and_then(site_of),
            url,
            date: None,
            title: None,
            author: None,
        });
    }
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(pages)
}

/// Mean scores over a set of pages.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// How many pages.
    pub pages: usize,
    /// Mean precision, recall and F1 over them.
    pub mean: WordScore,
}

/// Means over all pages and per page type.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ExtractionReport {
    /// All pages.
    pub all: Summary,
    /// Per page type, sorted by type name.
    pub by_type: BTreeMap<String, Summary>,
}

/// Averages per-page scores, overall and per page type (pages without a
/// type count only overall).
pub fn summarize<'a>(
    scores: impl IntoIterator<Item = (Option<&'a str>, WordScore)>,
) -> ExtractionReport {
    let mut sums: BTreeMap<Option<String>, (usize, WordScore)> = BTreeMap::new();
    let mut all = (0usize, WordScore::default());
    for (kind, s) in scores {
        add(&mut all, s);
        if let Some(kind) = kind {
            add(sums.entry(Some(kind.to_string())).or_default(), s);
        }
    }
    ExtractionReport {
        all: mean(all),
        by_type: sums
            .into_iter()
            .filter_map(|(k, v)| Some((k?, mean(v))))
            .collect(),
    }
}

fn add(acc: &mut (usize, WordScore), s: WordScore) {
    acc.0 += 1;
    acc.1.precision += s.precision;
    acc.1.recall += s.recall;
    acc.1.f1 += s.f1;
}

fn mean((n, sum): (usize, WordScore)) -> Summary {
    let d = n.max(1) as f64;
    Summary {
        pages: n,
        mean: WordScore {
            precision: sum.precision / d,
            recall: sum.recall / d,
            f1: sum.f1 / d,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_is_the_host_without_www() {
        assert_eq!(
            site_of("http://www.BBC.co.uk:80/news/x?y=1").as_deref(),
            Some("bbc.co.uk")
        );
        assert_eq!(
            site_of("https://user@news.example/a").as_deref(),
            Some("news.example")
        );
        assert_eq!(site_of("").as_deref(), None);
    }

    #[test]
    fn an_l3s_directory_is_read_with_either_gold() {
        let dir = std::env::temp_dir().join(format!("newsdesk-l3s-{}", std::process::id()));
        for sub in ["html", "gold", "gold_wceb"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        std::fs::write(
            dir.join("pages.jsonl"),
            "{\"id\": \"b\", \"url\": \"http://www.two.example/x\"}\n\n{\"id\": \"a\", \"url\": \"http://one.example/\"}\n",
        )
        .unwrap();
        for (id, body) in [("a", "Body A."), ("b", "Body B.")] {
            std::fs::write(dir.join("gold").join(format!("{id}.txt")), body).unwrap();
            std::fs::write(
                dir.join("gold_wceb").join(format!("{id}.txt")),
                format!("Head\n{body}"),
            )
            .unwrap();
        }
        let pages = read_benchmark(&dir).unwrap();
        let ids: Vec<(&str, Option<&str>, &str)> = pages
            .iter()
            .map(|p| (p.id.as_str(), p.site.as_deref(), p.gold.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("a", Some("one.example"), "Body A."),
                ("b", Some("two.example"), "Body B.")
            ]
        );
        assert!(pages
            .iter()
            .all(|p| p.page_type.as_deref() == Some("article")));
        let wceb = read_benchmark_with(&dir, GoldSet::WithHeadline).unwrap();
        assert_eq!(wceb[0].gold, "Head\nBody A.");
        std::fs::write(dir.join("pages.jsonl"), "{\"url\": \"x\"}\n").unwrap();
        assert!(matches!(
            read_benchmark(&dir),
            Err(BenchmarkError::Format { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn titles_and_authors_match_after_normalisation() {
        assert!(same_title(
            "We’ve Compiled – Top 7",
            "we've compiled - top 7"
        ));
        assert!(!same_title("Top 7 | Site", "Top 7"));
        assert!(!same_title("", ""));
        assert!(same_author(
            "By A. Novak, B. Vale and C. Roe",
            "A. Novak, B. Vale, and C. Roe"
        ));
        assert!(!same_author("A. Novak", "A. Novak, B. Vale"));
        assert!(!same_author("by", "By"));
    }

    #[test]
    fn tokens_are_lowercased_word_runs() {
        assert_eq!(
            tokens("Don't STOP_me, 3.5 café!"),
            ["don", "t", "stop_me", "3", "5", "café"]
        );
    }

    #[test]
    fn score_uses_bag_overlap() {
        // Extracted: a a b x (4 tokens); gold: a b b (3). Overlap: a, b = 2.
        let s = score("a a b x", "a b b");
        assert!((s.precision - 0.5).abs() < 1e-12);
        assert!((s.recall - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.f1 - 4.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn empty_sides() {
        assert_eq!(score("", "").f1, 1.0);
        assert_eq!(score("a", "").f1, 0.0);
        assert_eq!(score("", "a").f1, 0.0);
    }

    #[test]
    fn summary_by_type() {
        let one = WordScore {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
        };
        let r = summarize([
            (Some("article"), one),
            (Some("forum"), WordScore::default()),
            (None, one),
        ]);
        assert_eq!(r.all.pages, 3);
        assert!((r.all.mean.f1 - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(r.by_type["article"].mean.f1, 1.0);
        assert_eq!(r.by_type["forum"].pages, 1);
    }
}
