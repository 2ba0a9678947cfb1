//! The functional core: the stage chain every article goes through.
//!
//! ```text
//! bytes ─ parse ─ normalize ─ (fingerprint ─ dedup decision) ─ (extract) ─ records
//! ```
//!
//! Stages are synchronous and deterministic, with no Kafka or tokio types, so
//! `newsflow extract` (offline) and `newsflow run` (streaming) share them.
//! The shell measures each stage's duration through [`Timings`], plain data it
//! turns into metrics; the stages themselves have no side effects.

pub mod budget;
pub mod canonical_url;
pub mod dedup;
pub mod extract;
pub mod happenings;
pub mod html;
pub mod language;
pub mod normalize;
pub mod parse;
pub mod record;
pub mod route;

use crate::model::{Article, Rejection};
use dedup::{Decision, DedupIndex, Delivery, Fingerprint};
use route::Outcome;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Stage names, used as the `stage` metric label.
pub const STAGE_NAMES: [&str; 4] = ["parse", "normalize", "dedup", "extract"];

/// Per-stage wall time for one article (filled in by [`Chain::process`]).
/// A stage that did not run stays zero.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub parse: Duration,
    pub normalize: Duration,
    pub dedup: Duration,
    pub extract: Duration,
}

impl Timings {
    /// (stage, duration) for the stages that ran.
    pub fn ran(&self) -> impl Iterator<Item = (&'static str, Duration)> {
        [
            ("parse", self.parse),
            ("normalize", self.normalize),
            ("dedup", self.dedup),
            ("extract", self.extract),
        ]
        .into_iter()
        .filter(|(_, d)| !d.is_zero())
    }
}

/// Settings the stages need; built from the `[pipeline]` config section.
#[derive(Debug, Clone)]
pub struct ChainConfig {
    pub max_message_bytes: usize,
}

/// The stage chain with its loaded, read-only state. Cheap to share between
/// threads behind an `Arc`.
#[derive(Debug, Clone)]
pub struct Chain {
    cfg: ChainConfig,
    extractor: Option<std::sync::Arc<extract::Extractor>>,
    /// Benchmark ladder only: stop after normalize (article records without
    /// dedup or extraction), to price the stages one by one.
    normalize_only: bool,
    /// Tests of the shell's panic handling only: a payload containing these
    /// bytes makes the chain panic (see [`Chain::with_fault_marker`]).
    fault_marker: Option<Vec<u8>>,
    /// Publish each event's report to the happenings repartition topic.
    reports: bool,
}

impl Chain {
    /// A chain without the extract stage (parse, normalize, dedup).
    pub fn new(cfg: ChainConfig) -> Self {
        Chain {
            cfg,
            extractor: None,
            normalize_only: false,
            fault_marker: None,
            reports: false,
        }
    }

    /// For tests of panic handling: a payload that contains `marker` panics
    /// in [`Chain::front`], as a bug in a stage would. Inputs alone cannot
    /// reach this: the shell sets a marker only in debug builds, from
    /// `NEWSFLOW_TEST_PANIC_MARKER`.
    pub fn with_fault_marker(mut self, marker: &str) -> Self {
        self.fault_marker = Some(marker.as_bytes().to_vec()).filter(|m| !m.is_empty());
        self
    }

    /// Benchmark ladder only (`run --stages normalize`): parse and
    /// normalize, then publish the article record; no dedup, no extract.
    pub fn normalize_only(mut self) -> Self {
        self.normalize_only = true;
        self
    }

    /// Adds the extract stage (actors, countries, events, quotes, casualties,
    /// dates, tone, themes) with its loaded dictionaries.
    pub fn with_extractor(mut self, extractor: std::sync::Arc<extract::Extractor>) -> Self {
        self.extractor = Some(extractor);
        self
    }

    /// Also publish each event's report ([`happenings::Report`]), keyed by
    /// its aggregation key, for the happenings stage behind a topic.
    pub fn with_reports(mut self) -> Self {
        self.reports = true;
        self
    }

    /// Parse and normalize one input payload.
    pub fn prepare(&self, payload: &[u8], t: &mut Timings) -> Result<Article, Rejection> {
        let start = Instant::now();
        let raw = parse::parse(payload, self.cfg.max_message_bytes);
        t.parse = start.elapsed();
        let raw = raw?;
        let start = Instant::now();
        let article = normalize::normalize(raw);
        t.normalize = start.elapsed();
        article
    }

    /// The whole chain for one input message from `source`. `index` is the
    /// dedup memory (shared by the workers of one process); `annotate`
    /// keeps duplicates flowing, marked.
    pub fn process(
        &self,
        payload: &[u8],
        source: Source,
        index: &Mutex<DedupIndex>,
        annotate: bool,
        t: &mut Timings,
    ) -> Outcome {
        match self.front(payload, source, t) {
            Ok(p) => {
                let decision = self.decide(&p, index, t);
                self.finish(&p, &decision, annotate, t)
            }
            Err(r) => route::rejected(r),
        }
    }

    /// The part before the dedup decision: parse, normalize, fingerprint.
    /// Independent of every other article, so it may run in parallel even
    /// where decisions must be taken in a fixed order (replay).
    pub fn front(
        &self,
        payload: &[u8],
        source: Source,
        t: &mut Timings,
    ) -> Result<Prepared, Rejection> {
        if let Some(m) = &self.fault_marker {
            if memchr::memmem::find(payload, m).is_some() {
                panic!("fault injection: the payload holds the test panic marker");
            }
        }
        let article = self.prepare(payload, t)?;
        if self.normalize_only {
            // The ladder prices normalize alone: an empty text's fingerprint
            // costs nothing and is never looked up.
            let fp = Fingerprint::compute(None, "");
            let time = route::article_time(&article, source.broker_ts_ms);
            return Ok(Prepared {
                article,
                fp,
                time,
                source,
            });
        }
        if self.extractor.is_some() {
            let start = Instant::now();
            let priced = budget::check_extract(&article);
            t.extract = start.elapsed();
            priced?;
        }
        let start = Instant::now();
        let fp = Fingerprint::compute(article.canonical_url.as_deref(), &article.body);
        let time = route::article_time(&article, source.broker_ts_ms);
        t.dedup = start.elapsed();
        Ok(Prepared {
            article,
            fp,
            time,
            source,
        })
    }

    /// The dedup decision: the only step whose result depends on the
    /// articles before this one, so the only one that needs an order.
    pub fn decide(&self, p: &Prepared, index: &Mutex<DedupIndex>, t: &mut Timings) -> Decision {
        if self.normalize_only {
            return Decision::Unique;
        }
        let start = Instant::now();
        let mut index = index.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(lane) = p.source.lane {
            index.note_lane(lane, p.time);
        }
        let decision = decide(&mut index, &p.article.id, &p.fp, p.time, p.source.delivery);
        t.dedup += start.elapsed();
        decision
    }

    /// The part after the decision: extract (when the article publishes)
    /// and build the records.
    pub fn finish(
        &self,
        p: &Prepared,
        decision: &Decision,
        annotate: bool,
        t: &mut Timings,
    ) -> Outcome {
        if self.normalize_only {
            return route::normalized(&p.article);
        }
        let extraction = match &self.extractor {
            Some(x) if route::publishes(&p.article, p.source.delivery, decision, annotate) => {
                let start = Instant::now();
                let e = x.extract(&p.article);
                t.extract += start.elapsed();
                Some(e)
            }
            _ => None,
        };
        let mut outcome = route::accepted(
            &p.article,
            &p.fp,
            p.time,
            p.source.delivery,
            decision,
            annotate,
            extraction.as_ref(),
        );
        if self.reports {
            route::add_reports(&mut outcome, p.time);
        }
        match budget::check_records(&outcome.outputs) {
            Ok(()) => outcome,
            Err(r) => route::rejected(r),
        }
    }
}

/// Where an input message came from: what the stages need to know of it
/// besides its bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Source {
    /// The message's broker timestamp (ms): the dedup time of articles
    /// without `published_at`.
    pub broker_ts_ms: Option<i64>,
    /// The input partition: the dedup window follows the slowest lane.
    pub lane: Option<i32>,
    /// Which message it is (tells a re-delivery from a copy).
    pub delivery: Delivery,
}

impl Source {
    /// The message at `offset` of input `partition`.
    pub fn stream(partition: i32, offset: i64, broker_ts_ms: Option<i64>) -> Source {
        Source {
            broker_ts_ms,
            lane: Some(partition),
            delivery: Delivery::at(partition, offset),
        }
    }

    /// Line `line` of an offline input file (no broker, no lanes).
    pub fn line(line: u64) -> Source {
        Source {
            broker_ts_ms: None,
            lane: None,
            delivery: Delivery::at(-1, line as i64),
        }
    }
}

/// A parsed, normalized and fingerprinted article, ready for its decision.
#[derive(Debug)]
pub struct Prepared {
    pub article: Article,
    pub fp: Fingerprint,
    /// Its dedup time (ms since the epoch).
    pub time: i64,
    pub source: Source,
}

/// The dedup decision, and the article remembered at once in this process's
/// index (so its near-copy right behind it in the stream is caught). The
/// cluster-wide changelog record is only written after the outputs are
/// acknowledged (see [`route::Outcome::remember`]).
pub fn decide(
    index: &mut DedupIndex,
    id: &str,
    fp: &Fingerprint,
    time: i64,
    delivery: Delivery,
) -> Decision {
    let decision = index.check(fp, time);
    let story = decision.story_id(id).to_string();
    index.remember_from(id, &story, fp, time, delivery);
    decision
}

#[cfg(test)]
mod tests {
    use super::*;
    use dedup::DedupConfig;

    fn chain() -> Chain {
        Chain::new(ChainConfig {
            max_message_bytes: 1 << 20,
        })
    }

    fn memory() -> Mutex<DedupIndex> {
        Mutex::new(
            DedupIndex::new(DedupConfig {
                capacity: 1000,
                ..DedupConfig::default()
            })
            .unwrap(),
        )
    }

    const DOC: &[u8] = br#"{"id": "a1", "url": "https://wire.example/a?utm_source=x", "published_at": "2026-01-13T10:00:00Z", "title": "Talks", "body": "Ministers met in Geneva on Tuesday to discuss a ceasefire, officials said. The talks will continue on Wednesday with a second round on aid corridors and prisoners."}"#;

    #[test]
    fn the_split_steps_give_what_process_gives() {
        let (a, b) = (memory(), memory());
        let mut t = Timings::default();
        let src = Source::stream(0, 7, Some(0));
        let whole = chain().process(DOC, src, &a, false, &mut t);
        let p = chain().front(DOC, src, &mut t).unwrap();
        let d = chain().decide(&p, &b, &mut t);
        let split = chain().finish(&p, &d, false, &mut t);
        assert_eq!(whole.outputs, split.outputs);
        assert_eq!(whole.remember, split.remember);
        // The same article again is a re-delivery of itself, in both.
        let again = chain().process(DOC, src, &a, false, &mut t);
        assert_eq!(again.outputs, whole.outputs);
    }

    /// An exact copy without an id derives the original's id (from the same
    /// URL); it is a duplicate, reported and not republished, while the
    /// same message read again (also after a restart that restored the
    /// memory from the changelog) is a re-delivery of itself.
    #[test]
    fn an_exact_copy_without_an_id_is_a_duplicate_not_a_redelivery() {
        const NO_ID: &[u8] = br#"{"url": "https://wire.example/b", "published_at": "2026-01-13T10:00:00Z", "body": "Ministers met in Geneva on Tuesday to discuss a ceasefire, officials said. The talks will continue on Wednesday with a second round on aid corridors and prisoners."}"#;
        let targets = |o: &Outcome| o.outputs.iter().map(|r| r.target).collect::<Vec<_>>();
        let mut t = Timings::default();
        let (original, copy) = (
            Source::stream(0, 10, Some(0)),
            Source::stream(1, 3, Some(0)),
        );
        let live = memory();
        let first = chain().process(NO_ID, original, &live, false, &mut t);
        assert_eq!(targets(&first), [route::Target::Articles]);
        let dup = chain().process(NO_ID, copy, &live, false, &mut t);
        assert_eq!(dup.duplicate, Some(dedup::DuplicateKind::ExactUrl));
        assert_eq!(
            targets(&dup),
            [route::Target::Duplicates],
            "reported, not republished"
        );
        let again = chain().process(NO_ID, original, &live, false, &mut t);
        assert_eq!(
            again.outputs, first.outputs,
            "a re-delivery is processed as itself"
        );

        // After a restart: the memory comes back from the changelog record.
        let restored = memory();
        let rec = first.remember.as_ref().unwrap();
        let entry = dedup::changelog::decode(&rec.payload).unwrap();
        restored.lock().unwrap().remember_from(
            std::str::from_utf8(&rec.key).unwrap(),
            &entry.story_id,
            &entry.fingerprint,
            entry.time,
            entry.delivery,
        );
        let again = chain().process(NO_ID, original, &restored, false, &mut t);
        assert_eq!(again.outputs, first.outputs);
        let dup = chain().process(NO_ID, copy, &restored, false, &mut t);
        assert_eq!(targets(&dup), [route::Target::Duplicates]);
    }

    #[test]
    fn the_benchmark_ladder_stops_after_normalize() {
        let index = Mutex::new(
            DedupIndex::new(DedupConfig {
                capacity: 1000,
                ..DedupConfig::default()
            })
            .unwrap(),
        );
        let mut t = Timings::default();
        let out = chain().normalize_only().process(
            DOC,
            Source::stream(0, 0, Some(0)),
            &index,
            false,
            &mut t,
        );
        assert_eq!(out.outputs.len(), 1);
        assert_eq!(out.outputs[0].target, route::Target::Articles);
        assert!(out.remember.is_none() && t.dedup.is_zero());
        assert_eq!(index.lock().unwrap().len(), 0, "nothing remembered");
        let rec: serde_json::Value = serde_json::from_slice(&out.outputs[0].payload).unwrap();
        assert_eq!(rec["canonical_url"], "https://wire.example/a");
    }

    #[test]
    fn a_body_of_fifty_thousand_nested_divs_is_an_article_not_a_crash() {
        // 250 KB, under max_message_bytes. A recursive walk of its tree
        // overflows a worker's stack and aborts the process, before its
        // offset can be committed.
        let body = format!(
            "{}Ministers met in Geneva.{}",
            "<div>".repeat(50_000),
            "</div>".repeat(50_000)
        );
        let payload = serde_json::json!({"id": "deep", "body": body}).to_string();
        let article = chain()
            .prepare(payload.as_bytes(), &mut Timings::default())
            .unwrap();
        assert_eq!(article.body, "Ministers met in Geneva.");
    }
}
