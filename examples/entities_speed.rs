//! Plain timing harness for the recognizer (criterion bench: benches/entities.rs): runs
//! `recognize` over ../shared/corpora/bbc.jsonl N times (default 3) on one thread and prints MB/s.
//!
//!     cargo run --release --example entities_speed -- [ROUNDS]

use std::time::Instant;

use newsflow::entities::{recognize, Gazetteer};

#[path = "common/bbc.rs"]
mod bbc;

fn main() -> anyhow::Result<()> {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let Some(texts) = bbc::bbc_texts() else {
        return Ok(());
    };
    let docs: Vec<String> = texts.collect();
    let t = Instant::now();
    let g = Gazetteer::load_default()?;
    println!(
        "gazetteer: {} patterns, loaded in {:.0} ms",
        g.pattern_count(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let bytes: usize = docs.iter().map(String::len).sum();
    for _ in 0..rounds {
        let t = Instant::now();
        let n: usize = docs.iter().map(|d| recognize(&g, d, None).len()).sum();
        let s = t.elapsed().as_secs_f64();
        println!(
            "{} articles, {:.2} MB, {n} entities: {:.1} MB/s, {:.0} us/article",
            docs.len(),
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / s,
            s * 1e6 / docs.len() as f64
        );
    }
    Ok(())
}
