//! One sentence coded alone, as the coding-rule tests read it.

use super::coder::{article, extractor};

/// One sentence, coded alone: (source text, target text, code) of each event.
pub fn code_sentence(body: &str) -> Vec<(String, String, String)> {
    let line = serde_json::json!({
        "id": "rule", "url": "https://rules.example/1", "source": "rules",
        "published_at": "2024-03-01T12:00:00Z", "title": "", "body": body
    })
    .to_string();
    let x = extractor().extract(&article(line.as_bytes()));
    x.events
        .iter()
        .map(|e| {
            (
                e.source.text.clone(),
                e.target.text.clone(),
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
