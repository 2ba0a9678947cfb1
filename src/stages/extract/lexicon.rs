//! The event pattern lexicon: data/patterns/verbs.tsv (verb and noun phrases -> CAMEO codes,
//! with keywords, exclusions and flags), patterns/petrarch.tsv, irregular.tsv and frames.tsv,
//! compiled into one table from every inflected word form to the pattern heads it can start
//! and its keyword id (the keywords themselves: `keywords.rs`). The grammar of the files is
//! documented in their headers and in docs/coding.md.

use std::collections::HashMap;

/// Word-keyed maps are looked up once per token: a fast non-cryptographic hash (the keys come
/// from our own data files, not from attackers).
pub type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<WordHasher>>;

/// FxHash-style multiply-rotate hasher, eight bytes at a time: a few nanoseconds per word.
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            h = (h.rotate_left(5) ^ v).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
        }
        self.0 = h;
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

mod keywords;

use keywords::kw;
pub use keywords::{id_bit, kw_at, word_bit, IdBloom, Kw, KwSet};

use super::cameo::CameoTable;
use super::inflect::{noun_forms, Form, Irregulars};
use super::word_table::WordTable;

/// A verb that governs another action and recodes it (see frames.tsv).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frame {
    Threat,
    Appeal,
    Demand,
    Intent,
    Reject,
    Deny,
    /// "ordered the army to withdraw": a demand (by the demand table) of the action of an
    /// infinitive after the one ordered.
    Order,
    /// "called the president on Friday to congratulate him": a telephone call (041) to the
    /// actor named right after the verb, coded as its purpose's action where that is coded.
    Call,
}

impl Frame {
    fn parse(s: &str) -> Option<Frame> {
        Some(match s {
            "threat" => Frame::Threat,
            "appeal" => Frame::Appeal,
            "demand" => Frame::Demand,
            "intent" => Frame::Intent,
            "reject" => Frame::Reject,
            "deny" => Frame::Deny,
            "order" => Frame::Order,
            "call" => Frame::Call,
            _ => return None,
        })
    }
}

/// One pattern line.
#[derive(Debug, Clone)]
pub struct Line {
    /// CAMEO code; None for function lines (light / report verbs).
    pub code: Option<String>,
    /// `verbs.tsv:LINE`, reported as the event's pattern id.
    pub id: String,
    /// Index of the pattern file in load order: a match of an earlier file wins.
    pub file: u8,
    /// Literal words that must follow the head (each a set of alternatives).
    pub literals: Vec<Vec<String>>,
    /// A frame group's keywords as written (each a set of alternatives); empty for other lines.
    pub keywords: Vec<Vec<Kw>>,
    /// Keywords that must occur in the clause after the head, each element's alternatives
    /// split for speed: one-word exact alternatives by id, the rest (phrases, prefixes) as a
    /// list. Converted dictionaries have hundreds of alternatives.
    pub keyword_sets: Vec<KwSet>,
    pub excludes: Vec<Kw>,
    /// `>to|into`: one of these words after an object of at least one word, in the verb's
    /// clause ("returned the manuscripts to Italy", not "returned to Italy").
    pub after_object: Option<Vec<String>>,
    pub frame: Option<Frame>,
    pub recip: bool,
    pub def_target: Option<String>,
    pub def_source: Option<String>,
    pub target_preps: Vec<String>,
    pub light: bool,
    pub report: bool,
}

impl Line {
    /// Number of elements beyond the head: a rough specificity.
    pub fn specificity(&self) -> usize {
        self.literals.len() + self.keyword_sets.len() + usize::from(self.after_object.is_some())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadKind {
    Verb,
    Noun,
    Exact,
}

/// One head of a line: the first word's forms are map keys; `rest` must follow directly.
#[derive(Debug, Clone)]
pub struct Head {
    pub line: u32,
    pub rest: Vec<Vec<String>>,
}

/// A lexicon entry for one word form.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub head: u32,
    /// The head's line and kind, and whether the line is coded (not a function line): copied
    /// here so that the coder reads the head and the line only for entries that pass the
    /// filters below.
    pub line: u32,
    pub kind: HeadKind,
    pub coded: bool,
    pub form: Form,
    /// [`word_bit`] of each word that may follow the head word in its phrase (0: a one-word
    /// head).
    pub next: u64,
    /// The filter of the coded line's most selective keyword element without prefixes
    /// (all zero if it has none): when none of its bits is among the ids after the head
    /// word, the line cannot match, and the coder skips it without reading the line.
    pub need: IdBloom,
}

impl Entry {
    /// False when `reach`, the keyword ids after the head word, holds no word of the entry's
    /// filtered keyword element: the line cannot match.
    #[inline]
    pub fn may_match(&self, reach: &IdBloom) -> bool {
        self.need.iter().all(|&n| n == 0) || self.need.iter().zip(reach).any(|(n, r)| n & r != 0)
    }
}

/// The compiled lexicon.
#[derive(Debug, Default)]
pub struct Lexicon {
    pub lines: Vec<Line>,
    pub heads: Vec<Head>,
    /// Every word form that starts a pattern head or is a one-word keyword: one lookup per
    /// token gives the coder both.
    /// Each such form's index in `words`.
    index: WordTable<u32>,
    words: Vec<Word>,
    /// Keyword refinements that apply to every verb of a frame (`*threat +sanctions`).
    pub frame_keywords: Vec<(Frame, String, String, Vec<Vec<Kw>>)>,
    /// frames.tsv: (frame, governed code prefix) -> code.
    pub frame_map: HashMap<(Frame, String), String>,
    /// Id of every one-word exact keyword (ids from 1; see `KwSet`), while the files are read;
    /// then moved into `words`.
    kw_ids: FastMap<String, u32>,
}

/// What the lexicon knows of one word form.
#[derive(Debug, Default)]
pub struct Word {
    /// Its keyword id (0: no keyword is this word).
    pub kw: u32,
    /// The pattern heads it can start, in the coder's order.
    pub entries: Vec<Entry>,
    /// Some entry is a noun form.
    pub has_noun: bool,
}

impl Lexicon {
    /// Builds the lexicon from the files' contents; errors name file and line. `verbs` are
    /// (file name, text) pattern files in priority order: a matching line of an earlier file
    /// wins over any line of a later one (verbs.tsv before the converted petrarch.tsv).
    pub fn parse(
        verbs: &[(&str, &str)],
        irregular: &str,
        frames: &str,
        cameo: &CameoTable,
    ) -> Result<Lexicon, String> {
        let irr =
            Irregulars::parse(irregular).map_err(|(n, m)| format!("irregular.tsv:{n}: {m}"))?;
        let mut lx = Lexicon::default();
        let mut forms = VerbForms {
            irr: &irr,
            cache: FastMap::default(),
        };
        for (fi, &(file, text)) in verbs.iter().enumerate() {
            lx.add_file(fi as u8, file, text, cameo, &mut forms)?;
        }
        lx.parse_frames(frames, cameo)?;
        lx.order_entries();
        for (w, id) in std::mem::take(&mut lx.kw_ids) {
            lx.word_mut(&w).kw = id;
        }
        Ok(lx)
    }

    /// Orders each word's entries for the coder: function lines first (all of them are
    /// consulted), then coded lines best first, by the coder's ranking (earlier file, more
    /// elements, earlier line; ties keep their order), so that the first coded line that
    /// matches is the one chosen.
    fn order_entries(&mut self) {
        let (heads, lines) = (&self.heads, &self.lines);
        for Word {
            entries, has_noun, ..
        } in &mut self.words
        {
            *has_noun = entries.iter().any(|e| e.form == Form::Noun);
            for e in entries.iter_mut() {
                let head = &heads[e.head as usize];
                let line = &lines[head.line as usize];
                e.coded = line.code.is_some();
                e.next = head
                    .rest
                    .first()
                    .map_or(0, |alts| alts.iter().fold(0, |b, w| b | word_bit(w)));
                if line.code.is_some() {
                    e.need = line
                        .keyword_sets
                        .iter()
                        .filter(|k| k.prefixes.is_empty())
                        .map(|k| k.bloom)
                        .min_by_key(|b| b.iter().map(|w| w.count_ones()).sum::<u32>())
                        .unwrap_or([0; 4]);
                }
            }
            entries.sort_by_cached_key(|e| {
                let head = &heads[e.head as usize];
                let line = &lines[head.line as usize];
                (
                    line.code.is_some(),
                    line.file,
                    std::cmp::Reverse(head.rest.len() + line.specificity()),
                    head.line,
                )
            });
        }
    }

    fn add_file(
        &mut self,
        file_index: u8,
        file: &str,
        verbs: &str,
        cameo: &CameoTable,
        forms: &mut VerbForms<'_>,
    ) -> Result<(), String> {
        let lx = self;
        for (n, raw) in verbs.lines().enumerate() {
            let n = n + 1;
            if raw.starts_with('#') || raw.trim().is_empty() {
                continue;
            }
            let err = |m: &str| format!("{file}:{n}: {m}");
            let cols: Vec<&str> = raw.split('\t').collect();
            if cols.len() < 2 {
                return Err(err("expected code<TAB>pattern[<TAB>flags]"));
            }
            let code = cols[0].trim();
            let code = if code == "-" {
                None
            } else if cameo.get(code).is_some() {
                Some(code.to_string())
            } else {
                return Err(err(&format!("unknown CAMEO code {code}")));
            };
            let mut parts = cols[1].split_whitespace();
            let heads = parts.next().ok_or_else(|| err("empty pattern"))?;
            let mut line = Line {
                code,
                id: format!("{file}:{n}"),
                file: file_index,
                literals: vec![],
                keywords: vec![],
                keyword_sets: vec![],
                excludes: vec![],
                after_object: None,
                frame: None,
                recip: false,
                def_target: None,
                def_source: None,
                target_preps: vec![],
                light: false,
                report: false,
            };
            // A frame group keeps its keywords as written: they refine every verb of the frame.
            let group = heads.starts_with('*');
            for p in parts {
                if let Some(k) = p.strip_prefix('+') {
                    line.keyword_sets.push(KwSet::parse(k, &mut lx.kw_ids));
                    if group {
                        line.keywords.push(kw(k));
                    }
                } else if let Some(k) = p.strip_prefix('-') {
                    line.excludes.extend(kw(k));
                } else if let Some(k) = p.strip_prefix('>') {
                    line.after_object = Some(k.split('|').map(str::to_string).collect());
                } else {
                    line.literals
                        .push(p.split('|').map(str::to_string).collect());
                }
            }
            for f in cols
                .get(2)
                .map(|s| s.split(','))
                .into_iter()
                .flatten()
                .map(str::trim)
                .filter(|f| !f.is_empty())
            {
                let (k, v) = f.split_once(':').unwrap_or((f, ""));
                match k {
                    "frame" => {
                        line.frame = Some(
                            Frame::parse(v).ok_or_else(|| err(&format!("unknown frame {v}")))?,
                        )
                    }
                    "recip" => line.recip = true,
                    "deftgt" => line.def_target = Some(v.to_string()),
                    "defsrc" => line.def_source = Some(v.to_string()),
                    "tgt" => line.target_preps = v.split('|').map(str::to_string).collect(),
                    "light" => line.light = true,
                    "report" => line.report = true,
                    _ => return Err(err(&format!("unknown flag {f}"))),
                }
            }
            if let Some(fr) = heads.strip_prefix('*') {
                let frame =
                    Frame::parse(fr).ok_or_else(|| err(&format!("unknown frame group {fr}")))?;
                let code = line
                    .code
                    .clone()
                    .ok_or_else(|| err("a frame group needs a code"))?;
                lx.frame_keywords
                    .push((frame, code, line.id.clone(), line.keywords.clone()));
                continue;
            }
            let li = lx.lines.len() as u32;
            lx.lines.push(line);
            for h in heads.split(',').filter(|h| !h.is_empty()) {
                lx.add_head(li, h, forms);
            }
        }
        Ok(())
    }

    fn parse_frames(&mut self, frames: &str, cameo: &CameoTable) -> Result<(), String> {
        let lx = self;
        for (n, raw) in frames.lines().enumerate() {
            if raw.starts_with('#') || raw.trim().is_empty() {
                continue;
            }
            let c: Vec<&str> = raw.split('\t').map(str::trim).collect();
            let err = |m: &str| format!("frames.tsv:{}: {m}", n + 1);
            if c.len() != 3 {
                return Err(err("expected frame<TAB>prefix<TAB>code"));
            }
            let f = Frame::parse(c[0]).ok_or_else(|| err("unknown frame"))?;
            if cameo.get(c[2]).is_none() {
                return Err(err("unknown code"));
            }
            lx.frame_map.insert((f, c[1].to_string()), c[2].to_string());
        }
        Ok(())
    }

    fn add_head(&mut self, line: u32, h: &str, forms: &mut VerbForms<'_>) {
        let (kind, body) = if let Some(b) = h.strip_prefix("n:") {
            (HeadKind::Noun, b)
        } else if let Some(b) = h.strip_prefix('=') {
            (HeadKind::Exact, b)
        } else {
            (HeadKind::Verb, h)
        };
        let words: Vec<&str> = body.split('_').collect();
        let hi = self.heads.len() as u32;
        let mut rest: Vec<Vec<String>> = words[1..].iter().map(|w| vec![w.to_string()]).collect();
        let first: Vec<(String, Form)> = match kind {
            HeadKind::Exact => vec![(words[0].to_string(), Form::Exact)],
            HeadKind::Verb => vec![],
            HeadKind::Noun => {
                // Pluralize the word before the first preposition, else the last word.
                let preps = ["of", "for", "on", "to", "against", "with", "in", "into"];
                let k = words
                    .iter()
                    .position(|w| preps.contains(w))
                    .unwrap_or(words.len())
                    .saturating_sub(1);
                if k == 0 {
                    noun_forms(words[0])
                        .into_iter()
                        .map(|f| (f, Form::Noun))
                        .collect()
                } else {
                    rest[k - 1] = noun_forms(words[k]);
                    vec![(words[0].to_string(), Form::Noun)]
                }
            }
        };
        self.heads.push(Head {
            line,
            rest: std::mem::take(&mut rest),
        });
        let verb_forms = match kind {
            HeadKind::Verb => forms.get(words[0]),
            _ => &[],
        };
        for (f, form) in first.iter().chain(verb_forms) {
            let e = Entry {
                head: hi,
                line,
                kind,
                coded: false,
                form: *form,
                next: 0,
                need: [0; 4],
            };
            self.word_mut(f).entries.push(e);
        }
    }

    /// The word form `w`, added if it is new.
    fn word_mut(&mut self, w: &str) -> &mut Word {
        let next = self.words.len() as u32;
        let i = *self.index.entry(w, next);
        if i == next {
            self.words.push(Word::default());
        }
        &mut self.words[i as usize]
    }

    /// The keyword id of a word form; 0 when no keyword is that word.
    #[cfg(test)]
    pub fn kw_id(&self, w: &str) -> u32 {
        self.lookup(w).map_or(0, |x| x.kw)
    }

    /// Looks up a lower-cased word form.
    pub fn get(&self, w: &str) -> &[Entry] {
        self.lookup(w).map_or(&[], |x| x.entries.as_slice())
    }

    /// What the lexicon knows of a lower-cased word form: its keyword id and its entries, in
    /// one lookup.
    pub fn lookup(&self, w: &str) -> Option<&Word> {
        self.lookup_hashed(w, self.index.prefetch(w))
    }

    /// Hashes `w` and prefetches its slot for [`Lexicon::lookup_hashed`] (see `WordTable`).
    pub fn prefetch(&self, w: &str) -> u64 {
        self.index.prefetch(w)
    }

    /// [`Lexicon::lookup`] with the hash [`Lexicon::prefetch`] gave.
    pub fn lookup_hashed(&self, w: &str, hash: u64) -> Option<&Word> {
        self.index
            .get_hashed(w, hash)
            .map(|&i| &self.words[i as usize])
    }

    /// The code a frame gives a governed action (longest matching prefix).
    pub fn frame_code(&self, f: Frame, governed: &str) -> Option<&str> {
        (2..=governed.len()).rev().find_map(|n| {
            self.frame_map
                .get(&(f, governed[..n].to_string()))
                .map(String::as_str)
        })
    }

    /// Distinct CAMEO codes the lexicon can produce (lines and frame groups).
    pub fn codes(&self) -> std::collections::BTreeSet<&str> {
        let mut s: std::collections::BTreeSet<&str> = self
            .lines
            .iter()
            .filter_map(|l| l.code.as_deref())
            .collect();
        s.extend(self.frame_keywords.iter().map(|f| f.1.as_str()));
        s.extend(self.frame_map.values().map(String::as_str));
        s
    }
}

/// The inflected forms of verb lemmas, each lemma inflected once (thousands of pattern heads
/// share a few hundred verbs).
struct VerbForms<'a> {
    irr: &'a Irregulars,
    cache: FastMap<String, Vec<(String, Form)>>,
}

impl VerbForms<'_> {
    fn get(&mut self, lemma: &str) -> &[(String, Form)] {
        if !self.cache.contains_key(lemma) {
            let forms = self.irr.verb_forms(lemma);
            self.cache.insert(lemma.to_string(), forms);
        }
        self.cache.get(lemma).map(Vec::as_slice).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cameo() -> CameoTable {
        CameoTable::parse("111\t11\t3\t-2.0\tCriticize\n1312\t13\t3\t-5.8\tx\n163\t16\t4\t-8.0\tx\n130\t13\t3\t-4.4\tx\n").unwrap()
    }

    #[test]
    fn parses_heads_keywords_and_frames() {
        let v = "111\tcriticize,n:criticism\n130\tthreaten\tframe:threat\n1312\t*threat +sanction*\n163\timpose +sanctions\n";
        let lx = Lexicon::parse(&[("verbs.tsv", v)], "", "threat\t163\t1312\n", &cameo()).unwrap();
        assert!(lx.get("criticised").iter().any(|e| e.form == Form::Past));
        assert!(lx.get("criticisms").iter().any(|e| e.form == Form::Noun));
        assert!(lx
            .get("threatened")
            .iter()
            .all(|e| matches!(e.form, Form::Past | Form::Participle)));
        assert_eq!(lx.frame_code(Frame::Threat, "163"), Some("1312"));
        assert_eq!(lx.frame_code(Frame::Threat, "19"), None);
        assert_eq!(lx.frame_keywords.len(), 1);
        assert!(lx.codes().contains("1312"));
    }

    #[test]
    fn errors_name_the_line() {
        let e = Lexicon::parse(&[("verbs.tsv", "999\tfoo\n")], "", "", &cameo()).unwrap_err();
        assert!(e.contains("verbs.tsv:1"), "{e}");
        let e = Lexicon::parse(&[("verbs.tsv", "111\tfoo\tframe:nope\n")], "", "", &cameo())
            .unwrap_err();
        assert!(e.contains("unknown frame"), "{e}");
    }

    #[test]
    fn entries_carry_the_filter_of_their_most_selective_keyword() {
        let v = "-\timpose\n163\timpose +sanctions|embargo +new\n111\timpose +tariff*\n";
        let lx = Lexicon::parse(&[("verbs.tsv", v)], "", "", &cameo()).unwrap();
        let bits = |b: &IdBloom| b.iter().map(|w| w.count_ones()).sum::<u32>();
        let needs: Vec<u32> = lx.get("imposed").iter().map(|e| bits(&e.need)).collect();
        // "imposed" is a past and a participle: two entries per line. The function line
        // needs nothing, the 163 line its one-word element "new", the prefix-only line
        // nothing (a prefix has no id).
        assert_eq!(needs, [0, 0, 1, 1, 0, 0]);
        let mut b = [0; 4];
        id_bit(&mut b, lx.kw_id("new"));
        assert!(lx.get("imposed").iter().any(|e| e.need == b));
        assert!(lx.get("imposed").iter().all(|e| e.next == 0));
        // A two-word head filters on the words that may follow its first one.
        let lx =
            Lexicon::parse(&[("verbs.tsv", "163\tn:arms_embargo\n")], "", "", &cameo()).unwrap();
        let e = lx.get("arms")[0];
        assert_eq!(e.next & word_bit("embargo"), word_bit("embargo"));
        assert!(e.coded && e.kind == HeadKind::Noun);
    }
}
