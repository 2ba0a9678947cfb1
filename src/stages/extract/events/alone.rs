//! Events with no target: acts whole without another party ("Prime Minister X resigned",
//! "Egypt lifted the state of emergency", "the army beefed up its troop presence"). GDELT
//! codes such events with an empty second actor; here they carry `target: None`. Only acts that
//! make sense alone, done by actors that can act alone, qualify: a bare noun phrase or a
//! company acting alone is no political event, and an act that needs a party is left out when
//! none is named.

use super::super::actors::{Actor, UNKNOWN};
use super::super::coder::Hit;
use super::super::text::{is_time_word, Doc};
use crate::entities::EntityKind;

/// Hit `h` (its sentence ending at token `b`) is an act whole without another party: a
/// verb in the active voice (a passive without its subject has lost its target, not done
/// without one) whose code may stand alone, and an intention that says what it is to.
pub(super) fn whole(d: &Doc, h: &Hit, b: usize) -> bool {
    h.verbal
        && !h.passive
        && acts_alone(&h.code)
        && (!h.code.starts_with("03") || intends_to(d, h.end, b))
}

/// Source `s` may act alone: a known party that is not an unknown organisation.
pub(super) fn may_act_alone(d: &Doc, s: &Actor) -> bool {
    known_party(s) && !unknown_organisation(d, s)
}

/// An act that is whole without another party: an intention ("agreed to resign"), a
/// concession ("lifted the state of emergency", "resigned"), an investigation, a demand,
/// disapproval, rejection, threat, protest, show of force, cut, coercion or use of force. A
/// statement, appeal, consultation, cooperation or aid with nobody named is left out: those
/// acts are between two parties, and without the second the event says little. So is a release
/// or return with nobody released ("authorities released water from the dams", "released its
/// forecast"): what is let go is a thing.
fn acts_alone(code: &str) -> bool {
    !matches!(&code[..2], "01" | "02" | "04" | "05" | "06" | "07") && !code.starts_with("084")
}

/// A source that may act alone: a coded political actor, or a person whose title says what
/// they are ("Prime Minister Andrej Babis resigned"). Other actors of unknown code are only
/// words, and a business acting alone ("the company agreed to buy", "Texaco could be forced
/// to") is commerce, not an event between political actors.
fn known_party(s: &Actor) -> bool {
    !s.code.is_empty() && (s.code != UNKNOWN || s.role.is_some()) && !s.code.contains("BUS")
}

/// An intention alone says what it is to: an act or an accord ("agreed to resign", "vowed
/// yesterday to press on", "agreed to a five-year program"). Without "to" ("offered eight mln
/// dlrs", "will offer a bond issue", "undertakes such surveys") it is trade or routine.
fn intends_to(d: &Doc, end: usize, b: usize) -> bool {
    if end > 0 && d.w(end - 1) == "to" {
        return true;
    }
    // Adverbs and a time ("yesterday", "on Monday") may come between.
    (end..b.min(end + 4))
        .take_while(|&k| {
            let w = d.w(k);
            w == "to"
                || w == "on"
                || matches!(w, "yesterday" | "today" | "tomorrow")
                || is_time_word(w)
                || d.tag_of(k).is_some_and(|t| t.is_adverb())
        })
        .any(|k| d.w(k) == "to")
}

/// An organisation no dictionary knows, coded only by the country in or near its name ("Bank
/// of Ghana", "Swiss Bank Corp"): what it does alone is not its country's act.
fn unknown_organisation(d: &Doc, s: &Actor) -> bool {
    let Some((from, to)) = s
        .span
        .filter(|_| s.country.as_deref() == Some(s.code.as_str()))
    else {
        return false;
    };
    let a = d.toks.partition_point(|t| t.s < from);
    let b = d.toks.partition_point(|t| t.s < to);
    (a..b).any(|k| {
        d.toks[k].ent.is_some_and(|e| {
            d.ents[e as usize].kind == EntityKind::Organization && d.code(e) == Some(&s.code)
        })
    })
}
