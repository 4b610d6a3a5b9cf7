//! The quotes' unit tests: speakers of direct quotes and paraphrases.

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
    let named = "\"The water is going down slowly,\" Ana Brisk said, \"but the dam still leaks.\"";
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
    let says = |who: &str, start: &str| got.iter().any(|(s, t)| s == who && t.starts_with(start));
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
            assert_eq!(&text[q.start..q.end].trim().trim_end_matches(','), &q.text);
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
                "We will rebuild the bridge this year".to_string(),
                Some("Ana Brisk".to_string())
            ),
            (
                "The valley is safe for now.".to_string(),
                Some("Tom Hale".to_string())
            ),
            (
                "Nobody was hurt in the flood".to_string(),
                Some("Yousef Hadadin".to_string())
            ),
            // Under four words, but said in full and attributed: a quote
            // (whose "she" names nobody here).
            ("Too short".to_string(), None),
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
    let text =
        "\"We will keep a team at the dam overnight,\" said the spokesman for the firm, Ana Brisk.";
    let end = text.len() - 1;
    let at = [person("Ana Brisk", end - 9, end)];
    assert_eq!(speakers(text, &at)[0].1.as_deref(), Some("Ana Brisk"));
    // No attribution at all: kept, speaker unknown.
    let bare = speakers("Residents shouted \"we want the truth now\" outside.", &[]);
    assert_eq!(bare[0].1, None);
}

#[test]
fn a_pronoun_in_a_sentence_after_the_name_stands_for_that_name() {
    // The sentence before the quote speaks of Ruth Okafor by name, then
    // as "she"; the quote's "she" is hers, not the person named earlier.
    let text = "Asked about the levy, Dan Pruitt said \"no comment\" to reporters. \
                Ruth Okafor dismissed the levy in March, when she told Pruitt at a hearing that it was \"a tax on rain.\" \
                On Friday, she remarked: \"The council has to decide this before the floods, not after them.\"";
    let names = found(
        text,
        &[
            ("Dan Pruitt", true),
            ("Ruth Okafor", true),
            ("Pruitt", true),
        ],
    );
    let said = speakers(text, &names);
    let last = said.last().expect("a quote");
    assert!(last.0.starts_with("The council"), "{said:?}");
    assert_eq!(last.1.as_deref(), Some("Ruth Okafor"), "{said:?}");
}

#[test]
fn a_name_inside_a_quote_is_no_antecedent() {
    // Peter Ames is addressed inside a quote nobody is said to say; the
    // later "he" is Omar Haddad, named before it.
    let text = "Omar Haddad reached the city after dark. \
                \"And I was like, Peter Ames, please, show me a town with lights.\" \
                \"The people here have been kind to us from the first day,\" he said.";
    let names = found(text, &[("Omar Haddad", true), ("Peter Ames", true)]);
    let said = speakers(text, &names);
    let last = said.last().expect("a quote");
    assert!(last.0.starts_with("The people"), "{said:?}");
    assert_eq!(last.1.as_deref(), Some("Omar Haddad"), "{said:?}");
}

#[test]
fn the_one_told_and_the_one_spoken_of_are_not_speakers() {
    let text = "Mara Quist met the host on Sunday. \
                \"We have to fix the levees before the next storm season,\" she told Harvey Dent. \
                Tom Okoro spoke next. \
                \"To the extent they listen, I think we are being heard,\" he said of the Quist campaign.";
    let names = found(
        text,
        &[
            ("Mara Quist", true),
            ("Harvey Dent", true),
            ("Tom Okoro", true),
            ("Quist", true),
        ],
    );
    let said = speakers(text, &names);
    assert_eq!(said.len(), 2, "{said:?}");
    assert_eq!(said[0].1.as_deref(), Some("Mara Quist"), "{said:?}");
    assert_eq!(said[1].1.as_deref(), Some("Tom Okoro"), "{said:?}");
}

#[test]
fn saying_belongs_to_the_clause_subject_after_an_opening_phrase() {
    let text = "At the Sunday debate, Ruth Okafor compared herself to Dan Pruitt, saying \"I do not take money from the dam builders.\"";
    let names = found(text, &[("Ruth Okafor", true), ("Dan Pruitt", true)]);
    let said = speakers(text, &names);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].1.as_deref(), Some("Ruth Okafor"), "{said:?}");
}

#[test]
fn a_name_before_a_role_word_is_no_antecedent() {
    // Mrs. Okafor and Kit Voss are both known to be a "she":
    // "Okafor spokeswoman" modifies Kit Voss, who speaks.
    let text = "Mrs. Okafor stayed home. \
                Okafor spokeswoman Kit Voss rejected the claim on Tuesday. \
                \"Nice try, but the council never saw that report,\" she said.";
    let names = found(text, &[("Okafor", true), ("Kit Voss", true)]);
    let said = speakers(text, &names);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].1.as_deref(), Some("Kit Voss"), "{said:?}");
}

#[test]
fn a_short_sentence_ending_in_a_speech_verb_introduces_the_quote() {
    let text = "The levy failed by nine votes. County historian Ines Marr agreed. \
                \"Nobody here wanted to pay for a wall they could not see from town.\"";
    let names = found(text, &[("Ines Marr", true)]);
    let said = speakers(text, &names);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].1.as_deref(), Some("Ines Marr"), "{said:?}");
    // A long sentence of news that ends in "said" introduces nothing.
    let text = "Ines Marr was on the council that in 2019 rejected the plan the engineers had drawn up and the mayor said. \
                \"Nobody here wanted to pay for a wall they could not see from town.\"";
    let names = found(text, &[("Ines Marr", true)]);
    assert_eq!(speakers(text, &names)[0].1, None);
}

#[test]
fn a_title_stands_for_the_person_last_named_with_it() {
    let text = "Gov. Chris Christie took questions on Monday. Christie defended the budget on his radio show. \
                \"I have known the treasurer for fourteen years and I trust him,\" the governor said.";
    let names = found(text, &[("Chris Christie", true)]);
    let said = speakers(text, &names);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].1.as_deref(), Some("Chris Christie"), "{said:?}");
}
