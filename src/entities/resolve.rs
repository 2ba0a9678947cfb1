//! Turns dictionary hits and heuristic names into coded entities: country + agent chains
//! ("Russian Foreign Ministry" -> RUSGOV, "Tehran's foreign ministry" -> IRNGOV, "US President
//! Donald Trump" -> USAGOV), titles before names, dated actor codes, capitals as metonyms,
//! agents that take the country of their context ("protesters" -> IRNOPP), and places.

use chrono::NaiveDate;

use super::gazetteer::Gazetteer;
use super::matcher::{Hit, Target};
use super::names::{find_names, NameSpan};
use super::normalize::Folded;
use super::places::{choose, is_metonym, locative_before, Evidence};
use super::records::{ActorKind, AgentKind, Scope};
use super::salience::article_countries;
use super::sentences::split_sentences;
use super::types::{Entity, EntityKind};

enum Item {
    Hit(Hit),
    Name(NameSpan),
}

impl Item {
    fn span(&self) -> (usize, usize) {
        match self {
            Item::Hit(h) => (h.start, h.end),
            Item::Name(n) => (n.start, n.end),
        }
    }
}

/// An entity in folded offsets, possibly waiting for the country of its context.
struct Pending {
    e: Entity,
    ctx_role: Option<String>,
}

/// Recognizes entities in `text`. `published` picks the roles of dated actors.
pub fn recognize(g: &Gazetteer, text: &str, published: Option<NaiveDate>) -> Vec<Entity> {
    let f = Folded::new(text);
    let mut hits = g.matcher.find(&f);
    drop_compound_agents(g, &f, &mut hits);
    let ev = Evidence::collect(g, &hits);
    let names = find_names(g, &f, &hits);
    let items = merge(hits, names);
    let r = Resolver { g, f: &f, published, ev };
    let mut out = r.run(&items);
    fill_context(&mut out, g, &split_sentences(text), &f);
    let mut ents: Vec<Entity> = out.into_iter().map(|p| p.e).collect();
    set_texts(text, &mut ents);
    ents
}

/// "anti-government": a role noun glued to a prefix is not an actor.
fn drop_compound_agents(g: &Gazetteer, f: &Folded, hits: &mut Vec<Hit>) {
    for h in hits.iter_mut() {
        if h.start > 0 && f.cased[h.start - 1] == b'-' {
            h.targets.retain(|t| !matches!(t, Target::Agent(_)));
        }
        // Honorifics and titles never stand alone at the end of a sentence-like run; keep them.
        let _ = g;
    }
    hits.retain(|h| !h.targets.is_empty());
}

/// Heuristic names win over the place-only hits they overlap.
fn merge(hits: Vec<Hit>, names: Vec<NameSpan>) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::with_capacity(hits.len() + names.len());
    for h in hits {
        if !names.iter().any(|n| n.start < h.end && h.start < n.end) {
            items.push(Item::Hit(h));
        }
    }
    items.extend(names.into_iter().map(Item::Name));
    items.sort_by_key(|i| i.span().0);
    items
}

struct Resolver<'a> {
    g: &'a Gazetteer,
    f: &'a Folded,
    published: Option<NaiveDate>,
    ev: Evidence,
}

impl<'a> Resolver<'a> {
    fn gap(&self, a: usize, b: usize) -> &[u8] {
        if b < a {
            return b"!";
        }
        &self.f.lower[a..b]
    }

    fn entity(&self, kind: EntityKind, s: usize, e: usize, name: String) -> Entity {
        let (os, oe) = self.f.orig(s, e);
        Entity {
            kind,
            start: os,
            end: oe,
            text: String::new(),
            name,
            code: None,
            country: None,
            role: None,
            geonames_id: None,
            admin1: None,
            lat: None,
            lon: None,
            sentence_index: 0,
        }
    }

    fn run(&self, items: &[Item]) -> Vec<Pending> {
        let mut out = Vec::new();
        let mut i = 0;
        let mut emit_qualifier: Option<usize> = None;
        while i < items.len() {
            if let Some(n) = self.chain(items, i, &mut out) {
                i = n;
                continue;
            }
            match &items[i] {
                Item::Name(n) => out.push(self.name(n)),
                Item::Hit(h) => {
                    let qualifier = self.qualifier(items, i);
                    if let Some(p) = self.single(items, i, h, qualifier.map(|q| match &items[q] {
                        Item::Hit(qh) => qh,
                        Item::Name(_) => unreachable!(),
                    })) {
                        let consumed_title = p.1;
                        out.push(p.0);
                        if consumed_title > i {
                            i = consumed_title + 1;
                            continue;
                        }
                        if qualifier.is_some() {
                            emit_qualifier = qualifier;
                        }
                    }
                }
            }
            i += 1;
            if let Some(q) = emit_qualifier.take() {
                if q == i {
                    if let Item::Hit(h) = &items[q] {
                        if let Some(p) = self.admin_or_country(h) {
                            out.push(p);
                        }
                    }
                    i += 1;
                }
            }
        }
        out
    }

    /// The hit after ", " that can qualify a place ("Paris, Texas"; "Sylmar, Calif.").
    fn qualifier(&self, items: &[Item], i: usize) -> Option<usize> {
        let (_, e) = items[i].span();
        let next = items.get(i + 1)?;
        let Item::Hit(q) = next else { return None };
        (self.gap(e, q.start) == b", "
            && q.targets.iter().any(|t| matches!(t, Target::Admin1(_) | Target::Admin1Abbr(_) | Target::Country(_))))
        .then_some(i + 1)
    }

    fn admin_or_country(&self, h: &Hit) -> Option<Pending> {
        for t in &h.targets {
            match t {
                Target::Admin1(a) | Target::Admin1Abbr(a) => return Some(self.admin1(h, *a)),
                Target::Country(c) => return Some(self.country(h.start, h.end, *c)),
                _ => {}
            }
        }
        None
    }

    /// Country-like leader + agents (+ person): returns the next item index when it applies.
    fn chain(&self, items: &[Item], i: usize, out: &mut Vec<Pending>) -> Option<usize> {
        let Item::Hit(lead) = &items[i] else { return None };
        let country = self.leader_country(lead, items.get(i + 1))?;
        let mut j = i + 1;
        let mut agents: Vec<u16> = Vec::new();
        let mut prev_end = lead.end;
        while let Some(Item::Hit(h)) = items.get(j) {
            let gap = self.gap(prev_end, h.start);
            let ok_gap = gap == b" " || (agents.is_empty() && (gap == b"'s " || gap == b"' "));
            let Some(a) = h.targets.iter().find_map(|t| if let Target::Agent(a) = t { Some(*a) } else { None }) else {
                break;
            };
            if !ok_gap {
                break;
            }
            agents.push(a);
            prev_end = h.end;
            j += 1;
        }
        let person = items.get(j).filter(|it| {
            let gap = self.gap(prev_end, it.span().0);
            (gap == b" " || (!agents.is_empty() && gap == b", ")) && self.is_person(it)
        });
        if agents.is_empty() {
            return None;
        }
        let iso3 = self.g.iso3(country).to_string();
        let agent_code = agents.iter().map(|a| &self.g.agents[*a as usize]).find(|a| !a.code.is_empty()).map(|a| a.code.clone());
        let phrase = String::from_utf8_lossy(&self.f.lower[items[i + 1].span().0..prev_end]).into_owned();
        let composed_code = format!("{iso3}{}", agent_code.unwrap_or_default());
        if let Some(p) = person {
            let mut pe = match p {
                Item::Name(n) => self.name(n),
                Item::Hit(h) => self.actor_hit(h)?,
            };
            let (s, _) = self.f.orig(lead.start, lead.end);
            pe.e.text.clear();
            pe.e.start = s;
            if pe.e.code.is_none() {
                pe.e.code = Some(composed_code);
                pe.e.role = Some(phrase);
            }
            if pe.e.country.is_none() {
                pe.e.country = Some(iso3);
            }
            out.push(pe);
            return Some(j + 1);
        }
        let last = &self.g.agents[*agents.last()? as usize];
        let kind = if last.kind == AgentKind::Title { EntityKind::Person } else { EntityKind::Organization };
        let mut e = self.entity(kind, lead.start, prev_end, format!("{} {}", self.g.countries[country as usize].name, phrase));
        e.code = Some(composed_code);
        e.country = Some(iso3);
        e.role = Some(phrase);
        out.push(Pending { e, ctx_role: None });
        Some(j)
    }

    /// The country a hit stands for when it leads an agent chain.
    fn leader_country(&self, h: &Hit, next: Option<&Item>) -> Option<u16> {
        let next_is_agent = matches!(next, Some(Item::Hit(n)) if n.targets.iter().any(|t| matches!(t, Target::Agent(_))));
        if !next_is_agent {
            return None;
        }
        for t in &h.targets {
            match t {
                Target::Country(c) | Target::Adjective(c) => return Some(*c),
                _ => {}
            }
        }
        for t in &h.targets {
            match t {
                Target::City(c) if self.g.cities[*c as usize].capital => return Some(self.g.cities[*c as usize].country),
                Target::Admin1(a) => return Some(self.g.admin1[*a as usize].country),
                _ => {}
            }
        }
        None
    }

    fn is_person(&self, it: &Item) -> bool {
        match it {
            Item::Name(n) => n.person,
            Item::Hit(h) => h.targets.iter().any(|t| matches!(t, Target::Actor(a) if self.g.actors[*a as usize].kind == ActorKind::Person)),
        }
    }

    /// The dictionary actor a hit most likely means on the publication date.
    fn pick_actor(&self, h: &Hit) -> Option<u32> {
        let actors: Vec<u32> = h.targets.iter().filter_map(|t| if let Target::Actor(a) = t { Some(*a) } else { None }).collect();
        let dated = |a: &u32| {
            let r = self.g.actors[*a as usize].role_on(self.published);
            r.is_some_and(|r| r.dated())
        };
        actors.iter().find(|a| dated(a)).or(actors.first()).copied()
    }

    fn actor_entity(&self, a: u32, s: usize, e: usize) -> Pending {
        let actor = &self.g.actors[a as usize];
        let kind = if actor.kind == ActorKind::Person { EntityKind::Person } else { EntityKind::Organization };
        let mut ent = self.entity(kind, s, e, actor.name.clone());
        if let Some(r) = actor.role_on(self.published) {
            ent.code = Some(r.code.clone());
            if !r.title.is_empty() {
                ent.role = Some(r.title.clone());
            }
        }
        ent.country = actor
            .country
            .map(|c| self.g.iso3(c).to_string())
            .or_else(|| ent.code.as_ref().and_then(|c| self.g.country_index(c.get(..3)?)).map(|c| self.g.iso3(c).to_string()));
        Pending { e: ent, ctx_role: None }
    }

    fn actor_hit(&self, h: &Hit) -> Option<Pending> {
        self.pick_actor(h).map(|a| self.actor_entity(a, h.start, h.end))
    }

    fn name(&self, n: &NameSpan) -> Pending {
        if let Some(a) = n.actor {
            return self.actor_entity(a, n.start, n.end);
        }
        let kind = if n.person { EntityKind::Person } else { EntityKind::Organization };
        let mut e = self.entity(kind, n.start, n.end, n.name.clone());
        e.country = n.country.map(|c| self.g.iso3(c).to_string());
        Pending { e, ctx_role: None }
    }

    fn country(&self, s: usize, e: usize, c: u16) -> Pending {
        let cty = &self.g.countries[c as usize];
        let mut ent = self.entity(EntityKind::Country, s, e, cty.name.clone());
        ent.code = Some(cty.iso3.clone());
        ent.country = Some(cty.iso3.clone());
        ent.lat = cty.lat;
        ent.lon = cty.lon;
        Pending { e: ent, ctx_role: None }
    }

    fn admin1(&self, h: &Hit, a: u16) -> Pending {
        let ad = &self.g.admin1[a as usize];
        let mut e = self.entity(EntityKind::Place, h.start, h.end, ad.name.clone());
        e.country = Some(self.g.iso3(ad.country).to_string());
        e.admin1 = Some(ad.code.clone());
        e.geonames_id = ad.geonames_id;
        e.lat = ad.lat;
        e.lon = ad.lon;
        Pending { e, ctx_role: None }
    }

    fn city(&self, h: &Hit, c: u32) -> Pending {
        let city = &self.g.cities[c as usize];
        let mut e = self.entity(EntityKind::Place, h.start, h.end, city.name.clone());
        e.country = Some(self.g.iso3(city.country).to_string());
        e.admin1 = (!city.admin1.is_empty()).then(|| city.admin1.clone());
        e.geonames_id = Some(city.geonames_id);
        e.lat = Some(city.lat);
        e.lon = Some(city.lon);
        Pending { e, ctx_role: None }
    }

    /// One hit on its own. Returns the entity and the index of a person it absorbed (title + name).
    fn single(&self, items: &[Item], i: usize, h: &Hit, qualifier: Option<&Hit>) -> Option<(Pending, usize)> {
        let t = &h.targets;
        let has = |p: fn(&Target) -> bool| t.iter().any(p);
        let locative = locative_before(self.f, h.start);
        // Organisations that are also cities (Brussels): a place only after a locative word.
        if has(|t| matches!(t, Target::Actor(_))) && !(locative && has(|t| matches!(t, Target::City(_)))) {
            return self.actor_hit(h).map(|p| (p, 0));
        }
        if let Some(a) = t.iter().find_map(|t| if let Target::Agent(a) = t { Some(*a) } else { None }) {
            return self.agent(items, i, h, a);
        }
        if has(|t| matches!(t, Target::Region(_))) {
            let Some(Target::Region(r)) = t.iter().find(|t| matches!(t, Target::Region(_))) else { return None };
            let reg = &self.g.regions[*r as usize];
            let mut e = self.entity(EntityKind::Region, h.start, h.end, reg.name.clone());
            if reg.members.len() == 1 {
                e.country = Some(self.g.iso3(reg.members[0]).to_string());
            }
            e.lat = Some(reg.lat);
            e.lon = Some(reg.lon);
            return Some((Pending { e, ctx_role: None }, 0));
        }
        if let Some(c) = t.iter().find_map(|t| if let Target::Adjective(c) = t { Some(*c) } else { None }) {
            return Some((self.country(h.start, h.end, c), 0));
        }
        // Capitals used for their government.
        let capital = t.iter().find_map(|t| match t {
            Target::City(c) if self.g.cities[*c as usize].capital => Some(*c),
            _ => None,
        });
        if let Some(c) = capital {
            if qualifier.is_none() && !has(|t| matches!(t, Target::Country(_))) && is_metonym(self.f, h.start, h.end) {
                let country = self.g.cities[c as usize].country;
                let cname = &self.g.countries[country as usize].name;
                let mut e = self.entity(EntityKind::Organization, h.start, h.end, format!("{cname} government"));
                e.code = Some(format!("{}GOV", self.g.iso3(country)));
                e.country = Some(self.g.iso3(country).to_string());
                e.role = Some("capital as government".into());
                return Some((Pending { e, ctx_role: None }, 0));
            }
        }
        // Country names shared with a city (Singapore) or a state (Georgia).
        if let Some(c) = t.iter().find_map(|t| if let Target::Country(c) = t { Some(*c) } else { None }) {
            let alt = t.iter().any(|t| matches!(t, Target::Admin1(_)));
            if !alt || matches!(choose(self.g, h, &self.ev, qualifier), Some(Target::Country(_)) | None) {
                return Some((self.country(h.start, h.end, c), 0));
            }
        }
        let needs_context = t.iter().all(|t| match t {
            Target::City(c) => self.g.cities[*c as usize].needs_context,
            Target::Admin1Abbr(_) => true,
            _ => false,
        });
        if needs_context && !locative && qualifier.is_none() {
            return None;
        }
        match choose(self.g, h, &self.ev, qualifier)? {
            Target::City(c) => Some((self.city(h, c), 0)),
            Target::Admin1(a) => Some((self.admin1(h, a), 0)),
            Target::Country(c) => Some((self.country(h.start, h.end, c), 0)),
            _ => None,
        }
    }

    /// An agent not led by a country: title + person, "X of <country>", or by its scope.
    fn agent(&self, items: &[Item], i: usize, h: &Hit, a: u16) -> Option<(Pending, usize)> {
        let ag = &self.g.agents[a as usize];
        // Title + person ("President Donald Trump", "Mr Smith").
        if matches!(ag.kind, AgentKind::Title | AgentKind::Honorific) {
            if let Some(next) = items.get(i + 1).filter(|n| self.is_person(n)) {
                let gap = self.gap(h.end, next.span().0);
                if gap == b" " || gap == b". " {
                    let mut p = match next {
                        Item::Name(n) => self.name(n),
                        Item::Hit(nh) => self.actor_hit(nh)?,
                    };
                    p.e.start = self.f.orig(h.start, h.end).0;
                    if p.e.role.is_none() && !ag.code.is_empty() {
                        p.e.role = Some(String::from_utf8_lossy(&self.f.lower[h.start..h.end]).into_owned());
                    }
                    return Some((p, i + 1));
                }
            }
        }
        let phrase = String::from_utf8_lossy(&self.f.lower[h.start..h.end]).into_owned();
        // "the foreign minister of Iran".
        if let Some(Item::Hit(n)) = items.get(i + 1) {
            let gap = self.gap(h.end, n.start);
            if gap == b" of " || gap == b" of the " {
                if let Some(c) = n.targets.iter().find_map(|t| if let Target::Country(c) = t { Some(*c) } else { None }) {
                    let iso3 = self.g.iso3(c);
                    let kind = if ag.kind == AgentKind::Title { EntityKind::Person } else { EntityKind::Organization };
                    let mut e = self.entity(kind, h.start, n.end, format!("{} {}", self.g.countries[c as usize].name, phrase));
                    e.code = Some(format!("{iso3}{}", ag.code));
                    e.country = Some(iso3.to_string());
                    e.role = Some(phrase);
                    return Some((Pending { e, ctx_role: None }, i + 1));
                }
            }
        }
        if ag.code.is_empty() || !noun_use(self.f, h.end) {
            return None;
        }
        let kind = if ag.kind == AgentKind::Title { EntityKind::Person } else { EntityKind::Organization };
        let mut e = self.entity(kind, h.start, h.end, phrase.clone());
        e.role = Some(phrase);
        match ag.scope {
            Scope::Attached => None,
            Scope::Bare => {
                e.code = Some(ag.code.clone());
                Some((Pending { e, ctx_role: None }, 0))
            }
            Scope::Context => Some((Pending { e, ctx_role: Some(ag.code.clone()) }, 0)),
        }
    }
}

/// Words after a role noun that show it heads its phrase ("police said", "troops in"), unlike
/// a modifier ("military action", "police station").
const AFTER_HEAD: &[&str] = &[
    "", "said", "says", "say", "has", "have", "had", "is", "are", "was", "were", "will", "would", "could", "can",
    "may", "might", "must", "should", "and", "or", "of", "in", "on", "at", "to", "for", "with", "from", "by", "who",
    "which", "that", "as", "also", "later", "then", "still", "did", "do", "does", "not", "on", "into", "against",
    "near", "after", "during", "over", "across", "around", "report", "reported", "reports", "told", "tell", "opened",
    "fire", "fired", "used", "use", "arrest", "arrested", "detain", "detained", "kill", "killed", "clash", "clashed",
    "took", "take", "took", "gathered", "marched", "began", "continue", "continued", "demand", "demanded", "stormed",
];

fn noun_use(f: &Folded, e: usize) -> bool {
    let rest = f.lower[e..].trim_ascii_start();
    if rest.first().is_some_and(|c| !c.is_ascii_alphabetic()) || rest.is_empty() {
        return true;
    }
    let w = super::places::word_after(f, e);
    AFTER_HEAD.contains(&w) || (w.ends_with("ed") && w.len() > 4)
}

/// Sets text and sentence index, and gives context-taking agents the country of their context:
/// the nearest preceding entity with a country in the same sentence, else the nearest
/// following one there, else the article's most salient country.
fn fill_context(out: &mut [Pending], g: &Gazetteer, sentences: &[super::types::Sentence], _f: &Folded) {
    let _ = g;
    for p in out.iter_mut() {
        let idx = sentences.partition_point(|s| s.end <= p.e.start);
        p.e.sentence_index = idx.min(sentences.len().saturating_sub(1));
    }
    let plain: Vec<Entity> = out.iter().filter(|p| p.ctx_role.is_none()).map(|p| p.e.clone()).collect();
    let top = article_countries(&plain).into_iter().next().map(|(c, _)| c);
    for k in 0..out.len() {
        let Some(role) = out[k].ctx_role.clone() else { continue };
        let si = out[k].e.sentence_index;
        let same = |p: &Pending| p.ctx_role.is_none() && p.e.sentence_index == si && p.e.country.is_some() && p.e.kind != EntityKind::Region;
        let before = out[..k].iter().rev().find(|p| same(p)).and_then(|p| p.e.country.clone());
        let after = || out[k + 1..].iter().find(|p| same(p)).and_then(|p| p.e.country.clone());
        let country = before.or_else(after).or_else(|| top.clone());
        let e = &mut out[k].e;
        match country {
            Some(c) => {
                e.code = Some(format!("{c}{role}"));
                if let Some(name) = g.country_name(&c) {
                    e.name = format!("{name} {}", e.name);
                }
                e.country = Some(c);
            }
            None => e.code = Some(role),
        }
    }
}

/// Fills `text` from the original string (called by `recognize`).
pub(crate) fn set_texts(text: &str, ents: &mut [Entity]) {
    for e in ents {
        e.text = text[e.start..e.end].to_string();
    }
}
