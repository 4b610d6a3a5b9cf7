//! Integration tests of the text stage: one harness, one module per area.

mod corpus;
mod fuzz;
mod normalize;
mod robustness;
mod seeds;
