//! Exactly-once delivery with Kafka transactions (`pipeline.delivery =
//! "exactly-once"`).
//!
//! Two transactional producers per instance take turns, each with a
//! `transactional.id` stable across restarts (`pipeline.transactional_id`,
//! and the same with [`SECOND_ID_SUFFIX`]), so a restarted instance fences
//! its zombie. Each always has a transaction open; one of them is *active*.
//! Workers enqueue every record of one message (articles, events,
//! duplicates, dead letter, and the dedup changelog record: no second
//! phase) into the active producer while holding the [`Transactions`] gate
//! shared; that message's offset then counts as complete. Every
//! `commit_interval_ms` the consumer thread takes the gate exclusively for
//! an instant, notes the completed watermark and makes the other producer
//! active; the committer thread then sends that watermark with
//! `send_offsets_to_transaction` and the consumer's group metadata, commits
//! and begins the producer's next transaction, while the workers fill the
//! other one and the consumer thread reads on: outputs and input offsets
//! become visible together to `read_committed` readers, or not at all. One
//! commit is under way at a time; a commit due before the last one ended
//! waits for it.
//!
//! Why two: librdkafka accepts no record for a producer whose transaction
//! is ending, and ending one (flushing, writing the markers) takes about as
//! long as the interval, so with one producer the workers would wait out
//! every commit. The watermark is exact because each partition's messages
//! are enqueued in offset order by one worker: everything at or below it is
//! in the ending transaction or an earlier one, everything above it in the
//! next. A revoke, an abort and the final commit wait for the commit under
//! way and then end the active transaction on the calling thread, holding
//! the gate throughout, so nothing is enqueued while partitions change
//! hands.
//!
//! Errors: an abortable one (a refused record, a timeout) aborts both open
//! transactions (the other one holds messages read after the failed one's)
//! and rewinds the consumer to the committed offsets under new epochs (see
//! `offsets.rs`), so the discarded work is read again and nothing read
//! before the rewind is published. A fatal one (fenced by another process
//! with the same id, or any error that leaves a producer unusable) stops the
//! instance with a message naming the cause. librdkafka's transaction calls
//! block: they run on the committer thread, the consumer thread (or the
//! replay merge thread), or `spawn_blocking` at start, never on the async
//! runtime.

use super::{committable, Batch, Commit, Publisher, Publishing, Sink};
use crate::metrics::names;
use crate::shell::consumer::ConsumerCtx;
use crate::shell::shared::Shared;
use metrics::{counter, histogram};
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerGroupMetadata};
use rdkafka::error::KafkaError;
use rdkafka::producer::{FutureProducer, Producer};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::RwLockWriteGuard;

/// Appended to `pipeline.transactional_id` for the second producer.
pub const SECOND_ID_SUFFIX: &str = "~1";

/// One transactional producer and the state of its open transaction.
struct Slot {
    out: Publisher,
    /// Which transaction of this producer is open: an acknowledgement
    /// failing after its transaction ended spoils nothing.
    generation: AtomicU64,
    /// Records enqueued in the open transaction.
    enqueued: AtomicU64,
    /// Why the open transaction cannot commit, when it cannot.
    spoiled: Mutex<Option<String>>,
}

/// What the gate guards.
struct Turn {
    /// `false` once closed or failed: nothing more is published.
    open: bool,
    /// The slot workers enqueue into.
    active: usize,
}

/// A transaction the committer thread is ending.
struct Committing {
    slot: usize,
    /// The offsets it carries, as the tracker knows them.
    pending: Vec<(i32, i64)>,
    done: mpsc::Receiver<Ended>,
    since: Instant,
}

/// A transaction handed to the committer thread.
struct Job {
    slot: usize,
    offsets: TopicPartitionList,
    meta: Option<ConsumerGroupMetadata>,
    done: mpsc::SyncSender<Ended>,
}

/// How ending a transaction went.
struct Ended {
    committed: Result<(), Failure>,
    /// The producer's next transaction, when it was begun.
    begun: Option<Result<(), Failure>>,
    took: Duration,
}

/// The instance's transactional producers.
pub struct Transactions {
    slots: [Slot; 2],
    id: String,
    /// How long one transaction call may block.
    timeout: Duration,
    /// Shared by a worker enqueueing one message's records, exclusive while
    /// the active producer changes or a transaction ends in place.
    gate: tokio::sync::RwLock<Turn>,
    /// The periodic commit's thread: librdkafka's commit blocks until the
    /// transaction's records are acknowledged and its markers written,
    /// which the consumer thread must not wait for.
    committer: mpsc::Sender<Job>,
    /// The commit under way there, if any (one at a time).
    committing: Mutex<Option<Committing>>,
    /// A commit never returned: nothing more is published or committed.
    stuck: AtomicBool,
    /// After an abort: read the input again from the committed offsets
    /// (`run`), or stop (`replay`, whose merge restarts by running the same
    /// command again).
    rewind: bool,
}

/// How ending a transaction went wrong.
enum Failure {
    /// Abort it and go on.
    Abort(String),
    /// Stop the instance; `true` when fenced.
    Fatal(String, bool),
}

impl Transactions {
    /// Registers both transactional ids with the broker (fencing any earlier
    /// producers with the same ids and aborting their open transactions),
    /// opens the first transactions and starts the committer thread. `outs`
    /// publish through producers configured with `id` and `id` +
    /// [`SECOND_ID_SUFFIX`]. Blocks.
    pub fn start(
        outs: [Publisher; 2],
        id: &str,
        timeout: Duration,
        rewind: bool,
    ) -> anyhow::Result<Arc<Transactions>> {
        for out in &outs {
            out.producer.init_transactions(timeout).map_err(|e| {
                anyhow::anyhow!("exactly-once: cannot initialise transactions for transactional.id {id:?}: {e} (does the broker support transactions? its transaction log topic needs enough in-sync replicas)")
            })?;
            out.producer
                .begin_transaction()
                .map_err(|e| anyhow::anyhow!("exactly-once: cannot begin a transaction: {e}"))?;
        }
        tracing::info!(
            transactional_id = id,
            "exactly-once: transactions initialised"
        );
        let (jobs, queue) = mpsc::channel::<Job>();
        let producers = [outs[0].producer.clone(), outs[1].producer.clone()];
        std::thread::Builder::new()
            .name("newsflow-committer".into())
            .spawn(move || {
                // Ends when the Transactions (the sender) is dropped.
                for job in queue {
                    let t0 = Instant::now();
                    let p = &producers[job.slot];
                    let committed = commit(p, &job.offsets, job.meta.as_ref(), timeout);
                    let begun = committed
                        .is_ok()
                        .then(|| p.begin_transaction().map_err(|e| classify(&e)));
                    let took = t0.elapsed();
                    let _ = job.done.send(Ended {
                        committed,
                        begun,
                        took,
                    });
                }
            })?;
        let slot = |out| Slot {
            out,
            generation: AtomicU64::new(0),
            enqueued: AtomicU64::new(0),
            spoiled: Mutex::new(None),
        };
        let [a, b] = outs;
        Ok(Arc::new(Transactions {
            slots: [slot(a), slot(b)],
            id: id.to_string(),
            timeout,
            gate: tokio::sync::RwLock::new(Turn {
                open: true,
                active: 0,
            }),
            committer: jobs,
            committing: Mutex::new(None),
            stuck: AtomicBool::new(false),
            rewind,
        }))
    }

    /// Marks transaction `generation` of `slot` as one that must abort (if
    /// it is still open).
    fn spoil(&self, slot: usize, generation: u64, why: String) {
        let s = &self.slots[slot];
        let mut spoiled = s.spoiled.lock().unwrap();
        if s.generation.load(Ordering::SeqCst) == generation {
            tracing::warn!(error = %why, "exactly-once: the open transaction will be aborted");
            spoiled.get_or_insert(why);
        }
    }

    /// Ends the active transaction (commit, or abort when it is spoiled or
    /// `abort` says so), forgets `revoked` partitions, and opens the next
    /// transaction unless `close`. A periodic commit hands the workers the
    /// other producer and the ending transaction to the committer thread;
    /// it returns `false`, doing nothing, while the previous one is still
    /// ending there. A revoke, an abort and the final commit wait for that
    /// one and then end the active transaction here, holding the gate.
    fn settle(
        &self,
        consumer: &BaseConsumer<ConsumerCtx>,
        shared: &Shared,
        abort: Option<String>,
        revoked: &[i32],
        close: bool,
    ) -> bool {
        let periodic = abort.is_none() && revoked.is_empty() && !close;
        if self.stuck.load(Ordering::SeqCst) {
            forget(shared, revoked);
            return true;
        }
        if !self.collect(consumer, shared, !periodic) {
            return false;
        }
        let asked = Instant::now();
        let mut turn = self.gate.blocking_write();
        if asked.elapsed() > Duration::from_secs(1) {
            tracing::warn!(
                waited_ms = asked.elapsed().as_millis() as u64,
                "exactly-once: a worker held the transaction gate long"
            );
        }
        if turn.open {
            let a = turn.active;
            let abort = self.slots[a].spoiled.lock().unwrap().take().or(abort);
            let (tpl, pending) = committable(shared, None);
            let idle = abort.is_none()
                && pending.is_empty()
                && self.slots[a].enqueued.load(Ordering::SeqCst) == 0;
            if !idle {
                if abort.is_none() && periodic {
                    // Every record of the ending transaction reaches the log
                    // before any of the next one (a millisecond or a few,
                    // the gate held): a read_committed reader sees a
                    // partition up to its first open transaction, so a
                    // record of the ending one written after a record of the
                    // next would stay hidden until the next one commits too,
                    // and so on, an interval at a time.
                    settle(&self.slots[a].out.producer, SWITCH_SETTLE_LIMIT);
                    turn.active = 1 - a;
                    drop(turn);
                    let (done, rx) = mpsc::sync_channel(1);
                    let job = Job {
                        slot: a,
                        meta: consumer.group_metadata(),
                        offsets: tpl,
                        done,
                    };
                    *self.committing.lock().unwrap() = Some(Committing {
                        slot: a,
                        pending,
                        done: rx,
                        since: Instant::now(),
                    });
                    // A closed queue (the thread gone) shows when collected.
                    let _ = self.committer.send(job);
                    return true;
                }
                forget(shared, revoked);
                let t0 = Instant::now();
                let committed = match abort {
                    Some(why) => Err(Failure::Abort(why)),
                    None => {
                        let meta = consumer.group_metadata();
                        commit(
                            &self.slots[a].out.producer,
                            &tpl,
                            meta.as_ref(),
                            self.timeout,
                        )
                    }
                };
                let begun = (committed.is_ok() && !close).then(|| {
                    (self.slots[a].out.producer.begin_transaction()).map_err(|e| classify(&e))
                });
                let took = t0.elapsed();
                let ended = Ended {
                    committed,
                    begun,
                    took,
                };
                self.finish(a, pending, ended, consumer, shared, close, Some(turn));
                return true;
            }
            turn.open &= !close;
        }
        forget(shared, revoked);
        true
    }

    /// Takes in the result of the commit under way on the committer thread,
    /// waiting for it if `wait`. Returns `false` when it is still under way.
    fn collect(&self, consumer: &BaseConsumer<ConsumerCtx>, shared: &Shared, wait: bool) -> bool {
        let mut committing = self.committing.lock().unwrap();
        let Some(c) = committing.as_ref() else {
            return true;
        };
        // Each of the commit's calls is bounded by the timeout and retried
        // at most twice; one that outlives every bound will not return.
        let limit = self.timeout * 7;
        let ended = if wait {
            if c.since.elapsed() > self.timeout {
                tracing::warn!(
                    waited_secs = c.since.elapsed().as_secs(),
                    "exactly-once: waiting for the commit under way"
                );
            }
            match c.done.recv_timeout(limit.saturating_sub(c.since.elapsed())) {
                Ok(e) => Some(e),
                Err(mpsc::RecvTimeoutError::Timeout) => return self.stall(&mut committing, shared),
                Err(mpsc::RecvTimeoutError::Disconnected) => None,
            }
        } else {
            match c.done.try_recv() {
                Ok(e) => Some(e),
                Err(mpsc::TryRecvError::Empty) if c.since.elapsed() < limit => return false,
                Err(mpsc::TryRecvError::Empty) => return self.stall(&mut committing, shared),
                Err(mpsc::TryRecvError::Disconnected) => None,
            }
        };
        let c = committing.take().expect("checked above");
        drop(committing);
        let ended = ended.unwrap_or(Ended {
            committed: Err(Failure::Fatal("the committer thread stopped".into(), false)),
            begun: None,
            took: Duration::ZERO,
        });
        self.finish(c.slot, c.pending, ended, consumer, shared, false, None);
        true
    }

    /// The commit under way has not returned within every bound of its
    /// calls: nothing more can be committed, so the instance stops, loudly,
    /// and a restart resumes from the committed offsets (its transactions
    /// are aborted when the restarted instance registers the same ids).
    fn stall(&self, committing: &mut Option<Committing>, shared: &Shared) -> bool {
        let waited = committing.take().map_or(0, |c| c.since.elapsed().as_secs());
        self.stuck.store(true, Ordering::SeqCst);
        let why = format!("a commit has not returned for {waited} s (is the broker reachable?); stopping so that a restart resumes from the committed offsets");
        self.report_fatal(shared, Failure::Fatal(why, false));
        true
    }

    /// Settles slot `a`'s ended transaction: on a commit the offsets it
    /// carried (`pending`) count as committed; an abortable failure aborts
    /// both open transactions and rewinds; a fatal one stops the instance.
    /// `held`: the gate, when the caller holds it; the failure paths take it
    /// otherwise.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        a: usize,
        pending: Vec<(i32, i64)>,
        ended: Ended,
        consumer: &BaseConsumer<ConsumerCtx>,
        shared: &Shared,
        close: bool,
        held: Option<RwLockWriteGuard<'_, Turn>>,
    ) {
        let slot = &self.slots[a];
        let gate = || held.unwrap_or_else(|| self.gate.blocking_write());
        match ended.committed {
            Ok(()) => {
                let mut tracker = shared.inflight.tracker();
                for (p, o) in pending {
                    tracker.committed(p, o);
                }
                drop(tracker);
                slot.ended("committed", ended.took);
                if close {
                    gate().open = false;
                } else if let Some(Err(f)) = ended.begun {
                    self.fatal(&mut gate(), shared, f);
                }
            }
            Err(Failure::Abort(why)) => {
                let mut turn = gate();
                if !turn.open {
                    return;
                }
                tracing::warn!(error = %why, "exactly-once: aborting the open transactions; the input is read again from the committed offsets");
                let t0 = Instant::now();
                // The other slot's transaction holds messages read after
                // this one's: it goes too.
                for (i, s) in self.slots.iter().enumerate() {
                    if let Err(e) = s.out.producer.abort_transaction(self.timeout) {
                        return self.fatal(&mut turn, shared, classify(&e));
                    }
                    if i == a || s.enqueued.load(Ordering::SeqCst) > 0 {
                        count("aborted", ended.took + t0.elapsed());
                    }
                    s.reset();
                    if !close {
                        if let Err(e) = s.out.producer.begin_transaction() {
                            return self.fatal(&mut turn, shared, classify(&e));
                        }
                    }
                }
                turn.open &= !close;
                if turn.open {
                    self.rewind_after_abort(consumer, shared, &mut turn);
                }
            }
            Err(f) => self.fatal(&mut gate(), shared, f),
        }
    }

    /// After an abort: `run` reads again from the committed offsets under
    /// new epochs (in-flight work of the discarded reads is void); `replay`
    /// stops.
    fn rewind_after_abort(
        &self,
        consumer: &BaseConsumer<ConsumerCtx>,
        shared: &Shared,
        turn: &mut Turn,
    ) {
        if !self.rewind {
            shared.fail("exactly-once: a transaction was aborted; nothing of it is visible. Run the same command again to resume".into());
            turn.open = false;
            return;
        }
        let to = shared.inflight.tracker().rewind_all();
        for (p, o) in to {
            if let Err(e) = consumer.seek(&shared.input_topic, p, Offset::Offset(o), self.timeout) {
                // Reading on from elsewhere would commit past unread input.
                shared.fail(format!(
                    "exactly-once: cannot rewind {}[{p}] to {o} after an aborted transaction: {e}",
                    shared.input_topic
                ));
                turn.open = false;
                return;
            }
        }
    }

    fn fatal(&self, turn: &mut Turn, shared: &Shared, f: Failure) {
        turn.open = false;
        self.report_fatal(shared, f);
    }

    /// Counts a fatal failure and stops the instance with a message naming it.
    fn report_fatal(&self, shared: &Shared, f: Failure) {
        let (why, fenced) = match f {
            Failure::Fatal(why, fenced) => (why, fenced),
            Failure::Abort(why) => (why, false),
        };
        counter!(names::TRANSACTION_FATAL_ERRORS, "cause" => if fenced { "fenced" } else { "fatal" }).increment(1);
        shared.fail(if fenced {
            format!("exactly-once: this instance was fenced: another process started with transactional.id {:?} (pipeline.transactional_id), so this one stops; its open transaction is discarded ({why})", self.id)
        } else {
            format!("exactly-once: fatal transaction error, the producer is unusable: {why}")
        });
    }
}

/// Commits `producer`'s open transaction with the input offsets `tpl`
/// (sent with the consumer's group metadata `meta`). Blocks.
fn commit(
    producer: &FutureProducer,
    tpl: &TopicPartitionList,
    meta: Option<&ConsumerGroupMetadata>,
    timeout: Duration,
) -> Result<(), Failure> {
    if tpl.count() > 0 {
        let meta =
            meta.ok_or_else(|| Failure::Abort("the consumer has no group metadata".into()))?;
        retrying(|| producer.send_offsets_to_transaction(tpl, meta, timeout))?;
    }
    settle(producer, timeout);
    retrying(|| producer.commit_transaction(timeout))
}

/// How long a switch of producers waits at most for the ending
/// transaction's records to be acknowledged. Past it the switch goes on:
/// the records are safe either way, only their visibility may wait longer.
const SWITCH_SETTLE_LIMIT: Duration = Duration::from_secs(1);

/// Waits, in steps of a millisecond and at most `timeout`, until every
/// message of `producer` is acknowledged and its report served.
/// rust-rdkafka's `commit_transaction` flushes first, and its flush, finding
/// anything unacknowledged, polls for a whole 100 ms slice however soon the
/// last acknowledgement comes (the producer's own thread serves the reports
/// meanwhile): a commit that found one message on the wire took 100 ms
/// more. Past this wait its flush finds nothing and returns at once; if the
/// wait ran out, the commit's flush keeps waiting and reports the timeout.
fn settle(producer: &FutureProducer, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while producer.in_flight_count() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
}

impl Slot {
    /// The open transaction ended (`result`: committed or aborted) after
    /// `took`.
    fn ended(&self, result: &'static str, took: Duration) {
        count(result, took);
        self.reset();
    }

    /// The slot's state is that of a fresh transaction.
    fn reset(&self) {
        let mut spoiled = self.spoiled.lock().unwrap();
        *spoiled = None;
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.enqueued.store(0, Ordering::SeqCst);
    }
}

/// Counts a transaction that ended (`result`: committed or aborted) after
/// `took`.
fn count(result: &'static str, took: Duration) {
    counter!(names::TRANSACTIONS, "result" => result).increment(1);
    histogram!(names::TRANSACTION_DURATION, "result" => result).record(took.as_secs_f64());
}

/// Forgets revoked partitions: reads of them still in flight are void.
fn forget(shared: &Shared, revoked: &[i32]) {
    if revoked.is_empty() {
        return;
    }
    let mut tracker = shared.inflight.tracker();
    for p in revoked {
        tracker.revoke(*p);
    }
}

/// What an error from a transaction call means.
fn classify(e: &KafkaError) -> Failure {
    let KafkaError::Transaction(r) = e else {
        return Failure::Abort(e.to_string());
    };
    let fenced = matches!(
        r.code(),
        RDKafkaErrorCode::ProducerFenced
            | RDKafkaErrorCode::InvalidProducerEpoch
            | RDKafkaErrorCode::Fenced
    );
    let what = format!("{} ({})", r.string(), r.name());
    let fenced = fenced || what.to_ascii_lowercase().contains("fenced");
    if r.is_fatal() || fenced {
        Failure::Fatal(what, fenced)
    } else {
        Failure::Abort(what)
    }
}

/// Runs a transaction call, again while librdkafka calls its error
/// retriable (up to three times in all).
fn retrying(mut call: impl FnMut() -> Result<(), KafkaError>) -> Result<(), Failure> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match call() {
            Ok(()) => return Ok(()),
            Err(KafkaError::Transaction(r)) if r.is_retriable() && attempt < 3 => {
                tracing::warn!(error = %r, "exactly-once: retrying a transaction call");
            }
            Err(e) => return Err(classify(&e)),
        }
    }
}

impl Commit for Transactions {
    fn commit(&self, consumer: &BaseConsumer<ConsumerCtx>, shared: &Shared) -> bool {
        self.settle(consumer, shared, None, &[], false)
    }

    fn revoke(
        &self,
        consumer: &BaseConsumer<ConsumerCtx>,
        shared: &Shared,
        parts: &[i32],
        lost: bool,
    ) {
        if lost {
            let why =
                "the assignment was lost: its partitions may belong to another member already";
            self.settle(consumer, shared, Some(why.into()), parts, false);
        } else {
            // Let what was read of them in, to spare the new owner re-reads.
            shared.inflight.drain_before_revoke(parts);
            self.settle(consumer, shared, None, parts, false);
        }
    }

    fn close(&self, consumer: &BaseConsumer<ConsumerCtx>, shared: &Shared) {
        self.settle(consumer, shared, None, &[], true);
    }
}

/// Publishes inside the active transaction.
pub struct ExactlyOnce {
    pub txn: Arc<Transactions>,
}

impl Sink for ExactlyOnce {
    fn publish(&self, batch: Batch) -> Publishing<'_> {
        Box::pin(async move {
            let Batch {
                job,
                records,
                remember,
                echoed,
            } = batch;
            let txn = self.txn.clone();
            let turn = txn.gate.read().await;
            let a = turn.active;
            let slot = &txn.slots[a];
            let out = slot.out.clone();
            // Under the gate: a rewind or revoke since the read voids it.
            let open = turn.open && !txn.stuck.load(Ordering::SeqCst);
            let Some(ticket) = job
                .ticket
                .filter(|t| open && out.shared.inflight.is_current(t))
            else {
                return;
            };
            let generation = slot.generation.load(Ordering::SeqCst);
            let mut pending = Vec::with_capacity(records.len() + 1);
            for rec in records.iter().chain(&remember) {
                match out.enqueue_output(rec, &job).await {
                    Ok(f) => {
                        slot.enqueued.fetch_add(1, Ordering::SeqCst);
                        pending.push((f, rec.target));
                    }
                    Err(why) => return txn.spoil(a, generation, why),
                }
            }
            // Every record is in the open transaction: the offset may go
            // with it.
            out.shared.complete(&ticket);
            drop(turn);
            tokio::spawn(async move {
                for (fut, target) in pending {
                    if let Err(why) = out.acknowledged(fut, target, &job).await {
                        txn.spoil(a, generation, why);
                    }
                }
                out.finished(job, &echoed);
            });
        })
    }
}
