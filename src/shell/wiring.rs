//! The parts `run` and `replay` assemble the same way: the metrics endpoint,
//! the shared state, the dedup memory, the topic check, the delivery mode's sink, the stage chain, the workers,
//! the input side's driver settings, and the ordered teardown.

use super::aggregate::{self, Aggregator};
use super::shared::{Mode, Shared};
use super::sink::at_least_once::{AtLeastOnce, GroupCommit};
use super::sink::exactly_once::{ExactlyOnce, Transactions, SECOND_ID_SUFFIX};
use super::sink::{topics, Commit, OutputTopics, Publisher, Sink, Topic};
use super::worker::{work, Job, WorkerCtx};
use super::{dedup_memory, kafka, source};
use crate::config::{Config, Delivery};
use crate::metrics::{self, Health};
use crate::stages::dedup::DedupIndex;
use crate::stages::route::Target;
use crate::stages::{Chain, ChainConfig};
use anyhow::{bail, Context, Result};
use rdkafka::producer::{FutureProducer, Producer};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Semaphore};
use tokio::task::JoinHandle;

/// Installs the recorder (every series labelled `mode`) and serves
/// /metrics, /health and /ready on the mode's address (`metrics.listen` for
/// `run`, `metrics.replay_listen` for `replay`; "off": no endpoint).
pub async fn serve_metrics(
    cfg: &Config,
    mode: Mode,
    health: Arc<Health>,
) -> Result<Option<JoinHandle<()>>> {
    let (listen, key) = match mode {
        Mode::Run => (cfg.metrics.listen.as_str(), "metrics.listen"),
        Mode::Replay => (cfg.metrics.replay_listen.as_str(), "metrics.replay_listen"),
    };
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

/// The state the consumer thread, the workers and the acknowledgement tasks
/// share; a revoke waits up to half the shutdown deadline for its work.
pub fn new_shared(cfg: &Config, mode: Mode, health: Arc<Health>) -> Arc<Shared> {
    Arc::new(Shared::new(
        cfg.topics.input.clone(),
        mode,
        health,
        Duration::from_secs(cfg.shutdown.deadline_secs).mul_f32(0.5),
    ))
}

/// An empty dedup index with the `[dedup]` settings.
pub fn dedup_index(cfg: &Config) -> Result<Arc<Mutex<DedupIndex>>> {
    Ok(Arc::new(Mutex::new(
        DedupIndex::new(cfg.dedup.index_config()).context("the [dedup] settings")?,
    )))
}

/// Fills `dedup` from the changelog ([`dedup_memory::start`]), waiting at
/// most the shutdown deadline (30 s at least) for it to be read; `tail`:
/// keep following it. Returns the records read and the reader thread.
pub async fn restore_dedup(
    cfg: &Config,
    bootstrap: &str,
    dedup: &Arc<Mutex<DedupIndex>>,
    shared: &Arc<Shared>,
    tail: bool,
) -> Result<(u64, std::thread::JoinHandle<()>)> {
    let (cfg, bootstrap, dedup, shared) = (
        cfg.clone(),
        bootstrap.to_string(),
        dedup.clone(),
        shared.clone(),
    );
    let timeout = Duration::from_secs(cfg.shutdown.deadline_secs.max(30));
    tokio::task::spawn_blocking(move || {
        dedup_memory::start(&cfg, &bootstrap, dedup, shared, timeout, tail)
    })
    .await?
}

/// Starts the happenings stage on the topics with `suffix` as consumer group
/// `group` (checking the topics blocks, so off the runtime).
pub async fn start_happenings(
    cfg: &Config,
    bootstrap: &str,
    suffix: &str,
    group: String,
    shared: &Arc<Shared>,
) -> Result<Aggregator> {
    let (cfg, bootstrap, suffix, shared) = (
        cfg.clone(),
        bootstrap.to_string(),
        suffix.to_string(),
        shared.clone(),
    );
    tokio::task::spawn_blocking(move || {
        let topics = aggregate::Topics::from_config(&cfg.topics, &suffix);
        Aggregator::start(&cfg, &bootstrap, topics, &group, shared)
    })
    .await?
}

/// After the pipeline's producer is flushed: lets the happenings stage read
/// up to the last report and stop, at most `wait` after the stop was
/// requested; its error is the instance's.
pub async fn finish_happenings(a: Aggregator, shared: &Shared, wait: Duration) -> Result<()> {
    let deadline = shared.stop_requested_at().unwrap_or_else(Instant::now) + wait;
    if let Err(e) = tokio::task::spawn_blocking(move || a.finish(deadline)).await? {
        shared.fail(format!("happenings stage: {e:#}"));
    }
    Ok(())
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

/// Checks that the input and the `needed` output topics exist (the dedup
/// changelog is not when it is neither read nor written, the reports not
/// when happenings are off) and returns the input's partition count and the
/// outputs as the producer addresses them.
pub async fn require_outputs(
    bootstrap: &str,
    input: &str,
    outputs: &OutputTopics<String>,
    needed: impl Fn(Target) -> bool,
    hint: &str,
) -> Result<(i32, OutputTopics<Topic>)> {
    let mut wanted = vec![("topics.input".to_string(), input.to_string())];
    wanted.extend(
        outputs
            .iter()
            .filter(|(t, _)| needed(*t))
            .map(|(t, name)| (topics::config_key(t).to_string(), name.clone())),
    );
    let counts = require_topics(bootstrap, &wanted, hint).await?;
    let count_of = |name: &str| {
        wanted
            .iter()
            .zip(&counts)
            .skip(1)
            .find(|((_, n), _)| n == name)
            .map_or(0, |(_, c)| *c)
    };
    let topics = outputs.map(|t, name| Topic {
        name: name.clone(),
        partitions: if matches!(t, Target::Changelog | Target::Reports) {
            0
        } else {
            count_of(name)
        },
    });
    Ok((counts[0], topics))
}

/// The delivery mode, chosen once: the sink's producer, the sink the
/// workers publish through, and the commit the consumer thread drives.
/// Under exactly-once this registers the transactional id (fencing an
/// earlier process with the same id). `replay`: the replay's group, whose
/// name extends the transactional id (a backfill must not fence the live
/// instance on its host, and the same replay resumed must fence its own
/// zombie); an aborted transaction then stops the replay instead of
/// rewinding the consumer.
pub async fn delivery(
    cfg: &Config,
    bootstrap: &str,
    shared: &Arc<Shared>,
    topics: OutputTopics<Topic>,
    replay: Option<&str>,
) -> Result<(Producers, Arc<dyn Sink>, Arc<dyn Commit>)> {
    let id = cfg
        .pipeline
        .transactional_id
        .as_ref()
        .map(|id| replay.map_or_else(|| id.clone(), |group| format!("{id}.{group}")));
    let topics = Arc::new(topics);
    let publisher = |transactional_id: Option<String>| -> Result<Publisher> {
        let mut producer_cfg = kafka::producer_config(cfg, bootstrap);
        if let Some(t) = transactional_id {
            producer_cfg.set("transactional.id", t);
        }
        Ok(Publisher {
            producer: producer_cfg.create().context("creating the producer")?,
            topics: topics.clone(),
            shared: shared.clone(),
        })
    };
    Ok(match cfg.pipeline.delivery {
        Delivery::AtLeastOnce => {
            let out = publisher(None)?;
            (
                Producers(vec![out.producer.clone()]),
                Arc::new(AtLeastOnce { out }),
                Arc::new(GroupCommit),
            )
        }
        Delivery::ExactlyOnce => {
            let id = id.context("pipeline.transactional_id is unset")?;
            let outs = [
                publisher(Some(id.clone()))?,
                publisher(Some(format!("{id}{SECOND_ID_SUFFIX}")))?,
            ];
            let producers = Producers(outs.iter().map(|o| o.producer.clone()).collect());
            let rewind = replay.is_none();
            let timeout = Duration::from_secs(cfg.shutdown.deadline_secs.max(10));
            let txn = tokio::task::spawn_blocking(move || {
                Transactions::start(outs, &id, timeout, rewind)
            })
            .await??;
            (producers, Arc::new(ExactlyOnce { txn: txn.clone() }), txn)
        }
    })
}

/// The producers the sink publishes through (two under exactly-once, which
/// take turns; see `sink/exactly_once.rs`).
#[derive(Clone)]
pub struct Producers(Vec<FutureProducer>);

impl Producers {
    /// The first producer: for a plain (non-transactional) one, what other
    /// parts of the process may publish through too.
    pub fn first(&self) -> &FutureProducer {
        &self.0[0]
    }

    /// Messages enqueued and not yet acknowledged, over all producers.
    pub fn in_flight_count(&self) -> i32 {
        self.0.iter().map(|p| p.in_flight_count()).sum()
    }

    /// Flushes every producer, within `timeout` in all.
    pub fn flush(&self, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        for p in &self.0 {
            p.flush(deadline.saturating_duration_since(Instant::now()))?;
        }
        Ok(())
    }
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
    let extract_cfg = cfg.extract.clone();
    let extractor = tokio::task::spawn_blocking(move || {
        crate::stages::extract::Extractor::load_configured(&extract_cfg)
    })
    .await?
    .context("loading the dictionaries under data/ (set NEWSFLOW_DATA_DIR to their folder) and [extract]")?;
    let chain = chain.with_extractor(Arc::new(extractor));
    Ok(Arc::new(if cfg.happenings.enabled {
        chain.with_reports()
    } else {
        chain
    }))
}

/// What the input side's driver needs (see [`source::drive`]): the
/// workers' queues, the in-flight limit, the commit schedule and the
/// shutdown deadline. Called on the runtime the permit waits run on.
pub fn drive(cfg: &Config, shared: &Arc<Shared>, workers: Vec<mpsc::Sender<Job>>) -> source::Drive {
    source::Drive {
        shared: shared.clone(),
        workers,
        permits: Arc::new(Semaphore::new(cfg.pipeline.max_in_flight)),
        rt: tokio::runtime::Handle::current(),
        commit_interval: cfg.pipeline.commit_interval(),
        commit_every: cfg.pipeline.commit_every_messages,
        shutdown_deadline: Duration::from_secs(cfg.shutdown.deadline_secs),
    }
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
            (tx, tokio::spawn(work(rx, ctx.clone())))
        })
        .unzip()
}

/// Publishes the producer-queue and in-flight gauges once a second.
pub fn spawn_gauges(producer: Producers, shared: Arc<Shared>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            ::metrics::gauge!(crate::metrics::names::PRODUCER_QUEUE)
                .set(producer.in_flight_count() as f64);
            ::metrics::gauge!(crate::metrics::names::IN_FLIGHT)
                .set(shared.inflight.tracker().total_in_flight() as f64);
        }
    })
}

/// After the consumer thread has returned: let the workers finish and flush
/// the producer, both within the shutdown deadline counted from the stop.
pub async fn finish(
    shared: &Shared,
    deadline_secs: u64,
    workers: Vec<JoinHandle<()>>,
    producer: Producers,
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
