//! The facts stage's integration tests, one binary: golden files for
//! figures and quotes (`golden`) and property tests over messy text
//! (`fuzz`).

mod fuzz;
mod golden;
