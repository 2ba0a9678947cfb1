//! One Aho-Corasick pass over the folded text finds every dictionary name (countries,
//! adjectives, cities, admin1, regions, actors, agents). Matches must sit on word boundaries
//! and obey the case rule of the name they came from; the survivors are reduced to
//! leftmost-longest, non-overlapping hits. A hit keeps every target its name may denote
//! (Paris, France and Paris, Texas; Georgia the country and the state) for `resolve` to choose.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use super::gazetteer::Gazetteer;
use super::normalize::{fold_pattern, word_char_at, word_char_before, Folded};

/// What a dictionary name denotes (indices into the gazetteer's tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Country(u16),
    Adjective(u16),
    City(u32),
    Admin1(u16),
    Admin1Abbr(u16),
    Region(u16),
    Actor(u32),
    Agent(u16),
}

/// How the letter case of the text must agree with the dictionary name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// Lower-case names (role nouns): any case.
    Any,
    /// Word-initial capitals of the name must be capitals in the text.
    Capitalized,
    /// Short acronyms ("US", "UN"): exactly as written, and not inside an all-capitals run.
    Exact,
    /// Longer acronyms: as written or in title case ("NATO", "Nato").
    AcronymOrTitle,
}

#[derive(Debug)]
struct Entry {
    target: Target,
    case: Case,
    cased: Box<str>,
}

/// A dictionary hit: a folded byte range and the targets that passed the case rules.
#[derive(Debug, Clone)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub targets: Vec<Target>,
}

/// The automaton and, per pattern, the entries it stands for.
#[derive(Debug, Default)]
pub struct Matcher {
    ac: Option<AhoCorasick>,
    entries: Vec<Vec<Entry>>,
}

fn case_of(name: &str) -> Case {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    if !letters.iter().any(|c| c.is_uppercase()) {
        Case::Any
    } else if letters.iter().all(|c| c.is_uppercase()) {
        if letters.len() <= 3 {
            Case::Exact
        } else {
            Case::AcronymOrTitle
        }
    } else {
        Case::Capitalized
    }
}

struct Builder {
    ids: HashMap<String, usize>,
    patterns: Vec<String>,
    entries: Vec<Vec<Entry>>,
}

impl Builder {
    fn add(&mut self, name: &str, target: Target) {
        let cased = fold_pattern(name);
        if cased.len() < 2 {
            return;
        }
        let lower = cased.to_ascii_lowercase();
        let id = *self.ids.entry(lower.clone()).or_insert_with(|| {
            self.patterns.push(lower);
            self.entries.push(Vec::new());
            self.patterns.len() - 1
        });
        let list = &mut self.entries[id];
        if !list.iter().any(|e| e.target == target && *e.cased == *cased) {
            list.push(Entry { target, case: case_of(&cased), cased: cased.into() });
        }
    }
}

impl Matcher {
    pub fn build(g: &Gazetteer) -> Result<Matcher, String> {
        let mut b = Builder { ids: HashMap::new(), patterns: Vec::new(), entries: Vec::new() };
        for (i, c) in g.countries.iter().enumerate() {
            let t = Target::Country(i as u16);
            b.add(&c.name, t);
            c.aliases.iter().for_each(|a| b.add(a, t));
            c.adjectives.iter().for_each(|a| b.add(a, Target::Adjective(i as u16)));
        }
        for (i, a) in g.admin1.iter().enumerate() {
            b.add(&a.name, Target::Admin1(i as u16));
            a.abbreviations.iter().for_each(|x| b.add(x, Target::Admin1Abbr(i as u16)));
        }
        for (i, r) in g.regions.iter().enumerate() {
            b.add(&r.name, Target::Region(i as u16));
            r.aliases.iter().for_each(|a| b.add(a, Target::Region(i as u16)));
        }
        for (i, a) in g.actors.iter().enumerate() {
            b.add(&a.name, Target::Actor(i as u32));
            a.aliases.iter().for_each(|x| b.add(x, Target::Actor(i as u32)));
        }
        for (i, a) in g.agents.iter().enumerate() {
            b.add(&a.pattern, Target::Agent(i as u16));
        }
        for (i, c) in g.cities.iter().enumerate() {
            let t = Target::City(i as u32);
            for n in std::iter::once(&c.name).chain(std::iter::once(&c.ascii)).chain(c.alt_names.iter()) {
                let short = n.chars().count() < 3 || (n.chars().count() == 3 && c.population < 100_000);
                if !short {
                    b.add(n, t);
                }
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&b.patterns)
            .map_err(|e| e.to_string())?;
        Ok(Matcher { ac: Some(ac), entries: b.entries })
    }

    pub fn pattern_count(&self) -> usize {
        self.entries.len()
    }

    /// All leftmost-longest dictionary hits in folded text.
    pub fn find(&self, f: &Folded) -> Vec<Hit> {
        let Some(ac) = &self.ac else { return Vec::new() };
        let mut cands: Vec<(usize, usize, u32)> = Vec::new();
        for m in ac.find_overlapping_iter(&f.lower[..]) {
            let (s, e) = (m.start(), m.end());
            if word_char_before(&f.lower, s) || word_char_at(&f.lower, e) {
                continue;
            }
            let id = m.pattern().as_usize();
            if self.entries[id].iter().any(|en| case_ok(f, s, e, en)) {
                cands.push((s, e, id as u32));
            }
        }
        cands.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out: Vec<Hit> = Vec::with_capacity(cands.len());
        let mut last_end = 0;
        for (s, e, id) in cands {
            if s < last_end {
                continue;
            }
            let targets = self.entries[id as usize].iter().filter(|en| case_ok(f, s, e, en)).map(|en| en.target).collect();
            out.push(Hit { start: s, end: e, targets });
            last_end = e;
        }
        out
    }
}

fn case_ok(f: &Folded, s: usize, e: usize, en: &Entry) -> bool {
    let text = &f.cased[s..e];
    let pat = en.cased.as_bytes();
    match en.case {
        Case::Any => true,
        Case::Exact => text == pat && !in_caps_run(f, s, e),
        Case::AcronymOrTitle => {
            text == pat || (text[0].is_ascii_uppercase() && !text[1..].iter().any(|c| c.is_ascii_uppercase()))
        }
        Case::Capitalized => pat.iter().enumerate().all(|(i, &p)| {
            !(p.is_ascii_uppercase() && (i == 0 || matches!(pat[i - 1], b' ' | b'-'))) || text[i].is_ascii_uppercase()
        }),
    }
}

/// True when the word before or after `s..e` is written in capitals (a shouted headline or
/// quote), where "US" may just be the pronoun.
fn in_caps_run(f: &Folded, s: usize, e: usize) -> bool {
    let caps_word = |w: &[u8]| w.len() >= 2 && w.iter().all(|c| c.is_ascii_uppercase());
    let prev = f.cased[..s].trim_ascii_end().rsplit(|c| !c.is_ascii_alphabetic()).next().unwrap_or(&[]);
    let next = f.cased[e..].trim_ascii_start().split(|c| !c.is_ascii_alphabetic()).next().unwrap_or(&[]);
    caps_word(prev) || caps_word(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_rules() {
        assert_eq!(case_of("US"), Case::Exact);
        assert_eq!(case_of("U.S."), Case::Exact);
        assert_eq!(case_of("NATO"), Case::AcronymOrTitle);
        assert_eq!(case_of("Paris"), Case::Capitalized);
        assert_eq!(case_of("police"), Case::Any);
    }

    #[test]
    fn caps_run_detection() {
        let f = Folded::new("HELP US NOW and the US economy");
        assert!(in_caps_run(&f, 5, 7));
        assert!(!in_caps_run(&f, 20, 22));
    }
}
