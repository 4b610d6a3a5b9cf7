//! Publication dates as sources write them.

use jiff::civil::{Date, DateTime};

/// Parses a publication date from the forms sources use: `2021-08-15`,
/// `2021-08-15T10:30:00`, with `Z` or an offset, `2021-08-15 10:30:00`
/// (news-please), or a full RFC 3339 / RFC 2822 timestamp. The calendar
/// date is kept as written (the publisher's local date), not converted to
/// UTC. Returns `None` when the text is not a date.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(date) = text.parse::<Date>() {
        return Some(date);
    }
    if let Ok(dt) = text.parse::<DateTime>() {
        return Some(dt.date());
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(text) {
        return Some(zoned.date());
    }
    // `2021-08-15 10:30:00`, or a timestamp with an offset: the calendar
    // date as written, which is the publisher's local date.
    text.get(..10).and_then(|head| head.parse::<Date>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_sources_use() {
        let want = Some(jiff::civil::date(2021, 8, 15));
        for text in [
            "2021-08-15",
            " 2021-08-15 ",
            "2021-08-15T10:30:00",
            "2021-08-15T10:30:00Z",
            "2021-08-15T23:30:00+04:30",
            "2021-08-15 10:30:00",
            "Sun, 15 Aug 2021 10:30:00 +0000",
        ] {
            assert_eq!(parse_date(text), want, "{text}");
        }
        for text in ["", "yesterday", "15/08/2021", "2021-13-45"] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }
}
