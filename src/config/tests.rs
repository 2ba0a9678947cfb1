//! Loading, merging, overriding, validating and showing the configuration.

use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn embedded_default_is_valid() {
    let c = Config::from_sources(None, &[]).unwrap();
    assert!(c.is_embedded());
    assert_eq!(c.topics.input, "news.articles.raw");
    assert_eq!(c.topics.dlq, "news.articles.raw.dlq");
    assert_eq!(c.shutdown.deadline_secs, 30);
}

#[test]
fn environment_overrides_keys_and_rdkafka_properties() {
    let c = Config::from_sources(
        None,
        &env(&[
            ("NEWSFLOW_KAFKA__BROKERS", "k1:9092,k2:9092"),
            ("NEWSFLOW_PIPELINE__MAX_IN_FLIGHT", "17"),
            ("NEWSFLOW_KAFKA__PRODUCER__LINGER_MS", "7"),
            ("OTHER_VAR", "x"),
            ("NEWSFLOW_DATA_DIR", "/opt/data"),
        ]),
    )
    .unwrap();
    assert_eq!(c.kafka.brokers, "k1:9092,k2:9092");
    assert_eq!(c.pipeline.max_in_flight, 17);
    assert_eq!(scalar_string(&c.kafka.producer["linger.ms"]), "7");
}

#[test]
fn errors_name_the_key_and_the_fix() {
    let e = Config::from_sources(None, &env(&[("NEWSFLOW_PIPELINE__MAX_IN_FLIGHT", "lots")]))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("NEWSFLOW_PIPELINE__MAX_IN_FLIGHT") && e.contains("integer"),
        "{e}"
    );
    let e = Config::from_sources(Some(("f.toml", "[pipeline]\nmax_inflight = 3\n")), &[])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("pipeline.max_inflight") && e.contains("pipeline.max_in_flight"),
        "{e}"
    );
    let e = Config::from_sources(Some(("f.toml", "[dedup]\nnear_threshold = 1.5\n")), &[])
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("dedup.near_threshold"), "{e}");
    let e = Config::from_sources(Some(("f.toml", "[dedup]\non_duplicate = \"keep\"\n")), &[])
        .unwrap_err()
        .to_string();
    assert!(e.contains("on_duplicate") || e.contains("drop"), "{e}");
    let e = Config::from_sources(Some(("f.toml", "[kafka\n")), &[])
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("f.toml"), "{e}");
}

#[test]
fn an_override_into_a_table_the_file_replaced_is_an_error_not_a_panic() {
    for file in ["[kafka]\nconsumer = \"x\"\n", "kafka = 5\n"] {
        let r = Config::from_sources(
            Some(("f.toml", file)),
            &env(&[("NEWSFLOW_KAFKA__CONSUMER__SASL_PASSWORD", "x")]),
        );
        assert!(r.is_err(), "{file:?} loaded");
    }
}

#[test]
fn delivery_mode_its_interval_and_the_transactional_id() {
    let c = Config::from_sources(None, &env(&[("HOSTNAME", "pod-3")])).unwrap();
    assert_eq!(c.pipeline.delivery, Delivery::AtLeastOnce);
    assert_eq!(c.pipeline.commit_interval().as_millis(), 1000);
    assert_eq!(c.pipeline.transactional_id, None);
    let eos = env(&[
        ("NEWSFLOW_PIPELINE__DELIVERY", "exactly-once"),
        ("HOSTNAME", "pod-3"),
    ]);
    let c = Config::from_sources(None, &eos).unwrap();
    assert_eq!(c.pipeline.delivery, Delivery::ExactlyOnce);
    assert_eq!(c.pipeline.commit_interval().as_millis(), 100);
    assert_eq!(
        c.pipeline.transactional_id.as_deref(),
        Some("newsflow-pod-3")
    );
    let shown = c.to_redacted_toml();
    assert!(shown.contains("delivery = \"exactly-once\"\ncommit_interval_ms = 100\ntransactional_id = \"newsflow-pod-3\""), "{shown}");
    let file = "[pipeline]\ndelivery = \"exactly-once\"\ncommit_interval_ms = 250\ntransactional_id = \"a\"\n";
    let c = Config::from_sources(Some(("f.toml", file)), &[]).unwrap();
    assert_eq!(c.pipeline.commit_interval().as_millis(), 250);
    assert_eq!(c.pipeline.transactional_id.as_deref(), Some("a"));
    let mut with_id = eos.clone();
    with_id.push(("NEWSFLOW_PIPELINE__TRANSACTIONAL_ID".into(), "b".into()));
    with_id.push(("NEWSFLOW_PIPELINE__COMMIT_INTERVAL_MS".into(), "40".into()));
    let c = Config::from_sources(None, &with_id).unwrap();
    assert_eq!(c.pipeline.transactional_id.as_deref(), Some("b"));
    assert_eq!(c.pipeline.commit_interval().as_millis(), 40);
    let e = Config::from_sources(None, &eos[..1])
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("pipeline.transactional_id"), "{e}");
    let e = Config::from_sources(None, &env(&[("NEWSFLOW_PIPELINE__DELIVERY", "twice")]))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("pipeline.delivery") && e.contains("exactly-once"),
        "{e}"
    );
}

#[test]
fn commits_can_also_be_triggered_by_a_count_of_messages() {
    let c = Config::from_sources(None, &[]).unwrap();
    assert_eq!(c.pipeline.commit_every_messages, None);
    assert!(!c.to_redacted_toml().contains("commit_every_messages"));
    let c = Config::from_sources(
        None,
        &env(&[("NEWSFLOW_PIPELINE__COMMIT_EVERY_MESSAGES", "500")]),
    )
    .unwrap();
    assert_eq!(c.pipeline.commit_every_messages, Some(500));
    assert!(
        c.to_redacted_toml().contains("commit_every_messages = 500"),
        "{}",
        c.to_redacted_toml()
    );
    let e = Config::from_sources(
        Some(("f.toml", "[pipeline]\ncommit_every_messages = 0\n")),
        &[],
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("pipeline.commit_every_messages"), "{e}");
}

#[test]
fn secrets_never_shown() {
    let c = Config::from_sources(
        Some((
            "f.toml",
            "[kafka.consumer]\n\"sasl.password\" = \"hunter2\"\n\"sasl.username\" = \"svc\"\n",
        )),
        &[],
    )
    .unwrap();
    let shown = c.to_redacted_toml();
    assert!(!shown.contains("hunter2") && shown.contains("svc") && shown.contains("***"));
    assert!(!format!("{c:?}").contains("hunter2"));
}
