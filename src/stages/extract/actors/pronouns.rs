//! Pronouns and reported speakers: the actor a pronoun stands for ("Chile said it would ...",
//! "told Peru it would ..."), and the reporting verbs whose complement's subject pronoun is
//! their own subject.

use crate::entities::EntityKind;

use super::super::text::Doc;
use super::{group_start, subject_left, Ref};

/// Resolves a pronoun at token `i` to the nearest fitting actor in this or the 2 sentences before.
pub fn pronoun(d: &Doc, i: usize) -> Option<Ref> {
    let w = d.w(i);
    let want_person = matches!(w, "he" | "she" | "him" | "her" | "his");
    let want_group = matches!(w, "they" | "them" | "their");
    let min_sent = d.toks[i].sent.saturating_sub(2);
    if let Some(v) = told_past(d, i) {
        // The teller is the phrase right before the verb group: an actor, or none the coder
        // knows.
        let mut g = v;
        while g > 0
            && (super::super::text::is_aux(d.w(g - 1)) || super::super::text::is_adverb(d.w(g - 1)))
        {
            g -= 1;
        }
        let (e, _, b) = d.ent_at(g.checked_sub(1)?)?;
        return (b == g && d.code(e).is_some()).then_some(Ref {
            ent: e,
            a: i,
            b: i + 1,
        });
    }
    let mut k = i;
    while k > 0 {
        k -= 1;
        if d.toks[k].sent < min_sent {
            break;
        }
        let Some((e, a, b)) = d.ent_at(k) else {
            continue;
        };
        let ent = &d.ents[e as usize];
        if d.code(e).is_none() {
            k = a;
            continue;
        }
        let fits = if want_person {
            ent.kind == EntityKind::Person
        } else if want_group {
            ent.kind == EntityKind::Organization && ent.text.ends_with('s')
        } else {
            matches!(ent.kind, EntityKind::Country | EntityKind::Organization)
                && !ent.text.ends_with('s')
        };
        if fits {
            let _ = b;
            return Some(Ref {
                ent: e,
                a: i,
                b: i + 1,
            });
        }
        k = a;
    }
    None
}

/// "Chile told Peru it would retaliate", "assured the bank that he had paid": the pronoun
/// subject of a telling verb's complement is the teller, not the one told; the search for
/// its antecedent starts at the verb. Not when the complement directs the one told ("told
/// Peru it must withdraw": Peru must).
fn told_past(d: &Doc, i: usize) -> Option<usize> {
    if !matches!(d.w(i), "it" | "he" | "she" | "they")
        || matches!(
            d.toks.get(i + 1).map(|_| d.w(i + 1)),
            Some("must" | "should" | "ought" | "needs" | "need" | "needed" | "has" | "had")
        )
    {
        return None;
    }
    let j = if i > 0 && d.w(i - 1) == "that" {
        i - 1
    } else {
        i
    };
    let (_, a, b) = d.ent_at(j.checked_sub(1)?)?;
    if b != j {
        return None;
    }
    let v = if a > 0 && super::super::text::is_determiner(d.w(a - 1)) {
        a - 1
    } else {
        a
    };
    let verb = v.checked_sub(1)?;
    matches!(
        d.w(verb),
        "told"
            | "tells"
            | "tell"
            | "informed"
            | "informs"
            | "assured"
            | "assures"
            | "reminded"
            | "notified"
            | "warned"
            | "warns"
    )
    .then_some(verb)
}

/// Reporting verbs whose complement's pronoun subject is their own subject.
fn reporting_word(w: &str) -> bool {
    matches!(
        w,
        "said"
            | "says"
            | "say"
            | "stated"
            | "added"
            | "announced"
            | "insisted"
            | "warned"
            | "declared"
            | "claimed"
            | "promised"
            | "vowed"
            | "pledged"
            | "signalled"
            | "signaled"
            | "indicated"
            | "confirmed"
            | "asserted"
            | "stressed"
            | "noted"
            | "argued"
            | "maintained"
            | "reiterated"
            | "repeated"
            | "explained"
            | "emphasized"
            | "emphasised"
            | "acknowledged"
            | "admitted"
            | "wrote"
            | "tweeted"
            | "replied"
            | "responded"
            | "insists"
            | "warns"
            | "claims"
            | "announces"
            | "adds"
            | "states"
    )
}

/// The first token of the reporting verb group a subject pronoun at `k` complements
/// ("X said (that) it ..."), if any.
pub fn reporting_group(d: &Doc, k: usize, start: usize) -> Option<usize> {
    let mut j = k;
    if j > start && d.w(j - 1) == "that" {
        j -= 1;
    }
    (j > start && reporting_word(d.w(j - 1))).then(|| group_start(d, j - 1, start))
}

/// "X said (that) he/it/they ...": the pronoun's antecedent is X, the reporting verb's subject.
pub(super) fn reported_speaker(d: &Doc, k: usize, start: usize) -> Option<Ref> {
    let g = reporting_group(d, k, start)?;
    subject_left(d, g, start).into_iter().last()
}
