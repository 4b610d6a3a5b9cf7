//! Reported speech: "X said (that) CLAUSE", "X told Y that CLAUSE",
//! "CLAUSE, X said.", "CLAUSE, said X.", "According to X, CLAUSE" and
//! "CLAUSE, according to X.", kept only where the speaker is a name the
//! caller found.

use newsdesk_model::Span;
use newsdesk_text::lexicon::reporting_verbs;

use super::speaker::{antecedent_window, is_title, mention_ending_before, pronouns};
use super::{Attribution, Quote, QuoteKind};
use crate::speakers::{NameKind, Named};

word_list! {
    /// Words a reported clause cannot start with ("said in a statement").
    fn not_clause_starts = "not_clause_starts.txt";
}

/// Verbs that report what someone said, for paraphrases: the speech
/// verbs of quotes but those that ask or answer.
fn reporting(word: &str) -> bool {
    reporting_verbs().contains(&word)
        && !matches!(
            word,
            "asked" | "replied" | "saying" | "say" | "asks" | "replies"
        )
}

/// Whether a reported clause cannot start with `word` (lower case).
fn not_a_clause(word: &str) -> bool {
    not_clause_starts().contains(&word) || crate::weekdays().contains(&word)
}

/// Reported speech in `text`'s `sentences` whose speaker is one of `names`
/// (a person or organisation mention; a leading "he"/"she" resolves to the
/// nearest person named in the two sentences before): "X said (that)
/// CLAUSE", "X told Y that CLAUSE", "CLAUSE, X said.", "CLAUSE, said X.",
/// "According to X, CLAUSE" and "CLAUSE, according to X." Sentences with
/// quote marks are left to [`quotes`](super::quotes); a clause of fewer than four words,
/// a question, and a speaker that is not a name found are skipped.
pub fn paraphrases(text: &str, sentences: &[Span], names: &[Named<'_>]) -> Vec<Quote> {
    let speakers: Vec<&Named<'_>> = names.iter().filter(|n| !is_place(n)).collect();
    let people: Vec<&Named<'_>> = names.iter().filter(|n| n.is_person()).collect();
    let mut out = Vec::new();
    for s in sentences {
        let Some(sentence) = text.get(s.start..s.end) else {
            continue;
        };
        if sentence.contains(['"', '\u{201c}', '\u{201d}']) || sentence.contains("``") {
            continue;
        }
        let body = sentence.trim_end();
        if body.ends_with('?') {
            continue;
        }
        let toks = word_spans(sentence, s.start);
        let found = speaker_first(text, &toks, s.start, &speakers, &people)
            .or_else(|| speaker_last(text, &toks, s, &speakers))
            .or_else(|| according_to(text, &toks, s, &speakers));
        if let Some((speaker, start, end)) = found {
            let Some((start, end)) = clause(text, start, end) else {
                continue;
            };
            out.push(Quote {
                text: text[start..end].to_string(),
                kind: QuoteKind::Paraphrase,
                start,
                end,
                speaker: Some(speaker.to_string()),
                attribution: Some(Attribution::Named),
            });
        }
    }
    out
}

fn is_place(n: &Named<'_>) -> bool {
    matches!(n.kind, NameKind::Place { .. })
}

/// A word and its byte span (absolute), punctuation at its edges kept out.
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn word_spans(sentence: &str, offset: usize) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    for piece in sentence.split_inclusive(char::is_whitespace) {
        let trimmed = piece.trim_end();
        let lead = trimmed.len() - trimmed.trim_start_matches([',', '(', ':', ';']).len();
        let core = trimmed
            .trim_start_matches([',', '(', ':', ';'])
            .trim_end_matches([',', '.', ';', ':', ')', '!']);
        if !core.is_empty() {
            out.push(Word {
                text: core,
                start: offset + at + lead,
                end: offset + at + lead + core.len(),
            });
        }
        at += piece.len();
    }
    out
}

fn lower(w: &Word<'_>) -> String {
    w.text.to_lowercase()
}

/// "X said (that) CLAUSE", "X told Y that CLAUSE", "He said CLAUSE":
/// (speaker, clause start, clause end).
fn speaker_first<'a>(
    text: &str,
    toks: &[Word<'_>],
    sentence_start: usize,
    speakers: &[&Named<'a>],
    people: &[&Named<'a>],
) -> Option<(&'a str, usize, usize)> {
    let v = toks.iter().position(|w| reporting(&lower(w)))?;
    let verb = &toks[v];
    let speaker = match mention_ending_before(text, verb.start, speakers) {
        // The mention must lie in this sentence.
        Some(m) if m.start >= sentence_start => m.name,
        _ => {
            // "He said …" at the start of the sentence.
            let first = toks.first()?;
            let pronoun = v == 1 && pronouns().contains(&lower(first).as_str());
            if !pronoun {
                return None;
            }
            let window = antecedent_window(text, first.start);
            people
                .iter()
                .filter(|p| p.end <= first.start && p.end + window >= first.start)
                .max_by_key(|p| p.end)?
                .name
        }
    };
    let end = toks.last()?.end;
    // The clause starts right after the verb ("said the embassy …", "said
    // that …"), or after "that" when an object or a phrase comes first
    // ("told the BBC that", "said in a statement that", "said on Monday
    // that"); "told" always needs its "that".
    let next = toks.get(v + 1)?;
    let needs_that = lower(verb) == "told" || not_a_clause(&lower(next));
    let from = if needs_that {
        toks.iter()
            .enumerate()
            .skip(v + 1)
            .take(7)
            .find(|(_, w)| lower(w) == "that")
            .map(|(i, _)| i + 1)?
    } else {
        v + 1
    };
    // "…, said X, a spokesman": the name after the verb is the speaker of
    // something else.
    if speakers.iter().any(|m| m.start == next.start) {
        return None;
    }
    let first = toks.get(from)?;
    if not_a_clause(&lower(first)) {
        return None;
    }
    Some((speaker, first.start, end))
}

/// "CLAUSE, X said." / "CLAUSE, said X, the mayor.": the attribution
/// follows the clause.
fn speaker_last<'a>(
    text: &str,
    toks: &[Word<'_>],
    s: &Span,
    speakers: &[&Named<'a>],
) -> Option<(&'a str, usize, usize)> {
    let sentence = text.get(s.start..s.end)?;
    // The comma before the attribution: the verb comes within its next
    // four words ("…, X said", "…, said X, the mayor").
    let (comma, tail) = sentence
        .match_indices(", ")
        .map(|(i, _)| s.start + i)
        .filter_map(|comma| {
            let tail: Vec<&Word<'_>> = toks.iter().filter(|w| w.start > comma).collect();
            tail.iter()
                .take(4)
                .any(|w| reporting(&lower(w)))
                .then_some((comma, tail))
        })
        .last()?;
    let v = tail.iter().position(|w| reporting(&lower(w)))?;
    let named = speakers.iter().find(|m| {
        m.start > comma && m.end <= s.end && {
            let after_verb = m.start >= tail[v].end;
            let before_verb = m.end <= tail[v].start;
            // "said X" right after the verb (not "told X": X listens),
            // or "X (also) said".
            (after_verb
                && !matches!(
                    lower(tail[v]).as_str(),
                    "told" | "tells" | "informed" | "asked"
                )
                && text
                    .get(tail[v].end..m.start)
                    .is_some_and(|g| g.split_whitespace().all(is_title)))
                || (before_verb && mention_ending_before(text, tail[v].start, &[m]).is_some())
        }
    })?;
    Some((named.name, toks.first()?.start, comma))
}

/// "According to X, CLAUSE" / "CLAUSE, according to X."
fn according_to<'a>(
    text: &str,
    toks: &[Word<'_>],
    s: &Span,
    speakers: &[&Named<'a>],
) -> Option<(&'a str, usize, usize)> {
    let a = toks
        .windows(2)
        .position(|p| lower(&p[0]) == "according" && lower(&p[1]) == "to")?;
    let after_to = toks[a + 1].end;
    let named = speakers.iter().find(|m| {
        m.start >= after_to
            && m.end <= s.end
            && text
                .get(after_to..m.start)
                .is_some_and(|g| g.split_whitespace().all(is_title))
    })?;
    if a == 0 {
        // "According to X, CLAUSE": the clause follows the comma after X.
        let rest = text.get(named.end..s.end)?;
        let comma = rest.find(", ")?;
        let from = toks.iter().find(|w| w.start > named.end + comma)?;
        Some((named.name, from.start, toks.last()?.end))
    } else {
        // "CLAUSE, according to X."
        let head = text.get(s.start..toks[a].start)?.trim_end();
        head.ends_with(',')
            .then_some((named.name, toks.first()?.start, s.start + head.len() - 1))
    }
}

/// The clause between `start` and `end`, trimmed of white space, a
/// leading "that" and the final stop; `None` when under four words.
fn clause(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let raw = text.get(start..end)?;
    let lead = raw.len() - raw.trim_start().len();
    let body = raw.trim().trim_end_matches(['.', ',', ';', ':', '!']);
    let (skip, body) = match body.strip_prefix("that ") {
        Some(rest) => (5, rest),
        None => (0, body),
    };
    (body.split_whitespace().count() >= 4)
        .then_some((start + lead + skip, start + lead + skip + body.len()))
}
