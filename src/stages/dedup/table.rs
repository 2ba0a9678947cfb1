//! A fixed-size hash multimap from 32-bit keys to entry numbers, 4 bytes a slot.
//!
//! Why this shape: the dedup index needs 6 lookups per article (5 LSH bands and
//! the URL) over a million articles within a 100-byte budget, so a slot holds
//! only the entry number (22 bits) and its distance from its home slot (10
//! bits), never the key. The key's home slot (multiply-shift of its hash) is
//! its identity: a lookup returns every entry whose slot has the same home, a
//! superset the caller verifies against the entry itself (under one false
//! match per lookup at full load; the verification is one sketch compare).
//!
//! Robin Hood linear probing keeps each run sorted by home, so lookups stop as
//! soon as they pass the home, and removal shifts survivors back. Because keys are
//! not stored, the table can neither be resized nor delete by key: it is sized once
//! for the index capacity, and removed entries are purged in one linear pass
//! ([`SlotTable::purge`]) given a predicate on entry numbers. Slot value 0 means
//! empty, so the allocation is lazily zeroed memory.

/// Bits for the entry number in a slot.
pub(crate) const ENTRY_BITS: u32 = 22;
/// Largest entry number a slot can hold.
pub(crate) const MAX_ENTRY: u32 = (1 << ENTRY_BITS) - 1;
/// Longest distance from home; a key pushed further is dropped (counted).
const MAX_DISTANCE: u32 = (1 << (32 - ENTRY_BITS)) - 2;
/// Slots are provisioned so that the load never exceeds this.
pub(crate) const MAX_LOAD: f64 = 0.95;

pub(crate) struct SlotTable {
    slots: Vec<u32>,
    len: usize,
    dropped: u64,
}

fn pack(entry: u32, distance: u32) -> u32 {
    ((distance + 1) << ENTRY_BITS) | entry
}

fn entry_of(slot: u32) -> u32 {
    slot & MAX_ENTRY
}

fn distance_of(slot: u32) -> u32 {
    (slot >> ENTRY_BITS) - 1
}

impl SlotTable {
    /// A table for at most `keys` keys at [`MAX_LOAD`].
    pub fn with_keys(keys: usize) -> SlotTable {
        let n = ((keys as f64 / MAX_LOAD).ceil() as usize).max(8);
        SlotTable {
            slots: vec![0; n],
            len: 0,
            dropped: 0,
        }
    }

    fn home(&self, key: u32) -> usize {
        ((u64::from(key) * self.slots.len() as u64) >> 32) as usize
    }

    fn next(&self, pos: usize) -> usize {
        if pos + 1 == self.slots.len() {
            0
        } else {
            pos + 1
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Keys dropped because their run grew past the maximum distance.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn bytes(&self) -> usize {
        self.slots.capacity() * 4
    }

    /// Adds `entry` under `key` (duplicates allowed).
    pub fn insert(&mut self, key: u32, entry: u32) {
        debug_assert!(entry <= MAX_ENTRY);
        if self.len + 1 >= self.slots.len() {
            self.dropped += 1;
            return;
        }
        let mut pos = self.home(key);
        let (mut carried, mut dist) = (entry, 0u32);
        self.len += 1;
        loop {
            let slot = self.slots[pos];
            if slot == 0 {
                self.slots[pos] = pack(carried, dist);
                return;
            }
            let theirs = distance_of(slot);
            if theirs < dist {
                self.slots[pos] = pack(carried, dist);
                carried = entry_of(slot);
                dist = theirs;
            }
            pos = self.next(pos);
            dist += 1;
            if dist > MAX_DISTANCE {
                self.dropped += 1;
                self.len -= 1;
                return;
            }
        }
    }

    /// Calls `f` with every entry stored under a key with the same home as `key`.
    pub fn lookup(&self, key: u32, mut f: impl FnMut(u32)) {
        let mut pos = self.home(key);
        let mut dist = 0u32;
        loop {
            let slot = self.slots[pos];
            if slot == 0 {
                return;
            }
            let theirs = distance_of(slot);
            if theirs < dist {
                return;
            }
            if theirs == dist {
                f(entry_of(slot));
            }
            pos = self.next(pos);
            dist += 1;
            if dist > MAX_DISTANCE {
                return;
            }
        }
    }

    /// Removes every slot whose entry satisfies `dead`, in one pass, shifting
    /// the survivors of each run back towards their homes.
    pub fn purge(&mut self, dead: impl Fn(u32) -> bool) {
        let n = self.slots.len();
        let Some(start) = self.slots.iter().position(|&s| s == 0) else {
            return;
        };
        // Walk all slots once, beginning just after an empty one so that no run
        // wraps around the start. `write` is the next free position (unwrapped).
        let mut write = 1usize;
        let mut pos = start;
        for k in 1..=n {
            pos += 1;
            if pos == n {
                pos = 0;
            }
            let slot = self.slots[pos];
            if slot == 0 {
                write = k + 1;
                continue;
            }
            if dead(entry_of(slot)) {
                self.slots[pos] = 0;
                self.len -= 1;
                continue;
            }
            let home = k - distance_of(slot) as usize;
            let at = write.max(home);
            if at != k {
                // Something before it in the run was removed: shift it back.
                self.slots[pos] = 0;
                let target = if start + at >= n {
                    start + at - n
                } else {
                    start + at
                };
                self.slots[target] = pack(entry_of(slot), (at - home) as u32);
            }
            write = at + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(t: &SlotTable, key: u32) -> Vec<u32> {
        let mut v = Vec::new();
        t.lookup(key, |e| v.push(e));
        v.sort_unstable();
        v
    }

    #[test]
    fn inserts_are_found_and_purge_keeps_survivors_reachable() {
        let mut t = SlotTable::with_keys(1000);
        let keys: Vec<u32> = (0..900u32).map(|i| i.wrapping_mul(2_654_435_761)).collect();
        for (i, &k) in keys.iter().enumerate() {
            t.insert(k, i as u32);
        }
        // A run of identical keys, as exact copies of one story would make.
        for e in 900..950 {
            t.insert(7, e);
        }
        assert_eq!(t.len(), 950);
        for (i, &k) in keys.iter().enumerate() {
            assert!(found(&t, k).contains(&(i as u32)), "key {k} lost");
        }
        assert!(found(&t, 7).len() >= 50);
        t.purge(|e| e % 3 == 0);
        assert_eq!(t.len(), 950 - (0..950).filter(|e| e % 3 == 0).count());
        for (i, &k) in keys.iter().enumerate() {
            let hit = found(&t, k).contains(&(i as u32));
            assert_eq!(hit, i % 3 != 0, "entry {i} after purge");
        }
        let sevens: Vec<u32> = found(&t, 7).into_iter().filter(|e| *e >= 900).collect();
        assert_eq!(sevens.len(), (900..950).filter(|e| e % 3 != 0).count());
    }
}
