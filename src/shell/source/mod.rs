//! The shell's input side: one thread reads the input topic and hands each
//! message to a worker. A *source* says what to read next; the driver
//! ([`drive`]) does the rest, the same way for every source.
//!
//! * [`live`] is the live consumer group: messages in the order they are
//!   polled, each partition's to one worker, with the checks for input the
//!   broker deleted or an offset reset skipped, and the exit when idle.
//! * [`replay`] is a replay's range: every partition's part merged into one
//!   deterministic order, dealt to the workers round-robin with its place
//!   in that order, warm-up reads below where an interrupted replay stopped,
//!   an optional rate limit, and an end once the range is read.
//!
//! The driver owns what both share: stop checks, the commit schedule,
//! in-flight permits, read accounting (the offset tracker's ticket and the
//! consumed counter), the hand-off to the workers and, at the end, the wait
//! for what is in flight and the last commit.
//!
//! Why a plain thread and `BaseConsumer`: rebalance callbacks run inside
//! `poll`, and on revoke we must *block* until the revoked partitions' work
//! is acknowledged, then commit synchronously. Blocking a thread of our own is
//! harmless; blocking a tokio worker could starve the very tasks we wait for.
//!
//! Backpressure: a message is read only after a permit is taken from the
//! in-flight semaphore (`pipeline.max_in_flight`). Permits return when every
//! output of a message is acknowledged, so when the producer's queue or the
//! broker is slow, consumption pauses and memory stays flat.

pub mod live;
pub mod replay;

use super::consumer::ConsumerCtx;
use super::shared::Shared;
use super::worker::Job;
use crate::metrics::names;
use metrics::{counter, gauge};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Message, OwnedMessage};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

/// What comes next from the input, as far as a source can tell before an
/// in-flight permit is taken.
pub trait Source {
    /// The consumer it reads with; the delivery mode commits through it.
    fn consumer(&self) -> &BaseConsumer<ConsumerCtx>;

    /// Each turn, before a permit is taken: whatever the source must do
    /// whether or not a message can be handed out (end-of-partition checks,
    /// filling its queues), and whether to go on to read.
    fn prepare(&mut self, shared: &Shared) -> Step;

    /// With a permit held: the next message, or `None` when none came this
    /// turn (the permit goes back).
    fn next(&mut self, shared: &Shared) -> Option<Read>;
}

/// A source's answer before a permit is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Take a permit and ask for the next message.
    Read,
    /// Nothing to read this turn: go round again (commits and stop checks
    /// run meanwhile).
    Again,
    /// Everything the source was to read has been handed out.
    Done,
}

/// A message for the workers.
pub struct Read {
    pub msg: OwnedMessage,
    /// Read again only to rebuild the dedup memory (see [`Job::warmup`]):
    /// neither counted as consumed nor tracked for commits.
    pub warmup: bool,
    /// Its place in the order decisions follow (see [`super::order`]), for
    /// a source that fixes one.
    pub seq: Option<u64>,
    /// Which worker takes it: this modulo the number of workers.
    pub worker: u64,
}

/// What the driver needs besides its source.
pub struct Drive {
    pub shared: Arc<Shared>,
    /// One queue per worker.
    pub workers: Vec<mpsc::Sender<Job>>,
    /// The in-flight limit (see the module doc).
    pub permits: Arc<Semaphore>,
    /// Where the permit wait runs.
    pub rt: tokio::runtime::Handle,
    pub commit_interval: Duration,
    /// Commit also once this many messages were completed since the last commit.
    pub commit_every: Option<u64>,
    pub shutdown_deadline: Duration,
}

/// How a drive ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ended {
    /// The source had handed out everything it was to read (no stop).
    pub done: bool,
    /// Everything handed out was acknowledged before the deadline, with no
    /// fatal error.
    pub drained: bool,
}

/// Reads from `source` until it is done or a stop is requested, then lets
/// the workers finish, waits for what is in flight and commits it for the
/// last time.
///
/// The wait ends at the deadline: after a stop (requested here when the
/// source was not done) 80% of the shutdown deadline counted from the
/// stop, leaving the rest for flushing; after a source that is done, which
/// nobody is waiting on, the shutdown deadline from now but at least a
/// minute. On a fatal error there is no wait: nothing past it is committed.
pub fn drive(source: &mut impl Source, d: Drive) -> Ended {
    let Drive {
        shared,
        workers,
        permits,
        rt,
        commit_interval,
        commit_every,
        shutdown_deadline,
    } = d;
    let mut schedule = CommitSchedule::new(commit_interval, commit_every);
    let consumed = counter!(names::RECORDS_CONSUMED, "topic" => shared.input_topic.clone());
    let done = loop {
        if shared.stopping() {
            break false;
        }
        if schedule.commit_if_due(&shared, || {
            let consumer = source.consumer();
            consumer.context().commit().commit(consumer, &shared)
        }) {
            gauge!(names::IN_FLIGHT).set(shared.inflight.tracker().total_in_flight() as f64);
        }
        match source.prepare(&shared) {
            Step::Read => {}
            Step::Again => continue,
            Step::Done => break true,
        }
        let Some(permit) = take_permit(&permits, &rt) else {
            continue;
        };
        let Some(read) = source.next(&shared) else {
            continue;
        };
        let ticket = (!read.warmup).then(|| {
            let msg = &read.msg;
            let bytes = msg.payload().map_or(0, <[u8]>::len);
            shared.begin_read(msg.partition(), msg.offset(), bytes, &consumed)
        });
        let w = (read.worker % workers.len() as u64) as usize;
        let job = Job {
            msg: read.msg,
            ticket,
            permit,
            seq: read.seq,
            warmup: read.warmup,
        };
        if workers[w].blocking_send(job).is_err() {
            shared.fail("a worker stopped unexpectedly".into());
        }
    };
    // No more reading. Let the workers finish what they hold, wait for
    // acknowledgements up to the deadline, then commit what is complete.
    drop(workers);
    let deadline = if done {
        Instant::now() + shutdown_deadline.max(Duration::from_secs(60))
    } else {
        shared.request_stop();
        shared.stop_requested_at().unwrap_or_else(Instant::now) + shutdown_deadline.mul_f32(0.8)
    };
    let drained = shared.fatal().is_none() && shared.inflight.wait_drained(None, deadline);
    let consumer = source.consumer();
    consumer.context().commit().close(consumer, &shared);
    Ended { done, drained }
}

/// When the driver commits: every `interval`, and also once `every`
/// messages were completed since the last commit.
struct CommitSchedule {
    interval: Duration,
    every: Option<u64>,
    last: Instant,
    completed_at_last: u64,
}

impl CommitSchedule {
    fn new(interval: Duration, every: Option<u64>) -> Self {
        CommitSchedule {
            interval,
            every,
            last: Instant::now(),
            completed_at_last: 0,
        }
    }

    /// Runs `commit` when one is due. The interval counts from the end of
    /// the last commit call, so however long a commit takes on this thread
    /// (at-least-once's offset commit, an exactly-once transaction ended in
    /// place) the pipeline gets the interval's worth of reading between two.
    /// Counted from the start, a commit slower than the interval would
    /// follow the last one at once and leave no time to read. A periodic
    /// exactly-once commit only hands the transaction to its own thread, so
    /// there the interval is the transaction's length. `commit` returns
    /// `false` when it could not start (the last one is still under way):
    /// then it is due again at the next call. Returns whether it committed.
    fn commit_if_due(&mut self, shared: &Shared, commit: impl FnOnce() -> bool) -> bool {
        let completed = shared.inflight.completed.load(Ordering::Relaxed);
        let due = self.last.elapsed() >= self.interval
            || self
                .every
                .is_some_and(|n| completed - self.completed_at_last >= n);
        if !due || !commit() {
            return false;
        }
        self.completed_at_last = completed;
        self.last = Instant::now();
        true
    }
}

/// An in-flight permit, or `None` once the in-flight limit has held for up
/// to 100 ms of waiting for acknowledgements: the caller loops, so commits
/// and stop checks keep running meanwhile.
fn take_permit(
    permits: &Arc<Semaphore>,
    rt: &tokio::runtime::Handle,
) -> Option<OwnedSemaphorePermit> {
    match permits.clone().try_acquire_owned() {
        Ok(p) => Some(p),
        Err(_) => {
            let _ = rt.block_on(async {
                tokio::time::timeout(Duration::from_millis(100), permits.acquire()).await
            });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Health;
    use crate::shell::shared::Mode;

    fn shared() -> Shared {
        Shared::new(
            "in".into(),
            Mode::Run,
            Arc::new(Health::default()),
            Duration::ZERO,
        )
    }

    #[test]
    fn the_commit_interval_counts_from_the_end_of_the_last_commit() {
        let shared = shared();
        let interval = Duration::from_millis(40);
        let mut s = CommitSchedule::new(interval, None);
        std::thread::sleep(interval);
        let slow = || {
            std::thread::sleep(Duration::from_millis(60));
            true
        };
        assert!(s.commit_if_due(&shared, slow));
        // A commit slower than the interval: the next is not due at once.
        assert!(!s.commit_if_due(&shared, || panic!("not due")));
        std::thread::sleep(interval);
        assert!(s.commit_if_due(&shared, || true));
    }

    #[test]
    fn a_count_of_completed_messages_makes_a_commit_due() {
        let shared = shared();
        let mut s = CommitSchedule::new(Duration::from_secs(3600), Some(2));
        assert!(!s.commit_if_due(&shared, || panic!("not due")));
        shared.inflight.completed.fetch_add(2, Ordering::Relaxed);
        assert!(s.commit_if_due(&shared, || true));
        assert!(!s.commit_if_due(&shared, || panic!("not due")));
    }

    #[test]
    fn a_commit_that_cannot_start_is_due_again_at_the_next_call() {
        let shared = shared();
        let mut s = CommitSchedule::new(Duration::from_millis(20), None);
        std::thread::sleep(Duration::from_millis(20));
        assert!(!s.commit_if_due(&shared, || false));
        assert!(s.commit_if_due(&shared, || true));
        assert!(!s.commit_if_due(&shared, || panic!("not due")));
    }
}
