//! `newsdesk analyze` (one article's temporal expressions) and
//! `newsdesk eval timex` (the tagger on TimeML files).

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use newsdesk_desk::evaluate;
use newsdesk_eval::timex::{Outcome, Predicted};
use newsdesk_model::{Article, Date};
use newsdesk_time::timex::Timex;
use serde::Serialize;

use crate::output;

#[derive(Serialize)]
struct ShownTime<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: &'static str,
    value: Option<&'a str>,
}

#[derive(Serialize)]
struct ShownSentence<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// The day its main event happened, when known.
    event_date: Option<Date>,
}

/// An entity of the analysed article, with an id for reference (`e1`,
/// `e2`, … in order of first mention).
#[derive(Serialize)]
struct ShownEntity<'a> {
    id: String,
    #[serde(flatten)]
    entity: &'a newsdesk_entities::entity::ArticleEntity,
}

#[derive(Serialize)]
struct Analysis<'a> {
    file: String,
    date: Option<Date>,
    /// How `date` was read from the text (`byline`, `published`, ...)
    /// when no `--date` was given; absent when given or not found.
    #[serde(skip_serializing_if = "Option::is_none")]
    date_from_text: Option<&'static str>,
    times: Vec<ShownTime<'a>>,
    sentences: Vec<ShownSentence<'a>>,
    /// The article's entities, each with its mentions (byte spans into the
    /// file) and roles.
    entities: Vec<ShownEntity<'a>>,
    /// Numbers that count or measure something, in body sentences, with
    /// what they count.
    figures: &'a [newsdesk_facts::figures::Figure],
    /// Direct quotes (text without its marks) with their speaker, or null
    /// when the attribution names nobody that can be found.
    quotes: &'a [newsdesk_facts::quotes::Quote],
    /// Reported speech with a named speaker ("X said the embassy was
    /// moving"): the reported clause, its span and speaker.
    paraphrases: &'a [newsdesk_facts::quotes::Quote],
}

fn shown<'a>(text: &'a str, t: &'a Timex) -> ShownTime<'a> {
    ShownTime {
        text: &text[t.span.start..t.span.end],
        start: t.span.start,
        end: t.span.end,
        kind: t.kind.as_str(),
        value: t.value.as_deref(),
    }
}

/// Analyses one file as one article (whatever its blank lines): its
/// temporal expressions, resolved against `date`, the event date of each
/// sentence, its entities, figures, quotes and paraphrases. Offsets are UTF-8 byte offsets into the file
/// as read.
pub fn analyze(
    file: &Path,
    date: Option<&str>,
    max_bytes: usize,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let date = match date {
        Some(raw) => Some(crate::cli::parse_date_flag(raw)?),
        None => None,
    };
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    if size > max_bytes as u64 {
        anyhow::bail!(
            "{} is {size} bytes, larger than the limit of {max_bytes} (--max-article-bytes)",
            file.display()
        );
    }
    // The size is checked again while reading: a pipe or device reports
    // no size, and a file may grow after it was measured.
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(max_bytes as u64 + 1).read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {}", file.display()))?;
    if bytes.len() > max_bytes {
        anyhow::bail!(
            "{} is larger than the limit of {max_bytes} bytes (--max-article-bytes)",
            file.display()
        );
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", file.display()))?;
    let mut article = Article::new(text);
    article.date = date;
    let analyzer = newsdesk_entities::Analyzer::embedded()
        .context("the embedded entity model cannot be read")?;
    let found = newsdesk_desk::analysis::ArticleAnalysis::of(article, analyzer)?;
    let doc = found.document();
    let text = doc.article.text.as_str();
    let analysis = Analysis {
        file: file.display().to_string(),
        date: doc.article.date,
        date_from_text: found.date_from_text.as_ref().map(|f| f.how.as_str()),
        times: found.dated.times().iter().map(|t| shown(text, t)).collect(),
        sentences: doc
            .sentences
            .iter()
            .zip(found.dated.sentence_dates())
            .map(|(s, event)| ShownSentence {
                text: &text[s.span.start..s.span.end],
                start: s.span.start,
                end: s.span.end,
                event_date: event.as_ref().map(|e| e.date),
            })
            .collect(),
        entities: found
            .entities
            .iter()
            .enumerate()
            .map(|(i, entity)| ShownEntity {
                id: format!("e{}", i + 1),
                entity,
            })
            .collect(),
        figures: &found.figures,
        quotes: &found.quotes,
        paraphrases: &found.paraphrases,
    };
    if json {
        output::json(&analysis)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = output::table(&["start", "end", "type", "value", "text"]);
    for t in &analysis.times {
        table.add_row(vec![
            t.start.to_string(),
            t.end.to_string(),
            t.kind.to_string(),
            t.value.unwrap_or("-").to_string(),
            output::truncate(t.text, 60),
        ]);
    }
    output::print_table(&table)?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `eval facts`: the gold file's articles (read from `dir`) analysed
/// as `analyze` does, figures and quotes scored against the gold.
pub fn eval_facts(gold: Option<&Path>, dir: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let gold_text = match gold {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        None => evaluate::SEEDS_FACTS.to_string(),
    };
    let scores = evaluate::facts(&gold_text, dir)?;
    if json {
        output::json(&scores)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = output::table(&["what", "precision", "recall", "F1", "gold"]);
    for (name, prf, n) in [
        ("figures", scores.figures, scores.gold_figures),
        ("quotes", scores.quotes, scores.gold_quotes),
    ] {
        table.add_row(vec![
            name.to_string(),
            format!("{:.4}", prf.precision),
            format!("{:.4}", prf.recall),
            format!("{:.4}", prf.f1),
            n.to_string(),
        ]);
    }
    output::print_table(&table)?;
    output::line(&format!(
        "speaker accuracy {:.4} over the quotes found",
        scores.speaker_accuracy
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Scores direct quotes and their speakers on a PolNeAR-style file; with
/// `errors`, writes every gold direct quote as scored there (JSONL).
pub fn eval_quotes(
    file: &Path,
    fold: Option<(usize, usize)>,
    errors: Option<&Path>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let (scores, scored) = evaluate::quotes(file, fold)?;
    if let Some(path) = errors {
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        );
        for quote in &scored {
            serde_json::to_writer(&mut out, quote)?;
            std::io::Write::write_all(&mut out, b"\n")?;
        }
        std::io::Write::flush(&mut out)?;
    }
    if json {
        output::json(&scores)?;
        return Ok(ExitCode::SUCCESS);
    }
    output::line(&format!(
        "{} article(s); direct quotes found {:.4} ({} of {}); quotes predicted {}, precision {:.4}",
        scores.articles,
        scores.found_rate,
        scores.found,
        scores.gold_direct,
        scores.predicted,
        scores.precision
    ))?;
    output::line(&format!(
        "speakers over {} found quote(s) with a gold speaker: accuracy {:.4}, precision of named {:.4}, coverage {:.4}",
        scores.with_speaker, scores.speaker_accuracy, scores.named_precision, scores.coverage
    ))?;
    let mut table = output::table(&["source", "quotes", "accuracy", "precision", "coverage"]);
    for (source, s) in &scores.by_source {
        table.add_row(vec![
            source.clone(),
            s.with_speaker.to_string(),
            format!("{:.4}", s.accuracy()),
            format!("{:.4}", s.precision()),
            format!("{:.4}", s.coverage()),
        ]);
    }
    output::print_table(&table)?;
    let mut table = output::table(&[
        "gold source mention",
        "quotes",
        "accuracy",
        "precision",
        "coverage",
    ]);
    for (class, s) in &scores.by_mention {
        table.add_row(vec![
            class.clone(),
            s.with_speaker.to_string(),
            format!("{:.4}", s.accuracy()),
            format!("{:.4}", s.precision()),
            format!("{:.4}", s.coverage()),
        ]);
    }
    output::print_table(&table)?;
    let mut table = output::table(&["speaker found by", "named", "right", "precision"]);
    for (rule, s) in &scores.by_rule {
        table.add_row(vec![
            rule.clone(),
            s.named.to_string(),
            s.right.to_string(),
            format!("{:.4}", s.precision()),
        ]);
    }
    output::print_table(&table)?;
    Ok(ExitCode::SUCCESS)
}

/// Tags the plain text of every TimeML file under `path` with its DCT and
/// scores the result as TempEval-3 does. With `errors`, lists every missed,
/// spurious, misplaced or wrongly valued expression on stderr.
pub fn eval_timex(path: &Path, errors: bool, json: bool) -> anyhow::Result<ExitCode> {
    let report = evaluate::timex(path, &mut |file| {
        if errors {
            report_errors(file);
        }
    })?;
    let counts = &report.counts;
    let scores = counts.scores();
    if json {
        #[derive(Serialize)]
        struct Report<'a> {
            files: usize,
            text_bytes: usize,
            #[serde(flatten)]
            scores: &'a newsdesk_eval::timex::Scores,
        }
        output::json(&Report {
            files: report.files,
            text_bytes: report.text_bytes,
            scores: &scores,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = output::table(&["metric", "precision", "recall", "F1", "accuracy"]);
    for (name, prf, accuracy) in [
        ("strict extent", scores.strict, None),
        ("relaxed extent", scores.relaxed, None),
        ("value", scores.value, Some(scores.value_accuracy)),
        ("type", scores.kind, Some(scores.kind_accuracy)),
    ] {
        table.add_row(vec![
            name.to_string(),
            format!("{:.4}", prf.precision),
            format!("{:.4}", prf.recall),
            format!("{:.4}", prf.f1),
            accuracy.map_or("-".to_string(), |a| format!("{a:.4}")),
        ]);
    }
    output::print_table(&table)?;
    output::line(&format!(
        "{} files, {} gold expressions (DCT excluded), {} predicted",
        report.files, counts.gold, counts.predicted
    ))?;
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stderr)]
fn report_errors(found: &evaluate::TimexFile) {
    let (file, text, gold, predicted, outcomes) = (
        found.path.as_path(),
        found.text.as_str(),
        &found.gold,
        &found.predicted,
        &found.outcomes,
    );
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let span = |p: &Predicted| text.get(p.start..p.end).unwrap_or("").replace('\n', " ");
    let mut used = vec![false; predicted.len()];
    for (g, outcome) in gold.iter().zip(outcomes) {
        let gv = g.value.as_deref().unwrap_or("-");
        match *outcome {
            Outcome::Missed => eprintln!("MISS\t{name}\t{}\t{}\t{gv}", span(g), g.kind),
            Outcome::Matched(i) => {
                used[i] = true;
                let p = &predicted[i];
                let pv = p.value.as_deref().unwrap_or("-");
                if (p.start, p.end) != (g.start, g.end) {
                    eprintln!("EXTENT\t{name}\t{}\t{}", span(g), span(p));
                }
                if p.value != g.value {
                    eprintln!("VALUE\t{name}\t{}\t{gv}\t{pv}", span(g));
                }
            }
        }
    }
    for (p, used) in predicted.iter().zip(used) {
        if !used {
            let pv = p.value.as_deref().unwrap_or("-");
            eprintln!("SPURIOUS\t{name}\t{}\t{}\t{pv}", span(p), p.kind);
        }
    }
}
