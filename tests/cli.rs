//! The binary as a user meets it: the embedded default, shutdown on
//! signals and the metrics endpoints (on the mock cluster and on Apache
//! Kafka), config errors, check-config, extract.

#[macro_use]
mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::*;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsflow"));
    c.env("NEWSFLOW_METRICS__LISTEN", "127.0.0.1:0")
        .env("RUST_LOG", "info");
    c
}

/// Runs `cmd` with `input` on its standard input; its output once it exits.
fn piped(cmd: &mut Command, input: &str) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn metrics_addr(log: &str) -> String {
    let line = log
        .lines()
        .find(|l| l.contains("metrics on"))
        .expect("metrics address logged");
    line.rsplit("addr=").next().unwrap().trim().to_string()
}

#[test]
fn embedded_default_runs_the_samples_and_dead_letters_the_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.jsonl");
    let mut all = std::fs::read(repo().join("samples/articles.jsonl")).unwrap();
    all.extend(std::fs::read(repo().join("samples/malformed.jsonl")).unwrap());
    std::fs::write(&seed, &all).unwrap();
    let lines = |f: &str| {
        std::fs::read_to_string(repo().join(f))
            .unwrap()
            .lines()
            .filter(|l| !l.is_empty())
            .count() as u64
    };
    let (good, bad) = (
        lines("samples/articles.jsonl"),
        lines("samples/malformed.jsonl"),
    );

    let mut cmd = bin();
    cmd.env_remove("NEWSFLOW_KAFKA__BROKERS").args([
        "run",
        "--seed",
        seed.to_str().unwrap(),
        "--exit-when-idle",
        "2",
    ]);
    let (code, out, err) = Running::start(cmd).wait(Duration::from_secs(120));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .next()
            .unwrap()
            .starts_with("embedded Kafka broker listening on 127.0.0.1:"),
        "{out}"
    );
    let summary: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(summary["consumed"], good + bad, "{summary}");
    assert_eq!(
        summary["dlq"], bad,
        "every malformed sample is dead-lettered: {summary}"
    );
    assert_eq!(
        summary["articles"].as_u64().unwrap() + summary["duplicates"].as_u64().unwrap(),
        good,
        "{summary}"
    );
}

/// The README's demo: the samples hold 8 duplicate pairs spread over the
/// embedded broker's partitions, and every run finds all 8, however the
/// partitions happen to interleave.
#[test]
fn the_readme_demo_finds_all_eight_duplicates_on_every_run() {
    for run in 0..3 {
        let mut cmd = bin();
        cmd.env_remove("NEWSFLOW_KAFKA__BROKERS").args([
            "run",
            "--seed",
            repo().join("samples/articles.jsonl").to_str().unwrap(),
            "--exit-when-idle",
            "2",
        ]);
        let (code, out, err) = Running::start(cmd).wait(Duration::from_secs(120));
        assert_eq!(code, 0, "{err}");
        let summary: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
        assert_eq!(
            (summary["articles"].as_u64(), summary["duplicates"].as_u64()),
            (Some(28), Some(8)),
            "run {run}: {summary}"
        );
    }
}

on_both_brokers!(2; sigterm_drains_commits_and_exits_zero_within_the_deadline);

fn sigterm_drains_commits_and_exits_zero_within_the_deadline(b: TestBroker) {
    let mut cmd = b.newsflow("sigterm");
    cmd.env("NEWSFLOW_SHUTDOWN__DEADLINE_SECS", "10").args([
        "run",
        "--seed",
        repo().join("samples/articles.jsonl").to_str().unwrap(),
    ]);
    let r = Running::start(cmd);
    r.wait_for_log("partitions assigned", Duration::from_secs(60));
    let addr = metrics_addr(&r.stderr.lock().unwrap());
    // Ready once partitions are assigned and the producer is connected.
    let deadline = Instant::now() + Duration::from_secs(20);
    while http_get(&addr, "/ready").unwrap().0 != 200 {
        assert!(Instant::now() < deadline, "never ready");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(http_get(&addr, "/health").unwrap().0, 200);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (code, body) = http_get(&addr, "/metrics").unwrap();
        assert_eq!(code, 200);
        // Every series starts with the exporter's global label `mode`.
        if body.contains("newsflow_stage_duration_seconds_bucket{mode=\"run\",stage=\"parse\"") {
            // Explicit buckets (histograms), not summaries; counters present
            // from the start at zero; build info.
            assert!(!body.contains("quantile=\""), "no summaries");
            assert!(body
                .contains("newsflow_dlq_records_total{mode=\"run\",error_class=\"invalid_json\"}"));
            assert!(body.contains("newsflow_build_info{mode=\"run\",version="));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no produced records in metrics:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let started = Instant::now();
    r.signal("TERM");
    let (code, out, err) = r.wait(Duration::from_secs(15));
    assert_eq!(code, 0, "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "exited within the deadline"
    );
    assert!(err.contains("stop requested"), "{err}");
    let summary: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    let consumed = summary["consumed"].as_u64().unwrap();
    assert!(consumed > 0);
    // Everything consumed was committed before the exit.
    let committed: i64 = b
        .committed("sigterm", INPUT, 2)
        .iter()
        .map(|o| o.max(&0))
        .sum();
    assert_eq!(committed as u64, consumed, "{summary}");
}

#[test]
fn metrics_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = bin()
        .env("NEWSFLOW_METRICS__LISTEN", &addr)
        .args(["run", "--exit-when-idle", "1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("metrics.listen"), "{err}");
}

#[test]
fn check_config_shows_the_delivery_mode_and_the_transactional_id() {
    let out = bin()
        .env("NEWSFLOW_PIPELINE__DELIVERY", "exactly-once")
        .env("HOSTNAME", "newsflow-2")
        .env("NEWSFLOW_KAFKA__GROUP_ID", "wire")
        .arg("check-config")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains("delivery = \"exactly-once\"")
            && shown.contains("commit_interval_ms = 100")
            && shown.contains("transactional_id = \"wire-newsflow-2\""),
        "{shown}"
    );
    let out = bin()
        .env("NEWSFLOW_PIPELINE__DELIVERY", "at-most-once")
        .arg("check-config")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("delivery"));
}

#[test]
fn config_errors_name_the_key_and_exit_nonzero() {
    let out = bin()
        .env("NEWSFLOW_DEDUP__NEAR_THRESHOLD", "2")
        .arg("check-config")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("dedup.near_threshold") && err.contains("(0, 1]"),
        "{err}"
    );

    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.toml");
    std::fs::write(&f, "[pipeline]\nconcurency = 4\n").unwrap();
    let out = bin()
        .args(["check-config", "--config", f.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && err.contains("pipeline.concurency")
            && err.contains("pipeline.concurrency"),
        "{err}"
    );
}

#[test]
fn check_config_hides_secrets() {
    let out = bin()
        .args([
            "check-config",
            "--config",
            repo()
                .join("config/production.example.toml")
                .to_str()
                .unwrap(),
        ])
        .env("NEWSFLOW_KAFKA__CONSUMER__SASL_PASSWORD", "s3cr3t-from-env")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("sasl.mechanism") && shown.contains("***"),
        "{shown}"
    );
    assert!(
        !shown.contains("s3cr3t-from-env") && !shown.contains("change-me"),
        "{shown}"
    );
}

#[test]
fn extract_writes_one_record_per_valid_line_in_order() {
    let mut input = std::fs::read_to_string(repo().join("samples/articles.jsonl")).unwrap();
    input.push_str("{not json\n");
    let out = piped(bin().args(["extract", "-"]), &input);
    assert!(out.status.success());
    let records: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let inputs: Vec<serde_json::Value> = input
        .lines()
        .filter(|l| l.starts_with("{\""))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), inputs.len());
    for (r, i) in records.iter().zip(&inputs) {
        if let Some(id) = i.get("id") {
            assert_eq!(&r["id"], id, "input order kept");
        }
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_json"));
    // Deterministic: a second run gives byte-identical output.
    let again = bin()
        .args([
            "extract",
            repo().join("samples/articles.jsonl").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let first = bin()
        .args([
            "extract",
            repo().join("samples/articles.jsonl").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(again.stdout, first.stdout);
}

/// A file input sizes the offline dedup index to its lines; stdin gets the configured
/// capacity. Both mark the samples' duplicate pairs the same way.
#[test]
fn extract_from_a_file_and_from_stdin_agree_on_duplicates() {
    let path = repo().join("samples/articles.jsonl");
    let from_file = bin()
        .args(["extract", path.to_str().unwrap()])
        .output()
        .unwrap();
    let from_stdin = piped(
        bin().args(["extract", "-"]),
        &std::fs::read_to_string(&path).unwrap(),
    );
    assert!(from_file.status.success() && from_stdin.status.success());
    assert_eq!(from_file.stdout, from_stdin.stdout);
    let marked = String::from_utf8(from_file.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["duplicate_of"].is_string())
        .count();
    assert_eq!(marked, 8, "the samples hold 8 duplicate pairs");
}

#[test]
fn extract_text_mode_codes_a_plain_text_article() {
    let out = piped(
        bin().args(["extract", "--text", "-", "--date", "2026-03-04"]),
        "Russia condemned the United States on Monday for imposing new sanctions on Iran.\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["published_at"], "2026-03-04T00:00:00Z");
    let events = r["events"].as_array().unwrap();
    assert!(
        events
            .iter()
            .any(|e| e["action"]["root"] == "11" && e["source"]["country"] == "RUS"),
        "{events:?}"
    );
}

#[test]
fn extract_happenings_counts_one_happening_once_across_outlets() {
    // Three outlets report Russia condemning the United States' threats on January 13 (one
    // from Moscow, two naming no place), a fourth a new condemnation a week later.
    let input = [
        r#"{"id":"a1","source":"Outlet One","published_at":"2026-01-14T08:00:00Z","title":"Moscow rebukes Washington","body":"Russia condemned the United States on Tuesday over its threats against Iran, the foreign ministry in Moscow said."}"#,
        r#"{"id":"a2","source":"Outlet Two","published_at":"2026-01-14T11:30:00Z","title":"Russia criticises US","body":"Russia on Tuesday strongly condemned the United States for what it called threats against Tehran."}"#,
        r#"{"id":"a3","source":"Outlet Three","published_at":"2026-01-15T06:00:00Z","title":"Kremlin anger","body":"Russia condemned the United States on January 13 for its threats against Iran, calling them unacceptable."}"#,
        r#"{"id":"a4","source":"Outlet Four","published_at":"2026-01-22T09:00:00Z","title":"New rebuke","body":"Russia condemned the United States on Wednesday over new sanctions on Iran."}"#,
    ];
    let run = |lines: &[&str]| {
        let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let out = piped(bin().args(["extract", "--happenings", "-"]), &input);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let first = run(&input);
    let records: Vec<serde_json::Value> = String::from_utf8(first.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2, "{records:#?}");
    let jan13 = records.iter().find(|r| r["date"] == "2026-01-13").unwrap();
    assert_eq!(jan13["key"], "RUS|USA|11");
    assert_eq!(jan13["action"]["cameo"], "111");
    assert_eq!(jan13["mentions"], 3);
    assert_eq!(jan13["outlets"], 3);
    assert_eq!(jan13["independent_outlets"], 3);
    assert_eq!(jan13["article_ids"], serde_json::json!(["a1", "a2", "a3"]));
    assert_eq!(
        jan13["location"]["name"], "Moscow",
        "the best-placed report"
    );
    assert_eq!(jan13["first_reported_at"], "2026-01-14T08:00:00Z");
    let later = records.iter().find(|r| r["date"] == "2026-01-21").unwrap();
    assert_eq!(later["mentions"], 1);
    assert_eq!(later["article_ids"], serde_json::json!(["a4"]));
    // The same happenings whatever the order of the file.
    let mut reversed = input;
    reversed.reverse();
    assert_eq!(run(&reversed), first);
}

#[test]
fn extract_reads_the_users_petrarch_dictionaries_named_in_the_extract_section() {
    let dir = tempfile::tempdir().unwrap();
    // A person no curated list holds, in PETRARCH/TABARI format with a dated role.
    let actors = dir.path().join("my.actors.txt");
    std::fs::write(
        &actors,
        "ZORBLAX_QUUXLEY_  # test entry\n+GENERAL_QUUXLEY\n\t[CHLMIL 20200101-20301231]\n",
    )
    .unwrap();
    let cfg = dir.path().join("newsflow.toml");
    std::fs::write(
        &cfg,
        format!(
            "[extract]\nactor_dictionaries = [\"{}\"]\n",
            actors.display()
        ),
    )
    .unwrap();
    let sentence = "Zorblax Quuxley attacked the Peruvian army on Monday.\n";
    let run = |with_config: bool| {
        let mut cmd = bin();
        cmd.args(["extract", "--text", "-", "--date", "2026-03-04"]);
        if with_config {
            cmd.arg("--config").arg(&cfg);
        }
        let out = piped(&mut cmd, sentence);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        r["events"].as_array().unwrap().clone()
    };
    let with = run(true);
    assert!(
        with.iter().any(|e| e["source"]["code"] == "CHLMIL"),
        "{with:?}"
    );
    let without = run(false);
    assert!(
        !without.iter().any(|e| e["source"]["code"] == "CHLMIL"),
        "{without:?}"
    );
}
