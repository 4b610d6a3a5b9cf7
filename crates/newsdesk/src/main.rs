//! The `newsdesk` command line: ingest articles, list and show stories,
//! search, and the stateless stage commands (`cluster`, `eval`).
//!
//! Exit codes: 0 success, 1 error (the message says what to do), 2 usage.
//! Output goes to stdout (tables, or JSON with `--json`); diagnostics and
//! progress go to stderr. A closed pipe (`newsdesk stories | head`) ends
//! the command quietly.

mod cli;
mod commands;
mod embedding;
mod output;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            if output::is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {}", output::escaped(&format!("{error:#}"), false));
            }
            // A mistake in the call is a usage error, as clap's own are.
            if error.chain().any(|cause| cause.is::<cli::Usage>()) {
                return ExitCode::from(2);
            }
            ExitCode::from(1)
        }
    }
}
