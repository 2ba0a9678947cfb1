//! Document tone in GDELT's style: the share of words with positive and negative valence in a
//! sentiment lexicon (data/tone/vader.tsv, from VADER, MIT), tone = positive - negative (in
//! percent of all words), polarity = positive + negative.

use serde::Serialize;

use super::text::{Doc, Kind};
use super::word_table::WordTable;

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Tone {
    /// positive - negative, in percentage points (GDELT's Tone / AvgTone).
    pub tone: f64,
    /// Percentage of words with positive valence.
    pub positive: f64,
    /// Percentage of words with negative valence.
    pub negative: f64,
    /// Percentage of words with any valence.
    pub polarity: f64,
    pub word_count: usize,
}

/// word -> valence.
#[derive(Debug, Default)]
pub struct ToneLexicon {
    words: WordTable<f32>,
}

impl ToneLexicon {
    pub fn parse(text: &str) -> Result<ToneLexicon, (usize, String)> {
        let mut words = WordTable::with_capacity(text.len() / 10, text.len());
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (w, v) = line
                .split_once('\t')
                .ok_or((n + 1, "expected word<TAB>valence".to_string()))?;
            let v: f32 = v
                .trim()
                .parse()
                .map_err(|_| (n + 1, format!("bad valence {v:?}")))?;
            *words.entry(w, v) = v;
        }
        Ok(ToneLexicon { words })
    }

    /// Scores the words of the document.
    pub fn score(&self, d: &Doc) -> Tone {
        // Every word hashed and its slot prefetched first, then looked up (see `WordTable`).
        let words: Vec<(&str, u64)> = (0..d.toks.len())
            .filter(|&i| d.toks[i].kind == Kind::Word)
            .map(|i| (d.w(i), self.words.prefetch(d.w(i))))
            .collect();
        let n = words.len();
        let (mut pos, mut neg) = (0usize, 0usize);
        for &(w, h) in &words {
            match self.words.get_hashed(w, h) {
                Some(v) if *v > 0.0 => pos += 1,
                Some(v) if *v < 0.0 => neg += 1,
                _ => {}
            }
        }
        if n == 0 {
            return Tone::default();
        }
        let pct = |k: usize| (k as f64 * 100.0 / n as f64 * 1e4).round() / 1e4;
        let (p, q) = (pct(pos), pct(neg));
        Tone {
            tone: ((p - q) * 1e4).round() / 1e4,
            positive: p,
            negative: q,
            polarity: pct(pos + neg),
            word_count: n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_positive_and_negative_words() {
        let lx = ToneLexicon::parse("# c\ngood\t1.9\nkilled\t-3.5\nwar\t-2.9\n").unwrap();
        let t = "Good news: the war killed no one.";
        let d = Doc::new(t, crate::entities::split_sentences(t), &[]);
        let s = lx.score(&d);
        assert_eq!(s.word_count, 7);
        assert!((s.positive - 100.0 / 7.0).abs() < 1e-3);
        assert!((s.negative - 200.0 / 7.0).abs() < 1e-3);
        assert!((s.tone + 100.0 / 7.0).abs() < 1e-3);
        assert!((s.polarity - 300.0 / 7.0).abs() < 1e-3);
        assert!(ToneLexicon::parse("bad line\n").is_err());
    }
}
