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
    "visually-hidden--inline",
    "v-visible-sr",
    "d-none",
    "author-bio",
    "author-info",
    "author-box",
    "elementor-author-box",
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
    // Forum posts' signatures (phpBB, vBulletin, XenForo): the gold of
    // thread pages leaves them out, like the user cards below.
    "signature",
    "signaturecontainer",
    "message-signature",
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
    junk_class_except(class_id, &[])
}

/// Class/id words that mark boilerplate around an article but, repeated,
/// the parts of a listing's items: an entry's metadata, a product card's
/// caption, a teaser's byline.
const ITEM_PART_WORDS: &[&str] = &[
    "meta",
    "post-meta",
    "entry-meta",
    "article-meta",
    "caption",
    "byline",
    "credit",
    "credits",
    "tags",
    "widget",
];

/// Whether a class/id value (lowercased) marks boilerplate only by words
/// of [`ITEM_PART_WORDS`].
pub(crate) fn item_part_class(class_id: &str) -> bool {
    junk_class(class_id) && !junk_class_except(class_id, ITEM_PART_WORDS)
}

/// Appends a `class` or `id` value to `out`, followed by a space, and
/// each of its camel-case words once more with its humps split by `-`
/// (`wnMenuTypeImage` also as `wn-Menu-Type-Image`, `relatedLinks` as
/// `related-Links`), so that the pieces of such names count as the
/// pieces of hyphenated ones do: older templates name their menus and
/// link boxes so.
pub(crate) fn push_class_words(out: &mut String, value: &str) {
    out.push_str(value);
    out.push(' ');
    for word in value.split_ascii_whitespace() {
        let bytes = word.as_bytes();
        if !bytes
            .windows(2)
            .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
        {
            continue;
        }
        let mut previous = ' ';
        for c in word.chars() {
            if previous.is_ascii_lowercase() && c.is_ascii_uppercase() {
                out.push('-');
            }
            out.push(c);
            previous = c;
        }
        out.push(' ');
    }
}

/// [`junk_class`], the words and pieces in `except` left out.
fn junk_class_except(class_id: &str, except: &[&str]) -> bool {
    class_id.split_ascii_whitespace().any(|word| {
        (JUNK_WORDS.contains(&word) && !except.contains(&word))
            || word
                .split(['-', '_'])
                .filter(|piece| !piece.is_empty() && !except.contains(piece))
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
                            | "advert"
                            | "advertisement"
                            | "ad"
                            | "ads"
                            | "promo"
                            | "popup"
                            | "modal"
                            | "banner"
                            | "caption"
                            // Forum user cards: title, post count, join date.
                            | "usertitle"
                            | "userextras"
                            | "userinfo"
                            | "postprofile"
                    )
                })
    })
}

/// Whether a class/id value (lowercased) names a comment: the word
/// `comment` or `comments`, or `comments` as a piece of a word
/// (`article-comments`). Comments are boilerplate under an article but
/// the content of a forum thread, so the page's kind decides.
pub(crate) fn comment_class(class_id: &str) -> bool {
    class_id.split_ascii_whitespace().any(|word| {
        matches!(word, "comment" | "comments")
            || word.split(['-', '_']).any(|piece| piece == "comments")
    })
}

/// Pieces of class/id words that mark boilerplate on a product page only:
/// the reviews, questions, recommendation carousels and variant pickers
/// around the product's own description. On other pages these words mark
/// content too often (a review site, an FAQ page, an image slider in an
/// article).
const PRODUCT_JUNK_PIECES: &[&str] = &[
    "review",
    "reviews",
    "rating",
    "ratings",
    "carousel",
    "recommendation",
    "recommendations",
    "recommended",
    "upsell",
    "crosssell",
    "recently",
    "similar",
];

/// Whether a class/id value (lowercased) marks boilerplate of a product
/// page (see [`PRODUCT_JUNK_PIECES`]), in addition to [`junk_class`].
pub(crate) fn product_junk_class(class_id: &str) -> bool {
    class_id.split_ascii_whitespace().any(|word| {
        word.split(['-', '_'])
            .any(|piece| PRODUCT_JUNK_PIECES.contains(&piece))
    })
}

/// Whether a class/id value (lowercased) marks the main text.
pub(crate) fn content_class(class_id: &str) -> bool {
    class_id
        .split_ascii_whitespace()
        .any(|word| CONTENT_WORDS.contains(&word))
}

/// Class words that tell one item of a list from its siblings rather
/// than the list's items from other elements: position and state.
const ITEM_STATE_WORDS: &[&str] = &[
    "first", "last", "odd", "even", "active", "selected", "current", "open", "hover",
];

/// Whether a word of a `class` attribute is one the items of a list
/// share: not a position or state word, and without digits, which
/// number the items (WordPress and WooCommerce give each one
/// `post-123`, shops `product-4567`).
pub(crate) fn shared_class_token(token: &str) -> bool {
    !token.bytes().any(|b| b.is_ascii_digit()) && !ITEM_STATE_WORDS.contains(&token)
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
    "table of contents",
    "contents",
    "in this article",
    "jump to",
    "loading",
    "like loading",
    "tags",
    "categories",
    "about the author",
    "written by",
    "click to expand",
    "sign in",
    "share this post",
    "filters",
    "sort by",
    "sorted by reset to default",
    "last updated",
    "published",
    "joined",
    "start asking to get answers",
    "find the answer to your question by asking",
    "see similar questions with these tags",
];

/// Phrases that are boilerplate when a short block consists of a count
/// and one of them: "5 min read", "2 likes", "0 replies".
const COUNTED_PHRASES: &[&str] = &[
    "min read",
    "minute read",
    "mins read",
    "like",
    "likes",
    "reply",
    "replies",
    "view",
    "views",
];

/// Headings that open a section of links to other pages, not more of this
/// one: recommendation carousels on shops, "related posts" under articles,
/// "related questions" beside a forum thread. The heading and its section
/// are dropped. Compared whole, lowercased, without trailing punctuation.
const SECTION_END_PHRASES: &[&str] = &[
    "related",
    "related articles",
    "related posts",
    "related stories",
    "related content",
    "related products",
    "related items",
    "related questions",
    "related reading",
    "related links",
    "explore related questions",
    "you may also like",
    "you might also like",
    "you may also be interested in",
    "you might also be interested in",
    "recommended for you",
    "recommended posts",
    "recommended articles",
    "recommended products",
    "more stories",
    "more articles",
    "more posts",
    "recent posts",
    "popular posts",
    "trending now",
    "featured products",
    "similar items",
    "similar products",
    "similar questions",
    "recently viewed",
    "recently viewed items",
    "recently viewed products",
];

/// Pieces of a short heading that open such a section wherever they
/// stand in it ("People who viewed this item also viewed").
const SECTION_END_CUES: &[&str] = &[
    "also viewed",
    "also bought",
    "also purchased",
    "also like",
    "also love",
    "also enjoy",
    "recently viewed",
    "sponsored products",
    "sponsored items",
    "similar items",
    "similar products",
    "seller's other items",
];

/// Headings that open a section a product page's own text ends before:
/// its reviews and customer questions. (Not "frequently asked
/// questions": shops answer them about their own product.)
const PRODUCT_SECTION_END_PHRASES: &[&str] = &[
    "reviews",
    "customer reviews",
    "ratings & reviews",
    "ratings and reviews",
    "reviews & ratings",
    "questions & answers",
    "questions and answers",
    "customer questions",
    "customer questions & answers",
];

/// `text` lowercased, white space collapsed, trailing punctuation dropped.
fn phrase_key(text: &str) -> String {
    let trimmed = text
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
    let mut key = String::with_capacity(trimmed.len());
    for word in trimmed.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

/// Whether a short block is the heading of a section of links to other
/// pages (see [`SECTION_END_PHRASES`]).
/// On a product page, its reviews and questions end the main text too
/// (see [`PRODUCT_SECTION_END_PHRASES`]).
pub(crate) fn section_end_heading(text: &str, product: bool) -> bool {
    if text.len() > 60 {
        return false;
    }
    let key = phrase_key(text);
    SECTION_END_PHRASES.contains(&key.as_str())
        || SECTION_END_CUES.iter().any(|cue| key.contains(cue))
        || (product && PRODUCT_SECTION_END_PHRASES.contains(&key.as_str()))
}

/// Short blocks that end an article's own text: what follows them (share
/// links, reader comments, more from the site) is not the article. The
/// lines of boilerpipe's terminating-blocks finder and of common news
/// templates; compared at the start of the block, lowercased.
const ARTICLE_END_STARTS: &[&str] = &[
    "comments",
    "reader comments",
    "readers' comments",
    "readers comments",
    "reader views",
    "post a comment",
    "post your comment",
    "add your comment",
    "leave a comment",
    "leave a reply",
    "have your say",
    "tell us what you think",
    "post this story to",
    "share this article",
    "share this story",
    "share this:",
    "email this article",
    "email this story",
    "e-mail this article",
    "e-mail this story",
    "print this article",
    "print this story",
    "more articles in",
    "more stories in",
    "more news in",
    "more in ",
    "more from ",
    "most popular",
    "most read",
    "most viewed",
    "most emailed",
    "most e-mailed",
    "don't miss",
    "also in ",
    "related stories",
    "related articles",
    "related links",
    "related news",
    "related content",
    "related topics",
    "other stories",
    "other news",
    "latest news",
    "top stories",
    "please rate this",
    "rate this article",
    "report this comment",
    "thanks for your comments",
];

/// Whether a short block ends an article's own text (see
/// [`ARTICLE_END_STARTS`]).
pub(crate) fn article_end(text: &str) -> bool {
    if text.len() > 80 {
        return false;
    }
    let lower = text.trim().to_lowercase();
    ARTICLE_END_STARTS
        .iter()
        .any(|start| lower.starts_with(start))
}

/// Whether a short block is a boilerplate phrase.
pub(crate) fn boilerplate_phrase(text: &str) -> bool {
    if text.len() > 40 {
        return false;
    }
    let key = phrase_key(text);
    if BOILERPLATE_PHRASES.contains(&key.as_str()) {
        return true;
    }
    // A count and a counted word: "5 min read", "2 likes".
    match key.split_once(' ') {
        Some((count, rest)) if count.bytes().all(|b| b.is_ascii_digit()) => {
            COUNTED_PHRASES.contains(&rest)
        }
        _ => false,
    }
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
    fn article_ends_are_short_lines_that_say_so() {
        for end in [
            "Post this story to: del.icio.us | Digg",
            "Reader comments (12)",
            "More articles in Soccer",
            "Have your say",
        ] {
            assert!(article_end(end), "{end}");
        }
        for not_end in ["See also the error_page directive.", "Comments are closed for this long explanation of why the council voted the way it did on Monday evening", "Add a comment |", "The comments were made on Monday."] {
            assert!(!article_end(not_end), "{not_end}");
        }
    }

    #[test]
    fn class_words() {
        assert!(junk_class("social-share "));
        assert!(junk_class("site_footer "));
        assert!(junk_class("nav main-nav "));
        assert!(!junk_class("shared-content "));
        assert!(!junk_class("entry-content "));
        assert!(comment_class("article-comments "));
        assert!(item_part_class("meta "));
        assert!(item_part_class("card-caption center "));
        assert!(!item_part_class("meta site-nav "));
        assert!(comment_class("comment odd "));
        assert!(!comment_class("commentary "));
        assert!(content_class("post entry-content "));
        assert!(product_junk_class("pdp-reviews__list "));
        assert!(product_junk_class("product-carousel "));
        assert!(!product_junk_class("product-description "));
    }

    #[test]
    fn camel_case_names_count_by_their_words() {
        let words = |value: &str| {
            let mut out = String::new();
            push_class_words(&mut out, value);
            out.make_ascii_lowercase();
            out
        };
        assert_eq!(
            words("wnMenuTypeImage"),
            "wnmenutypeimage wn-menu-type-image "
        );
        assert!(junk_class(&words("wnMenuTypeImage")));
        assert!(junk_class(&words("box relatedLinks")));
        assert!(content_class(&words("mainContent")));
        assert!(!junk_class(&words("storyBody")));
        // Non-ASCII names pass through whole.
        assert_eq!(words("noteFuß"), "notefuß note-fuß ");
    }

    #[test]
    fn phrases() {
        assert!(boilerplate_phrase("Share this article:"));
        assert!(boilerplate_phrase("Leave A Reply"));
        assert!(!boilerplate_phrase("Share prices fell sharply on Monday."));
        assert!(boilerplate_phrase("Table of Contents"));
        assert!(boilerplate_phrase("5 min read"));
        assert!(boilerplate_phrase("12  likes"));
        assert!(!boilerplate_phrase("5 reasons to read"));
        assert!(section_end_heading("You may also like", false));
        assert!(section_end_heading(
            "People who viewed this item also viewed",
            false
        ));
        assert!(section_end_heading("Related Posts:", false));
        assert!(!section_end_heading("Related costs of the flood", false));
        assert!(section_end_heading("Customer Reviews", true));
        assert!(!section_end_heading("Customer Reviews", false));
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
