//! The pacing decision of the gate: may this Produce request go to the
//! broker now, or would it let a producer run so far ahead of the pipeline
//! that the broker deletes input nobody has read?
//!
//! Pure bookkeeping (the gate supplies high watermarks and read positions),
//! unit-tested here. Per paced partition it knows the offsets of Produce
//! requests forwarded but not yet answered (`pending`: appended or about to
//! be, maybe not yet in the high watermark) and the bytes per offset of what
//! was forwarded so far (the broker stores record batches as they arrive, so
//! that is what its size limit counts).

use super::wire::Append;
use std::collections::HashMap;

#[derive(Debug, Default, Clone, Copy)]
struct Part {
    /// Bytes and offsets forwarded, ever: their ratio sizes a backlog.
    bytes: u64,
    offsets: u64,
    /// Offsets forwarded whose response has not come back yet.
    pending: u64,
    /// The highest read position the pipeline reported.
    read: i64,
}

/// The unread backlog one partition may hold, and what it holds now.
#[derive(Debug)]
pub struct Pacer {
    budget: u64,
    paced: Vec<String>,
    parts: HashMap<(String, i32), Part>,
}

/// Where a paced partition stands, as the gate measured it just now.
#[derive(Debug, Clone, Copy)]
pub struct Position {
    /// The partition's high watermark, queried after `pending` was read
    /// (`None`: the query failed).
    pub high: Option<i64>,
    /// The pipeline's next read (`None`: not known now, e.g. before its
    /// first read or while the partition is being reassigned).
    pub read: Option<i64>,
}

impl Pacer {
    /// Producers to `paced` topics may keep at most `budget` bytes per
    /// partition unread.
    pub fn new(budget: u64, paced: Vec<String>) -> Self {
        Pacer {
            budget,
            paced,
            parts: HashMap::new(),
        }
    }

    /// The appends of a request that are paced.
    pub fn paced<'a>(&self, appends: &'a [Append]) -> Vec<&'a Append> {
        appends
            .iter()
            .filter(|a| self.paced.contains(&a.topic))
            .collect()
    }

    /// Offsets forwarded to the partition and not answered yet.
    #[cfg(test)]
    pub fn pending(&self, topic: &str, partition: i32) -> u64 {
        self.parts
            .get(&(topic.to_string(), partition))
            .map_or(0, |p| p.pending)
    }

    /// Whether `a` may be forwarded, given where its partition stands. A
    /// request is never held when nothing is unread (a request larger than
    /// the budget goes alone), nor when the high watermark is unknown (the
    /// gate must not stall a producer on its own failure).
    pub fn admits(&mut self, a: &Append, at: Position) -> bool {
        let budget = self.budget;
        let part = self
            .parts
            .entry((a.topic.clone(), a.partition))
            .or_default();
        if let Some(r) = at.read {
            part.read = part.read.max(r);
        }
        let Some(high) = at.high else { return true };
        let end = high.saturating_add(i64::try_from(part.pending).unwrap_or(i64::MAX));
        let unread = u64::try_from(end.saturating_sub(part.read)).unwrap_or(0);
        if unread == 0 {
            return true;
        }
        let (bytes, offsets) = if part.offsets > 0 {
            (part.bytes, part.offsets)
        } else {
            (a.bytes, a.offsets.max(1))
        };
        let backlog = unread.saturating_mul(bytes) / offsets;
        backlog.saturating_add(a.bytes) <= budget
    }

    /// `a` was forwarded; `answered` says whether a response will come.
    pub fn forwarded(&mut self, a: &Append, answered: bool) {
        let part = self
            .parts
            .entry((a.topic.clone(), a.partition))
            .or_default();
        part.bytes += a.bytes;
        part.offsets += a.offsets;
        if answered {
            part.pending += a.offsets;
        }
    }

    /// The response to a forwarded `a` came back (or its connection closed).
    pub fn answered(&mut self, a: &Append) {
        if let Some(part) = self.parts.get_mut(&(a.topic.clone(), a.partition)) {
            part.pending = part.pending.saturating_sub(a.offsets);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn append(partition: i32, offsets: u64, bytes: u64) -> Append {
        Append {
            topic: "in".into(),
            partition,
            offsets,
            bytes,
        }
    }

    fn at(high: i64, read: Option<i64>) -> Position {
        Position {
            high: Some(high),
            read,
        }
    }

    #[test]
    fn holds_a_request_that_would_take_the_backlog_over_the_budget() {
        let mut p = Pacer::new(10_000, vec!["in".into()]);
        let a = append(0, 2, 2_000); // 1,000 bytes per offset
        assert!(p.admits(&a, at(0, None)), "nothing unread");
        p.forwarded(&a, true);
        // Forwarded, not answered, not yet in the high watermark: counted.
        assert_eq!(p.pending("in", 0), 2);
        for _ in 0..3 {
            assert!(p.admits(&a, at(0, None)));
            p.forwarded(&a, true);
        }
        // 8 offsets unread = 8,000 bytes; 2,000 more reach the budget exactly.
        assert!(p.admits(&a, at(0, Some(0))));
        p.forwarded(&a, true);
        assert!(!p.admits(&a, at(0, Some(0))), "10,000 unread");
        // Answers move offsets from pending into the high watermark.
        for _ in 0..5 {
            p.answered(&a);
        }
        assert!(!p.admits(&a, at(10, Some(0))));
        // The pipeline reads: room again.
        assert!(p.admits(&a, at(10, Some(4))));
        // An older read position reported later never moves it back.
        assert!(p.admits(&a, at(10, Some(1))));
    }

    #[test]
    fn partitions_and_topics_are_paced_apart() {
        let mut p = Pacer::new(1_000, vec!["in".into()]);
        let a = append(0, 1, 900);
        p.forwarded(&a, true);
        assert!(!p.admits(&a, at(0, Some(0))));
        assert!(p.admits(&append(1, 1, 900), at(0, Some(0))));
        let other = Append {
            topic: "out".into(),
            ..a.clone()
        };
        assert!(p.paced(std::slice::from_ref(&other)).is_empty());
        assert_eq!(p.paced(std::slice::from_ref(&a)).len(), 1);
    }

    #[test]
    fn never_holds_when_nothing_is_unread_or_the_watermark_is_unknown() {
        let mut p = Pacer::new(100, vec!["in".into()]);
        let big = append(0, 1, 5_000);
        assert!(
            p.admits(&big, at(7, Some(7))),
            "larger than the budget, alone"
        );
        p.forwarded(&big, false); // acks=0: no response will come
        assert_eq!(p.pending("in", 0), 0);
        assert!(p.admits(
            &big,
            Position {
                high: None,
                read: Some(0)
            }
        ));
        assert!(!p.admits(&big, at(8, Some(7))));
    }
}
