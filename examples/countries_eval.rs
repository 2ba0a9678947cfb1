//! Measures the article record's `countries` on Reuters-21578: each record's country codes
//! against the story's human `labels.places` (micro precision/recall), from the records
//! `newsflow extract` writes (the input's `labels` come back in the record's `extra`).
//!
//!     target/release/newsflow extract ../shared/corpora/reuters21578-train.jsonl \
//!         | cargo run --release --example countries_eval
//!
//! Reads records from the file given as the first argument, or from stdin. Stories without a
//! place label are skipped. Reuters place names map to ISO3 as in examples/common/reuters.rs.
//! Figures are given for all stories and for the even and odd numeric ids (the halves
//! `entities_eval` calls dev and test).

use std::collections::BTreeSet;
use std::io::BufRead;

use newsflow::entities::Gazetteer;

#[path = "common/reuters.rs"]
mod reuters;
use reuters::{gold_countries, reuters_map, Prf};

fn main() -> anyhow::Result<()> {
    let input: Box<dyn BufRead> = match std::env::args().nth(1) {
        Some(p) if p != "-" => Box::new(std::io::BufReader::new(std::fs::File::open(&p)?)),
        _ => Box::new(std::io::BufReader::new(std::io::stdin())),
    };
    let map = reuters_map(&Gazetteer::load_default()?);
    let (mut all, mut even, mut odd) = (Prf::default(), Prf::default(), Prf::default());
    let (mut records, mut stories, mut top_right, mut empty) = (0usize, 0usize, 0usize, 0usize);
    let mut unmapped = BTreeSet::new();
    for line in input.lines() {
        let r: serde_json::Value = serde_json::from_str(&line?)?;
        records += 1;
        let labels = &r["extra"]["labels"];
        if labels["places"].as_array().is_none_or(|a| a.is_empty()) {
            continue;
        }
        let gold = gold_countries(labels, &map, &mut unmapped);
        let countries = r["countries"]
            .as_array()
            .ok_or_else(|| anyhow::anyhow!("record {} has no countries", r["id"]))?;
        let pred: BTreeSet<String> = countries
            .iter()
            .filter_map(|c| c["code"].as_str().map(String::from))
            .collect();
        stories += 1;
        empty += usize::from(pred.is_empty());
        if countries
            .first()
            .and_then(|c| c["code"].as_str())
            .is_some_and(|c| gold.contains(c))
        {
            top_right += 1;
        }
        let id: u64 = r["id"]
            .as_str()
            .and_then(|s| s.rsplit('-').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        all.add(&pred, &gold);
        let half = if id.is_multiple_of(2) {
            &mut even
        } else {
            &mut odd
        };
        half.add(&pred, &gold);
    }
    println!("records {records}, with place labels {stories}, with no country {empty}");
    println!("{}", all.line("countries, all"));
    println!("{}", even.line("countries, even ids"));
    println!("{}", odd.line("countries, odd ids"));
    println!(
        "first country among the labels: {:.3} of the stories",
        top_right as f64 / stories.max(1) as f64
    );
    if !unmapped.is_empty() {
        println!("unmapped Reuters places: {unmapped:?}");
    }
    Ok(())
}
