//! A cap on how deeply container elements nest, applied before parsing.
//!
//! The HTML tree builder checks the open elements at every end tag (the
//! standard's "in scope" tests), so a page of 100,000 nested `<div>`s
//! takes time growing with the square of its depth: about an hour. Real
//! pages nest a few dozen levels. Past [`MAX_DEPTH`] open containers, the
//! start tags of further containers and their end tags are left out, so
//! their content joins the innermost container kept, as browsers do past
//! their own limit. Pages with fewer containers than that are returned as
//! they are, untouched.

use std::borrow::Cow;

use crate::scan::{name_at, next_tag, tag_end};

/// The deepest nesting of container elements kept.
pub(crate) const MAX_DEPTH: usize = 512;

/// Elements whose nesting is counted: the block containers whose start
/// tag makes the tree builder look for an open `p` element in button
/// scope (WHATWG HTML, "in body" insertion mode: "address", "article", …,
/// "ul"), a walk down the stack of open elements, so that each nesting
/// level costs the depth again; and `span`. No other element closes these
/// implicitly, so they nest as deep as a page opens them.
const CONTAINERS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "search",
    "section",
    "span",
    "summary",
    "ul",
];

/// `html` with containers nested deeper than [`MAX_DEPTH`] unwrapped.
pub(crate) fn cap(html: &str) -> Cow<'_, str> {
    // Cheap test first: a page of fewer tags than the limit cannot nest
    // past it.
    let bytes = html.as_bytes();
    let tags = bytes.iter().filter(|&&b| b == b'<').count();
    if tags <= MAX_DEPTH {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut at = 0;
    // Per open container: whether its tags were left out.
    let mut open: Vec<bool> = Vec::new();
    let mut changed = false;
    while let Some(lt) = next_tag(html, at) {
        let closing = bytes.get(lt + 1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        let Some(name) = CONTAINERS.iter().find(|n| name_at(bytes, name_start, n)) else {
            at = lt + 1;
            continue;
        };
        let Some(end) = tag_end(bytes, name_start + name.len()) else {
            break;
        };
        let self_closing = !closing && bytes[..end].ends_with(b"/>");
        let drop = if closing {
            open.pop().unwrap_or(false)
        } else if self_closing {
            false
        } else {
            let drop = open.len() >= MAX_DEPTH;
            open.push(drop);
            drop
        };
        if drop {
            out.push_str(&html[copied..lt]);
            copied = end;
            changed = true;
        }
        at = end;
    }
    if !changed {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = "<html><body><div class=\"a\"><p>Text</p><span>x</span></div></body></html>";
        assert!(matches!(cap(page), Cow::Borrowed(_)));
        let many = "<div>a</div>".repeat(2000);
        assert!(matches!(cap(&many), Cow::Borrowed(_)));
    }

    #[test]
    fn containers_past_the_limit_are_unwrapped_and_their_text_kept() {
        let depth = MAX_DEPTH + 100;
        let page = format!(
            "{}<p>deep text</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let capped = cap(&page);
        assert_eq!(capped.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(capped.matches("</div>").count(), MAX_DEPTH);
        assert!(capped.contains("<p>deep text</p>"));
    }

    #[test]
    fn comments_and_quoted_brackets_do_not_count() {
        let depth = MAX_DEPTH + 1;
        let page = format!(
            "<!-- {} -->{}x{}",
            "<div>".repeat(depth),
            "<div title=\"a>b\">".repeat(depth),
            "</div>".repeat(depth)
        );
        let capped = cap(&page);
        assert_eq!(capped.matches("<div title").count(), MAX_DEPTH);
        assert!(capped.starts_with("<!-- "));
    }
}
