//! Who takes part in an event: the subject before a verb (through coordination, relative
//! clauses and the verbs that govern it), where an object ends, the source of an event noun, the
//! actors a sentence implies (the government an "anti-government" protest is aimed at, a group
//! noun's country and role), and the speaker of a statement.

use crate::entities::EntityKind;
use crate::stages::extract::cameo::sending;

use crate::stages::extract::actors::{
    self, according_to, coordinated_left, object, subject_left, Actor, Ref, Side,
};
use crate::stages::extract::coder::{clause_end, Hit, Matches};
use crate::stages::extract::lexicon::Line;
use crate::stages::extract::phrases;
use crate::stages::extract::pos::Tag;
use crate::stages::extract::text::{
    is_aux, is_clause_break, is_determiner, is_modal, is_preposition, Kind,
};

use super::Ctx;

/// A refined other side of a verbal match: dictionary actors, or a noun phrase (tokens).
pub(super) enum Other {
    Actors(Vec<Ref>),
    Phrase((usize, usize)),
}

impl<'a> Ctx<'a> {
    /// The nearest verb (match or reporting/light verb) before token `before` in the sentence.
    pub(in crate::stages::extract) fn prev_verb(
        &self,
        m: &Matches,
        before: usize,
        a: usize,
    ) -> Option<usize> {
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
    /// The hit that sends people ("sent troops", "will send a team of experts to Iran")
    /// whose purpose is the infinitive whose "to" is at `to`: active, at most ten tokens
    /// before it, with no clause break or other infinitive between.
    pub(in crate::stages::extract) fn sender(&self, m: &Matches, to: usize) -> Option<usize> {
        let d = self.d;
        m.hits.iter().position(|s| {
            s.verbal
                && !s.passive
                && (sending(&s.code)
                    || matches!(
                        d.w(s.tok),
                        "send"
                            | "sends"
                            | "sent"
                            | "sending"
                            | "dispatch"
                            | "dispatches"
                            | "dispatched"
                            | "dispatching"
                    ))
                && s.end <= to
                && to - s.end <= 10
                && (s.end..to).all(|j| {
                    let infinitive = d.w(j) == "to" && d.tag_of(j + 1) == Some(Tag::VB);
                    !(is_clause_break(d.w(j)) || infinitive)
                })
        })
    }

    pub(in crate::stages::extract) fn subject(
        &self,
        m: &Matches,
        tok: usize,
        a: usize,
        depth: u8,
    ) -> Vec<Ref> {
        let d = self.d;
        let mut g = actors::group_start(d, tok, a);
        // Infinitives take their governor's subject: "Erdogan plans to visit".
        while g > a + 1 && d.w(g - 1) == "to" {
            // Only a governing verb passes its subject on ("plans to visit"); after a noun
            // ("assets to fund") the infinitive is a purpose clause with no actor of its own.
            let gov = d.w(g - 2);
            let verbish = crate::stages::extract::coder::intention(gov)
                || gov.ends_with("ed")
                || m.hits.iter().any(|h| h.verbal && h.tok == g - 2)
                || m.fn_verbs.iter().any(|f| f.tok == g - 2);
            if verbish {
                g = actors::group_start(d, g - 2, a);
                continue;
            }
            // "sent troops to attack the rebels": the forces sent act for their sender.
            match self.sender(m, g - 1) {
                Some(s) => g = actors::group_start(d, m.hits[s].tok, a),
                None => return Vec::new(),
            }
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
    pub(in crate::stages::extract) fn object_is_short(&self, v: usize, comma: usize) -> bool {
        comma > v && comma - v <= 8 && !(v + 1..comma).any(|k| is_clause_break(self.d.w(k)))
    }

    /// End of a verb's object: the clause end, a coordinated verb ("and denounced"), a
    /// participle clause (", saying"), a reporting clause (", he told Reuters"), "as", a
    /// modal; at most 16 tokens.
    pub(in crate::stages::extract) fn object_end(
        &self,
        m: &Matches,
        from: usize,
        b: usize,
    ) -> usize {
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
            // "accept any Rohingya refugees fleeing violence in Myanmar": a participle after a
            // plural noun opens a clause about that noun; not one that measures it or acts as
            // a preposition ("loans amounting to $75m for projects in Nepal").
            if k > from + 1
                && !d.toks[k].cap
                && !matches!(
                    w,
                    "amounting"
                        | "totaling"
                        | "totalling"
                        | "ranging"
                        | "including"
                        | "excluding"
                        | "involving"
                        | "concerning"
                        | "regarding"
                )
                && d.tag_of(k) == Some(Tag::VBG)
                && d.tag_of(k - 1) == Some(Tag::NNS)
            {
                return k;
            }
            // "said the army must withdraw": a modal opens the verb group of a new clause.
            if k > from && is_modal(w) && !d.toks[k].cap {
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
                while j < cend
                    && (crate::stages::extract::text::is_adverb(d.w(j)) || is_aux(d.w(j)))
                {
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
    pub(in crate::stages::extract) fn noun_source(
        &self,
        m: &Matches,
        h: &Hit,
        a: usize,
        b: usize,
    ) -> Vec<Ref> {
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
        if let Some(l) = self.light_verb(m, h) {
            return self.subject(m, l, a, 0);
        }
        Vec::new()
    }

    /// The light verb governing event noun `h` ("launched a fresh offensive"): at most 7
    /// tokens before it, with no actor, comma or clause break between.
    fn light_verb(&self, m: &Matches, h: &Hit) -> Option<usize> {
        let d = self.d;
        let l = m
            .fn_verbs
            .iter()
            .filter(|f| f.light && f.tok < h.tok && f.tok + 7 >= h.tok)
            .map(|f| f.tok)
            .max()?;
        (l + 1..h.tok)
            .all(|j| d.toks[j].ent.is_none() && !is_clause_break(d.w(j)) && d.w(j) != ",")
            .then_some(l)
    }

    /// The noun phrase subject of the light verb governing event noun `h` when no dictionary
    /// actor is there ("Masked gunmen launched an attack on ...").
    pub(in crate::stages::extract) fn light_subject_phrase(
        &self,
        m: &Matches,
        h: &Hit,
        a: usize,
    ) -> Option<Actor> {
        let l = self.light_verb(m, h)?;
        let g = actors::group_start(self.d, l, a);
        let np = crate::stages::extract::phrases::left(self.d, g, a)?;
        Some(crate::stages::extract::phrases::actor(self.d, np))
    }

    /// "anti-government": the government the noun is aimed at.
    pub(in crate::stages::extract) fn anti_target(
        &self,
        h: &Hit,
        a: usize,
        country: Option<&str>,
    ) -> Option<Actor> {
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
    pub(in crate::stages::extract) fn synth(
        &self,
        country: &str,
        role: &str,
        span: (usize, usize),
    ) -> Option<Actor> {
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
    /// the sentence's place, else of the article, else of the source. Not what an act of
    /// sending moves ("sent troops to Afghanistan", "will deploy 200 soldiers in Mali"): those
    /// are the source's own people, the other side is where they go.
    pub(in crate::stages::extract) fn group_noun(
        &self,
        code: &str,
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
        // Forces sent or mobilized are the source's own, with or without a destination.
        if sending(code)
            && (code.starts_with("15") || (k + 1..end).any(|j| super::is_destination(d.w(j))))
        {
            return None;
        }
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
    pub(in crate::stages::extract) fn speaker(&self, m: &Matches, a: usize, b: usize) -> Vec<Ref> {
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

    /// "returned six Iraqi artifacts to the government of Iraq": a pattern whose word follows
    /// the object (`>to`) names the other side after that word.
    pub(super) fn after_object_target(
        &self,
        line: &Line,
        h: &Hit,
        oend: usize,
    ) -> Option<Vec<Ref>> {
        let d = self.d;
        let alts = line.after_object.as_ref()?;
        let k = (h.end + 1..oend).find(|&k| alts.iter().any(|x| x == d.w(k)))?;
        let after = object(d, k + 1, oend, Side::Target, &[d.w(k).into()]);
        (!after.is_empty()).then_some(after)
    }

    /// "filed a lawsuit in a Paris court against X", "a complaint with the UN against X": who
    /// a conflictual act (09-20) is against is its other side, before a venue or an addressee
    /// named first (`first`, after a preposition). Not for cooperation ("shared evidence with
    /// India against X"), not over a direct object ("condemned the US over its threats against
    /// Iran"), not an act ("warned Iran against using force"; "against visiting Prince X" is
    /// a party).
    pub(super) fn against_target(&self, h: &Hit, first: &Ref, oend: usize) -> Option<Other> {
        let d = self.d;
        if h.code.as_str() < "09" {
            return None;
        }
        let mut j = first.a;
        while j > h.end && is_determiner(d.w(j - 1)) {
            j -= 1;
        }
        if !(j > h.end && is_preposition(d.w(j - 1))) {
            return None;
        }
        let verb = |j: usize| {
            d.tags.get(j).is_some_and(|t| t.is_verb())
                || (d.w(j).ends_with("ing") && !d.toks[j].cap)
        };
        let k = (first.b..oend)
            .take_while(|&k| !d.tags.get(k).is_some_and(|t| t.is_verb()))
            .find(|&k| d.w(k) == "against")
            .filter(|&k| {
                k + 1 < oend && !(verb(k + 1) && d.toks.get(k + 2).is_none_or(|t| !t.cap))
            })?;
        let against = object(d, k + 1, oend, Side::Target, &["against".to_string()]);
        if !against.is_empty() {
            return Some(Other::Actors(against));
        }
        phrases::right(d, k + 1, oend).map(Other::Phrase)
    }

    /// "contribute troops to the NATO-led force in Afghanistan": aid (or an intent to aid)
    /// given through a force or mission goes to the place it serves.
    pub(super) fn served_place(&self, h: &Hit, first: &Ref, oend: usize) -> Option<(usize, usize)> {
        let d = self.d;
        if !(h.code.starts_with("07") || h.code.starts_with("03")) {
            return None;
        }
        let k = (first.b..oend.min(first.b + 4)).find(|&k| {
            matches!(
                d.w(k),
                "force" | "forces" | "mission" | "operation" | "operations"
            )
        })?;
        (d.w(k + 1) == "in")
            .then(|| phrases::place(d, k + 1, oend))
            .flatten()
    }

    /// "Erdogan reiterated Turkey's support for the GNA", "promised Washington's aid to
    /// Kabul": the source's own country (or its capital) as possessor before the object noun
    /// is the source's side; the other side is named after it (none when nothing is). A
    /// person or body as possessor stays the other side ("hailed Mulroney's call").
    /// `None` when the object is no such possessor.
    pub(super) fn own_possessive(
        &self,
        source: &Ref,
        first: &Ref,
        oend: usize,
    ) -> Option<Vec<Ref>> {
        let d = self.d;
        let ent = &d.ents[first.ent as usize];
        let possessor = d.toks.get(first.b).is_some_and(|t| t.kind == Kind::Poss);
        let state = matches!(ent.kind, EntityKind::Country | EntityKind::Place);
        if !possessor
            || !state
            || ent.country.is_none()
            || ent.country != d.ents[source.ent as usize].country
        {
            return None;
        }
        Some(object(d, first.b + 1, oend, Side::Target, &[]))
    }

    /// "attacked an army camp in Mali near the border with Mauritania": what an act of force
    /// hits, named right after the verb, is its other side, not an actor named later in a
    /// phrase that only places it (after *in, near, at, outside, along, ...*).
    pub(super) fn struck_thing(
        &self,
        m: &Matches,
        h: &Hit,
        first: &Ref,
        oend: usize,
    ) -> Option<(usize, usize)> {
        let d = self.d;
        if !(h.verbal && phrases::force::force(&h.code)) {
            return None;
        }
        let (a, b) = phrases::force::thing(d, m, h.end, oend)?;
        let placed = (b..first.a).any(|k| {
            matches!(
                d.w(k),
                "in" | "near" | "at" | "outside" | "inside" | "along" | "around" | "off"
            )
        });
        (b <= first.a && placed && (a..b).all(|k| d.toks[k].ent.is_none())).then_some((a, b))
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
