//! Turning what a user types into a search box into a safe FTS5 query.
//!
//! FTS5 has its own query language (`AND`, `OR`, `NOT`, `NEAR(…)`, `*`,
//! `^`, `column:` filters, parentheses). Passed through raw, ordinary text
//! such as `U.S.` or an unbalanced `"` is a syntax error. So the user's text
//! is never handed to FTS5 as is: every term is rebuilt from letters and
//! digits only and wrapped in double quotes, which FTS5 reads as a plain
//! string whatever it holds.

/// FTS5's bare operators. Typed on their own they would either change the
/// meaning of the query or make it invalid, so they are dropped; all terms
/// are AND-ed anyway. FTS5 only treats the upper-case spellings as
/// operators, so `and` stays an ordinary word.
const OPERATORS: [&str; 4] = ["AND", "OR", "NOT", "NEAR"];

/// At most this many terms, and this many words in a phrase, are searched
/// for: the cost of a query grows with them (a query repeating one word a
/// thousand times took 16 s), and no one types more.
const MAX_TERMS: usize = 32;

/// Translates plain user text into an FTS5 `MATCH` expression, or `None`
/// when nothing searchable is left.
///
/// `"quoted phrases"` stay phrases (an unclosed quote runs to the end).
/// Outside quotes every chunk between white space or parentheses becomes
/// one term: its runs of letters and digits, quoted together as a phrase,
/// so that `U.S.` becomes `"U S"` and `covid-19` becomes `"covid 19"`.
/// That is how the `unicode61` tokenizer splits the same text in the
/// articles, so the term matches where it occurs. All terms must match.
pub(crate) fn fts_query(input: &str) -> Option<String> {
    let mut terms = Vec::new();
    let mut rest = input;
    while let Some((before, after)) = rest.split_once('"') {
        push_words(before, &mut terms);
        match after.split_once('"') {
            Some((phrase, tail)) => {
                push_phrase(phrase, &mut terms);
                rest = tail;
            }
            None => {
                push_phrase(after, &mut terms);
                rest = "";
            }
        }
    }
    push_words(rest, &mut terms);
    // A term repeated asks for nothing more: each is searched for once,
    // in the order first typed (the index folds case).
    let mut seen = std::collections::HashSet::new();
    terms.retain(|term| seen.insert(term.to_lowercase()));
    terms.truncate(MAX_TERMS);
    if terms.is_empty() {
        None
    } else {
        Some(terms.join(" AND "))
    }
}

/// Adds one term per chunk of unquoted text. Chunks are separated by white
/// space and by parentheses, which group rather than join words, so that
/// `NEAR(flood` is the operator and a word, not the phrase `"NEAR flood"`.
fn push_words(text: &str, terms: &mut Vec<String>) {
    let chunks = text
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|chunk| !chunk.is_empty());
    for chunk in chunks {
        let tokens = tokens(chunk);
        if let [only] = tokens.as_slice() {
            if OPERATORS.contains(only) {
                continue;
            }
        }
        push_tokens(&tokens, terms);
    }
}

/// Adds the words of a quoted phrase as one phrase term. Operators inside
/// quotes are plain words to FTS5, so they are kept.
fn push_phrase(text: &str, terms: &mut Vec<String>) {
    push_tokens(&tokens(text), terms);
}

/// Adds `tokens` as one quoted FTS5 string, unless there are none. The
/// tokens hold only letters and digits, so no escaping is needed.
fn push_tokens(tokens: &[&str], terms: &mut Vec<String>) {
    if !tokens.is_empty() {
        let kept = &tokens[..tokens.len().min(MAX_TERMS)];
        terms.push(format!("\"{}\"", kept.join(" ")));
    }
}

/// The runs of letters and digits in `text`.
fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{fts_query, MAX_TERMS};

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(fts_query(input).as_deref(), expected, "input: {input:?}");
    }

    #[test]
    fn plain_words_are_quoted_and_anded() {
        check("flooding", Some(r#""flooding""#));
        check(
            "river  floods\tbridge",
            Some(r#""river" AND "floods" AND "bridge""#),
        );
        check(
            "Überschwemmung 2024",
            Some(r#""Überschwemmung" AND "2024""#),
        );
    }

    #[test]
    fn quoted_phrases_stay_phrases() {
        check(r#""closed the bridge""#, Some(r#""closed the bridge""#));
        check(
            r#"river "closed the bridge" monday"#,
            Some(r#""river" AND "closed the bridge" AND "monday""#),
        );
        // An unclosed quote runs to the end.
        check(r#"river "closed the"#, Some(r#""river" AND "closed the""#));
        // Operators inside quotes are plain words.
        check(r#""rock AND roll""#, Some(r#""rock AND roll""#));
    }

    #[test]
    fn punctuation_inside_a_word_makes_a_phrase() {
        check("U.S.", Some(r#""U S""#));
        check("covid-19", Some(r#""covid 19""#));
        check("don't", Some(r#""don t""#));
    }

    #[test]
    fn fts_syntax_is_dropped() {
        check("flood*", Some(r#""flood""#));
        check("title:flood", Some(r#""title flood""#));
        check(
            "^flood -rain (bridge)",
            Some(r#""flood" AND "rain" AND "bridge""#),
        );
        check(
            "flood AND rain OR NOT bridge",
            Some(r#""flood" AND "rain" AND "bridge""#),
        );
        check("NEAR(flood rain)", Some(r#""flood" AND "rain""#));
        check("flood and rain", Some(r#""flood" AND "and" AND "rain""#));
        check("NOT-FOR-PROFIT", Some(r#""NOT FOR PROFIT""#));
    }

    #[test]
    fn nothing_searchable_is_none() {
        for input in [
            "", "   ", "\"", "\"\"", "AND", "OR NOT", "*", "NEAR(", "🌊🌧", "-.:^()",
        ] {
            check(input, None);
        }
    }

    /// Reliability review D8: a query repeating one word a thousand times
    /// took 16 s; 3,000 `a*` took 235 s.
    #[test]
    fn repeated_terms_are_searched_once_and_terms_are_capped() {
        let trump = vec!["trump"; 1000].join(" ");
        assert_eq!(fts_query(&trump).as_deref(), Some("\"trump\""));
        assert_eq!(
            fts_query(&vec!["a*"; 3000].join(" ")).as_deref(),
            Some("\"a\"")
        );
        assert_eq!(fts_query("Flood flood FLOOD").as_deref(), Some("\"Flood\""));
        let many: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let query = fts_query(&many.join(" ")).unwrap_or_default();
        assert_eq!(query.matches(" AND ").count(), MAX_TERMS - 1);
        let phrase = format!("\"{}\"", many.join(" "));
        let query = fts_query(&phrase).unwrap_or_default();
        assert_eq!(query.split(' ').count(), MAX_TERMS);
    }
}
