//! Word cues the event builder reads to tell who is on which side of an act: the codes of
//! acts that move people out of a place or are statements, the destination prepositions, the
//! verbs whose subject undergoes the act ("faces criticism from"), and the clause an inquiry
//! or a topic opens.

use super::super::actors::Actor;
use super::super::coder::clause_end;
use super::super::text::{is_determiner, Doc};

/// Codes of a withdrawal of forces or staff (retreat 0874, withdrawing peacekeepers,
/// observers or aid agencies 166x), whose other side is the place left.
pub(super) fn withdrawal(code: &str) -> bool {
    code == "0874" || code.starts_with("166")
}

/// The word opening the clause an inquiry is about, within a few tokens of its head: "whether"
/// ("into whether X ..."), or "that" after a report noun ("into claims that X ...").
pub(super) fn inquiry_clause(d: &Doc, from: usize, b: usize) -> Option<usize> {
    let k = (from..b.min(from + 5)).find(|&k| matches!(d.w(k), "whether" | "that"))?;
    let reported = || {
        matches!(
            d.w(k - 1),
            "claims" | "allegations" | "reports" | "accusations" | "suspicions" | "complaints"
        )
    };
    (d.w(k) == "whether" || (k > from && reported())).then_some(k)
}

/// Whether the phrase at `a` is the topic of the verb's object: it follows "on", "about",
/// "over", "regarding" or "concerning" after a noun ("a deal on the Irish border"), not a
/// preposition the verb takes itself ("agreed on a text").
pub(super) fn topic_of_object(d: &Doc, a: usize, verb_end: usize) -> bool {
    let mut k = a;
    while k > verb_end && is_determiner(d.w(k - 1)) {
        k -= 1;
    }
    k > verb_end + 1
        && matches!(
            d.w(k - 1),
            "on" | "about" | "over" | "regarding" | "concerning"
        )
}

/// Verbs whose subject undergoes the act named in their object: "faced criticism",
/// "received support", "drew condemnation".
pub(super) fn undergoes(w: &str) -> bool {
    matches!(
        w,
        "face"
            | "faces"
            | "faced"
            | "facing"
            | "receive"
            | "receives"
            | "received"
            | "receiving"
            | "draw"
            | "draws"
            | "drew"
            | "drawn"
            | "drawing"
            | "attract"
            | "attracts"
            | "attracted"
            | "attracting"
            | "incur"
            | "incurs"
            | "incurred"
            | "incurring"
            | "suffer"
            | "suffers"
            | "suffered"
            | "suffering"
    )
}

/// Whether the actor's mention follows "from" (an article between) in tokens `from..b`.
pub(super) fn comes_from(d: &Doc, t: &Actor, from: usize, b: usize) -> bool {
    let Some((s, _)) = t.span else { return false };
    let Some(mut k) = (from..b).find(|&k| d.toks[k].s == s) else {
        return false;
    };
    while k > from && is_determiner(d.w(k - 1)) {
        k -= 1;
    }
    k > from && d.w(k - 1) == "from"
}

/// Prepositions naming where, or against whom, something sent goes.
pub(super) fn is_destination(w: &str) -> bool {
    matches!(w, "to" | "into" | "in" | "against" | "toward" | "towards")
}

/// Root classes whose events are statements, so a sentence's speaker can be their source.
pub(super) fn verbal_root(code: &str) -> bool {
    matches!(
        &code[..2],
        "01" | "02" | "03" | "04" | "05" | "10" | "11" | "12" | "13"
    )
}

/// What a protest after token `from` names as its grievance: the phrase after "protesting",
/// "against" or "in protest at / against / over" within the next ten tokens ("went on hunger
/// strike in protest at catering conditions").
pub(super) fn protested(d: &Doc, from: usize, b: usize) -> Option<(usize, usize)> {
    let end = b.min(from + 10);
    let k = (from..end).find(|&k| {
        matches!(d.w(k), "protesting" | "against")
            || (d.w(k) == "protest" && k > from && d.w(k - 1) == "in")
    })?;
    let k = if d.w(k) == "protest" && matches!(d.w(k + 1), "at" | "against" | "over") {
        k + 1
    } else {
        k
    };
    super::super::phrases::directed_at(d, k + 1, clause_end(d, k + 1, b))
}
