//! HTML main-text extraction for newsdesk: from a web page to the text of
//! its article (headings on their own lines, paragraphs kept) without
//! navigation, ads, cookie banners, related-article lists, comment forms,
//! captions or share buttons; plus the title, byline, publication date and
//! language the page gives in its JSON-LD, `<meta>` tags and `<time>`.
//!
//! [`extract`] does it all for one page; [`decode`] turns a page's bytes
//! into text first (UTF-8, or Windows-1252 when the bytes are not UTF-8). The page is parsed by html5ever (through `dom_query`), so any
//! input, however broken, yields a result: possibly empty, never a panic.
//!
//! How the main text is chosen is explained in the `main_text` module:
//! block classes by length and link density, a container search over the
//! DOM, class/id and phrase evidence for boilerplate.
//!
//! This is a crate of its own, not a module of `newsdesk-text`, so that the
//! HTML parser stays out of the builds of the crates that need only the
//! plain-text stage (the clusterer, the store).
//!
//! ```
//! let page = r#"<html lang="en"><head><title>Dam fails | River Post</title></head><body>
//!   <nav><a href="/">Home</a> <a href="/world">World</a></nav>
//!   <article><h1>Dam fails at Orlen</h1>
//!     <p>The old dam above Orlen gave way on Monday night, flooding the lower town and cutting the road to the valley.</p>
//!     <p>Rescue teams reached the last stranded families by boat on Tuesday morning, the mayor said.</p>
//!     <div class="share">Share on Facebook</div>
//!   </article></body></html>"#;
//! let page = newsdesk_html::extract(page);
//! assert_eq!(page.title.as_deref(), Some("Dam fails at Orlen"));
//! assert_eq!(page.lang.as_deref(), Some("en"));
//! assert!(page.text.starts_with("Dam fails at Orlen\n\nThe old dam"));
//! assert!(!page.text.contains("Share"));
//! assert!(!page.text.contains("World"));
//! ```
#![deny(missing_docs)]

mod blocks;
mod encoding;
mod main_text;
mod metadata;
mod nesting;
mod patterns;
mod raw_text;
mod scan;
mod unread;

use serde::Serialize;

pub use encoding::decode;
#[doc(hidden)]
pub use metadata::dates::DateEvidence;

/// One paragraph or heading of the main text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// Its text, white space collapsed (line breaks of `<br>` kept).
    pub text: String,
    /// Whether the page marks it as a heading (`<h1>`–`<h6>`).
    pub heading: bool,
}

/// What [`extract`] found in a page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Extraction {
    /// The headline: JSON-LD `headline`, `og:title`, `<title>` or the
    /// first `<h1>`.
    pub title: Option<String>,
    /// The author(s) as the page names them.
    pub byline: Option<String>,
    /// The publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The language the page declares (primary subtag, lowercased).
    pub lang: Option<String>,
    /// The page's own address, from `<link rel="canonical">` or `og:url`
    /// (absolute `http(s)` addresses only).
    pub url: Option<String>,
    /// The main text: paragraphs separated by a blank line.
    pub text: String,
    /// The same text as paragraphs and headings.
    pub paragraphs: Vec<Paragraph>,
}

/// `html` without its NUL characters. The parser drops a NUL in text (or
/// reads it as U+FFFD elsewhere), but only after recording a parse error
/// and a text node for each one: a 5 MB page of NULs took 1.27 GB
/// (reliability review D17). Nothing a reader sees is lost by dropping them.
fn without_nul(html: &str) -> std::borrow::Cow<'_, str> {
    if html.contains('\0') {
        std::borrow::Cow::Owned(html.replace('\0', ""))
    } else {
        std::borrow::Cow::Borrowed(html)
    }
}

/// Extracts the main text and metadata of one HTML page.
pub fn extract(html: &str) -> Extraction {
    let html = without_nul(html);
    let html = raw_text::strip(&html);
    let full = nesting::cap(&html);
    // Our blocks and metadata read a few attributes and no runs of white
    // space: the page they parse goes without the rest (see `unread`).
    let lean = unread::drop_unread(&full);
    let html = lean.as_ref();
    let document = dom_query::Document::from(html);
    let meta = metadata::read(&document);
    let page = blocks::page(&document, meta.kind);
    let kind = page.kind;
    let too_deep = page
        .elements
        .iter()
        .any(|e| e.depth > READABILITY_MAX_DEPTH);
    let paragraphs: Vec<Paragraph> = main_text::select(&page, kind)
        .into_iter()
        .map(|b| Paragraph {
            text: b.text,
            heading: b.heading,
        })
        .collect();
    let fallback = if too_deep {
        None
    } else {
        // Readability reads attributes that our parse went without: it
        // gets the page with all of them, parsed again when any were
        // dropped.
        let parsed = matches!(lean, std::borrow::Cow::Borrowed(_)).then_some(document);
        readability_fallback(&full, parsed, &paragraphs, kind)
    };
    let mut paragraphs = fallback.unwrap_or(paragraphs);
    add_description(&mut paragraphs, meta.description.as_deref());
    let mut text = String::new();
    for p in &paragraphs {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&p.text);
    }
    Extraction {
        title: meta.title,
        byline: meta.byline,
        date: meta.date,
        lang: meta.lang,
        url: meta.url,
        text,
        paragraphs,
    }
}

/// What a page says about its publication date, before one is chosen:
/// for tuning the date rules' windows (the `dates_cv` example), not for
/// use. [`extract`] gives the chosen date.
#[doc(hidden)]
pub fn date_evidence(html: &str) -> metadata::dates::DateEvidence {
    let html = without_nul(html);
    let html = raw_text::strip(&html);
    let html = nesting::cap(&html);
    metadata::date_evidence(&dom_query::Document::from(html.as_ref()))
}

/// Below this many characters (other than white space) our main text may
/// have missed the page's content, and Readability is asked too.
const FALLBACK_BELOW_CHARS: usize = 1200;
/// Readability's text replaces ours only when it is this much longer.
const FALLBACK_MIN_GAIN: f64 = 1.2;
/// Pages with elements nested deeper than this are not handed to
/// Readability, whose candidate search takes time growing with the square
/// of the depth (100,000 nested `<div>`s held an ingest for an hour;
/// real pages nest a few dozen levels).
const READABILITY_MAX_DEPTH: u32 = 256;

/// Characters other than white space in the paragraphs.
fn visible_chars(paragraphs: &[Paragraph]) -> usize {
    paragraphs.iter().map(|p| visible(&p.text)).sum()
}

/// Characters other than white space in `text`; ASCII text (most of it)
/// is counted by its bytes.
fn visible(text: &str) -> usize {
    if text.is_ascii() {
        // The ASCII characters `char::is_whitespace` takes.
        text.bytes()
            .filter(|b| !matches!(b, b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' '))
            .count()
    } else {
        text.chars().filter(|c| !c.is_whitespace()).count()
    }
}

/// Readability's main text (through `dom_smoothie`) when ours is short and
/// theirs is clearly longer. Our container search is tuned for articles;
/// on product, forum and listing pages it sometimes settles on one small
/// box, where Readability's candidate scoring, which merges siblings,
/// keeps more of the content. Its blocks then go through our boilerplate
/// rules, which it lacks. (Tuned on WCXB dev, word F1 over all pages:
/// 0.798 without the fallback, 0.814 with it at 1,200 characters and a
/// gain of 1.2; articles 0.941 → 0.944, listings 0.447 → 0.557; results
/// change little between 800 and 3,000 characters.) Only short pages pay
/// for the second parse.
///
/// Readability is handed `parsed`, the page as we parsed it (it is not
/// needed after the blocks are built), when that is the whole of `html`,
/// which spares it a second parse; otherwise `html` is parsed for it.
fn readability_fallback(
    html: &str,
    parsed: Option<dom_query::Document>,
    ours: &[Paragraph],
    kind: metadata::PageKind,
) -> Option<Vec<Paragraph>> {
    let our_chars = visible_chars(ours);
    if our_chars >= FALLBACK_BELOW_CHARS {
        return None;
    }
    let document = parsed.unwrap_or_else(|| dom_query::Document::from(html));
    // Classes are kept so that our boilerplate rules (class and id words,
    // tags such as `figcaption`, link lists, phrases) can clean what
    // Readability keeps: it lets cookie notices and share bars through.
    let config = dom_smoothie::Config {
        keep_classes: true,
        ..dom_smoothie::Config::default()
    };
    let article = dom_smoothie::Readability::with_document(document, None, Some(config))
        .ok()?
        .parse()
        .ok()?;
    let document = dom_query::Document::from(article.content.as_ref());
    let page = blocks::page(&document, kind);
    let theirs: Vec<Paragraph> = main_text::clean_blocks(&page, kind)
        .into_iter()
        .map(|b| Paragraph {
            text: b.text,
            heading: b.heading,
        })
        .collect();
    (visible_chars(&theirs) as f64 > FALLBACK_MIN_GAIN * our_chars as f64).then_some(theirs)
}

/// Below this many characters (other than white space), a main text that
/// is not empty is a scrap of a page whose content the HTML does not hold
/// (it is drawn by scripts) or that we missed.
const DESCRIBE_BELOW_CHARS: usize = 300;

/// Puts the page's own summary (its `og:description` or `description`)
/// before a main text that is only a scrap, unless the text already holds
/// it. A page whose main text is empty stays empty: nothing of it is
/// there to describe (a shell of scripts, a page of links). (On WCXB dev,
/// word F1 over the 25 pages concerned rises by 1.5 in all.)
fn add_description(paragraphs: &mut Vec<Paragraph>, description: Option<&str>) {
    let Some(description) = description else {
        return;
    };
    let chars = visible_chars(paragraphs);
    if chars == 0 || chars >= DESCRIBE_BELOW_CHARS {
        return;
    }
    if paragraphs.iter().any(|p| p.text.contains(description)) {
        return;
    }
    paragraphs.insert(
        0,
        Paragraph {
            text: description.to_string(),
            heading: false,
        },
    );
}

/// Extracts the text of an HTML fragment, such as the content of a feed
/// item: like [`extract`], but when the main-text selection keeps nothing
/// (a fragment of two short paragraphs has no boilerplate to tell it
/// from), every block of text is kept instead, so that a short item is
/// not lost.
pub fn extract_fragment(html: &str) -> Extraction {
    let mut extraction = extract(html);
    if extraction.text.trim().is_empty() {
        let document = dom_query::Document::from(without_nul(html).as_ref());
        let page = blocks::page(&document, metadata::PageKind::Other);
        extraction.paragraphs = page
            .blocks
            .into_iter()
            .filter(|b| !b.text.trim().is_empty())
            .map(|b| Paragraph {
                text: b.text,
                heading: false,
            })
            .collect();
        extraction.text = extraction
            .paragraphs
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    extraction
}

/// Extracts from a page's raw bytes: [`decode`], then [`extract`].
pub fn extract_bytes(bytes: &[u8]) -> Extraction {
    extract(&decode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_counts_as_char_is_whitespace_does() {
        let all: String = (0u8..128).map(char::from).collect();
        let slow = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count();
        assert_eq!(visible(&all), slow(&all));
        let mixed = "a\u{a0}b\u{2003} c\x0b";
        assert_eq!(visible(mixed), slow(mixed));
    }

    #[test]
    fn a_scrap_of_text_gets_the_page_description() {
        let page = r#"<html><head><meta property="og:description" content="A hand-thrown stoneware mug that holds 350 ml and keeps tea warm."></head>
            <body><main><h1>Stoneware mug</h1><p>In stock.</p></main></body></html>"#;
        let text = extract(page).text;
        assert!(text.starts_with("A hand-thrown stoneware mug"), "{text}");
        // An empty page stays empty: nothing of it is there.
        let shell = r#"<html><head><meta name="description" content="Our shop."></head><body><div id="app"></div></body></html>"#;
        assert_eq!(extract(shell).text, "");
    }

    // Reliability review D17: a 5 MB page of NUL bytes took 1.27 GB in the parser.
    #[test]
    fn reliability_d17_nul_bytes_are_dropped_before_parsing() {
        let page = format!(
            "<p>The dam{}held.</p>{}",
            "\0".repeat(3),
            "\0".repeat(200_000)
        );
        assert_eq!(extract(&page).text, "The damheld.");
        assert_eq!(extract_fragment(&"\0".repeat(1000)).text, "");
    }
}
