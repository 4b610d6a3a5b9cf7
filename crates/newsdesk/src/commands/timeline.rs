//! `newsdesk timeline`: a story's dated developments.

use std::process::ExitCode;

use newsdesk_brief::markdown::escape;
use newsdesk_desk::sources::marks;
use newsdesk_store::Store;
use newsdesk_story::timeline::Entry;

use crate::cli::BriefFormat;
use crate::output;

/// What an empty timeline says.
const NO_ENTRIES: &str = "no dated developments (are the articles dated? `ingest --date`)";

/// Prints a timeline as a table: date, background mark, the marks of the
/// sources whose sentences report it, text.
pub fn print(entries: &[Entry]) -> anyhow::Result<()> {
    if entries.is_empty() {
        return output::line(NO_ENTRIES);
    }
    let mut table = output::table(&["date", "", "cited", "what happened"]);
    for e in entries {
        table.add_row(vec![
            e.date.clone(),
            if e.background { "background" } else { "" }.to_string(),
            marks(e.citations.iter().map(|c| c.n), false),
            output::truncate(&e.text, 90),
        ]);
    }
    output::print_table(&table)
}

/// A timeline as a CommonMark section: one item per entry with the marks
/// `[n]` of the sources whose sentences report it.
pub fn markdown(entries: &[Entry]) -> String {
    let mut out = String::from("## Timeline\n\n");
    if entries.is_empty() {
        out.push_str(&escape(NO_ENTRIES));
        out.push_str("\n\n");
        return out;
    }
    for e in entries {
        out.push_str(&format!(
            "- **{}**{}: {} {}\n",
            e.date,
            if e.background { " (background)" } else { "" },
            escape(&e.text),
            marks(e.citations.iter().map(|c| c.n), true)
        ));
    }
    out.push('\n');
    out
}

/// Shows the timeline of one story.
pub fn run(store: &dyn Store, story: u64, format: BriefFormat) -> anyhow::Result<ExitCode> {
    let timeline = newsdesk_desk::story::story_timeline(store, story)?;
    match format {
        BriefFormat::Json => output::json(&timeline)?,
        BriefFormat::Markdown => output::line(&format!(
            "{}{}",
            markdown(&timeline.entries),
            timeline.sources.markdown().trim_end()
        ))?,
        BriefFormat::Text => {
            print(&timeline.entries)?;
            if !timeline.entries.is_empty() {
                output::line("Sources:")?;
                super::brief::print_sources(&timeline.sources)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
