//! The dashboard and the alerts work against a real Prometheus scraping a
//! real newsflow.
//!
//! `tests/deploy_files/` checks that every PromQL string names a known
//! metric; only Prometheus itself can say whether an expression parses, and
//! only a running newsflow can say whether the series it needs exist. So this
//! test runs newsflow on a broker (librdkafka's mock cluster, and Apache
//! Kafka), seeded with the valid and the malformed samples (articles,
//! duplicates, dead letters and events all get series), starts Debian's
//! `prometheus` scraping it every second with
//! `deploy/prometheus/alerts.yml` loaded, then evaluates every `expr` of
//! `deploy/grafana/dashboards/newsflow.json` and of the alerts through the
//! HTTP API. It fails if any expression is invalid, if a dashboard expression
//! returns no series (an empty panel), or if a rule does not evaluate "ok".
//!
//! Skipped with a message when `prometheus` is not installed, unless
//! `NEWSFLOW_REQUIRE_PROMETHEUS=1` (set by scripts/test.sh).

#[macro_use]
mod support;

use serde_json::Value as Json;
use std::fs::File;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

on_both_brokers!(2; dashboard_and_alert_expressions_return_data_from_a_live_prometheus);

/// Scrapes to wait for before evaluating, so `rate()` has samples to work on.
const MIN_SCRAPES: f64 = 8.0;

/// Kills and reaps a child process when dropped, so a failing assertion
/// leaves neither newsflow nor Prometheus behind.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct RunningGuard(Running);

impl Drop for RunningGuard {
    fn drop(&mut self) {
        let _ = self.0.child.kill();
        let _ = self.0.child.wait();
    }
}

fn have_prometheus() -> bool {
    let found = Command::new("prometheus")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        if std::env::var("NEWSFLOW_REQUIRE_PROMETHEUS").as_deref() == Ok("1") {
            panic!("prometheus is required (NEWSFLOW_REQUIRE_PROMETHEUS=1) but not on PATH; run scripts/test.sh");
        }
        eprintln!("SKIPPED: prometheus not installed (apt-get install prometheus, or run scripts/test.sh)");
    }
    found
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Evaluates one instant query; returns the API's whole JSON answer.
fn query(prom: &str, expr: &str) -> Json {
    let (_, body) = http_get(prom, &format!("/api/v1/query?query={}", url_encode(expr)))
        .expect("query Prometheus");
    serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("Prometheus answered {expr:?} with non-JSON ({e}): {body}"))
}

/// Every string under a key `expr`, anywhere in the dashboard (rows nest panels).
fn dashboard_exprs(v: &Json, out: &mut Vec<String>) {
    match v {
        Json::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("expr", Json::String(s)) => out.push(s.clone()),
                    _ => dashboard_exprs(x, out),
                }
            }
        }
        Json::Array(a) => a.iter().for_each(|x| dashboard_exprs(x, out)),
        _ => {}
    }
}

/// (alert name, expr) of every rule in alerts.yml.
fn alert_exprs(alerts: &serde_yaml::Value) -> Vec<(String, String)> {
    let groups = alerts["groups"]
        .as_sequence()
        .expect("alerts.yml has groups");
    groups
        .iter()
        .flat_map(|g| g["rules"].as_sequence().expect("group has rules").iter())
        .map(|r| {
            let name = r["alert"]
                .as_str()
                .or(r["record"].as_str())
                .expect("rule is named")
                .to_string();
            (
                name,
                r["expr"].as_str().expect("rule has an expr").to_string(),
            )
        })
        .collect()
}

fn tail(path: &std::path::Path) -> String {
    let s = std::fs::read_to_string(path).unwrap_or_default();
    s.lines()
        .rev()
        .take(30)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join("\n")
}

/// A histogram observed only when a happening closes, `horizon_days` after
/// its first report: never within this test.
const OBSERVED_AT_CLOSE: &str = "newsflow_happening_mentions";

/// A histogram of the embedded broker's gate: this test runs newsflow on a
/// broker of its own, where nothing is held.
const EMBEDDED_ONLY: &str = "newsflow_embedded_produce_wait_seconds";

fn dashboard_and_alert_expressions_return_data_from_a_live_prometheus(b: TestBroker) {
    if !have_prometheus() {
        return;
    }
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();

    // newsflow on the broker, kept running (no --exit-when-idle).
    let seed = dir.path().join("seed.jsonl");
    let mut all = std::fs::read(repo().join("samples/articles.jsonl")).unwrap();
    all.extend(std::fs::read(repo().join("samples/malformed.jsonl")).unwrap());
    std::fs::write(&seed, &all).unwrap();
    // Both delivery modes: at-least-once on the mock, exactly-once on Kafka
    // (which hides aborted records, as the mock does not). A histogram has
    // series only once observed, so the other mode's latency histogram may
    // be the one empty panel: offset commits happen under at-least-once,
    // transactions under exactly-once.
    let exactly_once = b.kind == "kafka";
    let other_mode_only = if exactly_once {
        "newsflow_commit_duration_seconds"
    } else {
        "newsflow_transaction_duration_seconds"
    };
    let mut cmd = b.newsflow("prometheus");
    if exactly_once {
        cmd.env("NEWSFLOW_PIPELINE__DELIVERY", "exactly-once");
    }
    cmd.args(["run", "--seed", seed.to_str().unwrap()]);
    let newsflow = RunningGuard(Running::start(cmd));
    newsflow
        .0
        .wait_for_log("metrics on", Duration::from_secs(60));
    let target = {
        let log = newsflow.0.stderr.lock().unwrap();
        let line = log.lines().find(|l| l.contains("metrics on")).unwrap();
        line.rsplit("addr=").next().unwrap().trim().to_string()
    };

    // Prometheus on a free port with its own storage; never the system service.
    let alerts_path = repo().join("deploy/prometheus/alerts.yml");
    let config = dir.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n\
             rule_files:\n  - {:?}\n\
             scrape_configs:\n  - job_name: newsflow\n    static_configs:\n      - targets: [{:?}]\n",
            alerts_path.to_str().unwrap(),
            target
        ),
    )
    .unwrap();
    let prom = format!("127.0.0.1:{}", free_port());
    let prom_log = dir.path().join("prometheus.log");
    let log_file = File::create(&prom_log).unwrap();
    let mut prometheus = KillOnDrop(
        Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address={prom}"))
            .stdout(Stdio::from(log_file.try_clone().unwrap()))
            .stderr(Stdio::from(log_file))
            .spawn()
            .expect("starting prometheus"),
    );

    // Wait until Prometheus has scraped newsflow MIN_SCRAPES times, so rate() has data.
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Some(status) = prometheus.0.try_wait().unwrap() {
            panic!(
                "prometheus exited ({status}); its log:\n{}",
                tail(&prom_log)
            );
        }
        // Successful scrapes of newsflow so far (up is 1 per successful scrape).
        let scrapes = http_get(
            &prom,
            &format!(
                "/api/v1/query?query={}",
                url_encode("sum_over_time(up{job=\"newsflow\"}[5m])")
            ),
        )
        .ok()
        .and_then(|(_, b)| serde_json::from_str::<Json>(&b).ok())
        .and_then(|j| {
            j["data"]["result"][0]["value"][1]
                .as_str()
                .and_then(|v| v.parse::<f64>().ok())
        });
        if scrapes.is_some_and(|n| n >= MIN_SCRAPES) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Prometheus did not scrape newsflow at {target} {MIN_SCRAPES} times (last: {scrapes:?}); its log:\n{}\nnewsflow's log:\n{}",
            tail(&prom_log),
            newsflow.0.stderr.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(500));
    }

    // Every dashboard expression: valid, and at least one series.
    let dashboard: Json = serde_json::from_str(
        &std::fs::read_to_string(repo().join("deploy/grafana/dashboards/newsflow.json")).unwrap(),
    )
    .unwrap();
    let mut exprs = Vec::new();
    dashboard_exprs(&dashboard, &mut exprs);
    assert!(
        exprs.len() > 20,
        "the dashboard has its queries ({} found)",
        exprs.len()
    );
    let (mut invalid, mut empty) = (Vec::new(), Vec::new());
    for expr in &exprs {
        let r = query(&prom, expr);
        let series = r["data"]["result"].as_array().map_or(0, |a| a.len());
        println!(
            "{:>4} series  {expr}",
            if r["status"] == "success" {
                series.to_string()
            } else {
                "ERR".into()
            }
        );
        if r["status"] != "success" {
            invalid.push(format!("{expr}\n      {}", r["error"]));
        } else if series == 0
            && !expr.contains(other_mode_only)
            && !expr.contains(OBSERVED_AT_CLOSE)
            && !expr.contains(EMBEDDED_ONLY)
        {
            empty.push(expr.clone());
        }
    }

    // Every alert expression: valid (an alert that does not fire has no series).
    let alerts: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&alerts_path).unwrap()).unwrap();
    let rules = alert_exprs(&alerts);
    assert!(!rules.is_empty(), "alerts.yml has rules");
    for (name, expr) in &rules {
        let r = query(&prom, expr);
        println!("alert {name}: {}", r["status"]);
        if r["status"] != "success" {
            invalid.push(format!("alert {name}: {expr}\n      {}", r["error"]));
        }
    }

    // The rule group loaded and every rule evaluated without error.
    let (_, body) = http_get(&prom, "/api/v1/rules").unwrap();
    let loaded: Json = serde_json::from_str(&body).unwrap();
    let groups = loaded["data"]["groups"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let loaded_rules: Vec<&Json> = groups
        .iter()
        .flat_map(|g| g["rules"].as_array().into_iter().flatten())
        .collect();
    let mut unhealthy: Vec<String> = loaded_rules
        .iter()
        .filter(|r| r["health"] != "ok")
        .map(|r| format!("{}: health {} {}", r["name"], r["health"], r["lastError"]))
        .collect();
    for (name, _) in &rules {
        if !loaded_rules.iter().any(|r| r["name"] == name.as_str()) {
            unhealthy.push(format!("{name}: not loaded"));
        }
    }
    println!(
        "prometheus_live: {} dashboard exprs, {} alert exprs, {:.1}s",
        exprs.len(),
        rules.len(),
        started.elapsed().as_secs_f64()
    );

    let mut failures = String::new();
    if !invalid.is_empty() {
        failures += &format!(
            "\ninvalid PromQL ({}):\n  {}\n",
            invalid.len(),
            invalid.join("\n  ")
        );
    }
    if !empty.is_empty() {
        failures += &format!(
            "\ndashboard expressions with no series ({}):\n  {}\n",
            empty.len(),
            empty.join("\n  ")
        );
    }
    if !unhealthy.is_empty() {
        failures += &format!(
            "\nalert rules not healthy ({}):\n  {}\n",
            unhealthy.len(),
            unhealthy.join("\n  ")
        );
    }
    assert!(
        failures.is_empty(),
        "against a live Prometheus scraping newsflow at {target} on {}:{failures}",
        b.kind
    );
}
