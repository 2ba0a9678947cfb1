//! Date mentions: explicit dates ("On January 13", "13 Jan 2026", "in March 2025", "in 2019")
//! and relative ones ("yesterday", "on Tuesday", "earlier in the week", "last month", "in late
//! December", "three days ago"), resolved against the publication date. A date without a year
//! takes the year that puts it nearest the publication date, with the past preferred (a future
//! reading must be three times nearer, unless the sentence speaks of the future).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::text::{Doc, Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Explicit,
    Relative,
    Publication,
}

/// A resolved date, as precise as known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    /// First day of the period (the Monday for a week).
    pub day: NaiveDate,
    pub precision: Precision,
    pub basis: Basis,
}

impl When {
    /// ISO 8601 at its precision: `2026-01-13`, `2025-12`, `2025`; weeks give their Monday.
    pub fn iso(&self) -> String {
        match self.precision {
            Precision::Day | Precision::Week => self.day.format("%Y-%m-%d").to_string(),
            Precision::Month => self.day.format("%Y-%m").to_string(),
            Precision::Year => self.day.format("%Y").to_string(),
        }
    }
}

/// A date mentioned in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateMention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub date: String,
    pub precision: Precision,
    pub basis: Basis,
    pub sentence_index: usize,
    #[serde(skip)]
    pub when: When,
    #[serde(skip)]
    pub tok: usize,
}

/// Whether a lower-cased word names a month or a day of the week.
pub fn is_month_or_weekday(w: &str) -> bool {
    month(w).is_some() || weekday(w).is_some()
}

fn month(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    const M: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if let Some(i) = M.iter().position(|m| *m == w) {
        return Some(i as u32 + 1);
    }
    const A: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    A.iter()
        .position(|m| *m == w)
        .map(|i| i as u32 + 1)
        .or(if w == "sept" { Some(9) } else { None })
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn small_number(w: &str) -> Option<i64> {
    match w {
        "a" | "an" | "one" => Some(1),
        "two" => Some(2),
        "three" => Some(3),
        "four" => Some(4),
        "five" => Some(5),
        "six" => Some(6),
        "seven" => Some(7),
        "eight" => Some(8),
        "nine" => Some(9),
        "ten" => Some(10),
        _ => w.parse().ok().filter(|n| (1..=1000).contains(n)),
    }
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

fn month_start(y: i32, m: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, 1)
}

fn add_months(d: NaiveDate, k: i32) -> Option<NaiveDate> {
    let n = d.year() * 12 + d.month0() as i32 + k;
    month_start(n.div_euclid(12), n.rem_euclid(12) as u32 + 1)
}

/// Picks the year for a month (and day) given without one.
fn nearest_year(
    pub_date: NaiveDate,
    m: u32,
    day: Option<u32>,
    future_ok: bool,
) -> Option<NaiveDate> {
    let mut best: Option<(i64, NaiveDate)> = None;
    for y in [pub_date.year() - 1, pub_date.year(), pub_date.year() + 1] {
        let Some(c) = NaiveDate::from_ymd_opt(y, m, day.unwrap_or(1)) else {
            continue;
        };
        let end = if day.is_some() {
            c
        } else {
            add_months(c, 1)? - Duration::days(1)
        };
        let dist = if end < pub_date {
            (pub_date - end).num_days()
        } else if c <= pub_date {
            0
        } else {
            (c - pub_date).num_days() * if future_ok { 1 } else { 3 }
        };
        if best.is_none_or(|(b, _)| dist < b) {
            best = Some((dist, c));
        }
    }
    best.map(|b| b.1)
}

/// Words showing a sentence looks ahead.
fn future_sentence(d: &Doc, a: usize, b: usize) -> bool {
    (a..b).any(|i| {
        matches!(
            d.w(i),
            "will"
                | "'ll"
                | "would"
                | "next"
                | "plans"
                | "planned"
                | "scheduled"
                | "upcoming"
                | "due"
                | "expected"
                | "intends"
                | "set"
        )
            // "agreed to meet ... Thursday", "vowed to return on Friday": a commitment to act.
            || (matches!(
                d.w(i),
                "agreed" | "agrees" | "promised" | "pledged" | "vowed" | "offered" | "decided"
            ) && i + 1 < b
                && d.w(i + 1) == "to")
    })
}

/// Finds every date mention in the document.
pub fn find(d: &Doc, pub_date: Option<NaiveDate>) -> Vec<DateMention> {
    let mut out = Vec::new();
    for (si, &(a, b)) in d.sent_toks.iter().enumerate() {
        let future = future_sentence(d, a, b);
        let mut i = a;
        while i < b {
            if let Some((when, end)) = at(d, i, b, pub_date, future) {
                let (s, e) = (d.toks[i].s, d.toks[end - 1].e);
                out.push(DateMention {
                    text: d.text[s..e].to_string(),
                    start: s,
                    end: e,
                    date: when.iso(),
                    precision: when.precision,
                    basis: when.basis,
                    sentence_index: si,
                    when,
                    tok: i,
                });
                i = end;
            } else {
                i += 1;
            }
        }
    }
    out
}

fn year_at(d: &Doc, i: usize) -> Option<i32> {
    let t = d.toks.get(i)?;
    let w = d.w(i);
    if t.kind != Kind::Num || w.len() != 4 {
        return None;
    }
    w.parse().ok().filter(|y| (1900..=2100).contains(y))
}

fn day_at(d: &Doc, i: usize) -> Option<u32> {
    let t = d.toks.get(i)?;
    let w = d.w(i);
    let w = w
        .strip_suffix("th")
        .or(w.strip_suffix("st"))
        .or(w.strip_suffix("nd"))
        .or(w.strip_suffix("rd"))
        .unwrap_or(w);
    if t.kind != Kind::Num && !w.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    w.parse().ok().filter(|n| (1..=31).contains(n))
}

/// A date starting at token `i`: the resolved date and the end token.
fn at(d: &Doc, i: usize, b: usize, pd: Option<NaiveDate>, future: bool) -> Option<(When, usize)> {
    let w = d.w(i);
    let t = d.toks[i];
    let rel = |day: NaiveDate, p: Precision, end: usize| {
        Some((
            When {
                day,
                precision: p,
                basis: Basis::Relative,
            },
            end,
        ))
    };
    let exp = |day: NaiveDate, p: Precision, end: usize| {
        Some((
            When {
                day,
                precision: p,
                basis: Basis::Explicit,
            },
            end,
        ))
    };
    // ISO date 2026-01-13
    if let Some(y) = year_at(d, i) {
        if d.w(i + 1) == "-" && d.w(i + 3) == "-" {
            if let (Ok(m), Some(dd)) = (d.w(i + 2).parse::<u32>(), day_at(d, i + 4)) {
                if let Some(x) = NaiveDate::from_ymd_opt(y, m, dd) {
                    return exp(x, Precision::Day, i + 5);
                }
            }
        }
        // "in 2019", "since 2020", "of 2024"
        let prev = if i > 0 { d.w(i - 1) } else { "" };
        if matches!(
            prev,
            "in" | "since" | "of" | "early" | "late" | "mid" | "until" | "during"
        ) {
            return exp(NaiveDate::from_ymd_opt(y, 1, 1)?, Precision::Year, i + 1);
        }
        return None;
    }
    // Day Month [Year]
    if let Some(dd) = day_at(d, i) {
        if let Some(m) = month(d.w(i + 1)).filter(|_| d.toks.get(i + 1).is_some_and(|t| t.cap)) {
            let (y, end) = match year_at(d, i + 2) {
                Some(y) => (Some(y), i + 3),
                None => (None, i + 2),
            };
            let x = match y {
                Some(y) => NaiveDate::from_ymd_opt(y, m, dd),
                None => nearest_year(pd?, m, Some(dd), future),
            }?;
            return exp(x, Precision::Day, end);
        }
        return None;
    }
    if let Some(m) = month(w) {
        // Month names are capitalised; "may" and "march" need it most.
        if !t.cap || t.caps && w.len() > 3 {
            return None;
        }
        let mut j = i + 1;
        if d.is_punct(j, ".") {
            j += 1;
        }
        if let Some(dd) = day_at(d, j) {
            let after = if d.is_punct(j + 1, ",") { j + 2 } else { j + 1 };
            if let Some(y) = year_at(d, after) {
                return exp(
                    NaiveDate::from_ymd_opt(y, m, dd)?,
                    Precision::Day,
                    after + 1,
                );
            }
            return exp(
                nearest_year(pd?, m, Some(dd), future)?,
                Precision::Day,
                j + 1,
            );
        }
        if let Some(y) = year_at(d, j) {
            return exp(month_start(y, m)?, Precision::Month, j + 1);
        }
        let prev = if i > 0 { d.w(i - 1) } else { "" };
        let prev2 = if i > 1 { d.w(i - 2) } else { "" };
        let ok = matches!(
            prev,
            "in" | "late"
                | "early"
                | "mid"
                | "since"
                | "until"
                | "of"
                | "last"
                | "this"
                | "next"
                | "during"
                | "by"
        ) || (prev == "-" && prev2 == "mid");
        if !ok || (m == 5 && prev == "this") {
            return None;
        }
        let x = match prev {
            "last" => nearest_year(pd?, m, None, false)?,
            "next" => nearest_year(pd?, m, None, true)?,
            _ => nearest_year(pd?, m, None, future)?,
        };
        return rel(x, Precision::Month, i + 1);
    }
    let pd = pd?;
    match w {
        "yesterday" => return rel(pd - Duration::days(1), Precision::Day, i + 1),
        "today" | "tonight" => return rel(pd, Precision::Day, i + 1),
        "tomorrow" => return rel(pd + Duration::days(1), Precision::Day, i + 1),
        "last" | "this" | "next" | "earlier" | "later" | "previous" => {
            let (mut j, mut shift) = (
                i + 1,
                match w {
                    "last" | "previous" => -1,
                    "next" => 1,
                    _ => 0,
                },
            );
            if matches!(w, "earlier" | "later") {
                if matches!(d.w(j), "this" | "that") || (d.w(j) == "in" && d.w(j + 1) == "the") {
                    j += if d.w(j) == "in" { 2 } else { 1 };
                } else {
                    return None;
                }
                shift = 0;
            }
            if w == "this" && matches!(d.w(j), "morning" | "afternoon" | "evening") {
                return rel(pd, Precision::Day, j + 1);
            }
            if let Some(wd) = weekday(d.w(j)) {
                let back = (pd.weekday().num_days_from_monday() as i64
                    - wd.num_days_from_monday() as i64)
                    .rem_euclid(7);
                let x = match shift {
                    1 => pd + Duration::days((7 - back) % 7 + if back == 0 { 7 } else { 0 }),
                    _ => pd - Duration::days(if back == 0 && shift < 0 { 7 } else { back }),
                };
                return rel(x, Precision::Day, j + 1);
            }
            let unit = d.w(j);
            let x = match unit {
                "week" | "weekend" => (monday(pd) + Duration::days(7 * shift), Precision::Week),
                "month" => (
                    add_months(month_start(pd.year(), pd.month())?, shift as i32)?,
                    Precision::Month,
                ),
                "year" => (
                    NaiveDate::from_ymd_opt(pd.year() + shift as i32, 1, 1)?,
                    Precision::Year,
                ),
                _ => return None,
            };
            return rel(x.0, x.1, j + 1);
        }
        _ => {}
    }
    if let Some(wd) = weekday(w) {
        let prev = if i > 0 { d.w(i - 1) } else { "" };
        let back = (pd.weekday().num_days_from_monday() as i64 - wd.num_days_from_monday() as i64)
            .rem_euclid(7);
        let x = if future && prev != "last" && back != 0 {
            pd + Duration::days(7 - back)
        } else {
            pd - Duration::days(back)
        };
        return rel(x, Precision::Day, i + 1);
    }
    // "three days ago", "two weeks ago"
    if let Some(n) = small_number(w) {
        let unit = d.w(i + 1);
        if d.w(i + 2) == "ago" && i + 2 < b {
            let x = match unit.trim_end_matches('s') {
                "day" => (pd - Duration::days(n), Precision::Day),
                "week" => (monday(pd - Duration::days(7 * n)), Precision::Week),
                "month" => (
                    add_months(month_start(pd.year(), pd.month())?, -(n as i32))?,
                    Precision::Month,
                ),
                "year" => (
                    NaiveDate::from_ymd_opt(pd.year() - n as i32, 1, 1)?,
                    Precision::Year,
                ),
                _ => return None,
            };
            return rel(x.0, x.1, i + 3);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(t: &str, pd: &str) -> Vec<(String, String, Precision, Basis)> {
        let d = Doc::new(t, crate::entities::split_sentences(t), &[]);
        let pd = NaiveDate::parse_from_str(pd, "%Y-%m-%d").ok();
        find(&d, pd)
            .into_iter()
            .map(|m| (m.text, m.date, m.precision, m.basis))
            .collect()
    }

    #[test]
    fn explicit_dates() {
        let v = dates(
            "On January 13, Trump spoke. On 2 March 2024 and Jan. 5, 2025 and in 2019 too.",
            "2026-01-14",
        );
        assert_eq!(v[0].1, "2026-01-13");
        assert_eq!((v[0].2, v[0].3), (Precision::Day, Basis::Explicit));
        assert_eq!(v[1].1, "2024-03-02");
        assert_eq!(v[2].1, "2025-01-05");
        assert_eq!((v[3].1.as_str(), v[3].2), ("2019", Precision::Year));
    }

    #[test]
    fn relative_dates_prefer_the_past() {
        let v = dates(
            "The unrest began in late December. Earlier in the week, he warned. Yesterday he left.",
            "2026-01-14",
        );
        assert_eq!(
            (v[0].1.as_str(), v[0].2, v[0].3),
            ("2025-12", Precision::Month, Basis::Relative)
        );
        assert_eq!((v[1].1.as_str(), v[1].2), ("2026-01-12", Precision::Week));
        assert_eq!(v[2].1, "2026-01-13");
        let v = dates(
            "Last week he left. Last month too. On Tuesday he met. Three days ago it rained.",
            "2026-01-14",
        );
        assert_eq!(v[0].1, "2026-01-05");
        assert_eq!(v[1].1, "2025-12");
        assert_eq!(v[2].1, "2026-01-13");
        assert_eq!(v[3].1, "2026-01-11");
    }

    #[test]
    fn future_sentences_may_look_ahead() {
        let v = dates("Grossi will visit Tehran on March 2.", "2026-02-10");
        assert_eq!(v[0].1, "2026-03-02");
        // A commitment to act looks ahead: the coming Thursday (published on a Tuesday).
        let v = dates(
            "The union agreed to meet the company on Thursday.",
            "1987-03-03",
        );
        assert_eq!(v[0].1, "1987-03-05");
        let v = dates("The union met the company on Thursday.", "1987-03-03");
        assert_eq!(v[0].1, "1987-02-26");
        let v = dates("He visited in October.", "2026-01-14");
        assert_eq!(v[0].1, "2025-10");
        assert!(dates("You may go. They march.", "2026-01-14").is_empty());
    }
}
