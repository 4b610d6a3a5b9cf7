//! What the clusterer and the batch linker read of one article, computed
//! from that article alone.

use newsdesk_model::Document;
use newsdesk_text::words::Stemmer;

use crate::clusterer::day_number;
use crate::duplicates::Fingerprint;
use crate::vectorize::{term_counts, term_weight};
use crate::vocabulary::term_hash;
use crate::ClusterConfig;

/// Everything the clusterer and the batch linker compute from one article
/// alone (term counts, title terms, MinHash fingerprint, publication day):
/// pure, so it can be computed on any thread, ahead of the order-sensitive
/// assignment ([`crate::Clusterer::assign_features`]) and handed to the
/// batch linker too ([`crate::linking::StoryLinker::add_features`]), so
/// that nothing is counted twice.
///
/// Features depend on the configuration they were computed with (its
/// title and name weights, whether near-duplicates are detected): give
/// them to a clusterer or linker of the same configuration. A clusterer
/// handed features of another configuration computes them again from the
/// document, so its result never depends on where they came from.
///
/// ```
/// use newsdesk_cluster::{ArticleFeatures, ClusterConfig, Clusterer};
/// use newsdesk_model::Article;
///
/// let config = ClusterConfig::default();
/// let docs: Vec<_> = [
///     "Floods closed the Ossel bridge in Veldmoor on Monday.",
///     "The Ossel bridge in Veldmoor was closed by floods.",
/// ]
/// .into_iter()
/// .map(|text| newsdesk_text::analyze(Article::new(text)))
/// .collect();
/// // Any thread may compute these...
/// let features: Vec<ArticleFeatures> =
///     docs.iter().map(|d| ArticleFeatures::of(d, &config)).collect();
/// // ...but articles are assigned in order, on one.
/// let mut clusterer = Clusterer::new(config);
/// let first = clusterer.assign_features(&docs[0], &features[0], None);
/// let second = clusterer.assign_features(&docs[1], &features[1], None);
/// assert_eq!(first.event, second.event);
/// ```
#[derive(Debug, Clone)]
pub struct ArticleFeatures {
    /// The article's terms that count, with their weights (sublinear term
    /// frequency, name-like terms scaled; before unit length and IDF), in
    /// the order of the term strings: the order in which a clusterer
    /// numbers the terms it has not seen yet.
    pub(crate) terms: Vec<(String, f32)>,
    /// The hash of each of `terms` ([`term_hash`]), by which a clusterer
    /// or linker looks its id up.
    pub(crate) hashes: Vec<u64>,
    /// The title's distinct terms (for the learned merge decision).
    pub(crate) title: Vec<String>,
    /// The hash of each of `title`.
    pub(crate) title_hashes: Vec<u64>,
    /// The body's near-duplicate fingerprint (empty when detection is off).
    pub(crate) fingerprint: Fingerprint,
    /// The publication day (days since 1970-01-01), when dated.
    pub(crate) day: Option<i32>,
    /// What of the configuration the features depend on.
    basis: Basis,
}

/// The settings that [`ArticleFeatures`] depend on.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Basis {
    title_weight: f64,
    name_weight: f64,
    fingerprinted: bool,
}

impl Basis {
    fn of(config: &ClusterConfig) -> Self {
        Basis {
            title_weight: config.title_weight,
            name_weight: config.name_weight,
            fingerprinted: config.duplicates.window != 0,
        }
    }
}

impl ArticleFeatures {
    /// The features of `doc` (already through the text stage) as a
    /// clusterer and a linker of `config` read it.
    pub fn of(doc: &Document, config: &ClusterConfig) -> ArticleFeatures {
        let basis = Basis::of(config);
        let stemmer = Stemmer::new();
        let fingerprint = if basis.fingerprinted {
            Fingerprint::of(doc)
        } else {
            Fingerprint::default()
        };
        let terms = weighted_terms(doc, &stemmer, basis.title_weight, basis.name_weight);
        let title = newsdesk_text::terms::title_terms(doc, &stemmer);
        ArticleFeatures {
            hashes: terms.iter().map(|(t, _)| term_hash(t)).collect(),
            terms,
            title_hashes: title.iter().map(|t| term_hash(t)).collect(),
            title,
            fingerprint,
            day: doc.article.date.map(day_number),
            basis,
        }
    }

    /// Only what the batch linker of `config` reads (the weighted terms and
    /// the day), without the clusterer's title terms and near-duplicate
    /// fingerprint: for re-linking articles clustered before, at about
    /// half the cost of [`ArticleFeatures::of`]. A clusterer given these
    /// computes the rest again.
    pub fn for_linking(doc: &Document, config: &ClusterConfig) -> ArticleFeatures {
        Self::terms_of(doc, config.title_weight, config.name_weight)
    }

    /// What batch event grouping ([`crate::events::group_events`]) and the
    /// batch linker read (the weighted terms, the title's terms and the
    /// day), without the near-duplicate fingerprint: for regrouping
    /// articles clustered before.
    pub fn for_grouping(doc: &Document, config: &ClusterConfig) -> ArticleFeatures {
        let mut features = Self::terms_of(doc, config.title_weight, config.name_weight);
        features.title = newsdesk_text::terms::title_terms(doc, &Stemmer::new());
        features.title_hashes = features.title.iter().map(|t| term_hash(t)).collect();
        features
    }

    /// Only what the batch linker reads (the weighted terms and the day),
    /// for [`crate::linking::StoryLinker::add`].
    pub(crate) fn terms_of(doc: &Document, title_weight: f64, name_weight: f64) -> Self {
        let terms = weighted_terms(doc, &Stemmer::new(), title_weight, name_weight);
        ArticleFeatures {
            hashes: terms.iter().map(|(t, _)| term_hash(t)).collect(),
            terms,
            title: Vec::new(),
            title_hashes: Vec::new(),
            fingerprint: Fingerprint::default(),
            day: doc.article.date.map(day_number),
            basis: Basis {
                title_weight,
                name_weight,
                fingerprinted: false,
            },
        }
    }

    /// Whether these features were computed with the settings of `config`
    /// that they depend on.
    pub(crate) fn fit(&self, config: &ClusterConfig) -> bool {
        self.basis == Basis::of(config)
    }
}

/// The terms of `doc` that count, with their weights, in the order of
/// their strings.
fn weighted_terms(
    doc: &Document,
    stemmer: &Stemmer,
    title_weight: f64,
    name_weight: f64,
) -> Vec<(String, f32)> {
    term_counts(doc, stemmer, title_weight)
        .into_iter()
        .filter_map(|(term, count)| {
            term_weight(&term, count, name_weight).map(|weight| (term, weight))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_can_be_computed_on_any_thread() {
        fn send_and_sync<T: Send + Sync>() {}
        send_and_sync::<ArticleFeatures>();
    }
}
