//! Criterion benchmark of the recognizer over BBC News articles (../shared/corpora/bbc.jsonl).
//!
//!     cargo bench --bench entities

use std::io::BufRead;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsflow::entities::{recognize, split_sentences, Gazetteer};

fn articles() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/bbc.jsonl");
    let Ok(f) = std::fs::File::open(path) else {
        eprintln!("skipping: {path} not found");
        return Vec::new();
    };
    std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter_map(|v| {
            Some(format!(
                "{}\n\n{}",
                v["title"].as_str()?,
                v["body"].as_str()?
            ))
        })
        .take(500)
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = articles();
    if docs.is_empty() {
        return;
    }
    let g = Gazetteer::load_default().expect("data/ loads");
    let bytes: usize = docs.iter().map(String::len).sum();
    let mut group = c.benchmark_group("entities");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("recognize_500_bbc_articles", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| recognize(&g, d, None).len())
                .sum::<usize>()
        })
    });
    group.bench_function("split_sentences_500_bbc_articles", |b| {
        b.iter(|| docs.iter().map(|d| split_sentences(d).len()).sum::<usize>())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
