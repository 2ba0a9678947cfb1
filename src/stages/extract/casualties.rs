//! Casualty counts: people killed, injured, detained or displaced (and missing), with the
//! number and its qualifier. Three shapes cover most wire copy: "over 2,000 people have died"
//! (count, people, verb), "police arrested dozens of protesters" (verb, count) and "the death
//! toll rose to 45". The place is filled in by the caller (the sentence's place, else the
//! article's country).

use serde::Serialize;

use super::events::Location;
use super::numbers::{count_at, Qualifier};
use super::text::{is_adverb, is_aux, Doc, Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CasualtyKind {
    Killed,
    Injured,
    Detained,
    Displaced,
    Missing,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Casualty {
    pub kind: CasualtyKind,
    pub number: u64,
    pub qualifier: Qualifier,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sentence_index: usize,
    pub location: Option<Location>,
}

/// The casualty kind a word states after a count ("died", "were killed", "injured").
fn kind_after(w: &str) -> Option<CasualtyKind> {
    use CasualtyKind::*;
    Some(match w {
        "killed" | "dead" | "died" | "die" | "dies" | "slain" | "perished" | "deaths" | "death"
        | "fatalities" | "executed" | "drowned" | "murdered" | "massacred" => Killed,
        "injured" | "wounded" | "hurt" | "injuries" | "hospitalised" | "hospitalized" => Injured,
        "detained" | "arrested" | "jailed" | "imprisoned" | "held" | "detentions" | "arrests"
        | "abducted" | "kidnapped" | "captured" => Detained,
        "displaced" | "evacuated" | "homeless" | "fled" | "uprooted" | "relocated" => Displaced,
        "missing" => Missing,
        _ => return None,
    })
}

/// The casualty kind a verb states before a count ("killed 20", "arresting dozens").
fn kind_before(w: &str) -> Option<CasualtyKind> {
    use CasualtyKind::*;
    Some(match w {
        "killed" | "killing" | "kills" | "kill" | "claimed" | "claiming" | "left" | "leaving" => {
            Killed
        }
        "injured" | "injuring" | "wounded" | "wounding" => Injured,
        "detained" | "detaining" | "arrested" | "arresting" | "jailed" | "rounded" | "abducted"
        | "kidnapped" => Detained,
        "displaced" | "displacing" | "evacuated" | "evacuating" | "uprooted" => Displaced,
        _ => return None,
    })
}

/// Words that may stand between a count and its verb: who was hit, and auxiliaries.
fn filler(w: &str) -> bool {
    matches!(
        w,
        "people"
            | "persons"
            | "civilians"
            | "protesters"
            | "demonstrators"
            | "soldiers"
            | "troops"
            | "police"
            | "officers"
            | "policemen"
            | "residents"
            | "children"
            | "women"
            | "men"
            | "others"
            | "more"
            | "of"
            | "them"
            | "villagers"
            | "fighters"
            | "militants"
            | "migrants"
            | "refugees"
            | "workers"
            | "students"
            | "journalists"
            | "activists"
            | "passengers"
            | "pilgrims"
            | "patients"
            | "members"
            | "supporters"
            | "opposition"
            | "other"
            | "had"
            | "been"
            | "being"
            | "are"
            | "were"
            | "was"
            | "is"
            | "have"
            | "has"
            | "reportedly"
            | "also"
            | "since"
            | "palestinians"
            | "israelis"
            | "ukrainians"
            | "russians"
            | "iranians"
            | "lives"
            | "individuals"
            | "inmates"
            | "prisoners"
            | "detainees"
            | "rescuers"
            | "staff"
            | "household"
            | "households"
            | "families"
            | "further"
            | "least"
            | "already"
            | "now"
            | "believed"
            | "feared"
            | "thought"
            | "to"
            | "be"
            | "in"
            | "the"
            | "nationwide"
            | "local"
            | "foreign"
            | "young"
            | "security"
            | "personnel"
            | "aid"
    )
}

/// Units that show a number is not a head count.
fn not_people(w: &str) -> bool {
    matches!(
        w,
        "%" | "percent"
            | "per"
            | "km"
            | "kilometres"
            | "kilometers"
            | "miles"
            | "metres"
            | "meters"
            | "tonnes"
            | "tons"
            | "dollars"
            | "euros"
            | "pounds"
            | "years"
            | "year"
            | "days"
            | "day"
            | "hours"
            | "months"
            | "weeks"
            | "minutes"
            | "billion"
            | "million"
            | "times"
            | "degrees"
            | "points"
            | "votes"
            | "seats"
            | "mph"
            | "kg"
            | "hectares"
            | "acres"
            | "cents"
            | "barrels"
            | "rupees"
            | "yuan"
            | "yen"
            | "rubles"
            | "roubles"
            | "litres"
            | "magnitude"
            | "homes"
            | "houses"
            | "buildings"
            | "bpd"
            | "shares"
            | "items"
    )
}

/// Finds casualty counts in every sentence.
pub fn find(d: &Doc) -> Vec<Casualty> {
    let mut out = Vec::new();
    for (si, &(a, b)) in d.sent_toks.iter().enumerate() {
        let mut i = a;
        while i < b {
            let Some(c) = count_at(d, i, b) else {
                i += 1;
                continue;
            };
            let prev_money = i > a && matches!(d.w(i - 1), "$" | "\u{20AC}" | "\u{00A3}" | "us$");
            if prev_money
                || d.toks.get(c.end).is_some_and(|_| not_people(d.w(c.end)))
                || is_year(d, i)
            {
                i = c.end.max(i + 1);
                continue;
            }
            let mut kind = None;
            let mut end = c.end;
            let mut start = c.start;
            // KIND count: "killed at least 20", "arrested dozens of protesters"
            if c.start > a {
                if let Some(kd) = kind_before(d.w(c.start - 1)) {
                    let claimed = matches!(
                        d.w(c.start - 1),
                        "claimed" | "claiming" | "left" | "leaving"
                    );
                    let dead =
                        (c.end..(c.end + 3).min(b)).any(|j| matches!(d.w(j), "lives" | "dead"));
                    if !claimed || dead {
                        kind = Some(kd);
                        start = c.start - 1;
                    }
                }
            }
            // count [people...] [aux...] KIND
            let mut k = c.end;
            while kind.is_none() && k < b && k < c.end + 6 {
                let w = d.w(k);
                if let Some(kd) = kind_after(w) {
                    kind = Some(kd);
                    end = k + 1;
                    break;
                }
                if d.toks[k].kind == Kind::Word && (filler(w) || is_aux(w) || is_adverb(w)) {
                    k += 1;
                } else {
                    break;
                }
            }
            // "the death toll rose to 45"
            if kind.is_none()
                && (c.start.saturating_sub(6).max(a)..c.start).any(|j| d.w(j) == "toll")
            {
                kind = Some(CasualtyKind::Killed);
            }
            if let Some(kind) = kind {
                let (s, e) = (d.toks[start].s, d.toks[end.max(start + 1) - 1].e);
                out.push(Casualty {
                    kind,
                    number: c.value,
                    qualifier: c.qualifier,
                    text: d.text[s..e].to_string(),
                    start: s,
                    end: e,
                    sentence_index: si,
                    location: None,
                });
            }
            i = c.end.max(i + 1);
        }
    }
    out
}

fn is_year(d: &Doc, i: usize) -> bool {
    let w = d.w(i);
    d.toks[i].kind == Kind::Num
        && w.len() == 4
        && w.starts_with(['1', '2'])
        && i > 0
        && matches!(d.w(i - 1), "in" | "since" | "of" | "by" | "until")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cas(t: &str) -> Vec<(CasualtyKind, u64, Qualifier)> {
        let d = Doc::new(t, crate::entities::split_sentences(t), &[]);
        find(&d)
            .into_iter()
            .map(|c| (c.kind, c.number, c.qualifier))
            .collect()
    }

    #[test]
    fn seed_sentence() {
        let v = cas("Human rights organisations report that over 2,000 people have died and thousands more have been detained in nationwide protests.");
        assert_eq!(
            v,
            vec![
                (CasualtyKind::Killed, 2000, Qualifier::Over),
                (CasualtyKind::Detained, 1000, Qualifier::Approximate)
            ]
        );
    }

    #[test]
    fn shapes() {
        assert_eq!(
            cas("Police arrested dozens of protesters."),
            vec![(CasualtyKind::Detained, 24, Qualifier::Approximate)]
        );
        assert_eq!(
            cas("At least 16 people were killed."),
            vec![(CasualtyKind::Killed, 16, Qualifier::AtLeast)]
        );
        assert_eq!(
            cas("More than 500,000 displaced."),
            vec![(CasualtyKind::Displaced, 500_000, Qualifier::Over)]
        );
        assert_eq!(
            cas("The death toll rose to 45 on Monday."),
            vec![(CasualtyKind::Killed, 45, Qualifier::Exact)]
        );
        assert_eq!(
            cas("The strike killed 12 civilians and wounded 30."),
            vec![
                (CasualtyKind::Killed, 12, Qualifier::Exact),
                (CasualtyKind::Injured, 30, Qualifier::Exact)
            ]
        );
        assert!(cas("Prices rose 5 percent and 2,000 homes were damaged.").is_empty());
        assert!(cas("In 2019 he was arrested.").is_empty());
    }
}
