//! The functional core: the stage chain every article goes through.
//!
//! ```text
//! bytes ─ parse ─ normalize ─ (dedup decision) ─ (extract ─ enrich) ─ records
//! ```
//!
//! Stages are synchronous and deterministic, with no Kafka or tokio types, so
//! `newsflow extract` (offline) and `newsflow run` (streaming) share them.
//! The shell measures each stage's duration through [`Timings`], plain data it
//! turns into metrics; the stages themselves have no side effects.

pub mod canonical_url;
pub mod dedup;
pub mod html;
pub mod normalize;
pub mod parse;
pub mod record;

use crate::model::{Article, Rejection};
use std::time::{Duration, Instant};

/// Stage names, used as the `stage` metric label.
pub const STAGE_NAMES: [&str; 2] = ["parse", "normalize"];

/// Per-stage wall time for one article (filled in by [`Chain::prepare`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub parse: Duration,
    pub normalize: Duration,
}

/// Settings the stages need; built from the `[pipeline]` config section.
#[derive(Debug, Clone)]
pub struct ChainConfig {
    pub max_message_bytes: usize,
}

/// The stage chain with its loaded, read-only state. Cheap to share between
/// threads behind an `Arc`.
#[derive(Debug, Clone)]
pub struct Chain {
    cfg: ChainConfig,
}

impl Chain {
    pub fn new(cfg: ChainConfig) -> Self {
        Chain { cfg }
    }

    /// Parse and normalize one input payload.
    pub fn prepare(&self, payload: &[u8], t: &mut Timings) -> Result<Article, Rejection> {
        let start = Instant::now();
        let raw = parse::parse(payload, self.cfg.max_message_bytes);
        t.parse = start.elapsed();
        let raw = raw?;
        let start = Instant::now();
        let article = normalize::normalize(raw);
        t.normalize = start.elapsed();
        article
    }
}
