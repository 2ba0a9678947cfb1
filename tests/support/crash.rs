//! A crash in the middle of a stream: the input with some malformed
//! messages, a newsflow killed with SIGKILL once a quarter of the articles
//! is out, a restart that runs until idle, and what a `read_committed`
//! reader then finds per input.

use super::*;
use std::collections::BTreeMap;

/// The crash scenario's inputs: `n` articles `crash-<i>`, every 97th
/// malformed (it goes to the DLQ, whose records count as outputs too).
pub fn crash_input(n: usize) -> Vec<Vec<u8>> {
    let mut input = articles("crash", n, 1500);
    for i in (0..n).step_by(97) {
        input[i] = format!("{{\"id\":\"crash-{i}\",\"body\":").into_bytes();
    }
    input
}

/// Produces [`crash_input`], runs newsflow (group `group`, with `env` on
/// top of a short session), kills it with SIGKILL mid-stream, and runs it
/// again until idle. Returns the second run's summary.
pub fn kill_9_mid_stream(
    b: &TestBroker,
    group: &str,
    n: usize,
    env: &[(&str, &str)],
) -> serde_json::Value {
    b.produce(INPUT, &crash_input(n), 4);
    let configured = || {
        let mut cmd = b.newsflow(group);
        cmd.env("NEWSFLOW_KAFKA__CONSUMER__SESSION_TIMEOUT_MS", "6000");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    };
    let mut cmd = configured();
    cmd.arg("run");
    let mut first = Running::start(cmd);
    wait_for_articles(b, n / 4, &first);
    first.child.kill().unwrap(); // SIGKILL: no drain, no final commit
    first.child.wait().unwrap();
    let before = b.read_all(ARTICLES, 0, Duration::from_secs(3)).len()
        + b.read_all(DLQ, 0, Duration::from_secs(3)).len();
    assert!(
        before < n,
        "the crash must happen mid-stream (had {before})"
    );
    // The killed member never left the group: the restarted one gets the
    // partitions once the broker has expired the old session (6 s).
    let s = run_until_idle(configured(), 2.0);
    assert!(s["consumed"].as_u64().unwrap() > 0, "{s}");
    s
}

/// Waits (up to 2 minutes) until the articles topic holds `n` records,
/// counting those of open or aborted transactions too: a sign of progress,
/// not of delivery.
pub fn wait_for_articles(b: &TestBroker, n: usize, run: &Running) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while b.count(ARTICLES) < n as i64 {
        assert!(
            Instant::now() < deadline,
            "no progress:\n{}",
            run.stderr.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// How many article or dead-letter records each input id has, as a
/// `read_committed` reader sees them.
pub fn outputs_per_input(b: &TestBroker) -> BTreeMap<String, usize> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for m in b.read_all(ARTICLES, 1, Duration::from_secs(60)) {
        *seen
            .entry(json(&m)["id"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    for m in b.read_all(DLQ, 1, Duration::from_secs(30)) {
        let raw = String::from_utf8_lossy(m.payload().unwrap()).into_owned();
        let id = raw.split('"').nth(3).unwrap().to_string();
        *seen.entry(id).or_default() += 1;
    }
    seen
}

/// Fails unless every input `crash-0..n` has an output.
pub fn assert_nothing_lost(seen: &BTreeMap<String, usize>, n: usize) {
    let missing: Vec<usize> = (0..n)
        .filter(|i| !seen.contains_key(&format!("crash-{i}")))
        .collect();
    assert!(
        missing.is_empty(),
        "lost {} inputs, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(10)]
    );
}
