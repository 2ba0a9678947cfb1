//! The tagger's word table: every lexicon and rule word in one byte arena, found through an
//! open-addressing index of 64-bit hashes. One arena instead of an allocation per word keeps
//! loading the ~94,000 lexicon words fast, and a lookup compares the stored hash and length
//! before it reads any bytes.

use xxhash_rust::xxh3::xxh3_64;

use super::Entry;

/// A slot whose `start` is `EMPTY` holds no word.
const EMPTY: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Slot {
    hash: u64,
    start: u32,
    len: u32,
    value: Entry,
}

const FREE: Slot = Slot {
    hash: 0,
    start: EMPTY,
    len: 0,
    value: Entry { tag: 0, id: 0 },
};

#[derive(Debug)]
pub(super) struct Words {
    bytes: Vec<u8>,
    /// A power of two long, at most half full.
    slots: Vec<Slot>,
    len: usize,
}

impl Words {
    /// A table sized for about `n` words of `bytes` bytes in all.
    pub(super) fn with_capacity(n: usize, bytes: usize) -> Words {
        Words {
            bytes: Vec::with_capacity(bytes),
            slots: vec![FREE; (2 * n).next_power_of_two().max(16)],
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
    pub(super) fn get(&self, word: &str) -> Option<&Entry> {
        self.get_hashed(word, xxh3_64(word.as_bytes()))
    }

    /// [`Words::get`] with the hash [`Words::prefetch`] gave.
    #[inline]
    pub(super) fn get_hashed(&self, word: &str, hash: u64) -> Option<&Entry> {
        let s = &self.slots[self.find(word.as_bytes(), hash)];
        (s.start != EMPTY).then_some(&s.value)
    }

    /// The hash of `word`, after asking the processor to fetch the slot its lookup starts
    /// at. The table is megabytes large, so nearly every lookup waits for memory; hashing and
    /// prefetching a whole sentence first lets those waits overlap instead of following one
    /// another.
    #[inline]
    pub(super) fn prefetch(&self, word: &str) -> u64 {
        let hash = xxh3_64(word.as_bytes());
        prefetch_read(&self.slots[hash as usize & (self.slots.len() - 1)]);
        hash
    }

    /// The entry of `word`, inserted as `new` if it is not there.
    pub(super) fn entry(&mut self, word: &str, new: Entry) -> &mut Entry {
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
        let doubled = vec![FREE; self.slots.len() * 2];
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

    pub(super) fn values(&self) -> impl Iterator<Item = &Entry> {
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
