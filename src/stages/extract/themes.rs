//! Themes (data/patterns/themes.tsv): GDELT-style topic labels (PROTEST, ARMEDCONFLICT,
//! ELECTION, ECON_*, NATURAL_DISASTER, HUMAN_RIGHTS ...) from keyword counts. A theme is kept
//! when its keywords occur twice in the body, or once in the title.
//!
//! Keywords name their theme by a 16-bit number and the counts are one per theme, so any
//! number of themes up to 65,536 is counted apart; a table with more is a load error, never a
//! theme taken for another.

use super::text::{tokenize, Doc, Kind};

/// A keyword: lower-case words, the last optionally a prefix.
#[derive(Debug, Clone)]
struct Key {
    theme: u16,
    rest: Vec<String>,
    prefix: bool,
}

#[derive(Debug, Default)]
pub struct Themes {
    names: Vec<String>,
    /// First word (exact) -> keys.
    exact: super::lexicon::FastMap<String, Vec<Key>>,
    /// Single-word prefixes ("protest*"), by their first three bytes.
    prefixes: super::lexicon::FastMap<String, Vec<(String, u16)>>,
}

impl Themes {
    pub fn parse(text: &str) -> Result<Themes, (usize, String)> {
        let mut t = Themes::default();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (name, kws) = line
                .split_once('\t')
                .ok_or((n + 1, "expected theme<TAB>keywords".to_string()))?;
            let id = u16::try_from(t.names.len())
                .map_err(|_| (n + 1, format!("more than {} themes", 1usize << 16)))?;
            t.names.push(name.trim().to_string());
            for k in kws.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                let prefix = k.ends_with('*');
                let words: Vec<String> = k
                    .trim_end_matches('*')
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                if words.is_empty() {
                    return Err((n + 1, format!("empty keyword in {name}")));
                }
                if words.len() == 1 && prefix {
                    if words[0].len() < 3 {
                        return Err((n + 1, format!("prefix {k} is shorter than 3 letters")));
                    }
                    t.prefixes
                        .entry(words[0][..3].to_string())
                        .or_default()
                        .push((words[0].clone(), id));
                } else {
                    t.exact.entry(words[0].clone()).or_default().push(Key {
                        theme: id,
                        rest: words[1..].to_vec(),
                        prefix,
                    });
                }
            }
        }
        Ok(t)
    }

    /// Adds to `counts[theme]` the words of `words` that start a keyword of the theme (a word
    /// counts once per theme however many of its keywords start there).
    fn count(&self, words: &[&str], counts: &mut [u32]) {
        // The last word index each theme was counted at: any number of themes, no aliasing.
        let mut last = vec![usize::MAX; self.names.len()];
        for i in 0..words.len() {
            let w = words[i];
            let mut hit = |th: u16, counts: &mut [u32]| {
                let th = th as usize;
                if last[th] != i {
                    last[th] = i;
                    counts[th] += 1;
                }
            };
            if let Some(keys) = self.exact.get(w) {
                for k in keys {
                    let n = k.rest.len();
                    let ok = k.rest.iter().enumerate().all(|(j, r)| {
                        words.get(i + 1 + j).is_some_and(|x| {
                            if k.prefix && j + 1 == n {
                                x.starts_with(r.as_str())
                            } else {
                                x == r
                            }
                        })
                    });
                    if ok {
                        hit(k.theme, counts);
                    }
                }
            }
            if let Some(ps) = w.get(..3).and_then(|k| self.prefixes.get(k)) {
                for (p, th) in ps {
                    if w.starts_with(p.as_str()) {
                        hit(*th, counts);
                    }
                }
            }
        }
    }

    /// Themes of an article, sorted by name.
    pub fn find(&self, d: &Doc, title: Option<&str>) -> Vec<String> {
        let body: Vec<&str> = (0..d.toks.len())
            .filter(|&i| d.toks[i].kind == Kind::Word)
            .map(|i| d.w(i))
            .collect();
        let mut counts = vec![0u32; self.names.len()];
        self.count(&body, &mut counts);
        let mut title_counts = vec![0u32; self.names.len()];
        if let Some(t) = title {
            let low = t.to_ascii_lowercase();
            let words: Vec<&str> = tokenize(t)
                .iter()
                .filter(|k| k.kind == Kind::Word)
                .map(|k| &low[k.s..k.e])
                .collect();
            self.count(&words, &mut title_counts);
        }
        let mut out: Vec<String> = (0..self.names.len())
            .filter(|&i| counts[i] >= 2 || title_counts[i] >= 1)
            .map(|i| self.names[i].clone())
            .collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_need_two_mentions_or_the_title() {
        let th =
            Themes::parse("PROTEST\tprotest*,took to the streets\nELECTION\telection*\n").unwrap();
        let t = "Protesters took to the streets. The election is near.";
        let d = Doc::new(t, crate::entities::split_sentences(t), &[]);
        assert_eq!(th.find(&d, None), vec!["PROTEST"]);
        assert_eq!(
            th.find(&d, Some("Elections in Peru")),
            vec!["ELECTION", "PROTEST"]
        );
        assert!(Themes::parse("NOTAB\n").is_err());
    }

    #[test]
    fn themes_beyond_64_are_counted_apart() {
        // Themes 0 and 64 share a keyword and theme 65 has its own: past the 64th theme each is
        // still counted apart, none taken for another.
        let mut tsv = String::from("T0\triot*\n");
        for i in 1..64 {
            tsv.push_str(&format!("T{i}\tword{i}\n"));
        }
        tsv.push_str("T64\triot*\nT65\tquake\n");
        let th = Themes::parse(&tsv).unwrap();
        assert_eq!(th.names.len(), 66);
        let t = "Riots again. More rioting. A quake and a quake.";
        let d = Doc::new(t, crate::entities::split_sentences(t), &[]);
        assert_eq!(th.find(&d, None), vec!["T0", "T64", "T65"]);
    }

    #[test]
    fn more_themes_than_ids_is_a_load_error() {
        let tsv: String = (0..=1usize << 16)
            .map(|i| format!("T{i}\tword{i}\n"))
            .collect();
        let (line, msg) = Themes::parse(&tsv).unwrap_err();
        assert_eq!(
            (line, msg.as_str()),
            ((1 << 16) + 1, "more than 65536 themes")
        );
    }
}
