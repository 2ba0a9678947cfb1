//! What one input message becomes: the records to publish, decided from the
//! normalized article and the dedup decision. Pure, so the streaming shell
//! and `newsflow extract` agree on every byte.

use super::dedup::{changelog, Decision, Delivery, DuplicateKind, Fingerprint};
use super::extract::Extraction;
use super::happenings::{self, Report};
use super::record::{self, ArticleRecord};
use crate::model::{Article, Rejection};

/// Which configured topic a record goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Articles,
    Events,
    Duplicates,
    Dlq,
    Changelog,
    /// The happenings repartition topic: each event's report, keyed by its
    /// aggregation key, so one partition owns each key.
    Reports,
}

impl Target {
    /// The `kind` metric label.
    pub fn label(self) -> &'static str {
        match self {
            Target::Articles => "articles",
            Target::Events => "events",
            Target::Duplicates => "duplicates",
            Target::Dlq => "dlq",
            Target::Changelog => "changelog",
            Target::Reports => "reports",
        }
    }
}

/// One record to publish.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub target: Target,
    pub key: Vec<u8>,
    pub payload: Vec<u8>,
}

/// Everything the shell needs to publish for one input message.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Published first, in this order.
    pub outputs: Vec<Output>,
    /// The dedup changelog record, published only after every output is
    /// acknowledged: an article becomes "seen" cluster-wide only once its
    /// records are safely out.
    pub remember: Option<Output>,
    /// Set when the message goes to the dead-letter topic (the shell adds
    /// the source headers and publishes the original bytes).
    pub rejection: Option<Rejection>,
    pub duplicate: Option<DuplicateKind>,
    /// True when a duplicate produced no article record (`on_duplicate = "drop"`).
    pub dropped: bool,
    /// (CAMEO root, quad class) of each published event, for metrics.
    pub event_classes: Vec<(String, u8)>,
}

/// Builds the outputs of an accepted (parsed and normalized) article.
/// `annotate`: duplicates still flow on as article records, marked.
pub fn accepted(
    article: &Article,
    fp: &Fingerprint,
    time: i64,
    delivery: Delivery,
    decision: &Decision,
    annotate: bool,
    extraction: Option<&Extraction>,
) -> Outcome {
    let mut out = Outcome::default();
    let story_id = decision.story_id(&article.id);
    let mut publish_article = true;
    let mut duplicate_of = None;
    // A re-delivered article (after a crash or a rebalance) finds itself in
    // the index: it is processed again as itself, in its remembered story.
    // Another message carrying the same id (an exact copy without an id) is
    // a duplicate like any other.
    let redelivered = decision.is_redelivery(&article.id, delivery);
    if let (
        false,
        Decision::Duplicate {
            of,
            story_id,
            kind,
            similarity,
            ..
        },
    ) = (redelivered, decision)
    {
        out.outputs.push(Output {
            target: Target::Duplicates,
            key: article.id.as_bytes().to_vec(),
            payload: record::duplicate_record(article, of, story_id, *kind, *similarity),
        });
        out.duplicate = Some(*kind);
        publish_article = annotate;
        out.dropped = !annotate;
        duplicate_of = Some(of.as_str());
    }
    if publish_article {
        out.outputs.push(Output {
            target: Target::Articles,
            key: article.id.as_bytes().to_vec(),
            payload: ArticleRecord::new(article, story_id, duplicate_of)
                .with_extraction(extraction)
                .to_json(),
        });
        for ev in extraction.map_or(&[][..], |e| &e.events[..]) {
            out.outputs.push(Output {
                target: Target::Events,
                key: ev.event_id.as_bytes().to_vec(),
                payload: record::event_record(article, story_id, ev),
            });
            out.event_classes
                .push((ev.action.root.clone(), ev.action.quad_class));
        }
    }
    out.remember = Some(Output {
        target: Target::Changelog,
        key: article.id.as_bytes().to_vec(),
        payload: changelog::encode(story_id, time, delivery, fp),
    });
    out
}

/// Adds the repartition record of each published event (see [`report_of`]).
/// `time`: the article's time ([`article_time`]), standing in for a missing
/// publication time (0: none known).
pub fn add_reports(out: &mut Outcome, time: i64) {
    let fallback = Some(time).filter(|t| *t > 0);
    let reports: Vec<Output> = out
        .outputs
        .iter()
        .filter(|o| o.target == Target::Events)
        .filter_map(|o| report_of(&o.payload, fallback))
        .collect();
    out.outputs.extend(reports);
}

/// The repartition record of one event record: its report, keyed by the
/// aggregation key. None for a hypothetical event, which joins no happening.
fn report_of(event_record: &[u8], fallback_time: Option<i64>) -> Option<Output> {
    // The record was written a moment ago by `record::event_record`: a failure to read it
    // back is a bug, and the schema tests catch it.
    let r = Report::from_event_record(event_record, fallback_time).ok()??;
    Some(Output {
        target: Target::Reports,
        key: happenings::key(&r).into_bytes(),
        payload: serde_json::to_vec(&r).expect("a report serializes"),
    })
}

/// Whether an article with this decision is published (so worth extracting).
pub fn publishes(
    article: &Article,
    delivery: Delivery,
    decision: &Decision,
    annotate: bool,
) -> bool {
    annotate
        || !matches!(decision, Decision::Duplicate { .. })
        || decision.is_redelivery(&article.id, delivery)
}

/// Benchmark ladder only: the article record of a normalized article,
/// without dedup or extraction (its own story).
pub fn normalized(article: &Article) -> Outcome {
    Outcome {
        outputs: vec![Output {
            target: Target::Articles,
            key: article.id.as_bytes().to_vec(),
            payload: ArticleRecord::new(article, &article.id, None)
                .with_extraction(None)
                .to_json(),
        }],
        ..Outcome::default()
    }
}

/// The outcome of a message that failed parse or normalize.
pub fn rejected(rejection: Rejection) -> Outcome {
    Outcome {
        rejection: Some(rejection),
        ..Outcome::default()
    }
}

/// How far past its broker timestamp an article's `published_at` may lie.
pub const MAX_FUTURE_SECS: i64 = 86_400;

/// The time dedup windows use: the article's publication time, else the
/// broker timestamp, else 0 (epoch seconds). A publication time more than a
/// day after the broker timestamp is a mistake (time zones, typos) and would
/// drag the window forward, evicting everything: it is clamped.
pub fn article_time(article: &Article, broker_ts_ms: Option<i64>) -> i64 {
    let broker = broker_ts_ms.map(|ms| ms.div_euclid(1000));
    let published = article.published_at.map(|t| t.timestamp());
    match (published, broker) {
        (Some(p), Some(b)) => p.min(b + MAX_FUTURE_SECS),
        (Some(p), None) => p,
        (None, Some(b)) => b,
        (None, None) => 0,
    }
}
