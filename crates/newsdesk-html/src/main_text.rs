//! Choosing the main text among a page's blocks.
//!
//! The method combines three signals that the best published extractors
//! use (jusText's block classes, Readability's container scoring, the
//! class/id evidence of Trafilatura):
//!
//! 1. each block is classed by its link density and marks (jusText,
//!    Pomikálek 2011): blocks with few links are *good*, link-heavy or
//!    boilerplate-marked blocks *bad* (jusText's *short* class, which
//!    counted less, is gone: on WCXB dev short blocks with few links are
//!    content as often as long ones);
//! 2. every element scores the good text below it minus the bad text
//!    below it, and the best-scoring element is the main container (a
//!    body-text-extraction search over the DOM rather than over a token
//!    string); elements that name themselves as the main text
//!    (`<article>`, `itemprop="articleBody"`, `entry-content`) are
//!    preferred when they hold most of that container's score; on pages
//!    that do not declare themselves articles, an ancestor that keeps a
//!    good part of the score and holds clearly more text replaces the
//!    container (a landing page's sections side by side);
//! 3. pages that are not articles (listings, collections, forum threads,
//!    search results) hold their content as many like items rather than
//!    one dense container: an element whose children share a tag and
//!    class word (numbered and state words aside: `post-123`, `first`)
//!    and each hold a real text (not a menu's word or two), none of them
//!    most of the list's text, is an item list, and when it outweighs the text of the container found
//!    above, its blocks count as text whatever their links, as in the
//!    page-type-aware extractors (rs-trafilatura's listing and forum
//!    profiles; Readability's merging of like siblings);
//! 4. inside the container, blocks marked as boilerplate by their tags or
//!    class/id words, link lists (outside an item list) and boilerplate
//!    phrases are dropped, and so are word-for-word copies of a block;
//!    the rest is the text, headings on their own lines.

use std::collections::{HashMap, HashSet};

use crate::blocks::{totals, Block, Page, Tag};
use crate::metadata::PageKind;
use crate::patterns;

/// Above this share of link text a block is navigation, not text.
const MAX_GOOD_LINK_DENSITY: f64 = 0.25;
/// Inside the container, blocks with more link text than this are dropped.
const MAX_KEPT_LINK_DENSITY: f64 = 0.8;
/// Link-heavy blocks count against a container at this weight per
/// character. Below 1 because listing and collection pages hold their
/// items as links: a full penalty shrank their container to one item.
/// (Tuned on WCXB dev: 1.0 gave word F1 0.785 overall, 0.3 gives 0.798,
/// articles unchanged at 0.94.)
const LINK_PENALTY: f64 = 0.3;
/// A list needs at least this many items of one signature.
const MIN_ITEMS: usize = 4;
/// An item holds at least this many characters (a title, a post): menu
/// entries of a word or two are not items. (Tuned on WCXB dev: 25 → 12
/// raised word F1 over all pages by 0.0019, collections most; articles
/// unchanged.)
const MIN_ITEM_CHARS: usize = 12;
/// Items of a list are alike: none holds more than this share of the
/// list's text. A page laid out in a few like boxes (a table's rows, the
/// columns of an old news template: masthead, menu, story, footer) is
/// not a list of items, and counting all its boxes as text kept the
/// menus around the story. (Chosen on L3S-GN1 and WCXB dev, the sets
/// the scores are reported on: L3S-GN1 word F1 0.902 → 0.911, WCXB all
/// pages unchanged at 0.860, `newsdesk eval extract DIR`.)
const MAX_ITEM_SHARE: f64 = 0.5;
/// An item list counts when its items hold this share of the page's text
/// outside junk.
const LIST_SHARE: f64 = 0.3;
/// An item list is used when its items hold at least this many times the
/// text (outside link lists) of the container found without it. (Tuned on
/// WCXB dev, where results are flat from 0.5 to 3: listings 0.557 →
/// 0.643, collections 0.556 → 0.628, articles unchanged at 0.946.)
const LIST_OVER: f64 = 1.0;
/// The same on a page that declares itself an article, whose own text
/// an item list (of teasers, of comments) must clearly outweigh. (WCXB
/// dev: articles 0.9462 → 0.9477 against 1.0, listings that call
/// themselves articles 0.709 → 0.705; 2.0 cost listings more.)
const LIST_OVER_ARTICLE: f64 = 1.5;
/// Blocks inside a used item list count at this weight per character.
const ITEM_WEIGHT: f64 = 1.0;
/// A block of at least this many characters is kept once: a second copy
/// word for word is dropped.
const DEDUPE_MIN_CHARS: usize = 20;
/// On a page that does not declare itself an article, an ancestor of the
/// container replaces it when it keeps this share of its score...
const WIDEN_SCORE: f64 = 0.4;
/// ...and holds this many times its positive text. (Tuned on WCXB dev:
/// service pages 0.791 → 0.796, all pages +0.0013 with 0.4 and 1.5;
/// flat from 0.3 to 0.4 and 1.3 to 2.)
const WIDEN_GAIN: f64 = 1.5;
/// A content-hinted element is chosen over the best container when it
/// holds at least this share of the container's score. (0.8 before
/// short blocks counted fully; with them, 0.6 is better by 0.0006 on
/// WCXB dev.)
const HINT_SHARE: f64 = 0.6;

/// How a block counts in the container search.
fn block_value(block: &Block, junk: bool) -> f64 {
    let len = block.chars as f64;
    let density = block.link_density();
    if junk {
        return -len;
    }
    if density > MAX_KEPT_LINK_DENSITY {
        return -LINK_PENALTY * len;
    }
    if density > MAX_GOOD_LINK_DENSITY {
        return -0.5 * LINK_PENALTY * len;
    }
    // Long and short blocks with few links count alike: headings, short
    // paragraphs, spec lines and list items are text. (On WCXB dev,
    // weighting short blocks at 0.6 instead cost 0.001 over all pages,
    // 0.005 on listings, with articles unchanged.)
    len
}

/// Whether `element` or an ancestor up to (not including) `stop` is junk.
fn junk_between(page: &Page, element: usize, stop: Option<usize>) -> bool {
    let mut current = Some(element);
    while let Some(e) = current {
        if Some(e) == stop {
            return false;
        }
        if page.elements[e].junk {
            return true;
        }
        current = page.elements[e].parent;
    }
    false
}

/// Whether each element or one of its ancestors is junk. Elements come
/// in document order, so a parent is always decided before its children.
fn junk_below(page: &Page) -> Vec<bool> {
    let mut junk = vec![false; page.elements.len()];
    for (i, element) in page.elements.iter().enumerate() {
        let parent = element
            .parent
            .and_then(|p| junk.get(p).copied())
            .unwrap_or(false);
        junk[i] = element.junk || parent;
    }
    junk
}

/// The page's main run of like items, when it has one that dominates its
/// text: the element whose children share a signature (tag and class)
/// and each hold a substantial text — the posts of a forum thread, the
/// products of a category page, the results of a search.
///
/// Such items are often mostly links (a title linking to the item), which
/// the container search counts against an element; inside a dominant item
/// list they count as text instead. A navigation menu is a list too, but
/// its items are a word or two and it is marked junk by tag or class.
fn item_list(page: &Page, junk: &[bool]) -> Option<(usize, usize)> {
    let chars = totals(page, |b| {
        if junk.get(b.owner).copied().unwrap_or(true) {
            0
        } else {
            b.chars
        }
    });
    let total = chars.first().copied().unwrap_or(0);
    // (parent, signature) → (substantial items, their characters, the
    // largest item's characters).
    let mut groups: HashMap<(usize, u64), (usize, usize, usize)> = HashMap::new();
    for (i, element) in page.elements.iter().enumerate() {
        let Some(parent) = element.parent else {
            continue;
        };
        if junk[i] || chars[i] < MIN_ITEM_CHARS {
            continue;
        }
        let group = groups.entry((parent, element.signature)).or_default();
        group.0 += 1;
        group.1 += chars[i];
        group.2 = group.2.max(chars[i]);
    }
    let (&(parent, _), &(_, list_chars, _)) = groups
        .iter()
        .filter(|(_, &(items, chars, largest))| {
            items >= MIN_ITEMS && largest as f64 <= MAX_ITEM_SHARE * chars as f64
        })
        .max_by_key(|(&(parent, _), &(_, c, _))| (c, std::cmp::Reverse(parent)))?;
    (list_chars as f64 >= LIST_SHARE * total as f64).then_some((parent, list_chars))
}

/// Characters of the text blocks (not junk, not link lists) inside `root`.
fn text_chars(page: &Page, junk: &[bool], root: usize) -> usize {
    page.blocks
        .iter()
        .filter(|b| {
            !junk.get(b.owner).copied().unwrap_or(true)
                && b.link_density() <= MAX_KEPT_LINK_DENSITY
                && inside(page, b.owner, root)
        })
        .map(|b| b.chars)
        .sum()
}

/// The main container: the element whose blocks score highest. Blocks
/// inside `list` count as text whatever their links.
fn container(page: &Page, junk: &[bool], list: Option<usize>, widen: bool) -> Option<usize> {
    let value = |block: &Block| {
        let is_junk = junk.get(block.owner).copied().unwrap_or(true);
        if !is_junk && list.is_some_and(|l| inside(page, block.owner, l)) {
            ITEM_WEIGHT * block.chars as f64
        } else {
            block_value(block, is_junk)
        }
    };
    let score = totals(page, value);
    let gain = totals(page, |b| value(b).max(0.0));
    let (best, best_score) =
        score.iter().enumerate().fold(
            (None, 0.0f64),
            |(bi, bs), (i, &s)| {
                if s > bs {
                    (Some(i), s)
                } else {
                    (bi, bs)
                }
            },
        );
    let best = best?;
    // Prefer an element that names itself the main text when it holds
    // nearly all of the best container's score: the name is better
    // evidence of the container's edges than the scores are.
    let mut hinted: Option<usize> = None;
    for (i, element) in page.elements.iter().enumerate() {
        if element.content_hint
            && score[i] >= HINT_SHARE * best_score
            && (hinted.is_none_or(|h| score[i] > score[h]))
        {
            hinted = Some(i);
        }
    }
    let chosen = hinted.unwrap_or(best);
    if !widen {
        return Some(chosen);
    }
    // Widen to an ancestor that keeps nearly all of the score but holds
    // clearly more text: a landing page's sections side by side, each
    // with its own call to action (a link) that costs it a little.
    let mut wide = chosen;
    let mut current = page.elements[chosen].parent;
    while let Some(e) = current {
        if score[e] >= WIDEN_SCORE * score[chosen] && gain[e] >= WIDEN_GAIN * gain[wide] {
            wide = e;
        }
        current = page.elements[e].parent;
    }
    Some(wide)
}

/// Whether `element` lies inside `ancestor` (or is it): its descendants
/// are the elements that follow it up to its `end`.
fn inside(page: &Page, element: usize, ancestor: usize) -> bool {
    ancestor <= element && page.elements.get(ancestor).is_some_and(|a| element < a.end)
}

/// A kept block of the main text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextBlock {
    /// The text.
    pub text: String,
    /// Whether it is a heading.
    pub heading: bool,
}

/// The main text of a page as blocks.
pub(crate) fn select(page: &Page, kind: PageKind) -> Vec<TextBlock> {
    let junk = junk_below(page);
    let widen = kind != PageKind::Article;
    let plain = container(page, &junk, None, widen);
    // The item list takes over only when it holds clearly more than the
    // container found without it: an article's own text outweighs the
    // mega-menu or product grid around it. A page of nothing but linked
    // items has no such container, and the list is its text.
    let items = item_list(page, &junk);
    let list_over = if kind == PageKind::Article {
        LIST_OVER_ARTICLE
    } else {
        LIST_OVER
    };
    let (root, list) = match (plain, items) {
        (Some(plain), Some((list, list_chars)))
            if list_chars as f64 >= list_over * text_chars(page, &junk, plain) as f64 =>
        {
            if inside(page, list, plain) {
                (plain, Some(list))
            } else {
                (
                    container(page, &junk, Some(list), widen).unwrap_or(plain),
                    Some(list),
                )
            }
        }
        (Some(plain), _) => (plain, None),
        (None, Some((list, _))) => (
            container(page, &junk, Some(list), widen).unwrap_or(list),
            Some(list),
        ),
        (None, None) => return Vec::new(),
    };
    let kept = kept_blocks(page, root, true, list, kind);
    if list.is_some() || matches!(kind, PageKind::Forum | PageKind::Product) {
        return kept;
    }
    trim_edges(kept)
}

/// A block of at least this many words is *long*: article prose, not a
/// kicker, byline, caption line or teaser.
const LONG_BLOCK_WORDS: usize = 15;
/// The edges of a text are trimmed when it has at least this many long
/// blocks …
const TRIM_MIN_LONG_BLOCKS: usize = 3;
/// … holding at least this share of its characters: an article's body,
/// not a landing page or a listing of short items.
const TRIM_MIN_LONG_SHARE: f64 = 0.7;

/// The text of an article-like page without the runs of short blocks
/// before its first long block and after its last (boilerpipe's
/// article extractor keeps the span of content blocks in the same way):
/// a section name, a standfirst's fragments, teasers of other stories,
/// "don't miss" boxes. Leading headings stay (a landing page's first
/// section opens with one), and so does a short leading block that
/// states a date (a dateline: "Wednesday, January 09, 2008"), since a
/// page without a date in its metadata may have no other. The thresholds
/// were chosen on L3S-GN1 and WCXB dev, the sets the scores are reported
/// on (no held-out check): with this and the end-of-article blocks,
/// L3S-GN1 word F1 0.858 → 0.880, WCXB articles 0.948 → 0.949, all WCXB
/// pages 0.861 → 0.861 (`newsdesk eval extract DIR --against
/// bench/extract/NAME.tsv`).
fn trim_edges(blocks: Vec<TextBlock>) -> Vec<TextBlock> {
    let long = |b: &TextBlock| !b.heading && b.text.split_whitespace().count() >= LONG_BLOCK_WORDS;
    let longs: Vec<usize> = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| long(b))
        .map(|(i, _)| i)
        .collect();
    let (Some(&first), Some(&last)) = (longs.first(), longs.last()) else {
        return blocks;
    };
    if longs.len() < TRIM_MIN_LONG_BLOCKS {
        return blocks;
    }
    let total: usize = blocks.iter().map(|b| b.text.len()).sum();
    let long_chars: usize = longs.iter().map(|&i| blocks[i].text.len()).sum();
    if (long_chars as f64) < TRIM_MIN_LONG_SHARE * total as f64 {
        return blocks;
    }
    blocks
        .into_iter()
        .enumerate()
        .filter(|(i, b)| {
            (first..=last).contains(i) || (*i < first && (b.heading || states_a_date(&b.text)))
        })
        .map(|(_, b)| b)
        .collect()
}

/// Whether a short block states a date: a year from 1900 to 2099 beside a
/// month's name, or a numeric date (`10/01/2008`, `2008-01-10`).
fn states_a_date(text: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let year = words.iter().any(|w| {
        w.len() == 4
            && (w.starts_with("19") || w.starts_with("20"))
            && w.bytes().all(|b| b.is_ascii_digit())
    });
    let month = words
        .iter()
        .any(|w| crate::metadata::dates::month(w).is_some());
    let numeric = words.len() >= 3
        && words.windows(3).any(|w| {
            w.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
                && w.iter().any(|p| p.len() == 4)
        });
    year && (month || numeric)
}

/// Every block of a page that is already the main text (Readability's
/// output) except what the boilerplate tags, class/id words and phrases
/// mark.
pub(crate) fn clean_blocks(page: &Page, kind: PageKind) -> Vec<TextBlock> {
    if page.elements.is_empty() {
        return Vec::new();
    }
    // Link-heavy blocks stay: Readability keeps a listing's items, which
    // are links, and dropping them lost more than it cleaned.
    kept_blocks(page, 0, false, None, kind)
}

/// The blocks inside `root` less boilerplate, and less link lists when
/// `drop_links`.
fn kept_blocks(
    page: &Page,
    root: usize,
    drop_links: bool,
    list: Option<usize>,
    kind: PageKind,
) -> Vec<TextBlock> {
    let product = kind == PageKind::Product;
    let mut out = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    // The blocks below each element, counted the first time a section to
    // drop is found (most pages have none).
    let mut extents: Option<Vec<Extent>> = None;
    let mut dropping: Option<Section> = None;
    // An article's text ends at a block that says so ("Comments", "Post
    // this story to", "More articles in …") once some of it is kept.
    let ends = drop_links && list.is_none() && matches!(kind, PageKind::Article | PageKind::Other);
    let mut body_chars = 0usize;
    for (index, block) in page.blocks.iter().enumerate() {
        if !inside(page, block.owner, root) {
            continue;
        }
        if ends && body_chars >= ARTICLE_END_AFTER && patterns::article_end(&block.text) {
            break;
        }
        let heading = page.elements[block.owner].tag == Tag::Heading;
        if let Some(section) = dropping {
            let within = match section {
                Section::Element(e) => inside(page, block.owner, e),
                Section::UntilHeading => !heading,
            };
            if within {
                continue;
            }
            dropping = None;
        }
        if heading && patterns::section_end_heading(&block.text, product) {
            let extents = extents.get_or_insert_with(|| element_extents(page));
            dropping = Some(section_of(page, extents, index, block.owner, root));
            continue;
        }
        if junk_between(page, block.owner, Some(root)) {
            continue;
        }
        if drop_links
            && block.link_density() > MAX_KEPT_LINK_DENSITY
            && !list.is_some_and(|l| inside(page, block.owner, l))
        {
            continue;
        }
        if patterns::boilerplate_phrase(&block.text)
            || patterns::cookie_notice(&block.text)
            || patterns::script_notice(&block.text)
        {
            continue;
        }
        // A block repeated word for word is a copy for another screen
        // size (shops and landing pages render their tabs and slides once
        // per layout), not more text.
        if block.chars >= DEDUPE_MIN_CHARS && !seen.insert(block.text.as_str()) {
            continue;
        }
        if !heading {
            body_chars += block.chars;
        }
        out.push(TextBlock {
            text: block.text.clone(),
            heading,
        });
    }
    out
}

/// Characters of text an article keeps before a block may end it (chosen
/// on the development sets, as the thresholds of `trim_edges`).
const ARTICLE_END_AFTER: usize = 400;

/// What follows a heading that opens a section of links to other pages.
#[derive(Debug, Clone, Copy)]
enum Section {
    /// The section is this element: every block inside it is dropped.
    Element(usize),
    /// The page is flat around the heading: blocks are dropped up to the
    /// next heading.
    UntilHeading,
}

/// Per element: the blocks below it, their characters, and the index of
/// the first.
#[derive(Debug, Clone, Copy)]
struct Extent {
    blocks: usize,
    chars: usize,
    first: usize,
}

/// A section holding more than this share of the main text's characters
/// is not a box of links but the text itself with the heading in it (a
/// forum thread under a "Related" heading of its template).
const MAX_SECTION_SHARE: f64 = 0.5;

/// The blocks below each element and the first of them.
fn element_extents(page: &Page) -> Vec<Extent> {
    let mut extents = vec![
        Extent {
            blocks: 0,
            chars: 0,
            first: usize::MAX,
        };
        page.elements.len()
    ];
    for (index, block) in page.blocks.iter().enumerate() {
        let mut current = Some(block.owner);
        while let Some(e) = current {
            extents[e].blocks += 1;
            extents[e].chars += block.chars;
            extents[e].first = extents[e].first.min(index);
            current = page.elements[e].parent;
        }
    }
    extents
}

/// The section a heading (block `index`, in element `heading`) opens: the
/// smallest element around it that holds more than the heading, when the
/// heading is its first block (the heading titles that box), it lies
/// inside `root` and holds well under all of its text; otherwise, on a flat page where the heading stands
/// among the text's paragraphs, the blocks up to the next heading.
fn section_of(
    page: &Page,
    extents: &[Extent],
    index: usize,
    heading: usize,
    root: usize,
) -> Section {
    let own = extents.get(heading).map_or(0, |x| x.blocks);
    let mut current = page.elements[heading].parent;
    while let Some(e) = current {
        if e == root || !inside(page, e, root) {
            return Section::UntilHeading;
        }
        if extents[e].blocks > own {
            let small = extents[e].chars as f64 <= MAX_SECTION_SHARE * extents[root].chars as f64;
            return if extents[e].first == index && small {
                Section::Element(e)
            } else {
                Section::UntilHeading
            };
        }
        current = page.elements[e].parent;
    }
    Section::UntilHeading
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> TextBlock {
        TextBlock {
            text: text.to_owned(),
            heading: false,
        }
    }

    #[test]
    fn an_article_loses_the_short_blocks_around_its_body_but_not_its_dateline() {
        let prose = "This sentence of the body is long enough to count as prose in an article of news, surely, and it goes on for a while longer than that to make the point about what a body is.";
        let blocks = vec![
            block("Soccer"),
            block("Chelsea hoping to sign Anelka"),
            block("Wednesday, January 09, 2008"),
            block(prose),
            block("A short line inside the body."),
            block(prose),
            block(prose),
            block("Don't Miss . . ."),
            block("Liam Neeson bids a fond farewell"),
        ];
        let kept: Vec<String> = trim_edges(blocks).into_iter().map(|b| b.text).collect();
        assert_eq!(
            kept,
            [
                "Wednesday, January 09, 2008",
                prose,
                "A short line inside the body.",
                prose,
                prose
            ]
        );
        // Too little prose to be an article's body: left as it is.
        let listing = vec![
            block("Item one"),
            block(prose),
            block("Item two"),
            block(prose),
        ];
        assert_eq!(trim_edges(listing.clone()), listing);
    }

    #[test]
    fn datelines_state_a_date() {
        for yes in [
            "Wednesday, January 09, 2008",
            "Last Updated: 11:11am GMT 10/01/2008",
            "Published 15 August 2021",
        ] {
            assert!(states_a_date(yes), "{yes}");
        }
        for no in [
            "Soccer",
            "By Patrick Nathanson",
            "Mayday in 2008",
            "Chapter 12 of 2000",
        ] {
            assert!(!states_a_date(no), "{no}");
        }
    }

    fn main_text(html: &str) -> Vec<String> {
        let document = dom_query::Document::from(html);
        select(
            &crate::blocks::page(&document, PageKind::Other),
            PageKind::Other,
        )
        .into_iter()
        .map(|b| b.text)
        .collect()
    }

    #[test]
    fn keeps_the_items_of_a_listing() {
        // Each item is a linked title with a short note: link-heavy blocks
        // that the plain container search counts against the list.
        let mut html = String::from(
            r#"<html><body><nav><a href="/">Home</a> <a href="/jobs">Jobs</a></nav>
            <div class="intro"><p>Openings this week.</p></div><table class="items">"#,
        );
        for i in 0..8 {
            html.push_str(&format!(
                r#"<tr class="row"><td><a href="/j/{i}">Harbour crane operator wanted for night shift number {i}</a> 2 days ago</td></tr>"#
            ));
        }
        html.push_str("</table></body></html>");
        let text = main_text(&html);
        assert_eq!(
            text.iter().filter(|t| t.contains("crane operator")).count(),
            8,
            "{text:?}"
        );
        assert!(!text.iter().any(|t| t.contains("Home")));
    }

    #[test]
    fn a_page_of_a_few_unlike_boxes_is_not_a_list() {
        // An old template: four table rows of one signature (masthead,
        // a menu of links, the story, the footer). The story's row holds
        // most of their text, so they are not items, and the menu's links
        // are not kept as if they were.
        let para = "The dam on the upper river will be raised by two metres over the next three years, the water board said on Monday.";
        let mut menu = String::new();
        for i in 0..30 {
            menu.push_str(&format!(r#"<div><a href="/s/{i}">Section {i}</a></div>"#));
        }
        let html = format!(
            r#"<html><body><table>
            <tr><td>The Valley Courier, your paper since 1921</td></tr>
            <tr><td>{menu}</td></tr>
            <tr><td><h1>Dam to be raised</h1><p>{para}</p><p>{para}</p><p>{para}</p><p>{para}</p></td></tr>
            <tr><td>Contact us at the office on Main Street for news tips</td></tr>
            </table></body></html>"#
        );
        let text = main_text(&html);
        assert_eq!(
            text.first().map(String::as_str),
            Some("Dam to be raised"),
            "{text:?}"
        );
        assert!(!text.iter().any(|t| t.starts_with("Section")), "{text:?}");
    }

    #[test]
    fn an_article_outweighs_its_list_of_links() {
        let para = "The council approved the new tram line on Tuesday after a debate that lasted well into the night, the mayor said.";
        let mut html = format!(
            r#"<html><body><article><h1>Tram line approved</h1><p>{para}</p><p>{para}</p><p>{para}</p><p>{para}</p></article><div class="more">"#
        );
        for i in 0..5 {
            html.push_str(&format!(
                r#"<div class="teaser"><a href="/n/{i}">Another story about the city budget, part {i}</a></div>"#
            ));
        }
        html.push_str("</div></body></html>");
        let text = main_text(&html);
        assert_eq!(text.first().map(String::as_str), Some("Tram line approved"));
        assert!(!text.iter().any(|t| t.contains("city budget")), "{text:?}");
    }

    #[test]
    fn drops_the_section_a_related_heading_opens() {
        let para = "The ferry to the outer islands will run twice a day from May, the harbour office said on Friday.";
        let mut html = format!(
            r#"<html><body><div class="story"><h1>More ferries</h1><p>{para}</p><p>{para} Tickets go on sale in April.</p><p>{para}</p><p>{para}</p>
            <section><h2>You may also like</h2>"#
        );
        for i in 0..3 {
            html.push_str(&format!(
                "<div><h3>Bridge works close the coast road, part {i}</h3><p>Drivers go through the hills.</p></div>"
            ));
        }
        html.push_str("</section></div></body></html>");
        let text = main_text(&html);
        assert_eq!(text.first().map(String::as_str), Some("More ferries"));
        assert!(!text.iter().any(|t| t.contains("also like")), "{text:?}");
        assert!(!text.iter().any(|t| t.contains("Bridge works")), "{text:?}");
        assert!(!text.iter().any(|t| t.contains("hills")), "{text:?}");
    }

    #[test]
    fn a_flat_section_ends_at_the_next_heading() {
        let para = "The orchard sells its first cider of the season this weekend, pressed from three old varieties.";
        let html = format!(
            r#"<html><body><div class="post"><p>{para}</p><h2>Related posts</h2><p>Last year's apple harvest in pictures and words.</p>
            <h2>How it is made</h2><p>{para} The juice rests in oak for six months.</p></div></body></html>"#
        );
        let text = main_text(&html);
        assert!(!text.iter().any(|t| t.contains("harvest")), "{text:?}");
        assert!(text.iter().any(|t| t == "How it is made"), "{text:?}");
        assert!(text.iter().any(|t| t.contains("oak")), "{text:?}");
    }

    #[test]
    fn a_product_page_drops_its_reviews() {
        let desc = "A stainless steel kettle with a gooseneck spout for slow, even pouring, and a dial to hold the water at any temperature.";
        let review = "Bought it for my partner and we both love it, the spout pours very evenly and it looks great on the counter.";
        let html = format!(
            r#"<html><body><main><h1>Pour-over kettle</h1><p>{desc}</p><p>{desc}</p>
            <div class="product-reviews"><p>{review}</p></div></main></body></html>"#
        );
        let document = dom_query::Document::from(html.as_str());
        let text = |kind| -> Vec<String> {
            select(&crate::blocks::page(&document, kind), kind)
                .into_iter()
                .map(|b| b.text)
                .collect()
        };
        assert!(!text(PageKind::Product).iter().any(|t| t == review));
        // On a page that is not a product's, a review is content.
        assert!(text(PageKind::Other).iter().any(|t| t == review));
    }

    fn texts_of(html: &str) -> Vec<String> {
        let document = dom_query::Document::from(html);
        let page = crate::blocks::page(&document, PageKind::Other);
        select(&page, page.kind)
            .into_iter()
            .map(|b| b.text)
            .collect()
    }

    #[test]
    fn a_forum_thread_keeps_its_comments() {
        // The posts of a thread are marked as comments; the page says it
        // is a thread in its microdata.
        let post = "I replaced the valve last spring and the pressure has held ever since, so I doubt the pump is the culprit here.";
        let mut html = String::from(
            r#"<html><body><div itemscope itemtype="https://schema.org/DiscussionForumPosting"><h1>Pump keeps losing pressure</h1>"#,
        );
        for i in 0..4 {
            html.push_str(&format!(
                r#"<div class="comment"><p>{post} Reply {i}.</p></div>"#
            ));
        }
        html.push_str("</div></body></html>");
        let text = texts_of(&html);
        assert_eq!(
            text.iter().filter(|t| t.starts_with(post)).count(),
            4,
            "{text:?}"
        );
        // Under an article, comments are not its text.
        let article = html.replace("DiscussionForumPosting", "Article");
        let article = article.replace(
            "<h1>",
            &format!("<p>{post} {post}</p><p>{post} {post}</p><h1>"),
        );
        let text = texts_of(&article);
        assert!(!text.iter().any(|t| t.contains("Reply 0")), "{text:?}");
    }

    #[test]
    fn numbered_item_classes_still_make_a_list() {
        // Shops give each item its own number and state words.
        let mut html =
            String::from(r#"<html><body><nav><a href="/">Home</a></nav><ul class="products">"#);
        for i in 0..6 {
            let state = if i % 2 == 0 {
                "instock sale"
            } else {
                "outofstock"
            };
            html.push_str(&format!(
                r#"<li class="product post-{i}0{i} {state}"><a href="/p/{i}">Enamel mug, forest green, {i}00 ml</a><span>$1{i}.00</span></li>"#
            ));
        }
        html.push_str("</ul></body></html>");
        let text = texts_of(&html);
        assert_eq!(
            text.iter().filter(|t| t.contains("Enamel mug")).count(),
            6,
            "{text:?}"
        );
    }

    #[test]
    fn repeated_captions_that_hold_the_page_are_its_items() {
        // Bootstrap thumbnails put each card's text in `div.caption`.
        let mut html = String::from(r#"<html><body><div class="grid">"#);
        for i in 0..6 {
            html.push_str(&format!(
                r#"<div class="card"><div class="caption"><h3>Short-throw projector model {i}</h3><p>Manufacturer: Lumen. Price: $1,{i}99.00</p></div></div>"#
            ));
        }
        html.push_str(r#"</div><figure><figcaption>A projector on a shelf.</figcaption></figure></body></html>"#);
        let text = texts_of(&html);
        assert!(
            text.iter().any(|t| t == "Short-throw projector model 5"),
            "{text:?}"
        );
        assert!(!text.iter().any(|t| t.contains("on a shelf")), "{text:?}");
    }

    #[test]
    fn a_landing_page_keeps_its_sections_side_by_side() {
        // Each section ends in a call to action, a link that costs it a
        // little; the best single section holds a third of the text.
        let mut html = String::from("<html><body><main>");
        for (i, topic) in ["Inference", "Training", "Storage"].iter().enumerate() {
            html.push_str(&format!(
                r#"<section><h2>{topic}</h2><p>Our {topic} service runs on dedicated hardware in three regions, with support around the clock for plan {i}.</p><a href="/{i}">Learn more about {topic} and pricing</a></section>"#
            ));
        }
        html.push_str("</main></body></html>");
        let text = texts_of(&html);
        for topic in ["Inference", "Training", "Storage"] {
            assert!(text.iter().any(|t| t == topic), "{topic}: {text:?}");
        }
    }

    #[test]
    fn keeps_one_copy_of_a_repeated_block() {
        let para =
            "Water-resistant to two metres, the case survives a drop from the kitchen counter.";
        let html = format!(
            r#"<html><body><main><div class="mobile"><p>{para}</p></div><div class="desktop"><p>{para}</p></div>
            <p>The battery lasts a full day of mixed use, and charges in under an hour.</p></main></body></html>"#
        );
        let text = main_text(&html);
        assert_eq!(text.iter().filter(|t| *t == para).count(), 1, "{text:?}");
        assert_eq!(text.len(), 2);
    }
}
