//! `newsflow replay`: reprocess a time (or offset) range of the input topic
//! through the same stages as `run`, into the configured output topics or
//! suffixed copies, then stop.
//!
//! * [`range`] turns `--from`/`--to`/`--from-offsets` into offset ranges.
//! * [`progress`] shows how far it is.
//!
//! The ranges are read, in one deterministic order, by the replay's source
//! ([`super::source::replay`]).
//!
//! What makes a replay trustworthy: its own consumer group (the live
//! pipeline's offsets are never touched; the same command resumes), a
//! deterministic order of decisions and records (byte-identical reruns),
//! and dedup memory that is its own: `fresh` starts empty, `live` starts
//! from a snapshot of the live changelog; neither writes to the changelog.

pub mod progress;
pub mod range;

use super::consumer::{ConsumerCtx, NewGroupStart};
use super::order::Order;
use super::shared::{Mode, Shared, Summary};
use super::sink::OutputTopics;
use super::worker::WorkerCtx;
use super::{kafka, signals, source, wiring};
use crate::config::{Config, OnDuplicate};
use crate::metrics::{self, Health};
use crate::stages::route::Target;
use anyhow::{bail, Context, Result};
use range::{Bounds, PartRange};
use rdkafka::consumer::BaseConsumer;
use rdkafka::consumer::Consumer;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;

/// Where a replay's dedup memory starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DedupMode {
    /// Empty: the range is deduplicated against itself only.
    #[default]
    Fresh,
    /// A snapshot of the live changelog, read once; never written.
    Live,
}

#[derive(Debug, Clone, Default)]
pub struct ReplayOptions {
    pub bounds: Bounds,
    /// Appended to every output topic name (e.g. ".backfill"); empty: the
    /// configured topics.
    pub output_suffix: String,
    /// The replay's consumer group; default derived from the range.
    pub group: Option<String>,
    pub max_rate: Option<f64>,
    pub dedup: DedupMode,
}

/// The JSON line `replay` prints last.
#[derive(Debug, Clone, Serialize)]
pub struct ReplayReport {
    pub group: String,
    /// Every range read and every record acknowledged.
    pub complete: bool,
    /// Messages in the range (those this invocation published are `consumed`).
    pub range_messages: u64,
    pub output_suffix: String,
    #[serde(flatten)]
    pub summary: Summary,
}

fn empty_range(b: &Bounds, topic: &str) -> String {
    let what = match (b.from, b.to) {
        (Some(f), Some(to)) => format!(
            "a timestamp in [{}, {})",
            range::fmt_ms(f),
            range::fmt_ms(to)
        ),
        (Some(f), None) => format!("a timestamp at or after {}", range::fmt_ms(f)),
        (None, Some(to)) => format!(
            "an offset past --from-offsets and a timestamp before {}",
            range::fmt_ms(to)
        ),
        _ => "an offset at or after --from-offsets".to_string(),
    };
    format!("no message of {topic} has {what}; nothing to replay")
}

/// The replay's consumer group: `--group`, else one named after the range,
/// so running the same command again resumes it.
pub fn group_name(cfg: &Config, opts: &ReplayOptions) -> Result<String> {
    let group = opts.group.clone().unwrap_or_else(|| {
        format!(
            "{}.replay.{}",
            cfg.kafka.group_id,
            opts.bounds.tag(&opts.output_suffix)
        )
    });
    if group == cfg.kafka.group_id {
        bail!("--group {group:?} is the live pipeline's group (kafka.group_id); a replay must not move its offsets: pick another name or omit --group");
    }
    Ok(group)
}

pub async fn replay(cfg: Config, opts: ReplayOptions) -> Result<ReplayReport> {
    opts.bounds.validate()?;
    if cfg.is_embedded() {
        bail!("kafka.brokers = \"embedded\": replay reads history from a running broker, and the embedded one lives only inside `newsflow run`; set NEWSFLOW_KAFKA__BROKERS=host:port");
    }
    if opts.max_rate.is_some_and(|r| r.is_nan() || r <= 0.0) {
        bail!("--max-rate must be a positive number of messages per second");
    }
    let group = group_name(&cfg, &opts)?;
    let bootstrap = cfg.kafka.brokers.clone();
    let health = Arc::new(Health::default());
    let metrics_task = wiring::serve_metrics(&cfg, Mode::Replay, health.clone()).await?;
    let t = &cfg.topics;
    let sfx = &opts.output_suffix;
    let hint = if sfx.is_empty() {
        "newsflow create-topics".to_string()
    } else {
        format!("newsflow create-topics --output-suffix {sfx}")
    };
    let (_, outputs) = wiring::require_outputs(
        &bootstrap,
        &t.input,
        &OutputTopics::from_config(t, sfx),
        |o| match o {
            Target::Changelog => opts.dedup == DedupMode::Live,
            Target::Reports => cfg.happenings.enabled,
            _ => true,
        },
        &hint,
    )
    .await?;

    let shared = wiring::new_shared(&cfg, Mode::Replay, health.clone());
    let consumer: Arc<BaseConsumer<ConsumerCtx>> = Arc::new(
        kafka::consumer_config(&cfg, &bootstrap, &group)
            .create_with_context(ConsumerCtx::new(shared.clone(), NewGroupStart::LogStart))
            .context("creating the replay consumer")?,
    );
    let ranges: Vec<PartRange> = {
        let (consumer, topic, bounds) = (consumer.clone(), t.input.clone(), opts.bounds.clone());
        tokio::task::spawn_blocking(move || {
            range::resolve(&consumer, &topic, &bounds, Duration::from_secs(15))
        })
        .await??
    };
    let range_messages: u64 = ranges.iter().map(PartRange::len).sum();
    let left: u64 = ranges.iter().map(PartRange::left).sum();
    if range_messages == 0 {
        bail!("empty range: {}", empty_range(&opts.bounds, &t.input));
    }
    for r in &ranges {
        tracing::info!(
            partition = r.partition,
            first = r.first,
            end = r.end,
            resume = r.resume,
            "replay range"
        );
    }
    let report = |complete: bool, in_range: u64, shared: &Shared| ReplayReport {
        group: group.clone(),
        complete,
        range_messages: in_range,
        output_suffix: sfx.clone(),
        summary: shared.summary(),
    };
    if left == 0 {
        tracing::info!(
            group,
            "this replay already completed: nothing left to publish"
        );
        return Ok(report(true, range_messages, &shared));
    }
    tracing::info!(group, messages = left, of = range_messages, "replaying");

    metrics::register_zeroes(&t.input, &outputs.shown());
    let (producer, sink, committer) =
        wiring::delivery(&cfg, &bootstrap, &shared, outputs, Some(&group)).await?;
    consumer.context().set_commit(committer);
    health.set_producer_connected(true);
    {
        let mut meta = shared.inflight.commit_metadata.lock().unwrap();
        let mut tracker = shared.inflight.tracker();
        for r in &ranges {
            meta.insert(r.partition, range::end_metadata(r.end));
            tracker.assign(r.partition);
        }
    }
    health.set_assigned(true);
    let gauges_task = wiring::spawn_gauges(producer.clone(), shared.clone());

    let dedup = wiring::dedup_index(&cfg)?;
    if opts.dedup == DedupMode::Live {
        let (n, reader) = wiring::restore_dedup(&cfg, &bootstrap, &dedup, &shared, false).await?;
        let _ = tokio::task::spawn_blocking(move || reader.join()).await;
        tracing::info!(
            records = n,
            "replay dedup starts from the live memory (read-only)"
        );
    }
    let chain = wiring::load_chain(&cfg, wiring::Stages::All).await?;
    let (senders, workers) = wiring::spawn_workers(
        &cfg,
        WorkerCtx {
            chain,
            sink,
            shared: shared.clone(),
            dedup,
            annotate: cfg.dedup.on_duplicate == OnDuplicate::Annotate,
            order: Some(Arc::new(Order::default())),
            write_changelog: false,
            marker: vec![
                ("newsflow.mode".into(), "replay".into()),
                ("newsflow.replay.group".into(), group.clone()),
            ],
            echo: false,
            passthrough: false,
        },
    );
    // Into suffixed copies, the replay aggregates its own happenings (into
    // the live topics, the live pipeline's happenings stage does).
    let aggregator = if cfg.happenings.enabled && !sfx.is_empty() {
        let group = format!("{group}.happenings");
        Some(wiring::start_happenings(&cfg, &bootstrap, sfx, group, &shared).await?)
    } else {
        None
    };
    let progress_task = progress::spawn(shared.clone(), left);
    let signal_task = tokio::spawn(signals::stop_on_signal(shared.clone()));
    let drive = wiring::drive(&cfg, &shared, senders);
    let merge_cfg = source::replay::MergeConfig {
        max_rate: opts.max_rate,
        from: opts.bounds.from,
        to: opts.bounds.to,
    };
    let thread_ranges = ranges.clone();
    let consumer_thread = std::thread::Builder::new()
        .name("newsflow-replay".into())
        .spawn(move || source::replay::merge(consumer, &thread_ranges, drive, merge_cfg))?;
    let merged = tokio::task::spawn_blocking(move || consumer_thread.join())
        .await?
        .map_err(|_| anyhow::anyhow!("the replay consumer thread panicked"))?;
    shared.request_stop();
    wiring::finish(&shared, cfg.shutdown.deadline_secs, workers, producer).await?;
    if let Some(a) = aggregator {
        // A complete replay lets the stage catch up (a resumed, complete
        // replay does not start it again); a stopped one keeps the deadline.
        let wait = if merged.complete {
            Duration::from_secs(cfg.shutdown.deadline_secs.max(600))
        } else {
            Duration::from_secs(cfg.shutdown.deadline_secs)
        };
        wiring::finish_happenings(a, &shared, wait).await?;
    }
    progress_task.abort();
    signal_task.abort();
    gauges_task.abort();
    if let Some(m) = metrics_task {
        m.abort();
    }
    if let Some(why) = shared.fatal() {
        bail!(why);
    }
    if merged.complete && merged.in_range == 0 {
        bail!("empty range: {}", empty_range(&opts.bounds, &t.input));
    }
    Ok(report(merged.complete, merged.in_range, &shared))
}
