//! Whom "he" or "she" stands for: a person named in the sentences before,
//! of a compatible gender, found as a reader finds them — the speaker of a
//! quote in the nearest sentence that names a compatible person, else the
//! one that sentence says said something, else its first (the subject's
//! place) — going back at most [`SENTENCES_BACK`] sentences.
//!
//! A person's gender is what the article tells: a title before a mention
//! ("Mr.", "Mrs.", "Ms.") or a first name that is almost always one
//! gender (`first_name_genders.txt`, from the US census lists); else it is
//! undecided and compatible with both.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::attribution::subject_of_speech;
use super::marks::period_ends_sentence;
use super::speaker::modifies;
use crate::speakers::Named;

/// How many sentences before the quote's own an antecedent may be in.
pub(super) const SENTENCES_BACK: usize = 2;

/// A person's gender as far as the article tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gender {
    /// "he".
    Male,
    /// "she".
    Female,
}

/// First names and their gender.
fn first_names() -> &'static HashMap<&'static str, Gender> {
    static NAMES: OnceLock<HashMap<&'static str, Gender>> = OnceLock::new();
    NAMES.get_or_init(|| {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/first_name_genders.txt"
        ))
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (name, gender) = l.split_once('\t')?;
            let gender = match gender.trim() {
                "m" => Gender::Male,
                "f" => Gender::Female,
                _ => return None,
            };
            Some((name, gender))
        })
        .collect()
    })
}

/// The gender a pronoun asks for (`None`: not "he" or "she").
pub(super) fn pronoun_gender(word: &str) -> Option<Gender> {
    match word.to_ascii_lowercase().as_str() {
        "he" | "him" | "his" => Some(Gender::Male),
        "she" | "her" | "hers" => Some(Gender::Female),
        _ => None,
    }
}

/// The genders of the persons an article names, by their name.
#[derive(Debug, Default)]
pub(super) struct Genders<'a> {
    by_name: HashMap<&'a str, Gender>,
}

impl<'a> Genders<'a> {
    /// What `text` tells of each person's gender: a title before any of
    /// their mentions, else their first name, else the pronouns used for
    /// them.
    pub fn of(text: &str, people: &[&Named<'a>]) -> Self {
        let mut by_name = HashMap::new();
        for p in people {
            let before = text.get(..p.start).unwrap_or("");
            let title = before
                .split_whitespace()
                .next_back()
                .map(|w| w.trim_end_matches('.'));
            let gender = match title {
                Some("Mr") => Some(Gender::Male),
                Some("Mrs" | "Ms" | "Miss") => Some(Gender::Female),
                _ => None,
            };
            if let Some(g) = gender {
                by_name.insert(p.name, g);
            }
        }
        for p in people {
            if by_name.contains_key(p.name) {
                continue;
            }
            let first = p
                .name
                .split_whitespace()
                .next()
                .map(|w| w.trim_end_matches('.'));
            // A one-word name is a surname as often as a first name.
            if p.name.split_whitespace().count() < 2 {
                continue;
            }
            if let Some(&g) = first.and_then(|f| first_names().get(f)) {
                by_name.insert(p.name, g);
            }
        }
        // Else the pronouns the article uses for them: the first "he",
        // "his", "she" or "her" after a mention, in its sentence, with no
        // other person between ("Debbie Kepler said she …"), all agreeing.
        let mut votes: HashMap<&'a str, (usize, usize)> = HashMap::new();
        for (i, p) in people.iter().enumerate() {
            if by_name.contains_key(p.name) {
                continue;
            }
            let next_person = people.get(i + 1).map_or(text.len(), |q| q.start);
            let rest = text.get(p.end..next_person.max(p.end)).unwrap_or("");
            let sentence_end = rest
                .find(['.', '!', '?', '\n', '"', '\u{201c}'])
                .unwrap_or(rest.len());
            let gender = rest[..sentence_end]
                .split(|c: char| !c.is_alphabetic())
                .find_map(pronoun_gender);
            let entry = votes.entry(p.name).or_default();
            match gender {
                Some(Gender::Male) => entry.0 += 1,
                Some(Gender::Female) => entry.1 += 1,
                None => {}
            }
        }
        for (name, (male, female)) in votes {
            match (male, female) {
                (m, 0) if m > 0 => {
                    by_name.insert(name, Gender::Male);
                }
                (0, f) if f > 0 => {
                    by_name.insert(name, Gender::Female);
                }
                _ => {}
            }
        }
        Genders { by_name }
    }

    /// Whether the article tells the gender of the person called `name`.
    pub fn known(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Whether the person called `name` can be meant by a pronoun of
    /// gender `want`.
    pub fn compatible(&self, name: &str, want: Gender) -> bool {
        self.by_name.get(name).is_none_or(|&g| g == want)
    }
}

/// Where the sentences around `pos` start, nearest first: the start of
/// the sentence holding `pos`, then of up to `back` sentences before it.
pub(super) fn sentence_starts(text: &str, pos: usize, back: usize) -> Vec<usize> {
    let head = text.get(..pos).unwrap_or("");
    let bytes = head.as_bytes();
    let mut out: Vec<usize> = Vec::new();
    // The start of the sentence after the last one counted: a boundary
    // counts only when a sentence lies between it and that start (blank
    // lines and the marks after a stop make no sentence).
    let mut later = pos;
    for (i, c) in head.char_indices().rev() {
        let boundary = match c {
            '.' if !period_ends_sentence(head, i)
                && !bytes
                    .get(i + 1)
                    .is_some_and(|b| matches!(b, b'"' | b'\xe2')) =>
            {
                false
            }
            '.' | '!' | '?' => bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\xe2')),
            '\n' => true,
            _ => false,
        };
        if !boundary {
            continue;
        }
        let start = i + 1;
        let between = text.get(start..later).unwrap_or("");
        if between.chars().any(char::is_alphanumeric) {
            out.push(start);
            if out.len() > back {
                return out;
            }
            later = start;
        }
    }
    if text
        .get(..later)
        .is_some_and(|t| t.chars().any(char::is_alphanumeric))
        || out.is_empty()
    {
        out.push(0);
    }
    out
}

/// The person a "he" or "she" (`want`) before or after the quote at `pos`
/// stands for, or `None`. `spoke` lists where earlier quotes are and who
/// said them.
///
/// Going back sentence by sentence, a sentence offers its quotes'
/// speakers, the persons it says said something, and the persons whose
/// gender is known to agree, in that order; the nearest sentence offering
/// one gives the antecedent. Failing all, the first person of the nearest
/// sentence naming a person whose gender is not known.
pub(super) fn antecedent<'a>(
    text: &str,
    pos: usize,
    want: Gender,
    people: &[&Named<'a>],
    genders: &Genders<'_>,
    spoke: &[(usize, String)],
) -> Option<&'a str> {
    // Sentences whose subject is the same pronoun ("He added that …")
    // continue the chain: they are passed over and do not count.
    let starts = sentence_starts(text, pos, SENTENCES_BACK + CHAIN_SENTENCES);
    let mut end = pos;
    let mut counted = 0;
    let mut weak: Option<&'a str> = None;
    for &start in &starts {
        if counted > SENTENCES_BACK {
            break;
        }
        let here: Vec<&Named<'a>> = people
            .iter()
            .copied()
            .filter(|p| p.start >= start && p.end <= end && genders.compatible(p.name, want))
            // "Bill Clinton's former chief of staff", "Clinton spokeswoman
            // Jennifer Palmieri": a possessive or a name before a role
            // word is not who "he" or "she" is.
            .filter(|p| !modifies(text, p.end))
            .collect();
        // A quote's speaker counts in its sentence even when the sentence
        // does not name them ("…," he said).
        let speaker = spoke
            .iter()
            .rev()
            .filter(|(at, _)| (start..end).contains(at))
            .find(|(_, who)| genders.compatible(who, want))
            .and_then(|(_, who)| {
                people
                    .iter()
                    .find(|p| p.name == who.as_str())
                    .map(|p| p.name)
            });
        if let Some(found) = speaker {
            return Some(found);
        }
        if let Some(at) = chained(text.get(start..end).unwrap_or(""), want) {
            // "Sanders dismissed it, when he told Clinton …": a person
            // named before the sentence's own pronoun is who it stands
            // for, and so the quote's pronoun too.
            if let Some(p) = here.iter().find(|p| p.start < start + at) {
                return Some(p.name);
            }
            end = start;
            continue;
        }
        counted += 1;
        let subject = || {
            here.iter()
                .find(|p| subject_of_speech(text, p.end))
                .map(|p| p.name)
        };
        let known = || here.iter().find(|p| genders.known(p.name)).map(|p| p.name);
        if let Some(found) = subject().or_else(known) {
            return Some(found);
        }
        if weak.is_none() {
            weak = here.first().map(|p| p.name);
        }
        end = start;
    }
    weak
}

/// How many sentences whose subject is the pronoun itself the search may
/// pass over on top of [`SENTENCES_BACK`].
const CHAIN_SENTENCES: usize = 3;

/// Where a sentence's subject is a pronoun of gender `want` ("He added
/// that Clinton …", "Asked who leads, he said Ryan"), the pronoun's byte
/// offset in it: the sentence speaks of the same person as the pronoun
/// being resolved, so its names after that pronoun are not that person.
fn chained(sentence: &str, want: Gender) -> Option<usize> {
    let words: Vec<(usize, &str)> = sentence
        .split(|c: char| !c.is_alphabetic() && c != '\'' && c != '\u{2019}')
        .filter(|w| !w.is_empty())
        .map(|w| (w.as_ptr() as usize - sentence.as_ptr() as usize, w))
        .collect();
    let is_pronoun = |w: &str| {
        let w = w.split(['\'', '\u{2019}']).next().unwrap_or(w);
        matches!(
            (w.to_ascii_lowercase().as_str(), want),
            ("he", Gender::Male) | ("she", Gender::Female)
        )
    };
    if let Some(&(at, w)) = words.first() {
        if is_pronoun(w) {
            return Some(at);
        }
    }
    words.windows(2).find_map(|pair| {
        (is_pronoun(pair[0].1)
            && newsdesk_text::lexicon::reporting_verbs()
                .contains(&pair[1].1.to_ascii_lowercase().as_str()))
        .then_some(pair[0].0)
    })
}
