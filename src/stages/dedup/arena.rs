//! Article and story ids of the remembered articles, packed into one byte
//! buffer so that an id costs its length plus one byte instead of a `String`
//! (24 bytes plus a heap block).
//!
//! Every string is `[head][bytes]`, `head` being the LEB128 of `length * 2 +
//! flag`. A record is the article id's string, whose flag says whether a story
//! follows: a unique article (its story id is its own id) costs its id plus
//! one byte. A story is a tag, then either (1) the story id's string or (2) the
//! 4-byte offset of a string elsewhere, usually the id of the story's first
//! article, so a duplicate costs 5 more bytes.
//! Dead records are reclaimed by [`Arena::compact`], which copies the live
//! records in entry order and keeps shared story strings shared.

use std::collections::HashMap;

/// How a record names its story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Story<'a> {
    Same,
    Inline(&'a str),
    At(u32),
}

#[derive(Default)]
pub(crate) struct Arena {
    bytes: Vec<u8>,
    live: usize,
}

fn put_len(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

impl Arena {
    pub fn bytes(&self) -> usize {
        self.bytes.capacity()
    }

    /// Bytes written so far (live and dead records).
    pub fn used(&self) -> usize {
        self.bytes.len()
    }

    /// Bytes used by live records (maintained by `push`/`release`).
    pub fn live(&self) -> usize {
        self.live
    }

    fn reserve(&mut self, extra: usize) {
        if self.bytes.len() + extra > self.bytes.capacity() {
            // Grow by a sixteenth, not doubling, to keep slack small.
            self.bytes
                .reserve_exact(extra.max(self.bytes.len() / 16).max(4096));
        }
    }

    /// Appends a record; returns its offset.
    pub fn push(&mut self, id: &str, story: Story<'_>) -> u32 {
        let need = id.len()
            + 12
            + if let Story::Inline(s) = story {
                s.len()
            } else {
                0
            };
        self.reserve(need);
        let at = self.bytes.len();
        put_len(
            &mut self.bytes,
            id.len() * 2 + usize::from(story != Story::Same),
        );
        self.bytes.extend_from_slice(id.as_bytes());
        match story {
            Story::Same => {}
            Story::Inline(s) => {
                self.bytes.push(1);
                put_len(&mut self.bytes, s.len() * 2);
                self.bytes.extend_from_slice(s.as_bytes());
            }
            Story::At(off) => {
                self.bytes.push(2);
                self.bytes.extend_from_slice(&off.to_le_bytes());
            }
        }
        self.live += self.bytes.len() - at;
        u32::try_from(at).expect("id arena over 4 GiB")
    }

    /// Marks a record as no longer referenced by a live entry.
    pub fn release(&mut self, rec: u32) {
        self.live -= self.record_len(rec);
    }

    /// (start, end, flag) of the string at `off`; for a record, the flag says
    /// whether a story follows the id.
    fn head(&self, off: u32) -> (usize, usize, bool) {
        let (n, at) = self.varint(off as usize);
        (at, at + n / 2, n % 2 == 1)
    }

    /// (value, position after it) of the LEB128 number at `at`.
    fn varint(&self, mut at: usize) -> (usize, usize) {
        let (mut n, mut shift) = (0usize, 0);
        loop {
            let b = self.bytes[at];
            at += 1;
            n |= usize::from(b & 0x7f) << shift;
            if b < 0x80 {
                return (n, at);
            }
            shift += 7;
        }
    }

    pub fn string(&self, off: u32) -> &str {
        let (a, b, _) = self.head(off);
        std::str::from_utf8(&self.bytes[a..b]).unwrap_or_default()
    }

    /// The article id of the record at `rec`.
    pub fn id(&self, rec: u32) -> &str {
        self.string(rec)
    }

    pub fn story(&self, rec: u32) -> Story<'_> {
        let (_, end, has_story) = self.head(rec);
        match (has_story, self.bytes.get(end)) {
            (false, _) => Story::Same,
            (true, Some(1)) => Story::Inline(self.string(end as u32 + 1)),
            _ => Story::At(u32::from_le_bytes(
                self.bytes[end + 1..end + 5].try_into().unwrap_or_default(),
            )),
        }
    }

    /// Offset of a string holding the record's story id (to share it).
    pub fn story_string(&self, rec: u32) -> u32 {
        let (_, end, _) = self.head(rec);
        match self.story(rec) {
            Story::Same => rec,
            Story::Inline(_) => end as u32 + 1,
            Story::At(off) => off,
        }
    }

    pub fn story_id(&self, rec: u32) -> &str {
        self.string(self.story_string(rec))
    }

    fn record_len(&self, rec: u32) -> usize {
        let (_, end, _) = self.head(rec);
        let tail = match self.story(rec) {
            Story::Same => 0,
            Story::Inline(_) => {
                let (_, b, _) = self.head(end as u32 + 1);
                b - end
            }
            Story::At(_) => 5,
        };
        end + tail - rec as usize
    }

    /// Rewrites the arena with only the records in `recs` (updated in place).
    /// Records are copied in arena order, so old and new offsets of the live
    /// strings are both ascending and a binary search maps one to the other.
    /// A story string whose owner died is copied once into the first live
    /// record that refers to it, and later references point at that copy.
    pub fn compact(&mut self, recs: &mut [u32]) {
        let mut order: Vec<(u32, u32)> = recs
            .iter()
            .enumerate()
            .map(|(k, &r)| (r, k as u32))
            .collect();
        order.sort_unstable();
        // Live strings (ids and inline stories) in ascending order, and where
        // each one lands.
        let mut owned: Vec<u32> = Vec::with_capacity(order.len());
        for &(r, _) in &order {
            owned.push(r);
            if let Story::Inline(_) = self.story(r) {
                owned.push(self.story_string(r));
            }
        }
        let mut landed = vec![0u32; owned.len()];
        let mut adopted: HashMap<u32, u32> = HashMap::new();
        let mut fresh = Arena::default();
        fresh.bytes.reserve_exact(self.live + self.live / 32 + 64);
        let mut refs: Vec<(usize, u32)> = Vec::new();
        let mut next = 0;
        for &(old, k) in &order {
            let story = self.story(old);
            let new = fresh.bytes.len() as u32;
            match story {
                Story::At(off) if owned.binary_search(&off).is_err() => match adopted.get(&off) {
                    // The story's string died with its record: the first live
                    // reference adopts a copy, later ones point at it.
                    None => {
                        fresh.push(self.id(old), Story::Inline(self.string(off)));
                        adopted.insert(off, fresh.story_string(new));
                    }
                    Some(&copy) => {
                        fresh.push(self.id(old), Story::At(copy));
                    }
                },
                _ => {
                    // Copied verbatim; a reference is patched once all strings landed.
                    let len = self.record_len(old);
                    fresh
                        .bytes
                        .extend_from_slice(&self.bytes[old as usize..old as usize + len]);
                    fresh.live += len;
                    if let Story::At(off) = story {
                        refs.push((fresh.bytes.len() - 4, off));
                    }
                }
            }
            landed[next] = new;
            next += 1;
            if let Story::Inline(_) = story {
                landed[next] = new + (self.story_string(old) - old);
                next += 1;
            }
            recs[k as usize] = new;
        }
        for (at, off) in refs {
            let target = owned.binary_search(&off).map_or(0, |p| landed[p]);
            fresh.bytes[at..at + 4].copy_from_slice(&target.to_le_bytes());
        }
        *self = fresh;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_compaction_keeps_shared_stories() {
        let mut a = Arena::default();
        let root = a.push("u-0123456789abcdef", Story::Same);
        let dup = a.push("copy-1", Story::At(root));
        let long = "x".repeat(300);
        let other = a.push(&long, Story::Inline("some-story"));
        let dup2 = a.push("copy-2", Story::At(a.story_string(dup)));
        let keep = a.push("keep", Story::Inline("kept-story"));
        let refers = a.push("refers", Story::At(a.story_string(keep)));
        assert_eq!(a.id(other), long);
        assert_eq!(a.story_id(other), "some-story");
        assert_eq!(a.story_id(dup2), "u-0123456789abcdef");
        a.release(root);
        a.release(other);
        // The root died; its id lives on as the story of both copies.
        let mut live = vec![refers, dup, keep, dup2];
        a.compact(&mut live);
        let (refers, keep, live) = (live[0], live[2], vec![live[1], live[3]]);
        assert_eq!((a.id(refers), a.story_id(refers)), ("refers", "kept-story"));
        assert_eq!(a.story_string(refers), a.story_string(keep), "still shared");
        assert_eq!(a.id(live[0]), "copy-1");
        assert_eq!(a.id(live[1]), "copy-2");
        assert_eq!(a.story_id(live[0]), "u-0123456789abcdef");
        assert_eq!(a.story_id(live[1]), "u-0123456789abcdef");
        assert!(
            matches!(a.story(live[1]), Story::At(_)),
            "second copy shares the string"
        );
        assert!(
            a.bytes.len() < 80,
            "dead records were dropped: {}",
            a.bytes.len()
        );
        assert_eq!(a.live(), a.used());
    }
}
