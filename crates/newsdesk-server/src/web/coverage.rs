//! The coverage chart of a story: which outlet reported when, who was
//! first, which copies are reprints, as an SVG drawn on the server.

use std::collections::BTreeMap;

use maud::{html, Markup};
use newsdesk_desk::sources::Sources;
use newsdesk_desk::story::StoryReport;

/// One report on the chart.
struct Dot<'a> {
    outlet: &'a str,
    date: String,
    article: &'a str,
    reprint: bool,
}

/// Width of the outlet labels, then of the time axis, in SVG units.
const LABEL: f64 = 150.0;
const AXIS: f64 = 420.0;
const ROW: f64 = 22.0;

/// The chart: one row per outlet, each report a dot at its publication
/// date (reprints hollow), the first report ringed. Undated reports sit at
/// the right edge, marked "undated".
pub(crate) fn chart(report: &StoryReport) -> Markup {
    let dots = dots(&report.sources);
    let mut outlets: Vec<&str> = Vec::new();
    for d in &dots {
        if !outlets.contains(&d.outlet) {
            outlets.push(d.outlet);
        }
    }
    let dates: Vec<&str> = {
        let mut dates: Vec<&str> = dots
            .iter()
            .map(|d| d.date.as_str())
            .filter(|d| !d.is_empty())
            .collect();
        dates.sort_unstable();
        dates.dedup();
        dates
    };
    let x_of: BTreeMap<&str, f64> = dates
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let x = if dates.len() == 1 {
                LABEL + AXIS / 2.0
            } else {
                LABEL + 10.0 + (AXIS - 20.0) * i as f64 / (dates.len() - 1) as f64
            };
            (*d, x)
        })
        .collect();
    let first = dots
        .iter()
        .filter(|d| !d.reprint && !d.date.is_empty())
        .min_by(|a, b| a.date.cmp(&b.date))
        .map(|d| d.article);
    let height = ROW * outlets.len() as f64 + 30.0;
    let width = LABEL + AXIS + 60.0;
    html! {
        svg class="coverage" viewBox=(format!("0 0 {width} {height}")) role="img"
            aria-labelledby="coverage-title" {
            title id="coverage-title" {
                "Coverage: " (outlets.len()) " outlet(s), " (dots.len()) " report(s) over "
                (dates.len()) " day(s)"
            }
            @for (row, outlet) in outlets.iter().enumerate() {
                @let y = ROW * row as f64 + ROW / 2.0 + 4.0;
                text x="4" y=(y + 4.0) { (truncate(outlet, 22)) }
                line class="axis" x1=(LABEL) y1=(y) x2=(LABEL + AXIS) y2=(y) {}
                @for d in dots.iter().filter(|d| d.outlet == *outlet) {
                    @let x = x_of.get(d.date.as_str()).copied().unwrap_or(LABEL + AXIS + 30.0);
                    @let class = match (d.reprint, Some(d.article) == first) {
                        (true, _) => "reprint",
                        (false, true) => "report first",
                        (false, false) => "report",
                    };
                    circle class=(class) cx=(x) cy=(y) r="5" {
                        title {
                            (d.outlet) ", " (if d.date.is_empty() { "undated" } else { d.date.as_str() })
                            @if d.reprint { " (reprint)" }
                            @if Some(d.article) == first { " (first report)" }
                        }
                    }
                }
            }
            @let axis_y = ROW * outlets.len() as f64 + 20.0;
            @for (d, x) in &x_of {
                text x=(x - 28.0) y=(axis_y) { (d) }
            }
            @if dots.iter().any(|d| d.date.is_empty()) {
                text x=(LABEL + AXIS + 8.0) y=(axis_y) { "undated" }
            }
        }
    }
}

fn dots(sources: &Sources) -> Vec<Dot<'_>> {
    let mut dots = Vec::new();
    for s in sources.iter() {
        dots.push(Dot {
            outlet: if s.outlet_known {
                s.outlet.as_str()
            } else {
                "unknown outlet"
            },
            date: s.date.map(|d| d.to_string()).unwrap_or_default(),
            article: s.article_id.as_str(),
            reprint: false,
        });
        for r in &s.reprinted_by {
            dots.push(Dot {
                outlet: r.outlet.as_deref().unwrap_or("unknown outlet"),
                date: r.date.map(|d| d.to_string()).unwrap_or_default(),
                article: r.article_id.as_str(),
                reprint: true,
            });
        }
    }
    dots
}

/// At most `n` characters, with an ellipsis when cut.
pub(crate) fn truncate(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(n.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
