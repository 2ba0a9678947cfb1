//! Replay progress: one bar (rate, ETA, counts) on a terminal, a log line
//! every ten seconds otherwise (CI logs and `kubectl logs` have no cursor).

use super::super::shared::Shared;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// Reports until aborted; `total` is the number of messages to publish.
pub fn spawn(shared: Arc<Shared>, total: u64) -> JoinHandle<()> {
    let done = move |s: &Shared| {
        let c = s.stats.counters.consumed.load(Ordering::Relaxed);
        c.saturating_sub(s.inflight.tracker().total_in_flight() as u64)
    };
    if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(
                "replay {bar:40} {pos}/{len} messages  {per_sec}  ETA {eta}  {msg}",
            )
            .expect("a valid template"),
        );
        tokio::spawn(async move {
            loop {
                bar.set_position(done(&shared));
                let c = &shared.stats.counters;
                bar.set_message(format!(
                    "articles {} events {} duplicates {} dlq {}",
                    c.articles.load(Ordering::Relaxed),
                    c.events.load(Ordering::Relaxed),
                    c.duplicates.load(Ordering::Relaxed),
                    c.dlq.load(Ordering::Relaxed)
                ));
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    } else {
        tokio::spawn(async move {
            let start = Instant::now();
            loop {
                tokio::time::sleep(Duration::from_secs(10)).await;
                let n = done(&shared);
                let secs = start.elapsed().as_secs_f64();
                let rate = n as f64 / secs.max(0.001);
                let eta = if rate > 0.0 {
                    (total.saturating_sub(n)) as f64 / rate
                } else {
                    f64::INFINITY
                };
                tracing::info!(
                    done = n,
                    total,
                    rate = format!("{rate:.0}/s"),
                    eta_secs = format!("{eta:.0}"),
                    "replay progress"
                );
            }
        })
    }
}
