//! Voice, negation and modality of a match, from the words of its verb group and its
//! governor: passive, negated or refused, intended (will, pledged to), hypothetical (modals,
//! plans, conditions).

use super::{Form, Hit};
use crate::stages::extract::actors;
use crate::stages::extract::text::{is_be, is_modal, Doc};

/// Words before "to" that make the following action intended, not done.
pub fn intention(w: &str) -> bool {
    matches!(
        w,
        "plans"
            | "plan"
            | "planned"
            | "planning"
            | "intends"
            | "intend"
            | "intended"
            | "expected"
            | "set"
            | "going"
            | "aims"
            | "aim"
            | "aimed"
            | "seeks"
            | "seek"
            | "sought"
            | "wants"
            | "want"
            | "wanted"
            | "hopes"
            | "hope"
            | "hoped"
            | "likely"
            | "able"
            | "try"
            | "tries"
            | "tried"
            | "trying"
            | "attempt"
            | "attempted"
            | "due"
            | "scheduled"
            | "poised"
            | "preparing"
            | "ready"
            | "willing"
            | "prepared"
            | "decided"
            | "would"
            | "like"
            | "needs"
            | "need"
            | "allowed"
            | "permitted"
            | "asked"
            | "urged"
            | "called"
            | "threatened"
            | "vowed"
            | "pledged"
            | "promised"
            | "agreed"
            | "offered"
    )
}

fn negating_governor(w: &str) -> bool {
    matches!(
        w,
        "failed" | "fails" | "fail" | "declined" | "refused" | "refuses" | "ceased" | "stopped"
    )
}

/// Voice, negation and modality from the words around a hit.
pub(super) fn modality(d: &Doc, h: &mut Hit, a: usize, b: usize) {
    if !h.verbal {
        let before = |n: usize| {
            (h.tok.saturating_sub(n).max(a)..h.tok)
                .map(|k| d.w(k))
                .collect::<Vec<_>>()
        };
        let bw = before(2);
        h.negated = bw
            .iter()
            .any(|w| matches!(*w, "no" | "without" | "denied" | "deny" | "denies"));
        h.hypothetical = bw.iter().any(|w| {
            matches!(
                *w,
                "possible" | "potential" | "planned" | "proposed" | "future" | "any" | "threatened"
            )
        });
        return;
    }
    let g = actors::group_start(d, h.tok, a);
    h.group = g;
    let aux: Vec<&str> = (g..h.tok).map(|k| d.w(k)).collect();
    h.negated = aux
        .iter()
        .any(|w| matches!(*w, "not" | "n't" | "never" | "no"));
    h.refused = h.negated;
    h.intended = aux.iter().any(|w| matches!(*w, "will" | "shall" | "'ll"));
    h.hypothetical = aux.iter().any(|w| is_modal(w))
        // "announced plans to impose tariffs": the keyword action is only intended.
        || matches!(
            d.w(h.end),
            "plans" | "plan" | "intention" | "intentions" | "proposal" | "proposals" | "bid" | "readiness" | "willingness"
        ) && d.w(h.end + 1) == "to";
    if matches!(h.form, Form::Participle | Form::Past) {
        let reduced = d.w(h.end) == "by" && g == h.tok;
        h.passive = aux.iter().any(|w| is_be(w)) || reduced;
    }
    // Governed through "to": "plans to visit", "failed to attack", "has no plans to attack".
    if g > a && d.w(g - 1) == "to" && g >= 2 {
        let gov = d.w(g - 2);
        let gov_start = actors::group_start(d, g - 2, a);
        let gaux: Vec<&str> = (gov_start..g - 2).map(|k| d.w(k)).collect();
        let refusal = matches!(
            gov,
            "declined" | "refused" | "refuses" | "refuse" | "declines"
        ) || gaux.iter().any(|w| matches!(*w, "not" | "n't" | "never"));
        if negating_governor(gov) || (gov == "plans" && g >= 3 && d.w(g - 3) == "no") || refusal {
            h.negated = true;
            h.refused = refusal;
        }
        if intention(gov) || gaux.iter().any(|w| is_modal(w)) {
            h.hypothetical = true;
        }
        h.intended |= matches!(gov, "pledged" | "vowed" | "promised")
            || gaux.iter().any(|w| matches!(*w, "will" | "shall"));
    }
    // "proposed that Peru send aid", "recommended that the bank lend": a base form after a
    // proposal's "that" is the content proposed, not an act done.
    if h.form == Form::Base && g == h.tok {
        let that = (g.saturating_sub(8).max(a)..g)
            .rev()
            .find(|&k| d.w(k) == "that");
        if let Some(k) = that.filter(|&k| k > a && (k + 1..g).all(|j| !is_clause_word(d.w(j)))) {
            if mandative(d.w(k - 1)) {
                h.hypothetical = true;
                h.intended = false;
            }
        }
    }
    // "if"/"unless" earlier in the clause.
    let mut k = g;
    while k > a {
        k -= 1;
        let w = d.w(k);
        if matches!(w, "if" | "unless") {
            h.hypothetical = true;
            h.intended = false;
            break;
        }
        if matches!(w, "," | ";" | ":") && k + 1 < g {
            break;
        }
    }
    let _ = b;
}

/// Verbs whose "that" clause states what should be done ("proposed that", "urged that").
fn mandative(w: &str) -> bool {
    matches!(
        w,
        "proposed"
            | "proposes"
            | "propose"
            | "recommended"
            | "recommends"
            | "recommend"
            | "suggested"
            | "suggests"
            | "suggest"
            | "urged"
            | "urges"
            | "insisted"
            | "insists"
            | "requested"
            | "requests"
            | "asked"
            | "asks"
            | "demanded"
            | "demands"
            | "advised"
            | "advises"
            | "ordered"
            | "orders"
            | "stipulates"
            | "stipulated"
            | "require"
            | "requires"
            | "required"
    )
}

/// Words that open or join a clause between "that" and a verb.
fn is_clause_word(w: &str) -> bool {
    matches!(
        w,
        "," | ";" | ":" | "and" | "but" | "which" | "who" | "when" | "if"
    )
}
