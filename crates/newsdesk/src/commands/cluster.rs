//! `newsdesk cluster`: the stateless clustering stage, JSONL out.

use std::io::Write;
use std::process::ExitCode;

use newsdesk_desk::ingest::{cluster_inputs, Embedder, IngestOptions};
use serde::Serialize;

use crate::cli::ClusterArgs;
use crate::embedding::Embeddings;
use crate::output;

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    event: u64,
    story: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_of: Option<&'a str>,
}

/// Clusters the inputs and writes one line per article as it goes. The
/// output is JSONL whether or not `--json` is given.
pub fn run(args: &ClusterArgs) -> anyhow::Result<ExitCode> {
    let options = IngestOptions {
        read: args.metadata.read_options()?,
        order: args.order.input_order(),
        linking: args.tuning.linking(),
        events: args.tuning.events(),
        cluster: args.tuning.config(),
        ..IngestOptions::default()
    };
    let embeddings = Embeddings::load_optional(args.tuning.embed_model.as_deref())?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut written = 0usize;
    let mut failure: Option<std::io::Error> = None;
    let diagnostics = cluster_inputs(
        &args.paths,
        &options,
        embeddings.as_ref().map(|e| e as &dyn Embedder),
        &mut |assignment| {
            if failure.is_some() {
                return;
            }
            let line = Line {
                id: assignment.id.as_str(),
                event: assignment.event,
                story: assignment.story,
                duplicate_of: assignment.duplicate_of.as_ref().map(|d| d.as_str()),
            };
            let result = serde_json::to_writer(&mut out, &line)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out));
            match result {
                Ok(()) => written += 1,
                Err(e) => failure = Some(e),
            }
        },
    );
    if let Some(e) = failure {
        return Err(e.into());
    }
    out.flush()?;
    output::diagnostics(&diagnostics);
    Ok(if written == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
