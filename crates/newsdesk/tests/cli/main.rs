//! End-to-end tests of the `newsdesk` binary: one harness, a module per
//! area. Every test runs the real binary on real files and a real SQLite
//! store in a temporary directory.

// Skip messages for absent benchmark data go to stderr on purpose.
#![allow(clippy::print_stderr)]

mod bad_input;
mod benchmarks;
mod brief;
mod changes;
mod commands;
mod corrections;
mod entities;
mod extract;
mod facts;
mod faults;
mod hostile;
mod metadata;
mod neural;
mod postgres;
mod repair;
mod scaleout;
mod seeds;
mod sources;
mod story_ids;
mod support;
mod time;
mod why;
mod writers;
