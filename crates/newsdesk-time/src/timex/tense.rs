//! The tense around a word, from cue words, for resolving "on Thursday".
//!
//! HeidelTime reads the tense of a weekday's sentence from part-of-speech
//! tags; without a tagger, newsdesk looks for the nearest cue in the same
//! sentence: "will", "'ll", "going to", "plans", "scheduled" for the future;
//! "was", "said", "had" and words in "-ed" for the past; "is", "are",
//! "has", "says" for the present. News reports past events far more often
//! than plans, so no cue means the past.

/// The tense of a sentence (or of the part of it near an expression).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    /// Something that happened.
    Past,
    /// Something that holds now, or has just happened (present perfect).
    Present,
    /// Something planned or expected.
    Future,
}

const FUTURE: &[&str] = &[
    "will",
    "'ll",
    "shall",
    "won't",
    "wont",
    "going",
    "plans",
    "plan",
    "planned",
    "planning",
    "scheduled",
    "expected",
    "expects",
    "expect",
    "due",
    "would",
    "upcoming",
    "tomorrow",
    "next",
    "intends",
    "aims",
];
// Past-tense cues, not a list of reporting verbs: "said" and "told" are
// here as past forms among others, so this does not read
// newsdesk_text::lexicon::reporting_verbs() (which holds present forms
// such as "says" and "saying" too).
const PAST: &[&str] = &[
    "was",
    "were",
    "had",
    "did",
    "said",
    "told",
    "ago",
    "yesterday",
    "last",
    "took",
    "came",
    "went",
    "began",
    "fell",
    "rose",
    "met",
    "made",
    "left",
    "fled",
    "gave",
    "won",
    "lost",
    "saw",
    "sent",
    "held",
    "got",
    "ran",
    "struck",
    "killed",
    "seized",
    "captured",
];
const PRESENT: &[&str] = &[
    "is",
    "are",
    "has",
    "have",
    "says",
    "say",
    "am",
    "remains",
    "remain",
    "continues",
    "now",
    "today",
];

/// Sentence bounds around `[start, end)`: back to the previous and on to
/// the next `.`, `!`, `?` or newline, at most 300 bytes each way.
pub fn sentence_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let stop = |b: u8| matches!(b, b'.' | b'!' | b'?' | b'\n');
    let mut s = start.min(bytes.len());
    let floor = start.saturating_sub(300);
    while s > floor && !stop(bytes[s - 1]) {
        s -= 1;
    }
    let mut e = end.min(bytes.len());
    let ceiling = (end + 300).min(bytes.len());
    while e < ceiling && !stop(bytes[e]) {
        e += 1;
    }
    while s < bytes.len() && !text.is_char_boundary(s) {
        s += 1;
    }
    while e > s && !text.is_char_boundary(e) {
        e -= 1;
    }
    (s, e.max(s))
}

/// The tense nearest to the expression at `[start, end)` of `text`, judged
/// within its sentence (the expression's own words are not cues).
pub fn tense_at(text: &str, start: usize, end: usize) -> Tense {
    let (s, e) = sentence_around(text, start, end);
    let (s, e) = within_quote(text, s, e, start, end);
    let mut best: Option<(usize, Tense)> = None;
    let mut consider = |offset: usize, tense: Option<Tense>| {
        let Some(tense) = tense else { return };
        let distance = if offset < start {
            start - offset
        } else {
            offset.saturating_sub(end)
        };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, tense));
        }
    };
    let sentence: Vec<(usize, &str, Option<Tense>)> =
        words(text, s, e).map(|(o, w)| (o, w, cue(w))).collect();
    let is = |i: usize, words: &[&str]| {
        sentence
            .get(i)
            .is_some_and(|(_, w, _)| words.iter().any(|x| w.eq_ignore_ascii_case(x)))
    };
    for (i, &(offset, _, tense)) in sentence.iter().enumerate() {
        if offset >= start && offset < end {
            continue;
        }
        // "was planning", "is to resume", "set to resume": the auxiliary
        // carries the tense of a plan, not of a past or present event.
        if is(i, &["was", "were", "is", "are", "set"])
            && (is(i + 1, &["to"])
                || sentence
                    .get(i + 1)
                    .is_some_and(|n| n.2 == Some(Tense::Future)))
        {
            consider(offset, Some(Tense::Future));
            continue;
        }
        // "had been due to expire Friday", "had planned": a plan that
        // was already past.
        if tense == Some(Tense::Future)
            && (1..=2).any(|n| i.checked_sub(n).is_some_and(|j| is(j, &["had"])))
        {
            consider(offset, Some(Tense::Past));
            continue;
        }
        // "will be named", "has been approved": after a form of "be" or
        // "have" a participle carries no tense of its own; the auxiliary
        // before it does.
        if tense == Some(Tense::Past)
            && !PAST.iter().any(|w| sentence[i].1.eq_ignore_ascii_case(w))
            && i.checked_sub(1)
                .is_some_and(|j| is(j, &["be", "been", "being"]))
        {
            continue;
        }
        // "vacation plans", "the plan": a noun, not a plan to do something.
        if is(i, &["plans", "plan"]) && !is(i + 1, &["to"]) {
            continue;
        }
        consider(offset, tense);
    }
    best.map(|(_, t)| t).unwrap_or(Tense::Past)
}

/// The part of `[s, e)` inside the quotation that holds `[start, end)`,
/// if it is quoted: a speaker's own words carry their tense ("``He will
/// leave Thursday,'' Castro said" is about the coming Thursday).
fn within_quote(text: &str, s: usize, e: usize, start: usize, end: usize) -> (usize, usize) {
    let before = text.get(s..start).unwrap_or("");
    let after = text.get(end..e).unwrap_or("");
    // AP style: ``...'' (or ''...''); else straight or curly double quotes.
    let open = match (before.rfind("``"), before.rfind("''")) {
        (Some(o), close) if close.is_none_or(|c| c < o) => Some((o + 2, "''")),
        (None, Some(o)) if before.matches("''").count() % 2 == 1 => Some((o + 2, "''")),
        _ => {
            let straight = before.matches('"').count();
            match (before.rfind('\u{201c}'), before.rfind('\u{201d}')) {
                (Some(o), close) if close.is_none_or(|c| c < o) => {
                    Some((o + '\u{201c}'.len_utf8(), "\u{201d}"))
                }
                _ if straight % 2 == 1 => before.rfind('"').map(|o| (o + 1, "\"")),
                _ => None,
            }
        }
    };
    let Some((open, closing)) = open else {
        return (s, e);
    };
    let close = after.find(closing).map_or(e, |c| end + c);
    (s + open, close)
}

/// The tense of a whole sentence: the future if any cue says so, else the
/// present for a present perfect ("have entered"), else the past if any
/// cue says so, else the present if any cue says so, else the
/// past.
pub fn sentence_tense(sentence: &str) -> Tense {
    let mut seen = [false; 3];
    let mut perfect = false;
    for (_, word) in words(sentence, 0, sentence.len()) {
        perfect |= matches!(word.to_ascii_lowercase().as_str(), "has" | "have" | "'ve");
        match cue(word) {
            Some(Tense::Future) => seen[0] = true,
            Some(Tense::Past) => seen[1] = true,
            Some(Tense::Present) => seen[2] = true,
            None => {}
        }
    }
    if seen[0] {
        Tense::Future
    } else if perfect {
        Tense::Present
    } else if seen[1] {
        Tense::Past
    } else if seen[2] {
        Tense::Present
    } else {
        Tense::Past
    }
}

fn cue(word: &str) -> Option<Tense> {
    let lower = word.to_ascii_lowercase();
    let lower = lower.as_str();
    if FUTURE.contains(&lower) || lower.ends_with("'ll") {
        Some(Tense::Future)
    } else if PAST.contains(&lower)
        // A past participle, not a name ("the United States").
        || (lower.len() >= 5 && lower.ends_with("ed") && !word.starts_with(char::is_uppercase))
    {
        Some(Tense::Past)
    } else if PRESENT.contains(&lower) || lower.ends_with("'s") && lower == "it's" {
        Some(Tense::Present)
    } else {
        None
    }
}

/// ASCII words (letters and apostrophes) of `text[s..e]` with their offsets.
fn words(text: &str, s: usize, e: usize) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut i = s;
    std::iter::from_fn(move || {
        while i < e && !bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        if i >= e {
            return None;
        }
        let start = i;
        while i < e && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'\'') {
            i += 1;
        }
        text.get(start..i).map(|w| (start, w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sentence: &str, word: &str, expected: Tense) {
        let start = sentence.find(word).expect("word in sentence");
        assert_eq!(
            tense_at(sentence, start, start + word.len()),
            expected,
            "{sentence}"
        );
    }

    #[test]
    fn nearest_cue_decides() {
        check("Herat fell on Thursday.", "Thursday", Tense::Past);
        check(
            "Ministers will meet on Thursday.",
            "Thursday",
            Tense::Future,
        );
        check(
            "He said they will meet on Thursday.",
            "Thursday",
            Tense::Future,
        );
        check(
            "On Thursday it rained. They will go.",
            "Thursday",
            Tense::Past,
        );
        check("Thursday.", "Thursday", Tense::Past);
        // Plans told in the past tense are still plans.
        check(
            "Protesters were planning to drive to the airport on Monday.",
            "Monday",
            Tense::Future,
        );
        check("Talks are set to resume Monday.", "Monday", Tense::Future);
        check(
            "He would be traveling to the United States Thursday.",
            "Thursday",
            Tense::Future,
        );
        check(
            "The offer had been due to expire Friday.",
            "Friday",
            Tense::Past,
        );
    }

    #[test]
    fn participles_after_be_and_plan_nouns_are_not_cues() {
        check(
            "Collins will be named commander for a mission in December.",
            "December",
            Tense::Future,
        );
        check(
            "On Friday, when she set aside vacation plans, the talks ended.",
            "Friday",
            Tense::Past,
        );
        check("He plans to fly there on Friday.", "Friday", Tense::Future);
    }

    #[test]
    fn whole_sentence() {
        assert_eq!(
            sentence_tense("The Taliban have entered Kabul"),
            Tense::Present
        );
        assert_eq!(sentence_tense("The Taliban entered Kabul"), Tense::Past);
        assert_eq!(sentence_tense("Talks will resume"), Tense::Future);
    }
}
