//! Who did it and to whom: the source and target actors of an action, read from the sentence
//! around its verb or noun. Subjects are the nearest eligible actor to the left (skipping actors
//! inside prepositional phrases, following "who/which" to their antecedent, inheriting the
//! subject of a coordinated verb: "Russia criticised A and denounced B"); objects are the first
//! eligible actor in the clause to the right; coordination ("the US and Israel") gives several;
//! pronouns resolve to the nearest fitting earlier actor; "according to X" / "X said" give the
//! sentence's speaker.

use serde::Serialize;

use crate::entities::{Entity, EntityKind};

use super::text::{
    is_adverb, is_aux, is_determiner, is_negator, is_preposition, is_pronoun, Doc, Kind,
};

mod group;
mod pronouns;
pub use group::{appositive_start, group_start};
use pronouns::reported_speaker;
pub use pronouns::{pronoun, reporting_group};

/// The code of an actor no dictionary knows (PETRARCH's convention): a noun phrase in the
/// subject or object position ("white farmers", "the party") with no country of its own.
pub const UNKNOWN: &str = "---";

/// An actor taking part in an event (the record's `source` / `target`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actor {
    pub text: String,
    pub code: String,
    pub country: Option<String>,
    pub role: Option<String>,
    pub name: String,
    /// Byte span of the mention in the body (the pronoun for a resolved pronoun); None when
    /// the actor is inferred (the government a protest is aimed at).
    #[serde(skip)]
    pub span: Option<(usize, usize)>,
}

/// A mention in the token stream: the entity and the tokens that refer to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ref {
    pub ent: u32,
    pub a: usize,
    pub b: usize,
}

/// The actor code of an entity, when it can act: a coded person, organisation or country.
pub fn code_of(e: &Entity) -> Option<&str> {
    match e.kind {
        EntityKind::Place | EntityKind::Region => None,
        _ => e
            .code
            .as_deref()
            .filter(|c| !c.is_empty())
            .or(e.country.as_deref()),
    }
}

pub fn actor(d: &Doc, r: Ref) -> Actor {
    let e = &d.ents[r.ent as usize];
    let (s, en) = (d.toks[r.a].s, d.toks[r.b - 1].e);
    let code = d.code(r.ent).unwrap_or_default().to_string();
    let capital = e.kind == EntityKind::Place;
    // A resolved pronoun is named by its antecedent's words; its span stays the pronoun's.
    let (ea, eb) = d.ent_toks[r.ent as usize];
    let pronoun = r.b <= ea || r.a >= eb;
    Actor {
        text: if pronoun {
            e.text.clone()
        } else {
            d.text[s..en].to_string()
        },
        country: e.country.clone(),
        role: if capital {
            Some("capital as government".to_string())
        } else {
            e.role.clone()
        },
        name: if capital {
            format!("{} ({code})", e.name)
        } else {
            e.name.clone()
        },
        code,
        span: Some((s, en)),
    }
}

/// Role nouns after which "of X" names an actor ("the leader of Hamas", "forces of Russia").
fn role_before_of(w: &str) -> bool {
    matches!(
        w,
        "leader"
            | "leaders"
            | "head"
            | "chief"
            | "president"
            | "members"
            | "member"
            | "forces"
            | "troops"
            | "supporters"
            | "officials"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "minister"
            | "government"
            | "army"
            | "police"
            | "fighters"
            | "militants"
            | "delegation"
            | "ambassador"
            | "representatives"
            | "envoy"
            | "soldiers"
            | "allies"
            | "foreign"
            | "secretary"
            | "navy"
            | "military"
            | "authorities"
    )
}

/// Prepositions that put an actor inside a phrase that cannot be a subject (unlike "after"
/// or "as", which also start clauses).
fn subject_blocking(p: &str) -> bool {
    is_preposition(p)
        && !matches!(
            p,
            "after" | "before" | "since" | "until" | "as" | "than" | "like"
        )
}

/// Is the entity covering tokens a..b usable as an actor here, given the word before it?
fn eligible(d: &Doc, a: usize, role: Side, allowed: &[String]) -> bool {
    if d.in_dateline(a) {
        return false;
    }
    if a == 0 {
        return true;
    }
    let mut p = d.w(a - 1);
    let mut p2 = if a >= 2 { d.w(a - 2) } else { "" };
    // "the ambassador to the African Union said", "condemnation of the Israeli minister": for
    // a subject and a noun's target, the preposition before the article counts.
    if matches!(role, Side::Subject | Side::NounTarget) && matches!(p, "the" | "a" | "an") && a >= 2
    {
        p = p2;
        p2 = if a >= 3 { d.w(a - 3) } else { "" };
    }
    if p == "to" && p2 == "according" {
        return false;
    }
    if p == "of" {
        let quantity = matches!(
            p2,
            "thousands"
                | "hundreds"
                | "dozens"
                | "scores"
                | "millions"
                | "tens"
                | "group"
                | "groups"
                | "crowd"
                | "crowds"
                | "number"
        ) || (a >= 2 && d.toks[a - 2].kind == Kind::Num);
        return role != Side::Subject || role_before_of(p2) || quantity;
    }
    match role {
        Side::Subject => !subject_blocking(p),
        Side::Target => {
            // "in western Kabul": a compass word keeps the place after a locative a place.
            let compass =
                p.ends_with("ern") || matches!(p, "central" | "north" | "south" | "east" | "west");
            let p = if compass { p2 } else { p };
            !super::text::is_locative(p) || allowed.iter().any(|x| x == p)
        }
        Side::NounTarget => {
            matches!(
                p,
                "against"
                    | "on"
                    | "upon"
                    | "with"
                    | "to"
                    | "toward"
                    | "towards"
                    | "at"
                    | "into"
                    | "of"
                    | "between"
                    | "and"
                    | "over"
                    | "from"
            ) || allowed.iter().any(|x| x == p)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Subject,
    Target,
    NounTarget,
}

/// The actor entity starting or covering token `i`, if it can act.
pub fn actor_at(d: &Doc, i: usize) -> Option<Ref> {
    let (e, a, b) = d.ent_at(i)?;
    d.code(e)?;
    Some(prefer_specific(d, Ref { ent: e, a, b }))
}

/// "his Russian counterpart Vladimir Putin" (or ", Vladimir Putin,"): a bare country adjective
/// followed closely by a more specific actor of the same country stands for that actor; not across a verb ("Russia
/// freed the activists": the activists, of Russia by context, are the object).
fn prefer_specific(d: &Doc, r: Ref) -> Ref {
    let e = &d.ents[r.ent as usize];
    if e.kind != EntityKind::Country {
        return r;
    }
    for k in r.b..(r.b + 3).min(d.toks.len()) {
        if let Some((e2, a2, b2)) = d.ent_at(k) {
            let x = &d.ents[e2 as usize];
            if e2 != r.ent && x.country == e.country && d.code(e2).is_some_and(|c| c.len() > 3) {
                return Ref {
                    ent: e2,
                    a: r.a,
                    b: b2.max(a2),
                };
            }
            break;
        }
        let verb = d.tags.get(k).is_some_and(|t| t.is_verb());
        // "his Russian counterpart, Sergei Lavrov,": the comma of the appositive name.
        let appositive =
            d.w(k) == "," && k > 0 && matches!(d.w(k - 1), "counterpart" | "counterparts");
        if !appositive
            && (verb || d.toks[k].kind == Kind::Punct || d.toks[k].cap && !d.toks[k].caps)
        {
            break;
        }
    }
    r
}

/// More actors joined to the one ending at token `b`: "the US and Israel", "Russia, China and
/// Iran", "particularly the US".
pub fn coordinated_right(d: &Doc, mut b: usize, end: usize) -> Vec<Ref> {
    let mut out = Vec::new();
    loop {
        let mut k = b;
        let mut saw_link = false;
        while k < end && k < b + 4 {
            let w = d.w(k);
            if matches!(
                w,
                "and"
                    | "or"
                    | ","
                    | "&"
                    | "as"
                    | "well"
                    | "particularly"
                    | "especially"
                    | "including"
                    | "notably"
                    | "such"
                    | "both"
                    | "plus"
            ) {
                saw_link = true;
                k += 1;
            } else if is_determiner(w) && saw_link {
                k += 1;
            } else {
                break;
            }
        }
        if !saw_link || k >= end {
            return out;
        }
        match actor_at(d, k) {
            Some(r) if r.a == k => {
                out.push(r);
                b = r.b;
            }
            _ => return out,
        }
    }
}

/// Actors joined before the one starting at token `a` ("the US and Israel attacked").
pub fn coordinated_left(d: &Doc, mut a: usize, start: usize) -> Vec<Ref> {
    let mut out = Vec::new();
    while a > start + 1 {
        // "Canada and the United Kingdom", "Abe and his Chinese counterpart": an article or a
        // possessive may open the later conjunct.
        let j = if matches!(d.w(a - 1), "the" | "his" | "her" | "their" | "its")
            && a > start + 2
            && d.w(a - 2) == "and"
        {
            a - 1
        } else {
            a
        };
        let w = d.w(j - 1);
        if !matches!(w, "and" | "," | "or") {
            break;
        }
        let mut k = j - 1;
        while k > start && matches!(d.w(k - 1), "," | "and" | "the") {
            k -= 1;
        }
        if k == start {
            break;
        }
        match d.ent_at(k - 1) {
            Some((e, ea, eb)) if d.code(e).is_some() && eligible(d, ea, Side::Subject, &[]) => {
                out.push(Ref {
                    ent: e,
                    a: ea,
                    b: eb,
                });
                a = ea;
            }
            _ => break,
        }
    }
    out.reverse();
    out
}

/// Token `k` follows "of / into / against / on" after a common noun that follows the verb at
/// `from` ("launched an investigation of Flynn", "a probe into Haddad"): what it names is
/// what the noun is about.
fn names_what_precedes(d: &Doc, k: usize, from: usize) -> bool {
    k >= from + 2
        && matches!(d.w(k - 1), "of" | "into" | "against" | "on")
        && !crate::stages::extract::dates::is_month_or_weekday(d.w(k))
        && (from..k - 1).all(|j| common_word(d, j) || is_determiner(d.w(j)))
}

/// The first eligible actor (with its coordinated partners) in tokens `from..end`.
pub fn object(d: &Doc, from: usize, end: usize, side: Side, allowed: &[String]) -> Vec<Ref> {
    let mut k = from;
    while k < end {
        // An uncoded person first ("met Alice Wells, ... in the Qatari capital") is the
        // object: no dictionary actor (the caller may take the phrase).
        if let Some((e, a, _)) = d.ent_at(k) {
            let ent = &d.ents[e as usize];
            if a == k && ent.kind == EntityKind::Person && d.code(e).is_none() {
                return Vec::new();
            }
        } else if d.toks[k].cap
            && d.tag_of(k).is_some_and(|t| t.is_proper_noun())
            && (k == from || names_what_precedes(d, k, from))
        {
            // "accused Gulen of ...", "an investigation of Flynn over his ties to Russia": a
            // name the recognizer does not know, right after the verb or after the
            // preposition of the noun the verb governs.
            return Vec::new();
        }
        if let Some(r) = actor_at(d, k) {
            let start = d.ent_toks[r.ent as usize].0.min(r.a);
            // "withdraw its troops": the subject's own forces are not the other side.
            // "his Peruvian counterpart" is another side.
            let own = start > 0
                && matches!(d.w(start - 1), "its" | "their" | "his" | "her")
                && !(start..=r.b).any(|j| matches!(d.w(j), "counterpart" | "counterparts"));
            if start >= from && !own && eligible(d, start, side, allowed) && !platform(d, r) {
                let mut v = vec![r];
                v.extend(coordinated_right(d, r.b, end));
                return v;
            }
            k = r.b.max(k + 1);
            continue;
        }
        if is_pronoun(d.w(k))
            && matches!(d.w(k), "him" | "them" | "it" | "her")
            && side == Side::Target
        {
            if let Some(r) = pronoun(d, k) {
                return vec![r];
            }
        }
        k += 1;
    }
    Vec::new()
}

/// A media platform named as where something was said ("on Truth Social") is never an actor.
fn platform(d: &Doc, r: Ref) -> bool {
    let e = &d.ents[r.ent as usize];
    e.code.as_deref() == Some("MED")
        && e.country.is_none()
        && r.a > 0
        && matches!(d.w(r.a - 1), "on" | "via")
}

/// The nearest eligible actor left of token `v` within `start..v` (and those coordinated with
/// it), for a verb whose group starts at `v`.
pub fn subject_left(d: &Doc, v: usize, start: usize) -> Vec<Ref> {
    if let Some(c) = appositive_start(d, v, start) {
        let s = subject_left(d, c, start);
        if !s.is_empty() {
            return s;
        }
    }
    // A common noun right before the verb is its subject ("the earthquake struck"): only an
    // actor modifying that noun ("Israeli air strikes killed") can be the source.
    if v > start && common_word(d, v - 1) {
        let mut k = v - 1;
        let mut n = 0;
        while k > start && n < 3 && common_word(d, k - 1) {
            k -= 1;
            n += 1;
        }
        if k > start && d.toks[k - 1].kind == Kind::Poss {
            k -= 1;
        }
        if k > start {
            if let Some((e, a, b)) = d.ent_at(k - 1) {
                if b == k && d.code(e).is_some() {
                    // "British and EU negotiators": coordinated modifiers.
                    let mut v = coordinated_left(d, a, start);
                    v.push(Ref { ent: e, a, b });
                    return v;
                }
            }
        }
        return Vec::new();
    }
    // So is a name no dictionary knows ("after the Tower Commission criticised"): the phrase
    // is the subject, not an actor further left.
    let bare = |k: usize| {
        let t = d.toks[k];
        let uncoded = t.ent.is_none_or(|e| {
            d.code(e).is_none()
                && matches!(
                    d.ents[e as usize].kind,
                    EntityKind::Organization | EntityKind::Person
                )
        });
        t.cap && t.kind == Kind::Word && uncoded && !d.w(k).ends_with('.')
    };
    // Before a verb group only: a name before an event noun modifies it ("the IMF's Interim
    // Committee meeting").
    let verb_group = d
        .tag_of(v)
        .is_some_and(|t| t.is_verb() || t == super::pos::Tag::MD)
        || is_aux(d.w(v))
        || is_adverb(d.w(v));
    if verb_group && v >= start + 2 && bare(v - 1) && (bare(v - 2) || d.w(v - 2) == "the") {
        // Not the second of two coordinated subjects ("Prince Charles and Princess Diana").
        let mut k = v - 1;
        while k > start && bare(k - 1) {
            k -= 1;
        }
        if !(k > start && matches!(d.w(k - 1), "and" | ",")) {
            return Vec::new();
        }
    }
    let mut k = v;
    let limit = v.saturating_sub(30).max(start);
    while k > limit {
        k -= 1;
        let w = d.w(k);
        if matches!(w, ";" | ":") {
            return Vec::new();
        }
        if let Some((e, a, b)) = d.ent_at(k) {
            if d.code(e).is_none() && d.ents[e as usize].kind == crate::entities::EntityKind::Person
            {
                // An uncoded person ("Funaro hopes to visit") is the subject: no actor.
                return Vec::new();
            }
            if d.code(e).is_some()
                && eligible(d, list_head(d, a, start), Side::Subject, &[])
                && !platform(d, Ref { ent: e, a, b })
            {
                let r = prefer_specific(d, Ref { ent: e, a, b });
                let mut v = coordinated_left(d, a, start);
                v.push(r);
                return v;
            }
            k = a;
            continue;
        }
        if matches!(w, "he" | "she" | "it" | "they" | "we") {
            // "X said (that) it would ...": the pronoun is the speaker.
            if let Some(r) = reported_speaker(d, k, start) {
                return vec![Ref {
                    ent: r.ent,
                    a: k,
                    b: k + 1,
                }];
            }
            return pronoun(d, k).into_iter().collect();
        }
        if w == "that" && k + 1 < v && !matches!(d.w(k + 1), "," | "is" | "was") {
            // "X said that <non-actor subject> ..."
            return Vec::new();
        }
    }
    Vec::new()
}

/// First token of the list of entities ending with the one starting at `a` ("to France,
/// Germany and Italy": France), so a list after a preposition stays inside its phrase.
fn list_head(d: &Doc, mut a: usize, start: usize) -> usize {
    while a > start + 1 && matches!(d.w(a - 1), "," | "and" | "or") {
        match d.ent_at(a - 2) {
            Some((_, ea, _)) => a = ea,
            None => break,
        }
    }
    a
}

/// A lower-case content word outside any entity (a common noun or adjective, by elimination).
fn common_word(d: &Doc, i: usize) -> bool {
    let t = d.toks[i];
    let w = d.w(i);
    t.kind == Kind::Word
        && !t.cap
        && t.ent.is_none()
        && !is_determiner(w)
        && !is_preposition(w)
        && !is_aux(w)
        && !is_pronoun(w)
        && !is_adverb(w)
        && !is_negator(w)
        && !matches!(
            w,
            "and"
                | "or"
                | "but"
                | "who"
                | "which"
                | "that"
                | "whom"
                | "whose"
                | "also"
                | "then"
                | "said"
                | "says"
        )
        && !w.ends_with("ed")
}

/// The sentence's speaker: "According to X, ..." or the subject of a reporting verb.
pub fn according_to(d: &Doc, a: usize, b: usize) -> Option<Ref> {
    (a..b.saturating_sub(2)).find_map(|k| {
        if d.w(k) == "according" && d.w(k + 1) == "to" {
            let s = if is_determiner(d.w(k + 2)) {
                k + 3
            } else {
                k + 2
            };
            actor_at(d, s).filter(|r| r.a == s)
        } else {
            None
        }
    })
}
