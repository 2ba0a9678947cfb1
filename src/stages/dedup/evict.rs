//! Eviction for the dedup index, driven only by the article times it is given.
//!
//! The window follows the newest time remembered (the watermark), held back
//! by the slowest input lane. An entry stays for the window plus the allowed
//! lateness (`DedupConfig::reach_secs`) behind it, so that an article that
//! arrives out of time order, by up to the lateness, still finds every copy
//! within the window. Entries past that are invisible at once (`DedupIndex::usable`), flagged dead by a sweep of
//! the 4-byte time array each time the watermark has moved a 32nd of the
//! window, and physically removed lazily: their entry numbers are reused only
//! after one pass over the slot table drops every slot that points at a dead
//! entry (the table stores no keys, so it cannot delete by key), which is also
//! when the id arena is compacted. When the index is full and nothing is dead,
//! the oldest 1/32 of the capacity is evicted early (counted apart).

use super::fingerprint::WORDS;
use super::index::{DedupIndex, Entry, NO_REC};
use super::table::MAX_ENTRY;

impl DedupIndex {
    /// Moves the window to `t` if it is newer; sweeps out expired entries each
    /// time the window has moved by a 32nd of its length.
    pub(super) fn advance(&mut self, t: u32) {
        let w = self.watermark.map_or(t, |w| w.max(t));
        if self.watermark.is_none() {
            self.swept_at = w;
        }
        self.watermark = Some(w);
        // Sweep against the horizon: with lanes, the slowest lane's time.
        let w = self.horizon().unwrap_or(w);
        let step = (self.cfg.window_secs / 32).max(1);
        if u64::from(w) >= u64::from(self.swept_at) + step {
            self.swept_at = w;
            let cutoff = u64::from(w).saturating_sub(self.cfg.reach_secs());
            for i in 0..self.entries.len() as u32 {
                if u64::from(self.times[i as usize]) < cutoff && !self.is_dead(i) {
                    self.kill(i);
                    self.evictions += 1;
                }
            }
        }
    }

    fn kill(&mut self, i: u32) {
        self.dead[i as usize / 64] |= 1 << (i % 64);
        let e = &mut self.entries[i as usize];
        self.arena.release(e.rec);
        e.rec = NO_REC;
        self.pending.push(i);
        self.live -= 1;
    }

    /// An unused entry number, flagged dead until it is filled in.
    pub(super) fn alloc(&mut self) -> u32 {
        if let Some(i) = self.free.pop() {
            return i;
        }
        if self.entries.len() < self.cfg.capacity {
            if self.entries.len() == self.entries.capacity() {
                let room = (self.entries.len() / 8)
                    .max(1024)
                    .min(self.cfg.capacity - self.entries.len());
                self.entries.reserve_exact(room);
                self.times.reserve_exact(room);
            }
            let i = self.entries.len() as u32;
            debug_assert!(i <= MAX_ENTRY);
            let blank = Entry {
                bits: [0; WORDS],
                rec: NO_REC,
                url: 0,
                text: 0,
                size: 0,
                meta: 0,
                delivery: 0,
            };
            self.entries.push(blank);
            self.times.push(0);
            self.dead[i as usize / 64] |= 1 << (i % 64);
            return i;
        }
        if self.pending.is_empty() {
            self.evict_oldest();
        }
        self.purge();
        self.free.pop().unwrap_or(0)
    }

    pub(super) fn release_unused(&mut self, slot: u32) {
        self.free.push(slot);
    }

    /// Evicts the oldest 1/32 of the capacity (ties by entry number).
    fn evict_oldest(&mut self) {
        let want = (self.cfg.capacity / 32).max(1);
        let mut times: Vec<(u32, u32)> = (0..self.entries.len() as u32)
            .filter(|&i| !self.is_dead(i))
            .map(|i| (self.times[i as usize], i))
            .collect();
        let want = want.min(times.len());
        if want == 0 {
            return;
        }
        times.select_nth_unstable(want - 1);
        let mut victims: Vec<u32> = times[..want].iter().map(|&(_, i)| i).collect();
        victims.sort_unstable();
        for i in victims {
            self.kill(i);
        }
        self.evictions += want as u64;
        self.capacity_evictions += want as u64;
    }

    /// Drops the slots of dead entries, frees their numbers, and compacts the
    /// arena when more than a sixteenth of it is dead.
    fn purge(&mut self) {
        let dead = &self.dead;
        self.table
            .purge(|i| dead[i as usize / 64] >> (i % 64) & 1 == 1);
        self.free.append(&mut self.pending);
        if self.arena.used() > self.arena.live() + self.arena.live() / 16 + 4096 {
            let live: Vec<u32> = (0..self.entries.len() as u32)
                .filter(|&i| !self.is_dead(i))
                .collect();
            let mut recs: Vec<u32> = live.iter().map(|&i| self.entries[i as usize].rec).collect();
            self.arena.compact(&mut recs);
            for (i, rec) in live.into_iter().zip(recs) {
                self.entries[i as usize].rec = rec;
            }
        }
    }
}
