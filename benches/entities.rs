//! Criterion benchmark of the recognizer over BBC News articles (../shared/corpora/bbc.jsonl).
//!
//!     cargo bench --bench entities

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsflow::entities::{recognize, split_sentences, Gazetteer};

#[path = "../examples/common/bbc.rs"]
mod bbc;

fn articles() -> Vec<String> {
    bbc::bbc_texts()
        .map(|texts| texts.take(500).collect())
        .unwrap_or_default()
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
