//! What a replay covers: the time or offset bounds from the command line,
//! turned into per-partition offset ranges by asking the broker, and where a
//! previous attempt of the same replay stopped.
//!
//! `[first, end)` per partition bounds what is read: `first` is the broker's
//! answer to a timestamp lookup for `--from` (Kafka's ListOffsets by time),
//! `end` the high watermark when the replay first started (kept in the
//! commit metadata, so a resumed replay stops where the first attempt meant
//! to). `resume` is the replay group's committed offset, where output
//! continues.
//!
//! The exact boundaries come from the records' own timestamps, checked
//! while reading (see [`super::merge`]): leading records before `--from`
//! are skipped and the partition ends at its first record at or after
//! `--to`. On Kafka that changes nothing (its lookup is exact); it matters
//! on Kafka-protocol brokers whose lookup is only a lower bound (answering
//! by the time a batch was stored, say).

use anyhow::{bail, Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use std::time::Duration;

/// What the command line asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bounds {
    /// ms since the epoch, inclusive.
    pub from: Option<i64>,
    /// ms since the epoch, exclusive.
    pub to: Option<i64>,
    /// `--from-offsets`: (topic, partition, offset); only these partitions.
    pub from_offsets: Vec<(String, i32, i64)>,
}

/// One input partition's share of the replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartRange {
    pub partition: i32,
    pub first: i64,
    pub end: i64,
    /// Where output continues: `first` on a fresh replay.
    pub resume: i64,
}

impl PartRange {
    /// Messages in the offset range (the time bounds may exclude some).
    pub fn len(&self) -> u64 {
        (self.end - self.first).max(0) as u64
    }
    /// Messages still to read (at most this many to publish).
    pub fn left(&self) -> u64 {
        (self.end - self.resume).max(0) as u64
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `--from`/`--to`: RFC 3339 (`2026-01-13T10:00:00Z`), a date (`2026-01-13`,
/// midnight UTC) or milliseconds since the epoch.
pub fn parse_time(flag: &str, s: &str) -> Result<i64> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp_millis());
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_millis());
    }
    if let Ok(ms) = s.parse::<i64>() {
        return Ok(ms);
    }
    bail!("{flag} {s:?}: not a time; use RFC 3339 (2026-01-13T10:00:00Z), a date (2026-01-13) or milliseconds since the epoch")
}

/// `--from-offsets topic:partition:offset,…`
pub fn parse_offsets(s: &str) -> Result<Vec<(String, i32, i64)>> {
    s.split(',')
        .filter(|x| !x.trim().is_empty())
        .map(|item| {
            let mut it = item.trim().rsplitn(3, ':');
            let (o, p, t) = (it.next(), it.next(), it.next());
            match (t, p.and_then(|p| p.parse().ok()), o.and_then(|o| o.parse().ok())) {
                (Some(t), Some(p), Some(o)) if !t.is_empty() && p >= 0 && o >= 0 => {
                    Ok((t.to_string(), p, o))
                }
                _ => bail!("--from-offsets: {item:?} is not topic:partition:offset (e.g. news.articles.raw:0:1200)"),
            }
        })
        .collect()
}

impl Bounds {
    /// Checks the combination before any broker is asked.
    pub fn validate(&self) -> Result<()> {
        match (self.from, self.from_offsets.is_empty()) {
            (None, true) => {
                bail!("replay needs --from TIME or --from-offsets topic:partition:offset,…")
            }
            (Some(_), false) => bail!("--from and --from-offsets exclude each other; give one"),
            _ => {}
        }
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if t < f {
                bail!(
                    "--to ({}) is before --from ({}): nothing to replay",
                    fmt_ms(t),
                    fmt_ms(f)
                );
            }
            if t == f {
                bail!(
                    "empty range: --to equals --from ({}); --to is exclusive",
                    fmt_ms(f)
                );
            }
        }
        Ok(())
    }

    /// A short stable tag of what is replayed, for the default group name.
    pub fn tag(&self, suffix: &str) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(format!(
            "{:?}|{:?}|{:?}|{suffix}",
            self.from, self.to, self.from_offsets
        ));
        hex::encode(&h.finalize()[..4])
    }
}

pub fn fmt_ms(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms).map_or_else(|| ms.to_string(), |t| t.to_rfc3339())
}

const END_META: &str = "newsflow-replay end=";

/// The metadata committed with a partition's offset.
pub fn end_metadata(end: i64) -> String {
    format!("{END_META}{end}")
}

/// Asks the broker for each partition's range and the group's progress.
pub fn resolve<C: ConsumerContext>(
    consumer: &BaseConsumer<C>,
    topic: &str,
    bounds: &Bounds,
    timeout: Duration,
) -> Result<Vec<PartRange>> {
    let md = consumer
        .fetch_metadata(Some(topic), timeout)
        .with_context(|| format!("topics.input: fetching metadata of {topic}"))?;
    let parts: Vec<i32> = md
        .topics()
        .first()
        .filter(|t| t.error().is_none())
        .map(|t| t.partitions().iter().map(|p| p.id()).collect())
        .unwrap_or_default();
    if parts.is_empty() {
        bail!("topics.input: topic {topic:?} does not exist (set topics.input, or NEWSFLOW_TOPICS__INPUT, to the topic to replay)");
    }
    let mut ranges = Vec::new();
    let high = |p: i32| -> Result<(i64, i64)> {
        consumer
            .fetch_watermarks(topic, p, timeout)
            .with_context(|| format!("fetching the offsets of {topic}[{p}]"))
    };
    let starts: Vec<(i32, i64)> = if let Some(from) = bounds.from {
        let mut v = Vec::new();
        for (p, answer) in lookup(consumer, topic, &parts, from, "--from", timeout)? {
            let (low, hw) = high(p)?;
            match answer {
                Some(o) => v.push((p, o)),
                None if hw <= low => v.push((p, hw)),
                // "Nothing at or after --from": check it against the newest
                // record, since a broker without the lookup (librdkafka's
                // mock cluster) answers the same way for everything.
                None => match last_timestamp(consumer, topic, p, hw - 1, timeout) {
                    Some(ts) if ts >= from => bail!(
                        "--from {}: the broker cannot answer timestamp lookups (ListOffsets by time) for {topic}: it says partition {p} has no message at or after that time, but offset {} has timestamp {}; use --from-offsets topic:partition:offset instead",
                        fmt_ms(from), hw - 1, fmt_ms(ts)
                    ),
                    _ => v.push((p, hw)),
                },
            }
        }
        v
    } else {
        let mut v = Vec::new();
        for (t, p, o) in &bounds.from_offsets {
            if t != topic {
                bail!(
                    "--from-offsets {t}:{p}:{o}: replay reads topics.input ({topic:?}), not {t:?}"
                );
            }
            if !parts.contains(p) {
                bail!(
                    "--from-offsets {t}:{p}:{o}: {topic} has no partition {p} (it has {})",
                    parts.len()
                );
            }
            let (low, hw) = high(*p)?;
            if *o < low || *o > hw {
                bail!("--from-offsets {t}:{p}:{o}: offset outside the partition's {low}..{hw}");
            }
            v.push((*p, *o));
        }
        v
    };
    let only: Vec<i32> = starts.iter().map(|s| s.0).collect();
    let committed = committed(consumer, topic, &only, timeout)?;
    for ((p, first), (resume, meta_end)) in starts.into_iter().zip(committed) {
        let end = match meta_end {
            Some(e) => e,
            None => high(p)?.1,
        };
        let first = first.min(end);
        let resume = resume.map_or(first, |r| r.clamp(first, end));
        ranges.push(PartRange {
            partition: p,
            first,
            end,
            resume,
        });
    }
    Ok(ranges)
}

/// The timestamp of the record at `offset` (read with a group-less client,
/// so the replay group's state is not touched).
fn last_timestamp<C: ConsumerContext>(
    consumer: &BaseConsumer<C>,
    topic: &str,
    partition: i32,
    offset: i64,
    timeout: Duration,
) -> Option<i64> {
    use rdkafka::message::Message;
    let bootstrap = consumer
        .client()
        .fetch_metadata(Some(topic), timeout)
        .ok()?
        .brokers()
        .iter()
        .map(|b| format!("{}:{}", b.host(), b.port()))
        .collect::<Vec<_>>()
        .join(",");
    let probe: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", &bootstrap)
        .set("group.id", "newsflow-replay-probe")
        .set("enable.auto.commit", "false")
        .create()
        .ok()?;
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, partition, Offset::Offset(offset))
        .ok()?;
    probe.assign(&tpl).ok()?;
    let deadline = std::time::Instant::now() + timeout;
    while std::time::Instant::now() < deadline {
        if let Some(Ok(m)) = probe.poll(Duration::from_millis(100)) {
            return m.timestamp().to_millis();
        }
    }
    None
}

/// ListOffsets by timestamp: the first offset at or after `ts` per
/// partition (`None`: no such message yet).
fn lookup<C: ConsumerContext>(
    consumer: &BaseConsumer<C>,
    topic: &str,
    parts: &[i32],
    ts: i64,
    flag: &str,
    timeout: Duration,
) -> Result<Vec<(i32, Option<i64>)>> {
    let mut tpl = TopicPartitionList::new();
    for p in parts {
        tpl.add_partition_offset(topic, *p, Offset::Offset(ts))?;
    }
    let cannot = |why: String| {
        anyhow::anyhow!("{flag} {}: the broker cannot answer timestamp lookups (ListOffsets by time) for {topic}: {why}; use --from-offsets topic:partition:offset instead", fmt_ms(ts))
    };
    let answer = consumer
        .offsets_for_times(tpl, timeout)
        .map_err(|e| cannot(e.to_string()))?;
    parts
        .iter()
        .map(|p| {
            let e = answer
                .find_partition(topic, *p)
                .ok_or_else(|| cannot(format!("no answer for partition {p}")))?;
            tracing::debug!(partition = p, ts, answer = ?e.offset(), "ListOffsets by time");
            if let Err(err) = e.error() {
                return Err(cannot(format!("partition {p}: {err}")));
            }
            match e.offset() {
                Offset::Offset(o) => Ok((*p, Some(o))),
                Offset::End => Ok((*p, None)),
                other => Err(cannot(format!("partition {p}: answered {other:?}"))),
            }
        })
        .collect()
}

/// The replay group's committed offset and end-offset metadata per partition.
fn committed<C: ConsumerContext>(
    consumer: &BaseConsumer<C>,
    topic: &str,
    parts: &[i32],
    timeout: Duration,
) -> Result<Vec<(Option<i64>, Option<i64>)>> {
    let mut tpl = TopicPartitionList::new();
    for p in parts {
        tpl.add_partition(topic, *p);
    }
    // A group coordinator still loading its partition (a broker just
    // started) or moving to another broker answers with a retriable error:
    // ask again until the timeout.
    let deadline = std::time::Instant::now() + timeout;
    let got = loop {
        match consumer.committed_offsets(tpl.clone(), timeout) {
            Err(e)
                if std::time::Instant::now() < deadline
                    && matches!(
                        e.rdkafka_error_code(),
                        Some(
                            RDKafkaErrorCode::NotCoordinator
                                | RDKafkaErrorCode::CoordinatorLoadInProgress
                                | RDKafkaErrorCode::CoordinatorNotAvailable
                        )
                    ) =>
            {
                tracing::debug!(error = %e, "group coordinator not ready, asking again");
                std::thread::sleep(Duration::from_millis(200));
            }
            other => break other.context("reading the replay group's committed offsets")?,
        }
    };
    Ok(parts
        .iter()
        .map(|p| match got.find_partition(topic, *p) {
            Some(e) => (
                match e.offset() {
                    Offset::Offset(o) => Some(o),
                    _ => None,
                },
                e.metadata()
                    .strip_prefix(END_META)
                    .and_then(|n| n.parse().ok()),
            ),
            None => (None, None),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_three_forms() {
        let d = parse_time("--from", "2026-01-13").unwrap();
        assert_eq!(parse_time("--from", "2026-01-13T00:00:00Z").unwrap(), d);
        assert_eq!(
            parse_time("--from", "2026-01-13T03:00:00+03:00").unwrap(),
            d
        );
        assert_eq!(parse_time("--from", &d.to_string()).unwrap(), d);
        let e = parse_time("--to", "13/01/2026").unwrap_err().to_string();
        assert!(e.contains("--to") && e.contains("RFC 3339"), "{e}");
    }

    #[test]
    fn offsets_list() {
        assert_eq!(
            parse_offsets("news.articles.raw:0:12, news.articles.raw:3:0").unwrap(),
            vec![
                ("news.articles.raw".into(), 0, 12),
                ("news.articles.raw".into(), 3, 0)
            ]
        );
        for bad in ["t:0", "t:x:1", ":0:1", "t:0:-1"] {
            assert!(parse_offsets(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bounds_are_checked_before_any_broker_is_asked() {
        let b = |from, to| Bounds {
            from,
            to,
            from_offsets: vec![],
        };
        assert!(b(Some(10), Some(20)).validate().is_ok());
        assert!(b(Some(20), Some(10))
            .validate()
            .unwrap_err()
            .to_string()
            .contains("before --from"));
        assert!(b(Some(10), Some(10))
            .validate()
            .unwrap_err()
            .to_string()
            .contains("empty range"));
        assert!(b(None, Some(10)).validate().is_err());
        let both = Bounds {
            from: Some(1),
            to: None,
            from_offsets: vec![("t".into(), 0, 0)],
        };
        assert!(both.validate().is_err());
        assert_ne!(b(Some(1), None).tag(""), b(Some(2), None).tag(""));
        assert_ne!(b(Some(1), None).tag(""), b(Some(1), None).tag(".backfill"));
    }

    #[test]
    fn range_arithmetic() {
        let r = PartRange {
            partition: 0,
            first: 10,
            end: 30,
            resume: 25,
        };
        assert_eq!((r.len(), r.left(), r.is_empty()), (20, 5, false));
    }
}
