//! Facts of a story: the figures its articles report (and, to come, the
//! quotes and the table that lines them up across outlets).
//!
//! ```
//! use newsdesk_facts::figures::figures;
//!
//! let found = figures("The Pentagon said about 3,000 U.S. troops would fly in, and 600 British soldiers.", &[]);
//! assert_eq!(found[0].value, 3000.0);
//! assert_eq!(found[0].modifier.as_deref(), Some("about"));
//! assert_eq!(found[0].counted, "U.S. troops");
//! assert_eq!(found[1].counted, "British soldiers");
//! ```

pub mod contradictions;
pub mod figures;
pub mod quotes;
pub mod speakers;
pub mod table;

/// Weekday names, lower case (what attributions, clause starts and names
/// are told apart from).
pub(crate) const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Helpers the unit tests share.
#[cfg(test)]
pub(crate) mod test_support {
    use newsdesk_model::Span;

    /// The sentences of a test text: split after ". ".
    pub fn sentences(text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, _) in text.match_indices(". ") {
            out.push(Span::new(start, i + 1));
            start = i + 2;
        }
        out.push(Span::new(start, text.len()));
        out
    }
}
