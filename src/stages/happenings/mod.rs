//! Aggregation: events counted once. Every event record is a *report*; reports that tell of the
//! same happening (same dyad and root, compatible code, date, place and report time: the rules
//! are in [`rules`]) are one *happening*, published on `news.happenings` under its id and
//! upserted as reports arrive, with its mentions, articles, stories and outlets counted.
//!
//! [`Happenings`] is the state of one partition of the aggregation (all the keys the partition
//! owns). It is plain data and deterministic: the happenings it holds are a function of the set
//! of reports it was given ([`cluster`]), never of their order. A report it already holds (the
//! same event id, redelivered) changes nothing, so a redelivery never counts a mention twice.
//! A happening closes once the partition's report time (the latest report seen) is a horizon
//! past its first report; its last record says `closed: true` and its reports leave the state.
//!
//! The streaming shell keeps one `Happenings` per partition of the repartition topic and logs
//! each key's reports to a compacted changelog to restore it; `newsflow extract --happenings`
//! keeps one for the whole file.

mod cluster;
mod report;
mod rules;
#[cfg(test)]
mod tests;
mod words;

use std::collections::BTreeMap;

use xxhash_rust::xxh3::xxh3_64;

pub use cluster::{canonical_sort, happening_id, Cluster, Summary};
pub use report::{Dated, Party, Place, Report, ReportAction, ReportError};
pub use rules::{codes_compatible, key, Apart, Rules};

use crate::stages::record::happening_record;

/// A change to publish on the happenings topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The happening's current record.
    Upsert { id: String, record: Vec<u8> },
    /// The happening is gone: its reports now belong to others (a tombstone).
    Delete { id: String },
}

/// What one report did to the state.
#[derive(Debug, Default)]
pub struct Observed {
    pub changes: Vec<Change>,
    /// The report was already held (a redelivery): nothing changed.
    pub repeated: bool,
    /// The report joined a happening that already had reports.
    pub merged: bool,
    /// The report is older than a horizon behind the latest report seen: the happening it
    /// would have joined may have closed already.
    pub late: bool,
}

/// What closing expired happenings did.
#[derive(Debug, Default)]
pub struct Closed {
    /// The final records of the closed happenings.
    pub changes: Vec<Change>,
    /// The event ids of the reports dropped with them (tombstones for a changelog).
    pub dropped: Vec<String>,
}

/// How big the state is.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub keys: usize,
    pub happenings: usize,
    pub reports: usize,
}

#[derive(Debug, Default)]
struct Group {
    /// In canonical order ([`canonical_sort`]).
    reports: Vec<Report>,
    /// The happenings last published, with a hash of their record.
    published: BTreeMap<String, u64>,
}

/// The aggregation state of one partition.
#[derive(Debug)]
pub struct Happenings {
    rules: Rules,
    max_articles: usize,
    groups: BTreeMap<String, Group>,
    /// The latest report time seen (seconds).
    watermark: Option<i64>,
}

impl Happenings {
    /// `max_articles`: how many article ids a happening record lists.
    pub fn new(rules: Rules, max_articles: usize) -> Self {
        Happenings {
            rules,
            max_articles,
            groups: BTreeMap::new(),
            watermark: None,
        }
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Adds a report and returns the records that changed.
    pub fn observe(&mut self, r: Report) -> Observed {
        let k = key(&r);
        let late = match (r.reported_at, self.watermark) {
            (Some(t), Some(w)) => t + self.rules.horizon_secs < w,
            _ => false,
        };
        if let Some(t) = r.reported_at {
            self.watermark = Some(self.watermark.map_or(t, |w| w.max(t)));
        }
        let group = self.groups.entry(k.clone()).or_default();
        if group.reports.iter().any(|x| x.event_id == r.event_id) {
            return Observed {
                repeated: true,
                ..Observed::default()
            };
        }
        let event_id = r.event_id.clone();
        group.reports.push(r);
        canonical_sort(&mut group.reports);
        let clusters = cluster::cluster(&self.rules, &k, &group.reports);
        let at = group
            .reports
            .iter()
            .position(|x| x.event_id == event_id)
            .expect("just inserted");
        let home = clusters
            .iter()
            .find(|c| c.members.contains(&at))
            .expect("every report has a happening");
        let merged = home.members.len() > 1;
        let changes = publish(group, &k, &clusters, self.max_articles);
        Observed {
            changes,
            repeated: false,
            merged,
            late,
        }
    }

    /// Closes the happenings whose first report is more than a horizon before the latest
    /// report seen: publishes their final record (`closed: true`) and drops their reports.
    pub fn close_expired(&mut self) -> Closed {
        let mut closed = Closed::default();
        let Some(watermark) = self.watermark else {
            return closed;
        };
        let out = &mut closed.changes;
        let mut emptied = Vec::new();
        for (k, g) in self.groups.iter_mut() {
            // No happening of the key can have closed before its earliest report has (a cheap
            // test that spares clustering every key on every call).
            let earliest = g.reports.iter().filter_map(|r| r.reported_at).min();
            if earliest.is_none_or(|t| t + self.rules.horizon_secs >= watermark) {
                continue;
            }
            let clusters = cluster::cluster(&self.rules, k, &g.reports);
            let mut drop = vec![false; g.reports.len()];
            for c in &clusters {
                let s = Summary::of(c, k, &g.reports, self.max_articles);
                if expired(&self.rules, self.watermark, &s) {
                    out.push(Change::Upsert {
                        id: c.id.clone(),
                        record: happening_record(&s, true),
                    });
                    g.published.remove(&c.id);
                    for &m in &c.members {
                        drop[m] = true;
                        closed.dropped.push(g.reports[m].event_id.clone());
                    }
                }
            }
            let mut i = 0;
            g.reports.retain(|_| {
                i += 1;
                !drop[i - 1]
            });
            if g.reports.is_empty() {
                emptied.push(k.clone());
            }
        }
        for k in emptied {
            self.groups.remove(&k);
        }
        closed
    }

    /// The current record of every open happening, by key and then canonical order.
    pub fn open_records(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for (k, g) in &self.groups {
            for c in cluster::cluster(&self.rules, k, &g.reports) {
                let s = Summary::of(&c, k, &g.reports, self.max_articles);
                out.push(happening_record(&s, false));
            }
        }
        out
    }

    /// Adds a report without publishing anything (for a whole file at once, see [`finish`]);
    /// false when it was already held.
    ///
    /// [`finish`]: Happenings::finish
    pub fn add(&mut self, r: Report) -> bool {
        if let Some(t) = r.reported_at {
            self.watermark = Some(self.watermark.map_or(t, |w| w.max(t)));
        }
        let group = self.groups.entry(key(&r)).or_default();
        if group.reports.iter().any(|x| x.event_id == r.event_id) {
            return false;
        }
        group.reports.push(r);
        true
    }

    /// The record of every happening, by key and then canonical order: closed ones (a horizon
    /// before the latest report) with `closed: true`.
    pub fn finish(mut self) -> Vec<Vec<u8>> {
        for g in self.groups.values_mut() {
            canonical_sort(&mut g.reports);
        }
        let mut out = Vec::new();
        for (k, g) in &self.groups {
            for c in cluster::cluster(&self.rules, k, &g.reports) {
                let s = Summary::of(&c, k, &g.reports, self.max_articles);
                out.push(happening_record(
                    &s,
                    expired(&self.rules, self.watermark, &s),
                ));
            }
        }
        out
    }

    /// The reports held under `key`, in canonical order (what the changelog stores).
    pub fn reports_of(&self, key: &str) -> &[Report] {
        self.groups.get(key).map_or(&[], |g| g.reports.as_slice())
    }

    /// Puts back a key's reports from the changelog, as they were published.
    pub fn restore(&mut self, key: &str, mut reports: Vec<Report>) {
        if reports.is_empty() {
            self.groups.remove(key);
            return;
        }
        for t in reports.iter().filter_map(|r| r.reported_at) {
            self.watermark = Some(self.watermark.map_or(t, |w| w.max(t)));
        }
        canonical_sort(&mut reports);
        let clusters = cluster::cluster(&self.rules, key, &reports);
        let mut g = Group {
            reports,
            published: BTreeMap::new(),
        };
        for c in &clusters {
            let s = Summary::of(c, key, &g.reports, self.max_articles);
            g.published
                .insert(c.id.clone(), xxh3_64(&happening_record(&s, false)));
        }
        self.groups.insert(key.to_string(), g);
    }

    pub fn size(&self) -> Size {
        let mut s = Size {
            keys: self.groups.len(),
            ..Size::default()
        };
        for g in self.groups.values() {
            s.reports += g.reports.len();
            s.happenings += g.published.len();
        }
        s
    }
}

/// A happening is closed once the latest report time is a horizon past its first report.
fn expired(rules: &Rules, watermark: Option<i64>, s: &Summary) -> bool {
    match (s.first_reported_at, watermark) {
        (Some(first), Some(w)) => first + rules.horizon_secs < w,
        _ => false,
    }
}

/// Records of the clusters whose record changed since last published, and tombstones for the
/// happenings that are no more.
fn publish(g: &mut Group, key: &str, clusters: &[Cluster], max_articles: usize) -> Vec<Change> {
    let mut out = Vec::new();
    let mut now = BTreeMap::new();
    for c in clusters {
        let s = Summary::of(c, key, &g.reports, max_articles);
        let record = happening_record(&s, false);
        let h = xxh3_64(&record);
        if g.published.get(&c.id) != Some(&h) {
            out.push(Change::Upsert {
                id: c.id.clone(),
                record,
            });
        }
        now.insert(c.id.clone(), h);
    }
    for id in g.published.keys() {
        if !now.contains_key(id) {
            out.push(Change::Delete { id: id.clone() });
        }
    }
    g.published = now;
    out
}
