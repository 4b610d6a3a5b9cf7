//! A story's timeline: what happened when, told by whom.
//!
//! Each sentence gets an *event time* ([`sentence_dates`]): the date named
//! by the first resolved date expression in it (a day if it names one, else
//! a month or a year), else the publication date when the sentence reports
//! in the present or present perfect ("the Taliban have entered Kabul"),
//! else none. [`timeline`] then gathers the sentences of a story's
//! documents by date: one entry per date, citing every article that dates a
//! sentence there (the same development told by several outlets is one
//! entry), with a representative sentence. Dates more than
//! [`BACKGROUND_DAYS`] before the story's first publication date are
//! *background* ("the attacks of 11 September 2001"); vaguer dates (a month,
//! a year) appear only as background, since "this month" does not place a
//! development on a day.
//!
//! ```
//! use newsdesk_model::Article;
//! use newsdesk_story::timeline::timeline;
//!
//! let mut article = Article::new("Herat fell on Thursday. The US invaded in October 2001.");
//! article.date = Some(jiff::civil::date(2021, 8, 13));
//! let doc = newsdesk_text::analyze(article);
//! let entries = timeline(&[&doc]);
//! assert_eq!(entries[0].date, "2001-10");
//! assert!(entries[0].background);
//! assert_eq!(entries[1].date, "2021-08-12");
//! assert_eq!(entries[1].text, "Herat fell on Thursday.");
//! ```

use std::collections::{BTreeMap, BTreeSet};

use jiff::ToSpan;
use newsdesk_extract::timex::tense::{sentence_tense, Tense};
use newsdesk_extract::timex::{tagger, Timex, TimexType};
use newsdesk_model::{ArticleId, Date, Document, Span};
use serde::Serialize;

/// How far before a story's first article a date must lie to be background.
pub const BACKGROUND_DAYS: i64 = 30;

/// When a sentence's main event happened, and how that is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTime {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub value: String,
    /// The first day of that period (for ordering).
    pub date: Date,
    /// The expression that named it, or `None` when it is the publication
    /// date of a present-tense report.
    pub expression: Option<Span>,
}

/// One article's part in a timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The article.
    pub article: ArticleId,
    /// Its outlet, if known.
    pub source: Option<String>,
    /// Its publication date, if known.
    pub published: Option<Date>,
    /// The first sentence of it dated here (byte span of its text).
    pub start: usize,
    /// End of that sentence.
    pub end: usize,
}

/// One dated development of a story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` for background.
    pub date: String,
    /// A representative sentence.
    pub text: String,
    /// Every article reporting it, in the order given.
    pub citations: Vec<Citation>,
    /// Whether it happened well before the story (context, not news).
    pub background: bool,
}

/// The value's calendar part and its first day: `2021-08-12T…` →
/// (`2021-08-12`, 12 Aug); `2020-09` → 1 Sep; `2001` → 1 Jan.
fn calendar(value: &str) -> Option<(String, Date)> {
    let bytes = value.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        bytes
            .get(r)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let year: i16 = if digits(0..4) {
        value[..4].parse().ok()?
    } else {
        return None;
    };
    if value.len() >= 10 && bytes[4] == b'-' && digits(5..7) && bytes[7] == b'-' && digits(8..10) {
        let date: Date = value[..10].parse().ok()?;
        return Some((value[..10].to_string(), date));
    }
    if value.len() >= 7
        && bytes[4] == b'-'
        && digits(5..7)
        && (value.len() == 7 || bytes[7] == b'T')
    {
        let month: i8 = value[5..7].parse().ok()?;
        return Some((value[..7].to_string(), Date::new(year, month, 1).ok()?));
    }
    if value.len() == 4 {
        return Some((value.to_string(), Date::new(year, 1, 1).ok()?));
    }
    None
}

/// The event time of each of `doc`'s sentences (in order), given the
/// temporal expressions of its text (from [`tagger`], resolved against the
/// document's date).
pub fn sentence_dates(doc: &Document, times: &[Timex]) -> Vec<Option<EventTime>> {
    let published = doc.article.date;
    doc.sentences
        .iter()
        .map(|sentence| {
            let inside = times.iter().filter(|t| {
                t.span.start >= sentence.span.start
                    && t.span.end <= sentence.span.end
                    && matches!(t.kind, TimexType::Date | TimexType::Time)
            });
            let mut best: Option<EventTime> = None;
            let mut present_ref = false;
            for t in inside {
                let value = t.value.as_deref().unwrap_or("");
                present_ref |= value == "PRESENT_REF";
                let Some((value, date)) = calendar(value) else {
                    continue;
                };
                let is_day = value.len() == 10;
                if best.as_ref().is_none_or(|b| is_day && b.value.len() < 10) {
                    best = Some(EventTime {
                        value,
                        date,
                        expression: Some(t.span),
                    });
                }
            }
            best.or_else(|| {
                let date = published?;
                let tense = sentence_tense(doc.text_of(sentence.span));
                (present_ref || tense == Tense::Present).then(|| EventTime {
                    value: date.to_string(),
                    date,
                    expression: None,
                })
            })
        })
        .collect()
}

/// A dated sentence: (document index, sentence span, dated by an
/// expression of its own rather than by the publication date).
type Dated = (usize, Span, bool);

/// The timeline of a story from its documents (in the order given, which
/// decides citation order and ties): one entry per date, ordered by date.
pub fn timeline(docs: &[&Document]) -> Vec<Entry> {
    let first_published = docs.iter().filter_map(|d| d.article.date).min();
    let cutoff = first_published.and_then(|d| d.checked_sub(BACKGROUND_DAYS.days()).ok());
    // Per date: (first day, the dated sentences as (doc, span, explicit)).
    let mut by_date: BTreeMap<String, (Date, Vec<Dated>)> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        let times = tagger().tag(&doc.article.text, doc.article.date);
        for (sentence, event) in doc.sentences.iter().zip(sentence_dates(doc, &times)) {
            let Some(event) = event else { continue };
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
    let mut entries: Vec<(Date, Entry)> = by_date
        .into_iter()
        .map(|(value, (date, sentences))| {
            let text = representative(docs, &sentences);
            let mut cited: BTreeSet<usize> = BTreeSet::new();
            let mut citations = Vec::new();
            for &(i, span, _) in &sentences {
                if cited.insert(i) {
                    let article = &docs[i].article;
                    citations.push(Citation {
                        article: article.id.clone(),
                        source: article.source.clone(),
                        published: article.date,
                        start: span.start,
                        end: span.end,
                    });
                }
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

/// The sentence that shares the most words with the others of its date
/// (what most reports say), preferring sentences that name the date
/// themselves; the earliest wins ties.
fn representative(docs: &[&Document], sentences: &[Dated]) -> String {
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
    best.map(|(k, _)| {
        let (i, span, _) = sentences[k];
        docs[i].text_of(span).trim().to_string()
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_model::Article;

    fn doc(text: &str, date: &str, source: &str) -> Document {
        let mut article = Article::new(text);
        article.date = date.parse().ok();
        article.source = Some(source.to_string());
        newsdesk_text::analyze(article)
    }

    fn check(docs: &[&Document], expected: expect_test::Expect) {
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
                2021-08-15 [Post, Wire] The Taliban have entered Kabul."#]],
        );
    }

    #[test]
    fn undated_articles_leave_relative_times_unresolved() {
        let a = doc("Herat fell on Thursday. It is calm now.", "", "Diario");
        check(&[&a], expect_test::expect![[r#""#]]);
    }
}
