//! Stages run over benchmark files and scored, as `newsdesk eval` reports
//! them: the stages run exactly as the front ends run them (the gold
//! fields are read by the scorer only).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use newsdesk_cluster::duplicates::{DuplicateConfig, DuplicateIndex, Fingerprint};
use newsdesk_entities::Analyzer;
use newsdesk_eval::clustering::{
    mixed, read_gold, read_threads, read_titles, score, ClusteringScore,
};
use newsdesk_eval::duplicates::{edited_copies, DuplicateScore};
use newsdesk_eval::extraction::{read_benchmark_with, summarize, ExtractionReport};
use newsdesk_eval::facts::{FactScores, Gold, SpanSpeaker, SpanValue};
use newsdesk_eval::quotes::{in_fold, read_articles, PredictedQuote, QuoteScores, ScoredQuote};
use newsdesk_eval::summarization::{rouge_n, Cluster};
use newsdesk_eval::timex::{parse_tml, Counts, Outcome, Predicted};
use newsdesk_ingest::{read_input, Input, InputFormat, ReadOptions};
use newsdesk_model::{Article, Date, Diagnostic};
use newsdesk_time::timex::tagger;

use crate::analysis::{analyze, ArticleAnalysis};
use crate::ingest::{cluster_inputs, Embedder, IngestOptions};

/// What is scored against a clustering file's gold clusters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Events.
    Event,
    /// Stories.
    Story,
}

/// Why a benchmark could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The gold file could not be read.
    #[error("cannot read the gold clusters of {path}: {source}")]
    Gold {
        /// The file.
        path: String,
        /// Why.
        source: newsdesk_eval::clustering::GoldError,
    },
    /// Some gold articles were never clustered (unreadable lines).
    #[error("{0} gold article(s) were not clustered (see the diagnostics)")]
    Missing(usize),
    /// A benchmark file could not be read or parsed.
    #[error("{path}: {reason}")]
    Input {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// A stage could not run (its embedded model would not load).
    #[error(transparent)]
    Desk(#[from] crate::DeskError),
}

/// What `eval clustering` reports: the scores, and the predicted
/// clusters that mix gold ones (a regression in precision shows there).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClusteringReport {
    /// BCubed, pairwise and CEAF-e.
    #[serde(flatten)]
    pub score: ClusteringScore,
    /// How many predicted clusters mix two or more gold clusters.
    pub mixed_clusters: usize,
    /// The largest of those (at most [`WORST_LISTED`]).
    pub worst: Vec<MixedCluster>,
}

/// How many mixing clusters a report lists.
pub const WORST_LISTED: usize = 10;

/// A predicted cluster that mixes gold clusters.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MixedCluster {
    /// Its label (event or story number).
    pub predicted: u64,
    /// Its articles.
    pub articles: usize,
    /// The gold clusters in it, most articles first.
    pub gold: Vec<GoldPart>,
}

/// One gold cluster's part of a predicted cluster.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GoldPart {
    /// The gold cluster (or thread).
    pub gold: String,
    /// Its articles in the predicted cluster.
    pub articles: usize,
    /// The title of one of them.
    pub title: Option<String>,
}

/// Clusters `file` exactly as `newsdesk cluster` does with `options`, and
/// scores the events (or stories) against its gold clusters, or against
/// the groups of them that `threads` gives (`neus_val_threads.json`:
/// events grouped into running stories); with the diagnostics of reading
/// it.
pub fn clustering(
    file: &Path,
    options: &IngestOptions,
    embedder: Option<&dyn Embedder>,
    level: Level,
    threads: Option<&Path>,
) -> (Result<ClusteringReport, EvalError>, Vec<Diagnostic>) {
    let (gold, threads) = match gold_groups(file, threads) {
        Ok(read) => read,
        Err(error) => return (Err(error), Vec::new()),
    };
    let mut predicted = BTreeMap::new();
    let diagnostics = cluster_inputs(&[file.to_path_buf()], options, embedder, &mut |a| {
        let label = match level {
            Level::Event => a.event,
            Level::Story => a.story,
        };
        predicted.insert(a.id.0, label);
    });
    let (ids, gold_labels, predicted_labels) = paired(&gold, threads.as_ref(), &predicted);
    let missing = gold.len() - ids.len();
    if missing > 0 {
        return (Err(EvalError::Missing(missing)), diagnostics);
    }
    let all_mixed = mixed(&gold_labels, &predicted_labels);
    // A title for each gold group: that of its first article.
    let titles = read_titles(file);
    let mut title_of: BTreeMap<&str, &str> = BTreeMap::new();
    for (id, group) in ids.iter().zip(&gold_labels) {
        if let Some(title) = titles.get(*id) {
            title_of.entry(group).or_insert(title.as_str());
        }
    }
    let worst = all_mixed
        .iter()
        .take(WORST_LISTED)
        .map(|m| MixedCluster {
            predicted: m.predicted,
            articles: m.items,
            gold: m
                .gold
                .iter()
                .map(|(g, n)| GoldPart {
                    gold: g.clone(),
                    articles: *n,
                    title: title_of.get(g.as_str()).map(|t| (*t).to_owned()),
                })
                .collect(),
        })
        .collect();
    (
        Ok(ClusteringReport {
            score: score(&gold_labels, &predicted_labels),
            mixed_clusters: all_mixed.len(),
            worst,
        }),
        diagnostics,
    )
}

/// The gold clusters of `file` (article id, cluster), and the gold
/// clusters grouped into threads by `threads`, if given.
type GoldGroups = (Vec<(String, String)>, Option<BTreeMap<String, String>>);

/// Reads the gold clusters of `file` and the threads file, if any.
fn gold_groups(file: &Path, threads: Option<&Path>) -> Result<GoldGroups, EvalError> {
    let gold = read_gold(file).map_err(|source| EvalError::Gold {
        path: file.display().to_string(),
        source,
    })?;
    let threads = threads
        .map(|path| {
            read_threads(path).map_err(|source| EvalError::Gold {
                path: path.display().to_string(),
                source,
            })
        })
        .transpose()?;
    Ok((gold, threads))
}

/// The gold articles that have a predicted label, in gold order: their
/// ids, gold groups (threads, when given) and predicted labels.
fn paired<'g>(
    gold: &'g [(String, String)],
    threads: Option<&'g BTreeMap<String, String>>,
    predicted: &BTreeMap<String, u64>,
) -> (Vec<&'g str>, Vec<&'g str>, Vec<u64>) {
    let mut ids = Vec::with_capacity(gold.len());
    let mut gold_labels = Vec::with_capacity(gold.len());
    let mut predicted_labels = Vec::with_capacity(gold.len());
    for (id, cluster) in gold {
        if let Some(&label) = predicted.get(id) {
            let group = threads.and_then(|t| t.get(cluster)).unwrap_or(cluster);
            ids.push(id.as_str());
            gold_labels.push(group.as_str());
            predicted_labels.push(label);
        }
    }
    (ids, gold_labels, predicted_labels)
}

/// What `eval clustering --ingests-of N` reports: a store fed the
/// benchmark's articles in ingests of N, scored after each ingest as a
/// user would read its events or stories then.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StreamReport {
    /// Ingests made.
    pub ingests: usize,
    /// Articles per ingest (the last may hold fewer).
    pub articles_per_ingest: usize,
    /// Ingests after which the stories were re-linked in batch.
    pub batch_relinkings: usize,
    /// The scores once every article is in.
    #[serde(rename = "final")]
    pub last: ClusteringScore,
    /// Mean BCubed precision, recall and F1 over the ingests (each
    /// scored on the gold articles stored by then).
    pub mean_bcubed: newsdesk_eval::clustering::Prf,
    /// The lowest BCubed F1 after any ingest, and after which (from 1).
    pub lowest_bcubed_f1: f64,
    /// The ingest of the lowest F1.
    pub lowest_after_ingest: usize,
    /// Seconds the ingests took, scoring left out.
    pub seconds: f64,
}

/// Feeds `file`'s articles (in `options.order`) to a store in memory in
/// ingests of `size`, with `options.linking`, and scores its events or
/// stories after each ingest against the gold articles stored by then.
pub fn clustering_stream(
    file: &Path,
    options: &IngestOptions,
    level: Level,
    threads: Option<&Path>,
    size: usize,
) -> (Result<StreamReport, EvalError>, Vec<Diagnostic>) {
    let (gold, threads) = match gold_groups(file, threads) {
        Ok(read) => read,
        Err(error) => return (Err(error), Vec::new()),
    };
    let mut articles = Vec::new();
    let diagnostics = crate::order::read_in_order(
        &[file.to_path_buf()],
        &options.read,
        options.order,
        &mut |_, _| {},
        &mut |a| articles.push(a),
    );
    let result = (|| {
        let size = size.max(1);
        let mut store =
            newsdesk_store::SqliteStore::open_in_memory().map_err(|e| EvalError::Desk(e.into()))?;
        let ingest_options = IngestOptions {
            order: crate::order::InputOrder::Given,
            ..options.clone()
        };
        let mut ingestor = crate::ingest::Ingestor::open(&mut store, ingest_options)?;
        let (mut seconds, mut batch_relinkings) = (0.0, 0);
        let mut scores: Vec<ClusteringScore> = Vec::new();
        for chunk in articles.chunks(size) {
            let started = Instant::now();
            let report = ingestor.ingest_articles(chunk.to_vec())?;
            seconds += started.elapsed().as_secs_f64();
            batch_relinkings += usize::from(report.timings.relink > 0.0);
            let predicted: BTreeMap<String, u64> = ingestor
                .store()
                .index()
                .map_err(|e| EvalError::Desk(e.into()))?
                .into_iter()
                .map(|e| {
                    let label = match level {
                        Level::Event => e.event,
                        Level::Story => e.story,
                    };
                    (e.id.0, label)
                })
                .collect();
            let (_, gold_labels, predicted_labels) = paired(&gold, threads.as_ref(), &predicted);
            scores.push(score(&gold_labels, &predicted_labels));
        }
        let last = scores.last().cloned().ok_or_else(|| EvalError::Input {
            path: file.display().to_string(),
            reason: "no article could be read".to_owned(),
        })?;
        let n = scores.len() as f64;
        let mean = |f: &dyn Fn(&ClusteringScore) -> f64| scores.iter().map(f).sum::<f64>() / n;
        let (lowest_at, lowest) = scores
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.bcubed.f1.total_cmp(&b.1.bcubed.f1))
            .map(|(i, s)| (i + 1, s.bcubed.f1))
            .unwrap_or((0, 0.0));
        Ok(StreamReport {
            ingests: scores.len(),
            articles_per_ingest: size,
            batch_relinkings,
            mean_bcubed: newsdesk_eval::clustering::Prf {
                precision: mean(&|s| s.bcubed.precision),
                recall: mean(&|s| s.bcubed.recall),
                f1: mean(&|s| s.bcubed.f1),
            },
            last,
            lowest_bcubed_f1: lowest,
            lowest_after_ingest: lowest_at,
            seconds,
        })
    })();
    (result, diagnostics)
}

/// Near-duplicate detection scored on edited copies of `file`'s articles,
/// with the seconds the detection took and the diagnostics of reading.
pub fn duplicates(file: &Path) -> (DuplicateScore, f64, Vec<Diagnostic>) {
    let mut originals = Vec::new();
    let diagnostics = read_input(
        &Input::File {
            path: file.to_path_buf(),
            format: InputFormat::from_path(file),
        },
        &ReadOptions::default(),
        &mut |a| originals.push(a),
    );
    let cases = edited_copies(&originals);
    let config = DuplicateConfig::default();
    let mut index = DuplicateIndex::default();
    let start = Instant::now();
    let found: Vec<_> = cases
        .iter()
        .map(|case| {
            let doc = analyze(case.article.clone());
            let fingerprint = Fingerprint::of(&doc);
            let found = index.find(&fingerprint, &config);
            if found.is_none() {
                index.insert(doc.article.id.clone(), fingerprint, 0, 0, &config);
            }
            found.map(|m| m.original)
        })
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    (
        newsdesk_eval::duplicates::score(&cases, &found),
        seconds,
        diagnostics,
    )
}

/// A file that could not be read or parsed, named.
fn unreadable(path: &Path, reason: impl std::fmt::Display) -> EvalError {
    EvalError::Input {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}

/// One TimeML file tagged: its text, the gold and the predicted
/// expressions, and how each gold one fared (for an error listing).
#[derive(Debug)]
pub struct TimexFile {
    /// The file.
    pub path: PathBuf,
    /// Its plain text.
    pub text: String,
    /// Its gold expressions (the DCT left out).
    pub gold: Vec<Predicted>,
    /// What the tagger found.
    pub predicted: Vec<Predicted>,
    /// Each gold expression's outcome.
    pub outcomes: Vec<Outcome>,
}

/// The TempEval-3 score of the time tagger over TimeML files.
#[derive(Debug)]
pub struct TimexReport {
    /// The files scored.
    pub files: usize,
    /// Their plain text, in bytes.
    pub text_bytes: usize,
    /// Gold and predicted counts.
    pub counts: Counts,
}

/// Tags the plain text of every TimeML file under `path` (or `path`
/// itself) with its DCT and scores it as TempEval-3 does; `each` sees
/// every file's result.
pub fn timex(path: &Path, each: &mut dyn FnMut(&TimexFile)) -> Result<TimexReport, EvalError> {
    let files = tml_files(path)?;
    let mut counts = Counts::default();
    let mut text_bytes = 0usize;
    for file in &files {
        let raw = std::fs::read_to_string(file).map_err(|e| unreadable(file, e))?;
        let doc = parse_tml(&raw).map_err(|e| unreadable(file, format!("not TimeML: {e}")))?;
        let dct: Option<Date> = doc.dct.as_deref().and_then(|d| d.get(..10)?.parse().ok());
        text_bytes += doc.text.len();
        let predicted: Vec<Predicted> = tagger()
            .tag(&doc.text, dct)
            .into_iter()
            .map(|t| Predicted {
                start: t.span.start,
                end: t.span.end,
                kind: t.kind.as_str().to_string(),
                value: t.value,
            })
            .collect();
        let outcomes = counts.add(&doc.gold, &predicted);
        each(&TimexFile {
            path: file.clone(),
            text: doc.text,
            gold: doc.gold,
            predicted,
            outcomes,
        });
    }
    Ok(TimexReport {
        files: files.len(),
        text_bytes,
        counts,
    })
}

/// The `.tml` files under `path` (or `path` itself), sorted.
fn tml_files(path: &Path) -> Result<Vec<PathBuf>, EvalError> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| unreadable(&dir, e))?;
        for entry in entries {
            let path = entry.map_err(|e| unreadable(&dir, e))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "tml") {
                out.push(path);
            }
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(unreadable(path, "no .tml files there"));
    }
    Ok(out)
}

/// The seeds' hand-labelled figures and quotes (`newsdesk eval facts`
/// without `--gold`).
pub const SEEDS_FACTS: &str = include_str!("../../newsdesk-eval/data/seeds-facts.json");

/// Figures and quotes of the gold file's articles (read from `dir`),
/// analysed as `analyze` does them, scored against the gold (`gold`: the
/// gold file's JSON).
pub fn facts(gold: &str, dir: &Path) -> Result<FactScores, EvalError> {
    let gold: Gold =
        serde_json::from_str(gold).map_err(|e| unreadable(Path::new("the gold file"), e))?;
    let analyzer = Analyzer::embedded().map_err(crate::DeskError::from)?;
    let mut predicted = Vec::with_capacity(gold.articles.len());
    for article in &gold.articles {
        let path = dir.join(&article.file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| unreadable(&path, format!("{e} (give --dir)")))?;
        let mut a = Article::new(text);
        a.date = newsdesk_ingest::parse_date(&article.date);
        let found = ArticleAnalysis::of(a, analyzer)?;
        predicted.push((
            found
                .figures
                .iter()
                .map(|f| SpanValue {
                    start: f.start,
                    end: f.end,
                    value: f.value,
                })
                .collect(),
            found
                .quotes
                .iter()
                .map(|q| SpanSpeaker {
                    start: q.start,
                    end: q.end,
                    speaker: q.speaker.clone(),
                })
                .collect(),
        ));
    }
    Ok(newsdesk_eval::facts::score(&gold.articles, &predicted))
}

/// The direct quotes of a PolNeAR-style gold file's articles (one JSON
/// article per line, `../shared/eval/quotes/`), analysed as `analyze`
/// does them, scored against the gold; with `fold` (k, n), only the
/// articles of fold k of n ([`newsdesk_eval::quotes::in_fold`]). Also
/// returns every gold direct quote as scored, for reading the errors.
pub fn quotes(
    path: &Path,
    fold: Option<(usize, usize)>,
) -> Result<(QuoteScores, Vec<ScoredQuote>), EvalError> {
    let file = std::fs::File::open(path).map_err(|e| unreadable(path, e))?;
    let mut gold = read_articles(std::io::BufReader::new(file)).map_err(|e| unreadable(path, e))?;
    if let Some((k, n)) = fold {
        gold.retain(|a| in_fold(&a.id, k, n));
    }
    let analyzer = Analyzer::embedded().map_err(crate::DeskError::from)?;
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let (predicted, _) = crate::ingest::parallel_map(gold.iter().collect(), threads, |g| {
        let mut article = Article::new(g.text.clone());
        article.date = g.date.as_deref().and_then(newsdesk_ingest::parse_date);
        let Ok(found) = ArticleAnalysis::of(article, analyzer) else {
            return Vec::new();
        };
        let text = found.document().article.text.as_str();
        found
            .quotes
            .iter()
            .filter_map(|q| {
                // Offsets into the gold's text: the same where the text
                // stage kept the text as given, else where the words are.
                let start = if text == g.text {
                    q.start
                } else {
                    g.text.find(text.get(q.start..q.end)?)?
                };
                Some(PredictedQuote {
                    start,
                    end: start + (q.end - q.start),
                    speaker: q.speaker.clone(),
                    rule: q
                        .attribution
                        .and_then(|a| serde_json::to_value(a).ok())
                        .and_then(|v| v.as_str().map(str::to_string)),
                })
            })
            .collect()
    });
    Ok(newsdesk_eval::quotes::score(&gold, &predicted))
}

/// One DUC-style cluster's brief and its ROUGE recall.
#[derive(Debug)]
pub struct ScoredBrief<'c> {
    /// The cluster.
    pub cluster: &'c Cluster,
    /// Its brief.
    pub brief: newsdesk_brief::Brief,
    /// The brief as plain text, citation marks removed.
    pub plain: String,
    /// ROUGE-1 recall against the cluster's references.
    pub rouge_1: f64,
    /// ROUGE-2 recall.
    pub rouge_2: f64,
}

/// The brief of every cluster that has references, cut at `words` words
/// for ROUGE-1/2 recall (newsdesk's own ROUGE; reported figures come from
/// ROUGE-1.5.5, `scripts/rouge-duc`).
pub fn briefs<'c>(
    clusters: &'c [Cluster],
    config: &newsdesk_brief::Config,
    words: usize,
) -> Vec<ScoredBrief<'c>> {
    clusters
        .iter()
        .filter(|c| !c.references.is_empty())
        .map(|cluster| {
            let brief =
                newsdesk_brief::brief(&crate::story::brief_sources(cluster.to_documents()), config);
            let plain = brief.plain_text();
            let refs: Vec<&str> = cluster.references.iter().map(|r| r.text.as_str()).collect();
            ScoredBrief {
                rouge_1: rouge_n(&plain, &refs, 1, Some(words)),
                rouge_2: rouge_n(&plain, &refs, 2, Some(words)),
                cluster,
                brief,
                plain,
            }
        })
        .collect()
}

/// What `eval extract` measures on a benchmark directory.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExtractionRun {
    /// Word scores over all pages and per page type.
    #[serde(flatten)]
    pub report: ExtractionReport,
    /// Word scores per site (the address's host), where the benchmark
    /// gives addresses.
    pub by_site: BTreeMap<String, newsdesk_eval::extraction::Summary>,
    /// Every page's score, in id order (for a regression file).
    pub pages: Vec<PageScore>,
    /// Publication dates read from the pages, against the pages whose gold
    /// has one.
    pub dates: FieldScore,
    /// Titles read from the pages, against the pages whose gold has one
    /// (the same words, [`newsdesk_eval::extraction::same_title`]).
    pub titles: FieldScore,
    /// Bylines read from the pages, against the pages whose gold names an
    /// author ([`newsdesk_eval::extraction::same_author`]).
    pub authors: FieldScore,
    /// Pages extracted per second (parsing and extraction, one core).
    pub pages_per_second: f64,
}

/// One page's word score.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageScore {
    /// The page's id.
    pub id: String,
    /// Its site, if known.
    pub site: Option<String>,
    /// Its word precision, recall and F1.
    #[serde(flatten)]
    pub score: newsdesk_eval::extraction::WordScore,
}

/// One metadata field read from the pages (the publication date, the
/// title, the author): of the pages whose gold has it, how many got one
/// (`given`) and how many of those are right (`right`: a date on the
/// gold's day, a title or author the same after normalisation). A wrong
/// value is worse than none: precision is `right / given`, coverage
/// `given / pages`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct FieldScore {
    /// Pages whose gold has a date.
    pub pages: usize,
    /// Of them, pages given a date.
    pub given: usize,
    /// Of those, dates on the gold's day.
    pub right: usize,
    /// `right / given`.
    pub precision: f64,
    /// `given / pages`.
    pub coverage: f64,
    /// The wrong ones: page id, value given, gold value.
    pub wrong: Vec<(String, String, String)>,
}

impl FieldScore {
    /// Counts one page whose gold value is `gold`: `given` is what was
    /// read, `right` says whether it is the gold's.
    fn add(&mut self, id: &str, given: Option<&str>, gold: &str, right: impl Fn(&str) -> bool) {
        self.pages += 1;
        if let Some(given) = given {
            self.given += 1;
            if right(given) {
                self.right += 1;
            } else {
                self.wrong
                    .push((id.to_owned(), given.to_owned(), gold.to_owned()));
            }
        }
    }

    /// Sets precision and coverage from the counts.
    fn finish(&mut self) {
        self.precision = self.right as f64 / self.given.max(1) as f64;
        self.coverage = self.given as f64 / self.pages.max(1) as f64;
    }
}

/// Main-text word F1 of the HTML extractor over a benchmark directory
/// (WCXB's layout or L3S-GN1's, [`newsdesk_eval::extraction::read_benchmark_with`];
/// the first `limit` pages), per page type and per site, every page's
/// score, the publication dates, and pages extracted per second.
pub fn extraction(
    dir: &Path,
    limit: Option<usize>,
    gold: newsdesk_eval::extraction::GoldSet,
) -> Result<ExtractionRun, EvalError> {
    let mut pages = read_benchmark_with(dir, gold).map_err(|e| unreadable(dir, e))?;
    if let Some(limit) = limit {
        pages.truncate(limit);
    }
    if pages.is_empty() {
        return Err(unreadable(dir, "no pages (expected html/NNNN.html.gz)"));
    }
    let mut scores = Vec::with_capacity(pages.len());
    let mut dates = FieldScore::default();
    let mut titles = FieldScore::default();
    let mut authors = FieldScore::default();
    let mut seconds = 0.0f64;
    for page in &pages {
        let html = page.read_html().map_err(|e| unreadable(dir, e))?;
        let start = Instant::now();
        let extracted = newsdesk_html::extract_bytes(&html);
        seconds += start.elapsed().as_secs_f64();
        if let Some(gold) = &page.date {
            dates.add(&page.id, extracted.date.as_deref(), gold, |given| {
                given.chars().take(10).eq(gold.chars())
            });
        }
        if let Some(gold) = &page.title {
            titles.add(&page.id, extracted.title.as_deref(), gold, |given| {
                newsdesk_eval::extraction::same_title(given, gold)
            });
        }
        if let Some(gold) = &page.author {
            authors.add(&page.id, extracted.byline.as_deref(), gold, |given| {
                newsdesk_eval::extraction::same_author(given, gold)
            });
        }
        scores.push(PageScore {
            id: page.id.clone(),
            site: page.site.clone(),
            score: newsdesk_eval::extraction::score(&extracted.text, &page.gold),
        });
    }
    for field in [&mut dates, &mut titles, &mut authors] {
        field.finish();
    }
    let report = summarize(
        pages
            .iter()
            .zip(&scores)
            .map(|(p, s)| (p.page_type.as_deref(), s.score)),
    );
    let by_site = summarize(scores.iter().map(|s| (s.site.as_deref(), s.score))).by_type;
    let count = pages.len();
    Ok(ExtractionRun {
        report,
        by_site,
        pages: scores,
        dates,
        titles,
        authors,
        pages_per_second: count as f64 / seconds.max(1e-9),
    })
}
