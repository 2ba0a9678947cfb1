//! docker-compose.yml: Kafka in KRaft mode, a service that creates every topic (the dedup
//! changelog compacted) before newsflow starts, and a newsflow service that runs `run` against
//! that Kafka, publishes the metrics port, and sets only real config keys in its environment.

use super::common::*;

#[test]
fn compose_file_agrees_with_the_service() {
    let c = yaml("docker-compose.yml");
    let svc = &c["services"];
    let kafka = &svc["kafka"];
    assert!(
        s(&kafka["image"]).starts_with("apache/kafka"),
        "Apache Kafka image"
    );
    assert!(
        s(&kafka["environment"]["KAFKA_PROCESS_ROLES"]).contains("controller"),
        "KRaft mode"
    );
    let (init_name, init) = svc
        .as_mapping()
        .unwrap()
        .iter()
        .find(|(_, v)| {
            serde_yaml::to_string(&v["command"])
                .unwrap()
                .contains("kafka-topics.sh")
        })
        .expect("a topic creation service");
    let script = serde_yaml::to_string(&init["command"]).unwrap();
    for t in TOPICS {
        assert!(
            script.contains(&format!("--topic {t} ")),
            "topic {t} is not created"
        );
    }
    for compacted in [
        "newsflow.dedup.changelog",
        "news.happenings",
        "newsflow.happenings.changelog",
    ] {
        let line = script
            .lines()
            .find(|l| l.contains(&format!("--topic {compacted} ")))
            .unwrap();
        assert!(
            line.contains("cleanup.policy=compact"),
            "{compacted} must be compacted"
        );
    }

    let nf = &svc["newsflow"];
    assert_eq!(
        nf["depends_on"][init_name]["condition"],
        "service_completed_successfully"
    );
    let env: BTreeMap<String, String> = serde_yaml::from_value(nf["environment"].clone()).unwrap();
    check_env(&env, "compose newsflow");
    assert!(
        env["NEWSFLOW_KAFKA__BROKERS"].starts_with("kafka:"),
        "brokers point at the kafka service"
    );
    let cmd: Vec<String> = serde_yaml::from_value(nf["command"].clone()).unwrap();
    assert_eq!(cmd[0], "run");
    assert!(nf["ports"]
        .as_sequence()
        .unwrap()
        .iter()
        .any(|p| s(p).ends_with(&format!(":{METRICS_PORT}"))));
    let grace = s(&nf["stop_grace_period"])
        .trim_end_matches('s')
        .parse::<u64>()
        .unwrap();
    assert!(grace > SHUTDOWN_DEADLINE_SECS, "stop_grace_period {grace}s");
    for (name, v) in svc.as_mapping().unwrap() {
        let runs_newsflow = v["image"]
            .as_str()
            .is_some_and(|i| i.starts_with("newsflow"));
        if let (true, Some(cmd)) = (runs_newsflow, v["command"].as_sequence()) {
            assert!(
                SUBCOMMANDS.contains(&s(&cmd[0])),
                "{name:?}: unknown subcommand {:?}",
                cmd[0]
            );
        }
    }

    let mounts = |name: &str| -> Vec<String> {
        svc[name]["volumes"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|v| s(v).to_string())
            .collect()
    };
    assert!(mounts("prometheus")
        .iter()
        .any(|m| m.starts_with("./deploy/prometheus:/etc/prometheus")));
    let grafana = mounts("grafana");
    assert!(grafana
        .iter()
        .any(|m| m.starts_with("./deploy/grafana/provisioning:/etc/grafana/provisioning")));
    let provider = yaml("deploy/grafana/provisioning/dashboards/newsflow.yml");
    let path = s(&provider["providers"][0]["options"]["path"]);
    assert!(
        grafana
            .iter()
            .any(|m| m.starts_with(&format!("./deploy/grafana/dashboards:{path}"))),
        "grafana must mount the dashboards at the provider path {path}"
    );
}
