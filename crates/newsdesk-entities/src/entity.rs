//! Entities within one article: its mentions grouped so that "President
//! Ashraf Ghani", "Mr Ghani" and "Ghani" are one person.
//!
//! - A person's shorter mention whose name tokens are all in a longer
//!   person's name links to it; when several longer names hold them, the
//!   one that ends with the mention's last token (the surname) wins, then
//!   the one mentioned most.
//! - Demonyms ("American", "Afghan") link to their place and known short
//!   forms ("U.S.", "AP", "Nato") to their full name (`data/names/`), as
//!   do acronyms the article defines ("Associated Press (AP)") or whose
//!   initials match a longer name in the article.
//! - Other mentions group by their folded spelling, whatever kind the
//!   tagger gave each (the most frequent kind wins, persons apart).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::mention::{Kind, Mention};
use crate::names::{fold, name_tokens, Tables};

/// An entity of one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleEntity {
    /// Its name: a person's longest spelling, a place's or organisation's
    /// full name when a short form or demonym was written.
    pub name: String,
    /// What it is.
    pub kind: Kind,
    /// Its mentions, in text order.
    pub mentions: Vec<Mention>,
    /// Titles and honorifics written with it, sorted.
    pub roles: Vec<String>,
    /// Why mentions with other spellings were linked to it.
    pub why: Vec<String>,
}

impl ArticleEntity {
    /// The comparable tokens of its name.
    pub(crate) fn tokens(&self) -> Vec<String> {
        name_tokens(&self.name)
    }
}

/// A mention resolved to the name it stands for.
struct Resolved {
    name: String,
    kind: Kind,
    why: Option<String>,
}

/// An acronym: two to six capitals (periods allowed, as in "U.N.").
fn acronym(text: &str) -> Option<String> {
    let letters: String = text.chars().filter(|c| *c != '.').collect();
    let n = letters.chars().count();
    ((2..=6).contains(&n) && letters.chars().all(|c| c.is_ascii_uppercase())).then_some(letters)
}

/// The initials of a name's capitalised words ("Associated Press" -> "AP").
fn initials(name: &str) -> String {
    name.split([' ', '-'])
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// Acronyms the article defines: a name followed by "(ACRONYM)".
fn defined_acronyms(mentions: &[Mention], text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for m in mentions {
        if m.kind == Kind::Person || !m.text.contains(' ') {
            continue;
        }
        let Some(rest) = text.get(m.end..) else {
            continue;
        };
        let rest = rest.trim_start();
        if let Some(inner) = rest.strip_prefix('(') {
            if let Some((inside, _)) = inner.split_once(')') {
                if let Some(short) = acronym(inside.trim()) {
                    out.push((short, m.text.clone()));
                }
            }
        }
    }
    out
}

fn resolve(m: &Mention, mentions: &[Mention], defined: &[(String, String)]) -> Resolved {
    let tables = Tables::get();
    let plain = || Resolved {
        name: m.text.clone(),
        kind: m.kind,
        why: None,
    };
    if m.kind == Kind::Person {
        return plain();
    }
    if let Some(place) = tables.demonym(&m.text) {
        return Resolved {
            name: place.to_string(),
            kind: Kind::Place,
            why: Some(format!("demonym: {:?} refers to {place}", m.text)),
        };
    }
    if let Some(short) = acronym(&m.text) {
        if let Some((_, long)) = defined.iter().find(|(s, _)| *s == short) {
            return Resolved {
                name: long.clone(),
                kind: m.kind,
                why: Some(format!("acronym: the article writes \"{long} ({short})\"")),
            };
        }
    }
    if let Some((long, kind)) = tables.alias(&m.text) {
        return Resolved {
            name: long.to_string(),
            kind,
            why: (long != m.text).then(|| format!("known short form: {:?} is {long}", m.text)),
        };
    }
    if let Some(short) = acronym(&m.text) {
        let long = mentions
            .iter()
            .find(|o| o.kind != Kind::Person && o.text.contains(' ') && initials(&o.text) == short);
        if let Some(long) = long {
            return Resolved {
                name: long.text.clone(),
                kind: long.kind,
                why: Some(format!(
                    "acronym: {:?} is the initials of {:?} in the same article",
                    m.text, long.text
                )),
            };
        }
    }
    plain()
}

/// Nouns that make the capitalised names just before them places.
const PLACE_NOUNS: &[&str] = &[
    "district",
    "districts",
    "province",
    "provinces",
    "city",
    "cities",
    "town",
    "towns",
    "village",
    "villages",
    "region",
    "regions",
    "county",
    "counties",
    "valley",
];

/// Whether the text after a name continues a list of capitalised names
/// (", Kalkan", " and Paghman") and then names a kind of place.
fn closed_by_place_noun(after: &str) -> bool {
    let mut rest = after;
    loop {
        let trimmed = rest.trim_start();
        let next = trimmed
            .strip_prefix(',')
            .or_else(|| trimmed.strip_prefix("and "))
            .map(str::trim_start)
            .map(|r| r.strip_prefix("and ").unwrap_or(r).trim_start());
        match next {
            Some(r) if r.starts_with(char::is_uppercase) => {
                let end = r
                    .find(|c: char| !(c.is_alphanumeric() || c == '-'))
                    .unwrap_or(r.len());
                rest = &r[end..];
            }
            _ => {
                let word: String = trimmed
                    .chars()
                    .take_while(|c| c.is_alphabetic())
                    .collect::<String>()
                    .to_lowercase();
                return PLACE_NOUNS.contains(&word.as_str());
            }
        }
    }
}

/// Whether the line holding `pos` is written in Title Case (a headline:
/// three words or more, nearly all capitalised), where the tagger's
/// person names run on into the words after them ("Glenn Beck Says
/// Trump").
fn in_title_case_line(text: &str, pos: usize) -> bool {
    let start = text
        .get(..pos)
        .and_then(|h| h.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(pos..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| pos + i);
    let words: Vec<&str> = text
        .get(start..end)
        .unwrap_or("")
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic) && w.chars().count() > 3)
        .collect();
    let capitalised = words
        .iter()
        .filter(|w| w.starts_with(char::is_uppercase))
        .count();
    words.len() >= 3 && capitalised * 10 >= words.len() * 8
}

/// The mentions with every person's name read in a Title Case headline
/// cut to the longest run of its words that the article names a person by
/// elsewhere ("Glenn Beck Says Trump" to "Glenn Beck" when the body says
/// "Glenn Beck"); names the body never gives are kept as read.
fn cut_headline_names(mentions: &[Mention], text: &str) -> Vec<Mention> {
    let body: Vec<Vec<String>> = mentions
        .iter()
        .filter(|m| m.kind == Kind::Person && !in_title_case_line(text, m.start))
        .map(|m| name_tokens(&m.text))
        .filter(|t| !t.is_empty())
        .collect();
    mentions
        .iter()
        .map(|m| {
            let headline = m.kind == Kind::Person && in_title_case_line(text, m.start);
            let written = text.get(m.start..m.end).filter(|w| *w == m.text);
            let (true, Some(written)) = (headline, written) else {
                return m.clone();
            };
            if body.contains(&name_tokens(written)) {
                return m.clone();
            }
            // The words with their offsets and tokens.
            let words: Vec<(usize, &str, Vec<String>)> = written
                .split_whitespace()
                .map(|w| {
                    (
                        w.as_ptr() as usize - written.as_ptr() as usize,
                        w,
                        name_tokens(w),
                    )
                })
                .collect();
            let mut best: Option<(usize, usize)> = None;
            for i in 0..words.len() {
                for j in i + 1..=words.len() {
                    if j - i >= words.len() {
                        continue;
                    }
                    let run: Vec<String> = words[i..j].iter().flat_map(|w| w.2.clone()).collect();
                    let longer = best.is_none_or(|(a, b)| j - i > b - a);
                    if !run.is_empty() && longer && body.contains(&run) {
                        best = Some((i, j));
                    }
                }
            }
            let Some((i, j)) = best else {
                return m.clone();
            };
            let from = words[i].0;
            let to = words[j - 1].0 + words[j - 1].1.len();
            let mut cut = m.clone();
            cut.text = written[from..to].to_string();
            cut.start = m.start + from;
            cut.end = m.start + to;
            cut
        })
        .collect()
}

/// Groups one article's mentions (in text order, from
/// [`crate::Tagger::mentions`]) into entities; `text` is the article's
/// text, read for acronyms it defines.
pub fn group(mentions: &[Mention], text: &str) -> Vec<ArticleEntity> {
    let cut = cut_headline_names(mentions, text);
    let mentions = cut.as_slice();
    let defined = defined_acronyms(mentions, text);
    let mut resolved: Vec<Resolved> = mentions
        .iter()
        .map(|m| resolve(m, mentions, &defined))
        .collect();
    // One name, one kind within an article: a single word the tagger typed
    // otherwise that is the surname of a person named in full in the same
    // article ("… Ali Ahmad al-Jalali …", "… will be Jalali") is that
    // person.
    let surnames: Vec<String> = resolved
        .iter()
        .filter(|r| r.kind == Kind::Person)
        .filter_map(|r| {
            let t = name_tokens(&r.name);
            (t.len() >= 2).then(|| t.last().cloned()).flatten()
        })
        .collect();
    // A name in a list that a place noun closes ("the Kalkan, Qarabagh and
    // Paghman districts") is a place.
    for (r, m) in resolved.iter_mut().zip(mentions) {
        if r.kind != Kind::Place && closed_by_place_noun(text.get(m.end..).unwrap_or("")) {
            r.why = Some(format!("{:?} is in a list of places", r.name));
            r.kind = Kind::Place;
        }
    }
    for r in &mut resolved {
        let t = name_tokens(&r.name);
        if r.kind != Kind::Person && t.len() == 1 && surnames.contains(&t[0]) {
            r.why = Some(format!(
                "same article: {:?} is a surname of a person named there",
                r.name
            ));
            r.kind = Kind::Person;
        }
    }
    // Persons: longest names first, so that short ones find them.
    let mut persons: Vec<usize> = (0..mentions.len())
        .filter(|&i| resolved[i].kind == Kind::Person)
        .collect();
    let tokens: Vec<Vec<String>> = resolved.iter().map(|r| name_tokens(&r.name)).collect();
    persons.sort_by_key(|&i| (std::cmp::Reverse(tokens[i].len()), i));
    // (member mention indices, tokens of the longest name)
    let mut groups: Vec<(Vec<usize>, Vec<String>)> = Vec::new();
    let mut why: Vec<Vec<String>> = Vec::new();
    for &i in &persons {
        let mine = &tokens[i];
        if mine.is_empty() {
            continue;
        }
        // Among the longer names holding this one's words: one ending with
        // its surname, of the gender its title says ("Mr. Jackson" is not
        // Sandra Jackson), named nearest before it, then the most named.
        let gender = |role: Option<&str>| match role.map(|r| r.trim_end_matches('.')) {
            Some("Mr") => Some(true),
            Some("Mrs" | "Ms" | "Miss") => Some(false),
            _ => None,
        };
        let my_gender = gender(mentions[i].role.as_deref());
        let at = mentions[i].start;
        let best = groups
            .iter()
            .enumerate()
            .filter(|(_, (_, long))| mine.iter().all(|t| long.contains(t)))
            .filter(|(_, (members, _))| {
                my_gender.is_none_or(|g| {
                    members
                        .iter()
                        .filter_map(|&j| gender(mentions[j].role.as_deref()))
                        .all(|other| other == g)
                })
            })
            .max_by_key(|(g, (members, long))| {
                let nearest_before = members
                    .iter()
                    .map(|&j| mentions[j].start)
                    .filter(|&s| s < at)
                    .max();
                (
                    surname(long) == surname(mine),
                    nearest_before,
                    members.len(),
                    std::cmp::Reverse(*g),
                )
            })
            .map(|(g, _)| g);
        match best {
            Some(g) => {
                let (members, long) = &mut groups[g];
                if *long != *mine {
                    why[g].push(format!(
                        "same article: {:?} is part of the name {:?}",
                        mentions[i].text, mentions[members[0]].text
                    ));
                }
                members.push(i);
            }
            None => {
                groups.push((vec![i], mine.clone()));
                why.push(Vec::new());
            }
        }
    }
    let mut out: Vec<ArticleEntity> = groups
        .into_iter()
        .zip(why)
        .map(|((members, _), why)| build(mentions, &resolved, members, why, Kind::Person))
        .collect();
    // Everything else by folded name.
    let mut keyed: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, r) in resolved.iter().enumerate() {
        if r.kind == Kind::Person {
            continue;
        }
        let key = tokens[i].join(" ");
        let key = if key.is_empty() { fold(&r.name) } else { key };
        match keyed.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => keyed.push((key, vec![i])),
        }
    }
    for (_, members) in keyed {
        let mut counts = [0usize; 4];
        for &i in &members {
            counts[resolved[i].kind as usize] += 1;
        }
        // Ties go to place, then organisation, then other.
        let kind = [Kind::Place, Kind::Organisation, Kind::Other]
            .into_iter()
            .max_by_key(|k| (counts[*k as usize], std::cmp::Reverse(*k as usize)))
            .unwrap_or(Kind::Other);
        let kind = if counts[Kind::Place as usize] > 0 && kind != Kind::Place {
            // A name the article also calls a place is one (the tagger
            // confuses places and organisations more than it invents them).
            if counts[Kind::Place as usize] * 2 >= members.len() {
                Kind::Place
            } else {
                kind
            }
        } else {
            kind
        };
        let why = members
            .iter()
            .filter_map(|&i| resolved[i].why.clone())
            .collect();
        out.push(build(mentions, &resolved, members, why, kind));
    }
    out.sort_by_key(|e| (e.mentions.first().map_or(0, |m| m.start), e.kind));
    out
}

/// The surname among a name's tokens: the last, less a generational
/// suffix ("Jesse Jackson Jr." is a Jackson).
fn surname(tokens: &[String]) -> Option<&String> {
    tokens
        .iter()
        .rev()
        .find(|t| !matches!(t.trim_end_matches('.'), "jr" | "sr" | "ii" | "iii" | "iv"))
}

/// A person's name with each lower-case word capitalised ("Ned price", as
/// machine translation writes it, is "Ned Price"), name particles ("de",
/// "van", "bin") left as written.
fn capitalised_name(name: &str) -> String {
    const PARTICLES: &[&str] = &[
        "de", "del", "della", "der", "den", "van", "von", "bin", "ibn", "al", "el", "da", "di",
        "du", "la", "le", "ter", "y", "dos", "das", "do",
    ];
    name.split(' ')
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(c) if c.is_lowercase() && !PARTICLES.contains(&w) && !w.contains('-') => {
                    c.to_uppercase().chain(chars).collect()
                }
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn build(
    mentions: &[Mention],
    resolved: &[Resolved],
    mut members: Vec<usize>,
    why: Vec<String>,
    kind: Kind,
) -> ArticleEntity {
    members.sort_unstable();
    let name = if kind == Kind::Person {
        // The longest spelling, the first of equals.
        members
            .iter()
            .map(|&i| &resolved[i].name)
            .max_by_key(|n| (name_tokens(n).len(), std::cmp::Reverse(n.len())))
    } else {
        // The most frequent resolved name, the longest of equals.
        members.iter().map(|&i| &resolved[i].name).max_by_key(|n| {
            (
                members.iter().filter(|&&j| resolved[j].name == **n).count(),
                n.len(),
            )
        })
    }
    .cloned()
    .unwrap_or_default();
    let name = if kind == Kind::Person {
        capitalised_name(&name)
    } else {
        name
    };
    let roles: BTreeSet<String> = members
        .iter()
        .filter_map(|&i| mentions[i].role.clone())
        .collect();
    let mut seen = BTreeSet::new();
    let why = why.into_iter().filter(|w| seen.insert(w.clone())).collect();
    ArticleEntity {
        name,
        kind,
        mentions: members.iter().map(|&i| mentions[i].clone()).collect(),
        roles: roles.into_iter().collect(),
        why,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_list_closed_by_a_place_noun_is_places() {
        assert!(super::closed_by_place_noun(
            ", Qarabagh and Paghman districts."
        ));
        assert!(super::closed_by_place_noun(" and Paghman districts"));
        assert!(super::closed_by_place_noun(" province"));
        assert!(!super::closed_by_place_noun(" said on Monday"));
        assert!(!super::closed_by_place_noun(", the spokesman, said"));
    }

    use super::*;

    fn mention(text: &str, kind: Kind, start: usize, role: Option<&str>) -> Mention {
        Mention {
            text: text.to_string(),
            kind,
            start,
            end: start + text.len(),
            role: role.map(str::to_string),
            rule: None,
        }
    }

    #[test]
    fn short_names_titles_demonyms_and_acronyms_link() {
        let text = "x".repeat(200);
        let mentions = vec![
            mention("Ashraf Ghani", Kind::Person, 0, Some("President")),
            mention("Abdul Ghani Baradar", Kind::Person, 20, Some("Mullah")),
            mention("Ghani", Kind::Person, 50, Some("Mr")),
            mention("American", Kind::Other, 60, None),
            mention("U.S.", Kind::Place, 70, None),
            mention("Associated Press", Kind::Organisation, 80, None),
            mention("AP", Kind::Organisation, 100, None),
        ];
        let entities = group(&mentions, &text);
        let names: Vec<(&str, usize)> = entities
            .iter()
            .map(|e| (e.name.as_str(), e.mentions.len()))
            .collect();
        assert_eq!(
            names,
            [
                ("Ashraf Ghani", 2),
                ("Abdul Ghani Baradar", 1),
                ("United States", 2),
                ("Associated Press", 2)
            ]
        );
        assert_eq!(entities[0].roles, ["Mr", "President"]);
        assert_eq!(entities[2].kind, Kind::Place);
    }
}
