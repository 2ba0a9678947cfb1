//! Sentence splitting and tokenization with byte offsets.
//!
//! Built for news and wire text: abbreviations (Mr., Gen., Jan., No. 10), initials and dotted
//! acronyms (George W. Bush, U.S.), decimals (1.7%), closing quotes after the full stop, lines
//! wrapped inside sentences, and paragraph breaks (a blank line or an indented line, as in
//! Reuters wire copy) that always end a sentence. Text inside curly quotation marks is not split.

use super::types::{Sentence, Token, TokenKind};

/// Words after which a full stop does not end a sentence (compared case-sensitively).
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Sgt", "Capt", "Cmdr", "Adm", "Maj",
    "Gov", "Sen", "Rep", "Rev", "St", "Jr", "Sr", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec", "No", "Nos", "vs", "Vs", "approx", "Fig", "fig", "Mt",
    "Ft", "Pres", "Supt", "Det", "Insp", "Hon", "Messrs", "Mme", "Mlle", "e.g", "i.e", "cf", "ca",
];

/// Words that, after a dotted acronym ("the U.S. The ..."), show a new sentence began.
const STARTERS: &[&str] = &[
    "The",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "In",
    "But",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "On",
    "At",
    "His",
    "Her",
    "Its",
    "Their",
    "There",
    "Officials",
    "However",
    "Meanwhile",
];

/// Splits `text` into sentences (byte ranges, trimmed of surrounding whitespace).
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote_depth = 0i32;
    let mut straight_open = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' && is_paragraph_break(b, i) {
            if let Some(s) = start.take() {
                push(&mut out, text, s, i);
            }
            quote_depth = 0;
            straight_open = false;
            i += 1;
            continue;
        }
        if start.is_none() {
            if c.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            start = Some(i);
        }
        // Quote tracking: curly quotes nest, straight double quotes toggle.
        if c == 0xE2 && b[i..].starts_with("\u{201C}".as_bytes()) {
            quote_depth += 1;
        } else if c == 0xE2 && b[i..].starts_with("\u{201D}".as_bytes()) {
            quote_depth = (quote_depth - 1).max(0);
        } else if c == b'"' {
            straight_open = !straight_open;
        }
        let term_len = terminator_len(text, i);
        if term_len == 0 {
            i += 1;
            continue;
        }
        // Consume a run of terminators, then closing quotes and brackets.
        let mut j = i + term_len;
        loop {
            let t = terminator_len(text, j);
            if t > 0 {
                j += t;
            } else {
                break;
            }
        }
        let mut closed_quote = false;
        while j < b.len() {
            if b[j] == b'"' || b[j] == b'\'' || b[j] == b')' || b[j] == b']' {
                if b[j] == b'"' {
                    straight_open = false;
                }
                closed_quote = true;
                j += 1;
            } else if b[j..].starts_with("\u{201D}".as_bytes())
                || b[j..].starts_with("\u{2019}".as_bytes())
            {
                quote_depth = (quote_depth - 1).max(0);
                closed_quote = true;
                j += 3;
            } else {
                break;
            }
        }
        let inside_quote = (quote_depth > 0 || straight_open) && !closed_quote;
        if !inside_quote && ends_sentence(text, start.unwrap_or(0), i, j) {
            push(&mut out, text, start.take().unwrap_or(i), j);
        }
        i = j;
    }
    if let Some(s) = start {
        push(&mut out, text, s, b.len());
    }
    for (k, s) in out.iter_mut().enumerate() {
        s.index = k;
    }
    out
}

fn push(out: &mut Vec<Sentence>, text: &str, s: usize, e: usize) {
    let e = s + text[s..e].trim_end().len();
    if e > s {
        out.push(Sentence {
            index: 0,
            start: s,
            end: e,
        });
    }
}

/// A newline followed by optional spaces and another newline, or by an indent of 2+ spaces/tab.
fn is_paragraph_break(b: &[u8], i: usize) -> bool {
    let mut k = i + 1;
    let mut indent = 0;
    while k < b.len() && (b[k] == b' ' || b[k] == b'\t' || b[k] == b'\r') {
        indent += if b[k] == b'\t' { 2 } else { 1 };
        k += 1;
    }
    k >= b.len() || b[k] == b'\n' || indent >= 2
}

fn terminator_len(text: &str, i: usize) -> usize {
    match text.as_bytes().get(i) {
        Some(b'.') | Some(b'!') | Some(b'?') => 1,
        Some(0xE2) if text.as_bytes()[i..].starts_with("\u{2026}".as_bytes()) => 3,
        _ => 0,
    }
}

/// Decides whether the terminator at `dot..after` ends the sentence begun at `start`.
fn ends_sentence(text: &str, start: usize, dot: usize, after: usize) -> bool {
    let b = text.as_bytes();
    // Must be followed by whitespace (or the end of the text).
    if after < b.len() && !b[after].is_ascii_whitespace() {
        return false;
    }
    let next = next_word(text, after);
    let next_starts_upper = match next.chars().next() {
        None => true,
        Some(c) => c.is_uppercase() || c.is_ascii_digit() || "\"'(\u{201C}\u{2018}[".contains(c),
    };
    if !next_starts_upper {
        return false;
    }
    if b[dot] != b'.' || after != dot + 1 {
        return true; // '!', '?', ellipsis, or a run of terminators
    }
    let prev = prev_word(text, start, dot);
    if prev.is_empty() {
        return true;
    }
    if ABBREVIATIONS.contains(&prev) {
        return false;
    }
    let single_initial = prev.len() == 1 && prev.as_bytes()[0].is_ascii_uppercase();
    let dotted = prev.contains('.') && prev.split('.').all(|p| p.len() <= 2);
    if single_initial || dotted {
        let first = next
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        return dotted && STARTERS.contains(&first);
    }
    true
}

fn prev_word(text: &str, start: usize, dot: usize) -> &str {
    let b = text.as_bytes();
    let mut k = dot;
    while k > start && (b[k - 1].is_ascii_alphanumeric() || b[k - 1] == b'.' || b[k - 1] >= 0x80) {
        k -= 1;
    }
    &text[k..dot]
}

fn next_word(text: &str, after: usize) -> &str {
    let rest = text[after.min(text.len())..].trim_start();
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    &rest[..end]
}

/// Tokenizes `text[start..end]`: words (with internal hyphens/apostrophes and dotted acronyms),
/// numbers (with internal , and .) and single punctuation characters. Offsets are into `text`.
pub fn tokens(text: &str, start: usize, end: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let s = &text[start..end];
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        let kind = if c.is_alphabetic() {
            TokenKind::Word
        } else if c.is_ascii_digit() {
            TokenKind::Number
        } else {
            out.push(Token {
                start: start + i,
                end: start + i + c.len_utf8(),
                kind: TokenKind::Punct,
            });
            continue;
        };
        let mut e = i + c.len_utf8();
        while let Some(&(k, d)) = it.peek() {
            let joins = d.is_alphanumeric()
                || (matches!(d, '-' | '\'' | '\u{2019}' | '.' | ',')
                    && s[k + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(|n| match kind {
                            TokenKind::Number => n.is_ascii_digit() && matches!(d, '.' | ','),
                            _ => n.is_alphabetic() && d != ',' && (d != '.' || is_dotted(&s[i..k])),
                        }));
            if !joins {
                break;
            }
            e = k + d.len_utf8();
            it.next();
        }
        // A dotted acronym keeps its final dot ("U.S.").
        if kind == TokenKind::Word && s[e..].starts_with('.') && s[i..e].contains('.') {
            e += 1;
            it.next();
        }
        out.push(Token {
            start: start + i,
            end: start + e,
            kind,
        });
    }
    out
}

fn is_dotted(w: &str) -> bool {
    w.split('.').all(|p| p.chars().count() <= 2)
        && w.chars().next().is_some_and(|c| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        split_sentences(t)
            .iter()
            .map(|s| &t[s.start..s.end])
            .collect()
    }

    #[test]
    fn abbreviations_initials_and_acronyms() {
        let t = "Mr. Smith met Gen. Jones on Jan. 13 at No. 10 Downing St. in London. \
                 George W. Bush said the U.S. economy grew 1.7% last year. The U.S. Army agreed.";
        assert_eq!(
            texts(t),
            vec![
                "Mr. Smith met Gen. Jones on Jan. 13 at No. 10 Downing St. in London.",
                "George W. Bush said the U.S. economy grew 1.7% last year.",
                "The U.S. Army agreed."
            ]
        );
    }

    #[test]
    fn dotted_acronym_can_end_a_sentence() {
        assert_eq!(
            texts("He flew to the U.S. The talks failed."),
            vec!["He flew to the U.S.", "The talks failed."]
        );
    }

    #[test]
    fn quotes_wrapped_lines_and_paragraphs() {
        let t = "He wrote: \u{201C}KEEP PROTESTING!!!\u{2026} HELP IS ON ITS WAY.\u{201D} Then he left.\n\n\
                 Trump Backs Protests\n\nThe dry period means\nthe temporao will be late.\n    Arrivals rose.";
        assert_eq!(
            texts(t),
            vec![
                "He wrote: \u{201C}KEEP PROTESTING!!!\u{2026} HELP IS ON ITS WAY.\u{201D}",
                "Then he left.",
                "Trump Backs Protests",
                "The dry period means\nthe temporao will be late.",
                "Arrivals rose."
            ]
        );
    }

    #[test]
    fn straight_quotes_and_questions() {
        let t = "\"We will respond,\" he said. Is it over? Yes.";
        assert_eq!(
            texts(t),
            vec!["\"We will respond,\" he said.", "Is it over?", "Yes."]
        );
    }

    #[test]
    fn sentence_indices_and_offsets() {
        let t = "  One.  Two.";
        let s = split_sentences(t);
        assert_eq!((s[0].index, s[0].start, s[0].end), (0, 2, 6));
        assert_eq!((s[1].index, &t[s[1].start..s[1].end]), (1, "Two."));
    }

    #[test]
    fn tokens_with_offsets() {
        let t = "Tehran\u{2019}s U.S.-backed rate of 1,226.5 fell.";
        let toks: Vec<&str> = tokens(t, 0, t.len())
            .iter()
            .map(|k| &t[k.start..k.end])
            .collect();
        assert_eq!(
            toks,
            vec![
                "Tehran\u{2019}s",
                "U.S.",
                "-",
                "backed",
                "rate",
                "of",
                "1,226.5",
                "fell",
                "."
            ]
        );
    }
}
