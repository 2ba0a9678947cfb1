//! Place decisions: whether a capital is a place or its government (metonym), whether a
//! context-needing city name is a place at all, and which of several homonyms is meant —
//! by an explicit qualifier ("Paris, Texas"), the places and countries the article names
//! elsewhere, capital status and population.

use std::collections::HashSet;

use super::fold::Folded;
use super::gazetteer::Gazetteer;
use super::matcher::{Hit, Target};

/// Countries and admin1 divisions the article names unambiguously.
#[derive(Debug, Default)]
pub struct Evidence<'a> {
    pub countries: HashSet<u16>,
    pub admin1: HashSet<&'a str>,
}

impl<'a> Evidence<'a> {
    pub fn collect(g: &'a Gazetteer, hits: &[Hit]) -> Evidence<'a> {
        let mut ev = Evidence::default();
        for h in hits {
            let mut cities = h.targets.iter().filter(|t| matches!(t, Target::City(_)));
            for t in &h.targets {
                match t {
                    Target::Country(c) | Target::Adjective(c) if h.targets.len() == 1 => {
                        ev.countries.insert(*c);
                    }
                    Target::Admin1(a) => {
                        ev.admin1.insert(g.admin1[*a as usize].code.as_str());
                        if h.targets.len() == 1 {
                            ev.countries.insert(g.admin1[*a as usize].country);
                        }
                    }
                    _ => {}
                }
            }
            if let (Some(Target::City(c)), None) = (cities.next(), cities.next()) {
                let city = &g.cities[*c as usize];
                if h.targets.len() == 1 && !city.needs_context {
                    ev.countries.insert(city.country);
                    ev.admin1.insert(city.admin1.as_str());
                }
            }
        }
        ev
    }
}

const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "into",
    "inside",
    "across",
    "around",
    "to",
    "toward",
    "towards",
    "via",
    "through",
    "throughout",
    "from",
    "of",
    "downtown",
    "central",
    "northern",
    "southern",
    "eastern",
    "western",
    "suburban",
];

/// The lower-case word just before folded offset `s` (skipping spaces).
pub fn word_before(f: &Folded, s: usize) -> &str {
    let before = f.lower[..s].trim_ascii_end();
    let w = before
        .rsplit(|c: &u8| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or(&[]);
    std::str::from_utf8(w).unwrap_or("")
}

/// The lower-case word just after folded offset `e`.
pub fn word_after(f: &Folded, e: usize) -> &str {
    let after = f.lower[e..].trim_ascii_start();
    let w = after
        .split(|c: &u8| !c.is_ascii_alphabetic() && *c != b'\'')
        .next()
        .unwrap_or(&[]);
    std::str::from_utf8(w).unwrap_or("")
}

pub fn locative_before(f: &Folded, s: usize) -> bool {
    LOCATIVE.contains(&word_before(f, s))
}

/// Reporting and action verbs that make a capital the subject of a political act.
const ACTOR_VERBS: &[&str] = &[
    "said",
    "says",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "must",
    "is",
    "was",
    "wants",
    "wanted",
    "hopes",
    "warned",
    "warns",
    "accused",
    "accuses",
    "announced",
    "announces",
    "rejected",
    "rejects",
    "denied",
    "denies",
    "condemned",
    "condemns",
    "urged",
    "urges",
    "called",
    "calls",
    "plans",
    "agreed",
    "agrees",
    "insisted",
    "insists",
    "told",
    "tells",
    "sent",
    "threatened",
    "threatens",
    "responded",
    "claimed",
    "claims",
    "believes",
    "did",
    "does",
    "sees",
    "views",
    "backed",
    "backs",
    "supports",
    "opposed",
    "opposes",
    "imposed",
    "imposes",
    "demanded",
    "demands",
    "refused",
    "refuses",
    "expelled",
    "recalled",
    "signed",
    "vowed",
];

/// Nouns after a capital's possessive that make it the city, not the government ("London's
/// stock market", "Tehran's streets").
const CITY_NOUNS: &[&str] = &[
    "airport",
    "stock",
    "stocks",
    "market",
    "markets",
    "exchange",
    "streets",
    "street",
    "mayor",
    "city",
    "financial",
    "economy",
    "biggest",
    "largest",
    "oldest",
    "main",
    "famous",
    "population",
    "residents",
    "suburbs",
    "centre",
    "center",
    "skyline",
    "port",
    "football",
    "club",
    "theatre",
    "theatres",
    "museum",
    "museums",
    "hotels",
    "property",
    "house",
    "housing",
    "metro",
    "subway",
    "underground",
    "west",
    "east",
    "north",
    "south",
    "bourse",
    "nightlife",
    "traffic",
    "air",
    "hospitals",
    "universities",
    "university",
    "restaurants",
    "shops",
    "fashion",
];

/// A capital used for its government: "Moscow's", "Tehran said", "talks with Tehran".
pub fn is_metonym(f: &Folded, s: usize, e: usize) -> bool {
    let rest = &f.lower[e..];
    if rest.starts_with(b"'s ") || rest.starts_with(b"' ") || rest == b"'s" {
        let after = rest
            .iter()
            .position(|&c| c == b' ')
            .map_or(rest.len(), |p| p);
        let next = word_after(f, e + after);
        return !CITY_NOUNS.contains(&next);
    }
    if locative_before(f, s) {
        return false;
    }
    let prev = word_before(f, s);
    ACTOR_VERBS.contains(&word_after(f, e))
        || matches!(prev, "with" | "against" | "between" | "by" | "and")
}

/// Score of a homonym candidate; higher wins.
fn score(g: &Gazetteer, t: &Target, ev: &Evidence, qualifier: Option<&Target>) -> f64 {
    let (pop, country, admin1, capital) = match t {
        Target::City(c) => {
            let c = &g.cities[*c as usize];
            (c.population as f64, c.country, c.admin1.as_str(), c.capital)
        }
        Target::Admin1(a) => {
            let a = &g.admin1[*a as usize];
            (3.0e6, a.country, a.code.as_str(), false)
        }
        Target::Country(c) => (2.0e7, *c, "", false),
        _ => return f64::MIN,
    };
    let mut s = 1.5 * pop.max(1.0).ln() + if capital { 3.0 } else { 0.0 };
    if ev.admin1.contains(admin1) {
        s += 8.0;
    }
    if ev.countries.contains(&country) {
        s += 3.0;
    }
    if let Some(q) = qualifier {
        let fits = match q {
            Target::Admin1(a) | Target::Admin1Abbr(a) => g.admin1[*a as usize].code == admin1,
            Target::Country(c) | Target::Adjective(c) => *c == country,
            _ => false,
        };
        s += if fits { 100.0 } else { -100.0 };
    }
    s
}

/// Picks the place a hit most likely names, if any. `qualifier` is the hit after ", ".
pub fn choose(g: &Gazetteer, h: &Hit, ev: &Evidence, qualifier: Option<&Hit>) -> Option<Target> {
    let quals: Vec<&Target> = qualifier
        .map(|q| q.targets.iter().collect())
        .unwrap_or_default();
    let mut best: Option<(f64, Target)> = None;
    for t in h
        .targets
        .iter()
        .filter(|t| matches!(t, Target::City(_) | Target::Admin1(_) | Target::Country(_)))
    {
        let sc = if quals.is_empty() {
            score(g, t, ev, None)
        } else {
            quals
                .iter()
                .map(|q| score(g, t, ev, Some(q)))
                .fold(f64::MIN, f64::max)
        };
        if best.is_none_or(|(b, _)| sc > b) {
            best = Some((sc, *t));
        }
    }
    best.map(|(_, t)| t)
}
