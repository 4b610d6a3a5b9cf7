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
    articles.chain(others).find_map(|v| {
        v.get(key)
            .and_then(Value::as_str)
            .and_then(|t| clean(&decode_entities(t)))
    })
}

fn ld_author(objects: &[Value]) -> Option<String> {
    let name = |a: &Value| -> Option<String> {
        match a {
            Value::String(s) => clean(&decode_entities(s)),
            Value::Object(o) => o
                .get("name")
                .and_then(Value::as_str)
                .and_then(|t| clean(&decode_entities(t))),
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

/// The site's name from JSON-LD: the `WebSite` object's `name`.
fn ld_site_name(objects: &[Value]) -> Option<String> {
    objects
        .iter()
        .filter(|v| ld_types(v).contains(&"WebSite"))
        .find_map(|v| v.get("name").and_then(Value::as_str))
        .and_then(|t| clean(&decode_entities(t)))
}

/// HTML character references left in a string that did not go through the
/// HTML parser (JSON-LD text, which some sites escape as if it were HTML:
/// `Tools &#8211; Guide`, `M&amp;A`). Unknown names stay as they are.
fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest
            .get(1..rest.find(';').filter(|&end| end <= 10).unwrap_or(0))
            .and_then(|name| {
                let c = if let Some(hex) =
                    name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse().ok().and_then(char::from_u32)
                } else {
                    named_entity(name)
                }?;
                Some((c, name.len() + 2))
            });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// The character of a named reference common in titles and names.
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201c}',
        "rdquo" => '\u{201d}',
        "hellip" => '\u{2026}',
        "bull" => '\u{2022}',
        "middot" => '\u{b7}',
        "laquo" => '\u{ab}',
        "raquo" => '\u{bb}',
        _ => return None,
    })
}

/// Lowercased runs of letters and digits: what two titles are compared by.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The parts of a title between separators (` | `, ` - `, ` – `, ` — `,
/// ` • `, ` · `, ` » `, ` / ` with white space on both sides, `: ` with
/// white space after).
fn title_parts(title: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    for w in chars.windows(3) {
        let [(_, a), (i, sep), (j, b)] = [w[0], w[1], w[2]];
        if (a.is_whitespace() || sep == ':')
            && b.is_whitespace()
            && matches!(
                sep,
                '|' | '-' | '\u{2013}' | '\u{2014}' | '\u{2022}' | '\u{b7}' | ':' | '\u{bb}' | '/'
            )
            && i > start
        {
            parts.push(title[start..i].trim());
            start = j;
        }
    }
    parts.push(title[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

/// The page's headline. The declared title (JSON-LD `headline`,
/// `og:title`, `<title>`) often carries the site's name ("Dam fails |
/// River Post"), which is dropped when the page names its site. The first
/// `<h1>` is the headline a reader sees, and is preferred when at least
/// half of its words are in the declared title: a logo or a section name
/// in an `<h1>` shares few words with the title. On WCXB's development
/// pages titles the same as the gold went from 0.49 to 0.76 of pages
/// (`newsdesk eval extract`).
fn headline(declared: Option<String>, h1: Option<String>, site: Option<&str>) -> Option<String> {
    let declared = declared.map(|title| {
        let site = site.map(words).filter(|w| !w.is_empty());
        let parts = title_parts(&title);
        let kept: Vec<&str> = parts
            .iter()
            .copied()
            .filter(|p| site.as_ref() != Some(&words(p)))
            .collect();
        if kept.is_empty() || kept.len() == parts.len() {
            title
        } else {
            kept.join(" - ")
        }
    });
    let Some(h1) = h1 else {
        return declared;
    };
    let Some(title) = declared else {
        return Some(h1);
    };
    let in_title = words(&title);
    let heading = words(&h1);
    let shared = heading.iter().filter(|w| in_title.contains(w)).count();
    if !heading.is_empty()
        && 2 * shared >= heading.len()
        && site.is_none_or(|s| words(s) != heading)
    {
        Some(h1)
    } else {
        Some(title)
    }
}

/// The name at the start of an author block read from the page, without
/// what templates put after it: a date ("Ana Novak 4 August 2010"),
/// forum standing ("Member", "Joined …", "Messages 2,093", badge counts),
/// a handle in brackets, an avatar's initial ("JosephF J", "P Packard").
/// `None` when the block starts with something else (a date).
fn name_of_block(block: &str) -> Option<String> {
    const STANDING: [&str; 11] = [
        "joined",
        "member",
        "messages",
        "posts",
        "location",
        "moderator",
        "updated",
        "reputation",
        "reaction",
        "well-known",
        "»",
    ];
    let words: Vec<&str> = block.split_whitespace().collect();
    let mut end = words.len();
    for (i, w) in words.iter().enumerate() {
        let lower = w.trim_end_matches([',', ':']).to_lowercase();
        let numeric = w.chars().filter(char::is_ascii_digit).count() >= 2
            && (i > 0 || w.chars().next().is_some_and(|c| c.is_ascii_digit()));
        let weekday = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .any(|d| lower.trim_end_matches('.') == *d);
        if STANDING.contains(&lower.as_str())
            || numeric
            || weekday
            || w.starts_with('(')
            || dates::starts_date(&words[i..].join(" "))
        {
            end = i;
            break;
        }
    }
    let mut name = &words[..end];
    let initial = |w: &str, of: &str| {
        w.chars().count() == 1
            && w.chars()
                .next()
                .map(|c| c.to_lowercase().collect::<String>())
                == of
                    .chars()
                    .next()
                    .map(|c| c.to_lowercase().collect::<String>())
    };
    if name.len() >= 2 && initial(name[0], name[1]) {
        name = &name[1..];
    }
    if name.len() >= 2 && initial(name[name.len() - 1], name[0]) {
        name = &name[..name.len() - 1];
    }
    clean(&name.join(" "))
}

/// A byline without its lead-in ("By", "Written by:", "Posted by",
/// "Author:") and with character references decoded; `None` when nothing
/// is left.
fn author_name(byline: &str) -> Option<String> {
    let byline = decode_entities(byline);
    let mut rest: &str = byline.trim();
    loop {
        let lead = ["written by", "posted by", "post by", "author", "by"]
            .iter()
            .find(|l| {
                rest.get(..l.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(l))
                    && rest[l.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| c.is_whitespace() || c == ':')
            });
        match lead {
            Some(l) => rest = rest[l.len()..].trim_start_matches([':', ' ']).trim_start(),
            None => break,
        }
    }
    clean(rest)
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
    let h1 = document
        .select_single("h1")
        .nodes()
        .first()
        .and_then(|n| clean(&n.text()));
    let declared = ld_string(&ld, "headline")
        .or_else(|| metas.find(&[("property", "og:title"), ("name", "twitter:title")]))
        .or_else(|| {
            document
                .select_single("title")
                .nodes()
                .first()
                .and_then(|n| clean(&n.text()))
        });
    let site = metas
        .find(&[("property", "og:site_name"), ("name", "application-name")])
        .or_else(|| ld_site_name(&ld));
    let title = headline(declared, h1, site.as_deref());
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
        .and_then(|b| author_name(&b))
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
                    .and_then(|t| author_name(&t))
                    .and_then(|t| name_of_block(&t))
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

    /// The title `read` gives a page with `head` and `body`.
    fn title(head: &str, body: &str) -> Option<String> {
        read(&Document::from(format!(
            "<html><head>{head}</head><body>{body}</body></html>"
        )))
        .title
    }

    #[test]
    fn the_headline_shown_wins_when_the_title_shares_its_words() {
        assert_eq!(
            title(
                "<title>Tram vote delayed | Vessary Courier</title>",
                "<h1>Tram vote delayed to April</h1>"
            )
            .as_deref(),
            Some("Tram vote delayed to April")
        );
        // A logo or section name in the `<h1>` shares few words with it.
        assert_eq!(
            title(
                "<title>Tram vote delayed to April</title>",
                "<h1>Vessary Courier news</h1>"
            )
            .as_deref(),
            Some("Tram vote delayed to April")
        );
        // Nor is the site's own name the headline.
        assert_eq!(
            title(
                r#"<title>Vessary Courier | Tram vote</title><meta property="og:site_name" content="Vessary Courier">"#,
                "<h1>Vessary Courier</h1>"
            )
            .as_deref(),
            Some("Tram vote")
        );
        assert_eq!(
            title("", "<h1> Tram vote </h1>").as_deref(),
            Some("Tram vote")
        );
    }

    #[test]
    fn the_site_name_is_cut_from_the_title() {
        let site = r#"<meta property="og:site_name" content="Vessary Courier">"#;
        assert_eq!(
            title(
                &format!("<title>Tram vote delayed – Vessary Courier</title>{site}"),
                ""
            )
            .as_deref(),
            Some("Tram vote delayed")
        );
        // Named by JSON-LD's `WebSite`, and as a prefix.
        let ld = r#"<script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "Vessary Courier"}]}</script>"#;
        assert_eq!(
            title(
                &format!("<title>Vessary Courier: Tram vote delayed</title>{ld}"),
                ""
            )
            .as_deref(),
            Some("Tram vote delayed")
        );
        // A dash inside a word is not a separator, and without a site
        // name nothing is cut.
        assert_eq!(
            title("<title>Long-distance movers - a guide</title>", "").as_deref(),
            Some("Long-distance movers - a guide")
        );
    }

    #[test]
    fn json_ld_text_has_its_character_references_decoded() {
        let ld = r#"<script type="application/ld+json">{"@type": "Article", "headline": "Tools &#8211; M&amp;A &#x2014; Q&amp;A &unknown; & more", "author": {"name": "Ana &amp; Bo"}}</script>"#;
        let m = read(&Document::from(format!("<html><head>{ld}</head></html>")));
        assert_eq!(
            m.title.as_deref(),
            Some("Tools \u{2013} M&A \u{2014} Q&A &unknown; & more")
        );
        assert_eq!(m.byline.as_deref(), Some("Ana & Bo"));
        assert_eq!(decode_entities("&#99999999; &#;"), "&#99999999; &#;");
    }

    #[test]
    fn bylines_lose_their_lead_in() {
        assert_eq!(author_name("By Ana Novak").as_deref(), Some("Ana Novak"));
        assert_eq!(
            author_name("Written By: Ana Novak").as_deref(),
            Some("Ana Novak")
        );
        assert_eq!(
            author_name("Author: by Ana Novak").as_deref(),
            Some("Ana Novak")
        );
        assert_eq!(author_name("Byron Hale").as_deref(), Some("Byron Hale"));
        assert_eq!(author_name("Author"), None);
        assert_eq!(author_name("By  "), None);
        let byline =
            |body: &str| read(&Document::from(format!("<html><body>{body}</body></html>"))).byline;
        assert_eq!(
            byline(r#"<span class="byline">by C. Roe</span>"#).as_deref(),
            Some("C. Roe")
        );
    }

    #[test]
    fn an_author_block_gives_the_name_at_its_start() {
        let name = |block: &str| name_of_block(block);
        assert_eq!(
            name("Ana Novak 4 August 2010").as_deref(),
            Some("Ana Novak")
        );
        assert_eq!(
            name("rivermod Member Joined Oct 2, 2023 Posts 267").as_deref(),
            Some("rivermod")
        );
        assert_eq!(
            name("rivermod 1,234 5 gold badges 12 silver badges").as_deref(),
            Some("rivermod")
        );
        assert_eq!(
            name("rivermod » Sat Feb 3, 2024 1:00 pm").as_deref(),
            Some("rivermod")
        );
        assert_eq!(name("rivermod (River Mod)").as_deref(), Some("rivermod"));
        // An avatar's initial before or after the name.
        assert_eq!(name("R rivermod").as_deref(), Some("rivermod"));
        assert_eq!(name("Rivermod42 R").as_deref(), Some("Rivermod42"));
        // A handle with digits is a name; a block that starts with a date
        // or a weekday names nobody.
        assert_eq!(name("user3080").as_deref(), Some("user3080"));
        assert_eq!(name("Sat, 3 Feb 2024 - 06:36"), None);
        assert_eq!(name("4 August 2010"), None);
        assert_eq!(
            name("C. Roe | The Courier").as_deref(),
            Some("C. Roe | The Courier")
        );
    }
}
