//! Who said it: the person named next to the speech verb (an appositive
//! may stand between: "Ned Price, the spokesman, said"), or the speaker
//! phrase of the attribution resolved to a name, where a pronoun or a bare
//! title ("he", "the spokesman") stands for the nearest person named in the
//! two sentences before and "it" for the organisation last named saying
//! something.

use super::antecedent::{antecedent, pronoun_gender, Genders};
use super::attribution::{attributes, first_verb, last_verb, subject_of_speech, words};
use super::marks::period_ends_sentence;
use super::Attribution;
use crate::speakers::{NameKind, Named};

word_list! {
    /// Pronouns that stand for a person named before ("he", "she", "they").
    pub(super) fn pronouns = "speaker_pronouns.txt";
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

word_list! {
    /// Words that may stand between a speaker and the verb ("has also
    /// said", "on Sunday said"), weekdays too.
    fn words_before_verb = "words_before_verb.txt";
}

word_list! {
    /// Words that make the name after them an object, not a subject.
    fn governing_words = "governing_words.txt";
}

/// Whether a word of an attribution is a title or another word that
/// stands before a speaker's name, as written ("President", "spokesman",
/// "the", "US").
pub(super) fn is_title(word: &str) -> bool {
    speaker_titles().contains(&word) || attribution_words().contains(&word)
}

/// Organisations (and other names) that are the subject of a speech verb
/// ("the US Embassy later said"): what a following "It said" can stand
/// for.
pub(super) fn speaking<'n, 'a>(text: &str, names: &'n [Named<'a>]) -> Vec<&'n Named<'a>> {
    names
        .iter()
        .filter(|n| matches!(n.kind, NameKind::Organisation | NameKind::Other))
        .filter(|n| subject_of_speech(text, n.end))
        .collect()
}

/// A person the caller found inside the attribution after a quote (which
/// ends at `close`; `after` is the rest of its sentence): "X said", the
/// first person before the verb that is its subject ("Michael Ahrens, a
/// Rubio spokesman, said"; not "Clinton" of "Clinton ally James Carville
/// said"), else the nearest ("Chairman Adam B. Schiff said"); "said X",
/// the first after it that is no modifier ("…, said Clinton ally James
/// Carville").
pub(super) fn named_after<'n, 'a>(
    text: &str,
    close: usize,
    after: &str,
    people: &[&'n Named<'a>],
) -> Option<&'n Named<'a>> {
    if !attributes(after) {
        return None;
    }
    let inside = |p: &&&Named<'_>| p.end > close && p.end <= close + after.len();
    let verb = first_verb(after).map_or(close + after.len(), |at| close + at);
    let subject = |p: &&&Named<'_>| !modifies(text, p.end) && !governed(text, p.start);
    let before_verb = || people.iter().filter(inside).filter(|p| p.end <= verb);
    let after_verb = || people.iter().filter(inside).filter(|p| p.start >= verb);
    // The subject's name may be read as two ("Ana B." and "Brisk"): the
    // last of a run of names with only capitalised words between.
    let whole = |first: &'n Named<'a>| {
        before_verb()
            .copied()
            .filter(|q| q.start >= first.end)
            .take_while(|q| {
                text.get(first.end..q.start).is_some_and(|gap| {
                    gap.split_whitespace()
                        .all(|w| w.starts_with(char::is_uppercase) && !w.ends_with(','))
                })
            })
            .last()
            .unwrap_or(first)
    };
    // "said X" only when the verb comes first: in "Sessions said when
    // endorsing Trump" the name after the verb is no speaker.
    // ("…", He said Masoom Jan, as machine translation writes it, still
    // names Masoom Jan.)
    let verb_first = text.get(close..verb).is_some_and(|head| {
        !head.split_whitespace().any(|w| {
            w.starts_with(char::is_uppercase)
                && !pronouns().contains(&w.to_ascii_lowercase().as_str())
        })
    }) && inverts(text.get(verb..close + after.len()).unwrap_or(""));
    before_verb()
        .find(subject)
        .map(|p| whole(p))
        .or_else(|| before_verb().max_by_key(|p| p.end).copied())
        .or_else(|| {
            verb_first
                .then(|| {
                    after_verb()
                        .find(subject)
                        .or_else(|| after_verb().min_by_key(|p| p.end))
                })
                .flatten()
                .copied()
        })
}

/// Whether the speech verb opening `rest` may have its speaker after it
/// ("…," said Ana Brisk): not "told", whose name after is the one told
/// ("…," she told Harvey), nor a verb followed by a preposition or a
/// conjunction ("he said of the Clinton campaign", "said when endorsing
/// Trump").
fn inverts(rest: &str) -> bool {
    let mut words = rest
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase);
    let verb = words.next().unwrap_or_default();
    let next = words.next().unwrap_or_default();
    !matches!(verb.as_str(), "told" | "tells" | "tell")
        && !matches!(
            next.as_str(),
            "of" | "about"
                | "to"
                | "in"
                | "at"
                | "on"
                | "during"
                | "after"
                | "before"
                | "when"
                | "while"
                | "as"
                | "with"
                | "from"
                | "that"
        )
}

/// Whether the name ending at `end` modifies what follows rather than
/// being a speaker: a possessive ("Sanders’ campaign manager") or a name
/// before a role word ("Rubio spokesman", "Clinton ally").
pub(super) fn modifies(text: &str, end: usize) -> bool {
    if possessive(text, end) {
        return true;
    }
    let rest = text.get(end..).unwrap_or("");
    let next = rest.split_whitespace().next().unwrap_or("");
    rest.starts_with(' ')
        && next.starts_with(|c: char| c.is_lowercase())
        && role_words().contains(&next.trim_end_matches([',', '.']))
}

/// Whether the name ending at `end` is a possessive ("Sanders'",
/// "Clinton's"): it names whose something is, not who speaks.
pub(super) fn possessive(text: &str, end: usize) -> bool {
    text.get(end..)
        .is_some_and(|rest| rest.starts_with(['\'', '\u{2019}']))
}

word_list! {
    /// Role words that make the name before them a modifier ("Rubio
    /// spokesman", "Clinton ally", "Sanders campaign manager").
    fn role_words = "role_words.txt";
}

/// A person the caller found in the attribution before a quote (which
/// opens at `open`; `before` is its clause): the person right before the
/// speech verb, an appositive between allowed, or the subject of "…,
/// saying".
pub(super) fn named_before<'n, 'a>(
    text: &str,
    open: usize,
    before: &str,
    people: &[&'n Named<'a>],
) -> Option<&'n Named<'a>> {
    let Some(at) = last_verb(before) else {
        return naming(text, open, before, people);
    };
    // "X compared himself to Clinton, saying …": the participle's
    // subject is the clause's, never the name right before it.
    if before[at..].to_ascii_lowercase().starts_with("saying") {
        return subject_saying(text, open, before, at, people);
    }
    let verb = open - before.len() + at;
    let in_clause = |p: &&Named<'_>| p.start + before.len() >= open;
    // "…," said X, "…": the second half's speaker after the verb.
    let after_verb = || {
        let verb_end = verb + before[at..].split_whitespace().next().map_or(0, str::len);
        people.iter().copied().find(|p| {
            p.start >= verb_end
                && p.end <= open
                && text
                    .get(verb_end..p.start)
                    .is_some_and(|g| g.split_whitespace().all(is_title))
                && text.get(p.end..open).is_some_and(|g| g.trim() == ",")
        })
    };
    mention_ending_before(text, verb, people)
        .filter(in_clause)
        .or_else(after_verb)
        .or_else(|| appositive_speaker(text, verb, people).filter(in_clause))
        .or_else(|| subject_saying(text, open, before, at, people))
}

/// "Idris Pell called the vote "…"": the subject of a verb that names
/// what it quotes (called, described … as, dubbed, branded), the person
/// opening the clause.
fn naming<'n, 'a>(
    text: &str,
    open: usize,
    before: &str,
    people: &[&'n Named<'a>],
) -> Option<&'n Named<'a>> {
    let lower = before.to_ascii_lowercase();
    let at = [
        "called",
        "described",
        "dubbed",
        "branded",
        "labelled",
        "labeled",
        "termed",
    ]
    .iter()
    .filter_map(|v| {
        lower
            .match_indices(v)
            .find(|(i, m)| lower[..*i].ends_with(' ') && lower[i + m.len()..].starts_with(' '))
    })
    .map(|(i, _)| i)
    .min()?;
    let clause_start = open - before.len();
    let verb = clause_start + at;
    let p = people
        .iter()
        .copied()
        .filter(|p| p.start >= clause_start && p.end <= verb)
        .min_by_key(|p| p.start)?;
    // The subject opens the clause: a few words before it ("Council
    // leader"), none governing it ("the lawyer for"), and nothing but
    // white space between it and the verb.
    let opens = text.get(clause_start..p.start).is_some_and(|h| {
        h.split_whitespace().count() <= 3 && h.split_whitespace().all(|w| !governing(w))
    }) && !governed(text, p.start);
    let adjacent = text.get(p.end..verb).is_some_and(|g| g.trim().is_empty());
    (opens && adjacent).then_some(p)
}

/// "X defended the move, saying …": the clause's subject, the first person
/// it names, when the verb at `at` in `before` is "saying".
fn subject_saying<'n, 'a>(
    text: &str,
    open: usize,
    before: &str,
    at: usize,
    people: &[&'n Named<'a>],
) -> Option<&'n Named<'a>> {
    if !before[at..].to_ascii_lowercase().starts_with("saying") {
        return None;
    }
    let verb = open - before.len() + at;
    let in_clause = |p: &&Named<'_>| p.start + before.len() >= open;
    people
        .iter()
        .copied()
        .filter(|p| p.end <= verb && in_clause(p))
        // The subject opens the clause ("US President Joe Biden has
        // defended …"), after an introductory phrase set off by a comma
        // ("At the debate, Sanders compared …"), not "… of the Hale
        // report".
        .filter(|p| {
            let head = text.get(open - before.len()..p.start).unwrap_or("x");
            head.rsplit(',')
                .next()
                .unwrap_or(head)
                .split_whitespace()
                .all(|w| w.starts_with(|c: char| c.is_uppercase()) || is_title(w))
        })
        .min_by_key(|p| p.start)
}

/// How far back (in bytes) a pronoun's antecedent may be: the two
/// sentences before `pos`.
pub(super) fn antecedent_window(text: &str, pos: usize) -> usize {
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

/// What a speaker phrase is resolved against: the article, its persons
/// named outside quotes, the organisations that say something, the
/// persons' genders, and where earlier quotes are and who said them.
pub(super) struct Context<'c> {
    pub text: &'c str,
    pub outside: &'c [&'c Named<'c>],
    pub speaking: &'c [&'c Named<'c>],
    pub genders: &'c Genders<'c>,
    pub spoke: &'c [(usize, String)],
}

/// A speaker phrase as a name: titles stripped; "he" or "she" resolved to
/// a person of a compatible gender in the sentences before `pos`
/// ([`antecedent`]), "it" to the organisation last named saying something
/// in the two sentences before; else unknown (a bare title, "the
/// spokesman", names nobody the article tells apart).
pub(super) fn resolve(phrase: &str, pos: usize, cx: &Context<'_>) -> Option<(String, Attribution)> {
    let w = words(phrase);
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
        return Some((name.join(" "), Attribution::Named));
    }
    let window = antecedent_window(cx.text, pos);
    // "It said": the organisation last named saying something, in the two
    // sentences before.
    if w.len() == 1 && last.as_deref() == Some("it") {
        return cx
            .speaking
            .iter()
            .filter(|o| o.end <= pos && o.end + window >= pos)
            .max_by_key(|o| o.end)
            .map(|o| (o.name.to_string(), Attribution::Organisation));
    }
    if pronoun {
        // "he" and "she" only: "they" is a group more often than not.
        let want = pronoun_gender(last.as_deref().unwrap_or(""))?;
        return antecedent(cx.text, pos, want, cx.outside, cx.genders, cx.spoke)
            .map(|name| (name.to_string(), Attribution::Pronoun));
    }
    titled(&w, pos, cx).map(|name| (name.to_string(), Attribution::Title))
}

/// Title words of a description ("the governor", "the Vermont senator")
/// and the words that give that title before a name ("Gov. Chris
/// Christie", "Sen. Bernie Sanders", "Republican nominee Donald Trump").
const TITLES: &[(&str, &[&str])] = &[
    ("governor", &["gov", "governor"]),
    ("senator", &["sen", "senator"]),
    ("president", &["president"]),
    ("congressman", &["rep", "congressman", "representative"]),
    ("congresswoman", &["rep", "congresswoman", "representative"]),
    ("mayor", &["mayor"]),
    ("secretary", &["secretary"]),
    ("nominee", &["nominee"]),
    ("candidate", &["candidate"]),
];

/// How far back (in bytes) a description's person may be named.
const TITLED_WINDOW: usize = 3000;

/// The person a description (`w`: "the governor", "the independent
/// Vermont senator") stands for: the person named last before `pos`,
/// outside quotes, with that title given right before the name (within
/// four words: "Republican presidential nominee Donald Trump").
fn titled<'c>(w: &[&str], pos: usize, cx: &Context<'c>) -> Option<&'c str> {
    if w.len() > 5 || !w.first().is_some_and(|f| f.eq_ignore_ascii_case("the")) {
        return None;
    }
    let last = w.last()?.to_ascii_lowercase();
    let (_, cues) = TITLES.iter().find(|(title, _)| *title == last)?;
    cx.outside
        .iter()
        .filter(|p| p.end <= pos && p.end + TITLED_WINDOW >= pos)
        .filter(|p| {
            let before = cx.text.get(..p.start).unwrap_or("");
            before
                .split_whitespace()
                .rev()
                .take(4)
                .any(|x| cues.contains(&x.trim_end_matches('.').to_ascii_lowercase().as_str()))
        })
        .max_by_key(|p| p.end)
        .map(|p| p.name)
}

/// The most words an appositive between a speaker and the verb may have
/// (", who has told aides he sees the issues as interconnected,").
const APPOSITIVE_WORDS: usize = 14;

/// The speaker mention that ends at `end` give or take `gap` (white space,
/// commas, an appositive between commas, or the words of `words_before_verb.txt`).
pub(super) fn mention_ending_before<'n, 'a>(
    text: &str,
    end: usize,
    speakers: &[&'n Named<'a>],
) -> Option<&'n Named<'a>> {
    let valid = |m: &&Named<'_>| {
        let gap = text.get(m.end..end).unwrap_or("x").trim();
        // ", the State Department spokesman," : an appositive.
        let words = gap.split_whitespace().count();
        let appositive = gap.len() > 2
            && gap.starts_with(',')
            && gap.ends_with(',')
            && words <= APPOSITIVE_WORDS;
        let adverbs = !gap.contains(',')
            && gap.split_whitespace().all(|w| {
                let w = w.to_lowercase();
                words_before_verb().contains(&w.as_str()) || crate::weekdays().contains(&w.as_str())
            });
        (appositive || adverbs) && !governed(text, m.start)
    };
    // The nearest, or one before it whose appositive holds the nearer
    // ones ("Farzana Kocha, an MP in Kabul, told").
    let mut before: Vec<&'n Named<'a>> =
        speakers.iter().copied().filter(|m| m.end <= end).collect();
    before.sort_by_key(|m| std::cmp::Reverse(m.end));
    before.into_iter().take(4).find(valid)
}

/// Whether `word` is one of the words that govern a name after them
/// ("for", "of", "who"): a preposition or relative, not a verb.
pub(super) fn governing(word: &str) -> bool {
    governing_words().contains(&word)
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

/// A person named right after a quote behind a dash ("…” ― Pamela
/// Padilla; "…"\n\n- Bernie Sanders.), as lists of reactions and fact
/// checks attribute.
pub(super) fn dashed<'n, 'a>(
    text: &str,
    close: usize,
    people: &[&'n Named<'a>],
) -> Option<&'n Named<'a>> {
    let rest = text.get(close..)?;
    let trimmed = rest.trim_start();
    let dash = trimmed
        .chars()
        .next()
        .filter(|c| matches!(c, '\u{2015}' | '\u{2014}' | '\u{2013}' | '-'))?;
    let after_dash = trimmed[dash.len_utf8()..].trim_start();
    let at = close + rest.len() - after_dash.len();
    people.iter().copied().find(|p| p.start == at)
}

/// A person named alone before the colon that introduces a quote, as
/// transcripts and Q&As attribute ("Rep. Trey Gowdy (R-S.C.): "…"",
/// "Former secretary of state Hillary Rodham Clinton: "…"").
pub(super) fn before_colon<'n, 'a>(
    open: usize,
    before: &str,
    people: &[&'n Named<'a>],
) -> Option<&'n Named<'a>> {
    let clause = before.trim_end().strip_suffix(':')?;
    // A party and state after the name: "(R-S.C.)".
    let clause = match clause.trim_end().strip_suffix(')') {
        Some(head) => head.rsplit_once('(').map_or(clause, |(name, _)| name),
        None => clause,
    }
    .trim_end();
    if clause.split_whitespace().count() > 8 || clause.contains(',') {
        return None;
    }
    let clause_start = open - before.len();
    let end = clause_start + clause.len();
    people
        .iter()
        .copied()
        .find(|p| p.end == end && p.start >= clause_start)
}

/// "Iowa State's Dianne Bystrom agreed. "…"": a short sentence that
/// ends with its subject's speech verb, just before the quote in the same
/// paragraph, introduces it.
pub(super) fn said_just_before<'n, 'a>(
    text: &str,
    open: usize,
    people: &[&'n Named<'a>],
) -> Option<&'n Named<'a>> {
    let head = text.get(..open)?.trim_end_matches([' ', '\t', '\u{a0}']);
    let body = head.strip_suffix('.')?;
    let start = sentence_start(body);
    let sentence = body.get(start..)?;
    if sentence.split_whitespace().count() > SAID_JUST_BEFORE_WORDS {
        return None;
    }
    let last = sentence
        .split_whitespace()
        .next_back()?
        .to_ascii_lowercase();
    if !newsdesk_text::lexicon::reporting_verbs().contains(&last.as_str()) {
        return None;
    }
    people.iter().copied().find(|p| {
        p.start >= start
            && p.end <= body.len()
            && subject_of_speech(text, p.end)
            && !modifies(text, p.end)
    })
}

/// Where the last sentence of `body` starts: after its last sentence
/// end, line break or closing quote mark (0 if none).
fn sentence_start(body: &str) -> usize {
    body.char_indices()
        .rev()
        .find(|&(i, c)| match c {
            '.' => period_ends_sentence(body, i),
            '!' | '?' | '\n' | '"' | '\u{201d}' => true,
            _ => false,
        })
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The most words a sentence of [`said_just_before`] has: a name, its
/// appositive and the verb, not a sentence of news.
const SAID_JUST_BEFORE_WORDS: usize = 10;

/// The subject of the clause that introduces a quote with a colon or a
/// comma ("Cruz called them on it: "…"", "Trump took to Twitter,
/// writing: "…"", "Clinton's response was: "…"", "According to Limbaugh,
/// "…""), the clause possibly ending the paragraph before. The subject
/// opens the clause (a few words before it, none governing it); a clause
/// opened by "when", "after", "as" … starts again after its comma.
pub(super) fn introducing<'n, 'a>(
    text: &str,
    open: usize,
    people: &[&'n Named<'a>],
) -> Option<&'n Named<'a>> {
    let head = text.get(..open)?.trim_end();
    let end = head.len().checked_sub(1)?;
    if !head.ends_with([':', ',']) {
        return None;
    }
    let body = &head[..end];
    let mut start = sentence_start(body);
    let clause = body.get(start..)?;
    if clause.split_whitespace().count() > 25 {
        return None;
    }
    // Not a speaker's words: a question put to the subject ("Trump was
    // asked,") or a title ("a column entitled,", "a hat reading,").
    let lowered = clause.to_ascii_lowercase();
    if [
        "was asked",
        "were asked",
        "entitled",
        "titled",
        "headlined",
        "reading",
    ]
    .iter()
    .any(|w| lowered.contains(w))
    {
        return None;
    }
    let lower = clause.trim_start().to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("according to ") {
        let at = start + (clause.len() - clause.trim_start().len()) + (lower.len() - rest.len());
        return people.iter().copied().find(|p| p.start == at);
    }
    const SUBORDINATORS: &[&str] = &[
        "when", "after", "as", "while", "if", "because", "although", "since", "before", "once",
        "in", "at", "on", "during",
    ];
    let first = lower.split_whitespace().next().unwrap_or("");
    // "As John Cornyn, the No. 2 in the leadership, put it:" is his.
    let as_put_it = first == "as" && lower.trim_end().ends_with("put it");
    if SUBORDINATORS.contains(&first.trim_end_matches(',')) && !as_put_it {
        start += clause.find(',')? + 1;
    }
    let p = people
        .iter()
        .copied()
        .filter(|p| p.start >= start && p.end <= end)
        .min_by_key(|p| p.start)?;
    let before = text.get(start..p.start)?;
    let opens = as_put_it
        || (before.split_whitespace().count() <= 3
            && before
                .split_whitespace()
                .all(|w| !governing(&w.to_ascii_lowercase()))
            && !governed(text, p.start));
    // Something is said or done after the subject ("called them on it",
    // "'s response was"), not a bare name ("Donald Trump:", the colon
    // sieve's).
    let rest = text.get(p.end..end)?.trim();
    (opens && !rest.is_empty()).then_some(p)
}
