//! Head nouns that name who acts: listed person and body nouns, and the -er/-or/-ist/-ian
//! nouns that name agents, less the -er/-or plurals that name things; and the nouns that
//! name places.

const AGENT_NOUNS: &[&str] = &[
    "people",
    "person",
    "persons",
    "man",
    "men",
    "woman",
    "women",
    "child",
    "children",
    "boy",
    "boys",
    "girl",
    "girls",
    "family",
    "families",
    "crowd",
    "crowds",
    "public",
    "staff",
    "police",
    "party",
    "parties",
    "group",
    "groups",
    "company",
    "companies",
    "firm",
    "firms",
    "government",
    "governments",
    "court",
    "courts",
    "agency",
    "agencies",
    "council",
    "union",
    "unions",
    "army",
    "armies",
    "force",
    "forces",
    "committee",
    "ministry",
    "office",
    "official",
    "officials",
    "board",
    "bank",
    "banks",
    "regime",
    "administration",
    "coalition",
    "alliance",
    "opposition",
    "authorities",
    "authority",
    "organization",
    "organisation",
    "organizations",
    "organisations",
    "community",
    "communities",
    "club",
    "team",
    "media",
    "movement",
    "gang",
    "gangs",
    "cartel",
    "militia",
    "militias",
    "victims",
    "civilians",
    "citizens",
    "nation",
    "nations",
    "country",
    "countries",
    "state",
    "states",
    "city",
    "village",
    "villages",
    "suspect",
    "suspects",
    "clergy",
    "church",
    "school",
    "university",
    "hospital",
    "embassy",
    "consulate",
    "mission",
    "delegation",
    "judge",
    "judges",
    "jury",
    "parliament",
    "senate",
    "congress",
    "legislature",
    "assembly",
    "cabinet",
    "king",
    "queen",
    "prince",
    "president",
    "minister",
    "chancellor",
    "mayor",
    "governor",
    "general",
    "commander",
    "chief",
    "spokesman",
    "spokeswoman",
    "envoy",
    "diplomat",
    "diplomats",
    "refugees",
    "migrants",
    "prisoners",
    "detainees",
    "hostages",
    "troops",
    "soldiers",
    "rebels",
    "militants",
    "fighters",
    "insurgents",
    "residents",
    "students",
    "agents",
    "parents",
    "opponents",
    "allies",
    "ally",
    "partners",
    "partner",
    "neighbours",
    "neighbors",
    "powers",
    "others",
    "youths",
    "jihadists",
    "extremists",
    "terrorists",
    "guerrillas",
    "junta",
    "firefighters",
    "veterans",
    "clan",
    "clans",
    "tribe",
    "tribes",
    "colleagues",
    "counterpart",
    "counterparts",
    "administrations",
    "ministries",
    "institutions",
    "guard",
    "guards",
    "crew",
    "crews",
    "couple",
    "squad",
    "unit",
    "units",
    "delegate",
    "delegates",
    "delegations",
    "servicemen",
    "serviceman",
    "personnel",
    "inmates",
    "patients",
    "pilot",
    "pilots",
    "employees",
    "nurses",
    "pupils",
    "priests",
    "monks",
    "clerics",
    "nationals",
    "immigrants",
    "captives",
    "mob",
    "envoys",
    "ministers",
    "member",
    "members",
    "representative",
    "representatives",
    "officer",
    "soldier",
    "policeman",
    "policemen",
    "lawyer",
    "presidents",
];

/// Head nouns that name people or bodies that act (beyond the -er/-or/-ist/-ian agent nouns).
fn agent_noun(w: &str) -> bool {
    AGENT_NOUNS.contains(&w)
}

const THING_NOUNS: &[&str] = &[
    "orders",
    "numbers",
    "borders",
    "matters",
    "waters",
    "letter",
    "letters",
    "papers",
    "centers",
    "centres",
    "headquarters",
    "quarters",
    "barriers",
    "computers",
    "offers",
    "answers",
    "layers",
    "disasters",
    "sectors",
    "factors",
    "errors",
    "motors",
    "rumours",
    "rumors",
    "chapters",
    "prayers",
    "transfers",
    "shelters",
    "towers",
    "powers_",
    "corridors",
    "vectors",
    "monitors_",
    "meters",
    "metres",
    "liters",
    "litres",
    "dollars",
    "members_",
    "filters",
    "containers",
    "trailers",
    "helicopters",
    "reactors",
    "tractors",
    "elevators",
    "editors_",
    "colors",
    "colours",
    "honours",
    "honors",
    "favors",
    "favours",
    "behaviors",
    "behaviours",
    "neighbourhoods",
    "registers",
    "characters",
    "clusters",
    "parameters",
    "dinners",
    "flowers",
    "rivers",
    "waivers",
    "covers",
    "posters",
    "banners",
];

/// -er/-or plurals that name things, not agents.
fn thing_noun(w: &str) -> bool {
    THING_NOUNS.contains(&w)
}

/// The head noun names an agent: a listed person or body noun, or an -er/-or/-ist/-ian noun
/// ("farmers", "donors", "activists", "politicians", "leader").
pub(super) fn agentive(w: &str) -> bool {
    agent_noun(w)
        || (!thing_noun(w)
            && w.len() > 5
            && (w.ends_with("ers")
                || w.ends_with("ors")
                || w.ends_with("ists")
                || w.ends_with("ians")
                || w.ends_with("ist")
                || w.ends_with("ian")
                || w.ends_with("der")
                || w.ends_with("ter")
                || w.ends_with("ker")))
}

/// Nouns of bodies that act as one, beyond the agent nouns: a name before one heads a party
/// ("the Virginia Corporation commission").
pub(super) fn body_noun(w: &str) -> bool {
    matches!(
        w,
        "commission"
            | "department"
            | "federation"
            | "association"
            | "institute"
            | "bloc"
            | "league"
            | "tribunal"
            | "secretariat"
            | "leadership"
    )
}

/// Head nouns of places ("the Ogaden region").
pub(super) fn place_noun(w: &str) -> bool {
    matches!(
        w,
        "region"
            | "regions"
            | "province"
            | "provinces"
            | "area"
            | "areas"
            | "district"
            | "districts"
            | "state"
            | "city"
            | "town"
            | "village"
            | "villages"
            | "border"
            | "zone"
            | "camp"
            | "camps"
            | "territory"
            | "territories"
            | "enclave"
            | "corridor"
            | "coast"
            | "island"
            | "islands"
            | "valley"
            | "strip"
            | "peninsula"
            | "capital"
    )
}
