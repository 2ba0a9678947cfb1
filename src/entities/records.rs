//! Row types of the gazetteer tables and the parsers for their text formats (the TSV files
//! under data/, documented in data/README.md).

use chrono::NaiveDate;

/// A country (current, or historical with an ISO 3166-3 code).
#[derive(Debug, Clone)]
pub struct Country {
    pub iso2: String,
    pub iso3: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub adjectives: Vec<String>,
    pub capital: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// GeoNames population (0 for historical states).
    pub population: u64,
    pub historical: bool,
}

/// A GeoNames city.
#[derive(Debug, Clone)]
pub struct City {
    pub geonames_id: u32,
    pub name: String,
    pub ascii: String,
    pub alt_names: Vec<String>,
    pub country: u16,
    pub admin1: String,
    pub lat: f64,
    pub lon: f64,
    pub population: u32,
    pub capital: bool,
    /// Name is also a lower-case English word or a common given name: needs place context.
    pub needs_context: bool,
}

/// A first-level administrative division (US states, Canadian provinces, Australian states).
#[derive(Debug, Clone)]
pub struct Admin1 {
    pub code: String,
    pub country: u16,
    pub name: String,
    pub abbreviations: Vec<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonames_id: Option<u32>,
}

/// A named region with its member countries.
#[derive(Debug, Clone)]
pub struct Region {
    pub name: String,
    pub aliases: Vec<String>,
    pub members: Vec<u16>,
    pub lat: f64,
    pub lon: f64,
}

/// Person or organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    Person,
    Organization,
}

/// A code valid over a date range (`from` inclusive, `to` exclusive; open ends allowed).
#[derive(Debug, Clone, PartialEq)]
pub struct RolePeriod {
    pub code: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub title: String,
}

impl RolePeriod {
    pub fn dated(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    pub fn covers(&self, d: NaiveDate) -> bool {
        self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d < t)
    }
}

/// A known actor from the curated files or a user dictionary.
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: String,
    pub kind: ActorKind,
    pub aliases: Vec<String>,
    pub country: Option<u16>,
    pub roles: Vec<RolePeriod>,
}

impl Actor {
    /// The role valid on `date`: the dated role covering it, else the undated default. Without a
    /// date, the current role: the dated role with an open end (latest start), else the default.
    pub fn role_on(&self, date: Option<NaiveDate>) -> Option<&RolePeriod> {
        let default = self.roles.iter().find(|r| !r.dated());
        match date {
            Some(d) => self
                .roles
                .iter()
                .filter(|r| r.dated() && r.covers(d))
                .max_by_key(|r| r.from)
                .or(default),
            None => self
                .roles
                .iter()
                .filter(|r| r.dated() && r.to.is_none())
                .max_by_key(|r| r.from)
                .or(default)
                .or_else(|| self.roles.last()),
        }
    }
}

/// What kind of role noun an agent is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentKind {
    Office,
    Group,
    Title,
    Honorific,
}

/// When an agent on its own yields an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Context,
    Bare,
    Attached,
}

/// A role noun ("foreign ministry" -> GOV).
#[derive(Debug, Clone)]
pub struct Agent {
    pub pattern: String,
    pub code: String,
    pub kind: AgentKind,
    pub scope: Scope,
}

/// A word that hints at a country without naming it (currency, legal form, institution).
#[derive(Debug, Clone)]
pub struct Cue {
    pub pattern: String,
    pub country: u16,
    pub weight: f64,
}

/// Parses "CODE [FROM..TO] [title]; ..." (dates ISO, either end may be empty).
pub fn parse_codes(spec: &str) -> Result<Vec<RolePeriod>, String> {
    let mut out = Vec::new();
    for part in spec.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let mut it = part.splitn(2, ' ');
        let code = it.next().unwrap_or_default().to_string();
        let rest = it.next().unwrap_or("").trim();
        let (range, title) = match rest.split_once(' ') {
            Some((r, t)) if r.contains("..") => (Some(r), t.trim()),
            _ if rest.contains("..") && !rest.contains(' ') => (Some(rest), ""),
            _ => (None, rest),
        };
        let (from, to) = match range {
            Some(r) => {
                let (a, b) = r.split_once("..").unwrap_or((r, ""));
                (parse_date(a)?, parse_date(b)?)
            }
            None => (None, None),
        };
        out.push(RolePeriod {
            code,
            from,
            to,
            title: title.to_string(),
        });
    }
    Ok(out)
}

fn parse_date(s: &str) -> Result<Option<NaiveDate>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|e| format!("bad date {s:?}: {e}"))
}

/// Splits a '|' list, dropping empty items.
pub fn list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

/// Regular English plural of the last word of a role noun.
pub fn plural(p: &str) -> Option<String> {
    const UNCOUNTABLE: &[&str] = &[
        "police",
        "media",
        "military",
        "press",
        "leadership",
        "judiciary",
        "customs",
        "navy",
    ];
    let last = p.rsplit(' ').next().unwrap_or(p);
    if p.ends_with('s')
        || UNCOUNTABLE.contains(&last)
        || p.ends_with('.')
        || p.chars().any(|c| c.is_uppercase())
    {
        return None;
    }
    let stem = &p[..p.len() - last.len()];
    let pl = if let Some(x) = last.strip_suffix("man") {
        format!("{x}men")
    } else if last.ends_with('y') && !last.ends_with("ey") && !last.ends_with("ay") {
        format!("{}ies", &last[..last.len() - 1])
    } else if last.ends_with("ch") || last.ends_with("sh") || last.ends_with('x') {
        format!("{last}es")
    } else {
        format!("{last}s")
    };
    Some(format!("{stem}{pl}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dated_codes_and_picks_by_date() {
        let roles = parse_codes(
            "USAGOV 2017-01-20..2021-01-20 President; USAGOV 2025-01-20.. President; USAELI",
        )
        .unwrap();
        assert_eq!(roles.len(), 3);
        let a = Actor {
            name: "T".into(),
            kind: ActorKind::Person,
            aliases: vec![],
            country: None,
            roles,
        };
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(a.role_on(d("2016-06-01")).unwrap().code, "USAELI");
        assert_eq!(a.role_on(d("2018-06-01")).unwrap().code, "USAGOV");
        assert_eq!(a.role_on(d("2021-01-20")).unwrap().code, "USAELI");
        assert_eq!(a.role_on(d("2026-01-13")).unwrap().title, "President");
        assert_eq!(a.role_on(None).unwrap().from, d("2025-01-20"));
        assert!(parse_codes("X 2020-13-01..").is_err());
        assert_eq!(
            parse_codes("AFGREB ..2021-08-15").unwrap()[0].to,
            d("2021-08-15")
        );
    }

    #[test]
    fn plurals() {
        assert_eq!(plural("ministry").as_deref(), Some("ministries"));
        assert_eq!(plural("policeman").as_deref(), Some("policemen"));
        assert_eq!(
            plural("human rights organisation").as_deref(),
            Some("human rights organisations")
        );
        assert_eq!(plural("police"), None);
        assert_eq!(plural("attorney").as_deref(), Some("attorneys"));
    }
}
