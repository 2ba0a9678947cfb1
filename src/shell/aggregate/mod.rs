//! The happenings stage in the stream: events counted once, however many
//! articles report them.
//!
//! The sink writes every event's report to the repartition topic
//! (`topics.happenings_repartition`), keyed by its aggregation key, so one
//! partition holds every report of a key. This stage is a consumer group of
//! its own (`<group_id>.happenings`) on that topic: each partition, hence
//! each key, is owned by one instance at a time, and instances share the
//! partitions as they join and leave. Per owned partition it keeps the
//! partition's [`crate::stages::happenings::Happenings`] (restored from the
//! co-partitioned changelog before its first report is applied, see
//! [`state`]), publishes each happening's current record to the compacted
//! `topics.happenings` (keyed by happening id; a tombstone when a happening
//! is absorbed by another), closes happenings a horizon old, and commits
//! its input offsets once a batch's records and changelog are acknowledged.
//!
//! This is Kafka Streams' `groupByKey().aggregate()` into a `KTable`: the
//! repartition topic is the `groupBy`'s, the changelog backs the state
//! store, and the happenings topic is the table's changelog stream as
//! consumers see it. On a rebalance the revoked partitions' open batch is
//! made durable and committed, then their state is dropped; whoever is
//! assigned them next restores it from the changelog (an assignment that
//! was lost writes nothing more: its uncommitted reports are the new
//! owner's to apply).
//!
//! Stopping: [`Aggregator::finish`] asks the thread to read what the
//! repartition topic holds now (the pipeline has flushed its reports
//! before), make it durable, and leave the group, within a deadline.

pub mod state;

use crate::config::Config;
use crate::shell::kafka;
use crate::shell::shared::Shared;
use anyhow::{bail, Context, Result};
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::producer::BaseProducer;
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{ClientContext, TopicPartitionList};
use state::{Deliveries, Owned};
use std::collections::{HashMap, HashSet};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// The three topics of the stage.
#[derive(Debug, Clone)]
pub struct Topics {
    /// Reports by aggregation key (the input).
    pub repartition: String,
    /// Happening records by happening id (the output).
    pub happenings: String,
    /// Reports by event id, co-partitioned with the input (the state).
    pub changelog: String,
}

impl Topics {
    /// The configured topics, `suffix` appended to each (a replay into
    /// suffixed copies aggregates into copies of its own).
    pub fn from_config(t: &crate::config::Topics, suffix: &str) -> Self {
        Topics {
            repartition: format!("{}{suffix}", t.happenings_repartition),
            happenings: format!("{}{suffix}", t.happenings),
            changelog: format!("{}{suffix}", t.happenings_changelog),
        }
    }

    pub fn all(&self) -> [&str; 3] {
        [&self.repartition, &self.happenings, &self.changelog]
    }
}

/// The consumer's context: the owned state, reachable from the rebalance
/// callbacks, and an error a callback could not return.
struct Ctx {
    repartition: String,
    owned: Mutex<Owned>,
    error: Mutex<Option<anyhow::Error>>,
}

impl ClientContext for Ctx {
    fn error(&self, error: KafkaError, reason: &str) {
        kafka::log_client_error(&error, reason);
    }

    /// The stage's consumer lag, on the same gauge as the input's (labelled
    /// with the repartition topic).
    fn stats(&self, stats: rdkafka::statistics::Statistics) {
        let topic = &self.repartition;
        let Some(t) = stats.topics.get(topic) else {
            return;
        };
        for (p, ps) in &t.partitions {
            if *p >= 0 && ps.desired && ps.consumer_lag >= 0 {
                let labels = [("topic", topic.clone()), ("partition", p.to_string())];
                metrics::gauge!(crate::metrics::names::CONSUMER_LAG_MESSAGES, &labels)
                    .set(ps.consumer_lag as f64);
            }
        }
    }
}

impl ConsumerContext for Ctx {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        let Rebalance::Revoke(tpl) = rebalance else {
            return;
        };
        let parts: Vec<i32> = tpl.elements().iter().map(|e| e.partition()).collect();
        let lost = consumer.assignment_lost();
        tracing::info!(?parts, lost, "happenings partitions revoked");
        let mut owned = self.owned.lock().unwrap();
        if !lost {
            if let Err(e) = owned.settle(consumer, true) {
                self.error.lock().unwrap().get_or_insert(e);
            }
        }
        owned.release(&parts);
    }
}

/// A running happenings stage.
pub struct Aggregator {
    drain: mpsc::Sender<Instant>,
    thread: std::thread::JoinHandle<Result<()>>,
    reads: Reads,
}

/// Per partition of the repartition topic, the offset after the last report
/// the stage read (what the embedded broker's gate paces the reports by).
pub type Reads = Arc<Mutex<HashMap<i32, i64>>>;

impl Aggregator {
    /// Checks the topics, joins `group` on the repartition topic and starts
    /// the stage's thread. A fatal error there stops the pipeline through
    /// `shared` (and is returned by [`Aggregator::finish`]).
    pub fn start(
        cfg: &Config,
        bootstrap: &str,
        topics: Topics,
        group: &str,
        shared: Arc<Shared>,
    ) -> Result<Aggregator> {
        let counts = kafka::partition_counts(bootstrap, &topics.all())?;
        let keys = [
            "topics.happenings_repartition",
            "topics.happenings",
            "topics.happenings_changelog",
        ];
        for ((key, topic), n) in keys.iter().zip(topics.all()).zip(&counts) {
            if *n == 0 {
                bail!("{key}: topic {topic:?} does not exist on {bootstrap}; create it first, e.g. `newsflow create-topics` (or set happenings.enabled = false)");
            }
        }
        if counts[2] < counts[0] {
            bail!(
                "topics.happenings_changelog: {:?} has {} partitions, fewer than the {} of {:?}; the stage's state is co-partitioned with its input: give both the same count",
                topics.changelog, counts[2], counts[0], topics.repartition
            );
        }
        let timeout = Duration::from_secs(cfg.shutdown.deadline_secs.max(30));
        let producer: BaseProducer<Deliveries> = kafka::producer_config(cfg, bootstrap)
            .create_with_context(Deliveries::default())
            .context("creating the happenings producer")?;
        let owned = Owned::new(
            topics.clone(),
            cfg.happenings.rules(),
            cfg.happenings.max_article_ids,
            producer,
            kafka::consumer_config(cfg, bootstrap, &format!("{group}.restore")),
            timeout,
        );
        let mut consumer_cfg = kafka::consumer_config(cfg, bootstrap, group);
        // A new group reads the whole topic: every report counts.
        consumer_cfg.set("auto.offset.reset", "earliest");
        let consumer: BaseConsumer<Ctx> = consumer_cfg
            .create_with_context(Ctx {
                repartition: topics.repartition.clone(),
                owned: Mutex::new(owned),
                error: Mutex::new(None),
            })
            .context("creating the happenings consumer")?;
        consumer
            .subscribe(&[&topics.repartition])
            .context("subscribing to topics.happenings_repartition")?;
        let every = cfg.pipeline.commit_every_messages;
        let (interval, read_committed) = (
            cfg.pipeline.commit_interval(),
            cfg.pipeline.delivery == crate::config::Delivery::ExactlyOnce,
        );
        let (drain, drain_rx) = mpsc::channel();
        let reads = Reads::default();
        let loop_reads = reads.clone();
        let thread = std::thread::Builder::new()
            .name("newsflow-happenings".into())
            .spawn(move || {
                let r = run_loop(
                    &consumer,
                    drain_rx,
                    &loop_reads,
                    interval,
                    every,
                    read_committed,
                );
                if let Err(e) = &r {
                    shared.fail(format!("happenings stage: {e:#}"));
                }
                r
            })?;
        Ok(Aggregator {
            drain,
            thread,
            reads,
        })
    }

    /// Where the stage reads each partition of the repartition topic next.
    pub fn reads(&self) -> Reads {
        self.reads.clone()
    }

    /// Reads the repartition topic to its current end, makes it durable and
    /// leaves the group, giving up at `deadline` (what is left is read
    /// again by the next owner). Blocking.
    pub fn finish(self, deadline: Instant) -> Result<()> {
        let _ = self.drain.send(deadline);
        self.thread
            .join()
            .map_err(|_| anyhow::anyhow!("the happenings thread panicked"))?
    }
}

/// How far the stage has read each partition, for the drain at the stop.
#[derive(Default)]
struct Progress {
    /// Partitions whose end was reached since their last message.
    at_eof: HashSet<i32>,
    /// The offset after the last message applied, per partition.
    next: HashMap<i32, i64>,
    /// Where reading a partition began at the latest (its low watermark or
    /// the group's committed offset) and its high watermark, when the drain
    /// began.
    highs: HashMap<i32, (i64, i64)>,
}

fn run_loop(
    consumer: &BaseConsumer<Ctx>,
    drain_rx: mpsc::Receiver<Instant>,
    reads: &Reads,
    interval: Duration,
    every: Option<u64>,
    read_committed: bool,
) -> Result<()> {
    let ctx = consumer.context();
    let mut progress = Progress::default();
    let mut drain: Option<(Instant, Instant)> = None;
    let mut settled = Instant::now();
    loop {
        if let Some(e) = ctx.error.lock().unwrap().take() {
            return Err(e);
        }
        if drain.is_none() {
            if let Ok(deadline) = drain_rx.try_recv() {
                drain = Some((Instant::now(), deadline));
                ctx.owned.lock().unwrap().stop_by(deadline);
            }
        }
        match consumer.poll(Duration::from_millis(50)) {
            None => {}
            Some(Err(KafkaError::PartitionEOF(p))) => {
                progress.at_eof.insert(p);
            }
            Some(Err(KafkaError::Global(RDKafkaErrorCode::PartitionEOF))) => {}
            Some(Err(e)) => tracing::warn!(error = %e, "happenings consumer"),
            Some(Ok(m)) => {
                progress.at_eof.remove(&m.partition());
                progress.next.insert(m.partition(), m.offset() + 1);
                reads.lock().unwrap().insert(m.partition(), m.offset() + 1);
                ctx.owned.lock().unwrap().apply(&m)?;
            }
        }
        {
            let mut owned = ctx.owned.lock().unwrap();
            let due = settled.elapsed() >= interval || every.is_some_and(|n| owned.pending >= n);
            if owned.pending > 0 && due {
                owned.settle(consumer, true)?;
            }
            if due {
                settled = Instant::now();
            }
        }
        if let Some((began, deadline)) = drain {
            if Instant::now() >= deadline {
                tracing::warn!("happenings stage stopped at the deadline before reading all reports; the next owner reads the rest");
                break;
            }
            // Under read_committed the last offset of a partition can be a
            // transaction marker, which is never delivered.
            let slack = i64::from(read_committed);
            if caught_up(consumer, &mut progress, began, slack) {
                break;
            }
        }
    }
    ctx.owned.lock().unwrap().settle(consumer, true)?;
    consumer.unsubscribe();
    Ok(())
}

/// Whether every owned partition has been read to where it ended when the
/// drain began. With no partition owned, after a few seconds: more
/// instances than partitions leave some with none.
fn caught_up(
    consumer: &BaseConsumer<Ctx>,
    progress: &mut Progress,
    began: Instant,
    slack: i64,
) -> bool {
    let Ok(assignment) = consumer.assignment() else {
        return false;
    };
    if assignment.count() == 0 {
        return began.elapsed() > Duration::from_secs(5);
    }
    let positions = consumer.position().ok();
    for e in assignment.elements() {
        let p = e.partition();
        if !progress.at_eof.contains(&p) {
            return false;
        }
        let (low, high) = *progress.highs.entry(p).or_insert_with(|| {
            let (low, high) = consumer
                .fetch_watermarks(e.topic(), p, Duration::from_secs(5))
                .unwrap_or((0, i64::MAX));
            // Where the group stands: a partition read to its end by an
            // earlier run yields nothing to count `next` from.
            let mut tpl = TopicPartitionList::new();
            tpl.add_partition(e.topic(), p);
            let committed = consumer
                .committed_offsets(tpl, Duration::from_secs(5))
                .ok()
                .and_then(|t| t.find_partition(e.topic(), p)?.offset().to_raw())
                .unwrap_or(-1);
            (low.max(committed), high)
        });
        let position = positions
            .as_ref()
            .and_then(|t| t.find_partition(e.topic(), p))
            .and_then(|x| x.offset().to_raw())
            .unwrap_or(-1);
        // An empty partition (or one whose records were all deleted), or
        // one the group had read to its end, is read.
        let read = progress
            .next
            .get(&p)
            .copied()
            .unwrap_or(-1)
            .max(position)
            .max(low);
        if read + slack < high {
            return false;
        }
    }
    true
}
