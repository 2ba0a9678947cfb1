//! The analysed text every extractor works on: the body's tokens (byte offsets, lower-cased
//! text, capitalisation), its sentences as token ranges, which entity covers each token, and
//! the closed word classes (auxiliaries, prepositions, determiners ...; in `text/words.rs`) the
//! coder reasons with.
//! Built once per article so the coder, dates, casualties, quotes and tone share one pass.

use super::pos::{Tag, Tagger};
use crate::entities::{Entity, EntityKind, Sentence};

mod words;

pub use words::{
    is_adverb, is_article_or_possessive, is_aspectual, is_aux, is_be, is_cessation,
    is_clause_break, is_determiner, is_locative, is_modal, is_negator, is_preposition, is_pronoun,
    is_time_word,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Num,
    /// Punctuation; the character is in `Doc::low` at the token's offsets.
    Punct,
    /// Possessive "'s" / "’s" / a bare "'" after a plural.
    Poss,
    /// Negation clitic "n't".
    Neg,
}

#[derive(Debug, Clone, Copy)]
pub struct Tok {
    pub s: usize,
    pub e: usize,
    pub kind: Kind,
    /// First character upper-case.
    pub cap: bool,
    /// Two or more letters, all upper-case (shouting headlines, acronyms).
    pub caps: bool,
    /// Index into the entity list of the entity covering this token.
    pub ent: Option<u32>,
    pub sent: u32,
}

/// Tokens, sentences and entities of one text.
pub struct Doc<'a> {
    pub text: &'a str,
    /// ASCII-lower-cased copy of `text` (same byte offsets).
    pub low: String,
    pub toks: Vec<Tok>,
    pub sents: Vec<Sentence>,
    /// Token range of each sentence.
    pub sent_toks: Vec<(usize, usize)>,
    pub ents: &'a [Entity],
    /// First and one-past-last token of each entity.
    pub ent_toks: Vec<(usize, usize)>,
    /// The actor code each entity has in events (None: not an actor), see `actors::code_of`.
    pub codes: Vec<Option<String>>,
    /// How each entity only describes the noun after it, if it does ([`Attribute`]).
    attrs: Vec<Option<Attribute>>,
    /// Part-of-speech tag of each token ([`Doc::tag`]); empty until tagged.
    pub tags: Vec<Tag>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str, sents: Vec<Sentence>, ents: &'a [Entity]) -> Doc<'a> {
        let low = text.to_ascii_lowercase();
        let mut toks = tokenize(text);
        // Sentences -> token ranges.
        let mut sent_toks = Vec::with_capacity(sents.len());
        let mut k = 0;
        for (si, s) in sents.iter().enumerate() {
            while k < toks.len() && toks[k].s < s.start {
                toks[k].sent = si.saturating_sub(1) as u32;
                k += 1;
            }
            let a = k;
            while k < toks.len() && toks[k].s < s.end {
                toks[k].sent = si as u32;
                k += 1;
            }
            sent_toks.push((a, k));
        }
        for t in &mut toks[k..] {
            t.sent = sents.len().saturating_sub(1) as u32;
        }
        // Entities -> token ranges.
        let mut ent_toks = Vec::with_capacity(ents.len());
        for (i, e) in ents.iter().enumerate() {
            let a = toks.partition_point(|t| t.e <= e.start);
            let mut b = a;
            while b < toks.len() && toks[b].s < e.end {
                if toks[b].ent.is_none() {
                    toks[b].ent = Some(i as u32);
                }
                b += 1;
            }
            ent_toks.push((a, b));
        }
        let attrs: Vec<Option<Attribute>> = ents.iter().map(|e| located(text, e)).collect();
        let codes = ents
            .iter()
            .zip(&attrs)
            .map(|(e, attr)| {
                attr.is_none()
                    .then(|| super::actors::code_of(e).map(str::to_string))
                    .flatten()
            })
            .collect();
        Doc {
            text,
            low,
            toks,
            sents,
            sent_toks,
            ents,
            ent_toks,
            codes,
            attrs,
            tags: Vec::new(),
        }
    }

    /// Tags every sentence's tokens with `tagger`. Clitics go to the tagger as the Penn
    /// Treebank writes them ("'s", "n't").
    pub fn tag(&mut self, tagger: &Tagger) {
        let mut tags = Vec::with_capacity(self.toks.len());
        let mut words: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        let mut k = 0;
        for &(a, b) in &self.sent_toks {
            // Tokens between sentences (none in practice) keep a neutral tag.
            tags.extend((k..a).map(|_| Tag::SYM));
            words.clear();
            words.extend(self.toks[a..b].iter().map(|t| match t.kind {
                Kind::Poss => "'s",
                Kind::Neg => "n't",
                _ => &self.text[t.s..t.e],
            }));
            tagger.tag(&words, &mut out);
            tags.extend_from_slice(&out);
            k = b.max(k);
        }
        tags.extend((tags.len()..self.toks.len()).map(|_| Tag::SYM));
        self.tags = tags;
    }

    /// The tag of token `i`, if the document is tagged.
    pub fn tag_of(&self, i: usize) -> Option<Tag> {
        self.tags.get(i).copied()
    }

    /// Lower-cased text of token `i` ("'s" for possessives).
    pub fn w(&self, i: usize) -> &str {
        match self.toks.get(i) {
            None => "",
            Some(t) if t.kind == Kind::Poss => "'s",
            Some(t) if t.kind == Kind::Neg => "n't",
            Some(t) => &self.low[t.s..t.e],
        }
    }

    pub fn is_punct(&self, i: usize, c: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Punct) && self.w(i) == c
    }

    /// Token `i` belongs to a dateline ("CAIRO --", "KABUL -", "MOSCOW (Sputnik) -", "LA PAZ,
    /// Bolivia --"): the place a wire story was filed from and its agency, which open the
    /// sentence in capitals before a dash (the dash included). They say where the story comes
    /// from, not who acts.
    pub fn in_dateline(&self, i: usize) -> bool {
        let Some(t) = self.toks.get(i) else {
            return false;
        };
        let (a, b) = self.sent_toks[t.sent as usize];
        if i < a || !self.toks[a].caps {
            return false;
        }
        let mut k = a;
        while k < b && k < a + 8 {
            let tk = self.toks[k];
            let w = self.w(k);
            if tk.kind == Kind::Punct {
                let dash = |w: &str| {
                    !w.is_empty()
                        && w.chars()
                            .all(|c| matches!(c, '-' | '\u{2013}' | '\u{2014}'))
                };
                if dash(w) {
                    // The dash ("--" is two tokens) belongs to it too.
                    let end = (k..b).find(|&j| !dash(self.w(j))).unwrap_or(b);
                    return i < end;
                }
                if w == "(" {
                    // The agency: "(Reuters)", "(AP)".
                    match (k + 1..(k + 5).min(b)).find(|&j| self.w(j) == ")") {
                        Some(j) => k = j + 1,
                        None => return false,
                    }
                    continue;
                }
                if w != "," {
                    return false;
                }
            } else if !tk.cap {
                return false;
            }
            k += 1;
        }
        false
    }

    /// The actor code of entity `e`.
    pub fn code(&self, e: u32) -> Option<&str> {
        self.codes.get(e as usize).and_then(|c| c.as_deref())
    }

    /// How entity `e` describes the noun after it, if it only does that (see [`Attribute`]).
    pub fn attribute(&self, e: u32) -> Option<Attribute> {
        self.attrs.get(e as usize).copied().flatten()
    }

    /// The entity covering token `i`, with its token range.
    pub fn ent_at(&self, i: usize) -> Option<(u32, usize, usize)> {
        let e = self.toks.get(i)?.ent?;
        let (a, b) = self.ent_toks[e as usize];
        Some((e, a, b))
    }
}

/// How a place or nationality describes the noun after it ("a Tokyo-based maker",
/// "Chinese-made missiles", "Canadian dollars"): it acts for no one itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribute {
    /// Where the noun is seated or registered ("Tokyo-based", "Liberian-flagged"): the noun
    /// is of that country.
    Seat,
    /// Where the noun comes from ("Chinese-made", "Iranian-born") or whose currency it is
    /// ("British pounds"): it says nothing of who holds the noun.
    Origin,
}

fn located(text: &str, e: &Entity) -> Option<Attribute> {
    let after = &text[e.end..];
    // The word right after the entity's separator.
    let next = |sep: char| {
        let rest = after.strip_prefix(sep)?;
        rest.split(|c: char| !c.is_alphabetic()).next()
    };
    let is = |w: &str, l: &[&str]| l.iter().any(|x| x.eq_ignore_ascii_case(w));
    // "1.7 mln British pounds", "U.S. dollars": the currency is the country's, the money no
    // party's.
    if e.kind == EntityKind::Country && next(' ').is_some_and(|w| is(w, CURRENCIES)) {
        return Some(Attribute::Origin);
    }
    let w = next('-')?;
    if is(
        w,
        &["based", "headquartered", "registered", "flagged", "listed"],
    ) {
        Some(Attribute::Seat)
    } else if is(w, &["made", "built", "born", "manufactured", "supplied"]) {
        Some(Attribute::Origin)
    } else {
        None
    }
}

/// Currency words after a nationality ("Canadian dollars", "Swiss francs").
const CURRENCIES: &[&str] = &[
    "dollar",
    "dollars",
    "dlr",
    "dlrs",
    "pound",
    "pounds",
    "sterling",
    "franc",
    "francs",
    "mark",
    "marks",
    "yen",
    "lira",
    "lire",
    "peso",
    "pesos",
    "crown",
    "crowns",
    "krona",
    "kronor",
    "krone",
    "kroner",
    "guilder",
    "guilders",
    "rupee",
    "rupees",
    "yuan",
    "rouble",
    "roubles",
    "ruble",
    "rubles",
    "currency",
    "shilling",
    "shillings",
    "escudo",
    "escudos",
    "peseta",
    "pesetas",
    "rand",
    "won",
    "riyal",
    "riyals",
    "dinar",
    "dinars",
    "cruzado",
    "cruzados",
];

fn is_apos(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Splits text into words (with inner hyphens, apostrophes and dotted acronyms), numbers
/// (with inner `,` and `.`), possessive and negation clitics, and punctuation characters.
pub fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let b = text.as_bytes();
    let mut it = text.char_indices().peekable();
    let tok = |s: usize, e: usize, kind: Kind| Tok {
        s,
        e,
        kind,
        cap: false,
        caps: false,
        ent: None,
        sent: 0,
    };
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_ascii_digit() {
            let mut e = i + 1;
            while e < b.len() {
                let d = b[e];
                if d.is_ascii_digit()
                    || ((d == b',' || d == b'.') && e + 1 < b.len() && b[e + 1].is_ascii_digit())
                {
                    e += 1;
                } else {
                    break;
                }
            }
            while it.peek().is_some_and(|&(k, _)| k < e) {
                it.next();
            }
            out.push(tok(i, e, Kind::Num));
            continue;
        }
        if !c.is_alphabetic() {
            out.push(tok(i, i + c.len_utf8(), Kind::Punct));
            continue;
        }
        // A word: letters/digits, with inner '-', '.', or apostrophes followed by letters.
        let mut e = i + c.len_utf8();
        let mut upper = usize::from(c.is_uppercase());
        let mut letters = 1;
        while let Some(&(k, d)) = it.peek() {
            if d.is_alphanumeric() {
                letters += 1;
                upper += usize::from(d.is_uppercase());
                e = k + d.len_utf8();
                it.next();
                continue;
            }
            let next = text[k + d.len_utf8()..].chars().next();
            let joins = match d {
                '-' => next.is_some_and(char::is_alphanumeric),
                '.' => {
                    next.is_some_and(|n| n.is_alphabetic())
                        && text[i..k]
                            .chars()
                            .all(|x| x.is_alphabetic() && x.is_uppercase() || x == '.')
                        && text[i..k].len() <= 3
                }
                d if is_apos(d) => next.is_some_and(char::is_alphabetic),
                _ => false,
            };
            if !joins {
                break;
            }
            e = k + d.len_utf8();
            it.next();
        }
        // A dotted acronym keeps its final dot ("U.S.").
        if text[i..e].contains('.') && b.get(e) == Some(&b'.') {
            e += 1;
            it.next();
        }
        let word = &text[i..e];
        // Split clitics: 's / ’s (possessive or "is"), n't.
        let mut t = tok(i, e, Kind::Word);
        t.cap = c.is_uppercase();
        t.caps = letters >= 2 && upper == letters;
        if let Some(p) = clitic_start(word) {
            let mut w = t;
            w.e = i + p;
            out.push(w);
            out.push(tok(i + p, e, Kind::Poss));
        } else if let Some(cut) = neg_clitic(word) {
            let mut w = t;
            w.e = e - cut;
            if w.e > w.s {
                out.push(w);
            }
            out.push(tok(e - cut, e, Kind::Neg));
        } else {
            out.push(t);
        }
        // A bare apostrophe after a plural ("protesters' demands").
        if let Some(&(k, d)) = it.peek() {
            if is_apos(d)
                && word.ends_with(['s', 'S'])
                && !text[k + d.len_utf8()..].starts_with(char::is_alphabetic)
            {
                out.push(tok(k, k + d.len_utf8(), Kind::Poss));
                it.next();
            }
        }
    }
    out
}

/// Byte position of a final "'s" / "’s" clitic in a word.
fn clitic_start(w: &str) -> Option<usize> {
    for apos in ["'", "\u{2019}"] {
        let n = apos.len() + 1;
        if w.len() > n && w.is_char_boundary(w.len() - n) {
            let tail = &w[w.len() - n..];
            if tail.starts_with(apos) && tail[apos.len()..].eq_ignore_ascii_case("s") {
                return Some(w.len() - n);
            }
        }
    }
    None
}

/// Length in bytes of a final "n't" / "n’t" clitic.
fn neg_clitic(w: &str) -> Option<usize> {
    for (tail, n) in [("n't", 3), ("n\u{2019}t", 5)] {
        if w.len() >= n
            && w.is_char_boundary(w.len() - n)
            && w[w.len() - n..].eq_ignore_ascii_case(tail)
        {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &str) -> Vec<String> {
        tokenize(t)
            .iter()
            .map(|k| match k.kind {
                Kind::Poss => "'s".to_string(),
                Kind::Neg => "n't".to_string(),
                _ => t[k.s..k.e].to_string(),
            })
            .collect()
    }

    #[test]
    fn clitics_acronyms_numbers() {
        assert_eq!(
            words("Tehran\u{2019}s U.S. forces didn't fire 2,000.5 shells."),
            vec!["Tehran", "'s", "U.S.", "forces", "did", "n't", "fire", "2,000.5", "shells", "."]
        );
        assert_eq!(
            words("protesters' anti-government rally"),
            vec!["protesters", "'s", "anti-government", "rally"]
        );
        assert_eq!(
            words("O'Brien said \u{201C}no\u{201D}"),
            vec!["O'Brien", "said", "\u{201C}", "no", "\u{201D}"]
        );
    }

    #[test]
    fn datelines_end_at_the_dash() {
        let text = "LA PAZ, Bolivia -- The army (FAB) fired. US forces - not all - left.";
        let sents = crate::entities::split_sentences(text);
        let d = Doc::new(text, sents, &[]);
        let at = |w: &str| d.toks.iter().position(|t| &text[t.s..t.e] == w).unwrap();
        assert!(d.in_dateline(at("LA")) && d.in_dateline(at("Bolivia")));
        assert!(!d.in_dateline(at("army")) && !d.in_dateline(at("FAB")));
        // Both tokens of "--" are the dateline's, "The" is not.
        let dash = at("Bolivia") + 1;
        assert!(d.in_dateline(dash) && d.in_dateline(dash + 1) && !d.in_dateline(dash + 2));
        assert!(
            !d.in_dateline(at("US")),
            "a sentence of its own, not in capitals"
        );
    }

    #[test]
    fn documents_are_tagged_sentence_by_sentence() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/tagger");
        let tagger = Tagger::load(&dir).unwrap();
        let text = "Rebels attack the town. The attacks didn't stop.";
        let mut d = Doc::new(text, crate::entities::split_sentences(text), &[]);
        assert!(d.tag_of(1).is_none(), "untagged until tagged");
        d.tag(&tagger);
        assert_eq!(d.tags.len(), d.toks.len());
        let tag = |w: &str| d.tag_of(d.toks.iter().position(|t| &text[t.s..t.e] == w).unwrap());
        assert!(tag("attack").unwrap().is_verb());
        assert!(tag("attacks").unwrap().is_noun());
        assert_eq!(
            d.tag_of(d.toks.iter().position(|t| t.kind == Kind::Neg).unwrap()),
            Some(Tag::RB)
        );
    }

    #[test]
    fn capitals_flags() {
        let t = tokenize("KEEP Protesting us");
        assert!(t[0].caps && t[0].cap);
        assert!(!t[1].caps && t[1].cap);
        assert!(!t[2].cap);
    }
}
