//! The event coder's verb and noun patterns and the readings that pick one, each on
//! sentences of its own wording (not from any evaluation set): cancelled visits, modal
//! verbs, inquiries, support conveyed, aid suspended or given.

// The shared coder support; its `show` serves the other coder tests.
#[allow(dead_code)]
#[path = "support/coder.rs"]
mod coder;
#[path = "support/rules.rs"]
mod rules;

use rules::{code_sentence, has};

#[test]
fn cancelling_a_visit_refuses_to_meet_and_cancelled_talks_halt_negotiations() {
    // A visit or trip called off is a rejected meeting (125), not reduced relations.
    let e = code_sentence("The Chilean president has cancelled a planned visit to Peru.");
    assert!(has(&e, "Chilean president", "Peru", "125"), "{e:?}");
    let e = code_sentence("Chile announced the cancellation of the president's trip to Peru.");
    assert!(has(&e, "Chile", "Peru", "125"), "{e:?}");
    // Talks called off stay a halt of negotiations; a boycotted visit stays 160.
    let e = code_sentence("Chile cancelled talks with Peru on Tuesday.");
    assert!(has(&e, "Chile", "Peru", "164"), "{e:?}");
    let e = code_sentence("Chile boycotted the visit of the Peruvian envoy.");
    assert!(has(&e, "Chile", "Peruvian", "160"), "{e:?}");
}

#[test]
fn a_base_form_after_a_modal_is_a_verb_whatever_its_tag() {
    // The tagger reads "free" before a number as an adverb after "would".
    let e = code_sentence("Chile said it would free 1,500 Peruvian prisoners.");
    assert!(has(&e, "Chile", "Peruvian", "03"), "{e:?}");
    let e = code_sentence("Chile would not free 1,500 Peruvian prisoners.");
    assert!(has(&e, "Chile", "Peruvian", "12"), "{e:?}");
}

#[test]
fn an_inquiry_into_a_report_or_a_question_is_aimed_at_its_clause_subject() {
    let e = code_sentence(
        "Chilean authorities have opened an investigation into whether Juan Mendoza, the former Peruvian envoy, was spied on.",
    );
    assert!(
        has(&e, "Chilean authorities", "Juan Mendoza", "09"),
        "{e:?}"
    );
    let e = code_sentence(
        "Chile launched an investigation into claims that Peruvian officials took bribes.",
    );
    assert!(has(&e, "Chile", "Peruvian officials", "09"), "{e:?}");
    // A clause after a plain noun is no inquiry's subject.
    let e = code_sentence("Chile launched an investigation into the fact that Peru was absent.");
    assert!(!has(&e, "Chile", "Peru", "09"), "{e:?}");
}

#[test]
fn conveying_or_extending_support_or_solidarity_is_praise() {
    // PETRARCH's EXPRESS SOLIDARITY is 051, not an empathetic comment (018).
    let e = code_sentence("Chile expressed its solidarity with Peru.");
    assert!(has(&e, "Chile", "Peru", "051"), "{e:?}");
    let e = code_sentence(
        "The Chilean president called the Peruvian president on Friday to convey his support.",
    );
    assert!(
        has(&e, "Chilean president", "Peruvian president", "051"),
        "{e:?}"
    );
    let e = code_sentence("Chile extended its condolences to Peru.");
    assert!(has(&e, "Chile", "Peru", "018"), "{e:?}");
}

#[test]
fn a_suspension_of_aid_reduces_aid() {
    let e = code_sentence("Denmark announced a suspension of aid to Egypt.");
    assert!(has(&e, "Denmark", "Egypt", "162"), "{e:?}");
}

#[test]
fn flying_in_relief_lending_and_humanitarian_assistance_are_aid() {
    let e = code_sentence("Medecins Sans Frontieres flew 13 tons of medicine into Peru.");
    assert!(has(&e, "Medecins Sans Frontieres", "Peru", "073"), "{e:?}");
    let e = code_sentence("Chile lent $1 billion to Peru.");
    assert!(has(&e, "Chile", "Peru", "071"), "{e:?}");
    let e = code_sentence(
        "The European Commission announced humanitarian assistance of 60 million euros to Peru.",
    );
    assert!(has(&e, "European Commission", "Peru", "073"), "{e:?}");
}

#[test]
fn joint_war_games_of_two_armies_are_military_cooperation() {
    let e = code_sentence("The armies of Chile and Peru performed joint war games in October.");
    assert!(has(&e, "Chile", "Peru", "062"), "{e:?}");
    assert!(has(&e, "Peru", "Chile", "062"), "{e:?}");
    // War games of one side are a show of force, not cooperation.
    let e = code_sentence("Chile launched war games near Peru.");
    assert!(e.iter().all(|(_, _, c)| c != "062"), "{e:?}");
}

#[test]
fn a_cessation_of_hostilities_is_a_ceasefire_and_reinforcing_troops_mobilizes() {
    let e = code_sentence("The rebels and the army agreed to a cessation of hostilities.");
    assert!(has(&e, "rebels", "army", "0871"), "{e:?}");
    assert!(e.iter().all(|(_, _, c)| !c.starts_with("19")), "{e:?}");
    let e = code_sentence("Russia reinforced its troops on the border with Ukraine.");
    assert!(has(&e, "Russia", "Ukraine", "154"), "{e:?}");
    // Market forces are no troops.
    let e = code_sentence("Peru will strengthen market forces.");
    assert!(e.is_empty(), "{e:?}");
}

#[test]
fn conceding_or_giving_in_to_demands_accedes_to_them() {
    // Not an admission (015): the demands are met.
    let e = code_sentence("Chile conceded to demands from Peru.");
    assert!(has(&e, "Chile", "Peru", "083"), "{e:?}");
    let e = code_sentence("Chile gave in to demands from Peru.");
    assert!(has(&e, "Chile", "Peru", "083"), "{e:?}");
}

#[test]
fn agreeing_with_someone_to_act_is_an_intent_not_an_accord() {
    let e = code_sentence("Chile agreed with Peru to build a bridge.");
    assert!(has(&e, "Chile", "Peru", "03"), "{e:?}");
    // Agreeing with someone on something stays an expressed accord (019).
    let e = code_sentence("Chile agreed with Peru on a plan.");
    assert!(has(&e, "Chile", "Peru", "019"), "{e:?}");
}

#[test]
fn aid_suspended_in_protest_is_a_cut_in_aid_only() {
    let e = code_sentence(
        "The European Commission said it had suspended humanitarian aid to Peru in protest at the harassment of aid organisations by the Peruvian army.",
    );
    assert!(has(&e, "European Commission", "Peru", "16"), "{e:?}");
    // Not a strike ended (082), not aid given (07), not a protest by the army (14).
    assert!(
        e.iter()
            .all(|(_, _, c)| !c.starts_with("08") && !c.starts_with("07") && !c.starts_with("14")),
        "{e:?}"
    );
}

#[test]
fn a_quantity_that_declines_refuses_nothing() {
    let e = code_sentence(
        "Chile said car sales in the early March period declined 8.2 pct to 99,882 units from a year ago.",
    );
    assert!(e.iter().all(|(_, _, c)| !c.starts_with("12")), "{e:?}");
    let e = code_sentence("Chile declined an invitation from Peru.");
    assert!(has(&e, "Chile", "Peru", "12"), "{e:?}");
}

#[test]
fn striking_targets_is_force_and_hitting_an_economic_target_is_not() {
    let e = code_sentence("The Chilean army is currently striking rebel targets in Peru.");
    assert!(has(&e, "Chilean army", "rebel targets", "19"), "{e:?}");
    let e = code_sentence("Chilean jets struck Peruvian military targets on Monday.");
    assert!(has(&e, "Chilean", "Peruvian military", "19"), "{e:?}");
    let e = code_sentence("Chile hit its inflation target for Peru.");
    assert!(e.is_empty(), "{e:?}");
}

#[test]
fn what_a_proposal_says_should_be_done_is_hypothetical() {
    let hyp = |body: &str| {
        rules::events_of(body)
            .into_iter()
            .map(|e| (e.target.map(|t| t.text).unwrap_or_default(), e.hypothetical))
            .collect::<Vec<_>>()
    };
    let e = hyp("Chile proposed that Peru send aid to Bolivia.");
    assert!(e.iter().any(|(t, h)| t == "Bolivia" && *h), "{e:?}");
    let e = hyp("Chile said that Peru sent aid to Bolivia.");
    assert!(e.iter().any(|(t, h)| t == "Bolivia" && !*h), "{e:?}");
}

#[test]
fn where_a_meeting_is_held_is_no_party_to_it() {
    let e = code_sentence("Chilean ministers will meet in Peru this weekend.");
    assert!(!has(&e, "Chilean ministers", "Peru", ""), "{e:?}");
    // Arriving in a country is visiting it.
    let e = code_sentence("The Chilean president arrived in Peru on Saturday for talks.");
    assert!(has(&e, "Chilean president", "Peru", "04"), "{e:?}");
}
