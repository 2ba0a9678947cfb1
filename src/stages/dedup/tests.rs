//! Behaviour tests of the dedup core: the duplicate kinds, the window, story
//! ids, idempotent remembering, capacity limits, encoding and determinism.

use super::*;

const DAY: i64 = 24 * 3600;
const T0: i64 = 1_700_000_000;

const WIRE: &str = "Government troops and rebels clashed on Tuesday near the northern \
town of Kidal, killing at least twelve people, officials said. The fighting broke out \
after rebels attacked an army convoy on the road from Gao, according to a statement \
from the defence ministry. Residents said heavy gunfire could be heard for several \
hours and that many families fled towards the border. The United Nations mission \
called on both sides to respect the ceasefire signed last year in Algiers.";

/// Deterministic pseudo-random text: `n` words from a 400-word vocabulary.
fn words(seed: u64, n: usize) -> String {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("w{}", x % 400)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn jaccard(a: &str, b: &str) -> f64 {
    let (x, y) = (shingles(a), shingles(b));
    let inter = x.iter().filter(|h| y.binary_search(h).is_ok()).count();
    inter as f64 / (x.len() + y.len() - inter) as f64
}

fn index() -> DedupIndex {
    DedupIndex::new(DedupConfig {
        capacity: 10_000,
        ..DedupConfig::default()
    })
    .unwrap()
}

fn fp(url: Option<&str>, text: &str) -> Fingerprint {
    Fingerprint::compute(url, text)
}

fn kind(d: &Decision) -> Option<DuplicateKind> {
    match d {
        Decision::Unique => None,
        Decision::Duplicate { kind, .. } => Some(*kind),
    }
}

#[test]
fn same_canonical_url_is_an_exact_url_duplicate_even_with_new_text() {
    let mut ix = index();
    ix.remember(
        "a1",
        "a1",
        &fp(Some("https://example.com/mali/kidal"), WIRE),
        T0,
    );
    let corrected = WIRE
        .replace("twelve", "fourteen")
        .replace("Tuesday", "Wednesday");
    let d = ix.check(
        &fp(Some("https://example.com/mali/kidal"), &corrected),
        T0 + 3600,
    );
    assert_eq!(kind(&d), Some(DuplicateKind::ExactUrl));
    assert!(matches!(d, Decision::Duplicate { ref of, .. } if of == "a1"));
    let other = ix.check(
        &fp(
            Some("https://example.com/mali/gao"),
            "Something else entirely.",
        ),
        T0,
    );
    assert_eq!(other, Decision::Unique);
}

#[test]
fn repunctuated_and_reheadlined_copies_are_exact_text_duplicates() {
    let mut ix = index();
    ix.remember("a1", "a1", &fp(Some("https://example.com/a"), WIRE), T0);
    let shouted = WIRE
        .to_uppercase()
        .replace(", ", " -- ")
        .replace(". ", "!  \n\n");
    let d = ix.check(&fp(Some("https://other.example.org/b"), &shouted), T0 + 60);
    assert_eq!(
        d,
        Decision::Duplicate {
            of: "a1".into(),
            story_id: "a1".into(),
            kind: DuplicateKind::ExactText,
            similarity: 1.0,
            of_delivery: Delivery::UNKNOWN,
        }
    );
    // A new headline does not enter the body fingerprint; the body is the same.
    let d = ix.check(&fp(Some("https://third.example.net/c"), WIRE), T0 + 60);
    assert_eq!(kind(&d), Some(DuplicateKind::ExactText));
    // A changed word is no longer exact, but still near.
    let edited = WIRE.replace("twelve", "thirteen");
    assert_eq!(
        kind(&ix.check(&fp(None, &edited), T0)),
        Some(DuplicateKind::Near)
    );
}

#[test]
fn a_copy_with_a_paragraph_added_is_a_near_duplicate() {
    let mut ix = index();
    let base = words(1, 220);
    let longer = format!("{base}\n\n{}", words(2, 30));
    let exact = jaccard(&longer, &base);
    assert!((0.8..0.9).contains(&exact), "setup: jaccard {exact}");
    ix.remember("orig", "orig", &fp(None, &base), T0);
    match ix.check(&fp(None, &longer), T0 + DAY) {
        Decision::Duplicate {
            of,
            kind,
            similarity,
            ..
        } => {
            assert_eq!((of.as_str(), kind), ("orig", DuplicateKind::Near));
            assert!(
                (f64::from(similarity) - exact).abs() < 0.08,
                "estimate {similarity} vs {exact}"
            );
        }
        d => panic!("expected near duplicate, got {d:?}"),
    }
    // Far below the threshold: half of it rewritten.
    let half = format!("{} {}", &base[..base.len() / 2], words(3, 110));
    assert!(jaccard(&half, &base) < 0.6);
    assert_eq!(ix.check(&fp(None, &half), T0 + DAY), Decision::Unique);
}

#[test]
fn distinct_articles_on_the_same_topic_stay_apart() {
    let mut ix = index();
    let follow_up = "Fresh clashes between government troops and rebels near Kidal left \
        at least five soldiers dead on Thursday, the defence ministry said, two days after \
        fighting on the road from Gao killed twelve people. The United Nations mission \
        said it was sending a patrol and urged both sides to respect the Algiers ceasefire.";
    assert!(jaccard(WIRE, follow_up) < 0.2);
    ix.remember("a1", "a1", &fp(None, WIRE), T0);
    assert_eq!(
        ix.check(&fp(None, follow_up), T0 + 2 * DAY),
        Decision::Unique
    );
}

#[test]
fn the_window_expires_matches_and_evicts_entries() {
    let cfg = DedupConfig {
        window_secs: 7 * DAY as u64,
        capacity: 1000,
        ..DedupConfig::default()
    };
    let mut ix = DedupIndex::new(cfg).unwrap();
    let text = words(10, 120);
    ix.remember("old", "old", &fp(None, &text), T0);
    assert!(
        kind(&ix.check(&fp(None, &text), T0 + 7 * DAY)).is_some(),
        "edge of the window"
    );
    assert_eq!(
        ix.check(&fp(None, &text), T0 + 7 * DAY + 1),
        Decision::Unique
    );
    assert_eq!(
        ix.check(&fp(None, &text), T0 - 7 * DAY - 1),
        Decision::Unique
    );
    assert_eq!(ix.evictions(), 0);
    // Newer articles move the window; once it has moved past the old entry
    // by more than the window and the allowed lateness, the entry is evicted.
    ix.remember("new", "new", &fp(None, &words(11, 120)), T0 + 8 * DAY);
    assert_eq!((ix.len(), ix.evictions()), (2, 0), "within the lateness");
    ix.remember("newer", "newer", &fp(None, &words(13, 120)), T0 + 9 * DAY);
    assert_eq!((ix.len(), ix.evictions()), (2, 1));
    // Too old to be remembered now.
    assert_eq!(
        ix.remember("late", "late", &fp(None, &words(12, 50)), T0),
        Remembered::Expired
    );
    assert_eq!(ix.len(), 2);
}

#[test]
fn remember_is_idempotent() {
    let mut ix = index();
    let f = fp(Some("https://example.com/a"), WIRE);
    assert_eq!(ix.remember("a1", "a1", &f, T0), Remembered::Inserted);
    let before = ix.memory_bytes();
    for _ in 0..3 {
        assert_eq!(ix.remember("a1", "a1", &f, T0), Remembered::AlreadyKnown);
        let replayed = Fingerprint::from_bytes(&f.to_bytes()).unwrap();
        assert_eq!(
            ix.remember("a1", "a1", &replayed, T0),
            Remembered::AlreadyKnown
        );
    }
    assert_eq!((ix.len(), ix.memory_bytes()), (1, before));
}

#[test]
fn stories_follow_the_first_article_even_after_it_is_evicted() {
    let cfg = DedupConfig {
        window_secs: 10 * DAY as u64,
        max_lateness_secs: 0,
        capacity: 300,
        ..DedupConfig::default()
    };
    let mut ix = DedupIndex::new(cfg).unwrap();
    let v1 = words(20, 200);
    let v2 = format!("{v1} {}", words(21, 20));
    let v3 = format!("{v2} {}", words(22, 20));
    assert_eq!(ix.observe("first", &fp(None, &v1), T0), Decision::Unique);
    let d2 = ix.observe("second", &fp(None, &v2), T0 + 6 * DAY);
    assert!(
        matches!(&d2, Decision::Duplicate { of, story_id, .. } if of == "first" && story_id == "first")
    );
    // Long-id fillers older than "second"; a newer article then evicts them
    // and "first", and further articles need their entry numbers, which purges
    // the table and compacts the id arena (the dead ids outweigh the live ones).
    let long = "f".repeat(100);
    for i in 0..290 {
        ix.observe(
            &format!("{long}{i}"),
            &fp(None, &words(1000 + i, 40)),
            T0 + 2 * DAY,
        );
    }
    for i in 0..10 {
        ix.observe(
            &format!("late-{i}"),
            &fp(None, &words(2000 + i, 40)),
            T0 + 13 * DAY,
        );
    }
    assert_eq!((ix.evictions(), ix.len()), (291, 11));
    let d3 = ix.observe("third", &fp(None, &v3), T0 + 13 * DAY);
    assert!(
        matches!(&d3, Decision::Duplicate { of, story_id, .. } if of == "second" && story_id == "first"),
        "{d3:?}"
    );
}

#[test]
fn exact_copies_are_absorbed_but_their_urls_still_match() {
    let mut ix = index();
    assert_eq!(
        ix.remember("a", "a", &fp(Some("https://one.example/x"), WIRE), T0),
        Remembered::Inserted
    );
    assert_eq!(
        ix.remember("b", "a", &fp(Some("https://two.example/y"), WIRE), T0 + 10),
        Remembered::Absorbed
    );
    assert_eq!(
        ix.remember("c", "a", &fp(None, WIRE), T0 + 20),
        Remembered::Absorbed
    );
    assert_eq!(ix.len(), 2, "the URL-less copy needs no entry");
    let d = ix.check(&fp(Some("https://two.example/y"), "Updated text."), T0 + 30);
    assert_eq!(
        d,
        Decision::Duplicate {
            of: "b".into(),
            story_id: "a".into(),
            kind: DuplicateKind::ExactUrl,
            similarity: 0.0,
            of_delivery: Delivery::UNKNOWN,
        }
    );
    assert!(matches!(ix.check(&fp(None, WIRE), T0), Decision::Duplicate { of, .. } if of == "a"));
}

#[test]
fn ties_go_to_the_earliest_then_the_smallest_id() {
    let mut ix = index();
    let url = Some("https://example.com/same");
    ix.remember("zeta", "zeta", &fp(url, &words(30, 60)), T0 + 5);
    ix.remember("beta", "beta", &fp(url, &words(31, 60)), T0);
    ix.remember("alpha", "alpha", &fp(url, &words(32, 60)), T0);
    let d = ix.check(&fp(url, &words(33, 60)), T0 + 10);
    assert!(matches!(d, Decision::Duplicate { of, .. } if of == "alpha"));
}

#[test]
fn a_full_index_evicts_its_oldest_entries() {
    let mut ix = DedupIndex::new(DedupConfig {
        capacity: 64,
        ..DedupConfig::default()
    })
    .unwrap();
    for i in 0..100 {
        ix.remember(
            &format!("n{i}"),
            &format!("n{i}"),
            &fp(None, &words(500 + i, 80)),
            T0 + i as i64,
        );
    }
    assert!(ix.len() <= 64 && ix.len() >= 60, "len {}", ix.len());
    assert_eq!(ix.capacity_evictions(), ix.evictions());
    assert_eq!(ix.evictions() as usize, 100 - ix.len());
    assert!(
        kind(&ix.check(&fp(None, &words(599, 80)), T0 + 99)).is_some(),
        "newest kept"
    );
    assert_eq!(
        ix.check(&fp(None, &words(500, 80)), T0 + 99),
        Decision::Unique,
        "oldest gone"
    );
}

#[test]
fn fingerprints_round_trip_through_bytes() {
    for f in [
        fp(Some("https://example.com/a"), WIRE),
        fp(None, &words(40, 3000)),
        fp(Some("https://e.x/"), ""),
    ] {
        let bytes = f.to_bytes();
        assert_eq!((bytes.len(), ENCODED_LEN), (144, 144));
        assert_eq!(Fingerprint::from_bytes(&bytes).unwrap(), f);
    }
    let mut bytes = fp(None, WIRE).to_bytes();
    assert_eq!(
        Fingerprint::from_bytes(&bytes[1..]),
        Err(FingerprintError::Length(ENCODED_LEN - 1))
    );
    bytes[0] = FORMAT_VERSION + 1;
    assert_eq!(
        Fingerprint::from_bytes(&bytes),
        Err(FingerprintError::Version(FORMAT_VERSION + 1))
    );
}

#[test]
fn fingerprints_are_pinned_and_decisions_deterministic() {
    // Changing tokenisation, seeds or layout must bump FORMAT_VERSION: this
    // pins the bytes of one fingerprint (xxh3 of the encoding).
    let pinned = xxhash_rust::xxh3::xxh3_64(&fp(Some("https://example.com/a"), WIRE).to_bytes());
    assert_eq!(
        pinned, PINNED_FINGERPRINT_HASH,
        "fingerprint bytes changed: {pinned:#x}"
    );
    let run = || {
        let mut ix = DedupIndex::new(DedupConfig {
            capacity: 200,
            ..DedupConfig::default()
        })
        .unwrap();
        (0..400u64)
            .map(|i| {
                let base = words(i % 37, 90 + (i % 5) as usize * 10);
                let text = if i % 3 == 0 {
                    format!("{base} {}", words(i, 8))
                } else {
                    base
                };
                let url = (i % 4 == 0).then(|| format!("https://example.com/{}", i % 50));
                let d = ix.observe(
                    &format!("id{i}"),
                    &fp(url.as_deref(), &text),
                    T0 + (i as i64 * 997) % 40_000,
                );
                format!("{d:?}")
            })
            .collect::<Vec<_>>()
    };
    let first = run();
    assert_eq!(first, run());
    assert!(first.iter().filter(|d| d.contains("Near")).count() > 10);
    assert!(first.iter().filter(|d| d.contains("ExactText")).count() > 10);
    assert!(first.iter().filter(|d| d.contains("ExactUrl")).count() > 10);
}

const PINNED_FINGERPRINT_HASH: u64 = 0x3039_6482_4ac3_e87b;

#[test]
fn sketch_estimates_track_exact_jaccard() {
    for (seed, n, extra) in [
        (50u64, 60usize, 8usize),
        (51, 300, 40),
        (52, 1500, 200),
        (53, 6000, 900),
    ] {
        let a = words(seed, n);
        let b = format!("{a} {}", words(seed + 100, extra));
        let (exact, est) = (jaccard(&b, &a), fp(None, &b).similarity(&fp(None, &a)));
        assert!(
            (exact - f64::from(est)).abs() < 0.08,
            "n={n}: exact {exact:.3} estimate {est:.3}"
        );
    }
}

#[test]
fn articles_without_url_or_text_are_not_indexed_and_bad_configs_are_refused() {
    let mut ix = index();
    let empty = fp(None, " -- ... !!");
    assert!(!empty.has_text() && !empty.has_url());
    assert_eq!(ix.remember("e", "e", &empty, T0), Remembered::Unindexable);
    assert_eq!(
        ix.remember("", "x", &fp(None, WIRE), T0),
        Remembered::Unindexable
    );
    let long = "x".repeat(MAX_ID_BYTES + 1);
    assert_eq!(
        ix.remember(&long, &long, &fp(None, WIRE), T0),
        Remembered::Unindexable
    );
    assert!(ix.is_empty());
    assert_eq!(ix.check(&empty, T0), Decision::Unique);
    let bad = |c: DedupConfig| DedupIndex::new(c).err();
    assert_eq!(
        bad(DedupConfig {
            near_threshold: 0.0,
            ..DedupConfig::default()
        }),
        Some(ConfigError::Threshold(0.0))
    );
    assert_eq!(
        bad(DedupConfig {
            window_secs: 0,
            ..DedupConfig::default()
        }),
        Some(ConfigError::Window)
    );
    assert_eq!(
        bad(DedupConfig {
            capacity: MAX_CAPACITY + 1,
            ..DedupConfig::default()
        }),
        Some(ConfigError::Capacity(MAX_CAPACITY + 1))
    );
}

#[test]
fn tokens_are_unicode_aware_lowercase_alphanumeric_runs() {
    let upper = fp(None, "ÄRZTE IN SÃO PAULO STREIKEN, 2024!");
    let lower = fp(None, "ärzte in são paulo streiken 2024");
    assert!(upper.same_text(&lower));
    // Five tokens: "são" is one word, not "s" and "o"; one shingle of five words.
    assert_eq!(shingles("ärzte in são paulo 2024").len(), 1);
    assert!(!fp(None, "arzte in sao paulo streiken 2024").same_text(&lower));
    assert_eq!(shingles("東京 株価 上昇 続く 見通し 強い").len(), 2);
}

#[test]
fn lanes_hold_the_window_back_for_slow_partitions() {
    let day = 86_400;
    let body = "the ministers met in geneva on tuesday to discuss a ceasefire while protesters gathered outside the parliament and police detained several people near the square";
    let other = "floods displaced thousands of families in the north after days of heavy rain and the army set up shelters in schools across the region on monday";
    let fp = Fingerprint::compute(None, body);
    let fp_other = Fingerprint::compute(None, other);
    for lanes in [false, true] {
        let mut idx = DedupIndex::new(DedupConfig {
            window_secs: 7 * day as u64,
            capacity: 1000,
            ..DedupConfig::default()
        })
        .unwrap();
        if lanes {
            idx.note_lane(0, 0);
        }
        idx.remember("a", "a", &fp, 0);
        // Another partition runs a month ahead.
        if lanes {
            idx.note_lane(1, 30 * day);
        }
        idx.remember("far", "far", &fp_other, 30 * day);
        // Lane 0 continues an hour later with a copy of "a".
        let d = idx.check(&fp, 3600);
        if lanes {
            assert!(
                matches!(d, Decision::Duplicate { ref of, .. } if of == "a"),
                "{d:?}"
            );
            idx.forget_lane(0);
            assert_eq!(
                idx.check(&fp, 3600),
                Decision::Unique,
                "without the slow lane the window moves on"
            );
        } else {
            assert_eq!(
                d,
                Decision::Unique,
                "without lanes the fast partition evicts it"
            );
        }
    }
}
