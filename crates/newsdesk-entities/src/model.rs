//! The model file: a tagger's weights, gazetteers and vocabulary
//! capitalisation in a compact binary form, deflate-compressed.
//!
//! Layout (little-endian, after the compressed stream is inflated):
//! `NDNER` and a format byte; then the gazetteer, the outside name lists
//! and the vocabulary capitalisation as counted lists of `(u64 hash, u8)`; then the weights as
//! a count of features, each a `u64` hash (sorted, delta-coded as a
//! varint), a `u16` mask of the tags with a non-zero weight and those
//! weights as `i16`. Only hashes are stored, never words.

use std::io::{Read, Write};

use crate::features::HashKeyed;
use crate::gazetteer::Gazetteer;
use crate::label::TAG_COUNT;
use crate::tagger::{QuantisedWeights, Tagger};
use crate::EntityError;

const MAGIC: &[u8; 5] = b"NDNER";

/// The format version: bump it with any change to the feature templates
/// or the layout, so that an old file is refused rather than misread.
pub const FORMAT: u8 = 1;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], EntityError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or(EntityError::Model("the file is cut short"))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, EntityError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, EntityError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u64(&mut self) -> Result<u64, EntityError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    fn varint(&mut self) -> Result<u64, EntityError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(EntityError::Model("a number is too long"))
    }

    fn count(&mut self) -> Result<usize, EntityError> {
        let n = self.varint()?;
        // Every entry takes at least one byte: a larger count is corrupt.
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.bytes.len() - self.at)
            .ok_or(EntityError::Model("a count is larger than the file"))
    }
}

fn put_map(out: &mut Vec<u8>, map: &HashKeyed<u8>) {
    let mut entries: Vec<(u64, u8)> = map.iter().map(|(&k, &v)| (k, v)).collect();
    entries.sort_unstable();
    put_varint(out, entries.len() as u64);
    for (k, v) in entries {
        out.extend_from_slice(&k.to_le_bytes());
        out.push(v);
    }
}

fn read_map(r: &mut Reader<'_>) -> Result<HashKeyed<u8>, EntityError> {
    let n = r.count()?;
    let mut map = HashKeyed::default();
    map.reserve(n);
    for _ in 0..n {
        let k = r.u64()?;
        map.insert(k, r.u8()?);
    }
    Ok(map)
}

impl Tagger {
    /// The model file's bytes (deterministic: the same tagger gives the
    /// same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.push(FORMAT);
        put_map(&mut raw, &self.gazetteer.entries);
        put_map(&mut raw, &self.lists.entries);
        put_map(&mut raw, &self.vocab_casing);
        let mut rows: Vec<(u64, u32)> = self.weights.index.iter().map(|(&k, &v)| (k, v)).collect();
        rows.sort_unstable();
        put_varint(&mut raw, rows.len() as u64);
        let mut last = 0u64;
        for (key, row) in rows {
            put_varint(&mut raw, key - last);
            last = key;
            let weights = &self.weights.rows[row as usize];
            let mut mask = 0u16;
            for (k, &w) in weights.iter().enumerate() {
                if w != 0 {
                    mask |= 1 << k;
                }
            }
            raw.extend_from_slice(&mask.to_le_bytes());
            for &w in weights.iter().filter(|&&w| w != 0) {
                raw.extend_from_slice(&w.to_le_bytes());
            }
        }
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing to a Vec cannot fail.
        let _ = encoder.write_all(&raw);
        encoder.finish().unwrap_or_default()
    }

    /// Reads a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, EntityError> {
        let mut raw = Vec::new();
        flate2::read::DeflateDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(|_| EntityError::Model("not a deflate stream"))?;
        let mut r = Reader { bytes: &raw, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(EntityError::Model("not a newsdesk tagger model"));
        }
        let format = r.u8()?;
        if format != FORMAT {
            return Err(EntityError::Model(
                "the model was written by another version of newsdesk: retrain it",
            ));
        }
        let gazetteer = Gazetteer {
            entries: read_map(&mut r)?,
        };
        let lists = Gazetteer {
            entries: read_map(&mut r)?,
        };
        let vocab_casing = read_map(&mut r)?;
        let n = r.count()?;
        let mut weights = QuantisedWeights::default();
        weights.index.reserve(n);
        weights.rows.reserve(n);
        let mut key = 0u64;
        for _ in 0..n {
            key = key.wrapping_add(r.varint()?);
            let mask = r.u16()?;
            let mut row = [0i16; TAG_COUNT];
            for (k, slot) in row.iter_mut().enumerate() {
                if mask & (1 << k) != 0 {
                    *slot = r.u16()? as i16;
                }
            }
            weights.index.insert(key, weights.rows.len() as u32);
            weights.rows.push(row);
        }
        Ok(Tagger {
            weights,
            gazetteer,
            lists,
            vocab_casing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error() {
        assert!(Tagger::from_bytes(b"").is_err());
        assert!(Tagger::from_bytes(b"not a model at all").is_err());
        let mut bytes = Tagger::default().to_bytes();
        assert!(Tagger::from_bytes(&bytes).is_ok());
        bytes.truncate(bytes.len() / 2);
        assert!(Tagger::from_bytes(&bytes).is_err());
    }
}
