//! `newsdesk search`.

use std::process::ExitCode;

use newsdesk_store::Store;

use crate::output;

/// Searches the store and prints the hits, best first.
pub fn run(store: &dyn Store, query: &str, limit: usize, json: bool) -> anyhow::Result<ExitCode> {
    let hits = store.search(query, limit)?;
    if json {
        output::json(&hits)?;
        return Ok(ExitCode::SUCCESS);
    }
    if hits.is_empty() {
        output::line(&format!("no articles match {query:?}"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = output::table(&["score", "story", "title", "excerpt", "id"]);
    for hit in &hits {
        table.add_row(vec![
            format!("{:.2}", hit.score),
            hit.story.to_string(),
            output::truncate(hit.title.as_deref().unwrap_or("(untitled)"), 50),
            hit.snippet.clone(),
            hit.id.to_string(),
        ]);
    }
    output::print_table(&table)?;
    Ok(ExitCode::SUCCESS)
}
