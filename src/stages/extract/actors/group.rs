//! Verb groups: where the group of a verb starts, back over its auxiliaries, adverbs,
//! negators, a time or source adverbial, a parenthesised acronym and an appositive, so that
//! the phrase before it is the subject.

use crate::entities::EntityKind;

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

/// "Bob Ward, a director at the institute, welcomed ...", "The Grand Mufti of Egypt, Sheikh
/// Ahmed Nour, has cancelled ...": when a verb group at `v` follows an appositive set off by
/// commas (opened by a determiner or a relative pronoun, or a name alone), the comma that opens
/// it; the subject stands before that comma.
pub fn appositive_start(d: &Doc, v: usize, start: usize) -> Option<usize> {
    if v < start + 3 || d.w(v - 1) != "," {
        return None;
    }
    let c = (v.saturating_sub(20).max(start)..v - 1)
        .rev()
        .find(|&k| d.w(k) == ",")?;
    // A name no dictionary codes (a coded one is the subject itself): capitalised words,
    // with the particles names carry ("bin", "al-", "de").
    let name = v - 1 - (c + 1) <= 6
        && (c + 1..v - 1).all(|k| d.toks[k].ent.is_none_or(|e| d.code(e).is_none()))
        && (c + 1..v - 1).all(|k| {
            let t = d.toks[k];
            (t.kind == Kind::Word && t.cap)
                || matches!(
                    d.w(k),
                    "bin" | "al" | "el" | "de" | "da" | "van" | "von" | "-" | "."
                )
        })
        && d.toks[c + 1].cap
        && c > start
        && common_or_name_before(d, c);
    (c > start && (name || matches!(d.w(c + 1), "a" | "an" | "the" | "who" | "which"))).then_some(c)
}

/// The word before the comma at `c` ends a noun phrase (a common noun or a name, "the Mufti
/// of Cairo"), not a place standing alone or after a locative preposition ("In Paris,
/// France, ...") nor a time ("On Monday, ...").
fn common_or_name_before(d: &Doc, c: usize) -> bool {
    let w = d.w(c - 1);
    let t = d.toks[c - 1];
    let venue = d.ent_at(c - 1).is_some_and(|(e, a, _)| {
        d.ents[e as usize].kind == EntityKind::Place
            && (a == d.sent_toks[t.sent as usize].0
                || matches!(d.w(a - 1), "in" | "at" | "near" | "from" | "on"))
    });
    t.kind == Kind::Word && !crate::stages::extract::dates::is_month_or_weekday(w) && !venue
}
