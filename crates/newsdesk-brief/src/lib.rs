//! The brief: a short extractive summary of one story in which every
//! sentence cites the articles that report it.
//!
//! 1. Every body sentence of every independent source (reprints are folded
//!    by the caller: one wire story is one source) is read for
//!    [concepts] and weighed by how many sources mention them.
//! 2. [`select`](select::select) picks sentences that can stand alone
//!    ([`standalone`]) by budgeted concept coverage.
//! 3. Each chosen sentence cites every source with a sentence that reports
//!    the same content ([`cite`]): the evidence sentence's span and the
//!    support that justified it go with the citation, so each one can be
//!    checked.
//! 4. The sentences are put in event-time order where their dates are
//!    known, else in order of first appearance.
//!
//! ```
//! use newsdesk_brief::{brief, Budget, Config, Source, SourceSentence};
//!
//! let source = |id: &str, lines: &[&str]| Source {
//!     id: id.to_string(),
//!     outlet: None,
//!     date: None,
//!     url: None,
//!     path: None,
//!     sentences: lines
//!         .iter()
//!         .map(|t| SourceSentence { text: t.to_string(), span: None, event_date: None })
//!         .collect(),
//! };
//! let sources = [
//!     source("a", &["Floodwater breached the old dam at Lake Varna on Monday night.",
//!                   "The mayor said nobody was hurt."]),
//!     source("b", &["The old dam at Lake Varna was breached by floodwater on Monday night."]),
//! ];
//! let config = Config { budget: Budget::Words(20), ..Config::default() };
//! let brief = brief(&sources, &config);
//! assert_eq!(brief.sentences.len(), 1);
//! // Both articles report the breach: both are cited.
//! assert_eq!(brief.sentences[0].citations.len(), 2);
//! assert!(brief.text.ends_with("[1][2]"));
//! ```

pub mod cite;
pub mod concepts;
pub mod markdown;
pub mod select;

use newsdesk_model::{Date, Span};
use newsdesk_text::words::Stemmer;
use serde::Serialize;

use crate::concepts::{SentenceConcepts, Vocabulary};
use crate::select::{Candidate, Fill, Weights};

/// One independent source of the story: an article (its reprints folded
/// into it).
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The article's id (shown in citations).
    pub id: String,
    /// Its outlet, if known.
    pub outlet: Option<String>,
    /// Its publication date, if known.
    pub date: Option<Date>,
    /// Its address, if known.
    pub url: Option<String>,
    /// Where it was read from (a file, a line of a JSONL file), if known.
    pub path: Option<String>,
    /// Its body sentences in order (no headings, no debris).
    pub sentences: Vec<SourceSentence>,
}

/// One sentence of a source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSentence {
    /// The sentence.
    pub text: String,
    /// Where it is in the article's text, when it came from one.
    pub span: Option<Span>,
    /// When its main event happened (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`),
    /// if known.
    pub event_date: Option<String>,
}

/// The length of a brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// At most this many words.
    Words(usize),
    /// At most this many bytes of sentence text (citation marks not
    /// counted).
    Bytes(usize),
}

/// How a brief is made.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The length budget.
    pub budget: Budget,
    /// Let the last sentence run over the budget (for scorers that cut the
    /// text at the budget themselves, as DUC's did); off for readers.
    pub run_over: bool,
    /// Selection weights.
    pub weights: Weights,
    /// Least support for a citation (see [`cite`]).
    pub min_support: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            budget: Budget::Words(100),
            run_over: false,
            weights: Weights::default(),
            min_support: cite::MIN_SUPPORT,
        }
    }
}

/// One article cited by a sentence of the brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = BriefCitation))]
pub struct Citation {
    /// Its mark in the brief's text: `[n]` (`n` in JSON, as in a story's
    /// source legend).
    #[serde(rename = "n")]
    pub number: usize,
    /// The article's id.
    pub article: String,
    /// Its outlet, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub outlet: Option<String>,
    /// Its publication date, if known.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, required = true))]
    pub date: Option<Date>,
    /// Its address, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub url: Option<String>,
    /// Where it was read from, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub path: Option<String>,
    /// The sentence of the cited article that reports the content.
    pub evidence: String,
    /// Where that sentence is in the article's text, when known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub span: Option<Span>,
    /// How much of the brief sentence's content the evidence reports (0–1;
    /// 1 for the article the sentence was taken from).
    pub support: f64,
}

/// One sentence of the brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BriefSentence {
    /// The sentence as its article wrote it.
    pub text: String,
    /// The article it was taken from.
    pub article: String,
    /// When its main event happened, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub event_date: Option<String>,
    /// Every independent source that reports it, the taken-from article
    /// first.
    pub citations: Vec<Citation>,
}

/// A cited brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Brief {
    /// The whole brief, each sentence followed by its citation marks
    /// ("… left the country. \[2\]\[3\]").
    pub text: String,
    /// The sentences in reading order.
    pub sentences: Vec<BriefSentence>,
}

impl Brief {
    /// The brief's text without citation marks (what a ROUGE scorer reads).
    pub fn plain_text(&self) -> String {
        self.sentences
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Gives every citation the number `number_of` gives its article (a
    /// story-wide source number, so that the brief, the timeline and the
    /// facts of one story cite a source by one number), and rewrites the
    /// marks of the text; a citation whose article has no number keeps its
    /// own.
    pub fn renumber(&mut self, number_of: impl Fn(&str) -> Option<usize>) {
        for c in self.sentences.iter_mut().flat_map(|s| &mut s.citations) {
            if let Some(n) = number_of(&c.article) {
                c.number = n;
            }
        }
        self.text = marked_text(&self.sentences);
    }

    /// CommonMark: one paragraph whose citation marks `[n]` are reference
    /// links, to be made links by the definitions of the source legend that
    /// goes with it (`newsdesk_desk::sources::Sources::markdown`). Marks
    /// are set apart by spaces (`[1] [3]`, never `[1][3]`, which CommonMark
    /// reads as one link), and the text is escaped, so that nothing in an
    /// article's words is taken for markup.
    pub fn markdown_paragraph(&self) -> String {
        let mut out = String::new();
        for (i, s) in self.sentences.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&markdown::escape(&s.text));
            let mut numbers: Vec<usize> = s.citations.iter().map(|c| c.number).collect();
            numbers.sort_unstable();
            numbers.dedup();
            for n in numbers {
                out.push_str(&format!(" [{n}]"));
            }
        }
        out
    }
}

/// The brief's text: each sentence followed by its citation marks.
fn marked_text(sentences: &[BriefSentence]) -> String {
    sentences
        .iter()
        .map(|s| {
            let mut numbers: Vec<usize> = s.citations.iter().map(|c| c.number).collect();
            numbers.sort_unstable();
            numbers.dedup();
            let marks: String = numbers.iter().map(|n| format!("[{n}]")).collect();
            format!("{} {marks}", s.text)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words that open a sentence which cannot stand alone: it leans on one
/// before it ("He said…", "This…", "But…").
const DEPENDENT_OPENERS: &[&str] = &[
    "he",
    "she",
    "it",
    "they",
    "this",
    "these",
    "those",
    "that",
    "but",
    "and",
    "also",
    "however",
    "his",
    "her",
    "its",
    "their",
    "them",
    "we",
    "i",
    "you",
    "our",
    "there",
    "then",
    "meanwhile",
    "still",
    "yet",
    "so",
    "or",
    "nor",
    "instead",
    "here",
    "such",
    "both",
    "other",
    "others",
    "another",
    "later",
    "afterwards",
    "thus",
    "hence",
    "moreover",
    "furthermore",
    "besides",
];

/// Words that speak as the writer or to the reader.
const FIRST_PERSON: &[&str] = &[
    "I", "I'm", "I've", "I'd", "I'll", "me", "my", "we", "We", "we're", "We're", "we've", "us",
    "our", "Our", "you", "You", "your", "Your",
];

/// Whether a quote's only speaker is a pronoun ("…," he said): who spoke
/// is in a sentence the brief does not carry.
fn speaker_is_a_pronoun(lower: &str) -> bool {
    const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i"];
    // Five common verbs only, not newsdesk_text::lexicon::reporting_verbs()
    // (38): widening the set would change which quotes the brief drops.
    const VERBS: &[&str] = &["said", "says", "told", "added", "stated"];
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut pronoun_speaker = false;
    for (i, w) in words.iter().enumerate() {
        if !VERBS.contains(w) {
            continue;
        }
        let before = i.checked_sub(1).and_then(|j| words.get(j));
        let after = words.get(i + 1);
        if before.is_some_and(|b| PRONOUNS.contains(b))
            || after.is_some_and(|a| PRONOUNS.contains(a))
        {
            pronoun_speaker = true;
        } else {
            return false;
        }
    }
    pronoun_speaker
}

/// Whether a sentence can be read on its own in a brief: not a question,
/// not opening on a pronoun or connective that leans on the sentence
/// before, not a quote without a speaker, not a fragment.
pub fn standalone(text: &str) -> bool {
    let trimmed = text.trim();
    if trimmed.ends_with('?') || trimmed.ends_with(':') {
        return false;
    }
    let first = trimmed
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase();
    let opens_quote = trimmed.starts_with(['"', '\u{201c}', '`', '\'']);
    if !opens_quote && DEPENDENT_OPENERS.contains(&first.as_str()) {
        return false;
    }
    // First or second person outside quote marks: a quote whose marks were
    // lost (common in wire copy converted to text), or an aside to the reader.
    if trimmed
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .any(|w| FIRST_PERSON.contains(&w))
        && !trimmed.contains(['"', '\u{201c}', '\u{201d}'])
    {
        return false;
    }
    let quoted = trimmed.contains(['"', '\u{201c}', '\u{201d}']) || trimmed.contains("``");
    if quoted {
        let lower = trimmed.to_lowercase();
        // A substring test on the common verbs and "according to", kept
        // apart from newsdesk_text::lexicon::reporting_verbs() on purpose:
        // a different set matched differently, and the brief's choice of
        // sentences must not move with the facts stage's list.
        let attributed = ["said", "says", "told", "according to", "added", "stated"]
            .iter()
            .any(|w| lower.contains(w));
        if !attributed || speaker_is_a_pronoun(&lower) {
            return false;
        }
    }
    // Starts like a sentence: a capital letter, a digit or a quote mark.
    trimmed.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '\u{201c}' | '`' | '\'')
    })
}

/// Makes the brief of one story from its independent sources.
pub fn brief(sources: &[Source], config: &Config) -> Brief {
    let stemmer = Stemmer::new();
    let mut vocabulary = Vocabulary::default();
    let read: Vec<Vec<SentenceConcepts>> = sources
        .iter()
        .map(|s| {
            s.sentences
                .iter()
                .map(|t| concepts::read(&t.text, &stemmer, &mut vocabulary))
                .collect()
        })
        .collect();
    let df = concepts::document_frequencies(&read, vocabulary.len());

    let mut candidates = Vec::new();
    let mut origin = Vec::new();
    for (s, sentences) in read.iter().enumerate() {
        for (i, concepts) in sentences.iter().enumerate() {
            let words = concepts.words;
            if standalone(&sources[s].sentences[i].text)
                && words >= config.weights.min_words
                && words <= config.weights.max_words
            {
                let support = if config.weights.corroboration > 0.0 {
                    cite::supporting(&read, &df, &vocabulary, (s, i), config.min_support).len() - 1
                } else {
                    0
                };
                candidates.push(Candidate {
                    concepts,
                    position: i,
                    support,
                });
                origin.push((s, i));
            }
        }
    }
    let independent = u32::try_from(sources.len()).unwrap_or(u32::MAX);
    let mut weights = config.weights.clone();
    // A story with few sources lowers the bar: with three sources a concept
    // two of them report is already shared.
    weights.min_sources = weights.min_sources.min(independent.div_ceil(3)).max(1);
    let (budget, fill) = match config.budget {
        Budget::Words(n) => (
            n,
            if config.run_over {
                Fill::RunOver
            } else {
                Fill::Whole
            },
        ),
        // Bytes are kept by a word budget of the byte budget / 6 (an English
        // word and its space), then trimmed below.
        Budget::Bytes(n) => (n / 5, Fill::Whole),
    };
    let lead_df = concepts::lead_frequencies(&read, vocabulary.len(), weights.lead_sentences);
    let value = select::concept_values(&df, &lead_df, |c| vocabulary.kind(c), &weights);
    let picks = select::select(&candidates, &value, &weights, budget, fill);
    let mut chosen: Vec<(usize, usize)> = picks.into_iter().map(|c| origin[c]).collect();
    if let Budget::Bytes(limit) = config.budget {
        let mut used = 0;
        chosen.retain(|&(s, i)| {
            let len = sources[s].sentences[i].text.len() + usize::from(used > 0);
            if used + len <= limit || (config.run_over && used < limit) {
                used += len;
                true
            } else {
                false
            }
        });
    }
    // A sentence that runs over the budget stays last, where a scorer's cut
    // falls.
    let words_of = |&(s, i): &(usize, usize)| read[s][i].words;
    let total: usize = chosen.iter().map(words_of).sum();
    let run_over = match config.budget {
        Budget::Words(n) if config.run_over && total > n => chosen.pop(),
        _ => None,
    };
    order(&mut chosen, sources);
    chosen.extend(run_over);
    let mut numbers: Vec<usize> = Vec::new();
    let mut sentences = Vec::new();
    for (s, i) in chosen {
        let support = cite::supporting(&read, &df, &vocabulary, (s, i), config.min_support);
        let citations = support
            .into_iter()
            .map(|(source, sentence, support)| {
                let number = match numbers.iter().position(|&n| n == source) {
                    Some(p) => p + 1,
                    None => {
                        numbers.push(source);
                        numbers.len()
                    }
                };
                let evidence = &sources[source].sentences[sentence];
                Citation {
                    number,
                    article: sources[source].id.clone(),
                    outlet: sources[source].outlet.clone(),
                    date: sources[source].date,
                    url: sources[source].url.clone(),
                    path: sources[source].path.clone(),
                    evidence: evidence.text.clone(),
                    span: evidence.span,
                    support,
                }
            })
            .collect();
        let taken = &sources[s].sentences[i];
        sentences.push(BriefSentence {
            text: taken.text.trim().to_string(),
            article: sources[s].id.clone(),
            event_date: taken.event_date.clone(),
            citations,
        });
    }
    let text = marked_text(&sentences);
    Brief { text, sentences }
}

/// Puts the chosen sentences in reading order: first appearance
/// (publication date, article, position), then the dated sentences sorted
/// by event date among the slots they hold, so that undated sentences keep
/// their place and dated ones read in the order things happened.
fn order(chosen: &mut [(usize, usize)], sources: &[Source]) {
    let appearance = |&(s, i): &(usize, usize)| (sources[s].date, s, i);
    chosen.sort_by_key(appearance);
    let dated: Vec<usize> = (0..chosen.len())
        .filter(|&k| {
            let (s, i) = chosen[k];
            sources[s].sentences[i].event_date.is_some()
        })
        .collect();
    let mut dates: Vec<(String, (usize, usize))> = dated
        .iter()
        .map(|&k| {
            let (s, i) = chosen[k];
            (
                sources[s].sentences[i]
                    .event_date
                    .clone()
                    .unwrap_or_default(),
                chosen[k],
            )
        })
        .collect();
    // A stable sort by date keeps first-appearance order within a date.
    dates.sort_by(|a, b| a.0.cmp(&b.0));
    for (slot, (_, pick)) in dated.iter().zip(dates) {
        chosen[*slot] = pick;
    }
}

/// The sources of a story from its dated documents (reprints already
/// left out by the caller): body sentences with their event dates (see
/// [`newsdesk_time::sentence_dates`]).
pub fn from_documents(docs: &[&newsdesk_time::DatedDocument]) -> Vec<Source> {
    docs.iter()
        .map(|dated| {
            let doc = dated.document();
            let dates = dated.sentence_dates();
            Source {
                id: doc.article.id.to_string(),
                outlet: doc.article.source.clone(),
                date: doc.article.date,
                url: doc.article.url.clone(),
                path: doc.article.origin.clone(),
                sentences: doc
                    .sentences
                    .iter()
                    .zip(dates)
                    .map(|(s, date)| SourceSentence {
                        text: doc.text_of(s.span).to_string(),
                        span: Some(s.span),
                        event_date: date.as_ref().map(|d| d.value.clone()),
                    })
                    .collect(),
            }
        })
        .collect()
}
