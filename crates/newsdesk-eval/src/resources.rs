//! What a benchmark run cost besides time, and where its input is.

use std::path::{Path, PathBuf};

/// A benchmark's input: its first argument that is not a flag, else
/// `shared` below `../shared/` beside the workspace (e.g. `eval/timex`).
pub fn bench_input(shared: &str) -> PathBuf {
    std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared")
                .join(shared)
        })
}

/// Peak resident memory of this process, as Linux reports it (`VmHWM` in
/// `/proc/self/status`, e.g. `80564 kB`), or `unknown` elsewhere.
pub fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .map(|line| line.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn peak_rss_is_reported_on_linux() {
        let rss = super::peak_rss();
        if cfg!(target_os = "linux") {
            assert!(rss.ends_with("kB"), "{rss}");
        }
    }
}
