//! Which countries an article is about: a weighted count of the countries its entities
//! belong to, with mentions in the first sentence counting double. Used to give context-taking
//! agents a country, and by the Reuters measurement to compare with the human place labels.

use std::collections::HashMap;

use super::types::{Entity, EntityKind};

/// Mentions this close to the start (title and lead) count double.
const LEAD_BYTES: usize = 300;

/// Countries (ISO3) with their salience, highest first (ties by code, for determinism).
pub fn article_countries(entities: &[Entity]) -> Vec<(String, f64)> {
    rank(entities.iter())
}

/// [`article_countries`] over any sequence of entities.
pub(crate) fn rank<'a>(entities: impl Iterator<Item = &'a Entity>) -> Vec<(String, f64)> {
    let mut score: HashMap<&str, f64> = HashMap::new();
    for e in entities {
        let Some(c) = e.country.as_deref() else {
            continue;
        };
        let w = match e.kind {
            EntityKind::Country => 1.0,
            EntityKind::Person | EntityKind::Organization => 0.8,
            EntityKind::Place => 0.7,
            EntityKind::Region => 0.3,
        };
        let first = if e.sentence_index == 0 || e.start < LEAD_BYTES {
            2.0
        } else {
            1.0
        };
        *score.entry(c).or_default() += w * first;
    }
    let mut v: Vec<(String, f64)> = score.into_iter().map(|(c, s)| (c.to_string(), s)).collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// Adds country cues (currencies, legal forms ...) to a salience ranking. A country's cues add
/// at most `CUE_CAP` in total, so a price table cannot outweigh a named country.
pub fn with_cues(mut ranked: Vec<(String, f64)>, cues: &[(&str, f64)]) -> Vec<(String, f64)> {
    const CUE_CAP: f64 = 1.5;
    const CUE_FACTOR_WHEN_NAMED: f64 = 1.0;
    let mut add: HashMap<&str, f64> = HashMap::new();
    for (c, w) in cues {
        *add.entry(c).or_default() += w;
    }
    // Cues decide when the text names no country; otherwise they weigh less.
    let named = ranked.first().is_some_and(|r| r.1 >= 1.0);
    for (c, w) in add {
        let w = w.min(CUE_CAP) * if named { CUE_FACTOR_WHEN_NAMED } else { 1.0 };
        match ranked.iter_mut().find(|r| r.0 == c) {
            Some(r) => r.1 += w,
            None => ranked.push((c.to_string(), w)),
        }
    }
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked
}
