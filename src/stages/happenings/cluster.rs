//! Reports of one key into happenings, as a function of the set of reports alone.
//!
//! The reports are put in a canonical order (best dated first, then best placed, then by report
//! time and event id) and each joins the first happening all of whose reports it is compatible
//! with ([`Rules::compatible`]), else starts one. Because the order is canonical, the same
//! reports give the same happenings whatever order they arrived in. A happening's id comes from
//! its key and its earliest report (by report time, then event id): content, not arrival, names
//! it, and since later reports rarely come first in report time, the id stays put as a
//! happening grows.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use super::report::Report;
use super::rules::{date_rank, general, place_rank, Rules};

/// One happening: indices into the group's canonically ordered reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub id: String,
    /// Indices of its reports, in canonical order.
    pub members: Vec<usize>,
}

/// The canonical order of a group's reports.
pub fn canonical_sort(reports: &mut [Report]) {
    reports.sort_by(|a, b| {
        date_rank(b.date.as_ref())
            .cmp(&date_rank(a.date.as_ref()))
            .then_with(|| first_day(a).cmp(&first_day(b)))
            .then_with(|| place_rank(b.location.as_ref()).cmp(&place_rank(a.location.as_ref())))
            .then_with(|| a.reported_at.cmp(&b.reported_at))
            .then_with(|| a.event_id.cmp(&b.event_id))
    });
}

fn first_day(r: &Report) -> Option<chrono::NaiveDate> {
    r.date.as_ref().map(|d| d.first)
}

/// The happenings of `reports` (already in canonical order) under `key`.
pub fn cluster(rules: &Rules, key: &str, reports: &[Report]) -> Vec<Cluster> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        let home = groups
            .iter_mut()
            .find(|g| g.iter().all(|&m| rules.compatible(&reports[m], r)));
        match home {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups
        .into_iter()
        .map(|members| {
            let earliest = members
                .iter()
                .map(|&m| &reports[m])
                .min_by(|a, b| {
                    a.reported_at
                        .unwrap_or(i64::MAX)
                        .cmp(&b.reported_at.unwrap_or(i64::MAX))
                        .then_with(|| a.event_id.cmp(&b.event_id))
                })
                .expect("a happening has a report");
            Cluster {
                id: happening_id(key, &earliest.event_id),
                members,
            }
        })
        .collect()
}

/// `hap-` and the first 16 hex digits of SHA-256 over the key and the earliest report's event id.
pub fn happening_id(key: &str, event_id: &str) -> String {
    let mut h = Sha256::new();
    h.update(key.as_bytes());
    h.update([0u8]);
    h.update(event_id.as_bytes());
    format!("hap-{}", hex::encode(&h.finalize()[..8]))
}

/// What a happening's record says about it, computed from its reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary<'a> {
    pub id: &'a str,
    pub key: &'a str,
    /// The report with the deepest code (its action names the happening).
    pub coded: &'a Report,
    /// The best-dated report: its date and evidence.
    pub dated: &'a Report,
    /// The best-placed report: its location.
    pub placed: &'a Report,
    pub first_reported_at: Option<i64>,
    pub last_reported_at: Option<i64>,
    pub mentions: usize,
    pub articles: usize,
    pub stories: usize,
    pub outlets: usize,
    /// Outlets that first published a story of their own (a syndicated copy of another
    /// outlet's story is not independent).
    pub independent_outlets: usize,
    /// Up to `max_articles` article ids, earliest report first.
    pub article_ids: Vec<&'a str>,
    /// Up to `max_articles` event ids (of `news.events`), earliest report first.
    pub event_ids: Vec<&'a str>,
}

impl<'a> Summary<'a> {
    pub fn of(c: &'a Cluster, key: &'a str, reports: &'a [Report], max_articles: usize) -> Self {
        let rs: Vec<&Report> = c.members.iter().map(|&i| &reports[i]).collect();
        let first = rs[0];
        let coded = rs
            .iter()
            .copied()
            .max_by(|a, b| {
                general(&a.action.cameo)
                    .len()
                    .cmp(&general(&b.action.cameo).len())
                    .then_with(|| b.event_id.cmp(&a.event_id))
            })
            .unwrap_or(first);
        // Canonical order puts the best-dated report first.
        let dated = first;
        let placed = rs
            .iter()
            .copied()
            .max_by(|a, b| {
                place_rank(a.location.as_ref())
                    .cmp(&place_rank(b.location.as_ref()))
                    .then_with(|| b.event_id.cmp(&a.event_id))
            })
            .unwrap_or(first);
        let times = rs.iter().filter_map(|r| r.reported_at);
        let articles: BTreeSet<&str> = rs.iter().map(|r| r.article_id.as_str()).collect();
        let stories: BTreeSet<&str> = rs.iter().map(|r| r.story_id.as_str()).collect();
        let outlets: BTreeSet<&str> = rs.iter().filter_map(|r| r.outlet.as_deref()).collect();
        // Each story counts for the outlet that reported it first.
        let mut by_time: Vec<&Report> = rs.clone();
        by_time.sort_by(|a, b| {
            a.reported_at
                .cmp(&b.reported_at)
                .then_with(|| a.article_id.cmp(&b.article_id))
        });
        let mut seen_story = BTreeSet::new();
        let mut independent = BTreeSet::new();
        for r in &by_time {
            if seen_story.insert(r.story_id.as_str()) {
                independent.insert(r.outlet.as_deref().unwrap_or(r.story_id.as_str()));
            }
        }
        let event_ids: Vec<&str> = by_time
            .iter()
            .take(max_articles)
            .map(|r| r.event_id.as_str())
            .collect();
        let mut article_ids: Vec<&str> = Vec::new();
        for r in &by_time {
            if article_ids.len() == max_articles {
                break;
            }
            if !article_ids.contains(&r.article_id.as_str()) {
                article_ids.push(&r.article_id);
            }
        }
        Summary {
            id: &c.id,
            key,
            coded,
            dated,
            placed,
            first_reported_at: times.clone().min(),
            last_reported_at: times.max(),
            mentions: rs.len(),
            articles: articles.len(),
            stories: stories.len(),
            outlets: outlets.len(),
            independent_outlets: independent.len(),
            article_ids,
            event_ids,
        }
    }

    /// Grows with independent outlets: 1 - 2^-n (one outlet 0.5, two 0.75, three 0.875).
    pub fn confidence(&self) -> f64 {
        let n = self.independent_outlets.min(52) as i32;
        ((1.0 - 0.5f64.powi(n)) * 10_000.0).round() / 10_000.0
    }
}
