//! How the `gzip` fuzz target reads its input, in a file of its own so
//! that the stable replay of its corpus (`newsdesk-ingest`'s
//! `tests/corpus.rs`, which includes it by path) decodes each case as the
//! target does. Needs nothing but `flate2`.

/// How the `gzip` target reads its input: the first byte picks the
/// format, whether the rest is the file as is or a page the target
/// gzips first, and the size limit; see [`gzip_case()`].
#[derive(Debug)]
pub struct GzipCase {
    /// The file's name ends in `.warc.gz` (else `.html.gz`).
    pub warc: bool,
    /// The file's bytes.
    pub file: Vec<u8>,
    /// `--max-article-bytes`.
    pub limit: usize,
}

/// The first byte of a `gzip` input: bit 0 set, the rest is gzipped by
/// the target (one member, or two when bit 1 is set too, split at the
/// middle: a valid archive whose content the fuzzer controls), else the
/// rest is the file as is (the decompressor's error paths); bit 2, a
/// WARC archive instead of a page; bits 3–7, the size limit, 64 bytes
/// to 1 MiB, so that the limit after decompression is crossed both ways.
pub fn gzip_case(data: &[u8]) -> GzipCase {
    let (first, rest) = match data.split_first() {
        Some((&first, rest)) => (first, rest),
        None => (0, data),
    };
    let file = if first & 1 == 1 {
        let split = if first & 2 == 2 {
            rest.len() / 2
        } else {
            rest.len()
        };
        let (a, b) = rest.split_at(split);
        let mut file = gzip(a);
        if !b.is_empty() {
            file.extend(gzip(b));
        }
        file
    } else {
        rest.to_vec()
    };
    GzipCase {
        warc: first & 4 == 4,
        file,
        limit: 64 << (usize::from(first >> 3) % 15),
    }
}

/// `bytes` as one gzip member.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}
