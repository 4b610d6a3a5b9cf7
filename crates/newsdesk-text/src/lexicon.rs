//! Word lists more than one stage reads, kept as data files under `data/`
//! (compiled in) so that each list has one owner.
//!
//! A list file holds one word or phrase a line; blank lines and lines
//! starting with `#` are left out, and white space around an entry is
//! trimmed. [`words`] reads that format, so that other crates can load
//! their own lists the same way.
//!
//! ```
//! use newsdesk_text::lexicon::{reporting_verbs, words};
//!
//! assert!(reporting_verbs().contains(&"said"));
//! assert_eq!(words("# a comment\nat least\n\n  about \n"), ["at least", "about"]);
//! ```

use std::sync::OnceLock;

/// The entries of a word-list file: one word or phrase a line, blank lines
/// and `#` comment lines left out, in file order.
pub fn words(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

/// The verbs that report speech ("said", "told", "warned", …), lower case,
/// from `data/reporting_verbs.txt`; read once.
pub fn reporting_verbs() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| words(include_str!("../data/reporting_verbs.txt")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reporting_verbs_are_lower_case_single_words() {
        let verbs = reporting_verbs();
        assert_eq!(verbs.len(), 71);
        assert!(verbs
            .iter()
            .all(|v| v.chars().all(|c| c.is_ascii_lowercase())));
    }
}
