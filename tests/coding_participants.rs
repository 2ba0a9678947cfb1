//! The event coder's rules for participants, each on sentences of its own
//! wording (not from any evaluation set): datelines, appositives, names no
//! dictionary codes, possessors, forces sent, frames and coordination,
//! requests.

// The shared coder support; its `show` serves the other coder tests.
#[allow(dead_code)]
#[path = "support/coder.rs"]
mod coder;
#[path = "support/rules.rs"]
mod rules;

use rules::{code_sentence, has};

#[test]
fn a_dateline_is_not_part_of_the_subject() {
    // The phrase before the verb stops at the dateline's dash, one token or two.
    let e = code_sentence("QUITO - Armed men attacked a police station in Ecuador.");
    assert!(has(&e, "Armed men", "police station", "18"), "{e:?}");
    let e = code_sentence("LIMA, Peru -- Striking miners attacked the police.");
    assert!(e.iter().any(|(s, _, _)| s == "Striking miners"), "{e:?}");
}

#[test]
fn what_force_hits_comes_before_an_actor_that_only_places_it() {
    let e = code_sentence("Chilean jets bombed the rebel camp near the frontier with Bolivia.");
    assert!(has(&e, "Chilean", "rebel camp", "18"), "{e:?}");
    assert!(!has(&e, "", "Bolivia", ""), "{e:?}");
    // An actor inside the object itself stays the target.
    let e = code_sentence("Rebels attacked a convoy of Syrian troops near the border.");
    assert!(has(&e, "Rebels", "Syrian troops", "18"), "{e:?}");
}

#[test]
fn a_region_of_one_country_is_a_place_and_a_day_ends_its_phrase() {
    // "the Gaza Strip Sunday", "Iraqi Kurdistan Tuesday": the weekday is no part of the name.
    let e = code_sentence("Turkey ordered fresh strikes on Iraqi Kurdistan Tuesday.");
    assert!(has(&e, "Turkey", "Iraqi Kurdistan", "19"), "{e:?}");
}

#[test]
fn a_word_of_a_capitalised_name_is_no_event_noun() {
    // "Appeals" and "Pact" belong to names: no appeal governs "criticized", no pact is signed.
    let e = code_sentence("The Texas Court of Criminal Appeals criticized the governor.");
    assert!(has(&e, "Court", "governor", "111"), "{e:?}");
    let e = code_sentence(
        "The Southern Trade Pact, formed by Chile and Peru in 1990, is a customs union.",
    );
    assert!(e.is_empty(), "{e:?}");
    // After an abbreviation a wire's capital is still the event noun.
    let e = code_sentence("Officials said U.S. Pressure on Japan had eased.");
    assert!(has(&e, "U.S.", "Japan", "17"), "{e:?}");
}

#[test]
fn a_name_set_off_by_commas_after_the_subject_is_an_appositive() {
    // "The Grand Mufti of Cairo, Sheikh Ahmed Nour, has ...": the subject is before the name.
    let e = code_sentence("The Grand Mufti of Cairo, Sheikh Ahmed Nour, has criticized Britain.");
    assert!(has(&e, "Grand Mufti", "Britain", "111"), "{e:?}");
    // A coded name is the subject itself; a place after "In" is where, not who.
    let e = code_sentence("Iran's supreme leader, Ayatollah Ali Khamenei, criticized Israel.");
    assert!(has(&e, "Khamenei", "Israel", "111"), "{e:?}");
    let e = code_sentence("In Lima, Peru, protesters attacked the police.");
    assert!(has(&e, "protesters", "police", "18"), "{e:?}");
}

#[test]
fn a_name_after_the_preposition_of_the_governed_noun_is_the_object() {
    // "an investigation of Haddad": Haddad, unknown to the dictionaries, is investigated, not
    // the government named later.
    let e = code_sentence(
        "The FBI opened an investigation of Haddad based on his ties with the Russian government.",
    );
    assert!(has(&e, "FBI", "Haddad", "09"), "{e:?}");
    assert!(!has(&e, "", "Russian government", ""), "{e:?}");
    // A weekday there is a time: "ties on Saturday with Bhutan" are ties with Bhutan.
    let e = code_sentence("Chile established diplomatic ties on Saturday with Bhutan.");
    assert!(has(&e, "Chile", "Bhutan", "05"), "{e:?}");
    // A participle after a name, before a preposition, ends the phrase.
    let e = code_sentence("Chile criticized the merger with Banco Andino based on the new law.");
    assert!(e.iter().any(|(_, t, _)| t == "Banco Andino"), "{e:?}");
}

#[test]
fn the_sources_own_country_as_possessor_is_not_the_other_side() {
    let e = code_sentence("Erdogan reiterated Turkey's support for the government of Libya.");
    assert!(has(&e, "Erdogan", "Libya", "05"), "{e:?}");
    assert!(!has(&e, "", "Turkey", ""), "{e:?}");
    let e = code_sentence("Maduro closed Venezuela's borders with Colombia.");
    assert!(has(&e, "Maduro", "Colombia", "19"), "{e:?}");
    // A person as possessor is the other side.
    let e = code_sentence("Chile welcomed Lula's call for a summit.");
    assert!(has(&e, "Chile", "Lula", "05"), "{e:?}");
}

#[test]
fn a_refusal_until_a_passive_is_aimed_at_its_agent() {
    // "will not end the strike until their demands are met by X": X, a phrase, is the other side.
    let e = code_sentence(
        "Nurses in Lima say they will not end the strike until their demands are met by the hospital managers.",
    );
    assert!(has(&e, "Nurses", "hospital managers", "124"), "{e:?}");
    // The clause's subject phrase ends at its verb, which the word lists read as a noun.
    let e = code_sentence(
        "Chilean teachers will not end the strike until the ministry raises their pay.",
    );
    assert!(has(&e, "Chilean", "ministry", "124"), "{e:?}");
}

#[test]
fn strikes_begun_in_a_perfect_tense_are_strikes() {
    let e = code_sentence("Teachers in Chile have gone on strike.");
    assert!(has(&e, "Teachers in Chile", "", "143"), "{e:?}");
    let e = code_sentence("Miners in Peru have started a hunger strike.");
    assert!(has(&e, "Miners in Peru", "", "142"), "{e:?}");
}

#[test]
fn the_noun_of_the_act_itself_is_not_its_target() {
    // "signed an agreement to sell copper" names no other party: no event.
    let e = code_sentence("Codelco said it signed an agreement to sell copper.");
    assert!(e.is_empty(), "{e:?}");
    let e = code_sentence("Chile signed an agreement with Peru.");
    assert!(has(&e, "Chile", "Peru", "057"), "{e:?}");
    // Another act's noun stays a thing acted on (where a thing may be: a rejection).
    let e = code_sentence("Chile condemned the agreement.");
    assert!(has(&e, "Chile", "agreement", "11"), "{e:?}");
}

#[test]
fn a_month_is_no_participant() {
    let e = code_sentence("Elections last January returned Chancellor Helmut Kohl to power.");
    assert!(e.iter().all(|(s, _, _)| !s.contains("January")), "{e:?}");
    let e = code_sentence("The World Bank is expected to approve the loan by August.");
    assert!(e.iter().all(|(_, t, _)| t != "August"), "{e:?}");
}

#[test]
fn a_name_no_dictionary_knows_right_before_the_verb_is_the_subject() {
    // Not an actor further left, across "after".
    let e = code_sentence("Chile's rating fell after the Tower Commission criticised Peru.");
    assert!(has(&e, "Tower Commission", "Peru", "111"), "{e:?}");
    assert!(!has(&e, "Chile", "Peru", ""), "{e:?}");
    // "on" inside a name joins it; a second coordinated subject leaves the first in place.
    let e = code_sentence("The Canadian Coalition on Acid Rain hailed Mulroney's call.");
    assert!(
        e.iter()
            .any(|(s, _, _)| s == "Canadian Coalition on Acid Rain"),
        "{e:?}"
    );
    let e = code_sentence("Britain's Prince Charles and Princess Diana visited Saudi Arabia.");
    assert!(has(&e, "Prince Charles", "Saudi Arabia", "04"), "{e:?}");
}

#[test]
fn forces_mobilized_are_the_sources_own_and_aimed_at_whom_they_go_against() {
    // Mobilizing forces is 154, not rallying opposition (113); the army is Chile's own.
    let e = code_sentence("Chile mobilized troops against Peru.");
    assert!(has(&e, "Chile", "Peru", "154"), "{e:?}");
    let e = code_sentence("Chile mobilized the army for an offensive against Peru.");
    assert!(has(&e, "Chile", "Peru", "154"), "{e:?}");
    let e = code_sentence("Chile mobilized the army.");
    assert!(!has(&e, "Chile", "army", ""), "{e:?}");
    // Against a phrase no dictionary codes.
    let e =
        code_sentence("Chile mobilized the army for a battle against the remnants of the Sendero.");
    assert!(has(&e, "Chile", "Sendero", "154"), "{e:?}");
    // Supporters rallied against the government stay 113.
    let e = code_sentence("The opposition in Chile mobilized supporters against the government.");
    assert!(has(&e, "opposition", "government", "113"), "{e:?}");
}

#[test]
fn a_frame_word_does_not_govern_an_act_joined_to_it() {
    // "its rejection and condemnation of X": two acts, not a rejection of a condemnation.
    let e =
        code_sentence("Chile expressed its rejection and condemnation of the Peruvian decision.");
    assert!(has(&e, "Chile", "Peruvian", "111"), "{e:?}");
    assert!(has(&e, "Chile", "Peruvian", "12"), "{e:?}");
    // "refused to continue ... and pressed X": the pressing is no refusal.
    let e = code_sentence(
        "The IMF refused to continue financing the subsidies and pressed the government to explain.",
    );
    assert!(has(&e, "IMF", "government", "02"), "{e:?}");
}

#[test]
fn approving_a_request_or_granting_permission_yields() {
    // Acceding to a request is 083, not praise (051).
    let e = code_sentence("Chile approved a request from Peru for help.");
    assert!(has(&e, "Chile", "Peru", "083"), "{e:?}");
    // Granting permission is yielding (080).
    let e = code_sentence(
        "The Chilean court granted the Peruvian government permission to extradite him.",
    );
    assert!(has(&e, "court", "Peruvian", "080"), "{e:?}");
}

#[test]
fn declining_a_request_is_a_rejection_not_a_declined_comment() {
    let e =
        code_sentence("The Chilean navy declined a request from Peru to comment on the incident.");
    assert!(has(&e, "navy", "Peru", "12"), "{e:?}");
    assert!(e.iter().all(|(_, _, c)| c != "011"), "{e:?}");
    let e = code_sentence("The Chilean navy declined to comment on the request.");
    assert!(e.iter().all(|(_, _, c)| !c.starts_with("12")), "{e:?}");
}

#[test]
fn the_topic_of_coordinated_subjects_cooperation_is_no_other_party() {
    let e = code_sentence("Chile and Peru have agreed to share information on Bolivia.");
    assert!(has(&e, "Chile", "Peru", "03"), "{e:?}");
    assert!(!has(&e, "Chile", "Bolivia", ""), "{e:?}");
    let e = code_sentence(
        "Chilean and Peruvian negotiators failed to reach a deal on the Bolivian border.",
    );
    assert!(has(&e, "Chilean", "Peruvian", "12"), "{e:?}");
    // One subject: the topic stays the only other side named.
    let e = code_sentence("Chile agreed to send aid to Bolivia.");
    assert!(has(&e, "Chile", "Bolivia", "03"), "{e:?}");
    // A preposition the verb takes itself is no topic.
    let e = code_sentence("Chile and Peru agreed to send aid to Bolivia.");
    assert!(has(&e, "Peru", "Bolivia", "03"), "{e:?}");
}

#[test]
fn a_subject_that_faces_or_receives_an_act_from_another_is_its_target() {
    let e = code_sentence("Chile faces widespread criticism from the Peruvian government.");
    assert!(has(&e, "Peruvian government", "Chile", "111"), "{e:?}");
    let e = code_sentence("Chile drew condemnation from Peru.");
    assert!(has(&e, "Peru", "Chile", "111"), "{e:?}");
    let e = code_sentence("Chile has received significant financial support from Peru.");
    assert!(has(&e, "Peru", "Chile", "07"), "{e:?}");
    // Without "from", the subject acts.
    let e = code_sentence("Chile received the Peruvian president.");
    assert!(has(&e, "Chile", "Peruvian president", "043"), "{e:?}");
}

#[test]
fn forces_sent_to_act_act_for_their_sender() {
    let e = code_sentence("Chile sent troops to attack Bolivian rebels.");
    assert!(has(&e, "Chile", "Bolivian rebels", "18"), "{e:?}");
    // Sent somewhere, they act on the place's side unless their purpose names another.
    let e = code_sentence(
        "Chile will send a team of experts to Peru to investigate the crash of a Chilean airliner.",
    );
    assert!(has(&e, "Chile", "Peru", "09"), "{e:?}");
    // A purpose after a plain noun still has no actor of its own.
    let e = code_sentence("Chile raised funds to attack Bolivian rebels.");
    assert!(!has(&e, "Chile", "Bolivian rebels", "18"), "{e:?}");
}

#[test]
fn a_participle_after_a_plural_noun_ends_the_object() {
    // The refugees are refused, not the country they flee.
    let e = code_sentence(
        "Chile will not accept any Rohingya refugees fleeing a new spate of violence in neighbouring Peru's northern region.",
    );
    assert!(has(&e, "Chile", "refugees", "12"), "{e:?}");
    assert!(!has(&e, "Chile", "Peru", "12"), "{e:?}");
}

#[test]
fn a_named_place_after_with_or_against_is_the_other_side() {
    let e = code_sentence("Iran has threatened to close all borders with Iraqi Kurdistan.");
    assert!(has(&e, "Iran", "Iraqi Kurdistan", "13"), "{e:?}");
    // A place after a locative preposition is where, not whom.
    let e = code_sentence("Iran held talks in Iraqi Kurdistan.");
    assert!(!has(&e, "Iran", "Kurdistan", ""), "{e:?}");
}

#[test]
fn an_unknown_party_acting_on_a_thing_is_no_event() {
    let e = code_sentence(
        "Hughes Supply Inc said it has signed a letter of intent to acquire the assets.",
    );
    assert!(e.is_empty(), "{e:?}");
    let e = code_sentence("The company said it rejected the bid as inadequate.");
    assert!(e.is_empty(), "{e:?}");
    // Force against a thing stays, as does a coded side.
    let e = code_sentence("Armed men attacked an army camp near the border, killing 19 soldiers.");
    assert!(has(&e, "Armed men", "army camp", "1"), "{e:?}");
    let e = code_sentence("The Chilean government rejected the bid as inadequate.");
    assert!(has(&e, "Chilean government", "bid", "12"), "{e:?}");
}

#[test]
fn a_known_actor_cooperating_with_a_thing_is_no_event_but_rejecting_one_is() {
    let e = code_sentence("The official said Ivory Coast continued to support the new pact.");
    assert!(e.is_empty(), "{e:?}");
    let e = code_sentence("The Bank of Japan was aggressively supporting the dollar.");
    assert!(e.is_empty(), "{e:?}");
    let e = code_sentence("Baghdad has rejected the referendum as unconstitutional.");
    assert!(has(&e, "Baghdad", "referendum", "12"), "{e:?}");
}

#[test]
fn a_country_discussed_is_the_topic_and_the_one_after_with_is_consulted() {
    let e = code_sentence("Erdogan discussed Libya with the Chilean president in a phone call.");
    assert!(has(&e, "Erdogan", "Chilean president", "04"), "{e:?}");
    assert!(!has(&e, "Erdogan", "Libya", "04"), "{e:?}");
    // A person met first stays the one met.
    let e = code_sentence("Erdogan met Putin with the Chilean president in Sochi.");
    assert!(has(&e, "Erdogan", "Putin", "04"), "{e:?}");
}

#[test]
fn a_protest_aimed_at_a_government_names_its_grievance() {
    let e = code_sentence(
        "A Chilean woman has started a hunger strike, protesting the pension system.",
    );
    assert!(has(&e, "Chilean", "pension system", "142"), "{e:?}");
    let e = code_sentence("Teachers in Chile went on strike in protest at the pension reform.");
    assert!(
        has(&e, "Teachers in Chile", "pension reform", "143"),
        "{e:?}"
    );
}

#[test]
fn a_counterpart_named_after_its_country_is_that_person() {
    let e =
        code_sentence("Chile's president met his Russian counterpart Vladimir Putin in Moscow.");
    assert!(
        has(&e, "Chile's president", "Vladimir Putin", "04"),
        "{e:?}"
    );
    let e = code_sentence(
        "Chile's foreign minister met his Russian counterpart, Sergei Lavrov, in Moscow.",
    );
    assert!(
        has(&e, "Chile's foreign minister", "Sergei Lavrov", "04"),
        "{e:?}"
    );
    // The subject's own forces are still not the other side: the withdrawal has no target.
    let e = code_sentence("Chile withdrew its troops.");
    assert!(!has(&e, "", "troops", ""), "{e:?}");
    assert!(has(&e, "Chile", rules::NO_TARGET, "087"), "{e:?}");
}

#[test]
fn pledges_of_a_list_of_donors_are_not_pledges_to_each_other() {
    let e = code_sentence("Several countries, notably Chile, Peru and Bolivia, had already made pledges towards the appeal.");
    assert!(!has(&e, "Chile", "Peru", ""), "{e:?}");
    // A cooperative act of coordinated subjects stays mutual.
    let e = code_sentence("Chile and Peru agreed to a ceasefire.");
    assert!(has(&e, "Chile", "Peru", "0"), "{e:?}");
}

#[test]
fn the_outlet_publishing_the_article_is_no_party_of_its_events() {
    let code = |source: &str| {
        let line = serde_json::json!({
            "id": "outlet", "url": "https://rules.example/2", "source": source,
            "published_at": "2024-03-01T12:00:00Z", "title": "",
            "body": "A Chilean spokesman, contacted by telephone in Santiago, told Reuters the government would not comment."
        })
        .to_string();
        coder::extractor()
            .extract(&coder::article(line.as_bytes()))
            .events
            .iter()
            .map(|e| {
                let t = e.target.as_ref().map(|t| t.text.clone());
                (e.source.text.clone(), t.unwrap_or_default())
            })
            .collect::<Vec<_>>()
    };
    let e = code("Reuters");
    assert!(
        e.iter().all(|(s, t)| s != "Reuters" && t != "Reuters"),
        "{e:?}"
    );
    // From another outlet, Reuters is a party like any other.
    let e = code("rules");
    assert!(
        e.iter().any(|(s, t)| s == "Reuters" || t == "Reuters"),
        "{e:?}"
    );
}

#[test]
fn a_place_glued_to_a_participle_describes_the_noun_and_acts_for_no_one() {
    // "Tokyo-based" is where the company sits, not the Japanese government; the phrase is
    // the other side.
    let e = code_sentence("Chile signed an agreement with a Tokyo-based company.");
    assert!(has(&e, "Chile", "Tokyo-based company", "057"), "{e:?}");
    assert!(!e.iter().any(|(_, t, _)| t == "Tokyo-based"), "{e:?}");
    // "Chinese-made" is where the missiles come from: no Chinese party, and no act between
    // parties.
    let e = code_sentence("Iran has acquired Chinese-made missiles.");
    assert!(e.is_empty(), "{e:?}");
    let e = code_sentence("Chile condemned the Japanese-born businessman.");
    assert!(!e.iter().any(|(_, t, _)| t == "Japanese-born"), "{e:?}");
    // A nationality before a currency names the money, not a party.
    let e = code_sentence("Chile will receive 1.7 mln British pounds in cash.");
    assert!(e.is_empty(), "{e:?}");
    let e = code_sentence("Chile signed a 45 mln U.S. dlr loan with Peru.");
    assert!(has(&e, "Chile", "Peru", "057"), "{e:?}");
    assert!(!has(&e, "Chile", "U.S.", ""), "{e:?}");
    // A nationality before the noun still names the side.
    let e = code_sentence("Chile signed an agreement with a Japanese company.");
    assert!(has(&e, "Chile", "Japanese company", "057"), "{e:?}");
}

#[test]
fn a_country_a_transfer_passes_through_is_its_route_not_its_recipient() {
    let e = code_sentence("Chile shipped weapons through Bolivia.");
    assert!(!has(&e, "Chile", "Bolivia", ""), "{e:?}");
    let e = code_sentence("Chile sold weapons to Peru through Bolivia.");
    assert!(has(&e, "Chile", "Peru", "07"), "{e:?}");
    assert!(!has(&e, "Chile", "Bolivia", ""), "{e:?}");
}

#[test]
fn the_pronoun_subject_after_a_telling_verb_is_the_teller() {
    // "it" is Chile, not Peru, the one told.
    let e = code_sentence("Chile told Peru it would impose sanctions on Bolivia.");
    assert!(has(&e, "Chile", "Bolivia", "16"), "{e:?}");
    assert!(!has(&e, "Peru", "Bolivia", ""), "{e:?}");
    let e = code_sentence("Chile has assured Peru that it will continue to give Bolivia support.");
    assert!(has(&e, "Chile", "Bolivia", "03"), "{e:?}");
    // A complement that directs the one told is about the one told.
    let e = code_sentence("Chile told Peru it must withdraw its troops from Bolivia.");
    assert!(!has(&e, "Chile", "Bolivia", "0"), "{e:?}");
}

#[test]
fn an_event_noun_joined_on_by_and_has_participants_of_its_own() {
    let e = code_sentence(
        "A visit here next week by Chilean officials and a visit to Lima by a Bolivian envoy were announced.",
    );
    assert!(has(&e, "Bolivian", "Lima", "042"), "{e:?}");
    assert!(!has(&e, "Chilean", "Lima", ""), "{e:?}");
}

#[test]
fn a_name_that_only_modifies_a_thing_names_no_other_party() {
    // "the Andean Pact proposal" is a proposal: supporting it is no act between parties.
    let e = code_sentence("Chile supported the Andean Pact proposal.");
    assert!(e.is_empty(), "{e:?}");
    // A possessor names someone, and a counted group is its members.
    let e = code_sentence("Chile welcomed Juan Perez's call for talks.");
    assert!(has(&e, "Chile", "Juan Perez", "05"), "{e:?}");
    let e =
        code_sentence("Chilean authorities opened fraud investigations against hundreds of banks.");
    assert!(
        has(&e, "Chilean authorities", "hundreds of banks", "09"),
        "{e:?}"
    );
    // A named place is where an act is aimed.
    let e = code_sentence("Chilean troops withdrew from the Atacama region on Sunday.");
    assert!(has(&e, "Chilean troops", "Atacama region", "08"), "{e:?}");
}

#[test]
fn a_capital_in_an_address_is_no_government() {
    // "Acme Corp, Tokyo, Japan": where the company is, not the Japanese government.
    let e = code_sentence("Chile signed an agreement with Acme Corp, Tokyo, Japan, on copper.");
    assert!(!e.iter().any(|(_, t, _)| t == "Tokyo"), "{e:?}");
    // A capital named as the other side stands for its government.
    let e = code_sentence("Chile signed an agreement with Tokyo on copper.");
    assert!(has(&e, "Chile", "Tokyo", "057"), "{e:?}");
}

#[test]
fn a_possessive_may_open_the_later_conjunct_of_a_subject() {
    let e = code_sentence(
        "The Chilean president and his Peruvian counterpart, Juan Perez, signed a trade agreement on Monday.",
    );
    assert!(has(&e, "Chilean president", "Peruvian", "057"), "{e:?}");
    assert!(has(&e, "Peruvian", "Chilean president", "057"), "{e:?}");
}

#[test]
fn and_between_capitalised_words_no_dictionary_knows_is_part_of_a_name() {
    let e = code_sentence("The Chilean Senate Ways and Means chairman criticized Peru.");
    assert!(
        e.iter()
            .any(|(s, t, c)| s.contains("Ways and Means chairman")
                && t == "Peru"
                && c.starts_with("11")),
        "{e:?}"
    );
    // Two countries stay two subjects.
    let e = code_sentence("Britain and France criticized Peru.");
    assert!(
        has(&e, "Britain", "Peru", "11") && has(&e, "France", "Peru", "11"),
        "{e:?}"
    );
}
