//! The sink: where one input message's records go out, and how the input
//! offsets follow them. Two delivery modes, chosen once when the pipeline is
//! wired (`pipeline.delivery`), never checked per message:
//!
//! * [`at_least_once`]: records are sent, each message's offset completes
//!   when the broker has acknowledged all of them (then its dedup changelog
//!   record follows, in a second phase), and the completed watermark is
//!   committed to the consumer group every `commit_interval_ms`. A crash
//!   publishes the uncommitted window again.
//! * [`exactly_once`]: one Kafka transaction at a time holds every record
//!   (changelog included) and the input offsets of the messages whose
//!   records it holds in full; a commit makes them visible together to
//!   `read_committed` readers, an abort discards them and the consumer reads
//!   the same input again.
//!
//! Each mode is two halves: a [`Sink`] the workers publish through, and a
//! [`Commit`] the consumer thread (see [`super::source`]) calls periodically,
//! before partitions are revoked, and at the end. The producer plumbing both
//! share (enqueueing with backpressure, counting acknowledged records,
//! finishing a message) is [`Publisher`].

pub mod at_least_once;
pub mod exactly_once;
pub mod topics;

use super::consumer::ConsumerCtx;
use super::shared::{Mode, Shared};
use super::worker::Job;
use crate::metrics::names;
use crate::stages::route::Target;
use metrics::{counter, histogram};
use rdkafka::consumer::BaseConsumer;
use rdkafka::error::KafkaError;
use rdkafka::message::{Message, OwnedHeaders};
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
pub use topics::{OutputTopics, Topic};

/// One record to publish.
pub struct Record {
    pub target: Target,
    pub key: Option<Vec<u8>>,
    pub payload: Vec<u8>,
    pub headers: Option<OwnedHeaders>,
}

/// Everything one input message publishes.
pub struct Batch {
    pub job: Job,
    /// Its records, in order.
    pub records: Vec<Record>,
    /// Its dedup changelog record, if the article is to be remembered.
    pub remember: Option<Record>,
    /// `run --echo`: payloads to print once they are acknowledged.
    pub echoed: Vec<Vec<u8>>,
}

/// The future [`Sink::publish`] returns.
pub type Publishing<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Where workers hand a message's records.
pub trait Sink: Send + Sync {
    /// Enqueues the batch's records; resolves once they are all enqueued
    /// (acknowledgements are awaited in the background). The message's
    /// offset completes, and its in-flight permit returns, when the mode's
    /// guarantee holds for it.
    fn publish(&self, batch: Batch) -> Publishing<'_>;
}

/// How input offsets are made durable; called from the consumer thread
/// (blocking calls are expected there).
pub trait Commit: Send + Sync {
    /// Makes what is complete durable (every `commit_interval_ms`).
    /// Returns `false` when it cannot start yet (the last commit is still
    /// under way): the caller tries again soon instead of a full interval
    /// later.
    fn commit(&self, consumer: &BaseConsumer<ConsumerCtx>, shared: &Shared) -> bool;
    /// The partitions are about to be revoked: settle their work first.
    /// `lost`: the assignment was lost (another member may own them now),
    /// so nothing of theirs may be committed.
    fn revoke(
        &self,
        consumer: &BaseConsumer<ConsumerCtx>,
        shared: &Shared,
        parts: &[i32],
        lost: bool,
    );
    /// The last commit: nothing is published after it.
    fn close(&self, consumer: &BaseConsumer<ConsumerCtx>, shared: &Shared);
}

/// The producer side both modes share.
#[derive(Clone)]
pub struct Publisher {
    pub producer: FutureProducer,
    pub topics: Arc<OutputTopics<Topic>>,
    pub shared: Arc<Shared>,
}

impl Publisher {
    /// Enqueues one record, waiting while the producer queue is full.
    /// Records go to the input's partition number modulo the topic's
    /// partition count, so a replay of the same input reproduces the order
    /// of each output partition.
    pub async fn enqueue(
        &self,
        rec: &Record,
        input_partition: i32,
    ) -> Result<DeliveryFuture, KafkaError> {
        let topic = self.topics.get(rec.target);
        loop {
            let mut r: FutureRecord<'_, [u8], [u8]> =
                FutureRecord::to(&topic.name).payload(&rec.payload[..]);
            if let Some(k) = &rec.key {
                r = r.key(&k[..]);
            }
            if topic.partitions > 0 {
                r = r.partition(input_partition.rem_euclid(topic.partitions));
            }
            if let Some(h) = &rec.headers {
                r = r.headers(h.clone());
            }
            match self.producer.send_result(r) {
                Ok(f) => return Ok(f),
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
                Err((e, _)) => return Err(e),
            }
        }
    }

    /// [`Publisher::enqueue`] for a record of `job`'s message; the error
    /// names that message.
    pub async fn enqueue_output(&self, rec: &Record, job: &Job) -> Result<DeliveryFuture, String> {
        let (p, o) = (job.msg.partition(), job.msg.offset());
        self.enqueue(rec, p).await.map_err(|e| {
            format!(
                "cannot enqueue output of {}[{p}]@{o}: {e}",
                self.shared.input_topic
            )
        })
    }

    /// Waits for one record's acknowledgement and counts it; the error says
    /// what went wrong otherwise.
    pub async fn acknowledged(
        &self,
        fut: DeliveryFuture,
        target: Target,
        job: &Job,
    ) -> Result<(), String> {
        let (p, o) = (job.msg.partition(), job.msg.offset());
        let input = &self.shared.input_topic;
        match fut.await {
            Ok(Ok(_)) => {
                let c = &self.shared.stats.counters;
                let n = match target {
                    Target::Articles => &c.articles,
                    Target::Events => &c.events,
                    Target::Duplicates => &c.duplicates,
                    Target::Dlq => &c.dlq,
                    Target::Changelog => &c.remembered,
                    Target::Reports => &c.reports,
                };
                n.fetch_add(1, Ordering::Relaxed);
                let topic = self.topics.get(target).name.clone();
                counter!(names::RECORDS_PRODUCED, "topic" => topic, "kind" => target.label())
                    .increment(1);
                Ok(())
            }
            Ok(Err((e, _))) => Err(format!("broker refused output for {input}[{p}]@{o}: {e}")),
            Err(_) => Err(format!("producer dropped output for {input}[{p}]@{o}")),
        }
    }

    /// A message whose records are all acknowledged: its end-to-end latency
    /// (live input only; a replay's input timestamps are history), the
    /// echo, and its in-flight permit back.
    pub fn finished(&self, job: Job, echoed: &[Vec<u8>]) {
        let shared = &self.shared;
        if let Some(ts) = job
            .msg
            .timestamp()
            .to_millis()
            .filter(|_| shared.mode == Mode::Run)
        {
            let latency_ms = (chrono::Utc::now().timestamp_millis() - ts).max(0) as u64;
            histogram!(names::END_TO_END_LATENCY).record(latency_ms as f64 / 1000.0);
            shared.stats.latency.record(latency_ms);
        }
        if !echoed.is_empty() {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            for r in echoed {
                let _ = out.write_all(r);
                let _ = out.write_all(b"\n");
            }
        }
        drop(job.permit);
    }
}

/// The completed watermark of every owned partition that moved since its
/// last commit (of `only` those, when given), as offsets to commit with
/// their metadata.
pub fn committable(shared: &Shared, only: Option<&[i32]>) -> (TopicPartitionList, Vec<(i32, i64)>) {
    let pending: Vec<(i32, i64)> = shared
        .inflight
        .tracker()
        .all_committable()
        .into_iter()
        .filter(|(p, _)| only.is_none_or(|ps| ps.contains(p)))
        .collect();
    let mut tpl = TopicPartitionList::new();
    let meta = shared.inflight.commit_metadata.lock().unwrap();
    for (p, o) in &pending {
        let _ = tpl.add_partition_offset(&shared.input_topic, *p, Offset::Offset(*o));
        if let (Some(m), Some(mut e)) = (meta.get(p), tpl.find_partition(&shared.input_topic, *p)) {
            e.set_metadata(m.as_str());
        }
    }
    (tpl, pending)
}
