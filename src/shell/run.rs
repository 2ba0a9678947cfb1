//! `newsflow run`: wires broker, producer, consumer thread, workers, metrics
//! endpoint and signals together, and tears them down in order.
//!
//! Shutdown order (SIGTERM/SIGINT, idle exit, or a fatal error): the consumer
//! thread stops polling and drains in-flight work up to the deadline, commits
//! the completed watermark synchronously and leaves the group; the workers
//! finish; the producer is flushed explicitly; the embedded broker (if any)
//! stops last. All of it within `shutdown.deadline_secs`.

use super::consumer::ConsumerCtx;
use super::embedded::EmbeddedBroker;
use super::produce::produce_lines;
use super::shared::{Mode, Summary};
use super::sink::OutputTopics;
use super::worker::WorkerCtx;
use super::{kafka, signals, source, wiring};
use crate::config::{Config, Delivery, OnDuplicate};
use crate::metrics::{self, Health};
use crate::stages::route::Target;
use anyhow::{bail, Context, Result};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::FutureProducer;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
pub use wiring::Stages;

/// What `run` does beyond the config.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Publish this JSONL file to the input topic at start.
    pub seed: Option<PathBuf>,
    /// Exit 0 once every assigned partition is at its end and idle this long.
    pub exit_when_idle: Option<Duration>,
    /// Print every acknowledged article/event record on stdout.
    pub echo: bool,
    /// Benchmark baseline: no stages, input copied to the articles topic.
    pub passthrough: bool,
    /// Publish the seed file at most this many messages per second.
    pub seed_rate: Option<f64>,
    /// Benchmark ladder: run only a prefix of the stage chain.
    pub stages: wiring::Stages,
}

pub async fn run(cfg: Config, opts: RunOptions) -> Result<Summary> {
    let health = Arc::new(Health::default());
    let metrics_task = wiring::serve_metrics(&cfg, Mode::Run, health.clone()).await?;

    let embedded = if cfg.is_embedded() {
        let b = EmbeddedBroker::start(
            &cfg.topics.all(),
            cfg.embedded.partitions,
            &[
                cfg.topics.input.as_str(),
                cfg.topics.happenings_repartition.as_str(),
            ],
            cfg.embedded.max_lead_bytes,
        )?;
        println!(
            "embedded Kafka broker listening on {}",
            b.bootstrap_servers()
        );
        Some(b)
    } else {
        None
    };
    let bootstrap = embedded
        .as_ref()
        .map_or_else(|| cfg.kafka.brokers.clone(), |b| b.bootstrap_servers());

    let t = &cfg.topics;
    let (input_partitions, outputs) = wiring::require_outputs(
        &bootstrap,
        &t.input,
        &OutputTopics::from_config(t, ""),
        |o| o != Target::Reports || cfg.happenings.enabled,
        "newsflow create-topics",
    )
    .await?;
    let shared = wiring::new_shared(&cfg, Mode::Run, health.clone());
    metrics::register_zeroes(&t.input, &outputs.shown());
    let (producer, sink, committer) =
        wiring::delivery(&cfg, &bootstrap, &shared, outputs, None).await?;
    health.set_producer_connected(true);
    let gauges_task = wiring::spawn_gauges(producer.clone(), shared.clone());
    let consumer: BaseConsumer<ConsumerCtx> =
        kafka::consumer_config(&cfg, &bootstrap, &cfg.kafka.group_id)
            .create_with_context(ConsumerCtx::new(
                shared.clone(),
                kafka::new_group_start(&cfg),
            ))
            .context("creating the consumer")?;
    consumer.context().set_commit(committer);
    consumer
        .subscribe(&[&t.input])
        .context("subscribing to topics.input")?;

    let dedup = wiring::dedup_index(&cfg)?;
    let _ = shared.dedup.set(dedup.clone());
    let (_, changelog_reader) =
        wiring::restore_dedup(&cfg, &bootstrap, &dedup, &shared, true).await?;
    let chain = wiring::load_chain(&cfg, opts.stages).await?;
    let (senders, workers) = wiring::spawn_workers(
        &cfg,
        WorkerCtx {
            chain,
            sink,
            shared: shared.clone(),
            dedup: dedup.clone(),
            annotate: cfg.dedup.on_duplicate == OnDuplicate::Annotate,
            order: None,
            // The ladder's shorter chains remember nothing (no dedup).
            write_changelog: opts.stages == wiring::Stages::All,
            echo: opts.echo,
            passthrough: opts.passthrough,
            marker: Vec::new(),
        },
    );

    // The happenings stage: its own consumer group on the reports the
    // workers publish (not in the benchmark ladder's shorter chains).
    let aggregator = if cfg.happenings.enabled && opts.stages == Stages::All && !opts.passthrough {
        let group = format!("{}.happenings", cfg.kafka.group_id);
        Some(wiring::start_happenings(&cfg, &bootstrap, "", group, &shared).await?)
    } else {
        None
    };
    if let Some(b) = &embedded {
        // The gate paces producers by what this process has read: the input
        // by the pipeline, the reports by the happenings stage.
        let (s, input) = (shared.clone(), t.input.clone());
        let (reports, repartition) = (
            aggregator.as_ref().map(|a| a.reads()),
            t.happenings_repartition.clone(),
        );
        b.follow_reads(Box::new(move |topic, partition| {
            if topic == input {
                s.inflight.tracker().next_read(partition)
            } else if topic == repartition {
                let reads = reports.as_ref()?;
                let next = reads.lock().unwrap().get(&partition).copied();
                next
            } else {
                None
            }
        }));
    }

    let seeder = opts.seed.clone().map(|path| {
        shared.seeding.store(true, Ordering::SeqCst);
        // A transactional producer publishes only inside its transactions:
        // the seed file gets a plain one.
        let producer = match cfg.pipeline.delivery {
            Delivery::AtLeastOnce => Ok(producer.first().clone()),
            Delivery::ExactlyOnce => kafka::producer_config(&cfg, &bootstrap)
                .create::<FutureProducer>()
                .context("creating the seed producer"),
        };
        let (shared, topic, parts) = (shared.clone(), t.input.clone(), input_partitions);
        let rate = opts.seed_rate;
        tokio::spawn(async move {
            // Publish once this member has its partitions, so the first
            // articles do not wait out the group join (and latency figures
            // measure the pipeline, not the join).
            let waited = Instant::now();
            while !shared.health.is_ready()
                && waited.elapsed() < Duration::from_secs(30)
                && !shared.stopping()
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let result = async {
                let producer = producer?;
                let file = std::fs::File::open(&path)
                    .with_context(|| format!("--seed {}", path.display()))?;
                produce_lines(
                    &producer,
                    &topic,
                    parts,
                    std::io::BufReader::new(file),
                    rate,
                    None,
                )
                .await
            }
            .await;
            match &result {
                Ok(n) => tracing::info!(messages = n, "seed file published"),
                Err(e) => shared.fail(format!("seeding failed: {e:#}")),
            }
            shared.seeding.store(false, Ordering::SeqCst);
            shared.inflight.changed.notify_all();
        })
    });

    let signal_task = tokio::spawn(signals::stop_on_signal(shared.clone()));
    let drive = wiring::drive(&cfg, &shared, senders);
    let exit_when_idle = opts.exit_when_idle;
    let consumer_thread = std::thread::Builder::new()
        .name("newsflow-consumer".into())
        .spawn(move || source::live::consume(consumer, drive, exit_when_idle))?;
    tokio::task::spawn_blocking(move || consumer_thread.join())
        .await?
        .map_err(|_| anyhow::anyhow!("the consumer thread panicked"))?;

    // The consumer has left the group; finish the rest within the deadline.
    if let Some(s) = seeder {
        s.abort();
    }
    wiring::finish(&shared, cfg.shutdown.deadline_secs, workers, producer).await?;
    if let Some(a) = aggregator {
        // Every report is flushed: the stage reads up to them, then stops.
        let wait = Duration::from_secs(cfg.shutdown.deadline_secs);
        wiring::finish_happenings(a, &shared, wait).await?;
    }
    signal_task.abort();
    gauges_task.abort();
    if let Some(m) = metrics_task {
        m.abort();
    }
    // Stop the changelog reader before the broker it reads from.
    let _ = tokio::task::spawn_blocking(move || changelog_reader.join()).await;
    drop(embedded);
    if let Some(why) = shared.fatal() {
        bail!(why);
    }
    Ok(shared.summary())
}
