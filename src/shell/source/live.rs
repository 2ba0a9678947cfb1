//! The live source: the consumer group's messages in the order they are
//! polled, each partition's to the same worker (so a partition's records
//! keep their order).
//!
//! Besides reading, it watches for input that never arrives: a gap below
//! the broker's log start was deleted unread (counted and reported, see
//! `loss.rs`), and a consumer moved past messages still there (an offset
//! reset to the end) is sent back for them. With `exit_when_idle`, it
//! stops the pipeline once every assigned partition is at its end and
//! nothing is in flight.

use super::{drive, Drive, Read, Source, Step};
use crate::metrics::names;
use crate::shell::consumer::ConsumerCtx;
use crate::shell::loss;
use crate::shell::shared::Shared;
use metrics::counter;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::topic_partition_list::Offset;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// How long reads of a partition may stand still after it reported its end
/// before the end is taken at its word. librdkafka reports an end once its
/// fetcher is there, which can be before this source has polled the
/// messages fetched on the way (seen on the embedded broker at every
/// message-set boundary); going back for them at once would re-fetch what
/// is already on its way, with a warning for nothing.
const EARLY_END_GRACE: Duration = Duration::from_secs(10);

/// Reads the consumer group's input until a stop is requested (signal,
/// idle exit or fatal error), drains and commits (see [`drive`]), then
/// leaves the group.
pub fn consume(consumer: BaseConsumer<ConsumerCtx>, d: Drive, exit_when_idle: Option<Duration>) {
    let mut source = Live {
        consumer,
        exit_when_idle,
        last_message: Instant::now(),
        at_eof: HashSet::new(),
        rewound: HashMap::new(),
        ends: HashMap::new(),
    };
    drive(&mut source, d);
    source.consumer.unsubscribe();
}

struct Live {
    consumer: BaseConsumer<ConsumerCtx>,
    exit_when_idle: Option<Duration>,
    last_message: Instant,
    /// Partitions whose last poll reported their end.
    at_eof: HashSet<i32>,
    /// Per partition, the end offset it was last rewound from (see
    /// `rewind_to_unread`).
    rewound: HashMap<i32, i64>,
    /// Per partition, an end reported while reads may lag behind it: where
    /// reads stood then, and when (see `EARLY_END_GRACE`).
    ends: HashMap<i32, (Option<i64>, Instant)>,
}

impl Source for Live {
    fn consumer(&self) -> &BaseConsumer<ConsumerCtx> {
        &self.consumer
    }

    fn prepare(&mut self, shared: &Shared) -> Step {
        if let Some(idle) = self.exit_when_idle {
            if self.last_message.elapsed() >= idle && is_idle(shared, &self.at_eof) {
                // The end seen last may be stale: while an offset reset is
                // under way no message and no new end arrives. Before
                // leaving, check every partition against the broker's
                // watermarks (counting what was deleted unread) and go back
                // for anything still readable.
                let assigned: Vec<i32> = shared.inflight.tracker().assigned().collect();
                let mut reading_again = false;
                for p in assigned {
                    if rewind_to_unread(&self.consumer, shared, p, &mut self.rewound) {
                        self.at_eof.remove(&p);
                        reading_again = true;
                    }
                }
                if reading_again {
                    self.last_message = Instant::now();
                    return Step::Again;
                }
                tracing::info!("every assigned partition is at its end and idle: exiting");
                // The driver sees the stop at the start of the next turn.
                shared.request_stop();
                return Step::Again;
            }
        }
        self.ends.retain(|&p, (next, seen)| {
            let now = shared.inflight.tracker().next_read(p);
            if now != *next {
                return false; // reads went on: the end was reported early
            }
            if seen.elapsed() < EARLY_END_GRACE {
                return true;
            }
            if rewind_to_unread(&self.consumer, shared, p, &mut self.rewound) {
                self.at_eof.remove(&p);
            }
            false
        });
        Step::Read
    }

    fn next(&mut self, shared: &Shared) -> Option<Read> {
        match self.consumer.poll(Duration::from_millis(100)) {
            None => None,
            Some(Err(KafkaError::PartitionEOF(p))) => {
                // A reset to the end of the partition shows no later message
                // to find the gap by: if reads do not go on by themselves,
                // check up to the end and go back for what is still there.
                self.at_eof.insert(p);
                let next = shared.inflight.tracker().next_read(p);
                self.ends.entry(p).or_insert((next, Instant::now()));
                None
            }
            Some(Err(e)) => {
                tracing::warn!(error = %e, "consumer error");
                None
            }
            Some(Ok(m)) => {
                let (p, o) = (m.partition(), m.offset());
                check_loss(&self.consumer, shared, p, Some(o));
                self.at_eof.remove(&p);
                self.last_message = Instant::now();
                Some(Read {
                    msg: m.detach(),
                    warmup: false,
                    seq: None,
                    worker: u64::from(p.unsigned_abs()),
                })
            }
        }
    }
}

/// Counts and reports input the broker deleted before it was read: the part
/// of the gap before `read_at` (a message read; `None` at the end of the
/// partition, where the gap runs to the high watermark) that lies below the
/// log start (see `loss.rs`).
fn check_loss(
    consumer: &BaseConsumer<ConsumerCtx>,
    shared: &Shared,
    partition: i32,
    read_at: Option<i64>,
) -> Option<(i64, i64)> {
    let topic = shared.input_topic.as_str();
    // Set at assignment for the first read (see `expected_starts`).
    let from = shared
        .inflight
        .tracker()
        .next_read(partition)
        .filter(|&e| e >= 0)?;
    if read_at.is_some_and(|o| o <= from) {
        return None;
    }
    let (log_start, end) = match consumer.fetch_watermarks(topic, partition, Duration::from_secs(2))
    {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!(
                error = %e,
                partition,
                from,
                "cannot ask for the log start offset: a gap in the input is not checked for loss"
            );
            return None;
        }
    };
    let watermarks = Some((log_start, end));
    let Some(gap) = loss::gap_before(partition, Some(from), read_at.unwrap_or(end)) else {
        return watermarks;
    };
    let lost = loss::lost_in(&gap, log_start);
    if lost == 0 {
        return watermarks;
    }
    // Counted once: reads (and later checks) continue past the lost part.
    shared
        .inflight
        .tracker()
        .skip_to(partition, gap.from + lost as i64);
    counter!(names::INPUT_LOST, "topic" => topic.to_string()).increment(lost);
    shared
        .stats
        .counters
        .lost
        .fetch_add(lost, std::sync::atomic::Ordering::Relaxed);
    tracing::error!(
        topic,
        partition,
        from = gap.from,
        to = gap.from + lost as i64,
        log_start,
        lost,
        "input messages were deleted by the broker before they were read; they will not be processed"
    );
    watermarks
}

/// At the end of a partition: counts what was deleted unread, and when the
/// consumer's position was moved past messages that are still there (an
/// offset reset to the end), seeks back to them. Returns whether it did.
/// A second end at the same end offset without anything read means the
/// stretch holds nothing to read (transaction markers, aborted records): it
/// is then skipped, not rewound again.
fn rewind_to_unread(
    consumer: &BaseConsumer<ConsumerCtx>,
    shared: &Shared,
    partition: i32,
    rewound: &mut HashMap<i32, i64>,
) -> bool {
    let Some((log_start, end)) = check_loss(consumer, shared, partition, None) else {
        return false;
    };
    let Some(next) = shared.inflight.tracker().next_read(partition) else {
        return false;
    };
    let from = next.max(log_start);
    if from >= end {
        return false;
    }
    if rewound.get(&partition) == Some(&end) {
        shared.inflight.tracker().skip_to(partition, end);
        return false;
    }
    rewound.insert(partition, end);
    let topic = shared.input_topic.as_str();
    match consumer.seek(
        topic,
        partition,
        Offset::Offset(from),
        Duration::from_secs(5),
    ) {
        Ok(()) => {
            tracing::warn!(
                topic,
                partition,
                from,
                end,
                "the consumer was moved past unread messages (offset reset): reading them"
            );
            true
        }
        Err(e) => {
            tracing::error!(error = %e, partition, from, "cannot seek back to unread messages");
            false
        }
    }
}

fn is_idle(shared: &Shared, at_eof: &HashSet<i32>) -> bool {
    let tracker = shared.inflight.tracker();
    let mut assigned = tracker.assigned().peekable();
    if assigned.peek().is_none()
        || tracker.total_in_flight() > 0
        || shared.seeding.load(std::sync::atomic::Ordering::SeqCst)
    {
        return false;
    }
    let all = tracker.assigned().all(|p| at_eof.contains(&p));
    all
}
