//! Events with no target: acts whole without another party ("Prime Minister X resigned",
//! "Chile lifted the state of emergency", "the army beefed up its troop presence"). GDELT
//! codes such events with an empty second actor; here they carry `target: None`. Only acts that
//! make sense alone, done by actors that can act alone, qualify: a bare noun phrase or a
//! company acting alone is no political event, and an act that needs a party is left out when
//! none is named.

use super::super::actors::{Actor, UNKNOWN};
use super::super::coder::Hit;
use super::super::phrases::names_someone;
use super::super::pos::Tag;
use super::super::text::{is_be, is_determiner, is_time_word, Doc};
use crate::entities::EntityKind;

/// Hit `h` (its sentence ending at token `b`) is an act whole without another party: a
/// verb in the active voice whose code may stand alone; an intention or a threat that says
/// what it is to ("threatened to withdraw from the ceasefire"). In a passive ("was forced to
/// import sugar", "would be forced to call an election") or a participle with its agent
/// ("Mexico, hit by an earthquake,") the subject undergoes the act: without an agent it has
/// lost its source, not done without a target.
pub(super) fn whole(d: &Doc, h: &Hit, b: usize) -> bool {
    h.verbal
        && !h.passive
        && !after_be(d, h.tok)
        && !with_agent(d, h, b)
        && acts_alone(&h.code)
        && (!matches!(&h.code[..2], "03" | "13") || intends_to(d, h.end, b))
}

/// A participle followed by its agent ("hit by an earthquake").
fn with_agent(d: &Doc, h: &Hit, b: usize) -> bool {
    participle(d, h.tok) && h.end < b && d.w(h.end) == "by"
}

/// Token `k` is tagged a past participle or past tense (the tagger cannot always tell them
/// apart).
fn participle(d: &Doc, k: usize) -> bool {
    matches!(d.tag_of(k), Some(Tag::VBN | Tag::VBD))
}

/// Token `k` is a participle after a form of "be", adverbs apart ("was forced", "had been
/// quickly forced"; not "is willing").
fn after_be(d: &Doc, k: usize) -> bool {
    participle(d, k)
        && (0..k)
            .rev()
            .take(3)
            .find(|&j| !d.tag_of(j).is_some_and(|t| t.is_adverb()))
            .is_some_and(|j| is_be(d.w(j)))
}

/// Source `s` may act alone: a known party that stands for what its code says.
pub(super) fn may_act_alone(d: &Doc, s: &Actor) -> bool {
    known_party(s) && stands_for_its_country(d, s)
}

/// An act that is whole without another party: an intention ("agreed to resign"), a
/// concession ("lifted the state of emergency", "resigned"), an investigation, a demand,
/// disapproval, rejection, threat to act, protest, show of force, coercion ("police arrested
/// ...") or use of force. A statement, appeal, consultation, cooperation or aid with nobody
/// named is left out: those acts are between two parties, and without the second the event
/// says little. So are cuts in relations, aid or trade: they are aimed at someone, and when
/// nobody is found the one aimed at was missed or the act is commerce ("cancelled its wheat
/// tender", "withdrew the offer"). So is a release or return with nobody released
/// ("authorities released water from the dams"): what is let go is a thing.
fn acts_alone(code: &str) -> bool {
    !matches!(&code[..2], "01" | "02" | "04" | "05" | "06" | "07" | "16")
        && !code.starts_with("084")
}

/// A source that may act alone: a coded political actor, or a person whose title says what
/// they are ("Prime Minister Jonas Varga resigned"). Other actors of unknown code are only
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
            matches!(w, "to" | "on" | "yesterday" | "today" | "tomorrow")
                || is_time_word(w)
                || d.tag_of(k).is_some_and(|t| t.is_adverb())
        })
        .any(|k| d.w(k) == "to")
}

/// A source coded only as a country stands for it when it is the country's own mention, not
/// a nationality before a noun ("Thai banks", "a Cypriot tanker"); or when it names people
/// of the country ("thousands of dock workers in Chile"), not things ("U.S. interest
/// rates", "a British Columbia property") nor an organisation no dictionary knows named after
/// it ("Bank of Ghana", "Swiss Bank Corp"). What those do alone is not the country's act.
fn stands_for_its_country(d: &Doc, s: &Actor) -> bool {
    let Some((from, to)) = s
        .span
        .filter(|_| s.country.as_deref() == Some(s.code.as_str()))
    else {
        return true;
    };
    let mut a = d.toks.partition_point(|t| t.s < from);
    let b = d.toks.partition_point(|t| t.s < to);
    while a < b && is_determiner(d.w(a)) {
        a += 1;
    }
    if let Some((e, _, _)) = d.ent_at(a).filter(|&(_, ea, eb)| ea == a && eb == b) {
        return d.ents[e as usize].kind == EntityKind::Country
            && d.tag_of(b)
                .is_none_or(|t| !(t.is_noun() || t.is_adj()) || d.toks[b].cap);
    }
    let organisation = (a..b).any(|k| {
        d.ent_at(k).is_some_and(|(e, _, _)| {
            d.ents[e as usize].kind == EntityKind::Organization && d.code(e) == Some(&s.code)
        })
    });
    !organisation && names_someone(d, (from, to))
}
