//! Integration tests of the text stage: one harness, one module per area.

mod fuzz;
mod robustness;
mod seeds;
