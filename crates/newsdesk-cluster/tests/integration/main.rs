//! Integration tests of the cluster stage: one binary, one module per area.

mod corpus;
mod damaged_state;
mod state_format;
mod state_records;
