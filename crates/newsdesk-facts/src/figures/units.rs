//! Units and currencies a number may be written with, from
//! `data/units.txt` (one unit a line: as written, the unit, the factor to
//! it, and whether it stands `before` the number, `after` it or `both`).

use std::sync::OnceLock;

use super::tokens::Token;

/// The units table, as shipped.
const UNITS: &str = include_str!("../../data/units.txt");

/// A unit or currency a number may be written with.
#[derive(Debug)]
pub(super) struct Unit {
    /// As written: lower-cased words, or a symbol or code as is.
    pub(super) written: String,
    /// A symbol or upper-case code, matched exactly before the number.
    pub(super) exact: bool,
    /// The unit a value is given in (`km`, `USD`).
    pub(super) unit: String,
    /// What a value written in this unit is multiplied by to be in `unit`.
    pub(super) factor: f64,
    /// Whether it stands before the number.
    before: bool,
    /// Whether it stands after the number.
    pub(super) after: bool,
}

/// The shipped units, parsed once.
pub(super) fn units() -> &'static [Unit] {
    static UNITS_TABLE: OnceLock<Vec<Unit>> = OnceLock::new();
    UNITS_TABLE.get_or_init(|| parse_units(UNITS).0)
}

/// The units of `data` and the numbers of its malformed lines.
fn parse_units(data: &str) -> (Vec<Unit>, Vec<usize>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for (n, line) in data.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let (before, after) = match f.get(3) {
            Some(&"before") => (true, false),
            Some(&"after") => (false, true),
            Some(&"both") => (true, true),
            _ => {
                bad.push(n + 1);
                continue;
            }
        };
        let (Some(written), Some(unit), Some(Ok(factor)), 4) = (
            f.first(),
            f.get(1),
            f.get(2).map(|x| x.parse::<f64>()),
            f.len(),
        ) else {
            bad.push(n + 1);
            continue;
        };
        let exact = !written.chars().all(|c| c.is_lowercase() || c == ' ');
        out.push(Unit {
            written: if exact {
                (*written).to_string()
            } else {
                written.to_lowercase()
            },
            exact,
            unit: (*unit).to_string(),
            factor,
            before,
            after,
        });
    }
    (out, bad)
}

/// The unit written right before a number that starts at `start` ("$",
/// "US$", "€", "USD "), the longest that matches.
pub(super) fn unit_before(text: &str, start: usize) -> Option<&'static Unit> {
    let head = text.get(..start)?.trim_end();
    units()
        .iter()
        .filter(|u| u.before && head.ends_with(u.written.as_str()))
        .filter(|u| {
            // A code is a word of its own ("USD", not "BUSD").
            let rest = &head[..head.len() - u.written.len()];
            !u.written.starts_with(|c: char| c.is_alphanumeric())
                || !rest.ends_with(|c: char| c.is_alphanumeric())
        })
        .max_by_key(|u| u.written.len())
}

/// The unit written from token `k` on ("dollars", "square miles"), with
/// how many tokens it takes.
pub(super) fn unit_after(toks: &[Token<'_>], k: usize) -> Option<(&'static Unit, usize)> {
    units()
        .iter()
        .filter(|u| u.after)
        .filter_map(|u| {
            let words: Vec<&str> = u.written.split(' ').collect();
            let matched = words.iter().enumerate().all(|(i, w)| {
                toks.get(k + i).is_some_and(|t| {
                    if u.exact {
                        t.text == *w
                    } else {
                        t.text.eq_ignore_ascii_case(w)
                    }
                })
            });
            matched.then_some((u, words.len()))
        })
        .max_by_key(|(_, n)| *n)
}

/// Whether a unit is a currency (an ISO 4217 code).
pub(super) fn is_currency(unit: &str) -> bool {
    unit.len() == 3 && unit.chars().all(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_units_parse() {
        let (units, bad) = parse_units(UNITS);
        assert!(bad.is_empty(), "malformed lines {bad:?}");
        assert!(units.iter().any(|u| u.written == "US$" && u.before));
        let (_, bad) = parse_units("miles\tkm\tfar\tafter\nkm\tkm\t1\tbeside\n");
        assert_eq!(bad, [1, 2]);
    }
}
