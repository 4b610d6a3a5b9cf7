//! Names as strings: the data tables of titles, demonyms and acronyms
//! (`data/names/`), and the keys and distances that decide whether two
//! spellings name the same thing.
//!
//! The keys follow JRC-Names (Steinberger et al. 2011, "JRC-Names: a
//! freely available, highly multilingual named entity resource"): fold
//! diacritics, case, hyphens and spaces, collapse doubled letters and drop
//! the vowels (and `h`, `w`, `y`) after the first letter, so that
//! transliteration variants such as "Zabiullah" / "Zabihullah",
//! "Mazar-e-Sharif" / "Mazar-i-Sharif" and "Mirza Kawal" / "Mirzakwal" get
//! one key. Keys only propose; [`similar_tokens`] and the callers' guards
//! (kind, first names) decide.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use crate::mention::Kind;

static TITLES: &str = include_str!("../data/names/titles.txt");
static DEMONYMS: &str = include_str!("../data/names/demonyms.txt");
static ALIASES: &str = include_str!("../data/names/aliases.txt");

/// The parsed tables.
pub(crate) struct Tables {
    titles: HashMap<String, ()>,
    demonyms: HashMap<String, String>,
    aliases: HashMap<String, (String, Kind)>,
}

fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Tables {
    fn parse() -> Tables {
        let titles = data_lines(TITLES).map(|l| (l.to_lowercase(), ())).collect();
        let demonyms = data_lines(DEMONYMS)
            .filter_map(|l| l.split_once('\t'))
            .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
            .collect();
        let aliases = data_lines(ALIASES)
            .filter_map(|l| {
                let mut parts = l.split('\t');
                let short = parts.next()?.trim();
                let long = parts.next()?.trim();
                let kind = Kind::parse(parts.next()?.trim())?;
                Some((short.to_string(), (long.to_string(), kind)))
            })
            .collect();
        Tables {
            titles,
            demonyms,
            aliases,
        }
    }

    /// The tables, parsed once.
    pub(crate) fn get() -> &'static Tables {
        static CELL: OnceLock<Tables> = OnceLock::new();
        CELL.get_or_init(Tables::parse)
    }

    /// Whether `word` is a title or honorific ("Mr.", "President").
    pub(crate) fn is_title(&self, word: &str) -> bool {
        let word = word.strip_suffix('.').unwrap_or(word);
        !word.is_empty() && self.titles.contains_key(&word.to_lowercase())
    }

    /// The place a demonym refers to ("American" -> "United States").
    pub(crate) fn demonym(&self, word: &str) -> Option<&str> {
        self.demonyms.get(word).map(String::as_str)
    }

    /// The expansion and kind of a known acronym or short form.
    pub(crate) fn alias(&self, name: &str) -> Option<(&str, Kind)> {
        let name = name.strip_suffix('.').unwrap_or(name);
        self.aliases.get(name).map(|(n, k)| (n.as_str(), *k))
    }
}

/// `text` lower-cased with diacritics removed (NFD, combining marks
/// dropped) and typographic apostrophes straightened.
pub(crate) fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == '\u{2019}' { '\'' } else { c })
        .collect()
}

/// Particles that attach to names in transliteration ("al-Jalali", "bin
/// Laden") and are left out when names are compared.
const PARTICLES: &[&str] = &["al", "el", "ul", "ud", "ad", "bin", "ibn", "bint"];

/// The comparable tokens of a name: folded, split at spaces, hyphens and
/// dots, possessive `'s` dropped, particles left out.
pub(crate) fn name_tokens(name: &str) -> Vec<String> {
    let folded = fold(name);
    let folded = folded.strip_suffix("'s").unwrap_or(&folded);
    folded
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|t| t.trim_matches('\''))
        .filter(|t| !t.is_empty() && !PARTICLES.contains(t))
        .map(str::to_string)
        .collect()
}

/// The JRC-Names-style skeleton of some tokens: joined, first letter kept,
/// later vowels and `h`/`w`/`y` dropped, doubled letters collapsed.
pub(crate) fn skeleton(tokens: &[String]) -> String {
    let mut out = String::new();
    let mut first = true;
    let mut last = '\0';
    for c in tokens.iter().flat_map(|t| t.chars()) {
        if !c.is_alphanumeric() {
            continue;
        }
        let keep = first || !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'h' | 'w' | 'y');
        first = false;
        if keep && c != last {
            out.push(c);
            last = c;
        }
    }
    out
}

/// Levenshtein distance between two strings, in characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// Whether two name tokens are spellings of one word: equal, or the same
/// skeleton with at least two consonants, or one edit apart in five
/// letters or more ("Satar" / "Sattar", "Zabiullah" / "Zabihullah").
pub(crate) fn similar_tokens(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (ka, kb) = (skeleton(&[a.to_string()]), skeleton(&[b.to_string()]));
    if ka == kb && ka.chars().count() >= 3 {
        return true;
    }
    let shorter = a.chars().count().min(b.chars().count());
    shorter >= 5 && edit_distance(a, b) <= 1 + shorter / 8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> String {
        skeleton(&name_tokens(name))
    }

    #[test]
    fn transliteration_variants_share_a_key() {
        assert_eq!(key("Zabiullah Mujahid"), key("Zabihullah Mujahid"));
        assert_eq!(key("Mazar-e-Sharif"), key("Mazar-i-Sharif"));
        assert_eq!(
            key("Abdul Sattar Mirza Kawal"),
            key("Abdul Satar Mirzakwal")
        );
        assert_eq!(key("Ali Ahmad al-Jalali"), key("Ali Ahmad Jalali"));
        assert_ne!(key("Ashraf Ghani"), key("Abdul Ghani Baradar"));
    }

    #[test]
    fn tokens_fold_diacritics_and_drop_particles() {
        assert_eq!(name_tokens("José al-Núñez's"), ["jose", "nunez"]);
        assert!(similar_tokens("satar", "sattar"));
        assert!(similar_tokens("zabiullah", "zabihullah"));
        assert!(!similar_tokens("ghani", "gani_x"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn tables_read() {
        let t = Tables::get();
        assert!(t.is_title("Mr."));
        assert!(t.is_title("president"));
        assert_eq!(t.demonym("American"), Some("United States"));
        assert_eq!(t.alias("U.S."), Some(("United States", Kind::Place)));
    }
}
