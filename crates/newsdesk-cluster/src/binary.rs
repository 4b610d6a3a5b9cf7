//! Little-endian encoding of the clusterer's state records: fixed-width
//! numbers and length-prefixed arrays, so that a store of thousands of
//! events and remembered articles is read back with plain copies (a
//! self-describing format spent most of a small ingest decoding them).
//! Floats keep their bits, so a restored state is the saved one exactly.

/// Appends fixed-width little-endian values to a record.
pub(crate) trait Put {
    /// Appends a `u32`.
    fn put_u32(&mut self, value: u32);
    /// Appends a `u64`.
    fn put_u64(&mut self, value: u64);
    /// Appends an `f32` (its bits).
    fn put_f32(&mut self, value: f32);
    /// Appends an `f64` (its bits).
    fn put_f64(&mut self, value: f64);
    /// Appends a `u32` in LEB128 (7 bits a byte, low first): one byte
    /// below 128, two below 16,384, so that ids and their differences,
    /// mostly small, take one or two bytes instead of four.
    fn put_varint(&mut self, value: u32);
    /// Appends a length as a `u32` (lengths of state records never reach
    /// 2³²; a longer one would be cut and the record refused on reading).
    fn put_len(&mut self, len: usize);
    /// Appends a length as a varint (one byte up to 127).
    fn put_short_len(&mut self, len: usize);
}

impl Put for Vec<u8> {
    fn put_u32(&mut self, value: u32) {
        self.extend_from_slice(&value.to_le_bytes());
    }
    fn put_u64(&mut self, value: u64) {
        self.extend_from_slice(&value.to_le_bytes());
    }
    fn put_f32(&mut self, value: f32) {
        self.extend_from_slice(&value.to_le_bytes());
    }
    fn put_f64(&mut self, value: f64) {
        self.extend_from_slice(&value.to_le_bytes());
    }
    fn put_varint(&mut self, mut value: u32) {
        while value >= 0x80 {
            self.push((value as u8 & 0x7f) | 0x80);
            value >>= 7;
        }
        self.push(value as u8);
    }
    fn put_len(&mut self, len: usize) {
        self.put_u32(u32::try_from(len).unwrap_or(u32::MAX));
    }
    fn put_short_len(&mut self, len: usize) {
        self.put_varint(u32::try_from(len).unwrap_or(u32::MAX));
    }
}

/// Reads what [`Put`] wrote; every read returns `None` past the end, so a
/// cut or damaged record is refused, never read out of bounds.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    /// The next `u32`.
    pub fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    /// The next `u64`.
    pub fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    /// The next `f32`.
    pub fn f32(&mut self) -> Option<f32> {
        self.array().map(f32::from_le_bytes)
    }

    /// The next `f64`.
    pub fn f64(&mut self) -> Option<f64> {
        self.array().map(f64::from_le_bytes)
    }

    /// The next LEB128 `u32` ([`Put::put_varint`]); `None` for one that
    /// is cut or longer than five bytes or 32 bits.
    pub fn varint(&mut self) -> Option<u32> {
        let mut value: u32 = 0;
        for shift in [0, 7, 14, 21, 28] {
            let byte = *self.take(1)?.first()?;
            let bits = u32::from(byte & 0x7f);
            if shift == 28 && bits > 0x0f {
                return None;
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// The next length, checked against what is left (each item taking at
    /// least `item_bytes`), so that a damaged length cannot make a reader
    /// reserve more than the record holds.
    pub fn len(&mut self, item_bytes: usize) -> Option<usize> {
        let len = usize::try_from(self.u32()?).ok()?;
        (len.checked_mul(item_bytes)? <= self.bytes.len()).then_some(len)
    }

    /// A length written by [`Put::put_short_len`], checked as
    /// [`Reader::len`] checks.
    pub fn short_len(&mut self, item_bytes: usize) -> Option<usize> {
        let len = usize::try_from(self.varint()?).ok()?;
        (len.checked_mul(item_bytes)? <= self.bytes.len()).then_some(len)
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    /// Whether everything was read (a record with bytes left over is
    /// damaged).
    pub fn is_done(&self) -> bool {
        self.bytes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_read_back_and_cut_or_overlong_ones_are_refused() {
        let values = [0, 1, 127, 128, 16_383, 16_384, 1 << 28, u32::MAX];
        let mut bytes = Vec::new();
        for &v in &values {
            bytes.put_varint(v);
        }
        let mut r = Reader::new(&bytes);
        for &v in &values {
            assert_eq!(r.varint(), Some(v));
        }
        assert!(r.is_done());
        assert_eq!(Reader::new(&[0x80]).varint(), None, "cut");
        assert_eq!(
            Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x1f]).varint(),
            None,
            "33 bits"
        );
        assert_eq!(Reader::new(&[0x80; 6]).varint(), None, "six bytes");
    }
}
