//! The imperative shell: everything that talks to Kafka, the clock, signals
//! or the network. The stages it drives live in [`crate::stages`].
//!
//! * [`run`] wires the service together and shuts it down in order.
//! * [`replay`] reprocesses a range of the input topic (backfills).
//! * [`wiring`] holds what `run` and `replay` assemble the same way.
//! * [`order`] lets replay workers decide and publish in a fixed order.
//! * [`source`] reads the input and hands it to the workers: one driver
//!   (commit schedule, in-flight permits, read accounting, drain) over two
//!   sources, the live consumer group and a replay's merged ranges.
//! * [`consumer`] is the input consumer's context: rebalances, lag.
//! * [`worker`] runs the stage chain and hands the records to the sink.
//! * [`aggregate`] is the happenings stage: its own consumer group on the
//!   reports, its state in a changelog topic.
//! * [`sink`] publishes them and commits the input offsets, under the
//!   delivery mode chosen at wiring (at-least-once or exactly-once).
//! * [`offsets`] decides which offsets are safe to commit.
//! * [`produce`] loads JSONL into the input topic.
//! * [`dedup_memory`] restores and shares the dedup memory through its
//!   changelog topic.
//! * [`embedded`] is the in-process broker; [`kafka`] builds clients.
//! * [`shared`] is the state the consumer, workers and acknowledgement tasks
//!   share; [`signals`] turns SIGTERM/SIGINT into a graceful stop.

pub mod aggregate;
pub mod consumer;
pub mod dedup_memory;
pub mod embedded;
pub mod kafka;
pub mod loss;
pub mod offsets;
pub mod order;
pub mod produce;
pub mod replay;
pub mod run;
pub mod shared;
pub mod signals;
pub mod sink;
pub mod source;
pub mod wiring;
pub mod worker;
