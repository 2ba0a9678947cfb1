//! The normalize stage: a [`RawArticle`] becomes an [`Article`] whose text
//! every later stage can trust.
//!
//! * HTML bodies are rendered to text by a real parser ([`super::html`]), or
//!   by its linear tag stripper when the markup is over the parser's budget
//!   (`html_fallback` in the record).
//! * Text is Unicode NFC; zero-width and control characters go; runs of
//!   whitespace collapse to one space. Paragraphs survive as `\n\n`: a blank
//!   line or an indented line starts one, a single line break (wire text wraps
//!   its lines) is just a space.
//! * The URL is canonical ([`super::canonical_url`]).
//! * The language is the one given, else detected ([`super::language`]).
//!   Non-English articles are flagged (`language.is_english = false`) and
//!   passed on.
//! * The id is the one given, else derived from the canonical URL, else from
//!   the normalized body: the same article always gets the same id.

use super::{canonical_url, html, language::language_of};
use crate::model::{Article, ErrorClass, RawArticle, Rejection};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

pub fn normalize(raw: RawArticle) -> Result<Article, Rejection> {
    let mut html_fallback = false;
    let mut to_text = |s: &str| -> String {
        if !html::looks_like_html(s) {
            return s.to_string();
        }
        let (text, how) = html::render(s);
        html_fallback |= how == html::Rendering::Stripped;
        text
    };
    let body = clean_text(&to_text(&raw.body));
    if body.is_empty() {
        return Err(Rejection::new(
            ErrorClass::EmptyBody,
            "field `body` has no text once markup is removed",
        ));
    }
    let title = raw
        .title
        .as_deref()
        .map(to_text)
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
        published_at: raw.published_at,
        title,
        word_count: word_count(&body),
        body,
        html_fallback,
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
    if text.is_ascii() {
        // A word starts where an alphanumeric byte follows another byte. In
        // blocks of 64, first classify, then count starts: no state carried
        // from byte to byte, so both loops vectorize.
        let (mut n, mut prev) = (0usize, 0u8);
        for chunk in text.as_bytes().chunks(64) {
            let mut m = [0u8; 64];
            for (d, c) in m.iter_mut().zip(chunk) {
                *d = u8::from(c.is_ascii_alphanumeric());
            }
            let mut starts = u32::from(m[0] & !prev & 1);
            for i in 1..64 {
                starts += u32::from(m[i] & !m[i - 1] & 1);
            }
            n += starts as usize;
            prev = m[chunk.len() - 1];
        }
        return n;
    }
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
    // Most text is already NFC (all ASCII is): skip the normalizer then.
    if s.is_ascii()
        || unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        clean_nfc(s)
    } else {
        clean_nfc(&s.nfc().collect::<String>())
    }
}

/// How many leading bytes of `b` (which follow a printable byte) the run
/// takes without a closer look, 8 at a time: blocks of printable ASCII and
/// single spaces, not ending in a space. Wire text breaks a line every 70
/// bytes or so; between breaks this is where the cleaner spends its time.
fn plain_ascii_prefix(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let mut n = 0;
    while let Some(block) = b.get(n..n + 8) {
        let x = u64::from_le_bytes(block.try_into().expect("8 bytes"));
        // A byte below 0x20 (control, tab, line break), 0x7F or above.
        let low = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        let high = (x | x.wrapping_add(ONES)) & HIGH;
        // Exactly the bytes equal to a space (no false positives).
        let y = x ^ (ONES * 0x20);
        let spaces = !(((y & LOW7).wrapping_add(LOW7)) | y | LOW7);
        let double = spaces & (spaces >> 8);
        if low | high | double != 0 || x >> 56 == 0x20 {
            break;
        }
        n += 8;
    }
    n
}

/// A character that is kept as it is (not whitespace, control or invisible).
fn is_kept(c: char) -> bool {
    !(c.is_whitespace() || c.is_control() || is_invisible(c))
}

/// The cleaning of NFC text. Runs of kept characters are copied whole, and
/// only bytes above ASCII are decoded: most text costs little more than a copy.
fn clean_nfc(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut pending_space = false;
    let mut pending_para = false;
    let mut newline_run = 0usize;
    let mut after_newline = false;
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() {
            if i > start {
                i += plain_ascii_prefix(&b[i..]);
                if i == b.len() {
                    break;
                }
            }
            if b[i].is_ascii_graphic() {
                i += 1;
            } else if b[i] == b' ' && i > start && b.get(i + 1).is_some_and(u8::is_ascii_graphic) {
                // One space between words stays one space: part of the run.
                i += 2;
            } else if b[i] < 0x80 {
                break;
            } else {
                let c = s[i..].chars().next().expect("a char starts here");
                if !is_kept(c) {
                    break;
                }
                i += c.len_utf8();
            }
        }
        if i > start {
            if !out.is_empty() {
                if pending_para {
                    out.push_str("\n\n");
                } else if pending_space {
                    out.push(' ');
                }
            }
            pending_space = false;
            pending_para = false;
            newline_run = 0;
            after_newline = false;
            out.push_str(&s[start..i]);
            continue;
        }
        let c = s[i..].chars().next().expect("a char starts here");
        i += c.len_utf8();
        if c == '\n' {
            newline_run += 1;
            if newline_run >= 2 {
                pending_para = true;
            }
            pending_space = true;
            after_newline = true;
        } else if c.is_whitespace() {
            if after_newline && (c == ' ' || c == '\t') {
                // Indentation right after a line break: wire text's paragraph mark.
                // One space is tolerated (ragged wrapping); a tab or 2+ spaces count.
                newline_run += if c == '\t' { 2 } else { 1 };
                if newline_run >= 3 || c == '\t' {
                    pending_para = true;
                }
            }
            pending_space = true;
        }
        // Control and invisible characters go without a trace.
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
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

    /// The plain definition: one character at a time.
    fn reference_clean(s: &str) -> String {
        let mut out = String::new();
        let (mut space, mut para, mut run, mut after_nl) = (false, false, 0usize, false);
        for c in s.chars() {
            if c == '\n' {
                run += 1;
                para |= run >= 2;
                space = true;
                after_nl = true;
            } else if c.is_whitespace() {
                if after_nl && (c == ' ' || c == '\t') {
                    run += if c == '\t' { 2 } else { 1 };
                    para |= run >= 3 || c == '\t';
                }
                space = true;
            } else if is_kept(c) {
                if !out.is_empty() && para {
                    out.push_str("\n\n");
                } else if !out.is_empty() && space {
                    out.push(' ');
                }
                (space, para, run, after_nl) = (false, false, 0, false);
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn the_run_copying_cleaner_agrees_with_a_char_by_char_one() {
        // A deterministic walk over strings of the characters that matter.
        let alphabet = [
            'a', 'b', ' ', '.', 'a', 'b', 'c', ' ', '~', '!', '\n', '\t', '\r', '\x0b', '\x0c',
            '\0', '\x1f', '\x7f', '£', 'é', '\u{00A0}', '\u{2003}', '\u{200B}', '\u{00AD}',
            '\u{0085}', '—',
        ];
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..4000 {
            let text: String = (0..len % 80)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect();
            assert_eq!(clean_nfc(&text), reference_clean(&text), "{text:?}");
        }
    }

    #[test]
    fn words_are_counted_alike_in_ascii_and_beyond() {
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("a"), 1);
        assert_eq!(word_count("  Over 2,000 dead -- in Iran's protests. "), 8);
        let long = "word ".repeat(70) + "x";
        assert_eq!(word_count(&long), 71, "across 64-byte blocks");
        assert_eq!(word_count("Über 2.000 Tote in Irans Protesten"), 7);
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
            ("en", crate::model::LanguageBasis::Given)
        );
    }

    #[test]
    fn markup_over_the_parser_budget_is_stripped_and_flagged() {
        let deep = format!("{}Talks resumed.{}", "<b>".repeat(300), "</b>".repeat(300));
        let a = norm(&serde_json::json!({"body": deep}).to_string()).unwrap();
        assert_eq!((a.body.as_str(), a.html_fallback), ("Talks resumed.", true));
        let a = norm(&serde_json::json!({"body": "x", "title": deep}).to_string()).unwrap();
        assert_eq!(
            (a.title.as_deref(), a.html_fallback),
            (Some("Talks resumed."), true)
        );
        let a = norm(r#"{"body":"<p>Talks <b>resumed</b>.</p>"}"#).unwrap();
        assert_eq!(
            (a.body.as_str(), a.html_fallback),
            ("Talks resumed.", false)
        );
    }
}
