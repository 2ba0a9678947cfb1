//! Every record writer against its JSON Schema in `schemas/`: the sample
//! articles (`samples/articles.jsonl`, with duplicates, events, unknown
//! fields and non-English text) go through the stage chain, and each article,
//! event and duplicate record it publishes must validate, and so must the
//! happening records its events aggregate into.
//!
//! The validator is tests/support/schema.rs, shared with the golden tests.

use crate::stages::dedup::{DedupConfig, DedupIndex};
use crate::stages::extract::Extractor;
use crate::stages::happenings::{key, Change, Happenings, Report, Rules};
use crate::stages::route::Target;
use crate::stages::{Chain, ChainConfig, Source, Timings};
use schema::Schemas;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

#[path = "../../../tests/support/schema.rs"]
mod schema;

#[test]
fn every_record_follows_its_schema() {
    let schemas = Schemas::load();
    let chain = Chain::new(ChainConfig {
        max_message_bytes: 1 << 20,
    })
    .with_extractor(Arc::new(Extractor::load_default().unwrap()))
    .with_reports();
    let index = Mutex::new(DedupIndex::new(DedupConfig::default()).unwrap());
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/articles.jsonl");
    let mut seen = BTreeSet::new();
    let mut streaming = Happenings::new(Rules::default(), 3);
    let mut offline = Happenings::new(Rules::default(), 3);
    let mut happening_records = Vec::new();
    for (i, line) in std::fs::read_to_string(samples)
        .unwrap()
        .lines()
        .enumerate()
    {
        let source = Source::line(i as u64 + 1);
        let outcome = chain.process(
            line.as_bytes(),
            source,
            &index,
            true,
            &mut Timings::default(),
        );
        assert!(
            outcome.rejection.is_none(),
            "line {}: {:?}",
            i + 1,
            outcome.rejection
        );
        for o in &outcome.outputs {
            let file = match o.target {
                Target::Articles => "article-record.schema.json",
                Target::Events => "event-record.schema.json",
                Target::Duplicates => "duplicate-record.schema.json",
                Target::Dlq | Target::Changelog | Target::Reports => continue,
            };
            schemas.assert_valid(file, &o.payload);
            seen.insert(file);
        }
        // Each event's report, keyed by its aggregation key, follows the
        // event records (none for a hypothetical event).
        let events: Vec<Report> = outcome
            .outputs
            .iter()
            .filter(|o| o.target == Target::Events)
            .filter_map(|o| Report::from_event_record(&o.payload, None).unwrap())
            .collect();
        let reports: Vec<&crate::stages::route::Output> = outcome
            .outputs
            .iter()
            .filter(|o| o.target == Target::Reports)
            .collect();
        assert_eq!(reports.len(), events.len(), "line {}", i + 1);
        for (o, want) in reports.into_iter().zip(events) {
            let r: Report = serde_json::from_slice(&o.payload).unwrap();
            assert_eq!(o.key, key(&r).into_bytes());
            assert_eq!(r.event_id, want.event_id);
            offline.add(r.clone());
            for c in streaming.observe(r).changes {
                if let Change::Upsert { record, .. } = c {
                    happening_records.push(record);
                }
            }
        }
    }
    happening_records.extend(offline.finish());
    for c in streaming.close_expired().changes {
        if let Change::Upsert { record, .. } = c {
            happening_records.push(record);
        }
    }
    assert!(!happening_records.is_empty());
    for r in &happening_records {
        schemas.assert_valid("happening-record.schema.json", r);
        seen.insert("happening-record.schema.json");
    }
    assert_eq!(
        seen.len(),
        4,
        "the samples yield every kind of record: {seen:?}"
    );
}

#[test]
fn the_check_finds_what_breaks_a_schema() {
    let schemas = Schemas::load();
    let bad = br#"{"schema_version": 2, "article_id": "a", "kind": "copy", "extra": 1}"#;
    let v: Value = serde_json::from_slice(bad).unwrap();
    let text = schemas
        .errors("duplicate-record.schema.json", &v)
        .join("\n");
    for want in [
        "is not 1",
        "no field \"duplicate_of\"",
        "\"copy\" not in",
        "field extra not in",
    ] {
        assert!(text.contains(want), "{want:?} not among:\n{text}");
    }
}
