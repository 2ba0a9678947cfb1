//! Workers: run the stage chain on each message and hand its records to the
//! sink (`sink/`), which publishes them under the configured delivery mode.
//!
//! Each input partition is served by exactly one worker (partition modulo
//! `pipeline.concurrency`), so records derived from one partition are
//! produced in input order.

use super::offsets::Ticket;
use super::order::Order;
use super::shared::Shared;
use super::sink::{Batch, Record, Sink};
use crate::metrics::names;
use crate::model::Rejection;
use crate::stages::budget;
use crate::stages::dedup::DedupIndex;
use crate::stages::route::{self, Target};
use crate::stages::{Chain, Source, Timings};
use metrics::{counter, histogram};
use rdkafka::message::{Header, Headers, Message, OwnedHeaders, OwnedMessage};
use std::sync::{Arc, Mutex};
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

/// What a worker needs besides its queue.
#[derive(Clone)]
pub struct WorkerCtx {
    pub chain: Arc<Chain>,
    /// Where the records go (the delivery mode, chosen at wiring).
    pub sink: Arc<dyn Sink>,
    pub shared: Arc<Shared>,
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
    /// `run --echo`: print every acknowledged article and event record.
    pub echo: bool,
    /// Benchmark baseline (`run --passthrough`): the workers run no stage
    /// and copy each input message to the articles topic.
    pub passthrough: bool,
}

/// A worker's loop, chosen once at wiring: the stage chain, or the
/// benchmark baseline.
pub async fn work(rx: mpsc::Receiver<Job>, ctx: WorkerCtx) {
    if ctx.passthrough {
        run_passthrough(rx, ctx).await
    } else {
        run_worker(rx, ctx).await
    }
}

/// Whether a job read for the live pipeline still belongs to the current
/// assignment of its partition: revoked while queued (and perhaps assigned
/// again since), the current owner, or the current assignment, reads it
/// again.
fn still_ours(job: &Job, shared: &Shared) -> bool {
    job.ticket.is_some_and(|t| shared.inflight.is_current(&t))
}

/// Benchmark baseline: the same consumer, producer and acknowledgement path
/// as the pipeline, no stages.
async fn run_passthrough(mut rx: mpsc::Receiver<Job>, ctx: WorkerCtx) {
    while let Some(job) = rx.recv().await {
        if !still_ours(&job, &ctx.shared) {
            continue;
        }
        let records = vec![Record {
            target: Target::Articles,
            key: job.msg.key().map(<[u8]>::to_vec),
            payload: job.msg.payload().unwrap_or(&[]).to_vec(),
            headers: None,
        }];
        ctx.sink
            .publish(Batch {
                job,
                records,
                remember: None,
                echoed: Vec::new(),
            })
            .await;
    }
}

async fn run_worker(mut rx: mpsc::Receiver<Job>, ctx: WorkerCtx) {
    let WorkerCtx {
        chain,
        sink,
        shared,
        dedup,
        annotate,
        order,
        write_changelog,
        marker,
        echo,
        passthrough: _,
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
        if gate.is_none() && !still_ours(&job, &shared) {
            continue;
        }
        let payload = job.msg.payload().unwrap_or(&[]);
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
        let mut records = Vec::with_capacity(outcome.outputs.len() + 1);
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
            records.push(Record {
                target: Target::Dlq,
                key: job.msg.key().map(<[u8]>::to_vec),
                payload: kept.to_vec(),
                headers: Some(headers),
            });
        }
        let echoed: Vec<Vec<u8>> = outcome
            .outputs
            .iter()
            .filter(|out| echo && matches!(out.target, Target::Articles | Target::Events))
            .map(|out| out.payload.clone())
            .collect();
        records.extend(outcome.outputs.into_iter().map(|out| Record {
            target: out.target,
            key: Some(out.key),
            payload: out.payload,
            headers: marker.clone(),
        }));
        let remember = outcome.remember.map(|r| Record {
            target: r.target,
            key: Some(r.key),
            payload: r.payload,
            headers: None,
        });
        if let Some((g, seq)) = gate {
            g.send.wait(seq).await;
        }
        sink.publish(Batch {
            job,
            records,
            remember,
            echoed,
        })
        .await;
        if let Some((g, _)) = gate {
            g.send.advance();
        }
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
