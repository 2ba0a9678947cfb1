//! The embedded broker behind `kafka.brokers = "embedded"`.
//!
//! It is librdkafka's mock cluster: a real Kafka-protocol server on
//! 127.0.0.1 inside this process, so kcat or any client can attach. It
//! supports consumer groups and idempotent producers, which is what `run`
//! needs. Its limit: each partition keeps only its newest ~5 MB or 100,000
//! messages (hard-coded in `rdkafka_mock.c`, `mpart->max_size`), older
//! message sets are deleted and a consumer behind the new log start gets
//! OFFSET_OUT_OF_RANGE and is reset. `--seed` works within the limit: it
//! spreads messages over all partitions and never runs more than
//! `embedded.max_lead_bytes` per partition ahead of what the pipeline has
//! consumed (see `produce.rs`). Other producers cannot be paced; what the
//! broker deletes before it is read is counted as lost by the consumer
//! (`shell::loss`), and a run that lost input fails.

use anyhow::{Context, Result};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::DefaultProducerContext;

/// The per-partition retention of the mock cluster, in bytes.
pub const MOCK_PARTITION_BYTES: u64 = 5 * 1024 * 1024;

/// An in-process broker; dropping it stops the broker.
pub struct EmbeddedBroker {
    cluster: MockCluster<'static, DefaultProducerContext>,
}

impl EmbeddedBroker {
    /// Starts one mock broker and creates `topics` with `partitions` each.
    pub fn start(topics: &[&str], partitions: i32) -> Result<Self> {
        let cluster = MockCluster::new(1).context("starting the embedded broker")?;
        for t in topics {
            cluster
                .create_topic(t, partitions, 1)
                .with_context(|| format!("creating topic {t} on the embedded broker"))?;
        }
        Ok(EmbeddedBroker { cluster })
    }

    pub fn bootstrap_servers(&self) -> String {
        self.cluster.bootstrap_servers()
    }
}
