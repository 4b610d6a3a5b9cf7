//! The words by which pages name their parts: boilerplate (navigation,
//! share bars, cookie banners, related links, comment forms, ads) and main
//! text (`entry-content`, `article-body`, …), and the short phrases that
//! are boilerplate wherever they stand.
//!
//! These are data, in the spirit of the class/id lists that Readability
//! and Trafilatura use; the selection treats them as evidence, not as
//! verdicts on their own (a "comments" block is dropped only inside a main
//! text chosen by its text and link density).

/// Tags that are boilerplate by themselves.
pub(crate) fn junk_tag(tag: &str) -> bool {
    matches!(
        tag,
        "nav" | "aside" | "footer" | "form" | "figcaption" | "menu"
    )
}

/// Class or id words (whole words of the attribute) that mark boilerplate.
const JUNK_WORDS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "banner",
    "breadcrumb",
    "breadcrumbs",
    "byline",
    "caption",
    "comment",
    "comments",
    "consent",
    "cookie",
    "cookies",
    "copyright",
    "credit",
    "credits",
    "disqus",
    "dropdown",
    "footer",
    "header",
    "hidden",
    "hide",
    "masthead",
    "menu",
    "modal",
    "nav",
    "navbar",
    "navigation",
    "newsletter",
    "outbrain",
    "pagination",
    "popup",
    "promo",
    "related",
    "share",
    "sharing",
    "sidebar",
    "signup",
    "social",
    "sponsored",
    "subscribe",
    "subscription",
    "taboola",
    "tags",
    "toolbar",
    "widget",
    "skip",
    "sr-only",
    "visually-hidden",
    "screen-reader-text",
    "d-none",
    "author-bio",
    "recommended",
    "trending",
    "most-popular",
    "read-more",
    "readmore",
    "more-stories",
    "gdpr",
    "paywall",
    "print",
    "meta",
    "post-meta",
    "entry-meta",
    "article-meta",
];

/// Class or id words that mark the main text.
const CONTENT_WORDS: &[&str] = &[
    "article-body",
    "articlebody",
    "article-content",
    "article-text",
    "articletext",
    "entry-content",
    "entry-body",
    "post-content",
    "post-body",
    "post-entry",
    "postbody",
    "story-body",
    "story-content",
    "storycontent",
    "main-content",
    "maincontent",
    "page-content",
    "content-body",
    "body-text",
    "rich-text",
    "article__body",
    "article__content",
    "c-article-body",
    "td-post-content",
];

/// Whether a class/id value (lowercased, words separated by spaces) marks
/// boilerplate. Words are compared whole, and also the pieces of words
/// joined by `-` or `_`, so that `social-share` and `site_footer` count
/// but `shared-content` does not.
pub(crate) fn junk_class(class_id: &str) -> bool {
    class_id.split_ascii_whitespace().any(|word| {
        JUNK_WORDS.contains(&word)
            || word
                .split(['-', '_'])
                .filter(|piece| !piece.is_empty())
                .any(|piece| {
                    matches!(
                        piece,
                        "nav"
                            | "navbar"
                            | "navigation"
                            | "menu"
                            | "footer"
                            | "sidebar"
                            | "share"
                            | "sharing"
                            | "social"
                            | "cookie"
                            | "cookies"
                            | "consent"
                            | "newsletter"
                            | "subscribe"
                            | "related"
                            | "breadcrumb"
                            | "breadcrumbs"
                            | "comments"
                            | "advert"
                            | "advertisement"
                            | "ad"
                            | "ads"
                            | "promo"
                            | "popup"
                            | "modal"
                            | "banner"
                            | "caption"
                    )
                })
    })
}

/// Whether a class/id value (lowercased) marks the main text.
pub(crate) fn content_class(class_id: &str) -> bool {
    class_id
        .split_ascii_whitespace()
        .any(|word| CONTENT_WORDS.contains(&word))
}

/// Whether an inline style hides the element.
pub(crate) fn style_hides(style: &str) -> bool {
    let compact: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}

/// Short blocks that are boilerplate wherever they stand: share and
/// comment prompts, "read more", ad labels. Compared lowercased, without
/// trailing punctuation.
const BOILERPLATE_PHRASES: &[&str] = &[
    "advertisement",
    "sponsored",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "tweet",
    "email",
    "print",
    "read more",
    "continue reading",
    "related",
    "related articles",
    "related posts",
    "related stories",
    "related topics",
    "you may also like",
    "recommended",
    "more stories",
    "leave a reply",
    "leave a comment",
    "post a comment",
    "comments",
    "subscribe",
    "sign up",
    "log in",
    "login",
    "skip to content",
    "skip to main content",
    "back to top",
    "image caption",
    "image source",
    "media caption",
    "getty images",
    "cookie settings",
    "accept all cookies",
    "accept cookies",
    "follow us",
    "click here",
    "previous",
    "next",
    "menu",
    "search",
    "home",
];

/// Whether a short block is a boilerplate phrase.
pub(crate) fn boilerplate_phrase(text: &str) -> bool {
    if text.len() > 40 {
        return false;
    }
    let lower = text
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace())
        .to_lowercase();
    BOILERPLATE_PHRASES.contains(&lower.as_str())
}

/// Whether a block is a cookie-consent notice: short, about cookies, and
/// asking or telling the reader about their use. Banners are usually
/// marked by class, but a page rebuilt by Readability has lost the marks.
pub(crate) fn cookie_notice(text: &str) -> bool {
    if text.len() > 400 {
        return false;
    }
    let lower = text.to_lowercase();
    lower.contains("cookie")
        && [
            "we use",
            "uses cookies",
            "use of cookies",
            "accept",
            "consent",
            "cookie policy",
            "cookie settings",
        ]
        .iter()
        .any(|cue| lower.contains(cue))
}

/// What a page says to readers whose browser runs no scripts ("You need
/// to enable JavaScript to run this app"). Since `<noscript>` is read,
/// these notices reach the blocks.
const SCRIPT_NOTICE_CUES: &[&str] = &[
    "enable javascript",
    "javascript is disabled",
    "javascript is required",
    "requires javascript",
    "javascript must be enabled",
    "turn on javascript",
    "javascript enabled",
    "support javascript",
];

/// Whether a short block asks the reader to turn on JavaScript.
pub(crate) fn script_notice(text: &str) -> bool {
    if text.len() > 300 {
        return false;
    }
    let lower = text.to_lowercase();
    lower.contains("javascript") && SCRIPT_NOTICE_CUES.iter().any(|cue| lower.contains(cue))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_words() {
        assert!(junk_class("social-share "));
        assert!(junk_class("site_footer "));
        assert!(junk_class("nav main-nav "));
        assert!(!junk_class("shared-content "));
        assert!(!junk_class("entry-content "));
        assert!(content_class("post entry-content "));
    }

    #[test]
    fn phrases() {
        assert!(boilerplate_phrase("Share this article:"));
        assert!(boilerplate_phrase("Leave A Reply"));
        assert!(!boilerplate_phrase("Share prices fell sharply on Monday."));
        assert!(cookie_notice(
            "We use cookies to improve your experience. Accept all cookies"
        ));
        assert!(!cookie_notice(
            "The bakery sold 4,000 cookies at the fair on Sunday."
        ));
        assert!(script_notice(
            "You need to enable JavaScript to run this app."
        ));
        assert!(!script_notice(
            "JavaScript was created in ten days in 1995."
        ));
    }

    #[test]
    fn styles() {
        assert!(style_hides("color: red; display : none"));
        assert!(!style_hides("display:block"));
    }
}
