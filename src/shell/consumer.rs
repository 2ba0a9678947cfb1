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

use super::shared::Shared;
use super::worker::Job;
use crate::metrics::names;
use metrics::{counter, gauge, histogram};
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::statistics::Statistics;
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use rdkafka::ClientContext;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Semaphore};

/// librdkafka callbacks: rebalances and statistics.
pub struct Ctx {
    pub shared: Arc<Shared>,
    /// Last (next_offset, time) per partition, for the lag-in-seconds estimate.
    progress: Mutex<HashMap<i32, (i64, Instant, f64)>>,
}

impl Ctx {
    pub fn new(shared: Arc<Shared>) -> Self {
        Ctx {
            shared,
            progress: Mutex::new(HashMap::new()),
        }
    }

    fn input_partitions(&self, tpl: &TopicPartitionList) -> Vec<i32> {
        tpl.elements()
            .iter()
            .filter(|e| e.topic() == self.shared.input_topic)
            .map(|e| e.partition())
            .collect()
    }
}

impl ClientContext for Ctx {
    fn error(&self, error: KafkaError, reason: &str) {
        // End of partition is how the idle exit learns a partition is drained,
        // not a fault; librdkafka reports it through the error callback too.
        if matches!(
            error,
            KafkaError::PartitionEOF(_)
                | KafkaError::Global(rdkafka::types::RDKafkaErrorCode::PartitionEOF)
        ) {
            return;
        }
        tracing::error!(%error, reason, "librdkafka error");
    }

    fn stats(&self, stats: Statistics) {
        // A replay's "lag" is the rest of its range (its progress reports
        // that); as consumer lag it would trip the live pipeline's alerts.
        if self.shared.mode != "run" {
            return;
        }
        let Some(topic) = stats.topics.get(&self.shared.input_topic) else {
            return;
        };
        let mut progress = self.progress.lock().unwrap();
        let now = Instant::now();
        for (p, ps) in &topic.partitions {
            if *p < 0 || !self.shared.owns(*p) {
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

impl ConsumerContext for Ctx {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Revoke(tpl) => {
                counter!(names::REBALANCES, "kind" => "revoke").increment(1);
                let parts = self.input_partitions(tpl);
                tracing::info!(?parts, "partitions revoked: draining their in-flight work");
                self.shared
                    .wait_drained(Some(&parts), Instant::now() + self.shared.revoke_drain);
                commit(consumer, &self.shared, Some(&parts), CommitMode::Sync);
                if let Some(index) = self.shared.dedup.get() {
                    let mut index = index.lock().unwrap();
                    for p in &parts {
                        index.forget_lane(*p);
                    }
                }
                let mut tracker = self.shared.tracker.lock().unwrap();
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
                let mut tracker = self.shared.tracker.lock().unwrap();
                for p in &parts {
                    tracker.assign(*p);
                }
                gauge!(names::ASSIGNED_PARTITIONS).set(tracker.assigned().count() as f64);
                drop(tracker);
                self.shared.health.set_assigned(true);
            }
            Rebalance::Error(e) => tracing::warn!(error = %e, "rebalance error"),
        }
    }
}

/// Commits the completed watermark of the given (or all) owned partitions.
pub fn commit(
    consumer: &BaseConsumer<Ctx>,
    shared: &Shared,
    only: Option<&[i32]>,
    mode: CommitMode,
) {
    let pending: Vec<(i32, i64)> = shared
        .tracker
        .lock()
        .unwrap()
        .all_committable()
        .into_iter()
        .filter(|(p, _)| only.is_none_or(|ps| ps.contains(p)))
        .collect();
    if pending.is_empty() {
        return;
    }
    let mut tpl = TopicPartitionList::new();
    {
        let meta = shared.commit_metadata.lock().unwrap();
        for (p, o) in &pending {
            let _ = tpl.add_partition_offset(&shared.input_topic, *p, Offset::Offset(*o));
            if let (Some(m), Some(mut e)) =
                (meta.get(p), tpl.find_partition(&shared.input_topic, *p))
            {
                e.set_metadata(m.as_str());
            }
        }
    }
    let start = Instant::now();
    let result = consumer.commit(&tpl, mode);
    histogram!(names::COMMIT_DURATION, "kind" => if matches!(mode, CommitMode::Sync) { "sync" } else { "async" })
        .record(start.elapsed().as_secs_f64());
    match result {
        Ok(()) => {
            counter!(names::COMMITS, "result" => "ok").increment(1);
            let mut tracker = shared.tracker.lock().unwrap();
            for (p, o) in pending {
                tracker.committed(p, o);
            }
        }
        Err(e) => {
            counter!(names::COMMITS, "result" => "error").increment(1);
            counter!(names::COMMIT_FAILURES).increment(1);
            tracing::warn!(error = %e, "offset commit failed; will retry with the next commit");
        }
    }
}

/// Settings of the consume loop.
pub struct LoopConfig {
    pub commit_interval: Duration,
    pub exit_when_idle: Option<Duration>,
    pub shutdown_deadline: Duration,
}

/// The consumer thread's body. Returns when a stop is requested (signal,
/// idle exit or fatal error) after draining and a final synchronous commit.
pub fn consume_loop(
    consumer: BaseConsumer<Ctx>,
    shared: Arc<Shared>,
    workers: Vec<mpsc::Sender<Job>>,
    permits: Arc<Semaphore>,
    rt: tokio::runtime::Handle,
    cfg: LoopConfig,
) {
    let mut last_commit = Instant::now();
    let mut last_message = Instant::now();
    let mut at_eof: HashSet<i32> = HashSet::new();
    let consumed = counter!(names::RECORDS_CONSUMED, "topic" => shared.input_topic.clone());
    while !shared.stopping() {
        if last_commit.elapsed() >= cfg.commit_interval {
            commit(&consumer, &shared, None, CommitMode::Sync);
            last_commit = Instant::now();
            gauge!(names::IN_FLIGHT).set(shared.tracker.lock().unwrap().total_in_flight() as f64);
        }
        if let Some(idle) = cfg.exit_when_idle {
            if last_message.elapsed() >= idle && is_idle(&shared, &at_eof) {
                tracing::info!("every assigned partition is at its end and idle: exiting");
                shared.request_stop();
                break;
            }
        }
        let permit = match permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                // In-flight limit reached: wait for acknowledgements, then loop
                // (commits and stop checks keep running meanwhile).
                let _ = rt.block_on(async {
                    tokio::time::timeout(Duration::from_millis(100), permits.acquire()).await
                });
                continue;
            }
        };
        match consumer.poll(Duration::from_millis(100)) {
            None => {}
            Some(Err(KafkaError::PartitionEOF(p))) => {
                at_eof.insert(p);
            }
            Some(Err(e)) => tracing::warn!(error = %e, "consumer error"),
            Some(Ok(m)) => {
                let (p, o) = (m.partition(), m.offset());
                at_eof.remove(&p);
                last_message = Instant::now();
                let ticket = shared.tracker.lock().unwrap().begin(p, o);
                shared.mark_read();
                shared
                    .counters
                    .consumed
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                shared
                    .counters
                    .consumed_bytes
                    .fetch_add(m.payload_len() as u64, std::sync::atomic::Ordering::Relaxed);
                consumed.increment(1);
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
        shared.wait_drained(None, deadline);
    }
    commit(&consumer, &shared, None, CommitMode::Sync);
    consumer.unsubscribe();
}

fn is_idle(shared: &Shared, at_eof: &HashSet<i32>) -> bool {
    let tracker = shared.tracker.lock().unwrap();
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
