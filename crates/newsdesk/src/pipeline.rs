//! The per-article pipeline shared by `ingest` and `cluster`: read, then
//! the text stage, then clustering.

use anyhow::Context;
use newsdesk_cluster::linking::{BatchLinking, StoryLinker};
use newsdesk_cluster::Clusterer;
use newsdesk_ingest::{collect_inputs, read_input, Defaults, ReadOptions};
use newsdesk_model::{Article, Assignment, Date, Diagnostic, Document};

use crate::cli::{InputOrder, MetadataArgs, OrderArgs};
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
/// dateline; see [`newsdesk_time::timex::published`]), so that its
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
pub fn text_date(article: &Article) -> Option<newsdesk_time::timex::published::PublishedDate> {
    if article.date.is_some() {
        return None;
    }
    newsdesk_time::timex::published::published_date(&article.text)
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

/// Reads every input, handing each article to `each` in the order `order`
/// asks for, and returns the diagnostics. In the given order each article
/// is handed on as it is read (with `on_input` as for [`read_all`]); any
/// other order reads them all first, and orders by the date the text stage
/// will settle on (an article dated only by its dateline goes by that).
pub fn read_in_order(
    paths: &[std::path::PathBuf],
    options: &ReadOptions,
    order: &OrderArgs,
    on_input: impl FnMut(usize, usize),
    each: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    if order.order == InputOrder::Given {
        return read_all(paths, options, on_input, each);
    }
    let mut articles = Vec::new();
    let diagnostics = read_all(paths, options, on_input, &mut |a| articles.push(a));
    let positions = match order.order {
        InputOrder::Date => {
            let dates: Vec<Option<Date>> = articles
                .iter()
                .map(|a| a.date.or_else(|| text_date(a).map(|found| found.date)))
                .collect();
            publication_order(&dates)
        }
        _ => newsdesk_eval::clustering::shuffled_order(articles.len(), order.seed),
    };
    let mut slots: Vec<Option<Article>> = articles.into_iter().map(Some).collect();
    for i in positions {
        if let Some(article) = slots.get_mut(i).and_then(Option::take) {
            each(article);
        }
    }
    diagnostics
}

/// Reads, analyses and clusters every article of the inputs in the order
/// `order` asks for ([`read_in_order`]), handing each assignment to
/// `each`; returns the diagnostics. This is the whole stateless `cluster`
/// stage, shared by `cluster` and `eval`.
///
/// With `linking` (batch story linking), the stories are those of
/// [`StoryLinker`] over all the articles, so the assignments are handed
/// over only once every article is clustered; without it, each as soon as
/// its article is clustered, with the clusterer's online story.
pub fn cluster_inputs(
    paths: &[std::path::PathBuf],
    options: &ReadOptions,
    clusterer: &mut Clusterer,
    embeddings: Option<&Embeddings>,
    order: &OrderArgs,
    linking: Option<BatchLinking>,
    each: &mut dyn FnMut(Assignment),
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut linker = linking.map(|l| (StoryLinker::new(clusterer.config(), l), Vec::new()));
    let mut diagnostics = read_in_order(paths, options, order, |_, _| {}, &mut |article| {
        let doc = analyze(article);
        let assignment = clusterer.assign_embedded_with(&doc, |doc| {
            embeddings.and_then(|e| e.of(doc, &mut warnings))
        });
        match &mut linker {
            Some((linker, held)) => {
                linker.add(&doc, assignment.event);
                held.push(assignment);
            }
            None => each(assignment),
        }
    });
    if let Some((linker, held)) = linker {
        for (mut assignment, story) in held.into_iter().zip(linker.stories()) {
            assignment.story = story;
            each(assignment);
        }
    }
    diagnostics.append(&mut warnings);
    diagnostics
}

/// The positions of articles with these `dates` in publication order:
/// oldest first, ties in the given order, and an undated article right
/// after the article listed before it (at the start when it is first).
pub fn publication_order(dates: &[Option<Date>]) -> Vec<usize> {
    let mut last = None;
    let keys: Vec<Option<Date>> = dates
        .iter()
        .map(|&date| {
            if date.is_some() {
                last = date;
            }
            last
        })
        .collect();
    let mut positions: Vec<usize> = (0..dates.len()).collect();
    // Stable: equal keys keep the given order.
    positions.sort_by_key(|&i| keys[i]);
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publication_order_sorts_by_date_and_keeps_undated_in_place() {
        let day = |d: i8| Some(Date::constant(2024, 3, d));
        // An undated first article stays first; one after the 3rd stays
        // after it; equal dates keep the given order.
        let dates = [None, day(3), None, day(1), day(2), day(1)];
        assert_eq!(publication_order(&dates), [0, 3, 5, 4, 1, 2]);
        assert!(publication_order(&[]).is_empty());
        assert_eq!(publication_order(&[None, None]), [0, 1]);
    }
}
