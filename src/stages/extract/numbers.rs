//! Counts in news text: digits ("2,000", "1.5 million"), number words ("forty-five"), vague
//! quantities ("dozens", "thousands", "tens of thousands") and the qualifier in front of them
//! ("over", "at least", "nearly", "about"). Used by the casualty extractor.

use serde::Serialize;

use super::text::{Doc, Kind};

/// How the stated number relates to the true one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    /// "over", "more than": the number is a lower bound, exceeded.
    Over,
    /// "at least", "no fewer than".
    AtLeast,
    /// "nearly", "almost", "up to", "fewer than": an upper bound.
    Under,
    /// "about", "some", "around", and vague quantities ("dozens", "thousands").
    Approximate,
}

/// A count found at tokens `start..end` (qualifier included).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Count {
    pub value: u64,
    pub qualifier: Qualifier,
    pub start: usize,
    pub end: usize,
}

fn word_value(w: &str) -> Option<u64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = UNITS.iter().position(|u| *u == w) {
        return Some(i as u64);
    }
    if let Some(i) = TENS.iter().position(|u| *u == w) {
        return Some(20 + 10 * i as u64);
    }
    if let Some((a, b)) = w.split_once('-') {
        let t = TENS.iter().position(|u| *u == a)?;
        let u = UNITS[1..10].iter().position(|x| *x == b)?;
        return Some(20 + 10 * t as u64 + 1 + u as u64);
    }
    match w {
        "a" | "an" => Some(1),
        "dozen" => Some(12),
        _ => None,
    }
}

fn multiplier(w: &str) -> Option<u64> {
    match w {
        "hundred" => Some(100),
        "thousand" => Some(1_000),
        "million" | "mln" | "m" => Some(1_000_000),
        "billion" | "bn" => Some(1_000_000_000),
        _ => None,
    }
}

/// Vague plural quantities and the number each stands for (a conventional lower value).
fn vague(w: &str) -> Option<u64> {
    match w {
        "dozens" => Some(24),
        "scores" => Some(20),
        "hundreds" => Some(100),
        "thousands" => Some(1_000),
        "millions" => Some(1_000_000),
        "several" => Some(3),
        _ => None,
    }
}

/// Parses the count whose first number token is at `i` (within `i..end`); the qualifier is
/// looked for in the words before `i`.
pub fn count_at(d: &Doc, i: usize, end: usize) -> Option<Count> {
    let t = d.toks.get(i)?;
    let w = d.w(i);
    let (mut value, mut qual, mut j) = if t.kind == Kind::Num {
        let digits: String = w.chars().filter(|c| *c != ',').collect();
        let v: f64 = digits.parse().ok()?;
        (v, Qualifier::Exact, i + 1)
    } else if let Some(v) = vague(w) {
        // "tens of thousands", "hundreds of thousands"
        (v as f64, Qualifier::Approximate, i + 1)
    } else if w == "tens" && d.w(i + 1) == "of" && d.w(i + 2) == "thousands" {
        (10_000.0, Qualifier::Approximate, i + 3)
    } else if let Some(v) = word_value(w) {
        if matches!(w, "a" | "an") && multiplier(d.w(i + 1)).is_none() && d.w(i + 1) != "dozen" {
            return None;
        }
        (v as f64, Qualifier::Exact, i + 1)
    } else {
        return None;
    };
    if vague(w).is_some() && d.w(j) == "of" && matches!(d.w(j + 1), "thousands" | "millions") {
        value *= if d.w(j + 1) == "thousands" {
            1_000.0
        } else {
            1_000_000.0
        };
        j += 2;
    }
    while j < end {
        let m = d.w(j);
        if let Some(x) = multiplier(m) {
            value *= x as f64;
            j += 1;
        } else if m == "dozen" {
            value *= 12.0;
            j += 1;
        } else {
            break;
        }
    }
    // Qualifier before the number.
    let mut start = i;
    let w1 = if i >= 1 { d.w(i - 1) } else { "" };
    let w2 = if i >= 2 { d.w(i - 2) } else { "" };
    let two = (w2, w1);
    let q = match two {
        ("more", "than") | ("greater", "than") => Some((Qualifier::Over, 2)),
        ("at", "least") | ("no", "fewer") | ("no", "less") => Some((Qualifier::AtLeast, 2)),
        ("fewer", "than") | ("less", "than") | ("up", "to") => Some((Qualifier::Under, 2)),
        ("as", "many") => Some((Qualifier::AtLeast, 2)),
        _ => match w1 {
            "over" | "above" | "exceeding" => Some((Qualifier::Over, 1)),
            "nearly" | "almost" | "under" | "below" => Some((Qualifier::Under, 1)),
            "about" | "around" | "some" | "roughly" | "approximately" | "an" | "estimated"
            | "approx" | "circa" => Some((Qualifier::Approximate, 1)),
            _ => None,
        },
    };
    if let Some((q, n)) = q {
        if qual == Qualifier::Exact || q != Qualifier::Approximate {
            qual = q;
        }
        start = i - n;
    }
    if !value.is_finite() || !(0.0..=1e12).contains(&value) {
        return None;
    }
    Some(Count {
        value: value.round() as u64,
        qualifier: qual,
        start,
        end: j,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Option<(u64, Qualifier)> {
        let d = Doc::new(t, crate::entities::split_sentences(t), &[]);
        (0..d.toks.len())
            .find_map(|i| count_at(&d, i, d.toks.len()))
            .map(|c| (c.value, c.qualifier))
    }

    #[test]
    fn digits_words_and_qualifiers() {
        assert_eq!(parse("over 2,000 people"), Some((2000, Qualifier::Over)));
        assert_eq!(parse("at least 45 people"), Some((45, Qualifier::AtLeast)));
        assert_eq!(
            parse("more than 400,000 residents"),
            Some((400_000, Qualifier::Over))
        );
        assert_eq!(
            parse("1.5 million people"),
            Some((1_500_000, Qualifier::Exact))
        );
        assert_eq!(
            parse("nearly forty-five soldiers"),
            Some((45, Qualifier::Under))
        );
        assert_eq!(
            parse("thousands more"),
            Some((1000, Qualifier::Approximate))
        );
        assert_eq!(
            parse("dozens of protesters"),
            Some((24, Qualifier::Approximate))
        );
        assert_eq!(
            parse("tens of thousands of people"),
            Some((10_000, Qualifier::Approximate))
        );
        assert_eq!(
            parse("hundreds of thousands"),
            Some((100_000, Qualifier::Approximate))
        );
        assert_eq!(parse("about 300"), Some((300, Qualifier::Approximate)));
        assert_eq!(parse("a man"), None);
    }
}
