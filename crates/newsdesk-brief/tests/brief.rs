//! The brief on small stories written for these tests.

use newsdesk_brief::{brief, standalone, Budget, Config, Source, SourceSentence};

fn source(id: &str, date: Option<&str>, lines: &[&str]) -> Source {
    Source {
        id: id.to_string(),
        outlet: Some(format!("outlet-{id}")),
        date: date.and_then(|d| d.parse().ok()),
        url: None,
        path: None,
        sentences: lines
            .iter()
            .map(|t| SourceSentence {
                text: t.to_string(),
                span: None,
                event_date: None,
            })
            .collect(),
    }
}

/// Three outlets on a dam breach; one also covers an unrelated fair.
fn dam_story() -> Vec<Source> {
    vec![
        source(
            "a",
            Some("2025-03-14"),
            &[
                "Floodwater breached the old dam at Lake Varna on Monday night, forcing the evacuation of 2,000 residents.",
                "Engineers had warned in January that cracks in the dam wall were widening every week.",
                "He said the town fair would still open on Saturday with music and food stalls.",
                "The regional governor declared a state of emergency across the valley on Tuesday morning.",
            ],
        ),
        source(
            "b",
            Some("2025-03-15"),
            &[
                "About 2,000 residents were evacuated after floodwater breached the old Lake Varna dam on Monday night.",
                "The governor declared a state of emergency for the whole valley on Tuesday.",
                "Rescue teams used boats to reach farms cut off by the water near the river mouth.",
            ],
        ),
        source(
            "c",
            Some("2025-03-15"),
            &[
                "The breach of the Lake Varna dam sent floodwater through the lower town and forced 2,000 residents from their homes.",
                "Cracks in the dam wall had been reported by engineers months before the breach.",
                "Would the valley ever recover from such a flood?",
            ],
        ),
    ]
}

#[test]
fn sentences_that_lean_on_others_are_not_candidates() {
    assert!(standalone(
        "The governor declared a state of emergency on Tuesday."
    ));
    assert!(!standalone("He said the fair would open."));
    assert!(!standalone("This was the worst flood in decades."));
    assert!(!standalone("Would the valley ever recover?"));
    assert!(!standalone("But the dam held for another day."));
    // A quote with a speaker stands; one without does not; nor does first
    // person outside quote marks (a quote whose marks were lost).
    assert!(standalone(
        "\"We lost everything,\" a farmer told reporters."
    ));
    assert!(!standalone("\"We lost everything.\""));
    // A quote whose speaker is only "he" needs the sentence before it.
    assert!(!standalone("\"We lost everything,\" he said."));
    assert!(standalone(
        "\"We lost everything,\" he said, the farmer told reporters."
    ));
    assert!(!standalone(
        "We lost everything in one night, the farmer said."
    ));
    assert!(!standalone("  "));
}

#[test]
fn the_brief_keeps_its_budget_and_tells_each_development_once() {
    let sources = dam_story();
    let config = Config {
        budget: Budget::Words(45),
        ..Config::default()
    };
    let b = brief(&sources, &config);
    let words: usize = b
        .sentences
        .iter()
        .map(|s| s.text.split_whitespace().count())
        .sum();
    assert!(words <= 45, "{words} words: {}", b.text);
    assert!(!b.sentences.is_empty());
    // The breach is told once, not once per outlet.
    let breach = b
        .sentences
        .iter()
        .filter(|s| s.text.contains("breach"))
        .count();
    assert_eq!(breach, 1, "{}", b.text);
    // No question, no "He said…".
    assert!(
        b.sentences.iter().all(|s| standalone(&s.text)),
        "{}",
        b.text
    );
}

#[test]
fn every_outlet_reporting_a_sentence_is_cited_with_its_evidence() {
    let sources = dam_story();
    let b = brief(&sources, &Config::default());
    let breach = b
        .sentences
        .iter()
        .find(|s| s.text.contains("breach"))
        .expect("the breach is in the brief");
    let cited: Vec<&str> = breach
        .citations
        .iter()
        .map(|c| c.article.as_str())
        .collect();
    assert_eq!(cited.len(), 3, "{cited:?}");
    // The taken-from article comes first, with full support; each other
    // citation carries its own sentence as evidence.
    assert_eq!(breach.citations[0].article, breach.article);
    assert!((breach.citations[0].support - 1.0).abs() < 1e-9);
    for c in &breach.citations[1..] {
        assert!(c.support >= newsdesk_brief::cite::MIN_SUPPORT && c.support < 1.0);
        assert!(
            c.evidence.contains("2,000") || c.evidence.contains("breach"),
            "{}",
            c.evidence
        );
    }
    // The rescue boats are reported by one outlet only: cited once.
    if let Some(boats) = b.sentences.iter().find(|s| s.text.contains("boats")) {
        assert_eq!(boats.citations.len(), 1);
    }
    // Marks in the text follow each sentence, in number order.
    assert!(b.text.contains("[1][2][3]"), "{}", b.text);
}

#[test]
fn dated_sentences_come_in_event_order() {
    let mut sources = dam_story();
    // Date the emergency before the breach on purpose: order must follow
    // the dates, not the articles.
    sources[0].sentences[3].event_date = Some("2025-03-10".to_string());
    sources[1].sentences[1].event_date = Some("2025-03-10".to_string());
    sources[0].sentences[0].event_date = Some("2025-03-11".to_string());
    sources[1].sentences[0].event_date = Some("2025-03-11".to_string());
    sources[2].sentences[0].event_date = Some("2025-03-11".to_string());
    let b = brief(&sources, &Config::default());
    let dates: Vec<&str> = b
        .sentences
        .iter()
        .filter_map(|s| s.event_date.as_deref())
        .collect();
    // At least two dated sentences, so that the order is tested.
    assert!(dates.len() >= 2, "{}", b.text);
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted, "{}", b.text);
}

#[test]
fn a_byte_budget_and_empty_input_are_kept() {
    let sources = dam_story();
    let b = brief(
        &sources,
        &Config {
            budget: Budget::Bytes(160),
            ..Config::default()
        },
    );
    let bytes: usize = b.sentences.iter().map(|s| s.text.len() + 1).sum();
    assert!(bytes <= 161, "{bytes}: {}", b.text);
    let empty = brief(&[], &Config::default());
    assert!(empty.sentences.is_empty() && empty.text.is_empty());
    let markdown = brief(&sources, &Config::default()).markdown_paragraph();
    assert!(markdown.contains(" [1]"), "{markdown}");
}

/// Regression (the seeds' UK troops): two outlets telling the same figure
/// in other words ("About 600 British troops are being deployed" / "the
/// deployment of 600 troops") share no word pair, which alone read as
/// different claims about the same actors; the shared figure ties them.
#[test]
fn a_shared_figure_ties_a_claim_told_in_other_words() {
    let sources = vec![
        source(
            "a",
            None,
            &[
                "Floodwater breached the old dam at Lake Varna on Monday night.",
                "About 600 army engineers are being deployed to help with the repair work.",
            ],
        ),
        source(
            "b",
            None,
            &[
                "The old dam at Lake Varna was breached by floodwater on Monday night.",
                "The ministry announced the deployment of 600 engineers from the army to the valley.",
            ],
        ),
    ];
    let b = brief(&sources, &Config::default());
    let engineers = b
        .sentences
        .iter()
        .find(|s| s.text.contains("600"))
        .unwrap_or_else(|| panic!("the 600 engineers are told: {}", b.text));
    assert_eq!(engineers.citations.len(), 2, "{}", b.text);
}

/// Desk review: the Markdown brief broke as CommonMark (`[1][3]` read as
/// one link, markup in an article's words taken for markup). Parsed with a
/// CommonMark parser after the definitions a source legend gives, every
/// mark must be a link to its article and the text read as written.
#[test]
fn the_markdown_brief_is_commonmark_whose_marks_link_to_their_articles() {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut sources = dam_story();
    // Markup in the articles' words.
    for s in sources.iter_mut().flat_map(|s| &mut s.sentences) {
        s.text = s.text.replace(" old ", " *old* [x] ");
    }
    let b = brief(&sources, &Config::default());
    let cited: std::collections::BTreeSet<usize> = b
        .sentences
        .iter()
        .flat_map(|s| s.citations.iter().map(|c| c.number))
        .collect();
    assert!(cited.len() >= 2, "{}", b.text);
    let mut markdown = b.markdown_paragraph();
    markdown.push_str("\n\n");
    for n in &cited {
        markdown.push_str(&format!(
            "[{n}]: <{}>\n",
            newsdesk_brief::markdown::link_destination(&format!("saved pages/{n}.html"))
        ));
    }
    let mut links: Vec<(String, String)> = Vec::new();
    let mut text = String::new();
    let (mut in_link, mut link_text) = (None::<String>, String::new());
    for event in Parser::new(&markdown) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                in_link = Some(dest_url.to_string());
                link_text.clear();
            }
            Event::End(TagEnd::Link) => {
                if let Some(dest) = in_link.take() {
                    links.push((link_text.clone(), dest));
                }
            }
            Event::Text(t) => {
                if in_link.is_some() {
                    link_text.push_str(&t);
                } else {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::Emphasis) => panic!("markup read in the words: {markdown}"),
            _ => {}
        }
    }
    for n in &cited {
        let link = links
            .iter()
            .find(|(t, _)| *t == n.to_string())
            .unwrap_or_else(|| panic!("[{n}] is no link: {markdown}"));
        assert_eq!(link.1, format!("saved%20pages/{n}.html"), "{markdown}");
    }
    assert_eq!(
        links.len(),
        b.sentences
            .iter()
            .map(|s| {
                let mut n: Vec<usize> = s.citations.iter().map(|c| c.number).collect();
                n.dedup();
                n.len()
            })
            .sum::<usize>(),
        "{markdown}"
    );
    assert!(text.contains("the *old* [x] "), "{text}\n{markdown}");
}
