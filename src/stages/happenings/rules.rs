//! When two reports tell of the same happening: the aggregation rules, all of them here.
//!
//! Reports are first grouped by their [`key`]: the source and target at the level of country and
//! role, and the CAMEO root. Only reports with the same key can be one happening, so the key is
//! what the streaming shell partitions by. Within a key, two reports are [`compatible`] when
//! every one of these holds:
//!
//! - **Code**: the same CAMEO code, or one is a parent of the other (`190` "use conventional
//!   force, not specified" is the parent of `193`; `183` of `1831`). Siblings (`193`, `194`)
//!   are different happenings.
//! - **Date**: two day-precision dates at most `tolerance_days` apart; otherwise the coarser
//!   period (week, month) contains the finer one. A date the sentence does not give (the
//!   publication date stands in for it) only says the event happened by then: it stands for
//!   the horizon up to that day and must overlap the other report's date. A report dated only to
//!   a year, or not at all, cannot be placed in time closely enough and only joins reports of
//!   its own story (near copies of its article).
//! - **Text**: reports of different stories share at least two content words, and at least
//!   three tenths of the shorter sentence's ([`super::words`]): the dyad, a date and a vague
//!   code ("make an appeal", "consult") are shared by many happenings; what they are about is
//!   not.
//! - **Place**, for material actions (quad classes 2 and 4: aid, attacks, arrests ...): the
//!   same country where both name one; the same place where both name one below the country (a
//!   city, or a first-level division and a city inside it). A report without a place, or placed
//!   only in a region larger than a country, contradicts none. Verbal actions (quad classes 1
//!   and 3: statements, appeals, threats, accusations) are not compared by place: where a
//!   statement is reported from (the speaker's capital, the dateline, the country spoken of)
//!   varies from outlet to outlet and says nothing about which statement it was.
//! - **Report time**: reported at most `horizon` apart. A happening therefore stops taking
//!   reports a horizon after its first one: it is closed then.
//!
//! Compatibility is checked between every pair of reports of a happening (complete linkage),
//! so a chain of daily events never drifts into one happening, and every happening has one
//! deepest code and at most one specific place.

use super::report::{Dated, Party, Place, Report};
use chrono::{Duration, NaiveDate};

use super::words::shared;
use crate::stages::extract::{Basis, PlacePrecision, Precision};

/// The aggregation settings (`[happenings]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// How many days apart two day-precision dates of one happening may be.
    pub tolerance_days: i64,
    /// How long after its first report a happening keeps taking reports, in seconds.
    pub horizon_secs: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            tolerance_days: 1,
            horizon_secs: 7 * 86_400,
        }
    }
}

/// The actor code of an actor no dictionary knows (see `stages::extract`).
const UNKNOWN_ACTOR: &str = "---";

/// The aggregation key: `source|target|root`, each side as country + primary role: the first
/// six letters of its code (`USAGOV` for `USAGOVDIP`; `IRN` for the country itself), or its
/// whole code when it has no country (`IGOUNO`). An actor of unknown code (a bare noun phrase, "the
/// party") is no identity across articles, so its side is its words, lower-cased, scoped to the
/// report's story (near copies of one article). An event with no target has an empty target
/// side.
pub fn key(r: &Report) -> String {
    format!(
        "{}|{}|{}",
        side(&r.source, &r.story_id),
        r.target
            .as_ref()
            .map_or(String::new(), |t| side(t, &r.story_id)),
        r.action.root
    )
}

fn side(p: &Party, story: &str) -> String {
    if p.code == UNKNOWN_ACTOR {
        return format!("{UNKNOWN_ACTOR}{}@{story}", p.text.to_lowercase());
    }
    match &p.country {
        Some(c) if p.code.starts_with(c.as_str()) => p.code.chars().take(6).collect::<String>(),
        Some(c) => c.clone(),
        None => p.code.clone(),
    }
}

/// Which rule keeps two reports apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apart {
    Code,
    Date,
    Place,
    ReportTime,
    Text,
}

impl Rules {
    /// None when `a` and `b` can be reports of one happening (their keys being equal), else
    /// the first rule that keeps them apart.
    pub fn apart(&self, a: &Report, b: &Report) -> Option<Apart> {
        if !codes_compatible(&a.action.cameo, &b.action.cameo) {
            return Some(Apart::Code);
        }
        if !self.dates_compatible(a, b) {
            return Some(Apart::Date);
        }
        if material(a)
            && material(b)
            && !places_compatible(a.location.as_ref(), b.location.as_ref())
        {
            return Some(Apart::Place);
        }
        if let (Some(x), Some(y)) = (a.reported_at, b.reported_at) {
            if (x - y).abs() > self.horizon_secs {
                return Some(Apart::ReportTime);
            }
        }
        if a.story_id != b.story_id && !same_subject(&a.words, &b.words) {
            return Some(Apart::Text);
        }
        None
    }

    /// See the module documentation.
    pub fn compatible(&self, a: &Report, b: &Report) -> bool {
        self.apart(a, b).is_none()
    }

    fn dates_compatible(&self, a: &Report, b: &Report) -> bool {
        match (placed_in_time(&a.date), placed_in_time(&b.date)) {
            (Some(x), Some(y)) => self.periods_compatible(x, y),
            _ => a.story_id == b.story_id,
        }
    }

    fn periods_compatible(&self, x: &Dated, y: &Dated) -> bool {
        let stated = |d: &Dated| d.basis != Basis::Publication;
        if !stated(x) || !stated(y) {
            let (xa, xb) = self.span(x);
            let (ya, yb) = self.span(y);
            return xa <= yb && ya <= xb;
        }
        let day = |d: &Dated| d.first == d.last;
        if day(x) && day(y) {
            return (x.first - y.first).num_days().abs() <= self.tolerance_days;
        }
        let contains = |o: &Dated, i: &Dated| o.first <= i.first && i.last <= o.last;
        contains(x, y) || contains(y, x)
    }

    /// The days a date stands for: its period, and for a publication date the horizon up to
    /// it (with the tolerance after it).
    fn span(&self, d: &Dated) -> (NaiveDate, NaiveDate) {
        if d.basis == Basis::Publication {
            let back = Duration::seconds(self.horizon_secs);
            (d.first - back, d.last + Duration::days(self.tolerance_days))
        } else {
            (d.first, d.last)
        }
    }
}

/// Whether two sentences' content words say they are about the same thing.
fn same_subject(a: &[u32], b: &[u32]) -> bool {
    let n = shared(a, b);
    n >= 2 && n * 10 >= 3 * a.len().min(b.len())
}

/// The report's date when it is finer than a year.
fn placed_in_time(d: &Option<Dated>) -> Option<&Dated> {
    d.as_ref().filter(|d| d.precision != Precision::Year)
}

/// A code and its parent: `193` and `190` or `19`; `1831` and `183`. A three-digit code ending
/// in 0 is its root's "not specified" code, the parent of the root's other codes.
pub fn codes_compatible(a: &str, b: &str) -> bool {
    let (a, b) = (general(a), general(b));
    a.starts_with(b) || b.starts_with(a)
}

/// The code with a root's "not specified" digit dropped (`190` -> `19`).
pub fn general(code: &str) -> &str {
    match code.strip_suffix('0') {
        Some(root) if code.len() == 3 => root,
        _ => code,
    }
}

/// Aid, cooperation in deeds, force, coercion: quad classes 2 and 4.
fn material(r: &Report) -> bool {
    matches!(r.action.quad_class, 2 | 4)
}

fn places_compatible(a: Option<&Place>, b: Option<&Place>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    if a.precision == PlacePrecision::Region || b.precision == PlacePrecision::Region {
        return true;
    }
    if let (Some(x), Some(y)) = (&a.country, &b.country) {
        if x != y {
            return false;
        }
    }
    use PlacePrecision::{Admin1, City};
    match (a.precision, b.precision) {
        (City, City) => match (a.geonames_id, b.geonames_id) {
            (Some(x), Some(y)) => x == y,
            _ => a.name == b.name,
        },
        (Admin1, Admin1) => a.admin1 == b.admin1 && a.name == b.name,
        (City, Admin1) | (Admin1, City) => a.admin1.is_some() && a.admin1 == b.admin1,
        _ => true,
    }
}

/// How precisely a report places its event: higher is better.
pub fn place_rank(p: Option<&Place>) -> u8 {
    match p.map(|p| p.precision) {
        Some(PlacePrecision::City) => 4,
        Some(PlacePrecision::Admin1) => 3,
        Some(PlacePrecision::Country) => 2,
        Some(PlacePrecision::Region) => 1,
        None => 0,
    }
}

/// How well a report dates its event: higher is better (precision first, then an explicit
/// date over a relative one over the publication date).
pub fn date_rank(d: Option<&Dated>) -> u8 {
    let Some(d) = d else { return 0 };
    let p = match d.precision {
        Precision::Day => 4,
        Precision::Week => 3,
        Precision::Month => 2,
        Precision::Year => 1,
    };
    let b = match d.basis {
        Basis::Explicit => 2,
        Basis::Relative => 1,
        Basis::Publication => 0,
    };
    p * 3 + b
}
