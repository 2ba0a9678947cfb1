//! Pattern matching: finds the lexicon's verb and noun phrases in each sentence, decides verb
//! or noun use, voice, negation and modality, lets frame verbs absorb the action they govern
//! ("threatened to impose sanctions" -> 1312), and settles each match's CAMEO code. The
//! actors of each match are found afterwards (events.rs with actors.rs).

mod modality;
mod recode;

pub use modality::intention;
use modality::modality;

use super::inflect::Form;
use super::lexicon::{id_bit, kw_at, word_bit, Frame, HeadKind, IdBloom, Kw, Lexicon, Word};
use super::text::{
    is_article_or_possessive, is_aux, is_clause_break, is_determiner, is_modal, is_negator,
    is_preposition, Doc, Kind,
};

/// One matched pattern occurrence.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Head token and one past the head phrase and literals.
    pub tok: usize,
    pub end: usize,
    pub line: u32,
    /// Used as a verb (else as a noun).
    pub verbal: bool,
    pub form: Form,
    pub code: String,
    pub pattern_id: String,
    pub passive: bool,
    pub negated: bool,
    /// Negated by a refusal ("would not provide", "refused to", "never"), not by a failure.
    pub refused: bool,
    /// Announced as the subject's own future act ("will release", "pledged to send"), not
    /// conditional ("if ..."), planned ("plans to") nor merely possible ("could", "would").
    pub intended: bool,
    pub hypothetical: bool,
    /// Absorbed by a frame verb or used as another pattern's keyword.
    pub consumed: bool,
    /// Start of the verb group (auxiliaries, adverbs); `tok` for nouns.
    pub group: usize,
    /// The action a frame verb governs ("agreed to send aid to Y"): the end of its head
    /// phrase and its pattern line, where the frame's other party is looked for.
    pub inner: Option<(usize, u32)>,
}

impl Hit {
    /// A match of line `line` of `lx` at head token `tok`, its phrase ending before `end`,
    /// coded `code`; voice, negation and modality not yet read.
    pub fn new(lx: &Lexicon, tok: usize, end: usize, line: u32, verbal: bool, form: Form) -> Hit {
        let l = &lx.lines[line as usize];
        Hit {
            tok,
            end,
            line,
            verbal,
            form,
            code: l.code.clone().unwrap_or_default(),
            pattern_id: l.id.clone(),
            passive: false,
            negated: false,
            refused: false,
            intended: false,
            hypothetical: false,
            consumed: false,
            group: tok,
            inner: None,
        }
    }
}

/// Reporting and light verbs seen in a sentence (no event of their own).
#[derive(Debug, Clone, Copy)]
pub struct FnVerb {
    pub tok: usize,
    pub light: bool,
    pub report: bool,
}

/// All matches of one sentence.
pub struct Matches {
    pub hits: Vec<Hit>,
    pub fn_verbs: Vec<FnVerb>,
}

/// Token index where the clause containing `i` ends (exclusive), within `..b`.
pub fn clause_end(d: &Doc, i: usize, b: usize) -> usize {
    (i..b)
        .find(|&k| {
            is_clause_break(d.w(k))
                || d.w(k) == "that"
                || (d.toks[k].kind == Kind::Punct && is_quote(d.w(k)))
        })
        .unwrap_or(b)
}

pub fn is_quote(w: &str) -> bool {
    matches!(w, "\"" | "\u{201C}" | "\u{201D}" | "\u{00AB}" | "\u{00BB}")
}

/// Does the token at `i` act as a verb here? Its part-of-speech tag says so when the document
/// is tagged; otherwise (and for "-ing" forms) the context decides. `has_noun`: the same form
/// is also a lexicon noun ("attacks", "protests"), so the context must show a verb.
fn verb_use(d: &Doc, i: usize, form: Form, start: usize, has_noun: bool) -> bool {
    if form == Form::Third && headline_present(d, i, start) {
        return true;
    }
    // "the armed groups", "its disputed border": a participle after an article or a
    // possessive is an adjective, whatever the tagger said.
    if matches!(form, Form::Past | Form::Participle)
        && i > start
        && is_article_or_possessive(d.w(i - 1))
    {
        return false;
    }
    // A base form right after a modal ("would free 1,500 prisoners", "will not free them") is
    // the verb whatever the tagger said: its context rules can take an adjective reading
    // there for an adverb.
    if form == Form::Base && i > start {
        let m = if i > start + 1 && is_negator(d.w(i - 1)) {
            i - 2
        } else {
            i - 1
        };
        if is_modal(d.w(m)) {
            return true;
        }
    }
    // The tagger decides for finite verbs and participles; a gerund after a noun ("artillery
    // shelling") is the event noun the rules below keep it as, which the tagger often misses.
    if let Some(t) = d.tag_of(i) {
        if matches!(
            form,
            Form::Base | Form::Third | Form::Past | Form::Participle
        ) {
            return t.is_verb();
        }
    }
    match form {
        Form::Past | Form::Participle => return i == start || !is_determiner(d.w(i - 1)),
        Form::Ing => {
            if i == start {
                return true;
            }
            let (p, pt) = (d.w(i - 1), d.toks[i - 1]);
            return is_aux(p)
                || super::text::is_adverb(p)
                || super::text::is_aspectual(p)
                || pt.ent.is_some()
                || matches!(
                    p,
                    "," | "and"
                        | "or"
                        | "after"
                        | "before"
                        | "while"
                        | "when"
                        | "by"
                        | "of"
                        | "for"
                        | "since"
                        | "without"
                        | "from"
                        | "against"
                        | "about"
                        | "denied"
                        | "denies"
                        | "deny"
                        | "who"
                        | "which"
                        | "that"
                );
        }
        Form::Noun => return false,
        Form::Exact => return true,
        Form::Base | Form::Third => {}
    }
    if i == start {
        return false;
    }
    let p = d.w(i - 1);
    let pt = d.toks[i - 1];
    if is_determiner(p)
        || pt.kind == Kind::Poss
        || pt.kind == Kind::Num
        || (is_preposition(p) && p != "to")
    {
        return false;
    }
    if is_modal(p)
        || matches!(
            p,
            "to" | "did"
                | "does"
                | "do"
                | "not"
                | "n't"
                | "never"
                | "also"
                | "who"
                | "which"
                | "they"
                | "we"
                | "he"
                | "she"
                | "it"
                | "i"
        )
    {
        return true;
    }
    if !has_noun {
        // A verb needs something subject-like before it: an actor (with an object after it:
        // "Soviet arms control" is no verb), a pronoun, an adverb.
        if pt.ent.is_some() {
            return next_is_object(d, i + 1);
        }
        return !(is_aux(p) && form == Form::Third)
            && (pt.kind == Kind::Punct
                || matches!(p, "and" | "or" | "but")
                || super::text::is_adverb(p)
                || is_aux(p)
                || pt.cap);
    }
    // "attacks and threats" is a noun list, "expel diplomats and impose sanctions" a verb list;
    // after an actor, "US strikes Iran" is a verb, "US strikes on Iran" a noun.
    if p == "and" || p == "," || pt.ent.is_some() {
        return next_is_object(d, i + 1);
    }
    false
}

/// "Venezuela releases dozens of activists", "Israel strikes the camp": an -s form right after
/// a named actor that opens the sentence, with an object or a quantity after it, is the
/// sentence's verb in the present of headlines and leads. The tagger reads a name before a
/// plural as a noun compound ("Venezuela releases"), which it is only when a preposition or
/// nothing object-like follows ("US strikes on Iran").
fn headline_present(d: &Doc, i: usize, start: usize) -> bool {
    let Some((_, a, b)) = i.checked_sub(1).and_then(|p| d.ent_at(p)) else {
        return false;
    };
    let opens = a == start || (a == start + 1 && d.w(start) == "the");
    opens
        && b == i
        && (next_is_object(d, i + 1)
            || d.toks.get(i + 1).is_some_and(|t| t.kind == Kind::Num)
            || matches!(
                d.w(i + 1),
                "dozens" | "hundreds" | "thousands" | "scores" | "millions" | "several"
            ))
}

/// One of `alts` follows an object of one word or more after token `k`, within 12 tokens and
/// before any comma or verb: "returned the stolen manuscripts to Italy".
fn after_object(d: &Doc, k: usize, b: usize, alts: &[String]) -> bool {
    (k + 1..b.min(k + 13))
        .take_while(|&j| d.w(j) != "," && !d.tags.get(j).is_some_and(|t| t.is_verb()))
        .any(|j| alts.iter().any(|x| x == d.w(j)) && !alts.iter().any(|x| x == d.w(k)))
}

/// An object-like word follows: an actor, a determiner, an object pronoun.
fn next_is_object(d: &Doc, k: usize) -> bool {
    let Some(t) = d.toks.get(k) else { return false };
    t.ent.is_some()
        || is_determiner(d.w(k))
        || matches!(
            d.w(k),
            "him" | "them" | "it" | "her" | "us" | "back" | "off" | "up" | "down" | "out"
        )
}

/// Skips fillers (articles, possessives) and finds `alts` at or after `k` (at most 2 skipped).
fn literal_at(d: &Doc, mut k: usize, end: usize, alts: &[String]) -> Option<usize> {
    for _ in 0..3 {
        if k >= end {
            return None;
        }
        let w = d.w(k);
        if alts.iter().any(|a| a == w) {
            return Some(k + 1);
        }
        if !(is_determiner(w) || d.toks[k].kind == Kind::Poss) {
            return None;
        }
        k += 1;
    }
    None
}

/// Token `i` continues a capitalised name ("the Court of Criminal Appeals", "the Sugar
/// Agreement"): a word of the name, not an event noun. Not after a recognized name or an
/// abbreviation, which some wires follow with a capital ("U.S. Pressure on Japan",
/// "Israeli Attacks").
fn name_word(d: &Doc, i: usize, a: usize) -> bool {
    let cap = |k: usize| {
        let t = d.toks[k];
        t.cap && t.kind == Kind::Word && t.ent.is_none() && !d.w(k).ends_with('.')
    };
    d.toks[i].cap
        && i > a
        && (cap(i - 1) || (i >= a + 2 && matches!(d.w(i - 1), "of" | "for") && cap(i - 2)))
}

/// Finds keyword alternatives in `ws` (the window's words); returns the window offset found.
fn find_kw(alts: &[Kw], ws: &[&str]) -> Option<usize> {
    (0..ws.len()).find(|&i| alts.iter().any(|k| kw_at(k, ws, i)))
}

/// Matches the lexicon against sentence tokens `a..b`.
pub fn match_sentence(d: &Doc, lx: &Lexicon, a: usize, b: usize) -> Matches {
    let mut hits: Vec<Hit> = Vec::new();
    let mut fn_verbs = Vec::new();
    let mut kw_used: Vec<usize> = Vec::new();
    // Keyword positions of the line being tried (after a match: of the best line).
    let mut used: Vec<usize> = Vec::new();
    // The keyword id of every word, and for each position the filter of the ids from there to
    // the sentence's end: a superset of any keyword window that starts there.
    let hashes: Vec<u64> = (a..b).map(|k| lx.prefetch(d.w(k))).collect();
    let looked: Vec<Option<&Word>> = (a..b)
        .zip(&hashes)
        .map(|(k, &h)| lx.lookup_hashed(d.w(k), h))
        .collect();
    let ids: Vec<u32> = looked.iter().map(|l| l.map_or(0, |w| w.kw)).collect();
    let bits: Vec<u64> = (a..b).map(|k| word_bit(d.w(k))).collect();
    let mut after: Vec<IdBloom> = vec![[0; 4]; b - a + 1];
    for k in (0..b - a).rev() {
        after[k] = after[k + 1];
        if ids[k] != 0 {
            id_bit(&mut after[k], ids[k]);
        }
    }
    for i in a..b {
        let t = d.toks[i];
        if t.kind != Kind::Word || (t.caps && d.w(i).len() > 1) || t.ent.is_some() {
            continue;
        }
        // "March", "May" in mid-sentence are months.
        if t.cap && i > a && matches!(d.w(i), "march" | "may") {
            continue;
        }
        let Some(word) = looked[i - a].filter(|w| !w.entries.is_empty()) else {
            continue;
        };
        let entries = word.entries.as_slice();
        // (line, entry, end, verbal) of the best line; its keywords in `used`.
        let mut best: Option<(u32, usize, usize, bool)> = None;
        let (mut light, mut report) = (false, false);
        // The keyword window after the head phrase (start, length, words, keyword ids, their
        // filter), computed once per start.
        let mut window: (usize, usize, [&str; 8], [u32; 8], IdBloom) =
            (usize::MAX, 0, [""; 8], [0; 8], [0; 4]);
        let has_noun = word.has_noun;
        // `verb_use` by form (0: not yet asked, 1: no, 2: yes).
        let mut uses = [0u8; 8];
        for (ei, e) in entries.iter().enumerate() {
            if !e.may_match(&after[i + 1 - a]) {
                continue;
            }
            // The rest of the head phrase.
            let mut k = i + 1;
            if e.next != 0 {
                if k >= b || e.next & bits[k - a] == 0 {
                    continue;
                }
                let head = &lx.heads[e.head as usize];
                if !head.rest.iter().all(|alts| {
                    let ok = k < b && alts.iter().any(|x| x == d.w(k));
                    k += 1;
                    ok
                }) {
                    continue;
                }
            }
            let verbal = match e.kind {
                HeadKind::Verb => {
                    let u = &mut uses[e.form as usize];
                    if *u == 0 {
                        *u = 1 + u8::from(verb_use(d, i, e.form, a, has_noun));
                    }
                    if *u == 1 {
                        continue;
                    }
                    true
                }
                HeadKind::Noun => {
                    if name_word(d, i, a) {
                        continue;
                    }
                    false
                }
                HeadKind::Exact => true,
            };
            let line = &lx.lines[e.line as usize];
            if !e.coded {
                if verbal && e.kind == HeadKind::Verb {
                    light |= line.light;
                    report |= line.report;
                }
                continue;
            }
            // Literals.
            let mut ok = true;
            for alts in &line.literals {
                match literal_at(d, k, b, alts) {
                    Some(n) => k = n,
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                continue;
            }
            // Keywords and exclusions in the window after the phrase.
            if window.0 != k {
                // The window ends where a participle clause begins ("rejected the results,
                // claiming fraud": "claim" is no keyword of "rejected").
                let wend = (k..(k + 8).min(b))
                    .find(|&j| {
                        d.w(j) == ","
                            && d.toks.get(j + 1).is_some_and(|t| !t.cap)
                            && j + 1 < b
                            && d.w(j + 1).ends_with("ing")
                    })
                    .unwrap_or((k + 8).min(b));
                let wlen = wend.saturating_sub(k);
                window = (
                    k,
                    wlen,
                    std::array::from_fn(|o| if o < wlen { d.w(k + o) } else { "" }),
                    [0; 8],
                    [0; 4],
                );
                for o in 0..wlen {
                    let id = ids[k + o - a];
                    window.3[o] = id;
                    if id != 0 {
                        id_bit(&mut window.4, id);
                    }
                }
            }
            let ws = &window.2[..window.1];
            let ids = &window.3[..window.1];
            used.clear();
            for alts in &line.keyword_sets {
                match alts.find(ids, ws, &window.4) {
                    Some(o) => used.push(k + o),
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok
                || line
                    .excludes
                    .iter()
                    .any(|x| (0..ws.len()).any(|o| kw_at(x, ws, o)))
                || line
                    .after_object
                    .as_ref()
                    .is_some_and(|alts| !after_object(d, k, b, alts))
            {
                continue;
            }
            // A line of an earlier pattern file wins over any later one (verbs.tsv is the
            // reference for its heads); within a file the most specific, then the first. The
            // lexicon lists a word's coded lines in that order: the first match is the best.
            best = Some((e.line, ei, k, verbal));
            break;
        }
        if light || report {
            fn_verbs.push(FnVerb {
                tok: i,
                light,
                report,
            });
        }
        if let Some((line_no, ei, end, verbal)) = best {
            kw_used.extend_from_slice(&used);
            hits.push(Hit::new(lx, i, end, line_no, verbal, entries[ei].form));
        }
    }
    // A hit inside another hit's phrase, or used as its keyword, is part of that hit; so is a
    // noun phrase holding one ("suspended humanitarian aid": the aid is what is suspended).
    for j in 0..hits.len() {
        let inside = hits
            .iter()
            .any(|o| o.tok < hits[j].tok && hits[j].tok < o.end);
        let (t, e) = (hits[j].tok, hits[j].end.max(hits[j].tok + 1));
        let holds_kw = !hits[j].verbal && kw_used.iter().any(|&k| t <= k && k < e);
        if inside || kw_used.contains(&t) || holds_kw {
            hits[j].consumed = true;
        }
    }
    // Quoted words are the speaker's, not the reporter's: no events from inside quotes.
    let quoted = quoted_tokens(d, a, b);
    for h in &mut hits {
        if quoted.contains(&h.tok) {
            h.consumed = true;
        }
        // "suspended aid in protest at the harassment": the motive of the act, not a protest.
        if !h.verbal && h.code.starts_with("14") && h.tok > a && d.w(h.tok - 1) == "in" {
            h.consumed = true;
        }
        // "accused India of releasing water": the gerund is what is alleged, not an event.
        if h.verbal
            && h.form == Form::Ing
            && h.tok > a
            && matches!(d.w(h.tok - 1), "of" | "for" | "by")
        {
            h.consumed = true;
        }
    }
    let mut m = Matches { hits, fn_verbs };
    for h in &mut m.hits {
        modality(d, h, a, b);
        // "said it would free the prisoners": a reported "would" announces, as "will" does.
        if h.verbal
            && !h.intended
            && (h.group..h.tok).any(|k| d.w(k) == "would")
            && m.fn_verbs
                .iter()
                .any(|f| f.report && f.tok < h.group && h.group - f.tok <= 6)
        {
            h.intended = true;
        }
    }
    frames(d, lx, &mut m, b);
    recode::obligations(d, lx, &mut m, b);
    recode::cessations(d, &mut m);
    recode::refusals(lx, &mut m);
    recode::intentions(lx, &mut m);
    m
}

/// Tokens of `a..b` inside quotation marks (straight quotes pair up within the sentence).
/// An unpaired straight quote standing alone between spaces ("CAIRO (AP) \" Police said")
/// is a mangled dash, not a quotation mark.
fn quoted_tokens(d: &Doc, a: usize, b: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut curly, mut straight) = (0i32, false);
    let unpaired = (a..b).filter(|&k| d.w(k) == "\"").count() % 2 == 1;
    let spaced = |k: usize| {
        let t = &d.toks[k];
        let before = d.text[..t.s].chars().next_back();
        let after = d.text[t.e..].chars().next();
        before.is_some_and(char::is_whitespace) && after.is_some_and(char::is_whitespace)
    };
    for k in a..b {
        match d.w(k) {
            "\u{201C}" | "\u{00AB}" => curly += 1,
            "\u{201D}" | "\u{00BB}" => curly = (curly - 1).max(0),
            "\"" if unpaired && spaced(k) => {}
            "\"" => straight = !straight,
            _ => {
                if curly > 0 || straight {
                    out.push(k);
                }
            }
        }
    }
    out
}

/// Frame verbs take the code of the action they govern, or of their keywords.
fn frames(d: &Doc, lx: &Lexicon, m: &mut Matches, b: usize) {
    for i in 0..m.hits.len() {
        if m.hits[i].consumed {
            continue;
        }
        let line = &lx.lines[m.hits[i].line as usize];
        let Some(frame) = line.frame else { continue };
        let h = m.hits[i].clone();
        let mut cend = clause_end(d, h.end, b).max((h.end + 1).min(b));
        if frame == Frame::Threat {
            // "warned Iran against using force": what follows "against" is the target's act.
            if let Some(k) = (h.end..cend).find(|&k| matches!(d.w(k), "against" | "not" | "over")) {
                cend = k;
            }
        }
        // The governed action: the next hit in the clause, within 10 tokens, not one joined to
        // the frame word ("its rejection and condemnation of X" are two acts).
        let gov = (i + 1..m.hits.len()).find(|&j| {
            let g = &m.hits[j];
            g.tok >= h.end
                && g.tok < cend.max(h.end + 2).min(h.end + 10)
                && !g.consumed
                && !(h.end..g.tok).any(|k| matches!(d.w(k), "and" | "or"))
        });
        if frame == Frame::Order {
            recode::order(d, lx, m, i, cend);
            continue;
        }
        if frame == Frame::Call {
            recode::call(d, m, i, b);
            continue;
        }
        if frame == Frame::Deny {
            for j in i + 1..m.hits.len() {
                let g = &m.hits[j];
                if g.tok >= h.end && (g.tok < cend || Some(j) == gov) {
                    m.hits[j].consumed = true;
                }
            }
            continue;
        }
        let mut code = None;
        if line.specificity() > 0 {
            code = Some(h.code.clone());
        }
        if code.is_none() {
            if let Some(j) = gov {
                code = lx.frame_code(frame, &m.hits[j].code).map(str::to_string);
                m.hits[j].consumed = true;
            }
        }
        if code.is_none() {
            // Frame keywords; a threat's window ends at "against"/"not" (what the target must not do).
            let mut wend = (h.end + 8).min(b);
            if frame == Frame::Threat {
                if let Some(k) =
                    (h.end..wend).find(|&k| matches!(d.w(k), "against" | "not" | "over"))
                {
                    wend = k;
                }
            }
            let ws: Vec<&str> = (h.end..wend).map(|k| d.w(k)).collect();
            let mut best: Option<&str> = None;
            for (f, c, _, kws) in &lx.frame_keywords {
                if *f == frame
                    && kws.iter().all(|alts| find_kw(alts, &ws).is_some())
                    && best.is_none_or(|b| c.len() > b.len())
                {
                    best = Some(c);
                }
            }
            code = best.map(str::to_string);
        }
        if let Some(c) = code {
            m.hits[i].code = c;
        }
        if let Some(j) = gov {
            m.hits[i].inner = Some((m.hits[j].end, m.hits[j].line));
        }
        // The intent frame's own hypothetical flag is about the frame verb only.
        if let Some(j) = gov {
            if matches!(
                frame,
                Frame::Appeal | Frame::Demand | Frame::Intent | Frame::Reject | Frame::Threat
            ) {
                m.hits[j].consumed = true;
            }
        }
        let _ = is_negator;
    }
}
