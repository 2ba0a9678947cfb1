//! Metrics: the Prometheus recorder, the `/metrics`, `/health` and `/ready`
//! endpoints, and process CPU/memory sampling.
//!
//! Metric names live in [`names`] and nowhere else. The HTTP server is a few
//! lines over a tokio `TcpListener` because it serves three fixed GET paths;
//! a web framework would be most of the binary for no gain.

pub mod names;

use metrics::{describe_counter, describe_gauge, describe_histogram, gauge, Unit};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the global Prometheus recorder once per process and returns its
/// handle (later calls return the same handle). Every series carries the
/// label `mode` (`run` or `replay`), so a backfill's figures never mix
/// with the live pipeline's.
pub fn install(mode: &'static str) -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .add_global_label("mode", mode)
                .set_buckets_for_metric(
                    Matcher::Full(names::STAGE_DURATION.into()),
                    names::STAGE_BUCKETS,
                )
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full(names::END_TO_END_LATENCY.into()),
                        names::LATENCY_BUCKETS,
                    )
                })
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full(names::COMMIT_DURATION.into()),
                        names::LATENCY_BUCKETS,
                    )
                })
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full(names::TRANSACTION_DURATION.into()),
                        names::LATENCY_BUCKETS,
                    )
                })
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full(names::EMBEDDED_PRODUCE_WAIT.into()),
                        names::LATENCY_BUCKETS,
                    )
                })
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full(names::HAPPENING_MENTIONS.into()),
                        names::MENTION_BUCKETS,
                    )
                })
                .expect("bucket lists are non-empty");
            let handle = builder
                .install_recorder()
                .expect("no other metrics recorder is installed");
            describe_all();
            gauge!(names::BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
            handle
        })
        .clone()
}

fn describe_all() {
    use names::*;
    describe_counter!(
        RECORDS_CONSUMED,
        Unit::Count,
        "Input messages read from Kafka."
    );
    describe_counter!(
        RECORDS_PRODUCED,
        Unit::Count,
        "Output records acknowledged by the broker."
    );
    describe_counter!(
        RECORDS_DROPPED,
        Unit::Count,
        "Input articles that produced no article record."
    );
    describe_counter!(
        DLQ_RECORDS,
        Unit::Count,
        "Messages sent to the dead-letter topic, by error class."
    );
    describe_counter!(
        STAGE_PANICS,
        Unit::Count,
        "Panics caught in the stage chain, each dead-lettered as internal_error."
    );
    describe_counter!(
        DUPLICATES,
        Unit::Count,
        "Duplicate articles found, by kind."
    );
    describe_counter!(
        EVENTS,
        Unit::Count,
        "Events extracted, by CAMEO root and quad class."
    );
    describe_histogram!(
        STAGE_DURATION,
        Unit::Seconds,
        "Time spent in one stage for one article."
    );
    describe_histogram!(
        END_TO_END_LATENCY,
        Unit::Seconds,
        "Output acknowledged minus input message timestamp."
    );
    describe_gauge!(
        CONSUMER_LAG_MESSAGES,
        Unit::Count,
        "Consumer lag from librdkafka statistics (consumer_lag_stored)."
    );
    describe_gauge!(
        CONSUMER_LAG_SECONDS,
        Unit::Seconds,
        "Lag divided by the partition's recent consumption rate."
    );
    describe_counter!(REBALANCES, Unit::Count, "Rebalance callbacks, by kind.");
    describe_gauge!(
        ASSIGNED_PARTITIONS,
        Unit::Count,
        "Partitions assigned to this instance."
    );
    describe_histogram!(COMMIT_DURATION, Unit::Seconds, "Offset commit latency.");
    describe_histogram!(
        EMBEDDED_PRODUCE_WAIT,
        Unit::Seconds,
        "How long the embedded broker held a Produce request to the input topic."
    );
    describe_counter!(COMMITS, Unit::Count, "Offset commits, by result.");
    describe_counter!(COMMIT_FAILURES, Unit::Count, "Failed offset commits.");
    describe_counter!(
        TRANSACTIONS,
        Unit::Count,
        "Kafka transactions ended (exactly-once), by result."
    );
    describe_histogram!(
        TRANSACTION_DURATION,
        Unit::Seconds,
        "Time to end a transaction: offsets, flush and commit (or abort)."
    );
    describe_counter!(
        TRANSACTION_FATAL_ERRORS,
        Unit::Count,
        "Fatal transaction errors (each stops the instance), by cause."
    );
    describe_gauge!(
        IN_FLIGHT,
        Unit::Count,
        "Input messages read but not yet acknowledged downstream."
    );
    describe_gauge!(
        PRODUCER_QUEUE,
        Unit::Count,
        "Messages in the producer queue."
    );
    describe_counter!(
        HAPPENING_REPORTS,
        Unit::Count,
        "Reports applied by the happenings stage, by result."
    );
    describe_counter!(
        HAPPENING_LATE_REPORTS,
        Unit::Count,
        "Reports more than a horizon older than the latest of their partition."
    );
    describe_counter!(
        HAPPENING_RECORDS,
        Unit::Count,
        "Records published on the happenings topic, by kind."
    );
    describe_histogram!(
        HAPPENING_MENTIONS,
        Unit::Count,
        "Mentions per happening, observed when it closes."
    );
    describe_gauge!(
        HAPPENINGS_OPEN,
        Unit::Count,
        "Open happenings held by this instance."
    );
    describe_gauge!(
        HAPPENINGS_STATE_REPORTS,
        Unit::Count,
        "Reports held in this instance's happenings state."
    );
    describe_counter!(
        HAPPENINGS_FLUSH_WAITS,
        Unit::Count,
        "Flush timeouts the happenings stage waited out for a broker that was away."
    );
    describe_gauge!(
        DEDUP_INDEX_ENTRIES,
        Unit::Count,
        "Articles remembered by the dedup index."
    );
    describe_counter!(
        DEDUP_EVICTIONS,
        Unit::Count,
        "Articles evicted from the dedup index."
    );
    describe_gauge!(
        BUILD_INFO,
        "Always 1; the version label says which build runs."
    );
    describe_gauge!(
        PROCESS_CPU,
        Unit::Seconds,
        "CPU time used by the process (user + system)."
    );
    describe_gauge!(PROCESS_RSS, Unit::Bytes, "Resident memory of the process.");
}

/// Registers the series a dashboard expects before anything happened, at
/// zero: `describe_*` alone creates no series, and a panel or alert over a
/// missing series shows "no data" instead of 0.
pub fn register_zeroes(input_topic: &str, outputs: &[(&str, &'static str)]) {
    use metrics::counter;
    counter!(names::RECORDS_CONSUMED, "topic" => input_topic.to_string()).increment(0);
    counter!(names::INPUT_LOST, "topic" => input_topic.to_string()).increment(0);
    for (topic, kind) in outputs {
        counter!(names::RECORDS_PRODUCED, "topic" => topic.to_string(), "kind" => *kind)
            .increment(0);
    }
    for class in crate::model::ErrorClass::ALL {
        counter!(names::DLQ_RECORDS, "error_class" => class.as_str()).increment(0);
    }
    for step in ["front", "decide", "finish"] {
        counter!(names::STAGE_PANICS, "step" => step).increment(0);
    }
    for kind in crate::stages::dedup::DuplicateKind::ALL {
        counter!(names::DUPLICATES, "kind" => kind.as_str()).increment(0);
    }
    counter!(names::RECORDS_DROPPED, "stage" => "dedup", "reason" => "duplicate").increment(0);
    counter!(names::DEDUP_EVICTIONS).absolute(0);
    gauge!(names::DEDUP_INDEX_ENTRIES).set(0.0);
    for kind in ["assign", "revoke"] {
        counter!(names::REBALANCES, "kind" => kind).increment(0);
    }
    for result in ["ok", "error"] {
        counter!(names::COMMITS, "result" => result).increment(0);
    }
    for result in ["new", "merged", "repeated", "invalid"] {
        counter!(names::HAPPENING_REPORTS, "result" => result).increment(0);
    }
    counter!(names::HAPPENING_LATE_REPORTS).increment(0);
    for kind in ["upsert", "tombstone", "closed"] {
        counter!(names::HAPPENING_RECORDS, "kind" => kind).increment(0);
    }
    gauge!(names::HAPPENINGS_OPEN).set(0.0);
    gauge!(names::HAPPENINGS_STATE_REPORTS).set(0.0);
    counter!(names::HAPPENINGS_FLUSH_WAITS).increment(0);
    counter!(names::COMMIT_FAILURES).increment(0);
    for result in ["committed", "aborted"] {
        counter!(names::TRANSACTIONS, "result" => result).increment(0);
    }
    for cause in ["fenced", "fatal"] {
        counter!(names::TRANSACTION_FATAL_ERRORS, "cause" => cause).increment(0);
    }
    gauge!(names::IN_FLIGHT).set(0.0);
    gauge!(names::PRODUCER_QUEUE).set(0.0);
    gauge!(names::ASSIGNED_PARTITIONS).set(0.0);
    sample_process();
}

/// Liveness and readiness as seen by `/health` and `/ready`.
#[derive(Debug, Default)]
pub struct Health {
    assigned: AtomicBool,
    producer_connected: AtomicBool,
}

impl Health {
    pub fn set_assigned(&self, v: bool) {
        self.assigned.store(v, Ordering::Relaxed);
    }
    pub fn set_producer_connected(&self, v: bool) {
        self.producer_connected.store(v, Ordering::Relaxed);
    }
    pub fn is_ready(&self) -> bool {
        self.assigned.load(Ordering::Relaxed) && self.producer_connected.load(Ordering::Relaxed)
    }
}

/// Serves the three endpoints until the task is dropped or aborted.
pub async fn serve(listener: TcpListener, handle: PrometheusHandle, health: Arc<Health>) {
    loop {
        let Ok((mut sock, _)) = listener.accept().await else {
            continue;
        };
        let handle = handle.clone();
        let health = health.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            let mut n = 0;
            // Read the request head (we ignore any body; GET has none).
            while n < buf.len() {
                match tokio::time::timeout(
                    std::time::Duration::from_secs(5),
                    sock.read(&mut buf[n..]),
                )
                .await
                {
                    Ok(Ok(0)) | Err(_) | Ok(Err(_)) => break,
                    Ok(Ok(k)) => {
                        n += k;
                        if buf[..n].windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                }
            }
            let head = String::from_utf8_lossy(&buf[..n]);
            let path = head.split_whitespace().nth(1).unwrap_or("/");
            let path = path.split('?').next().unwrap_or(path);
            let (status, ctype, body) = match path {
                "/metrics" => {
                    sample_process();
                    handle.run_upkeep();
                    ("200 OK", "text/plain; version=0.0.4", handle.render())
                }
                "/health" => ("200 OK", "text/plain", "ok\n".to_string()),
                "/ready" if health.is_ready() => ("200 OK", "text/plain", "ready\n".to_string()),
                "/ready" => (
                    "503 Service Unavailable",
                    "text/plain",
                    "not ready: waiting for partitions and producer\n".to_string(),
                ),
                _ => (
                    "404 Not Found",
                    "text/plain",
                    "try /metrics, /health or /ready\n".to_string(),
                ),
            };
            let resp = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(resp.as_bytes()).await;
            let _ = sock.shutdown().await;
        });
    }
}

/// Reads CPU time and RSS from /proc (Linux); silently does nothing elsewhere.
pub fn sample_process() {
    if let Ok(stat) = std::fs::read_to_string("/proc/self/stat") {
        // Fields after the `(comm)`: utime and stime are the 12th and 13th.
        if let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) {
            let f: Vec<&str> = rest.split_whitespace().collect();
            if let (Some(u), Some(s)) = (f.get(11), f.get(12)) {
                let ticks = u.parse::<f64>().unwrap_or(0.0) + s.parse::<f64>().unwrap_or(0.0);
                gauge!(names::PROCESS_CPU).set(ticks / 100.0);
            }
        }
    }
    if let Ok(statm) = std::fs::read_to_string("/proc/self/statm") {
        if let Some(pages) = statm
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<f64>().ok())
        {
            gauge!(names::PROCESS_RSS).set(pages * 4096.0);
        }
    }
}
