//! End-to-end tests of `newsflow run` against real Kafka-protocol brokers:
//! an Apache Kafka process and librdkafka's mock cluster. Each scenario runs
//! on both.

#[macro_use]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;
use support::*;

on_both_brokers!(4; flow_and_dead_letters, restart_resumes_from_committed_offsets, commits_by_count_of_messages, kill_9_loses_nothing, rebalance_moves_partitions_without_loss);

/// Malformed inputs and the error class each must get.
fn malformed() -> Vec<(Vec<u8>, &'static str)> {
    let deep = format!(
        "{{\"body\":\"b\",\"x\":{}{}}}",
        "[".repeat(300),
        "]".repeat(300)
    );
    let huge = format!("{{\"body\":\"{}\"}}", "a".repeat(30_000));
    vec![
        (b"".to_vec(), "empty_message"),
        (b"   ".to_vec(), "invalid_json"),
        (b"{\"body\":\"caf\xe9\"}".to_vec(), "invalid_utf8"),
        (b"{\"body\":\"truncated".to_vec(), "invalid_json"),
        (b"{\"body\":\"x\"} {}".to_vec(), "invalid_json"),
        (b"[\"an\",\"array\"]".to_vec(), "not_an_object"),
        (b"\"just a string\"".to_vec(), "not_an_object"),
        (b"42".to_vec(), "not_an_object"),
        (b"{\"title\":\"no body\"}".to_vec(), "missing_field"),
        (b"{\"body\":null}".to_vec(), "wrong_type"),
        (b"{\"body\":[\"x\"]}".to_vec(), "wrong_type"),
        (b"{\"body\":\"x\",\"source\":7}".to_vec(), "wrong_type"),
        (b"{\"body\":\"\"}".to_vec(), "empty_body"),
        (
            b"{\"body\":\"<script>alert(1)</script><style>p{}</style>\"}".to_vec(),
            "empty_body",
        ),
        (
            b"{\"body\":\"x\",\"published_at\":\"last Tuesday\"}".to_vec(),
            "invalid_timestamp",
        ),
        (
            b"{\"body\":\"x\",\"url\":\"javascript:alert(1)\"}".to_vec(),
            "invalid_url",
        ),
        (b"{\"body\":\"x\",\"id\":\"   \"}".to_vec(), "invalid_id"),
        (
            b"{\"body\":\"x\",\"language\":\"en glish\"}".to_vec(),
            "invalid_language",
        ),
        (deep.into_bytes(), "invalid_json"),
        (huge.into_bytes(), "too_large"),
    ]
}

fn flow_and_dead_letters(b: TestBroker) {
    let good = articles("flow", 40, 2000);
    let bad = malformed();
    let mut input = good.clone();
    input.extend(bad.iter().map(|(p, _)| p.clone()));
    b.produce(INPUT, &input, 4);

    let mut cmd = b.newsflow("flow");
    cmd.env("NEWSFLOW_PIPELINE__MAX_MESSAGE_BYTES", "20000");
    let s = run_until_idle(cmd, 2.0);
    assert_eq!(s["consumed"], input.len() as u64, "{s}");
    assert_eq!(s["articles"], 40, "{s}");
    assert_eq!(s["dlq"], bad.len() as u64, "{s}");

    let out = b.read_all(ARTICLES, 40, Duration::from_secs(30));
    let ids: BTreeSet<String> = out
        .iter()
        .map(|m| json(m)["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        (0..40)
            .map(|i| format!("flow-{i}"))
            .collect::<BTreeSet<_>>()
    );
    for m in &out {
        let r = json(m);
        assert_eq!(r["schema_version"], 2);
        assert_eq!(
            r["canonical_url"].as_str().unwrap(),
            format!(
                "https://wire.example/flow/{}",
                &r["id"].as_str().unwrap()[5..]
            )
        );
        assert_eq!(
            rdkafka::Message::key(m),
            Some(r["id"].as_str().unwrap().as_bytes()),
            "keyed by article id"
        );
    }

    let dead = b.read_all(DLQ, bad.len(), Duration::from_secs(30));
    assert_eq!(dead.len(), bad.len());
    let want: BTreeMap<Vec<u8>, &str> = bad.iter().map(|(p, c)| (p.clone(), *c)).collect();
    for m in &dead {
        let payload = rdkafka::Message::payload(m).unwrap_or(&[]).to_vec();
        let class = header(m, "newsflow.error.class").expect("class header");
        assert_eq!(
            Some(&class.as_str()),
            want.get(&payload),
            "payload {:?}",
            String::from_utf8_lossy(&payload[..payload.len().min(80)])
        );
        assert!(!header(m, "newsflow.error.message").unwrap().is_empty());
        assert_eq!(header(m, "newsflow.source.topic").as_deref(), Some(INPUT));
        let p: i32 = header(m, "newsflow.source.partition")
            .unwrap()
            .parse()
            .unwrap();
        let o: i64 = header(m, "newsflow.source.offset")
            .unwrap()
            .parse()
            .unwrap();
        assert!((0..4).contains(&p) && o >= 0);
    }
}

fn restart_resumes_from_committed_offsets(b: TestBroker) {
    b.produce(INPUT, &articles("first", 30, 500), 4);
    let s = run_until_idle(b.newsflow("resume"), 2.0);
    assert_eq!(s["consumed"], 30, "{s}");
    b.produce(INPUT, &articles("second", 12, 500), 4);
    let s = run_until_idle(b.newsflow("resume"), 2.0);
    assert_eq!(
        s["consumed"], 12,
        "restart reads only what came after the commit: {s}"
    );
    assert_eq!(s["articles"], 12);
    // A different group is independent and starts from the beginning.
    let s = run_until_idle(b.newsflow("other-group"), 2.0);
    assert_eq!(s["consumed"], 42, "{s}");
}

/// `pipeline.commit_every_messages` commits by count while the time interval is far away.
fn commits_by_count_of_messages(b: TestBroker) {
    const N: i64 = 60;
    let mut cmd = b.newsflow("every-n");
    cmd.env("NEWSFLOW_PIPELINE__COMMIT_INTERVAL_MS", "600000")
        .env("NEWSFLOW_PIPELINE__COMMIT_EVERY_MESSAGES", "5")
        .args(["run", "--exit-when-idle", "60"]);
    let running = Running::start(cmd);
    b.produce(INPUT, &articles("every-n", N as usize, 500), 4);
    // The last commit covers what was complete when it ran: all but the
    // newest few messages are committed long before the 10-minute interval.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let committed = loop {
        let sum: i64 = b
            .committed("every-n", INPUT, 4)
            .iter()
            .map(|&o| o.max(0))
            .sum();
        if sum >= N / 2 || std::time::Instant::now() > deadline {
            break sum;
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    running.signal("TERM");
    let (code, _, err) = running.wait(Duration::from_secs(60));
    assert_eq!(code, 0, "{err}");
    assert!(
        committed >= N / 2,
        "only {committed} of {N} offsets committed by count; log:\n{err}"
    );
}

fn kill_9_loses_nothing(b: TestBroker) {
    const N: usize = 2000;
    const MAX_IN_FLIGHT: usize = 100;
    kill_9_mid_stream(
        &b,
        "crash",
        N,
        &[
            ("NEWSFLOW_PIPELINE__MAX_IN_FLIGHT", "100"),
            ("NEWSFLOW_PIPELINE__COMMIT_INTERVAL_MS", "50"),
        ],
    );
    let seen = outputs_per_input(&b);
    assert_nothing_lost(&seen, N);
    let duplicates: usize = seen.values().map(|c| c - 1).sum();
    // Re-processed after the crash: at most the in-flight window plus what
    // completed since the last commit (50 ms of throughput); 2x the window
    // is a generous bound for that.
    assert!(
        duplicates <= 2 * MAX_IN_FLIGHT,
        "{duplicates} duplicates exceed the in-flight bound"
    );
}

fn rebalance_moves_partitions_without_loss(b: TestBroker) {
    let batch = |name: &str, n: usize| -> (Vec<Vec<u8>>, BTreeSet<String>) {
        (
            articles(name, n, 1000),
            (0..n).map(|i| format!("{name}-{i}")).collect(),
        )
    };
    let wait_for = |want: &BTreeSet<String>, log: &std::sync::Arc<std::sync::Mutex<String>>| {
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        loop {
            let got: BTreeSet<String> = b
                .read_all(ARTICLES, 0, Duration::from_secs(2))
                .iter()
                .map(|m| json(m)["id"].as_str().unwrap().to_string())
                .collect();
            if want.is_subset(&got) {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{} articles missing:\n{}",
                want.difference(&got).count(),
                log.lock().unwrap()
            );
        }
    };
    let (first, mut want) = batch("reb1", 300);
    b.produce(INPUT, &first, 4);
    let start = || {
        let mut c = b.newsflow("reb");
        // (TestBroker::newsflow sets a short session: see there why.)
        c.env("NEWSFLOW_PIPELINE__MAX_IN_FLIGHT", "20").arg("run");
        Running::start(c)
    };
    let a = start();
    a.wait_for_log("partitions assigned", Duration::from_secs(60));
    // B joins: A gives up some partitions, B gets them.
    let bb = start();
    let t0 = std::time::Instant::now();
    bb.wait_for_log("partitions assigned", Duration::from_secs(240));
    eprintln!("B assigned after {:?}", t0.elapsed());
    a.wait_for_log("partitions revoked", Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(500));
    // Spread over every partition, so both instances have work.
    let (second, ids) = batch("reb2", 300);
    b.produce(INPUT, &second, 4);
    want.extend(ids);
    wait_for(&want, &a.stderr);
    // Stop B gracefully; its partitions move back to A.
    bb.signal("TERM");
    let (code, out, log_b) = bb.wait(Duration::from_secs(40));
    assert_eq!(code, 0, "B must exit 0 on SIGTERM:\n{log_b}");
    let b_consumed = serde_json::from_str::<serde_json::Value>(out.lines().last().unwrap())
        .unwrap()["consumed"]
        .as_u64()
        .unwrap();
    assert!(
        b_consumed > 0,
        "B owned partitions and consumed from them:\n{log_b}"
    );
    let (third, ids) = batch("reb3", 200);
    b.produce(INPUT, &third, 4);
    want.extend(ids);
    wait_for(&want, &a.stderr);
    a.signal("TERM");
    let (code, _, log_a) = a.wait(Duration::from_secs(40));
    assert_eq!(code, 0, "{log_a}");
}
