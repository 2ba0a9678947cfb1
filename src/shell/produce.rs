//! Loading articles into the input topic: `newsflow produce FILE|-` and
//! `newsflow run --seed FILE`.
//!
//! Lines are sent as they are (malformed ones too: they exercise the DLQ),
//! round-robin over the partitions so every partition gets an even share.
//! Against the embedded broker the broker's gate paces them (see
//! `embedded/gate.rs`): sends wait while the pipeline is far behind.

use anyhow::{bail, Context, Result};
use futures::stream::{FuturesUnordered, StreamExt};
use rdkafka::error::KafkaError;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::types::RDKafkaErrorCode;
use std::io::BufRead;
use std::time::Duration;

/// Sends every non-empty line of `reader` to `topic`. Returns the number of
/// messages acknowledged. `progress` is advanced per acknowledged message.
pub async fn produce_lines(
    producer: &FutureProducer,
    topic: &str,
    partitions: i32,
    mut reader: impl BufRead,
    rate: Option<f64>,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<u64> {
    let started = std::time::Instant::now();
    let mut in_flight = FuturesUnordered::new();
    let mut acked = 0u64;
    let mut line = Vec::with_capacity(8192);
    let mut index: i64 = 0;
    loop {
        line.clear();
        if reader
            .read_until(b'\n', &mut line)
            .context("reading input")?
            == 0
        {
            break;
        }
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        if line.is_empty() {
            continue;
        }
        if let Some(r) = rate.filter(|r| *r > 0.0) {
            let due = started + Duration::from_secs_f64(index as f64 / r);
            tokio::time::sleep_until(due.into()).await;
        }
        let partition = (index % i64::from(partitions.max(1))) as i32;
        index += 1;
        loop {
            let rec: FutureRecord<'_, (), [u8]> = FutureRecord::to(topic)
                .payload(&line[..])
                .partition(partition);
            match producer.send_result(rec) {
                Ok(f) => {
                    in_flight.push(f);
                    break;
                }
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                    if let Some(r) = in_flight.next().await {
                        acked += check(r)?;
                        if let Some(pb) = progress {
                            pb.inc(1);
                        }
                    }
                }
                Err((e, _)) => bail!("cannot send line {index} to {topic}: {e}"),
            }
        }
        while in_flight.len() > 10_000 {
            if let Some(r) = in_flight.next().await {
                acked += check(r)?;
                if let Some(pb) = progress {
                    pb.inc(1);
                }
            }
        }
    }
    while let Some(r) = in_flight.next().await {
        acked += check(r)?;
        if let Some(pb) = progress {
            pb.inc(1);
        }
    }
    Ok(acked)
}

fn check(
    r: Result<
        rdkafka::producer::future_producer::OwnedDeliveryResult,
        futures::channel::oneshot::Canceled,
    >,
) -> Result<u64> {
    match r {
        Ok(Ok(_)) => Ok(1),
        Ok(Err((e, _))) => bail!("broker refused a message: {e}"),
        Err(_) => bail!("producer shut down before delivery"),
    }
}
