//! Speed and memory of the dedup core with one million articles remembered.
//!
//! Builds a synthetic index of 1,000,000 articles (ids shaped like the ones
//! normalize derives, `u-` + 16 hex digits; a canonical URL each; texts of
//! 60-200 words from a 20,000-word vocabulary, one in ten a near copy of an
//! earlier one; times spread over six days), prints its memory (heap bytes
//! per article and the process RSS), then measures on one thread:
//!
//! * `check`: decisions per second against the full index, for a mix of new
//!   articles, near copies (a paragraph added) and exact copies under new URLs;
//! * `observe`: check then remember (the offline path, and the streaming one
//!   once acknowledged), with the index at capacity so that every insert also
//!   pays its share of eviction, purging and arena compaction;
//! * `fingerprint`: computing a fingerprint from a 300-word text.
//!
//! Run: `cargo bench --bench dedup`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use newsflow::stages::dedup::{DedupConfig, DedupIndex, Fingerprint};
use std::hint::black_box;

const ARTICLES: usize = 1_000_000;
const T0: i64 = 1_700_000_000;
const SIX_DAYS: i64 = 6 * 24 * 3600;

struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn text(&mut self, words: usize) -> String {
        // Skewed towards frequent words, like real text.
        let mut pick = || {
            let range = self.next(20_000) + 1;
            self.next(range)
        };
        (0..words)
            .map(|_| format!("w{}", pick()))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn id(n: usize) -> String {
    format!("u-{:016x}", (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

fn url(n: usize) -> String {
    format!("https://site{}.example/news/{n}", n % 500)
}

/// The index with ARTICLES remembered, and the texts of the last 10,000.
fn build() -> (DedupIndex, Vec<String>) {
    let cfg = DedupConfig {
        capacity: ARTICLES,
        ..DedupConfig::default()
    };
    let mut index = DedupIndex::new(cfg).expect("valid config");
    let mut rng = Rng(0x853c_49e6_748f_ea9b);
    let mut recent: Vec<String> = Vec::new();
    for n in 0..ARTICLES {
        let text = if n % 10 == 9 && !recent.is_empty() {
            let base = &recent[rng.next(recent.len())];
            format!("{base} {}", rng.text(8))
        } else {
            let words = 60 + rng.next(140);
            rng.text(words)
        };
        let fp = Fingerprint::compute(Some(&url(n)), &text);
        let time = T0 + (n as i64 * SIX_DAYS) / ARTICLES as i64;
        index.observe(&id(n), &fp, time);
        if recent.len() < 10_000 {
            recent.push(text);
        } else {
            recent[n % 10_000] = text;
        }
    }
    (index, recent)
}

/// `count` fingerprints: a third new texts, a third near copies (a paragraph
/// added) and a third exact copies under new URLs of recently indexed texts.
fn mix(rng: &mut Rng, recent: &[String], serial: usize, count: usize) -> Vec<Fingerprint> {
    (serial..serial + count)
        .map(|q| {
            let new_url = format!("https://new.example/{q}");
            match q % 3 {
                0 => Fingerprint::compute(Some(&new_url), &rng.text(150)),
                1 => {
                    let base = &recent[rng.next(recent.len())];
                    Fingerprint::compute(Some(&new_url), &format!("{base} {}", rng.text(10)))
                }
                _ => Fingerprint::compute(Some(&new_url), &recent[rng.next(recent.len())]),
            }
        })
        .collect()
}

fn rss_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_default();
    line.split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    let started = std::time::Instant::now();
    let rss_before = rss_kib("VmRSS:") as f64 / 1024.0;
    let (index, recent) = build();
    let bytes = index.memory_bytes();
    eprintln!(
        "dedup index: {} articles in {:.1?}; heap {:.1} MB = {:.1} bytes/article; RSS {:.1} MB before, {:.1} MB after (peak {:.1} MB); evictions {}, dropped keys {}",
        index.len(),
        started.elapsed(),
        bytes as f64 / 1e6,
        bytes as f64 / index.len() as f64,
        rss_before,
        rss_kib("VmRSS:") as f64 / 1024.0,
        rss_kib("VmHWM:") as f64 / 1024.0,
        index.evictions(),
        index.dropped_keys()
    );
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let now = T0 + SIX_DAYS;
    let queries = mix(&mut rng, &recent, 0, 3000);
    let mut group = c.benchmark_group("dedup");
    group.sample_size(20);
    group.throughput(Throughput::Elements(queries.len() as u64));
    group.bench_function("check_1m", |b| {
        b.iter(|| {
            for fp in &queries {
                black_box(index.check(fp, now));
            }
        })
    });

    let mut index = index;
    let mut serial = ARTICLES;
    group.throughput(Throughput::Elements(1000));
    group.bench_function("observe_1m", |b| {
        b.iter_batched(
            || {
                serial += 1000;
                (serial, mix(&mut rng, &recent, serial, 1000))
            },
            |(base, batch)| {
                // Article time moves 1 s per article: the window slides too.
                for (k, fp) in batch.iter().enumerate() {
                    let n = base + k;
                    black_box(index.observe(&id(n), fp, now + (n - ARTICLES) as i64));
                }
            },
            BatchSize::PerIteration,
        )
    });

    let text = rng.text(300);
    group.throughput(Throughput::Elements(1));
    group.bench_function("fingerprint_300_words", |b| {
        b.iter(|| Fingerprint::compute(Some("https://example.com/a"), black_box(&text)))
    });
    group.finish();
    eprintln!(
        "after observe: {} articles, evictions {} (capacity {}), heap {:.1} bytes/article, RSS peak {:.1} MB",
        index.len(),
        index.evictions(),
        index.capacity_evictions(),
        index.memory_bytes() as f64 / index.len() as f64,
        rss_kib("VmHWM:") as f64 / 1024.0
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
