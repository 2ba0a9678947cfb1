//! The input consumer's librdkafka context, shared by the live pipeline
//! and replays: rebalance callbacks (settle and commit the revoked
//! partitions' work, track what is assigned and where its reads are
//! expected to start) and statistics (consumer lag gauges). What is read
//! and when is the business of [`super::source`].

use super::shared::{Mode, Shared};
use super::sink::Commit;
use crate::metrics::names;
use metrics::{counter, gauge};
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::KafkaError;
use rdkafka::statistics::Statistics;
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use rdkafka::ClientContext;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

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
