//! Places as the last resort for the other side of an action: a place after a locative or
//! directional preposition ("in eastern Lebanon"), or a phrase with a name after a pattern's
//! own preposition ("in parts of Kashmir", "from the Golan Heights").

use super::super::text::Doc;
use super::phrase_at;

/// The first place named after a locative or directional preposition in `from..end` ("set up
/// field hospitals in Louisiana", "fired rockets into Israel", "attacks on the Gaza Strip"):
/// the last resort for the other side of an action no participant is named for. A region
/// counts when it lies in one country (the Gaza Strip, Kurdistan), not when it spans several
/// (the Middle East names no one acted on).
pub fn place(d: &Doc, from: usize, end: usize) -> Option<(usize, usize)> {
    (from..end).find_map(|k| {
        let (e, a, b) = d.ent_at(k)?;
        let ent = &d.ents[e as usize];
        // "in eastern Lebanon": a compass word may stand between.
        let p = match a {
            2.. if d.w(a - 1).ends_with("ern") => a - 1,
            _ => a,
        };
        let prep = p > 0
            && matches!(
                d.w(p - 1),
                "in" | "at" | "into" | "to" | "across" | "inside" | "over"
            );
        (a == k && prep && ent.country.is_some() && b <= end).then_some((a, b))
    })
}

/// The phrase after token `from` naming what an act leaves or acts on, a place or thing
/// with a name in it ("withdrew from the Golan Heights", "in parts of Kashmir"; not "in the
/// north").
pub fn named_place(d: &Doc, from: usize, end: usize) -> Option<(usize, usize)> {
    phrase_at(d, from, end, true).0.filter(|&(a, b)| {
        let start = d.sent_toks[d.toks[a].sent as usize].0;
        (a..b).any(|k| d.toks[k].ent.is_some() || (d.toks[k].cap && k > start))
    })
}
