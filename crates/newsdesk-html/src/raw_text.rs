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
//!
//! The same scan closes a runaway `<title>`. A title's text is raw text
//! too, which ends only at `</title>`: a page that never closes its title
//! (or closes it with a typo, `</titlevalue>`) would be one title to its
//! end and have no text at all, although lenient parsers and the browsers
//! of its day showed the page. A title never holds markup, so it is closed
//! before its first tag-like `<` (`<` and a letter, `/` or `!`).

use crate::scan::{find_from, name_at, next_tag, tag_end};

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
    // Where the next `</title>` starts (or the end): found once and kept
    // while later titles open before it, so that many titles that never
    // close cost one scan, not one each.
    let mut title_close: Option<usize> = None;
    while let Some(lt) = next_tag(html, at) {
        if name_at(bytes, lt + 1, "title") {
            let Some(open_end) = tag_end(html, lt + 6) else {
                break;
            };
            let end = match title_close {
                Some(close) if close >= open_end => close,
                _ => {
                    let close = title_end(html, open_end);
                    title_close = Some(close);
                    close
                }
            };
            match first_markup(bytes, open_end, end) {
                Some(cut) => {
                    out.push_str(&html[copied..cut]);
                    out.push_str("</title>");
                    copied = cut;
                    at = cut;
                }
                None => at = end,
            }
            continue;
        }
        let Some(tag) = RAW_TEXT_TAGS.iter().find(|tag| name_at(bytes, lt + 1, tag)) else {
            at = lt + 1;
            continue;
        };
        let Some(open_end) = tag_end(html, lt + 1 + tag.len()) else {
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
        let lt = find_from(html, at, "</")?;
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

/// Where the `</title>` end tag (any case, followed by white space, `/`
/// or `>`) at or after `from` starts; the end of `html` if none does.
fn title_end(html: &str, from: usize) -> usize {
    let mut at = from;
    while let Some(lt) = find_from(html, at, "</") {
        if name_at(html.as_bytes(), lt + 2, "title") {
            return lt;
        }
        at = lt + 2;
    }
    html.len()
}

/// The first `<` between `from` and `to` that starts markup: followed by
/// an ASCII letter, `/` or `!`.
fn first_markup(bytes: &[u8], from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&i| {
        bytes[i] == b'<'
            && bytes
                .get(i + 1)
                .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'/' || b == b'!')
    })
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
    fn closes_a_runaway_title() {
        // Never closed: the title ends where its first tag starts.
        assert_eq!(
            strip("<title>Rain at last\n<meta x><body><p>Text</p>"),
            "<title>Rain at last\n</title><meta x><body><p>Text</p>"
        );
        // Closed with a typo.
        assert_eq!(
            strip("<title>Rain</titlevalue=\"1\" --><p>Text</p>"),
            "<title>Rain</title></titlevalue=\"1\" --><p>Text</p>"
        );
        // A title that closes is left alone, a lone `<` in it too.
        for fine in [
            "<TITLE>Rain</Title><p>x</p>",
            "<title>a < b</title>",
            "<title>x",
        ] {
            assert_eq!(strip(fine), fine);
        }
        // Many titles that never close are cut one by one, each before its
        // first tag.
        let many = "<title>x<p>y</p>".repeat(3);
        assert_eq!(strip(&many), "<title>x</title><p>y</p>".repeat(3));
        let parsed = crate::extract("<title>Rain at last\n<body><p>The reservoirs filled overnight after a month of drought.</p></body>");
        assert!(parsed.text.contains("reservoirs filled"), "{parsed:?}");
    }

    #[test]
    fn leaves_unclosed_elements() {
        assert_eq!(strip("<p>a<script>b"), "<p>a<script>b");
        assert_eq!(strip("<p>a<script src=\"x"), "<p>a<script src=\"x");
        assert_eq!(strip("é<style>ü</style>ß"), "é<style></style>ß");
    }
}
