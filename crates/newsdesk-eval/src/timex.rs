//! Scoring temporal expressions as TempEval-3 does (UzZaman et al. 2013).
//!
//! [`parse_tml`] reads one TimeML file: the document creation time from
//! `<DCT>`, and the text of `<TEXT>` with every tag stripped and the XML
//! entities decoded, together with its gold `<TIMEX3>` annotations as byte
//! spans of that plain text (the DCT's own TIMEX3 lies outside `<TEXT>` and
//! is not scored, as in TempEval-3). [`Counts::add`] compares one
//! document's predicted expressions with the gold ones and [`Counts::scores`]
//! gives:
//!
//! - **strict** extent P/R/F1: same start and end;
//! - **relaxed** extent P/R/F1: the spans overlap (each gold expression
//!   matches at most one predicted one);
//! - **value** and **type**: among relaxed matches, the share with the same
//!   attribute (accuracy), and attribute F1 = relaxed F1 × accuracy, which
//!   is TempEval-3's "value F1".
//!
//! ```
//! use newsdesk_eval::timex::{parse_tml, Counts, Predicted};
//!
//! let tml = r#"<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08">x</TIMEX3></DCT>
//! <TEXT>It fell <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3>.</TEXT>"#;
//! let doc = parse_tml(tml).unwrap();
//! assert_eq!(doc.dct.as_deref(), Some("1998-01-08"));
//! assert_eq!(doc.text, "It fell yesterday.");
//! let mut counts = Counts::default();
//! counts.add(&doc.gold, &[Predicted { start: 8, end: 17, kind: "DATE".into(), value: Some("1998-01-07".into()) }]);
//! assert_eq!(counts.scores().value.f1, 1.0);
//! ```

use serde::Serialize;

/// A TimeML file that cannot be scored.
#[derive(Debug, thiserror::Error)]
pub enum TmlError {
    /// There is no `<TEXT>…</TEXT>` element.
    #[error("no <TEXT> element")]
    NoText,
    /// A tag is not closed.
    #[error("unclosed tag at byte {0}")]
    Unclosed(usize),
}

/// One gold (or predicted) expression: a byte span of the plain text with
/// its type and value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Predicted {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// `DATE`, `TIME`, `DURATION` or `SET`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The TIMEX3 value, if any.
    pub value: Option<String>,
}

/// One TimeML document, ready to tag and score.
#[derive(Debug, Clone)]
pub struct TmlDocument {
    /// The DCT's value (`1998-01-08`, possibly with a time), if present.
    pub dct: Option<String>,
    /// The text of `<TEXT>` without tags, entities decoded.
    pub text: String,
    /// The gold expressions, as spans of `text`.
    pub gold: Vec<Predicted>,
}

/// Reads a TimeML (TempEval-3) file.
pub fn parse_tml(tml: &str) -> Result<TmlDocument, TmlError> {
    let dct = tml
        .find("<DCT>")
        .and_then(|at| tml[at..].find("value=\"").map(|v| at + v + 7))
        .and_then(|start| {
            tml[start..]
                .find('"')
                .map(|len| tml[start..start + len].to_string())
        });
    let open = tml.find("<TEXT>").ok_or(TmlError::NoText)? + "<TEXT>".len();
    let close = tml[open..].find("</TEXT>").ok_or(TmlError::NoText)? + open;
    let body = &tml[open..close];
    let mut text = String::with_capacity(body.len());
    let mut gold = Vec::new();
    let mut pending: Option<(usize, String, Option<String>)> = None;
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        if rest.starts_with('<') {
            let end = rest.find('>').ok_or(TmlError::Unclosed(open + i))?;
            let tag = &rest[1..end];
            if let Some(attrs) = tag.strip_prefix("TIMEX3") {
                pending = Some((
                    text.len(),
                    attribute(attrs, "type").unwrap_or_default(),
                    attribute(attrs, "value"),
                ));
            } else if tag == "/TIMEX3" {
                if let Some((start, kind, value)) = pending.take() {
                    gold.push(Predicted {
                        start,
                        end: text.len(),
                        kind,
                        value,
                    });
                }
            }
            i += end + 1;
        } else if rest.starts_with('&') {
            let (decoded, len) = entity(rest);
            text.push_str(decoded);
            i += len;
        } else {
            let next = rest.find(['<', '&']).unwrap_or(rest.len());
            text.push_str(&rest[..next]);
            i += next;
        }
    }
    Ok(TmlDocument { dct, text, gold })
}

fn attribute(attrs: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = attrs.find(&key)? + key.len();
    let len = attrs[start..].find('"')?;
    Some(attrs[start..start + len].to_string())
}

/// Decodes the entity at the start of `rest`: (text, bytes consumed).
fn entity(rest: &str) -> (&str, usize) {
    for (name, decoded) in [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&apos;", "'"),
    ] {
        if rest.starts_with(name) {
            return (decoded, name.len());
        }
    }
    ("&", 1)
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl Prf {
    pub(crate) fn new(correct_sys: usize, sys: usize, correct_gold: usize, gold: usize) -> Prf {
        let p = ratio(correct_sys, sys);
        let r = ratio(correct_gold, gold);
        Prf {
            precision: p,
            recall: r,
            f1: if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            },
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Counts accumulated over documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Gold expressions.
    pub gold: usize,
    /// Predicted expressions.
    pub predicted: usize,
    /// Exact-extent matches.
    pub strict: usize,
    /// Overlap matches (one to one).
    pub relaxed: usize,
    /// Overlap matches with the gold value.
    pub value: usize,
    /// Overlap matches with the gold type.
    pub kind: usize,
}

/// The TempEval-3 scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    /// Exact extent.
    pub strict: Prf,
    /// Overlapping extent.
    pub relaxed: Prf,
    /// Relaxed match with the same value (F1 = relaxed F1 × accuracy).
    pub value: Prf,
    /// Share of relaxed matches with the same value.
    pub value_accuracy: f64,
    /// Relaxed match with the same type.
    pub kind: Prf,
    /// Share of relaxed matches with the same type.
    pub kind_accuracy: f64,
    /// The counts behind them.
    pub counts: Counts,
}

/// How one gold expression fared (for error analysis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Not found.
    Missed,
    /// Overlapped by predicted expression `usize` (index), exact or not.
    Matched(usize),
}

impl Counts {
    /// Adds one document; returns, for each gold expression, what matched it.
    /// Matching is one to one: each gold expression takes the first
    /// unmatched predicted one that overlaps it, an exact one first.
    pub fn add(&mut self, gold: &[Predicted], predicted: &[Predicted]) -> Vec<Outcome> {
        self.gold += gold.len();
        self.predicted += predicted.len();
        let mut used = vec![false; predicted.len()];
        let mut outcomes = Vec::with_capacity(gold.len());
        for g in gold {
            let exact = predicted
                .iter()
                .enumerate()
                .position(|(i, p)| !used[i] && p.start == g.start && p.end == g.end);
            let overlap = exact.or_else(|| {
                predicted
                    .iter()
                    .enumerate()
                    .position(|(i, p)| !used[i] && p.start < g.end && g.start < p.end)
            });
            let Some(i) = overlap else {
                outcomes.push(Outcome::Missed);
                continue;
            };
            used[i] = true;
            let p = &predicted[i];
            self.relaxed += 1;
            if exact.is_some() {
                self.strict += 1;
            }
            if p.value.is_some() && p.value == g.value {
                self.value += 1;
            }
            if p.kind == g.kind {
                self.kind += 1;
            }
            outcomes.push(Outcome::Matched(i));
        }
        outcomes
    }

    /// The scores of the counts so far.
    pub fn scores(&self) -> Scores {
        let relaxed = Prf::new(self.relaxed, self.predicted, self.relaxed, self.gold);
        let attribute = |correct: usize| Prf::new(correct, self.predicted, correct, self.gold);
        Scores {
            strict: Prf::new(self.strict, self.predicted, self.strict, self.gold),
            relaxed,
            value: attribute(self.value),
            value_accuracy: ratio(self.value, self.relaxed),
            kind: attribute(self.kind),
            kind_accuracy: ratio(self.kind, self.relaxed),
            counts: *self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(start: usize, end: usize, value: &str) -> Predicted {
        Predicted {
            start,
            end,
            kind: "DATE".into(),
            value: Some(value.into()),
        }
    }

    #[test]
    fn strips_tags_and_entities_keeping_byte_offsets() {
        let doc = parse_tml(
            "<TEXT>A &amp; B <EVENT eid=\"e1\">met</EVENT> <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1998\">in 1998</TIMEX3>.</TEXT>",
        )
        .expect("parses");
        assert_eq!(doc.text, "A & B met in 1998.");
        assert_eq!(doc.dct, None);
        assert_eq!(doc.gold, [p(10, 17, "1998")]);
        assert!(matches!(parse_tml("<DCT></DCT>"), Err(TmlError::NoText)));
    }

    #[test]
    fn strict_relaxed_and_value() {
        let gold = [p(0, 10, "A"), p(20, 30, "B"), p(40, 50, "C")];
        let predicted = [p(0, 10, "A"), p(25, 35, "X"), p(60, 70, "D")];
        let mut counts = Counts::default();
        let outcomes = counts.add(&gold, &predicted);
        assert_eq!(
            outcomes,
            [Outcome::Matched(0), Outcome::Matched(1), Outcome::Missed]
        );
        let s = counts.scores();
        assert!((s.strict.f1 - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.relaxed.f1 - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.value_accuracy - 0.5).abs() < 1e-9);
        assert!((s.value.f1 - 1.0 / 3.0).abs() < 1e-9);
    }
}
