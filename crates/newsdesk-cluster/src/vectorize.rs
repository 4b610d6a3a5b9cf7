//! Turning a document into weighted terms.

use std::borrow::Cow;
use std::collections::BTreeMap;

use newsdesk_model::Document;
use newsdesk_text::normalize::normalize;
use newsdesk_text::terms::{document_terms_of, name_terms};
use newsdesk_text::words::Stemmer;

/// Prefix that keeps name-like terms apart from word stems in the
/// vocabulary ("n:kabul" next to the stem "kabul").
pub(crate) const NAME_PREFIX: &str = "n:";

/// The raw term counts of a document: its word terms
/// ([`newsdesk_text::terms::document_terms`]: stems of the title counted
/// `title_weight` times and of its headings and sentences, or entity-like
/// words for a language without a stemmer) plus name-like terms (each
/// counted once per appearance in title or body), kept apart by
/// [`NAME_PREFIX`].
pub(crate) fn term_counts(
    doc: &Document,
    stemmer: &Stemmer,
    title_weight: f64,
) -> BTreeMap<String, f64> {
    let title = doc
        .article
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(normalize);
    let body: Vec<Cow<'_, str>> = doc
        .headings()
        .chain(doc.sentence_texts())
        .map(normalize)
        .collect();
    let mut counts = document_terms_of(
        doc.analysable(),
        title.as_deref(),
        &body,
        stemmer,
        title_weight,
    );
    let mut name_input: Vec<&str> = Vec::with_capacity(body.len() + 1);
    if let Some(title) = &title {
        name_input.push(title);
    }
    name_input.extend(body.iter().map(|t| t.as_ref()));
    // One buffer for every name's key: most names recur, and a recurring
    // one needs no new string.
    let mut key = String::from(NAME_PREFIX);
    for name in name_terms(&name_input) {
        key.truncate(NAME_PREFIX.len());
        key.push_str(&name);
        match counts.get_mut(key.as_str()) {
            Some(count) => *count += 1.0,
            None => {
                counts.insert(key.clone(), 1.0);
            }
        }
    }
    counts
}

/// The weight of a term counted `count` times in a document: sublinear
/// term frequency, name-like terms scaled by `name_weight`; `None` when the
/// term does not count (a name weight of zero).
pub(crate) fn term_weight(term: &str, count: f64, name_weight: f64) -> Option<f32> {
    let weight = if term.starts_with(NAME_PREFIX) {
        name_weight
    } else {
        1.0
    };
    (weight > 0.0 && count > 0.0).then(|| (weight * (1.0 + count.ln())) as f32)
}

/// Smoothed IDF as in scikit-learn, of a term found in `df` of `docs`
/// documents: a term in every document still weighs 1, an unseen term
/// cannot divide by zero.
pub(crate) fn smoothed_idf(docs: f64, df: f64) -> f64 {
    ((docs + 1.0) / (df + 1.0)).ln() + 1.0
}

/// Scales a vector to unit length (an empty or all-zero one stays as is).
pub(crate) fn to_unit_length(vector: &mut [(u32, f32)]) {
    let norm = vector
        .iter()
        .map(|&(_, w)| f64::from(w).powi(2))
        .sum::<f64>()
        .sqrt();
    if norm > 0.0 {
        for (_, w) in vector {
            *w = (f64::from(*w) / norm) as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use newsdesk_model::{Article, Assignment};

    use super::*;
    use crate::{ClusterConfig, Clusterer};

    fn doc(title: &str, text: &str) -> Document {
        let mut article = Article::new(text);
        article.title = Some(title.to_owned());
        newsdesk_text::analyze(article)
    }

    /// Two German reports of one invented event (shared place, person and
    /// numbers, different wording) and one German report of another.
    fn german() -> Vec<Document> {
        vec![
            doc(
                "Brücke über den Elsbach in Falkenried eingestürzt",
                "In Falkenried ist am Dienstagmorgen die Brücke über den Elsbach eingestürzt. \
                 Nach Angaben der Feuerwehr wurden 14 Menschen verletzt, drei davon schwer. \
                 Bürgermeisterin Greta Holmberg sprach von einem schwarzen Tag für die Stadt. \
                 Die Brücke war 1962 gebaut worden und sollte im kommenden Jahr saniert werden.",
            ),
            doc(
                "Neues Kunstmuseum in Lindhagen eröffnet",
                "In Lindhagen hat am Samstag das neue Kunstmuseum seine Türen geöffnet. \
                 Rund 3000 Besucher kamen schon am ersten Tag. \
                 Direktor Anton Weyrauch zeigte sich zufrieden mit dem Andrang. \
                 Die Sammlung umfasst Gemälde und Skulpturen aus fünf Jahrhunderten.",
            ),
            doc(
                "Falkenried: 14 Verletzte nach Brückeneinsturz",
                "Der Einsturz der Elsbach-Brücke in Falkenried hat 14 Verletzte gefordert. \
                 Greta Holmberg, die Bürgermeisterin, kündigte eine Untersuchung an. \
                 Das Bauwerk aus dem Jahr 1962 galt seit langem als marode. \
                 Die Feuerwehr war mit 80 Kräften im Einsatz.",
            ),
        ]
    }

    #[test]
    fn articles_we_cannot_analyse_are_counted_by_names_and_numbers() {
        let docs = german();
        assert_eq!(docs[0].article.lang.as_deref(), Some("de"));
        assert!(!docs[0].analysable());
        let counts = term_counts(&docs[0], &Stemmer::new(), 2.0);
        for expected in [
            "falkenried",
            "elsbach",
            "brücke",
            "feuerwehr",
            "14",
            "1962",
            "n:greta holmberg",
            "n:falkenried",
        ] {
            assert!(counts.contains_key(expected), "{expected} in {counts:?}");
        }
        // No lowercase words, no English stems, no sentence-initial
        // function words.
        for absent in [
            "die",
            "der",
            "in",
            "wurden",
            "verletzt",
            "eingestürzt",
            "brück",
        ] {
            assert!(!counts.contains_key(absent), "{absent} in {counts:?}");
        }
        // Title words count `title_weight` times.
        assert_eq!(counts.get("elsbach"), Some(&3.0));
    }

    #[test]
    fn english_articles_keep_their_stems() {
        let english = doc(
            "Bridge collapses in Falkenried",
            "The bridge over the Elsbach collapsed on Tuesday, injuring 14 people.",
        );
        assert!(english.analysable());
        let counts = term_counts(&english, &Stemmer::new(), 1.0);
        assert!(counts.contains_key("collaps"));
        assert!(counts.contains_key("injur"));
        assert!(counts.contains_key("n:elsbach"));
    }

    #[test]
    fn german_reports_of_one_event_join_and_another_stays_apart() {
        let mut clusterer = Clusterer::new(ClusterConfig::default());
        let assigned: Vec<Assignment> = german().iter().map(|d| clusterer.assign(d)).collect();
        assert!(assigned.iter().all(|a| a.duplicate_of.is_none()));
        assert_eq!(assigned[0].event, assigned[2].event, "one collapse");
        assert_ne!(assigned[0].event, assigned[1].event, "the museum is apart");
        assert_ne!(assigned[0].story, assigned[1].story);
    }
}
