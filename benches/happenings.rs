//! Criterion benchmark of the aggregation of events into happenings, over the event records of
//! the first 3,000 Reuters-21578 TRAIN stories (../shared/corpora/, read in place):
//!
//! - `chain/…` and `chain_with_happenings/…`: the whole offline chain (parse, normalize, dedup,
//!   extract, records) without and with aggregation, in the same run, so their ratio is the
//!   cost of aggregating;
//! - `observe/…`: the streaming path alone, each event record read back and upserted, with its
//!   changed happening records written;
//! - `add_finish/…`: the offline path alone (`extract --happenings`).
//!
//!     cargo bench --bench happenings

use std::sync::{Arc, Mutex};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsflow::stages::dedup::{DedupConfig, DedupIndex};
use newsflow::stages::extract::Extractor;
use newsflow::stages::happenings::{Happenings, Report, Rules};
use newsflow::stages::route::Target;
use newsflow::stages::{Chain, ChainConfig, Source, Timings};

const STORIES: usize = 3_000;

fn lines() -> Vec<Vec<u8>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpora/reuters21578-train.jsonl"
    );
    let Ok(text) = std::fs::read(path) else {
        eprintln!("skipping: {path} not found");
        return Vec::new();
    };
    text.split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .take(STORIES)
        .map(<[u8]>::to_vec)
        .collect()
}

/// The chain over every line; the event records, and with `happenings` their aggregation.
fn run_chain(chain: &Chain, lines: &[Vec<u8>], happenings: bool) -> (Vec<Vec<u8>>, usize) {
    let index = Mutex::new(DedupIndex::new(DedupConfig::default()).unwrap());
    let mut h = Happenings::new(Rules::default(), 20);
    let mut events = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let o = chain.process(
            l,
            Source::line(i as u64 + 1),
            &index,
            true,
            &mut Timings::default(),
        );
        for out in o.outputs.into_iter().filter(|o| o.target == Target::Events) {
            if happenings {
                if let Ok(Some(r)) = Report::from_event_record(&out.payload, None) {
                    h.add(r);
                }
            }
            events.push(out.payload);
        }
    }
    let n = if happenings { h.finish().len() } else { 0 };
    (events, n)
}

fn bench(c: &mut Criterion) {
    let lines = lines();
    if lines.is_empty() {
        return;
    }
    let chain = Chain::new(ChainConfig {
        max_message_bytes: 1 << 20,
    })
    .with_extractor(Arc::new(Extractor::load_default().expect("data/ loads")));
    let (events, _) = run_chain(&chain, &lines, false);
    let mut g = c.benchmark_group("happenings");
    g.sample_size(10);
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.bench_function("chain/reuters_3000", |b| {
        b.iter(|| run_chain(&chain, &lines, false).0.len())
    });
    g.bench_function("chain_with_happenings/reuters_3000", |b| {
        b.iter(|| run_chain(&chain, &lines, true).1)
    });
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function(format!("observe/{}_events", events.len()), |b| {
        b.iter(|| {
            let mut h = Happenings::new(Rules::default(), 20);
            let mut changes = 0;
            for e in &events {
                if let Ok(Some(r)) = Report::from_event_record(e, None) {
                    changes += h.observe(r).changes.len();
                }
            }
            changes + h.close_expired().changes.len()
        })
    });
    g.bench_function(format!("add_finish/{}_events", events.len()), |b| {
        b.iter(|| {
            let mut h = Happenings::new(Rules::default(), 20);
            for e in &events {
                if let Ok(Some(r)) = Report::from_event_record(e, None) {
                    h.add(r);
                }
            }
            h.finish().len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
