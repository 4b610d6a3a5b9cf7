//! Choosing the main text among a page's blocks.
//!
//! The method combines three signals that the best published extractors
//! use (jusText's block classes, Readability's container scoring, the
//! class/id evidence of Trafilatura):
//!
//! 1. each block is classed by its length and link density (jusText,
//!    Pomikálek 2011): long blocks with few links are *good*, link-heavy
//!    or boilerplate-marked blocks *bad*, the rest *short*;
//! 2. every element scores the good text below it minus the bad text
//!    below it, and the best-scoring element is the main container (a
//!    body-text-extraction search over the DOM rather than over a token
//!    string); elements that name themselves as the main text
//!    (`<article>`, `itemprop="articleBody"`, `entry-content`) are
//!    preferred when they hold nearly all of that container's good text;
//! 3. inside the container, blocks marked as boilerplate by their tags or
//!    class/id words, link lists and boilerplate phrases are dropped; the
//!    rest is the text, headings on their own lines.

use crate::blocks::{Block, Page, Tag};
use crate::patterns;

/// A block at least this long (characters other than white space) with
/// few links is good text.
const GOOD_LENGTH: usize = 70;
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
/// Short blocks with few links count at this weight per character.
const SHORT_WEIGHT: f64 = 0.6;
/// A content-hinted element is chosen over the best container when it
/// holds at least this share of the container's score.
const HINT_SHARE: f64 = 0.8;

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
    if block.chars >= GOOD_LENGTH {
        len
    } else {
        // Short blocks with few links: headings, short paragraphs, list
        // items. They count less, but enough that a list of real items
        // is not lost.
        SHORT_WEIGHT * len
    }
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

/// The main container: the element whose blocks score highest.
fn container(page: &Page) -> Option<usize> {
    let n = page.elements.len();
    let mut score = vec![0.0f64; n];
    for block in &page.blocks {
        let junk = junk_between(page, block.owner, None);
        let value = block_value(block, junk);
        let mut current = Some(block.owner);
        while let Some(e) = current {
            score[e] += value;
            current = page.elements[e].parent;
        }
    }
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
    Some(hinted.unwrap_or(best))
}

/// Whether `element` lies inside `ancestor` (or is it).
fn inside(page: &Page, element: usize, ancestor: usize) -> bool {
    let mut current = Some(element);
    while let Some(e) = current {
        if e == ancestor {
            return true;
        }
        if page.elements[e].depth <= page.elements[ancestor].depth {
            return false;
        }
        current = page.elements[e].parent;
    }
    false
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
pub(crate) fn select(page: &Page) -> Vec<TextBlock> {
    match container(page) {
        Some(root) => kept_blocks(page, root, true),
        None => Vec::new(),
    }
}

/// Every block of a page that is already the main text (Readability's
/// output) except what the boilerplate tags, class/id words and phrases
/// mark.
pub(crate) fn clean_blocks(page: &Page) -> Vec<TextBlock> {
    if page.elements.is_empty() {
        return Vec::new();
    }
    // Link-heavy blocks stay: Readability keeps a listing's items, which
    // are links, and dropping them lost more than it cleaned.
    kept_blocks(page, 0, false)
}

/// The blocks inside `root` less boilerplate, and less link lists when
/// `drop_links`.
fn kept_blocks(page: &Page, root: usize, drop_links: bool) -> Vec<TextBlock> {
    let mut out = Vec::new();
    for block in &page.blocks {
        if !inside(page, block.owner, root) {
            continue;
        }
        if junk_between(page, block.owner, Some(root)) {
            continue;
        }
        if drop_links && block.link_density() > MAX_KEPT_LINK_DENSITY {
            continue;
        }
        if patterns::boilerplate_phrase(&block.text) || patterns::cookie_notice(&block.text) {
            continue;
        }
        let heading = page.elements[block.owner].tag == Tag::Heading;
        out.push(TextBlock {
            text: block.text.clone(),
            heading,
        });
    }
    out
}
