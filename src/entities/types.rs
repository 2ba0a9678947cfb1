//! Plain data types the recognizer returns: entities, sentences and tokens (byte offsets).

use serde::Serialize;

/// What an entity denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Person,
    Organization,
    Country,
    Place,
    Region,
}

/// One recognized mention. Offsets are byte offsets into the text given to `recognize`.
///
/// `code` is the CAMEO-style actor code when the mention is an actor ("USAGOV", "RUS",
/// "IGOUNO", "HRI"); plain places and regions have none. `country` is the ISO 3166 alpha-3
/// code (historical ISO 3166-3 codes such as SUN for the Soviet Union). `role` is a readable
/// role: the title valid on the publication date for known people, the agent noun for
/// agent-built actors ("foreign ministry"), "capital as government" for metonyms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    pub kind: EntityKind,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geonames_id: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    pub sentence_index: usize,
}

impl Entity {
    /// An entity of `kind` over bytes `start..end` called `name`, with no text, code, country,
    /// role or place details yet (the resolver fills them in), in sentence 0.
    pub(crate) fn new(kind: EntityKind, start: usize, end: usize, name: String) -> Entity {
        Entity {
            kind,
            start,
            end,
            text: String::new(),
            name,
            code: None,
            country: None,
            role: None,
            geonames_id: None,
            admin1: None,
            lat: None,
            lon: None,
            sentence_index: 0,
        }
    }
}

/// A sentence as a byte range of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sentence {
    pub index: usize,
    pub start: usize,
    pub end: usize,
}

/// Token classes produced by [`crate::entities::tokens`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

/// A token as a byte range of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}
