//! A page's title, byline, publication date and language, from what the
//! page says about itself: JSON-LD (schema.org `NewsArticle` and kin),
//! Open Graph and other `<meta>` tags, `<time datetime>`, `<html lang>`,
//! falling back to `<title>` and the first `<h1>`.

pub(crate) mod dates;

use dom_query::Document;
use serde_json::Value;

/// What the page says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Metadata {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub date: Option<String>,
    pub lang: Option<String>,
    pub url: Option<String>,
    /// Its summary: `og:description` or the `description` meta tag.
    pub description: Option<String>,
    /// What kind of page it says it is.
    pub kind: PageKind,
}

/// The kind of page, as its JSON-LD `@type` or `og:type` declares it.
/// Extraction differs by kind, as in the page-type-aware extractors
/// (rs-trafilatura's per-type profiles): a product page's item grids are
/// recommendations, not its content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum PageKind {
    /// A news or blog article (`NewsArticle`, `BlogPosting`, `og:type`
    /// `article`).
    Article,
    /// One product for sale (`Product`, `og:type` `product`).
    Product,
    /// A discussion thread (`DiscussionForumPosting`): its comments are
    /// its posts.
    Forum,
    /// A question and its answers (`QAPage`): the comments under them
    /// are side remarks, as under an article.
    Answers,
    /// Nothing declared, or something else.
    #[default]
    Other,
}

/// The JSON-LD `@type` values of one object.
fn ld_types(v: &Value) -> Vec<&str> {
    match v.get("@type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The page's kind from its top-level JSON-LD objects and `og:type`. A
/// forum thread or article declaration wins over a product (an article
/// may describe products); a product wins over nothing.
fn page_kind(objects: &[Value], og_type: Option<&str>) -> PageKind {
    let mut product = og_type.is_some_and(|t| t.to_ascii_lowercase().starts_with("product"));
    let mut article = og_type.is_some_and(|t| t.eq_ignore_ascii_case("article"));
    if og_type.is_some_and(|t| t.eq_ignore_ascii_case("forum")) {
        return PageKind::Forum;
    }
    for v in objects {
        for t in ld_types(v) {
            match t {
                "DiscussionForumPosting" => return PageKind::Forum,
                "QAPage" => return PageKind::Answers,
                "Product" | "ProductGroup" => product = true,
                _ if t.contains("Article") || t == "BlogPosting" => article = true,
                _ => {}
            }
        }
    }
    if article {
        PageKind::Article
    } else if product {
        PageKind::Product
    } else {
        PageKind::Other
    }
}

/// Collapses white space and trims; `None` when nothing is left.
fn clean(text: &str) -> Option<String> {
    let s = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// The page's `<meta>` tags that have content, read in one pass over the
/// document (a selector per looked-up name would walk the whole page
/// each time).
struct Metas {
    /// (attribute, its value, content) in page order, one entry per
    /// naming attribute (`name`, `property`, `itemprop`, `http-equiv`).
    entries: Vec<(&'static str, String, String)>,
}

impl Metas {
    fn read(document: &Document) -> Metas {
        let mut entries = Vec::new();
        for node in document.select("meta").nodes() {
            let Some(content) = node.attr("content").and_then(|c| clean(&c)) else {
                continue;
            };
            for attr in ["name", "property", "itemprop", "http-equiv"] {
                if let Some(value) = node.attr(attr) {
                    entries.push((attr, value.to_string(), content.clone()));
                }
            }
        }
        Metas { entries }
    }

    /// The content of the first tag named by the first `(attribute,
    /// value)` pair that has one. `http-equiv` values are compared without
    /// case, as HTML does; the others exactly, as the CSS selectors did.
    fn find(&self, keys: &[(&str, &str)]) -> Option<String> {
        keys.iter().find_map(|&(attr, value)| {
            self.entries
                .iter()
                .find(|(a, v, _)| {
                    *a == attr
                        && if attr == "http-equiv" {
                            v.eq_ignore_ascii_case(value)
                        } else {
                            v == value
                        }
                })
                .map(|(_, _, content)| content.clone())
        })
    }
}

/// The JSON-LD objects of the page, flattened (`@graph` and arrays
/// opened), in page order.
fn json_ld(document: &Document) -> Vec<Value> {
    let mut out = Vec::new();
    for node in document
        .select(r#"script[type="application/ld+json"]"#)
        .nodes()
    {
        let text = node.text();
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.into_iter().rev()),
                Value::Object(mut map) => {
                    if let Some(graph) = map.remove("@graph") {
                        stack.push(graph);
                    }
                    out.push(Value::Object(map));
                }
                _ => {}
            }
        }
    }
    out
}

/// Whether a JSON-LD object is an article of some kind.
fn is_article(v: &Value) -> bool {
    let is = |t: &str| t.contains("Article") || t == "BlogPosting" || t == "Report";
    match v.get("@type") {
        Some(Value::String(t)) => is(t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(is),
        _ => false,
    }
}

fn ld_string(objects: &[Value], key: &str) -> Option<String> {
    let articles = objects.iter().filter(|v| is_article(v));
    let others = objects.iter().filter(|v| !is_article(v));
    articles
        .chain(others)
        .find_map(|v| v.get(key).and_then(Value::as_str).and_then(clean))
}

fn ld_author(objects: &[Value]) -> Option<String> {
    let name = |a: &Value| -> Option<String> {
        match a {
            Value::String(s) => clean(s),
            Value::Object(o) => o.get("name").and_then(Value::as_str).and_then(clean),
            _ => None,
        }
    };
    objects
        .iter()
        .filter(|v| is_article(v))
        .find_map(|v| match v.get("author")? {
            Value::Array(items) => {
                let names: Vec<String> = items.iter().filter_map(name).collect();
                (!names.is_empty()).then(|| names.join(", "))
            }
            other => name(other),
        })
}

/// The primary language subtag, lowercased (`en` for `en-GB`, `en_US`).
fn lang_code(text: &str) -> Option<String> {
    let primary = text.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() >= 2 && primary.len() <= 3 && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

/// Reads the page's metadata.
pub(crate) fn read(document: &Document) -> Metadata {
    let ld = json_ld(document);
    let metas = Metas::read(document);
    let title = ld_string(&ld, "headline")
        .or_else(|| metas.find(&[("property", "og:title"), ("name", "twitter:title")]))
        .or_else(|| {
            document
                .select_single("title")
                .nodes()
                .first()
                .and_then(|n| clean(&n.text()))
        })
        .or_else(|| {
            document
                .select_single("h1")
                .nodes()
                .first()
                .and_then(|n| clean(&n.text()))
        });
    let byline = ld_author(&ld)
        .or_else(|| {
            metas.find(&[
                ("name", "author"),
                ("property", "article:author"),
                ("name", "byl"),
                ("name", "dc.creator"),
            ])
        })
        .filter(|b| !b.starts_with("http"))
        .or_else(|| {
            [
                "[rel=\"author\"]",
                "[itemprop=\"author\"]",
                ".byline",
                ".author",
            ]
            .iter()
            .find_map(|sel| {
                document
                    .select_single(sel)
                    .nodes()
                    .first()
                    .and_then(|n| clean(&n.text()))
                    .filter(|t| t.chars().count() <= 100)
            })
        });
    let lang = document
        .select_single("html[lang]")
        .nodes()
        .first()
        .and_then(|n| n.attr("lang"))
        .and_then(|l| lang_code(&l))
        .or_else(|| {
            metas
                .find(&[
                    ("http-equiv", "content-language"),
                    ("property", "og:locale"),
                ])
                .and_then(|l| lang_code(&l))
        })
        .or_else(|| ld_string(&ld, "inLanguage").and_then(|l| lang_code(&l)));
    let url = page_url(document, &metas);
    let date = dates::DateEvidence::read(document, &ld, |keys| metas.find(keys), url.as_deref())
        .decide(dates::BEFORE_HEADLINE, dates::AFTER_HEADLINE);
    let og_type = metas.find(&[("property", "og:type")]);
    let kind = page_kind(&ld, og_type.as_deref());
    let description = metas.find(&[
        ("property", "og:description"),
        ("name", "description"),
        ("name", "twitter:description"),
    ]);
    Metadata {
        title,
        byline,
        date,
        lang,
        url,
        description,
        kind,
    }
}

/// The date evidence alone (see [`dates::DateEvidence`]).
pub(crate) fn date_evidence(document: &Document) -> dates::DateEvidence {
    let ld = json_ld(document);
    let metas = Metas::read(document);
    let url = page_url(document, &metas);
    dates::DateEvidence::read(document, &ld, |keys| metas.find(keys), url.as_deref())
}

/// The canonical link names the article itself; `og:url` usually does
/// too. Only absolute http(s) addresses are kept: a relative one would
/// need the page's own address, which a file on disk does not have.
fn page_url(document: &Document, metas: &Metas) -> Option<String> {
    document
        .select(r#"link[rel="canonical"][href]"#)
        .nodes()
        .iter()
        .find_map(|n| n.attr("href").and_then(|h| absolute_url(&h)))
        .or_else(|| {
            metas
                .find(&[("property", "og:url")])
                .and_then(|u| absolute_url(&u))
        })
}

/// An absolute `http(s)` address, trimmed; `None` for anything else.
fn absolute_url(text: &str) -> Option<String> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let ok = (lower.starts_with("http://") || lower.starts_with("https://"))
        && text.len() > "https://".len()
        && !text.contains(char::is_whitespace);
    ok.then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_kinds() {
        let kind =
            |head: &str| read(&Document::from(format!("<html><head>{head}</head></html>"))).kind;
        assert_eq!(
            kind(
                r#"<script type="application/ld+json">{"@type": "Product", "name": "Kettle"}</script>"#
            ),
            PageKind::Product
        );
        assert_eq!(
            kind(r#"<meta property="og:type" content="product.item">"#),
            PageKind::Product
        );
        // An article about a product is an article.
        assert_eq!(
            kind(
                r#"<meta property="og:type" content="product"><script type="application/ld+json">[{"@type": "Product"}, {"@type": "NewsArticle"}]</script>"#
            ),
            PageKind::Article
        );
        assert_eq!(
            kind(
                r#"<script type="application/ld+json">{"@graph": [{"@type": "DiscussionForumPosting"}]}</script>"#
            ),
            PageKind::Forum
        );
        assert_eq!(
            kind(r#"<script type="application/ld+json">{"@type": "QAPage"}</script>"#),
            PageKind::Answers
        );
        assert_eq!(
            kind(r#"<meta property="og:type" content="Forum">"#),
            PageKind::Forum
        );
        assert_eq!(kind("<title>x</title>"), PageKind::Other);
    }

    #[test]
    fn reads_json_ld_meta_and_time() {
        let html = r#"<html lang="en-GB"><head><title>Dam fails | River Post</title>
            <script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "x"},
              {"@type": "NewsArticle", "headline": "Dam fails at Orlen", "author": [{"name": "A. Novak"}, {"name": "B. Vale"}]}]}</script>
            </head><body><time datetime="2025-03-13T08:00:00Z">13 March</time></body></html>"#;
        let m = read(&Document::from(html));
        assert_eq!(m.title.as_deref(), Some("Dam fails at Orlen"));
        assert_eq!(m.byline.as_deref(), Some("A. Novak, B. Vale"));
        assert_eq!(m.date.as_deref(), Some("2025-03-13"));
        assert_eq!(m.lang.as_deref(), Some("en"));
    }

    #[test]
    fn falls_back_to_title_and_meta() {
        let html = r#"<html><head><title> Tram vote </title><meta name="author" content="C. Roe">
            <meta property="article:published_time" content="2024-11-02T10:00"></head><body></body></html>"#;
        let m = read(&Document::from(html));
        assert_eq!(m.title.as_deref(), Some("Tram vote"));
        assert_eq!(m.byline.as_deref(), Some("C. Roe"));
        assert_eq!(m.date.as_deref(), Some("2024-11-02"));
        assert_eq!(m.lang, None);
        assert_eq!(m.url, None);
    }

    #[test]
    fn reads_the_canonical_link_but_not_a_relative_one() {
        let html = r#"<html><head><link rel="canonical" href=" https://post.example/2024/tram ">
            <meta property="og:url" content="https://post.example/other"></head></html>"#;
        let m = read(&Document::from(html));
        assert_eq!(m.url.as_deref(), Some("https://post.example/2024/tram"));
        let html = r#"<html><head><link rel="canonical" href="/2024/tram">
            <meta property="og:url" content="https://post.example/2024/tram"></head></html>"#;
        let m = read(&Document::from(html));
        assert_eq!(m.url.as_deref(), Some("https://post.example/2024/tram"));
        let html = r#"<html><head><link rel="canonical" href="/2024/tram"></head></html>"#;
        assert_eq!(read(&Document::from(html)).url, None);
    }
}
