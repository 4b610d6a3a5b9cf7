//! `newsdesk timeline`: a story's dated developments.

use std::process::ExitCode;

use newsdesk_store::Store;
use newsdesk_story::timeline::Entry;

use crate::output;

/// Prints a timeline as a table: date, background mark, sources, text.
pub fn print(entries: &[Entry]) -> anyhow::Result<()> {
    if entries.is_empty() {
        return output::line("no dated developments (are the articles dated? `ingest --date`)");
    }
    let mut table = output::table(&["date", "", "cited", "what happened"]);
    for e in entries {
        let cited: Vec<String> = e
            .citations
            .iter()
            .map(|c| c.source.clone().unwrap_or_else(|| c.article.to_string()))
            .collect();
        table.add_row(vec![
            e.date.clone(),
            if e.background { "background" } else { "" }.to_string(),
            cited.join(", "),
            output::truncate(&e.text, 90),
        ]);
    }
    output::print_table(&table)
}

/// Shows the timeline of one story.
pub fn run(store: &dyn Store, story: u64, json: bool) -> anyhow::Result<ExitCode> {
    let entries = newsdesk_desk::story::story_timeline(store, story)?;
    if json {
        output::json(&entries)?;
    } else {
        print(&entries)?;
    }
    Ok(ExitCode::SUCCESS)
}
