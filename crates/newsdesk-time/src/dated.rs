//! Dated documents: every temporal expression of a document and the day
//! each of its sentences reports, computed once.
//!
//! Each sentence gets an *event time* ([`sentence_dates`]): the date named
//! by the first resolved date expression in it (a day if it names one, else
//! a month or a year), else the publication date when the sentence reports
//! in the present or present perfect ("the Taliban have entered Kabul"),
//! else none. A [`DatedDocument`] holds a document with its expressions and
//! its sentences' event times; the timeline, the fact table and the brief
//! all read them from there, so a story's documents are tagged once
//! whatever reads them.
//!
//! ```
//! use newsdesk_model::Article;
//! use newsdesk_time::DatedDocument;
//!
//! let mut article = Article::new("Herat fell on Thursday. The city is calm.");
//! article.date = Some(jiff::civil::date(2021, 8, 13));
//! let dated = DatedDocument::new(newsdesk_text::analyze(article));
//! let days: Vec<_> = dated.sentence_dates().iter().map(|d| d.as_ref().map(|d| d.value.as_str())).collect();
//! assert_eq!(days, [Some("2021-08-12"), Some("2021-08-13")]);
//! ```

use newsdesk_model::{Date, Document, Span};

use crate::timex::tense::{sentence_tense, Tense};
use crate::timex::{tagger, Timex, TimexType};

/// A document with its temporal expressions (resolved against its
/// publication date) and the event time of each of its sentences, computed
/// once when it is made.
#[derive(Debug, Clone)]
pub struct DatedDocument {
    doc: Document,
    times: Vec<Timex>,
    sentence_dates: Vec<Option<EventTime>>,
}

impl DatedDocument {
    /// Tags `doc`'s text with the built-in tagger and dates its sentences.
    pub fn new(doc: Document) -> DatedDocument {
        let times = tagger().tag(&doc.article.text, doc.article.date);
        let sentence_dates = sentence_dates(&doc, &times);
        DatedDocument {
            doc,
            times,
            sentence_dates,
        }
    }

    /// The document.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// Its temporal expressions, in text order.
    pub fn times(&self) -> &[Timex] {
        &self.times
    }

    /// The spans of its temporal expressions (numbers inside them are not
    /// figures).
    pub fn time_spans(&self) -> Vec<Span> {
        self.times.iter().map(|t| t.span).collect()
    }

    /// The event time of each of its sentences, in sentence order.
    pub fn sentence_dates(&self) -> &[Option<EventTime>] {
        &self.sentence_dates
    }

    /// The document back.
    pub fn into_document(self) -> Document {
        self.doc
    }
}

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
/// temporal expressions of its text (from [`crate::timex::tagger`], resolved against the
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
