//! No input can crash the service or stall a partition. The adversarial
//! corpus (tests/adversarial/corpus.rs, 47 classes: deep nesting of every
//! common element, huge tokens, sentences and URLs, invisible and control
//! characters, broken JSON and UTF-8, …) goes through the stage chain
//! offline, and through `newsflow run` on every broker the harness
//! provides; each case must be published or dead-lettered with the class
//! the corpus names. A stage panic (triggered by the test-only marker of
//! debug builds) is dead-lettered as `internal_error` and the run goes on.

#[macro_use]
mod support;
#[path = "adversarial/corpus.rs"]
mod corpus;

use corpus::{Case, Expect};
use newsflow::stages::dedup::{DedupConfig, DedupIndex};
use newsflow::stages::extract::Extractor;
use newsflow::stages::route::Target;
use newsflow::stages::{Chain, ChainConfig, Source, Timings};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

on_both_brokers!(4; adversarial_corpus_through_run);

/// Payload size of the corpus, offline and through brokers: the size its
/// expectations are stated for (each record also goes out again, as an
/// article or a dead letter).
const LIVE_SIZE: usize = 256 * 1024;
const PANIC_MARKER: &str = "adv-test-panic-7f3c";

/// The article record must follow schemas/article-record.schema.json: every
/// field it has is in the schema, every required one is there, and
/// `html_fallback` is present (true) exactly when the markup was stripped.
fn check_article(case: &Case, rec: &Value, fallback: bool) {
    static SCHEMA: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let schema = SCHEMA.get_or_init(|| {
        let path = repo().join("schemas/article-record.schema.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    });
    let obj = rec.as_object().expect("an object");
    let props = schema["properties"].as_object().unwrap();
    for k in obj.keys() {
        assert!(
            props.contains_key(k),
            "{}: field {k} not in the schema",
            case.name
        );
    }
    for k in schema["required"].as_array().unwrap() {
        assert!(
            obj.contains_key(k.as_str().unwrap()),
            "{}: no {k}",
            case.name
        );
    }
    assert_eq!(
        rec.get("html_fallback"),
        fallback.then_some(&Value::Bool(true)),
        "{}: html_fallback",
        case.name
    );
    assert_eq!(rec["id"], format!("adv-{}", case.name), "{}", case.name);
    assert!(!rec["body"].as_str().unwrap().is_empty(), "{}", case.name);
}

#[test]
fn every_class_through_the_stage_chain() {
    let x = Extractor::load_default().expect("data/ loads");
    let chain = Chain::new(ChainConfig {
        max_message_bytes: 1 << 20,
    })
    .with_extractor(Arc::new(x));
    let index = Mutex::new(
        DedupIndex::new(DedupConfig {
            capacity: 1000,
            ..DedupConfig::default()
        })
        .unwrap(),
    );
    let cases = corpus::corpus(LIVE_SIZE);
    assert!(cases.len() >= 30, "{} classes", cases.len());
    for case in &cases {
        let mut t = Timings::default();
        let out = chain.process(
            &case.payload,
            Source::stream(0, 0, Some(0)),
            &index,
            true,
            &mut t,
        );
        match case.expect {
            Expect::Dlq(class) => {
                let r = out
                    .rejection
                    .as_ref()
                    .unwrap_or_else(|| panic!("{}: no rejection", case.name));
                assert_eq!(r.class.as_str(), class, "{}: {}", case.name, r.message);
            }
            Expect::Article { fallback } => {
                assert!(
                    out.rejection.is_none(),
                    "{}: {:?}",
                    case.name,
                    out.rejection
                );
                let rec = out
                    .outputs
                    .iter()
                    .find(|o| o.target == Target::Articles)
                    .unwrap_or_else(|| panic!("{}: no article record", case.name));
                check_article(
                    case,
                    &serde_json::from_slice(&rec.payload).unwrap(),
                    fallback,
                );
            }
        }
    }
}

#[test]
fn the_corpus_fits_the_message_limit_it_is_built_for() {
    for size in [64 * 1024, LIVE_SIZE, 1 << 20] {
        for case in corpus::corpus(size) {
            assert!(
                case.payload.len() <= size,
                "{} is {} bytes",
                case.name,
                case.payload.len()
            );
        }
    }
}

fn adversarial_corpus_through_run(b: TestBroker) {
    let cases = corpus::corpus(LIVE_SIZE);
    let panicking =
        format!(r#"{{"id":"adv-panic","body":"Talks resumed. {PANIC_MARKER}"}}"#).into_bytes();
    let mut input: Vec<Vec<u8>> = cases.iter().map(|c| c.payload.clone()).collect();
    input.push(panicking.clone());
    // Ordinary articles after the poison: every partition must move on.
    input.extend(articles("after", 8, 1500));
    b.produce(INPUT, &input, 4);

    let mut cmd = b.newsflow("adversarial");
    cmd.env("NEWSFLOW_TEST_PANIC_MARKER", PANIC_MARKER)
        // Copies still publish their article record, so each case has one.
        .env("NEWSFLOW_DEDUP__ON_DUPLICATE", "annotate");
    cmd.args(["run", "--exit-when-idle", "3"]);
    // No stall: everything is processed and the run exits by itself.
    let (code, out, log) = Running::start(cmd).wait(Duration::from_secs(300));
    assert_eq!(code, 0, "newsflow run must not crash; log:\n{log}");
    let s: Value = serde_json::from_str(out.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("no summary ({e}); log:\n{log}"));
    assert_eq!(
        s["consumed"],
        input.len() as u64,
        "every message consumed: {s}"
    );
    assert!(
        log.contains("stage panicked"),
        "the panic is logged:\n{log}"
    );

    let want_dlq = cases
        .iter()
        .filter(|c| matches!(c.expect, Expect::Dlq(_)))
        .count()
        + 1;
    let want_articles = input.len() - want_dlq;
    assert_eq!(s["dlq"], want_dlq as u64, "{s}");
    assert_eq!(s["articles"], want_articles as u64, "{s}");

    let arts: BTreeMap<String, Value> = b
        .read_all(ARTICLES, want_articles, Duration::from_secs(60))
        .iter()
        .map(|m| {
            let r = json(m);
            (r["id"].as_str().unwrap().to_string(), r)
        })
        .collect();
    let dead: BTreeMap<Vec<u8>, (String, String)> = b
        .read_all(DLQ, want_dlq, Duration::from_secs(60))
        .iter()
        .map(|m| {
            let payload = rdkafka::Message::payload(m).unwrap_or(&[]).to_vec();
            let class = header(m, "newsflow.error.class").expect("class header");
            let why = header(m, "newsflow.error.message").expect("message header");
            (payload, (class, why))
        })
        .collect();
    for case in &cases {
        match case.expect {
            Expect::Dlq(class) => {
                let (got, why) = dead
                    .get(&case.payload)
                    .unwrap_or_else(|| panic!("{}: not dead-lettered", case.name));
                assert_eq!(got, class, "{}: {why}", case.name);
                assert!(!why.is_empty());
            }
            Expect::Article { fallback } => {
                let rec = arts
                    .get(&format!("adv-{}", case.name))
                    .unwrap_or_else(|| panic!("{}: no article record", case.name));
                check_article(case, rec, fallback);
            }
        }
    }
    let (class, why) = dead
        .get(&panicking)
        .expect("the panicking message is dead-lettered");
    assert_eq!(class, "internal_error");
    assert!(why.contains("fault injection"), "{why}");
    for i in 0..8 {
        assert!(
            arts.contains_key(&format!("after-{i}")),
            "after-{i} published"
        );
    }
}
