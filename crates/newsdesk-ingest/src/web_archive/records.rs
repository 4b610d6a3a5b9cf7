//! WARC records read one at a time from a stream (ISO 28500, WARC/1.0 and
//! WARC/1.1): a version line, `Name: value` header lines up to an empty
//! line, then a body of exactly `Content-Length` bytes and its trailing
//! CRLF CRLF.
//!
//! [`RecordReader`] hands out one [`Record`] at a time: its [`Header`] and
//! a reader over its body that stops at `Content-Length`. Whatever the
//! caller leaves of a body is read into a sink before the next record, so
//! memory stays bounded by the header cap ([`MAX_HEADER_BYTES`]) however
//! large the records are. Header values are kept as bytes and decoded
//! lossily only when shown: an archive is not required to be UTF-8, and
//! nothing here panics on what it reads.
//!
//! What cannot be read becomes a [`RecordError`]. Past some errors the
//! next record can still be found (the record's length is known: see
//! [`RecordError::is_skippable`]); past the others the reader stops.

use std::borrow::Cow;
use std::io::{self, BufRead, Read, Take};

use newsdesk_model::Date;

/// The largest header block (version line, header lines and the empty
/// line that ends them) read for one record. Crawlers write a few hundred
/// bytes; a block this large means the stream is not WARC or is corrupt,
/// and reading on would hold an unbounded line in memory.
pub(crate) const MAX_HEADER_BYTES: u64 = 64 * 1024;

/// Why a record could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RecordError {
    /// The stream could not be read (an I/O error, a corrupt gzip member).
    #[error("cannot read ({0})")]
    Read(#[source] io::Error),
    /// The record does not start with a `WARC/` version line.
    #[error("no WARC version line (found {0:?})")]
    NoVersion(String),
    /// The header block is larger than [`MAX_HEADER_BYTES`].
    #[error("the header block is larger than {} KiB", MAX_HEADER_BYTES / 1024)]
    HeaderTooLarge,
    /// The stream ends inside the header block.
    #[error("cut off in its header block")]
    HeaderCutOff,
    /// The header block has no `Content-Length`.
    #[error("no Content-Length header")]
    MissingLength,
    /// `Content-Length` is not a number of bytes.
    #[error("Content-Length {0:?} is not a number of bytes")]
    BadLength(String),
    /// The stream ends before the body's `Content-Length` bytes.
    #[error("cut off after {read} of {length} bytes")]
    BodyCutOff {
        /// Bytes of the body that were there.
        read: u64,
        /// Bytes the header announced.
        length: u64,
    },
    /// A header line is neither `Name: value` nor a continuation line.
    #[error("header line {0:?} is not `Name: value`")]
    BadLine(String),
    /// A header the standard requires of every record is missing (the
    /// wording is the one newsdesk reported before it read WARC itself).
    #[error("Missing required header: {0}")]
    MissingHeader(&'static str),
    /// `WARC-Date` does not start with a `YYYY-MM-DD` date.
    #[error("Malformed header: warc-date: not an ISO 8601 datestamp")]
    BadDate,
}

impl RecordError {
    /// Whether the reader can go on to the next record: true when the
    /// record's length was read (so its body can be passed over), false
    /// when there is no telling where the next record starts.
    pub(crate) fn is_skippable(&self) -> bool {
        matches!(
            self,
            RecordError::BadLine(_) | RecordError::MissingHeader(_) | RecordError::BadDate
        )
    }
}

/// The header block of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// Header fields in the order written: the name in lower case, the
    /// value as bytes with surrounding white space trimmed.
    fields: Vec<(String, Vec<u8>)>,
    /// The body's length in bytes, from `Content-Length`.
    content_length: u64,
}

impl Header {
    /// The value of the first field named `name` (in any case).
    pub(crate) fn get(&self, name: &str) -> Option<&[u8]> {
        self.fields
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_slice())
    }

    /// The value of the first field named `name`, bytes that are not UTF-8
    /// shown as U+FFFD.
    pub(crate) fn get_lossy(&self, name: &str) -> Option<Cow<'_, str>> {
        self.get(name).map(String::from_utf8_lossy)
    }

    /// Whether `WARC-Type` is `kind` (in any case).
    pub(crate) fn is_type(&self, kind: &str) -> bool {
        self.get("warc-type")
            .is_some_and(|t| t.eq_ignore_ascii_case(kind.as_bytes()))
    }

    /// The body's length in bytes.
    pub(crate) fn content_length(&self) -> u64 {
        self.content_length
    }

    /// The calendar date of `WARC-Date`; always there on a record the
    /// reader returned.
    pub(crate) fn date(&self) -> Option<Date> {
        self.get("warc-date").and_then(date_of)
    }
}

/// The date in a `WARC-Date` value: its first ten characters,
/// `YYYY-MM-DD`. The standard writes UTC timestamps
/// (`2025-03-16T08:00:00Z`), and W3C-DTF also allows shorter times, so only
/// the date is read: it is all an article keeps.
fn date_of(value: &[u8]) -> Option<Date> {
    let head = value.get(..10)?;
    std::str::from_utf8(head).ok()?.parse::<Date>().ok()
}

/// One record: its header and a reader over its body, which ends after
/// `Content-Length` bytes (or earlier, when the stream is cut off).
pub(crate) struct Record<'a, R> {
    header: Header,
    body: &'a mut Take<R>,
}

impl<R> Record<'_, R> {
    /// The record's header block.
    pub(crate) fn header(&self) -> &Header {
        &self.header
    }
}

impl<R: BufRead> Read for Record<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.body.read(buf)
    }
}

/// Reads WARC records one after another from a buffered stream.
pub(crate) struct RecordReader<R> {
    /// The stream, limited to what may be read next: the header cap while
    /// a header block is read, the body's length while a body is.
    stream: Take<R>,
    /// The 1-based number of the record last started; 0 before the first.
    number: usize,
    /// The current record's body length, to tell how much of it was there
    /// when it ends early.
    length: u64,
    /// Set after an error past which records cannot be found.
    done: bool,
}

impl<R: BufRead> RecordReader<R> {
    /// A reader at the start of `stream`.
    pub(crate) fn new(stream: R) -> Self {
        RecordReader {
            stream: stream.take(0),
            number: 0,
            length: 0,
            done: false,
        }
    }

    /// The next record with its 1-based number, or an error with the
    /// number of the record it belongs to; `None` at the end of the
    /// stream and after an error that is not skippable.
    ///
    /// The rest of the previous record's body is read (into a sink) first;
    /// when the stream ends inside it, that record's number is given with
    /// [`RecordError::BodyCutOff`].
    pub(crate) fn next_record(&mut self) -> Option<(usize, Result<Record<'_, R>, RecordError>)> {
        if self.done {
            return None;
        }
        match self.next_header() {
            Ok(None) => {
                self.done = true;
                None
            }
            Ok(Some(header)) => {
                self.length = header.content_length;
                self.stream.set_limit(header.content_length);
                let record = Record {
                    header,
                    body: &mut self.stream,
                };
                Some((self.number, Ok(record)))
            }
            Err(error) => {
                if !error.is_skippable() {
                    self.done = true;
                }
                Some((self.number, Err(error)))
            }
        }
    }

    /// Passes over the rest of the previous record and reads the next
    /// header block; `Ok(None)` at the end of the stream. On a skippable
    /// error the stream is left at the start of that record's body, its
    /// length set, for the next call to pass over.
    fn next_header(&mut self) -> Result<Option<Header>, RecordError> {
        // The unread rest of the previous body goes through a fixed buffer
        // into a sink, so a record of gigabytes costs no memory.
        let left = self.stream.limit();
        let skipped = io::copy(&mut self.stream, &mut io::sink()).map_err(RecordError::Read)?;
        if skipped < left {
            return Err(RecordError::BodyCutOff {
                read: self.length - (left - skipped),
                length: self.length,
            });
        }
        // The CRLF CRLF that ends a record, and any blank lines a writer
        // added, are passed over leniently: a record missing them, or with
        // more of them, is still read.
        if !skip_line_breaks(self.stream.get_mut()).map_err(RecordError::Read)? {
            return Ok(None);
        }
        self.number += 1;
        self.length = 0;
        self.stream.set_limit(MAX_HEADER_BYTES);

        let mut line = Vec::new();
        self.read_header_line(&mut line)?;
        if !line.starts_with(b"WARC/") {
            return Err(RecordError::NoVersion(shown(&line)));
        }
        let mut fields: Vec<(String, Vec<u8>)> = Vec::new();
        let mut bad_line = None;
        loop {
            line.clear();
            self.read_header_line(&mut line)?;
            if line.is_empty() {
                break;
            }
            if line[0] == b' ' || line[0] == b'\t' {
                // A continuation line (folded as in HTTP/1.1) belongs to
                // the value above it.
                match fields.last_mut() {
                    Some((_, value)) => {
                        value.push(b' ');
                        value.extend_from_slice(trim(&line));
                    }
                    None => {
                        bad_line.get_or_insert_with(|| shown(&line));
                    }
                }
                continue;
            }
            match split_field(&line) {
                Some((name, value)) => fields.push((name, value.to_vec())),
                None => {
                    bad_line.get_or_insert_with(|| shown(&line));
                }
            }
        }

        // Without a length there is no telling where the next record
        // starts. When a name is repeated the first one counts, as for
        // every other field.
        let length = fields
            .iter()
            .find(|(name, _)| name == "content-length")
            .map(|(_, value)| value)
            .ok_or(RecordError::MissingLength)?;
        let content_length =
            parse_length(length).ok_or_else(|| RecordError::BadLength(shown(length)))?;
        self.length = content_length;
        // From here on the record's body can be passed over, so a bad
        // record costs only itself.
        self.stream.set_limit(content_length);
        if let Some(line) = bad_line {
            return Err(RecordError::BadLine(line));
        }
        let header = Header {
            fields,
            content_length,
        };
        // WARC-Type, WARC-Record-ID and WARC-Date are mandatory in every
        // record; a record without them is reported, as it was when
        // newsdesk read WARC through the `warc` crate.
        for name in ["warc-type", "warc-record-id", "warc-date"] {
            if header.get(name).is_none() {
                return Err(RecordError::MissingHeader(name));
            }
        }
        if header.date().is_none() {
            return Err(RecordError::BadDate);
        }
        Ok(Some(header))
    }

    /// Reads one header line into `line`, without its line break (LF or
    /// CRLF).
    fn read_header_line(&mut self, line: &mut Vec<u8>) -> Result<(), RecordError> {
        self.stream
            .read_until(b'\n', line)
            .map_err(RecordError::Read)?;
        if line.last() != Some(&b'\n') {
            // The limit stops `read_until` as the end of the stream would.
            return Err(if self.stream.limit() == 0 {
                RecordError::HeaderTooLarge
            } else {
                RecordError::HeaderCutOff
            });
        }
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Ok(())
    }
}

/// Passes over CR and LF bytes; `false` when the stream ends first.
fn skip_line_breaks<R: BufRead>(stream: &mut R) -> io::Result<bool> {
    loop {
        let buffer = match stream.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            return Ok(false);
        }
        let breaks = buffer
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let more = breaks < buffer.len();
        stream.consume(breaks);
        if more {
            return Ok(true);
        }
    }
}

/// A `Name: value` line as its lower-case name and trimmed value; `None`
/// when the name is missing or holds characters a field name cannot
/// (RFC 2616's token: visible ASCII but separators).
fn split_field(line: &[u8]) -> Option<(String, &[u8])> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = trim(&line[..colon]);
    if name.is_empty() || !name.iter().all(|&b| is_token_byte(b)) {
        return None;
    }
    let name = std::str::from_utf8(name).ok()?.to_ascii_lowercase();
    Some((name, trim(&line[colon + 1..])))
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b)
}

/// `Content-Length`: decimal digits only (no sign), within `u64`.
fn parse_length(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(value).ok()?.parse().ok()
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(start, |at| at + 1);
    &bytes[start..end]
}

/// Bytes from the input as they are shown in a diagnostic: decoded
/// lossily and cut to 60 characters, since a bad line may be long.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text.chars().take(60).collect();
    if text.chars().nth(60).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    /// A record with the mandatory headers, `extra` header lines (each
    /// ending in CRLF) and `body`, then the CRLF CRLF that ends it.
    fn record(id: u32, extra: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:test:{id}>\r\n\
             WARC-Date: 2025-03-16T08:00:00Z\r\n{extra}Content-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    /// Each record as `number: id uri (length) body`, or its error; the
    /// whole body is read when `read_bodies`, else none of it.
    fn render(input: &[u8], read_bodies: bool) -> String {
        let mut reader = RecordReader::new(input);
        let mut out = String::new();
        while let Some((number, item)) = reader.next_record() {
            let line = match item {
                Ok(mut record) => {
                    let header = record.header();
                    let mut line = format!(
                        "{number}: {} {} ({}) {:?}",
                        header.get_lossy("warc-record-id").unwrap_or_default(),
                        header.get_lossy("warc-target-uri").unwrap_or_default(),
                        header.content_length(),
                        header.date().map(|d| d.to_string()).unwrap_or_default(),
                    );
                    if read_bodies {
                        let mut body = Vec::new();
                        match record.read_to_end(&mut body) {
                            Ok(_) => line += &format!(" {:?}", String::from_utf8_lossy(&body)),
                            Err(e) => line += &format!(" body error {e}"),
                        }
                    }
                    line
                }
                Err(e) => {
                    let then = if e.is_skippable() { "skipped" } else { "stop" };
                    format!("{number}: {e}; {then}")
                }
            };
            out += &line;
            out.push('\n');
        }
        out
    }

    fn check(input: &[u8], expected: Expect) {
        expected.assert_eq(&render(input, true));
    }

    #[test]
    fn several_records_with_blank_lines_between_them() {
        let mut input = b"\r\n".to_vec();
        input.extend(record(
            1,
            "WARC-Target-URI: https://a.example/1\r\n",
            b"one",
        ));
        input.extend(b"\r\n\n\r\n");
        input.extend(record(2, "", b""));
        // LF line ends, a name in another case, no CRLF CRLF at the end.
        input.extend(
            b"WARC/1.0\nwarc-type: request\nWARC-RECORD-ID: <urn:test:3>\nWARC-Date: 2025-03-17\ncontent-length : 5\n\nthree",
        );
        check(
            &input,
            expect![[r#"
                1: <urn:test:1> https://a.example/1 (3) "2025-03-16" "one"
                2: <urn:test:2>  (0) "2025-03-16" ""
                3: <urn:test:3>  (5) "2025-03-17" "three"
            "#]],
        );
        check(b"", expect![""]);
        check(b"\r\n\r\n\n", expect![""]);
    }

    #[test]
    fn unread_bodies_are_passed_over() {
        let mut input = record(1, "", &vec![b'x'; 3 << 20]);
        input.extend(record(2, "", b"two"));
        expect![[r#"
            1: <urn:test:1>  (3145728) "2025-03-16"
            2: <urn:test:2>  (3) "2025-03-16"
        "#]]
        .assert_eq(&render(&input, false));
    }

    #[test]
    fn continuation_lines_belong_to_the_value_above() {
        let input = record(
            1,
            "WARC-Target-URI: https://a.example/\r\n  long/path\r\n\tend \r\n",
            b"x",
        );
        check(
            &input,
            expect![[r#"
                1: <urn:test:1> https://a.example/ long/path end (1) "2025-03-16" "x"
            "#]],
        );
        // A continuation line with nothing above it is a bad line.
        let input = b"WARC/1.0\r\n folded\r\nContent-Length: 0\r\n\r\n\r\n\r\n";
        check(
            input,
            expect![[r#"
                1: header line " folded" is not `Name: value`; skipped
            "#]],
        );
    }

    #[test]
    fn without_a_length_the_rest_is_not_read() {
        let mut input = b"WARC/1.0\r\nWARC-Type: response\r\n\r\nbody\r\n\r\n".to_vec();
        input.extend(record(2, "", b"two"));
        check(
            &input,
            expect![[r#"
                1: no Content-Length header; stop
            "#]],
        );
        for length in ["", "-3", "+3", "3 bytes", "99999999999999999999999"] {
            let input = format!("WARC/1.0\r\nContent-Length: {length}\r\n\r\n");
            let out = render(input.as_bytes(), true);
            assert!(out.starts_with("1: Content-Length "), "{out}");
            assert!(out.ends_with("is not a number of bytes; stop\n"), "{out}");
        }
    }

    #[test]
    fn a_malformed_header_skips_only_its_record() {
        let mut input = record(1, "broken header\r\nWARC-Target-URI: x\r\n", b"body one");
        input.extend(record(2, "", b"two"));
        // Mandatory headers missing, or a date that is not one.
        input.extend(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n");
        input.extend(
            b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:test:4>\r\nWARC-Date: 16 March 2025\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n",
        );
        input.extend(record(5, "", b"five"));
        check(
            &input,
            expect![[r#"
                1: header line "broken header" is not `Name: value`; skipped
                2: <urn:test:2>  (3) "2025-03-16" "two"
                3: Missing required header: warc-record-id; skipped
                4: Malformed header: warc-date: not an ISO 8601 datestamp; skipped
                5: <urn:test:5>  (4) "2025-03-16" "five"
            "#]],
        );
    }

    #[test]
    fn a_cut_off_record_ends_the_stream() {
        let mut input = record(1, "", b"one");
        let second = record(2, "", b"a body of thirty-one bytes long");
        input.extend(&second[..second.len() - 20]);
        check(
            &input,
            expect![[r#"
                1: <urn:test:1>  (3) "2025-03-16" "one"
                2: <urn:test:2>  (31) "2025-03-16" "a body of thirt"
                2: cut off after 15 of 31 bytes; stop
            "#]],
        );
        // The same when its body is not read.
        expect![[r#"
            1: <urn:test:1>  (3) "2025-03-16"
            2: <urn:test:2>  (31) "2025-03-16"
            2: cut off after 15 of 31 bytes; stop
        "#]]
        .assert_eq(&render(&input, false));
        // Cut off in the header block.
        input.truncate(record(1, "", b"one").len() + 30);
        check(
            &input,
            expect![[r#"
                1: <urn:test:1>  (3) "2025-03-16" "one"
                2: cut off in its header block; stop
            "#]],
        );
    }

    #[test]
    fn header_values_that_are_not_utf8_are_shown_lossily() {
        let mut input = record(1, "WARC-Target-URI: https:\x00//a.example/\r\n", b"one");
        let at = input.iter().position(|&b| b == 0).unwrap_or(0);
        input[at] = 0x8b;
        input.extend(record(2, "Bad\u{e9}: x\r\n", b"two"));
        let at = input.iter().rposition(|&b| b == 0xc3).unwrap_or(0);
        input[at] = 0xff;
        input.extend(b"WARC\xff1.0\r\n");
        check(
            &input,
            expect![[r#"
                1: <urn:test:1> https:�//a.example/ (3) "2025-03-16" "one"
                2: header line "Bad��: x" is not `Name: value`; skipped
                3: no WARC version line (found "WARC�1.0"); stop
            "#]],
        );
    }

    #[test]
    fn a_huge_header_block_ends_the_stream() {
        let uri = format!(
            "WARC-Target-URI: https://a.example/{}\r\n",
            "a".repeat(70_000)
        );
        let mut input = record(1, &uri, b"one");
        input.extend(record(2, "", b"two"));
        check(
            &input,
            expect![[r#"
                1: the header block is larger than 64 KiB; stop
            "#]],
        );
        // Many short lines count as one block, and a line without end too.
        let many = "X-Filler: yes\r\n".repeat(5_000);
        check(
            &record(1, &many, b"one"),
            expect![[r#"
                1: the header block is larger than 64 KiB; stop
            "#]],
        );
        check(
            &vec![b'W'; 100_000],
            expect![[r#"
                1: the header block is larger than 64 KiB; stop
            "#]],
        );
    }
}
