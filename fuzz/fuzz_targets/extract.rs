//! Fuzzes the whole chain on article text: the input is an English body
//! (the fuzzer explores text, not JSON syntax), run through parse,
//! normalize, the budgets, the fingerprint, the dedup decision, extract and
//! the records, as `newsflow run` does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsflow::stages::dedup::{DedupConfig, DedupIndex};
use newsflow::stages::extract::Extractor;
use newsflow::stages::{Chain, ChainConfig, Source, Timings};
use std::sync::{Arc, Mutex, OnceLock};

fn chain() -> &'static (Chain, Mutex<DedupIndex>) {
    static C: OnceLock<(Chain, Mutex<DedupIndex>)> = OnceLock::new();
    C.get_or_init(|| {
        let x = Extractor::load_default().expect("data/ loads");
        let chain = Chain::new(ChainConfig {
            max_message_bytes: 1 << 20,
        })
        .with_extractor(Arc::new(x));
        let index = DedupIndex::new(DedupConfig {
            capacity: 1000,
            ..DedupConfig::default()
        })
        .expect("dedup index");
        (chain, Mutex::new(index))
    })
}

fuzz_target!(|data: &[u8]| {
    let payload = serde_json::json!({
        "title": "Fuzz",
        "language": "en",
        "published_at": "2026-01-14T08:00:00Z",
        "body": String::from_utf8_lossy(data),
    })
    .to_string();
    let (chain, index) = chain();
    let out = chain.process(payload.as_bytes(), Source::stream(0, 0, Some(0)), index, true, &mut Timings::default());
    assert!(out.rejection.is_some() || !out.outputs.is_empty());
});
