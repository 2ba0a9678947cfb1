//! No silent loss on the embedded broker, which keeps only ~5 MB per
//! partition.
//!
//! The scenario: `newsflow run` on its embedded broker, and an outside
//! producer (`newsflow produce`) loading far more than the broker keeps,
//! faster than the pipeline consumes. With the default budget the broker's
//! gate holds the producer back and every acknowledged message is
//! processed; with a budget above the broker's limit the same load loses
//! input, which is counted and fails the run, naming how many.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Articles of ~4 KB of pseudo-random words (little to compress, so the
/// broker's byte limit is reached), with distinct ids.
fn articles(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out = Vec::with_capacity(n * 4200);
    for i in 0..n {
        let mut body = String::with_capacity(4200);
        while body.len() < 4000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            body.push_str(&format!("w{:x} ", x % 50_000));
        }
        writeln!(
            out,
            "{}",
            serde_json::json!({"id": format!("loss-{i}"), "body": body})
        )
        .unwrap();
    }
    out
}

/// How a run on the embedded broker ended.
struct Ended {
    success: bool,
    summary: serde_json::Value,
    stderr: String,
}

/// `newsflow run` (extra arguments `args`, environment `env`) on its embedded
/// broker with one partition, and `newsflow produce` loading `n` articles
/// into it from outside as fast as the broker takes them.
fn run_while_producing(n: usize, args: &[&str], env: &[(&str, &str)]) -> Ended {
    // Made first: the run exits once idle, and building the input takes a
    // while in a debug build.
    let input = articles(n);
    let mut run = Command::new(env!("CARGO_BIN_EXE_newsflow"))
        .args(["run", "--exit-when-idle", "4"])
        .args(args)
        .env("NEWSFLOW_METRICS__LISTEN", "127.0.0.1:0")
        .env("NEWSFLOW_EMBEDDED__PARTITIONS", "1")
        .env("RUST_LOG", "info")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(run.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let addr = first
        .trim()
        .strip_prefix("embedded Kafka broker listening on ")
        .unwrap_or_else(|| panic!("first line names the broker: {first:?}"))
        .to_string();
    // Read stderr as it comes, so a long run never blocks on a full pipe.
    let mut err_pipe = run.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err_pipe, &mut s).unwrap();
        s
    });

    let mut produce = Command::new(env!("CARGO_BIN_EXE_newsflow"))
        .args(["produce", "-"])
        .env("NEWSFLOW_KAFKA__BROKERS", &addr)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = produce.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || stdin.write_all(&input).unwrap());
    let produced = produce.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert!(
        produced.status.success(),
        "produce: {}",
        String::from_utf8_lossy(&produced.stderr)
    );

    let deadline = Instant::now() + Duration::from_secs(600);
    let status = loop {
        if let Some(s) = run.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "the run did not end");
        std::thread::sleep(Duration::from_millis(200));
    };
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let summary: serde_json::Value = serde_json::from_str(
        rest.lines()
            .rev()
            .find(|l| l.starts_with('{'))
            .expect("a summary line"),
    )
    .unwrap();
    Ended {
        success: status.success(),
        summary,
        stderr: stderr.join().unwrap(),
    }
}

fn count(e: &Ended, key: &str) -> u64 {
    e.summary[key].as_u64().unwrap()
}

#[test]
fn an_outside_producer_is_paced_and_the_embedded_broker_loses_nothing() {
    // 60,000 articles of ~4 KB: 240 MB into one partition that keeps ~5 MB.
    // The stages are skipped (`--passthrough`) so the debug build reads fast
    // enough for a test; the producer still outruns it.
    const N: usize = 60_000;
    let e = run_while_producing(N, &["--passthrough"], &[]);
    assert_eq!(
        (count(&e, "consumed"), count(&e, "lost")),
        (N as u64, 0),
        "every acknowledged message is read, none deleted first: {}",
        e.summary
    );
    assert!(e.success, "the run succeeds: {}", e.stderr);
    assert!(
        !e.stderr.contains("deleted") && !e.stderr.contains("moved past unread"),
        "no loss and no offset reset on the way: {}",
        e.stderr
    );
}

#[test]
fn input_deleted_before_it_was_read_is_counted_and_fails_the_embedded_run() {
    // A budget above the broker's ~5 MB lets the producer outrun it.
    const N: usize = 12_000;
    let e = run_while_producing(
        N,
        &[],
        &[("NEWSFLOW_EMBEDDED__MAX_LEAD_BYTES", "1000000000")],
    );
    let (consumed, lost) = (count(&e, "consumed"), count(&e, "lost"));
    assert_eq!(
        consumed + lost,
        N as u64,
        "every acknowledged message is processed or counted lost: {}",
        e.summary
    );
    assert!(
        lost > 0,
        "48 MB into one ~5 MB partition, faster than a debug build consumes: {}",
        e.summary
    );
    assert!(!e.success, "a run that lost input fails");
    assert!(
        e.stderr.contains(&format!("deleted {lost} input messages")),
        "the error names how many: {}",
        e.stderr
    );
}
