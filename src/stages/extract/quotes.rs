//! Direct quotations (straight "…", curly “…”, guillemets «…») and their speakers: the actor
//! with a reporting verb next to the quote ("…," Rubio told reporters; he wrote: “…”; what it
//! described as “…”; according to X, … “…”), pronouns resolved to the nearest earlier actor;
//! a quote with no speaker in its sentence continues the previous quote's speaker in the
//! same paragraph.

use serde::Serialize;

use super::actors::{self, according_to, actor_at, group_start, pronoun, subject_left, Ref};
use super::lexicon::Lexicon;
use super::text::{Doc, Kind};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speaker {
    pub text: String,
    pub name: String,
    pub code: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// The quoted words, without the marks.
    pub text: String,
    /// Byte offsets of the quoted words in the body.
    pub start: usize,
    pub end: usize,
    pub sentence_index: usize,
    pub speaker: Option<Speaker>,
}

fn opens(w: &str) -> bool {
    matches!(w, "\u{201C}" | "\u{00AB}")
}

fn closes(w: &str) -> bool {
    matches!(w, "\u{201D}" | "\u{00BB}")
}

/// Token pairs (open, close) of quotation marks; straight quotes pair within a paragraph.
fn pairs(d: &Doc) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut straight: Option<usize> = None;
    for (i, t) in d.toks.iter().enumerate() {
        if t.kind != Kind::Punct {
            continue;
        }
        // A paragraph break between marks resets straight quotes.
        if let Some(s) = straight {
            if d.text[d.toks[s].e..t.s].contains("\n\n") {
                straight = None;
            }
        }
        let w = d.w(i);
        if opens(w) {
            open = Some(i);
        } else if closes(w) {
            if let Some(o) = open.take() {
                out.push((o, i));
            }
        } else if w == "\"" {
            match straight.take() {
                Some(o) => out.push((o, i)),
                None => straight = Some(i),
            }
        }
    }
    out.sort_unstable();
    out
}

fn is_report(d: &Doc, lx: &Lexicon, i: usize) -> bool {
    lx.get(d.w(i))
        .iter()
        .any(|e| e.next == 0 && lx.lines[e.line as usize].report)
}

/// The speaker of a reporting verb at `r`: an actor just after it ("said Rubio"), else its
/// subject.
fn report_subject(d: &Doc, r: usize, a: usize) -> Option<Ref> {
    if let Some(x) = actor_at(d, r + 1).filter(|x| x.a == r + 1) {
        return Some(x);
    }
    if matches!(d.w(r + 1), "he" | "she") {
        return pronoun(d, r + 1);
    }
    subject_left(d, group_start(d, r, a), a).into_iter().last()
}

fn speaker_of(d: &Doc, lx: &Lexicon, o: usize, c: usize) -> Option<Ref> {
    let si = d.toks[o].sent as usize;
    let (a, _) = d.sent_toks[si];
    let (_, b_close) = d.sent_toks[d.toks[c].sent as usize];
    // After the quote: "…," Rubio told reporters / "…," said Rubio / "…," he said.
    let mut k = c + 1;
    while k < b_close && k < c + 10 {
        let w = d.w(k);
        if is_report(d, lx, k) {
            if let Some(x) = report_subject(d, k, c + 1) {
                return Some(x);
            }
            if let Some(x) = actor_at(d, k + 1) {
                return Some(x);
            }
            break;
        }
        if matches!(w, "\u{201C}" | "\"" | "." | "?" | "!") && k > c + 1 {
            break;
        }
        k += 1;
    }
    // Before the quote: he wrote: “…” / what it described as “…” / according to X, … “…”.
    if let Some(x) = according_to(d, a, o) {
        return Some(x);
    }
    let mut k = o;
    while k > a {
        k -= 1;
        if d.toks[k].kind == Kind::Punct && (d.w(k) == "\u{201D}" || d.w(k) == "\"") {
            break;
        }
        if is_report(d, lx, k) {
            return report_subject(d, k, a);
        }
    }
    None
}

/// Finds the quotations of the document.
pub fn find(d: &Doc, lx: &Lexicon) -> Vec<Quote> {
    let mut out: Vec<Quote> = Vec::new();
    let mut last: Option<(Option<Ref>, usize)> = None;
    for (o, c) in pairs(d) {
        if c <= o + 1 {
            continue;
        }
        let (s, e) = (d.toks[o].e, d.toks[c].s);
        let text = d.text[s..e].trim();
        if text.is_empty() {
            continue;
        }
        let mut who = speaker_of(d, lx, o, c);
        if who.is_none() {
            // Continuation: same paragraph as the previous quote (which may
            // overlap this one when quotation marks pair up crosswise).
            if let Some((prev, pe)) = last {
                if !d.text.get(pe.min(s)..s).unwrap_or("").contains("\n\n") {
                    who = prev;
                }
            }
        }
        last = Some((who, e));
        out.push(Quote {
            text: text.to_string(),
            start: s,
            end: e,
            sentence_index: d.toks[o].sent as usize,
            speaker: who.map(|r| {
                let x = actors::actor(d, r);
                Speaker {
                    text: x.text,
                    name: x.name,
                    code: Some(x.code).filter(|c| !c.is_empty()),
                    country: x.country,
                }
            }),
        });
    }
    out
}
