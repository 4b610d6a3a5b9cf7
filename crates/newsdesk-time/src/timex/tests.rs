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

#[test]
fn tbaq_earnings_periods_named_by_year_and_possessive() {
    // TBAQ wsj_0344, wsj_0585, wsj_0376, wsj_1013, wsj_0904: "the 1988
    // quarter" and "last year's quarter" were the year alone, "next year's
    // first quarter" the year, "the quarter a year ago" this year's.
    check(
        "Profit fell in the third quarter. It compared with the 1988 quarter and with last year's quarter; \
         for the quarter a year ago it earned more. The spinoff is due as early as next year's first quarter. \
         For the nine months, net fell from the 1988 period. Net for the year-earlier nine months rose.",
        "1989-11-01",
        expect![[r#"
            the third quarter | DATE | 1989-Q3
            the 1988 quarter | DATE | 1988-Q3
            last year's quarter | DATE | 1988-Q3
            the quarter a year ago | DATE | 1988-Q3
            next year's first quarter | DATE | 1990-Q1
            the nine months | DURATION | P9M
            the 1988 period | DATE | 1988
            the year-earlier nine months | DURATION | P9M"#]],
    );
    // TBAQ CNN19980126.1600.1104: in January, "the fourth quarter" was
    // this year's, not the one just reported.
    check(
        "AT&T said profit rose in the fourth quarter. The current quarter will be weaker; sales in the current fiscal year will grow.",
        "1998-01-26",
        expect![[r#"
            the fourth quarter | DATE | 1997-Q4
            The current quarter | DATE | 1998-Q1
            the current fiscal year | DATE | 1998"#]],
    );
}

#[test]
fn tbaq_skips_and_small_expressions() {
    // TBAQ: "a year-earlier loss" was a set ("a year"), "the last half of
    // 1989" H4, "2082.1" a year, "high noon" a time, "March for Life" a
    // month, and "mid-afternoon yesterday" lost its part of the day.
    check(
        "It compared with a year-earlier loss. Sales in the last half of 1989 rose; the index closed at 2082.1. \
         High noon comes today at the March for Life. In London at mid-afternoon yesterday shares rose. \
         Imports are about three-quarters of its food; a second group formed minutes apart.",
        "1989-11-02",
        expect![[r#"
            a year-earlier | DATE | 1988-Q3
            the last half of 1989 | DATE | 1989-H2
            today | DATE | 1989-11-02
            mid-afternoon yesterday | TIME | 1989-11-01TAF"#]],
    );
    check(
        "The 11th century temple; the winter of nineteen ninety-four; several years ago; \
         a minute and a half later; Eight trading days after; each July; Tuesday nights; \
         in recent years; at the then current price; a hearing the week of March 6; Easter week; For the week, it fell.",
        "2000-02-24",
        expect![[r#"
            The 11th century | DATE | 10
            the winter of nineteen ninety-four | DATE | 1994-WI
            several years ago | DATE | PAST_REF
            a minute and a half | DURATION | PT1M30S
            Eight trading days | DURATION | P8D
            each July | SET | XXXX-07
            Tuesday nights | SET | XXXX-WXX-2TNI
            recent years | DATE | PAST_REF
            then current | DATE | PAST_REF
            the week of March 6 | DATE | 2000-W10
            Easter week | DATE | 2000-W16
            the week | DATE | 2000-WXX"#]],
    );
}

#[test]
fn tbaq_anchors_of_weekdays_months_and_day_anaphora() {
    // TBAQ wsj_0586: "the previous Friday" counts from the Friday just
    // named, not from the DCT. APW20000405.0276: a quoted plan keeps its
    // future tense whatever the attribution says. ABC19980304: a future
    // sentence in March names this December. APW19990206.0090: "that same
    // day" after a month has an unknown day.
    check(
        "Shares closed Friday 4.5% below the previous Friday. ''He will leave at 4 a.m. EDT Thursday,'' Castro said.",
        "1989-10-30",
        expect![[r#"
            Friday | DATE | 1989-10-27
            the previous Friday | DATE | 1989-10-20
            4 a.m. EDT Thursday | TIME | 1989-11-02T04:00"#]],
    );
    check(
        "Collins will be named commander for a mission in December. It happened in October 1998; that same day police came.",
        "1998-03-04",
        expect![[r#"
            December | DATE | 1998-12
            October 1998 | DATE | 1998-10
            that same day | DATE | 1998-10-XX"#]],
    );
}

#[test]
fn tbaq_narrative_months_fiscal_ends_and_vague_periods() {
    // TBAQ wsj_0786, NYT19981025.0188: an opening "In January," in October
    // was next January; wsj_0505: "the fiscal year ended Jan. 31" too.
    // wsj_0791, wsj_1003: quarters as a length are `Q`, "coming quarters"
    // the future (HeidelTime's conventions, the annotators' too).
    check(
        "In January, the company hired a chief. In the fiscal year ended Jan. 31, sales rose. \
         Profit fell in the past two quarters and will recover in coming quarters.",
        "1989-10-27",
        expect![[r#"
            January | DATE | 1989-01
            the fiscal year | DURATION | P1Y
            Jan. 31 | DATE | 1989-01-31
            the past two quarters | DURATION | P2Q
            coming quarters | DATE | FUTURE_REF"#]],
    );
    // The future keeps its direction: an opening "In January," that plans.
    check(
        "In January, the company will open a plant.",
        "1989-10-27",
        expect![[r#"
            January | DATE | 1990-01"#]],
    );
}
