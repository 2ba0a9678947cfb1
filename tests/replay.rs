//! `newsflow replay` against an Apache Kafka process, which answers
//! timestamp lookups (ListOffsets by time) exactly; librdkafka's mock cluster
//! does not implement them, and one test checks that newsflow says so.
//!
//! Every test builds its input with explicit record timestamps, so the time
//! bounds are exact and known: T0 + i minutes.

mod support;

use rdkafka::message::Message;
use std::collections::{BTreeMap, HashSet};
use std::process::Command;
use std::time::Duration;
use support::*;

/// 2026-01-13T10:00:00Z in ms.
const T0: i64 = 1_768_298_400_000;
const MIN: i64 = 60_000;

fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Runs a command to its end: (exit code, last stdout line as JSON or Null, stderr).
fn finish(cmd: Command, secs: u64) -> (i32, serde_json::Value, String) {
    let (code, out, err) = Running::start(cmd).wait(Duration::from_secs(secs));
    let last = out.lines().last().unwrap_or_default();
    (
        code,
        serde_json::from_str(last).unwrap_or(serde_json::Value::Null),
        err,
    )
}

fn replay(b: &TestBroker, args: &[&str]) -> Command {
    let mut c = b.newsflow("live");
    c.arg("replay").args(args);
    c
}

fn create_suffixed(b: &TestBroker, suffix: &str, parts: i32) {
    let out = b
        .newsflow("create")
        .args([
            "create-topics",
            "--partitions",
            &parts.to_string(),
            "--output-suffix",
            suffix,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A record's key and payload.
type KeyValue = (Vec<u8>, Vec<u8>);

/// (partition, key, payload) of every record of a topic, in partition order.
fn contents(b: &TestBroker, topic: &str, at_least: usize) -> BTreeMap<i32, Vec<KeyValue>> {
    let mut by_part: BTreeMap<i32, Vec<(i64, KeyValue)>> = BTreeMap::new();
    for m in b.read_all(topic, at_least, Duration::from_secs(20)) {
        by_part.entry(m.partition()).or_default().push((
            m.offset(),
            (
                m.key().unwrap_or_default().to_vec(),
                m.payload().unwrap_or_default().to_vec(),
            ),
        ));
    }
    by_part
        .into_iter()
        .map(|(p, mut v)| {
            v.sort_by_key(|x| x.0);
            (p, v.into_iter().map(|(_, kv)| kv).collect())
        })
        .collect()
}

fn article_ids(b: &TestBroker, topic: &str, at_least: usize) -> Vec<String> {
    b.read_all(topic, at_least, Duration::from_secs(20))
        .iter()
        .map(|m| json(m)["id"].as_str().unwrap().to_string())
        .collect()
}

fn art(id: &str, body_words: usize) -> Vec<u8> {
    let body = articles(id, 1, body_words * 8).remove(0);
    let mut v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    v["id"] = id.into();
    v.to_string().into_bytes()
}

#[test]
fn exact_boundaries_over_partitions_of_different_densities() {
    let Some(b) = TestBroker::kafka(3) else {
        return;
    };
    create_suffixed(&b, ".backfill", 3);
    // p0: one article a minute for 12 minutes; p1: every third minute; p2:
    // only before the range.
    let p0: Vec<(i64, Vec<u8>)> = (0..12)
        .map(|i| (T0 + i * MIN, art(&format!("p0-{i}"), 60)))
        .collect();
    let p1: Vec<(i64, Vec<u8>)> = (0..4)
        .map(|i| (T0 + 3 * i * MIN, art(&format!("p1-{}", 3 * i), 60)))
        .collect();
    let p2 = vec![(T0 - 5 * MIN, art("p2-early", 60))];
    b.produce_at(INPUT, 0, &p0);
    b.produce_at(INPUT, 1, &p1);
    b.produce_at(INPUT, 2, &p2);
    // The live pipeline has consumed everything and committed.
    let live = run_until_idle(b.newsflow("live"), 2.0);
    assert_eq!(live["articles"], 17, "{live}");
    let live_offsets = b.committed("live", INPUT, 3);
    assert_eq!(live_offsets, vec![12, 4, 1]);

    // [T0+3m, T0+9m): a record exactly at --from is in, one exactly at --to is out.
    let (code, report, err) = finish(
        replay(
            &b,
            &[
                "--from",
                &iso(T0 + 3 * MIN),
                "--to",
                &iso(T0 + 9 * MIN),
                "--output-suffix",
                ".backfill",
            ],
        ),
        120,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["complete"], true, "{report}");
    let mut got = article_ids(&b, &format!("{ARTICLES}.backfill"), 8);
    got.sort();
    let mut want: Vec<String> = (3..9)
        .map(|i| format!("p0-{i}"))
        .chain(["p1-3".into(), "p1-6".into()])
        .collect();
    want.sort();
    assert_eq!(got, want, "{err}");
    assert_eq!(
        (report["consumed"].as_u64(), report["articles"].as_u64()),
        (Some(8), Some(8)),
        "{report}"
    );
    // Records carry the replay's marker; the live topics got nothing new.
    let one = &b.read_all(&format!("{ARTICLES}.backfill"), 1, Duration::from_secs(5))[0];
    assert_eq!(header(one, "newsflow.mode").as_deref(), Some("replay"));
    assert_eq!(b.count(ARTICLES), 17);
    // The live group's offsets are untouched; the replay's group has its own.
    assert_eq!(b.committed("live", INPUT, 3), live_offsets);
    let group = report["group"].as_str().unwrap();
    assert!(group.starts_with("live.replay."), "{group}");
    // The same command again: already complete, nothing republished.
    let (code, again, err) = finish(
        replay(
            &b,
            &[
                "--from",
                &iso(T0 + 3 * MIN),
                "--to",
                &iso(T0 + 9 * MIN),
                "--output-suffix",
                ".backfill",
            ],
        ),
        60,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (again["complete"].as_bool(), again["consumed"].as_u64()),
        (Some(true), Some(0)),
        "{again}"
    );
    assert_eq!(
        b.read_all(&format!("{ARTICLES}.backfill"), 8, Duration::from_secs(10))
            .len(),
        8
    );
}

#[test]
fn clear_errors_for_ranges_that_cannot_be_replayed() {
    let Some(b) = TestBroker::kafka(2) else {
        return;
    };
    b.produce_at(INPUT, 0, &[(T0, art("only", 40))]);
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["--from".into(), iso(T0 + MIN)], "empty range"),
        (
            vec!["--from".into(), iso(T0 + MIN), "--to".into(), iso(T0)],
            "is before --from",
        ),
        (
            vec!["--from".into(), iso(T0), "--to".into(), iso(T0)],
            "empty range",
        ),
        (vec!["--from".into(), "yesterday".into()], "not a time"),
        (
            vec!["--from".into(), iso(T0), "--group".into(), "live".into()],
            "live pipeline's group",
        ),
        (
            vec![
                "--from".into(),
                iso(T0),
                "--output-suffix".into(),
                ".nope".into(),
            ],
            "create-topics --output-suffix .nope",
        ),
        (
            vec!["--from-offsets".into(), format!("{INPUT}:7:0")],
            "has no partition 7",
        ),
        (vec!["--to".into(), iso(T0)], "needs --from"),
    ];
    for (args, want) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, err) = finish(replay(&b, &args), 60);
        assert_ne!(code, 0, "{args:?} must fail");
        assert!(err.contains(want), "{args:?}: expected {want:?} in:\n{err}");
    }
    let mut unknown = replay(&b, &["--from", &iso(T0)]);
    unknown.env("NEWSFLOW_TOPICS__INPUT", "no.such.topic");
    let (code, _, err) = finish(unknown, 60);
    assert_ne!(code, 0);
    assert!(
        err.contains("topics.input") && err.contains("no.such.topic"),
        "{err}"
    );
}

#[test]
fn a_broker_without_timestamp_lookups_is_named_as_the_cause() {
    // librdkafka's mock cluster does not implement ListOffsets by time.
    let b = TestBroker::mock(2);
    b.produce_to(INPUT, 0, &[art("m", 40)]);
    let (code, _, err) = finish(replay(&b, &["--from", &iso(T0)]), 60);
    assert_ne!(code, 0, "{err}");
    assert!(
        err.contains("timestamp lookups") && err.contains("--from-offsets"),
        "{err}"
    );
    // --from-offsets needs no lookup and works there.
    let (code, report, err) = finish(
        replay(&b, &["--from-offsets", &format!("{INPUT}:0:0")]),
        120,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["articles"], 1, "{report}");
}

/// The sample articles (with their near-duplicates and a malformed line)
/// over three partitions, one minute apart.
fn sample_input(b: &TestBroker) -> usize {
    let text = std::fs::read_to_string(repo().join("samples/articles.jsonl")).unwrap();
    let mut lines: Vec<Vec<u8>> = text.lines().map(|l| l.as_bytes().to_vec()).collect();
    lines.insert(
        5,
        b"{\"url\": \"https://x.example/broken\", \"title\": 7}".to_vec(),
    );
    let mut parts: Vec<Vec<(i64, Vec<u8>)>> = vec![Vec::new(); 3];
    for (i, l) in lines.iter().enumerate() {
        parts[i % 3].push((T0 + i as i64 * MIN, l.clone()));
    }
    for (p, msgs) in parts.iter().enumerate() {
        b.produce_at(INPUT, p as i32, msgs);
    }
    lines.len()
}

#[test]
fn a_second_replay_is_byte_identical() {
    let Some(b) = TestBroker::kafka(3) else {
        return;
    };
    let n = sample_input(&b);
    create_suffixed(&b, ".r1", 3);
    create_suffixed(&b, ".r2", 3);
    for sfx in [".r1", ".r2"] {
        let (code, report, err) = finish(
            replay(&b, &["--from", &iso(T0), "--output-suffix", sfx]),
            180,
        );
        assert_eq!(code, 0, "{err}");
        assert_eq!(report["consumed"].as_u64(), Some(n as u64), "{report}");
        assert!(report["duplicates"].as_u64().unwrap() >= 5, "{report}");
        assert_eq!(report["dlq"], 1, "{report}");
    }
    for topic in [ARTICLES, EVENTS, DUPLICATES, DLQ] {
        let a = contents(&b, &format!("{topic}.r1"), 1);
        let c = contents(&b, &format!("{topic}.r2"), 1);
        assert!(!a.is_empty(), "{topic}.r1 is empty");
        assert_eq!(a, c, "{topic}: the second replay differs from the first");
    }
    // Each replay aggregated its own happenings: the same table, byte for
    // byte (the order of upserts may differ, what a reader keeps may not).
    let table = |sfx: &str| -> BTreeMap<Vec<u8>, Vec<u8>> {
        let mut t = BTreeMap::new();
        for m in b.read_all(&format!("{HAPPENINGS}{sfx}"), 1, Duration::from_secs(20)) {
            let k = m.key().unwrap().to_vec();
            match m.payload() {
                Some(v) => t.insert(k, v.to_vec()),
                None => t.remove(&k),
            };
        }
        t
    };
    let (t1, t2) = (table(".r1"), table(".r2"));
    assert!(!t1.is_empty(), "the replay published no happenings");
    assert_eq!(t1, t2, "the happenings of the second replay differ");
}

#[test]
fn resume_after_kill_9_continues_where_it_stopped() {
    // Only the in-flight window is repeated (4 msg/s, 200 ms commits).
    resume_after_kill_9("at-least-once", 4);
}

/// Under exactly-once the records of the interrupted transaction are never
/// visible, and the resumed replay starts after the last committed one.
#[test]
fn resume_after_kill_9_under_exactly_once_repeats_nothing() {
    resume_after_kill_9("exactly-once", 0);
}

/// A replay killed part-way and run again: its output (as `read_committed`
/// readers see it) equals a clean replay's, with at most `max_repeats`
/// records per partition published twice.
fn resume_after_kill_9(delivery: &str, max_repeats: usize) {
    let Some(b) = TestBroker::kafka(3) else {
        return;
    };
    let replay = |b: &TestBroker, args: &[&str]| {
        let mut c = replay(b, args);
        c.env("NEWSFLOW_PIPELINE__DELIVERY", delivery);
        c
    };
    let n = sample_input(&b);
    create_suffixed(&b, ".clean", 3);
    create_suffixed(&b, ".resumed", 3);
    let (code, _, err) = finish(
        replay(&b, &["--from", &iso(T0), "--output-suffix", ".clean"]),
        180,
    );
    assert_eq!(code, 0, "{err}");
    let clean = contents(&b, &format!("{ARTICLES}.clean"), 1);

    // Slowly (4 messages a second), killed part-way.
    let args = [
        "--from",
        &iso(T0),
        "--output-suffix",
        ".resumed",
        "--max-rate",
        "4",
    ];
    let mut first = replay(&b, &args);
    first.env("NEWSFLOW_PIPELINE__COMMIT_INTERVAL_MS", "200");
    let running = Running::start(first);
    running.wait_for_log("metrics on", Duration::from_secs(60));
    let addr = {
        let log = running.stderr.lock().unwrap().clone();
        let at = log.find("addr=").unwrap() + 5;
        log[at..].split_whitespace().next().unwrap().to_string()
    };
    std::thread::sleep(Duration::from_secs(5));
    // Metrics of a replay carry mode="replay".
    let (_, body) = http_get(&addr, "/metrics").unwrap();
    assert!(
        body.contains("newsflow_records_consumed_total{") && body.contains("mode=\"replay\""),
        "{body}"
    );
    running.signal("KILL");
    let (_, _, log) = running.wait(Duration::from_secs(20));
    let before = b.count(&format!("{ARTICLES}.resumed"));
    assert!(
        before > 0 && (before as usize) < n - 10,
        "killed too late or too early: {before} records\n{log}"
    );

    // Articles that arrive after the interruption lie beyond the end the
    // first attempt fixed (kept in the commit metadata): the resumed
    // open-ended replay must stop where the first attempt meant to.
    for p in 0..3 {
        b.produce_at(INPUT, p, &[(T0 + 600 * MIN, art(&format!("late-{p}"), 40))]);
    }

    // The same command continues and completes.
    let (code, report, err) = finish(replay(&b, &args[..4]), 180);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["complete"], true, "{report}");
    assert!(
        (report["consumed"].as_u64().unwrap() as usize) < n,
        "resumed from the start instead of the committed offsets: {report}"
    );
    // What was published before the kill and again after it is the same
    // record, byte for byte; without repeats the output equals a clean run
    // (and so holds none of the late articles).
    let resumed = contents(&b, &format!("{ARTICLES}.resumed"), 1);
    for (p, records) in &resumed {
        let mut seen = HashSet::new();
        let firsts: Vec<_> = records
            .iter()
            .filter(|r| seen.insert(r.0.clone()))
            .cloned()
            .collect();
        assert_eq!(
            Some(&firsts),
            clean.get(p),
            "partition {p} differs from a clean replay"
        );
        let repeats = records.len() - firsts.len();
        assert!(
            repeats <= max_repeats,
            "partition {p}: {repeats} records repeated"
        );
    }
    assert_eq!(resumed.len(), clean.len());
}

#[test]
fn dedup_live_reads_the_live_memory_and_never_writes_it() {
    let Some(b) = TestBroker::kafka(2) else {
        return;
    };
    let text = "Ministers from twelve countries met in Geneva on Tuesday to discuss a ceasefire in the north, \
        while protesters gathered outside the venue and police detained several people, officials said. \
        The talks are expected to continue on Wednesday with a second round of negotiations on aid corridors.";
    let doc = |id: &str, url: &str| {
        serde_json::json!({"id": id, "url": url, "source": "Wire", "published_at": iso(T0), "title": id, "body": text})
            .to_string()
            .into_bytes()
    };
    b.produce_at(
        INPUT,
        0,
        &[(T0, doc("orig", "https://wire.example/geneva"))],
    );
    let live = run_until_idle(b.newsflow("live"), 2.0);
    assert_eq!(live["articles"], 1, "{live}");
    let changelog = b.count(CHANGELOG);
    assert_eq!(changelog, 1);
    // A syndicated copy arrives later; replay only that minute.
    b.produce_at(
        INPUT,
        1,
        &[(
            T0 + 10 * MIN,
            doc("copy", "https://other.example/geneva-talks"),
        )],
    );
    create_suffixed(&b, ".live", 2);
    create_suffixed(&b, ".fresh", 2);
    let from = iso(T0 + 5 * MIN);
    let (code, live_report, err) = finish(
        replay(
            &b,
            &[
                "--from",
                &from,
                "--dedup",
                "live",
                "--output-suffix",
                ".live",
            ],
        ),
        120,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (
            live_report["articles"].as_u64(),
            live_report["duplicates"].as_u64()
        ),
        (Some(0), Some(1)),
        "{live_report}"
    );
    let dup = &b.read_all(&format!("{DUPLICATES}.live"), 1, Duration::from_secs(10))[0];
    assert_eq!(json(dup)["duplicate_of"], "orig");
    let (code, fresh, err) = finish(
        replay(
            &b,
            &[
                "--from",
                &from,
                "--dedup",
                "fresh",
                "--output-suffix",
                ".fresh",
            ],
        ),
        120,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (fresh["articles"].as_u64(), fresh["duplicates"].as_u64()),
        (Some(1), Some(0)),
        "{fresh}"
    );
    assert_eq!(
        b.count(CHANGELOG),
        changelog,
        "a replay wrote to the live dedup changelog"
    );
}
