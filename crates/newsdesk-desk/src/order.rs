//! Reading inputs in the order asked for.
//!
//! Clustering is online: an article can only join an event opened before
//! it, so the order articles come in matters. [`InputOrder::Given`] is the
//! order of the inputs (a stream's arrival order); [`InputOrder::Date`] is
//! publication order, by the date the text stage will settle on;
//! [`InputOrder::Shuffled`] a seeded shuffle, the same on every machine.

use std::path::PathBuf;

use newsdesk_ingest::{collect_inputs, read_input, ReadOptions};
use newsdesk_model::{Article, Date, Diagnostic};

use crate::analysis::text_date;

/// The order in which articles are handed to the clusterer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputOrder {
    /// As the inputs list them; each article is handed on as it is read.
    #[default]
    Given,
    /// By publication date, oldest first (an undated article right after
    /// the one listed before it).
    Date,
    /// A seeded shuffle ([`newsdesk_model::seeded::shuffled_order`]).
    Shuffled {
        /// The seed.
        seed: u64,
    },
}

/// Reads every input in order, handing each article to `each` together
/// with progress (`on_input(inputs done, inputs in all)`), and returns the
/// diagnostics.
pub fn read_all(
    paths: &[PathBuf],
    options: &ReadOptions,
    on_input: &mut dyn FnMut(usize, usize),
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
/// is handed on as it is read; any other order reads them all first.
pub fn read_in_order(
    paths: &[PathBuf],
    options: &ReadOptions,
    order: InputOrder,
    on_input: &mut dyn FnMut(usize, usize),
    each: &mut dyn FnMut(Article),
) -> Vec<Diagnostic> {
    if order == InputOrder::Given {
        return read_all(paths, options, on_input, each);
    }
    let mut articles = Vec::new();
    let diagnostics = read_all(paths, options, on_input, &mut |a| articles.push(a));
    for article in in_order(articles, order) {
        each(article);
    }
    diagnostics
}

/// `articles` in the order `order` asks for.
pub fn in_order(articles: Vec<Article>, order: InputOrder) -> Vec<Article> {
    let positions = match order {
        InputOrder::Given => return articles,
        InputOrder::Date => {
            let dates: Vec<Option<Date>> = articles
                .iter()
                .map(|a| a.date.or_else(|| text_date(a).map(|found| found.date)))
                .collect();
            publication_order(&dates)
        }
        InputOrder::Shuffled { seed } => {
            newsdesk_model::seeded::shuffled_order(articles.len(), seed)
        }
    };
    let mut slots: Vec<Option<Article>> = articles.into_iter().map(Some).collect();
    positions
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
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

    #[test]
    fn a_shuffle_keeps_every_article_once() {
        let articles: Vec<Article> = (0..20).map(|i| Article::new(format!("text {i}"))).collect();
        let ids: Vec<_> = articles.iter().map(|a| a.id.clone()).collect();
        let shuffled = in_order(articles, InputOrder::Shuffled { seed: 3 });
        let mut got: Vec<_> = shuffled.iter().map(|a| a.id.clone()).collect();
        assert_ne!(got, ids);
        got.sort();
        let mut want = ids;
        want.sort();
        assert_eq!(got, want);
    }
}
