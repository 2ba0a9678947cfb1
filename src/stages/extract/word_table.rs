//! The word tables of the extractor (the tagger's lexicon, the pattern lexicon's word forms,
//! the tone lexicon): every word in one byte arena, found through an open-addressing index of
//! 64-bit hashes. One arena instead of an allocation per word keeps loading ~100,000 words
//! fast, and a lookup compares the stored hash and length before it reads any bytes.
//!
//! The tables are megabytes large, so nearly every lookup of a running text waits for memory.
//! [`WordTable::prefetch`] hashes a word and asks for its slot at once; a caller that
//! prefetches a sentence's words before looking any up lets those waits overlap.

use xxhash_rust::xxh3::xxh3_64;

/// A slot whose `start` is `EMPTY` holds no word.
const EMPTY: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Slot<V> {
    hash: u64,
    start: u32,
    len: u32,
    value: V,
}

#[derive(Debug)]
pub struct WordTable<V> {
    bytes: Vec<u8>,
    /// A power of two long, at most half full.
    slots: Vec<Slot<V>>,
    len: usize,
}

impl<V: Copy + Default> Default for WordTable<V> {
    fn default() -> Self {
        WordTable::with_capacity(0, 0)
    }
}

impl<V: Copy + Default> WordTable<V> {
    /// A table sized for about `n` words of `bytes` bytes in all.
    pub fn with_capacity(n: usize, bytes: usize) -> WordTable<V> {
        let free = Slot {
            hash: 0,
            start: EMPTY,
            len: 0,
            value: V::default(),
        };
        WordTable {
            bytes: Vec::with_capacity(bytes),
            slots: vec![free; (2 * n).next_power_of_two().max(16)],
            len: 0,
        }
    }

    /// The slot holding `word`, or the free slot where it would go.
    #[inline]
    fn find(&self, word: &[u8], hash: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let s = &self.slots[i];
            if s.start == EMPTY
                || (s.hash == hash
                    && s.len as usize == word.len()
                    && same(&self.bytes[s.start as usize..][..word.len()], word))
            {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    #[inline]
    pub fn get(&self, word: &str) -> Option<&V> {
        self.get_hashed(word, xxh3_64(word.as_bytes()))
    }

    /// [`WordTable::get`] with the hash [`WordTable::prefetch`] gave.
    #[inline]
    pub fn get_hashed(&self, word: &str, hash: u64) -> Option<&V> {
        let s = &self.slots[self.find(word.as_bytes(), hash)];
        (s.start != EMPTY).then_some(&s.value)
    }

    /// The hash of `word`, after asking the processor to fetch the slot its lookup starts
    /// at. The table is megabytes large, so nearly every lookup waits for memory; hashing and
    /// prefetching a whole sentence first lets those waits overlap instead of following one
    /// another.
    #[inline]
    pub fn prefetch(&self, word: &str) -> u64 {
        let hash = xxh3_64(word.as_bytes());
        prefetch_read(&self.slots[hash as usize & (self.slots.len() - 1)]);
        hash
    }

    /// The entry of `word`, inserted as `new` if it is not there.
    pub fn entry(&mut self, word: &str, new: V) -> &mut V {
        let w = word.as_bytes();
        let hash = xxh3_64(w);
        let mut i = self.find(w, hash);
        if self.slots[i].start == EMPTY {
            if 2 * (self.len + 1) > self.slots.len() {
                self.grow();
                i = self.find(w, hash);
            }
            let start = u32::try_from(self.bytes.len()).expect("word table under 4 GiB");
            self.bytes.extend_from_slice(w);
            self.slots[i] = Slot {
                hash,
                start,
                len: w.len() as u32,
                value: new,
            };
            self.len += 1;
        }
        &mut self.slots[i].value
    }

    fn grow(&mut self) {
        let free = Slot {
            hash: 0,
            start: EMPTY,
            len: 0,
            value: V::default(),
        };
        let doubled = vec![free; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        let mask = self.slots.len() - 1;
        for s in old.into_iter().filter(|s| s.start != EMPTY) {
            let mut i = s.hash as usize & mask;
            while self.slots[i].start != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.slots
            .iter()
            .filter(|s| s.start != EMPTY)
            .map(|s| &s.value)
    }
}

/// Hints the processor to bring `p` into the cache; nothing on other architectures.
#[inline(always)]
fn prefetch_read<T>(p: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it reads no value and cannot fault.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((p as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// `a == b` for slices of the same length, eight bytes at a time: inline, where a call to
/// `memcmp` would cost more than comparing a short word.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    let mut ca = a.chunks_exact(8);
    let mut cb = b.chunks_exact(8);
    for (x, y) in (&mut ca).zip(&mut cb) {
        if x != y {
            return false;
        }
    }
    ca.remainder()
        .iter()
        .zip(cb.remainder())
        .all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_after_growing_and_by_their_prefetched_hash() {
        let mut t: WordTable<u32> = WordTable::with_capacity(2, 8);
        let words: Vec<String> = (0..1000).map(|i| format!("w{i}")).collect();
        for (i, w) in words.iter().enumerate() {
            *t.entry(w, 0) = i as u32 + 1;
        }
        // A second entry() keeps the value.
        assert_eq!(*t.entry("w7", 99), 8);
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.get(w), Some(&(i as u32 + 1)));
            let h = t.prefetch(w);
            assert_eq!(t.get_hashed(w, h), Some(&(i as u32 + 1)));
        }
        assert_eq!(t.get("w1000"), None);
        assert_eq!(t.get(""), None);
        assert_eq!(t.values().count(), 1000);
    }
}
