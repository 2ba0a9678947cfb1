//! What the happenings stage holds for the repartition partitions this
//! instance owns, and how one batch of it becomes durable.
//!
//! One [`Happenings`] per owned partition, restored from the same partition
//! of the changelog topic (reports keyed by event id; a tombstone for a
//! report its happening's closing dropped) before the partition's first
//! report is applied. A batch ends ([`Owned::settle`]) in three steps, each
//! waiting for the broker before the next: the happening records
//! (upserts, tombstones, closings), then the changelog records of the
//! reports the batch added or dropped, then the input offsets. A crash
//! between two steps makes the next owner read the uncommitted reports
//! again; those already in the changelog are recognised by event id and
//! change nothing, the others are applied again and their happenings
//! published again with the same bytes. No mention is lost and none is
//! counted twice, whatever the delivery mode; what a crash can repeat is a
//! happening record, unchanged (an idempotent upsert on a compacted topic).

use super::Topics;
use crate::metrics::names;
use crate::shell::kafka;
use crate::stages::happenings::{Change, Happenings, Report, Rules};
use anyhow::{anyhow, bail, Context, Result};
use metrics::{counter, gauge, histogram};
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext};
use rdkafka::error::KafkaError;
use rdkafka::message::{BorrowedMessage, Message};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{ClientContext, Offset, TopicPartitionList};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counts the records the broker refused, keeping the first reason.
#[derive(Default)]
pub struct Deliveries {
    failed: AtomicU64,
    first_error: Mutex<Option<String>>,
}

impl ClientContext for Deliveries {
    fn error(&self, error: KafkaError, reason: &str) {
        kafka::log_client_error(&error, reason);
    }
}

impl ProducerContext for Deliveries {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if let Err((e, m)) = result {
            self.failed.fetch_add(1, Ordering::SeqCst);
            self.first_error
                .lock()
                .unwrap()
                .get_or_insert_with(|| format!("{} refused a record: {e}", m.topic()));
        }
    }
}

/// One owned partition's state and what its open batch has not made
/// durable yet.
struct Part {
    state: Happenings,
    /// Changelog records to write: (event id, report JSON; None: tombstone).
    changelog: Vec<(String, Option<Vec<u8>>)>,
    /// The offset to commit once the batch is durable.
    next: Option<i64>,
}

/// The state of every owned partition, and the producer its records go out by.
pub struct Owned {
    pub topics: Topics,
    rules: Rules,
    max_articles: usize,
    producer: BaseProducer<Deliveries>,
    /// A client config for the changelog reader of a restore.
    restore_cfg: rdkafka::ClientConfig,
    timeout: Duration,
    /// When the stage must give up waiting for the broker: set once the
    /// drain at the stop begins (see [`Owned::stop_by`]).
    deadline: Option<Instant>,
    parts: BTreeMap<i32, Part>,
    /// Messages applied since the last settle.
    pub pending: u64,
}

impl Owned {
    pub fn new(
        topics: Topics,
        rules: Rules,
        max_articles: usize,
        producer: BaseProducer<Deliveries>,
        restore_cfg: rdkafka::ClientConfig,
        timeout: Duration,
    ) -> Self {
        Owned {
            topics,
            rules,
            max_articles,
            producer,
            restore_cfg,
            timeout,
            deadline: None,
            parts: BTreeMap::new(),
            pending: 0,
        }
    }

    /// Applies one report of the repartition topic (restoring its
    /// partition's state first if this instance has not yet).
    pub fn apply(&mut self, m: &BorrowedMessage<'_>) -> Result<()> {
        let p = m.partition();
        if !self.parts.contains_key(&p) {
            let state = self.restore(p)?;
            self.parts.insert(
                p,
                Part {
                    state,
                    changelog: Vec::new(),
                    next: None,
                },
            );
        }
        let part = self.parts.get_mut(&p).expect("just restored");
        part.next = Some(m.offset() + 1);
        self.pending += 1;
        let payload = m.payload().unwrap_or_default();
        let report: Report = match serde_json::from_slice(payload) {
            Ok(r) => r,
            Err(e) => {
                counter!(names::HAPPENING_REPORTS, "result" => "invalid").increment(1);
                tracing::error!(
                    topic = self.topics.repartition,
                    partition = p,
                    offset = m.offset(),
                    error = %e,
                    "skipping a record of the repartition topic that is not a report"
                );
                return Ok(());
            }
        };
        let event_id = report.event_id.clone();
        let seen = part.state.observe(report);
        let result = if seen.repeated {
            "repeated"
        } else if seen.merged {
            "merged"
        } else {
            "new"
        };
        counter!(names::HAPPENING_REPORTS, "result" => result).increment(1);
        if seen.late {
            counter!(names::HAPPENING_LATE_REPORTS).increment(1);
        }
        if !seen.repeated {
            part.changelog.push((event_id, Some(payload.to_vec())));
        }
        for c in seen.changes {
            self.send_change(c, false)?;
        }
        Ok(())
    }

    /// Makes the open batch durable (see the module docs) and commits the
    /// offsets of its partitions (unless `commit` is false: the assignment
    /// was lost). Closes the happenings a horizon old first.
    pub fn settle<C: ConsumerContext>(
        &mut self,
        consumer: &BaseConsumer<C>,
        commit: bool,
    ) -> Result<()> {
        let ps: Vec<i32> = self.parts.keys().copied().collect();
        for p in ps {
            let part = self.parts.get_mut(&p).expect("listed");
            let closed = part.state.close_expired();
            for id in closed.dropped {
                part.changelog.push((id, None));
            }
            for c in closed.changes {
                self.send_change(c, true)?;
            }
        }
        self.flush("happening records")?;
        let mut tpl = TopicPartitionList::new();
        for (&p, part) in self.parts.iter_mut() {
            for (id, report) in std::mem::take(&mut part.changelog) {
                let mut r = BaseRecord::to(&self.topics.changelog)
                    .key(id.as_bytes())
                    .partition(p);
                if let Some(v) = &report {
                    r = r.payload(&v[..]);
                }
                send(&self.producer, r)?;
            }
            if let Some(next) = part.next.take() {
                tpl.add_partition_offset(&self.topics.repartition, p, Offset::Offset(next))?;
            }
        }
        self.flush("changelog records")?;
        if commit && tpl.count() > 0 {
            // Not fatal: the batch is durable, and what a failed commit
            // leaves uncommitted is applied again by whoever reads it next
            // (a report already held changes nothing). It fails when the
            // group moved on (a broker restart, an expired session); the
            // rebalance that follows hands the partitions out again.
            if let Err(e) = consumer.commit(&tpl, rdkafka::consumer::CommitMode::Sync) {
                tracing::warn!(error = %e, "happenings stage: offsets not committed; their reports will be read again");
            }
        }
        self.pending = 0;
        self.report_size();
        Ok(())
    }

    /// Bounds every later wait for the broker by the stop's `deadline` plus one flush
    /// timeout: the drain reads until the deadline, and the batch it ends with still gets a
    /// flush timeout to become durable (a broker that does not answer in that time leaves
    /// the batch to the next owner).
    pub fn stop_by(&mut self, deadline: Instant) {
        self.deadline = Some(deadline + self.timeout);
    }

    /// Forgets the state of partitions this instance no longer owns (their
    /// next owner restores it from the changelog).
    pub fn release(&mut self, revoked: &[i32]) {
        for p in revoked {
            self.parts.remove(p);
        }
        self.report_size();
    }

    fn report_size(&self) {
        let (mut happenings, mut reports) = (0, 0);
        for part in self.parts.values() {
            let s = part.state.size();
            happenings += s.happenings;
            reports += s.reports;
        }
        gauge!(names::HAPPENINGS_OPEN).set(happenings as f64);
        gauge!(names::HAPPENINGS_STATE_REPORTS).set(reports as f64);
    }

    fn send_change(&self, c: Change, closing: bool) -> Result<()> {
        let topic = &self.topics.happenings;
        match c {
            Change::Upsert { id, record } => {
                if closing {
                    counter!(names::HAPPENING_RECORDS, "kind" => "closed").increment(1);
                    if let Some(n) = mentions(&record) {
                        histogram!(names::HAPPENING_MENTIONS).record(n as f64);
                    }
                } else {
                    counter!(names::HAPPENING_RECORDS, "kind" => "upsert").increment(1);
                }
                send(
                    &self.producer,
                    BaseRecord::to(topic)
                        .key(id.as_bytes())
                        .payload(&record[..]),
                )
            }
            Change::Delete { id } => {
                counter!(names::HAPPENING_RECORDS, "kind" => "tombstone").increment(1);
                send(
                    &self.producer,
                    BaseRecord::<[u8], [u8]>::to(topic).key(id.as_bytes()),
                )
            }
        }
    }

    /// Waits until the broker has acknowledged or refused everything sent;
    /// a refusal is an error (the batch is not durable).
    ///
    /// A broker that is away (a restart, a leader election) only delays the
    /// acknowledgements: the records stay queued in the producer, which
    /// retries them until `message.timeout.ms` (librdkafka's default: five
    /// minutes) and then refuses them. So a slow flush is waited out, with a
    /// warning every `timeout`, rather than treated as a loss; only a refusal
    /// or a flush timeout past the shutdown deadline ends the wait with an
    /// error, and either leaves the batch's offsets uncommitted for the next
    /// owner to read again.
    fn flush(&self, what: &str) -> Result<()> {
        let started = Instant::now();
        loop {
            let slice = match self.deadline {
                Some(d) => self
                    .timeout
                    .min(d.saturating_duration_since(Instant::now())),
                None => self.timeout,
            };
            let flushed = self.producer.flush(slice);
            let ctx = self.producer.context();
            if ctx.failed.swap(0, Ordering::SeqCst) > 0 {
                let why = ctx.first_error.lock().unwrap().take().unwrap_or_default();
                bail!("{what} were not all acknowledged: {why}");
            }
            match flushed {
                Ok(()) => return Ok(()),
                Err(KafkaError::Flush(RDKafkaErrorCode::OperationTimedOut)) => {
                    if self.deadline.is_some_and(|d| Instant::now() >= d) {
                        bail!(
                            "{what} were not acknowledged within a flush timeout of the shutdown deadline ({} in flight); the next owner reads their reports again",
                            self.producer.in_flight_count()
                        );
                    }
                    counter!(names::HAPPENINGS_FLUSH_WAITS).increment(1);
                    tracing::warn!(
                        in_flight = self.producer.in_flight_count(),
                        waited_secs = started.elapsed().as_secs(),
                        "happenings stage: the broker has not acknowledged the {what} yet; still waiting"
                    );
                }
                Err(e) => {
                    return Err(anyhow!(e).context(format!("{what} could not be flushed")));
                }
            }
        }
    }

    /// Reads partition `p` of the changelog to its end: the reports this
    /// partition's keys held when its last owner let it go.
    fn restore(&self, p: i32) -> Result<Happenings> {
        let started = Instant::now();
        let topic = &self.topics.changelog;
        let reader: BaseConsumer<kafka::QuietEof> = self
            .restore_cfg
            .create_with_context(kafka::QuietEof)
            .context("creating the happenings changelog reader")?;
        let (low, high) = reader
            .fetch_watermarks(topic, p, Duration::from_secs(10))
            .with_context(|| format!("topics.happenings_changelog: {topic}[{p}]"))?;
        let mut latest: HashMap<String, Option<Report>> = HashMap::new();
        if high > low {
            let mut tpl = TopicPartitionList::new();
            tpl.add_partition_offset(topic, p, Offset::Beginning)?;
            reader.assign(&tpl)?;
            let deadline = Instant::now() + self.timeout;
            loop {
                if Instant::now() > deadline {
                    bail!(
                        "restoring {topic}[{p}]: not at its end after {:?}",
                        self.timeout
                    );
                }
                match reader.poll(Duration::from_millis(100)) {
                    None => {}
                    Some(Err(KafkaError::PartitionEOF(_))) => break,
                    Some(Err(KafkaError::Global(RDKafkaErrorCode::PartitionEOF))) => break,
                    Some(Err(e)) => {
                        return Err(anyhow!(e).context(format!("restoring {topic}[{p}]")))
                    }
                    Some(Ok(m)) => {
                        let Some(id) = m.key().and_then(|k| std::str::from_utf8(k).ok()) else {
                            continue;
                        };
                        let report =
                            match m.payload() {
                                None => None,
                                Some(v) => Some(serde_json::from_slice::<Report>(v).with_context(
                                    || format!("{topic}[{p}]@{}: not a report", m.offset()),
                                )?),
                            };
                        latest.insert(id.to_string(), report);
                        if m.offset() + 1 >= high {
                            break;
                        }
                    }
                }
            }
        }
        let mut by_key: BTreeMap<String, Vec<Report>> = BTreeMap::new();
        let mut n = 0;
        for r in latest.into_values().flatten() {
            n += 1;
            by_key
                .entry(crate::stages::happenings::key(&r))
                .or_default()
                .push(r);
        }
        let mut state = Happenings::new(self.rules, self.max_articles);
        for (k, reports) in by_key {
            state.restore(&k, reports);
        }
        tracing::info!(
            partition = p,
            reports = n,
            ms = started.elapsed().as_millis() as u64,
            "happenings state restored from the changelog"
        );
        Ok(state)
    }
}

/// Enqueues one record, serving delivery reports while the queue is full.
fn send(producer: &BaseProducer<Deliveries>, mut r: BaseRecord<'_, [u8], [u8]>) -> Result<()> {
    loop {
        match producer.send(r) {
            Ok(()) => return Ok(()),
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                producer.poll(Duration::from_millis(10));
                r = back;
            }
            Err((e, back)) => {
                return Err(anyhow!(e).context(format!("cannot enqueue a record to {}", back.topic)))
            }
        }
    }
}

/// The mention count of a happening record.
fn mentions(record: &[u8]) -> Option<u64> {
    serde_json::from_slice::<serde_json::Value>(record)
        .ok()?
        .get("mentions")?
        .as_u64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rdkafka::mocking::MockCluster;

    /// An `Owned` whose producer writes to `cluster` (records time out
    /// after `message_timeout_ms`) and whose flushes wait 500 ms at a time.
    fn owned(
        cluster: &MockCluster<'_, rdkafka::producer::DefaultProducerContext>,
        message_timeout_ms: u32,
    ) -> Owned {
        let mut cfg = rdkafka::ClientConfig::new();
        cfg.set("bootstrap.servers", cluster.bootstrap_servers())
            .set("message.timeout.ms", message_timeout_ms.to_string())
            .set("reconnect.backoff.max.ms", "200");
        let producer: BaseProducer<Deliveries> =
            cfg.create_with_context(Deliveries::default()).unwrap();
        let topics = Topics {
            repartition: "r".into(),
            happenings: "h".into(),
            changelog: "c".into(),
        };
        Owned::new(
            topics,
            Rules::default(),
            10,
            producer,
            cfg,
            Duration::from_millis(500),
        )
    }

    fn cluster() -> MockCluster<'static, rdkafka::producer::DefaultProducerContext> {
        let c = MockCluster::new(1).unwrap();
        c.create_topic("h", 1, 1).unwrap();
        c
    }

    fn send_one(o: &Owned) {
        send(
            &o.producer,
            BaseRecord::to("h").key(&b"k"[..]).payload(&b"v"[..]),
        )
        .unwrap();
    }

    #[test]
    fn a_broker_away_longer_than_the_flush_timeout_is_waited_out() {
        let c = cluster();
        let o = owned(&c, 60_000);
        send_one(&o);
        o.flush("records").unwrap();
        c.broker_down(1).unwrap();
        send_one(&o);
        let t0 = Instant::now();
        std::thread::scope(|s| {
            let flushing = s.spawn(|| o.flush("records"));
            std::thread::sleep(Duration::from_millis(2_000));
            c.broker_up(1).unwrap();
            flushing.join().unwrap().unwrap();
        });
        assert!(
            t0.elapsed() >= Duration::from_millis(1_900),
            "the flush returned before the broker was back: {:?}",
            t0.elapsed()
        );
        assert_eq!(o.producer.in_flight_count(), 0);
    }

    #[test]
    fn records_the_producer_gives_up_on_are_an_error() {
        let c = cluster();
        let o = owned(&c, 1_500);
        c.broker_down(1).unwrap();
        send_one(&o);
        let e = o.flush("changelog records").unwrap_err().to_string();
        assert!(
            e.contains("changelog records were not all acknowledged"),
            "{e}"
        );
    }

    #[test]
    fn the_shutdown_deadline_ends_the_wait() {
        let c = cluster();
        let mut o = owned(&c, 60_000);
        c.broker_down(1).unwrap();
        send_one(&o);
        // The stop's deadline plus one flush timeout (0.5 s).
        o.stop_by(Instant::now() + Duration::from_millis(700));
        let t0 = Instant::now();
        let e = o.flush("records").unwrap_err().to_string();
        assert!(
            e.contains("within a flush timeout of the shutdown deadline (1 in flight)"),
            "{e}"
        );
        assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
    }
}
