//! Property test: the duplicates found do not depend on how the input is
//! partitioned or on how the partitions interleave.
//!
//! The shell reads partitions side by side and its workers take dedup
//! decisions in whatever order they get there; only the order *within* a
//! partition is fixed. So any merge of the per-partition sequences is a
//! possible order of decisions. For a corpus of stories, each with copies
//! (exact text, same URL, near copies) within the window, and a stream whose
//! time disorder stays inside the allowed lateness, every such order must
//! group the articles into the same stories: every pair inside the window
//! caught, nothing else joined.

use super::*;
use crate::stages::decide;
use std::collections::BTreeSet;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
const T0: i64 = 1_760_000_000;

/// xorshift64*: a small deterministic generator (no clock, no crate).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Doc {
    id: String,
    url: String,
    text: String,
    time: i64,
    story: usize,
}

/// Stories spread over three weeks (so the window moves and evicts), each
/// with zero to three copies published up to 6.5 days after it: an exact
/// copy under another URL, an update under the same URL, near copies with a
/// line of their own. Copies of one story are pairwise similar, so the
/// grouping cannot depend on which copy comes first.
fn corpus(seed: u64) -> Vec<Doc> {
    let mut rng = Rng::new(seed);
    let mut docs = Vec::new();
    for story in 0..90 {
        let body: Vec<String> = (0..70).map(|_| format!("w{}", rng.below(600))).collect();
        let body = body.join(" ");
        let time = T0 + story as i64 * 5 * HOUR + rng.below(HOUR as u64) as i64;
        let url = format!("https://outlet{}.example/story/{story}", story % 7);
        docs.push(Doc {
            id: format!("s{story}"),
            url: url.clone(),
            text: body.clone(),
            time,
            story,
        });
        for copy in 0..rng.below(4) {
            let later = time + rng.below((6 * DAY + 12 * HOUR) as u64) as i64;
            let (url, text) = match rng.below(3) {
                0 => (
                    format!("https://mirror{copy}.example/{story}"),
                    body.clone(),
                ),
                1 => (url.clone(), format!("{body} updated at {copy} gmt")),
                _ => (
                    format!("https://agency{copy}.example/{story}"),
                    format!("{body} reported by agency number {copy}"),
                ),
            };
            docs.push(Doc {
                id: format!("s{story}-c{copy}"),
                url,
                text,
                time: later,
                story,
            });
        }
    }
    // The stream follows publication time, each article up to 20 hours
    // early or late: inside the default lateness of a day.
    let mut keyed: Vec<(i64, Doc)> = docs
        .into_iter()
        .map(|d| (d.time + rng.below((40 * HOUR) as u64) as i64 - 20 * HOUR, d))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    keyed.into_iter().map(|(_, d)| d).collect()
}

/// Splits the stream over `partitions` (at random, keeping each partition's
/// order), takes decisions in a random merge of the partitions, and returns
/// the stories found: the sets of article ids sharing a story id.
fn stories_found(docs: &[Doc], partitions: usize, seed: u64) -> BTreeSet<BTreeSet<String>> {
    let mut rng = Rng::new(seed);
    let fps: Vec<Fingerprint> = docs
        .iter()
        .map(|d| Fingerprint::compute(Some(&d.url), &d.text))
        .collect();
    let mut queues: Vec<std::collections::VecDeque<usize>> = vec![Default::default(); partitions];
    for i in 0..docs.len() {
        queues[rng.below(partitions as u64) as usize].push_back(i);
    }
    let mut index = DedupIndex::new(DedupConfig {
        capacity: 10_000,
        ..DedupConfig::default()
    })
    .unwrap();
    // The consumer registers every assigned partition before reading any.
    for p in 0..partitions {
        index.add_lane(p as i32);
    }
    let mut story_of: Vec<Option<String>> = vec![None; docs.len()];
    loop {
        let open: Vec<usize> = (0..partitions).filter(|&p| !queues[p].is_empty()).collect();
        if open.is_empty() {
            break;
        }
        let p = open[rng.below(open.len() as u64) as usize];
        let i = queues[p].pop_front().unwrap();
        index.note_lane(p as i32, docs[i].time);
        let d = decide(
            &mut index,
            &docs[i].id,
            &fps[i],
            docs[i].time,
            Delivery::at(p as i32, i as i64),
        );
        story_of[i] = Some(d.story_id(&docs[i].id).to_string());
    }
    let mut groups: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for (i, s) in story_of.into_iter().enumerate() {
        groups
            .entry(s.unwrap())
            .or_default()
            .insert(docs[i].id.clone());
    }
    groups.into_values().collect()
}

#[test]
fn duplicates_do_not_depend_on_partitioning_or_interleaving() {
    for corpus_seed in [1, 2] {
        let docs = corpus(corpus_seed);
        let mut expected: std::collections::BTreeMap<usize, BTreeSet<String>> = Default::default();
        for d in &docs {
            expected.entry(d.story).or_default().insert(d.id.clone());
        }
        let expected: BTreeSet<BTreeSet<String>> = expected.into_values().collect();
        assert!(
            docs.len() > expected.len() + 60,
            "the corpus has copies to find"
        );
        for partitions in 1..=8 {
            for run in 0..6 {
                let found = stories_found(&docs, partitions, corpus_seed * 1000 + run);
                assert_eq!(
                    found, expected,
                    "{partitions} partitions, interleaving {run} of corpus {corpus_seed}"
                );
            }
        }
    }
}

/// A story's fingerprint and an unrelated one.
fn story_and_other() -> (Fingerprint, Fingerprint) {
    let text = |prefix: &str| {
        (0..60)
            .map(|i| format!("{prefix}{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    (
        Fingerprint::compute(None, &text("w")),
        Fingerprint::compute(None, &text("v")),
    )
}

fn small_index() -> DedupIndex {
    DedupIndex::new(DedupConfig {
        capacity: 100,
        ..DedupConfig::default()
    })
    .unwrap()
}

/// Without registration, a partition read late would find the window moved
/// on by the others; registered at assignment, it holds the window back.
#[test]
fn a_registered_partition_holds_the_window_before_its_first_article() {
    let (fp, other) = story_and_other();
    let mut idx = small_index();
    idx.add_lane(0);
    idx.add_lane(1);
    idx.note_lane(0, T0);
    decide(&mut idx, "a", &fp, T0, Delivery::UNKNOWN);
    // Partition 0 runs a month ahead before partition 1 brings anything.
    idx.note_lane(0, T0 + 30 * DAY);
    decide(&mut idx, "far", &other, T0 + 30 * DAY, Delivery::UNKNOWN);
    idx.note_lane(1, T0 + HOUR);
    let d = decide(&mut idx, "copy", &fp, T0 + HOUR, Delivery::UNKNOWN);
    assert!(
        matches!(d, Decision::Duplicate { ref of, .. } if of == "a"),
        "{d:?}"
    );
}

/// An article up to the lateness behind its partition's newest article
/// still finds a copy just inside the window; past the lateness it may not.
#[test]
fn lateness_keeps_copies_for_late_articles() {
    let (fp, other) = story_and_other();
    let run = |late_by: i64| {
        let mut idx = small_index();
        idx.add_lane(0);
        idx.note_lane(0, T0);
        decide(&mut idx, "a", &fp, T0, Delivery::UNKNOWN);
        let copy_time = T0 + 7 * DAY - HOUR;
        let ahead = copy_time + late_by;
        idx.note_lane(0, ahead);
        decide(&mut idx, "ahead", &other, ahead, Delivery::UNKNOWN);
        idx.note_lane(0, copy_time);
        decide(&mut idx, "copy", &fp, copy_time, Delivery::UNKNOWN)
    };
    assert!(matches!(run(20 * HOUR), Decision::Duplicate { .. }));
    assert_eq!(run(3 * DAY), Decision::Unique, "beyond the lateness");
}
