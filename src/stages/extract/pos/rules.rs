//! The tagger's rules as parsed from `lexical_rules.tsv` and `context_rules.tsv`, and the test
//! of one contextual rule against a word's window. Rule words are interned ids and tags are
//! `u8`s, so matching compares integers; each contextual rule also carries one slot of the
//! window (`key_window`) that every match must equal, a cheap test tried before the full one.

use super::PAD;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lexical {
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
pub(super) struct LexicalRule {
    pub(super) kind: Lexical,
    pub(super) when: u8,
    pub(super) arg: Box<str>,
    pub(super) arg_id: u32,
    pub(super) to: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
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
pub(super) enum Arg {
    T,
    W,
}

impl Context {
    /// The rule name in the file, and the kinds of its arguments.
    pub(super) fn parse(s: &str) -> Option<(Context, &'static [Arg])> {
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
pub(super) struct ContextRule {
    pub(super) kind: Context,
    pub(super) to: u8,
    /// A test every match passes: `key[slot] == value` over the window of `key_window`.
    pub(super) slot: u8,
    pub(super) value: u32,
    pub(super) x: u32,
    pub(super) y: u32,
}

/// The window of one word for the key test of its contextual rules: the tags at offsets -3..=3,
/// the word ids at -3..=3, and a constant 0 for rules with no single-slot test.
pub(super) fn key_window(tags: &[u8; 2 * PAD + 1], ids: &[u32; 2 * PAD + 1]) -> [u32; 4 * PAD + 3] {
    let mut k = [0u32; 4 * PAD + 3];
    for d in 0..=2 * PAD {
        k[d] = u32::from(tags[d]);
        k[2 * PAD + 1 + d] = ids[d];
    }
    k
}

impl ContextRule {
    pub(super) fn new(kind: Context, to: u8, x: u32, y: u32) -> ContextRule {
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

/// Whether one contextual rule holds for the window `tags`, `ids` centred on the word.
#[inline]
pub(super) fn context_matches(
    r: &ContextRule,
    tags: &[u8; 2 * PAD + 1],
    ids: &[u32; 2 * PAD + 1],
) -> bool {
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
