//! Which input offsets may be committed.
//!
//! Messages of one partition are processed concurrently with other
//! partitions and their outputs are acknowledged out of order, so an offset
//! is committable only when it and every offset before it (that we read) is
//! done: the per-partition *contiguous completed watermark*. Committing
//! anything beyond would lose the unacknowledged message on a crash;
//! committing the watermark loses nothing and re-reads at most the in-flight
//! window.
//!
//! Pure bookkeeping, no Kafka types, so it is unit-tested directly.

use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default, Clone)]
struct PartitionState {
    in_flight: BTreeSet<i64>,
    /// One past the highest offset handed out for processing.
    next: Option<i64>,
    /// The last offset committed (the next offset to read after a restart).
    committed: Option<i64>,
}

/// Per-partition in-flight offsets of the partitions this instance owns.
#[derive(Debug, Default)]
pub struct OffsetTracker {
    parts: BTreeMap<i32, PartitionState>,
}

impl OffsetTracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// The partition is now ours (rebalance assign).
    pub fn assign(&mut self, partition: i32) {
        self.parts.entry(partition).or_default();
    }

    /// The partition is no longer ours: forget it, so nothing is ever
    /// committed for it again and late completions are ignored.
    pub fn revoke(&mut self, partition: i32) {
        self.parts.remove(&partition);
    }

    pub fn owns(&self, partition: i32) -> bool {
        self.parts.contains_key(&partition)
    }

    pub fn assigned(&self) -> impl Iterator<Item = i32> + '_ {
        self.parts.keys().copied()
    }

    /// A message was read and handed to a worker.
    pub fn begin(&mut self, partition: i32, offset: i64) {
        let st = self.parts.entry(partition).or_default();
        st.in_flight.insert(offset);
        st.next = Some(st.next.map_or(offset + 1, |n| n.max(offset + 1)));
    }

    /// Every record derived from the message is acknowledged (or it went to
    /// the DLQ, or it was dropped as a duplicate). Returns false when the
    /// partition is no longer owned.
    pub fn complete(&mut self, partition: i32, offset: i64) -> bool {
        match self.parts.get_mut(&partition) {
            Some(st) => st.in_flight.remove(&offset),
            None => false,
        }
    }

    pub fn in_flight(&self, partition: i32) -> usize {
        self.parts.get(&partition).map_or(0, |s| s.in_flight.len())
    }

    pub fn total_in_flight(&self) -> usize {
        self.parts.values().map(|s| s.in_flight.len()).sum()
    }

    /// The offset to commit for the partition (the next one to read), if it
    /// moved since the last commit.
    pub fn committable(&self, partition: i32) -> Option<i64> {
        let st = self.parts.get(&partition)?;
        let watermark = match st.in_flight.first() {
            Some(&lowest) => lowest,
            None => st.next?,
        };
        match st.committed {
            Some(c) if c >= watermark => None,
            _ => Some(watermark),
        }
    }

    /// All partitions with something new to commit.
    pub fn all_committable(&self) -> Vec<(i32, i64)> {
        self.parts
            .keys()
            .filter_map(|&p| self.committable(p).map(|o| (p, o)))
            .collect()
    }

    /// Records a successful commit.
    pub fn committed(&mut self, partition: i32, offset: i64) {
        if let Some(st) = self.parts.get_mut(&partition) {
            st.committed = Some(st.committed.map_or(offset, |c| c.max(offset)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watermark_waits_for_the_oldest_in_flight() {
        let mut t = OffsetTracker::new();
        t.assign(0);
        for o in 10..15 {
            t.begin(0, o);
        }
        assert_eq!(
            t.committable(0),
            Some(10),
            "nothing done yet: re-read from 10"
        );
        t.complete(0, 12);
        t.complete(0, 11);
        assert_eq!(t.committable(0), Some(10));
        t.complete(0, 10);
        assert_eq!(t.committable(0), Some(13));
        t.committed(0, 13);
        assert_eq!(t.committable(0), None, "no change since the commit");
        t.complete(0, 14);
        t.complete(0, 13);
        assert_eq!(t.committable(0), Some(15));
    }

    #[test]
    fn partitions_are_independent_and_gaps_are_fine() {
        let mut t = OffsetTracker::new();
        t.begin(0, 5);
        t.begin(1, 100);
        t.begin(1, 103); // offsets 101-102 were compacted away
        t.complete(1, 103);
        t.complete(1, 100);
        assert_eq!(t.committable(1), Some(104));
        assert_eq!(t.committable(0), Some(5));
        assert_eq!(t.total_in_flight(), 1);
    }

    #[test]
    fn revoked_partitions_are_never_committed() {
        let mut t = OffsetTracker::new();
        t.begin(3, 7);
        t.revoke(3);
        assert!(!t.complete(3, 7), "late completion is ignored");
        assert_eq!(t.committable(3), None);
        assert!(t.all_committable().is_empty());
    }

    #[test]
    fn nothing_read_nothing_to_commit() {
        let mut t = OffsetTracker::new();
        t.assign(0);
        assert_eq!(t.committable(0), None);
    }
}
