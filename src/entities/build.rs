//! Entity constructors for the resolver: countries, places, dictionary actors, heuristic
//! names, and the choice among actors sharing a name (by the publication date).

use super::analysis::{Item, Pending};
use super::matcher::{Hit, Target};
use super::names::NameSpan;
use super::records::ActorKind;
use super::resolve::Resolver;
use super::types::{Entity, EntityKind};

impl<'a> Resolver<'a> {
    #[inline]
    pub(super) fn gap(&self, a: usize, b: usize) -> &[u8] {
        if b < a {
            return b"!";
        }
        &self.f.lower[a..b]
    }

    pub(super) fn entity(&self, kind: EntityKind, s: usize, e: usize, name: String) -> Entity {
        let (os, oe) = self.f.orig(s, e);
        Entity::new(kind, os, oe, name)
    }

    pub(super) fn admin_or_country(&self, h: &Hit) -> Option<Pending> {
        for t in &h.targets {
            match t {
                Target::Admin1(a) | Target::Admin1Abbr(a) => return Some(self.admin1(h, *a)),
                Target::Country(c) => return Some(self.country(h.start, h.end, *c)),
                _ => {}
            }
        }
        None
    }

    pub(super) fn is_person(&self, it: &Item) -> bool {
        match it {
            Item::Name(n) => n.person,
            Item::Hit(h) => h.targets.iter().any(|t| matches!(t, Target::Actor(a) if self.g.actors[*a as usize].kind == ActorKind::Person)),
        }
    }

    /// The dictionary actor a hit most likely means on the publication date.
    pub(super) fn pick_actor(&self, h: &Hit) -> Option<u32> {
        let actors: Vec<u32> = h
            .targets
            .iter()
            .filter_map(|t| {
                if let Target::Actor(a) = t {
                    Some(*a)
                } else {
                    None
                }
            })
            .collect();
        let dated = |a: &u32| {
            let r = self.g.actors[*a as usize].role_on(self.published);
            r.is_some_and(|r| r.dated())
        };
        actors.iter().find(|a| dated(a)).or(actors.first()).copied()
    }

    pub(super) fn actor_entity(&self, a: u32, s: usize, e: usize) -> Pending {
        let actor = &self.g.actors[a as usize];
        let kind = if actor.kind == ActorKind::Person {
            EntityKind::Person
        } else {
            EntityKind::Organization
        };
        let mut ent = self.entity(kind, s, e, actor.name.clone());
        if let Some(r) = actor.role_on(self.published) {
            ent.code = Some(
                self.retitled(&r.code, s, e)
                    .unwrap_or_else(|| r.code.clone()),
            );
            if !r.title.is_empty() {
                ent.role = Some(r.title.clone());
            }
        }
        ent.country = actor
            .country
            .map(|c| self.g.iso3(c).to_string())
            .or_else(|| {
                ent.code
                    .as_ref()
                    .and_then(|c| self.g.country_index(c.get(..3)?))
                    .map(|c| self.g.iso3(c).to_string())
            });
        Pending {
            e: ent,
            ctx_role: None,
        }
    }

    /// A person's dated role code corrected by the title the text gives them, if it needs
    /// correcting: "President Donald Trump" governs whatever the dictionary says of the
    /// publication date, "former President Barack Obama" no longer does (an elite). Only
    /// between a government role and the political ones a title can contradict (elite,
    /// legislator, opposition, party).
    fn retitled(&self, code: &str, s: usize, e: usize) -> Option<String> {
        let (country, sector) = (code.get(..3)?, code.get(3..6)?);
        let before = &self.f.lower[s.saturating_sub(24)..s];
        let span = &self.f.lower[s..e];
        const TITLES: &[&[u8]] = &[
            b"president ",
            b"prime minister ",
            b"premier ",
            b"chancellor ",
            b"foreign minister ",
            b"defense minister ",
            b"defence minister ",
            b"finance minister ",
            b"secretary of state ",
            b"foreign secretary ",
        ];
        // What comes before the title: the text before the mention, or before a title that
        // ends there.
        let lead = if TITLES.iter().any(|t| span.starts_with(t)) {
            before
        } else {
            let t = TITLES.iter().find(|t| before.ends_with(t))?;
            &before[..before.len() - t.len()]
        };
        let former = lead.ends_with(b"former ") || lead.ends_with(b"ex-");
        match (former, sector) {
            (false, "ELI" | "LEG" | "OPP" | "PTY") => Some(format!("{country}GOV")),
            (true, "GOV") => Some(format!("{country}ELI")),
            _ => None,
        }
    }

    pub(super) fn actor_hit(&self, h: &Hit) -> Option<Pending> {
        self.pick_actor(h)
            .map(|a| self.actor_entity(a, h.start, h.end))
    }

    pub(super) fn name(&self, n: &NameSpan) -> Pending {
        if let Some(a) = n.actor {
            return self.actor_entity(a, n.start, n.end);
        }
        let kind = if n.person {
            EntityKind::Person
        } else {
            EntityKind::Organization
        };
        let mut e = self.entity(kind, n.start, n.end, n.name.clone());
        e.country = n.country.map(|c| self.g.iso3(c).to_string());
        Pending { e, ctx_role: None }
    }

    pub(super) fn country(&self, s: usize, e: usize, c: u16) -> Pending {
        let cty = &self.g.countries[c as usize];
        let mut ent = self.entity(EntityKind::Country, s, e, cty.name.clone());
        ent.code = Some(cty.iso3.clone());
        ent.country = Some(cty.iso3.clone());
        ent.lat = cty.lat;
        ent.lon = cty.lon;
        Pending {
            e: ent,
            ctx_role: None,
        }
    }

    pub(super) fn admin1(&self, h: &Hit, a: u16) -> Pending {
        let ad = &self.g.admin1[a as usize];
        let mut e = self.entity(EntityKind::Place, h.start, h.end, ad.name.clone());
        e.country = Some(self.g.iso3(ad.country).to_string());
        e.admin1 = Some(ad.code.clone());
        e.geonames_id = ad.geonames_id;
        e.lat = ad.lat;
        e.lon = ad.lon;
        Pending { e, ctx_role: None }
    }

    pub(super) fn city(&self, h: &Hit, c: u32) -> Pending {
        let city = &self.g.cities[c as usize];
        let mut e = self.entity(EntityKind::Place, h.start, h.end, city.name.clone());
        e.country = Some(self.g.iso3(city.country).to_string());
        e.admin1 = (!city.admin1.is_empty()).then(|| city.admin1.clone());
        e.geonames_id = Some(city.geonames_id);
        e.lat = Some(city.lat);
        e.lon = Some(city.lon);
        Pending { e, ctx_role: None }
    }
}
