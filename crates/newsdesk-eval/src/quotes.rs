//! Scoring direct quotes and their speakers against PolNeAR-style gold
//! (`../shared/eval/quotes/polnear_dev_articles.jsonl`, described in
//! `../shared/eval/README.md`).
//!
//! A gold direct quote is *found* when a predicted quote overlaps it.
//! Over the found quotes that have a gold speaker, the predicted speaker
//! is right when it names the gold speaker or the annotated mention
//! ([`same_speaker`]: the same surname, and the same first name where both
//! give one; titles and Jr./III ignored). Reported apart, as a wrong name
//! is worse than none: the *precision* of the speakers named and their
//! *coverage* (the share of those quotes given a name at all); *speaker
//! accuracy* is their product.

use std::collections::BTreeMap;
use std::io::BufRead;

use serde::{Deserialize, Serialize};

/// One article of the gold file.
#[derive(Debug, Clone, Deserialize)]
pub struct QuoteArticle {
    /// Its id.
    pub id: String,
    /// Its publisher.
    #[serde(default)]
    pub source: Option<String>,
    /// Its publication date (`YYYY-MM-DD`).
    #[serde(default)]
    pub date: Option<String>,
    /// Its text (the offsets below are UTF-8 byte offsets into it).
    pub text: String,
    /// Its annotated quotes.
    #[serde(default)]
    pub quotes: Vec<GoldQuote>,
}

/// What kind of quotation a gold quote is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoldKind {
    /// The whole content is quoted.
    Direct,
    /// A quoted fragment inside a paraphrase.
    Mixed,
    /// Scare quotes, titles: no speaker.
    Unattributed,
}

/// One annotated quote.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldQuote {
    /// First byte (the opening mark).
    pub start: usize,
    /// One past the last byte (after the closing mark).
    pub end: usize,
    /// Its kind.
    pub kind: GoldKind,
    /// Whether it runs on into the next paragraph.
    #[serde(default)]
    pub open_ended: bool,
    /// The speaker's canonical name (silver: derived automatically).
    #[serde(default)]
    pub speaker: Option<String>,
    /// The annotated source mention ("Mr. Greenfield", "he").
    #[serde(default)]
    pub speaker_text: Option<String>,
}

/// A predicted quote: where its words are, and who said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PredictedQuote {
    /// First byte of the quoted words.
    pub start: usize,
    /// One past their last byte.
    pub end: usize,
    /// The speaker named, if any.
    pub speaker: Option<String>,
    /// How the speaker was found (the sieve's name), if named.
    pub rule: Option<String>,
}

/// Why a gold file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum QuoteGoldError {
    /// The file could not be read.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A line is not a gold article.
    #[error("line {line}: {reason}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// Why.
        reason: String,
    },
}

/// Reads a gold file: one article per line.
pub fn read_articles(reader: impl BufRead) -> Result<Vec<QuoteArticle>, QuoteGoldError> {
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let article: QuoteArticle =
            serde_json::from_str(&line).map_err(|e| QuoteGoldError::Line {
                line: i + 1,
                reason: e.to_string(),
            })?;
        out.push(article);
    }
    Ok(out)
}

/// Whether the article with this id is in fold `k` of `n` (a stable hash
/// of the id, FNV-1a), for scoring a held-out part.
pub fn in_fold(id: &str, k: usize, n: usize) -> bool {
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    n == 0 || (hash % n as u64) as usize == k
}

/// Words of a name that do not tell who it is.
const NOT_NAME: &[&str] = &[
    "the",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sen",
    "senator",
    "rep",
    "representative",
    "gov",
    "governor",
    "president",
    "pres",
    "gen",
    "general",
    "lt",
    "col",
    "capt",
    "sgt",
    "rev",
    "judge",
    "justice",
    "jr",
    "sr",
    "ii",
    "iii",
    "iv",
    "former",
];

/// A name's words as compared: lower case, without punctuation, titles
/// and suffixes; a curly apostrophe is a straight one (O’Neill is
/// O'Neill).
fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| {
            let w = w.strip_suffix("’s").or(w.strip_suffix("'s")).unwrap_or(w);
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .replace('\u{2019}', "'")
                .to_lowercase()
        })
        .filter(|w| !w.is_empty() && !NOT_NAME.contains(&w.as_str()))
        .collect()
}

/// Whether a predicted speaker names the gold one: the same last word,
/// and, where both give more than one word, the same first word (or its
/// initial) or one name the end of the other (a two-word surname, a
/// first initial left out).
pub fn same_speaker(predicted: &str, gold: &str) -> bool {
    let (p, g) = (name_words(predicted), name_words(gold));
    let (Some(pl), Some(gl)) = (p.last(), g.last()) else {
        return false;
    };
    if pl != gl {
        return false;
    }
    // One name ends with the other ("Wasserman Schultz" of "Debbie
    // Wasserman Schultz", "Gerald Hebert" of "J. Gerald Hebert").
    if p.len() < 2 || g.len() < 2 || p.ends_with(&g) || g.ends_with(&p) {
        return true;
    }
    let (pf, gf) = (&p[0], &g[0]);
    pf == gf
        || (pf.chars().count() == 1 && gf.starts_with(pf.as_str()))
        || (gf.chars().count() == 1 && pf.starts_with(gf.as_str()))
}

/// How one found gold quote's speaker came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The right speaker named.
    Right,
    /// Someone else named.
    Wrong,
    /// Nobody named.
    Unnamed,
}

/// One gold direct quote as scored, for reading the errors.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredQuote {
    /// The article.
    pub article: String,
    /// Where the gold quote is.
    pub start: usize,
    /// One past its end.
    pub end: usize,
    /// The gold speaker and mention.
    pub gold: Option<String>,
    /// The annotated mention.
    pub mention: Option<String>,
    /// The speaker predicted (`None`: not found, or found unnamed).
    pub predicted: Option<String>,
    /// How the prediction found the speaker.
    pub rule: Option<String>,
    /// Whether a predicted quote overlaps it.
    pub found: bool,
    /// How the speaker came out (`None` when not found or without a gold
    /// speaker).
    pub verdict: Option<Verdict>,
}

/// The scores.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuoteScores {
    /// Articles scored.
    pub articles: usize,
    /// Gold direct quotes.
    pub gold_direct: usize,
    /// Of those, found.
    pub found: usize,
    /// Share of the gold direct quotes found.
    pub found_rate: f64,
    /// Predicted quotes.
    pub predicted: usize,
    /// Of those, overlapping a gold quote of any kind (direct, mixed,
    /// unattributed).
    pub predicted_right: usize,
    /// Share of the predicted quotes that overlap a gold one.
    pub precision: f64,
    /// Found quotes with a gold speaker.
    pub with_speaker: usize,
    /// Of those, given a name.
    pub named: usize,
    /// Of those, the right name.
    pub right: usize,
    /// `right / with_speaker`.
    pub speaker_accuracy: f64,
    /// `right / named`: a wrong name is worse than none.
    pub named_precision: f64,
    /// `named / with_speaker`.
    pub coverage: f64,
    /// Speaker accuracy per publisher.
    pub by_source: BTreeMap<String, SourceScore>,
    /// Named speakers and how many were right, per rule that named them:
    /// the precision of each sieve.
    pub by_rule: BTreeMap<String, SourceScore>,
    /// Speaker scores by what the gold's source mention is ([`mention_class`]):
    /// the gold speaker of a pronoun comes from automatic coreference
    /// (silver), that of a name from the text.
    pub by_mention: BTreeMap<String, SourceScore>,
}

/// What an annotated source mention is: "pronoun" (he, she, they, it, we,
/// I), "name" (it starts with a capital) or "description" ("a source",
/// "the newspaper").
pub fn mention_class(mention: Option<&str>) -> &'static str {
    let m = mention.unwrap_or("").trim();
    let lower = m.to_lowercase();
    if matches!(
        lower.as_str(),
        "he" | "she" | "they" | "it" | "we" | "i" | "him" | "her"
    ) {
        "pronoun"
    } else if m.starts_with(char::is_uppercase) {
        "name"
    } else {
        "description"
    }
}

/// Speaker scores of one publisher (or, for a sieve, of the speakers it
/// named: `with_speaker` left at 0).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct SourceScore {
    /// Found quotes with a gold speaker.
    pub with_speaker: usize,
    /// Given a name.
    pub named: usize,
    /// Right.
    pub right: usize,
}

impl SourceScore {
    /// Right over found quotes with a gold speaker.
    pub fn accuracy(&self) -> f64 {
        ratio(self.right, self.with_speaker)
    }

    /// Right over named: a wrong name is worse than none.
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.named)
    }

    /// Named over found quotes with a gold speaker.
    pub fn coverage(&self) -> f64 {
        ratio(self.named, self.with_speaker)
    }
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores the predicted quotes of each article (the same order as
/// `gold`); also returns every gold direct quote as scored.
pub fn score(
    gold: &[QuoteArticle],
    predicted: &[Vec<PredictedQuote>],
) -> (QuoteScores, Vec<ScoredQuote>) {
    let mut s = QuoteScores {
        articles: gold.len(),
        ..QuoteScores::default()
    };
    let mut scored = Vec::new();
    for (article, quotes) in gold.iter().zip(predicted) {
        s.predicted += quotes.len();
        s.predicted_right += quotes
            .iter()
            .filter(|q| {
                article
                    .quotes
                    .iter()
                    .any(|g| overlap((q.start, q.end), (g.start, g.end)) > 0)
            })
            .count();
        let by_source = s
            .by_source
            .entry(article.source.clone().unwrap_or_default())
            .or_default();
        for g in article.quotes.iter().filter(|g| g.kind == GoldKind::Direct) {
            s.gold_direct += 1;
            // The predicted quote that covers most of it.
            let best = quotes
                .iter()
                .map(|q| (overlap((q.start, q.end), (g.start, g.end)), q))
                .filter(|(o, _)| *o > 0)
                .max_by_key(|(o, q)| (*o, std::cmp::Reverse(q.start)))
                .map(|(_, q)| q);
            let found = best.is_some();
            s.found += usize::from(found);
            let predicted = best.and_then(|q| q.speaker.clone());
            let verdict = match (best, &g.speaker) {
                (Some(_), Some(gold_name)) => {
                    s.with_speaker += 1;
                    by_source.with_speaker += 1;
                    Some(match &predicted {
                        None => Verdict::Unnamed,
                        Some(p) => {
                            s.named += 1;
                            by_source.named += 1;
                            let right = same_speaker(p, gold_name)
                                || g.speaker_text
                                    .as_deref()
                                    .is_some_and(|m| same_speaker(p, m));
                            let rule = s
                                .by_rule
                                .entry(best.and_then(|q| q.rule.clone()).unwrap_or_default())
                                .or_default();
                            rule.named += 1;
                            rule.right += usize::from(right);
                            if right {
                                s.right += 1;
                                by_source.right += 1;
                                Verdict::Right
                            } else {
                                Verdict::Wrong
                            }
                        }
                    })
                }
                _ => None,
            };
            scored.push(ScoredQuote {
                article: article.id.clone(),
                start: g.start,
                end: g.end,
                gold: g.speaker.clone(),
                mention: g.speaker_text.clone(),
                rule: best.and_then(|q| q.rule.clone()),
                predicted,
                found,
                verdict,
            });
        }
    }
    for q in &scored {
        let Some(verdict) = q.verdict else {
            continue;
        };
        let class = s
            .by_mention
            .entry(mention_class(q.mention.as_deref()).to_string())
            .or_default();
        class.with_speaker += 1;
        class.named += usize::from(verdict != Verdict::Unnamed);
        class.right += usize::from(verdict == Verdict::Right);
    }
    s.found_rate = ratio(s.found, s.gold_direct);
    s.precision = ratio(s.predicted_right, s.predicted);
    s.speaker_accuracy = ratio(s.right, s.with_speaker);
    s.named_precision = ratio(s.right, s.named);
    s.coverage = ratio(s.named, s.with_speaker);
    (s, scored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_match_by_surname_and_first_name_where_both_give_one() {
        assert!(same_speaker("James O\u{2019}Neill", "O'Neill"));
        assert!(same_speaker("Ted Cruz", "Cruz"));
        assert!(same_speaker("Mr. Greenfield", "Greenfield"));
        assert!(same_speaker("Jesse Jackson Jr.", "Jesse Jackson"));
        assert!(!same_speaker("Sandra Jackson", "Jesse Jackson"));
        assert!(same_speaker("J. Smith", "John Smith"));
        assert!(same_speaker(
            "Debbie Wasserman Schultz",
            "Wasserman Schultz"
        ));
        assert!(same_speaker("Gerald Hebert", "J. Gerald Hebert"));
        assert!(same_speaker("The Washington Post", "the Washington Post"));
        assert!(!same_speaker("Obama", "Kerry"));
        assert!(!same_speaker("the", "Kerry"));
    }

    fn gold_quote(start: usize, end: usize, speaker: Option<&str>) -> GoldQuote {
        GoldQuote {
            start,
            end,
            kind: GoldKind::Direct,
            open_ended: false,
            speaker: speaker.map(str::to_string),
            speaker_text: None,
        }
    }

    #[test]
    fn a_wrong_name_counts_against_precision_and_no_name_against_coverage() {
        let article = QuoteArticle {
            id: "a".into(),
            source: Some("x".into()),
            date: None,
            text: String::new(),
            quotes: vec![
                gold_quote(0, 10, Some("Ann Lee")),
                gold_quote(20, 30, Some("Bo Chan")),
                gold_quote(40, 50, Some("Cy Dee")),
                gold_quote(60, 70, None),
                gold_quote(80, 90, Some("Ed Fox")),
            ],
        };
        let predicted = vec![
            PredictedQuote {
                start: 1,
                end: 9,
                speaker: Some("Lee".into()),
                rule: None,
            },
            PredictedQuote {
                start: 21,
                end: 29,
                speaker: Some("Ann Lee".into()),
                rule: None,
            },
            PredictedQuote {
                start: 41,
                end: 49,
                speaker: None,
                rule: None,
            },
            PredictedQuote {
                start: 61,
                end: 69,
                speaker: Some("Ann Lee".into()),
                rule: None,
            },
            PredictedQuote {
                start: 100,
                end: 110,
                speaker: None,
                rule: None,
            },
        ];
        let (s, scored) = score(&[article], &[predicted]);
        assert_eq!((s.gold_direct, s.found), (5, 4));
        assert_eq!((s.predicted, s.predicted_right), (5, 4));
        assert_eq!((s.with_speaker, s.named, s.right), (3, 2, 1));
        assert!((s.named_precision - 0.5).abs() < 1e-9);
        assert!((s.coverage - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(scored[2].verdict, Some(Verdict::Unnamed));
        assert!(!scored[4].found);
        assert_eq!(mention_class(Some("he")), "pronoun");
        assert_eq!(mention_class(Some("Mr. Greenfield")), "name");
        assert_eq!(mention_class(Some("a source")), "description");
    }

    #[test]
    fn folds_split_the_ids_and_cover_them_all() {
        let ids: Vec<String> = (0..100).map(|i| format!("article-{i}")).collect();
        let a = ids.iter().filter(|id| in_fold(id, 0, 2)).count();
        let b = ids.iter().filter(|id| in_fold(id, 1, 2)).count();
        assert_eq!(a + b, 100);
        assert!(a > 30 && b > 30);
    }
}
