//! The normalize stage: a [`RawArticle`] becomes an [`Article`] whose text
//! every later stage can trust.
//!
//! * HTML bodies are rendered to text by a real parser ([`super::html`]).
//! * Text is Unicode NFC; zero-width and control characters go; runs of
//!   whitespace collapse to one space. Paragraphs survive as `\n\n`: a blank
//!   line or an indented line starts one, a single line break (wire text wraps
//!   its lines) is just a space.
//! * The URL is canonical ([`super::canonical_url`]).
//! * The language is the one given, else detected by whatlang. Non-English
//!   articles are flagged (`language.is_english = false`) and passed on.
//! * The id is the one given, else derived from the canonical URL, else from
//!   the normalized body: the same article always gets the same id.

use super::{canonical_url, html};
use crate::model::{Article, ErrorClass, Language, RawArticle, Rejection};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

pub fn normalize(raw: RawArticle) -> Result<Article, Rejection> {
    let body = if html::looks_like_html(&raw.body) {
        clean_text(&html::html_to_text(&raw.body))
    } else {
        clean_text(&raw.body)
    };
    if body.is_empty() {
        return Err(Rejection::new(
            ErrorClass::EmptyBody,
            "field `body` has no text once markup is removed",
        ));
    }
    let title = raw
        .title
        .as_deref()
        .map(|t| {
            if html::looks_like_html(t) {
                html::html_to_text(t)
            } else {
                t.to_string()
            }
        })
        .map(|t| clean_text(&t).replace("\n\n", " "))
        .filter(|t| !t.is_empty());
    let canonical_url = raw.url.as_deref().and_then(canonical_url::canonicalize);
    let id = match raw.id {
        Some(id) => id.trim().to_string(),
        None => match &canonical_url {
            Some(u) => format!("u-{}", short_hash(u.as_bytes())),
            None => format!("t-{}", short_hash(body.as_bytes())),
        },
    };
    let language = language_of(raw.language.as_deref(), &body);
    Ok(Article {
        id,
        url: raw.url,
        canonical_url,
        source: raw.source.map(|s| clean_text(&s)).filter(|s| !s.is_empty()),
        published_at: raw
            .published_at
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        title,
        word_count: word_count(&body),
        body,
        language,
        extra: raw.extra,
    })
}

/// First 16 hex digits of SHA-256: 64 bits, ample for ids of news articles.
pub fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    hex::encode(&digest[..8])
}

/// Words are maximal runs of alphanumeric characters.
pub fn word_count(text: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in text.chars() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            n += 1;
        }
        in_word = w;
    }
    n
}

/// NFC, drop invisible characters, collapse whitespace, keep paragraphs.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut pending_para = false;
    let mut newline_run = 0usize;
    let mut after_newline = false;
    // Most text is already NFC (all ASCII is): skip the normalizer then.
    let already_nfc = s.is_ascii()
        || unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes;
    let chars: Box<dyn Iterator<Item = char> + '_> = if already_nfc {
        Box::new(s.chars())
    } else {
        Box::new(s.nfc())
    };
    for c in chars {
        if c == '\n' {
            newline_run += 1;
            if newline_run >= 2 {
                pending_para = true;
            }
            pending_space = true;
            after_newline = true;
            continue;
        }
        if c.is_whitespace() {
            if after_newline && (c == ' ' || c == '\t') {
                // Indentation right after a line break: wire text's paragraph mark.
                // One space is tolerated (ragged wrapping); a tab or 2+ spaces count.
                newline_run += if c == '\t' { 2 } else { 1 };
                if newline_run >= 3 || c == '\t' {
                    pending_para = true;
                }
            }
            pending_space = true;
            continue;
        }
        if c.is_control() || is_invisible(c) {
            continue;
        }
        newline_run = 0;
        after_newline = false;
        if !out.is_empty() {
            if pending_para {
                out.push_str("\n\n");
            } else if pending_space {
                out.push(' ');
            }
        }
        pending_space = false;
        pending_para = false;
        out.push(c);
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// How much of the body language detection reads: trigram statistics of a
/// few sentences are as decisive as the whole article, and whatlang's cost
/// grows with the text.
const DETECT_BYTES: usize = 600;

fn language_of(given: Option<&str>, body: &str) -> Language {
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
            basis: "given",
            confidence: 1.0,
        };
    }
    // The first few hundred bytes decide the language as well as the whole text does,
    // at a fraction of the cost for long articles.
    let mut cut = body.len().min(DETECT_BYTES);
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    if let Some(confidence) = english_by_stopwords(&body[..cut]) {
        return Language {
            code: "en".into(),
            basis: "detected",
            confidence,
            is_english: true,
        };
    }
    match whatlang::detect(&body[..cut]) {
        Some(info) if info.is_reliable() || info.confidence() >= 0.5 => {
            let code3 = info.lang().code();
            let code = iso639_1(code3).unwrap_or(code3).to_string();
            Language {
                is_english: code == "en",
                code,
                basis: "detected",
                confidence: (info.confidence() * 1000.0).round() / 1000.0,
            }
        }
        // Too little text to tell: keep it English-eligible only if it is ASCII.
        _ => Language {
            code: "und".into(),
            basis: "undetermined",
            confidence: 0.0,
            is_english: body.is_ascii(),
        },
    }
}

/// Fast path for the common case. English running text is about 40 %
/// function words ("the", "of", "and", …); no other language written in
/// Latin script comes near that with *English* function words. When at least
/// 20 words are seen and over a quarter of them are on the list, the text is
/// English and whatlang (trigram statistics, ~10x slower) is not consulted.
fn english_by_stopwords(text: &str) -> Option<f64> {
    const STOP: &[&str] = &[
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "on", "was", "with", "as",
        "he", "by", "at", "said", "from", "his", "be", "have", "has", "are", "were", "an", "this",
        "which", "they", "but", "not", "had", "their", "after", "its", "will", "would", "been",
        "who", "over",
    ];
    let (mut words, mut stop) = (0u32, 0u32);
    for w in text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if w.len() <= 5 && STOP.iter().any(|s| s.eq_ignore_ascii_case(w)) {
            stop += 1;
        }
    }
    let share = f64::from(stop) / f64::from(words.max(1));
    (words >= 20 && share >= 0.25).then(|| ((0.5 + share).min(0.99) * 1000.0).round() / 1000.0)
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
    use crate::stages::parse::parse;

    fn norm(json: &str) -> Result<Article, Rejection> {
        normalize(parse(json.as_bytes(), 1 << 20).unwrap())
    }

    #[test]
    fn wire_text_unwraps_lines_and_keeps_paragraphs() {
        let t = clean_text("Showers continued in\nthe Bahia zone.\n    The dry period\nmeans lateness.\n\nNew para.");
        assert_eq!(
            t,
            "Showers continued in the Bahia zone.\n\nThe dry period means lateness.\n\nNew para."
        );
    }

    #[test]
    fn nfc_and_invisible_characters() {
        let t = clean_text("Cafe\u{0301}\u{200B}  au\u{00A0}lait");
        assert_eq!(t, "Caf\u{00E9} au lait");
    }

    #[test]
    fn ids_are_stable_and_content_derived() {
        let a = norm(r#"{"url":"https://www.x.example/a?utm_source=t","body":"Some text here."}"#)
            .unwrap();
        let b = norm(r#"{"url":"https://x.example/a","body":"Other text."}"#).unwrap();
        assert_eq!(a.id, b.id, "same canonical url, same id");
        assert!(a.id.starts_with("u-"));
        let c = norm(r#"{"body":"Some  text here."}"#).unwrap();
        let d = norm(r#"{"body":"Some text\nhere."}"#).unwrap();
        assert_eq!(c.id, d.id, "same normalized body, same id");
        assert!(c.id.starts_with("t-"));
    }

    #[test]
    fn html_body_that_renders_to_nothing_is_rejected() {
        let r = norm(r#"{"body":"<script>alert(1)</script>"}"#).unwrap_err();
        assert_eq!(r.class, ErrorClass::EmptyBody);
    }

    #[test]
    fn languages_are_flagged_not_dropped() {
        let es = norm(r#"{"body":"El gobierno de España anunció hoy nuevas medidas económicas para enfrentar la crisis energética que afecta a millones de familias en todo el país."}"#).unwrap();
        assert_eq!(es.language.code, "es");
        assert!(!es.language.is_english);
        let en = norm(r#"{"body":"The government announced new economic measures today to confront the energy crisis affecting millions of families across the country."}"#).unwrap();
        assert_eq!(en.language.code, "en");
        assert!(en.language.is_english);
        let fr = norm(r#"{"body":"Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les ménages face à la hausse des prix de l'énergie, a indiqué le ministre."}"#).unwrap();
        assert_eq!(fr.language.code, "fr", "French is not taken for English");
        let given = norm(r#"{"body":"x","language":"EN-gb"}"#).unwrap();
        assert_eq!(
            (given.language.code.as_str(), given.language.basis),
            ("en", "given")
        );
    }
}
