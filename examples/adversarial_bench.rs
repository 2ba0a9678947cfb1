//! The worst time per message of each stage over the adversarial corpus
//! (tests/adversarial/corpus.rs): parse, normalize, the dedup fingerprint,
//! extract (with its budget check) and the records (with theirs), each case at the size given (default 1 MiB, the default
//! `pipeline.max_message_bytes`), best of three runs per stage so a busy
//! machine's noise does not count as the input's cost.
//!
//! Run: `cargo run --release --example adversarial_bench [-- SIZE_BYTES [CASE]]`
//! (CASE: only the cases whose name contains it).
//! Results: docs/benchmarks.md ("Adversarial inputs").

#[path = "../tests/adversarial/corpus.rs"]
mod corpus;

use newsflow::stages::dedup::{Decision, Delivery, Fingerprint};
use newsflow::stages::extract::Extractor;
use newsflow::stages::{budget, normalize, parse, route};
use std::time::{Duration, Instant};

const RUNS: usize = 3;

/// The fastest of [`RUNS`] runs of `f`, and its last result.
fn best<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut fastest = Duration::MAX;
    let mut out = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let r = f();
        fastest = fastest.min(t.elapsed());
        out = Some(r);
    }
    (fastest, out.expect("at least one run"))
}

fn main() {
    let size: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("SIZE_BYTES is a number"))
        .unwrap_or(1 << 20);
    let x = Extractor::load_default().expect("data/ loads");
    let only = std::env::args().nth(2).unwrap_or_default();
    let cases: Vec<_> = corpus::corpus(size)
        .into_iter()
        .filter(|c| c.name.contains(&only))
        .collect();
    let stages = ["parse", "normalize", "fingerprint", "extract", "records"];
    let mut worst = [(Duration::ZERO, ""); 5];
    let mut worst_total = (Duration::ZERO, "");
    println!(
        "{:<22} {:>9} {:>10} {:>10} {:>12} {:>10} {:>10} {:>10}  outcome",
        "case",
        "bytes",
        "parse ms",
        "norm ms",
        "fingerp. ms",
        "extract ms",
        "records ms",
        "total ms"
    );
    for case in &cases {
        let mut t = [Duration::ZERO; 5];
        let (d, raw) = best(|| parse::parse(&case.payload, size.max(1 << 20)));
        t[0] = d;
        let outcome = match raw {
            Err(r) => format!("dlq {}", r.class.as_str()),
            Ok(raw) => {
                let (d, article) = best(|| normalize::normalize(raw.clone()));
                t[1] = d;
                match article {
                    Err(r) => format!("dlq {}", r.class.as_str()),
                    Ok(a) => {
                        let (d, _) =
                            best(|| Fingerprint::compute(a.canonical_url.as_deref(), &a.body));
                        t[2] = d;
                        // Extract: its budget check, then (within budget) the
                        // extraction.
                        let (d, priced) = best(|| budget::check_extract(&a));
                        t[3] = d;
                        match priced {
                            Err(r) => format!("dlq {}", r.class.as_str()),
                            Ok(()) => {
                                let (d, e) = best(|| x.extract(&a));
                                t[3] += d;
                                // The records and their budget.
                                let fp = Fingerprint::compute(a.canonical_url.as_deref(), &a.body);
                                let (d, fits) = best(|| {
                                    let out = route::accepted(
                                        &a,
                                        &fp,
                                        0,
                                        Delivery::UNKNOWN,
                                        &Decision::Unique,
                                        false,
                                        Some(&e),
                                    );
                                    budget::check_records(&out.outputs)
                                });
                                t[4] = d;
                                let fallback = if a.html_fallback { ", stripped" } else { "" };
                                match fits {
                                    Ok(()) => {
                                        format!("article ({} events{fallback})", e.events.len())
                                    }
                                    Err(r) => format!("dlq {}{fallback}", r.class.as_str()),
                                }
                            }
                        }
                    }
                }
            }
        };
        let total: Duration = t.iter().sum();
        for (w, d) in worst.iter_mut().zip(t) {
            if d > w.0 {
                *w = (d, case.name);
            }
        }
        if total > worst_total.0 {
            worst_total = (total, case.name);
        }
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "{:<22} {:>9} {:>10.1} {:>10.1} {:>12.1} {:>10.1} {:>10.1} {:>10.1}  {outcome}",
            case.name,
            case.payload.len(),
            ms(t[0]),
            ms(t[1]),
            ms(t[2]),
            ms(t[3]),
            ms(t[4]),
            ms(total)
        );
    }
    println!();
    for (stage, (d, name)) in stages.iter().zip(worst) {
        println!(
            "worst {stage:<12} {:>8.1} ms  ({name})",
            d.as_secs_f64() * 1e3
        );
    }
    println!(
        "worst {:<12} {:>8.1} ms  ({})",
        "message",
        worst_total.0.as_secs_f64() * 1e3,
        worst_total.1
    );
}
