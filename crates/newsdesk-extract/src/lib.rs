//! Extraction stage of newsdesk: what the sentences are about.
//!
//! This first cut finds *name-like terms*: runs of capitalised words
//! ("Ashraf Ghani", "United Nations", "Kabul") and numbers ("5,000"), the
//! cheap signal that story clustering uses until the entity tagger lands.
//! A capitalised word that only starts a sentence is left out unless it
//! also appears capitalised elsewhere, since "The" or "Officials" at the
//! start of a sentence are not names.
//!
//! ```
//! use newsdesk_extract::names::name_terms;
//!
//! let names = name_terms(&["Officials said Ashraf Ghani left Kabul with 3,000 troops."]);
//! assert_eq!(names, ["ashraf ghani", "kabul", "3,000"]);
//! ```
#![deny(missing_docs)]

pub mod names;
pub mod timex;
