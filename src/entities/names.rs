//! Capitalized-name heuristics for people and organisations missing from the dictionaries:
//! a title or honorific followed by capitalized words ("Chairman Paul Volcker", "Mr Smith"),
//! a common given name followed by capitalized words ("Paul Volcker"), later mentions of a
//! known surname ("Volcker said"), and capitalized sequences ending in an organisation word
//! ("Marine Midland Banks Inc", "Iranian Oil Company", "Bank of Canada").

use super::gazetteer::Gazetteer;
use super::matcher::{Hit, Target};
use super::normalize::Folded;
use super::records::{ActorKind, AgentKind};

/// A heuristic person or organisation (folded offsets).
#[derive(Debug, Clone)]
pub struct NameSpan {
    pub start: usize,
    pub end: usize,
    pub person: bool,
    pub name: String,
    /// A dictionary actor this mention refers to (surname coreference).
    pub actor: Option<u32>,
    /// Country found inside an organisation name.
    pub country: Option<u16>,
}

const ORG_SUFFIXES: &[&str] = &[
    "Inc", "Corp", "Co", "Ltd", "Plc", "PLC", "AG", "SA", "NV", "BV", "GmbH", "LLC", "LP", "Bank", "Banks", "Ministry",
    "Party", "Council", "Group", "Association", "Agency", "Commission", "Committee", "Institute", "University",
    "Federation", "Union", "Organisation", "Organization", "Authority", "Fund", "Board", "Exchange", "Company",
    "Corporation", "Holdings", "Trust", "Airlines", "Airways", "Motors", "Industries", "Bancorp", "Foundation",
    "Front", "Movement", "Brigades", "Systems", "Technologies", "Partners", "Securities", "Bureau", "Office",
    "Department", "Church", "Club", "Society", "Alliance", "League", "Coalition", "Network", "Service", "Services",
    "Energy", "Petroleum", "Oil", "Telecom", "Communications", "Railways", "Insurance", "Mining", "Steel",
];
const ORG_PREFIXES: &[&str] =
    &["Bank", "University", "Council", "Institute", "Association", "Federation", "Union", "Party", "Church", "Commission"];
const CONNECTORS: &[&str] =
    &["of", "and", "&", "for", "the", "de", "du", "da", "di", "del", "van", "von", "der", "bin", "al", "ibn", "la", "le"];
const NAME_PARTICLES: &[&str] = &["de", "da", "di", "del", "van", "von", "der", "bin", "al", "ibn", "la", "le", "du"];
/// Capitalized words that never start or continue a name.
const STOP_CAPS: &[&str] = &[
    "The", "A", "An", "In", "On", "At", "For", "But", "And", "Or", "If", "He", "She", "It", "They", "We", "I", "His",
    "Her", "Its", "Their", "This", "That", "These", "Those", "As", "By", "With", "From", "To", "After", "Before",
    "While", "When", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Reuters", "According",
    "Shr", "Net", "Revs", "Qtr", "Avg", "NOTE", "Mln", "Dlrs", "Pct", "Earlier", "Later", "Also", "Under", "Its",
];
/// Words after a given name that make a place or thing, not a person ("Jordan Valley").
const PLACE_NOUNS: &[&str] = &[
    "Valley", "Street", "Station", "Club", "River", "Lake", "Park", "Square", "City", "County", "State", "Province",
    "Sea", "Ocean", "Airport", "Bridge", "Tech", "Island", "Islands", "Bay", "Hills", "Mountains", "Road", "Avenue",
];

#[derive(Debug, Clone, Copy)]
struct Tok {
    s: usize,
    e: usize,
    hit: Option<usize>,
}

fn tokenize(f: &Folded, hits: &[Hit]) -> Vec<Tok> {
    let b = &f.cased;
    let mut out = Vec::new();
    let mut i = 0;
    let mut h = 0;
    while i < b.len() {
        let c = b[i];
        if !(c.is_ascii_alphanumeric() || c >= 0x80 || c == b'&') {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] >= 0x80 || b[i] == b'-' || b[i] == b'&') {
            i += 1;
        }
        let mut e = i;
        // Keep the dot of initials and dotted acronyms ("W.", "U.S.").
        if e < b.len() && b[e] == b'.' && (e - s == 1 || b[s..e].contains(&b'.')) {
            e += 1;
            i = e;
        }
        while h < hits.len() && hits[h].end <= s {
            h += 1;
        }
        let hit = (h < hits.len() && hits[h].start <= s && s < hits[h].end).then_some(h);
        out.push(Tok { s, e, hit });
    }
    out
}

fn word<'a>(f: &'a Folded, t: &Tok) -> &'a str {
    std::str::from_utf8(&f.cased[t.s..t.e]).unwrap_or("")
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// A hit that only names places (may be overridden by a person name).
fn place_only(h: &Hit) -> bool {
    h.targets.iter().all(|t| {
        matches!(t, Target::City(_) | Target::Country(_) | Target::Adjective(_) | Target::Region(_) | Target::Admin1(_) | Target::Admin1Abbr(_))
    })
}

fn is_actor_or_agent(h: &Hit) -> bool {
    h.targets.iter().any(|t| matches!(t, Target::Actor(_) | Target::Agent(_)))
}

fn only_spaces(f: &Folded, a: usize, b: usize) -> bool {
    b >= a && f.cased[a..b].iter().all(|&c| c == b' ')
}

/// Capitalized name words from token `k` on (with particles inside), stopping at hits that are
/// not places, stop words and punctuation. Returns the end token (exclusive).
fn name_run(f: &Folded, toks: &[Tok], hits: &[Hit], k: usize, max: usize) -> usize {
    let mut j = k;
    while j < toks.len() && j - k < max {
        let w = word(f, &toks[j]);
        if j > k && !only_spaces(f, toks[j - 1].e, toks[j].s) {
            break;
        }
        let ok_hit = toks[j].hit.is_none_or(|h| place_only(&hits[h]) && hits[h].end <= toks[j].e);
        if is_cap(w) && !STOP_CAPS.contains(&w) && ok_hit && !w.chars().all(|c| c.is_uppercase() && w.len() > 3) {
            j += 1;
        } else if j > k && NAME_PARTICLES.contains(&w) && j + 1 < toks.len() && is_cap(word(f, &toks[j + 1])) {
            j += 1;
        } else {
            break;
        }
    }
    j
}

pub fn find_names(g: &Gazetteer, f: &Folded, hits: &[Hit]) -> Vec<NameSpan> {
    let toks = tokenize(f, hits);
    let mut out: Vec<NameSpan> = Vec::new();
    let mut taken = vec![false; toks.len()];
    let mut k = 0;
    while k < toks.len() {
        let w = word(f, &toks[k]);
        // Organisation: capitalized run ending in an organisation word.
        if let Some(span) = org_at(g, f, &toks, hits, k) {
            let end_tok = span.1;
            let country = (k..end_tok).filter_map(|j| toks[j].hit).find_map(|h| {
                hits[h].targets.iter().find_map(|t| match t {
                    Target::Country(c) | Target::Adjective(c) => Some(*c),
                    _ => None,
                })
            });
            let (s, e) = (toks[span.0].s, toks[end_tok - 1].e);
            out.push(NameSpan { start: s, end: e, person: false, name: text(f, s, e), actor: None, country });
            (span.0..end_tok).for_each(|j| taken[j] = true);
            k = end_tok;
            continue;
        }
        // Person after a title or honorific hit.
        if let Some(h) = toks[k].hit.filter(|&h| hits[h].end == toks[k].e && is_title(g, &hits[h])) {
            let next = k + 1;
            if next < toks.len() && toks[next].hit.is_none_or(|h2| !is_actor_or_agent(&hits[h2])) {
                let gap_ok = f.cased[hits[h].end..toks[next].s].iter().all(|&c| c == b' ' || c == b'.');
                let end = name_run(f, &toks, hits, next, 4);
                if gap_ok && end > next && !ORG_SUFFIXES.contains(&word(f, &toks[end - 1])) {
                    push_person(f, &toks, &mut out, &mut taken, next, end);
                    k = end;
                    continue;
                }
            }
        }
        // Person starting with a common given name.
        if g.first_names.contains(w) && !taken[k] && toks[k].hit.is_none_or(|h| place_only(&hits[h])) {
            let end = name_run(f, &toks, hits, k, 4);
            let last = if end > k { word(f, &toks[end - 1]) } else { "" };
            if end >= k + 2 && !PLACE_NOUNS.contains(&last) && !ORG_SUFFIXES.contains(&last) {
                push_person(f, &toks, &mut out, &mut taken, k, end);
                k = end;
                continue;
            }
        }
        k += 1;
    }
    coreference(g, f, &toks, hits, &taken, &mut out);
    out.sort_by_key(|n| n.start);
    out
}

fn text(f: &Folded, s: usize, e: usize) -> String {
    String::from_utf8_lossy(&f.cased[s..e]).into_owned()
}

fn push_person(f: &Folded, toks: &[Tok], out: &mut Vec<NameSpan>, taken: &mut [bool], a: usize, b: usize) {
    let (s, e) = (toks[a].s, toks[b - 1].e);
    out.push(NameSpan { start: s, end: e, person: true, name: text(f, s, e), actor: None, country: None });
    (a..b).for_each(|j| taken[j] = true);
}

fn is_title(g: &Gazetteer, h: &Hit) -> bool {
    h.targets.iter().any(|t| match t {
        Target::Agent(a) => matches!(g.agents[*a as usize].kind, AgentKind::Title | AgentKind::Honorific),
        _ => false,
    })
}

/// An organisation name starting at token `k`: returns (first token, end token exclusive).
fn org_at(g: &Gazetteer, f: &Folded, toks: &[Tok], hits: &[Hit], k: usize) -> Option<(usize, usize)> {
    let w0 = word(f, &toks[k]);
    if !is_cap(w0) || STOP_CAPS.contains(&w0) || toks[k].hit.is_some_and(|h| is_actor_or_agent(&hits[h])) {
        return None;
    }
    let mut j = k;
    let mut last_cap = k;
    let mut seen_suffix = None;
    while j < toks.len() && j - k < 7 {
        if j > k && !only_spaces(f, toks[j - 1].e, toks[j].s) {
            break;
        }
        let w = word(f, &toks[j]);
        let hit = toks[j].hit.map(|h| &hits[h]);
        if hit.is_some_and(|h| is_actor_or_agent(h) && !(j > k && ORG_SUFFIXES.contains(&w) && !is_title(g, h))) {
            break;
        }
        if is_cap(w) && !STOP_CAPS.contains(&w) {
            last_cap = j;
            if j > k && ORG_SUFFIXES.contains(&w) {
                seen_suffix = Some(j);
            }
        } else if !(CONNECTORS.contains(&w) && j > k) {
            break;
        }
        j += 1;
    }
    if let Some(sfx) = seen_suffix {
        // A suffix that is itself an agent ("Foreign Ministry") belongs to the agent rules.
        if toks[sfx].hit.is_some_and(|h| is_actor_or_agent(&hits[h])) {
            return None;
        }
        // Extend with "of X" after prefixes like "Bank of Canada".
        return Some((k, sfx + 1));
    }
    if ORG_PREFIXES.contains(&w0) && last_cap >= k + 2 && word(f, &toks[k + 1]) == "of" {
        return Some((k, last_cap + 1));
    }
    None
}

/// Later mentions of a surname seen in a full name earlier in the article.
fn coreference(g: &Gazetteer, f: &Folded, toks: &[Tok], hits: &[Hit], taken: &[bool], out: &mut Vec<NameSpan>) {
    let mut surnames: Vec<(String, String, Option<u32>, usize)> = Vec::new();
    for n in out.iter().filter(|n| n.person) {
        if let Some(last) = n.name.rsplit(' ').next().filter(|l| l.len() > 2 && n.name.contains(' ')) {
            surnames.push((last.to_string(), n.name.clone(), None, n.end));
        }
    }
    for h in hits {
        for t in &h.targets {
            if let Target::Actor(a) = t {
                let actor = &g.actors[*a as usize];
                if actor.kind == ActorKind::Person {
                    if let Some(last) = actor.name.rsplit(' ').next().filter(|l| l.len() > 2 && actor.name.contains(' ')) {
                        surnames.push((last.to_string(), actor.name.clone(), Some(*a), h.end));
                    }
                }
            }
        }
    }
    if surnames.is_empty() {
        return;
    }
    for (k, t) in toks.iter().enumerate() {
        if taken[k] || t.hit.is_some_and(|h| !place_only(&hits[h])) {
            continue;
        }
        let w = word(f, t);
        if let Some((_, full, actor, _)) = surnames.iter().find(|(s, _, _, end)| s == w && *end <= t.s) {
            out.push(NameSpan { start: t.s, end: t.e, person: true, name: full.clone(), actor: *actor, country: None });
        }
    }
}
