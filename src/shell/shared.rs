//! State shared by the consumer thread, the workers and the acknowledgement
//! tasks: the offset tracker, the stop flag, and the run's counters.

use super::offsets::{OffsetTracker, Ticket};
use crate::metrics::Health;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Which command this process runs: the `mode` label of every series, and
/// what live-only measures (consumer lag, end-to-end latency) apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `newsflow run`: the live pipeline.
    Run,
    /// `newsflow replay`: a bounded backfill.
    Replay,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Run => "run",
            Mode::Replay => "replay",
        }
    }
}

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

pub struct Shared {
    pub tracker: Mutex<OffsetTracker>,
    /// Signalled whenever an offset completes or the stop flag changes.
    pub changed: Condvar,
    pub health: Arc<Health>,
    pub counters: Counters,
    pub input_topic: String,
    pub mode: Mode,
    /// How long a revoke may wait for in-flight work of its partitions.
    pub revoke_drain: Duration,
    /// True while `--seed` is still publishing (the idle exit waits for it).
    pub seeding: AtomicBool,
    /// `run --echo`: print every acknowledged output record on stdout.
    pub echo: AtomicBool,
    /// Benchmark baseline: skip the stages, copy input to the articles topic.
    pub passthrough: AtomicBool,
    pub latency: LatencyLog,
    /// The dedup memory, set once it exists; a revoked partition stops
    /// holding its window back.
    pub dedup: std::sync::OnceLock<Arc<Mutex<crate::stages::dedup::DedupIndex>>>,
    /// Metadata committed with each partition's offset (replay records its
    /// end offset there, so a resumed open-ended replay stops where the
    /// first attempt meant to).
    pub commit_metadata: Mutex<std::collections::HashMap<i32, String>>,
    first_read: Mutex<Option<Instant>>,
    last_done: Mutex<Option<Instant>>,
    /// Messages whose work is complete, ever: what a commit by count counts.
    pub completed: AtomicU64,
    stop: AtomicBool,
    stop_at: Mutex<Option<Instant>>,
    fatal: Mutex<Option<String>>,
}

impl Shared {
    pub fn new(
        input_topic: String,
        mode: Mode,
        health: Arc<Health>,
        revoke_drain: Duration,
    ) -> Self {
        Shared {
            tracker: Mutex::new(OffsetTracker::new()),
            changed: Condvar::new(),
            health,
            counters: Counters::default(),
            input_topic,
            mode,
            revoke_drain,
            seeding: AtomicBool::new(false),
            echo: AtomicBool::new(false),
            passthrough: AtomicBool::new(false),
            latency: LatencyLog::default(),
            dedup: std::sync::OnceLock::new(),
            commit_metadata: Mutex::new(std::collections::HashMap::new()),
            first_read: Mutex::new(None),
            last_done: Mutex::new(None),
            completed: AtomicU64::new(0),
            stop: AtomicBool::new(false),
            stop_at: Mutex::new(None),
            fatal: Mutex::new(None),
        }
    }

    pub fn request_stop(&self) {
        if !self.stop.swap(true, Ordering::SeqCst) {
            *self.stop_at.lock().unwrap() = Some(Instant::now());
        }
        self.changed.notify_all();
    }

    pub fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// When the stop was requested (the shutdown deadline counts from there).
    pub fn stop_requested_at(&self) -> Option<Instant> {
        *self.stop_at.lock().unwrap()
    }

    /// A failure after which continuing would risk losing data (a record the
    /// broker refused for good): stop without committing past it.
    pub fn fail(&self, why: String) {
        tracing::error!(error = %why, "fatal: stopping without committing past unacknowledged input");
        self.fatal.lock().unwrap().get_or_insert(why);
        self.request_stop();
    }

    pub fn fatal(&self) -> Option<String> {
        self.fatal.lock().unwrap().clone()
    }

    pub fn owns(&self, partition: i32) -> bool {
        self.tracker.lock().unwrap().owns(partition)
    }

    /// Accounts one message read for processing: its in-flight ticket at
    /// `partition`/`offset`, the first read of the run, the consumed
    /// counters (`bytes` of payload) and the `consumed` metric.
    pub fn begin_read(
        &self,
        partition: i32,
        offset: i64,
        bytes: usize,
        consumed: &::metrics::Counter,
    ) -> Ticket {
        let ticket = self.tracker.lock().unwrap().begin(partition, offset);
        self.mark_read();
        self.counters.consumed.fetch_add(1, Ordering::Relaxed);
        self.counters
            .consumed_bytes
            .fetch_add(bytes as u64, Ordering::Relaxed);
        consumed.increment(1);
        ticket
    }

    /// Notes the first read of the run (for `busy_secs`).
    pub fn mark_read(&self) {
        self.first_read
            .lock()
            .unwrap()
            .get_or_insert_with(Instant::now);
    }

    /// Whether a read still belongs to the current assignment of its partition.
    pub fn is_current(&self, ticket: &Ticket) -> bool {
        self.tracker.lock().unwrap().is_current(ticket)
    }

    pub fn complete(&self, ticket: &Ticket) {
        *self.last_done.lock().unwrap() = Some(Instant::now());
        self.tracker.lock().unwrap().complete(ticket);
        self.completed.fetch_add(1, Ordering::Relaxed);
        self.changed.notify_all();
    }

    /// Before `parts` are revoked: waits up to `revoke_drain` for the work
    /// read from them to be acknowledged.
    pub fn drain_before_revoke(&self, parts: &[i32]) {
        self.wait_drained(Some(parts), Instant::now() + self.revoke_drain);
    }

    /// Blocks until the given partitions (all when `None`) have nothing in
    /// flight, or the deadline passes. Returns whether they drained.
    pub fn wait_drained(&self, partitions: Option<&[i32]>, deadline: Instant) -> bool {
        let mut tracker = self.tracker.lock().unwrap();
        loop {
            let busy = match partitions {
                None => tracker.total_in_flight(),
                Some(ps) => ps.iter().map(|&p| tracker.in_flight(p)).sum(),
            };
            if busy == 0 {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                tracing::warn!(
                    in_flight = busy,
                    "drain deadline passed; committing the completed watermark only"
                );
                return false;
            }
            tracker = self
                .changed
                .wait_timeout(tracker, deadline - now)
                .unwrap()
                .0;
        }
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
