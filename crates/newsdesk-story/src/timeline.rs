//! A story's timeline: what happened when, told by whom.
//!
//! Each sentence has an *event time* (the time stage's
//! [`newsdesk_time::sentence_dates`], read from a [`DatedDocument`]).
//! [`timeline`] gathers the sentences of a story's
//! documents by date: one entry per date, told by a representative sentence
//! and citing the sentences that report that development (the same
//! development told by several outlets is one entry; a sentence that only
//! shares the day, about something else, is no evidence for it). Dates more than
//! [`BACKGROUND_DAYS`] before the story's first publication date are
//! *background* ("the attacks of 11 September 2001"); vaguer dates (a month,
//! a year) appear only as background, since "this month" does not place a
//! development on a day.
//!
//! ```
//! use newsdesk_model::Article;
//! use newsdesk_story::timeline::timeline;
//! use newsdesk_time::DatedDocument;
//!
//! let mut article = Article::new("Herat fell on Thursday. The US invaded in October 2001.");
//! article.date = Some(jiff::civil::date(2021, 8, 13));
//! let doc = DatedDocument::new(newsdesk_text::analyze(article));
//! let entries = timeline(&[&doc]);
//! assert_eq!(entries[0].date, "2001-10");
//! assert!(entries[0].background);
//! assert_eq!(entries[1].date, "2021-08-12");
//! assert_eq!(entries[1].text, "Herat fell on Thursday.");
//! ```

use std::collections::{BTreeMap, BTreeSet};

use jiff::ToSpan;
use newsdesk_model::{ArticleId, Date, Document, Span};
use newsdesk_text::words::{terms, Stemmer};
use newsdesk_time::DatedDocument;
use serde::Serialize;

/// How far before a story's first article a date must lie to be background.
pub const BACKGROUND_DAYS: i64 = 30;

/// Least share of an entry's terms (stemmed content words) a sentence of
/// its date must carry to report that development, as the brief's
/// citations ask of theirs (`newsdesk_brief::cite::MIN_SUPPORT`, 0.45, on
/// weighted words): a little lower, since these sentences share the date
/// already.
pub const MIN_EVIDENCE_SHARE: f64 = 0.4;

/// Least number of terms such a sentence must share with the entry: one
/// shared name ("Taliban") is the story, not the development.
pub const MIN_SHARED_TERMS: usize = 2;

/// One article's part in a timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TimelineCitation))]
pub struct Citation {
    /// The article.
    pub article: ArticleId,
    /// Its outlet, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub source: Option<String>,
    /// Its publication date, if known.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, required = true))]
    pub published: Option<Date>,
    /// The number of its source in the story's source legend, once the
    /// caller has numbered the story's sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub n: Option<usize>,
    /// The sentences of it that report the entry's development (byte
    /// spans of its text), in text order.
    pub evidence: Vec<Span>,
}

/// One dated development of a story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TimelineEntry))]
pub struct Entry {
    /// `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` for background.
    pub date: String,
    /// A representative sentence.
    pub text: String,
    /// Every article with a sentence reporting it, in the order given.
    pub citations: Vec<Citation>,
    /// Whether it happened well before the story (context, not news).
    pub background: bool,
}

/// A dated sentence: (document index, sentence span, dated by an
/// expression of its own rather than by the publication date).
type Dated = (usize, Span, bool);

/// The timeline of a story from its documents (in the order given, which
/// decides citation order and ties): one entry per date, ordered by date.
pub fn timeline(dated: &[&DatedDocument]) -> Vec<Entry> {
    let docs: Vec<&Document> = dated.iter().map(|d| d.document()).collect();
    let docs = docs.as_slice();
    let first_published = docs.iter().filter_map(|d| d.article.date).min();
    let cutoff = first_published.and_then(|d| d.checked_sub(BACKGROUND_DAYS.days()).ok());
    // Per date: (first day, the dated sentences as (doc, span, explicit)).
    let mut by_date: BTreeMap<String, (Date, Vec<Dated>)> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        for (sentence, event) in doc.sentences.iter().zip(dated[i].sentence_dates()) {
            let Some(event) = event.clone() else { continue };
            let background = cutoff.is_some_and(|c| event.date < c);
            if event.value.len() < 10 && !background {
                continue;
            }
            by_date
                .entry(event.value)
                .or_insert_with(|| (event.date, Vec::new()))
                .1
                .push((i, sentence.span, event.expression.is_some()));
        }
    }
    let stemmer = Stemmer::new();
    let mut entries: Vec<(Date, Entry)> = by_date
        .into_iter()
        .map(|(value, (date, sentences))| {
            let chosen = representative(docs, &sentences);
            let text = chosen
                .map(|k| {
                    let (i, span, _) = sentences[k];
                    docs[i].text_of(span).trim().to_string()
                })
                .unwrap_or_default();
            let told: BTreeSet<String> = terms(&text, &stemmer).into_iter().collect();
            let mut citations: Vec<Citation> = Vec::new();
            for (k, &(i, span, _)) in sentences.iter().enumerate() {
                if Some(k) != chosen && !reports(&told, docs[i].text_of(span), &stemmer) {
                    continue;
                }
                let article = &docs[i].article;
                match citations.iter_mut().find(|c| c.article == article.id) {
                    Some(c) => c.evidence.push(span),
                    None => citations.push(Citation {
                        article: article.id.clone(),
                        source: article.source.clone(),
                        published: article.date,
                        n: None,
                        evidence: vec![span],
                    }),
                }
            }
            for c in &mut citations {
                c.evidence.sort_by_key(|s| s.start);
                c.evidence.dedup();
            }
            let background = cutoff.is_some_and(|c| date < c);
            (
                date,
                Entry {
                    date: value,
                    text,
                    citations,
                    background,
                },
            )
        })
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.date.cmp(&b.1.date)));
    entries.into_iter().map(|(_, e)| e).collect()
}

/// Whether `sentence` reports the development whose terms are `told`: it
/// carries [`MIN_EVIDENCE_SHARE`] of them, and at least
/// [`MIN_SHARED_TERMS`] (all of them, for an entry of fewer terms).
fn reports(told: &BTreeSet<String>, sentence: &str, stemmer: &Stemmer) -> bool {
    if told.is_empty() {
        return false;
    }
    let own: BTreeSet<String> = terms(sentence, stemmer).into_iter().collect();
    let shared = told.intersection(&own).count();
    shared >= MIN_SHARED_TERMS.min(told.len())
        && shared as f64 >= MIN_EVIDENCE_SHARE * told.len() as f64
}

/// The sentence that shares the most words with the others of its date
/// (what most reports say), preferring sentences that name the date
/// themselves; the earliest wins ties. `None` for no sentences.
fn representative(docs: &[&Document], sentences: &[Dated]) -> Option<usize> {
    let words: Vec<BTreeSet<String>> = sentences
        .iter()
        .map(|&(i, span, _)| {
            docs[i]
                .text_of(span)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() > 3)
                .map(str::to_lowercase)
                .collect()
        })
        .collect();
    let mut best: Option<(usize, (bool, usize))> = None;
    for (k, &(_, _, explicit)) in sentences.iter().enumerate() {
        let shared: usize = words
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, other)| words[k].intersection(other).count())
            .sum();
        let score = (explicit, shared);
        if best.is_none_or(|(_, b)| score > b) {
            best = Some((k, score));
        }
    }
    best.map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_model::Article;

    fn doc(text: &str, date: &str, source: &str) -> DatedDocument {
        let mut article = Article::new(text);
        article.date = date.parse().ok();
        article.source = Some(source.to_string());
        DatedDocument::new(newsdesk_text::analyze(article))
    }

    fn check(docs: &[&DatedDocument], expected: expect_test::Expect) {
        let lines: Vec<String> = timeline(docs)
            .iter()
            .map(|e| {
                let cited: Vec<&str> = e
                    .citations
                    .iter()
                    .filter_map(|c| c.source.as_deref())
                    .collect();
                format!(
                    "{}{} [{}] {}",
                    e.date,
                    if e.background { " (background)" } else { "" },
                    cited.join(", "),
                    e.text
                )
            })
            .collect();
        expected.assert_eq(&lines.join("\n"));
    }

    #[test]
    fn dates_merged_across_outlets_with_background() {
        let a = doc(
            "Herat fell to the Taliban on Thursday. The group was removed from power after the attacks of September 11, 2001.",
            "2021-08-13",
            "Diario",
        );
        let b = doc(
            "The Taliban have entered Kabul. On Saturday, Biden authorised 5,000 troops. Herat fell on Thursday, officials said.",
            "2021-08-15",
            "Post",
        );
        let c = doc(
            "Militants are in the presidential palace.",
            "2021-08-15",
            "Wire",
        );
        check(
            &[&a, &b, &c],
            expect_test::expect![[r#"
                2001-09-11 (background) [Diario] The group was removed from power after the attacks of September 11, 2001.
                2021-08-12 [Diario, Post] Herat fell to the Taliban on Thursday.
                2021-08-14 [Post] On Saturday, Biden authorised 5,000 troops.
                2021-08-15 [Post] The Taliban have entered Kabul."#]],
        );
    }

    // Desk review error 17: a timeline entry cited every outlet that dated
    // any sentence on its day, as if they all reported it.
    #[test]
    fn review_17_an_entry_cites_only_the_sentences_that_report_it() {
        let a = doc(
            "Taliban fighters entered Kabul on Sunday from all sides. Negotiations are underway on a transfer of power.",
            "2021-08-15",
            "Urdu",
        );
        let b = doc(
            "Militants entered the capital Kabul from all sides on Sunday, officials said. The president has reportedly fled the country.",
            "2021-08-15",
            "BBC",
        );
        let entries = timeline(&[&a, &b]);
        let day = entries
            .iter()
            .find(|e| e.date == "2021-08-15")
            .expect("an entry on the 15th");
        assert_eq!(day.citations.len(), 2, "{day:?}");
        for (c, d) in day.citations.iter().zip([&a, &b]) {
            assert_eq!(c.evidence.len(), 1, "one sentence each: {c:?}");
            let said = d.document().text_of(c.evidence[0]);
            assert!(said.contains("entered"), "{said}");
        }
        // Only one outlet reports the flight.
        let fled = doc(
            "The president has fled the country on Sunday.",
            "2021-08-15",
            "Wire",
        );
        let entries = timeline(&[&fled, &a]);
        let cited: Vec<_> = entries[0]
            .citations
            .iter()
            .map(|c| c.source.clone())
            .collect();
        assert_eq!(cited, [Some("Wire".to_string())], "{entries:?}");
    }

    #[test]
    fn undated_articles_leave_relative_times_unresolved() {
        let a = doc("Herat fell on Thursday. It is calm now.", "", "Diario");
        check(&[&a], expect_test::expect![[r#""#]]);
    }
}
