//! Shared test harness: brokers (Apache Kafka processes and librdkafka's
//! in-process mock cluster), the newsflow binary as a child process, topic
//! readers, and Kafka's own command-line tools.
//!
//! Every Kafka test starts its own broker (`scripts/kafka.sh start`, a
//! single-node KRaft broker in a temporary directory) and kills it when the
//! test ends. A start costs about 5 s alone and 9-14 s when two tests start
//! brokers at once on a 2-core machine that is also compiling; with some 16
//! Kafka tests run two at a time, that is about a minute and a half of the
//! whole `scripts/test.sh`. One broker shared by all tests would save that
//! but cost more than it saves: every test would need its own names for all
//! nine topics and the replays' suffixed copies (the tests use newsflow's
//! defaults, as users do), the tests that kill newsflow or let a session
//! expire would share a group coordinator with the rest, and `cargo test`
//! would need a broker started beforehand. With a broker per test, a
//! failing or killed test leaves nothing behind for the next, and a broker
//! whose test process dies is stopped by the script's `--owner` watcher.
//!
//! Tests that need Kafka skip with a `SKIPPED` line when it is not set up
//! (`scripts/kafka.sh check` fails: no java, or the jars not resolved),
//! unless `NEWSFLOW_REQUIRE_KAFKA=1` (set by scripts/test.sh) makes its
//! absence a failure.
#![allow(dead_code)]

pub mod crash;
#[allow(unused_imports)]
pub use crash::*;

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message, OwnedMessage};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{BaseProducer, BaseRecord, DefaultProducerContext, Producer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const INPUT: &str = "news.articles.raw";
pub const ARTICLES: &str = "news.articles";
pub const EVENTS: &str = "news.events";
pub const DUPLICATES: &str = "news.duplicates";
pub const DLQ: &str = "news.articles.raw.dlq";
pub const CHANGELOG: &str = "newsflow.dedup.changelog";
pub const HAPPENINGS: &str = "news.happenings";
pub const REPARTITION: &str = "newsflow.happenings.repartition";
pub const HAPPENINGS_CHANGELOG: &str = "newsflow.happenings.changelog";
pub const ALL_TOPICS: [&str; 9] = [
    INPUT,
    ARTICLES,
    EVENTS,
    DUPLICATES,
    DLQ,
    CHANGELOG,
    HAPPENINGS,
    REPARTITION,
    HAPPENINGS_CHANGELOG,
];

/// Runs each named scenario `fn(TestBroker)` twice: on librdkafka's mock
/// cluster and on an Apache Kafka process, each with `$parts` partitions per
/// topic.
#[macro_export]
macro_rules! on_both_brokers {
    ($parts:expr; $($name:ident),* $(,)?) => {$(
        mod $name {
            use super::*;
            #[test]
            fn mock() {
                super::$name(TestBroker::mock($parts));
            }
            #[test]
            fn kafka() {
                if let Some(b) = TestBroker::kafka($parts) {
                    super::$name(b);
                }
            }
        }
    )*};
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A broker for one test; stopped when dropped.
pub struct TestBroker {
    pub bootstrap: String,
    pub kind: &'static str,
    /// The Kafka broker's directory (configuration, storage, log).
    kafka_dir: Option<tempfile::TempDir>,
    /// The Kafka broker's port and controller port.
    kafka_ports: Option<(u16, u16)>,
    _mock: Option<MockCluster<'static, DefaultProducerContext>>,
}

impl Drop for TestBroker {
    fn drop(&mut self) {
        if let Some(dir) = &self.kafka_dir {
            let _ = kafka_sh()
                .arg("stop")
                .arg(dir.path())
                .arg("--kill")
                .status();
        }
    }
}

/// `scripts/kafka.sh`, the one home of the test broker and Kafka's tools.
pub fn kafka_sh() -> Command {
    Command::new(repo().join("scripts/kafka.sh"))
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl TestBroker {
    /// librdkafka's mock cluster inside the test process, topics created.
    pub fn mock(partitions: i32) -> TestBroker {
        let mock = MockCluster::new(1).expect("mock cluster");
        for t in ALL_TOPICS {
            mock.create_topic(t, partitions, 1).unwrap();
        }
        TestBroker {
            bootstrap: mock.bootstrap_servers(),
            kind: "mock",
            kafka_dir: None,
            kafka_ports: None,
            _mock: Some(mock),
        }
    }

    /// An Apache Kafka broker process on free ports with the topics
    /// created, or `None` (test skipped) when Kafka is not set up and not
    /// required.
    pub fn kafka(partitions: i32) -> Option<TestBroker> {
        let check = kafka_sh()
            .arg("check")
            .output()
            .expect("running scripts/kafka.sh");
        if !check.status.success() {
            let why = String::from_utf8_lossy(&check.stderr).trim().to_string();
            if std::env::var("NEWSFLOW_REQUIRE_KAFKA").as_deref() == Ok("1") {
                panic!("Kafka is required (NEWSFLOW_REQUIRE_KAFKA=1) but not set up: {why}");
            }
            eprintln!("SKIPPED: no Apache Kafka for the tests: {why} (scripts/test.sh sets it up)");
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("newsflow-kafka-")
            .tempdir()
            .unwrap();
        let t0 = Instant::now();
        let mut failures = Vec::new();
        // A free port can be taken by someone else before the broker binds
        // it; another pair of ports is then tried.
        let (bootstrap, ports) = loop {
            let ports = (free_port(), free_port());
            let out = kafka_sh()
                .arg("start")
                .arg(dir.path())
                .args([ports.0.to_string(), ports.1.to_string()])
                .args(["--owner", &std::process::id().to_string()])
                .output()
                .expect("running scripts/kafka.sh start");
            if out.status.success() {
                let bootstrap = String::from_utf8(out.stdout).unwrap().trim().to_string();
                break (bootstrap, ports);
            }
            failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
            assert!(
                failures.len() < 3,
                "the Kafka broker did not start:\n{}",
                failures.join("\n---\n")
            );
        };
        eprintln!("kafka broker on {bootstrap} ready in {:.1?}", t0.elapsed());
        let b = TestBroker {
            bootstrap,
            kind: "kafka",
            kafka_dir: Some(dir),
            kafka_ports: Some(ports),
            _mock: None,
        };
        let out = b
            .newsflow("create")
            .args(["create-topics", "--partitions", &partitions.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "create-topics failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(b)
    }

    /// Stops the Kafka broker (a controlled shutdown), waits `down`, and
    /// starts it again on the same ports with its storage kept.
    pub fn restart(&self, down: Duration) {
        let (dir, (port, cport)) = (
            self.kafka_dir.as_ref().expect("a Kafka broker").path(),
            self.kafka_ports.unwrap(),
        );
        assert!(kafka_sh().arg("stop").arg(dir).status().unwrap().success());
        std::thread::sleep(down);
        let out = kafka_sh()
            .arg("start")
            .arg(dir)
            .args([port.to_string(), cport.to_string(), "--keep".into()])
            .args(["--owner", &std::process::id().to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "the Kafka broker did not start again: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs one of Kafka's own command-line tools through scripts/kafka.sh
    /// (`console-consumer`, `consumer-groups`) against this broker.
    pub fn kafka_tool(&self, tool: &str, args: &[&str]) -> std::process::Output {
        assert_eq!(
            self.kind, "kafka",
            "Kafka's tools run against a Kafka broker"
        );
        kafka_sh()
            .arg(tool)
            .args(["--bootstrap-server", &self.bootstrap])
            .args(args)
            .output()
            .expect("running scripts/kafka.sh")
    }

    /// The newsflow binary configured for this broker and consumer group.
    pub fn newsflow(&self, group: &str) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_newsflow"));
        c.env("NEWSFLOW_KAFKA__BROKERS", &self.bootstrap)
            .env("NEWSFLOW_KAFKA__GROUP_ID", group)
            .env("NEWSFLOW_METRICS__LISTEN", "127.0.0.1:0")
            .env("NEWSFLOW_METRICS__REPLAY_LISTEN", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            // A join round ends when every member rejoined or its session
            // expired; under load the mock cluster can wait for the expiry,
            // so a short session keeps a second member's join short.
            .env("NEWSFLOW_KAFKA__CONSUMER__SESSION_TIMEOUT_MS", "10000")
            .env_remove("NEWSFLOW_PIPELINE__MAX_IN_FLIGHT");
        c
    }

    /// Produces each payload to `topic`, round-robin over partitions.
    pub fn produce(&self, topic: &str, payloads: &[Vec<u8>], partitions: i32) {
        let p = self.producer();
        for (i, payload) in payloads.iter().enumerate() {
            send(&p, topic, payload, (i as i32) % partitions);
        }
        p.flush(Duration::from_secs(30)).expect("flush");
    }

    /// Produces like [`TestBroker::produce`], from a thread, `per_tick`
    /// records every `tick`: a stream that goes on whatever the test does
    /// meanwhile (kills, restarts).
    pub fn produce_paced(
        &self,
        topic: &str,
        payloads: Vec<Vec<u8>>,
        partitions: i32,
        per_tick: usize,
        tick: Duration,
    ) -> std::thread::JoinHandle<()> {
        let (p, topic) = (self.producer(), topic.to_string());
        std::thread::spawn(move || {
            for (i, chunk) in payloads.chunks(per_tick.max(1)).enumerate() {
                if i > 0 {
                    std::thread::sleep(tick);
                }
                for (j, payload) in chunk.iter().enumerate() {
                    let n = i * per_tick + j;
                    send(&p, &topic, payload, (n as i32) % partitions);
                }
            }
            p.flush(Duration::from_secs(30)).expect("flush");
        })
    }

    /// An idempotent producer: records keep their order within a partition.
    fn producer(&self) -> BaseProducer {
        ClientConfig::new()
            .set("bootstrap.servers", &self.bootstrap)
            .set("enable.idempotence", "true")
            .set("linger.ms", "5")
            .create()
            .unwrap()
    }

    /// Produces payloads to one partition, in order.
    pub fn produce_to(&self, topic: &str, partition: i32, payloads: &[Vec<u8>]) {
        let p = self.producer();
        for payload in payloads {
            p.send(
                BaseRecord::<(), [u8]>::to(topic)
                    .payload(payload)
                    .partition(partition),
            )
            .expect("enqueue");
        }
        p.flush(Duration::from_secs(30)).expect("flush");
    }

    /// Produces (timestamp ms, payload) pairs to one partition, in order.
    pub fn produce_at(&self, topic: &str, partition: i32, msgs: &[(i64, Vec<u8>)]) {
        let p = self.producer();
        for (ts, payload) in msgs {
            p.send(
                BaseRecord::<(), [u8]>::to(topic)
                    .payload(payload)
                    .partition(partition)
                    .timestamp(*ts),
            )
            .expect("enqueue");
        }
        p.flush(Duration::from_secs(30)).expect("flush");
    }

    /// The committed offset of `group` on each partition of `topic` (-1: none).
    pub fn committed(&self, group: &str, topic: &str, partitions: i32) -> Vec<i64> {
        let c: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", &self.bootstrap)
            .set("group.id", group)
            .create()
            .unwrap();
        let mut tpl = TopicPartitionList::new();
        for p in 0..partitions {
            tpl.add_partition(topic, p);
        }
        let got = c.committed_offsets(tpl, Duration::from_secs(10)).unwrap();
        (0..partitions)
            .map(|p| match got.find_partition(topic, p).unwrap().offset() {
                Offset::Offset(o) => o,
                _ => -1,
            })
            .collect()
    }

    /// Number of messages in a topic (sum of high minus low watermarks).
    pub fn count(&self, topic: &str) -> i64 {
        let c: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", &self.bootstrap)
            .create()
            .unwrap();
        let md = c
            .fetch_metadata(Some(topic), Duration::from_secs(10))
            .unwrap();
        let parts = md.topics()[0].partitions().len() as i32;
        (0..parts)
            .map(|p| {
                let (lo, hi) = c
                    .fetch_watermarks(topic, p, Duration::from_secs(10))
                    .unwrap();
                hi - lo
            })
            .sum()
    }

    /// Reads every message of a topic from the beginning, waiting up to
    /// `timeout` for at least `at_least` of them. Reads committed records
    /// only (`read_committed`): records of aborted or still open
    /// transactions are never seen, as downstream consumers should see them.
    pub fn read_all(&self, topic: &str, at_least: usize, timeout: Duration) -> Vec<OwnedMessage> {
        let c: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", &self.bootstrap)
            .set("group.id", "test-reader")
            .set("enable.auto.commit", "false")
            .set("enable.partition.eof", "false")
            .set("isolation.level", "read_committed")
            .create()
            .unwrap();
        let md = c
            .fetch_metadata(Some(topic), Duration::from_secs(10))
            .unwrap();
        let mut tpl = TopicPartitionList::new();
        for p in md.topics()[0].partitions() {
            tpl.add_partition_offset(topic, p.id(), Offset::Beginning)
                .unwrap();
        }
        c.assign(&tpl).unwrap();
        let mut out = Vec::new();
        let deadline = Instant::now() + timeout;
        let mut quiet_since = Instant::now();
        while Instant::now() < deadline {
            match c.poll(Duration::from_millis(200)) {
                Some(Ok(m)) => {
                    out.push(m.detach());
                    quiet_since = Instant::now();
                }
                Some(Err(e)) => panic!("reading {topic}: {e}"),
                None => {
                    if out.len() >= at_least && quiet_since.elapsed() > Duration::from_millis(1500)
                    {
                        break;
                    }
                }
            }
        }
        out
    }
}

pub fn header(m: &OwnedMessage, key: &str) -> Option<String> {
    let h = m.headers()?;
    h.iter()
        .find(|x| x.key == key)
        .and_then(|x| x.value)
        .map(|v| String::from_utf8_lossy(v).into_owned())
}

pub fn json(m: &OwnedMessage) -> serde_json::Value {
    serde_json::from_slice(m.payload().expect("payload")).expect("output is JSON")
}

/// Decodes a `Transfer-Encoding: chunked` body (Go switches to it for
/// responses larger than its write buffer).
pub fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = String::from_utf8_lossy(&body[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .expect("chunk size");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[line_end + 2..line_end + 2 + size]);
        body = &body[line_end + 2 + size + 2..];
    }
}

/// HTTP/1.1 GET with `Connection: close`; returns (status code, body).
pub fn http_get(addr: &str, path: &str) -> std::io::Result<(u16, String)> {
    let mut s = std::net::TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("HTTP response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("HTTP status");
    let body = &raw[split + 4..];
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_vec()
    };
    Ok((code, String::from_utf8_lossy(&body).into_owned()))
}

/// A running newsflow process whose stderr is collected in the background.
pub struct Running {
    pub child: Child,
    pub stderr: Arc<Mutex<String>>,
}

impl Running {
    pub fn start(mut cmd: Command) -> Running {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawning newsflow");
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap_or_else(|e| e.into_inner());
                s.push_str(&line);
                s.push('\n');
            }
        });
        Running { child, stderr }
    }

    pub fn wait_for_log(&self, needle: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.stderr.lock().unwrap().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in newsflow's log:\n{}",
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Waits for exit; returns (exit code, stdout).
    pub fn wait(mut self, timeout: Duration) -> (i32, String, String) {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut out = String::new();
                self.child
                    .stdout
                    .take()
                    .unwrap()
                    .read_to_string(&mut out)
                    .unwrap();
                std::thread::sleep(Duration::from_millis(50));
                let err = self.stderr.lock().unwrap().clone();
                return (status.code().unwrap_or(-1), out, err);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "newsflow did not exit within {timeout:?}; log:\n{}",
                    self.stderr.lock().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Runs `newsflow run --exit-when-idle SECS` to completion and returns the
/// JSON summary from its last stdout line.
pub fn run_until_idle(mut cmd: Command, idle_secs: f64) -> serde_json::Value {
    cmd.args(["run", "--exit-when-idle", &idle_secs.to_string()]);
    let (code, out, err) = Running::start(cmd).wait(Duration::from_secs(180));
    assert_eq!(code, 0, "newsflow run failed; log:\n{err}");
    let last = out.lines().last().unwrap_or_default();
    serde_json::from_str(last)
        .unwrap_or_else(|e| panic!("last line {last:?} is not the summary ({e}); log:\n{err}"))
}

/// `n` distinct valid articles of about `size` bytes, with ids `prefix-i`.
pub fn articles(prefix: &str, n: usize, size: usize) -> Vec<Vec<u8>> {
    const WORDS: &[&str] = &[
        "ministers",
        "met",
        "in",
        "Geneva",
        "on",
        "Tuesday",
        "to",
        "discuss",
        "the",
        "ceasefire",
        "talks",
        "while",
        "protesters",
        "gathered",
        "outside",
        "parliament",
        "and",
        "police",
        "detained",
        "several",
        "people",
        "officials",
        "said",
        "trade",
        "tariffs",
        "rose",
        "sharply",
        "after",
        "floods",
        "displaced",
    ];
    (0..n)
        .map(|i| {
            let mut body = String::with_capacity(size);
            // Distinct text per (prefix, i): batches must not dedup each other.
            let salt = prefix.bytes().fold(1469598103934665603usize, |h, b| {
                (h ^ b as usize).wrapping_mul(1099511628211)
            });
            let mut k = salt ^ (i * 7919 + 13);
            while body.len() < size {
                k = k
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                body.push_str(WORDS[(k >> 33) % WORDS.len()]);
                body.push(if (k >> 20) % 17 == 0 { '.' } else { ' ' });
            }
            serde_json::json!({
                "id": format!("{prefix}-{i}"),
                "url": format!("https://wire.example/{prefix}/{i}"),
                "source": "Wire",
                "published_at": "2026-01-14T08:00:00Z",
                "title": format!("Story {i}"),
                "body": body,
            })
            .to_string()
            .into_bytes()
        })
        .collect()
}

/// Enqueues one record; a full queue hands it back: serve deliveries, retry.
fn send(p: &BaseProducer, topic: &str, payload: &[u8], partition: i32) {
    let mut record = BaseRecord::<(), [u8]>::to(topic)
        .payload(payload)
        .partition(partition);
    while let Err((_, r)) = p.send(record) {
        record = r;
        p.poll(Duration::from_millis(10));
    }
    p.poll(Duration::ZERO);
}
