//! What an act of force is aimed at when no participant is named: the place, building,
//! vehicle or installation it hit ("attacked a military base", "shelled the old city",
//! "airstrikes against a training camp"). Weapons, abstractions and other things that are
//! not hit ("set off bombs", "combatting terrorism") are not targets.

use super::super::coder::{Hit, Matches};
use super::super::text::Doc;
use super::phrase_at;

/// Codes of force: assault, fight, mass violence.
pub fn force(code: &str) -> bool {
    matches!(code.get(..2), Some("18" | "19" | "20"))
}

/// Head nouns of places, buildings, vehicles and installations an attack can hit.
const TARGET_NOUNS: &str = "base bases camp camps compound compounds headquarters embassy \
consulate mosque mosques church churches temple synagogue shrine school schools hospital \
hospitals clinic village villages town towns city cities district districts region regions \
area areas zone zones province border borders frontier post posts outpost outposts checkpoint \
checkpoints position positions target targets convoy convoys vehicle vehicles bus buses car \
cars truck trucks ship ships vessel vessels tanker tankers boat boats aircraft plane planes \
jet jets helicopter helicopters drone drones building buildings house houses home homes \
office offices station stations airport airports airbase port ports harbour harbor bridge \
bridges road roads highway market markets facility facilities plant plants refinery \
refineries pipeline pipelines field fields stronghold strongholds bastion enclave enclaves \
barracks garrison territory territories neighbourhood neighborhood neighbourhoods \
neighborhoods quarter suburb suburbs capital strip bank island islands hotel hotels prison \
prisons jail court parliament ministry palace reactor site sites depot depots installation \
installations infrastructure network networks system systems grid server servers website \
websites hideout hideouts den dens tunnel tunnels warehouse warehouses mall restaurant \
cafe stadium university campus rally procession march gathering wedding funeral";

/// The phrase's last word names something an attack can hit, or the phrase names it.
fn hittable(d: &Doc, (a, b): (usize, usize)) -> bool {
    let head = d.w(b - 1);
    TARGET_NOUNS.split_whitespace().any(|w| w == head)
        || (a..b).any(|k| d.toks[k].ent.is_some() || d.toks[k].cap)
}

/// The thing a verb of force hits, from `from`: the first phrase, or when that holds the
/// event noun of a light verb ("launched a massive attack on the old city"), the phrase after
/// the noun's preposition, or when it opens with a gerund, the gerund's object.
pub fn thing(d: &Doc, m: &Matches, from: usize, end: usize) -> Option<(usize, usize)> {
    let (np, stop) = phrase_at(d, from, end, true);
    let (a, b) = np?;
    let Some(n) = m.hits.iter().find(|n| n.tok >= a && n.tok < b) else {
        return np.filter(|&p| hittable(d, p));
    };
    // "resumed attacking government positions": the gerund's own object.
    if n.verbal && n.tok + 1 < b {
        return phrase_at(d, n.tok + 1, end, true)
            .0
            .filter(|&p| hittable(d, p));
    }
    let opens = stop < end && matches!(d.w(stop), "on" | "against" | "at" | "upon" | "into");
    opens
        .then(|| phrase_at(d, stop, end, true).0)
        .flatten()
        .filter(|&p| hittable(d, p))
}

/// The thing an event noun of force is aimed at ("attacks on the rebel-held district",
/// "airstrikes against a training camp"): the phrase after its *on / against / at / upon*.
pub fn object(d: &Doc, h: &Hit, end: usize) -> Option<(usize, usize)> {
    let opens = h.end < end && matches!(d.w(h.end), "on" | "against" | "at" | "upon");
    (force(&h.code) && opens)
        .then(|| phrase_at(d, h.end, end, true).0)
        .flatten()
        .filter(|&p| hittable(d, p))
}
