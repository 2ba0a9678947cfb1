//! The replay's consumer thread: reads every partition's range and hands
//! the messages to the workers in one deterministic order.
//!
//! The order is a k-way merge by (message timestamp, partition, offset): a
//! function of the data alone, never of fetch timing, so the dedup decisions
//! (which depend on what came first) and the order of records in each
//! output partition come out the same on every replay of the range. Each
//! partition has its own librdkafka queue (`split_partition_queue`), so the
//! merge can wait for the head of one partition while the others' prefetch
//! stays bounded by librdkafka's queue limits: memory stays flat.
//!
//! Resume: the merge always restarts at the range's first offsets. Messages
//! below a partition's committed offset were published before the
//! interruption; they pass through the dedup decision only ("warm-up"), so
//! the memory is rebuilt exactly as it was and the rest decides the same.

use super::super::consumer::{take_permit, CommitSchedule, ConsumerCtx};
use super::super::shared::Shared;
use super::super::worker::Job;
use super::range::PartRange;
use crate::metrics::names;
use metrics::counter;
use rdkafka::consumer::base_consumer::PartitionQueue;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{Message, OwnedMessage};
use rdkafka::{Offset, TopicPartitionList};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Semaphore};

/// Settings of the merge loop.
pub struct MergeConfig {
    pub commit_interval: Duration,
    /// Commit also once this many messages were completed since the last commit.
    pub commit_every: Option<u64>,
    pub shutdown_deadline: Duration,
    /// Messages per second published at most (warm-up not counted).
    pub max_rate: Option<f64>,
    /// `--from`/`--to` in ms: the exact time bounds (see [`super::range`]).
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// How a merge ended.
#[derive(Debug, Clone, Copy, Default)]
pub struct MergeResult {
    /// Every range read and everything published acknowledged.
    pub complete: bool,
    /// Messages inside the time bounds that were read (warm-up included).
    pub in_range: u64,
}

struct Lane {
    range: PartRange,
    queue: PartitionQueue<ConsumerCtx>,
    head: Option<OwnedMessage>,
    done: bool,
    /// A record at or after `--from` was seen: no more skipping.
    started: bool,
    from: Option<i64>,
    to: Option<i64>,
}

impl Lane {
    /// Fills the head from the partition's queue, waiting at most `wait`.
    /// Skips leading records before `--from`; ends the lane at the first
    /// record at or after `--to` or at the range's end offset.
    fn fill(&mut self, wait: Duration) {
        let mut wait = wait;
        while !self.done && self.head.is_none() {
            match self.queue.poll(wait) {
                None => return,
                // The high watermark is at or past `end`: nothing more to read.
                Some(Err(KafkaError::PartitionEOF(_))) => self.done = true,
                Some(Err(e)) => {
                    tracing::warn!(partition = self.range.partition, error = %e, "replay fetch");
                    return;
                }
                Some(Ok(m)) => {
                    let ts = m.timestamp().to_millis().unwrap_or(0);
                    if m.offset() >= self.range.end || self.to.is_some_and(|to| ts >= to) {
                        self.done = true;
                    } else if !self.started && self.from.is_some_and(|from| ts < from) {
                        self.done = m.offset() + 1 >= self.range.end;
                        wait = Duration::ZERO;
                    } else {
                        self.started = true;
                        self.head = Some(m.detach());
                    }
                }
            }
        }
    }

    fn key(&self) -> Option<(i64, i32, i64)> {
        self.head.as_ref().map(|m| {
            (
                m.timestamp().to_millis().unwrap_or(0),
                m.partition(),
                m.offset(),
            )
        })
    }
}

/// Runs the merge until every range is read or a stop is requested; then
/// drains, and commits what is complete.
pub fn merge_loop(
    consumer: Arc<BaseConsumer<ConsumerCtx>>,
    ranges: &[PartRange],
    shared: Arc<Shared>,
    workers: Vec<mpsc::Sender<Job>>,
    permits: Arc<Semaphore>,
    rt: tokio::runtime::Handle,
    cfg: MergeConfig,
) -> MergeResult {
    let topic = shared.input_topic.clone();
    let mut lanes: Vec<Lane> = Vec::new();
    let mut tpl = TopicPartitionList::new();
    // Split the queues first, then assign: messages fetched before the
    // split would land on the main queue.
    for r in ranges.iter().filter(|r| !r.is_empty()) {
        let _ = tpl.add_partition_offset(&topic, r.partition, Offset::Offset(r.first));
        match consumer.split_partition_queue(&topic, r.partition) {
            Some(queue) => lanes.push(Lane {
                range: *r,
                queue,
                head: None,
                done: r.first >= r.end,
                started: false,
                from: cfg.from,
                to: cfg.to,
            }),
            None => {
                shared.fail(format!("cannot open the queue of {topic}[{}]", r.partition));
                return MergeResult::default();
            }
        }
    }
    if let Err(e) = consumer.assign(&tpl) {
        shared.fail(format!("cannot assign the replay's partitions: {e}"));
        return MergeResult::default();
    }
    let consumed = counter!(names::RECORDS_CONSUMED, "topic" => topic.clone());
    let mut seq = 0u64;
    let mut published = 0u64;
    let started = Instant::now();
    let mut schedule = CommitSchedule::new(cfg.commit_interval, cfg.commit_every);
    let complete = loop {
        if shared.stopping() {
            break false;
        }
        schedule.commit_if_due(&shared, || {
            consumer.context().commit().commit(&consumer, &shared)
        });
        // Serve the main queue (errors, statistics) without waiting.
        let _ = consumer.poll(Duration::ZERO);
        for lane in lanes.iter_mut() {
            lane.fill(Duration::ZERO);
        }
        if lanes.iter().all(|l| l.done && l.head.is_none()) {
            break true;
        }
        // The merge needs the head of every unfinished partition.
        if let Some(lane) = lanes.iter_mut().find(|l| !l.done && l.head.is_none()) {
            lane.fill(Duration::from_millis(50));
            continue;
        }
        let Some(next) = lanes
            .iter_mut()
            .filter(|l| l.head.is_some())
            .min_by_key(|l| l.key())
        else {
            continue;
        };
        let Some(permit) = take_permit(&permits, &rt) else {
            continue;
        };
        let msg = next.head.take().expect("the chosen lane has a head");
        let (p, o) = (msg.partition(), msg.offset());
        let warmup = o < next.range.resume;
        if o + 1 >= next.range.end {
            next.done = true;
        }
        let mut ticket = None;
        if !warmup {
            if let Some(rate) = cfg.max_rate {
                // Pace from the start: message n goes out no earlier than n/rate.
                let due = started + Duration::from_secs_f64(published as f64 / rate);
                let now = Instant::now();
                if due > now {
                    std::thread::sleep(due - now);
                }
            }
            published += 1;
            ticket = Some(shared.begin_read(p, o, msg.payload().map_or(0, <[u8]>::len), &consumed));
        }
        let job = Job {
            msg,
            ticket,
            permit,
            seq: Some(seq),
            warmup,
        };
        // Round-robin, not by partition: the turnstile keeps the order, and
        // the merged order can run one partition for a while, which would
        // leave the other workers idle.
        let w = seq as usize % workers.len();
        seq += 1;
        if workers[w].blocking_send(job).is_err() {
            shared.fail("a worker stopped unexpectedly".into());
        }
    };
    drop(workers);
    if !complete {
        shared.request_stop();
    }
    // Finished or interrupted: wait for what is in flight, commit it.
    let deadline = if complete {
        Instant::now() + cfg.shutdown_deadline.max(Duration::from_secs(60))
    } else {
        shared.stop_requested_at().unwrap_or_else(Instant::now) + cfg.shutdown_deadline.mul_f32(0.8)
    };
    let drained = shared.fatal().is_none() && shared.inflight.wait_drained(None, deadline);
    consumer.context().commit().close(&consumer, &shared);
    MergeResult {
        complete: complete && drained && shared.fatal().is_none(),
        in_range: seq,
    }
}
