//! Fuzzes the dedup fingerprint: the first line is the canonical URL (none
//! when empty), the rest the body. A fingerprint must survive its byte
//! encoding, equal itself, and any byte string must decode or be refused
//! without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsflow::stages::dedup::Fingerprint;

fuzz_target!(|data: &[u8]| {
    let _ = Fingerprint::from_bytes(data);
    let text = String::from_utf8_lossy(data);
    let (url, body) = text.split_once('\n').unwrap_or(("", &text));
    let fp = Fingerprint::compute(Some(url).filter(|u| !u.is_empty()), body);
    let back = Fingerprint::from_bytes(&fp.to_bytes()).expect("own encoding decodes");
    assert_eq!(back, fp);
    let s = fp.similarity(&fp);
    assert!((0.0..=1.0).contains(&s), "similarity {s}");
});
