//! Mentions in article text: the tagger run over a [`Document`]'s
//! sentences and headings, plus a rule layer for what it misses in
//! machine-translated text.
//!
//! Tokens come from the normalised text (`newsdesk_text::normalize`), cut
//! as CoNLL cuts them (punctuation apart, `'s` apart, hyphenated words and
//! abbreviations such as "U.S." and "Mr." whole), and every span is a byte
//! span into the article's original text.
//!
//! The rules, applied after the tagger and never over its entities:
//! - a title ("President", "Mr.", "spokesman") followed by a capitalised
//!   word, or by a lower-case word the article writes capitalised in a
//!   person's name elsewhere, starts a person;
//! - a one-word person that is a known first name followed by a
//!   lower-case known surname is extended over it ("Ned price");
//! - a lower-case word the article writes capitalised as a place
//!   elsewhere, or a known city or country that the training text writes
//!   capitalised, is a place ("fall of herat").

use newsdesk_model::{BlockKind, Document, Span as ByteSpan};
use newsdesk_text::normalize::Normalized;
use newsdesk_text::words::is_stop_word;
use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::features::{Casing, TokenInfo};
use crate::label::{spans, EntityType};
use crate::names::Tables;
use crate::Tagger;

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = EntityKind))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A person.
    Person,
    /// An organisation (a company, a party, an armed group, an outlet).
    Organisation,
    /// A place: a country, a city, a district, a landmark.
    Place,
    /// Any other name (events, works, nationalities left unlinked).
    Other,
}

impl Kind {
    /// The lower-case name (`person`, `organisation`, `place`, `other`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organisation => "organisation",
            Kind::Place => "place",
            Kind::Other => "other",
        }
    }

    /// Reads [`Kind::as_str`]'s names.
    pub fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "person" => Kind::Person,
            "organisation" => Kind::Organisation,
            "place" => Kind::Place,
            "other" => Kind::Other,
            _ => return None,
        })
    }

    fn of(kind: EntityType) -> Kind {
        match kind {
            EntityType::Per => Kind::Person,
            EntityType::Org => Kind::Organisation,
            EntityType::Loc => Kind::Place,
            EntityType::Misc => Kind::Other,
        }
    }
}

/// One mention of a name in an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mention {
    /// The name as written (titles left out: see `role`).
    pub text: String,
    /// What it names.
    pub kind: Kind,
    /// First byte in the article's text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The title or honorific written with a person's name ("President",
    /// "Prime Minister", "Mr").
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub role: Option<String>,
    /// Which rule found it when the tagger did not (`None`: the tagger).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub rule: Option<&'static str>,
}

/// A token of the normalised text with its span in the original text.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub text: String,
    pub span: ByteSpan,
}

/// Words that make a name an organisation's, even one that holds a
/// person's name ("Eric Trump Foundation", "Clinton Camp").
const ORGANISATION_WORDS: &[&str] = &[
    "Foundation",
    "Institute",
    "Campaign",
    "Camp",
    "Committee",
    "Inc",
    "Corp",
    "Group",
    "Association",
    "University",
    "Party",
    "Council",
    "Center",
    "Centre",
    "Fund",
    "Trust",
    "Company",
    "LLC",
    "Ltd",
    "Administration",
    "PAC",
    "Organization",
    "Organisation",
];

/// Last words that make a name a place's ("Lee County").
const PLACE_WORDS: &[&str] = &[
    "County", "Province", "District", "City", "State", "Island", "Islands", "Valley", "Township",
    "Parish", "Borough",
];

/// Short words that CoNLL keeps whole with their period.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "st", "jr", "sr", "lt", "col", "sgt", "capt", "gov", "sen",
    "rep", "prof", "rev", "maj", "adm", "no", "vs", "co", "corp", "inc", "ltd",
];

fn is_initialism(word: &str) -> bool {
    // "U.S", "U.N", "U.S.A": letters with inner periods.
    word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2)
}

/// The tokens of `text` (a sentence or heading starting at byte `base` of
/// the article).
pub(crate) fn tokenize(text: &str, base: usize) -> Vec<Token> {
    let normalized = Normalized::new(text);
    let s = normalized.as_str();
    let mut raw: Vec<(usize, usize)> = s
        .split_word_bound_indices()
        .filter(|(_, w)| !w.trim().is_empty())
        .map(|(i, w)| (i, i + w.len()))
        .collect();
    // Join "Mazar" "-" "e" "-" "Sharif" and "U.S" ".", split "'s".
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let (start, end) = raw[i];
        let word = &s[start..end];
        if let Some(last) = merged.last_mut() {
            let previous = &s[last.0..last.1];
            let touching = last.1 == start;
            if touching && word == "-" {
                if let Some(&(ns, ne)) = raw.get(i + 1) {
                    let next = &s[ns..ne];
                    if ns == end
                        && previous.chars().last().is_some_and(char::is_alphanumeric)
                        && next.chars().next().is_some_and(char::is_alphanumeric)
                    {
                        last.1 = ne;
                        i += 2;
                        continue;
                    }
                }
            }
            // "Marc E. Elias": a capital letter alone is an initial.
            let initial = previous.chars().count() == 1
                && previous.chars().all(|c| c.is_uppercase())
                && raw.get(i + 1).is_some_and(|&(ns, ne)| {
                    s[end..ns].chars().all(char::is_whitespace)
                        && ns > end
                        && s[ns..ne].starts_with(char::is_uppercase)
                });
            if touching
                && word == "."
                && (ABBREVIATIONS.contains(&previous.to_lowercase().as_str())
                    || is_initialism(previous)
                    || initial)
            {
                last.1 = end;
                i += 1;
                continue;
            }
        }
        merged.push((start, end));
        i += 1;
    }
    raw.clear();
    for (start, end) in merged {
        let word = &s[start..end];
        if word.len() > 2 && (word.ends_with("'s") || word.ends_with("'S")) {
            raw.push((start, end - 2));
            raw.push((end - 2, end));
        } else {
            raw.push((start, end));
        }
    }
    raw.into_iter()
        .map(|(start, end)| {
            let span = normalized.original_span(ByteSpan::new(start, end));
            Token {
                text: s[start..end].to_string(),
                span: ByteSpan::new(base + span.start, base + span.end),
            }
        })
        .collect()
}

/// The spans the tagger reads: body sentences and headings, in order.
fn units(document: &Document) -> Vec<ByteSpan> {
    let mut units: Vec<ByteSpan> = document.sentences.iter().map(|s| s.span).collect();
    units.extend(
        document
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Heading)
            .map(|b| b.span),
    );
    units.sort_by_key(|s| (s.start, s.end));
    units
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_lower_word(word: &str) -> bool {
    word.chars().all(char::is_lowercase) && word.chars().count() >= 3
}

/// "al-Jalali", "el-Sisi": a particle and a capitalised name.
fn is_particle_name(word: &str) -> bool {
    ["al-", "el-", "Al-", "El-"]
        .iter()
        .any(|p| word.strip_prefix(p).is_some_and(is_capitalised))
}

/// Capitalises the first letter.
fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A mention found at token level, before it becomes a [`Mention`].
struct Found {
    unit: usize,
    start: usize,
    end: usize,
    kind: Kind,
    rule: Option<&'static str>,
}

impl Tagger {
    /// The name lists' bits (0 places, 1 cities, 2 first names, 3
    /// surnames) of one word.
    fn lists_of(&self, word: &str) -> u8 {
        let info = TokenInfo::new(word);
        self.lists.lookup(&[info.lower])
    }

    /// How the training text usually capitalises a word.
    fn usual_casing(&self, word: &str) -> Casing {
        let info = TokenInfo::new(word);
        Casing::from_u8(self.vocab_casing.get(&info.lower).copied().unwrap_or(0))
    }

    /// The mentions of names in a document's sentences and headings, in
    /// text order. Articles in languages the tagger was not trained for
    /// are tagged all the same (their names are often still found).
    pub fn mentions(&self, document: &Document) -> Vec<Mention> {
        let text = document.article.text.as_str();
        let units = units(document);
        let tokens: Vec<Vec<Token>> = units
            .iter()
            .filter_map(|span| span.slice(text).map(|t| tokenize(t, span.start)))
            .collect();
        let words: Vec<Vec<&str>> = tokens
            .iter()
            .map(|u| u.iter().map(|t| t.text.as_str()).collect())
            .collect();
        let tags = self.tag_document(&words);
        let mut found: Vec<Found> = Vec::new();
        for (unit, tags) in tags.iter().enumerate() {
            for span in spans(tags) {
                found.push(Found {
                    unit,
                    start: span.start,
                    end: span.end,
                    kind: Kind::of(span.kind),
                    rule: None,
                });
            }
        }
        self.apply_rules(&words, &mut found);
        found.sort_by_key(|f| (f.unit, f.start));
        self.finish(text, &tokens, &words, &found)
    }

    fn apply_rules(&self, words: &[Vec<&str>], found: &mut Vec<Found>) {
        let tables = Tables::get();
        let mut taken: Vec<Vec<bool>> = words.iter().map(|u| vec![false; u.len()]).collect();
        // Capitalised spellings the article uses in names, by kind.
        let mut person_words = std::collections::HashSet::new();
        let mut place_words = std::collections::HashSet::new();
        for f in found.iter() {
            for i in f.start..f.end {
                taken[f.unit][i] = true;
                let word = words[f.unit][i];
                if is_capitalised(word) {
                    match f.kind {
                        Kind::Person => person_words.insert(word.to_lowercase()),
                        Kind::Place => place_words.insert(word.to_lowercase()),
                        _ => false,
                    };
                }
            }
        }
        let mut added = Vec::new();
        for (unit, ws) in words.iter().enumerate() {
            let mut i = 0;
            while i < ws.len() {
                let word = ws[i];
                // A title followed by a name the tagger missed.
                if tables.is_title(word) && i + 1 < ws.len() && !taken[unit][i + 1] {
                    let next = ws[i + 1];
                    let lower = next.to_lowercase();
                    let known = person_words.contains(&lower)
                        || (self.lists_of(next) & 0b1100 != 0
                            && matches!(self.usual_casing(next), Casing::Capitalised));
                    let starts_name = (is_capitalised(next) && !tables.is_title(next)
                        || is_lower_word(next) && known)
                        && next.chars().any(char::is_alphabetic)
                        && !is_stop_word(&lower);
                    if starts_name {
                        let mut end = i + 2;
                        while end < ws.len()
                            && !taken[unit][end]
                            && is_capitalised(ws[end])
                            && !tables.is_title(ws[end])
                        {
                            end += 1;
                        }
                        for t in &mut taken[unit][i + 1..end] {
                            *t = true;
                        }
                        added.push(Found {
                            unit,
                            start: i + 1,
                            end,
                            kind: Kind::Person,
                            rule: Some("title before a name"),
                        });
                        i = end;
                        continue;
                    }
                }
                // A lower-case place name.
                if !taken[unit][i] && is_lower_word(word) && !is_stop_word(word) {
                    let known_here = place_words.contains(word);
                    let known_place = self.lists_of(word) & 0b0011 != 0
                        // Only words the training text never wrote: a
                        // city named like an English word ("united") is
                        // not guessed from lower case.
                        && matches!(self.usual_casing(word), Casing::None)
                        && self.lists_of(word) & 0b1100 == 0;
                    if known_here || known_place {
                        taken[unit][i] = true;
                        added.push(Found {
                            unit,
                            start: i,
                            end: i + 1,
                            kind: Kind::Place,
                            rule: Some(if known_here {
                                "lower-case place written capitalised elsewhere"
                            } else {
                                "lower-case known place"
                            }),
                        });
                    }
                }
                i += 1;
            }
        }
        // A first name followed by a lower-case surname ("Ned price").
        for f in found.iter_mut() {
            let ws = &words[f.unit];
            if f.kind != Kind::Person || f.end - f.start != 1 || f.end >= ws.len() {
                continue;
            }
            let (first, next) = (ws[f.start], ws[f.end]);
            let next_lower = next.to_lowercase();
            if taken[f.unit][f.end] || !is_lower_word(next) || is_stop_word(next) {
                continue;
            }
            let first_name = self.lists_of(first) & 0b0100 != 0;
            let surname = self.lists_of(next) & 0b1000 != 0 || person_words.contains(&next_lower);
            if first_name && surname {
                taken[f.unit][f.end] = true;
                f.end += 1;
                f.rule = Some("first name before a lower-case surname");
            }
        }
        found.extend(added);
    }

    /// Turns token-level finds into mentions: titles at a person's start
    /// (or just before it) become its role.
    fn finish(
        &self,
        text: &str,
        tokens: &[Vec<Token>],
        words: &[Vec<&str>],
        found: &[Found],
    ) -> Vec<Mention> {
        let tables = Tables::get();
        let mut out = Vec::with_capacity(found.len());
        let mut previous_end: Option<(usize, usize)> = None;
        for f in found {
            let ws = &words[f.unit];
            let (mut start, mut end, mut kind) = (f.start, f.end, f.kind);
            let mut role_start = start;
            // "Interior Minister Ali Ahmad" tagged as an organisation: a
            // title inside a name that is not a person's starts one.
            if kind != Kind::Person {
                // "Secretary of [State Antony Blinken]": a title just
                // before, and a first name inside, split the name off.
                let titled_before =
                    (start.saturating_sub(2)..start).any(|i| tables.is_title(ws[i]));
                if titled_before && end - start >= 3 {
                    if let Some(k) = (start + 1..end - 1).find(|&k| {
                        self.lists_of(ws[k]) & 0b0100 != 0
                            && ws[k..end].iter().all(|w| is_capitalised(w))
                    }) {
                        kind = Kind::Person;
                        start = k;
                        role_start = k;
                    }
                }
                if let Some(t) = (start..end).rev().find(|&i| tables.is_title(ws[i])) {
                    if t + 1 < end
                        && ws[t + 1..end].iter().all(|w| is_capitalised(w))
                        && self.lists_of(ws[t + 1]) & 0b0100 != 0
                    {
                        kind = Kind::Person;
                        role_start = (start..=t).find(|&i| tables.is_title(ws[i])).unwrap_or(t);
                        start = t + 1;
                    }
                }
            }
            // "Marlow & Keane": an ampersand joins firms' names, not a
            // person's.
            if kind == Kind::Person
                && ws[start..end]
                    .iter()
                    .any(|w| *w == "&" || ORGANISATION_WORDS.contains(w))
            {
                kind = Kind::Organisation;
            }
            // "Lee County", "Kandahar Province": a place.
            if kind == Kind::Person && end - start >= 2 && PLACE_WORDS.contains(&ws[end - 1]) {
                kind = Kind::Place;
            }
            if kind == Kind::Person {
                // "Ali Ahmad al-Jalali": a particle-joined surname.
                while end < ws.len() && is_particle_name(ws[end]) {
                    end += 1;
                }
            }
            // A one-word name the tagger left unplaced that the lists know
            // as a place.
            if kind == Kind::Other
                && end == start + 1
                && is_capitalised(ws[start])
                && self.lists_of(ws[start]) & 0b0011 != 0
            {
                kind = Kind::Place;
            }
            if kind == Kind::Person {
                while start < end && tables.is_title(ws[start]) {
                    start += 1;
                }
                // Titles written just before the name, back to the
                // previous mention.
                let floor = match previous_end {
                    Some((unit, e)) if unit == f.unit => e,
                    _ => 0,
                };
                while role_start > floor && tables.is_title(ws[role_start - 1]) {
                    role_start -= 1;
                }
                if start == end {
                    continue;
                }
            }
            previous_end = Some((f.unit, end));
            let unit = &tokens[f.unit];
            let span = ByteSpan::new(unit[start].span.start, unit[end - 1].span.end);
            let Some(written) = span.slice(text) else {
                continue;
            };
            let role = (role_start < start).then(|| {
                ws[role_start..start]
                    .iter()
                    .map(|w| capitalise(w.trim_end_matches('.')))
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            out.push(Mention {
                text: written.to_string(),
                kind,
                start: span.start,
                end: span.end,
                role,
                rule: f.rule,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_hyphenated_names_and_abbreviations() {
        let text = "Mr. Ghani left Mazar-e-Sharif for the U.S. on Afghanistan’s day.";
        let got: Vec<(String, &str)> = tokenize(text, 0)
            .into_iter()
            .map(|t| (t.text, &text[t.span.start..t.span.end]))
            .collect();
        let words: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            words,
            [
                "Mr.",
                "Ghani",
                "left",
                "Mazar-e-Sharif",
                "for",
                "the",
                "U.S.",
                "on",
                "Afghanistan",
                "'s",
                "day",
                "."
            ]
        );
        assert_eq!(got[9].1, "’s");
    }
}
