//! Golden tests of the event coder (issue 4). WORK IN PROGRESS.

use newsflow::stages::extract::Extractor;
use newsflow::stages::{normalize, parse};

fn article(line: &[u8]) -> newsflow::model::Article {
    normalize::normalize(parse::parse(line, 1 << 20).unwrap()).unwrap()
}

#[test]
#[ignore]
fn dump() {
    let x = Extractor::load_default().unwrap();
    let path = std::env::var("DUMP").unwrap();
    let text = std::fs::read(&path).unwrap();
    for line in text.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let a = article(line);
        let e = x.extract(&a);
        println!("### {} {:?}", a.id, a.title);
        for ev in &e.events {
            println!(
                "  s{:<2} {} {:>8} -> {:<8} {:4} {:<26} {:>10} {:?}/{:?} hyp={} [{}] {:?}",
                ev.evidence.sentence_index, ev.action.root, ev.source.code, ev.target.code, ev.action.cameo, ev.action.verb_text,
                ev.date.clone().unwrap_or_default(), ev.date_precision, ev.date_basis, ev.hypothetical, ev.evidence.pattern_id, ev.sentence_ids
            );
            if std::env::var("SENT").is_ok() {
                println!("        | {}", ev.evidence.sentence.replace('\n', " "));
            }
        }
        if std::env::var("FULL").is_ok() {
            for c in &e.casualties {
                println!("  CAS {:?} {} {:?} {:?} @{:?}", c.kind, c.number, c.qualifier, c.text, c.location.as_ref().map(|l| &l.name));
            }
            for q in &e.quotes {
                println!("  Q {:?} <- {:?}", q.text, q.speaker.as_ref().map(|s| (&s.text, &s.code)));
            }
            for d in &e.dates {
                println!("  D {:?} {} {:?} {:?}", d.text, d.date, d.precision, d.basis);
            }
            println!("  tone {:?} themes {:?}", e.tone, e.themes);
        }
    }
}
