//! A report: what the aggregation stage keeps of one event record. It is read from the event
//! record's JSON (`schemas/event-record.schema.json`), not from the extractor's types, so the
//! stage can sit behind a topic: the streaming shell feeds it the records of `news.events`
//! (through the repartition topic), `newsflow extract --happenings` the records it has just
//! written, and the state changelog stores reports in the same form.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::stages::extract::{Basis, PlacePrecision, Plover, Precision};

/// One side of the event, as far as aggregation cares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Party {
    /// The words of the mention (the noun phrase for an actor of unknown code).
    pub text: String,
    pub code: String,
    pub country: Option<String>,
    pub role: Option<String>,
}

/// The coded action of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportAction {
    pub cameo: String,
    pub root: String,
    pub label: String,
    pub quad_class: u8,
    pub goldstein: f64,
    /// The code's PLOVER reading; None for public statements (01).
    pub plover: Option<Plover>,
}

/// Where the report places the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub name: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonames_id: Option<u32>,
    pub precision: PlacePrecision,
}

/// When the report dates the event: the ISO text of the record and the period it covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dated {
    pub text: String,
    pub precision: Precision,
    pub basis: Basis,
    /// First and last day of the period (equal for day precision).
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// One report of a happening: an event record, reduced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub event_id: String,
    pub article_id: String,
    pub story_id: String,
    /// The publishing outlet (the record's `source_name`).
    pub outlet: Option<String>,
    /// When it was reported: the article's publication time, else the time the shell gives
    /// (the Kafka timestamp of the event record); seconds since the Unix epoch.
    pub reported_at: Option<i64>,
    pub source: Party,
    /// None for an act with no other party.
    pub target: Option<Party>,
    pub action: ReportAction,
    pub date: Option<Dated>,
    pub location: Option<Place>,
    /// The sentence the event was read from.
    pub sentence: String,
    /// Its content words ([`super::words::content_words`]) but those of the source and
    /// target mentions, which every report of the dyad shares.
    pub words: Vec<u32>,
}

/// Why an event record cannot be aggregated.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("not an event record: {0}")]
    Json(#[from] serde_json::Error),
    #[error("event record {event_id}: date {date:?} does not match its precision {precision:?}")]
    Date {
        event_id: String,
        date: String,
        precision: Precision,
    },
    #[error("event record {event_id}: published_at {value:?} is not RFC 3339")]
    PublishedAt { event_id: String, value: String },
}

/// The fields of the event record that aggregation reads; serde ignores the others.
#[derive(Deserialize)]
struct EventFields {
    event_id: String,
    article_id: String,
    story_id: String,
    date: Option<String>,
    date_precision: Precision,
    date_basis: Basis,
    source: Party,
    target: Option<Party>,
    action: ReportAction,
    location: Option<Place>,
    evidence: EvidenceFields,
    hypothetical: bool,
    source_name: Option<String>,
    published_at: Option<String>,
}

#[derive(Deserialize)]
struct EvidenceFields {
    sentence: String,
}

impl Report {
    /// Reads an event record. `Ok(None)` for a hypothetical event (a plan, a condition, a
    /// threat's consequence): it has not happened, so it joins no happening. `fallback_time`
    /// (seconds) stands in for a missing `published_at`.
    pub fn from_event_record(
        json: &[u8],
        fallback_time: Option<i64>,
    ) -> Result<Option<Report>, ReportError> {
        let f: EventFields = serde_json::from_slice(json)?;
        if f.hypothetical {
            return Ok(None);
        }
        let date = match f.date {
            None => None,
            Some(text) => match period(&text, f.date_precision) {
                Some((first, last)) => Some(Dated {
                    text,
                    precision: f.date_precision,
                    basis: f.date_basis,
                    first,
                    last,
                }),
                None => {
                    return Err(ReportError::Date {
                        event_id: f.event_id,
                        date: text,
                        precision: f.date_precision,
                    })
                }
            },
        };
        let reported_at = match f.published_at {
            None => fallback_time,
            Some(v) => match DateTime::parse_from_rfc3339(&v) {
                Ok(t) => Some(t.with_timezone(&Utc).timestamp()),
                Err(_) => {
                    return Err(ReportError::PublishedAt {
                        event_id: f.event_id,
                        value: v,
                    })
                }
            },
        };
        let words = super::words::subject_words(
            &f.evidence.sentence,
            &[&f.source.text, f.target.as_ref().map_or("", |t| &t.text)],
        );
        Ok(Some(Report {
            event_id: f.event_id,
            article_id: f.article_id,
            story_id: f.story_id,
            outlet: f.source_name,
            reported_at,
            source: f.source,
            target: f.target,
            action: f.action,
            date,
            location: f.location,
            words,
            sentence: f.evidence.sentence,
        }))
    }
}

/// The days an ISO date of the given precision covers: `2026-01-13` (day), the week starting
/// on that Monday, `2026-01` (month), `2026` (year).
fn period(text: &str, p: Precision) -> Option<(NaiveDate, NaiveDate)> {
    match p {
        Precision::Day => {
            let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
            Some((d, d))
        }
        Precision::Week => {
            let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
            Some((d, d + Duration::days(6)))
        }
        Precision::Month => {
            let first = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok()?;
            let next = if first.month() == 12 {
                NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
            };
            Some((first, next.pred_opt()?))
        }
        Precision::Year => {
            let y: i32 = text.parse().ok()?;
            Some((
                NaiveDate::from_ymd_opt(y, 1, 1)?,
                NaiveDate::from_ymd_opt(y, 12, 31)?,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_cover_their_precision() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            period("2026-01-13", Precision::Day),
            Some((d("2026-01-13"), d("2026-01-13")))
        );
        assert_eq!(
            period("2026-01-12", Precision::Week),
            Some((d("2026-01-12"), d("2026-01-18")))
        );
        assert_eq!(
            period("2024-02", Precision::Month),
            Some((d("2024-02-01"), d("2024-02-29")))
        );
        assert_eq!(
            period("2025-12", Precision::Month),
            Some((d("2025-12-01"), d("2025-12-31")))
        );
        assert_eq!(
            period("1987", Precision::Year),
            Some((d("1987-01-01"), d("1987-12-31")))
        );
        assert_eq!(period("2026-13", Precision::Month), None);
        assert_eq!(period("13 Jan", Precision::Day), None);
    }
}
