//! Numbers as written: digits ("3,000", "5.2", "$5"), number words
//! ("three", "thirty-five", "dozen", "half"), scales ("million", "bn") and
//! glued scales ("2bn", "$5m"), and the denominators of written fractions
//! ("two-thirds").

/// Number words and their values.
const SMALL: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("dozen", 12.0),
    ("half", 0.5),
];

/// Scale words and their factors ("5 million", "three thousand"); "m" and
/// "bn" as written apart from the number ("$5 m").
const SCALES: &[(&str, f64)] = &[
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("bn", 1e9),
    ("m", 1e6),
];

/// The value of a digit token ("3,000" → 3000, "5.2" → 5.2, "$5" → 5).
pub(super) fn digits(token: &str) -> Option<f64> {
    let t = token.trim_start_matches('$').trim_end_matches('%');
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // "3,000" but not "3,00" (a list of numbers) nor a decimal comma.
    let groups: Vec<&str> = t.split('.').next().unwrap_or("").split(',').collect();
    if groups.len() > 1 && groups[1..].iter().any(|g| g.len() != 3) {
        return None;
    }
    t.replace(',', "").parse().ok()
}

/// The value of a number word ("three", "thirty-five", "dozen", "half").
pub(super) fn word_value(word: &str) -> Option<f64> {
    let lower = word.to_ascii_lowercase();
    let small = |w: &str| SMALL.iter().find(|(x, _)| *x == w).map(|(_, v)| *v);
    // "thirty-five": tens and units joined by a hyphen.
    if let Some((tens, units)) = lower.split_once('-') {
        let (t, u) = (small(tens)?, small(units)?);
        return ((20.0..100.0).contains(&t) && t % 10.0 == 0.0 && (1.0..10.0).contains(&u))
            .then_some(t + u);
    }
    small(&lower)
}

/// The factor of a scale word ("million", "thousand", "bn").
pub(super) fn scale(word: &str) -> Option<f64> {
    let lower = word.to_ascii_lowercase();
    SCALES.iter().find(|(w, _)| *w == lower).map(|(_, v)| *v)
}

/// A number with a scale glued to it ("2bn", "$5m", "10k"): its value.
/// "m" and "k" only count as scales after a currency (`money`): "5m" alone
/// may be five metres.
pub(super) fn glued_scale(token: &str, money: bool) -> Option<f64> {
    let t = token.trim_start_matches('$');
    let at = t.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, suffix) = t.split_at(at);
    let factor = match suffix.to_ascii_lowercase().as_str() {
        "bn" => 1e9,
        "tn" => 1e12,
        "m" | "mn" if money => 1e6,
        "k" if money => 1e3,
        _ => return None,
    };
    Some(digits(number)? * factor)
}

/// Denominators of written fractions ("two-thirds", "three-tenths").
pub(super) fn denominator(word: &str) -> Option<f64> {
    let w = word.to_ascii_lowercase();
    let w = w.strip_suffix('s').unwrap_or(&w);
    Some(match w {
        "half" | "halve" => 2.0,
        "third" => 3.0,
        "quarter" => 4.0,
        "fifth" => 5.0,
        "sixth" => 6.0,
        "seventh" => 7.0,
        "eighth" => 8.0,
        "ninth" => 9.0,
        "tenth" => 10.0,
        _ => return None,
    })
}
