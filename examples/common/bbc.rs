//! The BBC News corpus (../shared/corpora/bbc.jsonl) as plain texts, for the recognizer's speed
//! measures (benches/entities.rs, examples/entities_speed.rs), so both time the same input.
//! The corpus is for research use and is read in place; without it the callers skip.

use std::io::BufRead;

/// Each article as "title\n\nbody", in file order; `None`, after saying so on stderr, when the
/// corpus is absent.
pub fn bbc_texts() -> Option<impl Iterator<Item = String>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/bbc.jsonl");
    let Ok(f) = std::fs::File::open(path) else {
        eprintln!("skipping: {path} not found");
        return None;
    };
    Some(
        std::io::BufReader::new(f)
            .lines()
            .map_while(Result::ok)
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
            .filter_map(|v| {
                Some(format!(
                    "{}\n\n{}",
                    v["title"].as_str()?,
                    v["body"].as_str()?
                ))
            }),
    )
}
