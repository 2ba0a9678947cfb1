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
//! Every read carries the *assignment epoch* of its partition: a number that
//! changes each time the partition is assigned to this instance. When a
//! revoke's drain times out, work of the old assignment can still be running
//! as the same partition comes back and is read again from the committed
//! offset; a completion of that old work must not clear the same offset of
//! the new assignment (whose outputs may not be acknowledged yet), or the
//! watermark could pass it. So a completion counts only with the epoch it
//! was read under: a [`Ticket`] from [`OffsetTracker::begin`].
//!
//! Pure bookkeeping, no Kafka types, so it is unit-tested directly.

use std::collections::{BTreeMap, BTreeSet};

/// One read of one offset within one assignment of its partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    pub partition: i32,
    pub offset: i64,
    epoch: u64,
}

#[derive(Debug, Default, Clone)]
struct PartitionState {
    /// Which assignment of the partition this state belongs to.
    epoch: u64,
    in_flight: BTreeSet<i64>,
    /// One past the highest offset handed out for processing.
    next: Option<i64>,
    /// The last offset committed (the next offset to read after a restart).
    committed: Option<i64>,
    /// Where this assignment's reads began (the group's committed offset
    /// when known at assignment, else the first read): what a rewind goes
    /// back to before anything was committed.
    origin: Option<i64>,
}

/// Per-partition in-flight offsets of the partitions this instance owns.
#[derive(Debug, Default)]
pub struct OffsetTracker {
    parts: BTreeMap<i32, PartitionState>,
    /// The epoch the next assignment gets; never reused.
    next_epoch: u64,
}

impl OffsetTracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// The partition is now ours (rebalance assign). Assigning a partition
    /// already owned keeps its state and epoch.
    pub fn assign(&mut self, partition: i32) {
        self.state(partition);
    }

    fn state(&mut self, partition: i32) -> &mut PartitionState {
        let next_epoch = &mut self.next_epoch;
        self.parts.entry(partition).or_insert_with(|| {
            *next_epoch += 1;
            PartitionState {
                epoch: *next_epoch,
                ..PartitionState::default()
            }
        })
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

    /// A message was read and handed to a worker; the ticket completes it.
    pub fn begin(&mut self, partition: i32, offset: i64) -> Ticket {
        let st = self.state(partition);
        st.in_flight.insert(offset);
        st.origin.get_or_insert(offset);
        st.next = Some(st.next.map_or(offset + 1, |n| n.max(offset + 1)));
        Ticket {
            partition,
            offset,
            epoch: st.epoch,
        }
    }

    /// Whether the ticket's assignment is still the current one: work read
    /// under an earlier assignment is someone else's (or a re-read's) now.
    pub fn is_current(&self, t: &Ticket) -> bool {
        self.parts
            .get(&t.partition)
            .is_some_and(|st| st.epoch == t.epoch)
    }

    /// Every record derived from the message is acknowledged (or it went to
    /// the DLQ, or it was dropped as a duplicate). Returns false, changing
    /// nothing, when the partition is no longer owned or was assigned again
    /// since the ticket was issued.
    pub fn complete(&mut self, t: &Ticket) -> bool {
        match self.parts.get_mut(&t.partition) {
            Some(st) if st.epoch == t.epoch => st.in_flight.remove(&t.offset),
            _ => false,
        }
    }

    /// Where the partition's reads continue: one past the highest offset
    /// read in its current assignment (`None` before the first read).
    pub fn next_read(&self, partition: i32) -> Option<i64> {
        self.parts.get(&partition).and_then(|s| s.next)
    }

    /// The partition's reads continue at `offset` (a gap before it was
    /// checked): later checks start there, and with nothing in flight the
    /// commit moves past the gap.
    pub fn skip_to(&mut self, partition: i32, offset: i64) {
        let st = self.state(partition);
        if st.next.is_none() {
            st.origin.get_or_insert(offset);
        }
        st.next = Some(st.next.map_or(offset, |n| n.max(offset)));
    }

    /// Exactly-once, after an aborted transaction: every owned partition
    /// goes back to its last committed offset (or where its reads began)
    /// under a new epoch, so work read before the rewind completes nothing
    /// and is not published. Returns where each partition reads again.
    pub fn rewind_all(&mut self) -> Vec<(i32, i64)> {
        let mut to = Vec::new();
        for (&p, st) in self.parts.iter_mut() {
            self.next_epoch += 1;
            st.epoch = self.next_epoch;
            st.in_flight.clear();
            if let Some(o) = st.committed.or(st.origin) {
                st.next = Some(o);
                st.origin = Some(o);
                to.push((p, o));
            }
        }
        to
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
        let tk: Vec<Ticket> = (10..15).map(|o| t.begin(0, o)).collect();
        assert_eq!(
            t.committable(0),
            Some(10),
            "nothing done yet: re-read from 10"
        );
        t.complete(&tk[2]);
        t.complete(&tk[1]);
        assert_eq!(t.committable(0), Some(10));
        t.complete(&tk[0]);
        assert_eq!(t.committable(0), Some(13));
        t.committed(0, 13);
        assert_eq!(t.committable(0), None, "no change since the commit");
        t.complete(&tk[4]);
        t.complete(&tk[3]);
        assert_eq!(t.committable(0), Some(15));
    }

    #[test]
    fn partitions_are_independent_and_gaps_are_fine() {
        let mut t = OffsetTracker::new();
        t.begin(0, 5);
        let a = t.begin(1, 100);
        let b = t.begin(1, 103); // offsets 101-102 were compacted away
        t.complete(&b);
        t.complete(&a);
        assert_eq!(t.committable(1), Some(104));
        assert_eq!(t.committable(0), Some(5));
        assert_eq!(t.total_in_flight(), 1);
    }

    #[test]
    fn revoked_partitions_are_never_committed() {
        let mut t = OffsetTracker::new();
        let late = t.begin(3, 7);
        t.revoke(3);
        assert!(!t.complete(&late), "late completion is ignored");
        assert_eq!(t.committable(3), None);
        assert!(t.all_committable().is_empty());
    }

    /// A revoke whose drain timed out, then the same partition back: the old
    /// assignment's completion of offset 7 must not clear the new read of 7,
    /// whose outputs are not acknowledged yet.
    #[test]
    fn a_completion_from_an_earlier_assignment_moves_nothing() {
        let mut t = OffsetTracker::new();
        t.assign(0);
        let old = t.begin(0, 7);
        t.revoke(0); // drain timed out: offset 7 still being processed
        t.assign(0);
        let five = t.begin(0, 5); // re-read from the committed offset
        let six = t.begin(0, 6);
        let seven = t.begin(0, 7);
        assert!(!t.is_current(&old));
        assert!(t.is_current(&seven));
        assert!(!t.complete(&old), "the old read's completion is refused");
        t.complete(&five);
        t.complete(&six);
        assert_eq!(
            t.committable(0),
            Some(7),
            "the new read of 7 is still in flight: the watermark stays before it"
        );
        assert!(t.complete(&seven));
        assert_eq!(t.committable(0), Some(8));
    }

    #[test]
    fn assigning_an_owned_partition_again_keeps_its_epoch() {
        let mut t = OffsetTracker::new();
        t.assign(2);
        let tk = t.begin(2, 1);
        t.assign(2);
        assert!(t.complete(&tk));
    }

    #[test]
    fn a_rewind_returns_to_the_commit_and_voids_earlier_reads() {
        let mut t = OffsetTracker::new();
        t.assign(0);
        t.skip_to(0, 40); // the group's committed offset at assignment
        t.assign(1);
        let read: Vec<Ticket> = (40..45).map(|o| t.begin(0, o)).collect();
        let one = t.begin(1, 7);
        t.complete(&read[0]);
        t.complete(&read[1]);
        t.committed(0, 42);
        t.complete(&read[2]);
        assert_eq!(t.rewind_all(), vec![(0, 42), (1, 7)]);
        assert!(!t.is_current(&read[3]) && !t.is_current(&one));
        assert!(
            !t.complete(&read[3]),
            "a read before the rewind completes nothing"
        );
        assert_eq!((t.total_in_flight(), t.next_read(0)), (0, Some(42)));
        assert_eq!(t.committable(0), None, "nothing new since the commit");
        let again = t.begin(0, 42);
        t.complete(&again);
        assert_eq!(t.committable(0), Some(43));
    }

    #[test]
    fn nothing_read_nothing_to_commit() {
        let mut t = OffsetTracker::new();
        t.assign(0);
        assert_eq!(t.committable(0), None);
    }
}
