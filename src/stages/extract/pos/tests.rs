use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{Tag, Tagger, TaggerLoadError};

fn shipped() -> &'static Tagger {
    static T: OnceLock<Tagger> = OnceLock::new();
    T.get_or_init(|| {
        Tagger::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/tagger"))
            .expect("data/tagger loads")
    })
}

fn tags(t: &Tagger, sentence: &str) -> Vec<Tag> {
    let words: Vec<&str> = sentence.split(' ').collect();
    let mut out = vec![Tag::SYM; 3];
    t.tag(&words, &mut out);
    assert_eq!(out.len(), words.len());
    out
}

fn strs(tags: &[Tag]) -> Vec<&'static str> {
    tags.iter().map(|t| t.as_str()).collect()
}

#[test]
fn news_sentences_with_the_shipped_data() {
    let t = shipped();
    assert_eq!(
        strs(&tags(t, "Rebels attacked the town")),
        ["NNS", "VBD", "DT", "NN"]
    );
    assert_eq!(
        strs(&tags(t, "He will visit Moscow")),
        ["PRP", "MD", "VB", "NNP"]
    );
    assert_eq!(
        strs(&tags(t, "The government said it would respond .")),
        ["DT", "NN", "VBD", "PRP", "MD", "VB", "."]
    );
    // Brill's rules have no `NNS _ CD` context: "killed" keeps its lexicon tag, VBN.
    let a = tags(t, "The attacks killed 12 people");
    assert_eq!(strs(&[a[0], a[1], a[3], a[4]]), ["DT", "NNS", "CD", "NNS"]);
    assert!(a[2].is_verb());
    let p = tags(t, "Police fired tear gas");
    assert!(p[0].is_noun());
    assert_eq!((p[1], p[3]), (Tag::VBD, Tag::NN));
    // Lowercase lookup for the first word and for all-capital words.
    assert_eq!(strs(&tags(t, "THE TROOPS")), ["DT", "NNS"]);
    assert!(t.is_known("Hostages", 0), "first word in lowercase");
    assert!(!t.is_known("Hostages", 1), "capitalised word elsewhere");
    assert!(t.is_known("HOSTAGES", 1), "all capitals in lowercase");
}

#[test]
fn tag_strings_round_trip_and_helpers() {
    for &tag in Tag::ALL {
        assert_eq!(Tag::parse(tag.as_str()), Some(tag));
    }
    assert_eq!(Tag::ALL.len(), 46);
    assert_eq!(std::mem::size_of::<Tag>(), 1);
    assert_eq!(Tag::parse("PRP$"), Some(Tag::PRPS));
    assert_eq!(Tag::parse("NN|JJ"), None);
    assert!(Tag::NNS.is_noun() && Tag::NNPS.is_proper_noun() && Tag::NNS.is_plural_noun());
    assert!(Tag::VBD.is_verb() && Tag::VBD.is_finite_verb() && !Tag::VBN.is_finite_verb());
    assert!(!Tag::MD.is_verb() && Tag::JJS.is_adj() && Tag::RBR.is_adverb());
    assert!(Tag::PRPS.is_pronoun() && Tag::PDT.is_determiner() && Tag::TO.is_preposition());
    assert!(
        Tag::Comma.is_punctuation() && Tag::Hash.is_punctuation() && !Tag::WRB.is_punctuation()
    );
    assert_eq!(Tag::CloseQuote.to_string(), "''");
}

const LEXICON: &str =
    "# word\ttag\nthe\tDT\ndog\tNN\ncat\tNN\nbarks\tVBZ\nto\tTO\nrun\tNN\nunkind\tJJ\n#1\tCD\n";

fn tiny(lexical: &str, context: &str) -> Result<Tagger, TaggerLoadError> {
    Tagger::parse(
        (Path::new("lexicon.tsv"), LEXICON),
        (Path::new("lexical_rules.tsv"), lexical),
        (Path::new("context_rules.tsv"), context),
    )
}

#[test]
fn each_contextual_template() {
    // (rule turning "run" from NN into VB, a sentence where it fires, one where it does not)
    let cases = [
        ("PREVTAG\tTO", "to run", "the run"),
        ("NEXTTAG\tDT", "run the dog", "run dog"),
        ("PREV2TAG\tTO", "to the run", "the to run"),
        ("NEXT2TAG\tNN", "run the dog", "run dog the"),
        ("PREV1OR2TAG\tTO", "to the run", "to the the run"),
        ("NEXT1OR2TAG\tNN", "run the dog", "run the the dog"),
        ("PREV1OR2OR3TAG\tTO", "to the the run", "to the the the run"),
        (
            "NEXT1OR2OR3TAG\tNN",
            "run the the dog",
            "run the the the dog",
        ),
        ("SURROUNDTAG\tDT\tDT", "the run the", "the run dog"),
        ("CURWD\trun", "the run", "the cat"),
        ("PREVWD\tto", "to run", "the run"),
        ("NEXTWD\tthe", "run the", "run dog"),
        ("PREV1OR2WD\tto", "to the run", "to the the run"),
        ("NEXT1OR2WD\tdog", "run the dog", "run the the dog"),
        ("PREVWDTAG\tto\tTO", "to run", "the run"),
        ("NEXTWDTAG\tthe\tDT", "run the", "run dog"),
        ("WDPREVTAG\tTO\trun", "to run", "to cat"),
        ("WDNEXTTAG\trun\tDT", "run the", "cat the"),
        ("WDAND2AFT\trun\tdog", "run the dog", "run the cat"),
        ("WDAND2TAGBFR\tTO\trun", "to the run", "to the cat"),
        ("WDAND2TAGAFT\trun\tNN", "run the dog", "run the the"),
        ("LBIGRAM\tto\trun", "to run", "to cat"),
        ("RBIGRAM\trun\tthe", "run the", "cat the"),
        ("PREVBIGRAM\tTO\tDT", "to the run", "the to run"),
        ("NEXTBIGRAM\tDT\tNN", "run the dog", "run dog the"),
        ("PREVTAG\tSTAART", "run the", "the run"),
        ("NEXT2TAG\tSTAART", "run the", "run the dog"),
        ("PREVWD\tSTAART", "run the", "the run"),
    ];
    for (rule, fires, stays) in cases {
        let t = tiny("", &format!("NN\tVB\t{rule}\n")).unwrap_or_else(|e| panic!("{rule}: {e}"));
        for (sentence, want) in [(fires, Tag::VB), (stays, Tag::NN)] {
            let words: Vec<&str> = sentence.split(' ').collect();
            let i = words
                .iter()
                .position(|w| *w == "run" || *w == "cat")
                .unwrap();
            assert_eq!(tags(&t, sentence)[i], want, "{rule} on {sentence:?}");
        }
    }
}

#[test]
fn contextual_rules_use_the_tag_a_word_arrived_with_and_the_last_match_wins() {
    // The second rule's from-tag is VB, which "run" only gets from the first: it does not fire.
    let t = tiny("", "NN\tVB\tPREVTAG\tDT\nVB\tJJ\tPREVTAG\tDT\n").unwrap();
    assert_eq!(strs(&tags(&t, "the run")), ["DT", "VB"]);
    // Two rules for NN: the later one decides.
    let t = tiny("", "NN\tVB\tPREVTAG\tDT\nNN\tJJ\tNEXTTAG\tSTAART\n").unwrap();
    assert_eq!(strs(&tags(&t, "the run")), ["DT", "JJ"]);
    // Left neighbours are read with their new tags: "dog" becomes VB, then "cat" sees it.
    let t = tiny("", "NN\tVB\tPREVTAG\tDT\nNN\tJJ\tPREVTAG\tVB\n").unwrap();
    assert_eq!(strs(&tags(&t, "the dog cat")), ["DT", "VB", "JJ"]);
    // `*` matches every tag, in file order with the others.
    let t = tiny(
        "",
        "NN\tVB\tNEXTWD\tbarks\n*\tSYM\tNEXTWD\tdog\n*\tJJ\tNEXTWD\tbarks\n",
    )
    .unwrap();
    assert_eq!(strs(&tags(&t, "the dog barks")), ["SYM", "JJ", "VBZ"]);
}

#[test]
fn each_lexical_template_and_unknown_word_defaults() {
    // (rule, unknown word in context, tag it gets; the same word otherwise stays NN)
    let cases = [
        ("word\t*\tzorp\tVB", "zorp", "zorpa"),
        ("char\t*\t-\tJJ", "zo-rp", "zorp"),
        ("haspref\t*\tun\tJJ", "unzorp", "zorpun"),
        ("hassuf\t*\tly\tRB", "zorply", "zorp"),
        ("addpref\t*\tun\tJJ", "kind", "zorp"),
        ("addsuf\t*\ts\tVB", "bark", "zorp"),
        ("deletepref\t*\tun\tVB", "undog", "unzorp"),
        ("deletesuf\t*\tly\tRB", "catly", "zorply"),
        ("goodleft\t*\tbarks\tNNS", "zorp barks", "zorp the"),
        ("goodright\t*\tto\tVB", "to zorp", "the zorp"),
        ("hassuf\tNN\tp\tJJ", "zorp", "zorpa"),
    ];
    for (rule, fires, stays) in cases {
        let t = tiny(&format!("{rule}\n"), "").unwrap_or_else(|e| panic!("{rule}: {e}"));
        let to = Tag::parse(rule.rsplit('\t').next().unwrap()).unwrap();
        for (sentence, want) in [(fires, to), (stays, Tag::NN)] {
            let i = if sentence.starts_with("to ") || sentence.starts_with("the ") {
                1
            } else {
                0
            };
            assert_eq!(tags(&t, sentence)[i], want, "{rule} on {sentence:?}");
        }
    }
    // A condition tag is the tag earlier rules gave, and missing neighbours match no word.
    let t = tiny(
        "word\t*\tzorp\tVB\nhassuf\tVB\trp\tJJ\nhassuf\tNN\tp\tRB\ngoodright\t*\tSTAART\tCD\n",
        "",
    )
    .unwrap();
    assert_eq!(strs(&tags(&t, "zorp")), ["JJ"]);
    // Defaults: capitalised -> NNP (not for the first word found in lowercase), numbers -> CD.
    let t = tiny("hassuf\t*\tp\tJJ\n", "").unwrap();
    assert_eq!(
        strs(&tags(&t, "The Zorp 12,5 3/4 U.S. NATO zorp #1")),
        ["DT", "NNP", "CD", "CD", "NNP", "NN", "JJ", "CD"]
    );
}

#[test]
fn load_errors_name_the_file_and_line() {
    let msg = |r: Result<Tagger, TaggerLoadError>| r.unwrap_err().to_string();
    let e = Tagger::parse(
        (Path::new("lexicon.tsv"), "# header\nthe\tDT\ndog\tNOUN\n"),
        (Path::new("lexical_rules.tsv"), ""),
        (Path::new("context_rules.tsv"), ""),
    );
    assert_eq!(msg(e), "lexicon.tsv:3: unknown tag \"NOUN\"");
    assert!(msg(tiny("hassuf\t*\tly\tRB\nsuffix\t*\tly\tRB\n", ""))
        .starts_with("lexical_rules.tsv:2: unknown lexical rule"));
    assert!(msg(tiny("hassuf\t*\tly\n", "")).starts_with("lexical_rules.tsv:1: expected 4"));
    assert!(msg(tiny("", "NN\tVB\tSURROUNDTAG\tDT\n"))
        .starts_with("context_rules.tsv:1: SURROUNDTAG takes 2"));
    assert!(msg(tiny("", "\nNN\tVB\tPREVTAG\tXX\n"))
        .starts_with("context_rules.tsv:2: unknown tag \"XX\""));
    assert!(msg(tiny("", "NN\tVB\tNEARTAG\tDT\n")).contains("unknown contextual rule"));
    let dir = tempfile::tempdir().unwrap();
    let e = Tagger::load(dir.path()).unwrap_err();
    assert!(e.to_string().contains("lexicon.tsv"), "{e}");
    assert!(matches!(e, TaggerLoadError::Io { .. }) && std::error::Error::source(&e).is_some());
}
