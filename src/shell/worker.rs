//! Workers: run the stage chain on each message and hand its outputs to the
//! producer; an acknowledgement task per message marks its offset complete
//! once the broker has every output.
//!
//! Each input partition is served by exactly one worker (partition modulo
//! `pipeline.concurrency`), so records derived from one partition are
//! produced in input order. Output records go to the output partition with
//! the input's number (modulo the output's partition count), which makes a
//! replay of the same input reproduce the same order per output partition.

use super::offsets::Ticket;
use super::order::Order;
use super::shared::{Mode, Shared};
use crate::metrics::names;
use crate::model::Rejection;
use crate::stages::budget;
use crate::stages::dedup::DedupIndex;
use crate::stages::route::{self, Output, Target};
use crate::stages::{Chain, Source, Timings};
use metrics::{counter, histogram};
use rdkafka::error::KafkaError;
use rdkafka::message::{Header, Headers, Message, OwnedHeaders, OwnedMessage};
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord};
use rdkafka::types::RDKafkaErrorCode;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, OwnedSemaphorePermit};

/// One input message and the in-flight permit it holds until acknowledged.
pub struct Job {
    pub msg: OwnedMessage,
    /// The read's place in the offset tracker (`None` for a warm-up read,
    /// which has no offset to complete).
    pub ticket: Option<Ticket>,
    pub permit: OwnedSemaphorePermit,
    /// Replay: the message's place in the merged order (decisions and
    /// enqueueing follow it; see [`super::order`]).
    pub seq: Option<u64>,
    /// Replay resume: a message processed before the interruption, read
    /// again only to rebuild the dedup memory. No outputs, no offsets.
    pub warmup: bool,
}

/// Names and partition counts of the output topics. A count of 0 means
/// "partition by key" (the changelog: compaction needs one key, one partition).
#[derive(Debug, Clone)]
pub struct Outputs {
    pub articles: (String, i32),
    pub events: (String, i32),
    pub duplicates: (String, i32),
    pub dlq: (String, i32),
    pub changelog: (String, i32),
}

impl Outputs {
    fn topic(&self, t: Target) -> &(String, i32) {
        match t {
            Target::Articles => &self.articles,
            Target::Events => &self.events,
            Target::Duplicates => &self.duplicates,
            Target::Dlq => &self.dlq,
            Target::Changelog => &self.changelog,
        }
    }
}

/// What a worker needs besides its queue.
#[derive(Clone)]
pub struct WorkerCtx {
    pub chain: Arc<Chain>,
    pub producer: FutureProducer,
    pub shared: Arc<Shared>,
    pub outputs: Arc<Outputs>,
    pub dedup: Arc<Mutex<DedupIndex>>,
    /// `dedup.on_duplicate = "annotate"`.
    pub annotate: bool,
    /// Replay: take the dedup decision and enqueue outputs in `Job::seq` order.
    pub order: Option<Arc<Order>>,
    /// Publish dedup changelog records (`run`); a replay never writes the
    /// live dedup memory.
    pub write_changelog: bool,
    /// Headers added to every output record (replay marks its records).
    pub marker: Vec<(String, String)>,
}

type Pending = Vec<(DeliveryFuture, Target)>;

pub async fn run_worker(mut rx: mpsc::Receiver<Job>, ctx: WorkerCtx) {
    let WorkerCtx {
        chain,
        producer,
        shared,
        outputs,
        dedup,
        annotate,
        order,
        write_changelog,
        marker,
    } = ctx;
    let marker = (!marker.is_empty()).then(|| {
        marker.iter().fold(OwnedHeaders::new(), |h, (k, v)| {
            h.insert(Header {
                key: k,
                value: Some(v.as_bytes()),
            })
        })
    });
    while let Some(job) = rx.recv().await {
        let (p, o) = (job.msg.partition(), job.msg.offset());
        // Replay only: every sequence number passes both turnstiles exactly
        // once, whatever happens to its message.
        let gate = order.as_deref().zip(job.seq);
        if gate.is_none() && !job.ticket.is_some_and(|t| shared.is_current(&t)) {
            // Revoked while queued (and perhaps assigned again since): the
            // current owner, or the current assignment, reads it again.
            continue;
        }
        let payload = job.msg.payload().unwrap_or(&[]);
        let mut pending: Pending = Vec::with_capacity(3);
        if shared.passthrough.load(Ordering::Relaxed) {
            // Benchmark baseline: same consumer, producer and acknowledgement
            // path, no stages.
            match send(
                &producer,
                &outputs.articles,
                p,
                job.msg.key(),
                payload,
                None,
            )
            .await
            {
                Ok(f) => pending.push((f, Target::Articles)),
                Err(e) => shared.fail(format!("cannot enqueue output: {e}")),
            }
            spawn_ack(
                pending,
                None,
                Vec::new(),
                job,
                shared.clone(),
                producer.clone(),
                outputs.clone(),
            );
            continue;
        }
        let mut t = Timings::default();
        let source = Source::stream(p, o, job.msg.timestamp().to_millis());
        let front = caught("front", p, o, || chain.front(payload, source, &mut t)).and_then(|r| r);
        if let Some((g, seq)) = gate {
            g.decide.wait(seq).await;
        }
        let decision = front
            .as_ref()
            .ok()
            .map(|prepared| caught("decide", p, o, || chain.decide(prepared, &dedup, &mut t)));
        if let Some((g, _)) = gate {
            g.decide.advance();
        }
        if job.warmup {
            if let Some((g, seq)) = gate {
                g.send.wait(seq).await;
                g.send.advance();
            }
            continue;
        }
        let mut outcome = match (&front, decision) {
            (Ok(prepared), Some(Ok(d))) => caught("finish", p, o, || {
                chain.finish(prepared, &d, annotate, &mut t)
            })
            .unwrap_or_else(route::rejected),
            (Ok(_), Some(Err(r))) => route::rejected(r),
            (Err(r), _) => route::rejected(r.clone()),
            (Ok(_), None) => unreachable!("a prepared article always gets a decision"),
        };
        if !write_changelog {
            outcome.remember = None;
        }
        for (stage, d) in t.ran() {
            histogram!(names::STAGE_DURATION, "stage" => stage).record(d.as_secs_f64());
        }
        if let Some(kind) = outcome.duplicate {
            counter!(names::DUPLICATES, "kind" => kind.as_str()).increment(1);
        }
        for (root, quad) in &outcome.event_classes {
            counter!(names::EVENTS, "root" => root.clone(), "quad_class" => quad.to_string())
                .increment(1);
        }
        if outcome.dropped {
            counter!(names::RECORDS_DROPPED, "stage" => "dedup", "reason" => "duplicate")
                .increment(1);
        }
        let echo = shared.echo.load(Ordering::Relaxed);
        let mut echoed: Vec<Vec<u8>> = Vec::new();
        let mut result = Ok(());
        if let Some((g, seq)) = gate {
            g.send.wait(seq).await;
        }
        if let Some(rejection) = &outcome.rejection {
            counter!(names::DLQ_RECORDS, "error_class" => rejection.class.as_str()).increment(1);
            let mut headers =
                dlq_headers(&job.msg, &shared.input_topic, rejection, marker.as_ref());
            let (kept, truncated_from) = dlq_payload(payload);
            if let Some(n) = truncated_from {
                headers = headers.insert(Header {
                    key: "newsflow.payload.truncated_from",
                    value: Some(n.to_string().as_bytes()),
                });
            }
            result = send(
                &producer,
                &outputs.dlq,
                p,
                job.msg.key(),
                kept,
                Some(headers),
            )
            .await
            .map(|f| pending.push((f, Target::Dlq)));
        }
        for out in &outcome.outputs {
            if result.is_err() {
                break;
            }
            if echo && matches!(out.target, Target::Articles | Target::Events) {
                echoed.push(out.payload.clone());
            }
            result = send(
                &producer,
                outputs.topic(out.target),
                p,
                Some(&out.key),
                &out.payload,
                marker.clone(),
            )
            .await
            .map(|f| pending.push((f, out.target)));
        }
        if let Some((g, _)) = gate {
            g.send.advance();
        }
        if let Err(e) = result {
            shared.fail(format!(
                "cannot enqueue output of {}[{p}]@{o}: {e}",
                shared.input_topic
            ));
            continue;
        }
        spawn_ack(
            pending,
            outcome.remember,
            echoed,
            job,
            shared.clone(),
            producer.clone(),
            outputs.clone(),
        );
    }
}

/// Runs one step of the stage chain on message `partition`@`offset`,
/// turning a panic into an `internal_error` rejection with the panic's
/// message (counted in `newsflow_stage_panics_total`), so a bug that one
/// input triggers costs that input, not the process and its partition.
///
/// `AssertUnwindSafe` is sound here: the stages are synchronous functions
/// over plain data that share no mutable state but the dedup index. The
/// steps borrow the chain read-only and the message's `Timings` (plain
/// durations, only read for metrics); the index sits behind a `Mutex`,
/// whose poisoning every user recovers from, and at worst keeps the entry of
/// the message that panicked, which can only mark a later copy a duplicate.
/// Nothing observed after the panic can be left in a broken state.
fn caught<T>(
    step: &'static str,
    partition: i32,
    offset: i64,
    f: impl FnOnce() -> T,
) -> Result<T, Rejection> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        counter!(names::STAGE_PANICS, "step" => step).increment(1);
        tracing::error!(
            partition,
            offset,
            step,
            "stage panicked: {what}; message dead-lettered"
        );
        Rejection::new(
            crate::model::ErrorClass::InternalError,
            format!("a stage panicked ({step}): {what}"),
        )
    })
}

/// Waits for every output of one input message, then publishes its dedup
/// changelog record and waits for that too, then marks the offset complete
/// and returns the in-flight permit. A refused output is fatal: the offset
/// never completes, so it is never committed.
fn spawn_ack(
    pending: Pending,
    remember: Option<Output>,
    echoed: Vec<Vec<u8>>,
    job: Job,
    shared: Arc<Shared>,
    producer: FutureProducer,
    outputs: Arc<Outputs>,
) {
    let (p, o) = (job.msg.partition(), job.msg.offset());
    let input_ts = job.msg.timestamp().to_millis();
    tokio::spawn(async move {
        let mut pending = pending;
        for round in 0..2 {
            if round == 1 {
                let Some(r) = &remember else { break };
                match send(
                    &producer,
                    outputs.topic(r.target),
                    p,
                    Some(&r.key),
                    &r.payload,
                    None,
                )
                .await
                {
                    Ok(f) => pending.push((f, r.target)),
                    Err(e) => {
                        return shared
                            .fail(format!("cannot enqueue the dedup changelog record: {e}"))
                    }
                }
            }
            for (fut, target) in pending.drain(..) {
                match fut.await {
                    Ok(Ok(_)) => {
                        let c = &shared.counters;
                        let n = match target {
                            Target::Articles => &c.articles,
                            Target::Events => &c.events,
                            Target::Duplicates => &c.duplicates,
                            Target::Dlq => &c.dlq,
                            Target::Changelog => &c.remembered,
                        };
                        n.fetch_add(1, Ordering::Relaxed);
                        let topic = outputs.topic(target).0.clone();
                        counter!(names::RECORDS_PRODUCED, "topic" => topic, "kind" => target.label()).increment(1);
                    }
                    Ok(Err((e, _))) => {
                        return shared.fail(format!(
                            "broker refused output for {}[{p}]@{o}: {e}",
                            shared.input_topic
                        ));
                    }
                    Err(_) => {
                        return shared.fail(format!(
                            "producer dropped output for {}[{p}]@{o}",
                            shared.input_topic
                        ));
                    }
                }
            }
        }
        // End-to-end latency means something for live input only; a replay's
        // input timestamps are history.
        if let Some(ts) = input_ts.filter(|_| shared.mode == Mode::Run) {
            let latency_ms = (chrono::Utc::now().timestamp_millis() - ts).max(0) as u64;
            histogram!(names::END_TO_END_LATENCY).record(latency_ms as f64 / 1000.0);
            shared.latency.record(latency_ms);
        }
        if !echoed.is_empty() {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            for r in &echoed {
                let _ = out.write_all(r);
                let _ = out.write_all(b"\n");
            }
        }
        if let Some(t) = &job.ticket {
            shared.complete(t);
        }
        drop(job.permit);
    });
}

/// Enqueues one record, waiting while the producer queue is full.
async fn send(
    producer: &FutureProducer,
    (topic, partitions): &(String, i32),
    input_partition: i32,
    key: Option<&[u8]>,
    payload: &[u8],
    headers: Option<OwnedHeaders>,
) -> Result<DeliveryFuture, KafkaError> {
    loop {
        let mut rec: FutureRecord<'_, [u8], [u8]> = FutureRecord::to(topic).payload(payload);
        if let Some(k) = key {
            rec = rec.key(k);
        }
        if *partitions > 0 {
            rec = rec.partition(input_partition.rem_euclid(*partitions));
        }
        if let Some(h) = &headers {
            rec = rec.headers(h.clone());
        }
        match producer.send_result(rec) {
            Ok(f) => return Ok(f),
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            Err((e, _)) => return Err(e),
        }
    }
}

/// The payload of a dead letter, and the original length when it had to be
/// cut: a record the producer or broker refuses would stop the service on
/// every restart, and the whole message stays at its source offset (named
/// in the headers).
fn dlq_payload(payload: &[u8]) -> (&[u8], Option<usize>) {
    if payload.len() <= budget::MAX_RECORD_BYTES {
        (payload, None)
    } else {
        (&payload[..budget::MAX_RECORD_BYTES], Some(payload.len()))
    }
}

/// The input's own headers, then the reason and the source coordinates
/// (and a replay's marker headers).
fn dlq_headers(
    msg: &OwnedMessage,
    topic: &str,
    why: &Rejection,
    marker: Option<&OwnedHeaders>,
) -> OwnedHeaders {
    let mut h = OwnedHeaders::new();
    for hdr in marker.iter().flat_map(|m| m.iter()) {
        h = h.insert(Header {
            key: hdr.key,
            value: hdr.value,
        });
    }
    if let Some(orig) = msg.headers() {
        for hdr in orig.iter() {
            h = h.insert(Header {
                key: hdr.key,
                value: hdr.value,
            });
        }
    }
    let partition = msg.partition().to_string();
    let offset = msg.offset().to_string();
    for (k, v) in [
        ("newsflow.error.class", why.class.as_str()),
        ("newsflow.error.message", why.message.as_str()),
        ("newsflow.source.topic", topic),
        ("newsflow.source.partition", partition.as_str()),
        ("newsflow.source.offset", offset.as_str()),
    ] {
        h = h.insert(Header {
            key: k,
            value: Some(v.as_bytes()),
        });
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ErrorClass;

    #[test]
    fn a_panicking_step_becomes_an_internal_error_with_its_message() {
        let r = caught("finish", 3, 7, || -> u32 {
            panic!("index out of range: {}", 9)
        })
        .unwrap_err();
        assert_eq!(r.class, ErrorClass::InternalError);
        assert_eq!(
            r.message,
            "a stage panicked (finish): index out of range: 9"
        );
        assert_eq!(caught("front", 0, 0, || 5), Ok(5));
    }

    #[test]
    fn dead_letter_payloads_are_cut_to_the_record_budget() {
        let small = vec![b'x'; 10];
        assert_eq!(dlq_payload(&small), (&small[..], None));
        let big = vec![b'x'; budget::MAX_RECORD_BYTES + 5];
        let (kept, from) = dlq_payload(&big);
        assert_eq!(
            (kept.len(), from),
            (budget::MAX_RECORD_BYTES, Some(big.len()))
        );
    }
}
