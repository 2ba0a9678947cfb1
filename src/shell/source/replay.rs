//! The replay's source: reads every partition's range and hands the
//! messages to the workers in one deterministic order.
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

use super::{drive, Drive, Read, Source, Step};
use crate::shell::consumer::ConsumerCtx;
use crate::shell::replay::range::PartRange;
use crate::shell::shared::Shared;
use rdkafka::consumer::base_consumer::PartitionQueue;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{Message, OwnedMessage};
use rdkafka::{Offset, TopicPartitionList};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a replay reads besides its ranges.
pub struct MergeConfig {
    /// Messages per second published at most (warm-up not counted).
    pub max_rate: Option<f64>,
    /// `--from`/`--to` in ms: the exact time bounds (see
    /// [`crate::shell::replay::range`]).
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

/// Reads `ranges` in the merged order until every one is read or a stop is
/// requested; then drains, and commits what is complete (see [`drive`]).
pub fn merge(
    consumer: Arc<BaseConsumer<ConsumerCtx>>,
    ranges: &[PartRange],
    d: Drive,
    cfg: MergeConfig,
) -> MergeResult {
    let shared = d.shared.clone();
    let Some(mut source) = Merge::open(consumer, ranges, &shared, cfg) else {
        return MergeResult::default();
    };
    let ended = drive(&mut source, d);
    MergeResult {
        complete: ended.done && ended.drained && shared.fatal().is_none(),
        in_range: source.seq,
    }
}

struct Merge {
    consumer: Arc<BaseConsumer<ConsumerCtx>>,
    lanes: Vec<Lane>,
    max_rate: Option<f64>,
    /// The next message's place in the merged order.
    seq: u64,
    /// Messages handed out, warm-up not counted (for the rate limit).
    published: u64,
    started: Instant,
}

impl Merge {
    /// Opens a queue for every non-empty range and assigns them; `None`
    /// (after failing the pipeline) when that cannot be done.
    fn open(
        consumer: Arc<BaseConsumer<ConsumerCtx>>,
        ranges: &[PartRange],
        shared: &Shared,
        cfg: MergeConfig,
    ) -> Option<Merge> {
        let topic = shared.input_topic.as_str();
        let mut lanes: Vec<Lane> = Vec::new();
        let mut tpl = TopicPartitionList::new();
        // Split the queues first, then assign: messages fetched before the
        // split would land on the main queue.
        for r in ranges.iter().filter(|r| !r.is_empty()) {
            let _ = tpl.add_partition_offset(topic, r.partition, Offset::Offset(r.first));
            match consumer.split_partition_queue(topic, r.partition) {
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
                    return None;
                }
            }
        }
        if let Err(e) = consumer.assign(&tpl) {
            shared.fail(format!("cannot assign the replay's partitions: {e}"));
            return None;
        }
        Some(Merge {
            consumer,
            lanes,
            max_rate: cfg.max_rate,
            seq: 0,
            published: 0,
            started: Instant::now(),
        })
    }
}

impl Source for Merge {
    fn consumer(&self) -> &BaseConsumer<ConsumerCtx> {
        &self.consumer
    }

    fn prepare(&mut self, _shared: &Shared) -> Step {
        // Serve the main queue (errors, statistics) without waiting.
        let _ = self.consumer.poll(Duration::ZERO);
        for lane in self.lanes.iter_mut() {
            lane.fill(Duration::ZERO);
        }
        if self.lanes.iter().all(|l| l.done && l.head.is_none()) {
            return Step::Done;
        }
        // The merge needs the head of every unfinished partition.
        if let Some(lane) = self.lanes.iter_mut().find(|l| !l.done && l.head.is_none()) {
            lane.fill(Duration::from_millis(50));
            return Step::Again;
        }
        Step::Read
    }

    fn next(&mut self, _shared: &Shared) -> Option<Read> {
        let next = self
            .lanes
            .iter_mut()
            .filter(|l| l.head.is_some())
            .min_by_key(|l| l.key())?;
        let msg = next.head.take().expect("the chosen lane has a head");
        let o = msg.offset();
        let warmup = o < next.range.resume;
        if o + 1 >= next.range.end {
            next.done = true;
        }
        if !warmup {
            if let Some(rate) = self.max_rate {
                // Pace from the start: message n goes out no earlier than n/rate.
                let due = self.started + Duration::from_secs_f64(self.published as f64 / rate);
                let now = Instant::now();
                if due > now {
                    std::thread::sleep(due - now);
                }
            }
            self.published += 1;
        }
        let seq = self.seq;
        self.seq += 1;
        Some(Read {
            msg,
            warmup,
            seq: Some(seq),
            // Round-robin, not by partition: the turnstile keeps the order,
            // and the merged order can run one partition for a while, which
            // would leave the other workers idle.
            worker: seq,
        })
    }
}

/// One partition's range: its queue and the message at its head.
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
