//! Input the broker deleted before it was read: detected, counted, told.
//!
//! A consumer whose position falls below a partition's log start offset
//! (retention deleted the messages, or the embedded broker dropped its
//! oldest) gets OFFSET_OUT_OF_RANGE, and librdkafka resets it to
//! `auto.offset.reset`. The pipeline then simply reads on from the new
//! position: without a check, the skipped messages vanish without a trace.
//!
//! The consumer knows where each partition should continue: one past the
//! last offset it read, or the group's committed offset for the first read
//! of an assignment. When a message arrives beyond that, the stretch in
//! between is a *gap*. Gaps are normal (transaction markers take offsets,
//! aborted transactions are skipped, compaction removes records), so a gap
//! counts as loss only for the part that lies below the partition's log
//! start offset, which the consumer asks the broker for: those messages
//! existed and can no longer be read by anyone.

/// Offsets of one partition skipped between two reads: `from..to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub partition: i32,
    pub from: i64,
    pub to: i64,
}

/// The gap before a read at `offset`, given where the partition should
/// continue (`expected`), if any.
pub fn gap_before(partition: i32, expected: Option<i64>, offset: i64) -> Option<Gap> {
    let from = expected.filter(|&e| e >= 0)?;
    (offset > from).then_some(Gap {
        partition,
        from,
        to: offset,
    })
}

/// How many of the gap's offsets were deleted before they were read: those
/// below the log start offset.
pub fn lost_in(gap: &Gap, log_start: i64) -> u64 {
    (gap.to.min(log_start) - gap.from).max(0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_past_deleted_messages_counts_what_was_below_the_log_start() {
        // Read up to 99; retention moved the log start to 4,000 and the
        // consumer was reset there.
        let gap = gap_before(0, Some(100), 4_000).unwrap();
        assert_eq!(gap.from, 100);
        assert_eq!(lost_in(&gap, 4_000), 3_900);
    }

    #[test]
    fn gaps_above_the_log_start_are_not_loss() {
        // A transaction marker at 100: the next record is 101, all readable.
        let gap = gap_before(3, Some(100), 101).unwrap();
        assert_eq!(lost_in(&gap, 0), 0);
        // Partly below: only that part counts.
        let gap = gap_before(3, Some(10), 50).unwrap();
        assert_eq!(lost_in(&gap, 30), 20);
    }

    #[test]
    fn no_gap_without_an_expectation_or_when_reading_on() {
        assert_eq!(gap_before(0, None, 500), None);
        assert_eq!(gap_before(0, Some(-1001), 500), None, "logical offsets");
        assert_eq!(gap_before(0, Some(500), 500), None);
        assert_eq!(
            gap_before(0, Some(500), 400),
            None,
            "a re-read after a seek"
        );
    }
}
