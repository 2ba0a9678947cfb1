//! One automaton (a static byte trie, [`super::trie`]) over every dictionary name (countries,
//! adjectives, cities, admin1, regions, actors, agents, cues), run in one left-to-right pass over
//! the folded text as an anchored longest-match search at each word start. Matches must end on a word boundary
//! and obey the case rule of the name they came from; hits are leftmost-longest and
//! non-overlapping. A hit keeps every target its name may denote
//! (Paris, France and Paris, Texas; Georgia the country and the state) for `resolve` to choose.

use std::collections::HashMap;

use super::fold::{fold_into, word_char_at, word_char_before, Folded};
use super::gazetteer::Gazetteer;
use super::trie::Trie;

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
    Cue(u16),
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
    trie: Trie,
    entries: Vec<Vec<Entry>>,
    /// The same hashes ([`ascii_token_hash`]) of every name that can start with a lower-case
    /// letter ("police", "the Gulf"): a lower-case word whose hash is absent starts no match.
    lower_starts: Vec<u64>,
    /// Hashes of the leading ASCII letters and digits of every name ([`ascii_token_hash`]):
    /// a word whose hash is absent starts no match, and the trie is not walked for it.
    starts: Vec<u64>,
}

const START_BITS: usize = 1 << 18;

/// FNV-1a over the leading ASCII letters and digits of `s`, folded to `START_BITS`. A name
/// that matches the text at a word start and ends at a word boundary shares those bytes with
/// the text exactly: within the name they are the same bytes, and the boundary character
/// after it is no ASCII letter or digit.
fn ascii_token_hash(s: &[u8]) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for &b in s.iter().take_while(|b| b.is_ascii_alphanumeric()) {
        h = (h ^ b as u32).wrapping_mul(0x0100_0193);
    }
    (h as usize) & (START_BITS - 1)
}

/// Month and weekday names are never taken as city names ("in March").
const CALENDAR_WORDS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

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
    ids: HashMap<String, usize, xxhash_rust::xxh3::Xxh3DefaultBuilder>,
    patterns: Vec<String>,
    entries: Vec<Vec<Entry>>,
    /// The name being added, folded (one buffer for all names).
    fold: Folded,
}

impl Builder {
    fn add(&mut self, name: &str, target: Target) {
        // "George W. Bush" is also written "George W Bush".
        if name.contains(". ") && name.split(' ').any(|w| w.len() == 2 && w.ends_with('.')) {
            let undotted: String = name
                .split(' ')
                .map(|w| {
                    if w.len() == 2 && w.ends_with('.') {
                        &w[..1]
                    } else {
                        w
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            self.add_one(&undotted, target);
        }
        self.add_one(name, target);
    }

    /// A name and its aliases, all for one target.
    fn add_all(&mut self, name: &str, aliases: &[String], target: Target) {
        self.add(name, target);
        aliases.iter().for_each(|a| self.add(a, target));
    }

    fn add_one(&mut self, name: &str, target: Target) {
        let Builder {
            ids,
            patterns,
            entries,
            fold,
        } = self;
        fold_into(name.trim(), fold);
        // Folding keeps valid UTF-8 valid; `lower` is `cased` in ASCII lower case.
        let (Ok(cased), Ok(lower)) = (
            std::str::from_utf8(&fold.cased),
            std::str::from_utf8(&fold.lower),
        ) else {
            return;
        };
        if cased.len() < 2 {
            return;
        }
        let id = match ids.get(lower) {
            Some(&id) => id,
            None => {
                patterns.push(lower.to_string());
                entries.push(Vec::new());
                ids.insert(lower.to_string(), patterns.len() - 1);
                patterns.len() - 1
            }
        };
        let list = &mut entries[id];
        if !list
            .iter()
            .any(|e| e.target == target && *e.cased == *cased)
        {
            list.push(Entry {
                target,
                case: case_of(cased),
                cased: cased.into(),
            });
        }
    }
}

impl Matcher {
    pub fn build(g: &Gazetteer) -> Matcher {
        let mut b = Builder {
            ids: HashMap::with_capacity_and_hasher(1 << 17, Default::default()),
            patterns: Vec::new(),
            entries: Vec::new(),
            fold: Folded::default(),
        };
        for (i, c) in g.countries.iter().enumerate() {
            b.add_all(&c.name, &c.aliases, Target::Country(i as u16));
            c.adjectives
                .iter()
                .for_each(|a| b.add(a, Target::Adjective(i as u16)));
        }
        for (i, a) in g.admin1.iter().enumerate() {
            b.add(&a.name, Target::Admin1(i as u16));
            a.abbreviations
                .iter()
                .for_each(|x| b.add(x, Target::Admin1Abbr(i as u16)));
        }
        for (i, r) in g.regions.iter().enumerate() {
            b.add_all(&r.name, &r.aliases, Target::Region(i as u16));
        }
        for (i, a) in g.actors.iter().enumerate() {
            b.add_all(&a.name, &a.aliases, Target::Actor(i as u32));
        }
        for (i, a) in g.agents.iter().enumerate() {
            b.add(&a.pattern, Target::Agent(i as u16));
        }
        for (i, c) in g.cues.iter().enumerate() {
            b.add(&c.pattern, Target::Cue(i as u16));
        }
        for (i, c) in g.cities.iter().enumerate() {
            let t = Target::City(i as u32);
            for n in std::iter::once(&c.name)
                .chain(std::iter::once(&c.ascii))
                .chain(c.alt_names.iter())
            {
                let short =
                    n.chars().count() < 3 || (n.chars().count() == 3 && c.population < 100_000);
                if !short && !CALENDAR_WORDS.contains(&n.as_str()) {
                    b.add(n, t);
                }
            }
        }
        let trie = Trie::new(&b.patterns);
        let mut lower_starts = vec![0u64; START_BITS / 64];
        let mut starts = vec![0u64; START_BITS / 64];
        for (p, entries) in b.patterns.iter().zip(&b.entries) {
            let h = ascii_token_hash(p.as_bytes());
            starts[h / 64] |= 1 << (h % 64);
            if entries
                .iter()
                .any(|e| !e.cased.as_bytes()[0].is_ascii_uppercase())
            {
                lower_starts[h / 64] |= 1 << (h % 64);
            }
        }
        Matcher {
            trie,
            entries: b.entries,
            lower_starts,
            starts,
        }
    }

    pub fn pattern_count(&self) -> usize {
        self.entries.len()
    }

    /// All leftmost-longest dictionary hits in folded text: an anchored longest-match search at
    /// every word start, so the automaton only walks as far as a name prefix goes.
    pub fn find(&self, f: &Folded) -> Vec<Hit> {
        if self.entries.is_empty() {
            return Vec::new();
        }
        let hay = &f.lower[..];
        let mut out: Vec<Hit> = Vec::new();
        let mut i = 0;
        while i < hay.len() {
            if !word_char_at(hay, i) || word_char_before(hay, i) {
                i += 1;
                continue;
            }
            let lower_start = !f.cased[i].is_ascii_uppercase() && f.cased[i] < 0x80;
            let h = ascii_token_hash(&hay[i..]);
            if self.starts[h / 64] & (1 << (h % 64)) == 0
                || (lower_start && self.lower_starts[h / 64] & (1 << (h % 64)) == 0)
            {
                i += 1;
                while i < hay.len() && word_char_at(hay, i) {
                    i += 1;
                }
                continue;
            }
            if let Some((e, pattern)) = self.trie.longest_at(hay, i) {
                let entries = &self.entries[pattern];
                if !word_char_at(hay, e) && entries.iter().any(|en| case_ok(f, i, e, en)) {
                    let targets = entries
                        .iter()
                        .filter(|en| case_ok(f, i, e, en))
                        .map(|en| en.target)
                        .collect();
                    out.push(Hit {
                        start: i,
                        end: e,
                        targets,
                    });
                    i = e;
                    continue;
                }
            }
            // Skip to the end of this word.
            i += 1;
            while i < hay.len() && word_char_at(hay, i) {
                i += 1;
            }
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
            text == pat
                || (text[0].is_ascii_uppercase()
                    && !text[1..].iter().any(|c| c.is_ascii_uppercase()))
        }
        Case::Capitalized => pat.iter().enumerate().all(|(i, &p)| {
            !(p.is_ascii_uppercase() && (i == 0 || matches!(pat[i - 1], b' ' | b'-')))
                || text[i].is_ascii_uppercase()
        }),
    }
}

/// True when the word before or after `s..e` is written in capitals (a shouted headline or
/// quote), where "US" may just be the pronoun.
fn in_caps_run(f: &Folded, s: usize, e: usize) -> bool {
    let caps_word = |w: &[u8]| w.len() >= 2 && w.iter().all(|c| c.is_ascii_uppercase());
    let prev = f.cased[..s]
        .trim_ascii_end()
        .rsplit(|c| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or(&[]);
    let next = f.cased[e..]
        .trim_ascii_start()
        .split(|c| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or(&[]);
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
