//! newsflow: raw news articles in, deduplicated, CAMEO-coded, enriched records out.
//!
//! The crate is split the way the data flows:
//!
//! * [`stages`] is the functional core: synchronous, deterministic functions over
//!   plain data (parse, normalize, dedup decision, extract). No Kafka or
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
//! * [`data_files`] finds the data files: the user's folder, one installed
//!   beside the binary, or the copy embedded in it.

pub mod config;
pub mod data_files;
pub mod entities;
pub mod metrics;
pub mod model;
#[cfg(feature = "kafka")]
pub mod shell;
pub mod stages;
