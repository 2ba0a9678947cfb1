//! Which countries an article is about: a weighted count of the countries its entities
//! belong to, with mentions in the first sentence counting double. Used to give context-taking
//! agents a country, and by the Reuters measurement to compare with the human place labels.

use std::collections::HashMap;

use super::types::{Entity, EntityKind};

/// Countries (ISO3) with their salience, highest first (ties by code, for determinism).
pub fn article_countries(entities: &[Entity]) -> Vec<(String, f64)> {
    let mut score: HashMap<&str, f64> = HashMap::new();
    for e in entities {
        let Some(c) = e.country.as_deref() else { continue };
        let w = match e.kind {
            EntityKind::Country => 1.0,
            EntityKind::Person | EntityKind::Organization => 0.8,
            EntityKind::Place => 0.7,
            EntityKind::Region => 0.3,
        };
        let first = if e.sentence_index == 0 { 2.0 } else { 1.0 };
        *score.entry(c).or_default() += w * first;
    }
    let mut v: Vec<(String, f64)> = score.into_iter().map(|(c, s)| (c.to_string(), s)).collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}
