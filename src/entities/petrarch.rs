//! Loader for PETRARCH/TABARI-format actor and agent dictionaries, so users can bring their own
//! (e.g. the Phoenix dictionaries). Supported syntax:
//!
//! * actors: an entry line `NAME_ [CODE DATES] # comment`, synonym lines `+NAME_`, code lines
//!   `\t[CODE DATES]`; DATES is `YYMMDD-YYMMDD`, `>YYMMDD`, `<YYMMDD` or 8-digit years
//!   (two-digit years <= 30 are 20xx); `[---]` is no code. A code of exactly a country's three
//!   letters marks a country name.
//! * agents: `NOUN_PHRASE {PLURAL} [~CODE]` with `{}` for "no plural" and substitution sets
//!   `!SET! = A, B, C` expanded wherever `!SET!` occurs.
//!
//! Underscores become spaces and names are title-cased, so they match under the same case
//! rules as the curated data. TABARI stems (no trailing `_`) are matched as whole words.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Duration, NaiveDate};

use super::gazetteer::GazetteerLoadError;
use super::records::{plural, Agent, AgentKind, RolePeriod, Scope};

/// One actor entry of a dictionary.
#[derive(Debug, Clone, PartialEq)]
pub struct DictActor {
    pub name: String,
    pub aliases: Vec<String>,
    pub roles: Vec<RolePeriod>,
}

fn read(path: &Path) -> Result<String, GazetteerLoadError> {
    let bytes = std::fs::read(path).map_err(|source| GazetteerLoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `VLADIMIR_PUTIN_` -> `Vladimir Putin`.
pub fn phrase(raw: &str) -> String {
    let words: Vec<String> = raw
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect();
    words.join(" ")
}

fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let (y, rest) = match s.len() {
        6 => {
            let yy: i32 = s[..2].parse().ok()?;
            (if yy <= 30 { 2000 + yy } else { 1900 + yy }, &s[2..])
        }
        8 => (s[..4].parse().ok()?, &s[4..]),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, rest[..2].parse().ok()?, rest[2..4].parse().ok()?)
}

/// Parses every `[CODE DATES]` group in `s`.
fn codes(s: &str) -> Vec<RolePeriod> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(a) = rest.find('[') {
        let Some(b) = rest[a..].find(']') else { break };
        let inner = rest[a + 1..a + b].trim();
        rest = &rest[a + b + 1..];
        let mut it = inner.split_whitespace();
        let code = it.next().unwrap_or("").trim_matches('~').to_string();
        if code.is_empty() || code.starts_with('-') {
            continue;
        }
        let (mut from, mut to) = (None, None);
        if let Some(d) = it.next() {
            if let Some(x) = d.strip_prefix('>') {
                from = date(x);
            } else if let Some(x) = d.strip_prefix('<') {
                to = date(x).map(|t| t + Duration::days(1));
            } else if let Some((x, y)) = d.split_once('-') {
                from = date(x);
                to = date(y).map(|t| t + Duration::days(1));
            }
        }
        out.push(RolePeriod {
            code,
            from,
            to,
            title: String::new(),
        });
    }
    out
}

/// Loads a PETRARCH `.actors` dictionary.
pub fn load_actors(path: &Path) -> Result<Vec<DictActor>, GazetteerLoadError> {
    let text = read(path)?;
    let mut out: Vec<DictActor> = Vec::new();
    for line in text.lines() {
        let body = line.split('#').next().unwrap_or("");
        if body.trim().is_empty() {
            continue;
        }
        let first = line.chars().next().unwrap_or(' ');
        if first == '+' {
            let name = phrase(body[1..].split('[').next().unwrap_or(""));
            if let (Some(cur), false) = (out.last_mut(), name.is_empty()) {
                cur.aliases.push(name);
                cur.roles.extend(codes(body));
            }
        } else if first.is_whitespace() {
            if let Some(cur) = out.last_mut() {
                cur.roles.extend(codes(body));
            }
        } else {
            let name = phrase(body.split('[').next().unwrap_or(""));
            if !name.is_empty() {
                out.push(DictActor {
                    name,
                    aliases: Vec::new(),
                    roles: codes(body),
                });
            }
        }
    }
    out.retain(|a| !a.roles.is_empty());
    Ok(out)
}

/// Loads a PETRARCH `.agents` dictionary as agents attached to countries.
pub fn load_agents(path: &Path) -> Result<Vec<Agent>, GazetteerLoadError> {
    let text = read(path)?;
    let mut sets: HashMap<String, Vec<String>> = HashMap::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let body = line.split('#').next().unwrap_or("").trim();
        if body.is_empty() {
            continue;
        }
        if body.starts_with('!') && body.contains('=') {
            let (k, v) = body.split_once('=').unwrap_or_default();
            sets.insert(
                k.trim().to_string(),
                v.split(',').map(|x| x.trim().to_string()).collect(),
            );
            continue;
        }
        // Entries without a code (a few in Phoenix) are skipped, as PETRARCH does.
        let Some(open) = body.find('[') else { continue };
        let Some(role) = codes(&body[open..]).into_iter().next() else {
            continue;
        };
        let head = &body[..open];
        let (noun, plural_spec) = match head.find('{') {
            Some(b) => (
                &head[..b],
                Some(head[b + 1..].split('}').next().unwrap_or("").trim()),
            ),
            None => (head, None),
        };
        for variant in expand(noun.trim(), &sets) {
            let p = phrase(&variant).to_lowercase();
            if p.is_empty() {
                continue;
            }
            let agent = Agent {
                pattern: p.clone(),
                code: role.code.clone(),
                kind: AgentKind::Group,
                scope: Scope::Attached,
            };
            match plural_spec {
                Some("") => {}
                Some(pl) => out.push(Agent {
                    pattern: phrase(pl).to_lowercase(),
                    ..agent.clone()
                }),
                None => {
                    if let Some(pl) = plural(&p) {
                        out.push(Agent {
                            pattern: pl,
                            ..agent.clone()
                        });
                    }
                }
            }
            out.push(agent);
        }
    }
    Ok(out)
}

/// Expands `!SET!` references (each occurrence independently, first occurrence first).
fn expand(s: &str, sets: &HashMap<String, Vec<String>>) -> Vec<String> {
    for (k, vals) in sets {
        if let Some(i) = s.find(k.as_str()) {
            return vals
                .iter()
                .flat_map(|v| expand(&format!("{}{}{}", &s[..i], v, &s[i + k.len()..]), sets))
                .collect();
        }
    }
    vec![s.to_string()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn parses_actor_entries_synonyms_and_dates() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        write!(
            f,
            "# comment\nVLADIMIR_PUTIN_  # CountryInfo.txt\n+PUTIN_\n+PRESIDENT_PUTIN_\n\t[RUSELI 700101-990809]\n\t[RUSGOV >080508]\n\
             KOFI_ANNAN_\t[IGOUNO 970101-061231] [ELI]\nNOBODY_\t[---]\nAFGHANISTAN_  [AFG]\n+AFGHAN_\n"
        )
        .unwrap();
        let a = load_actors(f.path()).unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].name, "Vladimir Putin");
        assert_eq!(a[0].aliases, vec!["Putin", "President Putin"]);
        assert_eq!(a[0].roles[0].from, NaiveDate::from_ymd_opt(1970, 1, 1));
        assert_eq!(a[0].roles[0].to, NaiveDate::from_ymd_opt(1999, 8, 10));
        assert_eq!(a[0].roles[1].from, NaiveDate::from_ymd_opt(2008, 5, 8));
        assert_eq!(a[1].roles.len(), 2);
        assert_eq!(a[2].roles[0].code, "AFG");
    }

    #[test]
    fn parses_agents_with_sets_and_plurals() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        write!(
            f,
            "!MINIST! = MINISTER, MINISTRY\nPOLICE_OFFICER [~COP]\nRIOT_POLICE {{}} [~COP]\n\
             CHAMBER_OF_COMMERCE {{CHAMBERS_OF_COMMERCE}} [~BUS]\n!MINIST! OF_DEFENCE [~GOVMIL]\n"
        )
        .unwrap();
        let a = load_agents(f.path()).unwrap();
        let pats: Vec<(&str, &str)> = a
            .iter()
            .map(|x| (x.pattern.as_str(), x.code.as_str()))
            .collect();
        assert!(pats.contains(&("police officers", "COP")));
        assert!(pats.contains(&("riot police", "COP")));
        assert!(!pats.iter().any(|p| p.0 == "riot polices"));
        assert!(pats.contains(&("chambers of commerce", "BUS")));
        assert!(pats.contains(&("ministry of defence", "GOVMIL")));
        assert!(pats.contains(&("minister of defence", "GOVMIL")));
    }
}
