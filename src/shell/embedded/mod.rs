//! The embedded broker behind `kafka.brokers = "embedded"`.
//!
//! It is librdkafka's mock cluster: a real Kafka-protocol server on
//! 127.0.0.1 inside this process, so kcat or any client can attach. It
//! supports consumer groups and idempotent producers, which is what `run`
//! needs. Its limit: each partition keeps only its newest ~5 MB or 100,000
//! message sets (hard-coded in `rdkafka_mock.c`, `mpart->max_size`); older
//! ones are deleted, read or not.
//!
//! So nothing reaches it directly: it advertises the address of a pacing
//! gate in front of it (`gate.rs`), and every client — `--seed`, `newsflow
//! produce`, any outside producer, the pipeline's own clients — talks
//! through the gate. The gate holds a Produce request to the input topic
//! while the partition's unread backlog plus the request would pass
//! `embedded.max_lead_bytes` (2 MB of the 5 MB), so what the broker
//! acknowledged stays until the pipeline has read it. The pipeline's read
//! positions come from this process (`follow_reads`). Should input still be
//! deleted unread (a budget set above the limit), the consumer counts it as
//! lost and the run fails (`shell::loss`).

mod gate;
mod pace;
pub mod wire;

use anyhow::{bail, Context, Result};
use gate::Gate;
use pace::Pacer;
use rdkafka::bindings as rd;
use rdkafka::client::{Client, DefaultClientContext};
use rdkafka::config::{ClientConfig, RDKafkaLogLevel};
use rdkafka::producer::{BaseProducer, Producer};
use rdkafka::types::RDKafkaType;
use std::ffi::{CStr, CString};
use std::net::SocketAddr;
use std::time::Duration;

pub use gate::ReadPosition;

/// The per-partition retention of the mock cluster, in bytes.
pub const MOCK_PARTITION_BYTES: u64 = 5 * 1024 * 1024;

/// The mock cluster's only broker.
const BROKER_ID: i32 = 1;

/// An in-process broker behind its gate; dropping it stops both.
pub struct EmbeddedBroker {
    // Field order is drop order: connections close before the broker goes,
    // and the broker goes before the client handle it was created on.
    gate: Gate,
    _watermarks: std::sync::Arc<BaseProducer>,
    _cluster: MockCluster,
}

/// The mock cluster and the client handle it lives in.
struct MockCluster {
    ptr: *mut rd::rd_kafka_mock_cluster_t,
    _client: Client<DefaultClientContext>,
}

// SAFETY: the mock cluster is driven by its own thread inside librdkafka;
// the functions called on the pointer lock the cluster themselves.
unsafe impl Send for MockCluster {}
unsafe impl Sync for MockCluster {}

impl MockCluster {
    fn new() -> Result<Self> {
        let config = ClientConfig::new();
        let native = config.create_native_config()?;
        let client = Client::new(
            &config,
            native,
            RDKafkaType::RD_KAFKA_PRODUCER,
            DefaultClientContext,
        )?;
        // SAFETY: a valid client handle; it outlives the cluster (field
        // order in `MockCluster`, destroyed in `Drop` first).
        let ptr = unsafe { rd::rd_kafka_mock_cluster_new(client.native_ptr(), 1) };
        if ptr.is_null() {
            bail!("librdkafka could not start its mock cluster");
        }
        Ok(MockCluster {
            ptr,
            _client: client,
        })
    }

    fn create_topic(&self, topic: &str, partitions: i32) -> Result<()> {
        let name = CString::new(topic).context("a topic name with a NUL byte")?;
        // SAFETY: valid cluster pointer and NUL-terminated name.
        let err = unsafe { rd::rd_kafka_mock_topic_create(self.ptr, name.as_ptr(), partitions, 1) };
        if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
            bail!("error {err:?}");
        }
        Ok(())
    }

    /// The broker's own listener.
    fn listener(&self) -> Result<SocketAddr> {
        // SAFETY: the cluster owns the string for its lifetime; copied here.
        let s = unsafe { CStr::from_ptr(rd::rd_kafka_mock_cluster_bootstraps(self.ptr)) };
        let s = s.to_string_lossy();
        s.parse()
            .with_context(|| format!("the mock cluster's address {s:?}"))
    }

    /// What the broker tells clients its address is.
    fn advertise(&self, addr: SocketAddr) {
        let host = CString::new(addr.ip().to_string()).expect("an IP address has no NUL");
        // SAFETY: valid cluster pointer; the host is copied by the callee.
        unsafe {
            rd::rd_kafka_mock_broker_set_host_port(
                self.ptr,
                BROKER_ID,
                host.as_ptr(),
                i32::from(addr.port()),
            )
        };
    }
}

impl Drop for MockCluster {
    fn drop(&mut self) {
        // SAFETY: created by `rd_kafka_mock_cluster_new`, destroyed once.
        unsafe { rd::rd_kafka_mock_cluster_destroy(self.ptr) };
    }
}

impl EmbeddedBroker {
    /// Starts one mock broker, creates `topics` with `partitions` each, and
    /// puts the gate in front of it, pacing producers to `paced` topics to
    /// `max_lead_bytes` unread per partition.
    pub fn start(
        topics: &[&str],
        partitions: i32,
        paced: &[&str],
        max_lead_bytes: u64,
    ) -> Result<Self> {
        let cluster = MockCluster::new().context("starting the embedded broker")?;
        for t in topics {
            cluster
                .create_topic(t, partitions)
                .with_context(|| format!("creating topic {t} on the embedded broker"))?;
        }
        let listener = cluster.listener()?;
        let watermarks: std::sync::Arc<BaseProducer> = std::sync::Arc::new(
            ClientConfig::new()
                .set("bootstrap.servers", listener.to_string())
                .set_log_level(RDKafkaLogLevel::Error)
                .create()
                .context("creating the embedded broker's watermark client")?,
        );
        let w = watermarks.clone();
        let high = Box::new(move |topic: &str, partition: i32| {
            w.client()
                .fetch_watermarks(topic, partition, Duration::from_secs(2))
                .map(|(_, high)| high)
                .map_err(|e| tracing::warn!(error = %e, topic, partition, "embedded broker gate: no high watermark; not pacing this request"))
                .ok()
        });
        let pacer = Pacer::new(
            max_lead_bytes,
            paced.iter().map(|t| t.to_string()).collect(),
        );
        let gate =
            Gate::start(listener, pacer, high).context("starting the embedded broker's gate")?;
        cluster.advertise(gate.addr());
        Ok(EmbeddedBroker {
            gate,
            _watermarks: watermarks,
            _cluster: cluster,
        })
    }

    /// The address clients use: the gate's.
    pub fn bootstrap_servers(&self) -> String {
        self.gate.addr().to_string()
    }

    /// Paces producers by where this process reads the paced topics.
    pub fn follow_reads(&self, reads: ReadPosition) {
        self.gate.follow_reads(reads);
    }
}
