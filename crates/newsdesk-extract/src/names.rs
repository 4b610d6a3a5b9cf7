//! Name-like terms: capitalised word runs and numbers.

use std::collections::BTreeSet;

use newsdesk_text::words::{is_stop_word, words};

/// Lowercased name-like terms of some sentences, in order of first
/// appearance, each once: runs of capitalised words (joined by single
/// spaces; short lowercase joiners such as "of" inside a run are kept, as in
/// "Bank of England") and numbers containing a digit.
pub fn name_terms(sentences: &[&str]) -> Vec<String> {
    // Capitalised words seen anywhere but at a sentence start: a sentence's
    // first word only counts as part of a name when it is one of these.
    let mut inner_capitalised: BTreeSet<String> = BTreeSet::new();
    for sentence in sentences {
        for (i, (_, word)) in words(sentence).enumerate() {
            if i > 0 && is_capitalised(word) {
                inner_capitalised.insert(word.to_lowercase());
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut push = |term: String, out: &mut Vec<String>| {
        if !term.is_empty() && seen.insert(term.clone()) {
            out.push(term);
        }
    };
    for sentence in sentences {
        let tokens: Vec<(usize, &str)> = words(sentence).map(|(span, w)| (span.start, w)).collect();
        let mut run: Vec<&str> = Vec::new();
        let mut pending_joiners: Vec<&str> = Vec::new();
        for (i, &(_, word)) in tokens.iter().enumerate() {
            if word.chars().any(|c| c.is_ascii_digit()) {
                flush(&mut run, &mut pending_joiners, &mut out, &mut push);
                push(word.to_string(), &mut out);
                continue;
            }
            let lower = word.to_lowercase();
            let starts_sentence = i == 0;
            let capitalised = is_capitalised(word)
                && (!starts_sentence || inner_capitalised.contains(&lower))
                && (!run.is_empty() || !is_stop_word(&lower));
            if capitalised {
                run.append(&mut pending_joiners);
                run.push(word);
            } else if !run.is_empty() && is_joiner(&lower) && pending_joiners.is_empty() {
                pending_joiners.push(word);
            } else {
                flush(&mut run, &mut pending_joiners, &mut out, &mut push);
            }
        }
        flush(&mut run, &mut pending_joiners, &mut out, &mut push);
    }
    out
}

fn flush(
    run: &mut Vec<&str>,
    pending_joiners: &mut Vec<&str>,
    out: &mut Vec<String>,
    push: &mut impl FnMut(String, &mut Vec<String>),
) {
    pending_joiners.clear();
    if !run.is_empty() {
        push(run.join(" ").to_lowercase(), out);
        run.clear();
    }
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Lowercase words that may stand inside a name ("Bank of England").
fn is_joiner(lower: &str) -> bool {
    matches!(
        lower,
        "of" | "de" | "al" | "el" | "bin" | "van" | "von" | "la" | "du"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_starts_are_not_names_unless_seen_inside() {
        let names = name_terms(&[
            "Floods hit Veldmoor on Monday.",
            "Veldmoor residents fled to the Bank of England branch.",
        ]);
        assert_eq!(names, ["veldmoor", "monday", "bank of england"]);
    }

    #[test]
    fn joiners_only_inside_runs() {
        assert_eq!(name_terms(&["It was of Note and of course."]), ["note"]);
        assert!(name_terms(&[""]).is_empty());
    }
}
