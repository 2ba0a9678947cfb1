//! The run's figures: counters, the latency log and the busy time, and the
//! one-line summary `run --exit-when-idle` prints from them.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// The one-line JSON summary `run --exit-when-idle` prints last.
#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq)]
pub struct Summary {
    pub consumed: u64,
    pub articles: u64,
    pub events: u64,
    pub duplicates: u64,
    pub dlq: u64,
    /// Input messages the broker deleted before they were read (see
    /// `shell::loss`): never processed.
    pub lost: u64,
    /// Seconds from the first message read to the last one completed.
    pub busy_secs: f64,
    /// End-to-end latency quantiles (output acknowledged minus input
    /// message timestamp), in milliseconds.
    pub latency_p50_ms: u64,
    pub latency_p99_ms: u64,
}

#[derive(Debug, Default)]
pub struct Counters {
    pub consumed: AtomicU64,
    pub consumed_bytes: AtomicU64,
    pub articles: AtomicU64,
    pub events: AtomicU64,
    pub duplicates: AtomicU64,
    pub dlq: AtomicU64,
    /// Dedup changelog records acknowledged.
    pub remembered: AtomicU64,
    /// Happening reports acknowledged on the repartition topic.
    pub reports: AtomicU64,
    /// Input messages deleted by the broker before they were read.
    pub lost: AtomicU64,
}

/// Latency histogram for the run summary: 1 ms buckets up to 10 s, then
/// 100 ms buckets up to 10 min. Lock-free; the Prometheus histogram is the
/// one to watch in production, this one gives exact-enough run quantiles.
pub struct LatencyLog {
    buckets: Vec<AtomicU64>,
}

impl Default for LatencyLog {
    fn default() -> Self {
        LatencyLog {
            buckets: (0..10_000 + 5_900).map(|_| AtomicU64::new(0)).collect(),
        }
    }
}

impl LatencyLog {
    fn index(ms: u64) -> usize {
        if ms < 10_000 {
            ms as usize
        } else {
            (10_000 + (ms - 10_000) / 100).min(15_899) as usize
        }
    }
    fn value(i: usize) -> u64 {
        if i < 10_000 {
            i as u64
        } else {
            10_000 + (i as u64 - 10_000) * 100
        }
    }
    pub fn record(&self, ms: u64) {
        self.buckets[Self::index(ms)].fetch_add(1, Ordering::Relaxed);
    }
    pub fn quantile(&self, q: f64) -> u64 {
        let counts: Vec<u64> = self
            .buckets
            .iter()
            .map(|b| b.load(Ordering::Relaxed))
            .collect();
        let total: u64 = counts.iter().sum();
        if total == 0 {
            return 0;
        }
        let target = ((total as f64) * q).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, c) in counts.iter().enumerate() {
            seen += c;
            if seen >= target {
                return Self::value(i);
            }
        }
        Self::value(counts.len() - 1)
    }
}

/// Everything the summary is made of.
#[derive(Default)]
pub struct RunStats {
    pub counters: Counters,
    pub latency: LatencyLog,
    first_read: Mutex<Option<Instant>>,
    last_done: Mutex<Option<Instant>>,
}

impl RunStats {
    /// Notes the first read of the run (for `busy_secs`).
    pub fn mark_read(&self) {
        self.first_read
            .lock()
            .unwrap()
            .get_or_insert_with(Instant::now);
    }

    /// Notes the latest completed message (for `busy_secs`).
    pub fn mark_done(&self) {
        *self.last_done.lock().unwrap() = Some(Instant::now());
    }

    pub fn summary(&self) -> Summary {
        let c = &self.counters;
        Summary {
            consumed: c.consumed.load(Ordering::Relaxed),
            articles: c.articles.load(Ordering::Relaxed),
            events: c.events.load(Ordering::Relaxed),
            duplicates: c.duplicates.load(Ordering::Relaxed),
            dlq: c.dlq.load(Ordering::Relaxed),
            lost: c.lost.load(Ordering::Relaxed),
            busy_secs: match (
                *self.first_read.lock().unwrap(),
                *self.last_done.lock().unwrap(),
            ) {
                (Some(a), Some(b)) if b > a => ((b - a).as_secs_f64() * 1000.0).round() / 1000.0,
                _ => 0.0,
            },
            latency_p50_ms: self.latency.quantile(0.50),
            latency_p99_ms: self.latency.quantile(0.99),
        }
    }
}
