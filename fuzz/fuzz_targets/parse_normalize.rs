//! Fuzzes the first stages on raw message bytes: parse (JSON, types, fields)
//! and normalize (HTML pricing, parsing or stripping, NFC, cleaning,
//! canonical URL, language, id), and the HTML renderers on their own. Any
//! panic, any input over the per-input time limit, is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsflow::stages::{html, normalize, parse};

fuzz_target!(|data: &[u8]| {
    if let Ok(raw) = parse::parse(data, 1 << 20) {
        if let Ok(a) = normalize::normalize(raw) {
            assert!(!a.body.is_empty(), "an accepted article has text");
            assert_eq!(a.body, normalize::clean_text(&a.body), "clean text is clean");
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = html::render(s);
        let _ = html::strip_tags(s);
    }
});
