//! Prints the entities of a text file (or stdin) as JSON lines.
//!
//!     cargo run --release --example entities_show -- FILE [YYYY-MM-DD]

use std::io::Read;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let mut text = String::new();
    match args.get(1).map(String::as_str) {
        Some("-") | None => {
            std::io::stdin().read_to_string(&mut text)?;
        }
        Some(p) => text = std::fs::read_to_string(p)?,
    }
    let date = args
        .get(2)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let g = newsflow::entities::Gazetteer::load_default()?;
    for e in newsflow::entities::recognize(&g, &text, date) {
        println!("{}", serde_json::to_string(&e)?);
    }
    Ok(())
}
