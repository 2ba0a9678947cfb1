//! The parts `run` and `replay` assemble the same way: the metrics endpoint,
//! the topic check, the stage chain, the workers, and the ordered teardown.

use super::kafka;
use super::shared::{Mode, Shared};
use super::worker::{run_worker, Job, WorkerCtx};
use crate::config::Config;
use crate::metrics::{self, Health};
use crate::stages::{Chain, ChainConfig};
use anyhow::{bail, Context, Result};
use rdkafka::producer::{FutureProducer, Producer};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Installs the recorder (every series labelled `mode`) and serves
/// /metrics, /health and /ready on `listen` ("off": no endpoint). `key` is
/// the config key to name when the address is taken.
pub async fn serve_metrics(
    mode: Mode,
    listen: &str,
    key: &str,
    health: Arc<Health>,
) -> Result<Option<JoinHandle<()>>> {
    let handle = metrics::install(mode.as_str());
    if listen == "off" {
        return Ok(None);
    }
    let env = format!("NEWSFLOW_{}", key.to_uppercase().replace('.', "__"));
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| {
        format!("{key} = {listen:?}: cannot listen there (is another newsflow running? set {env}, or \"off\")")
    })?;
    tracing::info!(addr = %listener.local_addr()?, "metrics on /metrics, /health, /ready");
    Ok(Some(tokio::spawn(metrics::serve(listener, handle, health))))
}

/// Partition counts of the given topics, or an error naming the config key
/// of the first one that does not exist.
pub async fn require_topics(
    bootstrap: &str,
    topics: &[(String, String)],
    hint: &str,
) -> Result<Vec<i32>> {
    let (bs, names) = (
        bootstrap.to_string(),
        topics.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>(),
    );
    let counts = tokio::task::spawn_blocking(move || {
        kafka::partition_counts(&bs, &names.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await??;
    for ((key, topic), n) in topics.iter().zip(&counts) {
        if *n == 0 {
            bail!("{key}: topic {topic:?} does not exist on {bootstrap}; create it first, e.g. `{hint}` (newsflow never auto-creates topics on a real cluster)");
        }
    }
    Ok(counts)
}

/// How much of the chain `run` executes: all of it, except in the
/// benchmark ladder (`run --stages`), which prices the stages one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Stages {
    /// parse + normalize only.
    Normalize,
    /// parse + normalize + dedup.
    Dedup,
    #[default]
    All,
}

/// The stage chain with the dictionaries under data/ loaded (when needed).
pub async fn load_chain(cfg: &Config, stages: Stages) -> Result<Arc<Chain>> {
    let mut chain = Chain::new(ChainConfig {
        max_message_bytes: cfg.pipeline.max_message_bytes,
    });
    // Tests of panic handling only; a release build ignores the variable.
    if cfg!(debug_assertions) {
        if let Ok(marker) = std::env::var("NEWSFLOW_TEST_PANIC_MARKER") {
            chain = chain.with_fault_marker(&marker);
        }
    }
    match stages {
        Stages::Normalize => return Ok(Arc::new(chain.normalize_only())),
        Stages::Dedup => return Ok(Arc::new(chain)),
        Stages::All => {}
    }
    let extractor = tokio::task::spawn_blocking(crate::stages::extract::Extractor::load_default)
        .await?
        .context("loading the dictionaries under data/ (set NEWSFLOW_DATA_DIR to their folder)")?;
    Ok(Arc::new(chain.with_extractor(Arc::new(extractor))))
}

/// `pipeline.concurrency` workers, each with a bounded queue.
pub fn spawn_workers(
    cfg: &Config,
    ctx: WorkerCtx,
) -> (Vec<mpsc::Sender<Job>>, Vec<JoinHandle<()>>) {
    let per_worker = (cfg.pipeline.max_in_flight / cfg.pipeline.concurrency).max(16);
    (0..cfg.pipeline.concurrency)
        .map(|_| {
            let (tx, rx) = mpsc::channel(per_worker);
            (tx, tokio::spawn(run_worker(rx, ctx.clone())))
        })
        .unzip()
}

/// Publishes the producer-queue and in-flight gauges once a second.
pub fn spawn_gauges(producer: FutureProducer, shared: Arc<Shared>) -> JoinHandle<()> {
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
}

/// After the consumer thread has returned: let the workers finish and flush
/// the producer, both within the shutdown deadline counted from the stop.
pub async fn finish(
    shared: &Shared,
    deadline_secs: u64,
    workers: Vec<JoinHandle<()>>,
    producer: FutureProducer,
) -> Result<()> {
    let deadline = shared.stop_requested_at().unwrap_or_else(Instant::now)
        + Duration::from_secs(deadline_secs);
    for w in workers {
        let left = deadline.saturating_duration_since(Instant::now());
        let _ = tokio::time::timeout(left, w).await;
    }
    let left = deadline.saturating_duration_since(Instant::now());
    let flush = tokio::task::spawn_blocking(move || producer.flush(left)).await?;
    if let Err(e) = flush {
        tracing::warn!(error = %e, "producer flush did not finish before the shutdown deadline");
    }
    Ok(())
}
