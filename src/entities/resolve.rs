//! Turns dictionary hits and heuristic names into coded entities: country + agent chains
//! ("Russian Foreign Ministry" -> RUSGOV, "Tehran's foreign ministry" -> IRNGOV, "US President
//! Donald Trump" -> USAGOV), titles before names, "X of <country>", capitals as metonyms,
//! context-taking agents, and places. Entity constructors live in `build.rs`.

use chrono::NaiveDate;

use super::analysis::{Item, Pending};
use super::context::{noun_use, SMALL_TOWN};
use super::fold::Folded;
use super::gazetteer::Gazetteer;
use super::matcher::{Hit, Target};
use super::places::{choose, is_metonym, locative_before, Evidence};
use super::records::{AgentKind, Scope};
use super::types::EntityKind;

pub(super) struct Resolver<'a> {
    pub(super) g: &'a Gazetteer,
    pub(super) f: &'a Folded,
    pub(super) published: Option<NaiveDate>,
    pub(super) ev: Evidence<'a>,
}

impl<'a> Resolver<'a> {
    pub(super) fn run(&self, items: &[Item]) -> Vec<Pending> {
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
                    if let Some(p) = self.single(
                        items,
                        i,
                        h,
                        qualifier.map(|q| match &items[q] {
                            Item::Hit(qh) => qh,
                            Item::Name(_) => unreachable!(),
                        }),
                    ) {
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
            && q.targets.iter().any(|t| {
                matches!(
                    t,
                    Target::Admin1(_) | Target::Admin1Abbr(_) | Target::Country(_)
                )
            }))
        .then_some(i + 1)
    }

    /// Country-like leader + agents (+ person): returns the next item index when it applies.
    fn chain(&self, items: &[Item], i: usize, out: &mut Vec<Pending>) -> Option<usize> {
        let Item::Hit(lead) = &items[i] else {
            return None;
        };
        let country = self.leader_country(lead, items.get(i + 1))?;
        let mut j = i + 1;
        let mut agents: Vec<u16> = Vec::new();
        let mut prev_end = lead.end;
        while let Some(Item::Hit(h)) = items.get(j) {
            let gap = self.gap(prev_end, h.start);
            let ok_gap = gap == b" "
                || (agents.is_empty() && (gap == b"'s " || gap == b"' " || ranked_possessive(gap)));
            let Some(a) = h.targets.iter().find_map(|t| {
                if let Target::Agent(a) = t {
                    Some(*a)
                } else {
                    None
                }
            }) else {
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
        let agent_code = agents
            .iter()
            .map(|a| &self.g.agents[*a as usize])
            .find(|a| !a.code.is_empty())
            .map(|a| a.code.clone());
        let phrase =
            String::from_utf8_lossy(&self.f.lower[items[i + 1].span().0..prev_end]).into_owned();
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
        let kind = if last.kind == AgentKind::Title {
            EntityKind::Person
        } else {
            EntityKind::Organization
        };
        let mut e = self.entity(
            kind,
            lead.start,
            prev_end,
            format!("{} {}", self.g.countries[country as usize].name, phrase),
        );
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
                Target::City(c) if self.g.cities[*c as usize].capital => {
                    return Some(self.g.cities[*c as usize].country)
                }
                Target::Admin1(a) => return Some(self.g.admin1[*a as usize].country),
                _ => {}
            }
        }
        None
    }

    /// One hit on its own. Returns the entity and the index of a person it absorbed (title + name).
    fn single(
        &self,
        items: &[Item],
        i: usize,
        h: &Hit,
        qualifier: Option<&Hit>,
    ) -> Option<(Pending, usize)> {
        let t = &h.targets;
        let has = |p: fn(&Target) -> bool| t.iter().any(p);
        let locative = locative_before(self.f, h.start);
        // Organisations that are also cities (Brussels): a place only after a locative word.
        if has(|t| matches!(t, Target::Actor(_)))
            && !(locative && has(|t| matches!(t, Target::City(_))))
        {
            return self.actor_hit(h).map(|p| (p, 0));
        }
        if let Some(a) = t.iter().find_map(|t| {
            if let Target::Agent(a) = t {
                Some(*a)
            } else {
                None
            }
        }) {
            return self.agent(items, i, h, a);
        }
        if has(|t| matches!(t, Target::Region(_))) {
            let Some(Target::Region(r)) = t.iter().find(|t| matches!(t, Target::Region(_))) else {
                return None;
            };
            let reg = &self.g.regions[*r as usize];
            let mut e = self.entity(EntityKind::Region, h.start, h.end, reg.name.clone());
            if reg.members.len() == 1 {
                e.country = Some(self.g.iso3(reg.members[0]).to_string());
            }
            e.lat = Some(reg.lat);
            e.lon = Some(reg.lon);
            return Some((Pending { e, ctx_role: None }, 0));
        }
        if let Some(c) = t.iter().find_map(|t| {
            if let Target::Adjective(c) = t {
                Some(*c)
            } else {
                None
            }
        }) {
            return Some((self.country(h.start, h.end, c), 0));
        }
        // Capitals used for their government.
        let capital = t.iter().find_map(|t| match t {
            Target::City(c) if self.g.cities[*c as usize].capital => Some(*c),
            _ => None,
        });
        if let Some(c) = capital {
            if qualifier.is_none()
                && !has(|t| matches!(t, Target::Country(_)))
                && is_metonym(self.f, h.start, h.end)
            {
                let country = self.g.cities[c as usize].country;
                let cname = &self.g.countries[country as usize].name;
                let mut e = self.entity(
                    EntityKind::Organization,
                    h.start,
                    h.end,
                    format!("{cname} government"),
                );
                e.code = Some(format!("{}GOV", self.g.iso3(country)));
                e.country = Some(self.g.iso3(country).to_string());
                e.role = Some("capital as government".into());
                return Some((Pending { e, ctx_role: None }, 0));
            }
        }
        // Country names shared with a city (Singapore) or a state (Georgia), or with another
        // country ("Congo": the one the article's other places point to, else the larger).
        if let Some(c) = t
            .iter()
            .filter_map(|t| match t {
                Target::Country(c) => Some(*c),
                _ => None,
            })
            .max_by_key(|c| {
                (
                    self.ev.countries.contains(c),
                    self.g.countries[*c as usize].population,
                    std::cmp::Reverse(*c),
                )
            })
        {
            let alt = t.iter().any(|t| matches!(t, Target::Admin1(_)));
            if !alt
                || matches!(
                    choose(self.g, h, &self.ev, qualifier),
                    Some(Target::Country(_)) | None
                )
            {
                return Some((self.country(h.start, h.end, c), 0));
            }
        }
        // Small towns (and names that are also words or given names) need a locative word or a
        // qualifier: "Staunton" alone is more likely a surname than the Virginia town.
        let needs_context = t.iter().all(|t| match t {
            Target::City(c) => {
                let c = &self.g.cities[*c as usize];
                c.needs_context || (c.population < SMALL_TOWN && !c.capital)
            }
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
                if gap == b" " {
                    let mut p = match next {
                        Item::Name(n) => self.name(n),
                        Item::Hit(nh) => self.actor_hit(nh)?,
                    };
                    p.e.start = self.f.orig(h.start, h.end).0;
                    if p.e.role.is_none() && !ag.code.is_empty() {
                        p.e.role = Some(
                            String::from_utf8_lossy(&self.f.lower[h.start..h.end]).into_owned(),
                        );
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
                if let Some(c) = n.targets.iter().find_map(|t| {
                    if let Target::Country(c) = t {
                        Some(*c)
                    } else {
                        None
                    }
                }) {
                    let iso3 = self.g.iso3(c);
                    let kind = if ag.kind == AgentKind::Title {
                        EntityKind::Person
                    } else {
                        EntityKind::Organization
                    };
                    let mut e = self.entity(
                        kind,
                        h.start,
                        n.end,
                        format!("{} {}", self.g.countries[c as usize].name, phrase),
                    );
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
        let kind = if ag.kind == AgentKind::Title {
            EntityKind::Person
        } else {
            EntityKind::Organization
        };
        let mut e = self.entity(kind, h.start, h.end, phrase.clone());
        e.role = Some(phrase);
        match ag.scope {
            Scope::Attached => None,
            Scope::Bare => {
                e.code = Some(ag.code.clone());
                Some((Pending { e, ctx_role: None }, 0))
            }
            Scope::Context => Some((
                Pending {
                    e,
                    ctx_role: Some(ag.code.clone()),
                },
                0,
            )),
        }
    }
}

/// "Spain's second largest union", "Kenya's main opposition party": a possessive and words
/// that rank or qualify what follows (ordinals, superlatives, a few adjectives) before an
/// agent.
fn ranked_possessive(gap: &[u8]) -> bool {
    let Some(rest) = gap
        .strip_prefix(b"'s ")
        .or_else(|| gap.strip_prefix(b"' "))
        .and_then(|r| r.strip_suffix(b" "))
    else {
        return false;
    };
    !rest.is_empty()
        && rest.split(|&b| b == b' ').all(|w| {
            w.ends_with(b"est")
                || matches!(
                    w,
                    b"second"
                        | b"third"
                        | b"fourth"
                        | b"main"
                        | b"leading"
                        | b"top"
                        | b"ruling"
                        | b"chief"
                        | b"new"
                        | b"former"
                        | b"powerful"
                        | b"influential"
                        | b"senior"
                )
        })
}
