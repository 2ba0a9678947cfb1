//! The in-memory dedup index: remembered articles within the window, looked up
//! by canonical URL and by LSH band, verified by sketch.
//!
//! Per remembered article there is one 50-byte [`Entry`] (verification sketch,
//! hashes, sizes, arena offset), its 4-byte time, up to 6 four-byte slots in
//! the shared [`SlotTable`] (5 bands + URL), and its ids in the [`Arena`]: ~100 bytes in all
//! (docs/dedup.md, "Memory"). Removal is lazy:
//! evicted entries are flagged dead (invisible at once), and their slots are
//! purged in one pass when their entry numbers are needed again.
//!
//! Eviction and the lazy purge live in `evict.rs`.
//!
//! Exact copies of an already remembered text are *absorbed*: the remembered
//! entry keeps standing for the text (its time moves up to the copy's), and the
//! copy gets only a URL entry. So a story syndicated a thousand times costs
//! a thousand URL slots, not five thousand band slots in five long runs.

use super::arena::{Arena, Story};
use super::fingerprint::{Fingerprint, Stored, WORDS};
use super::table::SlotTable;
use super::{
    ConfigError, Decision, DedupConfig, Delivery, DuplicateKind, Remembered, BANDS, MAX_ID_BYTES,
};
use xxhash_rust::xxh3::xxh3_64_with_seed;

const SEED_SLOT: u64 = 0x6e66_0008_736c_6f74;
pub(super) const NO_REC: u32 = u32::MAX;
const HAS_BANDS: u16 = 1 << 10;
const SAT: u32 = u16::MAX as u32;

/// One remembered article (50 bytes, packed to 2-byte alignment: fields are
/// only ever copied out, never borrowed). Its time is kept apart, in
/// `DedupIndex::times`, so that sweeps read 4 bytes per entry, not 50.
#[derive(Debug, Clone, Copy)]
#[repr(C, packed(2))]
pub(super) struct Entry {
    pub(super) bits: [u32; WORDS],
    /// Arena offset of the ids; `NO_REC` when the entry is dead or free.
    pub(super) rec: u32,
    pub(super) url: u32,
    /// Low bits of the text hash (exact text also needs an identical sketch).
    pub(super) text: u16,
    /// Distinct shingles, saturating.
    pub(super) size: u16,
    /// Sampling level (5 bits) << 11 | has band slots (1 bit) << 10 | sampled count (10 bits).
    pub(super) meta: u16,
    /// The message it was remembered from ([`Delivery::to_bits`]).
    pub(super) delivery: u32,
}

// The memory accounting in docs/dedup.md counts on this size.
const _: () = assert!(std::mem::size_of::<Entry>() == 50);

impl Entry {
    fn stored(&self) -> Stored {
        Stored {
            bits: self.bits,
            size: u32::from(self.size),
            level: (self.meta >> 11) as u8,
            count: self.meta & 0x3ff,
        }
    }
}

/// Exact and near-duplicate index over a sliding window of article times.
pub struct DedupIndex {
    pub(super) cfg: DedupConfig,
    pub(super) entries: Vec<Entry>,
    /// Article time of each entry: seconds since the Unix epoch, clamped to u32.
    pub(super) times: Vec<u32>,
    /// One bit per entry number: dead (awaiting purge) or free.
    pub(super) dead: Vec<u64>,
    pub(super) free: Vec<u32>,
    pub(super) pending: Vec<u32>,
    pub(super) table: SlotTable,
    pub(super) arena: Arena,
    pub(super) live: usize,
    pub(super) watermark: Option<u32>,
    /// Newest article time seen per input lane (partition), when the caller
    /// names lanes; `None` for a lane registered but without an article yet.
    /// The window then follows the slowest lane (see `horizon`).
    pub(super) lanes: std::collections::BTreeMap<i32, Option<u32>>,
    pub(super) swept_at: u32,
    pub(super) evictions: u64,
    pub(super) capacity_evictions: u64,
}

fn secs(t: i64) -> u32 {
    t.clamp(0, i64::from(u32::MAX)) as u32
}

fn slot_key(salt: u64, key: u32) -> u32 {
    (xxh3_64_with_seed(&key.to_le_bytes(), SEED_SLOT ^ salt) >> 32) as u32
}

fn url_key(fp: &Fingerprint) -> u32 {
    slot_key(BANDS as u64, (fp.url >> 32) as u32)
}

/// Ordering of competing matches: kind, then higher similarity, then earlier
/// time, then smaller article id.
struct Best {
    kind: DuplicateKind,
    similarity: f32,
    time: u32,
    entry: u32,
}

impl DedupIndex {
    pub fn new(cfg: DedupConfig) -> Result<DedupIndex, ConfigError> {
        cfg.validate()?;
        Ok(DedupIndex {
            table: SlotTable::with_keys(cfg.capacity * (BANDS + 1)),
            dead: vec![0; cfg.capacity.div_ceil(64)],
            cfg,
            entries: Vec::new(),
            times: Vec::new(),
            free: Vec::new(),
            pending: Vec::new(),
            arena: Arena::default(),
            live: 0,
            watermark: None,
            lanes: std::collections::BTreeMap::new(),
            swept_at: 0,
            evictions: 0,
            capacity_evictions: 0,
        })
    }

    pub fn config(&self) -> &DedupConfig {
        &self.cfg
    }

    /// Articles remembered and not yet evicted.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Entries evicted so far (window and capacity).
    pub fn evictions(&self) -> u64 {
        self.evictions
    }

    /// Entries evicted before their window ended because the index was full.
    pub fn capacity_evictions(&self) -> u64 {
        self.capacity_evictions
    }

    /// Band or URL keys that could not be stored (runs over 1022 slots).
    pub fn dropped_keys(&self) -> u64 {
        self.table.dropped()
    }

    /// The newest article time remembered (epoch seconds), which drives the window.
    pub fn watermark(&self) -> Option<i64> {
        self.watermark.map(i64::from)
    }

    /// Heap bytes held by the index (allocated capacity, not just used).
    pub fn memory_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.times.capacity() * 4
            + self.dead.capacity() * 8
            + (self.free.capacity() + self.pending.capacity()) * 4
            + self.table.bytes()
            + self.arena.bytes()
    }

    pub(super) fn is_dead(&self, i: u32) -> bool {
        self.dead[i as usize / 64] >> (i % 64) & 1 == 1
    }

    /// Alive, not yet past the window, and within the window of `t`.
    pub(super) fn usable(&self, i: u32, t: u32) -> bool {
        if self.is_dead(i) {
            return false;
        }
        let time = self.times[i as usize];
        let w = u64::from(self.horizon().unwrap_or(0));
        u64::from(time) + self.cfg.reach_secs() >= w
            && u64::from(t.abs_diff(time)) <= self.cfg.window_secs
    }

    fn for_candidates(&self, fp: &Fingerprint, mut f: impl FnMut(u32, bool)) {
        if fp.has_url() {
            self.table.lookup(url_key(fp), |i| f(i, true));
        }
        if fp.has_text() {
            // Band hits, deduplicated; on the stack unless a story has many copies.
            let (mut small, mut n, mut spill) = ([0u32; 64], 0usize, Vec::new());
            for (b, &key) in fp.bands.iter().enumerate() {
                self.table.lookup(slot_key(b as u64, key), |i| {
                    if n < small.len() {
                        small[n] = i;
                        n += 1;
                    } else {
                        spill.push(i);
                    }
                });
            }
            let hits: &mut [u32] = if spill.is_empty() {
                &mut small[..n]
            } else {
                spill.extend_from_slice(&small[..n]);
                &mut spill
            };
            hits.sort_unstable();
            let mut last = None;
            for &i in hits.iter() {
                if last != Some(i) {
                    f(i, false);
                    last = Some(i);
                }
            }
        }
    }

    fn same_text(e: &Entry, fp: &Fingerprint) -> bool {
        fp.has_text() && e.text == fp.text as u16 && fp.same_set(&e.stored())
    }

    /// Where the window ends: the newest time remembered, held back to the
    /// slowest lane when lanes are in use. Input partitions are consumed
    /// side by side but not in step (a backfill can run one partition days
    /// ahead of another); without lanes the fastest partition would push the
    /// window past articles the slow ones still have copies of. A lane
    /// registered without an article yet holds the window at its start:
    /// whatever it brings first must still find its copies.
    pub fn horizon(&self) -> Option<u32> {
        let slowest = self.lanes.values().map(|t| t.unwrap_or(0)).min();
        match (self.watermark, slowest) {
            (Some(w), Some(slowest)) => Some(w.min(slowest)),
            (w, _) => w,
        }
    }

    /// Registers input lane `lane` (a partition now assigned to this
    /// instance) before it has brought any article, so that it holds the
    /// window back from the start, whichever partition happens to be read
    /// first. Registering a known lane changes nothing.
    pub fn add_lane(&mut self, lane: i32) {
        self.lanes.entry(lane).or_insert(None);
    }

    /// Notes that input lane `lane` (a partition) has reached `time`. Lanes
    /// only ever hold the window back; an index whose caller names no lanes
    /// follows the newest time remembered.
    pub fn note_lane(&mut self, lane: i32, time: i64) {
        let t = secs(time);
        let e = self.lanes.entry(lane).or_insert(None);
        *e = Some(e.map_or(t, |old| old.max(t)));
    }

    /// The lane is gone (its partition was revoked): it no longer holds the
    /// window back.
    pub fn forget_lane(&mut self, lane: i32) {
        self.lanes.remove(&lane);
    }

    /// Does `fp` at `time` duplicate a remembered article? Never changes the index.
    pub fn check(&self, fp: &Fingerprint, time: i64) -> Decision {
        let t = secs(time);
        let mut best: Option<Best> = None;
        self.for_candidates(fp, |i, via_url| {
            // Cheapest rejections first: most band hits are other keys that
            // share the home slot, and their sizes rarely fit.
            if self.is_dead(i) {
                return;
            }
            let e = &self.entries[i as usize];
            if via_url && e.url != fp.url as u32 {
                return;
            }
            let (a, b) = (fp.size.min(SAT), u32::from(e.size));
            if !via_url
                && (a.min(b) as f32) < self.cfg.near_threshold * a.max(b) as f32
                && a.max(b) < SAT
            {
                return;
            }
            if !self.usable(i, t) {
                return;
            }
            let exact_text = Self::same_text(e, fp);
            let similarity = if exact_text {
                1.0
            } else {
                fp.estimate(&e.stored())
            };
            let kind = if via_url {
                DuplicateKind::ExactUrl
            } else if exact_text {
                DuplicateKind::ExactText
            } else if similarity >= self.cfg.near_threshold {
                DuplicateKind::Near
            } else {
                return;
            };
            let cand = Best {
                kind,
                similarity,
                time: self.times[i as usize],
                entry: i,
            };
            if best.as_ref().is_none_or(|b| self.better(&cand, b)) {
                best = Some(cand);
            }
        });
        match best {
            None => Decision::Unique,
            Some(b) => {
                let rec = self.entries[b.entry as usize].rec;
                Decision::Duplicate {
                    of: self.arena.id(rec).to_string(),
                    story_id: self.arena.story_id(rec).to_string(),
                    kind: b.kind,
                    similarity: b.similarity,
                    of_delivery: Delivery::from_bits(self.entries[b.entry as usize].delivery),
                }
            }
        }
    }

    fn better(&self, a: &Best, b: &Best) -> bool {
        let id = |x: &Best| self.arena.id(self.entries[x.entry as usize].rec);
        a.kind
            .cmp(&b.kind)
            .then(b.similarity.total_cmp(&a.similarity))
            .then(a.time.cmp(&b.time))
            .then_with(|| id(a).cmp(id(b)))
            .is_lt()
    }

    /// Check, then remember under the story the decision implies (what the
    /// offline `extract` command does for every line).
    pub fn observe(&mut self, article_id: &str, fp: &Fingerprint, time: i64) -> Decision {
        let decision = self.check(fp, time);
        let story = decision.story_id(article_id).to_string();
        self.remember(article_id, &story, fp, time);
        decision
    }

    /// Remember an accepted article. Idempotent: the same id with the same
    /// fingerprint again within the window (a changelog replay, an echo)
    /// changes nothing.
    pub fn remember(
        &mut self,
        article_id: &str,
        story_id: &str,
        fp: &Fingerprint,
        time: i64,
    ) -> Remembered {
        self.remember_from(article_id, story_id, fp, time, Delivery::UNKNOWN)
    }

    /// [`DedupIndex::remember`], noting the message the article came from.
    pub fn remember_from(
        &mut self,
        article_id: &str,
        story_id: &str,
        fp: &Fingerprint,
        time: i64,
        delivery: Delivery,
    ) -> Remembered {
        let bad_id = |s: &str| s.is_empty() || s.len() > MAX_ID_BYTES;
        if (!fp.has_text() && !fp.has_url()) || bad_id(article_id) || bad_id(story_id) {
            return Remembered::Unindexable;
        }
        let t = secs(time);
        if let Some(w) = self.horizon() {
            if u64::from(t) + self.cfg.reach_secs() < u64::from(w) {
                return Remembered::Expired;
            }
        }
        // One pass over the candidates, before anything changes: is this id
        // known, is the same text already standing for itself (absorb), and who
        // has the story id as a string to share?
        let (mut known, mut absorb, mut source) = (false, None, None);
        self.for_candidates(fp, |i, _| {
            if !self.usable(i, t) {
                return;
            }
            let e = &self.entries[i as usize];
            known |= e.url == fp.url as u32
                && e.text == fp.text as u16
                && self.arena.id(e.rec) == article_id;
            if absorb.is_none() && e.meta & HAS_BANDS != 0 && Self::same_text(e, fp) {
                absorb = Some(i);
            }
            if source.is_none() && story_id != article_id {
                if self.arena.id(e.rec) == story_id {
                    source = Some((i, true));
                } else if self.arena.story_id(e.rec) == story_id {
                    source = Some((i, false));
                }
            }
        });
        if known {
            return Remembered::AlreadyKnown;
        }
        self.advance(t);
        let slot = self.alloc();
        // Moving the window or making room may have evicted what we found, and
        // may have moved arena records: re-check, then read offsets.
        let absorb = absorb.filter(|&i| self.usable(i, t));
        let story = match source.filter(|&(i, _)| self.usable(i, t)) {
            _ if story_id == article_id => Story::Same,
            Some((i, true)) => Story::At(self.entries[i as usize].rec),
            Some((i, false)) => Story::At(self.arena.story_string(self.entries[i as usize].rec)),
            None => Story::Inline(story_id),
        };
        if let Some(i) = absorb {
            let time = &mut self.times[i as usize];
            *time = (*time).max(t);
            if !fp.has_url() {
                self.release_unused(slot);
                return Remembered::Absorbed;
            }
        }
        let s = fp.stored();
        let with_bands = fp.has_text() && absorb.is_none();
        let meta = u16::from(s.level.min(31)) << 11
            | if with_bands { HAS_BANDS } else { 0 }
            | s.count.min(0x3ff);
        let rec = self.arena.push(article_id, story);
        self.times[slot as usize] = t;
        self.entries[slot as usize] = Entry {
            bits: s.bits,
            rec,
            url: fp.url as u32,
            text: fp.text as u16,
            size: fp.size.min(SAT) as u16,
            meta,
            delivery: delivery.to_bits(),
        };
        self.dead[slot as usize / 64] &= !(1 << (slot % 64));
        self.live += 1;
        if fp.has_url() {
            self.table.insert(url_key(fp), slot);
        }
        if with_bands {
            for (b, &key) in fp.bands.iter().enumerate() {
                self.table.insert(slot_key(b as u64, key), slot);
            }
        }
        if absorb.is_some() {
            Remembered::Absorbed
        } else {
            Remembered::Inserted
        }
    }
}
