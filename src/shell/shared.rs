//! State shared by the consumer thread, the workers and the acknowledgement
//! tasks: the offset tracker, the stop flag, and the run's counters.

use super::offsets::OffsetTracker;
use crate::metrics::Health;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The one-line JSON summary `run --exit-when-idle` prints last.
#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub consumed: u64,
    pub articles: u64,
    pub events: u64,
    pub duplicates: u64,
    pub dlq: u64,
}

#[derive(Debug, Default)]
pub struct Counters {
    pub consumed: AtomicU64,
    pub consumed_bytes: AtomicU64,
    pub articles: AtomicU64,
    pub events: AtomicU64,
    pub duplicates: AtomicU64,
    pub dlq: AtomicU64,
}

pub struct Shared {
    pub tracker: Mutex<OffsetTracker>,
    /// Signalled whenever an offset completes or the stop flag changes.
    pub changed: Condvar,
    pub health: Arc<Health>,
    pub counters: Counters,
    pub input_topic: String,
    /// `run` or `replay`: the `mode` metric label.
    pub mode: &'static str,
    /// How long a revoke may wait for in-flight work of its partitions.
    pub revoke_drain: Duration,
    /// True while `--seed` is still publishing (the idle exit waits for it).
    pub seeding: AtomicBool,
    /// `run --echo`: print every acknowledged output record on stdout.
    pub echo: AtomicBool,
    stop: AtomicBool,
    stop_at: Mutex<Option<Instant>>,
    fatal: Mutex<Option<String>>,
}

impl Shared {
    pub fn new(input_topic: String, mode: &'static str, health: Arc<Health>, revoke_drain: Duration) -> Self {
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

    pub fn complete(&self, partition: i32, offset: i64) {
        self.tracker.lock().unwrap().complete(partition, offset);
        self.changed.notify_all();
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
                tracing::warn!(in_flight = busy, "drain deadline passed; committing the completed watermark only");
                return false;
            }
            tracker = self.changed.wait_timeout(tracker, deadline - now).unwrap().0;
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
        }
    }
}
