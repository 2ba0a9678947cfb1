//! The consumer side of the shell: one dedicated thread polls Kafka, hands
//! messages to workers, commits completed watermarks, and handles rebalances.
//!
//! Why a plain thread and `BaseConsumer`: rebalance callbacks run inside
//! `poll`, and on revoke we must *block* until the revoked partitions' work
//! is acknowledged, then commit synchronously. Blocking a thread of our own is
//! harmless; blocking a tokio worker could starve the very tasks we wait for.
//!
//! Backpressure: a message is polled only after a permit is taken from the
//! in-flight semaphore (`pipeline.max_in_flight`). Permits return when every
//! output of a message is acknowledged, so when the producer's queue or the
//! broker is slow, consumption pauses and memory stays flat.

use super::loss;
use super::shared::{Mode, Shared};
use super::sink::Commit;
use super::worker::Job;
use crate::metrics::names;
use metrics::{counter, gauge};
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::statistics::Statistics;
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use rdkafka::ClientContext;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

/// librdkafka callbacks: rebalances and statistics.
pub struct ConsumerCtx {
    pub shared: Arc<Shared>,
    /// Last (next_offset, time) per partition, for the lag-in-seconds estimate.
    progress: Mutex<HashMap<i32, (i64, Instant, f64)>>,
    /// Where a group without committed offsets is expected to start.
    new_group_start: NewGroupStart,
    /// How offsets are made durable (the delivery mode's half that the
    /// consumer thread drives); set once the mode is wired, before the
    /// first poll.
    commit: OnceLock<Arc<dyn Commit>>,
}

/// Where the first read of a partition is expected when the group has no
/// committed offset for it (see `expected_starts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewGroupStart {
    /// `auto.offset.reset = earliest`: the log start, as it is at assignment.
    LogStart,
    /// `auto.offset.reset = latest`: the end of the partition.
    End,
    /// Offset 0: the topics were created empty by this process (the embedded
    /// broker), so every message in them was meant for this pipeline.
    Origin,
}

impl ConsumerCtx {
    pub fn new(shared: Arc<Shared>, new_group_start: NewGroupStart) -> Self {
        ConsumerCtx {
            shared,
            progress: Mutex::new(HashMap::new()),
            new_group_start,
            commit: OnceLock::new(),
        }
    }

    /// Wires the delivery mode's commit (once).
    pub fn set_commit(&self, commit: Arc<dyn Commit>) {
        let _ = self.commit.set(commit);
    }

    /// The delivery mode's commit.
    pub fn commit(&self) -> &dyn Commit {
        self.commit
            .get()
            .expect("the delivery mode is wired before the consumer polls")
            .as_ref()
    }

    fn input_partitions(&self, tpl: &TopicPartitionList) -> Vec<i32> {
        tpl.elements()
            .iter()
            .filter(|e| e.topic() == self.shared.input_topic)
            .map(|e| e.partition())
            .collect()
    }
}

impl ClientContext for ConsumerCtx {
    fn error(&self, error: KafkaError, reason: &str) {
        super::kafka::log_client_error(&error, reason);
    }

    fn stats(&self, stats: Statistics) {
        // A replay's "lag" is the rest of its range (its progress reports
        // that); as consumer lag it would trip the live pipeline's alerts.
        if self.shared.mode != Mode::Run {
            return;
        }
        let Some(topic) = stats.topics.get(&self.shared.input_topic) else {
            return;
        };
        let mut progress = self.progress.lock().unwrap();
        let now = Instant::now();
        for (p, ps) in &topic.partitions {
            if *p < 0 || !self.shared.inflight.owns(*p) {
                continue;
            }
            let lag = ps.consumer_lag_stored.max(0);
            let labels = [
                ("topic", self.shared.input_topic.clone()),
                ("partition", p.to_string()),
            ];
            gauge!(names::CONSUMER_LAG_MESSAGES, &labels).set(lag as f64);
            let entry = progress.entry(*p).or_insert((ps.next_offset, now, 0.0));
            let dt = now.duration_since(entry.1).as_secs_f64();
            if dt > 0.0 {
                let rate = (ps.next_offset - entry.0).max(0) as f64 / dt;
                // Smooth the rate so one quiet interval does not read as infinite lag.
                entry.2 = if entry.2 == 0.0 {
                    rate
                } else {
                    0.5 * entry.2 + 0.5 * rate
                };
                *entry = (ps.next_offset, now, entry.2);
            }
            let secs = if lag == 0 {
                0.0
            } else if entry.2 > 0.0 {
                lag as f64 / entry.2
            } else {
                dt.max(1.0)
            };
            gauge!(names::CONSUMER_LAG_SECONDS, &labels).set(secs);
        }
    }
}

impl ConsumerContext for ConsumerCtx {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Revoke(tpl) => {
                counter!(names::REBALANCES, "kind" => "revoke").increment(1);
                let parts = self.input_partitions(tpl);
                let lost = consumer.assignment_lost();
                tracing::info!(
                    ?parts,
                    lost,
                    "partitions revoked: settling their in-flight work"
                );
                self.commit().revoke(consumer, &self.shared, &parts, lost);
                if let Some(index) = self.shared.dedup.get() {
                    let mut index = index.lock().unwrap();
                    for p in &parts {
                        index.forget_lane(*p);
                    }
                }
                let mut tracker = self.shared.inflight.tracker();
                for p in &parts {
                    tracker.revoke(*p);
                    // The new owner reports this partition's lag now; zero it
                    // here so sums over instances do not count it twice.
                    let labels = [
                        ("topic", self.shared.input_topic.clone()),
                        ("partition", p.to_string()),
                    ];
                    gauge!(names::CONSUMER_LAG_MESSAGES, &labels).set(0.0);
                    gauge!(names::CONSUMER_LAG_SECONDS, &labels).set(0.0);
                }
                let left = tracker.assigned().count();
                drop(tracker);
                gauge!(names::ASSIGNED_PARTITIONS).set(left as f64);
                if left == 0 {
                    self.shared.health.set_assigned(false);
                }
            }
            Rebalance::Assign(tpl) => {
                counter!(names::REBALANCES, "kind" => "assign").increment(1);
                let parts = self.input_partitions(tpl);
                tracing::info!(?parts, "partitions assigned");
                // Every assigned partition holds the dedup window back from
                // the start, so the duplicates found do not depend on which
                // partition happens to be read first.
                if let Some(index) = self.shared.dedup.get() {
                    let mut index = index.lock().unwrap();
                    for p in &parts {
                        index.add_lane(*p);
                    }
                }
                let starts = expected_starts(
                    consumer,
                    &self.shared.input_topic,
                    &parts,
                    self.new_group_start,
                );
                let mut tracker = self.shared.inflight.tracker();
                for p in &parts {
                    tracker.assign(*p);
                }
                for (p, start) in starts {
                    tracker.skip_to(p, start);
                }
                gauge!(names::ASSIGNED_PARTITIONS).set(tracker.assigned().count() as f64);
                drop(tracker);
                self.shared.health.set_assigned(true);
            }
            Rebalance::Error(e) => tracing::warn!(error = %e, "rebalance error"),
        }
    }
}

/// Settings of the consume loop.
pub struct LoopConfig {
    pub commit_interval: Duration,
    /// Commit also once this many messages were completed since the last commit.
    pub commit_every: Option<u64>,
    pub exit_when_idle: Option<Duration>,
    pub shutdown_deadline: Duration,
}

/// When the consumer thread commits: every `interval`, and also once `every` messages were
/// completed since the last commit (the live loop and the replay merge share it).
pub(super) struct CommitSchedule {
    interval: Duration,
    every: Option<u64>,
    last: Instant,
    completed_at_last: u64,
}

impl CommitSchedule {
    pub(super) fn new(interval: Duration, every: Option<u64>) -> Self {
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
    pub(super) fn commit_if_due(&mut self, shared: &Shared, commit: impl FnOnce() -> bool) -> bool {
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
pub(super) fn take_permit(
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

/// How long reads of a partition may stand still after it reported its end
/// before the end is taken at its word. librdkafka reports an end once its
/// fetcher is there, which can be before this loop has polled the messages
/// fetched on the way (seen on the embedded broker at every message-set
/// boundary); going back for them at once would re-fetch what is already on
/// its way, with a warning for nothing.
const EARLY_END_GRACE: Duration = Duration::from_secs(10);

/// The consumer thread's body. Returns when a stop is requested (signal,
/// idle exit or fatal error) after draining and a final synchronous commit.
pub fn consume_loop(
    consumer: BaseConsumer<ConsumerCtx>,
    shared: Arc<Shared>,
    workers: Vec<mpsc::Sender<Job>>,
    permits: Arc<Semaphore>,
    rt: tokio::runtime::Handle,
    cfg: LoopConfig,
) {
    let mut schedule = CommitSchedule::new(cfg.commit_interval, cfg.commit_every);
    let mut last_message = Instant::now();
    let mut at_eof: HashSet<i32> = HashSet::new();
    // Per partition, the end offset it was last rewound from (see
    // `rewind_to_unread`).
    let mut rewound: HashMap<i32, i64> = HashMap::new();
    // Per partition, an end reported while reads may lag behind it: where
    // reads stood then, and when (see `EARLY_END_GRACE`).
    let mut ends: HashMap<i32, (Option<i64>, Instant)> = HashMap::new();
    let consumed = counter!(names::RECORDS_CONSUMED, "topic" => shared.input_topic.clone());
    while !shared.stopping() {
        if schedule.commit_if_due(&shared, || {
            consumer.context().commit().commit(&consumer, &shared)
        }) {
            gauge!(names::IN_FLIGHT).set(shared.inflight.tracker().total_in_flight() as f64);
        }
        if let Some(idle) = cfg.exit_when_idle {
            if last_message.elapsed() >= idle && is_idle(&shared, &at_eof) {
                // The end seen last may be stale: while an offset reset is
                // under way no message and no new end arrives. Before
                // leaving, check every partition against the broker's
                // watermarks (counting what was deleted unread) and go back
                // for anything still readable.
                let assigned: Vec<i32> = shared.inflight.tracker().assigned().collect();
                let mut reading_again = false;
                for p in assigned {
                    if rewind_to_unread(&consumer, &shared, p, &mut rewound) {
                        at_eof.remove(&p);
                        reading_again = true;
                    }
                }
                if reading_again {
                    last_message = Instant::now();
                    continue;
                }
                tracing::info!("every assigned partition is at its end and idle: exiting");
                shared.request_stop();
                break;
            }
        }
        ends.retain(|&p, (next, seen)| {
            let now = shared.inflight.tracker().next_read(p);
            if now != *next {
                return false; // reads went on: the end was reported early
            }
            if seen.elapsed() < EARLY_END_GRACE {
                return true;
            }
            if rewind_to_unread(&consumer, &shared, p, &mut rewound) {
                at_eof.remove(&p);
            }
            false
        });
        let Some(permit) = take_permit(&permits, &rt) else {
            continue;
        };
        match consumer.poll(Duration::from_millis(100)) {
            None => {}
            Some(Err(KafkaError::PartitionEOF(p))) => {
                // A reset to the end of the partition shows no later message
                // to find the gap by: if reads do not go on by themselves,
                // check up to the end and go back for what is still there.
                at_eof.insert(p);
                let next = shared.inflight.tracker().next_read(p);
                ends.entry(p).or_insert((next, Instant::now()));
            }
            Some(Err(e)) => tracing::warn!(error = %e, "consumer error"),
            Some(Ok(m)) => {
                let (p, o) = (m.partition(), m.offset());
                check_loss(&consumer, &shared, p, Some(o));
                at_eof.remove(&p);
                last_message = Instant::now();
                let ticket = shared.begin_read(p, o, m.payload_len(), &consumed);
                let job = Job {
                    msg: m.detach(),
                    ticket: Some(ticket),
                    permit,
                    seq: None,
                    warmup: false,
                };
                let w = p.unsigned_abs() as usize % workers.len();
                if workers[w].blocking_send(job).is_err() {
                    shared.fail("a worker stopped unexpectedly".into());
                }
            }
        }
    }
    // Shutdown: no more polling. Let the workers finish what they hold, wait
    // for acknowledgements up to the deadline, then commit what is complete.
    drop(workers);
    let deadline = shared.stop_requested_at().unwrap_or_else(Instant::now)
        + cfg.shutdown_deadline.mul_f32(0.8);
    if shared.fatal().is_none() {
        shared.inflight.wait_drained(None, deadline);
    }
    consumer.context().commit().close(&consumer, &shared);
    consumer.unsubscribe();
}

/// Counts and reports input the broker deleted before it was read: the part
/// of the gap before `read_at` (a message read; `None` at the end of the
/// partition, where the gap runs to the high watermark) that lies below the
/// log start (see `loss.rs`).
fn check_loss(
    consumer: &BaseConsumer<ConsumerCtx>,
    shared: &Shared,
    partition: i32,
    read_at: Option<i64>,
) -> Option<(i64, i64)> {
    let topic = shared.input_topic.as_str();
    // Set at assignment for the first read (see `expected_starts`).
    let from = shared
        .inflight
        .tracker()
        .next_read(partition)
        .filter(|&e| e >= 0)?;
    if read_at.is_some_and(|o| o <= from) {
        return None;
    }
    let (log_start, end) = match consumer.fetch_watermarks(topic, partition, Duration::from_secs(2))
    {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!(
                error = %e,
                partition,
                from,
                "cannot ask for the log start offset: a gap in the input is not checked for loss"
            );
            return None;
        }
    };
    let watermarks = Some((log_start, end));
    let Some(gap) = loss::gap_before(partition, Some(from), read_at.unwrap_or(end)) else {
        return watermarks;
    };
    let lost = loss::lost_in(&gap, log_start);
    if lost == 0 {
        return watermarks;
    }
    // Counted once: reads (and later checks) continue past the lost part.
    shared
        .inflight
        .tracker()
        .skip_to(partition, gap.from + lost as i64);
    counter!(names::INPUT_LOST, "topic" => topic.to_string()).increment(lost);
    shared
        .stats
        .counters
        .lost
        .fetch_add(lost, std::sync::atomic::Ordering::Relaxed);
    tracing::error!(
        topic,
        partition,
        from = gap.from,
        to = gap.from + lost as i64,
        log_start,
        lost,
        "input messages were deleted by the broker before they were read; they will not be processed"
    );
    watermarks
}

/// At the end of a partition: counts what was deleted unread, and when the
/// consumer's position was moved past messages that are still there (an
/// offset reset to the end), seeks back to them. Returns whether it did.
/// A second end at the same end offset without anything read means the
/// stretch holds nothing to read (transaction markers, aborted records): it
/// is then skipped, not rewound again.
fn rewind_to_unread(
    consumer: &BaseConsumer<ConsumerCtx>,
    shared: &Shared,
    partition: i32,
    rewound: &mut HashMap<i32, i64>,
) -> bool {
    let Some((log_start, end)) = check_loss(consumer, shared, partition, None) else {
        return false;
    };
    let Some(next) = shared.inflight.tracker().next_read(partition) else {
        return false;
    };
    let from = next.max(log_start);
    if from >= end {
        return false;
    }
    if rewound.get(&partition) == Some(&end) {
        shared.inflight.tracker().skip_to(partition, end);
        return false;
    }
    rewound.insert(partition, end);
    let topic = shared.input_topic.as_str();
    match consumer.seek(
        topic,
        partition,
        Offset::Offset(from),
        Duration::from_secs(5),
    ) {
        Ok(()) => {
            tracing::warn!(
                topic,
                partition,
                from,
                end,
                "the consumer was moved past unread messages (offset reset): reading them"
            );
            true
        }
        Err(e) => {
            tracing::error!(error = %e, partition, from, "cannot seek back to unread messages");
            false
        }
    }
}

/// Where each newly assigned partition's reads should start: the group's
/// committed offset, else where a new group starts (see [`NewGroupStart`]),
/// as the broker says now. Anything the first read finds missing below that
/// was deleted unread.
fn expected_starts(
    consumer: &BaseConsumer<ConsumerCtx>,
    topic: &str,
    parts: &[i32],
    new_group: NewGroupStart,
) -> Vec<(i32, i64)> {
    let mut tpl = TopicPartitionList::new();
    for p in parts {
        tpl.add_partition(topic, *p);
    }
    // Unknown is not "none": under read_committed the broker withholds a
    // partition's committed offset while a transaction that commits it is
    // open (another member's, killed or not yet timed out), and taking that
    // for a new group would send the check back to the log start, reading
    // again everything that member committed. Without an answer there is
    // no expected start, and no check, for those partitions.
    let committed = match consumer.committed_offsets(tpl, Duration::from_secs(5)) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, ?parts, "committed offsets unknown: no check for offset resets on these partitions");
            return Vec::new();
        }
    };
    parts
        .iter()
        .filter_map(|&p| {
            let entry = committed.find_partition(topic, p)?;
            if entry.error().is_err() {
                tracing::warn!(partition = p, error = ?entry.error(), "committed offset unknown: no check for an offset reset on this partition");
                return None;
            }
            let commit = match entry.offset() {
                Offset::Offset(o) if o >= 0 => Some(o),
                _ => None,
            };
            let start = commit.or_else(|| {
                if new_group == NewGroupStart::Origin {
                    return Some(0);
                }
                let (low, high) = consumer
                    .fetch_watermarks(topic, p, Duration::from_secs(5))
                    .ok()?;
                Some(if new_group == NewGroupStart::End {
                    high
                } else {
                    low
                })
            })?;
            Some((p, start))
        })
        .collect()
}

fn is_idle(shared: &Shared, at_eof: &HashSet<i32>) -> bool {
    let tracker = shared.inflight.tracker();
    let mut assigned = tracker.assigned().peekable();
    if assigned.peek().is_none()
        || tracker.total_in_flight() > 0
        || shared.seeding.load(std::sync::atomic::Ordering::SeqCst)
    {
        return false;
    }
    let all = tracker.assigned().all(|p| at_eof.contains(&p));
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Health;

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
