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

/// The container whose tag name (any case) starts at `at`, followed by
/// white space, `/` or `>`. The names are letters only, so the run of
/// letters there is the whole name: one lookup instead of a comparison
/// per container (this runs at every tag of every page).
fn container_at(bytes: &[u8], at: usize) -> Option<&'static str> {
    let rest = bytes.get(at..)?;
    let len = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if len == 0 || len > LONGEST {
        return None;
    }
    let mut lower = [0u8; LONGEST];
    for (l, b) in lower.iter_mut().zip(&rest[..len]) {
        *l = b.to_ascii_lowercase();
    }
    let name = CONTAINERS.iter().find(|n| n.as_bytes() == &lower[..len])?;
    name_at(bytes, at, name).then_some(*name)
}

/// The length of the longest name in [`CONTAINERS`].
const LONGEST: usize = 10;

/// `html` with containers nested deeper than [`MAX_DEPTH`] unwrapped.
pub(crate) fn cap(html: &str) -> Cow<'_, str> {
    // Cheap test first: a page of fewer tags than the limit cannot nest
    // past it. (Counting stops at the limit: most pages pass it early.)
    let bytes = html.as_bytes();
    let tags = bytes
        .iter()
        .filter(|&&b| b == b'<')
        .take(MAX_DEPTH + 1)
        .count();
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
        let Some(name) = container_at(bytes, name_start) else {
            at = lt + 1;
            continue;
        };
        let Some(end) = tag_end(html, name_start + name.len()) else {
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
    fn container_names_are_found_in_any_case() {
        assert!(CONTAINERS.iter().all(|n| n.len() <= LONGEST));
        assert_eq!(container_at(b"<DiV class=a>", 1), Some("div"));
        assert_eq!(container_at(b"<figcaption>", 1), Some("figcaption"));
        assert_eq!(container_at(b"<divx>", 1), None);
        assert_eq!(container_at(b"<h1>", 1), None);
        assert_eq!(container_at(b"<span", 1), None);
    }

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
