//! Verb groups: where the group of a verb starts, back over its auxiliaries, adverbs,
//! negators, a time or source adverbial and a parenthesised acronym, so that the phrase before
//! it is the subject.

use super::super::text::{is_adverb, is_aspectual, is_aux, is_negator, is_time_word, Doc, Kind};

/// Start of the verb group ending at head token `v`: auxiliaries, adverbs, negators and a
/// time or source adverbial between subject and verb ("the ACLU on March 28 filed", "the
/// court will on Tuesday lead", "the spokesman in a statement condemned").
pub fn group_start(d: &Doc, v: usize, start: usize) -> usize {
    let mut j = v;
    while j > start {
        let w = d.w(j - 1);
        let aspect = j == v && d.w(v).ends_with("ing") && is_aspectual(w);
        // "have long opposed": "long" as an adverb of time inside a verb group.
        let long = w == "long" && j >= start + 2 && is_aux(d.w(j - 2));
        if is_aux(w)
            || is_adverb(w)
            || is_negator(w)
            || d.toks[j - 1].kind == Kind::Neg
            || aspect
            || long
        {
            j -= 1;
        } else if let Some(k) = acronym_start(d, j, start) {
            j = k;
        } else if let Some(k) = adverbial_start(d, j, start) {
            j = k;
        } else {
            break;
        }
    }
    j
}

/// "The Ogaden National Liberation Front (ONLF) has declared": the `(` of a short
/// parenthesis (an acronym, at most three tokens) that ends right before token `j`, when a
/// name comes before it.
fn acronym_start(d: &Doc, j: usize, start: usize) -> Option<usize> {
    if j < start + 3 || d.w(j - 1) != ")" {
        return None;
    }
    let open = (j.saturating_sub(5).max(start)..j - 1)
        .rev()
        .find(|&k| d.w(k) == "(")?;
    (open > start && open + 1 < j - 1 && d.toks[open - 1].ent.is_some()).then_some(open)
}

/// The first token of a time adverbial ("on Wednesday", "late on March 28", "on Tuesday, June
/// 19", "yesterday", "earlier this week", "last January") or a source adverbial ("in a statement") that ends
/// right before token `j`, if one does.
fn adverbial_start(d: &Doc, j: usize, start: usize) -> Option<usize> {
    if j <= start {
        return None;
    }
    let at = |k: usize| if k >= start { d.w(k) } else { "" };
    if matches!(at(j - 1), "yesterday" | "today" | "tonight" | "overnight") {
        return Some(j - 1);
    }
    if j >= start + 2
        && (matches!(at(j - 1), "week" | "month" | "year" | "weekend" | "night")
            || is_time_word(at(j - 1)))
        && matches!(at(j - 2), "last" | "this" | "next")
    {
        let k = j - 2;
        return Some(if k > start && matches!(at(k - 1), "earlier" | "later") {
            k - 1
        } else {
            k
        });
    }
    if j >= start + 3
        && matches!(
            at(j - 1),
            "statement" | "tweet" | "letter" | "speech" | "interview" | "communique"
        )
        && matches!(
            at(j - 2),
            "a" | "an" | "the" | "its" | "his" | "her" | "their" | "joint"
        )
        && at(j - 3) == "in"
    {
        return Some(j - 3);
    }
    // ", on Wednesday, accusing": after a comma the verb opens a clause of its own.
    if at(j - 1) == "," {
        return None;
    }
    let mut k = j;
    let mut named = false;
    while k > start && k + 7 > j {
        let w = d.w(k - 1);
        if is_time_word(w) {
            named = true;
        } else if !(d.toks[k - 1].kind == Kind::Num || w == ",") {
            break;
        }
        k -= 1;
    }
    if !named || k <= start || !matches!(d.w(k - 1), "on" | "in") {
        return None;
    }
    k -= 1;
    if k > start && matches!(d.w(k - 1), "late" | "early") {
        k -= 1;
    }
    Some(k)
}
