//! One sentence coded alone, as the coding-rule tests read it.

use super::coder::{article, extractor};
use newsflow::stages::extract::Event;

/// One sentence, coded alone: its events.
pub fn events_of(body: &str) -> Vec<Event> {
    let line = serde_json::json!({
        "id": "rule", "url": "https://rules.example/1", "source": "rules",
        "published_at": "2024-03-01T12:00:00Z", "title": "", "body": body
    })
    .to_string();
    extractor().extract(&article(line.as_bytes())).events
}

/// The target text `code_sentence` gives an event with no target.
#[allow(dead_code)]
pub const NO_TARGET: &str = "(none)";

/// One sentence, coded alone: (source text, target text, code) of each event.
pub fn code_sentence(body: &str) -> Vec<(String, String, String)> {
    events_of(body)
        .iter()
        .map(|e| {
            (
                e.source.text.clone(),
                e.target
                    .as_ref()
                    .map_or(NO_TARGET.to_string(), |t| t.text.clone()),
                e.action.cameo.clone(),
            )
        })
        .collect()
}

pub fn has(events: &[(String, String, String)], src: &str, tgt: &str, root: &str) -> bool {
    events
        .iter()
        .any(|(s, t, c)| s.contains(src) && t.contains(tgt) && c.starts_with(root))
}
