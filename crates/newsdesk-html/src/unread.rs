//! Dropping, before parsing, what no reader of the page looks at: the
//! attributes other than the few the blocks, the metadata and the tree
//! builder read, and all but the first character of each run of white
//! space in text.
//!
//! Attributes are most of a page's bytes once its scripts and styles are
//! emptied (on WCXB dev, `data-*`, SVG paths' `d`, `srcset` and `src`
//! alone are a quarter), and the HTML tokenizer and tree builder pay for
//! every one: each becomes an interned name and an allocated value.
//! Indentation between tags is a tenth of the bytes, and a text node
//! longer than eight bytes is allocated. The blocks and the metadata read
//! a handful of attributes ([`kept_name`]) and collapse white space
//! themselves (the blocks into one space, the metadata's `clean` too), so
//! the page they parse can go without the rest. Readability reads many
//! more attributes; it is handed the page with all of them (see
//! `crate::extract`).
//!
//! The tree the parser builds from the result is the tree it builds from
//! the page, less the dropped attributes and with shorter white space,
//! because:
//!
//! - start tags are read as the tokenizer reads them (WHATWG HTML,
//!   "tag open" to "after attribute value (quoted)" states), so the same
//!   attributes are found, and a dropped one is cut out whole: the
//!   tokenizer finds the other attributes as before;
//! - only tags and text in the data state are touched: comments, `<!…>`
//!   and `<?…>` constructs and the contents of the elements whose text is
//!   raw (`<title>`, `<textarea>`, `<style>`, `<script>`, …) are copied as
//!   they are, even where the tree builder would read them as markup
//!   (inside SVG): copying too much is always safe;
//! - a run of white space stays white space, so the tree builder, which
//!   treats white space apart (in tables, before `<body>`), decides as
//!   before; a line feed that it drops after `<pre>` only turns into a
//!   leading space, which the blocks drop as well;
//! - the attributes that steer the tree builder are kept: `type`
//!   (`<input type=hidden>` in a table), `color`, `face` and `size`
//!   (`<font>` inside SVG), `encoding` (MathML's `annotation-xml`),
//!   `form`, `shadowrootmode`, `charset`;
//! - the formatting elements (`<b>`, `<font>`, …) keep all their
//!   attributes: the tree builder compares theirs when it limits how many
//!   alike ones it reopens (the "Noah's Ark" clause).
//!
//! A `<script>` whose contents hold `<!--` may not end at its first
//! `</script>`; the rest of such a page is copied as it is.

use std::borrow::Cow;

use crate::scan::find_from;

/// Whether an attribute, its name lowercased, is kept: those the
/// blocks, the metadata and the tree builder read.
fn kept_name(name: &[u8]) -> bool {
    matches!(
        name,
        b"class"
            | b"id"
            | b"hidden"
            | b"aria-hidden"
            | b"aria-modal"
            | b"style"
            | b"role"
            | b"itemtype"
            | b"itemprop"
            | b"content"
            | b"name"
            | b"property"
            | b"http-equiv"
            | b"charset"
            | b"datetime"
            | b"lang"
            | b"rel"
            | b"href"
            | b"type"
            | b"color"
            | b"face"
            | b"size"
            | b"encoding"
            | b"form"
            | b"shadowrootmode"
    )
}

/// The length of the longest name [`kept_name`] keeps.
const LONGEST_KEPT: usize = 14;

/// Whether an attribute (its name as written) is kept. A namespaced name
/// (`xlink:href`) is kept when its local part is.
fn kept(name: &[u8]) -> bool {
    let local = match name.iter().rposition(|&b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    };
    if local.len() > LONGEST_KEPT {
        return false;
    }
    let mut lower = [0u8; LONGEST_KEPT];
    for (l, b) in lower.iter_mut().zip(local) {
        *l = b.to_ascii_lowercase();
    }
    kept_name(&lower[..local.len()])
}

/// The formatting elements of the tree builder's list of active
/// formatting elements: they keep all their attributes. (Not `<a>`: the
/// tree builder closes an open `<a>` before it opens another, so no two
/// are ever compared.)
fn formatting(tag: &[u8]) -> bool {
    matches!(
        tag,
        b"b" | b"big"
            | b"code"
            | b"em"
            | b"font"
            | b"i"
            | b"nobr"
            | b"s"
            | b"small"
            | b"strike"
            | b"strong"
            | b"tt"
            | b"u"
    )
}

/// Elements whose contents the tokenizer may read as text rather than
/// markup (RCDATA, RAWTEXT, script data, PLAINTEXT), in any context.
fn raw(tag: &[u8]) -> bool {
    matches!(
        tag,
        b"title"
            | b"textarea"
            | b"style"
            | b"xmp"
            | b"iframe"
            | b"noembed"
            | b"noframes"
            | b"script"
            | b"plaintext"
    )
}

/// White space inside a tag (carriage returns become line feeds before
/// the tokenizer sees them).
fn space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Reads the tag whose name starts at `at` (just after `<` or `</`) as
/// the tokenizer reads it: where its name ends and where it ends (just
/// after its `>`), and into `attributes` the byte ranges of its
/// attributes (from the name's first byte to the value's last). `None`
/// when the page ends inside it (the tokenizer then drops it).
fn read_tag(html: &str, at: usize, attributes: &mut Vec<(usize, usize)>) -> Option<(usize, usize)> {
    let bytes = html.as_bytes();
    attributes.clear();
    let mut i = at;
    while i < bytes.len() && !space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name_end = i;
    loop {
        // Before attribute name: white space and `/` are passed over (a
        // `/` not followed by `>` is read again here).
        let b = *bytes.get(i)?;
        if space(b) || b == b'/' {
            i += 1;
            continue;
        }
        if b == b'>' {
            return Some((name_end, i + 1));
        }
        // Attribute name: its first character is taken whatever it is
        // (even `=`), then up to white space, `/`, `>` or `=`.
        let start = i;
        i += 1;
        while i < bytes.len() && !matches!(bytes[i], b'/' | b'>' | b'=') && !space(bytes[i]) {
            i += 1;
        }
        let mut end = i;
        // After attribute name.
        while i < bytes.len() && space(bytes[i]) {
            i += 1;
        }
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            // Before attribute value.
            while i < bytes.len() && space(bytes[i]) {
                i += 1;
            }
            match *bytes.get(i)? {
                quote @ (b'"' | b'\'') => {
                    // Values are long (addresses, class lists): a
                    // `memchr` finds their end.
                    let close = html.get(i + 1..)?.find(char::from(quote))?;
                    i += 1 + close + 1;
                    end = i;
                }
                // A missing value: the tag ends here.
                b'>' => end = i,
                _ => {
                    while i < bytes.len() && bytes[i] != b'>' && !space(bytes[i]) {
                        i += 1;
                    }
                    end = i;
                }
            }
        } else {
            // No value: the white space passed over belongs to no
            // attribute; the next character starts the next one.
        }
        attributes.push((start, end));
    }
}

/// Whether `bytes[at..]` starts with `</name` (any case) followed by
/// white space, `/` or `>`: the end tag that closes a raw text element.
fn closes(bytes: &[u8], at: usize, name: &[u8]) -> bool {
    let after = at + 2 + name.len();
    bytes.get(at..at + 2) == Some(b"</")
        && bytes
            .get(at + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
        && bytes
            .get(after)
            .is_some_and(|&b| space(b) || b == b'/' || b == b'>')
}

/// `html` without the attributes that are not kept ([`kept`]) and with
/// each run of white space in text cut to its first character (see the
/// module documentation for why the parsed tree is otherwise the same).
pub(crate) fn drop_unread(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Everything before `copied` is written (or dropped).
    let mut copied = 0;
    let mut at = 0;
    // The lowercased name of the current tag, and its attributes.
    let mut name: Vec<u8> = Vec::with_capacity(16);
    let mut attributes: Vec<(usize, usize)> = Vec::new();
    // Where the text being read (in the data state) starts.
    let mut text_from = 0;
    loop {
        let Some(offset) = html.get(at..).and_then(|rest| rest.find('<')) else {
            // The page ends in text.
            collapse_space(html, text_from, html.len(), &mut out, &mut copied);
            break;
        };
        let lt = at + offset;
        let Some(&next) = bytes.get(lt + 1) else {
            break;
        };
        if next == b'!' || next == b'?' || next == b'/' || next.is_ascii_alphabetic() {
            collapse_space(html, text_from, lt, &mut out, &mut copied);
        }
        if next == b'!' {
            // A comment ends at `-->` at the latest; a CDATA section or a
            // bogus comment at `]]>` or `>`.
            let (from, close) = if bytes[lt..].starts_with(b"<!--") {
                (lt + 4, "-->")
            } else if bytes[lt..].starts_with(b"<![CDATA[") {
                (lt + 9, "]]>")
            } else {
                (lt + 2, ">")
            };
            match find_from(html, from, close) {
                Some(end) => at = end + close.len(),
                None => break,
            }
            text_from = at;
            continue;
        }
        if next == b'?' || next == b'/' {
            // An end tag, or a bogus comment: copied; an end tag's
            // attributes (which the tokenizer drops) may hold a `>` in
            // quotes.
            let end = if next == b'/' && bytes.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) {
                read_tag(html, lt + 2, &mut attributes).map(|(_, end)| end)
            } else {
                html[lt..].find('>').map(|end| lt + end + 1)
            };
            match end {
                Some(end) => at = end,
                None => break,
            }
            text_from = at;
            continue;
        }
        if !next.is_ascii_alphabetic() {
            at = lt + 1;
            continue;
        }
        let Some((name_end, tag_end)) = read_tag(html, lt + 1, &mut attributes) else {
            break;
        };
        name.clear();
        name.extend(bytes[lt + 1..name_end].iter().map(u8::to_ascii_lowercase));
        if !formatting(&name) {
            for &(start, end) in &attributes {
                let attribute = &bytes[start..end];
                let name_len = attribute
                    .iter()
                    .skip(1)
                    .position(|&b| b == b'=' || space(b))
                    .map_or(attribute.len(), |p| p + 1);
                if kept(&attribute[..name_len]) {
                    continue;
                }
                let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
                out.push_str(&html[copied..start]);
                copied = end;
                // An attribute right after a `/` is cut out for a space:
                // if the tag ended right after it, the `/` would become
                // the mark of a self-closing tag (`<svg /a>` is not one).
                if start.checked_sub(1).and_then(|i| bytes.get(i)) == Some(&b'/') {
                    out.push(' ');
                }
            }
        }
        at = tag_end;
        if raw(&name) {
            if name == b"plaintext" {
                break;
            }
            // The contents run to the first `</name`.
            let mut from = at;
            let close = loop {
                match find_from(html, from, "</") {
                    Some(p) if closes(bytes, p, &name) => break Some(p),
                    Some(p) => from = p + 2,
                    None => break None,
                }
            };
            let Some(close) = close else {
                break;
            };
            // A script that opens a comment may run past its first end
            // tag (the tokenizer's "double escaped" states): stop here.
            if name == b"script" && html[at..close].contains("<!--") {
                break;
            }
            at = close;
        }
        text_from = at;
    }
    match out {
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(html),
    }
}

/// Writes the page up to `to`, each run of white space in the text
/// from `from` to `to` cut to its first character.
fn collapse_space(
    html: &str,
    from: usize,
    to: usize,
    out: &mut Option<String>,
    copied: &mut usize,
) {
    let bytes = html.as_bytes();
    let mut i = from;
    while i + 1 < to {
        if !(space(bytes[i]) && space(bytes[i + 1])) {
            i += 1;
            continue;
        }
        let mut end = i + 2;
        while end < to && space(bytes[end]) {
            end += 1;
        }
        let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
        out.push_str(&html[*copied..i + 1]);
        *copied = end;
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_unread_attributes_and_keeps_the_rest() {
        assert_eq!(
            drop_unread(r#"<div data-x="a>b" class="c" srcset='1x' id=d data-y=e>t</div>"#),
            r#"<div  class="c"  id=d >t</div>"#
        );
        assert_eq!(
            drop_unread(r#"<IMG SRC="x.png" Alt=y/><p title="t"class="k">"#),
            r#"<IMG  ><p class="k">"#
        );
        // Formatting elements keep everything, but for `<a>`.
        let b = r#"<b data-k="1">y</b><FONT Data-k="2">z</FONT>"#;
        assert_eq!(drop_unread(b), b);
        let a = r#"<a href="/x" data-track="1" XLINK:HREF="y">x</a>"#;
        assert_eq!(drop_unread(a), r#"<a href="/x"  XLINK:HREF="y">x</a>"#);
        // No value, a value with `/` (an unquoted value takes it: `Alt=y/`
        // above is not self-closing), a name starting with `=`, an empty
        // value.
        assert_eq!(
            drop_unread(r#"<div data-x/class=y><p data-z=/ ><br =a class=b><hr data-q=>"#),
            r#"<div /class=y><p  ><br  class=b><hr >"#
        );
        // A `/` before a dropped attribute does not come to close the tag
        // (found by the fuzz corpus: `<svg nten</titlu>` read as `<svg />`).
        assert_eq!(drop_unread("<svg a</b>x"), "<svg / >x");
        assert_eq!(drop_unread("<p x/a/b>"), "<p / / >");
        assert_eq!(drop_unread("<p data-x/>"), "<p />");
    }

    #[test]
    fn leaves_comments_raw_text_and_end_tags_alone() {
        let page = r#"<!-- <div data-x="1"> --><title><p data-y="2"></title><textarea><b data-z></TEXTAREA ><p data-w="3">"#;
        assert_eq!(
            drop_unread(page),
            r#"<!-- <div data-x="1"> --><title><p data-y="2"></title><textarea><b data-z></TEXTAREA ><p >"#
        );
        let end = r#"</div data-x="a>b"><p data-y="1">"#;
        assert_eq!(drop_unread(end), r#"</div data-x="a>b"><p >"#);
        let odd = r#"<script><!--<script></script><p data-x="1">--></script><p data-y="2">"#;
        assert_eq!(drop_unread(odd), odd);
        let open = r#"<p data-x="1"><div data-y="2"#;
        assert_eq!(drop_unread(open), r#"<p ><div data-y="2"#);
    }

    #[test]
    fn parses_to_the_same_tree_less_the_dropped_attributes() {
        let page = r#"<html data-a="1" lang="en"><body><table><input type="hidden" data-q="1"><tr><td data-r="2" class="c">x</td></tr></table> <svg viewBox="0 0 1 1"><path d="M0 0"/><font color="red" data-s="3">out</font></svg><p data-t=4 hidden>y</p></body></html>"#;
        let lean = drop_unread(page);
        let html = |s: &str| dom_query::Document::from(s).html().to_string();
        let strip = |s: &str| {
            // The `<font>` in SVG is a formatting element: it keeps all.
            without(s, &["data-a", "data-q", "data-r", "viewBox", "d", "data-t"])
        };
        assert_eq!(html(&lean), strip(&html(page)));
    }

    #[test]
    fn cuts_runs_of_white_space_in_text_only() {
        assert_eq!(
            drop_unread("<p>a  \n b</p>\n\n<pre>\n\n x</pre>\t\t"),
            "<p>a b</p>\n<pre>\nx</pre>\t"
        );
        let kept = "<title>a   b</title><textarea>c\n\n d</textarea><!--  --><p title=\"e  f\">";
        assert_eq!(
            drop_unread(kept),
            "<title>a   b</title><textarea>c\n\n d</textarea><!--  --><p >"
        );
        // In a table, white space stays in place and other text is moved
        // out of it: the run is still white space.
        let table = "<table>  <tr><td>x</td></tr>   y</table>";
        let html = |s: &str| dom_query::Document::from(s).html().to_string();
        assert_eq!(
            html(&drop_unread(table)),
            html(table)
                .replace("  <tbody>", " <tbody>")
                .replace("   y", " y")
        );
    }

    /// The serialised tree with the named attributes removed.
    fn without(html: &str, names: &[&str]) -> String {
        let mut out = html.to_string();
        for name in names {
            while let Some(start) = out.find(&format!(" {name}=\"")) {
                let value = start + name.len() + 3;
                let Some(close) = out[value..].find('"') else {
                    break;
                };
                out.replace_range(start..value + close + 1, "");
            }
        }
        out
    }
}
