//! FxHash (the hash of rustc and Firefox) for maps keyed by numbers this
//! crate hands out itself (term ids, group indices): several times cheaper
//! than the standard library's SipHash, whose resistance to chosen
//! collisions such keys do not need. Maps keyed by text from articles keep
//! SipHash. No map hashed with it is iterated into a result.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by ids that this crate numbers.
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// FxHash's state.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(u64::from(b));
        }
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
