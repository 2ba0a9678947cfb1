//! Noun phrases as participants. Dictionaries never name every party to an action ("white
//! farmers", "the party", "an alleged sharpshooter", a person no list holds), yet who did what
//! to whom is still stated by the sentence: when no dictionary actor stands in the subject or
//! object position, the noun phrase there is the participant. Its code is the country a word of
//! the phrase names ("a Danish welfare agency": DNK), else `---` (an actor of unknown code).
//!
//! Phrases are read from closed word classes and capitalisation: a run of content words,
//! numbers and possessives, optionally opened by a determiner and joined by "of" ("thousands of
//! farmers"); it ends at punctuation, a verb group word, a clause word or another preposition.

use crate::entities::EntityKind;

use super::actors::{self, object, Actor, Side, UNKNOWN};
use super::cameo::{attitude, place_directed, state_act};
use super::coder::{clause_end, Hit, Matches};
use super::events::Ctx;
use super::lexicon::Frame;
use super::pos::Tag;
use super::text::{
    is_adverb, is_aux, is_clause_break, is_determiner, is_locative, is_negator, is_preposition,
    is_pronoun, is_time_word, Attribute, Doc, Kind,
};
use nouns::{agentive, body_noun, place_noun};

const STOP_WORDS: &[&str] = &[
    "and", "or", "but", "who", "whom", "whose", "which", "that", "what", "where", "when", "while",
    "if", "as", "than", "so", "also", "then", "said", "says", "say", "told", "there", "here", "to",
    "not", "this", "these", "those", "such",
];

/// Words that cannot be part of a noun phrase (beyond the closed classes of text.rs).
fn stop_word(w: &str) -> bool {
    STOP_WORDS.contains(&w)
}

/// Times and amounts, space-separated.
const NON_PARTICIPANTS: &str = "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight week weeks month months year years day days morning evening night time times percent pct % way statement interview move part one bit mln million billion trillion dlrs dollars cents shares points tonnes tons barrels";

/// Words that name a time or an amount, not a participant.
fn non_participant(w: &str) -> bool {
    NON_PARTICIPANTS.split(' ').any(|x| x == w)
        || is_time_word(w)
        || w.bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
}

/// Token `i` can be inside a noun phrase (determiners only at its start, handled by callers).
fn nominal(d: &Doc, i: usize) -> bool {
    let t = d.toks[i];
    let w = d.w(i);
    match t.kind {
        Kind::Num | Kind::Poss => true,
        Kind::Neg => false,
        Kind::Punct => w == "-" || w == "&",
        Kind::Word => {
            // "freed 37 prisoners late on Tuesday": "late" / "early" before a time is no noun.
            let timing = matches!(w, "late" | "early")
                && d.toks.get(i + 1).is_some_and(|_| {
                    let n = d.w(i + 1);
                    is_time_word(n) || matches!(n, "on" | "in" | "last" | "this" | "next")
                });
            !(timing
                || is_aux(w)
                || is_preposition(w)
                || is_pronoun(w)
                || is_negator(w)
                || is_determiner(w)
                || is_clause_break(w)
                || stop_word(w)
                || (is_adverb(w) && !t.cap))
        }
    }
}

/// A phrase of tokens `a..b` is a participant: its last word is a content word that names
/// neither a time nor an amount; the phrase names a person or body (a proper name, an entity
/// of the recognizer, an agent noun as its head); and it is not only a place. With `thing`,
/// any content word may head it ("the referendum") and a place may stand alone.
fn participant(d: &Doc, a: usize, b: usize, thing: bool) -> bool {
    if a >= b || d.toks[b - 1].kind != Kind::Word || d.in_dateline(a) {
        return false;
    }
    let head = d.w(b - 1);
    if head.len() < 2 || non_participant(head) {
        return false;
    }
    let sent_start = d.sent_toks[d.toks[a].sent as usize].0;
    let named = (a..b).any(|k| {
        let t = d.toks[k];
        // The sentence's first word counts as a name when the tagger takes it for one.
        let first_name = k == sent_start && d.tag_of(k).is_some_and(|t| t.is_proper_noun());
        // "Chinese-made missiles": the name describes a thing.
        let attribute = t
            .ent
            .is_some_and(|e| d.attribute(e) == Some(Attribute::Origin));
        !attribute && (t.ent.is_some() || (t.cap && (k > sent_start || first_name)) || t.caps)
    });
    if !named && !agentive(head) && !thing {
        return false;
    }
    // A place alone is where, not who; but as the object of an act it is what was acted on.
    thing
        || !(a..b).all(|k| {
            d.ent_at(k).is_some_and(|(e, _, _)| {
                matches!(
                    d.ents[e as usize].kind,
                    EntityKind::Place | EntityKind::Region
                )
            })
        })
}

/// Whether the mention at byte span `span` names a person or body (see [`participant`]), not
/// only a thing ("the letter of intent", "the percentage increase").
pub fn names_someone(d: &Doc, (s, e): (usize, usize)) -> bool {
    let a = d.toks.partition_point(|t| t.s < s);
    let b = d.toks.partition_point(|t| t.s < e);
    participant(d, a, b, false) && !named_thing(d, a, b)
}

/// "the Seemala proposal", "the Louvre accord of monetary officials", "IC Gas loan stock":
/// names only modify a lower-case common noun that names no agent (the noun before "of",
/// unless that counts or ranks: "hundreds of banks"; else the last). A possessor names
/// someone ("Lula's call"), and so does an agent noun up to the head ("the Gujarat
/// government seeking support") or a name after it ("the talks with Exxon").
fn named_thing(d: &Doc, a: usize, b: usize) -> bool {
    if (a..b).any(|k| d.toks[k].kind == Kind::Poss) {
        return false;
    }
    let h = match (a + 1..b).find(|&k| d.w(k) == "of") {
        Some(o) if !counts(d, o - 1) => o - 1,
        _ => b - 1,
    };
    let t = d.toks[h];
    // "the Ogaden region": a named place is where an act is aimed, not a thing.
    let place = place_noun(d.w(h));
    t.kind == Kind::Word
        && !place
        && !d.text[t.s..t.e].chars().any(char::is_uppercase)
        && d.tag_of(h)
            .is_some_and(|t| t.is_noun() && !t.is_proper_noun())
        && !(a..=h).any(|k| agentive(d.w(k)) || body_noun(d.w(k)))
        && !(h + 1..b).any(|k| d.toks[k].cap || d.toks[k].ent.is_some())
}

/// Token `k` before "of" counts or picks out members ("hundreds of", "one of", "most of").
fn counts(d: &Doc, k: usize) -> bool {
    d.toks[k].kind == Kind::Num
        || non_participant(d.w(k))
        || matches!(
            d.w(k),
            "one"
                | "two"
                | "three"
                | "some"
                | "many"
                | "most"
                | "all"
                | "several"
                | "each"
                | "any"
                | "none"
                | "majority"
                | "minority"
                | "hundreds"
                | "thousands"
                | "dozens"
                | "scores"
                | "millions"
                | "tens"
                | "number"
                | "rest"
                | "half"
                | "part"
        )
}

/// The noun phrase ending right before token `g` (the start of a verb group), within `start..g`.
pub fn left(d: &Doc, g: usize, start: usize) -> Option<(usize, usize)> {
    // "the rebels said they would ...": the phrase the reporting verb's subject is.
    if g > start && matches!(d.w(g - 1), "he" | "she" | "it" | "they") {
        let rg = super::actors::reporting_group(d, g - 1, start)?;
        return left(d, rg, start);
    }
    if let Some(c) = super::actors::appositive_start(d, g, start) {
        return left(d, c, start);
    }
    let mut a = g;
    // "BAMAKO - Armed men attacked": the phrase stops at a dateline's dash.
    while a > start && a + 8 > g && !d.in_dateline(a - 1) {
        // A nominal word, or "of" between two ("the leader of the party"), or a place's
        // preposition ("dock workers in Chile": the workers, not Chile, did it).
        // Inside a name "on" and "for" join too ("the Coalition on Acid Rain"), and so does
        // "and" between capitalised words no dictionary knows ("the House Ways and Means
        // chairman").
        let in_name = (matches!(d.w(a - 1), "on" | "for")
            || (matches!(d.w(a - 1), "and" | "&")
                && d.toks[a].ent.is_none()
                && a >= 2
                && d.toks[a - 2].ent.is_none()))
            && d.toks[a].cap
            && a - 1 > start
            && d.toks[a - 2].cap;
        let of_between = (matches!(d.w(a - 1), "of" | "in" | "at" | "from") || in_name)
            && a < g
            && a - 1 > start
            && nominal(d, a - 2);
        if nominal(d, a - 1) || of_between {
            a -= 1;
        } else {
            break;
        }
    }
    if a > start && is_determiner(d.w(a - 1)) && d.w(a - 1) != "that" {
        a -= 1;
    }
    let b = g;
    let first = (a..b).find(|&k| !is_determiner(d.w(k)) && d.w(k) != "of")?;
    participant(d, first, b, false).then_some((a, b))
}

/// The participant phrase after token `from` (a verb or an event noun) within `from..end`: the
/// first noun phrase, or when that names a thing, the phrase its preposition introduces
/// ("ordered an investigation against the mayor", "sent aid to the villagers").
pub fn right(d: &Doc, from: usize, end: usize) -> Option<(usize, usize)> {
    let mut k = from;
    for _ in 0..2 {
        let (np, stop) = phrase_at(d, k, end, false);
        if np.is_some() {
            return np;
        }
        if stop >= end
            || stop == k
            || !matches!(
                d.w(stop),
                "against" | "into" | "on" | "with" | "to" | "over" | "of" | "for" | "from" | "by"
            )
        {
            return None;
        }
        k = stop;
    }
    None
}

/// What an act is directed at when it names no participant: its direct object or the phrase
/// after "against", thing or not ("boycott the presidential poll").
pub fn directed_at(d: &Doc, from: usize, end: usize) -> Option<(usize, usize)> {
    if from >= end || (is_preposition(d.w(from)) && d.w(from) != "against") {
        return None;
    }
    phrase_at(d, from, end, true).0
}

/// The noun phrase starting at token `from`, within `from..end`, if it is a participant; and
/// the token where the phrase stopped. One preposition of a phrasal verb or noun ("cracked
/// down on", "an investigation into") may open it, a locative one ("in", "near") may not.
/// With `thing`, the phrase may name a thing (see [`participant`]).
fn phrase_at(d: &Doc, from: usize, end: usize, thing: bool) -> (Option<(usize, usize)>, usize) {
    let mut a = from;
    // "agreed to release the prisoners": the infinitive's verb (and particle) opens no phrase.
    if a > 0 && a < end && d.w(a - 1) == "to" && d.toks[a].kind == Kind::Word && !d.toks[a].cap {
        a += 1;
        if a < end && matches!(d.w(a), "up" | "out" | "down" | "off" | "back") {
            a += 1;
        }
    }
    if a < end
        && matches!(
            d.w(a),
            "on" | "against"
                | "with"
                | "to"
                | "at"
                | "into"
                | "over"
                | "for"
                | "of"
                | "from"
                | "by"
                | "toward"
                | "towards"
                | "upon"
                | "down"
                | "up"
                | "off"
                | "out"
        )
    {
        a += 1;
        if a < end && matches!(d.w(a), "on" | "with" | "against" | "to" | "of") {
            a += 1;
        }
    }
    // "declined to identify the buyer": after that "to", a base-form verb opens a clause.
    if a > from
        && d.w(a - 1) == "to"
        && a < end
        && !d.toks[a].cap
        && d.tags.get(a) == Some(&Tag::VB)
    {
        a += 1;
    }
    let mut b = a;
    // "said that the talks failed": a clause, not a phrase.
    if matches!(d.w(b), "that" | "whether" | "how" | "why") {
        return (None, from);
    }
    // "withdraw its troops": the subject's own people are not the other side.
    let own = b < end && matches!(d.w(b), "its" | "their" | "his" | "her" | "our");
    while b < end
        && (is_determiner(d.w(b)) || matches!(d.w(b), "its" | "their" | "his" | "her" | "our"))
    {
        b += 1;
    }
    // "arrested more than 100 members": a quantity's hedge opens no phrase ("more" may have
    // been passed as a determiner).
    if b + 2 < end {
        match (d.w(b), d.w(b + 1)) {
            ("more" | "less" | "fewer", "than") | ("at", "least" | "most") | ("up", "to") => b += 2,
            ("than", _) if b > from && matches!(d.w(b - 1), "more" | "less" | "fewer") => b += 1,
            _ => {}
        }
    }
    let first = b;
    while b < end && b < first + 8 {
        let of_between = d.w(b) == "of" && b + 1 < end && b > first && nominal(d, b + 1);
        // "deported a man Friday", "attacks on the Gaza Strip Sunday": a time word after the
        // head or after a recognized name ends the phrase.
        if b > first
            && is_time_word(d.w(b))
            && (!d.toks[b - 1].cap || (d.toks[b - 1].ent.is_some() && d.toks[b].ent.is_none()))
            && !matches!(
                d.w(b + 1),
                "of" | "night" | "morning" | "evening" | "afternoon"
            )
        {
            break;
        }
        // "an investigation of Flynn based on ...": a participle after a name, before a
        // preposition, starts a clause.
        let participle = b > first
            && d.toks[b - 1].cap
            && !d.toks[b].cap
            && matches!(d.tag_of(b), Some(Tag::VBN | Tag::VBD | Tag::VBG))
            && d.toks
                .get(b + 1)
                .is_some_and(|_| is_preposition(d.w(b + 1)));
        if (nominal(d, b) || of_between) && !participle {
            b += 1;
        } else {
            break;
        }
    }
    (
        (!own && participant(d, first, b, thing)).then_some((a, b)),
        b,
    )
}

/// The actor a noun phrase stands for: code `---`, or the country one of its words names.
pub fn actor(d: &Doc, (a, b): (usize, usize)) -> Actor {
    let mut a = a;
    while a < b && (is_preposition(d.w(a)) || is_determiner(d.w(a))) {
        a += 1;
    }
    let country = (a..b).find_map(|k| {
        let (e, _, _) = d.ent_at(k)?;
        if d.attribute(e) == Some(Attribute::Origin) {
            return None;
        }
        d.ents[e as usize].country.clone()
    });
    // "a motion by Hosni Mubarak": a coded actor inside the phrase gives it its code.
    let coded = (a..b).find_map(|k| d.ent_at(k).and_then(|(e, _, _)| d.code(e)));
    // "Prime Minister Jonas Varga" of no known country: the title still says what the person is.
    let role = coded
        .is_none()
        .then(|| {
            (a..b).find_map(|k| {
                d.ent_at(k)
                    .and_then(|(e, _, _)| d.ents[e as usize].role.clone())
            })
        })
        .flatten();
    let (s, e) = (d.toks[a].s, d.toks[b - 1].e);
    let text = d.text[s..e].to_string();
    Actor {
        code: coded
            .map(str::to_string)
            .or_else(|| country.clone())
            .unwrap_or_else(|| UNKNOWN.to_string()),
        country,
        role,
        name: text.clone(),
        text,
        span: Some((s, e)),
    }
}

impl Ctx<'_> {
    /// "was arrested in Niger", "were expelled from North Korea": with no agent named, the
    /// government of the country where a state's act took place performed it.
    fn state_in(&self, from: usize, end: usize) -> Option<Actor> {
        let d = self.d;
        (from.max(1)..end).find_map(|k| {
            let (e, a, b) = d.ent_at(k)?;
            let ent = &d.ents[e as usize];
            let country = ent.country.as_deref()?;
            let prep = a == k && matches!(d.w(k - 1), "in" | "from");
            (prep && matches!(ent.kind, EntityKind::Country | EntityKind::Place) && b <= end)
                .then(|| self.synth(country, "GOV", (d.toks[a].s, d.toks[b - 1].e)))
                .flatten()
        })
    }

    /// Noun phrases for the sides of a verbal match no dictionary actor fills (phrases.rs):
    /// the phrase before the verb group is the subject (the object of a passive), the phrase
    /// after the verb (or after "by" in a passive) the other side. Not for a verb whose
    /// pattern names a default side (a protest is aimed at the government), nor for one
    /// whose verb group opens the clause (a coordinated or infinitive verb has its
    /// subject elsewhere).
    pub(super) fn phrase_actors(
        &self,
        m: &Matches,
        h: &Hit,
        a: usize,
        b: usize,
        sources: &mut Vec<Actor>,
        targets: &mut Vec<Actor>,
    ) {
        let d = self.d;
        let line = &self.lx.lines[h.line as usize];
        let g = actors::group_start(d, h.tok, a);
        let oend = self.object_end(m, h.end, b);
        let before = || left(d, g, a).map(|p| self::actor(d, p));
        if h.passive {
            if sources.is_empty() && line.def_source.is_none() {
                let by = (h.end..oend.min(h.end + 6)).find(|&j| d.w(j) == "by");
                let np = by.and_then(|j| right(d, j + 1, oend));
                sources.extend(np.map(|p| self::actor(d, p)));
            }
            if sources.is_empty() {
                // "were killed in Israeli shelling": the agent of the noun event is the agent.
                let cause = m.hits.iter().find(|n| {
                    !n.verbal
                        && n.tok > h.end
                        && n.tok < oend
                        && (h.end..n.tok).any(|k| matches!(d.w(k), "in" | "by" | "during"))
                });
                if let Some(n) = cause {
                    sources.extend(
                        self.noun_source(m, n, a, b)
                            .iter()
                            .map(|r| actors::actor(d, *r)),
                    );
                }
            }
            if sources.is_empty() && state_act(&h.code) {
                sources.extend(self.state_in(h.end, oend));
            }
            if targets.is_empty() {
                targets.extend(before());
            }
            return;
        }
        if sources.is_empty() && line.def_source.is_none() {
            sources.extend(before());
        }
        // "demanded that Dbeibeh appear", "urged that the army withdraw": the clause's subject
        // is the one appealed to.
        if targets.is_empty()
            && matches!(line.frame, Some(Frame::Appeal | Frame::Demand))
            && d.w(h.end) == "that"
        {
            let cend = clause_end(d, h.end + 1, b);
            let refs = object(d, h.end + 1, cend.min(h.end + 8), Side::Target, &[]);
            targets.extend(refs.iter().map(|r| actors::actor(d, *r)));
            if targets.is_empty() {
                let np = right(d, h.end + 1, cend.min(h.end + 8));
                targets.extend(np.map(|p| self::actor(d, p)));
            }
        }
        // "A and B signed a trade deal", "failed to reach agreement", "restored ties": an
        // agreement or tie of coordinated parties binds them to each other.
        if targets.is_empty() && sources.len() >= 2 {
            let from = h.inner.map_or(h.end, |(e, _)| e);
            let end = self.object_end(m, from, b);
            if mutual::object(d, from, end) {
                targets.extend(sources.iter().cloned());
                return;
            }
        }
        // A reciprocal verb ("A and B clashed") with one subject takes an object as any verb.
        if targets.is_empty() && line.def_target.is_none() && (!line.recip || sources.len() == 1) {
            let from = h.end.min(b);
            let group = self.group_noun(&h.code, from, oend, a, b, sources.first());
            let np = || {
                right(d, h.end, oend)
                    .filter(|&(s, _)| !(s > h.end && is_locative(d.w(h.end))))
                    // "mobilized the army": plain forces deployed are the source's own.
                    .filter(|&(s, e)| !(h.code.starts_with("15") && (s..e).all(|j| !d.toks[j].cap)))
                    .map(|p| self::actor(d, p))
            };
            // "imposed a curfew in parts of Kashmir": what follows a pattern's own
            // locative preposition, place or not.
            let place = || {
                place_directed(&h.code)
                    .then(|| place(d, h.end, oend))
                    .flatten()
                    // "agreed to set up field hospitals in Louisiana": the place of the
                    // governed action, whose object may run past the frame verb's reach.
                    .or_else(|| {
                        let (e, _) = h.inner.filter(|_| place_directed(&h.code))?;
                        let end = clause_end(d, e, b);
                        let end = (e..end).find(|&k| d.w(k) == "according").unwrap_or(end);
                        place(d, e, end)
                    })
                    .or_else(|| {
                        let k = (h.end..oend)
                            .find(|&k| line.target_preps.iter().any(|p| p == d.w(k)))?;
                        named_place(d, k + 1, oend)
                    })
                    .map(|p| self::actor(d, p))
            };
            let thing = || {
                let (from, end) = match h.inner {
                    Some((e, _)) => (e, self.object_end(m, e, b)),
                    None => (h.end, oend),
                };
                if force::force(&h.code) {
                    return force::thing(d, m, from, end).map(|p| self::actor(d, p));
                }
                // "signed an agreement to sell ...": the noun of the act itself (a hit of the
                // same code inside the phrase) is not what it is aimed at.
                let itself = |(pa, pb): (usize, usize)| {
                    m.hits
                        .iter()
                        .any(|n| n.tok >= pa && n.tok < pb && n.tok != h.tok && n.code == h.code)
                };
                attitude(&h.code)
                    .then(|| phrase_at(d, from, end, true).0)
                    .flatten()
                    .filter(|&p| !itself(p))
                    .map(|p| self::actor(d, p))
            };
            // What an act of force hits comes before where it happened.
            let first = group.or_else(np);
            targets.extend(if force::force(&h.code) {
                first.or_else(thing).or_else(place)
            } else {
                first.or_else(place).or_else(thing)
            });
        }
        if targets.is_empty() && transfer::transfer(&h.code) {
            targets.extend(self.recipient(m, h, b));
        }
    }
}

pub mod force;
mod mutual;
mod nouns;
mod places;
pub use places::{named_place, place};
#[cfg(test)]
mod tests;
mod transfer;
