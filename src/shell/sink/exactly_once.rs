//! Exactly-once delivery with Kafka transactions (`pipeline.delivery =
//! "exactly-once"`).
//!
//! One transactional producer per instance (`transactional.id` from
//! `pipeline.transactional_id`, stable across restarts, so a restarted
//! instance fences its zombie). A transaction is always open. Workers enqueue
//! every record of one message (articles, events, duplicates, dead letter,
//! and the dedup changelog record: no second phase) while holding the
//! [`Transactions`] gate shared; that message's offset then counts as
//! complete. Every `commit_interval_ms` the consumer thread takes the gate
//! exclusively, so no message is half in, sends the completed watermark
//! with `send_offsets_to_transaction` and the consumer's group metadata, and
//! commits: outputs and input offsets become visible together to
//! `read_committed` readers, or not at all.
//!
//! Errors: an abortable one (a refused record, a timeout) aborts the
//! transaction and rewinds the consumer to the committed offsets under new
//! epochs (see `offsets.rs`), so the discarded work is read again and
//! nothing read before the rewind is published. A fatal one (fenced by
//! another process with the same id, or any error that leaves the producer
//! unusable) stops the instance with a message naming the cause. librdkafka's
//! transaction calls block: they run on the consumer thread (or the replay
//! merge thread, or `spawn_blocking` at start), never on the async runtime.

use super::{committable, Batch, Commit, Publisher, Publishing, Sink};
use crate::metrics::names;
use crate::shell::consumer::ConsumerCtx;
use crate::shell::shared::Shared;
use metrics::{counter, histogram};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::producer::{FutureProducer, Producer};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The instance's transactional producer and the state of its open
/// transaction.
pub struct Transactions {
    producer: FutureProducer,
    id: String,
    /// How long one transaction call may block.
    timeout: Duration,
    /// Shared by a worker enqueueing one message's records, exclusive while
    /// a transaction ends. `false` once closed or failed: nothing more is
    /// published.
    gate: tokio::sync::RwLock<bool>,
    /// Records enqueued in the open transaction.
    enqueued: AtomicU64,
    /// Why the open transaction cannot commit, when it cannot.
    spoiled: Mutex<Option<String>>,
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
    /// Registers the transactional id with the broker (fencing any earlier
    /// producer with the same id and aborting its open transaction) and
    /// opens the first transaction. Blocks.
    pub fn start(
        producer: FutureProducer,
        id: &str,
        timeout: Duration,
        rewind: bool,
    ) -> anyhow::Result<Arc<Transactions>> {
        producer.init_transactions(timeout).map_err(|e| {
            anyhow::anyhow!("exactly-once: cannot initialise transactions for transactional.id {id:?}: {e} (does the broker support transactions? its transaction log topic needs enough in-sync replicas)")
        })?;
        producer
            .begin_transaction()
            .map_err(|e| anyhow::anyhow!("exactly-once: cannot begin a transaction: {e}"))?;
        tracing::info!(
            transactional_id = id,
            "exactly-once: transactions initialised"
        );
        Ok(Arc::new(Transactions {
            producer,
            id: id.to_string(),
            timeout,
            gate: tokio::sync::RwLock::new(true),
            enqueued: AtomicU64::new(0),
            spoiled: Mutex::new(None),
            rewind,
        }))
    }

    fn spoil(&self, why: String) {
        tracing::warn!(error = %why, "exactly-once: the open transaction will be aborted");
        self.spoiled.lock().unwrap().get_or_insert(why);
    }

    /// Ends the open transaction (commit, or abort when it is spoiled or
    /// `abort` says so), forgets `revoked` partitions, and opens the next
    /// transaction unless `close`. Holds the gate throughout.
    fn settle(
        &self,
        consumer: &BaseConsumer<ConsumerCtx>,
        shared: &Shared,
        abort: Option<String>,
        revoked: &[i32],
        close: bool,
    ) {
        let mut open = self.gate.blocking_write();
        let mut rewind = false;
        if *open {
            let abort = self.spoiled.lock().unwrap().take().or(abort);
            let (tpl, pending) = committable(shared, None);
            let idle =
                abort.is_none() && pending.is_empty() && self.enqueued.load(Ordering::SeqCst) == 0;
            if !idle {
                let t0 = Instant::now();
                let ended = match abort {
                    Some(why) => Err(Failure::Abort(why)),
                    None => self.try_commit(consumer, &tpl),
                };
                let ended = match ended {
                    Ok(()) => {
                        let mut tracker = shared.inflight.tracker();
                        for (p, o) in pending {
                            tracker.committed(p, o);
                        }
                        Ok("committed")
                    }
                    Err(Failure::Abort(why)) => {
                        tracing::warn!(error = %why, "exactly-once: aborting the transaction; the input is read again from the committed offsets");
                        match self.producer.abort_transaction(self.timeout) {
                            Ok(()) => {
                                rewind = true;
                                Ok("aborted")
                            }
                            Err(e) => Err(classify(&e)),
                        }
                    }
                    Err(f) => Err(f),
                };
                match ended {
                    Ok(result) => {
                        counter!(names::TRANSACTIONS, "result" => result).increment(1);
                        histogram!(names::TRANSACTION_DURATION, "result" => result)
                            .record(t0.elapsed().as_secs_f64());
                        self.enqueued.store(0, Ordering::SeqCst);
                        if !close {
                            if let Err(e) = self.producer.begin_transaction() {
                                self.fatal(&mut open, shared, classify(&e));
                            }
                        }
                    }
                    Err(f) => self.fatal(&mut open, shared, f),
                }
            }
        }
        if close {
            *open = false;
        }
        let mut tracker = shared.inflight.tracker();
        for p in revoked {
            tracker.revoke(*p);
        }
        if !rewind || !*open {
            return;
        }
        if !self.rewind {
            drop(tracker);
            shared.fail("exactly-once: a transaction was aborted; nothing of it is visible. Run the same command again to resume".into());
            *open = false;
            return;
        }
        let to = tracker.rewind_all();
        drop(tracker);
        for (p, o) in to {
            if let Err(e) = consumer.seek(&shared.input_topic, p, Offset::Offset(o), self.timeout) {
                // Reading on from elsewhere would commit past unread input.
                shared.fail(format!(
                    "exactly-once: cannot rewind {}[{p}] to {o} after an aborted transaction: {e}",
                    shared.input_topic
                ));
                *open = false;
                return;
            }
        }
    }

    fn try_commit(
        &self,
        consumer: &BaseConsumer<ConsumerCtx>,
        tpl: &TopicPartitionList,
    ) -> Result<(), Failure> {
        if tpl.count() > 0 {
            let meta = consumer
                .group_metadata()
                .ok_or_else(|| Failure::Abort("the consumer has no group metadata".into()))?;
            retrying(|| {
                self.producer
                    .send_offsets_to_transaction(tpl, &meta, self.timeout)
            })?;
        }
        retrying(|| self.producer.commit_transaction(self.timeout))
    }

    fn fatal(&self, open: &mut bool, shared: &Shared, f: Failure) {
        *open = false;
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
    fn commit(&self, consumer: &BaseConsumer<ConsumerCtx>, shared: &Shared) {
        self.settle(consumer, shared, None, &[], false);
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

/// Publishes inside the open transaction.
pub struct ExactlyOnce {
    pub out: Publisher,
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
            let (out, txn) = (self.out.clone(), self.txn.clone());
            let open = txn.gate.read().await;
            // Under the gate: a rewind or revoke since the read voids it.
            let Some(ticket) = job
                .ticket
                .filter(|t| *open && out.shared.inflight.is_current(t))
            else {
                return;
            };
            let mut pending = Vec::with_capacity(records.len() + 1);
            for rec in records.iter().chain(&remember) {
                match out.enqueue_output(rec, &job).await {
                    Ok(f) => {
                        txn.enqueued.fetch_add(1, Ordering::SeqCst);
                        pending.push((f, rec.target));
                    }
                    Err(why) => return txn.spoil(why),
                }
            }
            // Every record is in the open transaction: the offset may go
            // with it.
            out.shared.complete(&ticket);
            drop(open);
            tokio::spawn(async move {
                for (fut, target) in pending {
                    if let Err(why) = out.acknowledged(fut, target, &job).await {
                        txn.spoil(why);
                    }
                }
                out.finished(job, &echoed);
            });
        })
    }
}
