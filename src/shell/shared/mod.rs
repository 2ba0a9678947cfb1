//! State shared by the consumer thread, the workers and the acknowledgement
//! tasks, split by job: the offsets in flight ([`InFlight`]), the run's
//! figures ([`RunStats`]), and here the lifecycle every thread watches (the
//! stop flag, a fatal failure, readiness) and what identifies the run.

mod inflight;
mod stats;

pub use inflight::InFlight;
pub use stats::{Counters, LatencyLog, RunStats, Summary};

use super::offsets::Ticket;
use crate::metrics::Health;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
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

pub struct Shared {
    /// The input offsets in flight and the waits on them.
    pub inflight: InFlight,
    /// Counters, latency and busy time: the run summary.
    pub stats: RunStats,
    pub health: Arc<Health>,
    pub input_topic: String,
    pub mode: Mode,
    /// True while `--seed` is still publishing (the idle exit waits for it).
    pub seeding: AtomicBool,
    /// The dedup memory, set once it exists; a revoked partition stops
    /// holding its window back.
    pub dedup: std::sync::OnceLock<Arc<Mutex<crate::stages::dedup::DedupIndex>>>,
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
            inflight: InFlight::new(revoke_drain),
            stats: RunStats::default(),
            health,
            input_topic,
            mode,
            seeding: AtomicBool::new(false),
            dedup: std::sync::OnceLock::new(),
            stop: AtomicBool::new(false),
            stop_at: Mutex::new(None),
            fatal: Mutex::new(None),
        }
    }

    pub fn request_stop(&self) {
        if !self.stop.swap(true, Ordering::SeqCst) {
            *self.stop_at.lock().unwrap() = Some(Instant::now());
        }
        self.inflight.changed.notify_all();
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
        let ticket = self.inflight.tracker().begin(partition, offset);
        self.stats.mark_read();
        let c = &self.stats.counters;
        c.consumed.fetch_add(1, Ordering::Relaxed);
        c.consumed_bytes.fetch_add(bytes as u64, Ordering::Relaxed);
        consumed.increment(1);
        ticket
    }

    /// The message's work is complete (its records acknowledged, or none).
    pub fn complete(&self, ticket: &Ticket) {
        self.stats.mark_done();
        self.inflight.complete(ticket);
    }

    pub fn summary(&self) -> Summary {
        self.stats.summary()
    }
}
