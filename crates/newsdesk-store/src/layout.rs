//! An article's blocks and sentences in the compact form a store keeps
//! them (a BLOB), and the JSON form of stores before schema 5 (TEXT),
//! still read.
//!
//! The compact form: a format byte (1), then the blocks (their count, and
//! for each its kind, the gap from the previous block's end, its length,
//! and its rule's length + 1 and bytes, 0 for none), then the sentences
//! (their count, and for each the gap from the previous sentence's end
//! and its length), every number an unsigned LEB128 varint. Spans are in
//! text order, so the gaps are small; a span that starts before the
//! previous end (not made by the text stage, but representable) is
//! written with a gap of 0 and a flag in the kind byte, its start given
//! in full. About 3 bytes a sentence, where the JSON took 35.

use newsdesk_model::{Block, BlockKind, Sentence, Span};

/// The format byte of the compact form.
const FORMAT: u8 = 1;

/// Set in a block's kind byte (and as a sentence's leading byte) when its
/// start is written in full rather than as a gap.
const ABSOLUTE: u8 = 0x80;

/// Why a stored layout could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadLayout(pub &'static str);

/// The compact form of `blocks` and `sentences`.
pub(crate) fn encode(blocks: &[Block], sentences: &[Sentence]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + 6 * blocks.len() + 3 * sentences.len());
    out.push(FORMAT);
    put(&mut out, blocks.len() as u64);
    let mut end = 0usize;
    for block in blocks {
        let kind = match block.kind {
            BlockKind::Body => 0u8,
            BlockKind::Heading => 1,
            BlockKind::Debris => 2,
        };
        let absolute = block.span.start < end;
        out.push(if absolute { kind | ABSOLUTE } else { kind });
        put_span(&mut out, block.span, end, absolute);
        match &block.rule {
            None => put(&mut out, 0),
            Some(rule) => {
                put(&mut out, rule.len() as u64 + 1);
                out.extend_from_slice(rule.as_bytes());
            }
        }
        end = block.span.end;
    }
    put(&mut out, sentences.len() as u64);
    let mut end = 0usize;
    for sentence in sentences {
        let absolute = sentence.span.start < end;
        out.push(if absolute { ABSOLUTE } else { 0 });
        put_span(&mut out, sentence.span, end, absolute);
        end = sentence.span.end;
    }
    out
}

/// The blocks and sentences of a compact form.
pub(crate) fn decode(bytes: &[u8]) -> Result<(Vec<Block>, Vec<Sentence>), BadLayout> {
    let mut r = Reader { bytes, at: 0 };
    if r.byte()? != FORMAT {
        return Err(BadLayout("unknown format"));
    }
    let count = r.count()?;
    let mut blocks = Vec::with_capacity(count);
    let mut end = 0usize;
    for _ in 0..count {
        let kind_byte = r.byte()?;
        let kind = match kind_byte & !ABSOLUTE {
            0 => BlockKind::Body,
            1 => BlockKind::Heading,
            2 => BlockKind::Debris,
            _ => return Err(BadLayout("unknown block kind")),
        };
        let span = r.span(end, kind_byte & ABSOLUTE != 0)?;
        let rule = match r.number()? {
            0 => None,
            n => {
                let len = usize::try_from(n - 1).map_err(|_| BadLayout("rule too long"))?;
                let text = r.take(len)?;
                Some(
                    std::str::from_utf8(text)
                        .map_err(|_| BadLayout("rule is not UTF-8"))?
                        .to_owned(),
                )
            }
        };
        end = span.end;
        blocks.push(Block { span, kind, rule });
    }
    let count = r.count()?;
    let mut sentences = Vec::with_capacity(count);
    let mut end = 0usize;
    for _ in 0..count {
        let flag = r.byte()?;
        let span = r.span(end, flag & ABSOLUTE != 0)?;
        end = span.end;
        sentences.push(Sentence { span });
    }
    if r.at != bytes.len() {
        return Err(BadLayout("bytes after the sentences"));
    }
    Ok((blocks, sentences))
}

fn put(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn put_span(out: &mut Vec<u8>, span: Span, end: usize, absolute: bool) {
    let start = if absolute {
        span.start
    } else {
        span.start - end
    };
    put(out, start as u64);
    put(out, span.end.saturating_sub(span.start) as u64);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, BadLayout> {
        let b = *self.bytes.get(self.at).ok_or(BadLayout("cut short"))?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, len: usize) -> Result<&[u8], BadLayout> {
        let end = self
            .at
            .checked_add(len)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(BadLayout("cut short"))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn number(&mut self) -> Result<u64, BadLayout> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(BadLayout("number too long"))
    }

    fn offset(&mut self) -> Result<usize, BadLayout> {
        usize::try_from(self.number()?).map_err(|_| BadLayout("offset too large"))
    }

    /// A count of items, each at least two bytes: never more than the
    /// bytes left could hold (a damaged count allocates nothing huge).
    fn count(&mut self) -> Result<usize, BadLayout> {
        let n = self.offset()?;
        if n > self.bytes.len().saturating_sub(self.at) {
            return Err(BadLayout("count larger than the record"));
        }
        Ok(n)
    }

    fn span(&mut self, end: usize, absolute: bool) -> Result<Span, BadLayout> {
        let first = self.offset()?;
        let start = if absolute {
            first
        } else {
            end.checked_add(first)
                .ok_or(BadLayout("offset too large"))?
        };
        let len = self.offset()?;
        let stop = start
            .checked_add(len)
            .ok_or(BadLayout("offset too large"))?;
        Ok(Span::new(start, stop))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(start: usize, end: usize, kind: BlockKind, rule: Option<&str>) -> Block {
        Block {
            span: Span::new(start, end),
            kind,
            rule: rule.map(str::to_owned),
        }
    }

    #[test]
    fn a_layout_round_trips_overlaps_and_rules_included() {
        let blocks = vec![
            block(0, 40, BlockKind::Heading, Some("title line")),
            block(42, 300, BlockKind::Body, None),
            block(301, 320, BlockKind::Debris, Some("")),
            block(10, 20, BlockKind::Body, None),
            block(usize::MAX - 5, usize::MAX, BlockKind::Body, None),
        ];
        let sentences = vec![
            Sentence {
                span: Span::new(42, 120),
            },
            Sentence {
                span: Span::new(121, 300),
            },
            Sentence {
                span: Span::new(50, 60),
            },
        ];
        let bytes = encode(&blocks, &sentences);
        assert_eq!(decode(&bytes), Ok((blocks, sentences)));
        assert_eq!(decode(&encode(&[], &[])), Ok((vec![], vec![])));
    }

    #[test]
    fn a_sentence_takes_a_few_bytes() {
        let sentences: Vec<Sentence> = (0..20)
            .map(|i| Sentence {
                span: Span::new(i * 150 + 1, i * 150 + 149),
            })
            .collect();
        let bytes = encode(&[block(0, 3000, BlockKind::Body, None)], &sentences);
        assert!(bytes.len() <= 8 + 20 * 4, "{} bytes", bytes.len());
    }

    #[test]
    fn damaged_layouts_are_refused_without_panicking() {
        let good = encode(
            &[block(0, 40, BlockKind::Heading, Some("rule"))],
            &[Sentence {
                span: Span::new(0, 40),
            }],
        );
        for cut in 0..good.len() {
            assert!(decode(&good[..cut]).is_err(), "cut at {cut}");
        }
        let mut trailing = good.clone();
        trailing.push(0);
        assert!(decode(&trailing).is_err());
        assert!(decode(&[2]).is_err());
        assert!(decode(&[1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).is_err());
        assert!(decode(&[1, 1, 9, 0, 0, 0, 0]).is_err(), "unknown kind");
        // Every byte string: an answer, never a panic.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect();
            let _ = decode(&bytes);
            let mut with_format = vec![1];
            with_format.extend(&bytes);
            let _ = decode(&with_format);
        }
    }
}
