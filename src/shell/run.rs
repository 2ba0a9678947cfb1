//! `newsflow run`: wires broker, producer, consumer thread, workers, metrics
//! endpoint and signals together, and tears them down in order.
//!
//! Shutdown order (SIGTERM/SIGINT, idle exit, or a fatal error): the consumer
//! thread stops polling and drains in-flight work up to the deadline, commits
//! the completed watermark synchronously and leaves the group; the workers
//! finish; the producer is flushed explicitly; the embedded broker (if any)
//! stops last. All of it within `shutdown.deadline_secs`.

use super::consumer::{consume_loop, Ctx, LoopConfig};
use super::embedded::EmbeddedBroker;
use super::produce::{produce_lines, Pace};
use super::shared::{Shared, Summary};
use super::worker::{run_worker, Outputs, WorkerCtx};
use super::{changelog, kafka, signals};
use crate::config::{Config, OnDuplicate};
use crate::metrics::{self, Health};
use crate::stages::dedup::DedupIndex;
use crate::stages::{Chain, ChainConfig};
use anyhow::{bail, Context, Result};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{FutureProducer, Producer};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Semaphore};

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
}

pub async fn run(cfg: Config, opts: RunOptions) -> Result<Summary> {
    let handle = metrics::install();
    let health = Arc::new(Health::default());
    let metrics_task = if cfg.metrics.listen != "off" {
        let listener = tokio::net::TcpListener::bind(&cfg.metrics.listen)
            .await
            .with_context(|| format!("metrics.listen = {:?}: cannot listen there (is another newsflow running? set NEWSFLOW_METRICS__LISTEN)", cfg.metrics.listen))?;
        tracing::info!(addr = %listener.local_addr()?, "metrics on /metrics, /health, /ready");
        Some(tokio::spawn(metrics::serve(
            listener,
            handle,
            health.clone(),
        )))
    } else {
        None
    };

    let embedded = if cfg.is_embedded() {
        let b = EmbeddedBroker::start(&cfg.topics.all(), cfg.embedded.partitions)?;
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
    let names = [
        t.input.clone(),
        t.articles.clone(),
        t.events.clone(),
        t.duplicates.clone(),
        t.dlq.clone(),
        t.dedup_changelog.clone(),
    ];
    let bs = bootstrap.clone();
    let counts = tokio::task::spawn_blocking(move || {
        kafka::partition_counts(&bs, &names.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await??;
    for (i, key) in [
        "topics.input",
        "topics.articles",
        "topics.events",
        "topics.duplicates",
        "topics.dlq",
        "topics.dedup_changelog",
    ]
    .iter()
    .enumerate()
    {
        if counts[i] == 0 {
            bail!("{key}: topic {:?} does not exist on {bootstrap}; create it first, e.g. `newsflow create-topics` (newsflow never auto-creates topics on a real cluster)", [&t.input, &t.articles, &t.events, &t.duplicates, &t.dlq, &t.dedup_changelog][i]);
        }
    }
    let producer: FutureProducer = kafka::producer_config(&cfg, &bootstrap)
        .create()
        .context("creating the producer")?;
    health.set_producer_connected(true);

    let shared = Arc::new(Shared::new(
        t.input.clone(),
        "run",
        health.clone(),
        Duration::from_secs(cfg.shutdown.deadline_secs).mul_f32(0.5),
    ));
    metrics::register_zeroes(
        "run",
        &t.input,
        &[
            (&t.articles, "articles"),
            (&t.events, "events"),
            (&t.duplicates, "duplicates"),
            (&t.dlq, "dlq"),
        ],
    );
    let gauges_task = {
        let (producer, shared) = (producer.clone(), shared.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                ::metrics::gauge!(crate::metrics::names::PRODUCER_QUEUE)
                    .set(producer.in_flight_count() as f64);
                ::metrics::gauge!(crate::metrics::names::IN_FLIGHT)
                    .set(shared.tracker.lock().unwrap().total_in_flight() as f64);
            }
        })
    };
    shared.echo.store(opts.echo, Ordering::Relaxed);
    shared
        .passthrough
        .store(opts.passthrough, Ordering::Relaxed);
    let consumer: BaseConsumer<Ctx> = kafka::consumer_config(&cfg, &bootstrap, &cfg.kafka.group_id)
        .create_with_context(Ctx::new(shared.clone()))
        .context("creating the consumer")?;
    consumer
        .subscribe(&[&t.input])
        .context("subscribing to topics.input")?;

    let outputs = Arc::new(Outputs {
        articles: (t.articles.clone(), counts[1]),
        events: (t.events.clone(), counts[2]),
        duplicates: (t.duplicates.clone(), counts[3]),
        dlq: (t.dlq.clone(), counts[4]),
        changelog: (t.dedup_changelog.clone(), 0),
    });
    let dedup = Arc::new(Mutex::new(
        DedupIndex::new(cfg.dedup.index_config()).map_err(|e| anyhow::anyhow!("{e}"))?,
    ));
    let _ = shared.dedup.set(dedup.clone());
    let changelog_reader = {
        let (cfg, bootstrap, dedup, shared) = (
            cfg.clone(),
            bootstrap.clone(),
            dedup.clone(),
            shared.clone(),
        );
        let timeout = Duration::from_secs(cfg.shutdown.deadline_secs.max(30));
        tokio::task::spawn_blocking(move || {
            changelog::start(&cfg, &bootstrap, dedup, shared, timeout)
        })
        .await??
        .1
    };
    let extractor = tokio::task::spawn_blocking(crate::stages::extract::Extractor::load_default)
        .await?
        .context("loading the dictionaries under data/ (set NEWSFLOW_DATA_DIR to their folder)")?;
    let chain = Arc::new(
        Chain::new(ChainConfig {
            max_message_bytes: cfg.pipeline.max_message_bytes,
        })
        .with_extractor(Arc::new(extractor)),
    );
    let permits = Arc::new(Semaphore::new(cfg.pipeline.max_in_flight));
    let per_worker = (cfg.pipeline.max_in_flight / cfg.pipeline.concurrency).max(16);
    let mut senders = Vec::new();
    let mut workers = Vec::new();
    for _ in 0..cfg.pipeline.concurrency {
        let (tx, rx) = mpsc::channel(per_worker);
        senders.push(tx);
        let ctx = WorkerCtx {
            chain: chain.clone(),
            producer: producer.clone(),
            shared: shared.clone(),
            outputs: outputs.clone(),
            dedup: dedup.clone(),
            annotate: cfg.dedup.on_duplicate == OnDuplicate::Annotate,
        };
        workers.push(tokio::spawn(run_worker(rx, ctx)));
    }

    let seeder = opts.seed.clone().map(|path| {
        shared.seeding.store(true, Ordering::SeqCst);
        let (producer, shared, topic, parts) =
            (producer.clone(), shared.clone(), t.input.clone(), counts[0]);
        let rate = opts.seed_rate;
        let pace = embedded.as_ref().map(|_| Pace {
            shared: shared.clone(),
            max_lead_bytes: cfg.embedded.max_lead_bytes * parts as u64,
        });
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
                let file = std::fs::File::open(&path)
                    .with_context(|| format!("--seed {}", path.display()))?;
                produce_lines(
                    &producer,
                    &topic,
                    parts,
                    std::io::BufReader::new(file),
                    pace.as_ref(),
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
            shared.changed.notify_all();
        })
    });

    let signal_task = tokio::spawn(signals::stop_on_signal(shared.clone()));
    let loop_cfg = LoopConfig {
        commit_interval: Duration::from_millis(cfg.pipeline.commit_interval_ms),
        exit_when_idle: opts.exit_when_idle,
        shutdown_deadline: Duration::from_secs(cfg.shutdown.deadline_secs),
    };
    let rt = tokio::runtime::Handle::current();
    let consumer_shared = shared.clone();
    let consumer_thread = std::thread::Builder::new()
        .name("newsflow-consumer".into())
        .spawn(move || consume_loop(consumer, consumer_shared, senders, permits, rt, loop_cfg))?;
    tokio::task::spawn_blocking(move || consumer_thread.join())
        .await?
        .map_err(|_| anyhow::anyhow!("the consumer thread panicked"))?;

    // The consumer has left the group; finish the rest within the deadline.
    let deadline = shared.stop_requested_at().unwrap_or_else(Instant::now)
        + Duration::from_secs(cfg.shutdown.deadline_secs);
    if let Some(s) = seeder {
        s.abort();
    }
    for w in workers {
        let left = deadline.saturating_duration_since(Instant::now());
        let _ = tokio::time::timeout(left, w).await;
    }
    let left = deadline.saturating_duration_since(Instant::now());
    let flush = tokio::task::spawn_blocking(move || producer.flush(left)).await?;
    if let Err(e) = flush {
        tracing::warn!(error = %e, "producer flush did not finish before the shutdown deadline");
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
