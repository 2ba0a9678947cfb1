//! Recodings of matched actions by their verb group: an order's infinitive, an obligation
//! laid on a reported clause's subject, an ended cooperative act, a refused one, an announced
//! one.

use super::{clause_end, Form, Frame, Hit, Lexicon, Matches};
use crate::stages::extract::pos::Tag;
use crate::stages::extract::text::{
    is_article_or_possessive, is_cessation, is_clause_break, is_pronoun, is_time_word, Doc, Kind,
};

/// An ended action ("stopped buying oil from Iran", "halted funding the agency"): a cooperative
/// act (05-08) ended is reduced relations (16, by the cooperation it ends: 164 talks, 162 aid,
/// 160 else); any other ended act is no event. The cessation verb's own match is part of it.
pub(super) fn cessations(d: &Doc, m: &mut Matches) {
    let ended: Vec<usize> = m
        .hits
        .iter()
        .filter(|h| h.verbal && h.form == Form::Ing && !h.consumed && h.tok > 0)
        .filter(|h| is_cessation(d.w(h.tok - 1)))
        .map(|h| h.tok)
        .collect();
    for h in &mut m.hits {
        if ended.contains(&(h.tok + 1)) {
            h.consumed = true;
        }
        if !ended.contains(&h.tok) {
            continue;
        }
        let reduced = match h.code.get(..2) {
            Some("04") => Some("164"),
            Some("07") => Some("162"),
            Some("05" | "06" | "08") => Some("160"),
            _ => None,
        };
        match reduced {
            Some(c) => h.code = c.to_string(),
            None => h.negated = true,
        }
    }
}

/// An announced cooperative act of the subject's own ("will release the prisoners", "pledged
/// to send aid") is coded as the expression of intent it states (CAMEO 03, by the intent
/// frame's table: 0353, 0331); the event stays marked hypothetical, as the act itself is to
/// come. An announced meeting gives both the (hypothetical) meeting and the intent to meet.
pub(super) fn intentions(lx: &Lexicon, m: &mut Matches) {
    let mut announced = Vec::new();
    for h in m
        .hits
        .iter_mut()
        .filter(|h| h.intended && h.verbal && !h.consumed && !h.negated)
    {
        // A scheduled meeting ("will hold talks on Monday", "will host the summit") stays a
        // (hypothetical) consultation, and its announcement is the intent to meet (036).
        if h.code.starts_with("04") {
            if let Some(c) = lx.frame_code(Frame::Intent, &h.code) {
                announced.push(Hit {
                    code: c.to_string(),
                    ..h.clone()
                });
            }
            continue;
        }
        if !matches!(&h.code[..2], "05" | "06" | "07" | "08") {
            continue;
        }
        if let Some(c) = lx.frame_code(Frame::Intent, &h.code) {
            h.code = c.to_string();
        }
    }
    m.hits.extend(announced);
}

/// A refused cooperative action is a rejection (CAMEO 12, by the reject frame's table):
/// "would not provide support to X" is 122x, "refused to release the prisoners" 1243. Not for
/// consultations ("did not meet" is no event) nor for failures ("failed to deliver").
pub(super) fn refusals(lx: &Lexicon, m: &mut Matches) {
    for h in m
        .hits
        .iter_mut()
        .filter(|h| h.refused && h.verbal && !h.consumed)
    {
        if !matches!(&h.code[..2], "05" | "06" | "07" | "08") {
            continue;
        }
        if let Some(c) = lx.frame_code(Frame::Reject, &h.code) {
            h.code = c.to_string();
            h.negated = false;
        }
    }
}

/// The modal of an obligation laid on a clause's subject: "must", "has to" are demands,
/// "should", "ought to", "needs to" appeals; with the tokens the modal takes.
fn obligation(d: &Doc, k: usize, b: usize) -> Option<(Frame, usize)> {
    let next = if k + 1 < b { d.w(k + 1) } else { "" };
    match (d.w(k), next) {
        ("must", _) => Some((Frame::Demand, 1)),
        ("has" | "have", "to") => Some((Frame::Demand, 2)),
        ("should", _) => Some((Frame::Appeal, 1)),
        ("ought" | "needs" | "need", "to") => Some((Frame::Appeal, 2)),
        _ => None,
    }
}

/// "Russia says Israel must end attacks on Syria", "said that the government should resign":
/// an obligation a speaker lays on the subject of the reported clause is the speaker's demand
/// (must, has to) or appeal (should, ought to, needs to) to that subject, coded by the frame's
/// table from the action required (CAMEO 10 and 02). The match stands on the reporting verb,
/// its object position being the clause's subject; the required action is part of it, no
/// event of its own. Only a named or nominal subject right after the reporting verb (and
/// "that" or a day): a pronoun's referent is not known here.
pub(super) fn obligations(d: &Doc, lx: &Lexicon, m: &mut Matches, b: usize) {
    let mut added = Vec::new();
    for r in m.fn_verbs.iter().filter(|f| f.report) {
        let mut k = r.tok + 1;
        while k < b
            && (d.w(k) == "that"
                || is_time_word(d.w(k))
                || (d.w(k) == "on" && k + 1 < b && is_time_word(d.w(k + 1))))
        {
            k += 1;
        }
        let np = k;
        if np >= b || is_pronoun(d.w(np)) || d.toks[np].kind != Kind::Word {
            continue;
        }
        // The subject: up to 12 words with no verb of its own, no clause break.
        let Some((j, (frame, len))) = (np + 1..b.min(np + 13))
            .take_while(|&j| {
                let w = d.w(j);
                !is_clause_break(w)
                    && !matches!(w, "that" | "which" | "who" | "said" | "says")
                    && m.hits.iter().all(|h| h.tok != j || !h.verbal)
            })
            .find_map(|j| obligation(d, j, b).map(|o| (j, o)))
        else {
            continue;
        };
        let cend = clause_end(d, j + len, b).min(j + len + 8);
        let Some(gi) = m.hits.iter().position(|h| {
            h.verbal && !h.consumed && !h.negated && h.tok >= j + len && h.tok < cend
        }) else {
            continue;
        };
        let (fallback, head) = match frame {
            Frame::Demand => ("100", "demand"),
            _ => ("020", "urge"),
        };
        let Some(line) = lx
            .get(head)
            .iter()
            .map(|e| lx.heads[e.head as usize].line)
            .find(|&l| lx.lines[l as usize].frame == Some(frame))
        else {
            continue;
        };
        let code = lx
            .frame_code(frame, &m.hits[gi].code)
            .unwrap_or(fallback)
            .to_string();
        m.hits[gi].consumed = true;
        // The other side is the clause's subject, not the required action's object (no
        // `inner`).
        added.push(Hit {
            code,
            ..Hit::new(lx, r.tok, np, line, true, Form::Past)
        });
    }
    m.hits.extend(added);
}

/// Token `k` is the "to" of an infinitive: a base-form verb follows it.
fn infinitive_at(d: &Doc, k: usize) -> bool {
    d.w(k) == "to" && d.tags.get(k + 1).is_some_and(|t| *t == Tag::VB)
}

/// "ordered the newspaper to suspend publication": an order is a demand of the infinitive's
/// action (by the demand table; 100 when the action is not coded) from the one ordering to the
/// one ordered, who stands between the verb and "to". Without that infinitive ("ordered troops
/// to the border", "ordered an inquiry") the verb codes nothing itself.
pub(super) fn order(d: &Doc, lx: &Lexicon, m: &mut Matches, i: usize, cend: usize) {
    let h = &m.hits[i];
    let to = (h.end + 1..cend.min(h.end + 12)).find(|&k| infinitive_at(d, k));
    let Some(to) = to else {
        m.hits[i].consumed = true;
        return;
    };
    let gov = m
        .hits
        .iter()
        .position(|g| g.verbal && !g.consumed && g.tok > to && g.tok <= to + 2);
    let code = gov
        .and_then(|j| lx.frame_code(Frame::Demand, &m.hits[j].code))
        .unwrap_or("100")
        .to_string();
    if let Some(j) = gov {
        m.hits[j].consumed = true;
    }
    m.hits[i].code = code;
}

/// "called Erdogan on Friday", "called the king, discussing oil supply": a call to an actor
/// named right after the verb is a telephone consultation (041, as PETRARCH's CALL); "called
/// the president to apologize" is the purpose's action aimed at the one called. Anything else
/// codes nothing: "called the decision a mistake", "called Trump a liar" name, "called
/// elections" convenes.
pub(super) fn call(d: &Doc, m: &mut Matches, i: usize, b: usize) {
    let h = &m.hits[i];
    let k = h.end;
    // The one called: a name (an entity of the recognizer) right after the verb, or after an
    // article or a possessive ("called the Saudi king", "called his Lebanese counterpart");
    // not "called threats against Tehran".
    let named = (k..b.min(k + 3)).find(|&j| d.toks[j].ent.is_some());
    let Some(n) = named.filter(|&n| (k..n).all(|j| is_article_or_possessive(d.w(j)))) else {
        m.hits[i].consumed = true;
        return;
    };
    let after = (n..b).find(|&j| d.toks[j].ent.is_none()).unwrap_or(b);
    // "called Trump a liar", "called Britain's envoy to Washington a fool": a predicate
    // names, it does not call.
    let predicate = (after..b.min(after + 10))
        .take_while(|&j| {
            !(infinitive_at(d, j) || matches!(d.w(j), "," | "on" | "and" | "by" | "after"))
        })
        .any(|j| matches!(d.w(j), "a" | "an") || (j == after && d.w(j) == "the"));
    if predicate {
        m.hits[i].consumed = true;
        return;
    }
    let purpose = (after..b.min(after + 8)).find(|&j| infinitive_at(d, j));
    let gov = purpose.and_then(|to| {
        m.hits
            .iter()
            .position(|g| g.verbal && !g.consumed && g.tok == to + 1)
    });
    match gov {
        Some(j) => {
            m.hits[i].code = m.hits[j].code.clone();
            m.hits[j].consumed = true;
        }
        None => m.hits[i].code = "041".to_string(),
    }
}
