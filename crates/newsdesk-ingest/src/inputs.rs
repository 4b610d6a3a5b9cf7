//! Finding the inputs of an ingest: files, directory trees, standard input.

use std::path::{Path, PathBuf};

use newsdesk_model::Diagnostic;

use crate::display_path;

/// How a file's articles are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One article per file (plain text or Markdown).
    Text,
    /// One JSON article per line.
    Jsonl,
    /// One HTML page per file, possibly gzipped.
    Html,
    /// An RSS or Atom feed: one article per item.
    Feed,
    /// A WARC web archive, possibly gzipped: one article per HTML response.
    Warc,
}

impl InputFormat {
    /// The format a file name implies: JSONL for `.jsonl`, `.ndjson` and
    /// `.json`, HTML for `.html`, `.htm` (and those gzipped), a feed for
    /// `.rss`, `.atom` and `.xml`, WARC for `.warc` and `.warc.gz`, text for
    /// anything else.
    pub fn from_path(path: &Path) -> Self {
        Self::recognise(path).unwrap_or(InputFormat::Text)
    }

    /// The format of a file whose name ends in one of the endings a
    /// directory walk reads; `None` for any other file.
    fn recognise(path: &Path) -> Option<Self> {
        let name = file_name(path).to_ascii_lowercase();
        let name = name
            .strip_suffix(".gz")
            .map_or(name.as_str(), |inner| inner);
        let gzipped = name.len() < file_name(path).len();
        let ending = name.rsplit_once('.').map(|(_, e)| e)?;
        let format = match ending {
            "txt" | "text" | "md" | "markdown" => InputFormat::Text,
            "jsonl" | "ndjson" | "json" => InputFormat::Jsonl,
            "html" | "htm" | "xhtml" => InputFormat::Html,
            "rss" | "atom" | "xml" => InputFormat::Feed,
            "warc" => InputFormat::Warc,
            _ => return None,
        };
        // Only pages and archives are read gzipped.
        match (gzipped, format) {
            (false, _) | (true, InputFormat::Html | InputFormat::Warc) => Some(format),
            (true, _) => None,
        }
    }
}

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file in a known format.
    File {
        /// Where it is.
        path: PathBuf,
        /// How to read it.
        format: InputFormat,
    },
    /// Standard input (named `-` on the command line).
    Stdin,
}

fn is_sidecar(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".meta.json"))
}

/// Expands paths into inputs: a directory into every article file below
/// it (sorted by path, hidden entries and `*.meta.json` sidecars left out,
/// symbolic links to directories not followed), `-` into standard input.
/// A path that does not exist is reported; so is a directory holding files
/// that were passed over because of their ending (once per directory).
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<Diagnostic>) {
    let mut inputs = Vec::new();
    let mut diagnostics = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => diagnostics.push(cannot_read(display_path(path), &e)),
            Ok(meta) if meta.is_dir() => walk(path, &mut inputs, &mut diagnostics),
            Ok(_) => inputs.push(Input::File {
                path: path.clone(),
                format: InputFormat::from_path(path),
            }),
        }
    }
    (inputs, diagnostics)
}

fn walk(dir: &Path, inputs: &mut Vec<Input>, diagnostics: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                display_path(dir),
                None,
                format!("cannot list directory: {}", io_reason(&e)),
            ));
            return;
        }
    };
    let mut paths: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    display_path(dir),
                    None,
                    format!("cannot list directory: {}", io_reason(&e)),
                ));
                continue;
            }
        };
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        // `DirEntry::file_type` does not follow symbolic links, so a link
        // to a directory is not descended into (no cycles); a link to a
        // file is read like a file.
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        paths.push((entry.path(), is_dir));
    }
    paths.sort();
    let mut passed_over: Vec<String> = Vec::new();
    for (path, is_dir) in paths {
        if is_dir {
            walk(&path, inputs, diagnostics);
        } else if is_sidecar(&path) {
            continue;
        } else if is_documentation(&path) {
            passed_over.push(file_name(&path));
        } else if let Some(format) = InputFormat::recognise(&path) {
            inputs.push(Input::File { path, format });
        } else {
            passed_over.push(file_name(&path));
        }
    }
    if !passed_over.is_empty() {
        let shown = passed_over.len().min(5);
        let more = if passed_over.len() > shown {
            format!(" and {} more", passed_over.len() - shown)
        } else {
            String::new()
        };
        diagnostics.push(Diagnostic::warning(
            display_path(dir),
            None,
            format!(
                "passed over {} file(s) that are not articles ({}{more}): a directory is read for .txt, .md, .jsonl, .ndjson, .json, .html, .htm, .html.gz, .rss, .atom, .xml, .warc and .warc.gz files other than README, LICENSE and the like; name a file to read it anyway",
                passed_over.len(),
                passed_over[..shown].join(", ")
            ),
        ));
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A project's documentation files (README.md, LICENSE, …) sit next to
/// articles in many folders but are not news: they are passed over in
/// directory walks, and read only when named.
fn is_documentation(path: &Path) -> bool {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_ascii_uppercase())
        .unwrap_or_default();
    matches!(
        stem.as_str(),
        "README"
            | "LICENSE"
            | "LICENCE"
            | "CHANGELOG"
            | "CONTRIBUTING"
            | "NOTICE"
            | "COPYING"
            | "AUTHORS"
    )
}

/// The diagnostic for a file that could not be opened or read.
pub(crate) fn cannot_read(name: impl Into<String>, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(name, None, format!("cannot read: {}", io_reason(e)))
}

/// The reason of an I/O error without the "(os error N)" noise.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
