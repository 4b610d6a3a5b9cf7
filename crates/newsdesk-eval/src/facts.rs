//! Scoring figures and quotes against a hand-labelled gold file (for the
//! seeds: `data/seeds-facts.json`): precision and recall of figures (same
//! value, overlapping span) and of quotes (overlapping span), and speaker
//! accuracy over the quotes found (the same speaker as
//! [`crate::quotes::same_speaker`] compares them, or both unknown).

use serde::{Deserialize, Serialize};

use crate::timex::Prf;

/// The gold file: articles with their figures and quotes.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// The labelled articles.
    pub articles: Vec<GoldArticle>,
}

/// One labelled article.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    /// Its file name (relative to the directory the articles are in).
    pub file: String,
    /// Its publication date (`YYYY-MM-DD`).
    pub date: String,
    /// Its figures.
    pub figures: Vec<SpanValue>,
    /// Its quotes.
    pub quotes: Vec<SpanSpeaker>,
}

/// A figure: where and what value.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SpanValue {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The value.
    pub value: f64,
}

/// A quote: where and who said it.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SpanSpeaker {
    /// First byte of the quoted words.
    pub start: usize,
    /// One past their last byte.
    pub end: usize,
    /// The speaker, or `None` when the article names nobody.
    pub speaker: Option<String>,
}

/// The scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct FactScores {
    /// Figures.
    pub figures: Prf,
    /// Quotes.
    pub quotes: Prf,
    /// Share of found gold quotes whose speaker is right.
    pub speaker_accuracy: f64,
    /// Gold figures and quotes.
    pub gold_figures: usize,
    /// Gold quotes.
    pub gold_quotes: usize,
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Scores predicted figures and quotes, article by article (the same
/// order as the gold's).
pub fn score(gold: &[GoldArticle], predicted: &[(Vec<SpanValue>, Vec<SpanSpeaker>)]) -> FactScores {
    let (mut fig_right, mut fig_sys, mut fig_gold) = (0, 0, 0);
    let (mut q_right_sys, mut q_right_gold, mut q_sys, mut q_gold) = (0, 0, 0, 0);
    let (mut speakers_right, mut speakers_seen) = (0, 0);
    for (g, (figures, quotes)) in gold.iter().zip(predicted) {
        fig_sys += figures.len();
        fig_gold += g.figures.len();
        let mut used = vec![false; figures.len()];
        for gf in &g.figures {
            if let Some(i) = (0..figures.len()).find(|&i| {
                !used[i]
                    && (figures[i].value - gf.value).abs() < 1e-9
                    && overlaps((figures[i].start, figures[i].end), (gf.start, gf.end))
            }) {
                used[i] = true;
                fig_right += 1;
            }
        }
        q_sys += quotes.len();
        q_gold += g.quotes.len();
        q_right_sys += quotes
            .iter()
            .filter(|q| {
                g.quotes
                    .iter()
                    .any(|gq| overlaps((q.start, q.end), (gq.start, gq.end)))
            })
            .count();
        for gq in &g.quotes {
            let Some(found) = quotes
                .iter()
                .find(|q| overlaps((q.start, q.end), (gq.start, gq.end)))
            else {
                continue;
            };
            q_right_gold += 1;
            speakers_seen += 1;
            let same = match (&found.speaker, &gq.speaker) {
                (None, None) => true,
                (Some(a), Some(b)) => crate::quotes::same_speaker(a, b),
                _ => false,
            };
            speakers_right += usize::from(same);
        }
    }
    FactScores {
        figures: Prf::new(fig_right, fig_sys, fig_right, fig_gold),
        quotes: Prf::new(q_right_sys, q_sys, q_right_gold, q_gold),
        speaker_accuracy: if speakers_seen == 0 {
            0.0
        } else {
            speakers_right as f64 / speakers_seen as f64
        },
        gold_figures: fig_gold,
        gold_quotes: q_gold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_scores() {
        let gold = [GoldArticle {
            file: "a.txt".into(),
            date: "2021-08-15".into(),
            figures: vec![
                SpanValue {
                    start: 0,
                    end: 3,
                    value: 600.0,
                },
                SpanValue {
                    start: 10,
                    end: 15,
                    value: 5000.0,
                },
            ],
            quotes: vec![
                SpanSpeaker {
                    start: 20,
                    end: 40,
                    speaker: Some("Ned Price".into()),
                },
                SpanSpeaker {
                    start: 50,
                    end: 60,
                    speaker: None,
                },
            ],
        }];
        let predicted = [(
            vec![
                SpanValue {
                    start: 0,
                    end: 3,
                    value: 600.0,
                },
                SpanValue {
                    start: 10,
                    end: 15,
                    value: 50.0,
                },
                SpanValue {
                    start: 70,
                    end: 72,
                    value: 12.0,
                },
            ],
            vec![
                SpanSpeaker {
                    start: 21,
                    end: 39,
                    speaker: Some("Ned price".into()),
                },
                SpanSpeaker {
                    start: 50,
                    end: 60,
                    speaker: Some("Masoom Jan".into()),
                },
            ],
        )];
        let s = score(&gold, &predicted);
        // One of three predicted figures right (the 5,000 has the wrong value).
        assert!((s.figures.precision - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.figures.recall - 0.5).abs() < 1e-9);
        assert!((s.quotes.recall - 1.0).abs() < 1e-9);
        // Ned price = Ned Price; a named speaker for an unnamed one is wrong.
        assert!((s.speaker_accuracy - 0.5).abs() < 1e-9);
    }
}
