//! From matches to events: the source and target of each match (actors.rs), the defaults some
//! patterns allow (a protest's target is the government of the protesters' country), the date,
//! place and casualties of its sentence, and the evidence. One event per (source, target, code)
//! per sentence; repeats in the article collapse into the best-dated one, keeping all sentence
//! ids (as PETRARCH collapses repeats within a story).
//!
//! Who takes part is found in `participants.rs` (subjects, objects, implied and speaking
//! actors), where it happened in `place.rs`; this file turns a match and its participants into
//! events.

use chrono::NaiveDate;
use serde::Serialize;

use crate::entities::{Entity, EntityKind, Gazetteer};

use super::actors::{actor, object, Actor, Ref, Side};
use super::cameo::{sending, CameoTable, Plover};
use super::casualties::Casualty;
use super::coder::{clause_end, Hit, Matches};
use super::collapse::{same_actor, same_target};
use super::dates::{Basis, DateMention, Precision, When};
use super::lexicon::Lexicon;
use super::phrases;
use super::text::{is_aux, is_determiner, Doc, Kind};
use super::PlacePrecision;

mod alone;
mod cues;
mod participants;
mod place;

use cues::{
    comes_from, inquiry_clause, is_destination, protested, topic_of_object, undergoes, verbal_root,
    withdrawal,
};
use participants::Other;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    pub cameo: String,
    pub root: String,
    pub label: String,
    pub quad_class: u8,
    pub goldstein: f64,
    pub verb_text: String,
    /// The code's PLOVER event type, mode and contexts; None for public statements (01).
    pub plover: Option<Plover>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub name: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonames_id: Option<u32>,
    pub precision: PlacePrecision,
}

impl Location {
    /// The place named by entity `ent`, placed with `precision`.
    pub(super) fn of_entity(ent: &Entity, precision: PlacePrecision) -> Location {
        Location {
            name: ent.name.clone(),
            country: ent.country.clone(),
            admin1: ent.admin1.clone(),
            lat: ent.lat,
            lon: ent.lon,
            geonames_id: ent.geonames_id,
            precision,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spans {
    pub source: Option<[usize; 2]>,
    pub target: Option<[usize; 2]>,
    pub verb: [usize; 2],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub sentence_index: usize,
    pub sentence: String,
    /// Byte offsets into the article body.
    pub spans: Spans,
    pub pattern_id: String,
}

/// One coded event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub event_id: String,
    pub date: Option<String>,
    pub date_precision: Precision,
    pub date_basis: Basis,
    pub source: Actor,
    /// None for an act with no other party ("resigned", "lifted the state of emergency").
    pub target: Option<Actor>,
    pub action: Action,
    pub location: Option<Location>,
    pub casualties: Vec<Casualty>,
    pub evidence: Evidence,
    pub hypothetical: bool,
    /// The article's tone (GDELT's AvgTone for a single document).
    pub tone: f64,
    /// Every sentence that states this (source, target, code), the evidence's first.
    pub sentence_ids: Vec<usize>,
}

/// What the event builder needs from the article.
pub struct Ctx<'a> {
    pub d: &'a Doc<'a>,
    pub lx: &'a Lexicon,
    pub cameo: &'a CameoTable,
    pub g: &'a Gazetteer,
    pub main_country: Option<&'a str>,
    pub dates: &'a [DateMention],
    pub casualties: &'a [Casualty],
    pub pub_date: Option<NaiveDate>,
    pub article_id: &'a str,
}

impl<'a> Ctx<'a> {
    /// Codes the events of sentence `si`.
    pub fn sentence_events(&self, si: usize, m: &Matches) -> Vec<Event> {
        let d = self.d;
        let (a, b) = d.sent_toks[si];
        let mut out: Vec<Event> = Vec::new();
        for h in m.hits.iter().filter(|h| !h.consumed && !h.negated) {
            let line = &self.lx.lines[h.line as usize];
            let mut left = None;
            let (mut srcs, tgt_refs): (Vec<Ref>, Vec<Ref>) = if h.verbal {
                let oend = self.object_end(m, h.end, b);
                if h.passive {
                    let by = (h.end..oend.min(h.end + 6)).find(|&j| d.w(j) == "by");
                    let agent = by
                        .map(|j| object(d, j + 1, oend, Side::Target, &[]))
                        .unwrap_or_default();
                    (agent, self.subject(m, h.tok, a, 0))
                } else {
                    let mut t = object(d, h.end, oend, Side::Target, &line.target_preps);
                    if let Some(o) = self.after_object_target(line, h, oend) {
                        t = o;
                    }
                    if let Some(o) = t.first().and_then(|r| self.against_target(h, r, oend)) {
                        match o {
                            Other::Actors(v) => t = v,
                            Other::Phrase(p) => {
                                t.clear();
                                left = Some(p);
                            }
                        }
                    }
                    // "sent troops to Afghanistan": plain people sent are the source's own, never
                    // the other side ("mobilized the army": none named).
                    if let Some(r) = t
                        .first()
                        .copied()
                        .filter(|r| sending(&h.code) && (r.a..r.b).all(|j| !d.toks[j].cap))
                    {
                        t.clear();
                        // Forces mobilized "for an assault against X" are aimed at X.
                        let against = || {
                            h.code
                                .starts_with("15")
                                .then(|| (r.b..oend).find(|&j| d.w(j) == "against"))
                                .flatten()
                        };
                        if let Some(k) = (r.b..oend.min(r.b + 3))
                            .find(|&j| is_destination(d.w(j)))
                            .or_else(against)
                        {
                            t = object(d, k + 1, oend, Side::Target, &[d.w(k).to_string()]);
                            if t.is_empty() {
                                left = phrases::named_place(d, k + 1, oend)
                                    .or_else(|| phrases::right(d, k + 1, oend));
                            }
                        }
                    }
                    // "withdrew peacekeepers from the Golan Heights": the forces withdrawn are
                    // the source's own; the other side is what they leave.
                    if let Some(k) = withdrawal(&h.code)
                        .then(|| (h.end..oend).find(|&k| d.w(k) == "from"))
                        .flatten()
                    {
                        // Not "withdrew from the deal with Iran": a target after "from" stays.
                        if t.first().is_none_or(|r| r.a < k) {
                            t = object(d, k + 1, oend, Side::Target, &["from".to_string()]);
                            if t.is_empty() {
                                left = phrases::named_place(d, k + 1, oend);
                            }
                        }
                    }
                    // "will not lift the embargo until Cuba reforms": a refusal is aimed at
                    // the one whose act would end it.
                    if let Some(k) = (t.is_empty() && h.code.starts_with("12"))
                        .then(|| (h.end..b.min(h.end + 12)).find(|&k| d.w(k) == "until"))
                        .flatten()
                    {
                        let cend = clause_end(d, k + 1, b);
                        t = object(
                            d,
                            k + 1,
                            cend.min(k + 6),
                            Side::Target,
                            &["until".to_string()],
                        );
                        // No dictionary actor: the clause's subject phrase ("until the
                        // government provides ..."), else its passive's agent ("until their
                        // demands are met by the authorities").
                        if t.is_empty() {
                            // The subject phrase ends at the clause's verb ("until the ministry
                            // raises their pay").
                            let vend = (k + 2..cend)
                                .find(|&j| {
                                    is_aux(d.w(j))
                                        || d.tag_of(j).is_some_and(|t| t.is_finite_verb())
                                })
                                .unwrap_or(cend);
                            left = phrases::right(d, k + 1, vend.min(k + 6)).or_else(|| {
                                let j = (k + 1..cend).find(|&j| d.w(j) == "by")?;
                                phrases::right(d, j + 1, cend)
                            });
                        }
                    }
                    // "opened an investigation into claims that two servicemen abused ...",
                    // "into whether X was spied on": an inquiry into a report or a question is
                    // aimed at the subject of its clause.
                    if let Some(k) = (t.is_empty() && h.code.starts_with("09"))
                        .then(|| inquiry_clause(d, h.end, b))
                        .flatten()
                    {
                        let clause = clause_end(d, k + 1, b).min(k + 7);
                        let cend = (k + 1..clause)
                            .find(|&j| d.tag_of(j).is_some_and(|t| t.is_finite_verb()))
                            .unwrap_or(clause);
                        t = object(d, k + 1, cend, Side::Target, &[]);
                        if t.is_empty() {
                            left = phrases::right(d, k + 1, cend);
                        }
                    }
                    if let (true, Some((e, l))) = (t.is_empty(), h.inner) {
                        // "agreed to send aid to Y": the governed action's other party.
                        let preps = &self.lx.lines[l as usize].target_preps;
                        t = object(d, e, self.object_end(m, e, b), Side::Target, preps);
                    }
                    // "discussed Libya with Trump", "held talks on Syria with Putin": who one
                    // consults is the one after "with"; a country or place named first is the
                    // topic ("met Putin with ..." keeps Putin).
                    if let Some(k) = t
                        .first()
                        .filter(|r| {
                            h.code.starts_with("04")
                                && (r.a == 0 || d.w(r.a - 1) != "with")
                                && matches!(
                                    d.ents[r.ent as usize].kind,
                                    EntityKind::Country | EntityKind::Place | EntityKind::Region
                                )
                        })
                        .and_then(|r| (r.b..oend).find(|&k| d.w(k) == "with"))
                    {
                        let with = object(d, k + 1, oend, Side::Target, &["with".to_string()]);
                        if !with.is_empty() {
                            t = with;
                        }
                    }
                    // "close all borders with Iraqi Kurdistan": a named place no dictionary
                    // codes, right after "with" or "against", is the other side.
                    if t.is_empty() && left.is_none() {
                        left = (h.end..oend.min(h.end + 6))
                            .find(|&k| matches!(d.w(k), "with" | "against"))
                            .filter(|&k| {
                                d.ent_at(k + 1).is_some_and(|(e, _, _)| {
                                    matches!(
                                        d.ents[e as usize].kind,
                                        EntityKind::Place | EntityKind::Region
                                    )
                                })
                            })
                            .and_then(|k| phrases::named_place(d, k + 1, oend));
                    }
                    if let Some(p) = t.first().and_then(|r| {
                        self.served_place(h, r, oend)
                            .or_else(|| self.struck_thing(m, h, r, oend))
                    }) {
                        t.clear();
                        left = Some(p);
                    }
                    let s = self.subject(m, h.tok, a, 0);
                    if let (Some(src), Some(r)) = (s.first(), t.first()) {
                        if let Some(other) = self.own_possessive(src, r, oend) {
                            t = other;
                        }
                    }
                    (s, t)
                }
            } else {
                let cend = clause_end(d, h.end, b);
                // "a visit here by X and a visit to Tokyo by Y": an event noun phrase of its
                // own, joined on by "and"/"or", has participants of its own ("its rejection
                // and condemnation of X" share theirs).
                let cend = m
                    .hits
                    .iter()
                    .filter(|o| !o.verbal && o.tok > h.end && o.tok < cend)
                    .find_map(|o| {
                        (o.tok.saturating_sub(3)..o.tok)
                            .find(|&k| matches!(d.w(k), "and" | "or") && is_determiner(d.w(k + 1)))
                    })
                    .unwrap_or(cend);
                (
                    self.noun_source(m, h, a, b),
                    object(d, h.end, cend, Side::NounTarget, &line.target_preps),
                )
            };
            // A statement with no actor for its subject is the speaker's, unless a noun
            // phrase stands there ("The UN envoy James Swan held a meeting ..., UNSOM said").
            if srcs.is_empty()
                && verbal_root(&h.code)
                && h.verbal
                && (h.passive
                    || phrases::left(d, super::actors::group_start(d, h.tok, a), a).is_none())
            {
                srcs = self.speaker(m, a, b);
            }
            let mut sources: Vec<Actor> = srcs.iter().map(|r| actor(d, *r)).collect();
            let mut targets: Vec<Actor> = tgt_refs.iter().map(|r| actor(d, *r)).collect();
            targets.extend(
                left.filter(|_| targets.is_empty())
                    .map(|p| phrases::actor(d, p)),
            );
            if h.verbal {
                self.phrase_actors(m, h, a, b, &mut sources, &mut targets);
            } else if sources.is_empty() && line.def_source.is_none() {
                sources.extend(self.light_subject_phrase(m, h, a));
            }
            // "Chile faces criticism from Peru", "drew condemnation from Peru": the subject
            // undergoes the act of the one it comes from.
            let undergone = if h.verbal {
                !h.passive && undergoes(d.w(h.tok))
            } else {
                (h.tok.saturating_sub(4).max(a)..h.tok).any(|k| undergoes(d.w(k)))
            };
            let reach = if h.verbal { 8 } else { 3 };
            if undergone
                && !sources.is_empty()
                && targets
                    .first()
                    .is_some_and(|t| comes_from(d, t, h.end, b.min(h.end + reach)))
            {
                std::mem::swap(&mut sources, &mut targets);
            }
            let head_span = (d.toks[h.tok].s, d.toks[h.end.max(h.tok + 1) - 1].e);
            if sources.is_empty() {
                if let Some(role) = &line.def_source {
                    let anti = self.anti_target(h, a, self.main_country);
                    let country = targets
                        .first()
                        .and_then(|t| t.country.clone())
                        .or(anti.as_ref().and_then(|t| t.country.clone()));
                    if let Some(c) = country {
                        sources.extend(self.synth(&c, role, head_span));
                        if targets.is_empty() {
                            targets.extend(anti);
                        }
                    }
                }
            }
            if targets.is_empty() && !line.recip {
                let from = if h.verbal && !h.passive {
                    h.end
                } else {
                    h.end.min(b)
                };
                let end = if h.verbal {
                    self.object_end(m, from, b)
                } else {
                    clause_end(d, from, b).min(from + 10)
                };
                if !(h.verbal && h.passive) {
                    targets.extend(self.group_noun(&h.code, from, end, a, b, sources.first()));
                }
                if targets.is_empty() && line.def_target.is_none() && !h.verbal {
                    // "the attacks on Blackburn": a noun event's phrase target needs its preposition.
                    let cend = clause_end(d, h.end, b);
                    let np = phrases::right(d, h.end, cend).filter(|&(s, _)| s > h.end);
                    targets.extend(np.map(|p| phrases::actor(d, p)));
                }
            }
            if targets.is_empty() && !h.verbal && sources.len() < 2 {
                let np = phrases::force::object(d, h, clause_end(d, h.end, b));
                targets.extend(np.map(|p| phrases::actor(d, p)));
            }
            // "will send a team of experts to Iran to investigate the crash": a purpose with no
            // other side of its own is aimed where its people were sent.
            let own = |t: &Actor| sources.first().is_some_and(|s| s.code == t.code);
            if let Some(si) =
                (targets.iter().all(own) && h.verbal && h.tok > a + 1 && d.w(h.tok - 1) == "to")
                    .then(|| self.sender(m, h.tok - 1))
                    .flatten()
            {
                let to = h.tok - 1;
                if let Some(k) = (m.hits[si].end..to).find(|&k| is_destination(d.w(k))) {
                    let dest = object(d, k + 1, to, Side::Target, &[d.w(k).to_string()]);
                    if !dest.is_empty() {
                        targets = dest.iter().map(|r| actor(d, *r)).collect();
                    }
                }
            }
            // "Trump and Putin agreed to share information on North Korea": what coordinated
            // subjects of a cooperative act (or a failure to agree) talk about is no other party;
            // the act is mutual.
            if let Some(r) = tgt_refs.first().filter(|r| {
                sources.len() >= 2
                    && h.verbal
                    && (line.recip
                        || matches!(&h.code[..2], "03" | "04" | "05" | "06" | "08" | "12"))
                    && topic_of_object(d, r.a, h.end)
            }) {
                let from = d.toks[r.a].s;
                if targets.iter().all(|t| t.span.is_some_and(|s| s.0 >= from)) {
                    targets = sources.clone();
                }
            }
            if targets.is_empty() {
                if let Some(role) = &line.def_target {
                    let anti =
                        self.anti_target(h, a, sources.first().and_then(|s| s.country.as_deref()));
                    match anti {
                        Some(t) => targets.push(t),
                        None => {
                            if let Some(c) = sources.first().and_then(|s| s.country.clone()) {
                                if !sources[0].code.ends_with(role.as_str()) {
                                    // Its words are what the act is directed at, if named
                                    // ("boycott the presidential poll", "started a hunger
                                    // strike, protesting the unemployment system"), else
                                    // the verb's.
                                    let span = h
                                        .verbal
                                        .then(|| {
                                            let end = self.object_end(m, h.end, b);
                                            phrases::directed_at(d, h.end, end)
                                                .or_else(|| protested(d, h.end, b))
                                        })
                                        .flatten()
                                        .map_or(head_span, |(s, e)| (d.toks[s].s, d.toks[e - 1].e));
                                    targets.extend(self.synth(&c, role, span));
                                }
                            }
                        }
                    }
                } else if sources.len() >= 2
                    && (line.recip
                        || (h.verbal && matches!(&h.code[..2], "03" | "04" | "05" | "06" | "08")))
                {
                    // "India and Pakistan agreed to a ceasefire": a cooperative act of
                    // coordinated subjects with no other party is mutual; not one named by a
                    // noun ("the U.S., Britain and Italy made pledges": to a third party).
                    targets = sources.clone();
                } else if line.recip
                    && sources.is_empty()
                    && targets.len() >= 2
                    && tgt_refs
                        .first()
                        .is_some_and(|r| r.a > 0 && d.w(r.a - 1) == "between")
                {
                    sources = targets.clone();
                }
            }
            // An event already coded from this hit's sentence with these parties and code.
            let seen = |out: &[Event], s: &Actor, t: Option<&Actor>| {
                out.iter().any(|e| {
                    same_actor(&e.source, s)
                        && same_target(e.target.as_ref(), t)
                        && e.action.cameo == h.code
                })
            };
            for s in &sources {
                for t in &targets {
                    // An act on a thing names no other party: an unknown party's ("the
                    // company signed a letter of intent") is business, and cooperation with a
                    // thing ("supports the pact", "supporting the dollar") is no event between
                    // actors. Force against a thing stays ("armed men attacked an army camp"),
                    // and a known actor's disapproval, rejection, threat or protest of one
                    // ("Baghdad rejected the referendum").
                    let thing_between = t.code == "---"
                        && if s.code == "---" {
                            !matches!(&h.code[..2], "18" | "19" | "20")
                        } else {
                            !matches!(&h.code[..2], "11" | "12" | "13" | "14" | "18" | "19" | "20")
                        }
                        && t.span.is_some_and(|sp| !phrases::names_someone(d, sp));
                    // "ministers meet in Belgium": where a meeting is held is no party to it.
                    let venue = matches!(&h.code[..3], "040" | "044" | "045" | "046" | "036")
                        && t.span.is_some_and(|(ts, _)| {
                            let k = d.toks.partition_point(|x| x.s < ts);
                            k > 0
                                && matches!(d.w(k - 1), "in" | "at")
                                && d.ent_at(k).is_some_and(|(e, _, _)| {
                                    matches!(
                                        d.ents[e as usize].kind,
                                        EntityKind::Country
                                            | EntityKind::Place
                                            | EntityKind::Region
                                    )
                                })
                        });
                    if thing_between
                        || venue
                        || same_actor(s, t)
                        || s.code.is_empty()
                        || t.code.is_empty()
                        || s.span == t.span
                    {
                        continue;
                    }
                    if seen(&out, s, Some(t)) {
                        continue;
                    }
                    if let Some(ev) = self.event(si, h, s.clone(), Some(t.clone()), head_span) {
                        out.push(ev);
                    }
                }
            }
            // An act whole without another party is an event with no target (events/alone.rs).
            // Only the source itself found on the other side ("the mayor of Lima demanded
            // support from the national government"): nobody else is.
            let none_else = |s: &Actor| targets.iter().all(|t| same_actor(s, t));
            if sources.iter().any(none_else) && alone::whole(d, h, b) {
                for s in sources
                    .iter()
                    .filter(|s| none_else(s) && alone::may_act_alone(d, s))
                {
                    if seen(&out, s, None) {
                        continue;
                    }
                    if let Some(ev) = self.event(si, h, s.clone(), None, head_span) {
                        out.push(ev);
                    }
                }
            }
        }
        out
    }

    fn event(
        &self,
        si: usize,
        h: &Hit,
        source: Actor,
        target: Option<Actor>,
        head: (usize, usize),
    ) -> Option<Event> {
        let c = self.cameo.get(&h.code)?;
        let sent = self.d.sents[si];
        // A date after the verb counts up to the end of its clause ("held their last meeting
        // with the committee in New York in January, but ..."), and in any case within 12
        // tokens of it.
        let reach = super::coder::clause_end(self.d, h.end, self.d.sent_toks[si].1).max(h.tok + 12);
        let when = self
            .dates
            .iter()
            .filter(|m| m.sentence_index == si && m.tok < reach)
            .filter(|m| {
                // "during last year's protests" dates the protests, not this event.
                let after = m.tok + m.text.split_whitespace().count();
                self.d.toks.get(after).is_none_or(|t| t.kind != Kind::Poss)
            })
            .min_by_key(|m| (m.tok as i64 - h.tok as i64).abs())
            .map(|m| m.when)
            .or(self.pub_date.map(|day| When {
                day,
                precision: Precision::Day,
                basis: Basis::Publication,
            }));
        let location = self.location(si, h, &source, target.as_ref());
        Some(Event {
            event_id: String::new(),
            date: when.map(|w| w.iso()),
            date_precision: when.map_or(Precision::Day, |w| w.precision),
            date_basis: when.map_or(Basis::Publication, |w| w.basis),
            action: Action {
                cameo: c.code.clone(),
                root: c.root.clone(),
                label: c.label.clone(),
                quad_class: c.quad_class,
                goldstein: c.goldstein,
                verb_text: self.d.text[head.0..head.1].to_string(),
                plover: c.plover.clone(),
            },
            location,
            casualties: self
                .casualties
                .iter()
                .filter(|x| x.sentence_index == si)
                .cloned()
                .collect(),
            evidence: Evidence {
                sentence_index: si,
                sentence: self.d.text[sent.start..sent.end].to_string(),
                spans: Spans {
                    source: source.span.map(|s| [s.0, s.1]),
                    target: target.as_ref().and_then(|t| t.span).map(|s| [s.0, s.1]),
                    verb: [head.0, head.1],
                },
                pattern_id: h.pattern_id.clone(),
            },
            hypothetical: h.hypothetical,
            tone: 0.0,
            sentence_ids: vec![si],
            source,
            target,
        })
    }
}
