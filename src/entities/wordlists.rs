//! Word lists for the capitalized-name heuristics (names.rs): organisation words, stop words,
//! name particles. Matched with `match` (compiled to length + byte comparisons).

/// Words that end an organisation name ("Inc", "Bank", "Party").
#[rustfmt::skip]
#[inline]
pub(super) fn is_org_suffix(w: &str) -> bool {
    matches!(w,
        "Inc" | "Corp" | "Co" | "Ltd" | "Plc" | "PLC" | "AG" | "SA" | "NV" | "BV" | "GmbH" | "LLC" | "LP" |
        "Bank" | "Banks" | "Ministry" | "Party" | "Council" | "Group" | "Association" | "Agency" |
        "Commission" | "Committee" | "Institute" | "University" | "Federation" | "Union" | "Organisation" |
        "Organization" | "Authority" | "Fund" | "Board" | "Exchange" | "Company" | "Corporation" |
        "Holdings" | "Trust" | "Airlines" | "Airways" | "Motors" | "Industries" | "Bancorp" | "Foundation" |
        "Front" | "Movement" | "Brigades" | "Systems" | "Technologies" | "Partners" | "Securities" |
        "Bureau" | "Office" | "Department" | "Church" | "Club" | "Society" | "Alliance" | "League" |
        "Coalition" | "Network" | "Service" | "Services" | "Energy" | "Petroleum" | "Oil" | "Telecom" |
        "Communications" | "Railways" | "Insurance" | "Mining" | "Steel")
}

/// Words that start an organisation name followed by "of" ("Bank of Canada").
#[rustfmt::skip]
#[inline]
pub(super) fn is_org_prefix(w: &str) -> bool {
    matches!(w,
        "Bank" | "University" | "Council" | "Institute" | "Association" | "Federation" | "Union" | "Party" |
        "Church" | "Commission")
}

/// Capitalized words that never start or continue a name.
#[rustfmt::skip]
#[inline]
pub(super) fn is_stop_cap(w: &str) -> bool {
    matches!(w,
        "The" | "A" | "An" | "In" | "On" | "At" | "For" | "But" | "And" | "Or" | "If" | "He" | "She" | "It" |
        "They" | "We" | "I" | "His" | "Her" | "Its" | "Their" | "This" | "That" | "These" | "Those" | "As" |
        "By" | "With" | "From" | "To" | "After" | "Before" | "While" | "When" | "Monday" | "Tuesday" |
        "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday" | "January" | "February" | "March" |
        "April" | "May" | "June" | "July" | "August" | "September" | "October" | "November" | "December" |
        "Jan" | "Feb" | "Mar" | "Apr" | "Jun" | "Jul" | "Aug" | "Sep" | "Sept" | "Oct" | "Nov" | "Dec" |
        "Reuters" | "According" | "Shr" | "Net" | "Revs" | "Qtr" | "Avg" | "NOTE" | "Mln" | "Dlrs" | "Pct" |
        "Earlier" | "Later" | "Also" | "Under")
}

/// Capitalized words that do not make a surname for coreference ("Christian Aid" -> "Aid").
#[rustfmt::skip]
#[inline]
pub(super) fn is_not_surname(w: &str) -> bool {
    matches!(w,
        "Aid" | "Award" | "Awards" | "Foods" | "Press" | "Gold" | "Prize" | "Festival" | "Film" | "Films" |
        "Music" | "Records" | "Cup" | "Day" | "Week" | "Times" | "News" | "Post" | "Street" | "Road" |
        "Show" | "Games" | "Motors")
}

/// Words after a given name that make a place or thing, not a person ("Jordan Valley").
#[rustfmt::skip]
#[inline]
pub(super) fn is_place_noun(w: &str) -> bool {
    matches!(w,
        "Valley" | "Street" | "Station" | "Club" | "River" | "Lake" | "Park" | "Square" | "City" | "County" |
        "State" | "Province" | "Sea" | "Ocean" | "Airport" | "Bridge" | "Tech" | "Island" | "Islands" |
        "Bay" | "Hills" | "Mountains" | "Road" | "Avenue")
}

pub(super) const CONNECTORS: &[&str] = &[
    "of", "and", "&", "for", "the", "de", "du", "da", "di", "del", "van", "von", "der", "bin",
    "al", "ibn", "la", "le",
];

pub(super) const NAME_PARTICLES: &[&str] = &[
    "de", "da", "di", "del", "van", "von", "der", "bin", "al", "ibn", "la", "le", "du",
];
