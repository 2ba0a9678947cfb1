//! Every metric newsflow exports, in one place.
//!
//! Naming follows Prometheus conventions: the `newsflow_` prefix, base units
//! (seconds, bytes), `_total` for counters. Labels are low-cardinality only:
//! topic names, stage names, error classes, CAMEO roots, partitions. Never ids
//! or urls. `docs/metrics.md` documents each one; keep the two in step.

/// Counter. Input messages read from Kafka. Labels: `topic`, and on every
/// series the global `mode` (run|replay).
pub const RECORDS_CONSUMED: &str = "newsflow_records_consumed_total";
/// Counter. Records acknowledged by the broker. Labels: `topic`, `kind`
/// (articles|events|duplicates|dlq), `mode`.
pub const RECORDS_PRODUCED: &str = "newsflow_records_produced_total";
/// Counter. Input articles that produced no article record. Labels: `stage`, `reason`.
pub const RECORDS_DROPPED: &str = "newsflow_records_dropped_total";
/// Counter. Messages sent to the dead-letter topic. Label: `error_class`.
pub const DLQ_RECORDS: &str = "newsflow_dlq_records_total";
/// Counter. Panics caught in the stage chain (each dead-lettered as
/// `internal_error`). Label: `step` (front: parse, normalize, fingerprint;
/// decide: the dedup decision; finish: extract and records).
pub const STAGE_PANICS: &str = "newsflow_stage_panics_total";
/// Counter. Duplicates found. Label: `kind` (exact_url|exact_text|near).
pub const DUPLICATES: &str = "newsflow_duplicates_total";
/// Counter. Events extracted. Labels: `root` (01..20), `quad_class` (1..4).
pub const EVENTS: &str = "newsflow_events_total";
/// Histogram. Time spent in one stage for one article. Label: `stage`.
pub const STAGE_DURATION: &str = "newsflow_stage_duration_seconds";
/// Histogram. Output acknowledged time minus the input message timestamp.
pub const END_TO_END_LATENCY: &str = "newsflow_end_to_end_latency_seconds";
/// Gauge. Consumer lag from librdkafka statistics (`consumer_lag_stored`).
/// Labels: `topic`, `partition`.
pub const CONSUMER_LAG_MESSAGES: &str = "newsflow_consumer_lag_messages";
/// Gauge. Lag estimate in seconds: lag in messages divided by the recent
/// consumption rate of the partition. Labels: `topic`, `partition`.
pub const CONSUMER_LAG_SECONDS: &str = "newsflow_consumer_lag_seconds";
/// Counter. Input messages the broker deleted (retention, the embedded
/// broker's size limit) before this consumer read them: never processed.
/// Label: `topic` (the log line names the partition and offsets).
pub const INPUT_LOST: &str = "newsflow_input_records_lost_total";
/// Histogram. How long the embedded broker's gate held a Produce request to
/// the input topic because the pipeline was too far behind (one observation
/// per held request; `_count` is how many were held).
pub const EMBEDDED_PRODUCE_WAIT: &str = "newsflow_embedded_produce_wait_seconds";
/// Counter. Rebalance callbacks. Label: `kind` (assign|revoke).
pub const REBALANCES: &str = "newsflow_rebalances_total";
/// Gauge. Partitions currently assigned to this instance.
pub const ASSIGNED_PARTITIONS: &str = "newsflow_assigned_partitions";
/// Histogram. Offset commit latency. Label: `kind` (async|sync).
pub const COMMIT_DURATION: &str = "newsflow_commit_duration_seconds";
/// Counter. Offset commits. Label: `result` (ok|error).
pub const COMMITS: &str = "newsflow_commits_total";
/// Counter. Failed offset commits.
pub const COMMIT_FAILURES: &str = "newsflow_commit_failures_total";
/// Counter. Kafka transactions ended (`pipeline.delivery = "exactly-once"`).
/// Label: `result` (committed|aborted).
pub const TRANSACTIONS: &str = "newsflow_transactions_total";
/// Histogram. How long ending a transaction took: sending the input offsets
/// and committing (or aborting), including the flush of its records.
/// Label: `result` (committed|aborted).
pub const TRANSACTION_DURATION: &str = "newsflow_transaction_duration_seconds";
/// Counter. Fatal transaction errors; each stops the instance. Label:
/// `cause` (fenced: another process took this transactional.id; fatal: any
/// other error after which the producer is unusable).
pub const TRANSACTION_FATAL_ERRORS: &str = "newsflow_transaction_fatal_errors_total";
/// Gauge. Input messages read but not yet fully acknowledged downstream.
pub const IN_FLIGHT: &str = "newsflow_in_flight_records";
/// Gauge. Messages waiting in the producer's queue (librdkafka `msg_cnt`).
pub const PRODUCER_QUEUE: &str = "newsflow_producer_queue_messages";
/// Gauge. Articles remembered by the dedup index.
pub const DEDUP_INDEX_ENTRIES: &str = "newsflow_dedup_index_entries";
/// Counter. Articles evicted from the dedup index (past the window).
pub const DEDUP_EVICTIONS: &str = "newsflow_dedup_evictions_total";
/// Counter. Reports the happenings stage applied. Label: `result` (new: it
/// started a happening; merged: it joined one; repeated: already held, a
/// redelivery; invalid: not a report, skipped).
pub const HAPPENING_REPORTS: &str = "newsflow_happening_reports_total";
/// Counter. Reports more than a horizon older than the latest one of their
/// partition: the happening they belong to may have closed already.
pub const HAPPENING_LATE_REPORTS: &str = "newsflow_happening_late_reports_total";
/// Counter. Records published on the happenings topic. Label: `kind`
/// (upsert|tombstone|closed).
pub const HAPPENING_RECORDS: &str = "newsflow_happening_records_total";
/// Histogram. Mentions per happening, observed when a happening closes.
pub const HAPPENING_MENTIONS: &str = "newsflow_happening_mentions";
/// Gauge. Open happenings held by this instance.
pub const HAPPENINGS_OPEN: &str = "newsflow_happenings_open";
/// Gauge. Reports held in this instance's happenings state (its size).
pub const HAPPENINGS_STATE_REPORTS: &str = "newsflow_happenings_state_reports";
/// Counter. Times the happenings stage waited a further flush timeout for
/// the broker to acknowledge a batch (a broker away: a restart, an election).
pub const HAPPENINGS_FLUSH_WAITS: &str = "newsflow_happenings_flush_waits_total";
/// Gauge, always 1. Labels: `version`.
pub const BUILD_INFO: &str = "newsflow_build_info";
/// Counter. CPU seconds used by the process (from /proc/self/stat).
pub const PROCESS_CPU: &str = "process_cpu_seconds_total";
/// Gauge. Resident memory of the process in bytes (from /proc/self/statm).
pub const PROCESS_RSS: &str = "process_resident_memory_bytes";

/// Buckets for per-stage durations: 10 µs to 1 s.
pub const STAGE_BUCKETS: &[f64] = &[
    0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1, 0.25, 0.5, 1.0,
];
/// Buckets for mentions per happening: 1 to 1,000.
pub const MENTION_BUCKETS: &[f64] = &[
    1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0,
];
/// Buckets for end-to-end latency and commits: 1 ms to 60 s.
pub const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];
