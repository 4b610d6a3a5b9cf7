//! Direct quotes and who said them, by sieves as the quote-attribution
//! literature does it (Muzny et al. 2017): the surest rule first, each
//! later one only for the quotes the earlier ones left without a speaker.
//!
//! A quote is text between quote marks: straight `"…"`, curly `“…”`,
//! `„…“`, `«…»`, TeX-style ``` ``…'' ```, any closing mark closing any
//! opening one, a paragraph that ends inside a quote continued by the next
//! that opens with a mark; single curly marks `‘…’` after a comma or a
//! colon. It holds four words or more, or is said in full and attributed
//! ("Judge," she said). Speakers are persons the caller found in the text
//! (`names`), never a name from a list alone; what no sieve names stays
//! unknown, as a wrong name is worse than none. Each quote says which
//! sieve named its speaker ([`Attribution`]).
//!
//! Reported speech ("Blinken said the embassy was being moved") is kept as
//! a paraphrase (`QuoteKind::Paraphrase`) by [`paraphrases`], only where
//! the speaker is a person or organisation the caller found.
//!
//! The reading is split by what it finds: `marks` (where quotes are and
//! the sentence around them), `attribution` (the speech verb and the
//! speaker phrase next to a quote), `speaker` (who the phrase or the names
//! around it say spoke), `antecedent` (whom "he" and "she" stand for) and
//! `paraphrase` (reported speech).

mod antecedent;
mod attribution;
mod marks;
mod paraphrase;
mod speaker;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::speakers::Named;
use antecedent::Genders;
use attribution::{attribution_after, attribution_before, subject_of_speech, verb_within};
use marks::{sentence_after, sentence_before, Marks};
use newsdesk_text::lexicon::reporting_verbs;
pub use paraphrase::paraphrases;
use speaker::governing;
use speaker::{
    before_colon, dashed, introducing, named_after, named_before, resolve, said_just_before,
    speaking, Context,
};

/// Whether a quote is the speaker's own words or reported speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// Words between quote marks.
    Direct,
    /// Indirect speech: what someone said, in the outlet's words.
    Paraphrase,
}

/// One quote, direct or reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    /// The quoted words, without the quote marks (for a paraphrase: the
    /// reported clause, without "that" and the final stop).
    pub text: String,
    /// Direct quote or paraphrase.
    pub kind: QuoteKind,
    /// Where the quoted words are (byte offsets into the text given).
    pub start: usize,
    /// One past their last byte.
    pub end: usize,
    /// Who said it, when the attribution names someone.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub speaker: Option<String>,
    /// How the speaker was found (`None` when there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub attribution: Option<Attribution>,
}

/// How a quote's speaker was found: which sieve named them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    /// The attribution next to the quote names them ("…," X said; X
    /// said: "…"; according to X).
    Named,
    /// A "he" or "she" there, resolved to a person named before.
    Pronoun,
    /// A title there ("the spokesman"), resolved to the person named just
    /// before.
    Title,
    /// "It said": the organisation last named saying something.
    Organisation,
    /// A name after a dash or before a colon that introduces the quote, as
    /// lists and transcripts attribute.
    Listed,
    /// The subject of the clause that introduces the quote with a colon
    /// or a comma ("Cruz called them on it: "…"").
    Introduced,
    /// No attribution of its own: another quote of its paragraph.
    SameParagraph,
    /// No attribution of its own, opening a paragraph: the quote that
    /// ends the paragraph before.
    PreviousQuote,
    /// No attribution of its own, opening a paragraph: the person the
    /// paragraph before ends by saying something.
    PreviousSpeech,
    /// An editor's correction.
    Editor,
}

/// The direct quotes of `text`, speakers resolved against the persons of
/// `names` (named in the text, in any order), by sieves run over all
/// quotes in turn, surest first:
///
/// 1. the attribution next to the quote names its speaker ("…," X said;
///    "…," said X; X said: "…"; X, the spokesman, told …: "…"; "…," X went
///    on; "…" ― X; X (R-S.C.): "…"; X called it "…");
/// 2. a "he" or "she" there is resolved to a person of a compatible
///    gender named in the two sentences before (the `antecedent` module),
///    an "it" to the organisation last named saying something, a bare
///    title ("the official") to the speaker of the quote before in its
///    paragraph;
/// 3. a quote with no attribution of its own continues a speaker's: the
///    other quotes of its paragraph, or, when it opens its paragraph, the
///    quote that ends the paragraph before or the person that paragraph
///    ends by saying something.
///
/// What no sieve names stays unknown.
pub fn quotes(text: &str, names: &[Named<'_>]) -> Vec<Quote> {
    let people: Vec<&Named<'_>> = names.iter().filter(|n| n.is_person()).collect();
    let speaking = speaking(text, names);
    let genders = Genders::of(text, &people);
    // Sieve 1: the attribution next to each quote.
    // A quote under four words is kept only when it is an utterance with
    // an attribution of its own ("Elections matter," Kelly said): the
    // rest are scare quotes, titles and words quoted inside a paraphrase.
    let doubles = marks::quotes(text);
    let mut all = marks::single_quotes(text, &doubles);
    all.extend(doubles);
    all.sort_by_key(|m| m.open);
    let mut found: Vec<(Marks, Said)> = all
        .into_iter()
        .map(|m| (m, attribution(text, &m, &people)))
        .filter(|(m, said)| long_enough(text, m) || (*said != Said::Nothing && utterance(text, m)))
        .collect();
    // A person named inside a quote ("God, please, …") is no antecedent
    // of a pronoun outside it.
    let outside: Vec<&Named<'_>> = people
        .iter()
        .copied()
        .filter(|p| {
            !found
                .iter()
                .any(|(m, _)| m.inner_start <= p.start && p.end <= m.inner_end)
        })
        .collect();
    // Sieve 2: pronouns and titles, in text order, knowing who spoke
    // before.
    let mut spoke: Vec<(usize, String)> = Vec::new();
    for (m, said) in &mut found {
        if let Said::Phrase(phrase) = said {
            let resolved = resolve(
                phrase,
                m.open,
                &Context {
                    text,
                    outside: &outside,
                    speaking: &speaking,
                    genders: &genders,
                    spoke: &spoke,
                },
            );
            *said = match resolved {
                Some((name, how)) => Said::Name(name, how),
                None if described(phrase) => Said::Described,
                None => Said::Unknown,
            };
        }
        if let Said::Name(name, _) = said {
            spoke.push((m.open, name.clone()));
        }
    }
    // Sieve 3: quotes without an attribution continue a speaker's.
    let speakers = continued(text, &found, &people);
    found
        .into_iter()
        .zip(speakers)
        .map(|((m, _), found)| {
            let words = quoted_words(text, &m);
            // The span of the words shown (white space and the comma
            // before the attribution left out), where they are written as
            // shown: all but quotes continued over paragraphs.
            let inner = text.get(m.inner_start..m.inner_end).unwrap_or("");
            let lead = inner.len() - inner.trim_start().len();
            let (start, end) = if !m.continued && inner[lead..].starts_with(words.as_str()) {
                (m.inner_start + lead, m.inner_start + lead + words.len())
            } else {
                (m.inner_start, m.inner_end)
            };
            Quote {
                text: words,
                kind: QuoteKind::Direct,
                start,
                end,
                attribution: found.as_ref().map(|f| f.1),
                speaker: found.map(|f| f.0),
            }
        })
        .collect()
}

/// What the attribution next to a quote says of its speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Said {
    /// No attribution: nothing next to the quote says who said it.
    Nothing,
    /// A name, and how it was found.
    Name(String, Attribution),
    /// A pronoun, a title or another phrase still to resolve.
    Phrase(String),
    /// An attribution that names nobody the article knows.
    Unknown,
    /// A description for a speaker ("explained the official").
    Described,
}

/// Whether a speaker phrase is a description ending in a title or role
/// word ("the official", "the spokesman").
fn described(phrase: &str) -> bool {
    let words = attribution::words(phrase);
    words.len() <= 4 && words.last().is_some_and(|w| speaker::is_title(w))
}

/// Whether the quoted words are four words or more ("&" is not a word).
fn long_enough(text: &str, m: &Marks) -> bool {
    text.get(m.inner_start..m.inner_end).is_some_and(|inner| {
        inner
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
            >= 4
    })
}

/// Whether the quoted words are said in full: they close with a stop or
/// comma inside the marks and open with a capital ("Judge," "No way!") or
/// go on from the first half of a split quote ("…," said X, "and nothing
/// else.").
fn utterance(text: &str, m: &Marks) -> bool {
    let inner = text.get(m.inner_start..m.inner_end).unwrap_or("").trim();
    let goes_on = text
        .get(..m.open)
        .is_some_and(|head| head.trim_end().ends_with(','));
    (inner.starts_with(char::is_uppercase) || goes_on) && inner.ends_with([',', '.', '!', '?'])
}

/// The quoted words, trimmed, without a final comma; for a quote
/// continued over paragraphs,
/// without the marks that open each continuing paragraph.
fn quoted_words(text: &str, m: &Marks) -> String {
    let inner = text.get(m.inner_start..m.inner_end).unwrap_or("");
    if !m.continued {
        // The comma before the attribution is the sentence's, not the
        // speaker's ("…, and the nation will also judge," he said).
        return inner.trim().trim_end_matches(',').trim_end().to_string();
    }
    inner
        .split('\n')
        .map(|line| {
            line.trim()
                .trim_start_matches(['"', '\u{201c}', '\u{201e}', '\u{ab}'])
        })
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Sieve 1: the attribution in the quote's sentence, before or after it.
fn attribution(text: &str, m: &Marks, people: &[&Named<'_>]) -> Said {
    let inner = text.get(m.inner_start..m.inner_end).unwrap_or("");
    // The attribution before a quote starts after the previous quote
    // ("…," he said, "…": the second part's "he said").
    let before = sentence_before(text, m.open);
    let before = before
        .rfind(['"', '\u{201d}'])
        .and_then(|i| before.get(i + 1..))
        .unwrap_or(before);
    let after = sentence_after(text, m.close);
    // After a quote that ends its sentence ("….” The president's
    // comments came after the Pentagon announced …), what follows is a
    // new sentence unless its verb comes at once ("….” Mujahid said).
    let ends_sentence = inner.trim_end().ends_with(['.', '!', '?']);
    let after = if ends_sentence && !verb_within(after, 4) {
        ""
    } else {
        after
    };
    // A person the caller found inside the attribution is the speaker
    // (after the quote first, then before it); else the attribution's own
    // words.
    if let Some(p) = named_after(text, m.close, after, people)
        .or_else(|| named_before(text, m.open, before, people))
    {
        return Said::Name(p.name.to_string(), Attribution::Named);
    }
    if let Some(p) = name_then_verb(text, m, people) {
        return Said::Name(p.name.to_string(), Attribution::Named);
    }
    if let Some(p) = dashed(text, m.close, people).or_else(|| before_colon(m.open, before, people))
    {
        return Said::Name(p.name.to_string(), Attribution::Listed);
    }
    if let Some(p) =
        introducing(text, m.open, people).or_else(|| said_just_before(text, m.open, people))
    {
        return Said::Name(p.name.to_string(), Attribution::Introduced);
    }
    match attribution_after(after).or_else(|| attribution_before(before)) {
        Some(phrase) => Said::Phrase(phrase),
        None => Said::Nothing,
    }
}

/// Quote, name, verb: a person named right after the closing mark and
/// followed by a verb of any kind when the quote ends with a comma ("…,"
/// Trump went on), or by a verb of saying when it ends its sentence
/// ("….” Bozell points out).
fn name_then_verb<'n, 'a>(
    text: &str,
    m: &Marks,
    people: &[&'n Named<'a>],
) -> Option<&'n Named<'a>> {
    let inner = text.get(m.inner_start..m.inner_end)?.trim_end();
    let rest = text.get(m.close..)?;
    let gap = rest.len() - rest.trim_start_matches([' ', '\u{a0}']).len();
    let p = people.iter().copied().find(|p| p.start == m.close + gap)?;
    let mut words = text.get(p.end..)?.split_whitespace();
    let verb = words.next()?;
    let particle = words.next().unwrap_or("");
    let clean = |w: &str| w.trim_end_matches([',', '.', ':', ';']).to_string();
    let (verb, particle) = (clean(verb), clean(particle));
    if !verb.starts_with(char::is_lowercase) || verb.len() < 3 {
        return None;
    }
    let saying = reporting_verbs().contains(&verb.as_str())
        || matches!(
            (verb.as_str(), particle.as_str()),
            ("went" | "goes", "on") | ("points" | "pointed", "out") | ("shot" | "fired", "back")
        )
        || matches!(verb.as_str(), "agrees" | "agreed" | "reported" | "reports");
    let comma = inner.ends_with([',', '!', '?', '\u{2014}']);
    (saying || (comma && !governing(&verb))).then_some(p)
}

/// Sieve 3: each quote's speaker, a quote without an attribution taking
/// the speaker of the quote before it in its paragraph (else the one
/// after), or, when it opens its paragraph, of the quote that ends the
/// paragraph before.
fn continued(
    text: &str,
    found: &[(Marks, Said)],
    people: &[&Named<'_>],
) -> Vec<Option<(String, Attribution)>> {
    // Where each quote's paragraph starts, found once.
    let paragraphs: Vec<usize> = found
        .iter()
        .map(|(m, _)| {
            text.get(..m.open)
                .map_or(0, |h| h.rfind('\n').map_or(0, |i| i + 1))
        })
        .collect();
    let named = |said: &Said| match said {
        Said::Name(n, _) => Some(n.clone()),
        _ => None,
    };
    let mut out: Vec<Option<(String, Attribution)>> = found
        .iter()
        .map(|(_, s)| match s {
            Said::Name(n, how) => Some((n.clone(), *how)),
            _ => None,
        })
        .collect();
    for i in 0..found.len() {
        let (m, said) = &found[i];
        let paragraph = paragraphs[i];
        let same = |j: &usize| paragraphs[*j] == paragraph;
        let before = (0..i)
            .rev()
            .take_while(same)
            .find_map(|j| named(&found[j].1));
        // "…," explained the official: the speaker of the quote before in
        // its paragraph.
        if *said == Said::Described {
            out[i] = before.map(|n| (n, Attribution::Title));
            continue;
        }
        if *said != Said::Nothing {
            continue;
        }
        let after = || {
            (i + 1..found.len())
                .take_while(same)
                .find_map(|j| named(&found[j].1))
        };
        let opens_paragraph = text
            .get(paragraph..m.open)
            .is_some_and(|gap| gap.trim().is_empty());
        let previous = || {
            // The quote before, ending the paragraph right before: nothing
            // after it there but its attribution.
            let j = i.checked_sub(1)?;
            let between = text.get(found[j].0.close..m.open)?;
            let (rest, gap) = between.split_once('\n')?;
            let rest = rest.trim().trim_end_matches(['.', '!', '?']);
            let one_clause = !rest.contains(". ") && !rest.contains("? ") && !rest.contains("! ");
            (gap.trim().is_empty() && one_clause)
                .then(|| {
                    out[j]
                        .as_ref()
                        .map(|f| (f.0.clone(), Attribution::PreviousQuote))
                })
                .flatten()
        };
        // The person the paragraph right before ends by saying
        // something ("Kerry said that 100,000 would be accepted.").
        let reported = || {
            let head = text.get(..paragraph)?.trim_end();
            let gap = text.get(head.len()..paragraph)?;
            if gap.matches('\n').count() > 2 {
                return None;
            }
            let last_sentence = head
                .trim_end_matches(['.', '!', '?'])
                .rfind(['.', '!', '?', '\n'])
                .map_or(0, |i| i + 1);
            people
                .iter()
                .filter(|p| p.start >= last_sentence && p.end <= head.len())
                .rfind(|p| subject_of_speech(text, p.end))
                .map(|p| (p.name.to_string(), Attribution::PreviousSpeech))
        };
        let same = |n: String| (n, Attribution::SameParagraph);
        let speaker = before.map(same).or_else(|| after().map(same)).or_else(|| {
            if opens_paragraph {
                previous().or_else(reported)
            } else {
                None
            }
        });
        out[i] = speaker;
    }
    out
}
