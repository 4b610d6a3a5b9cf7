//! One article through the per-article stages.
//!
//! [`analyze`] is the text stage as every front end runs it: an article
//! whose metadata gave no publication date takes the one its first lines
//! state ("Published 15 August 2021", a dated byline or dateline), so
//! that its relative expressions resolve. [`ArticleAnalysis`] adds what
//! the later stages find in the article alone: its time expressions and
//! sentence dates (tagged once), entities, figures, quotes and
//! paraphrases.

use newsdesk_entities::entity::ArticleEntity;
use newsdesk_entities::places::Places;
use newsdesk_entities::Analyzer;
use newsdesk_facts::figures::Figure;
use newsdesk_facts::quotes::Quote;
use newsdesk_facts::speakers::Named;
use newsdesk_model::{Article, Document, Span};
use newsdesk_time::timex::published::{published_date, PublishedDate};
use newsdesk_time::DatedDocument;

use crate::DeskError;

/// Runs the text stage on one article, first giving an undated article
/// the publication date its text states ([`text_date`]).
pub fn analyze(mut article: Article) -> Document {
    if let Some(found) = text_date(&article) {
        article.date = Some(found.date);
    }
    newsdesk_text::analyze(article)
}

/// The publication date read from the text of an article that has none
/// from its metadata (`None` when it has one, or the text states none).
pub fn text_date(article: &Article) -> Option<PublishedDate> {
    if article.date.is_some() {
        return None;
    }
    published_date(&article.text)
}

/// Everything newsdesk finds in one article alone.
#[derive(Debug, Clone)]
pub struct ArticleAnalysis {
    /// The analysed article with its time expressions and the event date
    /// of each sentence.
    pub dated: DatedDocument,
    /// How the publication date was read from the text, when the
    /// article's metadata gave none and the text states one.
    pub date_from_text: Option<PublishedDate>,
    /// Its entities, each with its mentions (byte spans into the text) and
    /// roles, in order of first mention.
    pub entities: Vec<ArticleEntity>,
    /// Numbers that count or measure something, in body sentences, with
    /// what they count.
    pub figures: Vec<Figure>,
    /// Direct quotes with their speaker (`None` when the attribution names
    /// nobody that can be found), in body sentences.
    pub quotes: Vec<Quote>,
    /// Reported speech with a named speaker ("X said the embassy was
    /// moving").
    pub paraphrases: Vec<Quote>,
}

impl ArticleAnalysis {
    /// Analyses one article with `analyzer`'s entity tagger.
    pub fn of(article: Article, analyzer: &Analyzer) -> Result<ArticleAnalysis, DeskError> {
        let date_from_text = text_date(&article);
        let dated = DatedDocument::new(analyze(article));
        let doc = dated.document();
        let mut entities = analyzer.article(doc);
        let names = speaker_names(&entities)?;
        let (figures, quotes) = figures_and_quotes(&dated, &names);
        let spans: Vec<Span> = doc.sentences.iter().map(|s| s.span).collect();
        let paraphrases = newsdesk_facts::quotes::paraphrases(&doc.article.text, &spans, &names);
        drop(names);
        entities.sort_by_key(|e| e.mentions.first().map_or(usize::MAX, |m| m.start));
        Ok(ArticleAnalysis {
            dated,
            date_from_text,
            entities,
            figures,
            quotes,
            paraphrases,
        })
    }

    /// The analysed document.
    pub fn document(&self) -> &Document {
        self.dated.document()
    }
}

/// The persons, organisations and places an article names, as the facts
/// stage takes them (quote speakers, where claims are about); cities told
/// apart by the embedded gazetteer.
pub fn speaker_names(entities: &[ArticleEntity]) -> Result<Vec<Named<'_>>, DeskError> {
    let places = Places::embedded()?;
    Ok(newsdesk_facts::speakers::from_entities(
        entities,
        Some(places),
    ))
}

/// The figures and quotes of a dated article, in its body sentences:
/// numbers inside its date and time expressions are not figures; a quote's
/// pronoun or title speaker is resolved against the persons it names.
pub fn figures_and_quotes(dated: &DatedDocument, names: &[Named<'_>]) -> (Vec<Figure>, Vec<Quote>) {
    let doc = dated.document();
    let text = doc.article.text.as_str();
    let in_body = |start: usize, end: usize| {
        doc.sentences
            .iter()
            .any(|s| s.span.start <= start && end <= s.span.end)
    };
    let figures = newsdesk_facts::figures::figures(text, &dated.time_spans())
        .into_iter()
        .filter(|f| in_body(f.start, f.end))
        .collect();
    let quotes = newsdesk_facts::quotes::quotes(text, names)
        .into_iter()
        .filter(|q| in_body(q.start, q.start + 1))
        .collect();
    (figures, quotes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undated_article_takes_the_date_its_byline_states() {
        let article = Article::new(
            "Published 15 August 2021\nThe Taliban entered the city on Sunday, officials said.",
        );
        let found = text_date(&article).map(|f| f.date);
        assert_eq!(found, Some(newsdesk_model::Date::constant(2021, 8, 15)));
        let doc = analyze(article);
        assert_eq!(doc.article.date, found);
    }

    #[test]
    fn a_dated_article_keeps_its_date() {
        let mut article = Article::new("Published 15 August 2021\nThe city was calm.");
        article.date = Some(newsdesk_model::Date::constant(2021, 8, 16));
        assert!(text_date(&article).is_none());
        assert_eq!(
            analyze(article).article.date,
            Some(newsdesk_model::Date::constant(2021, 8, 16))
        );
    }

    #[test]
    fn an_analysis_tags_the_article_once_and_finds_its_figures_and_quotes() {
        let Ok(analyzer) = Analyzer::embedded() else {
            panic!("the embedded entity model loads");
        };
        let mut article = Article::new(
            "Floods closed the Varta bridge on Monday. At least 3,000 people left their homes. \
             \"We have never seen the river this high,\" said Mayor Anna Novak.",
        );
        article.date = Some(newsdesk_model::Date::constant(2025, 3, 13));
        let before = newsdesk_time::texts_tagged_on_this_thread();
        let Ok(analysis) = ArticleAnalysis::of(article, analyzer) else {
            panic!("the analysis runs");
        };
        assert_eq!(newsdesk_time::texts_tagged_on_this_thread() - before, 1);
        assert!(analysis.figures.iter().any(|f| f.value == 3000.0));
        assert_eq!(analysis.quotes.len(), 1);
        assert_eq!(analysis.quotes[0].speaker.as_deref(), Some("Anna Novak"));
        assert_eq!(
            analysis.dated.sentence_dates()[0]
                .as_ref()
                .map(|d| d.value.as_str()),
            Some("2025-03-10")
        );
    }
}
