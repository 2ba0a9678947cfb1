//! The keywords of pattern lines: what must occur in the window after a head ("+sanctions",
//! "+negotiat*", "+military_action"), and the filters that let the coder skip lines without
//! reading them.

use super::{FastMap, WordHasher};

/// One alternative of a keyword: consecutive tokens, each exact or a prefix (`negotiat*`).
#[derive(Debug, Clone)]
pub struct Kw(pub Vec<(String, bool)>);

/// One keyword element's alternatives, indexed: exact single words by their id in
/// `Lexicon::kw_ids` (sorted), phrases by the id of their first word, prefixes listed.
/// Converted dictionaries have hundreds of alternatives per element; the window's words are
/// looked up once, not per line.
#[derive(Debug, Clone, Default)]
pub struct KwSet {
    pub exact: Vec<u32>,
    pub phrases: Vec<(u32, Kw)>,
    pub prefixes: Vec<Kw>,
    /// Bloom filter of the exact and phrase-start ids ([`id_bit`]): a window whose own filter
    /// shares no bit with it holds none of them.
    pub bloom: IdBloom,
}

/// One bit of 64 chosen by the word's hash: `next` filters of lexicon entries hold the bits
/// of the words allowed after a head word.
pub fn word_bit(w: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = WordHasher::default();
    h.write(w.as_bytes());
    1 << (h.finish() >> 58)
}

/// A 256-bit set of keyword ids, each id at bit `id % 256`.
pub type IdBloom = [u64; 4];

/// Adds keyword id `id` to `b`.
pub fn id_bit(b: &mut IdBloom, id: u32) {
    b[(id as usize >> 6) & 3] |= 1 << (id & 63);
}

impl KwSet {
    /// The set of one keyword element (`a|b_c|d*`), giving new one-word keywords their ids.
    pub(super) fn parse(spec: &str, ids: &mut FastMap<String, u32>) -> KwSet {
        let mut set = KwSet::default();
        let mut id = |w: &str| match ids.get(w) {
            Some(&id) => id,
            None => {
                let next = ids.len() as u32 + 1;
                ids.insert(w.to_string(), next);
                next
            }
        };
        for alt in spec.split('|').filter(|a| !a.is_empty()) {
            // A plain word needs no `Kw` of its own: only its id is kept.
            if !alt.contains('_') && !alt.ends_with('*') {
                set.exact.push(id(alt));
                continue;
            }
            let k = kw(alt).swap_remove(0);
            match k.0.first() {
                Some((w, false)) => {
                    let first = id(w);
                    set.phrases.push((first, k));
                }
                _ => set.prefixes.push(k),
            }
        }
        set.exact.sort_unstable();
        set.exact.dedup();
        set.phrases.sort_by_key(|p| p.0);
        for id in set.exact.iter().chain(set.phrases.iter().map(|p| &p.0)) {
            id_bit(&mut set.bloom, *id);
        }
        set
    }

    /// The first window offset where an alternative occurs (`ids`: the window words' ids,
    /// `bloom`: their filter).
    pub fn find(&self, ids: &[u32], ws: &[&str], bloom: &IdBloom) -> Option<usize> {
        if self.prefixes.is_empty() && (0..4).all(|j| self.bloom[j] & bloom[j] == 0) {
            return None;
        }
        (0..ws.len()).find(|&i| {
            let id = ids[i];
            (id != 0
                && (self.exact.binary_search(&id).is_ok() || {
                    let from = self.phrases.partition_point(|p| p.0 < id);
                    self.phrases[from..]
                        .iter()
                        .take_while(|p| p.0 == id)
                        .any(|p| kw_at(&p.1, ws, i))
                }))
                || self.prefixes.iter().any(|k| kw_at(k, ws, i))
        })
    }
}

pub(super) fn kw(s: &str) -> Vec<Kw> {
    s.split('|')
        .filter(|a| !a.is_empty())
        .map(|a| {
            Kw(a.split('_')
                .map(|t| match t.strip_suffix('*') {
                    Some(p) => (p.to_string(), true),
                    None => (t.to_string(), false),
                })
                .collect())
        })
        .collect()
}

/// True when a keyword alternative matches at token words `ws[i..]`.
pub fn kw_at(k: &Kw, ws: &[&str], i: usize) -> bool {
    k.0.iter().enumerate().all(|(j, (t, prefix))| {
        ws.get(i + j).is_some_and(|w| {
            // Most words differ from the keyword in their first byte: decide
            // those inline, without a call to memcmp (a hot loop of the coder).
            if let (Some(a), Some(b)) = (w.as_bytes().first(), t.as_bytes().first()) {
                if a != b {
                    return false;
                }
            }
            if *prefix {
                w.starts_with(t.as_str())
            } else {
                *w == t
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_prefix_and_multiword() {
        let k = &kw("negotiat*|military_action")[..];
        let ws = ["the", "negotiations", "military", "action"];
        assert!(kw_at(&k[0], &ws, 1));
        assert!(kw_at(&k[1], &ws, 2));
        assert!(!kw_at(&k[1], &ws, 1));
    }
}
