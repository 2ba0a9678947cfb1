//! Where an event happened: a place named in its sentence, else the country of its target or
//! source.

use crate::entities::EntityKind;

use crate::stages::extract::actors::Actor;
use crate::stages::extract::coder::Hit;
use crate::stages::extract::PlacePrecision;

use super::{Ctx, Location};

impl<'a> Ctx<'a> {
    /// The place most tied to the action: a place in the sentence (one after "in/at/near"
    /// first, nearest the verb), else the target's or source's country.
    pub fn location(
        &self,
        si: usize,
        h: &Hit,
        source: &Actor,
        target: Option<&Actor>,
    ) -> Option<Location> {
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
        let c = target
            .and_then(|t| t.country.as_deref())
            .or(source.country.as_deref())?;
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
