//! Embeds the articles of a JSONL file and reports the speed.
//!
//! ```text
//! cargo run --release -p newsdesk-embed --example embed-jsonl -- \
//!     ../shared/eval/clustering/neus_val.jsonl [--model DIR] [--vectors] \
//!     [--one-by-one] [--limit N]
//! ```
//!
//! Each line is an article with `title` and `text` (and `id`, else its line
//! number); the embedded text is "title. text", as in the reference the
//! crate is tested against. The model directory is `--model` or
//! `NEWSDESK_EMBED_MODEL`. Articles per second go to stderr; with
//! `--vectors`, stdout gets one `id<TAB>v1 v2 ...` line per article.
//! `--one-by-one` calls `embed` per article instead of `embed_batch`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use newsdesk_embed::{article_text, model_dir_from_env, Embedder};

struct Options {
    input: PathBuf,
    model: Option<PathBuf>,
    vectors: bool,
    one_by_one: bool,
    limit: usize,
}

fn parse_args() -> Result<Options, String> {
    let mut input = None;
    let mut model = None;
    let mut vectors = false;
    let mut one_by_one = false;
    let mut limit = usize::MAX;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--model" => model = Some(PathBuf::from(args.next().ok_or("--model needs a DIR")?)),
            "--vectors" => vectors = true,
            "--one-by-one" => one_by_one = true,
            "--limit" => {
                let n = args.next().ok_or("--limit needs a number")?;
                limit = n
                    .parse()
                    .map_err(|_| format!("--limit: not a number: {n}"))?;
            }
            _ if input.is_none() && !arg.starts_with("--") => input = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    Ok(Options {
        input: input.ok_or(
            "usage: embed-jsonl FILE [--model DIR] [--vectors] [--one-by-one] [--limit N]",
        )?,
        model,
        vectors,
        one_by_one,
        limit,
    })
}

/// (id, "title. text") of each article; lines that are not JSON objects are
/// reported and left out.
fn read_articles(options: &Options) -> Result<Vec<(String, String)>, String> {
    let content = std::fs::read_to_string(&options.input)
        .map_err(|e| format!("cannot read {}: {e}", options.input.display()))?;
    let mut articles = Vec::new();
    for (number, line) in content.lines().enumerate() {
        if articles.len() >= options.limit {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(line) {
            Ok(value) => value,
            Err(e) => {
                eprintln!("line {}: not JSON, skipped: {e}", number + 1);
                continue;
            }
        };
        let field = |name: &str| value.get(name).and_then(|v| v.as_str());
        let id = match field("id") {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => format!("line-{}", number + 1),
        };
        articles.push((
            id,
            article_text(field("title"), field("text").unwrap_or("")),
        ));
    }
    Ok(articles)
}

fn run(options: &Options) -> Result<(), String> {
    let dir = options
        .model
        .clone()
        .or_else(model_dir_from_env)
        .ok_or("no model: pass --model DIR or set NEWSDESK_EMBED_MODEL")?;
    let started = Instant::now();
    let embedder = Embedder::load(&dir).map_err(|e| e.to_string())?;
    eprintln!("model loaded in {:.2} s", started.elapsed().as_secs_f64());

    let articles = read_articles(options)?;
    let started = Instant::now();
    let vectors = if options.one_by_one {
        articles
            .iter()
            .map(|(_, text)| embedder.embed(text))
            .collect::<Result<Vec<_>, _>>()
    } else {
        let texts: Vec<&str> = articles.iter().map(|(_, text)| text.as_str()).collect();
        embedder.embed_batch(&texts)
    }
    .map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{} articles in {seconds:.2} s: {:.1} articles/s ({})",
        articles.len(),
        articles.len() as f64 / seconds,
        if options.one_by_one {
            "one by one"
        } else {
            "batched"
        }
    );

    if options.vectors {
        let mut out = BufWriter::new(std::io::stdout().lock());
        let written: std::io::Result<()> = (|| {
            for ((id, _), vector) in articles.iter().zip(&vectors) {
                let numbers: Vec<String> = vector.iter().map(|x| format!("{x:.6}")).collect();
                writeln!(out, "{id}\t{}", numbers.join(" "))?;
            }
            out.flush()
        })();
        match written {
            // A reader that stops early (`| head`) is not an error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => return Err(format!("cannot write: {e}")),
            Ok(()) => {}
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|options| run(&options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("embed-jsonl: {message}");
            ExitCode::FAILURE
        }
    }
}
