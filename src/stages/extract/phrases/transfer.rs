//! The recipient of a transfer (aid, returned property) named after a long object.

use super::super::actors::{self, object, Actor, Side};
use super::super::coder::{Hit, Matches};
use super::super::events::Ctx;
use super::super::text::Kind;
use super::right;

/// Codes of a transfer to someone: aid (07), return of property (084).
pub(super) fn transfer(code: &str) -> bool {
    code.starts_with("07") || code.starts_with("084")
}

impl Ctx<'_> {
    /// "returned the paintings, including ..., to the government of Italy": a transfer's
    /// recipient after *to* past a long object, up to the next action or clause word.
    pub(super) fn recipient(&self, m: &Matches, h: &Hit, b: usize) -> Option<Actor> {
        let d = self.d;
        for k in h.end..b {
            let w = d.w(k);
            let action = m.hits.iter().any(|n| n.tok == k && n.verbal);
            if action
                || matches!(
                    w,
                    ";" | "but" | "while" | "after" | "before" | "because" | "when"
                )
            {
                return None;
            }
            if w != "to" || k + 1 >= b || d.toks[k + 1].kind != Kind::Word {
                continue;
            }
            let end = (k + 8).min(b);
            let r = object(d, k + 1, end, Side::Target, &[]);
            if let Some(r) = r.first().filter(|r| r.a <= k + 3) {
                return Some(actors::actor(d, *r));
            }
            if let Some(p) = right(d, k, end) {
                return Some(super::actor(d, p));
            }
        }
        None
    }
}
