//! Seeded randomness that gives the same numbers on every machine: for
//! shuffling an input order (`--order shuffled --seed N`) and for seeded
//! test data. No platform randomness, no dependency.
//!
//! ```
//! use newsdesk_model::seeded::shuffled_order;
//!
//! let order = shuffled_order(5, 1);
//! assert_eq!(order, shuffled_order(5, 1));
//! let mut sorted = order.clone();
//! sorted.sort_unstable();
//! assert_eq!(sorted, [0, 1, 2, 3, 4]);
//! ```

/// A seeded shuffle of `0..n`: the order in which to feed `n` articles to
/// the online clusterer to see how much its result owes to the input
/// order. The benchmark files list each gold event's articles together, a
/// best case no real stream gives; a shuffle is the worst case (no
/// locality at all). The same `seed` gives the same order on every
/// machine (SplitMix64 and Fisher–Yates, no platform randomness).
pub fn shuffled_order(n: usize, seed: u64) -> Vec<usize> {
    let mut random = SplitMix64::new(seed);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, random.below(i + 1));
    }
    order
}

/// SplitMix64: a small seeded generator that gives the same numbers on
/// every machine, for shuffles and seeded test data (no platform
/// randomness, no dependency).
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// The generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0). Modulo bias is below 2^-40
    /// for any `n` a corpus reaches.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}
