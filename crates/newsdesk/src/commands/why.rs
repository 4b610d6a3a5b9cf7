//! `newsdesk why` (and `show --why`): why a story's articles are together.

use std::process::ExitCode;

use newsdesk_cluster::explain::{Blocked, LinkWeakness, TieWeakness};
use newsdesk_desk::why::{ArticleWhy, Decision, LinkWhy, StoryWhy, Term};
use newsdesk_store::Store;

use crate::output;

/// Explains one story: text, or `--json`.
pub fn run(store: &dyn Store, story: u64, json: bool) -> anyhow::Result<ExitCode> {
    let why = newsdesk_desk::why::story_why(store, story)?;
    if json {
        output::json(&why)?;
    } else {
        output::line(&format!("Story {}: {}", why.story, why.title))?;
        print(&why)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints why a story's articles are together: a summary line, then the
/// links between its events and its articles, the weak ones first (marked
/// `!`).
pub fn print(why: &StoryWhy) -> anyhow::Result<()> {
    output::line(&format!(
        "{} article(s) in {} event(s); {} of {} link(s) between events weak; {} of {} article(s) weakly tied to their event.",
        why.articles.len(),
        why.events.len(),
        why.weak_links(),
        why.links.len(),
        why.weak_articles(),
        why.articles.len(),
    ))?;
    output::line(&format!(
        "(Similarity: {}. The linker joins events whose mean reaches {}.)",
        why.basis, why.average_threshold
    ))?;
    for r in &why.corrections {
        output::line(&format!(
            "Correction {} by {}: {}{} (links it made are the editor's: the numbers may not support them)",
            r.id,
            r.by,
            r.correction.describe(),
            r.reason
                .as_deref()
                .map(|reason| format!(", because {reason}"))
                .unwrap_or_default()
        ))?;
    }
    let undated = why.links.iter().filter(|l| l.gap_days.is_none()).count();
    if undated > 0 {
        output::line(&format!(
            "Note: {undated} link(s) join events of which one side is undated: the linker's guard against events months apart could not act."
        ))?;
    }
    if !why.links.is_empty() {
        output::line("")?;
        output::line("Links between events, weakest first:")?;
        for (n, link) in why.links.iter().enumerate() {
            print_link(n + 1, link, why)?;
        }
    }
    output::line("")?;
    output::line("Articles, weakest ties first:")?;
    for article in &why.articles {
        print_article(article)?;
    }
    Ok(())
}

fn mark(weak: bool) -> &'static str {
    if weak {
        "!"
    } else {
        " "
    }
}

fn events(list: &[u64]) -> String {
    let ids: Vec<String> = list.iter().map(u64::to_string).collect();
    match ids.len() {
        1 => format!("event {}", ids[0]),
        _ => format!("events {}", ids.join(", ")),
    }
}

fn title(title: Option<&str>) -> String {
    format!(
        "\"{}\"",
        output::truncate(title.unwrap_or("(untitled)"), 60)
    )
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// "names: Kabul 31%, Taliban 12%; words: troops 4%".
fn terms(terms: &[Term]) -> String {
    let list = |name: bool| -> Vec<String> {
        terms
            .iter()
            .filter(|t| t.name == name)
            .map(|t| format!("{} {}", t.text, percent(t.share)))
            .collect()
    };
    let mut parts = Vec::new();
    let names = list(true);
    if !names.is_empty() {
        parts.push(format!("names: {}", names.join(", ")));
    }
    let words = list(false);
    if !words.is_empty() {
        parts.push(format!("words: {}", words.join(", ")));
    }
    if parts.is_empty() {
        "nothing".to_owned()
    } else {
        parts.join("; ")
    }
}

fn print_link(n: usize, link: &LinkWhy, why: &StoryWhy) -> anyhow::Result<()> {
    let weak = !link.weaknesses.is_empty();
    output::line(&format!(
        "{} {n}. {} + {}: mean {:.3}, weakest pair {:.3}, {} of {} article pair(s) share nothing{}",
        mark(weak),
        events(&link.left),
        events(&link.right),
        link.average,
        link.weakest,
        link.disjoint,
        link.pairs,
        match link.gap_days {
            Some(days) if days < 0 => ", dates overlapping".to_owned(),
            Some(days) => format!(", {days} day(s) apart"),
            None => ", undated".to_owned(),
        },
    ))?;
    output::line(&format!(
        "     held by event {} {} and event {} {} ({:.3})",
        link.bridge.left,
        title(link.bridge.left_title.as_deref()),
        link.bridge.right,
        title(link.bridge.right_title.as_deref()),
        link.bridge.similarity,
    ))?;
    output::line(&format!("     shared {}", terms(&link.shared)))?;
    for weakness in &link.weaknesses {
        output::line(&format!(
            "     weak: {}",
            link_weakness(*weakness, link, why)
        ))?;
    }
    Ok(())
}

fn link_weakness(weakness: LinkWeakness, link: &LinkWhy, why: &StoryWhy) -> String {
    match weakness {
        LinkWeakness::NotLinked => {
            let reasons: Vec<&str> = link
                .blocked
                .iter()
                .map(|b| match b {
                    Blocked::Average => "their mean is under the threshold",
                    Blocked::Floor => "two long articles across are under the floor",
                    Blocked::Gap => "they are too many days apart",
                    Blocked::Anchor => "without their heaviest shared name or word they are under the threshold",
                })
                .collect();
            format!(
                "the batch linker would not join these ({}): they were joined another way",
                reasons.join(", ")
            )
        }
        LinkWeakness::OneTerm => format!(
            "rests on one term: without {} ({} of the mean) it would be {:.3}, under the linking threshold {}",
            link.shared.first().map_or("it", |t| t.text.as_str()),
            link.shared.first().map_or_else(String::new, |t| percent(t.share)),
            link.without_top,
            why.average_threshold
        ),
        LinkWeakness::NearThreshold => format!(
            "mean {:.3} is under twice the linking threshold {}",
            link.average, why.average_threshold
        ),
        LinkWeakness::MostPairsDisjoint => format!(
            "{} of {} article pairs share no term: a few pairs carry the mean",
            link.disjoint, link.pairs
        ),
    }
}

fn print_article(a: &ArticleWhy) -> anyhow::Result<()> {
    let decision = match &a.decision {
        Decision::Opened => "opened it".to_owned(),
        Decision::Joined => "joined it".to_owned(),
        Decision::Reprint { of } => format!("reprint of {of}"),
    };
    output::line(&format!(
        "{} {} (event {}, {}) {}",
        mark(!a.weaknesses.is_empty()),
        a.id,
        a.event,
        decision,
        title(a.title.as_deref()),
    ))?;
    let tie = match (&a.decision, a.similarity) {
        (Decision::Reprint { .. }, _) => {
            "placed with its original by the near-duplicate fingerprint".to_owned()
        }
        (_, None) => "alone in its event (no other article to compare with)".to_owned(),
        (_, Some(s)) => format!(
            "mean {s:.3} to the {} other article(s) of its event",
            a.compared_with
        ),
    };
    let other = match &a.closest_other {
        Some(o) => format!(
            "; closest other event {} (story {}) at {:.3}{}",
            o.event,
            o.story,
            o.similarity,
            a.margin
                .map(|m| format!(", margin {m:+.3}"))
                .unwrap_or_default()
        ),
        None => String::new(),
    };
    output::line(&format!("     {tie}{other}"))?;
    if a.similarity.is_some() {
        output::line(&format!("     shared {}", terms(&a.shared)))?;
    }
    for weakness in &a.weaknesses {
        let text = match weakness {
            TieWeakness::CloserElsewhere => match &a.closest_other {
                Some(o) => format!(
                    "closer to event {} (story {}) {} than to its own event",
                    o.event,
                    o.story,
                    title(o.title.as_deref())
                ),
                None => "closer to another event than to its own".to_owned(),
            },
            TieWeakness::OneTerm => format!(
                "rests on one term: without {} ({} of the mean) it would be {:.3}",
                a.shared.first().map_or("it", |t| t.text.as_str()),
                a.shared
                    .first()
                    .map_or_else(String::new, |t| percent(t.share)),
                a.similarity.unwrap_or(0.0) - a.shared.first().map_or(0.0, |t| t.weight),
            ),
            TieWeakness::Loose => format!(
                "loosely tied: mean under {}",
                newsdesk_cluster::explain::LOOSE_TIE
            ),
        };
        output::line(&format!("     weak: {text}"))?;
    }
    Ok(())
}
