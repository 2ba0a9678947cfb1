//! Happenings in the stream: several outlets reporting one happening give
//! one record with the right counts; the state survives a restart and a
//! SIGKILL mid-stream without losing a mention or counting one twice; on
//! Apache Kafka and the mock cluster.

#[macro_use]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;
use support::*;

on_both_brokers!(2; outlets_reporting_one_happening_give_one_record, a_restart_and_a_kill_lose_no_mention_and_count_none_twice, two_instances_share_the_keys);

/// The mock cluster cannot run exactly-once scenarios (it shows aborted
/// records to read_committed readers and does not fence).
#[test]
fn a_kill_under_exactly_once_counts_no_mention_twice() {
    if let Some(b) = TestBroker::kafka(2) {
        restart_and_kill(&b, &[("NEWSFLOW_PIPELINE__DELIVERY", "exactly-once")]);
    }
}

const COUNTRIES: [&str; 12] = [
    "Russia", "Iran", "France", "Germany", "Japan", "China", "India", "Brazil", "Canada", "Mexico",
    "Egypt", "Turkey",
];
const OUTLETS: [(&str, &str); 3] = [
    ("Wire A", "https://a.example/"),
    ("Daily B", "https://b.example/"),
    ("Herald C", "https://c.example/"),
];

/// Outlet `j`'s article on `source` condemning `target`: three wordings of
/// one happening, with a paragraph of its own so that no two articles are
/// near copies of each other.
fn report(source: &str, target: &str, j: usize) -> Vec<u8> {
    const WORDS: [&str; 24] = [
        "weather",
        "harvest",
        "orchestra",
        "museum",
        "railway",
        "festival",
        "bakery",
        "library",
        "garden",
        "river",
        "stadium",
        "bridge",
        "quiet",
        "crowded",
        "ancient",
        "modern",
        "colourful",
        "famous",
        "small",
        "busy",
        "autumn",
        "winter",
        "market",
        "village",
    ];
    let mut seed = format!("{source}>{target}>{j}")
        .bytes()
        .fold(1_469_598_103_934_665_603usize, |h, b| {
            (h ^ usize::from(b)).wrapping_mul(1_099_511_628_211)
        });
    let own: Vec<&str> = (0..200)
        .map(|_| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            WORDS[(seed >> 33) % WORDS.len()]
        })
        .collect();
    let body = match j {
        0 => format!("{source} condemned {target} on Tuesday over its threats against Ukraine, the foreign ministry said. Officials met later in the week to discuss trade and energy."),
        1 => format!("On Tuesday {source} condemned {target} over threats made against Ukraine. Markets were calm as analysts weighed the news."),
        _ => format!("{source} has condemned {target} for threats it made against Ukraine on Tuesday. The statement was read on state television in the evening."),
    };
    let body = format!("{body} The {}.", own.join(" "));
    let (outlet, url) = OUTLETS[j];
    let id = format!("{}-{}-{j}", source.to_lowercase(), target.to_lowercase());
    serde_json::json!({
        "id": id, "url": format!("{url}{id}"), "source": outlet,
        "published_at": "2026-01-13T10:00:00Z", "title": format!("{source} and {target}"), "body": body,
    })
    .to_string()
    .into_bytes()
}

/// The happenings topic as a compacted topic ends up: the last record of
/// each happening id, tombstoned ones removed.
fn happenings(b: &TestBroker, at_least: usize) -> BTreeMap<String, serde_json::Value> {
    let mut table = BTreeMap::new();
    for m in b.read_all(HAPPENINGS, at_least, Duration::from_secs(60)) {
        use rdkafka::Message;
        let id = String::from_utf8(m.key().unwrap().to_vec()).unwrap();
        match m.payload() {
            Some(_) => table.insert(id, json(&m)),
            None => table.remove(&id),
        };
    }
    table
}

/// The happening record of `key`; fails unless there is exactly one.
fn only<'a>(table: &'a BTreeMap<String, serde_json::Value>, key: &str) -> &'a serde_json::Value {
    let found: Vec<&serde_json::Value> = table.values().filter(|r| r["key"] == key).collect();
    assert_eq!(found.len(), 1, "happenings of {key}: {found:#?}");
    found[0]
}

fn outlets_reporting_one_happening_give_one_record(b: TestBroker) {
    let mut input: Vec<Vec<u8>> = (0..3).map(|j| report("Russia", "Iran", j)).collect();
    input.push(report("France", "Germany", 0));
    b.produce(INPUT, &input, 2);
    let s = run_until_idle(b.newsflow("hap-one"), 2.0);
    assert_eq!(s["articles"].as_u64(), Some(4), "{s}");
    let table = happenings(&b, 2);
    let h = only(&table, "RUS|IRN|11");
    assert_eq!(
        (
            &h["mentions"],
            &h["articles"],
            &h["stories"],
            &h["outlets"],
            &h["independent_outlets"]
        ),
        (
            &serde_json::json!(3),
            &serde_json::json!(3),
            &serde_json::json!(3),
            &serde_json::json!(3),
            &serde_json::json!(3)
        ),
        "{h:#}"
    );
    assert_eq!(h["date"], "2026-01-13");
    assert_eq!(h["closed"], false);
    let ids: BTreeSet<&str> = h["article_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from(["russia-iran-0", "russia-iran-1", "russia-iran-2"])
    );
    let other = only(&table, "FRA|DEU|11");
    assert_eq!(other["mentions"], 1, "{other:#}");
    assert_eq!(table.len(), 2, "{table:#?}");
    // The changelog holds the state: one record per report, keyed by event id.
    let reports = b.read_all(HAPPENINGS_CHANGELOG, 4, Duration::from_secs(30));
    assert_eq!(reports.len(), 4);
}

fn a_restart_and_a_kill_lose_no_mention_and_count_none_twice(b: TestBroker) {
    restart_and_kill(&b, &[]);
}

/// Every ordered pair of [`COUNTRIES`].
fn pairs() -> Vec<(&'static str, &'static str)> {
    COUNTRIES
        .iter()
        .flat_map(|s| COUNTRIES.iter().map(move |t| (*s, *t)))
        .filter(|(s, t)| s != t)
        .collect()
}

/// The country code of a name of [`COUNTRIES`].
fn code(c: &str) -> &'static str {
    match c {
        "Russia" => "RUS",
        "Iran" => "IRN",
        "France" => "FRA",
        "Germany" => "DEU",
        "Japan" => "JPN",
        "China" => "CHN",
        "India" => "IND",
        "Brazil" => "BRA",
        "Canada" => "CAN",
        "Mexico" => "MEX",
        "Egypt" => "EGY",
        _ => "TUR",
    }
}

/// Fails unless the table holds one happening per pair with three mentions
/// from three outlets, and nothing else counted: every distinct event on the
/// events topic is one mention.
fn assert_each_pair_counted_once(b: &TestBroker, pairs: &[(&str, &str)]) {
    let n = pairs.len();
    let table = happenings(b, n);
    for (s, t) in pairs {
        let key = format!("{}|{}|11", code(s), code(t));
        let h = only(&table, &key);
        assert_eq!(
            (&h["mentions"], &h["outlets"]),
            (&serde_json::json!(3), &serde_json::json!(3)),
            "{key}: {h:#}"
        );
    }
    let events: BTreeSet<String> = b
        .read_all(EVENTS, 3 * n, Duration::from_secs(60))
        .iter()
        .map(json)
        .filter(|e| e["hypothetical"] != true)
        .map(|e| e["event_id"].as_str().unwrap().to_string())
        .collect();
    let mentions: u64 = table
        .values()
        .map(|h| h["mentions"].as_u64().unwrap())
        .sum();
    assert_eq!(mentions, events.len() as u64);
}

fn two_instances_share_the_keys(b: TestBroker) {
    let start = || {
        let mut c = b.newsflow("hap-pair");
        c.arg("run");
        Running::start(c)
    };
    let first = start();
    first.wait_for_log("partitions assigned", Duration::from_secs(60));
    let second = start();
    second.wait_for_log("partitions assigned", Duration::from_secs(180));
    std::thread::sleep(Duration::from_secs(2));
    let pairs = pairs();
    let wave = |j: usize| -> Vec<Vec<u8>> { pairs.iter().map(|(s, t)| report(s, t, j)).collect() };
    for j in 0..3 {
        b.produce(INPUT, &wave(j), 2);
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let table = happenings(&b, 0);
        let done = table.len() == pairs.len() && table.values().all(|h| h["mentions"] == 3);
        if done {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{} happenings so far",
            table.len()
        );
        std::thread::sleep(Duration::from_secs(1));
    }
    for r in [&first, &second] {
        r.signal("TERM");
    }
    let logs: Vec<String> = [first, second]
        .into_iter()
        .map(|r| {
            let (code, _, err) = r.wait(Duration::from_secs(60));
            assert_eq!(code, 0, "{err}");
            err
        })
        .collect();
    // Each instance owned keys of its own at some point.
    for log in &logs {
        assert!(log.contains("happenings state restored"), "{log}");
    }
    assert_each_pair_counted_once(&b, &pairs);
}

fn restart_and_kill(b: &TestBroker, env: &[(&str, &str)]) {
    let group = "hap-crash";
    let newsflow = || {
        let mut c = b.newsflow(group);
        for (k, v) in env {
            c.env(k, v);
        }
        c
    };
    // A first run sees one report of each happening, a restarted one (its
    // state restored from the changelog) the second.
    let pairs = pairs();
    let wave = |j: usize| -> Vec<Vec<u8>> { pairs.iter().map(|(s, t)| report(s, t, j)).collect() };
    for j in 0..2 {
        b.produce(INPUT, &wave(j), 2);
        let s = run_until_idle(newsflow(), 2.0);
        assert_eq!(s["duplicates"], 0, "no article is a copy of another: {s}");
    }
    // The third wave is killed mid-stream, then finished by a restart.
    let n = pairs.len();
    b.produce(INPUT, &wave(2), 2);
    let mut cmd = newsflow();
    cmd.arg("run");
    let mut first = Running::start(cmd);
    wait_for_articles(b, 2 * n + n / 4, &first);
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    assert!(
        b.read_all(ARTICLES, 0, Duration::from_secs(3)).len() < 3 * n,
        "the kill must come mid-stream"
    );
    // The killed members never left: the restart waits out their sessions.
    run_until_idle(newsflow(), 2.0);

    assert_each_pair_counted_once(b, &pairs);
}
