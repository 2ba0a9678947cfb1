//! The dedup memory's durable, cluster-wide side: the compacted changelog
//! topic, read by every instance like a Kafka Streams global table.
//!
//! At start-up the whole changelog is replayed into the local index before
//! the pipeline consumes anything (restore: a restarted instance remembers
//! what it saw). Afterwards the same reader keeps tailing it, so an article
//! accepted by another instance of the group (on another partition) becomes
//! known here within one poll: that is how two instances catch a duplicate
//! across partitions. The race window: two near-copies processed by two
//! instances at the same moment both pass, for as long as the first one's
//! outputs are in flight plus the changelog's produce-to-fetch latency
//! (typically tens of milliseconds; bounded by `max_in_flight` messages per
//! instance). Replaying a record this instance wrote itself is harmless:
//! `DedupIndex::remember` is idempotent.

use super::kafka;
use super::shared::Shared;
use crate::config::Config;
use crate::metrics::names;
use crate::stages::dedup::{changelog, DedupIndex};
use anyhow::{Context, Result};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use std::collections::HashSet;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// Starts the reader thread and waits until the changelog is replayed (or
/// `restore_timeout` passes). Returns the number of records restored. With
/// `tail` the reader keeps following the changelog until the stop; without
/// (`replay --dedup live`: a snapshot of the live memory) it ends once
/// restored.
pub fn start(
    cfg: &Config,
    bootstrap: &str,
    index: Arc<Mutex<DedupIndex>>,
    shared: Arc<Shared>,
    restore_timeout: Duration,
    tail: bool,
) -> Result<(u64, std::thread::JoinHandle<()>)> {
    let topic = cfg.topics.dedup_changelog.clone();
    let group = format!("{}.dedup-reader", cfg.kafka.group_id);
    let consumer: BaseConsumer<kafka::QuietEof> = kafka::consumer_config(cfg, bootstrap, &group)
        .create_with_context(kafka::QuietEof)
        .context("creating the changelog reader")?;
    let md = consumer
        .fetch_metadata(Some(&topic), Duration::from_secs(10))
        .with_context(|| format!("topics.dedup_changelog: fetching metadata of {topic}"))?;
    let parts: Vec<i32> = md
        .topics()
        .first()
        .map(|t| t.partitions().iter().map(|p| p.id()).collect())
        .unwrap_or_default();
    if parts.is_empty() {
        anyhow::bail!("topics.dedup_changelog: topic {topic:?} does not exist; create it (compacted), e.g. with `newsflow create-topics`");
    }
    let mut tpl = TopicPartitionList::new();
    for p in &parts {
        tpl.add_partition_offset(&topic, *p, Offset::Beginning)?;
    }
    consumer.assign(&tpl)?;
    let (restored_tx, restored_rx) = mpsc::channel::<u64>();
    let handle = std::thread::Builder::new()
        .name("newsflow-changelog".into())
        .spawn(move || {
            let mut at_eof: HashSet<i32> = HashSet::new();
            let mut restored: Option<mpsc::Sender<u64>> = Some(restored_tx);
            let mut applied = 0u64;
            while !shared.stopping() {
                match consumer.poll(Duration::from_millis(100)) {
                    None => {}
                    Some(Err(KafkaError::PartitionEOF(p))) => {
                        at_eof.insert(p);
                    }
                    Some(Err(KafkaError::Global(RDKafkaErrorCode::PartitionEOF))) => {}
                    Some(Err(e)) => tracing::warn!(error = %e, "changelog reader"),
                    Some(Ok(m)) => {
                        at_eof.remove(&m.partition());
                        let (Some(key), Some(value)) = (m.key(), m.payload()) else {
                            continue;
                        };
                        let (Ok(id), Some(entry)) =
                            (std::str::from_utf8(key), changelog::decode(value))
                        else {
                            tracing::warn!(
                                partition = m.partition(),
                                offset = m.offset(),
                                "skipping an unreadable changelog record"
                            );
                            continue;
                        };
                        index.lock().unwrap().remember_from(
                            id,
                            &entry.story_id,
                            &entry.fingerprint,
                            entry.time,
                            entry.delivery,
                        );
                        applied += 1;
                    }
                }
                if restored.is_some() && parts.iter().all(|p| at_eof.contains(p)) {
                    let _ = restored.take().unwrap().send(applied);
                    if !tail {
                        break;
                    }
                }
                let idx = index.lock().unwrap();
                metrics::gauge!(names::DEDUP_INDEX_ENTRIES).set(idx.len() as f64);
                metrics::counter!(names::DEDUP_EVICTIONS).absolute(idx.evictions());
            }
        })?;
    let started = Instant::now();
    match restored_rx.recv_timeout(restore_timeout) {
        Ok(n) => {
            tracing::info!(
                records = n,
                ms = started.elapsed().as_millis() as u64,
                "dedup memory restored from the changelog"
            );
            Ok((n, handle))
        }
        Err(_) => {
            tracing::warn!(
                "changelog restore did not reach the end in time; continuing while it catches up"
            );
            Ok((0, handle))
        }
    }
}
