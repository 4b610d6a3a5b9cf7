//! Direct quotes and who said them.
//!
//! A quote is text between double quote marks (straight `"…"`, curly
//! `“…”`, or TeX-style ``` ``…'' ```) of four words or more. Its speaker is
//! read from the attribution next to it in the same sentence: "…," X said;
//! "…," said X; X said: "…"; X told the BBC "…"; "…", according to X. A
//! name is a run of capitalised words (titles such as "President" or
//! "spokesman" are kept apart as the role); a pronoun or a bare title
//! ("he", "the spokesman") is resolved to the nearest person named before
//! the quote when the caller knows the persons (`names`), else the speaker
//! stays unknown — never guessed. A quote split by its attribution
//! ("We want…," he said, "and …") is two quotes with one speaker.
//!
//! Reported speech ("Blinken said the embassy was being moved") is kept as
//! a paraphrase (`QuoteKind::Paraphrase`) by [`paraphrases`], only where
//! the speaker is a person or organisation the caller found.

use newsdesk_model::Span;
use newsdesk_text::lexicon::reporting_verbs;
use serde::Serialize;

use crate::speakers::Named;

/// Whether a quote is the speaker's own words or reported speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// Words between quote marks.
    Direct,
    /// Indirect speech: what someone said, in the outlet's words.
    Paraphrase,
}

/// One quote, direct or reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    pub speaker: Option<String>,
}

word_list! {
    /// Pronouns that stand for a person named before ("he", "she", "they").
    fn pronouns = "speaker_pronouns.txt";
}

word_list! {
    /// Pronouns that never stand for a person to be resolved ("It said").
    fn not_people = "not_people_pronouns.txt";
}

word_list! {
    /// Titles and role words of a speaker ("President", "spokesman").
    fn speaker_titles = "speaker_titles.txt";
}

word_list! {
    /// Words that may stand with the titles before a speaker's name but are
    /// no titles ("the", "US", "Taliban").
    fn attribution_words = "attribution_words.txt";
}

/// Whether a word of an attribution is a title or another word that
/// stands before a speaker's name, as written ("President", "spokesman",
/// "the", "US").
fn is_title(word: &str) -> bool {
    speaker_titles().contains(&word) || attribution_words().contains(&word)
}

/// The direct quotes of `text`, speakers resolved against the persons of
/// `names` (named in the text, in any order) where the attribution is a
/// pronoun or title.
pub fn quotes(text: &str, names: &[Named<'_>]) -> Vec<Quote> {
    let people: Vec<&Named<'_>> = names.iter().filter(|n| n.is_person()).collect();
    let people = people.as_slice();
    // Organisations named as the subject of a speech verb ("the US
    // Embassy later said"): what a following "It said" can stand for.
    let speaking: Vec<&Named<'_>> = names
        .iter()
        .filter(|n| {
            matches!(
                n.kind,
                crate::speakers::NameKind::Organisation | crate::speakers::NameKind::Other
            )
        })
        .filter(|n| subject_of_speech(text, n.end))
        .collect();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some((open, inner_start, inner_end, close)) = next_quote(text, at) {
        at = close;
        let inner = &text[inner_start..inner_end];
        // Four words or more ("&" is not a word).
        if inner
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
            < 4
        {
            continue;
        }
        // The attribution before a quote starts after the previous quote
        // ("…," he said, "…": the second part's "he said").
        let before = sentence_before(text, open);
        let before = before
            .rfind(['"', '\u{201d}'])
            .and_then(|i| before.get(i + 1..))
            .unwrap_or(before);
        let after = sentence_after(text, close);
        // After a quote that ends its sentence ("….” The president's
        // comments came after the Pentagon announced …), what follows is a
        // new sentence unless its verb comes at once ("….” Mujahid said).
        let ends_sentence = inner.trim_end().ends_with(['.', '!', '?']);
        let after = if ends_sentence && !verb_within(after, 4) {
            ""
        } else {
            after
        };
        // A person the caller found inside the attribution ("…, said the
        // spokesman for US diplomacy, Ned Price") is the speaker; before
        // the quote, the person right before the speech verb (an
        // appositive may stand between: "Ned Price, the spokesman, said:");
        // else the attribution's own words.
        let in_after = attributes(after).then(|| {
            let inside = |p: &&&Named<'_>| p.end > close && p.end <= close + after.len();
            // "X said": the person nearest before the verb ("Chairman Adam
            // B. Schiff said"); "said X": the first after it.
            let verb = first_verb(after).map_or(close + after.len(), |at| close + at);
            people
                .iter()
                .filter(inside)
                .filter(|p| p.end <= verb)
                .max_by_key(|p| p.end)
                .or_else(|| people.iter().filter(inside).min_by_key(|p| p.end))
        });
        let in_before = last_verb(before).and_then(|at| {
            let verb = open - before.len() + at;
            let in_clause = |p: &&Named<'_>| p.start + before.len() >= open;
            mention_ending_before(text, verb, people)
                .filter(in_clause)
                .or_else(|| appositive_speaker(text, verb, people).filter(in_clause))
                .or_else(|| {
                    // "X defended the move, saying …": the clause's subject,
                    // the first person it names.
                    if !before[at..].to_ascii_lowercase().starts_with("saying") {
                        return None;
                    }
                    people
                        .iter()
                        .copied()
                        .filter(|p| p.end <= verb && in_clause(p))
                        // The subject opens the clause ("US President Joe
                        // Biden has defended …"), not "… of the Hale report".
                        .filter(|p| {
                            text.get(open - before.len()..p.start)
                                .unwrap_or("x")
                                .split_whitespace()
                                .all(|w| w.starts_with(|c: char| c.is_uppercase()) || is_title(w))
                        })
                        .min_by_key(|p| p.start)
                })
        });
        let speaker = in_after
            .flatten()
            .copied()
            .or(in_before)
            .map(|p| p.name.to_string())
            .or_else(|| {
                attribution_after(after)
                    .or_else(|| attribution_before(before))
                    .and_then(|s| {
                        resolve(s, open, antecedent_window(text, open), people, &speaking)
                    })
            });
        out.push(Quote {
            text: inner.trim().to_string(),
            kind: QuoteKind::Direct,
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
    // not after a title or an initial ("U.S Secretary", "Mr. Johnson",
    // "Adam B. Schiff" go on).
    let bytes = tail.as_bytes();
    let initial = |i: usize| {
        let head = &tail.as_bytes()[..i];
        head.len() >= 2 && head[head.len() - 1].is_ascii_uppercase() && head[head.len() - 2] == b' '
    };
    let end = tail
        .char_indices()
        .find(|&(i, c)| match c {
            '.' => {
                bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace)
                    && !initial(i)
                    && !["Mr", "Mrs", "Ms", "Dr", "Rep", "Sen", "Gov", "Gen", "St"]
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

/// "A, B, said": the person named just before the verb behind a bare
/// comma. When A is a person too, A is the speaker and B describes them
/// ("Adam Smith, Washington Democrat, said"); else B is the speaker and A
/// describes them ("Donald Trump's lawyer, Rudy Giuliani, wrote").
fn appositive_speaker<'n, 'a>(
    text: &str,
    verb: usize,
    people: &[&'n Named<'a>],
) -> Option<&'n Named<'a>> {
    let gap = |from: usize, to: usize| text.get(from..to).map(str::trim);
    let b = people
        .iter()
        .filter(|p| p.end <= verb)
        .max_by_key(|p| p.end)
        .copied()
        .filter(|p| gap(p.end, verb) == Some(","))?;
    let a = people
        .iter()
        .filter(|p| p.end <= b.start)
        .max_by_key(|p| p.end)
        .copied()
        .filter(|p| gap(p.end, b.start) == Some(","));
    Some(a.unwrap_or(b))
}

/// Whether a speech verb is among the first `n` words of `clause`.
fn verb_within(clause: &str, n: usize) -> bool {
    words(clause)
        .iter()
        .take(n)
        .any(|w| reporting_verbs().contains(&w.to_ascii_lowercase().as_str()))
}

/// Where the first speech verb of `clause` starts (byte offset in it).
fn first_verb(clause: &str) -> Option<usize> {
    verb_starts(clause).into_iter().min()
}

/// Where the last speech verb of `clause` starts (byte offset in it).
fn last_verb(clause: &str) -> Option<usize> {
    verb_starts(clause).into_iter().max()
}

/// Where the speech verbs of `clause` start (byte offsets in it).
fn verb_starts(clause: &str) -> Vec<usize> {
    let lower = clause.to_ascii_lowercase();
    reporting_verbs()
        .iter()
        .flat_map(|v| {
            lower.match_indices(v).filter(|&(i, m)| {
                let before = lower[..i].chars().next_back();
                let after = lower[i + m.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// Whether a clause attributes speech (has a speech verb or "according
/// to").
fn attributes(clause: &str) -> bool {
    let lower = clause.to_ascii_lowercase();
    lower.contains("according to") || words(&lower).iter().any(|w| reporting_verbs().contains(w))
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
        .position(|x| reporting_verbs().contains(&x.to_ascii_lowercase().as_str()))?;
    if verb == 0 {
        // "said X"
        return name_at(&w[1..]);
    }
    // "X said": the words before the verb.
    Some(w[..verb].join(" "))
}

/// X said: "…" / X told the BBC "…".
fn attribution_before(before: &str) -> Option<String> {
    // "X, Washington Democrat, said": the name before the appositive.
    let head = before
        .get(..last_verb(before)?)
        .unwrap_or(before)
        .trim_end();
    if let Some((name, appositive)) = head.strip_suffix(',').and_then(|h| h.rsplit_once(',')) {
        if appositive.split_whitespace().count() <= 5
            && name.trim_end().ends_with(|c: char| c.is_alphabetic())
        {
            return Some(words(name).join(" "));
        }
    }
    let w = words(before);
    let verb = w
        .iter()
        .rposition(|x| reporting_verbs().contains(&x.to_ascii_lowercase().as_str()))?;
    // "He also warned": adverbs between the speaker and the verb.
    let mut end = verb;
    while end > 0 && adverbs().contains(&w[end - 1].to_ascii_lowercase().as_str()) {
        end -= 1;
    }
    Some(w[..end].join(" "))
}

/// Whether a speech verb follows `end` (adverbs between allowed).
fn subject_of_speech(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    rest.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .find(|w| !adverbs().contains(&w.as_str()))
        .is_some_and(|w| reporting_verbs().contains(&w.as_str()))
}

word_list! {
    /// Adverbs that stand between a speaker and the verb ("He also
    /// warned").
    fn adverbs = "speaker_adverbs.txt";
}

/// The capitalised run at the start of `w` (a name with its titles).
fn name_at(w: &[&str]) -> Option<String> {
    let run: Vec<&str> = w
        .iter()
        .take_while(|x| x.starts_with(|c: char| c.is_uppercase()) || is_title(x))
        .copied()
        .collect();
    (!run.is_empty()).then(|| run.join(" "))
}

/// A speaker phrase as a name: titles stripped; a pronoun or a bare title
/// resolved to the nearest person named before `pos`, else unknown.
fn resolve(
    phrase: String,
    pos: usize,
    window: usize,
    people: &[&Named<'_>],
    speaking: &[&Named<'_>],
) -> Option<String> {
    let w = words(&phrase);
    // The last capitalised run of the phrase is the name ("Taliban
    // spokesman Zabihullah Mujahid" -> "Zabihullah Mujahid").
    let name: Vec<&str> = w
        .iter()
        .rev()
        .take_while(|x| x.starts_with(|c: char| c.is_uppercase()) && !is_title(x))
        .copied()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let last = w.last().map(|l| l.to_ascii_lowercase());
    let pronoun = last.as_deref().is_some_and(|l| pronouns().contains(&l));
    if !pronoun
        && !not_people().contains(&last.as_deref().unwrap_or(""))
        && !name.is_empty()
        && w.last().is_some_and(|l| name.last() == Some(l))
    {
        return Some(name.join(" "));
    }
    // "It said": the organisation last named saying something, in the two
    // sentences before.
    if w.len() == 1 && last.as_deref() == Some("it") {
        return speaking
            .iter()
            .filter(|o| o.end <= pos && o.end + window >= pos)
            .max_by_key(|o| o.end)
            .map(|o| o.name.to_string());
    }
    let pronoun_or_title = pronoun || w.last().is_some_and(|l| is_title(l));
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

/// Verbs that report what someone said, for paraphrases: the speech
/// verbs of quotes but those that ask or answer.
fn reporting(word: &str) -> bool {
    reporting_verbs().contains(&word) && !matches!(word, "asked" | "replied" | "saying")
}

word_list! {
    /// Words that may stand between a speaker and the verb ("has also
    /// said", "on Sunday said"), weekdays too.
    fn words_before_verb = "words_before_verb.txt";
}

word_list! {
    /// Words a reported clause cannot start with ("said in a statement").
    fn not_clause_starts = "not_clause_starts.txt";
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
/// quote marks are left to [`quotes`]; a clause of fewer than four words,
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
            });
        }
    }
    out
}

fn is_place(n: &Named<'_>) -> bool {
    matches!(n.kind, crate::speakers::NameKind::Place { .. })
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

/// The speaker mention that ends at `end` give or take `gap` (white space,
/// commas, an appositive between commas, or the words of `words_before_verb.txt`).
fn mention_ending_before<'n, 'a>(
    text: &str,
    end: usize,
    speakers: &[&'n Named<'a>],
) -> Option<&'n Named<'a>> {
    speakers
        .iter()
        .filter(|m| m.end <= end)
        .max_by_key(|m| m.end)
        .copied()
        .filter(|m| {
            let gap = text.get(m.end..end).unwrap_or("x").trim();
            // ", the State Department spokesman," : an appositive.
            let words = gap.split_whitespace().count();
            let appositive =
                gap.len() > 2 && gap.starts_with(',') && gap.ends_with(',') && words <= 8;
            let adverbs = !gap.contains(',')
                && gap.split_whitespace().all(|w| {
                    let w = w.to_lowercase();
                    words_before_verb().contains(&w.as_str())
                        || crate::weekdays().contains(&w.as_str())
                });
            (appositive || adverbs) && !governed(text, m.start)
        })
}

word_list! {
    /// Words that make the name after them an object, not a subject.
    fn governing_words = "governing_words.txt";
}

/// Whether the name starting at `start` is the object of something before
/// it ("the lawyer for X", "the officers who questioned X"), so not the
/// subject of what follows.
fn governed(text: &str, start: usize) -> bool {
    let head = text.get(..start).unwrap_or("");
    let Some(word) = head.split_whitespace().next_back() else {
        return false;
    };
    // "the crews who met X": a relative pronoun just before.
    let relative = head
        .split_whitespace()
        .rev()
        .take(3)
        .take_while(|w| !w.ends_with(','))
        .any(|w| matches!(w, "who" | "whom" | "which" | "that"));
    relative
        || governing_words().contains(&word)
        || (word.len() > 4 && word.ends_with("ed") && word.chars().all(|c| c.is_lowercase()))
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
            // "said X" right after the verb, or "X (also) said".
            (after_verb
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speakers::NameKind;
    use crate::test_support::sentences;

    fn person(name: &str, start: usize, end: usize) -> Named<'_> {
        Named {
            name,
            kind: NameKind::Person,
            start,
            end,
        }
    }

    fn organisation(name: &str, start: usize, end: usize) -> Named<'_> {
        Named {
            name,
            kind: NameKind::Organisation,
            start,
            end,
        }
    }

    /// The names of `text` found by searching for each of `names` (all
    /// occurrences), as the entity stage would give them.
    fn found<'a>(text: &str, names: &[(&'a str, bool)]) -> Vec<Named<'a>> {
        let mut out = Vec::new();
        for &(name, is_person) in names {
            for (start, _) in text.match_indices(name) {
                let end = start + name.len();
                out.push(if is_person {
                    person(name, start, end)
                } else {
                    organisation(name, start, end)
                });
            }
        }
        out.sort_by_key(|n| n.start);
        out
    }

    fn reported(text: &str, names: &[(&str, bool)]) -> Vec<(String, String)> {
        let names = found(text, names);
        paraphrases(text, &sentences(text), &names)
            .into_iter()
            .map(|q| {
                assert_eq!(&text[q.start..q.end], q.text);
                assert_eq!(q.kind, QuoteKind::Paraphrase);
                (q.speaker.unwrap_or_default(), q.text)
            })
            .collect()
    }

    #[test]
    fn the_speaker_is_the_subject_of_the_speech_verb() {
        // "saying": the clause's subject, not a possessive.
        let text = "Ana Brisk defended the plan, saying \"the dam will hold all winter\". \
                    The mayor ignored the Hale report's findings, saying \"we have heard it all before\".";
        let names = found(text, &[("Ana Brisk", true), ("Hale", true)]);
        let got = speakers(text, &names);
        assert_eq!(got[0].1.as_deref(), Some("Ana Brisk"), "{got:?}");
        assert_eq!(got[1].1, None, "{got:?}");
        // A quote that ends its sentence: what follows is not its
        // attribution unless the verb comes at once.
        let text = "\"We will open the road again. Nobody will pay a toll.\" \
                    The remarks came after the Water Board announced new tolls.";
        let names = found(text, &[("Water Board", false)]);
        assert_eq!(speakers(text, &names)[0].1, None);
        let text = "\"We will open the road again. Nobody will pay a toll.\" Tom Hale said.";
        assert_eq!(speakers(text, &[])[0].1.as_deref(), Some("Tom Hale"));
        // A middle initial does not end the attribution; the person next
        // to the verb is the speaker.
        let text2 = "\"The road will open again next week,\" Chairman Ana B. Brisk said.";
        let names = found(text2, &[("Ana", true), ("Brisk", true)]);
        assert_eq!(speakers(text2, &names)[0].1.as_deref(), Some("Brisk"));
        let text = "\"The road will open again next week,\" Chairman Ana B. Brisk said.";
        assert_eq!(speakers(text, &[])[0].1.as_deref(), Some("Ana B. Brisk"));
        // The name before an appositive.
        let text = "Mayor Tom Hale, Dunmore Democrat, said \"the road will open again\".";
        assert_eq!(speakers(text, &[])[0].1.as_deref(), Some("Tom Hale"));
        let names = found(text, &[("Tom Hale", true), ("Dunmore Democrat", true)]);
        assert_eq!(speakers(text, &names)[0].1.as_deref(), Some("Tom Hale"));
        let text = "Ana Brisk's lawyer, Tom Hale, wrote: \"the road will open again\".";
        let names = found(text, &[("Tom Hale", true), ("Ana Brisk", true)]);
        assert_eq!(speakers(text, &names)[0].1.as_deref(), Some("Tom Hale"));
    }

    #[test]
    fn a_quote_has_four_words_or_more() {
        assert!(speakers(
            "They planned an \u{201c}orderly & safe exit\u{201d} today.",
            &[]
        )
        .is_empty());
        assert_eq!(
            speakers("They planned an \"orderly and safe exit\" today.", &[]).len(),
            1
        );
    }

    #[test]
    fn it_is_the_organisation_last_named_saying_something() {
        let text = "The water board later said the road was shut. \
                    It warned drivers that \"the valley road is not safe tonight\".";
        let names = found(text, &[("The water board", false)]);
        assert_eq!(
            speakers(text, &names)[0].1.as_deref(),
            Some("The water board")
        );
        // Named, but not as a speaker: "it" stays unknown.
        let text = "The water board met on Monday. \
                    \"The valley road is not safe tonight,\" it said.";
        let names = found(text, &[("The water board", false)]);
        assert_eq!(speakers(text, &names)[0].1, None);
    }

    #[test]
    fn a_quote_split_by_its_attribution_is_two_quotes_with_one_speaker() {
        let text = "Tom Hale spoke at the bridge. \"We will open the road again,\" he said, \"and nobody will pay a toll.\"";
        let people = [person("Tom Hale", 0, 8)];
        let found = speakers(text, &people);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().all(|(_, s)| s.as_deref() == Some("Tom Hale")),
            "{found:?}"
        );
        let named =
            "\"The water is going down slowly,\" Ana Brisk said, \"but the dam still leaks.\"";
        let found = speakers(named, &[]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().all(|(_, s)| s.as_deref() == Some("Ana Brisk")),
            "{found:?}"
        );
    }

    #[test]
    fn reported_speech_is_a_paraphrase_with_a_named_speaker() {
        let text = "Ana Brisk said the bridge would reopen within a week. \
                    The water board told reporters that the dam was holding for now. \
                    Tom Hale, the county engineer, said that two pumps had failed overnight. \
                    The valley road is closed to lorries until Friday, the water board said. \
                    According to Tom Hale, the repairs will cost more than expected. \
                    He said the crews were working in shifts. \
                    Officials said the river had peaked on Tuesday morning. \
                    Ana Brisk said in a statement. \
                    Did Tom Hale say the road was closed to lorries? \
                    The crews who met Tom Hale said the pumps were new last spring. \
                    The dam will hold through the spring, said Ana Brisk, the mayor of the valley. \
                    Ana Brisk said Tuesday, standing by the dam for an hour.";
        let got = reported(
            text,
            &[
                ("Ana Brisk", true),
                ("Tom Hale", true),
                ("The water board", false),
                ("the water board", false),
            ],
        );
        let says =
            |who: &str, start: &str| got.iter().any(|(s, t)| s == who && t.starts_with(start));
        assert!(
            says("Ana Brisk", "the bridge would reopen within a week"),
            "{got:?}"
        );
        assert!(
            says("The water board", "the dam was holding for now"),
            "{got:?}"
        );
        assert!(
            says("Tom Hale", "two pumps had failed overnight"),
            "{got:?}"
        );
        assert!(
            says(
                "the water board",
                "The valley road is closed to lorries until Friday"
            ),
            "{got:?}"
        );
        assert!(
            says("Tom Hale", "the repairs will cost more than expected"),
            "{got:?}"
        );
        assert!(
            says("Tom Hale", "the crews were working in shifts"),
            "{got:?}"
        );
        assert!(
            says("Ana Brisk", "The dam will hold through the spring"),
            "{got:?}"
        );
        // No name for "Officials", nothing said after "in a statement" or
        // "said Tuesday", a question, a name that is the object of "who
        // met": none of them is a paraphrase.
        assert_eq!(got.len(), 7, "{got:?}");
    }

    fn speakers(text: &str, people: &[Named<'_>]) -> Vec<(String, Option<String>)> {
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
        let people = [person("Ana Brisk", 0, 9)];
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
        let at = [person("Ana Brisk", end - 9, end)];
        assert_eq!(speakers(text, &at)[0].1.as_deref(), Some("Ana Brisk"));
        // No attribution at all: kept, speaker unknown.
        let bare = speakers("Residents shouted \"we want the truth now\" outside.", &[]);
        assert_eq!(bare[0].1, None);
    }
}
