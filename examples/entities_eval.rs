//! Measures the recognizer on Reuters-21578: detected countries against the human
//! `labels.places` and detected persons against `labels.people` (micro precision/recall).
//!
//!     cargo run --release --example entities_eval -- [CORPUS] [all|dev|test] [salience-ratio]
//!
//! CORPUS defaults to ../shared/corpora/reuters21578-train.jsonl. `dev` is the stories with an
//! even numeric id (used while tuning), `test` the odd ones (held out). A country is predicted
//! when its salience is at least `ratio` (default `Analysis::MAIN_RATIO`, 0.12) times the article's top salience.
//! Reuters place names map to ISO3 as in examples/common/reuters.rs. Persons match when every
//! token of the label ("james-baker") is a token of the detected name ("James Baker"), after
//! ASCII folding.

use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;

use newsflow::entities::{analyze, Analysis, EntityKind, Gazetteer};

#[path = "common/reuters.rs"]
mod reuters;
use reuters::{fold, gold_countries, reuters_map, Prf};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "../shared/corpora/reuters21578-train.jsonl".into());
    let split = args.get(2).cloned().unwrap_or_else(|| "all".into());
    let ratio: f64 = args
        .get(3)
        .and_then(|r| r.parse().ok())
        .unwrap_or(Analysis::MAIN_RATIO);
    let Ok(file) = std::fs::File::open(&path) else {
        eprintln!("skipping: {path} not found");
        return Ok(());
    };
    let g = Gazetteer::load_default()?;
    let map = reuters_map(&g);
    let (mut all, mut sal, mut people) = (Prf::default(), Prf::default(), Prf::default());
    let (mut unmapped, mut stories, mut bytes) = (BTreeSet::new(), 0usize, 0usize);
    let mut elapsed = std::time::Duration::ZERO;
    let mut misses: HashMap<String, usize> = HashMap::new();
    for line in std::io::BufReader::new(file).lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let id: u64 = v["id"]
            .as_str()
            .unwrap_or("")
            .rsplit('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if (split == "dev" && !id.is_multiple_of(2)) || (split == "test" && id.is_multiple_of(2)) {
            continue;
        }
        let labels = &v["labels"];
        if labels["places"].as_array().is_none_or(|a| a.is_empty()) {
            continue;
        }
        let gold = gold_countries(labels, &map, &mut unmapped);
        let text = format!(
            "{}\n\n{}",
            v["title"].as_str().unwrap_or(""),
            v["body"].as_str().unwrap_or("")
        );
        let date = v["published_at"]
            .as_str()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok());
        let t0 = std::time::Instant::now();
        let analysis = analyze(&g, &text, date);
        let ents = analysis.entities.clone();
        elapsed += t0.elapsed();
        stories += 1;
        bytes += text.len();
        let salient: BTreeSet<String> = analysis
            .main_countries(ratio)
            .into_iter()
            .map(String::from)
            .collect();
        let ranked = analysis.countries;
        let every: BTreeSet<String> = ranked.iter().map(|r| r.0.clone()).collect();
        all.add(&every, &gold);
        sal.add(&salient, &gold);
        if std::env::var_os("EVAL_DUMP").is_some() {
            println!(
                "DUMP\t{}\t{}\t{}",
                v["id"],
                serde_json::to_string(&gold)?,
                serde_json::to_string(&ranked)?
            );
        }
        if std::env::var_os("EVAL_VERBOSE").is_some() && salient != gold {
            println!(
                "{}\tgold {:?}\tpred {:?}",
                v["id"],
                gold,
                &ranked[..ranked.len().min(5)]
            );
        }
        for m in gold.difference(&salient) {
            *misses.entry(m.clone()).or_default() += 1;
        }
        let gold_people: Vec<Vec<String>> = v["labels"]["people"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str())
                    .map(|p| p.split('-').map(String::from).collect())
                    .collect()
            })
            .unwrap_or_default();
        if !gold_people.is_empty() {
            let found: BTreeSet<Vec<String>> = ents
                .iter()
                .filter(|e| e.kind == EntityKind::Person)
                .map(|e| {
                    fold(&e.name)
                        .split([' ', '-', '.'])
                        .filter(|t| !t.is_empty())
                        .map(String::from)
                        .collect()
                })
                .collect();
            let hit = |gp: &Vec<String>, f: &Vec<String>| gp.iter().all(|t| f.contains(t));
            people.tp += gold_people
                .iter()
                .filter(|gp| found.iter().any(|f| hit(gp, f)))
                .count();
            people.fn_ += gold_people
                .iter()
                .filter(|gp| !found.iter().any(|f| hit(gp, f)))
                .count();
            people.fp += found
                .iter()
                .filter(|f| !gold_people.iter().any(|gp| hit(gp, f)))
                .count();
        }
    }
    println!("stories {stories} ({split}), {:.1} MB, recognizer {:.1} MB/s (single thread, incl. sentence split)",
        bytes as f64 / 1e6, bytes as f64 / 1e6 / elapsed.as_secs_f64());
    println!("{}", all.line("countries (every mention)"));
    println!(
        "{}",
        sal.line(&format!("countries (salience >= {ratio} x top)"))
    );
    println!("{}", people.line("persons (stories with people labels)"));
    let mut m: Vec<_> = misses.into_iter().collect();
    m.sort_by_key(|x| std::cmp::Reverse(x.1));
    println!("most missed: {:?}", &m[..m.len().min(12)]);
    if !unmapped.is_empty() {
        println!("unmapped Reuters places: {unmapped:?}");
    }
    Ok(())
}
