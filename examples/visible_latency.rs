//! End-to-end latency as a downstream reader sees it: the time from sending
//! an article to the input topic until its article record is visible to a
//! `read_committed` consumer of the articles topic. Under exactly-once that
//! includes waiting for the transaction to commit, which the run summary's
//! latency (output acknowledged minus input timestamp) does not.
//!
//! It sends the articles of FILE (JSONL; each gets the id `<prefix>-<n>`) at
//! a steady RATE per second to the input topic of a running `newsflow run`,
//! reads the articles topic from its end meanwhile, and prints one JSON line:
//! articles sent, seen, and the latency quantiles of those seen (a duplicate
//! dropped by dedup has no article record and is not seen).
//!
//! WARMUP (default 0) leading articles are sent at the same rate but left
//! out of the quantiles: the first seconds after a broker and the pipeline
//! start (the broker's JVM compiling its hot paths, the first transactions
//! registering their partitions) build a backlog that says nothing of the
//! steady state; the JSON line gives the quantiles of the warm-up too.
//!
//! Run (a broker and `newsflow run` on it already up):
//! `cargo run --release --example visible_latency -- BROKERS FILE RATE [COUNT [WARMUP]]`
//! Results: docs/benchmarks.md ("Delivery modes").

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};
use std::io::BufRead;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const INPUT: &str = "news.articles.raw";
const OUTPUT: &str = "news.articles";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [brokers, file, rate] = [0, 1, 2].map(|i| args.get(i).cloned().unwrap_or_default());
    let rate: f64 = rate
        .parse()
        .map_err(|_| anyhow::anyhow!("usage: BROKERS FILE RATE [COUNT [WARMUP]]"))?;
    let lines: Vec<serde_json::Value> = std::io::BufReader::new(std::fs::File::open(&file)?)
        .lines()
        .map(|l| Ok(serde_json::from_str(&l?)?))
        .collect::<anyhow::Result<_>>()?;
    let count = args
        .get(3)
        .map_or(Ok(lines.len()), |c| c.parse())?
        .min(lines.len());
    let warmup: usize = args.get(4).map_or(Ok(0), |w| w.parse())?;
    let prefix = format!("lat{}", std::process::id());

    // The reader starts at the end of every partition before anything is sent.
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .set("group.id", format!("{prefix}.reader"))
        .set("isolation.level", "read_committed")
        // Not to add a fetch's long-poll wait to what is measured.
        .set("fetch.wait.max.ms", "10")
        .set("enable.auto.commit", "false")
        .create()?;
    let meta = consumer.fetch_metadata(Some(OUTPUT), Duration::from_secs(10))?;
    let mut tpl = TopicPartitionList::new();
    for p in meta.topics()[0].partitions() {
        let (_, high) = consumer.fetch_watermarks(OUTPUT, p.id(), Duration::from_secs(10))?;
        tpl.add_partition_offset(OUTPUT, p.id(), Offset::Offset(high))?;
    }
    consumer.assign(&tpl)?;

    let sent: Arc<Mutex<Vec<Option<Instant>>>> = Arc::new(Mutex::new(vec![None; count]));
    let sender = {
        let (sent, brokers, prefix) = (sent.clone(), brokers.clone(), prefix.clone());
        std::thread::spawn(move || -> anyhow::Result<()> {
            let producer: BaseProducer = ClientConfig::new()
                .set("bootstrap.servers", &brokers)
                .set("linger.ms", "0")
                .create()?;
            let start = Instant::now();
            for (i, line) in lines.into_iter().take(count).enumerate() {
                let due = start + Duration::from_secs_f64(i as f64 / rate);
                std::thread::sleep(due.saturating_duration_since(Instant::now()));
                let mut a = line;
                a["id"] = format!("{prefix}-{i}").into();
                a["url"] = format!("https://latency.example/{prefix}/{i}").into();
                let payload = serde_json::to_vec(&a)?;
                sent.lock().unwrap()[i] = Some(Instant::now());
                while let Err((e, _)) =
                    producer.send(BaseRecord::<(), _>::to(INPUT).payload(&payload))
                {
                    anyhow::ensure!(
                        matches!(
                            e,
                            rdkafka::error::KafkaError::MessageProduction(
                                rdkafka::types::RDKafkaErrorCode::QueueFull
                            )
                        ),
                        "send: {e}"
                    );
                    producer.poll(Duration::from_millis(10));
                }
                producer.poll(Duration::ZERO);
            }
            producer.flush(Duration::from_secs(60))?;
            Ok(())
        })
    };

    let mut latencies_ms: Vec<f64> = Vec::with_capacity(count);
    let mut warmup_ms: Vec<f64> = Vec::with_capacity(warmup);
    let mut last_seen = Instant::now();
    loop {
        match consumer.poll(Duration::from_millis(100)) {
            Some(Ok(m)) => {
                let seen = Instant::now();
                let Some(Ok(record)) = m.payload().map(serde_json::from_slice::<serde_json::Value>)
                else {
                    continue;
                };
                let Some(i) = record["id"].as_str().and_then(|id| {
                    id.strip_prefix(&prefix)?
                        .strip_prefix('-')?
                        .parse::<usize>()
                        .ok()
                }) else {
                    continue;
                };
                if let Some(Some(t)) = sent.lock().unwrap().get(i) {
                    let ms = seen.duration_since(*t).as_secs_f64() * 1000.0;
                    if i < warmup {
                        warmup_ms.push(ms);
                    } else {
                        latencies_ms.push(ms);
                    }
                    last_seen = seen;
                }
            }
            Some(Err(e)) => eprintln!("reader: {e}"),
            None => {}
        }
        if latencies_ms.len() + warmup_ms.len() == count
            || (sender.is_finished() && last_seen.elapsed() > Duration::from_secs(15))
        {
            break;
        }
    }
    sender
        .join()
        .map_err(|_| anyhow::anyhow!("the sender panicked"))??;
    latencies_ms.sort_by(f64::total_cmp);
    warmup_ms.sort_by(f64::total_cmp);
    let q = |v: &[f64], f: f64| {
        v.get(((v.len() as f64 * f).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |v| (v * 10.0).round() / 10.0)
    };
    println!(
        "{}",
        serde_json::json!({
            "sent": count, "warmup": warmup.min(count), "seen": latencies_ms.len(), "rate": rate,
            "p50_ms": q(&latencies_ms, 0.50), "p99_ms": q(&latencies_ms, 0.99),
            "max_ms": q(&latencies_ms, 1.0),
            "warmup_p50_ms": q(&warmup_ms, 0.50), "warmup_p99_ms": q(&warmup_ms, 0.99),
        })
    );
    Ok(())
}
