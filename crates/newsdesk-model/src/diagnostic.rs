//! Messages about bad or doubtful input, reported instead of failing.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How much a diagnostic matters to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was noticed but nothing was lost.
    Warning,
    /// A record or file was skipped.
    Error,
}

/// A one-line message about one place in the input (a file, or a line of
/// it). Stages return these next to their results and go on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Diagnostic {
    /// Whether something was skipped.
    pub severity: Severity,
    /// The file (or `-` for standard input).
    pub path: String,
    /// The 1-based line, for line-oriented input.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub line: Option<u64>,
    /// What was wrong, in plain words.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic for a skipped record or file.
    pub fn error(path: impl Into<String>, line: Option<u64>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            message: one_line(message.into()),
        }
    }

    /// A diagnostic for something doubtful that lost nothing.
    pub fn warning(path: impl Into<String>, line: Option<u64>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            path: path.into(),
            line,
            message: one_line(message.into()),
        }
    }
}

/// A message on one line: a parser's multi-line error (feed-rs quotes the
/// offending XML) has its line breaks and runs of white space folded.
fn one_line(message: String) -> String {
    if message.contains(['\n', '\r']) {
        message.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        message
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match self.line {
            Some(line) => write!(f, "{level}: {}:{line}: {}", self.path, self.message),
            None => write!(f, "{level}: {}: {}", self.path, self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line() {
        let d = Diagnostic::error("feed.xml", None, "not a feed (bad XML:\n  <item>\r\n here)");
        assert_eq!(d.message, "not a feed (bad XML: <item> here)");
        assert_eq!(d.to_string().lines().count(), 1);
        let w = Diagnostic::warning("a.txt", Some(3), "kept  as is");
        assert_eq!(w.message, "kept  as is");
    }
}
