//! The map of a story's places: country shapes shipped with the binary
//! (Natural Earth, public domain; `scripts/country-shapes`), drawn as SVG
//! on the server, the countries of the story's places shaded and each
//! place with coordinates a dot. No tiles, nothing fetched.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use maud::{html, Markup};
use newsdesk_entities::Entity;

/// One country: its ISO 3166-1 alpha-2 code (empty when it has none),
/// name and SVG path.
struct Country {
    code: &'static str,
    name: &'static str,
    path: &'static str,
}

const SHAPES: &str = include_str!("assets/countries.tsv");

fn countries() -> &'static [Country] {
    static COUNTRIES: OnceLock<Vec<Country>> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        SHAPES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut parts = l.splitn(3, '\t');
                Some(Country {
                    code: parts.next()?,
                    name: parts.next()?,
                    path: parts.next()?,
                })
            })
            .collect()
    })
}

/// The map, or nothing when no entity of the story is a resolved place.
pub(crate) fn map(entities: &[Entity]) -> Option<Markup> {
    let places: Vec<(&str, f64, f64)> = entities
        .iter()
        .filter_map(|e| {
            let p = e.place.as_ref()?;
            Some((e.name.as_str(), p.latitude?, p.longitude?))
        })
        .collect();
    let codes: BTreeSet<&str> = entities
        .iter()
        .filter_map(|e| e.place.as_ref().map(|p| p.country.as_str()))
        .collect();
    if places.is_empty() && codes.is_empty() {
        return None;
    }
    let shaded: Vec<&str> = countries()
        .iter()
        .filter(|c| !c.code.is_empty() && codes.contains(c.code))
        .map(|c| c.name)
        .collect();
    Some(html! {
        svg class="map" viewBox="0 0 360 150" role="img" aria-labelledby="map-title" {
            title id="map-title" {
                "Places of the story: " (places.iter().map(|p| p.0).collect::<Vec<_>>().join(", "))
                @if !shaded.is_empty() { " (in " (shaded.join(", ")) ")" }
            }
            @for c in countries() {
                path class=(if !c.code.is_empty() && codes.contains(c.code) { "land hit" } else { "land" }) d=(c.path) {}
            }
            @for (name, lat, lon) in &places {
                circle class="place" cx=(format!("{:.1}", lon + 180.0)) cy=(format!("{:.1}", 90.0 - lat)) r="1.6" {
                    title { (name) }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shapes_hold_the_countries_with_their_codes() {
        let all = countries();
        assert!(all.len() > 170, "{}", all.len());
        for code in ["AF", "US", "FR", "BR", "AU", "XK"] {
            assert!(all.iter().any(|c| c.code == code), "no {code}");
        }
        assert!(all
            .iter()
            .all(|c| c.path.starts_with('M') && c.path.ends_with('Z')));
    }
}
