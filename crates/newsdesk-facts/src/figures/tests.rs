//! The figures' unit tests: what each step finds and leaves out.

use newsdesk_model::Span;

use super::figures;

fn show(text: &str) -> Vec<String> {
    figures(text, &[])
        .iter()
        .map(|f| {
            format!(
                "{} | {} | {} | {} | {}",
                f.value,
                f.text,
                f.modifier.as_deref().unwrap_or("-"),
                f.counted,
                f.unit.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn currencies_and_units_are_normalised() {
    let found = figures(
        "The fund pledged $5m in aid and \u{20ac}2bn for repairs; US$40 went missing, \
         USD 300 more. The flood covered 12 miles of road and 400 acres, 5 km from the dam.",
        &[],
    );
    let got: Vec<(f64, &str, Option<&str>, Option<f64>)> = found
        .iter()
        .map(|f| (f.value, f.counted.as_str(), f.unit.as_deref(), f.normalized))
        .collect();
    assert_eq!(got[0], (5e6, "aid", Some("USD"), None));
    assert_eq!(got[1], (2e9, "repairs", Some("EUR"), None));
    assert_eq!((got[2].0, got[2].2), (40.0, Some("USD")));
    assert_eq!((got[3].0, got[3].2), (300.0, Some("USD")));
    assert_eq!((got[4].0, got[4].1, got[4].2), (12.0, "road", Some("km")));
    assert!((got[4].3.unwrap_or(0.0) - 19.312).abs() < 0.001, "{got:?}");
    assert_eq!(got[5].2, Some("ha"));
    assert_eq!((got[6].0, got[6].2, got[6].3), (5.0, Some("km"), None));
    // Spans cover the number and its glued scale, not the symbol.
    assert_eq!(found[0].text, "$5m");
    // "5m" without a currency is not five million.
    assert!(figures("a wall 5m high", &[]).is_empty());
}

#[test]
fn digits_words_scales_and_modifiers() {
    assert_eq!(
        show("At least 183 civilians were killed and about 360,000 people displaced."),
        [
            "183 | 183 | at least | civilians | -",
            "360000 | 360,000 | about | people | -"
        ]
    );
    assert_eq!(
        show("The US dispatched three thousand soldiers; 5 million dollars and a dozen trucks."),
        [
            "3000 | three thousand | - | soldiers | -",
            "5000000 | 5 million | - |  | USD",
            "12 | dozen | - | trucks | -"
        ]
    );
    assert_eq!(
        show("Turnout rose 12% to 64 percent."),
        ["12 | 12% | - |  | %", "64 | 64 | - |  | %"]
    );
}

#[test]
fn a_ratio_marks_its_whole() {
    let found = figures("They took 26 of the country's 34 provincial capitals.", &[]);
    assert_eq!((found[0].total, found[1].total), (false, true));
    // A curly apostrophe splits "country’s" in two tokens; still a ratio.
    let curly = figures(
        "They took 26 of the country\u{2019}s 34 provincial capitals.",
        &[],
    );
    assert_eq!((curly[0].total, curly[1].total), (false, true));
    assert_eq!(curly[0].counted, "provincial capitals");
}

#[test]
fn ages_count_years() {
    assert_eq!(
        show("A 22-year-old student was hurt."),
        ["22 | 22-year-old | - | student | years"]
    );
}

#[test]
fn ranges_and_ratios_give_each_bound() {
    // The first bound of a range counts what the second counts.
    assert_eq!(
        show("Between 40 and 45 villages are flooded, 120 to 150 homes."),
        [
            "40 | 40 | - | villages | -",
            "45 | 45 | - | villages | -",
            "120 | 120 | - | homes | -",
            "150 | 150 | - | homes | -"
        ]
    );
    // A range of time is a duration, not two figures.
    assert!(show("Troops will arrive in the next 24 to 48 hours.").is_empty());
    assert_eq!(
        show("The Taliban took 26 of the country's 34 provincial capitals."),
        [
            "26 | 26 | - | provincial capitals | -",
            "34 | 34 | - | provincial capitals | -"
        ]
    );
}

#[test]
fn compounds_fractions_ages_and_what_is_not_a_figure() {
    let got = |text: &str| -> Vec<(f64, String)> {
        figures(text, &[])
            .into_iter()
            .map(|f| {
                (
                    (f.value * 1000.0).round() / 1000.0,
                    f.unit.unwrap_or_default(),
                )
            })
            .collect()
    };
    assert_eq!(
        got(
            "The 600-member council, a two-story house, a 63-percent share, the 40-kilometer road."
        ),
        [
            (600.0, String::new()),
            (2.0, String::new()),
            (63.0, "%".to_string()),
            (40.0, "km".to_string())
        ]
    );
    assert_eq!(
        got("Two-thirds of voters and three-tenths of a percent; half a million people."),
        [
            (0.667, String::new()),
            (0.3, "%".to_string()),
            (500000.0, String::new())
        ]
    );
    assert_eq!(
        got("Most were 13 to 18 year olds."),
        [(13.0, String::new()), (18.0, String::new())]
    );
    // Durations, clock times, vague amounts and names.
    assert!(
        got("After three and a half hours and a three- to four-week period, two seasons on.")
            .is_empty()
    );
    assert!(got("Alerted at 11 : 43 p.m.( 2243 GMT) Thursday, 9 p.m. local.").is_empty());
    assert!(got("Several dozen friends watched Channel 2 and Flight 990 news.").is_empty());
    assert!(got("A rally of the Three Percenters was held.").is_empty());
    assert_eq!(
        got("Thirty-five percent of staff; Five Guys sold 40 burgers."),
        [(35.0, "%".to_string()), (40.0, String::new())]
    );
}

#[test]
fn years_ordinals_names_and_excluded_spans_are_not_figures() {
    assert!(show("In 2021, the G-20 met for the 3rd time since 1999.").is_empty());
    let text = "On 15 August 600 British troops arrived.";
    let date = text
        .find("15 August")
        .map(|s| Span::new(s, s + 9))
        .expect("date");
    let found = figures(text, &[date]);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].value, found[0].counted.as_str()),
        (600.0, "British troops")
    );
    assert!(show("No one came; one of them left.").is_empty());
}

#[test]
fn spans_point_into_the_text_whatever_its_characters() {
    let text = "Über 1,200 Menschen — “about 900 cubic metres” per second.";
    for f in figures(text, &[]) {
        assert_eq!(&text[f.start..f.end], f.text);
    }
}

#[test]
fn a_vote_tally_a_rate_and_a_place_word_read_as_what_they_are() {
    // Desk review: "5-to-4 to-4", "38 villages along", volume and flow as
    // one figure.
    assert_eq!(
        show("The court ruled 5-to-4 on Monday."),
        ["5 | 5-to-4 | - | vote | -"]
    );
    assert_eq!(
        show("Warnings are in force for 38 villages along the river."),
        ["38 | 38 | - | villages | -"]
    );
    assert_eq!(
        show("The dam holds 40 million cubic metres of water; it left at about 900 cubic metres per second."),
        [
            "40000000 | 40 million | - | water | m3",
            "900 | 900 | about |  | m3/s"
        ]
    );
}
