//! Scorers for newsdesk's public benchmarks (`../shared/eval/README.md`).
//!
//! [`extraction::score`] gives word-level precision, recall and F1 of an
//! extracted main text (WCXB's metric), and [`extraction::read_benchmark`]
//! reads a WCXB-style directory.
//!
//! Clusterings: [`clustering::score`] compares a
//! predicted clustering with the gold one by BCubed precision, recall and
//! F1 (Bagga & Baldwin 1998; the primary metric) and by pairwise
//! precision, recall and F1 (as reported by Miranda et al. 2018).
//!
//! ```
//! use newsdesk_eval::clustering::score;
//!
//! // Items 0..4: gold {0,1,2} {3}; predicted {0,1} {2,3}.
//! let s = score(&["a", "a", "a", "b"], &[1, 1, 2, 2]);
//! assert!((s.bcubed.precision - 0.75).abs() < 1e-9);
//! ```
#![deny(missing_docs)]

pub mod clustering;
pub mod duplicates;
pub mod extraction;
pub mod facts;
pub mod quotes;
pub mod resources;
pub mod summarization;
pub mod timex;
