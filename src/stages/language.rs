//! Language of an article: the one given (any BCP 47 tag, reduced to ISO
//! 639-1), else detected.
//!
//! Detection looks at English function words first (cheap, and decisive for
//! the English running text most feeds carry), and only then asks whatlang's
//! trigram model, on a prefix of the body. Text too short to tell is
//! "und", English-eligible when it is ASCII (a short one also with
//! typographic quotes, dashes and spaces). On a short text (under 20 words, a
//! single news sentence) whatlang's guess counts only when it calls it
//! reliable: its trigrams take "Chinese hackers may have launched cyber
//! attacks" for Italian.

use crate::model::{Language, LanguageBasis};

/// How much of the body language detection reads: trigram statistics of a
/// few sentences are as decisive as the whole article, and whatlang's cost
/// grows with the text.
const DETECT_BYTES: usize = 600;

pub fn language_of(given: Option<&str>, body: &str) -> Language {
    if let Some(tag) = given {
        let code = tag
            .split(['-', '_'])
            .next()
            .unwrap_or(tag)
            .to_ascii_lowercase();
        let code = iso639_1(&code).unwrap_or(&code).to_string();
        return Language {
            is_english: code == "en",
            code,
            basis: LanguageBasis::Given,
            confidence: 1.0,
        };
    }
    // The first few hundred bytes decide the language as well as the whole text does,
    // at a fraction of the cost for long articles.
    let head = prefix(body, DETECT_BYTES);
    // Tables and lists open many wire stories ("Shr 1.20 dlrs vs 1.10"):
    // before the trigram model, give the function words a longer look.
    let long = prefix(body, 4 * DETECT_BYTES);
    let by_stopwords = english_by_stopwords(head).or_else(|| {
        (long.len() > head.len())
            .then(|| english_by_stopwords(long))
            .flatten()
    });
    if let Some(confidence) = by_stopwords {
        return Language {
            code: "en".into(),
            basis: LanguageBasis::Detected,
            confidence,
            is_english: true,
        };
    }
    let short = words(head) < SHORT_WORDS;
    match whatlang::detect(head) {
        Some(info) if info.is_reliable() || (info.confidence() >= 0.5 && !short) => {
            let code3 = info.lang().code();
            let code = iso639_1(code3).unwrap_or(code3).to_string();
            Language {
                is_english: code == "en",
                code,
                basis: LanguageBasis::Detected,
                confidence: (info.confidence() * 1000.0).round() / 1000.0,
            }
        }
        // Too little text to tell: English-eligible when written in plain
        // English letters (see `plain_english`). A longer text no language
        // model can place: when pure ASCII (tables), or plain English and
        // mostly letters (prose the model found too short of function words,
        // not markup debris or a run of symbols).
        _ => Language {
            code: "und".into(),
            basis: LanguageBasis::Undetermined,
            confidence: 0.0,
            is_english: if short {
                plain_english(body)
            } else {
                body.is_ascii() || (plain_english(body) && mostly_letters(body))
            },
        },
    }
}

/// Below this many words a text is one sentence or a headline, where
/// trigram statistics are a guess.
const SHORT_WORDS: usize = 20;

fn words(text: &str) -> usize {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .count()
}

/// ASCII, but for typographic spaces, quotes and dashes (U+00A0, the General
/// Punctuation block) and currency signs ("€45m", "£3bn"), which English news
/// text carries too; letters outside ASCII only in capitalised words, the
/// names English text borrows ("Pérez Molina", "São Paulo"), not in the
/// lower-case words of another language ("über", "anunció").
fn plain_english(text: &str) -> bool {
    let mut capitalised = false;
    let mut prev_letter = false;
    for c in text.chars() {
        let letter = c.is_alphabetic();
        if letter && !prev_letter {
            capitalised = c.is_uppercase();
        }
        prev_letter = letter;
        let plain = c.is_ascii()
            || c == '\u{a0}'
            || ('\u{2000}'..='\u{206f}').contains(&c)
            || ('\u{20a0}'..='\u{20cf}').contains(&c)
            || matches!(c, '£' | '¥')
            || (letter && capitalised && ('\u{c0}'..='\u{24f}').contains(&c));
        if !plain {
            return false;
        }
    }
    true
}

/// At least 60 % of the text's visible characters are letters, as in prose
/// (markup debris and runs of symbols have far fewer).
fn mostly_letters(text: &str) -> bool {
    let (mut letters, mut visible) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        letters += usize::from(c.is_alphabetic());
    }
    letters * 10 >= visible * 6
}

/// At most the first `n` bytes of `s`, cut at a character boundary.
fn prefix(s: &str, n: usize) -> &str {
    let mut cut = s.len().min(n);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    &s[..cut]
}

/// Fast path for the common case. English running text is about 40 %
/// function words ("the", "of", "and", …); no other language written in
/// Latin script comes near that with *English* function words. When at least
/// 20 words are seen and over a quarter of them are on the list, the text is
/// English and whatlang (trigram statistics, ~10x slower) is not consulted.
fn english_by_stopwords(text: &str) -> Option<f64> {
    let (mut words, mut stop) = (0u32, 0u32);
    for w in text
        .as_bytes()
        .split(|c| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        stop += u32::from(is_english_stopword(w));
    }
    let share = f64::from(stop) / f64::from(words.max(1));
    (words >= 20 && share >= 0.25).then(|| ((0.5 + share).min(0.99) * 1000.0).round() / 1000.0)
}

/// The 40 most frequent English function words, in any case.
fn is_english_stopword(w: &[u8]) -> bool {
    if w.len() > 5 {
        return false;
    }
    let mut buf = [0u8; 5];
    for (d, c) in buf.iter_mut().zip(w) {
        *d = c.to_ascii_lowercase();
    }
    matches!(
        &buf[..w.len()],
        b"the"
            | b"of"
            | b"and"
            | b"to"
            | b"in"
            | b"a"
            | b"is"
            | b"that"
            | b"for"
            | b"it"
            | b"on"
            | b"was"
            | b"with"
            | b"as"
            | b"he"
            | b"by"
            | b"at"
            | b"said"
            | b"from"
            | b"his"
            | b"be"
            | b"have"
            | b"has"
            | b"are"
            | b"were"
            | b"an"
            | b"this"
            | b"which"
            | b"they"
            | b"but"
            | b"not"
            | b"had"
            | b"their"
            | b"after"
            | b"its"
            | b"will"
            | b"would"
            | b"been"
            | b"who"
            | b"over"
    )
}

/// ISO 639-3 (whatlang's codes) to ISO 639-1 for the languages that have one.
/// Also accepts a 639-1 code and returns it, so given tags normalize too.
fn iso639_1(code: &str) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("eng", "en"),
        ("spa", "es"),
        ("fra", "fr"),
        ("deu", "de"),
        ("ita", "it"),
        ("por", "pt"),
        ("rus", "ru"),
        ("ukr", "uk"),
        ("pol", "pl"),
        ("nld", "nl"),
        ("swe", "sv"),
        ("dan", "da"),
        ("nob", "nb"),
        ("fin", "fi"),
        ("ces", "cs"),
        ("slk", "sk"),
        ("slv", "sl"),
        ("hrv", "hr"),
        ("srp", "sr"),
        ("bul", "bg"),
        ("ron", "ro"),
        ("hun", "hu"),
        ("ell", "el"),
        ("tur", "tr"),
        ("ara", "ar"),
        ("heb", "he"),
        ("pes", "fa"),
        ("urd", "ur"),
        ("hin", "hi"),
        ("ben", "bn"),
        ("tam", "ta"),
        ("tel", "te"),
        ("mar", "mr"),
        ("guj", "gu"),
        ("pan", "pa"),
        ("kan", "kn"),
        ("mal", "ml"),
        ("ori", "or"),
        ("nep", "ne"),
        ("sin", "si"),
        ("tha", "th"),
        ("vie", "vi"),
        ("ind", "id"),
        ("jav", "jv"),
        ("tgl", "tl"),
        ("cmn", "zh"),
        ("jpn", "ja"),
        ("kor", "ko"),
        ("kat", "ka"),
        ("hye", "hy"),
        ("aze", "az"),
        ("uzb", "uz"),
        ("kaz", "kk"),
        ("bel", "be"),
        ("lit", "lt"),
        ("lav", "lv"),
        ("est", "et"),
        ("afr", "af"),
        ("zul", "zu"),
        ("xho", "xh"),
        ("sna", "sn"),
        ("yor", "yo"),
        ("ibo", "ig"),
        ("hau", "ha"),
        ("amh", "am"),
        ("som", "so"),
        ("swa", "sw"),
        ("epo", "eo"),
        ("lat", "la"),
        ("cat", "ca"),
        ("mkd", "mk"),
        ("khm", "km"),
        ("mya", "my"),
        ("aka", "ak"),
        ("tuk", "tk"),
        ("yid", "yi"),
    ];
    TABLE
        .iter()
        .find(|(three, two)| *three == code || *two == code)
        .map(|(_, two)| *two)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_tags_reduce_to_iso_639_1() {
        let l = language_of(Some("fra"), "whatever");
        assert_eq!(
            (l.code.as_str(), l.basis, l.is_english),
            ("fr", LanguageBasis::Given, false)
        );
        assert_eq!(language_of(Some("en_US"), "x").code, "en");
    }

    #[test]
    fn a_table_before_the_prose_is_still_english_by_function_words() {
        let table =
            "Shr 1.20 dlrs vs 1.10 dlrs Net 12.3 mln vs 11.1 mln Revs 100.4 mln vs 90.2 mln "
                .repeat(8);
        let prose = "The company said on Tuesday that it had agreed to sell its unit to a group of investors, \
                     and that the sale would be completed in the second quarter of the year. "
            .repeat(6);
        let l = language_of(None, &format!("{table}{prose}"));
        assert_eq!(
            (l.code.as_str(), l.basis, l.is_english),
            ("en", LanguageBasis::Detected, true)
        );
        assert!(
            english_by_stopwords(&table).is_none(),
            "the table alone says nothing"
        );
    }

    #[test]
    fn short_text_is_undetermined() {
        let l = language_of(None, "Ok");
        assert_eq!(
            (l.code.as_str(), l.basis),
            ("und", LanguageBasis::Undetermined)
        );
        assert!(l.is_english, "ASCII stays English-eligible");
    }

    #[test]
    fn a_short_sentence_is_not_taken_for_another_language_on_a_guess() {
        for s in [
            "Chinese hackers may have launched cyber attacks on India's power system.",
            "Algeria authorities suspended publication of Algeria's largest newspaper.",
            "Palestinian leaders have rejected the \u{201c}decision\u{201d} \u{2014} again.",
        ] {
            assert!(language_of(None, s).is_english, "{s}");
        }
        // Currency signs, and accented letters in names, are English text too.
        for s in [
            "The Commission announced \u{20ac}60 million of aid for Somalia, an official said.",
            "President Otto P\u{e9}rez Molina declared a state of siege in the town and sent in troops, officials in S\u{e3}o Paulo said.",
            "Palestinian leaders have rejected the \u{201c}decision\u{201d} to move the embassy, calling it dangerous and insulting, an official said on Sunday.",
        ] {
            let l = language_of(None, s);
            assert!(l.is_english, "{s}: {l:?}");
        }
        // A long run of typographic symbols with hardly a letter is no English text.
        let soup = "\u{201c}x\u{201d} \u{2019} & <b> \u{a0} ".repeat(40);
        assert!(!language_of(None, &soup).is_english);
        // Letters outside ASCII in lower-case words are not English-eligible on a guess.
        let de = language_of(
            None,
            "Die Regierung hat über die schwierige Lage gesprochen.",
        );
        assert!(!de.is_english, "{de:?}");
        // A long text keeps whatlang's verdict.
        let es = "El gobierno de España anunció hoy que enviará ayuda humanitaria a la región afectada por las inundaciones, según informó el ministerio en un comunicado.";
        assert_eq!(language_of(None, es).code, "es");
    }
}
