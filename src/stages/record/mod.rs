//! The output records, serialized here and nowhere else: the article
//! record (`schemas/article-record.schema.json`), the event record
//! (`schemas/event-record.schema.json`), the duplicate record
//! (`schemas/duplicate-record.schema.json`) and the happening record
//! (`schemas/happening-record.schema.json`, in `happening.rs`). Every producer (the streaming
//! shell, `newsflow extract`, replays) goes through these writers, so all of
//! them publish the same bytes, and the tests check each writer against its
//! schema.
//!
//! Field order is fixed by the struct definitions and maps keep insertion
//! order (serde_json's `preserve_order`), so the same article always yields
//! byte-identical JSON. Dead letters are not written here: they carry the
//! input's original bytes, with the reason in headers.

use super::dedup::DuplicateKind;
use super::extract::{
    Action, Actor, Basis, Casualty, Event, Evidence, Extraction, Location, Precision,
};
use crate::model::{serialize_rfc3339_secs, Article, Language};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

mod happening;
#[cfg(test)]
mod schema_tests;

pub use happening::{happening_record, HAPPENING_SCHEMA_VERSION};

/// Version of the article record layout; bump on incompatible changes.
pub const ARTICLE_SCHEMA_VERSION: u32 = 2;

/// One normalized article, as published on the articles topic.
#[derive(Debug, Serialize)]
pub struct ArticleRecord<'a> {
    pub schema_version: u32,
    pub id: &'a str,
    pub story_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<&'a str>,
    pub url: Option<&'a str>,
    pub canonical_url: Option<&'a str>,
    pub source: Option<&'a str>,
    #[serde(serialize_with = "serialize_rfc3339_secs")]
    pub published_at: Option<DateTime<Utc>>,
    pub language: &'a str,
    pub language_detail: &'a Language,
    pub title: Option<&'a str>,
    pub word_count: usize,
    pub body: &'a str,
    /// Present, `true`, only when the markup was over the HTML parser's
    /// budget and the text comes from the linear tag stripper.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub html_fallback: bool,
    /// Entities, countries, events, quotes, casualties, dates, tone and themes (absent
    /// when the extract stage did not run).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub extraction: Option<&'a Extraction>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extra: &'a Map<String, Value>,
}

impl<'a> ArticleRecord<'a> {
    pub fn new(a: &'a Article, story_id: &'a str, duplicate_of: Option<&'a str>) -> Self {
        ArticleRecord {
            schema_version: ARTICLE_SCHEMA_VERSION,
            id: &a.id,
            story_id,
            duplicate_of,
            url: a.url.as_deref(),
            canonical_url: a.canonical_url.as_deref(),
            source: a.source.as_deref(),
            published_at: a.published_at,
            language: &a.language.code,
            language_detail: &a.language,
            title: a.title.as_deref(),
            word_count: a.word_count,
            body: &a.body,
            html_fallback: a.html_fallback,
            extraction: None,
            extra: &a.extra,
        }
    }

    pub fn with_extraction(mut self, e: Option<&'a Extraction>) -> Self {
        self.extraction = e;
        self
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("article records always serialize")
    }
}

/// Version of the event record layout; bump on incompatible changes.
pub const EVENT_SCHEMA_VERSION: u32 = 2;

/// The `news.events` record: one event with its article's identity.
#[derive(Debug, Serialize)]
struct EventRecord<'a> {
    schema_version: u32,
    event_id: &'a str,
    article_id: &'a str,
    story_id: &'a str,
    date: Option<&'a str>,
    date_precision: Precision,
    date_basis: Basis,
    source: &'a Actor,
    target: Option<&'a Actor>,
    action: &'a Action,
    location: &'a Option<Location>,
    casualties: &'a [Casualty],
    evidence: &'a Evidence,
    tone: f64,
    hypothetical: bool,
    sentence_ids: &'a [usize],
    url: Option<&'a str>,
    source_name: Option<&'a str>,
    #[serde(serialize_with = "serialize_rfc3339_secs")]
    published_at: Option<DateTime<Utc>>,
}

/// JSON bytes of the event record of `event`, found in `article` of story
/// `story_id`.
pub fn event_record(article: &Article, story_id: &str, event: &Event) -> Vec<u8> {
    let r = EventRecord {
        schema_version: EVENT_SCHEMA_VERSION,
        event_id: &event.event_id,
        article_id: &article.id,
        story_id,
        date: event.date.as_deref(),
        date_precision: event.date_precision,
        date_basis: event.date_basis,
        source: &event.source,
        target: event.target.as_ref(),
        action: &event.action,
        location: &event.location,
        casualties: &event.casualties,
        evidence: &event.evidence,
        tone: event.tone,
        hypothetical: event.hypothetical,
        sentence_ids: &event.sentence_ids,
        url: article.url.as_deref(),
        source_name: article.source.as_deref(),
        published_at: article.published_at,
    };
    serde_json::to_vec(&r).expect("event records always serialize")
}

/// Version of the duplicate record layout; bump on incompatible changes.
pub const DUPLICATE_SCHEMA_VERSION: u32 = 1;

/// The `news.duplicates` record: which article a duplicate repeats.
#[derive(Serialize)]
struct DuplicateRecord<'a> {
    schema_version: u32,
    article_id: &'a str,
    duplicate_of: &'a str,
    story_id: &'a str,
    kind: &'static str,
    similarity: f64,
    source: Option<&'a str>,
    #[serde(serialize_with = "serialize_rfc3339_secs")]
    published_at: Option<DateTime<Utc>>,
    url: Option<&'a str>,
}

/// JSON bytes of the duplicate record of `article`, a `kind` duplicate of
/// article `of` (story `story_id`) at estimated `similarity`.
pub fn duplicate_record(
    article: &Article,
    of: &str,
    story_id: &str,
    kind: DuplicateKind,
    similarity: f32,
) -> Vec<u8> {
    let r = DuplicateRecord {
        schema_version: DUPLICATE_SCHEMA_VERSION,
        article_id: &article.id,
        duplicate_of: of,
        story_id,
        kind: kind.as_str(),
        // Four decimals: enough to read, stable across platforms.
        similarity: (f64::from(similarity) * 10_000.0).round() / 10_000.0,
        source: article.source.as_deref(),
        published_at: article.published_at,
        url: article.url.as_deref(),
    };
    serde_json::to_vec(&r).expect("duplicate records always serialize")
}
