//! Language identification with whatlang, reported as ISO 639-1 codes.

use whatlang::Lang;

/// Texts with fewer characters than this (after trimming) are not guessed:
/// trigram statistics over a few words are noise.
const MIN_CHARS: usize = 20;

/// Only this many leading bytes are looked at: a few pages of text settle
/// the language, and a huge input should not cost more.
const MAX_BYTES: usize = 16 * 1024;

/// The confidence below which a guess is not reported. whatlang's own
/// `is_reliable` asks for more than 0.9, which short but clear news
/// paragraphs often miss; half-way keeps those and still drops guesses
/// that are close to a tie between two languages.
const CONFIDENCE_FLOOR: f64 = 0.5;

/// The language of `text` as an ISO 639-1 code (`"en"`, `"es"`), or `None`
/// when the text is too short (under 20 characters) or the guess is not
/// confident enough.
///
/// ```
/// use newsdesk_text::language::detect;
///
/// assert_eq!(
///     detect("The council voted on Tuesday to close the old bridge for repairs.").as_deref(),
///     Some("en")
/// );
/// assert_eq!(detect("Hi there"), None);
/// ```
pub fn detect(text: &str) -> Option<String> {
    let text = text.trim();
    if text.chars().count() < MIN_CHARS {
        return None;
    }
    let info = whatlang::detect(prefix(text, MAX_BYTES))?;
    if !info.is_reliable() && info.confidence() < CONFIDENCE_FLOOR {
        return None;
    }
    iso_639_1(info.lang()).map(str::to_owned)
}

/// The longest prefix of `text` of at most `max` bytes that ends on a
/// character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The ISO 639-1 code of a whatlang language, for every language whatlang
/// knows that has one (Mandarin is reported as `zh`, Iranian Persian as
/// `fa`, Bokmål as `nb`).
fn iso_639_1(lang: Lang) -> Option<&'static str> {
    let code = match lang {
        Lang::Afr => "af",
        Lang::Aka => "ak",
        Lang::Amh => "am",
        Lang::Ara => "ar",
        Lang::Aze => "az",
        Lang::Bel => "be",
        Lang::Ben => "bn",
        Lang::Bul => "bg",
        Lang::Cat => "ca",
        Lang::Ces => "cs",
        Lang::Cmn => "zh",
        Lang::Cym => "cy",
        Lang::Dan => "da",
        Lang::Deu => "de",
        Lang::Ell => "el",
        Lang::Eng => "en",
        Lang::Epo => "eo",
        Lang::Est => "et",
        Lang::Fin => "fi",
        Lang::Fra => "fr",
        Lang::Guj => "gu",
        Lang::Heb => "he",
        Lang::Hin => "hi",
        Lang::Hrv => "hr",
        Lang::Hun => "hu",
        Lang::Hye => "hy",
        Lang::Ind => "id",
        Lang::Ita => "it",
        Lang::Jav => "jv",
        Lang::Jpn => "ja",
        Lang::Kan => "kn",
        Lang::Kat => "ka",
        Lang::Khm => "km",
        Lang::Kor => "ko",
        Lang::Lat => "la",
        Lang::Lav => "lv",
        Lang::Lit => "lt",
        Lang::Mal => "ml",
        Lang::Mar => "mr",
        Lang::Mkd => "mk",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Nld => "nl",
        Lang::Nob => "nb",
        Lang::Ori => "or",
        Lang::Pan => "pa",
        Lang::Pes => "fa",
        Lang::Pol => "pl",
        Lang::Por => "pt",
        Lang::Ron => "ro",
        Lang::Rus => "ru",
        Lang::Sin => "si",
        Lang::Slk => "sk",
        Lang::Slv => "sl",
        Lang::Sna => "sn",
        Lang::Spa => "es",
        Lang::Srp => "sr",
        Lang::Swe => "sv",
        Lang::Tam => "ta",
        Lang::Tel => "te",
        Lang::Tgl => "tl",
        Lang::Tha => "th",
        Lang::Tuk => "tk",
        Lang::Tur => "tr",
        Lang::Ukr => "uk",
        Lang::Urd => "ur",
        Lang::Uzb => "uz",
        Lang::Vie => "vi",
        Lang::Yid => "yi",
        Lang::Zul => "zu",
        #[allow(unreachable_patterns)]
        _ => return None,
    };
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<&str>) {
        assert_eq!(detect(text).as_deref(), expected, "{text:?}");
    }

    #[test]
    fn common_languages() {
        check(
            "The city council met on Monday and agreed to rebuild the flooded market before winter.",
            Some("en"),
        );
        check(
            "El ayuntamiento se reunió el lunes y acordó reconstruir el mercado inundado antes del invierno.",
            Some("es"),
        );
        check(
            "Le conseil municipal s'est réuni lundi et a décidé de reconstruire le marché inondé avant l'hiver.",
            Some("fr"),
        );
        check(
            "Der Stadtrat hat am Montag beschlossen, den überfluteten Markt vor dem Winter wieder aufzubauen.",
            Some("de"),
        );
        check(
            "Городской совет в понедельник решил восстановить затопленный рынок до наступления зимы.",
            Some("ru"),
        );
    }

    #[test]
    fn too_short_or_no_language() {
        check("", None);
        check("   \n\t ", None);
        check("Bridge closed", None);
        check("1234567890 !!! ??? 1234567890 ... ---", None);
    }

    #[test]
    fn every_whatlang_language_has_a_two_letter_code() {
        for lang in Lang::all() {
            let code = iso_639_1(*lang);
            assert!(code.is_some_and(|c| c.len() == 2), "{lang:?}");
        }
    }

    #[test]
    fn prefix_stays_on_char_boundaries() {
        let text = "ééééé";
        assert_eq!(prefix(text, 3), "é");
        assert_eq!(prefix(text, 4), "éé");
        assert_eq!(prefix(text, 100), text);
    }
}
