//! Workers: run the stage chain on each message and hand its outputs to the
//! producer; an acknowledgement task per message marks its offset complete
//! once the broker has every output.
//!
//! Each input partition is served by exactly one worker (partition modulo
//! `pipeline.concurrency`), so records derived from one partition are
//! produced in input order. Output records go to the output partition with
//! the input's number (modulo the output's partition count), which makes a
//! replay of the same input reproduce the same order per output partition.

use super::shared::Shared;
use crate::metrics::names;
use crate::model::Rejection;
use crate::stages::record::ArticleRecord;
use crate::stages::{Chain, Timings};
use metrics::{counter, histogram};
use rdkafka::error::KafkaError;
use rdkafka::message::{Header, Headers, Message, OwnedHeaders, OwnedMessage};
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord};
use rdkafka::types::RDKafkaErrorCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, OwnedSemaphorePermit};

/// One input message and the in-flight permit it holds until acknowledged.
pub struct Job {
    pub msg: OwnedMessage,
    pub permit: OwnedSemaphorePermit,
}

/// Names and partition counts of the output topics.
#[derive(Debug, Clone)]
pub struct Outputs {
    pub articles: (String, i32),
    pub events: (String, i32),
    pub duplicates: (String, i32),
    pub dlq: (String, i32),
}

/// Which summary counter an output record advances.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Articles,
    Dlq,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Articles => "articles",
            Kind::Dlq => "dlq",
        }
    }
}

pub async fn run_worker(
    mut rx: mpsc::Receiver<Job>,
    chain: Arc<Chain>,
    producer: FutureProducer,
    shared: Arc<Shared>,
    outputs: Arc<Outputs>,
) {
    while let Some(job) = rx.recv().await {
        let (p, o) = (job.msg.partition(), job.msg.offset());
        if !shared.owns(p) {
            // Revoked while queued: the new owner reads it again.
            continue;
        }
        let mut t = Timings::default();
        let payload = job.msg.payload().unwrap_or(&[]);
        if shared.passthrough.load(Ordering::Relaxed) {
            // Benchmark baseline: same consumer, producer and acknowledgement
            // path, no stages.
            match send(&producer, &outputs.articles, p, job.msg.key(), payload, None).await {
                Ok(f) => spawn_ack(vec![(f, Kind::Articles, outputs.articles.0.clone())], Vec::new(), job, shared.clone()),
                Err(e) => shared.fail(format!("cannot enqueue output: {e}")),
            }
            continue;
        }
        let prepared = chain.prepare(payload, &mut t);
        histogram!(names::STAGE_DURATION, "stage" => "parse").record(t.parse.as_secs_f64());
        if !t.normalize.is_zero() {
            histogram!(names::STAGE_DURATION, "stage" => "normalize").record(t.normalize.as_secs_f64());
        }
        let echo = shared.echo.load(Ordering::Relaxed);
        let mut echoed: Vec<Vec<u8>> = Vec::new();
        let mut pending: Vec<(DeliveryFuture, Kind, String)> = Vec::with_capacity(2);
        let sent = match prepared {
            Err(rejection) => {
                counter!(names::DLQ_RECORDS, "error_class" => rejection.class.as_str()).increment(1);
                let headers = dlq_headers(&job.msg, &shared.input_topic, &rejection);
                send(&producer, &outputs.dlq, p, job.msg.key(), payload, Some(headers))
                    .await
                    .map(|f| pending.push((f, Kind::Dlq, outputs.dlq.0.clone())))
            }
            Ok(article) => {
                let record = ArticleRecord::new(&article, &article.id, None).to_json();
                if echo {
                    echoed.push(record.clone());
                }
                send(&producer, &outputs.articles, p, Some(article.id.as_bytes()), &record, None)
                    .await
                    .map(|f| pending.push((f, Kind::Articles, outputs.articles.0.clone())))
            }
        };
        if let Err(e) = sent {
            shared.fail(format!("cannot enqueue output of {}[{p}]@{o}: {e}", shared.input_topic));
            continue;
        }
        spawn_ack(pending, echoed, job, shared.clone());
    }
}

/// Waits for every output of one input message, then marks its offset
/// complete and returns its in-flight permit. A refused output is fatal:
/// the offset never completes, so it is never committed.
fn spawn_ack(pending: Vec<(DeliveryFuture, Kind, String)>, echoed: Vec<Vec<u8>>, job: Job, shared: Arc<Shared>) {
    let (p, o) = (job.msg.partition(), job.msg.offset());
    let input_ts = job.msg.timestamp().to_millis();
    tokio::spawn(async move {
        for (fut, kind, topic) in pending {
            match fut.await {
                Ok(Ok(_)) => {
                    let c = &shared.counters;
                    match kind {
                        Kind::Articles => c.articles.fetch_add(1, Ordering::Relaxed),
                        Kind::Dlq => c.dlq.fetch_add(1, Ordering::Relaxed),
                    };
                    counter!(names::RECORDS_PRODUCED, "topic" => topic, "kind" => kind.label(), "mode" => shared.mode).increment(1);
                }
                Ok(Err((e, _))) => {
                    shared.fail(format!("broker refused output for {}[{p}]@{o}: {e}", shared.input_topic));
                    return;
                }
                Err(_) => {
                    shared.fail(format!("producer dropped output for {}[{p}]@{o}", shared.input_topic));
                    return;
                }
            }
        }
        if let Some(ts) = input_ts {
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
        shared.complete(p, o);
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

/// The input's own headers, then the reason and the source coordinates.
fn dlq_headers(msg: &OwnedMessage, topic: &str, why: &Rejection) -> OwnedHeaders {
    let mut h = OwnedHeaders::new();
    if let Some(orig) = msg.headers() {
        for hdr in orig.iter() {
            h = h.insert(Header { key: hdr.key, value: hdr.value });
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
        h = h.insert(Header { key: k, value: Some(v.as_bytes()) });
    }
    h
}
