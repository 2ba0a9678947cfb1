//! Golden tests of the event coder: the seed article's acceptance list
//! (../shared/seed/seed-article.json; skipped when absent), key events of the sample articles
//! and countries (tests/golden/samples.json), the seed's event records and article record
//! against their schemas (the full validator of tests/support/schema.rs), the seed's
//! countries in the article record, and a no-panic run over the
//! BBC corpus. The coding rules, each on its own wording, are in
//! tests/coding_rules.rs. Assertions are on the events that matter, not on whole
//! outputs, so improvements to the coder do not break them needlessly.

use newsflow::model::Article;
use newsflow::stages::extract::{Event, Extraction};
use newsflow::stages::record::{event_record, ArticleRecord};
use newsflow::stages::{normalize, parse};
use serde_json::Value;

#[path = "support/coder.rs"]
mod coder;
#[path = "support/schema.rs"]
mod schema;

use coder::{article, extractor, show};
use schema::Schemas;

fn seed() -> Option<(Article, Extraction)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seed/seed-article.json"
    );
    let Ok(text) = std::fs::read(path) else {
        eprintln!("skipping: {path} not found");
        return None;
    };
    let a = article(&text);
    let x = extractor().extract(&a);
    Some((a, x))
}

/// "USA" matches a code starting with USA or country USA; "*COP" a code ending with COP.
fn actor_matches(spec: &str, code: &str, country: Option<&str>) -> bool {
    if spec == "*" {
        return true;
    }
    if let Some(suffix) = spec.strip_prefix('*') {
        return code.ends_with(suffix);
    }
    code.starts_with(spec) || country == Some(spec)
}

fn find<'a>(x: &'a Extraction, src: &str, tgt: &str, roots: &[&str]) -> Vec<&'a Event> {
    x.events
        .iter()
        .filter(|e| {
            actor_matches(src, &e.source.code, e.source.country.as_deref())
                && e.target
                    .as_ref()
                    .is_some_and(|t| actor_matches(tgt, &t.code, t.country.as_deref()))
                && roots.contains(&e.action.root.as_str())
        })
        .collect()
}

#[test]
fn seed_article_events() {
    let Some((_, x)) = seed() else { return };
    let all = show(&x);
    let one = |src: &str, tgt: &str, roots: &[&str], what: &str| -> Event {
        let v = find(&x, src, tgt, roots);
        assert!(
            !v.is_empty(),
            "seed: missing {what} ({src} -> {tgt}, roots {roots:?}); events:\n{all}"
        );
        v[0].clone()
    };
    // 1. Russia criticised / denounced the US.
    let e = one("RUS", "USA", &["11"], "1 Russia denounced US threats");
    assert_eq!(e.date.as_deref(), Some("2026-01-14"));
    // 2. Trump cancelled talks with Iran, on January 13.
    let e = one("USAGOV", "IRN", &["12", "16"], "2 cancellation of talks");
    assert_eq!(
        (e.date.as_deref(), e.date_basis),
        (
            Some("2026-01-13"),
            newsflow::stages::extract::Basis::Explicit
        )
    );
    // 3. Trump publicly encouraged the Iranian protesters.
    let v: Vec<_> = find(&x, "USAGOV", "IRN", &["05", "03", "02"])
        .into_iter()
        .filter(|e| {
            e.target
                .as_ref()
                .is_some_and(|t| t.code.ends_with("OPP") || t.code.ends_with("CVL"))
        })
        .collect();
    assert!(
        !v.is_empty(),
        "seed: missing 3 encouraged protesters; events:\n{all}"
    );
    assert_eq!(v[0].date.as_deref(), Some("2026-01-13"));
    // 4. Trump warned Iran, "earlier in the week": a week-precision date from Jan 11 to 13.
    let e = one("USAGOV", "IRN", &["13"], "4 warned Iran");
    let d = e.date.clone().unwrap_or_default();
    assert!(
        ("2026-01-11".."2026-01-14").contains(&d.as_str()),
        "4: date {d}"
    );
    assert_eq!(e.date_precision, newsflow::stages::extract::Precision::Week);
    // 5. Iranian protesters against the government, since late December 2025.
    let v: Vec<_> = find(&x, "IRN", "IRNGOV", &["14"])
        .into_iter()
        .filter(|e| e.source.code.ends_with("OPP") || e.source.code.ends_with("CVL"))
        .collect();
    assert!(!v.is_empty(), "seed: missing 5 protests; events:\n{all}");
    assert!(
        v[0].date
            .as_deref()
            .is_some_and(|d| d.starts_with("2025-12")),
        "5: {:?}",
        v[0].date
    );
    assert_eq!(
        v[0].date_precision,
        newsflow::stages::extract::Precision::Month
    );
    // 6. Iran accused the US and Israel.
    for t in ["USA", "ISR"] {
        let e = one("IRNGOV", t, &["11"], "6 accused the US and Israel");
        assert_eq!(e.date.as_deref(), Some("2026-01-14"));
        assert!(e.evidence.sentence.contains("accused"));
    }
    // 7. Tehran's foreign ministry condemned Washington's statements.
    let v: Vec<_> = find(&x, "IRNGOV", "USA", &["11"])
        .into_iter()
        .filter(|e| e.evidence.sentence.contains("condemned"))
        .collect();
    assert!(!v.is_empty(), "seed: missing 7 condemned; events:\n{all}");
    assert_eq!(v[0].date.as_deref(), Some("2026-01-14"));
    // Negative checks.
    for e in &x.events {
        assert!(
            !e.evidence
                .sentence
                .contains("International reactions have been mixed"),
            "event from the mixed-reactions sentence"
        );
        assert!(
            e.source.text != "Truth Social"
                && e.target.as_ref().is_none_or(|t| t.text != "Truth Social"),
            "Truth Social as an actor"
        );
        assert!(!e.source.code.is_empty() && e.target.as_ref().is_none_or(|t| !t.code.is_empty()));
    }
}

#[test]
fn seed_article_casualties_and_quotes() {
    let Some((_, x)) = seed() else { return };
    use newsflow::stages::extract::{CasualtyKind, Qualifier};
    let killed = x
        .casualties
        .iter()
        .find(|c| c.kind == CasualtyKind::Killed)
        .expect("killed");
    assert!(
        killed.number >= 2000 && killed.qualifier == Qualifier::Over,
        "{killed:?}"
    );
    let detained = x
        .casualties
        .iter()
        .find(|c| c.kind == CasualtyKind::Detained)
        .expect("detained");
    assert_eq!(
        (detained.number, detained.qualifier),
        (1000, Qualifier::Approximate)
    );
    assert!(detained.text.contains("thousands"));
    for c in [killed, detained] {
        assert_eq!(
            c.location.as_ref().and_then(|l| l.country.as_deref()),
            Some("IRN"),
            "{c:?}"
        );
    }
    let q = x
        .quotes
        .iter()
        .find(|q| q.text == "subversive external interference")
        .expect("quote");
    assert!(
        q.speaker
            .as_ref()
            .and_then(|s| s.code.as_deref())
            .is_some_and(|c| c.starts_with("RUS")),
        "{q:?}"
    );
    let q = x
        .quotes
        .iter()
        .find(|q| q.text.contains("KEEP PROTESTING"))
        .expect("Truth Social post");
    let s = q.speaker.as_ref().expect("speaker");
    assert_eq!(
        (s.name.as_str(), s.code.as_deref()),
        ("Donald Trump", Some("USAGOV"))
    );
    assert!(x
        .dates
        .iter()
        .any(|d| d.text == "January 13" && d.date == "2026-01-13"));
    assert!(
        x.tone.tone < 0.0 && x.tone.negative > x.tone.positive,
        "{:?}",
        x.tone
    );
    assert!(x.themes.contains(&"PROTEST".to_string()), "{:?}", x.themes);
}

#[test]
fn seed_article_countries_in_the_record() {
    let Some((a, x)) = seed() else { return };
    let record = ArticleRecord::new(&a, "story-1", None).with_extraction(Some(&x));
    let bytes = record.to_json();
    Schemas::load().assert_valid("article-record.schema.json", &bytes);
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    let countries = v["countries"].as_array().expect("countries in the record");
    let codes: Vec<&str> = countries
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    // Russia, the US and Iran, and nothing else; Iran (the protests) first.
    assert_eq!(codes, ["IRN", "USA", "RUS"], "{countries:?}");
    assert_eq!(countries[2]["name"], "Russia");
    let mut last = f64::INFINITY;
    for c in countries {
        let obj = c.as_object().unwrap();
        assert_eq!(
            obj.keys().map(String::as_str).collect::<Vec<_>>(),
            ["code", "name", "salience", "mentions"],
            "field order"
        );
        let s = c["salience"].as_f64().unwrap();
        assert!(s > 0.0 && s <= last, "salience order: {countries:?}");
        assert_eq!(s, (s * 1000.0).round() / 1000.0, "3 decimals: {s}");
        last = s;
        assert!(c["mentions"].as_u64().unwrap() >= 1, "{c}");
    }
}

#[test]
fn event_records_follow_the_schema_and_are_deterministic() {
    let Some((a, x)) = seed() else { return };
    let schemas = Schemas::load();
    assert!(!x.events.is_empty());
    for e in &x.events {
        let bytes = event_record(&a, "story-1", e);
        schemas.assert_valid("event-record.schema.json", &bytes);
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["story_id"], "story-1");
        assert_eq!(v["article_id"], "seed-000");
        assert_eq!(v["event_id"].as_str().unwrap().len(), 16);
        let span = v["evidence"]["spans"]["verb"].as_array().unwrap();
        let (s, en) = (
            span[0].as_u64().unwrap() as usize,
            span[1].as_u64().unwrap() as usize,
        );
        assert_eq!(&a.body[s..en], e.action.verb_text);
    }
    let again = extractor().extract(&a);
    assert_eq!(
        serde_json::to_string(&x).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
    let ids: std::collections::HashSet<_> = x.events.iter().map(|e| &e.event_id).collect();
    assert_eq!(ids.len(), x.events.len(), "event ids are unique");
}

fn check_article(spec: &Value, x: &Extraction, errors: &mut Vec<String>) {
    let line = spec["id"].as_str().or(spec["title"].as_str()).unwrap();
    let all = show(x);
    let strs = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let expected = spec["events"].as_array().unwrap();
    if expected.is_empty()
        && spec["absent"].is_null()
        && spec["casualties"].is_null()
        && !x.events.is_empty()
    {
        errors.push(format!("line {line}: expected no events, got:\n{all}"));
    }
    for ex in expected {
        let roots = strs(&ex["roots"]);
        let roots: Vec<&str> = roots.iter().map(String::as_str).collect();
        let (src, tgt) = (
            ex["source"].as_str().unwrap(),
            ex["target"].as_str().unwrap(),
        );
        let found = find(x, src, tgt, &roots).into_iter().find(|e| {
            ex["date"]
                .as_str()
                .is_none_or(|d| e.date.as_deref() == Some(d))
                && ex["precision"]
                    .as_str()
                    .is_none_or(|p| serde_json::to_value(e.date_precision).unwrap() == p)
                && ex["hypothetical"]
                    .as_bool()
                    .is_none_or(|h| e.hypothetical == h)
        });
        if found.is_none() {
            errors.push(format!("line {line}: missing {ex}; events:\n{all}"));
        }
    }
    for ab in spec["absent"].as_array().into_iter().flatten() {
        let roots = strs(&ab["roots"]);
        let bad: Vec<&Event> = x
            .events
            .iter()
            .filter(|e| {
                roots.contains(&e.action.root)
                    && ab["source"].as_str().is_none_or(|s| {
                        actor_matches(s, &e.source.code, e.source.country.as_deref())
                    })
                    && ab["sentence"]
                        .as_str()
                        .is_none_or(|s| e.evidence.sentence.contains(s))
            })
            .collect();
        if !bad.is_empty() {
            errors.push(format!(
                "line {line}: unwanted {ab}: {:?}",
                bad.iter()
                    .map(|e| (
                        &e.source.code,
                        e.target.as_ref().map(|t| &t.code),
                        &e.action.cameo
                    ))
                    .collect::<Vec<_>>()
            ));
        }
    }
    let codes: Vec<&str> = x.countries.iter().map(|c| c.code.as_str()).collect();
    let want = strs(&spec["countries"]);
    if want.iter().any(|w| !codes.contains(&w.as_str()))
        || want
            .first()
            .is_some_and(|w| codes.first() != Some(&w.as_str()))
    {
        errors.push(format!(
            "line {line}: countries {codes:?}, expected {want:?}"
        ));
    }
    for c in spec["casualties"].as_array().into_iter().flatten() {
        let ok = x.casualties.iter().any(|k| {
            serde_json::to_value(k.kind).unwrap() == c["kind"]
                && k.number == c["number"].as_u64().unwrap()
                && serde_json::to_value(k.qualifier).unwrap() == c["qualifier"]
        });
        if !ok {
            errors.push(format!(
                "line {line}: missing casualty {c}; got {:?}",
                x.casualties
                    .iter()
                    .map(|k| (k.kind, k.number, k.qualifier))
                    .collect::<Vec<_>>()
            ));
        }
    }
}

#[test]
fn sample_articles_key_events() {
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/golden/samples.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let articles: Vec<Article> = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/articles.jsonl"
    ))
    .unwrap()
    .split(|b| *b == b'\n')
    .filter(|l| !l.is_empty())
    .map(article)
    .collect();
    let specs = spec["articles"].as_array().unwrap();
    assert!(specs.len() >= 20, "at least 20 sample articles are covered");
    let mut errors = Vec::new();
    for s in specs {
        let a = articles
            .iter()
            .find(|a| match (s["id"].as_str(), s["title"].as_str()) {
                (Some(id), _) => a.id == id,
                (None, Some(t)) => a.title.as_deref().is_some_and(|x| x.contains(t)),
                _ => false,
            });
        let Some(a) = a else {
            errors.push(format!("no sample article for {s}"));
            continue;
        };
        let x = extractor().extract(a);
        check_article(s, &x, &mut errors);
    }
    assert!(
        errors.is_empty(),
        "{} golden failures:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn non_english_articles_get_no_events() {
    let lines = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/articles.jsonl"
    ))
    .unwrap();
    let foreign: Vec<Article> = lines
        .lines()
        .map(|l| article(l.as_bytes()))
        .filter(|a| !a.language.is_english)
        .collect();
    assert!(
        foreign.len() >= 2,
        "the samples hold a Spanish and a French article"
    );
    for a in &foreign {
        let x = extractor().extract(a);
        assert!(
            x.events.is_empty() && x.entities.is_empty() && x.quotes.is_empty(),
            "{}",
            a.id
        );
    }
}

#[test]
fn bbc_corpus_runs_without_panics() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/bbc.jsonl");
    let Ok(text) = std::fs::read(path) else {
        eprintln!("skipping: {path} not found");
        return;
    };
    let (mut n, mut events) = (0, 0);
    for line in text
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .step_by(10)
    {
        let Ok(raw) = parse::parse(line, 1 << 20) else {
            continue;
        };
        let Ok(a) = normalize::normalize(raw) else {
            continue;
        };
        let x = extractor().extract(&a);
        for e in &x.events {
            // Actors of unknown code ("---", a noun phrase) are told apart by their words.
            assert!(e.target.as_ref().is_none_or(|t| {
                e.source.code != t.code || (e.source.code == "---" && e.source.text != t.text)
            }));
            assert!(extractor().cameo().get(&e.action.cameo).is_some());
            assert!(e.evidence.spans.verb[1] <= a.body.len());
        }
        events += x.events.len();
        n += 1;
    }
    assert!(n > 150, "{n} articles");
    assert!(events > n / 10, "{events} events from {n} articles");
}
