//! How both backends key the clusterer's state records: one integer id,
//! `kind × 2^56 + key`, so that a table needs no second index over (kind,
//! key).

use newsdesk_model::state::StateRecord;

use crate::StoreError;

/// Keys of one kind of state record: below 2^56, so that the kind fits in
/// the top byte of a record's id (and the id is a positive integer).
pub(crate) const RECORD_KEYS: u64 = 1 << 56;

/// The id of the record (`kind`, `key`): `kind × 2^56 + key`; `None` for
/// a kind of 128 or more or a key of 2^56 or more (no clusterer gives
/// one: keys are term, group and article counts), which the backend
/// refuses with the commit.
pub(crate) fn record_id(kind: u8, key: u64) -> Option<u64> {
    (kind < 128 && key < RECORD_KEYS).then(|| (u64::from(kind) << 56) | key)
}

/// One past the ids of the records of `kind` with keys below `below`.
pub(crate) fn ids_below(kind: u8, below: u64) -> u64 {
    (u64::from(kind) << 56) + below.min(RECORD_KEYS)
}

/// The record a stored id and value make; a negative id means the table
/// was damaged.
pub(crate) fn state_record(id: i64, value: Vec<u8>) -> Result<StateRecord, StoreError> {
    let Ok(id) = u64::try_from(id) else {
        return Err(StoreError::Corrupt {
            what: "the clusterer's state".to_owned(),
            reason: format!("record id {id} is negative"),
        });
    };
    Ok(StateRecord {
        // The top byte of a 63-bit id: below 128.
        kind: (id >> 56) as u8,
        key: id & (RECORD_KEYS - 1),
        value,
    })
}
