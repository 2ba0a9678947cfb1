//! newsflow as clients nobody here wrote see it, on Apache Kafka, under
//! both delivery modes: Kafka's own console consumer (`read_committed`)
//! reads every record a bounded `newsflow run` published, and `kafka-consumer-groups --describe` shows the group's
//! committed offsets at the end of the input with no lag. Our own readers
//! (tests/support) share librdkafka with newsflow, so they cannot catch a
//! record only librdkafka would accept; the Java tools can.
//!
//! Also a check of the test broker itself: it is configured for
//! transactions (a transactional producer initialises, commits and aborts,
//! and a `read_committed` reader sees only the committed records).

mod support;

use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::ClientConfig;
use std::collections::BTreeSet;
use std::time::Duration;
use support::*;

/// Kafka's console consumer over a whole topic, `read_committed`, stopping
/// after 3 s without a new record; one line per record, `key<TAB>value`.
fn console_consume(b: &TestBroker, topic: &str) -> Vec<String> {
    let out = b.kafka_tool(
        "console-consumer",
        &[
            "--topic",
            topic,
            "--from-beginning",
            "--isolation-level",
            "read_committed",
            "--timeout-ms",
            "3000",
            "--property",
            "print.key=true",
            "--property",
            "key.separator=\t",
            "--group",
            "console-reader",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .expect("console consumer output is UTF-8")
        .lines()
        .map(String::from)
        .collect();
    // It reports how many it read when it stops.
    assert!(
        err.contains(&format!("Processed a total of {} messages", lines.len())),
        "console consumer on {topic}: {err}"
    );
    lines
}

#[test]
fn kafka_console_consumer_and_consumer_groups_see_newsflows_output() {
    console_tools_see_newsflows_output("at-least-once");
}

/// The same under exactly-once: the outputs are in transactions (with their
/// markers in the logs) and the input offsets are committed by them.
#[test]
fn the_same_under_exactly_once() {
    console_tools_see_newsflows_output("exactly-once");
}

fn console_tools_see_newsflows_output(delivery: &str) {
    let Some(b) = TestBroker::kafka(3) else {
        return;
    };
    const N: usize = 30;
    let mut input = articles("tools", N, 800);
    let bad = [
        b"{\"body\":".to_vec(),
        b"[1,2]".to_vec(),
        b"{\"title\":\"no body\"}".to_vec(),
    ];
    input.extend(bad.iter().cloned());
    b.produce(INPUT, &input, 3);
    let mut cmd = b.newsflow("tools");
    cmd.env("NEWSFLOW_PIPELINE__DELIVERY", delivery);
    let s = run_until_idle(cmd, 2.0);
    assert_eq!(
        (
            s["consumed"].as_u64(),
            s["articles"].as_u64(),
            s["dlq"].as_u64()
        ),
        (
            Some(input.len() as u64),
            Some(N as u64),
            Some(bad.len() as u64)
        ),
        "{s}"
    );

    // Articles: every id once, keyed by its id, the value a JSON record.
    let lines = console_consume(&b, ARTICLES);
    let mut ids = BTreeSet::new();
    for line in &lines {
        let (key, value) = line.split_once('\t').expect("key<TAB>value");
        let record: serde_json::Value =
            serde_json::from_str(value).unwrap_or_else(|e| panic!("{e}: {value:.200}"));
        assert_eq!(record["id"].as_str(), Some(key), "keyed by id");
        assert!(ids.insert(key.to_string()), "{key} twice");
    }
    let want: BTreeSet<String> = (0..N).map(|i| format!("tools-{i}")).collect();
    assert_eq!(ids, want);

    // Dead letters: the original bytes, each once.
    let dead: BTreeSet<String> = console_consume(&b, DLQ)
        .iter()
        .map(|l| l.split_once('\t').expect("key<TAB>value").1.to_string())
        .collect();
    let want: BTreeSet<String> = bad
        .iter()
        .map(|p| String::from_utf8(p.clone()).unwrap())
        .collect();
    assert_eq!(dead, want);

    // Events: as many as newsflow reported, each a JSON record.
    let events = console_consume(&b, EVENTS);
    assert_eq!(events.len() as u64, s["events"].as_u64().unwrap(), "{s}");
    for line in &events {
        let value = line.split_once('\t').expect("key<TAB>value").1;
        let record: serde_json::Value = serde_json::from_str(value).unwrap();
        assert!(record["event_id"].is_string(), "{value:.200}");
    }

    // Happenings: keyed by happening id, each a JSON record; the table a
    // reader keeps (the last record per id, tombstones removing) counts
    // every event that is not hypothetical once.
    let mut table = std::collections::BTreeMap::new();
    for line in console_consume(&b, HAPPENINGS) {
        let (key, value) = line.split_once('\t').expect("key<TAB>value");
        if value == "null" {
            table.remove(key);
            continue;
        }
        let record: serde_json::Value = serde_json::from_str(value).unwrap();
        assert_eq!(record["happening_id"].as_str(), Some(key), "{value:.200}");
        table.insert(key.to_string(), record);
    }
    let mentions: u64 = table
        .values()
        .map(|h| h["mentions"].as_u64().unwrap())
        .sum();
    let counted = events
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l.split_once('\t').unwrap().1).unwrap())
        .filter(|e| e["hypothetical"] != true)
        .count();
    assert!(counted > 0);
    assert_eq!(mentions, counted as u64);

    // The group's offsets: committed at the log end of every input
    // partition, lag 0, and together the whole input.
    let out = b.kafka_tool("consumer-groups", &["--describe", "--group", "tools"]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{table}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut parts = BTreeSet::new();
    let mut committed = 0;
    for row in table.lines() {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ...
        if cols.len() < 6 || cols[0] != "tools" || cols[1] != INPUT {
            continue;
        }
        let (current, end, lag): (u64, u64, u64) = (
            cols[3]
                .parse()
                .unwrap_or_else(|_| panic!("no committed offset: {row}")),
            cols[4].parse().unwrap(),
            cols[5].parse().unwrap(),
        );
        assert_eq!((current, lag), (end, 0), "{row}");
        committed += current;
        parts.insert(cols[2].to_string());
    }
    assert_eq!(parts.len(), 3, "every input partition listed:\n{table}");
    assert_eq!(committed, input.len() as u64, "{table}");
}

#[test]
fn the_test_broker_supports_transactions() {
    let Some(b) = TestBroker::kafka(1) else {
        return;
    };
    let p: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", &b.bootstrap)
        .set("transactional.id", "newsflow-test-txn")
        .create()
        .unwrap();
    let t = Duration::from_secs(30);
    p.init_transactions(t).expect("init_transactions");
    let send = |payloads: &[&str]| {
        for v in payloads {
            p.send(BaseRecord::<(), str>::to(EVENTS).payload(*v))
                .expect("enqueue");
        }
    };
    p.begin_transaction().unwrap();
    send(&["kept-1", "kept-2", "kept-3"]);
    p.commit_transaction(t).expect("commit_transaction");
    p.begin_transaction().unwrap();
    send(&["dropped-1", "dropped-2"]);
    p.flush(t).unwrap();
    p.abort_transaction(t).expect("abort_transaction");

    let seen: Vec<String> = console_consume(&b, EVENTS)
        .iter()
        .map(|l| l.split_once('\t').unwrap().1.to_string())
        .collect();
    assert_eq!(seen, ["kept-1", "kept-2", "kept-3"]);
}
