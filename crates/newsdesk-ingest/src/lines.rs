//! Line reading with a size limit, so that one giant line cannot exhaust
//! memory.

use std::io::{self, BufRead};

/// The result of reading one line.
pub(crate) enum Line {
    /// A whole line (without its `\n`) is in the buffer.
    Complete,
    /// The line was longer than the limit; it was consumed and discarded.
    /// Holds its length in bytes.
    TooLong(usize),
    /// No more input.
    End,
}

/// Reads one line into `buf` (cleared first), keeping at most `max` bytes;
/// a longer line is skipped to its end and reported as [`Line::TooLong`].
pub(crate) fn read_line_bounded(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Line> {
    buf.clear();
    let mut total = 0usize;
    let mut seen_any = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            if !seen_any {
                return Ok(Line::End);
            }
            break;
        }
        seen_any = true;
        let (piece, found_newline) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], true),
            None => (chunk, false),
        };
        total += piece.len();
        if total <= max {
            buf.extend_from_slice(piece);
        }
        let used = piece.len() + usize::from(found_newline);
        reader.consume(used);
        if found_newline {
            break;
        }
    }
    if total > max {
        buf.clear();
        return Ok(Line::TooLong(total));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Line::Complete)
}

/// Peeks at the first byte that is not ASCII white space (or a UTF-8 byte
/// order mark), consuming only the white space before it.
pub(crate) fn first_non_blank_byte(reader: &mut dyn BufRead) -> io::Result<Option<u8>> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(None);
        }
        if chunk.starts_with(&[0xEF, 0xBB, 0xBF]) {
            reader.consume(3);
            continue;
        }
        match chunk.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let byte = chunk[i];
                // Only skip leading blanks when the stream is JSONL; a text
                // article keeps its text as given, so nothing is consumed
                // before a non-`{` byte found in the first chunk.
                if byte == b'{' {
                    reader.consume(i);
                }
                return Ok(Some(byte));
            }
            None => {
                let n = chunk.len();
                reader.consume(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lines() {
        let data = b"short\r\nthis line is far too long\nok";
        let mut reader = io::BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        assert!(matches!(
            read_line_bounded(&mut reader, &mut buf, 10),
            Ok(Line::Complete)
        ));
        assert_eq!(buf, b"short");
        assert!(matches!(
            read_line_bounded(&mut reader, &mut buf, 10),
            Ok(Line::TooLong(25))
        ));
        assert!(matches!(
            read_line_bounded(&mut reader, &mut buf, 10),
            Ok(Line::Complete)
        ));
        assert_eq!(buf, b"ok");
        assert!(matches!(
            read_line_bounded(&mut reader, &mut buf, 10),
            Ok(Line::End)
        ));
    }
}
