//! What coordinated parties share: "A and B signed a trade deal", "failed to reach
//! agreement", "restored ties". The object names the bond, so each party is the other's
//! partner.

use super::super::text::Doc;
use super::phrase_at;

/// Nouns of a bond between two parties: an agreement or a tie.
fn mutual_noun(w: &str) -> bool {
    matches!(
        w,
        "agreement"
            | "agreements"
            | "deal"
            | "deals"
            | "accord"
            | "accords"
            | "treaty"
            | "treaties"
            | "pact"
            | "pacts"
            | "memorandum"
            | "ties"
            | "relations"
            | "truce"
            | "ceasefire"
            | "cease-fire"
    )
}

/// The phrase in `from..end` (a verb's object) names a bond between parties.
pub(super) fn object(d: &Doc, from: usize, end: usize) -> bool {
    // "failed to reach a deal": the phrase after the infinitive's verb.
    let from = if from < end && d.w(from) == "to" {
        from + 1
    } else {
        from
    };
    matches!(phrase_at(d, from, end, true), (Some((_, e)), _) if mutual_noun(d.w(e - 1)))
}
