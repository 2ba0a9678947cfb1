//! The event coder as the golden and coding-rule tests use it: the default
//! dictionaries loaded once, and articles from JSON lines.

use newsflow::model::Article;
use newsflow::stages::extract::{Extraction, Extractor};
use newsflow::stages::{normalize, parse};
use std::sync::OnceLock;

pub fn extractor() -> &'static Extractor {
    static X: OnceLock<Extractor> = OnceLock::new();
    X.get_or_init(|| Extractor::load_default().expect("data/ loads"))
}

pub fn article(line: &[u8]) -> Article {
    normalize::normalize(parse::parse(line, 1 << 20).expect("parses")).expect("normalizes")
}

pub fn show(x: &Extraction) -> String {
    x.events
        .iter()
        .map(|e| {
            format!(
                "  s{} {} -> {} {} {:?} {:?}/{:?} hyp={} | {}\n",
                e.evidence.sentence_index,
                e.source.code,
                e.target.as_ref().map_or("(none)", |t| t.code.as_str()),
                e.action.cameo,
                e.date,
                e.date_precision,
                e.date_basis,
                e.hypothetical,
                e.action.verb_text
            )
        })
        .collect()
}
