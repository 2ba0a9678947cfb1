//! The PETRARCH/TABARI dictionary loader on the Phoenix dictionaries in ../shared (skipped when
//! absent; the files are read in place, never copied).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use newsflow::entities::petrarch::{load_actors, load_agents};
use newsflow::entities::{recognize, Gazetteer};

fn dir() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dictionaries/petrarch2");
    if d.join("Phoenix.Countries.actors.txt").exists() {
        Some(d)
    } else {
        eprintln!("skipping: {} not found", d.display());
        None
    }
}

#[test]
fn loads_phoenix_actor_dictionaries() {
    let Some(d) = dir() else { return };
    let countries = load_actors(&d.join("Phoenix.Countries.actors.txt")).unwrap();
    assert!(countries.len() > 10_000, "{}", countries.len());
    let putin = countries
        .iter()
        .find(|a| a.name == "Vladimir Putin")
        .expect("Putin entry");
    assert!(putin.aliases.iter().any(|a| a == "Putin"));
    assert!(putin
        .roles
        .iter()
        .any(|r| r.code == "RUSGOV" && r.from == NaiveDate::from_ymd_opt(2008, 5, 8)));
    let obama = countries
        .iter()
        .find(|a| a.name == "Barack Obama")
        .expect("Obama entry");
    assert!(obama
        .roles
        .iter()
        .any(|r| r.code == "USAGOV" && r.from == NaiveDate::from_ymd_opt(2009, 1, 20)));
    let intl = load_actors(&d.join("Phoenix.International.actors.txt")).unwrap();
    assert!(intl
        .iter()
        .any(|a| a.name == "Kofi Annan" && a.roles.iter().any(|r| r.code == "IGOUNO")));
    let nonstate = load_actors(&d.join("Phoenix.MilNonState.actors.txt")).unwrap();
    assert!(nonstate
        .iter()
        .any(|a| a.roles.iter().any(|r| r.code == "FRAREB")));
}

#[test]
fn loads_phoenix_agents() {
    let Some(d) = dir() else { return };
    let agents = load_agents(&d.join("Phoenix.agents.txt")).unwrap();
    assert!(agents.len() > 2_000, "{}", agents.len());
    let code = |p: &str| {
        agents
            .iter()
            .find(|a| a.pattern == p)
            .map(|a| a.code.clone())
    };
    assert_eq!(code("police officer").as_deref(), Some("COP"));
    assert_eq!(code("police officers").as_deref(), Some("COP"));
    assert_eq!(code("ministry of defence").as_deref(), Some("GOVMIL"));
    assert_eq!(code("chambers of commerce").as_deref(), Some("BUS"));
}

#[test]
fn user_dictionaries_extend_the_gazetteer() {
    let Some(d) = dir() else { return };
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let g = Gazetteer::load_with_dictionaries(
        &data,
        &[d.join("Phoenix.International.actors.txt")],
        &[d.join("Phoenix.agents.txt")],
    )
    .unwrap();
    assert!(g.pattern_count() > Gazetteer::load(&data).unwrap().pattern_count());
    // Boutros Boutros-Ghali is only in the Phoenix file.
    let e = recognize(
        &g,
        "Boutros Boutros-Ghali arrived in Cairo.",
        NaiveDate::from_ymd_opt(1994, 1, 1),
    );
    let bbg = e
        .iter()
        .find(|x| x.text == "Boutros Boutros-Ghali")
        .expect("found via the Phoenix dictionary");
    assert_eq!(bbg.code.as_deref(), Some("IGOUNO"));
    // A Phoenix agent noun attached to a demonym.
    let e = recognize(&g, "Egyptian sheriffs arrived.", None);
    assert!(
        e.iter()
            .any(|x| x.text == "Egyptian sheriffs" && x.code.as_deref() == Some("EGYCOP")),
        "{e:?}"
    );
}
