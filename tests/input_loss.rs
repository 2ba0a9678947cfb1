//! No silent loss: input the broker deletes before the pipeline reads it is
//! counted, and on the embedded broker (which keeps only ~5 MB per
//! partition) a run that lost input ends non-zero, naming how many.
//!
//! The scenario: `newsflow run` on its embedded broker, and an outside
//! producer (`newsflow produce`) loading far more than the broker keeps,
//! faster than the pipeline consumes. Every message the broker acknowledged
//! must be either processed or counted as lost.

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

#[test]
fn input_deleted_before_it_was_read_is_counted_and_fails_the_embedded_run() {
    const N: usize = 12_000;
    let mut run = Command::new(env!("CARGO_BIN_EXE_newsflow"))
        .args(["run", "--exit-when-idle", "4"])
        .env("NEWSFLOW_METRICS__LISTEN", "127.0.0.1:0")
        .env("NEWSFLOW_EMBEDDED__PARTITIONS", "1")
        .env("RUST_LOG", "info")
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

    let mut produce = Command::new(env!("CARGO_BIN_EXE_newsflow"))
        .args(["produce", "-"])
        .env("NEWSFLOW_KAFKA__BROKERS", &addr)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    produce
        .stdin
        .take()
        .unwrap()
        .write_all(&articles(N))
        .unwrap();
    let produced = produce.wait_with_output().unwrap();
    assert!(
        produced.status.success(),
        "produce: {}",
        String::from_utf8_lossy(&produced.stderr)
    );

    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(s) = run.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "the run did not end");
        std::thread::sleep(Duration::from_millis(200));
    };
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut run.stderr.take().unwrap(), &mut stderr).unwrap();
    let summary: serde_json::Value = serde_json::from_str(
        rest.lines()
            .rev()
            .find(|l| l.starts_with('{'))
            .expect("a summary line"),
    )
    .unwrap();
    let (consumed, lost) = (
        summary["consumed"].as_u64().unwrap(),
        summary["lost"].as_u64().unwrap(),
    );
    assert_eq!(
        consumed + lost,
        N as u64,
        "every acknowledged message is processed or counted lost: {summary}"
    );
    assert!(
        lost > 0,
        "60 MB into one ~5 MB partition, faster than a debug build consumes: {summary}"
    );
    assert!(!status.success(), "a run that lost input fails");
    assert!(
        stderr.contains(&format!("deleted {lost} input messages")),
        "the error names how many: {stderr}"
    );
}
