//! Quote speakers and paraphrases as `analyze` finds them (the entity
//! tagger included), one test for each kind of error the desk review of
//! 2026-12-07 and the facts issue list. The articles are invented for these
//! tests, except `examples/`, which is ours.

use newsdesk_desk::analysis::ArticleAnalysis;
use newsdesk_entities::Analyzer;
use newsdesk_model::Article;

/// (quoted words, speaker) of each direct quote of `text`.
fn quotes(text: &str) -> Vec<(String, Option<String>)> {
    analysed(text)
        .quotes
        .iter()
        .map(|q| (q.text.clone(), q.speaker.clone()))
        .collect()
}

fn analysed(text: &str) -> ArticleAnalysis {
    let analyzer = Analyzer::embedded().expect("the embedded model loads");
    ArticleAnalysis::of(Article::new(text), analyzer).expect("the article is analysed")
}

/// The speaker of the quote that starts with `start`.
fn speaker_of(found: &[(String, Option<String>)], start: &str) -> Option<String> {
    found
        .iter()
        .find(|(q, _)| q.starts_with(start))
        .unwrap_or_else(|| panic!("no quote starts with {start:?} in {found:?}"))
        .1
        .clone()
}

#[test]
fn a_she_after_a_quote_is_the_woman_named_before_not_the_nearer_man() {
    let text = "Amy Kettle thanked her volunteers after the count in Dunmere.\n\n\
                Her rival, Tom Brand, conceded shortly after midnight. \
                \u{201c}We didn\u{2019}t lose today, we learned something,\u{201d} she said.\n";
    let found = quotes(text);
    assert_eq!(
        speaker_of(&found, "We didn").as_deref(),
        Some("Amy Kettle"),
        "{found:?}"
    );
}

#[test]
fn the_second_half_of_a_split_quote_and_a_second_quote_keep_their_speaker() {
    let text = "Nancy Pellam has run the caucus since 2019.\n\n\
                \u{201c}She has a lot of friends,\u{201d} Mr. Ryland said. \
                \u{201c}This is her caucus, clearly.\u{201d}\n\n\
                \u{201c}We had time to take the dog and the photographs,\u{201d} said Lena Farrow, \
                \u{201c}and nothing else.\u{201d}\n";
    let found = quotes(text);
    assert_eq!(
        speaker_of(&found, "She has").as_deref(),
        Some("Ryland"),
        "{found:?}"
    );
    assert_eq!(
        speaker_of(&found, "This is her").as_deref(),
        Some("Ryland"),
        "{found:?}"
    );
    assert_eq!(
        speaker_of(&found, "We had time").as_deref(),
        Some("Lena Farrow"),
        "{found:?}"
    );
    assert_eq!(
        speaker_of(&found, "and nothing").as_deref(),
        Some("Lena Farrow"),
        "{found:?}"
    );
}

#[test]
fn a_surname_shared_by_husband_and_wife_goes_to_the_one_meant() {
    let text = "Jesse Jackson Jr. and his wife, Sandra Jackson, left the court on Friday.\n\n\
                Mrs. Jackson spoke first. \"We are grateful for the support of our friends,\" \
                Mrs. Jackson said.\n\n\
                Mr. Jackson was silent until the steps. \"I made mistakes and I will pay for them,\" \
                Jackson said.\n";
    let found = quotes(text);
    assert_eq!(
        speaker_of(&found, "We are grateful").as_deref(),
        Some("Sandra Jackson"),
        "{found:?}"
    );
    assert_eq!(
        speaker_of(&found, "I made mistakes").as_deref(),
        Some("Jesse Jackson Jr."),
        "{found:?}"
    );
}

#[test]
fn a_person_is_not_the_firm_that_bears_her_name() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/lake-dam/04-veldmoor-spillway-breach-uplandswire.txt"
    );
    let text = std::fs::read_to_string(path).expect("the example article");
    let found = quotes(&text);
    for start in ["The spillway is a separate", "but the wall"] {
        assert_eq!(
            speaker_of(&found, start).as_deref(),
            Some("T. J. Marlow"),
            "{found:?}"
        );
    }
    let entities = analysed(&text).entities;
    let firm = entities
        .iter()
        .find(|e| e.name == "Marlow & Keane")
        .expect("the firm is an entity");
    assert_eq!(firm.kind, newsdesk_entities::mention::Kind::Organisation);
}

#[test]
fn a_paraphrase_speaker_does_not_swallow_her_appositive() {
    let text = "Fighting reached the northern districts of Tarsa on Sunday.\n\n\
                Lina Haddad, an MP in Tarsa, told the radio that people did not know what to do, \
                with some running or hiding in houses.\n";
    let found = analysed(text);
    let said: Vec<(Option<&str>, &str)> = found
        .paraphrases
        .iter()
        .map(|p| (p.speaker.as_deref(), p.text.as_str()))
        .collect();
    assert!(
        said.iter().any(|(who, what)| *who == Some("Lina Haddad")
            && what.starts_with("people did not know what to do")),
        "{said:?}"
    );
    assert!(
        said.iter().all(|(who, _)| *who != Some("radio")),
        "{said:?}"
    );
}

#[test]
fn a_short_quote_said_in_full_and_attributed_is_kept() {
    let text = "Hundreds gathered outside the church in Harrowgate.\n\n\
                \"It just hurts,\" said Philo Grant, the victim's brother.\n\n\
                The mayor called it a \"sad day\" for the town.\n";
    let found = quotes(text);
    assert_eq!(
        speaker_of(&found, "It just hurts").as_deref(),
        Some("Philo Grant"),
        "{found:?}"
    );
    // Words quoted inside a sentence are no quote of their own.
    assert!(found.iter().all(|(q, _)| q != "sad day"), "{found:?}");
}

#[test]
fn single_curly_marks_quote_speech_after_a_comma() {
    let text = "Judge Brett Carrow faced the committee for a second day.\n\n\
                Carrow told senators, \u{2018}The days of treating these cases as minor are over.\u{2019} \
                The Sanders\u{2019} campaign did not comment.\n";
    let found = quotes(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        speaker_of(&found, "The days of").as_deref(),
        Some("Brett Carrow"),
        "{found:?}"
    );
}

#[test]
fn a_source_described_by_a_demonym_is_no_speaker() {
    let text = "Tensions rose again on the peninsula.\n\n\
                \"The invaders persist in their extremely dangerous and reckless actions,\" \
                according to North Korean state media.\n";
    let found = quotes(text);
    assert_eq!(speaker_of(&found, "The invaders"), None, "{found:?}");
}

#[test]
fn a_quote_continued_over_paragraphs_with_mixed_marks_is_one_quote_with_its_speaker() {
    let text = "Mayor Ana Brisk spoke at the school on Monday.\n\n\
                \"We are not waiting for the water to decide for us. We are moving people now.\n\n\
                \"Every family on the valley road will have a bed tonight,\u{201d} Brisk said.\n\n\
                \"The pumps cannot keep up,\" said Tom Hale. \"We need more of them.\u{201d}\n";
    let found = quotes(text);
    let first = found
        .iter()
        .find(|(q, _)| q.starts_with("We are not waiting"))
        .expect("the continued quote");
    assert!(first.0.contains("Every family"), "{found:?}");
    assert_eq!(first.1.as_deref(), Some("Ana Brisk"), "{found:?}");
    assert_eq!(
        speaker_of(&found, "We need more").as_deref(),
        Some("Tom Hale"),
        "{found:?}"
    );
}

#[test]
fn a_name_with_an_initial_stays_whole() {
    let text = "Lawyers filed new suits on Monday.\n\n\
                \"We will be in hand-to-hand combat the rest of the way,\" said Marc E. Elmsford, \
                a lawyer who filed many of the suits.\n";
    let found = quotes(text);
    assert_eq!(
        speaker_of(&found, "We will be").as_deref(),
        Some("Marc E. Elmsford"),
        "{found:?}"
    );
}

#[test]
fn a_headline_name_runs_no_further_than_the_body_names_the_person() {
    // The body names him by his surname only: read whole, the headline's
    // run of capitals would be his name ("Glenn Rookwood Says Trams").
    let text = "Glenn Rookwood Says Trams Will Run On Time\n\n\
                Rookwood, the city's transport chief, spoke on Tuesday.\n\n\
                \"Every tram will run on time from the first day,\" Rookwood said.\n";
    let found = quotes(text);
    assert_eq!(
        speaker_of(&found, "Every tram").as_deref(),
        Some("Rookwood"),
        "{found:?}"
    );
}

#[test]
fn the_comma_before_the_attribution_is_not_part_of_the_quote() {
    let text = "\"God will hold him accountable and the nation will also judge,\" Abdullah said.\n";
    let found = quotes(text);
    assert_eq!(
        found[0].0, "God will hold him accountable and the nation will also judge",
        "{found:?}"
    );
}

#[test]
fn every_quote_of_the_examples_has_its_speaker() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/lake-dam/");
    let cases: &[(&str, &str, Option<&str>)] = &[
        (
            "01-veldmoor-warning-riverpost.txt",
            "We are treating this",
            Some("Yusuf Haddadin"),
        ),
        (
            "01-veldmoor-warning-riverpost.txt",
            "Nobody needs to leave",
            Some("Yusuf Haddadin"),
        ),
        (
            "01-veldmoor-warning-riverpost.txt",
            "Concrete of this age",
            Some("T. J. Marlow"),
        ),
        (
            "01-veldmoor-warning-riverpost.txt",
            "My grandfather helped",
            Some("Oskar Venn"),
        ),
        (
            "01-veldmoor-warning-riverpost.txt",
            "I trust it",
            Some("Oskar Venn"),
        ),
        (
            "02-veldmoor-evacuation-order-vessarycourier.txt",
            "We are not waiting",
            Some("Ana Brisk"),
        ),
        (
            "02-veldmoor-evacuation-order-vessarycourier.txt",
            "we are moving people",
            Some("Ana Brisk"),
        ),
        (
            "02-veldmoor-evacuation-order-vessarycourier.txt",
            "Most people had packed",
            Some("Yousef Hadadin"),
        ),
        (
            "03-dunmere-tram-vote-gazette.txt",
            "the most important transport",
            Some("Idris Pell"),
        ),
        (
            "03-dunmere-tram-vote-gazette.txt",
            "We are laying rails",
            Some("Idris Pell"),
        ),
        (
            "03-dunmere-tram-vote-gazette.txt",
            "Every large project",
            Some("Maren Holt"),
        ),
        (
            "04-veldmoor-spillway-breach-uplandswire.txt",
            "The spillway is a separate",
            Some("T. J. Marlow"),
        ),
        (
            "04-veldmoor-spillway-breach-uplandswire.txt",
            "but the wall holding",
            Some("T. J. Marlow"),
        ),
        (
            "04-veldmoor-spillway-breach-uplandswire.txt",
            "We had time to take",
            Some("Lena Farrow"),
        ),
        (
            "04-veldmoor-spillway-breach-uplandswire.txt",
            "Everything else is still",
            Some("Lena Farrow"),
        ),
        (
            "05-veldmoor-flood-riverpost.txt",
            "The river will stay high",
            Some("Yusuf Haddadin"),
        ),
        (
            "05-veldmoor-flood-riverpost.txt",
            "The service reads the river gauge",
            Some("T. J. Marlow"),
        ),
        (
            "05-veldmoor-flood-riverpost.txt",
            "I will not pretend",
            Some("Brisk"),
        ),
        (
            "05-veldmoor-flood-riverpost.txt",
            "It is being managed",
            Some("Brisk"),
        ),
        (
            "05-veldmoor-flood-riverpost.txt",
            "The meadows are a lake",
            Some("Oskar Venn"),
        ),
        (
            "05-veldmoor-flood-riverpost.txt",
            "My grandfather would not",
            Some("Oskar Venn"),
        ),
        (
            "07-dunmere-tram-traders-uplandswire.txt",
            "A tram at the door",
            Some("Aurelio Brandt"),
        ),
        (
            "07-dunmere-tram-traders-uplandswire.txt",
            "People were asked to cheer",
            Some("Maren Holt"),
        ),
    ];
    for (file, start, speaker) in cases {
        let text = std::fs::read_to_string(format!("{dir}{file}")).expect("the example");
        let found = quotes(&text);
        assert_eq!(
            speaker_of(&found, start).as_deref(),
            *speaker,
            "{file}: {found:?}"
        );
    }
}

#[test]
fn the_subject_of_the_clause_that_introduces_a_quote_is_its_speaker() {
    let text = "The moderators pressed the candidates on taxes.\n\n\
                Senator Ted Crane called them on it:\n\n\
                \u{201c}The questions asked in this debate show why people distrust the media.\u{201d}\n\n\
                According to Rush Lindqvist, \"the left will say anything to win this race.\"\n\n\
                Later Crane was asked, \"What is the most dangerous place you have been to?\"\n";
    let found = quotes(text);
    assert_eq!(
        speaker_of(&found, "The questions asked").as_deref(),
        Some("Ted Crane"),
        "{found:?}"
    );
    assert_eq!(
        speaker_of(&found, "the left will say").as_deref(),
        Some("Rush Lindqvist"),
        "{found:?}"
    );
    // A question put to him is not his.
    assert_ne!(
        speaker_of(&found, "What is the most").as_deref(),
        Some("Ted Crane"),
        "{found:?}"
    );
}

#[test]
fn a_sentence_whose_subject_is_the_same_pronoun_hands_the_search_back() {
    let text = "Former governor Ed Rendell dismissed the worries on Sunday.\n\n\
                He added that Clara Benton would put the questions to rest when she appears \
                alongside Donald Tramp at the debates.\n\n\
                \u{201c}When she stands there for three debates, nobody will ask again,\u{201d} he said.\n";
    let found = quotes(text);
    assert_eq!(
        speaker_of(&found, "When she stands").as_deref(),
        Some("Ed Rendell"),
        "{found:?}"
    );
}

#[test]
fn a_person_is_not_the_foundation_named_after_him_nor_the_name_after_said() {
    let text = "The Eric Tramp Foundation paid for the golf tournament.\n\n\
                \"My father made the donation, and we thanked him for it,\" Eric Tramp wrote.\n\n\
                \"I told them this is not a campaign but a movement,\" Sessions said \
                when endorsing Donald Tramp.\n";
    let found = quotes(text);
    assert_eq!(
        speaker_of(&found, "My father").as_deref(),
        Some("Eric Tramp"),
        "{found:?}"
    );
    // "Sessions", a name the tagger does not know as a person, said it;
    // not the person named after the verb.
    assert_eq!(
        speaker_of(&found, "I told them").as_deref(),
        Some("Sessions"),
        "{found:?}"
    );
}

#[test]
fn an_opening_mark_typed_for_a_closing_one_and_as_x_put_it() {
    let text = "Lawyers doubted the plan on Monday.\n\n\
                \u{201c}It is unusual,\u{201c} said Larry Nobleman, an attorney with the Campaign Law Centre. \
                \u{201c}It is a hard thing to do without stepping over a line.\u{201d}\n\n\
                As John Cornwall, the No. 2 in the party leadership, put it: \
                \"This person will not be confirmed this year.\"\n";
    let found = quotes(text);
    assert_eq!(
        speaker_of(&found, "It is unusual").as_deref(),
        Some("Larry Nobleman"),
        "{found:?}"
    );
    assert_eq!(
        speaker_of(&found, "It is a hard").as_deref(),
        Some("Larry Nobleman"),
        "{found:?}"
    );
    assert_eq!(
        speaker_of(&found, "This person").as_deref(),
        Some("John Cornwall"),
        "{found:?}"
    );
}
