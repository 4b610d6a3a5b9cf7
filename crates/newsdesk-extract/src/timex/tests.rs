//! Data-driven tests of the tagger: each case is a text, a DCT and the
//! expressions found, one `text | TYPE | value` line each.

use expect_test::{expect, Expect};

use super::*;

fn check(text: &str, dct: &str, expected: Expect) {
    let dct: Option<Date> = dct.parse().ok();
    let found: Vec<String> = tagger()
        .tag(text, dct)
        .iter()
        .map(|t| {
            format!(
                "{} | {} | {}",
                &text[t.span.start..t.span.end],
                t.kind.as_str(),
                t.value.as_deref().unwrap_or("-")
            )
        })
        .collect();
    expected.assert_eq(&found.join("\n"));
}

#[test]
fn seeds_style_weekdays_resolve_by_tense() {
    // 003 is published on Friday 13 August 2021.
    check(
        "Herat fell on Thursday. The Taliban took Kandahar at dawn this Friday. Ministers will meet on Monday.",
        "2021-08-13",
        expect![[r#"
            Thursday | DATE | 2021-08-12
            dawn this Friday | TIME | 2021-08-13TMO
            Monday | DATE | 2021-08-16"#]],
    );
    check(
        "On Saturday, Mr Biden authorised 5,000 troops. Last Friday was calm.",
        "2021-08-15",
        expect![[r#"
            Saturday | DATE | 2021-08-14
            Last Friday | DATE | 2021-08-13"#]],
    );
}

#[test]
fn a_possessive_weekday_looks_back_whatever_the_tense() {
    // Published on Friday 7 January 2000: the ruling was Wednesday's.
    check(
        "They would look for ways around Wednesday\u{2019}s ruling. Friday's vote will follow.",
        "2000-01-07",
        expect![[r#"
            Wednesday | DATE | 2000-01-05
            Friday | DATE | 2000-01-07"#]],
    );
}

#[test]
fn anaphora_point_at_the_last_date_named() {
    check(
        "The fire broke out on March 3, 2021. Later that day the mayor spoke; the following year a memorial opened.",
        "2021-08-15",
        expect![[r#"
            March 3, 2021 | DATE | 2021-03-03
            Later that day | DATE | 2021-03-03
            the following year | DATE | 2022"#]],
    );
    // Nothing named before: unresolved, not guessed.
    check(
        "That day nobody spoke.",
        "2021-08-15",
        expect![[r#"
            That day | DATE | -"#]],
    );
}

#[test]
fn calendar_dates() {
    check(
        "the attacks of September 11, 2001, talks since September 2020, on 15 August 2021, on Aug. 7, and 2021-08-15",
        "2021-08-15",
        expect![[r#"
            September 11, 2001 | DATE | 2001-09-11
            September 2020 | DATE | 2020-09
            15 August 2021 | DATE | 2021-08-15
            Aug. 7 | DATE | 2021-08-07
            2021-08-15 | DATE | 2021-08-15"#]],
    );
    check(
        "in 1998, the 1990s, in early 2021, in mid-November, in March, last June",
        "1998-08-07",
        expect![[r#"
            1998 | DATE | 1998
            the 1990s | DATE | 199
            early 2021 | DATE | 2021
            mid-November | DATE | 1998-11
            March | DATE | 1998-03
            last June | DATE | 1998-06"#]],
    );
}

#[test]
fn relative_dates() {
    check(
        "today, yesterday, tomorrow, last week, this month, next year, two years ago, a year earlier",
        "1998-01-08",
        expect![[r#"
            today | DATE | 1998-01-08
            yesterday | DATE | 1998-01-07
            tomorrow | DATE | 1998-01-09
            last week | DATE | 1998-W01
            this month | DATE | 1998-01
            next year | DATE | 1999
            two years ago | DATE | 1996
            a year earlier | DATE | 1997"#]],
    );
    check(
        "the third quarter, third-quarter profit, the fourth quarter of 1990, this summer, now, recently, the future",
        "1989-10-26",
        expect![[r#"
            the third quarter | DATE | 1989-Q3
            third-quarter | DATE | 1989-Q3
            the fourth quarter of 1990 | DATE | 1990-Q4
            this summer | DATE | 1989-SU
            now | DATE | PRESENT_REF
            recently | DATE | PAST_REF
            the future | DATE | FUTURE_REF"#]],
    );
}

#[test]
fn durations_times_and_sets() {
    check(
        "within 24 to 48 hours, the past two months, several years, a five-year plan, twenty four hours, daily, every Thursday",
        "2021-08-13",
        expect![[r#"
            within 24 to 48 hours | DURATION | PT48H
            the past two months | DURATION | P2M
            several years | DURATION | PXY
            five-year | DURATION | P5Y
            twenty four hours | DURATION | PT24H
            daily | SET | P1D
            every Thursday | SET | XXXX-WXX-4"#]],
    );
    check(
        "at 7:15 p.m. EST, Friday morning, last night, this afternoon",
        "1998-02-12",
        expect![[r#"
            7:15 p.m. EST | TIME | 1998-02-12T19:15
            Friday morning | TIME | 1998-02-06TMO
            last night | TIME | 1998-02-11TNI
            this afternoon | TIME | 1998-02-12TAF"#]],
    );
}

#[test]
fn without_a_dct_relative_values_stay_unresolved() {
    check(
        "On Thursday, in 2001 and for two days.",
        "",
        expect![[r#"
            Thursday | DATE | -
            2001 | DATE | 2001
            two days | DURATION | P2D"#]],
    );
}

#[test]
fn offsets_are_bytes_of_the_text_as_given() {
    let text = "Émeutes — le 3 août? No: on Friday.";
    let times = tagger().tag(text, "2021-08-15".parse().ok());
    assert_eq!(times.len(), 1);
    assert_eq!(&text[times[0].span.start..times[0].span.end], "Friday");
}

#[test]
fn no_panic_on_odd_input() {
    for text in [
        "",
        "May",
        "Mayor May 40",
        "\u{feff}1999-13-45",
        "99:99 pm",
        "March 31st, 1900",
    ] {
        let _ = tagger().tag(text, "2021-02-28".parse().ok());
    }
}

#[test]
fn holidays_spoken_years_and_noon() {
    // Found on TBAQ: holidays and spoken years were missed, noon was `TMI`.
    check(
        "He arrived before Thanksgiving Day and left on Easter 2000. In nineteen ninety-six, talks began at noon Thursday. Sales will rise 2 1/2 years on.",
        "1999-12-03",
        expect![[r#"
            Thanksgiving Day | DATE | 1999-11-25
            Easter 2000 | DATE | 2000-04-23
            nineteen ninety-six | DATE | 1996
            noon Thursday | TIME | 1999-12-02T12:00
            2 1/2 years | DURATION | P2Y6M"#]],
    );
}

#[test]
fn months_lean_with_the_tense() {
    // Found on TBAQ: "filed in March", said in November, is this March;
    // a date just ahead stays ahead even in a past-tense sentence.
    check(
        "The suit was filed in March. Trading was halted until Nov. 16. The notes will mature in February.",
        "1989-11-02",
        expect![[r#"
            March | DATE | 1989-03
            Nov. 16 | DATE | 1989-11-16
            February | DATE | 1990-02"#]],
    );
}

#[test]
fn earnings_reports_refer_to_their_quarter() {
    // Found on TBAQ: a fiscal first quarter reported in October was
    // valued as the calendar third.
    check(
        "Sun earned $5 million in the fiscal first quarter. The quarter's sales rose from a year earlier. For the nine months, net fell from a year earlier.",
        "1989-10-26",
        expect![[r#"
            the fiscal first quarter | DATE | 1989-Q1
            The quarter | DATE | 1989-Q1
            a year earlier | DATE | 1988-Q1
            the nine months | DURATION | P9M
            a year earlier | DATE | 1988"#]],
    );
}
