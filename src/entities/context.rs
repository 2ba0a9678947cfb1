//! Context for agents standing alone: whether a role noun heads its phrase ("police said")
//! or modifies another noun ("police station"), and which country it takes (nearest in the
//! sentence, else the article's most salient); also sentence indices and entity texts.

use super::analysis::Pending;
use super::fold::Folded;
use super::gazetteer::Gazetteer;
use super::salience::rank;
use super::types::{Entity, EntityKind, Sentence};

/// Cities below this population need place context to count as places.
pub(super) const SMALL_TOWN: u32 = 100_000;

/// Words after a role noun that show it heads its phrase ("police said", "troops in"), unlike
/// a modifier ("military action", "police station").
#[rustfmt::skip]
const AFTER_HEAD: &[&str] = &[
    "", "said", "says", "say", "has", "have", "had", "is", "are", "was", "were", "will", "would", "could",
    "can", "may", "might", "must", "should", "and", "or", "of", "in", "on", "at", "to", "for", "with",
    "from", "by", "who", "which", "that", "as", "also", "later", "then", "still", "did", "do", "does", "not",
    "into", "against", "near", "after", "during", "over", "across", "around", "report", "reported",
    "reports", "told", "tell", "opened", "fire", "fired", "used", "use", "arrest", "arrested", "detain",
    "detained", "kill", "killed", "clash", "clashed", "took", "take", "gathered", "marched", "began",
    "continue", "continued", "demand", "demanded", "stormed",
];

pub(super) fn noun_use(f: &Folded, e: usize) -> bool {
    let rest = f.lower[e..].trim_ascii_start();
    if rest.first().is_some_and(|c| !c.is_ascii_alphabetic()) || rest.is_empty() {
        return true;
    }
    let w = super::places::word_after(f, e);
    AFTER_HEAD.contains(&w) || (w.ends_with("ed") && w.len() > 4)
}

/// Sets text and sentence index, and gives context-taking agents the country of their context:
/// the nearest preceding entity with a country in the same sentence, else the nearest
/// following one there, else the article's most salient country. An agent called foreign
/// ("asked foreign governments", "foreign troops") is nobody's of the context: its role alone.
pub(super) fn fill_context(out: &mut [Pending], g: &Gazetteer, sentences: &[Sentence], text: &str) {
    let _ = g;
    for p in out.iter_mut() {
        let idx = sentences.partition_point(|s| s.end <= p.e.start);
        p.e.sentence_index = idx.min(sentences.len().saturating_sub(1));
    }
    if out.iter().all(|p| p.ctx_role.is_none()) {
        return;
    }
    let top = rank(out.iter().filter(|p| p.ctx_role.is_none()).map(|p| &p.e))
        .into_iter()
        .next()
        .map(|(c, _)| c);
    for k in 0..out.len() {
        let Some(role) = out[k].ctx_role.clone() else {
            continue;
        };
        let si = out[k].e.sentence_index;
        let same = |p: &Pending| {
            p.ctx_role.is_none()
                && p.e.sentence_index == si
                && p.e.country.is_some()
                && p.e.kind != EntityKind::Region
        };
        let before = out[..k]
            .iter()
            .rev()
            .find(|p| same(p))
            .and_then(|p| p.e.country.clone());
        let after = || {
            out[k + 1..]
                .iter()
                .find(|p| same(p))
                .and_then(|p| p.e.country.clone())
        };
        let foreign = text[..out[k].e.start]
            .trim_end()
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("foreign"));
        let country = if foreign {
            None
        } else {
            before.or_else(after).or_else(|| top.clone())
        };
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

/// An acronym the article defines ("the Rapid Support Forces (RSF)") means what the article
/// says wherever it is used, over whatever a dictionary gives it (RSF is also Reporters Without
/// Borders): every recognized mention of it takes the defining organisation's identity.
pub(crate) fn bind_defined_acronyms(text: &str, ents: &mut [Entity]) {
    let mut defined: Vec<(String, usize)> = Vec::new();
    for (i, e) in ents.iter().enumerate() {
        if e.kind != EntityKind::Organization {
            continue;
        }
        let rest = text[e.end..].trim_start_matches(' ');
        let Some(inner) = rest.strip_prefix('(') else {
            continue;
        };
        let Some(close) = inner.find(')') else {
            continue;
        };
        let abbr = &inner[..close];
        let acronym = (2..=8).contains(&abbr.len())
            && abbr
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'&')
            && abbr.bytes().any(|b| b.is_ascii_uppercase());
        if acronym && !e.text.eq_ignore_ascii_case(abbr) {
            defined.push((abbr.to_string(), i));
        }
    }
    for (abbr, i) in defined {
        let source = ents[i].clone();
        for e in ents.iter_mut().filter(|e| e.text == abbr) {
            e.kind = source.kind;
            e.name = source.name.clone();
            e.code = source.code.clone();
            e.country = source.country.clone();
            e.role = source.role.clone();
        }
    }
}
