//! Repeats of one event within an article collapse into one: the best-dated instance (as
//! PETRARCH collapses repeats within a story), keeping all sentence ids; then each event gets
//! its stable id.

use super::actors::{Actor, UNKNOWN};
use super::dates::Basis;
use super::events::Event;

/// Two mentions are the same actor: the same code, and for actors of unknown code (a noun
/// phrase standing in for an actor) the same words.
pub fn same_actor(x: &Actor, y: &Actor) -> bool {
    x.code == y.code && (x.code != UNKNOWN || x.text.eq_ignore_ascii_case(&y.text))
}

/// The same target: the same actor, or neither event has one.
pub fn same_target(x: Option<&Actor>, y: Option<&Actor>) -> bool {
    match (x, y) {
        (Some(x), Some(y)) => same_actor(x, y),
        (None, None) => true,
        _ => false,
    }
}

/// What identifies an actor in an event id: its code, or for an unknown actor its words; the
/// empty string for an event with no target.
fn actor_key(a: Option<&Actor>) -> String {
    let Some(a) = a else {
        return String::new();
    };
    if a.code == UNKNOWN {
        format!("{UNKNOWN}{}", a.text.to_ascii_lowercase())
    } else {
        a.code.clone()
    }
}

/// Collapses repeats of (source, target, code) within the article into the best-dated,
/// non-hypothetical instance, keeping every sentence id; then sets event ids.
pub fn collapse(events: Vec<Event>, article_id: &str) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    let rank = |e: &Event| {
        let basis = match e.date_basis {
            Basis::Explicit => 0,
            Basis::Relative => 1,
            Basis::Publication => 2,
        };
        (e.hypothetical, basis)
    };
    for e in events {
        match out.iter_mut().find(|x| {
            same_actor(&x.source, &e.source)
                && same_target(x.target.as_ref(), e.target.as_ref())
                && x.action.cameo == e.action.cameo
        }) {
            Some(x) => {
                let mut ids = std::mem::take(&mut x.sentence_ids);
                ids.extend(e.sentence_ids.iter().copied());
                if rank(&e) < rank(x) {
                    *x = e;
                }
                ids.sort_unstable();
                ids.dedup();
                x.sentence_ids = ids;
            }
            None => out.push(e),
        }
    }
    for e in &mut out {
        e.event_id = event_id(
            article_id,
            e.evidence.sentence_index,
            &actor_key(Some(&e.source)),
            &actor_key(e.target.as_ref()),
            &e.action.cameo,
        );
    }
    out
}

/// First 16 hex digits of SHA-256 over the article id, sentence index, source, target and code.
pub fn event_id(
    article_id: &str,
    sentence: usize,
    source: &str,
    target: &str,
    code: &str,
) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [article_id, &sentence.to_string(), source, target, code] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(&h.finalize()[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_ids_are_stable_and_distinct() {
        let a = event_id("seed-000", 3, "USAGOV", "IRNGOV", "164");
        assert_eq!(a.len(), 16);
        assert_eq!(a, event_id("seed-000", 3, "USAGOV", "IRNGOV", "164"));
        assert_ne!(a, event_id("seed-000", 3, "USAGOV", "IRNGOV", "163"));
        assert_ne!(
            event_id("a", 1, "b", "c", "d"),
            event_id("a", 1, "bc", "", "d")
        );
    }
}
