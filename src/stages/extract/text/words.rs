//! The closed word classes the coder reasons with (auxiliaries, modals, negators, determiners,
//! prepositions, pronouns, clause breaks, adverbs), as tests on a lower-cased token. They are
//! short fixed lists, so they live in code beside the tokenizer rather than under `data/`; the
//! part-of-speech tagger covers the open classes.

/// Auxiliaries: the modals and the forms of "be", "have", "do" and "get" that sit in a verb
/// group ("has been", "did say", "got arrested").
pub fn is_aux(w: &str) -> bool {
    is_modal(w)
        || is_be_or_get(w)
        || matches!(w, "has" | "have" | "had" | "having" | "did" | "do" | "does")
}

/// The forms of "be" and "get" (the passive's auxiliaries), with the contracted "'s" and
/// "getting".
pub fn is_be(w: &str) -> bool {
    is_be_or_get(w) || matches!(w, "'s" | "getting")
}

/// The forms of "be" and "get" that both [`is_aux`] and [`is_be`] accept.
fn is_be_or_get(w: &str) -> bool {
    matches!(
        w,
        "is" | "are" | "was" | "were" | "be" | "been" | "being" | "am" | "get" | "got" | "gets"
    )
}

pub fn is_modal(w: &str) -> bool {
    matches!(
        w,
        "will"
            | "would"
            | "could"
            | "can"
            | "may"
            | "might"
            | "shall"
            | "should"
            | "must"
            | "'ll"
            | "wo"
            | "ca"
    )
}

pub fn is_negator(w: &str) -> bool {
    matches!(
        w,
        "not" | "n't" | "never" | "no" | "neither" | "nor" | "without"
    )
}

/// An article or a possessive determiner: what may stand between a verb and the noun it takes
/// ("called the king", "its disputed border").
pub fn is_article_or_possessive(w: &str) -> bool {
    matches!(
        w,
        "the" | "a" | "an" | "its" | "their" | "his" | "her" | "our"
    )
}

pub fn is_determiner(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "its"
            | "their"
            | "his"
            | "her"
            | "our"
            | "my"
            | "your"
            | "this"
            | "that"
            | "these"
            | "those"
            | "some"
            | "any"
            | "each"
            | "every"
            | "such"
            | "all"
            | "both"
            | "several"
            | "many"
            | "more"
            | "further"
            | "new"
            | "fresh"
            | "additional"
            | "other"
            | "another"
            | "own"
            | "no"
    )
}

pub fn is_preposition(w: &str) -> bool {
    matches!(
        w,
        "in" | "on"
            | "at"
            | "by"
            | "for"
            | "with"
            | "from"
            | "to"
            | "of"
            | "against"
            | "about"
            | "over"
            | "into"
            | "onto"
            | "upon"
            | "under"
            | "near"
            | "after"
            | "before"
            | "during"
            | "since"
            | "until"
            | "between"
            | "among"
            | "amid"
            | "across"
            | "through"
            | "throughout"
            | "toward"
            | "towards"
            | "inside"
            | "outside"
            | "within"
            | "around"
            | "despite"
            | "via"
            | "behind"
            | "beyond"
            | "regarding"
            | "like"
            | "per"
            | "than"
    )
}

/// Prepositions that introduce a place or time, not a participant.
pub fn is_locative(w: &str) -> bool {
    matches!(
        w,
        "in" | "near"
            | "inside"
            | "outside"
            | "within"
            | "across"
            | "throughout"
            | "around"
            | "during"
            | "amid"
            | "since"
            | "until"
            | "despite"
            | "behind"
            | "beyond"
            | "via"
            | "through"
            | "after"
            | "before"
            | "under"
            | "among"
            | "from"
            | "like"
            | "than"
            | "about"
            | "regarding"
            | "over"
    )
}

pub fn is_pronoun(w: &str) -> bool {
    matches!(
        w,
        "he" | "she" | "it" | "they" | "him" | "her" | "them" | "we" | "i"
    )
}

/// Words that end a clause for the purpose of object and keyword windows.
pub fn is_clause_break(w: &str) -> bool {
    matches!(
        w,
        ";" | ":"
            | "\u{2014}"
            | "("
            | ")"
            | "because"
            | "although"
            | "though"
            | "while"
            | "whereas"
            | "when"
            | "unless"
            | "if"
            | "after"
            | "before"
            | "since"
            | "until"
            | "who"
            | "which"
            | "whom"
            | "whose"
            | "saying"
            | "adding"
            | "but"
            | "where"
    )
}

/// Adverbs and particles that may sit inside a verb group ("has also strongly condemned").
pub fn is_adverb(w: &str) -> bool {
    (w.len() > 4
        && w.ends_with("ly")
        && !matches!(
            w,
            "italy"
                | "rally"
                | "ally"
                | "family"
                | "supply"
                | "reply"
                | "apply"
                | "july"
                | "assembly"
                | "fly"
                | "early"
                | "only"
        ))
        || matches!(
            w,
            "also"
                | "already"
                | "still"
                | "then"
                | "now"
                | "again"
                | "just"
                | "once"
                | "later"
                | "soon"
                | "even"
                | "reportedly"
                | "allegedly"
                | "never"
                | "not"
                | "n't"
                | "always"
                | "often"
                | "yet"
                | "further"
                | "swiftly"
                | "jointly"
                | "since"
                | "ever"
                | "only"
                | "subsequently"
                | "previously"
                | "earlier"
                | "today"
                | "yesterday"
                | "recently"
                | "formally"
                | "officially"
                | "repeatedly"
        )
}

/// Aspectual verbs: a gerund after them is the action itself ("began withdrawing", "continued
/// shelling", "stopped buying").
pub fn is_aspectual(w: &str) -> bool {
    is_cessation(w)
        || matches!(
            w,
            "begin"
                | "begins"
                | "began"
                | "begun"
                | "beginning"
                | "start"
                | "starts"
                | "started"
                | "starting"
                | "continue"
                | "continues"
                | "continued"
                | "continuing"
                | "keep"
                | "keeps"
                | "kept"
                | "resume"
                | "resumes"
                | "resumed"
        )
}

/// Verbs that end the action of the gerund after them ("stopped buying", "ceased funding").
pub fn is_cessation(w: &str) -> bool {
    matches!(
        w,
        "stop"
            | "stops"
            | "stopped"
            | "halt"
            | "halts"
            | "halted"
            | "cease"
            | "ceases"
            | "ceased"
            | "quit"
            | "quits"
    )
}

/// Names a day, month or part of a day.
pub fn is_time_word(w: &str) -> bool {
    matches!(
        w.trim_end_matches('.'),
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
            | "morning"
            | "afternoon"
            | "evening"
            | "night"
            | "weekend"
    )
}
