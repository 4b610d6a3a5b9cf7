//! Integration tests of the text stage: one harness, one module per area.

mod robustness;
mod seeds;
