//! Statements of different outlets that cannot both be true: one says
//! something did not happen ("without any resistance") where another says
//! it did ("fighting and casualties"), about the same place on the same
//! day.
//!
//! What counts as such a claim is data (`data/contradictions.txt`): for
//! each thing ("fighting", "casualties") the phrases that deny it and the
//! phrases that report it. The rules lean hard towards missing a
//! contradiction rather than inventing one: hedged denials ("little
//! resistance") are not denials, negated or conditional reports are not
//! reports, both statements must be about one place (named in the
//! sentence, "the city" meaning the city last named, or the place of the
//! sentence before when the sentence names none) and one date, and they
//! must come from different outlets.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use newsdesk_model::Span;
use serde::Serialize;

use crate::speakers::{NameKind, Named};
use crate::table::Citation;

/// The claim phrases, as shipped.
const CLAIMS: &str = include_str!("../data/contradictions.txt");

/// Which way a claim goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    /// It did not happen.
    None,
    /// It happened.
    Some,
}

/// One line of the claims data.
struct Phrase {
    about: String,
    side: Side,
    words: Vec<String>,
}

/// The claim phrases, parsed once; malformed lines are skipped (a test
/// checks there are none).
fn phrases() -> &'static [Phrase] {
    static PHRASES: OnceLock<Vec<Phrase>> = OnceLock::new();
    PHRASES.get_or_init(|| parse(CLAIMS).0)
}

/// The phrases of `data` and the numbers of its malformed lines.
fn parse(data: &str) -> (Vec<Phrase>, Vec<usize>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for (n, line) in data.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let side = match fields.get(1) {
            Some(&"none") => Side::None,
            Some(&"some") => Side::Some,
            _ => {
                bad.push(n + 1);
                continue;
            }
        };
        match (fields.first(), fields.get(2), fields.len()) {
            (Some(about), Some(phrase), 3) if !about.is_empty() && !phrase.is_empty() => {
                out.push(Phrase {
                    about: (*about).to_string(),
                    side,
                    words: phrase.split_whitespace().map(str::to_lowercase).collect(),
                })
            }
            _ => bad.push(n + 1),
        }
    }
    (out, bad)
}

word_list! {
    /// Words that cancel a report within the three words before it.
    fn negations = "negations.txt";
}

word_list! {
    /// Words that make a sentence conditional, planned or feared: its
    /// claims are not statements of what happened.
    fn irrealis = "irrealis.txt";
}

/// A claim one sentence of an article makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// What it is about ("fighting").
    about: String,
    side: Side,
    /// Where the sentence is.
    pub sentence: Span,
    /// The sentence.
    pub text: String,
    /// The date it refers to.
    pub date: Option<String>,
    /// The places it is about.
    pub places: Vec<String>,
}

/// The claims of an article's `sentences` (with their event `dates`),
/// placed by the place mentions among `names`.
pub fn claims(
    text: &str,
    sentences: &[Span],
    dates: &[Option<String>],
    names: &[Named<'_>],
) -> Vec<Claim> {
    let mut out = Vec::new();
    for (k, s) in sentences.iter().enumerate() {
        let Some(sentence) = text.get(s.start..s.end) else {
            continue;
        };
        let words: Vec<String> = sentence
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if sentence.trim_end().ends_with('?')
            || words.iter().any(|w| irrealis().contains(&w.as_str()))
        {
            continue;
        }
        let mut found: Vec<(&str, Side)> = Vec::new();
        let denied: Vec<(usize, usize)> = matches(&words, Side::None)
            .map(|(at, p)| {
                found.push((p.about.as_str(), Side::None));
                (at, at + p.words.len())
            })
            .collect();
        for (at, p) in matches(&words, Side::Some) {
            let inside = denied.iter().any(|&(a, b)| a <= at && at < b);
            let negated = words[at.saturating_sub(3)..at]
                .iter()
                .any(|w| negations().contains(&w.as_str()));
            if !inside && !negated {
                found.push((p.about.as_str(), Side::Some));
            }
        }
        found.sort();
        found.dedup();
        if found.is_empty() {
            continue;
        }
        let places = places_of(text, sentences, k, names);
        if places.is_empty() {
            continue;
        }
        for (about, side) in found {
            out.push(Claim {
                about: about.to_string(),
                side,
                sentence: *s,
                text: sentence.trim().to_string(),
                date: dates.get(k).cloned().flatten(),
                places: places.clone(),
            });
        }
    }
    out
}

/// Where the phrases of `side` occur in `words`: (first word, phrase).
fn matches(words: &[String], side: Side) -> impl Iterator<Item = (usize, &'static Phrase)> + '_ {
    phrases()
        .iter()
        .filter(move |p| p.side == side)
        .flat_map(move |p| {
            (0..words.len())
                .filter(|&i| words[i..].starts_with(&p.words))
                .map(move |i| (i, p))
        })
}

/// The places sentence `k` is about: those it names, the city last named
/// before it when it says "the city" or "the capital", and when it names
/// none, those of the sentence before.
fn places_of(text: &str, sentences: &[Span], k: usize, names: &[Named<'_>]) -> Vec<String> {
    let s = sentences[k];
    let is_place = |n: &&Named<'_>| matches!(n.kind, NameKind::Place { .. });
    let mut out: Vec<String> = names
        .iter()
        .filter(is_place)
        .filter(|n| s.start <= n.start && n.end <= s.end)
        .map(|n| n.name.to_string())
        .collect();
    let lower = text.get(s.start..s.end).unwrap_or("").to_lowercase();
    if lower.contains("the city") || lower.contains("the capital") {
        if let Some(city) = names
            .iter()
            .filter(|n| n.kind == NameKind::Place { city: true } && n.end <= s.start)
            .max_by_key(|n| n.end)
        {
            out.push(city.name.to_string());
        }
    }
    if out.is_empty() && k > 0 {
        let prev = sentences[k - 1];
        out.extend(
            names
                .iter()
                .filter(is_place)
                .filter(|n| prev.start <= n.start && n.end <= prev.end)
                .map(|n| n.name.to_string()),
        );
    }
    out.sort();
    out.dedup();
    out
}

/// One side of a contradiction.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Position {
    /// What this side says ("no fighting", "fighting").
    pub claim: String,
    /// The sentences that say it, each with its article.
    pub statements: Vec<Statement>,
}

/// A sentence making a claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statement {
    /// The sentence.
    pub text: String,
    /// Its article and where the sentence is.
    pub citation: Citation,
}

/// Outlets contradicting each other about one thing, place and day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contradiction {
    /// What they disagree about ("fighting").
    pub about: String,
    /// Where.
    pub place: String,
    /// When, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub date: Option<String>,
    /// The denial and the report.
    pub positions: Vec<Position>,
}

/// One article's claims with what it takes to cite them.
pub struct ArticleClaims<'a> {
    /// The article's id.
    pub article: &'a str,
    /// Its outlet, if known.
    pub outlet: Option<&'a str>,
    /// Its claims.
    pub claims: &'a [Claim],
}

/// The contradictions between articles of different outlets.
pub fn contradictions(articles: &[ArticleClaims<'_>]) -> Vec<Contradiction> {
    type Key = (String, String, Option<String>);
    // (about, place, date) -> the statements on each side.
    let mut by: BTreeMap<Key, [Vec<(usize, &Claim)>; 2]> = BTreeMap::new();
    for (a, article) in articles.iter().enumerate() {
        for c in article.claims {
            for place in &c.places {
                let sides = by
                    .entry((c.about.clone(), place.clone(), c.date.clone()))
                    .or_default();
                let side = &mut sides[usize::from(c.side == Side::Some)];
                if !side
                    .iter()
                    .any(|&(b, d)| b == a && d.sentence == c.sentence)
                {
                    side.push((a, c));
                }
            }
        }
    }
    let outlet = |a: usize| articles[a].outlet.unwrap_or(articles[a].article);
    let mut out: Vec<Contradiction> = Vec::new();
    for ((about, place, date), [none, some]) in by {
        let crosses = none
            .iter()
            .any(|&(a, _)| some.iter().any(|&(b, _)| outlet(a) != outlet(b)));
        if !crosses {
            continue;
        }
        // One contradiction per pair of statements: a place named twice in
        // the same sentences adds nothing.
        if out.iter().any(|c| {
            c.about == about
                && c.date == date
                && c.positions[0].statements.len() == none.len()
                && c.positions[1].statements.len() == some.len()
                && c.positions[0]
                    .statements
                    .iter()
                    .zip(&none)
                    .all(|(s, &(a, c))| {
                        s.citation.article == articles[a].article
                            && s.citation.start == c.sentence.start
                    })
        }) {
            continue;
        }
        let statements = |side: &[(usize, &Claim)]| -> Vec<Statement> {
            side.iter()
                .map(|&(a, c)| Statement {
                    text: c.text.clone(),
                    citation: Citation {
                        article: articles[a].article.to_string(),
                        outlet: articles[a].outlet.map(str::to_string),
                        n: None,
                        start: c.sentence.start,
                        end: c.sentence.end,
                    },
                })
                .collect()
        };
        out.push(Contradiction {
            positions: vec![
                Position {
                    claim: format!("no {about}"),
                    statements: statements(&none),
                },
                Position {
                    claim: about.clone(),
                    statements: statements(&some),
                },
            ],
            about,
            place,
            date,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::sentences;

    /// The contradictions between article "a" and article "b", each
    /// given as (outlet, claims).
    fn two_articles(a: (&str, &[Claim]), b: (&str, &[Claim])) -> Vec<Contradiction> {
        contradictions(&[
            ArticleClaims {
                article: "a",
                outlet: Some(a.0),
                claims: a.1,
            },
            ArticleClaims {
                article: "b",
                outlet: Some(b.0),
                claims: b.1,
            },
        ])
    }

    #[test]
    fn the_shipped_claims_parse() {
        let (phrases, bad) = parse(CLAIMS);
        assert!(bad.is_empty(), "malformed lines {bad:?}");
        assert!(phrases.len() > 20);
        let (_, bad) = parse("fighting\tmaybe\tsome fighting\nfighting\tsome\n");
        assert_eq!(bad, [1, 2]);
    }

    fn place<'a>(text: &str, name: &'a str, city: bool) -> Vec<Named<'a>> {
        text.match_indices(name)
            .map(|(start, _)| Named {
                name,
                kind: NameKind::Place { city },
                start,
                end: start + name.len(),
            })
            .collect()
    }

    fn article_claims(text: &str, names: &[Named<'_>]) -> Vec<Claim> {
        let s = sentences(text);
        let dates = vec![Some("2025-03-15".to_string()); s.len()];
        claims(text, &s, &dates, names)
    }

    #[test]
    fn a_denial_and_a_report_from_two_outlets_contradict() {
        let a = "The rebels reached Dunmore at dawn. They met no resistance from the garrison.";
        let b = "Rebels entered Dunmore on Saturday. There were clashes near the city's bridge.";
        let c = "Dunmore fell on Saturday with little resistance.";
        let (na, nb, nc) = (
            place(a, "Dunmore", true),
            place(b, "Dunmore", true),
            place(c, "Dunmore", true),
        );
        let (ca, cb, cc) = (
            article_claims(a, &na),
            article_claims(b, &nb),
            article_claims(c, &nc),
        );
        assert_eq!(ca.len(), 1, "{ca:?}");
        assert_eq!(cb.len(), 1, "{cb:?}");
        // "little resistance" denies nothing.
        assert!(cc.is_empty(), "{cc:?}");
        let found = two_articles(("One", &ca), ("Two", &cb));
        assert_eq!(found.len(), 1, "{found:?}");
        let c = &found[0];
        assert_eq!(
            (c.about.as_str(), c.place.as_str()),
            ("fighting", "Dunmore")
        );
        assert_eq!(c.positions[0].claim, "no fighting");
        assert_eq!(c.positions[0].statements[0].citation.article, "a");
        assert_eq!(
            c.positions[1].statements[0].text,
            "There were clashes near the city's bridge."
        );
        // The same outlet contradicting itself is not outlets differing.
        let same = two_articles(("One", &ca), ("One", &cb));
        assert!(same.is_empty());
    }

    #[test]
    fn negated_conditional_and_elsewhere_reports_are_not_claims() {
        let text = "Talks in Dunmore went on. The mayor urged both sides to avoid fighting. \
                    There will be clashes in Dunmore if talks fail. \
                    Nobody said whether there was fighting. \
                    There was no fighting in Dunmore.";
        let names = place(text, "Dunmore", true);
        let found = article_claims(text, &names);
        // Avoided, conditional and open ("whether") fighting is not
        // reported: only the denial in the last sentence is a claim.
        assert!(found.iter().all(|c| c.side == Side::None), "{found:?}");
        assert_eq!(found.len(), 1, "{found:?}");
        let elsewhere = "There was fighting in Tarsk.";
        let other = article_claims(elsewhere, &place(elsewhere, "Tarsk", true));
        let both = [found, other];
        let found = two_articles(("One", &both[0]), ("Two", &both[1]));
        assert!(found.is_empty(), "{found:?}");
    }
}
