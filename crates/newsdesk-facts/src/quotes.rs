//! Direct quotes and who said them.
//!
//! A quote is text between double quote marks (straight `"…"`, curly
//! `“…”`, or TeX-style ``` ``…'' ```) of four words or more. Its speaker is
//! read from the attribution next to it in the same sentence: "…," X said;
//! "…," said X; X said: "…"; X told the BBC "…"; "…", according to X. A
//! name is a run of capitalised words (titles such as "President" or
//! "spokesman" are kept apart as the role); a pronoun or a bare title
//! ("he", "the spokesman") is resolved to the nearest person named before
//! the quote when the caller knows the persons (`people`), else the speaker
//! stays unknown — never guessed.

use serde::Serialize;

/// One direct quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The quoted words, without the quote marks.
    pub text: String,
    /// Where the quoted words are (byte offsets into the text given).
    pub start: usize,
    /// One past their last byte.
    pub end: usize,
    /// Who said it, when the attribution names someone.
    pub speaker: Option<String>,
}

/// A person the caller knows, with where one of their mentions is.
#[derive(Debug, Clone)]
pub struct Person<'a> {
    /// The person's name.
    pub name: &'a str,
    /// Where a mention of them ends (byte offset).
    pub end: usize,
}

const VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "stated",
    "declared",
    "wrote",
    "tweeted",
    "explained",
    "insisted",
    "warned",
    "announced",
    "asked",
    "replied",
    "stressed",
    "saying",
];
const PRONOUNS: &[&str] = &["he", "she", "they"];
/// Pronouns that never stand for a person to be resolved ("It said").
const NOT_PEOPLE: &[&str] = &["it", "we", "i", "you", "this", "that"];
const TITLES: &[&str] = &[
    "President",
    "Prime",
    "Minister",
    "Secretary",
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Dr",
    "Dr.",
    "General",
    "Gen.",
    "Mullah",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "the",
    "The",
    "a",
    "A",
    "State",
    "Foreign",
    "Defence",
    "Defense",
    "Interior",
    "US",
    "U.S.",
    "Taliban",
    "Mayor",
    "Governor",
    "Senator",
    "Chancellor",
    "King",
    "Queen",
    "Judge",
    "Colonel",
    "Captain",
    "Chief",
    "Ambassador",
    "Commander",
    "Sheikh",
    "Prince",
];

/// The quotes of `text`, speakers resolved against `people` (persons named
/// in the text, in any order) where the attribution is a pronoun or title.
pub fn quotes(text: &str, people: &[Person<'_>]) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some((open, inner_start, inner_end, close)) = next_quote(text, at) {
        at = close;
        let inner = &text[inner_start..inner_end];
        if inner.split_whitespace().count() < 4 {
            continue;
        }
        let before = sentence_before(text, open);
        let after = sentence_after(text, close);
        // A person the caller found inside the attribution ("…, said the
        // spokesman for US diplomacy, Ned Price") is the speaker; else the
        // attribution's own words.
        let in_after = attributes(after).then(|| {
            people
                .iter()
                .filter(|p| p.end > close && p.end <= close + after.len())
                .min_by_key(|p| p.end)
        });
        let in_before = attributes(before).then(|| {
            people
                .iter()
                .filter(|p| p.end <= open && p.end + before.len() >= open)
                .max_by_key(|p| p.end)
        });
        let speaker = in_after
            .flatten()
            .or(in_before.flatten())
            .map(|p| p.name.to_string())
            .or_else(|| {
                attribution_after(after)
                    .or_else(|| attribution_before(before))
                    .and_then(|s| resolve(s, open, antecedent_window(text, open), people))
            });
        out.push(Quote {
            text: inner.trim().to_string(),
            start: inner_start,
            end: inner_end,
            speaker,
        });
    }
    out
}

/// The next quote from `at`: (opening mark, inner start, inner end, after
/// the closing mark).
fn next_quote(text: &str, at: usize) -> Option<(usize, usize, usize, usize)> {
    let rest = text.get(at..)?;
    let (rel, open_len, closers): (usize, usize, &[&str]) = [
        ("\u{201c}", &["\u{201d}"][..]),
        ("``", &["''"][..]),
        ("\"", &["\""][..]),
    ]
    .iter()
    .filter_map(|(open, closers)| rest.find(open).map(|i| (i, open.len(), *closers)))
    .min_by_key(|(i, _, _)| *i)?;
    let open = at + rel;
    let inner_start = open + open_len;
    let tail = text.get(inner_start..)?;
    // A quote does not run past a paragraph.
    let limit = tail.find("\n\n").unwrap_or(tail.len());
    let (close_rel, close_len) = closers
        .iter()
        .filter_map(|c| tail.get(..limit)?.find(c).map(|i| (i, c.len())))
        .min_by_key(|(i, _)| *i)?;
    Some((
        open,
        inner_start,
        inner_start + close_rel,
        inner_start + close_rel + close_len,
    ))
}

/// How far back (in bytes) a pronoun's antecedent may be: the two
/// sentences before `pos`.
fn antecedent_window(text: &str, pos: usize) -> usize {
    let head = text.get(..pos).unwrap_or("");
    let bytes = head.as_bytes();
    let mut ends = head
        .char_indices()
        .rev()
        .filter(|&(i, c)| match c {
            '.' | '!' | '?' => bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace),
            // A line break ends a sentence only after a line without end
            // punctuation (a heading); blank lines add nothing.
            '\n' => i
                .checked_sub(1)
                .and_then(|j| bytes.get(j))
                .is_some_and(|b| !matches!(b, b'.' | b'!' | b'?' | b'\n' | b'"')),
            _ => false,
        })
        .map(|(i, _)| i);
    // The quote's own sentence, and the two before it.
    let start = ends.nth(2).map_or(0, |i| i + 1);
    pos - start
}

/// The text from the start of the sentence to `pos`.
fn sentence_before(text: &str, pos: usize) -> &str {
    let head = text.get(..pos).unwrap_or("");
    let start = head.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    head.get(start..).unwrap_or("")
}

/// The text from `pos` to the end of the sentence.
fn sentence_after(text: &str, pos: usize) -> &str {
    let tail = text.get(pos..).unwrap_or("");
    // A period ends the sentence only before white space or the end, and
    // not after a title ("U.S Secretary", "Mr. Johnson" go on).
    let bytes = tail.as_bytes();
    let end = tail
        .char_indices()
        .find(|&(i, c)| match c {
            '.' => {
                bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace)
                    && !["Mr", "Mrs", "Ms", "Dr"]
                        .iter()
                        .any(|t| tail[..i].ends_with(t))
            }
            '!' | '?' | '\n' | '"' | '\u{201c}' => true,
            _ => false,
        })
        .map_or(tail.len(), |(i, _)| i);
    tail.get(..end).unwrap_or("")
}

fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a clause attributes speech (has a speech verb or "according
/// to").
fn attributes(clause: &str) -> bool {
    let lower = clause.to_ascii_lowercase();
    lower.contains("according to") || words(&lower).iter().any(|w| VERBS.contains(w))
}

/// "…," X said / said X / according to X.
fn attribution_after(after: &str) -> Option<String> {
    let w = words(after);
    if w.first()
        .is_some_and(|x| x.eq_ignore_ascii_case("according"))
        && w.get(1).is_some_and(|x| x.eq_ignore_ascii_case("to"))
    {
        return name_at(&w[2..]);
    }
    let verb = w
        .iter()
        .position(|x| VERBS.contains(&x.to_ascii_lowercase().as_str()))?;
    if verb == 0 {
        // "said X"
        return name_at(&w[1..]);
    }
    // "X said": the words before the verb.
    Some(w[..verb].join(" "))
}

/// X said: "…" / X told the BBC "…".
fn attribution_before(before: &str) -> Option<String> {
    let w = words(before);
    let verb = w
        .iter()
        .rposition(|x| VERBS.contains(&x.to_ascii_lowercase().as_str()))?;
    // "He also warned": adverbs between the speaker and the verb.
    let mut end = verb;
    while end > 0 && ADVERBS.contains(&w[end - 1].to_ascii_lowercase().as_str()) {
        end -= 1;
    }
    Some(w[..end].join(" "))
}

/// Adverbs that stand between a speaker and the verb.
const ADVERBS: &[&str] = &[
    "also",
    "later",
    "then",
    "further",
    "again",
    "once",
    "previously",
];

/// The capitalised run at the start of `w` (a name with its titles).
fn name_at(w: &[&str]) -> Option<String> {
    let run: Vec<&str> = w
        .iter()
        .take_while(|x| x.starts_with(|c: char| c.is_uppercase()) || TITLES.contains(x))
        .copied()
        .collect();
    (!run.is_empty()).then(|| run.join(" "))
}

/// A speaker phrase as a name: titles stripped; a pronoun or a bare title
/// resolved to the nearest person named before `pos`, else unknown.
fn resolve(phrase: String, pos: usize, window: usize, people: &[Person<'_>]) -> Option<String> {
    let w = words(&phrase);
    // The last capitalised run of the phrase is the name ("Taliban
    // spokesman Zabihullah Mujahid" -> "Zabihullah Mujahid").
    let name: Vec<&str> = w
        .iter()
        .rev()
        .take_while(|x| x.starts_with(|c: char| c.is_uppercase()) && !TITLES.contains(x))
        .copied()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let last = w.last().map(|l| l.to_ascii_lowercase());
    let pronoun = last.as_deref().is_some_and(|l| PRONOUNS.contains(&l));
    if !pronoun
        && !NOT_PEOPLE.contains(&last.as_deref().unwrap_or(""))
        && !name.is_empty()
        && w.last().is_some_and(|l| name.last() == Some(l))
    {
        return Some(name.join(" "));
    }
    let pronoun_or_title = pronoun || w.last().is_some_and(|l| TITLES.contains(l));
    if pronoun_or_title {
        // Only a person named in the two sentences before the quote: a
        // "he" further away is someone the text did not name ("One student
        // told the BBC … \"My feet hurt,\" he said").
        return people
            .iter()
            .filter(|p| p.end <= pos && p.end + window >= pos)
            .max_by_key(|p| p.end)
            .map(|p| p.name.to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speakers(text: &str, people: &[Person<'_>]) -> Vec<(String, Option<String>)> {
        quotes(text, people)
            .into_iter()
            .map(|q| {
                assert_eq!(&text[q.start..q.end].trim(), &q.text);
                (q.text, q.speaker)
            })
            .collect()
    }

    #[test]
    fn speakers_from_attributions() {
        let found = speakers(
            "\u{201c}We will rebuild the bridge this year,\u{201d} Mayor Ana Brisk said. \
             Governor Tom Hale told reporters: \"The valley is safe for now.\" \
             \"Nobody was hurt in the flood,\" said Yousef Hadadin. \
             \"Too short,\" she said.",
            &[],
        );
        assert_eq!(
            found,
            [
                (
                    "We will rebuild the bridge this year,".to_string(),
                    Some("Ana Brisk".to_string())
                ),
                (
                    "The valley is safe for now.".to_string(),
                    Some("Tom Hale".to_string())
                ),
                (
                    "Nobody was hurt in the flood,".to_string(),
                    Some("Yousef Hadadin".to_string())
                ),
            ]
        );
    }

    #[test]
    fn a_pronoun_is_the_nearest_person_named_before_or_unknown() {
        let text = "Ana Brisk spoke first. \"We are ready for the next storm,\" she said.";
        let people = [Person {
            name: "Ana Brisk",
            end: 9,
        }];
        assert_eq!(speakers(text, &people)[0].1.as_deref(), Some("Ana Brisk"));
        assert_eq!(speakers(text, &[])[0].1, None);
        // "It said" names nobody.
        assert_eq!(
            speakers("\"The road will reopen on Monday,\" it said.", &people)[0].1,
            None
        );
        // A person found inside the attribution wins over its words.
        let text = "\"We will keep a team at the dam overnight,\" said the spokesman for the firm, Ana Brisk.";
        let end = text.len() - 1;
        let at = [Person {
            name: "Ana Brisk",
            end,
        }];
        assert_eq!(speakers(text, &at)[0].1.as_deref(), Some("Ana Brisk"));
        // No attribution at all: kept, speaker unknown.
        let bare = speakers("Residents shouted \"we want the truth now\" outside.", &[]);
        assert_eq!(bare[0].1, None);
    }
}
