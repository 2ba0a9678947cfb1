//! Criterion benchmark of the event coder over BBC News articles (../shared/corpora/bbc.jsonl):
//! the whole `Extractor::extract` (entities, events, quotes, casualties, dates, tone, themes)
//! on one core, in articles per second.
//!
//!     cargo bench --bench extract

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsflow::model::Article;
use newsflow::stages::extract::Extractor;
use newsflow::stages::{normalize, parse};

fn articles() -> Vec<Article> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/bbc.jsonl");
    let Ok(text) = std::fs::read(path) else {
        eprintln!("skipping: {path} not found");
        return Vec::new();
    };
    text.split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .filter_map(|l| normalize::normalize(parse::parse(l, 1 << 20).ok()?).ok())
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = articles();
    if docs.is_empty() {
        return;
    }
    let x = Extractor::load_default().expect("data/ loads");
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.sample_size(10);
    group.bench_function(format!("extract_{}_bbc_articles", docs.len()), |b| {
        b.iter(|| {
            docs.iter()
                .map(|a| x.extract(a).events.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
