//! Recognizer behaviour on the seed article (../shared/seed, skipped when absent) and on targeted
//! cases: dated actors, homonyms, "US" vs "us", agents, metonyms, acronyms the article defines.

use std::sync::OnceLock;

use chrono::NaiveDate;
use newsflow::entities::{analyze, recognize, Entity, EntityKind, Gazetteer};

fn g() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| Gazetteer::load_default().expect("data/ loads"))
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn seed() -> Option<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seed/seed-article.json"
    );
    let Ok(line) = std::fs::read_to_string(path) else {
        eprintln!("skipping: {path} not found");
        return None;
    };
    let v: serde_json::Value = serde_json::from_str(line.lines().next()?).ok()?;
    Some(v["body"].as_str()?.to_string())
}

fn find<'a>(ents: &'a [Entity], text: &str) -> Vec<&'a Entity> {
    ents.iter().filter(|e| e.text == text).collect()
}

fn code_of(ents: &[Entity], text: &str) -> Option<String> {
    find(ents, text).first().and_then(|e| e.code.clone())
}

#[test]
fn seed_countries_and_actors() {
    let Some(body) = seed() else { return };
    let ents = recognize(g(), &body, date("2026-01-14"));
    let countries: std::collections::BTreeSet<&str> = ents
        .iter()
        .filter(|e| e.kind == EntityKind::Country)
        .filter_map(|e| e.country.as_deref())
        .collect();
    for c in ["RUS", "USA", "IRN", "ISR"] {
        assert!(countries.contains(c), "{c} missing from {countries:?}");
    }
    assert_eq!(
        code_of(&ents, "Russian Foreign Ministry").as_deref(),
        Some("RUSGOV")
    );
    assert_eq!(code_of(&ents, "Russia").as_deref(), Some("RUS"));
    let trump = find(&ents, "US President Donald Trump");
    assert_eq!(trump.len(), 1);
    assert_eq!(trump[0].kind, EntityKind::Person);
    assert_eq!(trump[0].name, "Donald Trump");
    assert_eq!(trump[0].code.as_deref(), Some("USAGOV"));
    assert_eq!(trump[0].country.as_deref(), Some("USA"));
    assert_eq!(
        code_of(&ents, "Tehran\u{2019}s foreign ministry").as_deref(),
        Some("IRNGOV")
    );
    assert_eq!(
        code_of(&ents, "Iranian authorities").as_deref(),
        Some("IRNGOV")
    );
    assert_eq!(code_of(&ents, "Moscow").as_deref(), Some("RUSGOV"));
    assert_eq!(code_of(&ents, "Washington").as_deref(), Some("USAGOV"));
    assert!(find(&ents, "Tehran")
        .iter()
        .all(|e| e.code.as_deref() == Some("IRNGOV")));
    assert_eq!(
        code_of(&ents, "Human rights organisations").as_deref(),
        Some("HRI")
    );
    assert_eq!(code_of(&ents, "protesters").as_deref(), Some("IRNOPP"));
    let me = find(&ents, "the Middle East");
    assert_eq!(me.len(), 1);
    assert_eq!(me[0].kind, EntityKind::Region);
    // Truth Social is an organisation, not a place and not a country-coded actor.
    let ts = find(&ents, "Truth Social");
    assert_eq!(ts.len(), 1);
    assert_eq!(ts[0].kind, EntityKind::Organization);
    assert!(ts[0].country.is_none());
    // "anti-government demonstrations" and "military action" are not actors.
    assert!(ents
        .iter()
        .all(|e| e.text != "government" && e.text != "military"));
    // Offsets point at the text.
    for e in &ents {
        assert_eq!(&body[e.start..e.end], e.text);
    }
}

#[test]
fn seed_article_is_about_iran() {
    let Some(body) = seed() else { return };
    let a = analyze(g(), &body, date("2026-01-14"));
    let top: Vec<&str> = a.countries.iter().take(3).map(|c| c.0.as_str()).collect();
    assert_eq!(top[0], "IRN");
    assert!(top.contains(&"USA") && top.contains(&"RUS"), "{top:?}");
}

#[test]
fn a_ranked_possessive_leads_its_agent() {
    // "Spain's second largest union": the union, of Spain, not Spain.
    let ents = recognize(
        g(),
        "Spain's second largest union criticized the plan.",
        date("2020-03-01"),
    );
    assert!(
        ents.iter().any(
            |e| e.text == "Spain's second largest union" && e.code.as_deref() == Some("ESPLAB")
        ),
        "{ents:?}"
    );
    // Other words between the possessive and a noun break the chain.
    let ents = recognize(
        g(),
        "Spain's angry union criticized the plan.",
        date("2020-03-01"),
    );
    assert!(
        !ents.iter().any(|e| e.code.as_deref() == Some("ESPLAB")),
        "{ents:?}"
    );
}

#[test]
fn a_title_in_the_text_corrects_a_dated_role() {
    // In 2016 the dictionary has Trump as an elite; the text calls him President.
    let ents = recognize(
        g(),
        "President Donald Trump spoke in New York.",
        date("2016-03-01"),
    );
    let trump = ents
        .iter()
        .find(|e| e.name == "Donald Trump")
        .expect("Trump");
    assert_eq!(trump.code.as_deref(), Some("USAGOV"), "{ents:?}");
    // "former" undoes a government role the date gives.
    let ents = recognize(
        g(),
        "Former President Donald Trump spoke in New York.",
        date("2019-03-01"),
    );
    let trump = ents
        .iter()
        .find(|e| e.name == "Donald Trump")
        .expect("Trump");
    assert_eq!(trump.code.as_deref(), Some("USAELI"), "{ents:?}");
}

#[test]
fn dated_actor_codes() {
    let t = "Donald Trump spoke in New York.";
    assert_eq!(
        code_of(&recognize(g(), t, date("2016-03-01")), "Donald Trump").as_deref(),
        Some("USAELI")
    );
    assert_eq!(
        code_of(&recognize(g(), t, date("2019-03-01")), "Donald Trump").as_deref(),
        Some("USAGOV")
    );
    assert_eq!(
        code_of(&recognize(g(), t, date("2022-03-01")), "Donald Trump").as_deref(),
        Some("USAELI")
    );
    assert_eq!(
        code_of(&recognize(g(), t, date("2026-01-13")), "Donald Trump").as_deref(),
        Some("USAGOV")
    );
    // Without a date the current role is used.
    assert_eq!(
        code_of(&recognize(g(), t, None), "Donald Trump").as_deref(),
        Some("USAGOV")
    );
    let bush = recognize(g(), "President Bush met troops.", date("2003-05-01"));
    assert_eq!(bush[0].name, "George W. Bush");
    let bush = recognize(g(), "President Bush met troops.", date("1990-05-01"));
    assert_eq!(bush[0].name, "George H. W. Bush");
}

#[test]
fn paris_texas_vs_paris_france() {
    let fr = recognize(g(), "Ministers met in Paris on Monday.", None);
    let p = find(&fr, "Paris")[0];
    assert_eq!(
        (p.country.as_deref(), p.kind),
        (Some("FRA"), EntityKind::Place)
    );
    assert_eq!(p.geonames_id, Some(2988507));
    let tx = recognize(g(), "A tornado hit Paris, Texas, on Monday.", None);
    let p = find(&tx, "Paris")[0];
    assert_eq!(
        (p.country.as_deref(), p.admin1.as_deref()),
        (Some("USA"), Some("US.TX"))
    );
    let ctx = recognize(
        g(),
        "Storms swept across Texas. In Paris, the mayor of Dallas said roads were closed.",
        None,
    );
    assert_eq!(find(&ctx, "Paris")[0].admin1.as_deref(), Some("US.TX"));
    assert!(p.lat.is_some() && p.lon.is_some());
}

#[test]
fn the_two_congos_and_modern_serbia() {
    let country = |text: &str, name: &str| {
        let ents = recognize(g(), text, None);
        find(&ents, name)
            .first()
            .and_then(|e| e.country.clone())
            .unwrap_or_default()
    };
    // The article's other places decide; alone, the more populous Congo.
    assert_eq!(
        country(
            "Fighting continued in eastern Congo, where rebels seized Goma.",
            "Congo"
        ),
        "COD"
    );
    assert_eq!(
        country(
            "Congo held elections. In Brazzaville, turnout was high.",
            "Congo"
        ),
        "COG"
    );
    assert_eq!(country("Congo and Rwanda signed a deal.", "Congo"), "COD");
    // Serbia and Montenegro dissolved in 2006: "Serbian" is Serbia.
    let ents = recognize(g(), "Serbian police detained students in Belgrade.", None);
    assert_eq!(code_of(&ents, "Serbian police").as_deref(), Some("SRBCOP"));
}

#[test]
fn an_acronym_the_article_defines_means_what_it_says() {
    let text = "The Rapid Support Forces (RSF) shelled El Fasher. The RSF denied it. \
                Reporters Without Borders condemned the attack on journalists.";
    let ents = recognize(g(), text, None);
    let rsf = find(&ents, "RSF");
    assert_eq!(rsf.len(), 2, "{ents:?}");
    assert!(rsf.iter().all(|e| e.code.as_deref() == Some("SDNREB")));
    assert_eq!(rsf[0].name, "Rapid Support Forces");
    // Where it is not defined, the dictionary's RSF stands.
    let ents = recognize(g(), "RSF said two journalists were detained.", None);
    assert_eq!(code_of(&ents, "RSF").as_deref(), Some("NGOMEDRSF"));
}

#[test]
fn us_versus_us_and_demonyms() {
    let ents = recognize(
        g(),
        "Officials told us the US would act. Let us wait. HELP US NOW.",
        None,
    );
    let us: Vec<&Entity> = ents
        .iter()
        .filter(|e| e.text.eq_ignore_ascii_case("us"))
        .collect();
    assert_eq!(us.len(), 1);
    assert_eq!(us[0].country.as_deref(), Some("USA"));
    let d = recognize(
        g(),
        "Israeli officials and the French said Israel agreed.",
        None,
    );
    assert_eq!(code_of(&d, "Israeli officials").as_deref(), Some("ISRGOV"));
    assert_eq!(code_of(&d, "French").as_deref(), Some("FRA"));
    assert_eq!(find(&d, "Israel")[0].kind, EntityKind::Country);
    assert!(recognize(g(), "She bought a china vase and a turkey.", None).is_empty());
}

#[test]
fn agents_titles_and_metonyms() {
    let e = recognize(
        g(),
        "Police arrested dozens in Tehran on Monday, while the Kremlin said Moscow would respond.",
        None,
    );
    assert_eq!(code_of(&e, "Police").as_deref(), Some("IRNCOP"));
    assert_eq!(find(&e, "Tehran")[0].kind, EntityKind::Place);
    assert_eq!(code_of(&e, "the Kremlin").as_deref(), Some("RUSGOV"));
    assert_eq!(code_of(&e, "Moscow").as_deref(), Some("RUSGOV"));
    let e = recognize(
        g(),
        "German Chancellor Hans Muster met French Prime Minister Jacques Chirac.",
        date("1987-03-01"),
    );
    assert_eq!(
        code_of(&e, "German Chancellor Hans Muster").as_deref(),
        Some("DEUGOV")
    );
    assert_eq!(
        find(&e, "German Chancellor Hans Muster")[0].name,
        "Hans Muster"
    );
    assert_eq!(
        code_of(&e, "French Prime Minister Jacques Chirac").as_deref(),
        Some("FRAGOV")
    );
    let e = recognize(
        g(),
        "Mr. Volcker told Congress that Paul Volcker would stay. Volcker left.",
        date("1987-03-01"),
    );
    assert!(
        e.iter()
            .filter(|x| x.kind == EntityKind::Person)
            .all(|x| x.name == "Paul Volcker"),
        "{e:?}"
    );
    let e = recognize(
        g(),
        "Shares of Marine Midland Banks Inc rose, the Bank of Canada said.",
        None,
    );
    assert!(e
        .iter()
        .any(|x| x.kind == EntityKind::Organization && x.text == "Marine Midland Banks Inc"));
}

#[test]
fn entities_serialize_snake_case_and_skip_none() {
    let e = recognize(g(), "Iran", None);
    let j = serde_json::to_value(&e[0]).unwrap();
    assert_eq!(j["kind"], "country");
    assert_eq!(j["code"], "IRN");
    assert!(j.get("role").is_none());
    assert!(j.get("geonames_id").is_none());
}

#[test]
fn spelling_variants_homonym_actors_and_city_possessives() {
    let e = recognize(g(), "President George W Bush spoke.", date("2004-06-01"));
    assert_eq!(
        find(&e, "President George W Bush")[0].code.as_deref(),
        Some("USAGOV")
    );
    let e = recognize(g(), "President Kirchner met bankers.", date("2005-06-01"));
    assert_eq!(find(&e, "President Kirchner")[0].name, "Nestor Kirchner");
    let e = recognize(
        g(),
        "London's stock market fell after London's statement.",
        None,
    );
    let london: Vec<Option<&str>> = find(&e, "London")
        .iter()
        .map(|x| x.code.as_deref())
        .collect();
    assert_eq!(london, vec![None, Some("GBRGOV")]);
    // A small town name without place context is not a place ("Staunton said").
    assert!(recognize(g(), "Staunton said the deal was done.", None)
        .iter()
        .all(|x| x.kind != EntityKind::Place));
    assert!(recognize(g(), "The plant in Staunton, Va., closed.", None)
        .iter()
        .any(|x| x.kind == EntityKind::Place
            && x.text == "Staunton"
            && x.admin1.as_deref() == Some("US.VA")));
}

#[test]
fn a_foreign_agent_is_not_the_context_countrys() {
    // "foreign governments" are none of Ecuador's: the role alone.
    let t = "Ecuador appealed for emergency aid from about 40 foreign governments.";
    let ents = recognize(g(), t, date("2020-01-01"));
    assert_eq!(code_of(&ents, "governments").as_deref(), Some("GOV"));
    let t = "Ecuador asked the government for emergency aid.";
    let ents = recognize(g(), t, date("2020-01-01"));
    assert_eq!(code_of(&ents, "government").as_deref(), Some("ECUGOV"));
}
