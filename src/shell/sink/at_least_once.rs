//! At-least-once delivery: send, wait for every acknowledgement, then
//! publish the dedup changelog record and wait for it too, then complete the
//! offset; commit the completed watermark to the consumer group.
//!
//! The changelog record comes second so that an article becomes "seen"
//! cluster-wide only once its records are safely out. A refused record is
//! fatal: its offset never completes, so it is never committed, and a
//! restart reads it again.

use super::{committable, Batch, Commit, Publisher, Publishing, Sink};
use crate::metrics::names;
use crate::shell::consumer::ConsumerCtx;
use crate::shell::shared::Shared;
use metrics::{counter, histogram};
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::message::Message;
use std::time::Instant;

/// Publishes without transactions.
pub struct AtLeastOnce {
    pub out: Publisher,
}

impl Sink for AtLeastOnce {
    fn publish(&self, batch: Batch) -> Publishing<'_> {
        Box::pin(async move {
            let out = &self.out;
            let Batch {
                job,
                records,
                remember,
                echoed,
            } = batch;
            let p = job.msg.partition();
            let mut pending = Vec::with_capacity(records.len());
            for rec in &records {
                match out.enqueue_output(rec, &job).await {
                    Ok(f) => pending.push((f, rec.target)),
                    Err(why) => return out.shared.fail(why),
                }
            }
            let out = out.clone();
            tokio::spawn(async move {
                for (fut, target) in pending {
                    if let Err(why) = out.acknowledged(fut, target, &job).await {
                        return out.shared.fail(why);
                    }
                }
                if let Some(r) = &remember {
                    let acked = match out.enqueue(r, p).await {
                        Ok(f) => out.acknowledged(f, r.target, &job).await,
                        Err(e) => Err(format!("cannot enqueue the dedup changelog record: {e}")),
                    };
                    if let Err(why) = acked {
                        return out.shared.fail(why);
                    }
                }
                if let Some(t) = &job.ticket {
                    out.shared.complete(t);
                }
                out.finished(job, &echoed);
            });
        })
    }
}

/// Commits the completed watermark to the consumer group.
pub struct GroupCommit;

impl Commit for GroupCommit {
    fn commit(&self, consumer: &BaseConsumer<ConsumerCtx>, shared: &Shared) -> bool {
        commit_offsets(consumer, shared, None);
        true
    }

    fn revoke(
        &self,
        consumer: &BaseConsumer<ConsumerCtx>,
        shared: &Shared,
        parts: &[i32],
        _lost: bool,
    ) {
        // A lost assignment's commit fails at the broker; the new owner
        // reads from the last commit, which at-least-once allows.
        shared.inflight.drain_before_revoke(parts);
        commit_offsets(consumer, shared, Some(parts));
    }

    fn close(&self, consumer: &BaseConsumer<ConsumerCtx>, shared: &Shared) {
        commit_offsets(consumer, shared, None);
    }
}

/// Commits the completed watermark of the given (or all) owned partitions,
/// synchronously.
fn commit_offsets(consumer: &BaseConsumer<ConsumerCtx>, shared: &Shared, only: Option<&[i32]>) {
    let (tpl, pending) = committable(shared, only);
    if pending.is_empty() {
        return;
    }
    let start = Instant::now();
    let result = consumer.commit(&tpl, CommitMode::Sync);
    histogram!(names::COMMIT_DURATION, "kind" => "sync").record(start.elapsed().as_secs_f64());
    match result {
        Ok(()) => {
            counter!(names::COMMITS, "result" => "ok").increment(1);
            let mut tracker = shared.inflight.tracker();
            for (p, o) in pending {
                tracker.committed(p, o);
            }
        }
        Err(e) => {
            counter!(names::COMMITS, "result" => "error").increment(1);
            counter!(names::COMMIT_FAILURES).increment(1);
            tracing::warn!(error = %e, "offset commit failed; will retry with the next commit");
        }
    }
}
