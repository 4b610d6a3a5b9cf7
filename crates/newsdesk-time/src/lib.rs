//! Time in newsdesk: temporal expressions in news text and the day each
//! sentence reports.
//!
//! - [`timex`]: a HeidelTime-style tagger whose rules and lexicon are data
//!   files (`data/timex/`), normalising dates, times, durations and sets to
//!   TIMEX3 values against the publication date, with weekdays resolved by
//!   the tense of their sentence; [`timex::published`] reads a publication
//!   date that an article states in its first lines.
//! - [`dated`]: the event time of every sentence of a document, and
//!   [`DatedDocument`], a document tagged once for every stage that reads
//!   its dates (timeline, facts, brief).
//!
//! ```
//! use newsdesk_time::timex::tagger;
//!
//! let times = tagger().tag("Kabul fell on Sunday.", Some(jiff::civil::date(2021, 8, 16)));
//! assert_eq!(times[0].value.as_deref(), Some("2021-08-15"));
//! ```
#![deny(missing_docs)]

pub mod dated;
pub mod timex;

pub use dated::{sentence_dates, DatedDocument, EventTime};
pub use timex::texts_tagged_on_this_thread;
