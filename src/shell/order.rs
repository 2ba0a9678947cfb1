//! Turnstiles: let concurrent workers take one step in a fixed global order.
//!
//! `replay` promises byte-identical output for the same range, so the two
//! steps whose effect depends on what came before (the dedup decision, and
//! the enqueueing of records into the producer, which fixes their order in
//! each output partition) must happen in the order the merge assigned to the
//! messages, whichever worker holds them. Everything else (parsing,
//! normalizing, extracting) stays parallel.
//!
//! Deadlock-free because every worker takes its messages in increasing
//! sequence order and each sequence number is in some worker's queue: the
//! smallest outstanding one is always at the head of a queue.

use tokio::sync::watch;

/// Admits sequence numbers 0, 1, 2, … one at a time.
#[derive(Debug)]
pub struct Turnstile {
    next: watch::Sender<u64>,
}

impl Default for Turnstile {
    fn default() -> Self {
        Turnstile {
            next: watch::Sender::new(0),
        }
    }
}

impl Turnstile {
    /// Waits until `seq` is the next one admitted.
    pub async fn wait(&self, seq: u64) {
        let mut rx = self.next.subscribe();
        // Err only when the sender is gone, which cannot happen while &self lives.
        let _ = rx.wait_for(|next| *next >= seq).await;
    }

    /// Admits the next sequence number. Every admitted holder must call this
    /// exactly once, on every path (errors included), or the order stalls.
    pub fn advance(&self) {
        self.next.send_modify(|n| *n += 1);
    }
}

/// The two ordered steps of a replay worker.
#[derive(Debug, Default)]
pub struct Order {
    pub decide: Turnstile,
    pub send: Turnstile,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn holders_pass_in_sequence_order_whatever_their_arrival() {
        let gate = Arc::new(Turnstile::default());
        let seen = Arc::new(Mutex::new(Vec::new()));
        // Two "workers" with interleaved, increasing sequence numbers; the
        // odd one starts first and must still wait for 0.
        let mut tasks = Vec::new();
        for start in [1u64, 0] {
            let (gate, seen) = (gate.clone(), seen.clone());
            tasks.push(tokio::spawn(async move {
                for seq in (start..20).step_by(2) {
                    gate.wait(seq).await;
                    seen.lock().unwrap().push(seq);
                    gate.advance();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*seen.lock().unwrap(), (0..20).collect::<Vec<_>>());
    }
}
