//! Exact and near-duplicate detection: the pure, deterministic core.
//!
//! An article is summarised once as a [`Fingerprint`] (canonical URL hash,
//! token-sequence hash, LSH band keys and a verification sketch; see
//! `fingerprint.rs`). A [`DedupIndex`] remembers the fingerprints of accepted
//! articles within a time window and answers, for a new one, whether it
//! duplicates something remembered:
//!
//! * `ExactUrl`: same canonical URL (canonicalisation happens upstream);
//! * `ExactText`: same token sequence (case, whitespace and punctuation aside);
//! * `Near`: estimated Jaccard similarity of the word 5-shingle sets at or
//!   above `near_threshold`.
//!
//! [`DedupIndex::check`] never changes the index. [`DedupIndex::remember`] is
//! called right after the decision (`stages::decide`), so a near copy right
//! behind an article in the stream is caught; only the changelog record that
//! tells the other instances waits until the article's records are
//! acknowledged. `remember` is idempotent, so the shell can replay a compacted
//! changelog of `(article id -> story id, time, fingerprint bytes)` at start-up
//! and also apply its own echoes.
//! Everything is driven by the inputs: the window moves with the largest
//! article time remembered, never the wall clock, so the same calls in the same
//! order give the same decisions. docs/dedup.md has the design, the quality
//! measurements and the memory accounting.

mod arena;
pub mod changelog;
mod evict;
mod fingerprint;
mod index;
#[cfg(test)]
mod interleaving_tests;
mod table;
#[cfg(test)]
mod tests;

pub use fingerprint::{
    shingles, Fingerprint, FingerprintError, BANDS, ENCODED_LEN, FORMAT_VERSION,
};
pub use index::DedupIndex;

/// Default Jaccard threshold for near duplicates.
pub const DEFAULT_NEAR_THRESHOLD: f32 = 0.8;
/// Default window: seven days.
pub const DEFAULT_WINDOW_SECS: u64 = 7 * 24 * 3600;
/// Default allowed lateness: one day.
pub const DEFAULT_MAX_LATENESS_SECS: u64 = 24 * 3600;
/// Default number of articles the index can hold.
pub const DEFAULT_CAPACITY: usize = 1_000_000;
/// Largest capacity (entry numbers are 22 bits).
pub const MAX_CAPACITY: usize = 4_000_000;
/// Longest article or story id the index stores (the parse stage's limit too).
/// With it, the id arena stays far below its 4 GiB offset range even at
/// [`MAX_CAPACITY`].
pub const MAX_ID_BYTES: usize = 256;

/// Settings of a [`DedupIndex`] (the `[dedup]` config section).
#[derive(Debug, Clone, PartialEq)]
pub struct DedupConfig {
    /// Jaccard similarity of shingle sets at or above which two articles are
    /// near duplicates, in (0, 1].
    pub near_threshold: f32,
    /// Two articles can only duplicate each other when their times are at most
    /// this far apart; remembered articles older than the newest remembered
    /// time minus the window are evicted.
    pub window_secs: u64,
    /// How far an article may arrive behind the newest article time of its
    /// input lane (partition) before it stops being guaranteed its copies:
    /// remembered articles are kept this much longer than the window. Within
    /// it, the duplicates found do not depend on how partitions interleave.
    pub max_lateness_secs: u64,
    /// Most articles remembered at once. Memory is provisioned for this many
    /// (about 25 bytes each up front, about 96 in all per remembered article:
    /// docs/dedup.md, "Memory"); past it, the oldest are evicted early and
    /// counted in `capacity_evictions`.
    pub capacity: usize,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            near_threshold: DEFAULT_NEAR_THRESHOLD,
            window_secs: DEFAULT_WINDOW_SECS,
            max_lateness_secs: DEFAULT_MAX_LATENESS_SECS,
            capacity: DEFAULT_CAPACITY,
        }
    }
}

/// A [`DedupConfig`] value that cannot work.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("dedup.near_threshold: = {0} must be in (0, 1], e.g. 0.8")]
    Threshold(f32),
    #[error("dedup.window_days: must be at least 1 (default 7)")]
    Window,
    #[error("dedup.capacity: = {0} must be between 1 and {MAX_CAPACITY}")]
    Capacity(usize),
}

impl DedupConfig {
    /// How long behind the horizon a remembered article stays matchable:
    /// the window plus the allowed lateness.
    pub fn reach_secs(&self) -> u64 {
        self.window_secs.saturating_add(self.max_lateness_secs)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(self.near_threshold > 0.0 && self.near_threshold <= 1.0) {
            return Err(ConfigError::Threshold(self.near_threshold));
        }
        if self.window_secs == 0 {
            return Err(ConfigError::Window);
        }
        if self.capacity == 0 || self.capacity > MAX_CAPACITY {
            return Err(ConfigError::Capacity(self.capacity));
        }
        Ok(())
    }
}

/// Which input message an article came from: a 32-bit tag of its
/// coordinates (partition and offset in the stream, line number offline).
///
/// An article that finds its own id in the dedup memory is a re-delivery of
/// the same message (after a crash or a rebalance) only when the tags agree;
/// otherwise it is another message that carries the same id, such as an
/// exact copy without an id, whose id derives from the same URL or text, and
/// it is a duplicate. [`Delivery::UNKNOWN`] agrees with every tag (memory
/// written without tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Delivery(u32);

impl Delivery {
    pub const UNKNOWN: Delivery = Delivery(0);

    /// The tag of the message at `offset` of input `partition` (offline:
    /// partition -1 and the line number).
    pub fn at(partition: i32, offset: i64) -> Delivery {
        let mut b = [0u8; 12];
        b[..4].copy_from_slice(&partition.to_le_bytes());
        b[4..].copy_from_slice(&offset.to_le_bytes());
        let h = (xxhash_rust::xxh3::xxh3_64_with_seed(&b, 0x6e66_6465_6c69_7672) >> 32) as u32;
        Delivery(h.max(1))
    }

    /// Whether two tags can name the same message.
    pub fn same_message(self, other: Delivery) -> bool {
        self == Delivery::UNKNOWN || other == Delivery::UNKNOWN || self == other
    }

    pub fn to_bits(self) -> u32 {
        self.0
    }

    pub fn from_bits(bits: u32) -> Delivery {
        Delivery(bits)
    }
}

/// How an article duplicates a remembered one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DuplicateKind {
    ExactUrl,
    ExactText,
    Near,
}

impl DuplicateKind {
    pub const ALL: [DuplicateKind; 3] = [
        DuplicateKind::ExactUrl,
        DuplicateKind::ExactText,
        DuplicateKind::Near,
    ];

    /// The name used in `news.duplicates` records.
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicateKind::ExactUrl => "exact_url",
            DuplicateKind::ExactText => "exact_text",
            DuplicateKind::Near => "near",
        }
    }
}

/// The answer of [`DedupIndex::check`].
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Nothing remembered within the window matches; the article starts its
    /// own story (story id = its own id).
    Unique,
    /// The article duplicates the remembered article `of`, whose story it joins.
    Duplicate {
        of: String,
        story_id: String,
        kind: DuplicateKind,
        /// Estimated Jaccard similarity of the shingle sets (1.0 for exact text).
        similarity: f32,
        /// The message `of` was remembered from.
        of_delivery: Delivery,
    },
}

impl Decision {
    /// The article found itself: the same id from the same message, read
    /// again after a crash or a rebalance (not a copy carrying the same id).
    pub fn is_redelivery(&self, own_id: &str, delivery: Delivery) -> bool {
        matches!(self, Decision::Duplicate { of, of_delivery, .. }
            if of == own_id && of_delivery.same_message(delivery))
    }

    /// The story id an article with this decision carries.
    pub fn story_id<'a>(&'a self, own_id: &'a str) -> &'a str {
        match self {
            Decision::Unique => own_id,
            Decision::Duplicate { story_id, .. } => story_id,
        }
    }
}

/// What [`DedupIndex::remember`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remembered {
    /// Stored as a new entry.
    Inserted,
    /// The same text is already remembered and keeps standing for it (its
    /// time moves forward); only the URL, if any, got an entry of its own.
    Absorbed,
    /// This id with this fingerprint is already remembered: nothing changed.
    AlreadyKnown,
    /// Older than the window allows: not stored.
    Expired,
    /// No URL, no text, or an id that is empty or over [`MAX_ID_BYTES`].
    Unindexable,
}
