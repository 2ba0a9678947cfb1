//! The aggregation rules one by one, and the property the stage rests on: the happenings are
//! a function of the set of reports, whatever their order and partitioning.

use chrono::NaiveDate;

use super::*;
use crate::stages::extract::{Basis, PlacePrecision, Precision};

const DAY: i64 = 86_400;
/// 2026-01-13T00:00:00Z.
const T0: i64 = 1_768_262_400;

fn party(code: &str) -> Party {
    let (country, role) = if code == "---" || code.starts_with("IGO") {
        (None, None)
    } else {
        (
            Some(code[..3].to_string()),
            Some(code[3..].to_string()).filter(|r| !r.is_empty()),
        )
    };
    Party {
        text: format!("the {code}"),
        code: code.to_string(),
        country,
        role,
    }
}

fn day(s: &str) -> Dated {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    Dated {
        text: s.to_string(),
        precision: Precision::Day,
        basis: Basis::Explicit,
        first: d,
        last: d,
    }
}

fn month(s: &str) -> Dated {
    let first = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").unwrap();
    let (y, m) = if first.month() == 12 {
        (first.year() + 1, 1)
    } else {
        (first.year(), first.month() + 1)
    };
    let last = NaiveDate::from_ymd_opt(y, m, 1)
        .unwrap()
        .pred_opt()
        .unwrap();
    Dated {
        text: s.to_string(),
        precision: Precision::Month,
        basis: Basis::Explicit,
        first,
        last,
    }
}

use chrono::Datelike;

fn city(name: &str, country: &str, admin1: &str, id: u32) -> Place {
    Place {
        name: name.to_string(),
        country: Some(country.to_string()),
        admin1: Some(admin1.to_string()),
        lat: Some(1.0),
        lon: Some(2.0),
        geonames_id: Some(id),
        precision: PlacePrecision::City,
    }
}

fn country(iso3: &str) -> Place {
    Place {
        name: iso3.to_string(),
        country: Some(iso3.to_string()),
        admin1: None,
        lat: None,
        lon: None,
        geonames_id: None,
        precision: PlacePrecision::Country,
    }
}

/// A report of `src` doing `cameo` to `tgt` on 2026-01-13, reported at T0, no place.
fn rep(event_id: &str, src: &str, tgt: &str, cameo: &str) -> Report {
    Report {
        event_id: event_id.to_string(),
        article_id: format!("a-{event_id}"),
        story_id: format!("s-{event_id}"),
        outlet: Some(format!("outlet-{event_id}")),
        reported_at: Some(T0),
        source: party(src),
        target: Some(party(tgt)),
        action: ReportAction {
            cameo: cameo.to_string(),
            root: cameo[..2].to_string(),
            label: format!("code {cameo}"),
            quad_class: 4,
            goldstein: -10.0,
            plover: None,
        },
        date: Some(day("2026-01-13")),
        location: None,
        sentence: "Troops shelled the border town of Kessab.".into(),
        words: super::words::content_words("Troops shelled the border town of Kessab."),
    }
}

fn with(mut r: Report, f: impl FnOnce(&mut Report)) -> Report {
    f(&mut r);
    r
}

#[test]
fn the_key_is_the_dyad_at_country_and_role_and_the_root() {
    let a = rep("e1", "USAGOV", "IRNGOV", "036");
    assert_eq!(key(&a), "USAGOV|IRNGOV|03");
    // A diplomat (USAGOVDIP) and the government share the key: same country and role.
    let b = with(rep("e2", "USAGOV", "IRNGOV", "031"), |r| {
        r.source.code = "USAGOVDIP".into()
    });
    assert_eq!(key(&a), key(&b));
    assert_eq!(key(&rep("e5", "IRN", "IRNOPP", "141")), "IRN|IRNOPP|14");
    // An organisation without a country keys by its code.
    assert_eq!(
        key(&rep("e3", "IGOUNO", "SYRGOV", "020")),
        "IGOUNO|SYRGOV|02"
    );
    // An unknown actor is scoped to its story.
    let u = rep("e4", "---", "IRNGOV", "145");
    assert_eq!(key(&u), "---the ---@s-e4|IRNGOV|14");
}

#[test]
fn codes_are_compatible_with_their_parents_not_their_siblings() {
    assert!(codes_compatible("193", "193"));
    assert!(codes_compatible("190", "193"));
    assert!(codes_compatible("193", "190"));
    assert!(codes_compatible("183", "1831"));
    assert!(codes_compatible("180", "1831"));
    assert!(!codes_compatible("193", "194"));
    assert!(!codes_compatible("1831", "1832"));
    assert!(!codes_compatible("036", "031"));
    let rules = Rules::default();
    let (a, b) = (
        rep("e1", "RUS", "USA", "193"),
        rep("e2", "RUS", "USA", "194"),
    );
    assert_eq!(rules.apart(&a, &b), Some(Apart::Code));
}

#[test]
fn day_dates_within_the_tolerance_are_compatible() {
    let rules = Rules::default();
    let a = rep("e1", "USA", "IRN", "190");
    let next = with(rep("e2", "USA", "IRN", "190"), |r| {
        r.date = Some(day("2026-01-14"))
    });
    let two_on = with(rep("e3", "USA", "IRN", "190"), |r| {
        r.date = Some(day("2026-01-15"))
    });
    assert!(rules.compatible(&a, &next));
    assert_eq!(rules.apart(&a, &two_on), Some(Apart::Date));
    let wide = Rules {
        tolerance_days: 2,
        ..Rules::default()
    };
    assert!(wide.compatible(&a, &two_on));
}

#[test]
fn a_coarse_date_must_contain_the_finer_one() {
    let rules = Rules::default();
    let jan = with(rep("e1", "USA", "IRN", "190"), |r| {
        r.date = Some(month("2026-01"))
    });
    let in_jan = rep("e2", "USA", "IRN", "190");
    let in_feb = with(rep("e3", "USA", "IRN", "190"), |r| {
        r.date = Some(day("2026-02-01"))
    });
    let dec = with(rep("e4", "USA", "IRN", "190"), |r| {
        r.date = Some(month("2025-12"))
    });
    assert!(rules.compatible(&jan, &in_jan));
    assert!(rules.compatible(&in_jan, &jan));
    assert_eq!(rules.apart(&jan, &in_feb), Some(Apart::Date));
    assert_eq!(rules.apart(&jan, &dec), Some(Apart::Date));
}

#[test]
fn an_undated_or_year_dated_report_joins_only_its_own_story() {
    let rules = Rules::default();
    let undated = with(rep("e1", "USA", "IRN", "190"), |r| r.date = None);
    let other_story = with(rep("e2", "USA", "IRN", "190"), |r| r.date = None);
    let same_story = with(rep("e3", "USA", "IRN", "190"), |r| {
        r.story_id = "s-e1".into()
    });
    assert_eq!(rules.apart(&undated, &other_story), Some(Apart::Date));
    assert!(rules.compatible(&undated, &same_story));
    // A year is no closer than no date.
    let year = |r: &mut Report| {
        r.date = Some(Dated {
            text: "2026".into(),
            precision: Precision::Year,
            basis: Basis::Explicit,
            first: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            last: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        })
    };
    let in_2026 = with(rep("e4", "USA", "IRN", "190"), year);
    let also_2026 = with(rep("e5", "USA", "IRN", "190"), year);
    assert_eq!(rules.apart(&in_2026, &also_2026), Some(Apart::Date));
    assert_eq!(
        rules.apart(&in_2026, &rep("e6", "USA", "IRN", "190")),
        Some(Apart::Date)
    );
    let same_story_2026 = with(rep("e7", "USA", "IRN", "190"), |r| {
        year(r);
        r.story_id = "s-e4".into();
    });
    assert!(rules.compatible(&in_2026, &same_story_2026));
}

#[test]
fn places_must_agree_on_country_and_on_a_named_place() {
    let rules = Rules::default();
    let at = |id, p: Option<Place>| with(rep(id, "USA", "IRN", "190"), |r| r.location = p);
    let tehran = at("e1", Some(city("Tehran", "IRN", "26", 112931)));
    let tehran2 = at("e2", Some(city("Tehran", "IRN", "26", 112931)));
    let isfahan = at("e3", Some(city("Isfahan", "IRN", "28", 418863)));
    let iran = at("e4", Some(country("IRN")));
    let iraq = at("e5", Some(country("IRQ")));
    let nowhere = at("e6", None);
    assert!(rules.compatible(&tehran, &tehran2));
    assert_eq!(rules.apart(&tehran, &isfahan), Some(Apart::Place));
    assert!(rules.compatible(&tehran, &iran));
    assert_eq!(rules.apart(&iran, &iraq), Some(Apart::Place));
    assert_eq!(rules.apart(&tehran, &iraq), Some(Apart::Place));
    assert!(rules.compatible(&nowhere, &iraq));
    let province = at(
        "e7",
        Some(Place {
            precision: PlacePrecision::Admin1,
            geonames_id: None,
            name: "Tehran Province".into(),
            ..city("", "IRN", "26", 0)
        }),
    );
    assert!(rules.compatible(&province, &tehran));
    assert_eq!(rules.apart(&province, &isfahan), Some(Apart::Place));
    // A statement is the same statement wherever it is reported from.
    let said = |id, p: Option<Place>| {
        with(rep(id, "RUS", "USA", "111"), |r| {
            r.action.quad_class = 3;
            r.location = p;
        })
    };
    let in_moscow = said("e8", Some(city("Moscow", "RUS", "48", 524901)));
    let in_usa = said("e9", Some(country("USA")));
    assert!(rules.compatible(&in_moscow, &in_usa));
}

#[test]
fn reports_more_than_a_horizon_apart_are_different_happenings() {
    let rules = Rules::default();
    let a = with(rep("e1", "USA", "IRN", "190"), |r| {
        r.date = Some(month("2026-01"))
    });
    let week_later = with(rep("e2", "USA", "IRN", "190"), |r| {
        r.date = Some(month("2026-01"));
        r.reported_at = Some(T0 + 7 * DAY);
    });
    let later = with(rep("e3", "USA", "IRN", "190"), |r| {
        r.date = Some(month("2026-01"));
        r.reported_at = Some(T0 + 7 * DAY + 1);
    });
    assert!(rules.compatible(&a, &week_later));
    assert_eq!(rules.apart(&a, &later), Some(Apart::ReportTime));
}

#[test]
fn reports_of_different_stories_must_share_what_they_are_about() {
    let rules = Rules::default();
    let say = |id: &str, story: &str, sentence: &str| {
        with(rep(id, "USAGOV", "JPN", "020"), |r| {
            r.story_id = story.into();
            r.sentence = sentence.into();
            r.words = super::words::subject_words(sentence, &["Washington", "Japan"]);
        })
    };
    let a = say(
        "e1",
        "s1",
        "Washington urged Japan to open its rice market to imports.",
    );
    let b = say(
        "e2",
        "s2",
        "Washington pressed Japan on Tuesday to open the rice market.",
    );
    let c = say(
        "e3",
        "s3",
        "Washington asked Japan to stimulate domestic demand.",
    );
    let c_copy = say(
        "e4",
        "s1",
        "Washington asked Japan to stimulate domestic demand.",
    );
    assert!(rules.compatible(&a, &b), "rice market, open");
    assert_eq!(rules.apart(&a, &c), Some(Apart::Text));
    // Near copies of one article are one story: the text rule does not apply.
    assert!(rules.compatible(&a, &c_copy));
}

#[test]
fn a_publication_date_says_only_that_the_event_happened_by_then() {
    let rules = Rules::default();
    let published = |id, d| {
        with(rep(id, "USA", "IRN", "190"), |r| {
            r.date = Some(Dated {
                basis: Basis::Publication,
                ..day(d)
            })
        })
    };
    let stated = |id, d| with(rep(id, "USA", "IRN", "190"), |r| r.date = Some(day(d)));
    let p14 = published("e1", "2026-01-14");
    assert!(rules.compatible(&p14, &stated("e2", "2026-01-08")));
    assert!(rules.compatible(&p14, &stated("e3", "2026-01-15")));
    assert_eq!(
        rules.apart(&p14, &stated("e4", "2026-01-06")),
        Some(Apart::Date)
    );
    assert_eq!(
        rules.apart(&p14, &stated("e5", "2026-01-16")),
        Some(Apart::Date)
    );
    assert!(rules.compatible(&p14, &published("e6", "2026-01-19")));
    assert_eq!(
        rules.apart(&p14, &published("e7", "2026-01-23")),
        Some(Apart::Date)
    );
}

fn parse(record: &[u8]) -> serde_json::Value {
    serde_json::from_slice(record).unwrap()
}

fn last_records(changes: &[Change]) -> BTreeMap<String, Option<serde_json::Value>> {
    let mut out = BTreeMap::new();
    for c in changes {
        match c {
            Change::Upsert { id, record } => out.insert(id.clone(), Some(parse(record))),
            Change::Delete { id } => out.insert(id.clone(), None),
        };
    }
    out
}

#[test]
fn reports_of_one_happening_are_counted_in_one_record() {
    let mut h = Happenings::new(Rules::default(), 20);
    let a = rep("e1", "USAGOV", "IRNGOV", "190");
    let b = with(rep("e2", "USAGOV", "IRNGOV", "193"), |r| {
        r.reported_at = Some(T0 + 3600);
        r.location = Some(city("Tehran", "IRN", "26", 112931));
    });
    // A near copy of b's article in another outlet: same story.
    let c = with(rep("e3", "USAGOV", "IRNGOV", "190"), |r| {
        r.story_id = "s-e2".into();
        r.reported_at = Some(T0 + 7200);
    });
    let mut changes = Vec::new();
    for r in [a, b.clone(), c] {
        changes.extend(h.observe(r).changes);
    }
    let again = h.observe(b);
    assert!(again.repeated && again.changes.is_empty());
    let recs = last_records(&changes);
    let live: Vec<_> = recs.values().flatten().collect();
    assert_eq!(live.len(), 1, "{recs:?}");
    let r = live[0];
    assert_eq!(r["mentions"], 3);
    assert_eq!(r["articles"], 3);
    assert_eq!(r["stories"], 2);
    assert_eq!(r["outlets"], 3);
    assert_eq!(r["independent_outlets"], 2);
    assert_eq!(r["confidence"], 0.75);
    assert_eq!(r["action"]["cameo"], "193");
    assert_eq!(r["location"]["name"], "Tehran");
    assert_eq!(r["first_reported_at"], "2026-01-13T00:00:00Z");
    assert_eq!(r["last_reported_at"], "2026-01-13T02:00:00Z");
    assert_eq!(
        r["article_ids"],
        serde_json::json!(["a-e1", "a-e2", "a-e3"])
    );
    assert_eq!(r["closed"], false);
    assert_eq!(
        r["happening_id"],
        happening_id("USAGOV|IRNGOV|19", "e1").as_str()
    );
}

#[test]
fn complete_linkage_keeps_a_chain_of_days_apart() {
    let mut h = Happenings::new(Rules::default(), 20);
    for (i, d) in ["2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16"]
        .iter()
        .enumerate()
    {
        h.observe(with(rep(&format!("e{i}"), "ISR", "PSE", "190"), |r| {
            r.date = Some(day(d))
        }));
    }
    // 13+14 and 15+16: never all four in one.
    assert_eq!(h.size().happenings, 2);
}

#[test]
fn a_happening_closes_a_horizon_after_its_first_report() {
    let mut h = Happenings::new(Rules::default(), 20);
    h.observe(rep("e1", "USA", "IRN", "190"));
    assert!(h.close_expired().changes.is_empty());
    let later = with(rep("e2", "RUS", "UKR", "190"), |r| {
        r.reported_at = Some(T0 + 8 * DAY)
    });
    h.observe(later);
    let closed = h.close_expired().changes;
    assert_eq!(closed.len(), 1);
    let Change::Upsert { record, .. } = &closed[0] else {
        panic!("a closing is an upsert")
    };
    assert_eq!(parse(record)["closed"], true);
    assert_eq!(h.size().reports, 1);
    // A report of the first happening arriving now is late and starts a new one.
    let o = h.observe(with(rep("e3", "USA", "IRN", "190"), |r| {
        r.reported_at = Some(T0 + 1)
    }));
    assert!(o.late && !o.merged);
}

#[test]
fn a_report_older_than_the_first_renames_the_happening_and_tombstones_the_old_id() {
    let mut h = Happenings::new(Rules::default(), 20);
    let jan = with(rep("e1", "USA", "IRN", "190"), |r| {
        r.date = Some(month("2026-01"))
    });
    h.observe(jan);
    h.observe(rep("e2", "USA", "IRN", "190"));
    assert_eq!(h.size().happenings, 1);
    let old = happening_id("USA|IRN|19", "e1");
    // An earlier report of the same happening arrives late: the happening is named by its
    // earliest report, so the id moves and the old one is deleted.
    let o = h.observe(with(rep("e9", "USA", "IRN", "190"), |r| {
        r.reported_at = Some(T0 - 60);
    }));
    assert!(o.merged);
    assert_eq!(h.size().happenings, 1);
    assert!(
        o.changes.contains(&Change::Delete { id: old }),
        "{:?}",
        o.changes
    );
    let new = happening_id("USA|IRN|19", "e9");
    assert!(o
        .changes
        .iter()
        .any(|c| matches!(c, Change::Upsert { id, .. } if *id == new)));
}

/// A small deterministic generator (xorshift), so the property test needs no extra crate.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn random_reports(rng: &mut Rng, n: usize) -> Vec<Report> {
    let dyads = [("USAGOV", "IRNGOV"), ("RUSGOV", "USAGOV"), ("ISR", "PSE")];
    let codes = ["190", "193", "194", "1831", "183", "036", "030"];
    let places = [
        None,
        Some(city("Tehran", "IRN", "26", 112931)),
        Some(city("Isfahan", "IRN", "28", 418863)),
        Some(country("IRN")),
        Some(country("USA")),
    ];
    (0..n)
        .map(|i| {
            let (s, t) = dyads[rng.pick(dyads.len())];
            let code = codes[rng.pick(codes.len())];
            with(rep(&format!("e{i:03}"), s, t, code), |r| {
                r.story_id = format!("s{}", rng.pick(n / 2 + 1));
                r.article_id = format!("a{}", rng.pick(n));
                r.outlet = Some(format!("o{}", rng.pick(4)));
                r.reported_at = Some(T0 + rng.pick(10) as i64 * DAY / 2);
                r.date = match rng.pick(6) {
                    0 => None,
                    1 => Some(month("2026-01")),
                    k => Some(day(&format!("2026-01-{:02}", 10 + k))),
                };
                r.location = places[rng.pick(places.len())].clone();
            })
        })
        .collect()
}

/// The final state of the happenings topic after these changes (compaction's view).
fn topic_state(changes: impl IntoIterator<Item = Change>) -> BTreeMap<String, Vec<u8>> {
    let mut state = BTreeMap::new();
    for c in changes {
        match c {
            Change::Upsert { id, record } => state.insert(id, record),
            Change::Delete { id } => state.remove(&id),
        };
    }
    state
}

#[test]
fn shuffled_and_repartitioned_reports_give_the_same_happenings() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..40 {
        let reports = random_reports(&mut rng, 40);
        let mut reference = Happenings::new(Rules::default(), 5);
        let mut changes = Vec::new();
        for r in reports.clone() {
            changes.extend(reference.observe(r).changes);
        }
        let expected = topic_state(changes);
        let mut batch: Vec<Vec<u8>> = expected.values().cloned().collect();
        batch.sort();
        let mut open = reference.open_records();
        open.sort();
        assert_eq!(
            open, batch,
            "round {round}: the topic holds the open records"
        );
        let mut offline = Happenings::new(Rules::default(), 5);
        for r in reports.iter().rev() {
            offline.add(r.clone());
        }
        let mut finished = offline.finish();
        finished.sort();
        assert_eq!(
            finished, batch,
            "round {round}: a whole file gives the same records"
        );
        for parts in [1usize, 2, 3] {
            let mut shuffled = reports.clone();
            for i in (1..shuffled.len()).rev() {
                shuffled.swap(i, rng.pick(i + 1));
            }
            // Redeliveries change nothing.
            let again = shuffled[rng.pick(shuffled.len())].clone();
            shuffled.push(again);
            let mut stores: Vec<Happenings> = (0..parts)
                .map(|_| Happenings::new(Rules::default(), 5))
                .collect();
            let mut changes = Vec::new();
            for r in shuffled {
                let p = (xxh3_64(key(&r).as_bytes()) % parts as u64) as usize;
                changes.extend(stores[p].observe(r).changes);
            }
            assert_eq!(
                topic_state(changes),
                expected,
                "round {round}, {parts} partitions"
            );
        }
    }
}

#[test]
fn a_restored_store_continues_as_if_never_stopped() {
    let mut rng = Rng(42);
    let reports = random_reports(&mut rng, 30);
    let mut whole = Happenings::new(Rules::default(), 5);
    let mut first = Happenings::new(Rules::default(), 5);
    let mut changes_whole = Vec::new();
    let mut changes_split = Vec::new();
    for r in &reports[..15] {
        changes_whole.extend(whole.observe(r.clone()).changes);
        changes_split.extend(first.observe(r.clone()).changes);
    }
    // Restart: a new store restored from the changelog's view of the first.
    let mut second = Happenings::new(Rules::default(), 5);
    for k in first.groups.keys() {
        second.restore(k, first.reports_of(k).to_vec());
    }
    for r in &reports[15..] {
        changes_whole.extend(whole.observe(r.clone()).changes);
        changes_split.extend(second.observe(r.clone()).changes);
    }
    assert_eq!(topic_state(changes_split), topic_state(changes_whole));
}

#[test]
fn event_records_are_read_and_hypothetical_ones_skipped() {
    let record = serde_json::json!({
        "schema_version": 2, "event_id": "ev1", "article_id": "a1", "story_id": "s1",
        "date": "2026-01", "date_precision": "month", "date_basis": "explicit",
        "source": {"text": "Washington", "code": "USAGOV", "country": "USA", "role": "GOV", "name": "United States"},
        "target": {"text": "Tehran", "code": "IRNGOV", "country": "IRN", "role": "GOV", "name": "Iran"},
        "action": {"cameo": "036", "root": "03", "label": "x", "quad_class": 1, "goldstein": 4.0, "verb_text": "plans", "plover": null},
        "location": null, "casualties": [],
        "evidence": {"sentence_index": 0, "sentence": "S.", "spans": {"source": null, "target": null, "verb": [0, 1]}, "pattern_id": "p"},
        "tone": 0.0, "hypothetical": false, "sentence_ids": [0], "url": null,
        "source_name": "BBC", "published_at": "2026-01-14T05:30:00Z"
    });
    let bytes = serde_json::to_vec(&record).unwrap();
    let r = Report::from_event_record(&bytes, None).unwrap().unwrap();
    assert_eq!(r.reported_at, Some(T0 + DAY + 5 * 3600 + 1800));
    assert_eq!(
        r.date.as_ref().unwrap().last,
        NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()
    );
    assert_eq!(r.outlet.as_deref(), Some("BBC"));
    let mut hypothetical = record.clone();
    hypothetical["hypothetical"] = true.into();
    let bytes = serde_json::to_vec(&hypothetical).unwrap();
    assert!(Report::from_event_record(&bytes, None).unwrap().is_none());
    let mut undated = record.clone();
    undated["published_at"] = serde_json::Value::Null;
    let bytes = serde_json::to_vec(&undated).unwrap();
    let r = Report::from_event_record(&bytes, Some(7)).unwrap().unwrap();
    assert_eq!(r.reported_at, Some(7));
    // An act with no other party: no target, an empty target side in the key.
    let mut alone = record.clone();
    alone["target"] = serde_json::Value::Null;
    let bytes = serde_json::to_vec(&alone).unwrap();
    let r = Report::from_event_record(&bytes, None).unwrap().unwrap();
    assert_eq!(r.target, None);
    assert_eq!(key(&r), "USAGOV||03");
    let mut bad = record;
    bad["date"] = "January".into();
    let bytes = serde_json::to_vec(&bad).unwrap();
    assert!(matches!(
        Report::from_event_record(&bytes, None),
        Err(ReportError::Date { .. })
    ));
    assert!(Report::from_event_record(b"{}", None).is_err());
}
