//! Deduplication in the stream: restart-safe (the changelog restores the
//! memory) and cluster-wide (instances share it), on Apache Kafka and the
//! mock cluster.

#[macro_use]
mod support;

use std::time::Duration;
use support::*;

on_both_brokers!(2; a_restart_remembers_what_it_saw, two_instances_catch_a_cross_partition_duplicate, duplicates_in_one_run);

const BODY: &str = "Iran's foreign ministry summoned the Swiss ambassador on Tuesday after Washington announced new sanctions on oil exports. \
Officials in Tehran said the measures violated international law and warned of a response. \
The ministry spokesman told reporters that talks with European partners would continue despite the pressure. \
Oil prices rose in early trading as analysts weighed the risk of further disruption to shipping in the Gulf. \
Diplomats in Geneva said a new round of negotiations could begin next month if both sides agreed on an agenda.";

fn article(id: &str, url: &str, body: &str) -> Vec<u8> {
    serde_json::json!({"id": id, "url": url, "source": "Wire", "published_at": "2026-01-13T10:00:00Z", "title": id, "body": body})
        .to_string()
        .into_bytes()
}

fn a_restart_remembers_what_it_saw(b: TestBroker) {
    b.produce_to(
        INPUT,
        0,
        &[article(
            "orig",
            "https://www.wire.example/iran-sanctions?utm_source=x",
            BODY,
        )],
    );
    let s = run_until_idle(b.newsflow("dd-restart"), 2.0);
    assert_eq!(
        (s["articles"].as_u64(), s["duplicates"].as_u64()),
        (Some(1), Some(0)),
        "{s}"
    );
    // After the restart: the same story under a tracking-free URL variant,
    // and a re-punctuated copy elsewhere.
    let repunct = BODY.replace(". ", "; ").replace("Tuesday", "Tuesday,");
    b.produce_to(
        INPUT,
        1,
        &[
            article(
                "copy-url",
                "https://m.wire.example/iran-sanctions/",
                "Different words entirely, a corrected version of the story.",
            ),
            article("copy-text", "https://other.example/x", &repunct),
        ],
    );
    let s = run_until_idle(b.newsflow("dd-restart"), 2.0);
    assert_eq!(
        (s["articles"].as_u64(), s["duplicates"].as_u64()),
        (Some(0), Some(2)),
        "the restarted instance remembers: {s}"
    );
    let dups = b.read_all(DUPLICATES, 2, Duration::from_secs(20));
    let mut kinds: Vec<(String, String, String)> = dups
        .iter()
        .map(|m| {
            let r = json(m);
            (
                r["article_id"].as_str().unwrap().into(),
                r["duplicate_of"].as_str().unwrap().into(),
                r["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        vec![
            ("copy-text".into(), "orig".into(), "exact_text".into()),
            ("copy-url".into(), "orig".into(), "exact_url".into()),
        ]
    );
    for m in &dups {
        assert_eq!(json(m)["story_id"], "orig");
    }
}

fn two_instances_catch_a_cross_partition_duplicate(b: TestBroker) {
    let start = || {
        let mut c = b.newsflow("dd-pair");
        c.arg("run");
        Running::start(c)
    };
    let first = start();
    first.wait_for_log("partitions assigned", Duration::from_secs(60));
    let second = start();
    second.wait_for_log("partitions assigned", Duration::from_secs(180));
    first.wait_for_log("partitions revoked", Duration::from_secs(60));
    std::thread::sleep(Duration::from_secs(2));
    // Each instance now owns one of the two partitions.
    b.produce_to(
        INPUT,
        0,
        &[article("p0-orig", "https://wire.example/a", BODY)],
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while b.read_all(ARTICLES, 1, Duration::from_secs(2)).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the original was never published"
        );
    }
    std::thread::sleep(Duration::from_millis(500));
    let near = format!("{BODY} A final sentence was added by the second outlet to its version.");
    b.produce_to(
        INPUT,
        1,
        &[article("p1-copy", "https://elsewhere.example/b", &near)],
    );
    let dups = b.read_all(DUPLICATES, 1, Duration::from_secs(60));
    assert_eq!(
        dups.len(),
        1,
        "the duplicate on the other partition was caught"
    );
    let r = json(&dups[0]);
    assert_eq!(
        (
            r["article_id"].as_str(),
            r["duplicate_of"].as_str(),
            r["kind"].as_str()
        ),
        (Some("p1-copy"), Some("p0-orig"), Some("near"))
    );
    assert!(r["similarity"].as_f64().unwrap() >= 0.8);
    first.signal("TERM");
    second.signal("TERM");
    let (c1, o1, _) = first.wait(Duration::from_secs(40));
    let (c2, o2, _) = second.wait(Duration::from_secs(40));
    assert_eq!((c1, c2), (0, 0));
    let consumed = |o: &str| {
        serde_json::from_str::<serde_json::Value>(o.lines().last().unwrap()).unwrap()["consumed"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(
        (consumed(&o1).min(1), consumed(&o2).min(1)),
        (1, 1),
        "each instance processed one of them"
    );
}

fn duplicates_in_one_run(b: TestBroker) {
    // Back to back on one partition: the copy is checked before the
    // original's outputs are even acknowledged.
    b.produce_to(
        INPUT,
        0,
        &[
            article("one", "https://wire.example/one", BODY),
            article("two", "https://wire.example/two", BODY),
        ],
    );
    let distinct = "Floods displaced thousands of families in the north of the country after days of heavy rain, officials said on Monday. \
        Rescue teams used boats to reach villages cut off by the water, and the army set up shelters in schools. \
        The meteorological office warned that more rain was expected later in the week across the region.";
    b.produce_to(
        INPUT,
        1,
        &[article("three", "https://wire.example/three", distinct)],
    );
    let mut cmd = b.newsflow("dd-one");
    cmd.env("NEWSFLOW_DEDUP__ON_DUPLICATE", "annotate");
    let s = run_until_idle(cmd, 2.0);
    assert_eq!(
        (s["articles"].as_u64(), s["duplicates"].as_u64()),
        (Some(3), Some(1)),
        "annotate keeps the copy flowing: {s}"
    );
    let arts = b.read_all(ARTICLES, 3, Duration::from_secs(20));
    let two = arts.iter().map(json).find(|r| r["id"] == "two").unwrap();
    assert_eq!(
        (two["duplicate_of"].as_str(), two["story_id"].as_str()),
        (Some("one"), Some("one"))
    );
    let three = arts.iter().map(json).find(|r| r["id"] == "three").unwrap();
    assert_eq!(three["story_id"], "three");
    assert!(three.get("duplicate_of").is_none());
}
