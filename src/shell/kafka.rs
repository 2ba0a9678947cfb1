//! Kafka client construction: librdkafka properties from the config, the
//! settings newsflow insists on, and topic helpers.

use super::consumer::NewGroupStart;
use crate::config::{scalar_string, Config, Delivery};
use anyhow::{bail, Context, Result};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::ClientConfig;
use std::time::Duration;

/// A client context that does not report end-of-partition as an error:
/// with `enable.partition.eof` it is how readers learn they caught up.
pub struct QuietEof;

impl rdkafka::ClientContext for QuietEof {
    fn error(&self, error: rdkafka::error::KafkaError, reason: &str) {
        log_client_error(&error, reason);
    }

    fn stats(&self, _: rdkafka::statistics::Statistics) {}
}

impl rdkafka::consumer::ConsumerContext for QuietEof {}

/// Logs a librdkafka error, except the end of a partition: with
/// `enable.partition.eof` that is how a reader learns it caught up (the
/// idle exit, the changelog restore), not a fault, and librdkafka reports it
/// through the error callback too.
pub fn log_client_error(error: &rdkafka::error::KafkaError, reason: &str) {
    use rdkafka::error::KafkaError;
    if !matches!(
        error,
        KafkaError::PartitionEOF(_)
            | KafkaError::Global(rdkafka::types::RDKafkaErrorCode::PartitionEOF)
    ) {
        tracing::error!(%error, reason, "librdkafka error");
    }
}

/// Consumer properties: the user's `[kafka.consumer]` table, then the ones
/// that make offset handling deliberate (never auto-commit, never auto-store).
pub fn consumer_config(cfg: &Config, bootstrap: &str, group: &str) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", bootstrap);
    for (k, v) in &cfg.kafka.consumer {
        c.set(k, scalar_string(v));
    }
    c.set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("enable.partition.eof", "true");
    if cfg.pipeline.delivery == Delivery::ExactlyOnce {
        // The dedup changelog and the input may hold records of aborted
        // transactions (ours or another producer's): never act on them.
        c.set("isolation.level", "read_committed");
    }
    c
}

/// Where a consumer group without committed offsets starts: offset 0 on
/// the embedded broker (its topics are created empty for this run), else
/// where the consumer's `auto.offset.reset` puts it.
pub fn new_group_start(cfg: &Config) -> NewGroupStart {
    let to_end = cfg
        .kafka
        .consumer
        .get("auto.offset.reset")
        .map(scalar_string)
        .is_some_and(|v| matches!(v.as_str(), "latest" | "end" | "largest"));
    if cfg.is_embedded() {
        NewGroupStart::Origin
    } else if to_end {
        NewGroupStart::End
    } else {
        NewGroupStart::LogStart
    }
}

/// Producer properties: the user's `[kafka.producer]` table over ours.
pub fn producer_config(cfg: &Config, bootstrap: &str) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", bootstrap)
        .set("queue.buffering.max.messages", "100000")
        .set("queue.buffering.max.kbytes", "262144");
    for (k, v) in &cfg.kafka.producer {
        c.set(k, scalar_string(v));
    }
    c
}

/// Creates topics that do not exist yet (`partitions` each; the dedup
/// changelog is compacted). Existing topics are left alone.
pub async fn ensure_topics(
    bootstrap: &str,
    topics: &[&str],
    compacted: &[&str],
    partitions: i32,
) -> Result<()> {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .create()
        .context("creating the admin client")?;
    let existing = existing_topics(bootstrap)?;
    let new: Vec<NewTopic> = topics
        .iter()
        .filter(|t| !existing.iter().any(|e| e == *t))
        .map(|t| {
            let nt = NewTopic::new(t, partitions, TopicReplication::Fixed(1));
            if compacted.contains(t) {
                nt.set("cleanup.policy", "compact")
            } else {
                nt
            }
        })
        .collect();
    if new.is_empty() {
        return Ok(());
    }
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(10)));
    for result in admin
        .create_topics(&new, &opts)
        .await
        .context("CreateTopics request")?
    {
        match result {
            Ok(_) => {}
            Err((topic, rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists)) => {
                tracing::debug!(topic, "topic already exists")
            }
            Err((topic, code)) => bail!("cannot create topic {topic}: {code}"),
        }
    }
    Ok(())
}

/// Names of the topics the cluster knows.
pub fn existing_topics(bootstrap: &str) -> Result<Vec<String>> {
    let c: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .create()?;
    let md = c
        .fetch_metadata(None, Duration::from_secs(10))
        .context("fetching cluster metadata")?;
    Ok(md.topics().iter().map(|t| t.name().to_string()).collect())
}

/// Partition count of each topic (0 when the topic is unknown).
pub fn partition_counts(bootstrap: &str, topics: &[&str]) -> Result<Vec<i32>> {
    let c: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .create()?;
    let mut out = Vec::new();
    for t in topics {
        let md = c
            .fetch_metadata(Some(t), Duration::from_secs(10))
            .with_context(|| format!("fetching metadata of topic {t}"))?;
        let n = md
            .topics()
            .first()
            .filter(|m| m.error().is_none())
            .map_or(0, |m| m.partitions().len() as i32);
        out.push(n);
    }
    Ok(out)
}
