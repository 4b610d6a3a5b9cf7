//! An editor's corrections of a story's facts: figures and quotes
//! rejected, quotes given another speaker. Each names what it corrects by
//! its article and the byte where its text starts in the article's text:
//! for a figure, the number ([`Figure::start`](crate::figures::Figure));
//! for a quote, the quoted words inside the marks, or a paraphrase's
//! reported clause ([`Quote::start`]). That is the `start` of the
//! citations the fact table shows ([`crate::table::Citation`]).
//!
//! The corrections apply to each article's facts before the table groups
//! them ([`FactCorrections::apply`]), so a rejected figure changes its
//! group's status and a re-attributed quote joins its new speaker's.
//!
//! ```
//! use newsdesk_facts::corrections::FactCorrections;
//!
//! let mut corrections = FactCorrections::default();
//! corrections.rejected_figures.insert(("a1".to_string(), 120));
//! assert!(corrections.rejects_figure("a1", 120));
//! assert!(!corrections.rejects_figure("a1", 121));
//! ```

use std::collections::{BTreeMap, BTreeSet};

use crate::quotes::Quote;
use crate::table::{attribute_figures, ArticleFacts};

/// The fact corrections in force: (article id, start byte) of each figure
/// or quote corrected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactCorrections {
    /// Figures left out, by where their number starts.
    pub rejected_figures: BTreeSet<(String, usize)>,
    /// Quotes and paraphrases left out, by where their words start.
    pub rejected_quotes: BTreeSet<(String, usize)>,
    /// Quotes and paraphrases said by someone else than found, by where
    /// their words start: who said them.
    pub speakers: BTreeMap<(String, usize), String>,
}

impl FactCorrections {
    /// Whether there is nothing to correct.
    pub fn is_empty(&self) -> bool {
        self.rejected_figures.is_empty()
            && self.rejected_quotes.is_empty()
            && self.speakers.is_empty()
    }

    /// Whether the figure of `article` whose number starts at byte
    /// `start` is rejected.
    pub fn rejects_figure(&self, article: &str, start: usize) -> bool {
        self.rejected_figures
            .contains(&(article.to_string(), start))
    }

    /// Whether the quote of `article` whose words start at byte `start`
    /// is rejected.
    pub fn rejects_quote(&self, article: &str, start: usize) -> bool {
        self.rejected_quotes.contains(&(article.to_string(), start))
    }

    /// The speaker the editor gave the quote of `article` whose words
    /// start at byte `start`, if they gave one.
    pub fn speaker(&self, article: &str, start: usize) -> Option<&str> {
        self.speakers
            .get(&(article.to_string(), start))
            .map(String::as_str)
    }

    /// Corrects one article's facts: its rejected figures and quotes are
    /// left out, its re-attributed quotes take their speaker, and its
    /// figures' sources (the speaker of the quote a figure stands in)
    /// follow the quotes.
    pub fn apply(&self, article: &mut ArticleFacts) {
        if self.is_empty() {
            return;
        }
        let id = article.article.as_str();
        article
            .figures
            .retain(|f| !self.rejects_figure(id, f.figure.start));
        let quotes_before = article.quotes.clone();
        article.quotes.retain(|q| !self.rejects_quote(id, q.start));
        for q in &mut article.quotes {
            if let Some(speaker) = self.speaker(id, q.start) {
                q.speaker = Some(speaker.to_string());
                q.attribution = Some(crate::quotes::Attribution::Editor);
            }
        }
        if !same_quotes(&quotes_before, &article.quotes) {
            attribute_figures(&mut article.figures, &article.quotes);
        }
    }
}

fn same_quotes(a: &[Quote], b: &[Quote]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.start == y.start && x.speaker == y.speaker)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::Figure;
    use crate::quotes::QuoteKind;
    use crate::table::{facts, DatedFigure, Status};

    fn figure(value: f64, start: usize) -> DatedFigure {
        let text = value.to_string();
        DatedFigure {
            figure: Figure {
                value,
                end: start + text.len(),
                text,
                start,
                modifier: None,
                counted: "residents".to_string(),
                unit: None,
                normalized: None,
                total: false,
                outcome: None,
                kind: crate::figures::FigureKind::Reported,
                earlier: false,
            },
            date: Some("2025-04-02".to_string()),
            actor: None,
            source: None,
            weekday: None,
        }
    }

    fn quote(text: &str, start: usize, speaker: &str) -> Quote {
        Quote {
            text: text.to_string(),
            kind: QuoteKind::Direct,
            start,
            end: start + text.len(),
            speaker: Some(speaker.to_string()),
            attribution: Some(crate::quotes::Attribution::Named),
        }
    }

    /// Two reports of a harbour flood: the first quotes the mayor, with
    /// its figure inside the quote; they disagree on how many residents
    /// left.
    fn reports() -> Vec<ArticleFacts> {
        let said = "We moved 400 residents before the tide turned";
        vec![
            ArticleFacts {
                article: "a".to_string(),
                outlet: Some("Harbour Times".to_string()),
                figures: vec![DatedFigure {
                    source: Some("Tomas Kerrigan".to_string()),
                    ..figure(400.0, 59)
                }],
                quotes: vec![quote(said, 50, "Tomas Kerrigan")],
                claims: Vec::new(),
            },
            ArticleFacts {
                article: "b".to_string(),
                outlet: Some("Coast Herald".to_string()),
                figures: vec![figure(450.0, 30)],
                quotes: Vec::new(),
                claims: Vec::new(),
            },
        ]
    }

    fn corrected(corrections: &FactCorrections) -> crate::table::Facts {
        let mut articles = reports();
        for a in &mut articles {
            corrections.apply(a);
        }
        facts(&articles)
    }

    #[test]
    fn no_corrections_change_nothing() {
        let table = corrected(&FactCorrections::default());
        assert_eq!(table, facts(&reports()));
        assert_eq!(table.figures[0].status, Status::Disputed);
        assert_eq!(table.figures[0].values[0].sources, ["Tomas Kerrigan"]);
    }

    #[test]
    fn a_rejected_figure_is_left_out_before_grouping() {
        let mut c = FactCorrections::default();
        c.rejected_figures.insert(("b".to_string(), 30));
        let table = corrected(&c);
        assert_eq!(table.figures.len(), 1);
        assert_eq!(table.figures[0].status, Status::SingleSource);
        assert_eq!(table.figures[0].values.len(), 1);
        assert_eq!(table.figures[0].values[0].citations[0].article, "a");
        // Another byte of the article names no figure.
        let mut c = FactCorrections::default();
        c.rejected_figures.insert(("b".to_string(), 31));
        c.rejected_figures.insert(("a".to_string(), 30));
        assert_eq!(corrected(&c), facts(&reports()));
    }

    #[test]
    fn a_re_attributed_quote_takes_its_speaker_and_its_figures_follow() {
        let mut c = FactCorrections::default();
        c.speakers
            .insert(("a".to_string(), 50), "Ilse Varga".to_string());
        let table = corrected(&c);
        assert_eq!(table.quotes.len(), 1);
        assert_eq!(table.quotes[0].speaker.as_deref(), Some("Ilse Varga"));
        let sources: Vec<&Vec<String>> =
            table.figures[0].values.iter().map(|v| &v.sources).collect();
        assert!(
            sources.contains(&&vec!["Ilse Varga".to_string()]),
            "{sources:?}"
        );
        assert!(!format!("{table:?}").contains("Kerrigan"));
    }

    #[test]
    fn a_rejected_quote_is_left_out_and_no_longer_sources_a_figure() {
        let mut c = FactCorrections::default();
        c.rejected_quotes.insert(("a".to_string(), 50));
        let table = corrected(&c);
        assert!(table.quotes.is_empty());
        assert!(table.figures[0].values.iter().all(|v| v.sources.is_empty()));
    }
}
