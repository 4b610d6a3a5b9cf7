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
pub mod names;
pub mod quotes;
pub mod table;
