//! The gazetteer: countries, cities, admin1 divisions, regions, actors, agents and given names,
//! loaded once from data/ (and optionally PETRARCH dictionaries), with the pattern automaton
//! built over all their names. Share one `Gazetteer` across threads; it is immutable.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::matcher::Matcher;
use super::petrarch::{self, DictActor};
use super::records::*;

/// The gazetteer's data files (or the PETRARCH dictionaries) could not be
/// found, read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerLoadError {
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    DataDir(#[from] crate::data_files::DataDirError),
    #[error("{path}:{line}: {msg}")]
    Parse {
        path: PathBuf,
        line: usize,
        msg: String,
    },
}

/// All dictionaries and the automaton over their names.
#[derive(Debug)]
pub struct Gazetteer {
    pub(crate) countries: Vec<Country>,
    pub(crate) cities: Vec<City>,
    pub(crate) admin1: Vec<Admin1>,
    pub(crate) regions: Vec<Region>,
    pub(crate) actors: Vec<Actor>,
    pub(crate) agents: Vec<Agent>,
    pub(crate) first_names: HashSet<String>,
    pub(crate) cues: Vec<Cue>,
    pub(crate) by_iso3: HashMap<String, u16>,
    pub(crate) matcher: Matcher,
}

pub(crate) struct Tsv {
    path: PathBuf,
    text: String,
}

impl Tsv {
    fn open(dir: &Path, name: &str) -> Result<Tsv, GazetteerLoadError> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|source| GazetteerLoadError::Io {
            path: path.clone(),
            source,
        })?;
        Ok(Tsv { path, text })
    }

    /// Data rows as (1-based line number, columns), skipping comments and blank lines.
    fn rows(
        &self,
        min_cols: usize,
    ) -> impl Iterator<Item = Result<(usize, Vec<&str>), GazetteerLoadError>> + '_ {
        self.text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
            .map(move |(n, l)| {
                let cols: Vec<&str> = l.split('\t').collect();
                if cols.len() < min_cols {
                    return Err(self.err(
                        n + 1,
                        format!("expected {min_cols} columns, got {}", cols.len()),
                    ));
                }
                Ok((n + 1, cols))
            })
    }

    fn err(&self, line: usize, msg: String) -> GazetteerLoadError {
        GazetteerLoadError::Parse {
            path: self.path.clone(),
            line,
            msg,
        }
    }
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.trim().parse().ok()
}

impl Gazetteer {
    /// Loads every table under `data_dir` and builds the automaton.
    pub fn load(data_dir: &Path) -> Result<Gazetteer, GazetteerLoadError> {
        Self::load_with_dictionaries(data_dir, &[], &[])
    }

    /// Loads from the default data directory ([`crate::data_files::data_dir`]).
    pub fn load_default() -> Result<Gazetteer, GazetteerLoadError> {
        Self::load(&crate::data_files::data_dir()?)
    }

    /// Like [`Gazetteer::load`], adding users' PETRARCH/TABARI actor and agent dictionaries.
    /// Their entries extend the curated ones (a name in both keeps both candidates; the
    /// curated entry comes first).
    pub fn load_with_dictionaries(
        data_dir: &Path,
        actor_files: &[PathBuf],
        agent_files: &[PathBuf],
    ) -> Result<Gazetteer, GazetteerLoadError> {
        let countries = load_countries(&Tsv::open(data_dir, "countries.tsv")?)?;
        let by_iso3: HashMap<String, u16> = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.iso3.clone(), i as u16))
            .collect();
        let first_names: HashSet<String> =
            std::fs::read_to_string(data_dir.join("first_names.txt"))
                .map_err(|source| GazetteerLoadError::Io {
                    path: data_dir.join("first_names.txt"),
                    source,
                })?
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(|l| l.trim().to_string())
                .collect();
        let cities = load_cities(&Tsv::open(data_dir, "cities.tsv")?, &by_iso3)?;
        let admin1 = load_admin1(&Tsv::open(data_dir, "admin1.tsv")?, &by_iso3)?;
        let regions = load_regions(&Tsv::open(data_dir, "regions.tsv")?, &by_iso3)?;
        let mut actors = load_actors(
            &Tsv::open(data_dir, "actors.tsv")?,
            &by_iso3,
            ActorKind::Person,
        )?;
        actors.extend(load_actors(
            &Tsv::open(data_dir, "organizations.tsv")?,
            &by_iso3,
            ActorKind::Organization,
        )?);
        let mut agents = load_agents(&Tsv::open(data_dir, "agents.tsv")?)?;
        let cues = load_cues(&Tsv::open(data_dir, "cues.tsv")?, &by_iso3)?;
        for f in actor_files {
            let dict = petrarch::load_actors(f)?;
            actors.extend(dict.into_iter().map(|d| dict_actor(d, &by_iso3)));
        }
        for f in agent_files {
            agents.extend(petrarch::load_agents(f)?);
        }
        let mut g = Gazetteer {
            countries,
            cities,
            admin1,
            regions,
            actors,
            agents,
            first_names,
            cues,
            by_iso3,
            matcher: Matcher::default(),
        };
        g.matcher = Matcher::build(&g);
        Ok(g)
    }

    /// Number of (distinct, folded) names in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.matcher.pattern_count()
    }

    /// ISO3 code of a country index.
    pub(crate) fn iso3(&self, c: u16) -> &str {
        &self.countries[c as usize].iso3
    }

    /// Index of an ISO3 code.
    pub fn country_index(&self, iso3: &str) -> Option<u16> {
        self.by_iso3.get(iso3).copied()
    }

    /// All countries (current and historical), in data-file order.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// Canonical name of a country by ISO3 code.
    pub fn country_name(&self, iso3: &str) -> Option<&str> {
        self.country_index(iso3)
            .map(|i| self.countries[i as usize].name.as_str())
    }
}

fn dict_actor(d: DictActor, by_iso3: &HashMap<String, u16>) -> Actor {
    let country = d
        .roles
        .iter()
        .find_map(|r| by_iso3.get(r.code.get(..3).unwrap_or("")).copied());
    Actor {
        name: d.name,
        kind: ActorKind::Person,
        aliases: d.aliases,
        country,
        roles: d.roles,
    }
}

fn load_countries(t: &Tsv) -> Result<Vec<Country>, GazetteerLoadError> {
    let mut out = Vec::new();
    for row in t.rows(11) {
        let (_, c) = row?;
        out.push(Country {
            iso2: c[0].into(),
            iso3: c[1].into(),
            name: c[2].into(),
            aliases: list(c[3]),
            adjectives: list(c[4]),
            capital: c[5].into(),
            lat: num(c[6]),
            lon: num(c[7]),
            population: num(c[8]).unwrap_or(0),
            historical: c[9] == "historical",
        });
    }
    Ok(out)
}

fn country(
    t: &Tsv,
    line: usize,
    by_iso3: &HashMap<String, u16>,
    code: &str,
) -> Result<u16, GazetteerLoadError> {
    by_iso3
        .get(code)
        .copied()
        .ok_or_else(|| t.err(line, format!("unknown country {code:?}")))
}

fn load_cities(t: &Tsv, by_iso3: &HashMap<String, u16>) -> Result<Vec<City>, GazetteerLoadError> {
    let mut out = Vec::with_capacity(40_000);
    for row in t.rows(10) {
        let (n, c) = row?;
        let flags = c[9];
        out.push(City {
            geonames_id: num(c[0]).ok_or_else(|| t.err(n, "bad geonameid".into()))?,
            name: c[1].into(),
            ascii: if c[2].is_empty() {
                c[1].into()
            } else {
                c[2].into()
            },
            alt_names: list(c[3]),
            country: country(t, n, by_iso3, c[4])?,
            admin1: c[5].into(),
            lat: num(c[6]).unwrap_or(0.0),
            lon: num(c[7]).unwrap_or(0.0),
            population: num(c[8]).unwrap_or(0),
            capital: flags.contains('c'),
            needs_context: flags.contains('w') || flags.contains('n'),
        });
    }
    Ok(out)
}

fn load_admin1(t: &Tsv, by_iso3: &HashMap<String, u16>) -> Result<Vec<Admin1>, GazetteerLoadError> {
    let mut out = Vec::new();
    for row in t.rows(7) {
        let (n, c) = row?;
        out.push(Admin1 {
            code: c[0].into(),
            country: country(t, n, by_iso3, c[1])?,
            name: c[2].into(),
            abbreviations: list(c[3]),
            lat: num(c[4]),
            lon: num(c[5]),
            geonames_id: num(c[6]),
        });
    }
    Ok(out)
}

fn load_regions(
    t: &Tsv,
    by_iso3: &HashMap<String, u16>,
) -> Result<Vec<Region>, GazetteerLoadError> {
    let mut out = Vec::new();
    for row in t.rows(5) {
        let (n, c) = row?;
        let members = c[2]
            .split_whitespace()
            .map(|m| country(t, n, by_iso3, m))
            .collect::<Result<_, _>>()?;
        out.push(Region {
            name: c[0].into(),
            aliases: list(c[1]),
            members,
            lat: num(c[3]).unwrap_or(0.0),
            lon: num(c[4]).unwrap_or(0.0),
        });
    }
    Ok(out)
}

fn load_actors(
    t: &Tsv,
    by_iso3: &HashMap<String, u16>,
    kind: ActorKind,
) -> Result<Vec<Actor>, GazetteerLoadError> {
    let mut out = Vec::new();
    for row in t.rows(5) {
        let (n, c) = row?;
        let country = if c[3] == "-" || c[3].is_empty() {
            None
        } else {
            Some(country(t, n, by_iso3, c[3])?)
        };
        let roles = parse_codes(c[4]).map_err(|e| t.err(n, e))?;
        out.push(Actor {
            name: c[0].into(),
            kind,
            aliases: list(c[2]),
            country,
            roles,
        });
    }
    Ok(out)
}

fn load_cues(t: &Tsv, by_iso3: &HashMap<String, u16>) -> Result<Vec<Cue>, GazetteerLoadError> {
    let mut out = Vec::new();
    for row in t.rows(3) {
        let (n, c) = row?;
        let weight = num(c[2]).ok_or_else(|| t.err(n, "bad weight".into()))?;
        out.push(Cue {
            pattern: c[0].into(),
            country: country(t, n, by_iso3, c[1])?,
            weight,
        });
    }
    Ok(out)
}

fn load_agents(t: &Tsv) -> Result<Vec<Agent>, GazetteerLoadError> {
    let mut out = Vec::new();
    for row in t.rows(4) {
        let (n, c) = row?;
        let kind = match c[2] {
            "office" => AgentKind::Office,
            "group" => AgentKind::Group,
            "title" => AgentKind::Title,
            "honorific" => AgentKind::Honorific,
            k => return Err(t.err(n, format!("unknown agent kind {k:?}"))),
        };
        let scope = match c[3] {
            "ctx" => Scope::Context,
            "bare" => Scope::Bare,
            "attached" => Scope::Attached,
            s => return Err(t.err(n, format!("unknown agent scope {s:?}"))),
        };
        let a = Agent {
            pattern: c[0].into(),
            code: c[1].into(),
            kind,
            scope,
        };
        if let Some(p) = plural(&a.pattern) {
            out.push(Agent {
                pattern: p,
                ..a.clone()
            });
        }
        out.push(a);
    }
    Ok(out)
}
