//! The input offsets in flight, and what waits on them: a revoke's drain,
//! the shutdown drain, the commit by count. The tracker (`offsets.rs`) is
//! the bookkeeping; this is its shared, blocking face.

use crate::shell::offsets::{OffsetTracker, Ticket};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub struct InFlight {
    pub tracker: Mutex<OffsetTracker>,
    /// Signalled whenever an offset completes or the stop flag changes.
    pub changed: Condvar,
    /// How long a revoke may wait for in-flight work of its partitions.
    revoke_drain: Duration,
    /// Messages whose work is complete, ever: what a commit by count counts.
    pub completed: AtomicU64,
    /// Metadata committed with each partition's offset (replay records its
    /// end offset there, so a resumed open-ended replay stops where the
    /// first attempt meant to).
    pub commit_metadata: Mutex<HashMap<i32, String>>,
}

impl InFlight {
    pub fn new(revoke_drain: Duration) -> Self {
        InFlight {
            tracker: Mutex::new(OffsetTracker::new()),
            changed: Condvar::new(),
            revoke_drain,
            completed: AtomicU64::new(0),
            commit_metadata: Mutex::new(HashMap::new()),
        }
    }

    /// The tracker, locked.
    pub fn tracker(&self) -> MutexGuard<'_, OffsetTracker> {
        self.tracker.lock().unwrap()
    }

    pub fn owns(&self, partition: i32) -> bool {
        self.tracker().owns(partition)
    }

    /// Whether a read still belongs to the current assignment of its partition.
    pub fn is_current(&self, ticket: &Ticket) -> bool {
        self.tracker().is_current(ticket)
    }

    /// The message's work is complete: its offset may be committed.
    pub fn complete(&self, ticket: &Ticket) {
        self.tracker().complete(ticket);
        self.completed.fetch_add(1, Ordering::Relaxed);
        self.changed.notify_all();
    }

    /// Before `parts` are revoked: waits up to the revoke drain time for the
    /// work read from them to be acknowledged.
    pub fn drain_before_revoke(&self, parts: &[i32]) {
        self.wait_drained(Some(parts), Instant::now() + self.revoke_drain);
    }

    /// Blocks until the given partitions (all when `None`) have nothing in
    /// flight, or the deadline passes. Returns whether they drained.
    pub fn wait_drained(&self, partitions: Option<&[i32]>, deadline: Instant) -> bool {
        let mut tracker = self.tracker();
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
}
