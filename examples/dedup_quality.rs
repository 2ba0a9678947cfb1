//! Quality of the near-duplicate sketch against exact ground truth.
//!
//! For each research corpus under ../shared/corpora (skipped with a message
//! when absent) this computes:
//!
//! 1. the exact ground truth: every pair of articles whose word 5-shingle sets
//!    have Jaccard >= the threshold, by prefix filtering (AllPairs: with shingles
//!    in a global rarest-first order, two sets with Jaccard >= t must share a
//!    shingle within their first |A| - ceil(t|A|) + 1) and exact verification;
//! 2. the sketch at pair level: pairs sharing an LSH band key (the candidates),
//!    accepted when the text is the same or the estimated similarity is >= t,
//!    exactly as `DedupIndex::check` decides, scored against 1;
//! 3. the index at decision level: the articles streamed through
//!    `DedupIndex::observe` in file order, each "duplicate of X" decision scored
//!    against the ground truth;
//! 4. a stress test on long texts: every article paired with a copy edited by
//!    random word substitutions so that the pairs' exact Jaccard spreads over
//!    [0.5, 1] (many near the threshold, unlike real duplicates);
//! 5. for comparison, 64-bit SimHash (Charikar; Manku et al. 2007) at several
//!    Hamming distances, all pairs by brute force (what the permuted-table
//!    search would find).
//!
//! Run: `cargo run --release --example dedup_quality [-- THRESHOLD]`.

use newsflow::stages::dedup::{shingles, Decision, DedupConfig, DedupIndex, Fingerprint, BANDS};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

struct Doc {
    id: String,
    time: i64,
    set: Vec<u64>,
    fp: Fingerprint,
}

type Pairs = HashMap<(u32, u32), f64>;

fn main() -> anyhow::Result<()> {
    let threshold: f64 = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(0.8);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    for name in ["reuters21578-train.jsonl", "bbc.jsonl"] {
        let path = dir.join(name);
        if !path.exists() {
            println!("{name}: not found under {}, skipped", dir.display());
            continue;
        }
        let started = Instant::now();
        let docs = load(&path)?;
        println!(
            "\n== {name}: {} articles (loaded and fingerprinted in {:.1?})",
            docs.len(),
            started.elapsed()
        );
        let started = Instant::now();
        let truth = exact_pairs(&docs, threshold);
        println!(
            "exact ground truth: {} pairs with Jaccard >= {threshold} ({:.1?})",
            truth.len(),
            started.elapsed()
        );
        histogram(&docs, threshold);
        pair_level(&docs, &truth, threshold as f32);
        decision_level(&docs, &truth, threshold as f32);
        perturbed(&text_of(&path)?, threshold);
        simhash(&docs, &truth);
    }
    Ok(())
}

fn text_of(path: &PathBuf) -> anyhow::Result<Vec<serde_json::Value>> {
    let text = std::fs::read_to_string(path)?;
    let lines = text.lines().filter(|l| !l.trim().is_empty());
    Ok(lines.map(serde_json::from_str).collect::<Result<_, _>>()?)
}

fn load(path: &PathBuf) -> anyhow::Result<Vec<Doc>> {
    let mut docs = Vec::new();
    for (n, v) in text_of(path)?.into_iter().enumerate() {
        let body = v["body"].as_str().unwrap_or_default();
        let time = v["published_at"]
            .as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map_or(1_000_000_000 + n as i64, |t| t.timestamp());
        let id = v["id"]
            .as_str()
            .map_or_else(|| format!("line-{n}"), str::to_string);
        docs.push(Doc {
            id,
            time,
            set: shingles(body),
            fp: Fingerprint::compute(None, body),
        });
    }
    Ok(docs)
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => (i, j, both) = (i + 1, j + 1, both + 1),
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

/// Length of the prefix that any set with Jaccard >= t must intersect.
fn prefix_len(n: usize, t: f64) -> usize {
    let overlap = ((t * n as f64) - 1e-9).ceil().max(1.0) as usize;
    n + 1 - overlap.min(n)
}

/// Every pair (i < j) with Jaccard >= t, found by prefix filtering.
fn exact_pairs(docs: &[Doc], t: f64) -> Pairs {
    let mut df: HashMap<u64, u32> = HashMap::new();
    docs.iter()
        .flat_map(|d| &d.set)
        .for_each(|&s| *df.entry(s).or_default() += 1);
    let mut index: HashMap<u64, Vec<u32>> = HashMap::new();
    let mut pairs = Pairs::new();
    let mut seen: Vec<u32> = vec![u32::MAX; docs.len()];
    for (j, d) in docs.iter().enumerate() {
        if d.set.is_empty() {
            continue;
        }
        let mut ordered = d.set.clone();
        ordered.sort_by_key(|s| (df[s], *s));
        let prefix = &ordered[..prefix_len(ordered.len(), t)];
        for s in prefix {
            for &i in index.get(s).map_or(&[][..], Vec::as_slice) {
                let other = &docs[i as usize].set;
                let (lo, hi) = (other.len().min(d.set.len()), other.len().max(d.set.len()));
                if seen[i as usize] == j as u32 || (lo as f64) < t * hi as f64 - 1e-9 {
                    continue;
                }
                seen[i as usize] = j as u32;
                let jac = jaccard(other, &d.set);
                if jac >= t {
                    pairs.insert((i, j as u32), jac);
                }
            }
        }
        for &s in prefix {
            index.entry(s).or_default().push(j as u32);
        }
    }
    pairs
}

/// How many pairs lie just below and above the threshold (where sketches err).
fn histogram(docs: &[Doc], t: f64) {
    let lower = (t - 0.2).max(0.05);
    let near = exact_pairs(docs, lower);
    let mut bins = [0usize; 5];
    for &j in near.values() {
        bins[(((j - lower) / 0.05 + 1e-9) as usize).min(4)] += 1;
    }
    let labels: Vec<String> = (0..5)
        .map(|b| {
            format!(
                "[{:.2},{}): {}",
                lower + 0.05 * b as f64,
                if b == 4 {
                    "1]".into()
                } else {
                    format!("{:.2}", lower + 0.05 * (b + 1) as f64)
                },
                bins[b]
            )
        })
        .collect();
    println!("pairs by Jaccard: {}", labels.join("  "));
}

fn score(name: &str, predicted: &HashSet<(u32, u32)>, truth: &Pairs) {
    let tp = predicted.iter().filter(|p| truth.contains_key(p)).count();
    let precision = if predicted.is_empty() {
        1.0
    } else {
        tp as f64 / predicted.len() as f64
    };
    let recall = if truth.is_empty() {
        1.0
    } else {
        tp as f64 / truth.len() as f64
    };
    println!(
        "{name}: precision {precision:.4} recall {recall:.4} (predicted {}, correct {tp}, missed {})",
        predicted.len(),
        truth.len() - tp
    );
}

fn pair_level(docs: &[Doc], truth: &Pairs, t: f32) {
    let started = Instant::now();
    let mut buckets: HashMap<(usize, u32), Vec<u32>> = HashMap::new();
    for (i, d) in docs.iter().enumerate().filter(|(_, d)| d.fp.has_text()) {
        for (b, key) in d.fp.band_keys().into_iter().enumerate() {
            buckets.entry((b, key)).or_default().push(i as u32);
        }
    }
    let mut candidates: HashSet<(u32, u32)> = HashSet::new();
    for members in buckets.values() {
        for (x, &i) in members.iter().enumerate() {
            candidates.extend(members[x + 1..].iter().map(|&j| (i, j)));
        }
    }
    let found = truth.keys().filter(|p| candidates.contains(p)).count();
    println!(
        "LSH ({BANDS} bands of 3 rows): {} candidate pairs, {found} of {} true pairs among them (candidate recall {:.4})",
        candidates.len(),
        truth.len(),
        found as f64 / truth.len().max(1) as f64
    );
    let accepted: HashSet<(u32, u32)> = candidates
        .into_iter()
        .filter(|&(i, j)| docs[j as usize].fp.similarity(&docs[i as usize].fp) >= t)
        .collect();
    score(
        &format!("sketch, pairs ({:.1?})", started.elapsed()),
        &accepted,
        truth,
    );
}

fn decision_level(docs: &[Doc], truth: &Pairs, t: f32) {
    let started = Instant::now();
    let by_id: HashMap<&str, u32> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i as u32))
        .collect();
    let cfg = DedupConfig {
        near_threshold: t,
        window_secs: 100 * 365 * 86_400,
        capacity: docs.len().max(1),
        ..DedupConfig::default()
    };
    let mut index = DedupIndex::new(cfg).expect("valid config");
    let has_earlier: HashSet<u32> = truth.keys().map(|&(_, j)| j).collect();
    let (mut flagged, mut right, mut caught) = (0usize, 0usize, 0usize);
    for (j, d) in docs.iter().enumerate() {
        let decision = index.observe(&d.id, &d.fp, d.time);
        if let Decision::Duplicate { of, .. } = decision {
            flagged += 1;
            let i = by_id[of.as_str()];
            let pair = (i.min(j as u32), i.max(j as u32));
            right += usize::from(truth.contains_key(&pair));
            caught += usize::from(has_earlier.contains(&(j as u32)));
        }
    }
    println!(
        "index, decisions ({:.1?}): precision {:.4} recall {:.4} ({flagged} flagged, {right} with a true match, {caught} of {} articles that have an earlier match)",
        started.elapsed(),
        right as f64 / flagged.max(1) as f64,
        caught as f64 / has_earlier.len().max(1) as f64,
        has_earlier.len()
    );
}

/// Each article of at least 100 words against a copy with random word
/// substitutions (deterministic xorshift), scored like the pair level.
fn perturbed(lines: &[serde_json::Value], t: f64) {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let (mut tp, mut fp, mut fneg, mut sq, mut n) = (0usize, 0usize, 0usize, 0.0f64, 0usize);
    for v in lines {
        let words: Vec<&str> = v["body"]
            .as_str()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        if words.len() < 100 {
            continue;
        }
        let mut edited = words.clone();
        // Each substitution changes up to 5 shingles: spread J over about [0.5, 1].
        for _ in 0..next(words.len() / 15 + 1) {
            let (at, from) = (next(words.len()), next(words.len()));
            edited[at] = words[from];
        }
        let (a, b) = (words.join(" "), edited.join(" "));
        let exact = jaccard(&shingles(&a), &shingles(&b));
        let (fa, fb) = (
            Fingerprint::compute(None, &a),
            Fingerprint::compute(None, &b),
        );
        let candidate = fa
            .band_keys()
            .iter()
            .zip(fb.band_keys())
            .any(|(x, y)| *x == y);
        let estimate = fb.similarity(&fa);
        let accepted = candidate && estimate >= t as f32;
        sq += (f64::from(estimate) - exact).powi(2);
        n += 1;
        match (accepted, exact >= t) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            _ => {}
        }
    }
    println!(
        "stress, {n} edited copies of long articles ({} with Jaccard >= {t}): precision {:.4} recall {:.4}, estimate RMSE {:.4}",
        tp + fneg,
        tp as f64 / (tp + fp).max(1) as f64,
        tp as f64 / (tp + fneg).max(1) as f64,
        (sq / n.max(1) as f64).sqrt()
    );
}

/// 64-bit SimHash over the same shingle set, unit weights.
fn simhash(docs: &[Doc], truth: &Pairs) {
    let hashes: Vec<Option<u64>> = docs
        .iter()
        .map(|d| {
            (!d.set.is_empty()).then(|| {
                let mut votes = [0i32; 64];
                for &s in &d.set {
                    for (b, v) in votes.iter_mut().enumerate() {
                        *v += if s >> b & 1 == 1 { 1 } else { -1 };
                    }
                }
                votes
                    .iter()
                    .enumerate()
                    .fold(0u64, |acc, (b, &v)| acc | u64::from(v > 0) << b)
            })
        })
        .collect();
    for k in [3u32, 6, 9, 12] {
        let mut predicted = HashSet::new();
        for (i, a) in hashes.iter().enumerate() {
            let Some(a) = a else { continue };
            for (j, b) in hashes.iter().enumerate().skip(i + 1) {
                if b.is_some_and(|b| (a ^ b).count_ones() <= k) {
                    predicted.insert((i as u32, j as u32));
                }
            }
        }
        score(&format!("simhash-64, Hamming <= {k:2}"), &predicted, truth);
    }
}
