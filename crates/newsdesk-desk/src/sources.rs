//! A story's numbered sources: the one legend that every story output
//! (`show`, `brief`, `facts`, `timeline`; text, Markdown and JSON) cites
//! by.
//!
//! Each independent report of a story is a source `[n]`, numbered in the
//! story's clustering order; the reprints of it are listed under it and
//! cited by its number (one wire story is one source). A source names its
//! outlet, publication date, address and the file it was read from; where
//! the outlet is not known, the file stands in for it, so that a citation
//! always leads somewhere a reader can open, never to a bare hash.
//!
//! ```
//! use newsdesk_desk::sources::{SourceArticle, Sources};
//! use newsdesk_model::ArticleId;
//!
//! let article = |id: &str, outlet: Option<&str>, reprint_of: Option<&str>| SourceArticle {
//!     id: ArticleId(id.into()),
//!     outlet: outlet.map(str::to_owned),
//!     date: None,
//!     url: None,
//!     path: Some(format!("news/{id}.txt")),
//!     reprint_of: reprint_of.map(|r| ArticleId(r.into())),
//! };
//! let sources = Sources::new(vec![
//!     article("a", Some("River Post"), None),
//!     article("b", None, None),
//!     article("c", Some("Ledger"), Some("a")),
//! ]);
//! assert_eq!(sources.len(), 2);
//! assert_eq!(sources.number_of("c"), Some(1), "a reprint is cited by its original's number");
//! assert_eq!(sources.get(2).map(|s| s.outlet.as_str()), Some("news/b.txt"));
//! ```

use std::collections::HashMap;

use newsdesk_brief::markdown::{escape, link_destination};
use newsdesk_brief::Brief;
use newsdesk_facts::table::Facts;
use newsdesk_model::{ArticleId, Date, Document};
use newsdesk_story::timeline::Entry;
use serde::Serialize;

/// What the legend needs of one article of a story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceArticle {
    /// The article.
    pub id: ArticleId,
    /// Its outlet, if known.
    pub outlet: Option<String>,
    /// Its publication date, if known.
    pub date: Option<Date>,
    /// Its address, if known.
    pub url: Option<String>,
    /// Where it was read from (a file, `feed.jsonl:12`), if known.
    pub path: Option<String>,
    /// The article it reprints, if it is a reprint.
    pub reprint_of: Option<ArticleId>,
}

impl SourceArticle {
    /// The legend's view of a document, a reprint of `reprint_of` or not.
    pub fn of(doc: &Document, reprint_of: Option<ArticleId>) -> SourceArticle {
        let a = &doc.article;
        SourceArticle {
            id: a.id.clone(),
            outlet: non_empty(a.source.as_deref()),
            date: a.date,
            url: non_empty(a.url.as_deref()),
            path: non_empty(a.origin.as_deref()),
            reprint_of,
        }
    }
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// A reprint listed under its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reprint {
    /// The reprint's article id.
    pub article_id: ArticleId,
    /// Its outlet, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub outlet: Option<String>,
    /// Its publication date, if known.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, required = true))]
    pub date: Option<Date>,
    /// Its address, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub url: Option<String>,
    /// Where it was read from, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub path: Option<String>,
}

/// One numbered source of a story: an independent report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Source {
    /// Its number: citations write `[n]`.
    pub n: usize,
    /// Its outlet; where none is known, the file it was read from stands
    /// in (`outlet_known` says which), and failing that "unknown outlet".
    pub outlet: String,
    /// Whether `outlet` is the outlet's name (not a stand-in).
    pub outlet_known: bool,
    /// Its publication date, if known.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, required = true))]
    pub date: Option<Date>,
    /// Its address, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub url: Option<String>,
    /// Where it was read from, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub path: Option<String>,
    /// The article's id.
    pub article_id: ArticleId,
    /// The ids of the articles that reprint it.
    pub reprints: Vec<ArticleId>,
    /// Those reprints with their outlets, dates and addresses, in the same
    /// order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reprinted_by: Vec<Reprint>,
}

impl Source {
    /// Where a link to it goes: its address, else the file it was read
    /// from.
    pub fn target(&self) -> Option<&str> {
        self.url.as_deref().or(self.path.as_deref())
    }

    /// One line of the text legend: `[n] outlet, date, address or file
    /// (article id)`, then its reprints.
    pub fn legend_line(&self) -> String {
        let mut line = format!("[{}] {}", self.n, self.outlet);
        if !self.outlet_known {
            line.push_str(" (outlet not given)");
        }
        line.push_str(&match self.date {
            Some(date) => format!(", {date}"),
            None => ", date not given".to_owned(),
        });
        match (&self.url, &self.path) {
            (Some(url), _) => line.push_str(&format!(", {url}")),
            // Unknown, the outlet is the file already.
            (None, Some(path)) if self.outlet_known => line.push_str(&format!(", {path}")),
            _ => {}
        }
        line.push_str(&format!(" (article {})", self.article_id));
        if !self.reprinted_by.is_empty() {
            let reprints: Vec<String> = self
                .reprinted_by
                .iter()
                .map(|r| {
                    let by = r
                        .outlet
                        .as_deref()
                        .or(r.url.as_deref())
                        .or(r.path.as_deref())
                        .unwrap_or("unknown outlet");
                    format!("{by} (article {})", r.article_id)
                })
                .collect();
            line.push_str(&format!("; reprinted by {}", reprints.join(", ")));
        }
        line
    }

    /// One item of the Markdown legend (without the list marker): as
    /// [`Source::legend_line`], every text escaped, the address as an
    /// autolink and the file as code.
    fn markdown_item(&self) -> String {
        let mut line = format!("[{}] {}", self.n, escape(&self.outlet));
        if !self.outlet_known {
            line.push_str(" (outlet not given)");
        }
        line.push_str(&match self.date {
            Some(date) => format!(", {date}"),
            None => ", date not given".to_owned(),
        });
        match (&self.url, &self.path) {
            (Some(url), _) => line.push_str(&format!(", <{}>", link_destination(url))),
            (None, Some(path)) if self.outlet_known => line.push_str(&format!(", {}", code(path))),
            _ => {}
        }
        line.push_str(&format!(" (article {})", code(self.article_id.as_str())));
        if !self.reprinted_by.is_empty() {
            let reprints: Vec<String> = self
                .reprinted_by
                .iter()
                .map(|r| {
                    let by = r
                        .outlet
                        .as_deref()
                        .or(r.url.as_deref())
                        .or(r.path.as_deref())
                        .unwrap_or("unknown outlet");
                    format!("{} (article {})", escape(by), code(r.article_id.as_str()))
                })
                .collect();
            line.push_str(&format!("; reprinted by {}", reprints.join(", ")));
        }
        line
    }
}

/// Inline code of any text: a backtick in it is replaced, so that it
/// cannot close the span.
fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'").replace(['\n', '\r'], " "))
}

/// A story's numbered sources.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Sources {
    list: Vec<Source>,
    /// Every article of the story (reprints too) by id: its source's
    /// number.
    #[serde(skip)]
    numbers: HashMap<String, usize>,
}

// `Sources` is written as the list of its sources (`#[serde(transparent)]`,
// its lookup table skipped), which utoipa's derive does not read: the
// schema says so by hand.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Sources {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ArrayBuilder::new()
            .items(utoipa::openapi::Ref::from_schema_name(
                <Source as utoipa::ToSchema>::name(),
            ))
            .description(Some(
                "A story's numbered sources, in number order: the independent \
                 reports, each with the reprints of it.",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Sources {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::{PartialSchema, ToSchema};
        schemas.push((Source::name().into_owned(), Source::schema()));
        <Source as ToSchema>::schemas(schemas);
    }
}

impl Sources {
    /// The sources of a story's articles, given in the story's clustering
    /// order: each article that is not a reprint of another of them is a
    /// source, numbered in that order from 1; a reprint is listed under
    /// the article it reprints (a reprint of an article outside the list
    /// is a source of its own).
    pub fn new(articles: Vec<SourceArticle>) -> Sources {
        let ids: std::collections::HashSet<&ArticleId> = articles.iter().map(|a| &a.id).collect();
        let is_reprint = |a: &SourceArticle| a.reprint_of.as_ref().is_some_and(|o| ids.contains(o));
        let mut list: Vec<Source> = Vec::new();
        let mut numbers: HashMap<String, usize> = HashMap::new();
        for a in articles.iter().filter(|a| !is_reprint(a)) {
            if numbers.contains_key(a.id.as_str()) {
                continue;
            }
            let n = list.len() + 1;
            numbers.insert(a.id.0.clone(), n);
            let (outlet, outlet_known) = match (&a.outlet, &a.path) {
                (Some(outlet), _) => (outlet.clone(), true),
                (None, Some(path)) => (path.clone(), false),
                (None, None) => ("unknown outlet".to_owned(), false),
            };
            list.push(Source {
                n,
                outlet,
                outlet_known,
                date: a.date,
                url: a.url.clone(),
                path: a.path.clone(),
                article_id: a.id.clone(),
                reprints: Vec::new(),
                reprinted_by: Vec::new(),
            });
        }
        for a in articles.iter().filter(|a| is_reprint(a)) {
            let Some(&n) = a.reprint_of.as_ref().and_then(|o| numbers.get(o.as_str())) else {
                continue;
            };
            numbers.insert(a.id.0.clone(), n);
            let reprint = Reprint {
                article_id: a.id.clone(),
                outlet: a.outlet.clone(),
                date: a.date,
                url: a.url.clone(),
                path: a.path.clone(),
            };
            if let Some(source) = list.get_mut(n - 1) {
                source.reprints.push(reprint.article_id.clone());
                source.reprinted_by.push(reprint);
            }
        }
        Sources { list, numbers }
    }

    /// The sources of documents that are all independent reports of one
    /// story (a brief of a file: reprints already folded), in the order
    /// given.
    pub fn from_documents(docs: &[&Document]) -> Sources {
        Sources::new(docs.iter().map(|d| SourceArticle::of(d, None)).collect())
    }

    /// How many sources.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The sources, by number.
    pub fn iter(&self) -> impl Iterator<Item = &Source> {
        self.list.iter()
    }

    /// Source `[n]`.
    pub fn get(&self, n: usize) -> Option<&Source> {
        n.checked_sub(1).and_then(|i| self.list.get(i))
    }

    /// The number of the source that article `id` is, or reprints.
    pub fn number_of(&self, id: &str) -> Option<usize> {
        self.numbers.get(id).copied()
    }

    /// Numbers the brief's citations by this legend.
    pub fn cite_brief(&self, brief: &mut Brief) {
        brief.renumber(|id| self.number_of(id));
    }

    /// Numbers every citation of the facts (figures, quotes and
    /// contradictions) by this legend.
    pub fn cite_facts(&self, facts: &mut Facts) {
        let figures = facts
            .figures
            .iter_mut()
            .flat_map(|g| &mut g.values)
            .flat_map(|v| &mut v.citations);
        let quotes = facts.quotes.iter_mut().flat_map(|q| &mut q.citations);
        let contradictions = facts
            .contradictions
            .iter_mut()
            .flat_map(|c| &mut c.positions)
            .flat_map(|p| &mut p.statements)
            .map(|s| &mut s.citation);
        for c in figures.chain(quotes).chain(contradictions) {
            c.n = self.number_of(&c.article);
        }
    }

    /// Numbers every citation of a timeline by this legend.
    pub fn cite_timeline(&self, entries: &mut [Entry]) {
        for c in entries.iter_mut().flat_map(|e| &mut e.citations) {
            c.n = self.number_of(c.article.as_str());
        }
    }

    /// The text legend, one line per source ([`Source::legend_line`]).
    pub fn text_lines(&self) -> Vec<String> {
        self.list.iter().map(Source::legend_line).collect()
    }

    /// The Markdown legend (CommonMark): a "Sources" list, one item per
    /// source, then the link reference definitions that make every `[n]`
    /// of the document (and of the list) a link to its source's address,
    /// else its file. Every text is escaped, so an outlet's name is never
    /// read as markup.
    pub fn markdown(&self) -> String {
        let mut out = String::from("Sources:\n\n");
        for s in &self.list {
            out.push_str(&format!("- {}\n", s.markdown_item()));
        }
        out.push('\n');
        for s in &self.list {
            if let Some(target) = s.target() {
                out.push_str(&format!("[{}]: <{}>\n", s.n, link_destination(target)));
            }
        }
        out
    }
}

/// Citation marks for some source numbers, each once, in order:
/// `[1][3]` (text) or `[1] [3]` (Markdown, where `[1][3]` reads as one
/// link).
pub fn marks(numbers: impl IntoIterator<Item = Option<usize>>, markdown: bool) -> String {
    let mut numbers: Vec<usize> = numbers.into_iter().flatten().collect();
    numbers.sort_unstable();
    numbers.dedup();
    let marks: Vec<String> = numbers.iter().map(|n| format!("[{n}]")).collect();
    marks.join(if markdown { " " } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(
        id: &str,
        outlet: Option<&str>,
        url: Option<&str>,
        reprint_of: Option<&str>,
    ) -> SourceArticle {
        SourceArticle {
            id: ArticleId(id.into()),
            outlet: outlet.map(str::to_owned),
            date: "2025-03-14".parse().ok(),
            url: url.map(str::to_owned),
            path: Some(format!("saved pages/{id}.txt")),
            reprint_of: reprint_of.map(|r| ArticleId(r.into())),
        }
    }

    #[test]
    fn reprints_are_listed_under_their_source_and_unknown_outlets_show_the_file() {
        let sources = Sources::new(vec![
            article("r", Some("Ledger"), None, Some("w")),
            article(
                "w",
                Some("*Wire*"),
                Some("https://wire.example/a?b=1&c=<2>"),
                None,
            ),
            article("p", None, None, None),
        ]);
        let lines = sources.text_lines();
        assert_eq!(
            lines,
            [
                "[1] *Wire*, 2025-03-14, https://wire.example/a?b=1&c=<2> (article w); reprinted by Ledger (article r)",
                "[2] saved pages/p.txt (outlet not given), 2025-03-14 (article p)",
            ]
        );
        assert_eq!(sources.number_of("r"), Some(1));
        let json = serde_json::to_value(&sources).expect("json");
        assert_eq!(json[0]["n"], 1);
        assert_eq!(json[0]["reprints"], serde_json::json!(["r"]));
        assert_eq!(json[1]["outlet"], "saved pages/p.txt");
        assert_eq!(json[1]["path"], "saved pages/p.txt");
        let md = sources.markdown();
        assert!(
            md.contains("- [1] \\*Wire\\*, 2025-03-14, <https://wire.example/a?b=1&c=%3C2%3E>"),
            "{md}"
        );
        assert!(md.contains("[2]: <saved%20pages/p.txt>"), "{md}");
    }

    #[test]
    fn marks_are_each_once_in_order() {
        assert_eq!(marks([Some(3), None, Some(1), Some(3)], false), "[1][3]");
        assert_eq!(marks([Some(3), Some(1)], true), "[1] [3]");
    }
}
