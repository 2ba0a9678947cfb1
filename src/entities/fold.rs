//! Text folding for matching: whitespace runs become one space, curly quotes become straight
//! ones, and ASCII letters are lower-cased in a second buffer of the same length. A map takes
//! every folded byte back to its offset in the original text, so spans found in the folded
//! text are reported in original byte offsets.

/// Folded views of one text. `cased` and `lower` have equal length; `map` has one more entry.
#[derive(Debug, Default)]
pub struct Folded {
    pub cased: Vec<u8>,
    pub lower: Vec<u8>,
    /// `map[i]` = original offset of folded byte `i`; `map[len]` = original length.
    pub map: Vec<u32>,
}

impl Folded {
    #[cfg(test)]
    pub fn new(text: &str) -> Folded {
        let mut f = Folded::default();
        fold_into(text, &mut f);
        f
    }

    /// Original byte range of the folded range `start..end`.
    #[inline]
    pub fn orig(&self, start: usize, end: usize) -> (usize, usize) {
        (self.map[start] as usize, self.map[end] as usize)
    }
}

fn push(f: &mut Folded, b: u8, at: usize) {
    f.cased.push(b);
    f.lower.push(b.to_ascii_lowercase());
    f.map.push(at as u32);
}

/// Folds `text` into `f` (cleared first).
pub fn fold_into(text: &str, f: &mut Folded) {
    f.cased.clear();
    f.lower.clear();
    f.map.clear();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_space = false;
    while i < bytes.len() {
        let b = bytes[i];
        // Fast path: a run of plain ASCII (no whitespace) is copied as is.
        if b < 0x80 && !b.is_ascii_whitespace() {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] < 0x80 && !bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let run = &bytes[i..j];
            f.cased.extend_from_slice(run);
            f.lower.extend(run.iter().map(u8::to_ascii_lowercase));
            f.map.extend(i as u32..j as u32);
            in_space = false;
            i = j;
            continue;
        }
        if b < 0x80 {
            if b.is_ascii_whitespace() {
                if !in_space {
                    let sep = if paragraph_break(bytes, i) {
                        b'\n'
                    } else {
                        b' '
                    };
                    push(f, sep, i);
                    in_space = true;
                }
            } else {
                push(f, b, i);
                in_space = false;
            }
            i += 1;
            continue;
        }
        // Multi-byte characters: a few are folded, the rest copied byte for byte.
        let len = utf8_len(b);
        let end = (i + len).min(bytes.len());
        match &bytes[i..end] {
            [0xE2, 0x80, 0x98] | [0xE2, 0x80, 0x99] | [0xE2, 0x80, 0xB2] => {
                push(f, b'\'', i);
                in_space = false;
            }
            [0xE2, 0x80, 0x9C] | [0xE2, 0x80, 0x9D] => {
                push(f, b'"', i);
                in_space = false;
            }
            [0xC2, 0xA0] | [0xE2, 0x80, 0xAF] | [0xE2, 0x80, 0x89] => {
                if !in_space {
                    push(f, b' ', i);
                    in_space = true;
                }
            }
            s => {
                for (k, &c) in s.iter().enumerate() {
                    push(f, c, i + k);
                }
                in_space = false;
            }
        }
        i = end;
    }
    f.map.push(bytes.len() as u32);
}

/// A whitespace run starting at `i` that holds a blank line or a newline followed by an indent
/// (a paragraph break in wire copy): folded to '\n' so that no name spans it.
fn paragraph_break(b: &[u8], i: usize) -> bool {
    let mut k = i;
    let mut newlines = 0;
    let mut indent = 0;
    while k < b.len() && b[k].is_ascii_whitespace() {
        match b[k] {
            b'\n' => {
                newlines += 1;
                indent = 0;
            }
            b'\t' => indent += 2,
            b' ' => indent += 1,
            _ => {}
        }
        k += 1;
    }
    newlines >= 2 || (newlines == 1 && indent >= 2)
}

#[inline]
pub fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// True when the character ending just before `at` in `s` is a letter or digit.
#[inline]
pub fn word_char_before(s: &[u8], at: usize) -> bool {
    if at == 0 {
        return false;
    }
    let b = s[at - 1];
    if b < 0x80 {
        return b.is_ascii_alphanumeric();
    }
    let mut k = at - 1;
    while k > 0 && (s[k] & 0xC0) == 0x80 {
        k -= 1;
    }
    std::str::from_utf8(&s[k..at])
        .ok()
        .and_then(|t| t.chars().next())
        .is_some_and(|c| c.is_alphanumeric())
}

/// True when the character starting at `at` in `s` is a letter or digit.
#[inline]
pub fn word_char_at(s: &[u8], at: usize) -> bool {
    if at >= s.len() {
        return false;
    }
    let b = s[at];
    if b < 0x80 {
        return b.is_ascii_alphanumeric();
    }
    let end = (at + utf8_len(b)).min(s.len());
    std::str::from_utf8(&s[at..end])
        .ok()
        .and_then(|t| t.chars().next())
        .is_some_and(|c| c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_spaces_quotes_and_case_with_offsets() {
        let t = "Tehran\u{2019}s  foreign\nMinistry";
        let f = Folded::new(t);
        assert_eq!(
            std::str::from_utf8(&f.cased).unwrap(),
            "Tehran's foreign Ministry"
        );
        assert_eq!(
            std::str::from_utf8(&f.lower).unwrap(),
            "tehran's foreign ministry"
        );
        let s = f.cased.iter().position(|&b| b == b'f').unwrap();
        let (a, b) = f.orig(s, f.cased.len());
        assert_eq!(&t[a..b], "foreign\nMinistry");
        let (a, b) = f.orig(0, 8);
        assert_eq!(&t[a..b], "Tehran\u{2019}s");
    }

    #[test]
    fn unicode_word_boundaries() {
        let s = "—Iran é".as_bytes();
        assert!(!word_char_before(s, 3));
        assert!(word_char_at(s, 8));
    }
}
