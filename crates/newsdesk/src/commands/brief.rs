//! `newsdesk brief`: a story's cited brief, from the store or from a file;
//! `newsdesk eval brief`: ROUGE on DUC-style clusters.

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use newsdesk_brief::{brief, from_documents, Brief, Budget, Config, Source};
use newsdesk_desk::sources::Sources;
use newsdesk_desk::story::StoryBrief;
use newsdesk_eval::summarization::Cluster;
use newsdesk_time::DatedDocument;
use serde::Serialize;

use crate::cli::{BriefArgs, BriefFormat};
use crate::output;

/// The budget the flags ask for.
fn budget(args: &BriefArgs) -> Budget {
    match args.bytes {
        Some(bytes) => Budget::Bytes(bytes),
        None => Budget::Words(args.words),
    }
}

/// One DUC-style cluster as sources (its sentences become an article's
/// text, one per line, so that dates resolve as for any article), with
/// its legend.
fn cluster_sources(cluster: &Cluster) -> (Vec<Source>, Sources) {
    let docs = cluster.to_documents();
    let legend = Sources::from_documents(&docs.iter().collect::<Vec<_>>());
    (newsdesk_desk::story::brief_sources(docs), legend)
}

/// Whether the first non-blank line of a JSONL file is a DUC-style cluster.
fn is_cluster_file(path: &Path) -> anyhow::Result<bool> {
    if path.is_dir() {
        return Ok(false);
    }
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    // The first line that parses as JSON decides; anything else (binary,
    // text, a broken line) is left to the article readers, which report it
    // by line and go on.
    for line in std::io::BufReader::new(file).split(b'\n').take(100) {
        let Ok(line) = line else { return Ok(false) };
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&line) {
            return Ok(value.get("documents").is_some());
        }
    }
    Ok(false)
}

/// Reads DUC-style clusters, one per line; a bad line is reported and
/// skipped.
fn read_clusters(path: &Path) -> anyhow::Result<Vec<Cluster>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut clusters = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Cluster>(&line) {
            Ok(c) => clusters.push(c),
            Err(e) => output::warn(&format!("{}:{}: skipped: {e}", path.display(), n + 1)),
        }
    }
    Ok(clusters)
}

/// The articles of an ingest-style file as the sources of one story:
/// analysed like `ingest` does, reprints folded by the near-duplicate
/// detector; with their legend, and whether there were none.
fn article_sources(path: &Path) -> (Vec<Source>, Sources, bool) {
    let (docs, diagnostics) = newsdesk_desk::story::independent_reports(&[path.to_path_buf()]);
    output::diagnostics(&diagnostics);
    let refs: Vec<&DatedDocument> = docs.iter().collect();
    let plain: Vec<&newsdesk_model::Document> = docs.iter().map(|d| d.document()).collect();
    (
        from_documents(&refs),
        Sources::from_documents(&plain),
        docs.is_empty(),
    )
}

#[derive(Serialize)]
struct ClusterBrief<'a> {
    cluster_id: &'a str,
    #[serde(flatten)]
    brief: &'a StoryBrief,
}

/// A brief of `sources`, its marks the numbers of `legend`.
fn numbered(sources: &[Source], legend: Sources, config: &Config) -> StoryBrief {
    let mut b = brief(sources, config);
    legend.cite_brief(&mut b);
    StoryBrief {
        sources: legend,
        brief: b,
        revisions: Vec::new(),
    }
}

fn print(story: &StoryBrief, format: BriefFormat) -> anyhow::Result<()> {
    let brief = &story.brief;
    match format {
        BriefFormat::Json => output::json(story),
        BriefFormat::Markdown => {
            let revised: String = story
                .revisions
                .iter()
                .map(|r| format!("\n\n{}", r.sentence(true)))
                .collect();
            output::line(&format!(
                "{}{revised}\n\n{}",
                brief.markdown_paragraph(),
                story.sources.markdown().trim_end()
            ))
        }
        BriefFormat::Text => {
            if brief.sentences.is_empty() {
                output::line("(nothing to brief: no sentence can stand alone)")?;
            } else {
                output::line(&brief.text)?;
            }
            for r in &story.revisions {
                output::line(&r.sentence(false))?;
            }
            output::line("")?;
            print_sources(&story.sources)
        }
    }
}

/// A story's numbered sources, one line each: `[n] outlet, date, address
/// or file (article id)`, and the reprints of each.
pub fn print_sources(sources: &Sources) -> anyhow::Result<()> {
    for line in sources.text_lines() {
        output::line(&output::escaped(&line, false))?;
    }
    Ok(())
}

/// Runs `newsdesk brief`.
pub fn run(db: &Path, args: &BriefArgs, json: bool) -> anyhow::Result<ExitCode> {
    let format = if json { BriefFormat::Json } else { args.format };
    let mut config = Config {
        budget: budget(args),
        ..Config::default()
    };
    if let Some(spec) = &args.tune {
        overrides(&mut config, spec)?;
    }
    match (&args.input, args.story) {
        (Some(path), None) => {
            if is_cluster_file(path)? {
                for cluster in read_clusters(path)? {
                    let (sources, legend) = cluster_sources(&cluster);
                    let b = numbered(&sources, legend, &config);
                    match format {
                        BriefFormat::Json => output::json_line(&ClusterBrief {
                            cluster_id: &cluster.cluster_id,
                            brief: &b,
                        })?,
                        _ => {
                            output::line(&format!("== {}", cluster.cluster_id))?;
                            print(&b, format)?;
                            output::line("")?;
                        }
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
            let (sources, legend, failed) = article_sources(path);
            if failed {
                return Ok(ExitCode::from(1));
            }
            print(&numbered(&sources, legend, &config), format)?;
            Ok(ExitCode::SUCCESS)
        }
        (None, Some(story)) => {
            let store = super::open_existing(db)?;
            let story = super::current_story(&*store, story)?;
            print(
                &newsdesk_desk::story::story_brief(&*store, story, &config)?,
                format,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(anyhow::Error::new(crate::cli::Usage(
            "give a story number (`newsdesk brief 3`) or `--input FILE.jsonl`".to_string(),
        ))),
    }
}

#[derive(Serialize)]
struct BriefScores {
    clusters: usize,
    words: usize,
    rouge_1_recall: f64,
    rouge_2_recall: f64,
}

/// Runs `newsdesk eval brief`: a brief per cluster cut at `words` words,
/// citation marks stripped, ROUGE-1/2 recall against the references.
pub fn eval(
    file: &Path,
    words: usize,
    write_briefs: Option<&Path>,
    tune: Option<&str>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let clusters = read_clusters(file)?;
    let mut written = match write_briefs {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => None,
    };
    let mut config = Config {
        budget: Budget::Words(words),
        run_over: true,
        ..Config::default()
    };
    if let Some(spec) = tune {
        overrides(&mut config, spec)?;
    }
    let scored = newsdesk_desk::evaluate::briefs(&clusters, &config, words);
    let (mut r1, mut r2) = (0.0, 0.0);
    for b in &scored {
        if let Some(out) = written.as_mut() {
            #[derive(Serialize)]
            struct Written<'a> {
                cluster_id: &'a str,
                plain: &'a str,
                #[serde(flatten)]
                brief: &'a Brief,
            }
            serde_json::to_writer(
                &mut *out,
                &Written {
                    cluster_id: &b.cluster.cluster_id,
                    plain: &b.plain,
                    brief: &b.brief,
                },
            )?;
            std::io::Write::write_all(out, b"\n")?;
        }
        r1 += b.rouge_1;
        r2 += b.rouge_2;
    }
    let n = scored.len();
    if let Some(mut out) = written {
        std::io::Write::flush(&mut out)?;
    }
    if n == 0 {
        anyhow::bail!("{}: no cluster with references to score", file.display());
    }
    let scores = BriefScores {
        clusters: n,
        words,
        rouge_1_recall: r1 / n as f64,
        rouge_2_recall: r2 / n as f64,
    };
    if json {
        output::json(&scores)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = output::table(&["metric", "recall"]);
    table.add_row(vec![
        "ROUGE-1".to_string(),
        format!("{:.4}", scores.rouge_1_recall),
    ]);
    table.add_row(vec![
        "ROUGE-2".to_string(),
        format!("{:.4}", scores.rouge_2_recall),
    ]);
    output::print_table(&table)?;
    output::line(&format!(
        "{n} clusters, {words}-word briefs (newsdesk's own ROUGE; the reported figure comes from scripts/rouge-duc)"
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Applies `--tune key=value,...` to the selection weights (and the
/// citation support, `min_support`).
fn overrides(config: &mut Config, spec: &str) -> anyhow::Result<()> {
    for kv in spec.split(',').filter(|kv| !kv.trim().is_empty()) {
        let (k, v) = kv
            .split_once('=')
            .with_context(|| format!("--tune: `{kv}` is not key=value"))?;
        let x: f64 = v
            .trim()
            .parse()
            .with_context(|| format!("--tune: `{v}` is not a number"))?;
        match k.trim() {
            "min_support" => config.min_support = x,
            key => config
                .weights
                .set(key, x)
                .map_err(|e| anyhow::anyhow!("--tune: {e}"))?,
        }
    }
    Ok(())
}
