//! Capitalized-name heuristics for people and organisations missing from the dictionaries:
//! a title or honorific followed by capitalized words ("Chairman Paul Volcker", "Mr Smith"),
//! a common given name followed by capitalized words ("Paul Volcker"), later mentions of a
//! known surname ("Volcker said"), and capitalized sequences ending in an organisation word
//! ("Marine Midland Banks Inc", "Iranian Oil Company", "Bank of Canada").

use super::fold::Folded;
use super::gazetteer::Gazetteer;
use super::matcher::{Hit, Target};
use super::records::{ActorKind, AgentKind};
use super::wordlists::*;

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

/// A word of the folded text in which names are sought: its byte span and
/// the gazetteer hit that starts at it, if any.
#[derive(Debug, Clone, Copy)]
struct NameWord {
    s: usize,
    e: usize,
    hit: Option<usize>,
}

fn tokenize(f: &Folded, hits: &[Hit]) -> Vec<NameWord> {
    let b = &f.cased;
    let mut out = Vec::with_capacity(b.len() / 5);
    let mut i = 0;
    let mut h = 0;
    while i < b.len() {
        let c = b[i];
        if !(c.is_ascii_alphanumeric() || c >= 0x80 || c == b'&') {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len()
            && (b[i].is_ascii_alphanumeric() || b[i] >= 0x80 || b[i] == b'-' || b[i] == b'&')
        {
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
        out.push(NameWord { s, e, hit });
    }
    out
}

/// The folded text as a string (it is valid UTF-8: built from a `&str` by ASCII substitutions).
fn cased_str(f: &Folded) -> &str {
    std::str::from_utf8(&f.cased).unwrap_or("")
}

fn word<'a>(cs: &'a str, t: &NameWord) -> &'a str {
    cs.get(t.s..t.e).unwrap_or("")
}

#[inline]
fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// A hit that only names places (may be overridden by a person name).
fn place_only(h: &Hit) -> bool {
    h.targets.iter().all(|t| {
        matches!(
            t,
            Target::City(_)
                | Target::Country(_)
                | Target::Adjective(_)
                | Target::Region(_)
                | Target::Admin1(_)
                | Target::Admin1Abbr(_)
        )
    })
}

fn is_actor_or_agent(h: &Hit) -> bool {
    h.targets
        .iter()
        .any(|t| matches!(t, Target::Actor(_) | Target::Agent(_)))
}

fn only_spaces(f: &Folded, a: usize, b: usize) -> bool {
    b >= a && f.cased[a..b].iter().all(|&c| c == b' ')
}

/// Capitalized name words from token `k` on (with particles inside), stopping at hits that are
/// not places, stop words and punctuation. Returns the end token (exclusive).
fn name_run(f: &Folded, cs: &str, toks: &[NameWord], hits: &[Hit], k: usize, max: usize) -> usize {
    let mut j = k;
    while j < toks.len() && j - k < max {
        let w = word(cs, &toks[j]);
        if j > k && !only_spaces(f, toks[j - 1].e, toks[j].s) {
            break;
        }
        let ok_hit = toks[j]
            .hit
            .is_none_or(|h| place_only(&hits[h]) && hits[h].end <= toks[j].e);
        let shouted = w.len() > 3 && w.chars().all(char::is_uppercase);
        let name_word = is_cap(w) && !is_stop_cap(w) && ok_hit && !shouted;
        let particle = j > k
            && NAME_PARTICLES.contains(&w)
            && j + 1 < toks.len()
            && is_cap(word(cs, &toks[j + 1]));
        if !(name_word || particle) {
            break;
        }
        j += 1;
    }
    j
}

pub fn find_names(g: &Gazetteer, f: &Folded, hits: &[Hit]) -> Vec<NameSpan> {
    let toks = tokenize(f, hits);
    let cs = cased_str(f);
    let mut out: Vec<NameSpan> = Vec::new();
    let mut taken = vec![false; toks.len()];
    let mut k = 0;
    let mut org_skip = 0;
    while k < toks.len() {
        let w = word(cs, &toks[k]);
        // Organisation: capitalized run ending in an organisation word.
        let org = if k >= org_skip {
            org_at(g, f, cs, &toks, hits, k)
        } else {
            Err(org_skip)
        };
        if let Err(skip) = org {
            org_skip = org_skip.max(skip);
        }
        if let Ok(span) = org {
            let end_tok = span.1;
            let country = (k..end_tok).filter_map(|j| toks[j].hit).find_map(|h| {
                hits[h].targets.iter().find_map(|t| match t {
                    Target::Country(c) | Target::Adjective(c) => Some(*c),
                    _ => None,
                })
            });
            let (s, e) = (toks[span.0].s, toks[end_tok - 1].e);
            out.push(NameSpan {
                start: s,
                end: e,
                person: false,
                name: text(f, s, e),
                actor: None,
                country,
            });
            (span.0..end_tok).for_each(|j| taken[j] = true);
            k = end_tok;
            continue;
        }
        // Person after a title or honorific hit.
        if let Some(h) = toks[k]
            .hit
            .filter(|&h| hits[h].end == toks[k].e && is_title(g, &hits[h]))
        {
            let next = k + 1;
            if next < toks.len()
                && toks[next]
                    .hit
                    .is_none_or(|h2| !is_actor_or_agent(&hits[h2]))
            {
                let gap_ok = f.cased[hits[h].end..toks[next].s] == *b" ";
                let end = name_run(f, cs, &toks, hits, next, 4);
                if gap_ok && end > next && !is_org_suffix(word(cs, &toks[end - 1])) {
                    push_person(f, &toks, &mut out, &mut taken, next, end);
                    k = end;
                    continue;
                }
            }
        }
        // Person starting with a common given name.
        if is_cap(w)
            && !taken[k]
            && g.first_names.contains(w)
            && toks[k].hit.is_none_or(|h| place_only(&hits[h]))
        {
            let end = name_run(f, cs, &toks, hits, k, 4);
            let last = if end > k {
                word(cs, &toks[end - 1])
            } else {
                ""
            };
            if end >= k + 2 && !is_place_noun(last) && !is_org_suffix(last) {
                push_person(f, &toks, &mut out, &mut taken, k, end);
                k = end;
                continue;
            }
        }
        k += 1;
    }
    coreference(g, f, cs, &toks, hits, &taken, &mut out);
    out.sort_by_key(|n| n.start);
    out
}

fn text(f: &Folded, s: usize, e: usize) -> String {
    String::from_utf8_lossy(&f.cased[s..e]).into_owned()
}

fn push_person(
    f: &Folded,
    toks: &[NameWord],
    out: &mut Vec<NameSpan>,
    taken: &mut [bool],
    a: usize,
    b: usize,
) {
    let (s, e) = (toks[a].s, toks[b - 1].e);
    out.push(NameSpan {
        start: s,
        end: e,
        person: true,
        name: text(f, s, e),
        actor: None,
        country: None,
    });
    (a..b).for_each(|j| taken[j] = true);
}

fn is_title(g: &Gazetteer, h: &Hit) -> bool {
    h.targets.iter().any(|t| match t {
        Target::Agent(a) => matches!(
            g.agents[*a as usize].kind,
            AgentKind::Title | AgentKind::Honorific
        ),
        _ => false,
    })
}

/// An organisation name starting at token `k`: (first token, end token exclusive), or else the
/// token before which no other start can find one (a run without organisation words).
fn org_at(
    g: &Gazetteer,
    f: &Folded,
    cs: &str,
    toks: &[NameWord],
    hits: &[Hit],
    k: usize,
) -> Result<(usize, usize), usize> {
    let w0 = word(cs, &toks[k]);
    if !is_cap(w0) || is_stop_cap(w0) || toks[k].hit.is_some_and(|h| is_actor_or_agent(&hits[h])) {
        return Err(0);
    }
    let mut j = k;
    let mut last_cap = k;
    let mut seen_suffix = None;
    while j < toks.len() && j - k < 7 {
        if j > k && !only_spaces(f, toks[j - 1].e, toks[j].s) {
            break;
        }
        let w = word(cs, &toks[j]);
        let hit = toks[j].hit.map(|h| &hits[h]);
        if hit.is_some_and(|h| {
            is_actor_or_agent(h) && !(j > k && is_org_suffix(w) && !is_title(g, h))
        }) {
            break;
        }
        if is_cap(w) && !is_stop_cap(w) {
            last_cap = j;
            if j > k && is_org_suffix(w) {
                seen_suffix = Some(j);
            }
        } else if !(CONNECTORS.contains(&w) && j > k) {
            break;
        } else if matches!(w, "of" | "for") {
            // "Bank of Canada", "Ministry for X"; not "Shares of Marine Midland".
            let prev = word(cs, &toks[j - 1]);
            if !is_org_prefix(prev) && !is_org_suffix(prev) {
                break;
            }
        }
        j += 1;
    }
    if let Some(sfx) = seen_suffix {
        // A suffix that is itself an agent ("Foreign Ministry") belongs to the agent rules.
        if toks[sfx].hit.is_some_and(|h| is_actor_or_agent(&hits[h])) {
            return Err(0);
        }
        return Ok((k, sfx + 1));
    }
    if is_org_prefix(w0) && last_cap >= k + 2 && word(cs, &toks[k + 1]) == "of" {
        return Ok((k, last_cap + 1));
    }
    // The run ended for a reason later starts share (not the length limit): skip it.
    Err(if j - k < 7 { j } else { 0 })
}

/// Later mentions of a surname seen in a full name earlier in the article.
fn coreference(
    g: &Gazetteer,
    _f: &Folded,
    cs: &str,
    toks: &[NameWord],
    hits: &[Hit],
    taken: &[bool],
    out: &mut Vec<NameSpan>,
) {
    let mut surnames: Vec<(String, String, Option<u32>, usize)> = Vec::new();
    for n in out.iter().filter(|n| n.person) {
        if let Some(last) = n
            .name
            .rsplit(' ')
            .next()
            .filter(|l| l.len() > 2 && n.name.contains(' ') && !is_not_surname(l))
        {
            surnames.push((last.to_string(), n.name.clone(), None, n.end));
        }
    }
    for h in hits {
        for t in &h.targets {
            if let Target::Actor(a) = t {
                let actor = &g.actors[*a as usize];
                if actor.kind == ActorKind::Person {
                    if let Some(last) = actor
                        .name
                        .rsplit(' ')
                        .next()
                        .filter(|l| l.len() > 2 && actor.name.contains(' '))
                    {
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
        let w = word(cs, t);
        if !is_cap(w) {
            continue;
        }
        if let Some((_, full, actor, _)) =
            surnames.iter().find(|(s, _, _, end)| s == w && *end <= t.s)
        {
            out.push(NameSpan {
                start: t.s,
                end: t.e,
                person: true,
                name: full.clone(),
                actor: *actor,
                country: None,
            });
        }
    }
}
