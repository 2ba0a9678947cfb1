//! The metric catalogue, the Grafana dashboard, the alert rules and the
//! Prometheus scrape config.

use super::common::*;

fn dashboard_exprs() -> Vec<(String, String)> {
    let d: Json = serde_json::from_str(&read("deploy/grafana/dashboards/newsflow.json")).unwrap();
    all_panels(&d)
        .iter()
        .flat_map(|p| {
            let title = p["title"].as_str().unwrap_or("").to_string();
            p["targets"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(move |t| t["expr"].as_str().map(|e| (title.clone(), e.to_string())))
        })
        .collect()
}

fn all_panels(d: &Json) -> Vec<Json> {
    let mut out = Vec::new();
    for p in d["panels"].as_array().expect("dashboard has panels") {
        out.push(p.clone());
        out.extend(p["panels"].as_array().cloned().unwrap_or_default());
    }
    out
}

fn alert_rules() -> Vec<Yaml> {
    let doc = yaml("deploy/prometheus/alerts.yml");
    doc["groups"]
        .as_sequence()
        .unwrap()
        .iter()
        .flat_map(|g| g["rules"].as_sequence().unwrap().clone())
        .collect()
}

fn provisioned_datasource_uid() -> String {
    let ds = yaml("deploy/grafana/provisioning/datasources/prometheus.yml");
    let first = &ds["datasources"][0];
    assert_eq!(s(&first["type"]), "prometheus");
    s(&first["uid"]).to_string()
}

#[test]
fn names_rs_parses_into_a_typed_catalogue() {
    let cat = catalogue();
    assert!(
        cat.len() >= 20,
        "only {} metrics parsed from names.rs",
        cat.len()
    );
    assert_eq!(cat["newsflow_records_consumed_total"], "Counter");
    assert_eq!(cat["newsflow_end_to_end_latency_seconds"], "Histogram");
    assert_eq!(cat["newsflow_in_flight_records"], "Gauge");
    for (name, kind) in &cat {
        assert!(
            ["Counter", "Gauge", "Histogram"].contains(&kind.as_str()),
            "{name}: type {kind}"
        );
        assert_eq!(
            kind == "Counter",
            name.ends_with("_total"),
            "{name}: _total iff counter"
        );
    }
}

#[test]
fn promql_scanner_finds_only_metric_names() {
    let e = r#"histogram_quantile(0.99, sum by (le, stage) (rate(newsflow_stage_duration_seconds_bucket{stage="a}b"}[5m]))) > 1e-3 and on (job) up offset 5m"#;
    assert_eq!(
        promql_metrics(e),
        ["newsflow_stage_duration_seconds_bucket", "up"]
    );
    let e = "rate(process_cpu_seconds_total[1m]) * on (job, instance) group_left (version) newsflow_build_info";
    assert_eq!(
        promql_metrics(e),
        ["process_cpu_seconds_total", "newsflow_build_info"]
    );
    let e = r#"label_replace(newsflow_events_total, "q", "x\"y$1", "quad_class", "(.*)")"#;
    assert_eq!(promql_metrics(e), ["newsflow_events_total"]);
    assert!(!has_grafana_variable(e));
    assert!(
        has_grafana_variable("rate(x[$__rate_interval])")
            && has_grafana_variable("x{job=\"$job\"}")
    );
}

#[test]
fn dashboard_structure_is_sound() {
    let d: Json = serde_json::from_str(&read("deploy/grafana/dashboards/newsflow.json")).unwrap();
    assert_eq!(d["uid"], "newsflow");
    let uid = provisioned_datasource_uid();
    let panels = all_panels(&d);
    let mut ids = BTreeSet::new();
    for p in &panels {
        let id = p["id"].as_u64().expect("panel id");
        assert!(ids.insert(id), "duplicate panel id {id}");
        let g = &p["gridPos"];
        assert!(
            g["x"].as_u64().unwrap() + g["w"].as_u64().unwrap() <= 24,
            "panel {id} overflows the grid"
        );
        if p["type"] == "row" {
            continue;
        }
        assert_eq!(
            p["datasource"]["uid"],
            uid.as_str(),
            "panel {id}: datasource uid"
        );
        let targets = p["targets"]
            .as_array()
            .unwrap_or_else(|| panic!("panel {id} has no targets"));
        assert!(!targets.is_empty(), "panel {id} has no query");
        for t in targets {
            let expr = t["expr"]
                .as_str()
                .unwrap_or_else(|| panic!("panel {id}: target without expr"));
            assert!(!expr.trim().is_empty(), "panel {id}: empty expr");
            assert!(
                t["datasource"].is_null() || t["datasource"]["uid"] == uid.as_str(),
                "panel {id}: target datasource"
            );
        }
    }
    let rows: Vec<String> = panels
        .iter()
        .filter(|p| p["type"] == "row")
        .map(|p| p["title"].as_str().unwrap().to_lowercase())
        .collect();
    for want in [
        "throughput",
        "lag",
        "dlq",
        "latency",
        "dedup",
        "events",
        "rebalances",
        "cpu",
    ] {
        assert!(
            rows.iter().any(|r| r.contains(want)),
            "no dashboard row about {want}: {rows:?}"
        );
    }
}

#[test]
fn every_dashboard_and_alert_expr_uses_existing_metrics() {
    let known = known_series();
    let alerts = alert_rules()
        .iter()
        .map(|r| (s(&r["alert"]).to_string(), s(&r["expr"]).to_string()))
        .collect::<Vec<_>>();
    let mut used = BTreeSet::new();
    for (from, (title, expr)) in dashboard_exprs()
        .into_iter()
        .map(|x| ("dashboard", x))
        .chain(alerts.into_iter().map(|x| ("alert", x)))
    {
        assert!(
            !has_grafana_variable(&expr),
            "{from} {title}: expr must be plain PromQL without variables: {expr}"
        );
        let metrics = promql_metrics(&expr);
        assert!(!metrics.is_empty(), "{from} {title}: no metric in {expr}");
        for m in metrics {
            let builtin = from == "alert" && m == "up";
            assert!(
                builtin || known.contains(&m),
                "{from} {title}: unknown metric {m} (not in src/metrics/names.rs)"
            );
            if expr.contains("histogram_quantile") {
                assert!(
                    expr.contains("_bucket"),
                    "{from} {title}: histogram_quantile needs _bucket series"
                );
            }
            used.insert(
                m.trim_end_matches("_bucket")
                    .trim_end_matches("_sum")
                    .trim_end_matches("_count")
                    .to_string(),
            );
        }
    }
    for name in catalogue().keys() {
        assert!(
            used.contains(name),
            "metric {name} appears in no dashboard panel or alert"
        );
    }
}

#[test]
fn alerts_are_complete_and_unit_tested() {
    let rules = alert_rules();
    let names: BTreeSet<&str> = rules.iter().map(|r| s(&r["alert"])).collect();
    for want in [
        "NewsflowLagGrowing",
        "NewsflowDLQRate",
        "NewsflowNoProgress",
        "NewsflowHighEndToEndLatency",
        "NewsflowInstanceDown",
    ] {
        assert!(names.contains(want), "missing alert {want}");
    }
    for r in &rules {
        let name = s(&r["alert"]);
        assert!(
            s(&r["for"]).ends_with('m'),
            "{name}: needs a `for:` duration"
        );
        assert!(
            ["warning", "critical"].contains(&s(&r["labels"]["severity"])),
            "{name}: severity"
        );
        assert!(
            !s(&r["annotations"]["summary"]).is_empty()
                && !s(&r["annotations"]["description"]).is_empty(),
            "{name}: annotations"
        );
    }
    let tests = yaml("deploy/prometheus/alerts_test.yml");
    assert_eq!(s(&tests["rule_files"][0]), "alerts.yml");
    let cases: Vec<&Yaml> = tests["tests"]
        .as_sequence()
        .unwrap()
        .iter()
        .flat_map(|t| t["alert_rule_test"].as_sequence().unwrap().iter())
        .collect();
    for name in names {
        let of = |firing: bool| {
            cases.iter().any(|c| {
                s(&c["alertname"]) == name
                    && c["exp_alerts"]
                        .as_sequence()
                        .is_some_and(|a| a.is_empty() != firing)
            })
        };
        assert!(
            of(true) && of(false),
            "{name}: needs a firing and a not-firing unit test"
        );
    }
}

#[test]
fn prometheus_scrapes_newsflow_on_the_metrics_port() {
    let cfg = yaml("deploy/prometheus/prometheus.yml");
    let job = cfg["scrape_configs"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|j| j["job_name"] == "newsflow")
        .expect("scrape job newsflow (alerts use job=\"newsflow\")");
    assert!(job["metrics_path"].is_null() || job["metrics_path"] == "/metrics");
    let dns_ports = job["dns_sd_configs"]
        .as_sequence()
        .into_iter()
        .flatten()
        .map(|c| c["port"].as_u64().unwrap() as u16);
    let static_ports = job["static_configs"]
        .as_sequence()
        .into_iter()
        .flatten()
        .flat_map(|c| {
            c["targets"]
                .as_sequence()
                .unwrap()
                .iter()
                .map(|t| port_of(s(t)))
        });
    let ports: Vec<u16> = dns_ports.chain(static_ports).collect();
    assert!(
        !ports.is_empty() && ports.iter().all(|p| *p == METRICS_PORT),
        "scrape ports {ports:?}"
    );
    for f in cfg["rule_files"].as_sequence().unwrap() {
        assert!(
            root().join("deploy/prometheus").join(s(f)).is_file(),
            "rule file {f:?} missing"
        );
    }
}
