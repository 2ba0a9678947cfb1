//! Plain data that flows between stages: the raw input article, the
//! normalized article, and the reasons an input is rejected.
//!
//! These types carry no Kafka or tokio state, so every stage can be tested and
//! benchmarked as an ordinary function.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

/// One raw article as it arrives on the input topic, after decoding and
/// type checks but before normalization. See `schemas/raw-article.schema.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct RawArticle {
    pub id: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// Parsed publication time, normalized to UTC.
    pub published_at: Option<DateTime<Utc>>,
    pub title: Option<String>,
    pub body: String,
    pub language: Option<String>,
    /// Unknown top-level fields, kept verbatim.
    pub extra: Map<String, Value>,
}

/// An article after the normalize stage: text is plain, NFC, whitespace
/// collapsed; the URL is canonical; the language is known or detected; the id
/// is stable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    pub id: String,
    pub url: Option<String>,
    pub canonical_url: Option<String>,
    pub source: Option<String>,
    /// Publication time, in UTC; written as [`rfc3339_secs`].
    #[serde(serialize_with = "serialize_rfc3339_secs")]
    pub published_at: Option<DateTime<Utc>>,
    pub title: Option<String>,
    pub body: String,
    pub language: Language,
    pub word_count: usize,
    /// True when the body's or title's markup was over the HTML parser's
    /// budget and its text came from the linear tag stripper.
    pub html_fallback: bool,
    pub extra: Map<String, Value>,
}

/// How records write a time: RFC 3339 in UTC with a `Z` suffix, at seconds
/// precision (`2026-01-14T05:30:00Z`).
pub fn rfc3339_secs(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `#[serde(serialize_with)]` for an optional time: [`rfc3339_secs`], or null.
pub fn serialize_rfc3339_secs<S: Serializer>(
    t: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&rfc3339_secs(t)),
        None => s.serialize_none(),
    }
}

/// What we know about an article's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Language {
    /// ISO 639-1 code where one exists (`en`), else ISO 639-3 (`tgl`), else `und`.
    pub code: String,
    pub basis: LanguageBasis,
    /// whatlang's confidence in 0..=1 (1.0 when given).
    pub confidence: f64,
    /// False for non-English articles: they pass on, flagged, and the English
    /// extractors skip them.
    pub is_english: bool,
}

/// How an article's language was found (written in lower case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LanguageBasis {
    /// The input named it.
    Given,
    /// Found in the text (English function words, else whatlang).
    Detected,
    /// The text was too short or ambiguous to tell.
    Undetermined,
}

/// Why an input message cannot be processed. The class is a short, stable,
/// low-cardinality name (it becomes a metric label and a DLQ header); the
/// message is for humans and names the offending field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub class: ErrorClass,
    pub message: String,
}

impl Rejection {
    pub fn new(class: ErrorClass, message: impl Into<String>) -> Self {
        Rejection {
            class,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.class.as_str(), self.message)
    }
}

impl std::error::Error for Rejection {}

/// The closed set of dead-letter reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    EmptyMessage,
    TooLarge,
    InvalidUtf8,
    InvalidJson,
    NotAnObject,
    MissingField,
    WrongType,
    EmptyBody,
    InvalidTimestamp,
    InvalidUrl,
    InvalidId,
    InvalidLanguage,
    /// A stage's work budget (`stages::budget`) would be exceeded.
    BudgetExceeded,
    /// A stage panicked on this message (a bug): caught, dead-lettered with
    /// the panic message, counted in `newsflow_stage_panics_total`.
    InternalError,
}

impl ErrorClass {
    pub const ALL: [ErrorClass; 14] = [
        ErrorClass::EmptyMessage,
        ErrorClass::TooLarge,
        ErrorClass::InvalidUtf8,
        ErrorClass::InvalidJson,
        ErrorClass::NotAnObject,
        ErrorClass::MissingField,
        ErrorClass::WrongType,
        ErrorClass::EmptyBody,
        ErrorClass::InvalidTimestamp,
        ErrorClass::InvalidUrl,
        ErrorClass::InvalidId,
        ErrorClass::InvalidLanguage,
        ErrorClass::BudgetExceeded,
        ErrorClass::InternalError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::EmptyMessage => "empty_message",
            ErrorClass::TooLarge => "too_large",
            ErrorClass::InvalidUtf8 => "invalid_utf8",
            ErrorClass::InvalidJson => "invalid_json",
            ErrorClass::NotAnObject => "not_an_object",
            ErrorClass::MissingField => "missing_field",
            ErrorClass::WrongType => "wrong_type",
            ErrorClass::EmptyBody => "empty_body",
            ErrorClass::InvalidTimestamp => "invalid_timestamp",
            ErrorClass::InvalidUrl => "invalid_url",
            ErrorClass::InvalidId => "invalid_id",
            ErrorClass::InvalidLanguage => "invalid_language",
            ErrorClass::BudgetExceeded => "budget_exceeded",
            ErrorClass::InternalError => "internal_error",
        }
    }
}
