//! A parsed page flattened into text blocks: each block is a run of inline
//! text inside its innermost block-level element, with the features the
//! main-text selection scores (length, link share, the elements above it).
//!
//! The walk is iterative, so a page nested a hundred thousand levels deep
//! cannot overflow the stack.

use dom_query::{Document, NodeData, NodeRef};

use crate::metadata::PageKind;
use crate::patterns;

/// One element of the page that can hold blocks.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    /// The parent element, `None` for the root.
    pub parent: Option<usize>,
    /// One past the index of its last descendant: elements come in
    /// document order, so its descendants are the indices between its
    /// own and this.
    pub end: usize,
    /// Depth below the root.
    pub depth: u32,
    /// Tag name, lowercased.
    pub tag: Tag,
    /// The element is boilerplate by its tag or its class/id (navigation,
    /// share buttons, cookie banners, related links, comment forms, …).
    pub junk: bool,
    /// The element says it holds the main text (`<article>`, `<main>`,
    /// `itemprop="articleBody"`, a class like `entry-content`).
    pub content_hint: bool,
    /// A hash of the tag name and the first word of the `class` attribute
    /// that items of one list share (see
    /// [`patterns::shared_class_token`]): siblings with the same signature
    /// are items of one list (posts, products, results). Only the first
    /// such word counts, since shops and blogs add per-item words after it
    /// (`sale`, `instock`, `product_tag-cups`). (WCXB dev: listings 0.684
    /// → 0.709 against hashing the whole attribute.)
    pub signature: u64,
    /// The element is boilerplate whatever share of the page it holds:
    /// `<nav>`, `<footer>`, `<aside>`, a dialog. [`unmark_wrappers`]
    /// leaves its mark.
    pub sticky: bool,
    /// Its class/id names it a comment (and nothing else junk): junk
    /// except on a forum page, where the comments are the content.
    pub comment: bool,
    /// Its class/id marks boilerplate of a product page (reviews,
    /// carousels): junk on a product page only.
    pub product_junk: bool,
    /// It is junk by its class/id words alone (not by its tag, role or
    /// a hiding attribute), and only by words that mark the parts of a
    /// listing's items too (`meta`, `caption`): evidence that repetition
    /// can outweigh (see [`unmark_items`]).
    pub class_only: bool,
}

/// The tags the selection tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// `h1`–`h6`.
    Heading,
    /// `li`, `dd`, `dt`.
    ListItem,
    /// `td`, `th`.
    Cell,
    /// `pre`.
    Pre,
    /// `p`.
    Paragraph,
    /// Any other element.
    Other,
}

/// A run of text in one block-level element.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// The innermost block-level element around the text.
    pub owner: usize,
    /// The text, white space collapsed (line breaks from `<br>` kept).
    pub text: String,
    /// Characters other than white space.
    pub chars: usize,
    /// Of those, the characters inside links.
    pub link_chars: usize,
    /// The text stands inside `<noscript>`.
    pub noscript: bool,
}

impl Block {
    /// Share of the block's characters that are link text.
    pub fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }
}

/// The page as elements and blocks.
#[derive(Debug, Default)]
pub(crate) struct Page {
    /// Elements in document order; 0 is the root.
    pub elements: Vec<Element>,
    /// Blocks in document order.
    pub blocks: Vec<Block>,
    /// The page's kind: the one its metadata declares, or a forum thread
    /// when its microdata (`itemtype`) says so. (Microdata `Product` is
    /// not used: on WCXB dev it marked game stores' pages whose reviews
    /// summary is content, and cost product pages 0.004.)
    pub kind: PageKind,
}

/// Elements whose content is never text of the page.
fn is_skipped(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "input"
            | "select"
            | "option"
            | "textarea"
            | "button"
            | "video"
            | "audio"
            | "picture"
            | "img"
            | "map"
            | "dialog"
    )
}

/// Elements that start a new block.
fn is_block_level(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "aside"
            | "nav"
            | "header"
            | "footer"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
            | "address"
            | "details"
            | "summary"
            | "hr"
            | "body"
            | "html"
            | "center"
            | "menu"
            | "noscript"
    )
}

fn tag_kind(tag: &str) -> Tag {
    match tag {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Tag::Heading,
        "li" | "dd" | "dt" => Tag::ListItem,
        "td" | "th" => Tag::Cell,
        "pre" => Tag::Pre,
        "p" => Tag::Paragraph,
        _ => Tag::Other,
    }
}

/// The block being filled.
#[derive(Default)]
struct Pending {
    text: String,
    chars: usize,
    link_chars: usize,
    /// The last character written was white space (or nothing yet).
    space: bool,
}

impl Pending {
    fn push_text(&mut self, text: &str, in_link: bool) {
        for c in text.chars() {
            if c.is_whitespace() {
                if !self.space && !self.text.is_empty() {
                    self.text.push(' ');
                }
                self.space = true;
            } else {
                self.text.push(c);
                self.space = false;
                self.chars += 1;
                if in_link {
                    self.link_chars += 1;
                }
            }
        }
    }

    fn line_break(&mut self) {
        while self.text.ends_with(' ') {
            self.text.pop();
        }
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self.space = true;
    }

    fn flush(&mut self, owner: usize, noscript: bool, blocks: &mut Vec<Block>) {
        if self.chars > 0 {
            let text = self.text.trim().to_string();
            blocks.push(Block {
                owner,
                text,
                chars: self.chars,
                link_chars: self.link_chars,
                noscript,
            });
        }
        *self = Pending {
            space: true,
            ..Pending::default()
        };
    }
}

/// A small multiplicative hash (FxHash's step) for element signatures.
/// They are compared only within one page, so collisions cost at worst a
/// wrongly merged list, and SipHash's resistance to chosen inputs buys
/// nothing here; it was a visible share of building the blocks.
#[derive(Clone, Copy)]
struct Signature(u64);

impl Signature {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn new() -> Signature {
        Signature(0)
    }

    fn add(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add_word(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add_word(u64::from(b));
        }
        // Ends the field, so that ("ab", "c") and ("a", "bc") differ.
        self.add_word(0xff);
    }

    fn add_word(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

enum Step<'a> {
    Enter(NodeRef<'a>),
    Exit {
        element: usize,
        block: bool,
        link: bool,
        noscript: bool,
    },
}

/// What an element's class and id words say of it.
#[derive(Debug, Clone, Copy, Default)]
struct Words {
    /// They mark boilerplate ([`patterns::junk_class`]).
    junk: bool,
    /// They name a comment, and are not junk otherwise.
    comment: bool,
    /// They mark the main text.
    content: bool,
    /// They mark boilerplate of a product page, and the page is one.
    product_junk: bool,
    /// They mark boilerplate only by words of a listing's item parts.
    item_part: bool,
}

/// The class/id word verdicts of one page, by the (lowercased) class and
/// id values: a page repeats the same few values over hundreds of
/// elements (every item of a list, every link of a menu), and searching
/// the word lists was a large share of building the blocks.
#[derive(Default)]
struct ClassWords {
    seen: std::collections::HashMap<String, Words>,
}

impl ClassWords {
    fn get(&mut self, class_id: &str, kind: PageKind) -> Words {
        // Most elements have neither class nor id: no words mark them.
        if class_id.is_empty() {
            return Words::default();
        }
        if let Some(&words) = self.seen.get(class_id) {
            return words;
        }
        let junk = patterns::junk_class(class_id);
        let words = Words {
            junk,
            comment: !junk && patterns::comment_class(class_id),
            content: patterns::content_class(class_id),
            // The kind can only turn from another into a forum later, so
            // a product page is known here.
            product_junk: kind == PageKind::Product && patterns::product_junk_class(class_id),
            item_part: junk && patterns::item_part_class(class_id),
        };
        self.seen.insert(class_id.to_owned(), words);
        words
    }
}

/// Flattens a parsed document into elements and blocks. The page's kind
/// decides which class/id words mark boilerplate.
pub(crate) fn page(document: &Document, kind: PageKind) -> Page {
    let mut page = Page::default();
    page.elements.push(Element {
        parent: None,
        end: 1,
        depth: 0,
        tag: Tag::Other,
        junk: false,
        content_hint: false,
        signature: 0,
        sticky: false,
        comment: false,
        product_junk: false,
        class_only: false,
    });
    // The page's microdata marks it as a forum thread.
    let mut micro_forum = false;
    let mut pending = Pending {
        space: true,
        ..Pending::default()
    };
    // The block-level elements we are inside, innermost last.
    let mut owners: Vec<usize> = vec![0];
    // The elements we are inside (block-level or not), innermost last.
    let mut open: Vec<usize> = vec![0];
    let mut links = 0usize;
    // How many `<noscript>` elements we are inside.
    let mut noscripts = 0usize;
    let mut stack: Vec<Step> = document.root().children_it(true).map(Step::Enter).collect();
    let mut class_words = ClassWords::default();
    // The class and id values of the element being entered, lowercased.
    let mut class_id = String::new();
    while let Some(step) = stack.pop() {
        match step {
            Step::Exit {
                element,
                block,
                link,
                noscript,
            } => {
                if block {
                    let owner = owners.last().copied().unwrap_or(0);
                    pending.flush(owner, noscripts > 0, &mut page.blocks);
                    owners.pop();
                }
                if link {
                    links = links.saturating_sub(1);
                }
                if noscript {
                    noscripts = noscripts.saturating_sub(1);
                }
                if open.last() == Some(&element) {
                    open.pop();
                }
                let end = page.elements.len();
                if let Some(e) = page.elements.get_mut(element) {
                    e.end = end;
                }
            }
            Step::Enter(node) => {
                let in_link = links > 0;
                let info = node.query(|n| match &n.data {
                    // Text goes straight into the block: copying every
                    // text node out first cost an allocation each.
                    NodeData::Text { contents } => {
                        pending.push_text(contents, in_link);
                        Visit::Nothing
                    }
                    NodeData::Element(e) => {
                        // html5ever lowercases the names of HTML elements;
                        // the atom is cloned, not copied into a string.
                        let tag = e.name.local.clone();
                        class_id.clear();
                        let mut signature = Signature::new();
                        signature.add(tag.as_bytes());
                        let mut hidden = false;
                        let mut hint = false;
                        let mut dialog = false;
                        for attr in &e.attrs {
                            let name: &str = &attr.name.local;
                            let value: &str = &attr.value;
                            match name {
                                "class" => {
                                    if let Some(token) = value
                                        .split_ascii_whitespace()
                                        .find(|t| patterns::shared_class_token(t))
                                    {
                                        signature.add(token.as_bytes());
                                    }
                                    patterns::push_class_words(&mut class_id, value);
                                }
                                "id" => {
                                    patterns::push_class_words(&mut class_id, value);
                                }
                                "hidden" => hidden = true,
                                "aria-hidden" => hidden |= value.eq_ignore_ascii_case("true"),
                                "style" => hidden |= patterns::style_hides(value),
                                "role" => {
                                    hint |= value.eq_ignore_ascii_case("main");
                                    let role = value.to_ascii_lowercase();
                                    hidden |= matches!(
                                        role.as_str(),
                                        "navigation" | "banner" | "contentinfo" | "complementary"
                                    );
                                    dialog |= matches!(role.as_str(), "dialog" | "alertdialog");
                                }
                                "aria-modal" => dialog |= value.eq_ignore_ascii_case("true"),
                                "itemtype" => {
                                    // Forum software (XenForo, vBulletin,
                                    // phpBB themes) marks its threads in
                                    // microdata rather than JSON-LD.
                                    micro_forum |= value.ends_with("/DiscussionForumPosting");
                                }
                                "itemprop" => {
                                    hint |= value.eq_ignore_ascii_case("articleBody")
                                        || value.eq_ignore_ascii_case("text")
                                }
                                _ => {}
                            }
                        }
                        Visit::Element {
                            tag,
                            hidden,
                            hint,
                            dialog,
                            signature: signature.0,
                        }
                    }
                    _ => Visit::Nothing,
                });
                if let Some(Visit::Element {
                    tag,
                    hidden,
                    hint,
                    dialog,
                    signature,
                }) = info
                {
                    let tag: &str = &tag;
                    if is_skipped(tag) {
                        continue;
                    }
                    if tag == "br" {
                        pending.line_break();
                        continue;
                    }
                    let parent = open.last().copied().unwrap_or(0);
                    let depth = page.elements[parent].depth + 1;
                    class_id.make_ascii_lowercase();
                    let words = class_words.get(&class_id, kind);
                    let tag_junk = patterns::junk_tag(tag);
                    let class_junk = words.junk;
                    let comment = words.comment;
                    let junk = hidden || tag_junk || class_junk || dialog;
                    // A `<form>` may wrap a whole ASP.NET page; the other
                    // boilerplate tags and dialogs never wrap the content.
                    let sticky = dialog || (tag_junk && tag != "form");
                    let content_hint = hint || matches!(tag, "article" | "main") || words.content;
                    let index = page.elements.len();
                    page.elements.push(Element {
                        parent: Some(parent),
                        end: index + 1,
                        depth,
                        tag: tag_kind(tag),
                        junk,
                        content_hint,
                        signature,
                        sticky,
                        comment,
                        product_junk: words.product_junk,
                        class_only: class_junk
                            && !(hidden || tag_junk || dialog)
                            && words.item_part,
                    });
                    let block = is_block_level(tag);
                    if block {
                        let owner = owners.last().copied().unwrap_or(0);
                        pending.flush(owner, noscripts > 0, &mut page.blocks);
                        owners.push(index);
                    }
                    let link = tag == "a";
                    if link {
                        links += 1;
                    }
                    let noscript = tag == "noscript";
                    if noscript {
                        noscripts += 1;
                    }
                    open.push(index);
                    stack.push(Step::Exit {
                        element: index,
                        block,
                        link,
                        noscript,
                    });
                    stack.extend(node.children_it(true).map(Step::Enter));
                }
            }
        }
    }
    let owner = owners.last().copied().unwrap_or(0);
    pending.flush(owner, noscripts > 0, &mut page.blocks);
    let end = page.elements.len();
    page.elements[0].end = end;
    page.kind = match kind {
        PageKind::Other | PageKind::Article if micro_forum => PageKind::Forum,
        kind => kind,
    };
    let (forum, product) = (page.kind == PageKind::Forum, page.kind == PageKind::Product);
    for element in &mut page.elements {
        element.junk |= (element.comment && !forum) || (element.product_junk && product);
    }
    drop_noscript_copies(&mut page);
    unmark_wrappers(&mut page);
    unmark_items(&mut page);
    page
}

/// Drops the blocks inside `<noscript>` that repeat a block outside it.
///
/// `<noscript>` is read, not skipped: forum software (Discourse) and some
/// shops serve their whole content there for crawlers, with an empty
/// shell for the script. Other sites (Next.js image fallbacks, pages
/// rendered on the server) repeat there what the page already shows, and
/// that copy must not count twice.
fn drop_noscript_copies(page: &mut Page) {
    if !page.blocks.iter().any(|b| b.noscript) {
        return;
    }
    let shown: std::collections::HashSet<&str> = page
        .blocks
        .iter()
        .filter(|b| !b.noscript)
        .map(|b| b.text.as_str())
        .collect();
    let copies: Vec<bool> = page
        .blocks
        .iter()
        .map(|b| b.noscript && shown.contains(b.text.as_str()))
        .collect();
    let mut index = 0;
    page.blocks.retain(|_| {
        let keep = !copies.get(index).copied().unwrap_or(false);
        index += 1;
        keep
    });
}

/// Per element, the sum of `value` over the blocks below it. Elements
/// come in document order, each after its parent, so one pass from the
/// last to the first adds each element's sum into its parent's: linear
/// in the page, where walking up from every block costs its depth.
pub(crate) fn totals<T>(page: &Page, value: impl Fn(&Block) -> T) -> Vec<T>
where
    T: Copy + Default + std::ops::AddAssign,
{
    let mut sums = vec![T::default(); page.elements.len()];
    for block in &page.blocks {
        if let Some(sum) = sums.get_mut(block.owner) {
            *sum += value(block);
        }
    }
    for e in (1..page.elements.len()).rev() {
        if let Some(parent) = page.elements[e].parent {
            let own = sums[e];
            sums[parent] += own;
        }
    }
    sums
}

/// An element marked as boilerplate that holds more than this share of
/// the page's text outside links is a wrapper, not boilerplate.
const WRAPPER_SHARE: f64 = 0.4;

/// Clears the boilerplate mark of elements that wrap much of the page:
/// `<body class="has-sidebar">`, an ASP.NET page's `<form>`, a
/// `<div class="site-header-wrapper">` around everything. A real sidebar
/// or comment form never holds that much of the text.
fn unmark_wrappers(page: &mut Page) {
    let own = totals(page, |b| b.chars.saturating_sub(b.link_chars));
    let total = own.first().copied().unwrap_or(0);
    let limit = WRAPPER_SHARE * total as f64;
    for (element, plain) in page.elements.iter_mut().zip(own) {
        if element.junk && !element.sticky && plain as f64 > limit {
            element.junk = false;
        }
    }
}

/// Elements of one signature marked as boilerplate by their class are
/// items of the content when there are at least this many of them...
const MIN_JUNK_ITEMS: usize = 4;
/// ...each holding at least this many characters...
const MIN_JUNK_ITEM_CHARS: usize = 25;
/// ...and together this share of all the page's characters.
const JUNK_ITEMS_SHARE: f64 = 0.25;

/// Clears the boilerplate mark of elements whose class words mark
/// boilerplate but which repeat as the items that hold most of the page:
/// arXiv's listing wraps each entry in `<div class="meta">`, Bootstrap
/// shops each product card's text in `<div class="caption">`. A related
/// links box or a row of captions repeats too, but holds a small part of
/// a page's text.
fn unmark_items(page: &mut Page) {
    if !page.elements.iter().any(|e| e.class_only) {
        return;
    }
    let chars = totals(page, |b| b.chars);
    let total = chars.first().copied().unwrap_or(0);
    // signature → (items, their characters)
    let mut groups: std::collections::HashMap<u64, (usize, usize)> =
        std::collections::HashMap::new();
    for (element, &c) in page.elements.iter().zip(&chars) {
        if element.junk && element.class_only && c >= MIN_JUNK_ITEM_CHARS {
            let group = groups.entry(element.signature).or_default();
            group.0 += 1;
            group.1 += c;
        }
    }
    let limit = JUNK_ITEMS_SHARE * total as f64;
    for element in &mut page.elements {
        if element.junk && element.class_only {
            if let Some(&(items, c)) = groups.get(&element.signature) {
                if items >= MIN_JUNK_ITEMS && c as f64 >= limit {
                    element.junk = false;
                }
            }
        }
    }
}

enum Visit {
    Element {
        tag: dom_query::LocalName,
        hidden: bool,
        hint: bool,
        dialog: bool,
        signature: u64,
    },
    Nothing,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Vec<String> {
        page(&Document::from(html), PageKind::Other)
            .blocks
            .into_iter()
            .map(|b| b.text)
            .collect()
    }

    #[test]
    fn a_footer_stays_boilerplate_however_long() {
        // A privacy policy in the footer's dialog outweighs the page's
        // scrap of text, yet is no wrapper of it.
        let policy = "We collect the personal information you give us when you order, and we keep it for as long as the law requires. ".repeat(5);
        let html = format!(
            r#"<body><div><p>A short note about the product.</p></div><footer><div role="dialog"><p>{policy}</p></div></footer></body>"#
        );
        let page = page(&Document::from(html.as_str()), PageKind::Other);
        for block in &page.blocks {
            let mut junk = false;
            let mut current = Some(block.owner);
            while let Some(e) = current {
                junk |= page.elements[e].junk;
                current = page.elements[e].parent;
            }
            assert_eq!(junk, block.text.starts_with("We collect"), "{}", block.text);
        }
    }

    #[test]
    fn totals_add_up_the_blocks_below() {
        let page = page(
            &Document::from("<body><div><p>abc</p><p>de</p></div><p>f</p></body>"),
            PageKind::Other,
        );
        let sums = totals(&page, |b| b.chars);
        assert_eq!(sums[0], 6);
        let div = page.blocks[0].owner - 1;
        assert_eq!(sums[div], 5);
        assert_eq!(page.elements[div].end, page.blocks[1].owner + 1);
    }

    #[test]
    fn reads_noscript_but_not_its_copies() {
        // A forum that serves its posts to crawlers inside <noscript>.
        let text = texts(
            "<body><div id=app></div><noscript><div class=post><p>First post of the thread.</p></div></noscript></body>",
        );
        assert_eq!(text, vec!["First post of the thread."]);
        // A page that repeats its own paragraph there.
        let text = texts("<body><p>Shown once.</p><noscript><p>Shown once.</p></noscript></body>");
        assert_eq!(text, vec!["Shown once."]);
    }
}
