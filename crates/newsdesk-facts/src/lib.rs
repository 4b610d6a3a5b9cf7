//! Facts of a story: the figures its articles report ([`figures`]), the
//! quotes and reported speech with their speakers ([`quotes`]), statements
//! that contradict each other ([`contradictions`]) and the table that lines
//! them up across outlets ([`table`]), after an editor's [`corrections`]
//! (figures and quotes rejected, quotes re-attributed). [`speakers`]
//! adapts the entity stage's names to what these need. The word lists the
//! rules read are data files in `data/`.
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

/// Declares the loader of a word list shipped in `data/` (one word or
/// phrase a line, `#` comments; the format of
/// [`newsdesk_text::lexicon::words`]): compiled in, read once, in file order.
/// Each list has one loader, in the module that owns it.
macro_rules! word_list {
    ($(#[$doc:meta])* $vis:vis fn $name:ident = $file:literal;) => {
        $(#[$doc])*
        $vis fn $name() -> &'static [&'static str] {
            static LIST: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
            LIST.get_or_init(|| {
                newsdesk_text::lexicon::words(include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/data/",
                    $file
                )))
            })
        }
    };
}

pub mod contradictions;
pub mod corrections;
pub mod figures;
pub mod quotes;
pub mod speakers;
pub mod table;

word_list! {
    /// Weekday names, lower case (what attributions, clause starts and
    /// names are told apart from).
    pub(crate) fn weekdays = "weekdays.txt";
}

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
