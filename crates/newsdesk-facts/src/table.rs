//! The fact table of a story: figures about the same thing lined up across
//! outlets, each group marked corroborated, single source, changed over
//! time or disputed; quotes (direct and reported) grouped by speaker, the
//! same quote from several outlets merged; and the statements of different
//! outlets that contradict each other.

use std::collections::BTreeMap;

use newsdesk_model::Document;
use newsdesk_text::words::Stemmer;
use newsdesk_time::DatedDocument;
use serde::Serialize;

use crate::contradictions::{claims, contradictions, ArticleClaims, Claim, Contradiction};
use crate::figures::{figures, Figure, FigureKind};
use crate::quotes::{paraphrases, quotes, Quote, QuoteKind};
use crate::speakers::Named;

/// One article's figures and quotes, dated and attributed.
#[derive(Debug, Clone)]
pub struct ArticleFacts {
    /// The article's id.
    pub article: String,
    /// Its outlet, if known.
    pub outlet: Option<String>,
    /// Its figures, each with the date it refers to and its actor.
    pub figures: Vec<DatedFigure>,
    /// Its direct quotes, then its paraphrases.
    pub quotes: Vec<Quote>,
    /// What its sentences claim happened or did not (for contradictions).
    pub claims: Vec<Claim>,
}

/// A figure with the date its sentence refers to and whose it is.
#[derive(Debug, Clone)]
pub struct DatedFigure {
    /// The figure.
    pub figure: Figure,
    /// The date it refers to (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`): its
    /// sentence's event date, else the article's publication date.
    pub date: Option<String>,
    /// Whose it is ("US", "UK", "Taliban"), from the counted phrase or the
    /// words before the number in its sentence.
    pub actor: Option<String>,
    /// Who the article says gave it ("according to the UN", "the Pentagon
    /// said"): the speaker of the quote or paraphrase it stands in.
    pub source: Option<String>,
    /// The day of the week its sentence names (1 Monday … 7 Sunday), which
    /// orders figures of undated articles.
    pub weekday: Option<u8>,
}

/// Words between two figures of a sentence that make the second an
/// earlier value of the first ("3,000 people, up from 1,200").
const COMPARED: &[&str] = &[
    "up from",
    "down from",
    "compared with",
    "compared to",
    "from",
    "rising from",
    "falling from",
];

/// A figure that counts nothing, after "up from", "down from" … a figure
/// of its sentence, counts what that one counts ("about 3,000 people had
/// been evacuated, up from 1,200 on Thursday").
fn inherit_compared(text: &str, found: &mut [Figure]) {
    for i in 1..found.len() {
        let (head, tail) = found.split_at_mut(i);
        let (before, figure) = (&head[i - 1], &mut tail[0]);
        if !figure.counted.is_empty() || before.counted.is_empty() {
            continue;
        }
        let Some(between) = text.get(before.end..figure.start) else {
            continue;
        };
        let lower = between.to_ascii_lowercase();
        let compared = lower.len() < 80
            && !lower.contains(['.', ';', '\n'])
            && COMPARED.iter().any(|w| lower.trim_end().ends_with(w));
        if compared {
            figure.earlier = true;
            figure.counts_what(before);
            figure.kind = before.kind;
        }
    }
}

/// The day a time expression of the figure's own clause names ("1,200 on
/// Thursday", "By Friday evening about 3,000"): the clause runs between
/// the commas, semicolons and sentence ends around the figure.
fn own_time(
    text: &str,
    times: &[newsdesk_time::timex::Timex],
    figure: &Figure,
    sentence: newsdesk_model::Span,
) -> Option<String> {
    let head = text.get(sentence.start..figure.start)?;
    let from = sentence.start + head.rfind([',', ';']).map_or(0, |i| i + 1);
    let tail = text.get(figure.end..sentence.end)?;
    let to = figure.end + tail.find([',', ';']).unwrap_or(tail.len());
    times
        .iter()
        .filter(|t| t.span.start >= from && t.span.end <= to)
        .filter_map(|t| Some((t, t.day()?)))
        .min_by_key(|(t, _)| {
            if t.span.start >= figure.end {
                t.span.start - figure.end
            } else {
                figure.start.saturating_sub(t.span.end)
            }
        })
        .map(|(_, day)| day.to_string())
}

/// The day of the week a sentence names, 1 (Monday) to 7 (Sunday).
fn weekday_in(sentence: &str) -> Option<u8> {
    let days = crate::weekdays();
    sentence
        .split(|c: char| !c.is_alphabetic())
        .find_map(|w| days.iter().position(|d| w.eq_ignore_ascii_case(d)))
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// Actors named by the words before a figure or in what it counts, as
/// `word actor`: countries, their adjectives and institutions.
const ACTORS: &[(&str, &str)] = &[
    ("US", "US"),
    ("U.S.", "US"),
    ("U.S", "US"),
    ("American", "US"),
    ("Americans", "US"),
    ("Pentagon", "US"),
    ("Washington", "US"),
    ("States", "US"),
    ("UK", "UK"),
    ("U.K.", "UK"),
    ("British", "UK"),
    ("Britain", "UK"),
    ("Kingdom", "UK"),
    ("UN", "UN"),
    ("Nations", "UN"),
    ("Taliban", "Taliban"),
    ("NATO", "NATO"),
    ("Nato", "NATO"),
];

/// Synonyms folded into one concept (stemmed head nouns).
const CONCEPTS: &[(&str, &str)] = &[("soldier", "troop"), ("forc", "troop")];

/// The actor in `words`, the last named.
fn actor_in(words: &str) -> Option<String> {
    words
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')'))
        .rev()
        .find_map(|w| {
            let w = w.trim_end_matches("'s").trim_end_matches('\u{2019}');
            ACTORS
                .iter()
                .find(|(k, _)| *k == w)
                .map(|(_, a)| (*a).to_string())
        })
}

/// The concept a figure counts: the stem of the counted phrase's last word,
/// synonyms folded ("U.S. troops" and "soldiers" are both `troop`).
pub fn concept(counted: &str, stemmer: &Stemmer) -> String {
    let head = counted
        .split_whitespace()
        .last()
        .unwrap_or("")
        .to_lowercase()
        .replace('\u{2019}', "'");
    let stem = stemmer.stem(&head).into_owned();
    CONCEPTS
        .iter()
        .find(|(k, _)| *k == stem)
        .map_or(stem, |(_, v)| (*v).to_string())
}

/// The figures and quotes of one dated document: each sentence's event
/// date dates its figures and claims, numbers inside its date and time
/// expressions are not figures; `names` are the persons, organisations and
/// places it mentions (for quote speakers and where claims are about).
pub fn article_facts(dated_doc: &DatedDocument, names: &[Named<'_>]) -> ArticleFacts {
    let doc: &Document = dated_doc.document();
    let dates: Vec<Option<String>> = dated_doc
        .sentence_dates()
        .iter()
        .map(|d| d.as_ref().map(|d| d.value.clone()))
        .collect();
    let exclude = dated_doc.time_spans();
    let exclude = exclude.as_slice();
    let text = doc.article.text.as_str();
    let published = doc.article.date.map(|d| d.to_string());
    let mut dated = Vec::new();
    let mut found = figures(text, exclude);
    inherit_compared(text, &mut found);
    for figure in found {
        let Some((k, sentence)) = doc
            .sentences
            .iter()
            .enumerate()
            .find(|(_, s)| s.span.start <= figure.start && figure.end <= s.span.end)
        else {
            continue;
        };
        let before = text.get(sentence.span.start..figure.start).unwrap_or("");
        let actor = actor_in(&figure.counted).or_else(|| actor_in(before));
        // The figure's own time ("1,200 on Thursday"), else its
        // sentence's, else the publication date.
        let date = own_time(text, dated_doc.times(), &figure, sentence.span)
            .or_else(|| dates.get(k).cloned().flatten())
            .or_else(|| published.clone());
        let weekday = weekday_in(
            text.get(sentence.span.start..sentence.span.end)
                .unwrap_or(""),
        );
        dated.push(DatedFigure {
            figure,
            date,
            actor,
            source: None,
            weekday,
        });
    }
    let sentences: Vec<newsdesk_model::Span> = doc.sentences.iter().map(|s| s.span).collect();
    // Quotes in body text only (a caption's quote is debris).
    let mut said: Vec<Quote> = quotes(text, names)
        .into_iter()
        .filter(|q| {
            sentences
                .iter()
                .any(|s| s.start <= q.start && q.start < s.end)
        })
        .collect();
    said.extend(paraphrases(text, &sentences, names));
    attribute_figures(&mut dated, &said);
    // A claim without a date of its own is of the day it was published.
    let claim_dates: Vec<Option<String>> = (0..sentences.len())
        .map(|k| {
            dates
                .get(k)
                .cloned()
                .flatten()
                .or_else(|| published.clone())
        })
        .collect();
    ArticleFacts {
        article: doc.article.id.to_string(),
        outlet: doc.article.source.clone(),
        figures: dated,
        quotes: said,
        claims: claims(text, &sentences, &claim_dates, names),
    }
}

/// Gives each figure the speaker of the first quote or paraphrase of
/// `said` that holds it as its source (none when none holds it).
pub(crate) fn attribute_figures(figures: &mut [DatedFigure], said: &[Quote]) {
    for f in figures {
        f.source = said
            .iter()
            .find(|q| q.start <= f.figure.start && f.figure.end <= q.end)
            .and_then(|q| q.speaker.clone());
    }
}

/// How outlets' figures about one thing relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = FigureStatus))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The same value from two or more outlets.
    Corroborated,
    /// One outlet only.
    SingleSource,
    /// Different values at different times.
    Changed,
    /// Different values at the same time.
    Disputed,
    /// Different values that agree: bounds or estimates that overlap
    /// ("at least 183" and "more than 200").
    Consistent,
}

/// The interval a value with its modifier allows ("at least 183": 183 or
/// more; "about 200": within a tenth of 200; "up to 50": 50 or less).
fn interval(v: &Value) -> (f64, f64) {
    let x = v.value;
    match v.modifier.as_deref().unwrap_or("") {
        "at least" | "more than" | "over" | "above" | "in excess of" | "upwards of"
        | "no fewer than" | "no less than" => (x, f64::INFINITY),
        "up to" | "at most" | "less than" | "fewer than" | "under" | "below" | "no more than" => {
            (0.0, x)
        }
        "nearly" | "almost" | "just under" => (x * 0.9, x),
        "just over" => (x, x * 1.1),
        "about" | "around" | "roughly" | "approximately" | "some" | "an estimated"
        | "estimated" => (x * 0.9, x * 1.1),
        _ => (x, x),
    }
}

/// Whether two values can both be true at once: their intervals overlap,
/// or they are the two bounds of one article's range.
fn agree(a: &Value, b: &Value) -> bool {
    let same_range = a.range
        && b.range
        && a.citations
            .iter()
            .any(|c| b.citations.iter().any(|d| d.article == c.article));
    let (x, y) = (interval(a), interval(b));
    same_range || (x.0 <= y.1 && y.0 <= x.1)
}

/// How two or more values of one figure relate, and what decided it:
/// values of different dates are a change; values of one date that agree
/// as bounds or estimates are consistent; otherwise they are disputed.
fn relation(values: &[Value]) -> (Status, Option<&'static str>) {
    let mut dates: Vec<&Option<String>> = values.iter().map(|v| &v.date).collect();
    dates.sort();
    dates.dedup();
    if dates.len() == values.len() && dates.iter().all(|d| d.is_some()) {
        return (Status::Changed, Some("dates"));
    }
    // Undated reports: the weekdays their sentences name, else the order
    // they came in, when each value has a report of its own.
    if values.iter().all(|v| v.date.is_none()) {
        let distinct = |keys: &mut Vec<usize>| {
            let n = keys.len();
            keys.sort_unstable();
            keys.dedup();
            keys.len() == n
        };
        let mut days: Vec<usize> = values
            .iter()
            .filter_map(|v| v.weekday.map(usize::from))
            .collect();
        if days.len() == values.len() && distinct(&mut days) {
            return (Status::Changed, Some("weekdays"));
        }
        let mut reports: Vec<usize> = values.iter().map(|v| v.first_report).collect();
        let own_reports = values.iter().all(|v| v.citations.len() == 1);
        if own_reports && distinct(&mut reports) {
            return (Status::Changed, Some("order of ingest (no dates)"));
        }
    }
    // Values of one date (or undated) must agree, unless an article gives
    // one as the other's earlier value ("from 10 to 15").
    let same_time = |a: &Value, b: &Value| a.date == b.date || a.date.is_none() || b.date.is_none();
    let told_apart = |a: &Value, b: &Value| {
        (a.earlier || b.earlier)
            && a.citations
                .iter()
                .any(|c| b.citations.iter().any(|d| d.article == c.article))
    };
    let differ = |told: bool| {
        values.iter().enumerate().any(|(i, a)| {
            values[i + 1..]
                .iter()
                .any(|b| same_time(a, b) && !agree(a, b) && told_apart(a, b) == told)
        })
    };
    if differ(false) {
        (Status::Disputed, Some("same date"))
    } else if differ(true) {
        (Status::Changed, Some("the text (from … to …)"))
    } else if dates.len() > 1 && dates.iter().all(|d| d.is_some()) {
        (Status::Changed, Some("dates"))
    } else {
        (Status::Consistent, Some("bounds"))
    }
}

/// An article cited for a value or quote.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = FactCitation))]
pub struct Citation {
    /// The article's id.
    pub article: String,
    /// Its outlet, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub outlet: Option<String>,
    /// The number of its source in the story's source legend, once the
    /// caller has numbered the story's sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub n: Option<usize>,
    /// Where the number or quote is in its text.
    pub start: usize,
    /// One past its end.
    pub end: usize,
}

/// One value of a figure group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = FigureValue))]
pub struct Value {
    /// The value (in the group's unit when it was written in another).
    pub value: f64,
    /// As one article wrote it, with its modifier and what it counts
    /// ("at least 183 civilians", "3,000 soldiers").
    pub text: String,
    /// Its modifier as that article wrote it ("at least", "about", "more
    /// than"), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub modifier: Option<String>,
    /// The earliest date it refers to, if known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub date: Option<String>,
    /// The day of the week its first report names, for undated reports.
    #[serde(skip)]
    pub weekday: Option<u8>,
    /// The position of its first article in ingest order.
    #[serde(skip)]
    pub first_report: usize,
    /// Whether it is a bound of a range its article gives.
    #[serde(skip)]
    pub range: bool,
    /// Whether its article gives it as an earlier value ("from 10 to
    /// 15", "up from 1,200").
    #[serde(skip)]
    pub earlier: bool,
    /// Who the outlets say gave it, when they say ("United Nations").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Every article reporting it.
    pub citations: Vec<Citation>,
}

/// [`Value`] under another name for its schema: utoipa's derive takes a
/// type named `Value` for "any JSON value".
#[cfg(feature = "openapi")]
type FigureValue = Value;

/// Figures about one thing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FigureGroup {
    /// What is counted: the head noun its outlets write most ("troops"
    /// for "soldiers" and "troops"), with the unit for measures and money
    /// ("student (years)", "aid (USD)").
    pub concept: String,
    /// Whose it is, when said.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub actor: Option<String>,
    /// How the values relate.
    pub status: Status,
    /// What decided a change or a dispute: "dates" (each value has its
    /// own date, from the publication or the text), "weekdays" (undated
    /// reports, ordered by the weekdays their sentences name), "order of
    /// ingest (no dates)" (undated reports in the order they came in),
    /// "the text (from … to …)" (an article gives one value as the
    /// other's earlier one),
    /// "same date" (values of one date differ), "bounds" (the values
    /// differ but their modifiers let them agree: "at least 183", "more
    /// than 200").
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub basis: Option<&'static str>,
    /// The values, by date then value.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<FigureValue>))]
    pub values: Vec<Value>,
}

/// One quote, merged across outlets.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteGroup {
    /// Who said it, when known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub speaker: Option<String>,
    /// A direct quote or a paraphrase (reported speech).
    pub kind: QuoteKind,
    /// The words, as the first article quoted them.
    pub text: String,
    /// Every article quoting it.
    pub citations: Vec<Citation>,
}

/// A story's facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facts {
    /// Figure groups, most cited first.
    pub figures: Vec<FigureGroup>,
    /// Quotes grouped by speaker (unknown speakers last), direct quotes
    /// before paraphrases.
    pub quotes: Vec<QuoteGroup>,
    /// Statements of different outlets that contradict each other, flagged
    /// only where the evidence is clear.
    pub contradictions: Vec<Contradiction>,
}

/// What figures are grouped by: the concept counted and whose it is.
type GroupKey = (String, Option<String>);

/// The fact table of a story's independent articles.
pub fn facts(articles: &[ArticleFacts]) -> Facts {
    let stemmer = Stemmer::new();
    // Group figures by (concept, actor); totals of ratios and figures that
    // count nothing are left out.
    let mut groups: BTreeMap<GroupKey, Vec<(usize, &DatedFigure)>> = BTreeMap::new();
    for (a, article) in articles.iter().enumerate() {
        for f in &article.figures {
            // A rate ("900 cubic metres per second") is known by its unit;
            // anything else by what it counts.
            let rate = f.figure.unit.as_deref().is_some_and(|u| u.contains('/'));
            if (f.figure.counted.is_empty() && !rate) || f.figure.total {
                continue;
            }
            // Ages and percentages are not counts of the same thing; nor
            // are the dead and the injured, or a forecast and what fell.
            let mut what = if rate {
                String::new()
            } else {
                concept(&f.figure.counted, &stemmer)
            };
            if let Some(unit) = &f.figure.unit {
                what = format!("{what} ({unit})");
            }
            if let Some(outcome) = &f.figure.outcome {
                what = format!("{what} [{outcome}]");
            }
            if !f.figure.kind.observed() {
                what = format!("{what} [{:?}]", f.figure.kind);
            }
            let key = (what, f.actor.clone());
            groups.entry(key).or_default().push((a, f));
        }
    }
    // A figure without an actor joins the one group of its concept that has
    // an actor, when there is exactly one.
    let unowned: Vec<GroupKey> = groups
        .keys()
        .filter(|(_, a)| a.is_none())
        .cloned()
        .collect();
    for key in unowned {
        let owners: Vec<GroupKey> = groups
            .keys()
            .filter(|(c, a)| *c == key.0 && a.is_some())
            .cloned()
            .collect();
        if let [owner] = owners.as_slice() {
            if let Some(moved) = groups.remove(&key) {
                groups.entry(owner.clone()).or_default().extend(moved);
            }
        }
    }
    let mut figure_groups: Vec<FigureGroup> = groups
        .into_iter()
        .map(|((key, actor), members)| {
            let concept = written_concept(&key, &members, &stemmer);
            group(concept, actor, &members, articles)
        })
        .collect();
    figure_groups.sort_by(|a, b| {
        let cited = |g: &FigureGroup| g.values.iter().map(|v| v.citations.len()).sum::<usize>();
        cited(b)
            .cmp(&cited(a))
            .then_with(|| a.concept.cmp(&b.concept))
    });
    Facts {
        figures: figure_groups,
        quotes: quote_groups(articles),
        contradictions: contradictions(
            &articles
                .iter()
                .map(|a| ArticleClaims {
                    article: &a.article,
                    outlet: a.outlet.as_deref(),
                    claims: &a.claims,
                })
                .collect::<Vec<_>>(),
        ),
    }
}

/// How a group's concept reads: its most written head noun (ties go to
/// the one the group's stem comes from, then the first alphabetically),
/// with the unit when there is one.
fn written_concept(key: &str, members: &[(usize, &DatedFigure)], stemmer: &Stemmer) -> String {
    let stem = key.split(' ').next().unwrap_or(key);
    // A rate's members may name it ("flow") or not.
    let stem = if stem.starts_with('(') { "" } else { stem };
    let mut heads: BTreeMap<String, usize> = BTreeMap::new();
    for (_, f) in members {
        if let Some(head) = f.figure.counted.split_whitespace().last() {
            *heads.entry(head.to_lowercase()).or_default() += 1;
        }
    }
    let best = heads
        .into_iter()
        .max_by(|(a, x), (b, y)| {
            let own = |h: &str| stemmer.stem(h) == stem;
            x.cmp(y).then(own(a).cmp(&own(b))).then(b.cmp(a))
        })
        .map_or_else(|| stem.to_string(), |(h, _)| h);
    let best = if best.is_empty() {
        "rate".to_string()
    } else {
        best
    };
    let first = members.first().map(|(_, f)| &f.figure);
    let mut written = match first.and_then(|f| f.unit.as_deref()) {
        Some(unit) => format!("{best} ({unit})"),
        None => best,
    };
    if let Some(outcome) = first.and_then(|f| f.outcome.as_deref()) {
        written = format!("{written} {outcome}");
    }
    match first.map(|f| f.kind) {
        Some(FigureKind::Forecast) => written.push_str(", forecast"),
        Some(FigureKind::Plan) => written.push_str(", plan"),
        Some(FigureKind::Target) => written.push_str(", target"),
        _ => {}
    }
    written
}

/// A figure as its article wrote it: its modifier ("at least"), the
/// number and what it counts ("at least 183 civilians").
fn as_written(figure: &crate::figures::Figure) -> String {
    let mut text = String::new();
    if let Some(modifier) = &figure.modifier {
        text.push_str(modifier);
        text.push(' ');
    }
    text.push_str(&figure.text);
    // A measure written in the unit it is compared in shows that unit
    // ("1,400 m3/s", "40 million m3 of water"); money and percentages
    // carry theirs in the number.
    let unit = figure.unit.as_deref().filter(|u| {
        figure.normalized.is_none() && *u != "%" && !u.chars().all(|c| c.is_ascii_uppercase())
    });
    if let Some(unit) = unit {
        text.push(' ');
        text.push_str(unit);
        if !figure.counted.is_empty() && !unit.contains('/') {
            text.push_str(" of");
        }
    }
    if !figure.counted.is_empty() && !unit.is_some_and(|u| u.contains('/')) {
        text.push(' ');
        text.push_str(&figure.counted);
    }
    text
}

fn group(
    concept: String,
    actor: Option<String>,
    members: &[(usize, &DatedFigure)],
    articles: &[ArticleFacts],
) -> FigureGroup {
    let mut by_value: BTreeMap<u64, Value> = BTreeMap::new();
    for &(a, f) in members {
        let article = &articles[a];
        // Values compare in their normalised unit (miles as km).
        let value = f.figure.normalized.unwrap_or(f.figure.value);
        let entry = by_value.entry(value.to_bits()).or_insert_with(|| Value {
            value,
            text: as_written(&f.figure),
            modifier: f.figure.modifier.clone(),
            date: f.date.clone(),
            weekday: f.weekday,
            first_report: a,
            range: f.figure.kind == FigureKind::Range,
            earlier: f.figure.earlier,
            sources: Vec::new(),
            citations: Vec::new(),
        });
        if let Some(source) = &f.source {
            if !entry.sources.contains(source) {
                entry.sources.push(source.clone());
            }
        }
        if f.date.is_some() && (entry.date.is_none() || f.date < entry.date) {
            entry.date.clone_from(&f.date);
        }
        if !entry.citations.iter().any(|c| c.article == article.article) {
            entry.citations.push(Citation {
                article: article.article.clone(),
                outlet: article.outlet.clone(),
                n: None,
                start: f.figure.start,
                end: f.figure.end,
            });
        }
    }
    let mut values: Vec<Value> = by_value.into_values().collect();
    // In time order: by date, then, for undated reports, by the weekday
    // they name and the order they came in.
    values.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then(b.earlier.cmp(&a.earlier))
            .then(a.weekday.cmp(&b.weekday))
            .then(a.first_report.cmp(&b.first_report))
            .then(a.value.total_cmp(&b.value))
    });
    let outlets = |v: &Value| {
        let mut o: Vec<String> = v
            .citations
            .iter()
            .map(|c| c.outlet.clone().unwrap_or_else(|| c.article.clone()))
            .collect();
        o.sort();
        o.dedup();
        o.len()
    };
    let (status, basis) = if values.len() == 1 {
        let status = if outlets(&values[0]) >= 2 {
            Status::Corroborated
        } else {
            Status::SingleSource
        };
        (status, None)
    } else {
        relation(&values)
    };
    FigureGroup {
        concept,
        actor,
        status,
        basis,
        values,
    }
}

fn quote_groups(articles: &[ArticleFacts]) -> Vec<QuoteGroup> {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let mut groups: Vec<(QuoteGroup, Vec<String>)> = Vec::new();
    for article in articles {
        for q in &article.quotes {
            let w = words(&q.text);
            let citation = Citation {
                article: article.article.clone(),
                outlet: article.outlet.clone(),
                n: None,
                start: q.start,
                end: q.end,
            };
            // The same quote: same kind, same speaker (or one unknown) and
            // most words shared.
            let same = groups.iter_mut().find(|(g, gw)| {
                let speakers_agree =
                    g.speaker == q.speaker || g.speaker.is_none() || q.speaker.is_none();
                let shared = w.iter().filter(|x| gw.contains(x)).count();
                g.kind == q.kind && speakers_agree && shared * 10 >= w.len().max(gw.len()) * 7
            });
            match same {
                Some((g, _)) => {
                    if g.speaker.is_none() {
                        g.speaker.clone_from(&q.speaker);
                    }
                    if !g.citations.iter().any(|c| c.article == citation.article) {
                        g.citations.push(citation);
                    }
                }
                None => groups.push((
                    QuoteGroup {
                        speaker: q.speaker.clone(),
                        kind: q.kind,
                        text: q.text.clone(),
                        citations: vec![citation],
                    },
                    w,
                )),
            }
        }
    }
    let mut out: Vec<QuoteGroup> = groups.into_iter().map(|(g, _)| g).collect();
    out.sort_by(|a, b| {
        match (&a.speaker, &b.speaker) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| (a.kind == QuoteKind::Paraphrase).cmp(&(b.kind == QuoteKind::Paraphrase)))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(value: f64, counted: &str, date: &str, actor: Option<&str>) -> DatedFigure {
        DatedFigure {
            figure: Figure {
                value,
                text: value.to_string(),
                start: 0,
                end: 1,
                modifier: None,
                counted: counted.to_string(),
                unit: None,
                normalized: None,
                total: false,
                outcome: None,
                kind: crate::figures::FigureKind::Reported,
                earlier: false,
            },
            date: Some(date.to_string()),
            actor: actor.map(str::to_string),
            source: None,
            weekday: None,
        }
    }

    fn article(id: &str, figures: Vec<DatedFigure>) -> ArticleFacts {
        ArticleFacts {
            article: id.to_string(),
            outlet: Some(format!("outlet-{id}")),
            figures,
            quotes: Vec::new(),
            claims: Vec::new(),
        }
    }

    #[test]
    fn statuses() {
        let table = facts(&[
            article(
                "a",
                vec![
                    fig(3000.0, "soldiers", "2021-08-12", Some("US")),
                    fig(600.0, "troops", "2021-08-13", Some("UK")),
                ],
            ),
            article(
                "b",
                vec![fig(5000.0, "U.S. troops", "2021-08-14", Some("US"))],
            ),
            article(
                "c",
                vec![
                    fig(600.0, "British troops", "2021-08-15", Some("UK")),
                    fig(40.0, "villages", "2021-08-15", None),
                ],
            ),
            article("d", vec![fig(45.0, "villages", "2021-08-15", None)]),
        ]);
        let status = |actor: Option<&str>, concept: &str| {
            table
                .figures
                .iter()
                .find(|g| g.actor.as_deref() == actor && g.concept == concept)
                .map(|g| g.status)
        };
        // "soldiers" and "troops" are one concept, read as the word most
        // written.
        assert_eq!(status(Some("US"), "troops"), Some(Status::Changed));
        assert_eq!(status(Some("UK"), "troops"), Some(Status::Corroborated));
        assert_eq!(status(None, "villages"), Some(Status::Disputed));
        let us = table
            .figures
            .iter()
            .find(|g| g.actor.as_deref() == Some("US"))
            .expect("US");
        assert_eq!(us.values[0].value, 3000.0);
    }

    /// The figures of one sentence as the figures stage reads them, dated
    /// `date` (or undated) and named after the weekday it names.
    fn read(text: &str, date: Option<&str>) -> Vec<DatedFigure> {
        figures(text, &[])
            .into_iter()
            .map(|figure| DatedFigure {
                figure,
                date: date.map(str::to_string),
                actor: None,
                source: None,
                weekday: weekday_in(text),
            })
            .collect()
    }

    fn group<'t>(table: &'t Facts, concept: &str) -> &'t FigureGroup {
        table
            .figures
            .iter()
            .find(|g| g.concept == concept)
            .unwrap_or_else(|| panic!("no {concept} in {table:?}"))
    }

    #[test]
    fn lower_bounds_that_overlap_are_consistent_not_disputed() {
        let table = facts(&[
            article(
                "a",
                read("At least 183 civilians were killed.", Some("2021-08-13")),
            ),
            article(
                "b",
                read("More than 200 civilians were killed.", Some("2021-08-13")),
            ),
        ]);
        let killed = group(&table, "civilians killed");
        assert_eq!(killed.status, Status::Consistent, "{killed:?}");
        assert_eq!(killed.values[0].text, "at least 183 civilians");
    }

    #[test]
    fn a_forecast_the_fallen_rain_and_a_flow_are_never_one_row() {
        let table = facts(&[article(
            "a",
            [
                read(
                    "Forecasters expect up to 25 inches of rain.",
                    Some("2017-08-27"),
                ),
                read(
                    "By Tuesday 30 inches of rain had fallen.",
                    Some("2017-08-27"),
                ),
                read(
                    "The reservoir holds 40 million cubic metres of water.",
                    Some("2017-08-27"),
                ),
                read(
                    "Water left at about 900 cubic metres per second.",
                    Some("2017-08-27"),
                ),
            ]
            .concat(),
        )]);
        assert_eq!(
            group(&table, "inches, forecast").values.len(),
            1,
            "{table:?}"
        );
        assert_eq!(group(&table, "inches").values.len(), 1, "{table:?}");
        assert_eq!(group(&table, "water (m3)").values.len(), 1, "{table:?}");
        assert_eq!(
            group(&table, "rate (m3/s)").values[0].text,
            "about 900 m3/s"
        );
    }

    #[test]
    fn the_dead_and_the_missing_are_different_figures() {
        let table = facts(&[article(
            "a",
            [
                read("Two people were reported missing.", Some("2025-03-15")),
                read(
                    "By Saturday 4,500 people had been evacuated.",
                    Some("2025-03-15"),
                ),
            ]
            .concat(),
        )]);
        assert_eq!(group(&table, "people missing").status, Status::SingleSource);
        assert_eq!(
            group(&table, "people evacuated").status,
            Status::SingleSource
        );
    }

    #[test]
    fn undated_reports_change_in_the_order_their_weekdays_or_their_arrival_give() {
        let table = facts(&[
            article(
                "a",
                read("The Pentagon said 3,000 troops would go on Thursday.", None),
            ),
            article("b", read("Biden raised it to 5,000 troops.", None)),
        ]);
        let troops = group(&table, "troops");
        assert_eq!(troops.status, Status::Changed);
        assert_eq!(troops.basis, Some("order of ingest (no dates)"));
        let table = facts(&[
            article("a", read("On Saturday 5,000 troops were sent.", None)),
            article("b", read("On Thursday 3,000 troops were sent.", None)),
        ]);
        let troops = group(&table, "troops");
        assert_eq!(troops.basis, Some("weekdays"), "{troops:?}");
        // Two values in one undated report are disputed.
        let table = facts(&[article(
            "a",
            [
                read("Officials said 40 villages flooded.", None),
                read("Police said 45 villages flooded.", None),
            ]
            .concat(),
        )]);
        assert_eq!(group(&table, "villages").status, Status::Disputed);
    }

    #[test]
    fn a_figure_compared_in_its_sentence_counts_the_same_and_takes_its_own_day() {
        let mut article = newsdesk_model::Article::new(
            "By Friday evening about 3,000 people had been evacuated, up from 1,200 on Thursday.",
        );
        article.date = Some(newsdesk_model::Date::constant(2025, 3, 15));
        let dated = DatedDocument::new(newsdesk_text::analyze(article));
        let found = article_facts(&dated, &[]);
        let got: Vec<(f64, &str, Option<&str>)> = found
            .figures
            .iter()
            .map(|f| (f.figure.value, f.figure.counted.as_str(), f.date.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (3000.0, "people", Some("2025-03-14")),
                (1200.0, "people", Some("2025-03-13"))
            ]
        );
        let table = facts(&[found]);
        let evacuated = group(&table, "people evacuated");
        assert_eq!(evacuated.status, Status::Changed, "{evacuated:?}");
    }

    #[test]
    fn the_bounds_of_a_range_agree() {
        let table = facts(&[article(
            "a",
            read(
                "Between 3,000 and 5,000 people were evacuated.",
                Some("2025-03-14"),
            ),
        )]);
        let evacuated = group(&table, "people evacuated");
        assert_eq!(evacuated.values.len(), 2, "{evacuated:?}");
        assert_eq!(evacuated.status, Status::Consistent, "{evacuated:?}");
    }

    #[test]
    fn a_change_written_in_one_sentence_is_a_change_not_a_dispute() {
        let table = facts(&[article(
            "a",
            read(
                "Officials raised the count from 10 to 15 villages.",
                Some("2025-03-14"),
            ),
        )]);
        let villages = group(&table, "villages");
        assert_eq!(villages.status, Status::Changed, "{villages:?}");
        assert_eq!(villages.basis, Some("the text (from … to …)"));
        assert_eq!(villages.values[0].value, 10.0);
        // Another outlet's different count the same day is still a dispute.
        let table = facts(&[
            article(
                "a",
                read(
                    "Officials raised the count from 10 to 15 villages.",
                    Some("2025-03-14"),
                ),
            ),
            article(
                "b",
                read("Police said 20 villages flooded.", Some("2025-03-14")),
            ),
        ]);
        assert_eq!(group(&table, "villages").status, Status::Disputed);
    }
}
