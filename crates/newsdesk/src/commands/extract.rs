//! `newsdesk extract` (main text of HTML pages) and `newsdesk eval
//! extract` (its score on a WCXB-style benchmark directory).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use newsdesk_html::Extraction;
use newsdesk_model::Diagnostic;
use serde::Serialize;

use crate::cli::ExtractArgs;
use crate::output;

/// One page's result as `--json` shows it.
#[derive(Debug, Serialize)]
struct PageJson<'a> {
    file: String,
    title: Option<&'a str>,
    byline: Option<&'a str>,
    date: Option<&'a str>,
    lang: Option<&'a str>,
    text: &'a str,
}

/// The name of the text file written for `path`: its file name without
/// `.gz`, then without `.html`/`.htm`, plus `.txt`.
fn stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "page".to_string());
    let mut stem = name.as_str();
    for ending in [".gz", ".html", ".htm"] {
        if stem.len() > ending.len() && stem.to_ascii_lowercase().ends_with(ending) {
            stem = &stem[..stem.len() - ending.len()];
        }
    }
    stem.to_string()
}

/// Reads and extracts one page; the language is detected from the text
/// when the page declares none.
fn extract_file(path: &Path, max_bytes: usize) -> Result<Extraction, String> {
    let bytes = newsdesk_ingest::read_page(path, max_bytes)?;
    let mut page = newsdesk_html::extract_bytes(&bytes);
    if page.lang.is_none() {
        page.lang = newsdesk_text::language::detect(&page.text);
    }
    Ok(page)
}

/// Pages per thread in a batch of `newsdesk extract`: enough that the
/// threads rarely wait for the slowest page of a batch.
const PAGES_PER_JOB: usize = 256;

/// Runs `newsdesk extract`.
pub fn run(args: &ExtractArgs, json: bool) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the directory {}", dir.display()))?;
    }
    let mut diagnostics = Vec::new();
    let mut shown: Vec<(PathBuf, Extraction)> = Vec::new();
    // Output names handed out in this run, with the page each went to.
    let mut written: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut failed = 0usize;
    let jobs = match args.jobs {
        None | Some(0) => std::thread::available_parallelism().map_or(1, usize::from),
        Some(n) => n,
    };
    // Pages are extracted a batch at a time on `jobs` threads, then
    // handled in the order given, as one thread would: the output does not
    // depend on the number of threads. A batch bounds what is held in
    // memory at once.
    let batch = PAGES_PER_JOB.saturating_mul(jobs);
    let extracted = args.files.chunks(batch).flat_map(|chunk| {
        let paths: Vec<&PathBuf> = chunk.iter().collect();
        newsdesk_desk::ingest::parallel_map(paths, jobs, |path| {
            extract_file(path, args.max_article_bytes)
        })
        .0
    });
    for (path, extraction) in args.files.iter().zip(extracted) {
        let name = path.display().to_string();
        let page = match extraction {
            Ok(page) => {
                if page.text.is_empty() {
                    diagnostics.push(Diagnostic::warning(&name, None, "no main text found"));
                }
                page
            }
            Err(reason) => {
                failed += 1;
                diagnostics.push(Diagnostic::error(&name, None, reason));
                Extraction::default()
            }
        };
        match &args.out_dir {
            Some(dir) => {
                let (ending, body) = if json {
                    let value = page_json(path, &page);
                    ("json", serde_json::to_string_pretty(&value)? + "\n")
                } else if page.text.is_empty() {
                    ("txt", String::new())
                } else {
                    ("txt", format!("{}\n", page.text))
                };
                let wanted = format!("{}.{ending}", stem(path));
                let output = unique_name(&stem(path), ending, &mut written, &name);
                if output != wanted {
                    let first = written.get(&wanted).cloned().unwrap_or_default();
                    diagnostics.push(Diagnostic::warning(
                        &name,
                        None,
                        format!("{wanted} is {first}'s in this run; written as {output}"),
                    ));
                }
                write_replacing(&dir.join(&output), body.as_bytes())?;
            }
            None => shown.push((path.clone(), page)),
        }
    }
    output::diagnostics(&diagnostics);
    if args.out_dir.is_none() {
        if json {
            let values: Vec<PageJson> = shown.iter().map(|(p, e)| page_json(p, e)).collect();
            output::json(&values)?;
        } else {
            let many = shown.len() > 1;
            for (i, (path, page)) in shown.iter().enumerate() {
                if many {
                    let gap = if i > 0 { "\n" } else { "" };
                    output::line(&format!("{gap}==> {} <==", path.display()))?;
                }
                if !page.text.is_empty() {
                    output::line(&page.text)?;
                }
            }
        }
    }
    if failed == args.files.len() {
        anyhow::bail!("no page could be read (see the messages above)");
    }
    Ok(ExitCode::SUCCESS)
}

/// The output name for a page with this stem: `STEM.ENDING`, or
/// `STEM-2.ENDING`, `STEM-3.ENDING`, … when an earlier page of this run
/// has it (two `page.html` from different folders must not overwrite
/// each other). Records the name as taken by `page`.
fn unique_name(
    stem: &str,
    ending: &str,
    taken: &mut std::collections::HashMap<String, String>,
    page: &str,
) -> String {
    let mut name = format!("{stem}.{ending}");
    let mut n = 1;
    while taken.contains_key(&name) {
        n += 1;
        name = format!("{stem}-{n}.{ending}");
    }
    taken.insert(name.clone(), page.to_string());
    name
}

/// Writes `bytes` to `path` through a new file beside it, renamed over
/// `path`: a symbolic link at `path` is replaced, never followed out of
/// the folder, and a reader never sees half a file.
fn write_replacing(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{file_name}.{}.part", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .with_context(|| format!("cannot write {}", temporary.display()))?;
    let written = file.write_all(bytes).and_then(|()| file.flush());
    drop(file);
    if let Err(e) = written.and_then(|()| std::fs::rename(&temporary, path)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(anyhow::Error::new(e).context(format!("cannot write {}", path.display())));
    }
    Ok(())
}

fn page_json<'a>(path: &Path, page: &'a Extraction) -> PageJson<'a> {
    PageJson {
        file: path.display().to_string(),
        title: page.title.as_deref(),
        byline: page.byline.as_deref(),
        date: page.date.as_deref(),
        lang: page.lang.as_deref(),
        text: &page.text,
    }
}

/// `eval extract`'s result in `--json`.
/// What `eval extract` was asked besides the directory.
#[derive(Debug, Default)]
pub struct EvalExtract {
    /// Score only the first N pages.
    pub limit: Option<usize>,
    /// L3S-GN1: the gold with the headline and captions.
    pub with_headline: bool,
    /// List the scores per site.
    pub by_site: bool,
    /// Write every page's score here.
    pub pages: Option<PathBuf>,
    /// Compare every page's score with this file.
    pub against: Option<PathBuf>,
}

/// Pages whose F1 moved by more than this against a regression file are
/// listed.
const PAGE_TOLERANCE: f64 = 0.02;

/// Runs `newsdesk eval extract DIR`.
pub fn eval(dir: &Path, ask: &EvalExtract, json: bool) -> anyhow::Result<ExitCode> {
    use newsdesk_eval::extraction::GoldSet;
    let gold = if ask.with_headline {
        GoldSet::WithHeadline
    } else {
        GoldSet::Body
    };
    let run = newsdesk_desk::evaluate::extraction(dir, ask.limit, gold)?;
    if let Some(path) = &ask.pages {
        let mut out = String::from("id\tsite\tprecision\trecall\tf1\n");
        for p in &run.pages {
            out.push_str(&format!(
                "{}\t{}\t{:.4}\t{:.4}\t{:.4}\n",
                p.id,
                p.site.as_deref().unwrap_or("-"),
                p.score.precision,
                p.score.recall,
                p.score.f1
            ));
        }
        std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let moved = match &ask.against {
        Some(path) => Some(compare_pages(path, &run.pages)?),
        None => None,
    };
    if json {
        output::json(&run)?;
    } else {
        let mut table = output::table(&["pages", "type", "precision", "recall", "F1"]);
        let rows = run
            .report
            .by_type
            .iter()
            .map(|(t, s)| (t.as_str(), s))
            .chain(std::iter::once(("all", &run.report.all)));
        for (kind, s) in rows {
            table.add_row(vec![
                s.pages.to_string(),
                kind.to_string(),
                format!("{:.4}", s.mean.precision),
                format!("{:.4}", s.mean.recall),
                format!("{:.4}", s.mean.f1),
            ]);
        }
        output::print_table(&table)?;
        if ask.by_site {
            let mut sites: Vec<_> = run.by_site.iter().collect();
            sites.sort_by(|a, b| a.1.mean.f1.total_cmp(&b.1.mean.f1).then(a.0.cmp(b.0)));
            let mut table = output::table(&["site", "pages", "precision", "recall", "F1"]);
            for (site, s) in sites {
                table.add_row(vec![
                    site.clone(),
                    s.pages.to_string(),
                    format!("{:.4}", s.mean.precision),
                    format!("{:.4}", s.mean.recall),
                    format!("{:.4}", s.mean.f1),
                ]);
            }
            output::print_table(&table)?;
        }
        let d = &run.dates;
        if d.pages > 0 {
            output::line(&format!(
                "publication dates: {} of {} pages with a gold date given one, {} right: precision {:.4}, coverage {:.4}",
                d.given, d.pages, d.right, d.precision, d.coverage
            ))?;
        }
        for (field, d) in [("title", &run.titles), ("author", &run.authors)] {
            if d.pages > 0 {
                output::line(&format!(
                    "{field}s: {} of {} pages with a gold {field} given one, {} right (same words): precision {:.4}, coverage {:.4}",
                    d.given, d.pages, d.right, d.precision, d.coverage
                ))?;
            }
        }
        output::line(&format!(
            "{} pages, {:.0} pages/s (one core, extraction only)",
            run.pages.len(),
            run.pages_per_second
        ))?;
    }
    if let Some((lost, gained)) = moved {
        for (id, before, now) in &gained {
            output::warn(&format!("gained: page {id} F1 {before:.4} → {now:.4}"));
        }
        for (id, before, now) in &lost {
            output::warn(&format!("LOST: page {id} F1 {before:.4} → {now:.4}"));
        }
        output::warn(&format!(
            "against the regression file: {} page(s) lost more than {PAGE_TOLERANCE}, {} gained",
            lost.len(),
            gained.len()
        ));
        if !lost.is_empty() {
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Pages that lost and gained more than [`PAGE_TOLERANCE`] of F1 against
/// the regression file at `path`: `(id, F1 there, F1 now)`.
type Moved = Vec<(String, f64, f64)>;

fn compare_pages(
    path: &Path,
    pages: &[newsdesk_desk::evaluate::PageScore],
) -> anyhow::Result<(Moved, Moved)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the regression file {}", path.display()))?;
    let mut before = std::collections::BTreeMap::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let f1 = fields.get(4).and_then(|f| f.parse::<f64>().ok());
        match (fields.first(), f1) {
            (Some(id), Some(f1)) => {
                before.insert(id.to_string(), f1);
            }
            _ => anyhow::bail!(
                "{}:{}: not `id site precision recall f1`",
                path.display(),
                n + 1
            ),
        }
    }
    let (mut lost, mut gained) = (Vec::new(), Vec::new());
    for p in pages {
        let Some(&was) = before.get(&p.id) else {
            continue;
        };
        let now = p.score.f1;
        if now < was - PAGE_TOLERANCE {
            lost.push((p.id.clone(), was, now));
        } else if now > was + PAGE_TOLERANCE {
            gained.push((p.id.clone(), was, now));
        }
    }
    Ok((lost, gained))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(stem(Path::new("a/0001.html.gz")), "0001");
        assert_eq!(stem(Path::new("Story.HTM")), "Story");
        assert_eq!(stem(Path::new("page.html")), "page");
        assert_eq!(stem(Path::new("notes.txt")), "notes.txt");
        assert_eq!(stem(Path::new(".html")), ".html");
    }
}
