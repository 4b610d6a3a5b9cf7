//! Emptying `<script>` and `<style>` elements before the page is parsed.
//!
//! Their contents are never text of the page, yet they are about 40% of
//! a typical page's bytes, and the HTML tokenizer reads every one of those
//! bytes. Cutting them out with a plain byte scan first makes parsing
//! markedly cheaper. The elements themselves stay (empty), and JSON-LD
//! scripts are kept whole, since the metadata is read from them.
//!
//! The scan follows the tokenizer where it matters: comments are skipped
//! (a `<script` inside one is no element), quoted attribute values may
//! hold `>`, and an element ends at the first `</script` or `</style`
//! (any case). When anything does not close, the rest is left as it is.

use crate::scan::{name_at, next_tag, tag_end};

/// The elements whose contents are dropped.
const RAW_TEXT_TAGS: &[&str] = &["script", "style"];

/// `html` with the contents of its `<script>` (other than JSON-LD) and
/// `<style>` elements removed.
pub(crate) fn strip(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    // Everything before `copied` is written (or dropped).
    let mut copied = 0;
    let mut at = 0;
    while let Some(lt) = next_tag(html, at) {
        let Some(tag) = RAW_TEXT_TAGS.iter().find(|tag| name_at(bytes, lt + 1, tag)) else {
            at = lt + 1;
            continue;
        };
        let Some(open_end) = tag_end(bytes, lt + 1 + tag.len()) else {
            break;
        };
        let Some(close) = find_close(html, open_end, tag) else {
            break;
        };
        let keep = *tag == "script" && is_json_ld(&html[lt..open_end]);
        if !keep {
            out.push_str(&html[copied..open_end]);
            copied = close;
        }
        at = close;
    }
    out.push_str(&html[copied..]);
    out
}

/// The position of the first `</tag` (any case) at or after `from`.
fn find_close(html: &str, from: usize, tag: &str) -> Option<usize> {
    let mut at = from;
    loop {
        let lt = at + html.get(at..)?.find("</")?;
        let name = lt + 2;
        if html
            .as_bytes()
            .get(name..name + tag.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(tag.as_bytes()))
        {
            return Some(lt);
        }
        at = lt + 2;
    }
}

/// Whether an opening `<script …>` tag declares JSON-LD.
fn is_json_ld(open_tag: &str) -> bool {
    open_tag.to_ascii_lowercase().contains("ld+json")
}

#[cfg(test)]
mod tests {
    use super::strip;

    #[test]
    fn empties_scripts_and_styles() {
        assert_eq!(
            strip(
                "<p>a</p><script>var x = '<p>';</script><STYLE media=\"a>b\">p{}</Style><p>b</p>"
            ),
            "<p>a</p><script></script><STYLE media=\"a>b\"></Style><p>b</p>"
        );
    }

    #[test]
    fn keeps_json_ld_comments_and_lookalikes() {
        let ld = r#"<script type="application/ld+json">{"headline": "x"}</script>"#;
        assert_eq!(strip(ld), ld);
        let comment = "<!-- <script> --><p>kept</p><!-- </script> -->";
        assert_eq!(strip(comment), comment);
        assert_eq!(strip("<scripts>a</scripts>"), "<scripts>a</scripts>");
    }

    #[test]
    fn leaves_unclosed_elements() {
        assert_eq!(strip("<p>a<script>b"), "<p>a<script>b");
        assert_eq!(strip("<p>a<script src=\"x"), "<p>a<script src=\"x");
        assert_eq!(strip("é<style>ü</style>ß"), "é<style></style>ß");
    }
}
