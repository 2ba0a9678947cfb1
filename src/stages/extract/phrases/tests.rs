use super::*;
use crate::entities::split_sentences;

fn doc(t: &str) -> Doc<'_> {
    Doc::new(t, split_sentences(t), &[])
}

fn words(d: &Doc, (a, b): (usize, usize)) -> String {
    d.text[d.toks[a].s..d.toks[b - 1].e].to_string()
}

#[test]
fn subject_phrase_before_the_verb() {
    let d = doc("Angry cattle farmers blocked the road.");
    assert_eq!(words(&d, left(&d, 3, 0).unwrap()), "Angry cattle farmers");
    let d = doc("Hundreds of dock workers walked out on Monday.");
    assert_eq!(
        words(&d, left(&d, 4, 0).unwrap()),
        "Hundreds of dock workers"
    );
    let d = doc("On Tuesday the union rejected the offer.");
    assert_eq!(words(&d, left(&d, 4, 0).unwrap()), "the union");
}

#[test]
fn object_phrase_after_the_verb() {
    let d = doc("The court fined the shipping company heavily.");
    assert_eq!(words(&d, right(&d, 3, 7).unwrap()), "the shipping company");
    let d = doc("Prosecutors opened an inquiry into Mr Baxter's accounts.");
    // the noun event "inquiry" ends at token 4; its phrase opens with "into"
    assert_eq!(words(&d, right(&d, 4, 9).unwrap()), "Mr Baxter's accounts");
}

#[test]
fn times_amounts_and_clauses_are_not_participants() {
    let d = doc("They met on Tuesday.");
    assert!(right(&d, 2, 4).is_none());
    let d = doc("It rose 15 percent.");
    assert!(right(&d, 2, 4).is_none());
    let d = doc("Officials said that the talks failed.");
    assert!(right(&d, 2, 6).is_none());
}

#[test]
fn a_thing_phrase_passes_to_the_participant_after_its_preposition() {
    let d = doc("The board ordered an inquiry against the former mayor yesterday.");
    assert_eq!(words(&d, right(&d, 3, 10).unwrap()), "the former mayor");
    let d = doc("The board ordered an inquiry in June.");
    assert!(right(&d, 3, 7).is_none());
}

#[test]
fn own_forces_and_infinitives_open_no_phrase() {
    let d = doc("Chad agreed to withdraw its soldiers from the northern tribes.");
    assert_eq!(words(&d, right(&d, 3, 11).unwrap()), "the northern tribes");
}

#[test]
fn an_appositive_is_skipped_back_to_its_noun() {
    let d = doc("Mary Okafor, a lawyer for the miners, criticised the ruling.");
    assert_eq!(words(&d, left(&d, 9, 0).unwrap()), "Mary Okafor");
}

#[test]
fn unknown_actor_code() {
    let d = doc("The farmers protested.");
    let a = actor(&d, (0, 2));
    assert_eq!((a.code.as_str(), a.text.as_str()), (UNKNOWN, "farmers"));
}

#[test]
fn late_or_early_before_a_time_ends_the_phrase() {
    let d = doc("Chad freed 40 soldiers late on Friday.");
    assert_eq!(words(&d, right(&d, 2, 7).unwrap()), "40 soldiers");
    let d = doc("The late senator's supporters left early.");
    assert_eq!(
        words(&d, left(&d, 5, 0).unwrap()),
        "The late senator's supporters"
    );
}
