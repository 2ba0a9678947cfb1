//! From matches to events: the source and target of each match (actors.rs), the defaults some
//! patterns allow (a protest's target is the government of the protesters' country), the date,
//! place and casualties of its sentence, and the evidence. One event per (source, target, code)
//! per sentence; repeats in the article collapse into the best-dated one, keeping all sentence
//! ids (as PETRARCH collapses repeats within a story).

use chrono::NaiveDate;
use serde::Serialize;

use crate::entities::{Entity, EntityKind, Gazetteer};

use super::actors::{
    self, according_to, actor, coordinated_left, object, subject_left, Actor, Ref, Side,
};
use super::cameo::{CameoTable, Plover};
use super::casualties::Casualty;
use super::coder::{clause_end, Hit, Matches};
use super::collapse::same_actor;
use super::dates::{Basis, DateMention, Precision, When};
use super::lexicon::Lexicon;
use super::phrases;
use super::text::{is_aux, is_clause_break, is_determiner, is_preposition, Doc, Kind};
use super::PlacePrecision;

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
    pub target: Actor,
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

/// Root classes whose events are statements, so a sentence's speaker can be their source.
fn verbal_root(code: &str) -> bool {
    matches!(
        &code[..2],
        "01" | "02" | "03" | "04" | "05" | "10" | "11" | "12" | "13"
    )
}

impl<'a> Ctx<'a> {
    /// The nearest verb (match or reporting/light verb) before token `before` in the sentence.
    fn prev_verb(&self, m: &Matches, before: usize, a: usize) -> Option<usize> {
        let hv = m
            .hits
            .iter()
            .filter(|h| h.verbal && h.tok < before && h.tok >= a)
            .map(|h| h.tok)
            .max();
        let fv = m
            .fn_verbs
            .iter()
            .filter(|f| f.tok < before && f.tok >= a)
            .map(|f| f.tok)
            .max();
        let ed = (a..before).rev().find(|&k| {
            let t = self.d.toks[k];
            let w = self.d.w(k);
            t.kind == Kind::Word
                && !t.cap
                && t.ent.is_none()
                && w.len() > 4
                && w.ends_with("ed")
                && k > a
                && !is_determiner(self.d.w(k - 1))
        });
        [hv, fv, ed].into_iter().flatten().max()
    }

    /// Subject of the verb whose head is `tok`.
    fn subject(&self, m: &Matches, tok: usize, a: usize, depth: u8) -> Vec<Ref> {
        let d = self.d;
        let mut g = actors::group_start(d, tok, a);
        // Infinitives take their governor's subject: "Erdogan plans to visit".
        while g > a + 1 && d.w(g - 1) == "to" {
            // Only a governing verb passes its subject on ("plans to visit"); after a noun
            // ("assets to fund") the infinitive is a purpose clause with no actor of its own.
            let gov = d.w(g - 2);
            let verbish = super::coder::intention(gov)
                || gov.ends_with("ed")
                || m.hits.iter().any(|h| h.verbal && h.tok == g - 2)
                || m.fn_verbs.iter().any(|f| f.tok == g - 2);
            if !verbish {
                return Vec::new();
            }
            g = actors::group_start(d, g - 2, a);
        }
        if g == a || depth > 4 {
            return if g == a {
                Vec::new()
            } else {
                subject_left(d, g, a)
            };
        }
        let p = d.w(g - 1);
        let ing = d.w(tok).ends_with("ing");
        if matches!(p, "and" | "or" | "but")
            || (p == ","
                && (ing
                    || self
                        .prev_verb(m, g - 1, a)
                        .is_some_and(|v| self.object_is_short(v, g - 1))))
        {
            if let Some(v) = self.prev_verb(m, g - 1, a) {
                // Not across a subordinate clause: "..., as the toll rose, killing ...".
                let sub = p == ","
                    && (v + 1..g).any(|k| {
                        matches!(
                            d.w(k),
                            "as" | "after"
                                | "when"
                                | "while"
                                | "because"
                                | "since"
                                | "with"
                                | "before"
                        )
                    });
                if !sub {
                    return self.subject(m, v, a, depth + 1);
                }
                return Vec::new();
            }
        }
        if matches!(p, "who" | "which" | "that") {
            let k = if g >= 2 && d.w(g - 2) == "," {
                g - 2
            } else {
                g - 1
            };
            return subject_left(d, k, a);
        }
        subject_left(d, g, a)
    }

    /// "froze assets, expelled diplomats": a verb list, not a new clause with its own subject.
    fn object_is_short(&self, v: usize, comma: usize) -> bool {
        comma > v && comma - v <= 8 && !(v + 1..comma).any(|k| is_clause_break(self.d.w(k)))
    }

    /// End of a verb's object: the clause end, a coordinated verb ("and denounced"), a
    /// participle clause (", saying"), a reporting clause (", he told Reuters"), "as"; at
    /// most 16 tokens.
    pub(super) fn object_end(&self, m: &Matches, from: usize, b: usize) -> usize {
        let d = self.d;
        let cend = clause_end(d, from, b).min(from + 16);
        let verb_at = |k: usize| {
            m.hits.iter().any(|h| h.verbal && h.tok == k) || m.fn_verbs.iter().any(|f| f.tok == k)
        };
        for k in from..cend {
            let w = d.w(k);
            if w == "as" && k > from {
                return k;
            }
            // ", a spokesman told Reuters", ", the minister said": who reports the action is
            // not a party to it.
            if w == ","
                && m.fn_verbs
                    .iter()
                    .any(|f| f.report && f.tok > k && f.tok <= k + 6)
            {
                return k;
            }
            if matches!(w, "and" | "or" | "but" | ",") {
                let mut j = k + 1;
                while j < cend && (super::text::is_adverb(d.w(j)) || is_aux(d.w(j))) {
                    j += 1;
                }
                if j < cend
                    && (verb_at(j)
                        || (w == "," && d.w(j).ends_with("ing") && d.toks[j].ent.is_none()))
                {
                    return k;
                }
            }
        }
        cend
    }

    /// Source of a noun event: "US threats", "Israel's strikes", "attacks by Hamas", or the
    /// subject of a light verb governing it ("Trump announced the cancellation of talks").
    pub(super) fn noun_source(&self, m: &Matches, h: &Hit, a: usize, b: usize) -> Vec<Ref> {
        let d = self.d;
        let mut k = h.tok;
        let mut skipped = 0;
        while k > a && skipped < 2 {
            let (t, w) = (d.toks[k - 1], d.w(k - 1));
            if t.kind == Kind::Word
                && !t.cap
                && t.ent.is_none()
                && !is_determiner(w)
                && !is_preposition(w)
                && !is_aux(w)
                && !is_clause_break(w)
                && w != "and"
                && !w.starts_with("anti-")
            {
                k -= 1;
                skipped += 1;
            } else {
                break;
            }
        }
        if k > a && d.toks[k - 1].kind == Kind::Poss {
            k -= 1;
        }
        if k > a {
            if let Some((e, ea, eb)) = d.ent_at(k - 1) {
                if eb == k && d.code(e).is_some() {
                    let mut v = coordinated_left(d, ea, a);
                    v.push(Ref {
                        ent: e,
                        a: ea,
                        b: eb,
                    });
                    return v;
                }
            }
        }
        let cend = clause_end(d, h.end, b).min(h.end + 8);
        if let Some(by) = (h.end..cend).find(|&j| matches!(d.w(j), "by" | "from")) {
            let v = object(d, by + 1, cend, Side::Target, &["by".into(), "from".into()]);
            if !v.is_empty() && v[0].a <= by + 3 {
                return v;
            }
        }
        let light = m
            .fn_verbs
            .iter()
            .filter(|f| f.light && f.tok < h.tok && f.tok + 7 >= h.tok)
            .map(|f| f.tok)
            .max();
        if let Some(l) = light {
            let clean = (l + 1..h.tok)
                .all(|j| d.toks[j].ent.is_none() && !is_clause_break(d.w(j)) && d.w(j) != ",");
            if clean {
                return self.subject(m, l, a, 0);
            }
        }
        Vec::new()
    }

    /// "anti-government": the government the noun is aimed at.
    fn anti_target(&self, h: &Hit, a: usize, country: Option<&str>) -> Option<Actor> {
        let d = self.d;
        let k = (h.tok.saturating_sub(3).max(a)..h.tok).find(|&k| d.w(k).starts_with("anti-"))?;
        let what = &d.w(k)[5..];
        if !matches!(
            what,
            "government" | "regime" | "state" | "establishment" | "junta" | "authorities"
        ) {
            return None;
        }
        self.synth(country?, "GOV", (d.toks[k].s, d.toks[k].e))
    }

    /// An actor that the sentence implies: country + role.
    fn synth(&self, country: &str, role: &str, span: (usize, usize)) -> Option<Actor> {
        let name = self.g.country_name(country)?;
        let role_name = match role {
            "GOV" => "government",
            "OPP" => "opposition",
            "CVL" => "civilians",
            "EDU" => "students",
            "MED" => "media",
            "MIL" => "military",
            "COP" => "police",
            "REB" => "rebels",
            "REF" => "refugees",
            "LAB" => "labour",
            r => r,
        };
        Some(Actor {
            text: self.d.text[span.0..span.1].to_string(),
            code: format!("{country}{role}"),
            country: Some(country.to_string()),
            role: Some(role_name.to_string()),
            name: format!("{name} {role_name}"),
            span: Some(span),
        })
    }

    /// A plain group noun in the object ("arrested dozens of protesters", "killing 21
    /// people") when no dictionary actor is there: the role of the noun, in the country of
    /// the sentence's place, else of the article, else of the source.
    pub(super) fn group_noun(
        &self,
        from: usize,
        end: usize,
        a: usize,
        b: usize,
        source: Option<&Actor>,
    ) -> Option<Actor> {
        let d = self.d;
        let (k, role) = (from..end).find_map(|k| {
            if d.toks[k].ent.is_some()
                || (k > from
                    && matches!(
                        d.w(k - 1),
                        "in" | "at" | "near" | "its" | "their" | "his" | "her"
                    ))
            {
                return None;
            }
            group_role(d.w(k)).map(|r| (k, r))
        })?;
        let place = (a..b).find_map(|j| {
            let (e, _, _) = d.ent_at(j)?;
            let ent = &d.ents[e as usize];
            (ent.kind == EntityKind::Place)
                .then(|| ent.country.clone())
                .flatten()
        });
        // Police and courts act at home: their targets are their own country's people.
        let domestic = source.is_some_and(|s| s.code.ends_with("COP") || s.code.ends_with("JUD"));
        let own = source.and_then(|s| s.country.clone());
        let country = if domestic {
            own.or(place)
        } else {
            place.or(own).or(self.main_country.map(str::to_string))
        }?;
        self.synth(&country, role, (d.toks[k].s, d.toks[k].e))
    }

    /// The sentence's speaker, for statements with no subject of their own.
    fn speaker(&self, m: &Matches, a: usize, b: usize) -> Vec<Ref> {
        if let Some(r) = according_to(self.d, a, b) {
            return vec![r];
        }
        for f in m.fn_verbs.iter().filter(|f| f.report) {
            if let Some(r) = actors::actor_at(self.d, f.tok + 1).filter(|r| r.a == f.tok + 1) {
                return vec![r];
            }
            let s = self.subject(m, f.tok, a, 0);
            if !s.is_empty() {
                return s;
            }
        }
        Vec::new()
    }

    /// Codes the events of sentence `si`.
    pub fn sentence_events(&self, si: usize, m: &Matches) -> Vec<Event> {
        let d = self.d;
        let (a, b) = d.sent_toks[si];
        let mut out: Vec<Event> = Vec::new();
        for h in m.hits.iter().filter(|h| !h.consumed && !h.negated) {
            let line = &self.lx.lines[h.line as usize];
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
                    if let (true, Some((e, l))) = (t.is_empty(), h.inner) {
                        // "agreed to send aid to Y": the governed action's other party.
                        let preps = &self.lx.lines[l as usize].target_preps;
                        t = object(d, e, self.object_end(m, e, b), Side::Target, preps);
                    }
                    (self.subject(m, h.tok, a, 0), t)
                }
            } else {
                let cend = clause_end(d, h.end, b);
                (
                    self.noun_source(m, h, a, b),
                    object(d, h.end, cend, Side::NounTarget, &line.target_preps),
                )
            };
            if srcs.is_empty() && verbal_root(&h.code) && h.verbal {
                srcs = self.speaker(m, a, b);
            }
            let mut sources: Vec<Actor> = srcs.iter().map(|r| actor(d, *r)).collect();
            let mut targets: Vec<Actor> = tgt_refs.iter().map(|r| actor(d, *r)).collect();
            if h.verbal {
                self.phrase_actors(m, h, a, b, &mut sources, &mut targets);
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
                    targets.extend(self.group_noun(from, end, a, b, sources.first()));
                }
                if targets.is_empty() && line.def_target.is_none() && !h.verbal {
                    // "the attacks on Blackburn": a noun event's phrase target needs its preposition.
                    let cend = clause_end(d, h.end, b);
                    let np = phrases::right(d, h.end, cend).filter(|&(s, _)| s > h.end);
                    targets.extend(np.map(|p| phrases::actor(d, p)));
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
                                    targets.extend(self.synth(&c, role, head_span));
                                }
                            }
                        }
                    }
                } else if sources.len() >= 2
                    && (line.recip || matches!(&h.code[..2], "03" | "04" | "05" | "06" | "08"))
                {
                    // "India and Pakistan agreed to a ceasefire": a cooperative act of
                    // coordinated subjects with no other party is mutual.
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
            for s in &sources {
                for t in &targets {
                    if same_actor(s, t)
                        || s.code.is_empty()
                        || t.code.is_empty()
                        || s.span == t.span
                    {
                        continue;
                    }
                    if out.iter().any(|e| {
                        same_actor(&e.source, s)
                            && same_actor(&e.target, t)
                            && e.action.cameo == h.code
                    }) {
                        continue;
                    }
                    if let Some(ev) = self.event(si, h, s.clone(), t.clone(), head_span) {
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
        target: Actor,
        head: (usize, usize),
    ) -> Option<Event> {
        let c = self.cameo.get(&h.code)?;
        let sent = self.d.sents[si];
        let when = self
            .dates
            .iter()
            .filter(|m| m.sentence_index == si && m.tok < h.tok + 12)
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
        let location = self.location(si, h, &source, &target);
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
                    target: target.span.map(|s| [s.0, s.1]),
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

    /// The place most tied to the action: a place in the sentence (one after "in/at/near"
    /// first, nearest the verb), else the target's or source's country.
    pub fn location(&self, si: usize, h: &Hit, source: &Actor, target: &Actor) -> Option<Location> {
        let d = self.d;
        let (a, b) = d.sent_toks[si];
        let mut best: Option<(bool, usize, u32)> = None;
        let mut k = a;
        while k < b {
            if let Some((e, ea, eb)) = d.ent_at(k) {
                let ent = &d.ents[e as usize];
                if ent.kind == EntityKind::Place {
                    let loc = ea > 0
                        && matches!(
                            d.w(ea - 1),
                            "in" | "at" | "near" | "outside" | "inside" | "across" | "around"
                        );
                    let dist = (ea as i64 - h.tok as i64).unsigned_abs() as usize;
                    if best.is_none_or(|(l, dd, _)| {
                        (loc, std::cmp::Reverse(dist)) > (l, std::cmp::Reverse(dd))
                    }) {
                        best = Some((loc, dist, e));
                    }
                }
                k = eb.max(k + 1);
            } else {
                k += 1;
            }
        }
        if let Some((_, _, e)) = best {
            let ent = &d.ents[e as usize];
            let precision =
                if ent.geonames_id.is_some() && ent.admin1.is_some() && ent.lat.is_some() {
                    PlacePrecision::City
                } else {
                    PlacePrecision::Admin1
                };
            return Some(Location::of_entity(ent, precision));
        }
        let c = target.country.as_deref().or(source.country.as_deref())?;
        self.country_location(c)
    }

    pub fn country_location(&self, iso3: &str) -> Option<Location> {
        let i = self.g.country_index(iso3)?;
        let c = &self.g.countries()[i as usize];
        Some(Location {
            name: c.name.clone(),
            country: Some(c.iso3.clone()),
            admin1: None,
            lat: c.lat,
            lon: c.lon,
            geonames_id: None,
            precision: PlacePrecision::Country,
        })
    }
}

/// CAMEO role of a plain group noun.
fn group_role(w: &str) -> Option<&'static str> {
    Some(match w {
        "protesters" | "protestors" | "demonstrators" | "activists" | "dissidents" | "rioters" => {
            "OPP"
        }
        "civilians" | "people" | "residents" | "villagers" | "children" | "women"
        | "passengers" | "citizens" => "CVL",
        "students" => "EDU",
        "journalists" | "reporters" => "MED",
        "soldiers" | "troops" => "MIL",
        "policemen" | "officers" => "COP",
        "rebels" | "militants" | "insurgents" | "fighters" => "REB",
        "workers" => "LAB",
        "refugees" | "migrants" => "REF",
        _ => return None,
    })
}
