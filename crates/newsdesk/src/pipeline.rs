//! The per-article pipeline shared by `ingest` and `cluster`: read, then
//! the text stage, then clustering.

use anyhow::Context;
use newsdesk_cluster::Clusterer;
use newsdesk_ingest::{collect_inputs, read_input, Defaults, ReadOptions};
use newsdesk_model::{Article, Assignment, Diagnostic, Document};

use crate::cli::MetadataArgs;
use crate::embedding::Embeddings;

/// Builds reader options from the metadata flags.
pub fn read_options(args: &MetadataArgs) -> anyhow::Result<ReadOptions> {
    let date = match args.date.as_deref() {
        Some(raw) => Some(
            newsdesk_ingest::parse_date(raw)
                .with_context(|| format!("--date {raw:?} is not a date; use YYYY-MM-DD"))?,
        ),
        None => None,
    };
    Ok(ReadOptions {
        defaults: Defaults {
            source: args.source.clone(),
            date,
            lang: args.lang.clone(),
        },
        max_article_bytes: args.max_article_bytes,
    })
}

/// Runs the text stage on one article.
///
/// An article whose metadata gave no date takes the publication date its
/// first lines state ("Published 15 August 2021", a dated byline or
/// dateline; see [`newsdesk_extract::timex::published`]), so that its
/// relative expressions resolve. The model has no field saying a date was
/// inferred: [`text_date`] tells, for a caller that needs to know.
pub fn analyze(mut article: Article) -> Document {
    if let Some(found) = text_date(&article) {
        article.date = Some(found.date);
    }
    newsdesk_text::analyze(article)
}

/// The publication date read from the text of an article that has none
/// from its metadata (`None` when it has one, or the text states none).
pub fn text_date(article: &Article) -> Option<newsdesk_extract::timex::published::PublishedDate> {
    if article.date.is_some() {
        return None;
    }
    newsdesk_extract::timex::published::published_date(&article.text)
}

/// Reads every input in order, handing each article to `each` together
/// with the input's position (for progress), and returns the diagnostics.
pub fn read_all(
    paths: &[std::path::PathBuf],
    options: &ReadOptions,
    mut on_input: impl FnMut(usize, usize),
    each: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    let (inputs, mut diagnostics) = collect_inputs(paths);
    let total = inputs.len();
    for (i, input) in inputs.iter().enumerate() {
        on_input(i, total);
        diagnostics.extend(read_input(input, options, each));
    }
    on_input(total, total);
    diagnostics
}

/// Reads, analyses and clusters every article of the inputs in order,
/// handing each assignment to `each`; returns the diagnostics. This is the
/// whole stateless `cluster` stage, shared by `cluster` and `eval`.
pub fn cluster_inputs(
    paths: &[std::path::PathBuf],
    options: &ReadOptions,
    clusterer: &mut Clusterer,
    embeddings: Option<&Embeddings>,
    each: &mut dyn FnMut(Assignment),
) -> Vec<Diagnostic> {
    read_all(paths, options, |_, _| {}, &mut |article| {
        let doc = analyze(article);
        let embedding = embeddings.and_then(|e| e.of(&doc));
        each(clusterer.assign_embedded(&doc, embedding.as_deref()));
    })
}
