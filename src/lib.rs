//! newsflow: raw news articles in, deduplicated, CAMEO-coded, enriched records out.
//!
//! The crate is split the way the data flows:
//!
//! * [`stages`] is the functional core: synchronous, deterministic functions over
//!   plain data (parse, normalize, dedup decision, extract, enrich). No Kafka or
//!   tokio types appear there, so `newsflow extract` (offline) and `newsflow run`
//!   (streaming) share exactly the same code.
//! * [`entities`] recognizes actors, organisations and places in text using the
//!   dictionaries and gazetteers under `data/`.
//! * `shell` is the imperative shell: Kafka consumer and producer, offset
//!   tracking, the embedded broker, signals and shutdown (the `kafka`
//!   feature, on by default; the fuzz targets build without it).
//! * [`metrics`] holds every metric name in one place and serves `/metrics`,
//!   `/health` and `/ready`.
//! * [`config`] loads and validates the TOML configuration and its environment
//!   overrides.

pub mod config;
pub mod entities;
pub mod metrics;
pub mod model;
#[cfg(feature = "kafka")]
pub mod shell;
pub mod stages;
