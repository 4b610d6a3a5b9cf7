//! Attributions: the words next to a quote that say who said it ("…," X
//! said; "…," said X; X told the BBC "…"; "…", according to X), found by
//! their speech verb.

use newsdesk_text::lexicon::reporting_verbs;

use super::speaker::is_title;

word_list! {
    /// Adverbs that stand between a speaker and the verb ("He also
    /// warned").
    fn adverbs = "speaker_adverbs.txt";
}

/// The words of a clause, split at white space and `,:;()`.
pub(super) fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a speech verb is among the first `n` words of `clause`.
pub(super) fn verb_within(clause: &str, n: usize) -> bool {
    words(clause)
        .iter()
        .take(n)
        .any(|w| reporting_verbs().contains(&w.to_ascii_lowercase().as_str()))
}

/// Where the first speech verb of `clause` starts (byte offset in it).
pub(super) fn first_verb(clause: &str) -> Option<usize> {
    verb_starts(clause).into_iter().min()
}

/// Where the last speech verb of `clause` starts (byte offset in it).
pub(super) fn last_verb(clause: &str) -> Option<usize> {
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
pub(super) fn attributes(clause: &str) -> bool {
    let lower = clause.to_ascii_lowercase();
    lower.contains("according to") || words(&lower).iter().any(|w| reporting_verbs().contains(w))
}

/// "…," X said / said X / according to X.
pub(super) fn attribution_after(after: &str) -> Option<String> {
    let w = words(after);
    if w.first()
        .is_some_and(|x| x.eq_ignore_ascii_case("according"))
        && w.get(1).is_some_and(|x| x.eq_ignore_ascii_case("to"))
    {
        // "according to North Korean state media": a demonym or a name
        // before a common noun describes the source, it does not name it.
        let name = name_at(&w[2..])?;
        let next = w.get(2 + name.split_whitespace().count());
        if next.is_some_and(|n| n.starts_with(char::is_lowercase)) {
            return None;
        }
        return Some(name);
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
pub(super) fn attribution_before(before: &str) -> Option<String> {
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
pub(super) fn subject_of_speech(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    rest.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .find(|w| !adverbs().contains(&w.as_str()))
        .is_some_and(|w| reporting_verbs().contains(&w.as_str()))
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
