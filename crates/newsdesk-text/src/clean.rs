//! Cleaning: cutting a text into blocks and telling body text from
//! headings and web debris.
//!
//! Every non-blank line is one [`Block`]. Each line is described by a few
//! features (its length in words, how it ends, whether it starts with a
//! bullet or a capital, whether it is the first line, which rule decided the
//! line before it) and then matched against `RULES`, a table of named
//! rules tried in order; the first rule that matches decides, and its name
//! is kept in [`Block::rule`]. A line no rule claims is body text.
//!
//! The table is ordered from the most specific to the most general: debris
//! recognised by its wording first (captions, share prompts, comment forms,
//! related-link lists), then debris recognised by its context (the items
//! under a "Related Topics" heading), then headings recognised by their
//! shape (short lines without a sentence-final stop).

use std::sync::LazyLock;

use newsdesk_model::{Block, BlockKind, Span};
use regex::Regex;

use crate::words::words;

/// How a line ends, after any closing quotes or brackets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// With `.`, `!` or `…`: a sentence.
    Stop,
    /// With `?`.
    Question,
    /// With `:`, `;`, `,` or a dash: more was meant to follow.
    Continuation,
    /// With a letter, digit or anything else: no punctuation.
    Bare,
}

/// Where a line is in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    /// The first non-blank line.
    First,
}

/// The conditions of a rule besides its pattern; `None` means "any".
#[derive(Debug, Clone, Copy)]
pub(crate) struct When {
    /// At most this many words.
    pub(crate) max_words: Option<usize>,
    /// The line ends in one of these ways.
    pub(crate) ending: Option<&'static [Ending]>,
    /// The line does (or does not) start with a bullet marker.
    pub(crate) bullet: Option<bool>,
    /// The first letter of the line is (or is not) a capital.
    pub(crate) starts_upper: Option<bool>,
    /// The line has (or has not) a letter in it.
    pub(crate) has_letters: Option<bool>,
    /// The line is at this position.
    pub(crate) position: Option<Position>,
    /// The previous line was decided by one of these rules.
    pub(crate) after: Option<&'static [&'static str]>,
}

/// No condition at all; rules override the fields they need.
const ANY: When = When {
    max_words: None,
    ending: None,
    bullet: None,
    starts_upper: None,
    has_letters: None,
    position: None,
    after: None,
};

/// One named cleaning rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    /// The name reported in [`Block::rule`].
    pub(crate) name: &'static str,
    /// What a matching line is.
    pub(crate) kind: BlockKind,
    /// A regular expression the line (without its bullet) must match.
    pub(crate) pattern: Option<&'static str>,
    /// The line features the rule asks for.
    pub(crate) when: When,
}

/// The all-caps labels of teaser links ("LIVE UPDATES: …", "EXPLAINER: …").
const TEASER_LABELS: &str = r"^(LIVE( UPDATES?)?|EXPLAINER|FEATURE|PROFILE|ANALYSIS|WATCH|VIDEO|READ( MORE| ALSO)?|LISTEN|OPINION|PODCAST|IN PICTURES|IN DEPTH|QUIZ|INTERVIEW|FACT ?CHECK|TIMELINE|Q&A|MUST READ|SEE ALSO|ALSO READ|RELATED|MORE)\s*:";

/// The rules, tried in order; the first that matches decides.
pub(crate) const RULES: &[Rule] = &[
    // Lines without a single letter: separators ("***"), page numbers.
    Rule {
        name: "no-letters",
        kind: BlockKind::Debris,
        pattern: None,
        when: When {
            has_letters: Some(false),
            ..ANY
        },
    },
    // Photo and video captions as pages render them: "image source…",
    // "image caption…", "media caption…", often glued to the caption text.
    Rule {
        name: "image-caption",
        kind: BlockKind::Debris,
        pattern: Some(
            r"(?i)^(image|media|video|photo|picture|audio)\s*(source|caption|copyright|credit)",
        ),
        when: ANY,
    },
    // Credits standing alone: "Photo: …", "(Photo by …)", "Getty Images".
    Rule {
        name: "photo-credit",
        kind: BlockKind::Debris,
        pattern: Some(
            r"(?i)^(\(?(file )?(photo|photograph|picture|image)s?( by| credit)?\s*[:/|)]|\(?(getty images|afp|reuters|ap|epa|ap photo|shutterstock)( via getty images)?\)?\s*$)",
        ),
        when: When {
            max_words: Some(20),
            ..ANY
        },
    },
    // Headings of link lists: "Related Topics", "Recent Articles", "Read more".
    Rule {
        name: "related-links",
        kind: BlockKind::Debris,
        pattern: Some(
            r"(?i)^(related( topics| news| articles| stories| content| coverage| links| posts| videos)?|recent (articles|posts|news|stories)|more (on this story|stories|news|from [\w ]+|like this|to explore)|read (more|next|also)|see also|also read|you (may|might) also (like|be interested in)|most (read|popular|viewed|shared|watched)|top stories|trending( now| stories)?|recommended( for you| stories| reading)?|popular (posts|stories|articles)|latest (news|stories|articles|posts)|editor'?s picks|in other news)\s*:?$",
        ),
        when: When {
            max_words: Some(8),
            ..ANY
        },
    },
    // A link with a lead-in: "Read more: …", "Watch: …".
    Rule {
        name: "read-more",
        kind: BlockKind::Debris,
        pattern: Some(
            r"(?i)^(read more|read also|also read|see also|more on this( story)?|related|watch|listen|click here)\s*[:>»|-]",
        ),
        when: When {
            max_words: Some(30),
            ..ANY
        },
    },
    // A bulleted teaser link: "• LIVE UPDATES: …", "• PROFILE: …".
    Rule {
        name: "bullet-teaser",
        kind: BlockKind::Debris,
        pattern: Some(TEASER_LABELS),
        when: When {
            max_words: Some(30),
            bullet: Some(true),
            ..ANY
        },
    },
    // The same teaser without a bullet.
    Rule {
        name: "teaser-label",
        kind: BlockKind::Debris,
        pattern: Some(TEASER_LABELS),
        when: When {
            max_words: Some(20),
            ..ANY
        },
    },
    // Comment forms under an article.
    Rule {
        name: "comment-form",
        kind: BlockKind::Debris,
        pattern: Some(
            r"(?i)^(leave a (reply|comment)|post a comment|add a comment|join the (conversation|discussion)|please enter your (comment|name|e-?mail( address)?)( here)?|your e-?mail address will not be published\b.*|required fields are marked\b.*|save my name,? e-?mail\b.*|notify me of\b.*|you must be logged in to post a comment\b.*|cancel reply|submit( comment)?|post comment|\d+ comments?|comments?( \(\d+\))?|name\s*\*|e-?mail\s*\*|website)\s*[.!:]?$",
        ),
        when: When {
            max_words: Some(30),
            ..ANY
        },
    },
    // Share buttons: "Share on Facebook", "Twitter | WhatsApp | Email".
    Rule {
        name: "share-prompt",
        kind: BlockKind::Debris,
        pattern: Some(
            r"(?i)^(((share|tweet)( this)?( (article|story|page|post|video))?( on| via| to| by)?|facebook|twitter|x|whatsapp|linkedin|e-?mail|messenger|pinterest|reddit|telegram|print|copy( the)? link)[\s,|/·•]*)+:?$",
        ),
        when: When {
            max_words: Some(20),
            ..ANY
        },
    },
    // Calls to follow or share elsewhere.
    Rule {
        name: "share-prompt",
        kind: BlockKind::Debris,
        pattern: Some(
            r"(?i)^(click to share|share this with|follow us( on)?|like us on|join us on|share your (thoughts|views)|find us on)\b",
        ),
        when: When {
            max_words: Some(25),
            ..ANY
        },
    },
    // Newsletter boxes. The gaps are unbounded within the rule's 30 words:
    // a bounded gap (`.{0,40}`, `[\w ]{0,30}`) unrolls into forty copies of
    // a Unicode automaton, and compiling it took 11 ms, a fifth of a
    // one-article ingest.
    Rule {
        name: "newsletter",
        kind: BlockKind::Debris,
        pattern: Some(
            r"(?i)(\b(sign up|subscribe|register)\b.*?\bnewsletters?\b|\bnewsletters?\b.*?\b(sign up|subscribe)\b|^(subscribe|sign up)( now| today| here| for free)?\s*[.!]?$|\bget (our|the) [\w ]*?newsletter\b|\b(delivered|straight) to your inbox\b)",
        ),
        when: When {
            max_words: Some(30),
            ..ANY
        },
    },
    // Advertising markers.
    Rule {
        name: "advertisement",
        kind: BlockKind::Debris,
        pattern: Some(
            r"(?i)^(advertisement|advertising|sponsored( content| links?)?|ad|ads by \w+|promoted( content)?|paid (content|post|partnership)|story continues below( this ad| advertisement)?|continue reading( (the )?(main )?(story|article|below))?|skip advert(isement)?)\s*[.:]?$",
        ),
        when: When {
            max_words: Some(8),
            ..ANY
        },
    },
    // Copyright lines.
    Rule {
        name: "copyright",
        kind: BlockKind::Debris,
        pattern: Some(r"(?i)(^(©|\(c\)\s|copyright\b)|\ball rights reserved\b)"),
        when: When {
            max_words: Some(40),
            ..ANY
        },
    },
    // Cookie banners.
    Rule {
        name: "cookie-prompt",
        kind: BlockKind::Debris,
        pattern: Some(
            r"(?i)(\bwe use cookies\b|\b(this|our) (web)?site uses cookies\b|\b(accept|reject|allow|manage|decline)( all)?( the)? cookies\b|\bcookies? (policy|settings|preferences|consent|notice)\b|\bby continuing to (use|browse)\b)",
        ),
        when: When {
            max_words: Some(60),
            ..ANY
        },
    },
    // Page navigation left in the text.
    Rule {
        name: "navigation",
        kind: BlockKind::Debris,
        pattern: Some(
            r"(?i)^(home|menu|search|skip to (main )?content|back to top|(next|previous) (article|story|post)|load more|show (more|less)|close|log ?in|sign in|top)\s*[»›>]?$",
        ),
        when: When {
            max_words: Some(4),
            ..ANY
        },
    },
    // Bylines: "By Jane Doe and John Roe". Only capitalised names (and
    // name particles such as "de" or "van") may follow, so that "By Saturday the troops had left" stays text.
    Rule {
        name: "byline",
        kind: BlockKind::Debris,
        pattern: Some(
            r"^(By|BY|Written by|Reporting by|Reported by)\s+\p{Lu}[\p{L}'’.-]*([\s,]+(\p{Lu}[\p{L}'’.-]*|and|&|de|van|von|der|den|da|del|di|du|la|le|al|bin|ibn))*$",
        ),
        when: When {
            max_words: Some(10),
            ending: Some(&[Ending::Bare]),
            ..ANY
        },
    },
    // Time stamps: "Published 15 August 2021", "Updated 2 hours ago". A date
    // must follow the keyword, so that "Published reports say …" stays text.
    Rule {
        name: "timestamp",
        kind: BlockKind::Debris,
        pattern: Some(
            r"(?i)^(published|updated|last updated|posted|first published)\s*(on|at)?\s*:?\s*(\d|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|(mon|tues|wednes|thurs|fri|satur|sun)day\b|an? (hour|minute|day)s? ago\b|yesterday\b|today\b)",
        ),
        when: When {
            max_words: Some(12),
            ..ANY
        },
    },
    // The bulleted items of a link list ("Related Topics", then
    // "• War in …").
    Rule {
        name: "related-list-item",
        kind: BlockKind::Debris,
        pattern: None,
        when: When {
            max_words: Some(20),
            bullet: Some(true),
            after: Some(&["related-links", "related-list-item"]),
            ..ANY
        },
    },
    // Unbulleted items of a link list: titles without a stop.
    Rule {
        name: "related-list-item",
        kind: BlockKind::Debris,
        pattern: None,
        when: When {
            max_words: Some(15),
            ending: Some(&[Ending::Bare]),
            after: Some(&["related-links", "related-list-item"]),
            ..ANY
        },
    },
    // The first line, if it has no stop, is the headline. It may be longer
    // than a section heading.
    Rule {
        name: "title-line",
        kind: BlockKind::Heading,
        pattern: None,
        when: When {
            max_words: Some(30),
            ending: Some(&[Ending::Bare]),
            bullet: Some(false),
            position: Some(Position::First),
            ..ANY
        },
    },
    // A short question standing alone: "What do we know about …?"
    Rule {
        name: "question-heading",
        kind: BlockKind::Heading,
        pattern: None,
        when: When {
            max_words: Some(12),
            ending: Some(&[Ending::Question]),
            bullet: Some(false),
            starts_upper: Some(true),
            ..ANY
        },
    },
    // A short line without a stop: a section heading. Twenty words keeps
    // long headings ("Negotiations between … for a peaceful transfer of
    // power") and leaves longer unpunctuated lines, which are sentences
    // cut short, as body text.
    Rule {
        name: "short-no-end-punctuation",
        kind: BlockKind::Heading,
        pattern: None,
        when: When {
            max_words: Some(20),
            ending: Some(&[Ending::Bare]),
            bullet: Some(false),
            ..ANY
        },
    },
];

/// A rule with its pattern, compiled the first time a line meets the
/// rule's other conditions (compiling every pattern took about a tenth
/// of a one-article ingest).
struct Compiled {
    rule: &'static Rule,
    /// `Ok(None)`: no pattern. `Err(())`: the pattern does not compile, and
    /// the rule never matches (a test checks that this does not happen).
    regex: std::sync::OnceLock<Result<Option<Regex>, ()>>,
}

impl Compiled {
    fn regex(&self) -> &Result<Option<Regex>, ()> {
        self.regex.get_or_init(|| match self.rule.pattern {
            None => Ok(None),
            Some(pattern) => Regex::new(pattern).map(Some).map_err(|_| ()),
        })
    }
}

static COMPILED: LazyLock<Vec<Compiled>> = LazyLock::new(|| {
    RULES
        .iter()
        .map(|rule| Compiled {
            rule,
            regex: std::sync::OnceLock::new(),
        })
        .collect()
});

/// Word counts stop here: no rule looks at longer lines, and a huge line
/// should not cost a full count.
const MAX_COUNTED_WORDS: usize = 1000;

/// What the rules see of one line.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    /// The line trimmed, without its bullet.
    text: &'a str,
    words: usize,
    ending: Ending,
    bullet: bool,
    starts_upper: bool,
    has_letters: bool,
    position: Option<Position>,
}

impl<'a> Line<'a> {
    fn new(trimmed: &'a str, first: bool) -> Self {
        let (bullet, text) = match strip_bullet(trimmed) {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let first_letter = text.chars().find(|c| c.is_alphabetic());
        Line {
            text,
            words: words(text).take(MAX_COUNTED_WORDS).count(),
            ending: ending(text),
            bullet,
            starts_upper: first_letter.is_some_and(char::is_uppercase),
            has_letters: first_letter.is_some(),
            position: first.then_some(Position::First),
        }
    }

    fn satisfies(&self, when: &When, previous_rule: Option<&str>) -> bool {
        fn check<T: PartialEq>(want: Option<T>, have: T) -> bool {
            want.is_none_or(|want| want == have)
        }
        when.max_words.is_none_or(|max| self.words <= max)
            && when
                .ending
                .is_none_or(|endings| endings.contains(&self.ending))
            && check(when.bullet, self.bullet)
            && check(when.starts_upper, self.starts_upper)
            && check(when.has_letters, self.has_letters)
            && when.position.is_none_or(|p| self.position == Some(p))
            && when
                .after
                .is_none_or(|names| previous_rule.is_some_and(|prev| names.contains(&prev)))
    }
}

/// The line without a leading bullet marker and the white space after it,
/// or `None` when it has none. Dashes, stars and pluses count only when a
/// space follows, so that "-5 degrees" and "*NSYNC" keep theirs.
fn strip_bullet(line: &str) -> Option<&str> {
    let mut chars = line.chars();
    let marker = chars.next()?;
    let rest = chars.as_str();
    let needs_space = match marker {
        '•' | '·' | '‣' | '▪' | '◦' | '●' | '■' | '□' | '►' | '▸' | '▶' | '➤' | '✓' => {
            false
        }
        '-' | '*' | '+' | '–' | '—' => true,
        _ => return None,
    };
    let trimmed = rest.trim_start();
    if needs_space && trimmed.len() == rest.len() {
        return None;
    }
    Some(trimmed)
}

/// How `text` ends, looking through closing quotes and brackets.
fn ending(text: &str) -> Ending {
    let inner = text.trim_end_matches(|c: char| {
        matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '}' | '»' | '›') || c.is_whitespace()
    });
    match inner.chars().next_back() {
        Some('.' | '!' | '…' | '‼') => Ending::Stop,
        Some('?' | '⁇' | '⁈' | '⁉') => Ending::Question,
        Some(':' | ';' | ',' | '-' | '–' | '—') => Ending::Continuation,
        _ => Ending::Bare,
    }
}

/// The rule deciding `line`, if any.
fn classify(line: &Line<'_>, previous_rule: Option<&str>) -> Option<&'static Rule> {
    COMPILED.iter().find_map(|compiled| {
        if !line.satisfies(&compiled.rule.when, previous_rule) {
            return None;
        }
        match compiled.regex() {
            Ok(None) => Some(compiled.rule),
            Ok(Some(regex)) if regex.is_match(line.text) => Some(compiled.rule),
            _ => None,
        }
    })
}

/// Whether `c` ends a line.
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// The blocks of `text`: one per non-blank line, in order, each with its
/// span (the line without surrounding white space) and kind. Debris and
/// headings name the rule that decided them.
///
/// ```
/// use newsdesk_model::BlockKind;
/// use newsdesk_text::clean::blocks;
///
/// let text = "Floods in the valley\n\nThe river rose overnight.\nShare on Facebook\n";
/// let found = blocks(text);
/// let kinds: Vec<(BlockKind, Option<&str>)> =
///     found.iter().map(|b| (b.kind, b.rule.as_deref())).collect();
/// assert_eq!(
///     kinds,
///     [
///         (BlockKind::Heading, Some("title-line")),
///         (BlockKind::Body, None),
///         (BlockKind::Debris, Some("share-prompt")),
///     ]
/// );
/// ```
pub fn blocks(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut previous_rule: Option<&'static str> = None;
    let mut line_start = 0;
    let line_ends = text
        .char_indices()
        .filter(|(_, c)| is_line_break(*c))
        .map(|(i, c)| (i, i + c.len_utf8()))
        .chain(std::iter::once((text.len(), text.len())));
    for (end, next_start) in line_ends {
        let raw = &text[line_start..end];
        let offset = line_start;
        line_start = next_start;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let start = offset + (raw.len() - raw.trim_start().len());
        let span = Span::new(start, start + trimmed.len());
        let line = Line::new(trimmed, blocks.is_empty());
        let rule = classify(&line, previous_rule);
        previous_rule = rule.map(|r| r.name);
        blocks.push(Block {
            span,
            kind: rule.map_or(BlockKind::Body, |r| r.kind),
            rule: rule.map(|r| r.name.to_owned()),
        });
    }
    blocks
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    /// Cleans `input` and shows one block per line: kind, rule and text.
    fn check(input: &str, expected: Expect) {
        let actual: String = blocks(input)
            .iter()
            .map(|b| {
                let kind = match b.kind {
                    BlockKind::Body => "body",
                    BlockKind::Heading => "heading",
                    BlockKind::Debris => "debris",
                };
                let rule = b
                    .rule
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                let text = b.span.slice(input).unwrap_or("<not on a char boundary>");
                format!("{kind}{rule}: {text}\n")
            })
            .collect();
        expected.assert_eq(&actual);
    }

    #[test]
    fn every_pattern_compiles() {
        for compiled in COMPILED.iter() {
            assert!(
                compiled.regex().is_ok(),
                "rule {} does not compile",
                compiled.rule.name
            );
        }
    }

    #[test]
    fn rule_names_are_kebab_case() {
        for rule in RULES {
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                rule.name
            );
        }
    }

    #[test]
    fn headings_and_body() {
        check(
            "Storm floods the valley town of Orlen\n\
             The river broke its banks on Monday night and flooded the lower town.\n\
             rescue efforts\n\
             What happens to the farms now?\n\
             Volunteers from three neighbouring villages worked through the night to fill sandbags and carry the elderly to the school hall where the mayor had\n\
             \"Is this the end?\" one farmer asked, looking at the water that had covered his fields since the early hours of the morning.\n\
             - sandbags\n\
             Why?\n\
             Officials said:\n",
            expect![[r#"
                heading (title-line): Storm floods the valley town of Orlen
                body: The river broke its banks on Monday night and flooded the lower town.
                heading (short-no-end-punctuation): rescue efforts
                heading (question-heading): What happens to the farms now?
                body: Volunteers from three neighbouring villages worked through the night to fill sandbags and carry the elderly to the school hall where the mayor had
                body: "Is this the end?" one farmer asked, looking at the water that had covered his fields since the early hours of the morning.
                body: - sandbags
                heading (question-heading): Why?
                body: Officials said:
            "#]],
        );
    }

    #[test]
    fn captions_and_teasers() {
        check(
            "The river rose.\n\
             image sourceReutersimage captionA farmer on his flooded field\n\
             media captionOrlen mayor: \"We need help now\"\n\
             Photo: Jan Kowal/AFP\n\
             \u{20}\u{20}• LIVE UPDATES: Floods across the region\n\
             \u{20}\u{20}• EXPLAINER: Why rivers burst their banks\n\
             • PROFILE: Who is the mayor of Orlen?\n\
             ANALYSIS: What the floods mean for farmers\n\
             Read more: Floods in the north\n",
            expect![[r#"
                body: The river rose.
                debris (image-caption): image sourceReutersimage captionA farmer on his flooded field
                debris (image-caption): media captionOrlen mayor: "We need help now"
                debris (photo-credit): Photo: Jan Kowal/AFP
                debris (bullet-teaser): • LIVE UPDATES: Floods across the region
                debris (bullet-teaser): • EXPLAINER: Why rivers burst their banks
                debris (bullet-teaser): • PROFILE: Who is the mayor of Orlen?
                debris (teaser-label): ANALYSIS: What the floods mean for farmers
                debris (read-more): Read more: Floods in the north
            "#]],
        );
    }

    #[test]
    fn caption_markers_in_any_case_or_spacing() {
        // Captions glued to their text, as copied from a news page: the
        // marker starts the line whatever its case or the space after it
        // (a no-break space in the second line).
        check(
            "The square was under water by noon.\n\
             Media caption\u{a0}The mayor of Orlen walks through the flooded square\n\
             IMAGE SOURCE, Orlen council\n\
             Video caption: Boats on the high street\n\
             Media reports said the water had reached the church.\n",
            expect![[r#"
                body: The square was under water by noon.
                debris (image-caption): Media caption The mayor of Orlen walks through the flooded square
                debris (image-caption): IMAGE SOURCE, Orlen council
                debris (image-caption): Video caption: Boats on the high street
                body: Media reports said the water had reached the church.
            "#]],
        );
    }

    #[test]
    fn link_lists() {
        check(
            "Related Topics\n\n  • Floods in Europe (2020-present)\n  • Orlen\n\nThe river rose.\nRecent Articles\nRelated News\nMore stories\nYou may also like\n",
            expect![[r#"
                debris (related-links): Related Topics
                debris (related-list-item): • Floods in Europe (2020-present)
                debris (related-list-item): • Orlen
                body: The river rose.
                debris (related-links): Recent Articles
                debris (related-links): Related News
                debris (related-links): More stories
                debris (related-links): You may also like
            "#]],
        );
    }

    #[test]
    fn forms_and_boilerplate() {
        check(
            "The river rose.\n\
             Leave A Reply\n\
             Please enter your comment!\n\
             Please enter your name here\n\
             Share on Facebook\n\
             Facebook | Twitter | WhatsApp\n\
             Follow us on Twitter for updates\n\
             Sign up for our newsletter\n\
             Advertisement\n\
             © 2021 Orlen Gazette. All rights reserved.\n\
             Copyright Orlen Media Ltd\n\
             We use cookies to improve your experience. Accept all cookies\n\
             Skip to content\n\
             By Jana Novak and Piet de Vries\n\
             By Saturday the water had gone\n\
             Published 15 March 2021\n\
             Updated: 2 hours ago\n\
             Published reports say the dam held.\n\
             ***\n",
            expect![[r#"
                body: The river rose.
                debris (comment-form): Leave A Reply
                debris (comment-form): Please enter your comment!
                debris (comment-form): Please enter your name here
                debris (share-prompt): Share on Facebook
                debris (share-prompt): Facebook | Twitter | WhatsApp
                debris (share-prompt): Follow us on Twitter for updates
                debris (newsletter): Sign up for our newsletter
                debris (advertisement): Advertisement
                debris (copyright): © 2021 Orlen Gazette. All rights reserved.
                debris (copyright): Copyright Orlen Media Ltd
                debris (cookie-prompt): We use cookies to improve your experience. Accept all cookies
                debris (navigation): Skip to content
                debris (byline): By Jana Novak and Piet de Vries
                heading (short-no-end-punctuation): By Saturday the water had gone
                debris (timestamp): Published 15 March 2021
                debris (timestamp): Updated: 2 hours ago
                body: Published reports say the dam held.
                debris (no-letters): ***
            "#]],
        );
    }

    #[test]
    fn body_sentences_mentioning_debris_words_stay_body() {
        check(
            "The mayor said the town would share the cost of the new dam with the province.\n\
             Residents were asked to leave a reply to the council by Friday, officials said.\n\
             Related talks are planned for next week in the capital, the minister said.\n",
            expect![[r#"
                body: The mayor said the town would share the cost of the new dam with the province.
                body: Residents were asked to leave a reply to the council by Friday, officials said.
                body: Related talks are planned for next week in the capital, the minister said.
            "#]],
        );
    }

    #[test]
    fn spans_and_line_breaks() {
        let text = "  First line.  \r\n\r\n\tSecond line.\u{2028}Third line.";
        let found: Vec<&str> = blocks(text)
            .iter()
            .filter_map(|b| b.span.slice(text))
            .collect();
        assert_eq!(found, ["First line.", "Second line.", "Third line."]);
        assert!(blocks("").is_empty());
        assert!(blocks(" \n\t\r\n ").is_empty());
    }
}
