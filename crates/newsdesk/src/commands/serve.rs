//! `newsdesk serve`: the HTTP API over the store until Ctrl-C or SIGTERM.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use newsdesk_server::{ServeOptions, StoreAt};

use crate::cli::ServeArgs;
use crate::output;

/// Serves the store at `db` (a SQLite file, or a PostgreSQL database by
/// its `postgres://` URL) until a shutdown signal, then finishes the
/// requests in flight.
pub fn run(db: &Path, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let at = match super::postgres_url(db) {
        Some(url) => StoreAt::Postgres(url.to_owned()),
        None => StoreAt::Sqlite(db.to_path_buf()),
    };
    let mut options = ServeOptions::new(at);
    options.addr = args.addr;
    options.token = args.token.clone().filter(|t| !t.trim().is_empty());
    options.rate_limit = args.rate_limit;
    options.max_ingest_bytes = args.max_ingest_mib.saturating_mul(1 << 20);
    options.cors_origins = args.cors_origins.clone();
    let writes = match (&options.token, args.addr.ip().is_loopback()) {
        (Some(_), _) => "writes need the token (NEWSDESK_TOKEN)",
        (None, true) => "writes open to this machine",
        (None, false) => "read only: set NEWSDESK_TOKEN to take writes",
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .with_context(|| format!("cannot listen on {}", options.addr))?;
        let addr = listener.local_addr().unwrap_or(options.addr);
        output::line(&format!(
            "newsdesk serving {} on http://{addr}/ ({writes}); API at http://{addr}/api/v1/stories, OpenAPI at http://{addr}/api/v1/openapi.json; Ctrl-C stops",
            options.db
        ))?;
        newsdesk_server::serve_on(listener, options, shutdown_signal())
            .await
            .context("newsdesk serve")
    })?;
    output::line("newsdesk serve: stopped")?;
    Ok(ExitCode::SUCCESS)
}

/// Completes at Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}
