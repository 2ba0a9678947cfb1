//! The `news.happenings` record: one happening with its counts, upserted under its id as
//! reports arrive (`schemas/happening-record.schema.json`).

use chrono::DateTime;
use serde::{Serialize, Serializer};

use crate::model::rfc3339_secs;
use crate::stages::extract::{Basis, Precision};
use crate::stages::happenings::{Party, Place, ReportAction, Summary};

/// Version of the happening record layout; bump on incompatible changes.
pub const HAPPENING_SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct HappeningRecord<'a> {
    schema_version: u32,
    happening_id: &'a str,
    key: &'a str,
    source: &'a Party,
    target: Option<&'a Party>,
    action: &'a ReportAction,
    date: Option<&'a str>,
    date_precision: Option<Precision>,
    date_basis: Option<Basis>,
    location: Option<&'a Place>,
    evidence: Evidence<'a>,
    #[serde(serialize_with = "unix_secs")]
    first_reported_at: Option<i64>,
    #[serde(serialize_with = "unix_secs")]
    last_reported_at: Option<i64>,
    mentions: usize,
    articles: usize,
    stories: usize,
    outlets: usize,
    independent_outlets: usize,
    confidence: f64,
    article_ids: &'a [&'a str],
    event_ids: &'a [&'a str],
    closed: bool,
}

#[derive(Serialize)]
struct Evidence<'a> {
    event_id: &'a str,
    article_id: &'a str,
    sentence: &'a str,
}

fn unix_secs<S: Serializer>(t: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match t.and_then(|t| DateTime::from_timestamp(t, 0)) {
        Some(t) => s.serialize_str(&rfc3339_secs(&t)),
        None => s.serialize_none(),
    }
}

/// JSON bytes of the record of happening `h`; `closed` once it takes no more reports.
pub fn happening_record(h: &Summary, closed: bool) -> Vec<u8> {
    let d = h.dated.date.as_ref();
    let r = HappeningRecord {
        schema_version: HAPPENING_SCHEMA_VERSION,
        happening_id: h.id,
        key: h.key,
        source: &h.coded.source,
        target: h.coded.target.as_ref(),
        action: &h.coded.action,
        date: d.map(|d| d.text.as_str()),
        date_precision: d.map(|d| d.precision),
        date_basis: d.map(|d| d.basis),
        location: h.placed.location.as_ref(),
        evidence: Evidence {
            event_id: &h.dated.event_id,
            article_id: &h.dated.article_id,
            sentence: &h.dated.sentence,
        },
        first_reported_at: h.first_reported_at,
        last_reported_at: h.last_reported_at,
        mentions: h.mentions,
        articles: h.articles,
        stories: h.stories,
        outlets: h.outlets,
        independent_outlets: h.independent_outlets,
        confidence: h.confidence(),
        article_ids: &h.article_ids,
        event_ids: &h.event_ids,
        closed,
    };
    serde_json::to_vec(&r).expect("happening records always serialize")
}
