//! The output records, serialized exactly once here so every producer (the
//! streaming shell, `newsflow extract`, replays) writes the same bytes.
//!
//! Field order is fixed by the struct definitions and maps keep insertion
//! order (serde_json's `preserve_order`), so the same article always yields
//! byte-identical JSON.

use super::extract::Extraction;
use crate::model::{Article, Language};
use serde::Serialize;
use serde_json::{Map, Value};

/// Version of the article record layout; bump on incompatible changes.
pub const ARTICLE_SCHEMA_VERSION: u32 = 1;

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
    pub published_at: Option<&'a str>,
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
            published_at: a.published_at.as_deref(),
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
