//! Criterion benchmarks of the functional core's first stages, one article
//! at a time: parse (bytes to a type-checked article) and normalize (HTML,
//! NFC, whitespace, canonical URL, language, id), and the whole chain with
//! dedup. Input: ../shared/corpora/bbc.jsonl (research use: read in place,
//! never copied). Run: `cargo bench --bench stages`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsflow::stages::dedup::{DedupConfig, DedupIndex};
use newsflow::stages::{normalize, parse, Chain, ChainConfig, Source, Timings};
use std::sync::Mutex;

fn corpus() -> Vec<Vec<u8>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/bbc.jsonl");
    match std::fs::read_to_string(path) {
        Ok(s) => s.lines().map(|l| l.as_bytes().to_vec()).collect(),
        Err(_) => {
            eprintln!("SKIPPED: {path} not found");
            Vec::new()
        }
    }
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    if docs.is_empty() {
        return;
    }
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Elements(docs.len() as u64));
    g.sample_size(10);
    g.bench_function("parse/bbc", |b| {
        b.iter(|| {
            docs.iter()
                .filter(|d| parse::parse(d, 1 << 20).is_ok())
                .count()
        })
    });
    let raws: Vec<_> = docs
        .iter()
        .map(|d| parse::parse(d, 1 << 20).unwrap())
        .collect();
    g.bench_function("normalize/bbc", |b| {
        b.iter(|| {
            raws.iter()
                .cloned()
                .filter_map(|r| normalize::normalize(r).ok())
                .count()
        })
    });
    let chain = Chain::new(ChainConfig {
        max_message_bytes: 1 << 20,
    });
    g.bench_function("chain_with_dedup/bbc", |b| {
        b.iter(|| {
            let index = Mutex::new(DedupIndex::new(DedupConfig::default()).unwrap());
            docs.iter()
                .map(|d| {
                    chain
                        .process(
                            d,
                            Source {
                                broker_ts_ms: Some(0),
                                ..Source::default()
                            },
                            &index,
                            false,
                            &mut Timings::default(),
                        )
                        .outputs
                        .len()
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
