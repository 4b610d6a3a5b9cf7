//! A stage's learnt state as a set of keyed records, so that a store can
//! keep it in a table and update only what changed (the clusterer's terms,
//! events and stories touched by a batch of articles) instead of rewriting
//! one blob per commit.
//!
//! The records are opaque to the store: a record is a `kind` (which part of
//! the state), a `key` within that kind and a value in bytes. The stage
//! that owns the state decides how it splits into records and reads them
//! back.
//!
//! ```
//! use newsdesk_model::state::{StateChanges, StateRecord};
//!
//! let mut changes = StateChanges::default();
//! changes.records.push(StateRecord { kind: 1, key: 7, value: b"flood".to_vec() });
//! assert!(!changes.is_empty());
//! ```

/// One record of a state: `value` under (`kind`, `key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateRecord {
    /// Which part of the state the record holds.
    pub kind: u8,
    /// The record's key within its kind.
    pub key: u64,
    /// The record's contents, encoded by the stage that owns them.
    pub value: Vec<u8>,
}

/// What changed in a state since it was last saved, applied by a store in
/// one transaction: first `replace` (everything dropped), then `forget`,
/// then `records` written over the records of the same kind and key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateChanges {
    /// Drop every record first: the records that follow are the whole
    /// state (the first save, or one converted from an older layout).
    pub replace: bool,
    /// Records to drop: for each `(kind, below)`, every record of that
    /// kind whose key is lower than `below` (an index that forgets its
    /// oldest entries).
    pub forget: Vec<(u8, u64)>,
    /// Records added or changed.
    pub records: Vec<StateRecord>,
}

impl StateChanges {
    /// Whether applying the changes would change nothing.
    pub fn is_empty(&self) -> bool {
        !self.replace && self.forget.is_empty() && self.records.is_empty()
    }

    /// How many bytes of values the changes write.
    pub fn bytes(&self) -> usize {
        self.records.iter().map(|r| r.value.len()).sum()
    }
}
