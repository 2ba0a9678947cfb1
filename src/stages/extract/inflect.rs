//! English inflection for the pattern lexicon: the forms of a verb lemma (3rd person, past,
//! participle, -ing), the plural of a noun, and British/American spelling pairs, so that
//! data/patterns/verbs.tsv can list lemmas only ("criticize" also finds "criticised").
//! Irregular verbs come from data/patterns/irregular.tsv. Over-generation is harmless (a
//! non-word like "visitted" never occurs), so doubtful doublings produce both spellings.

use std::collections::HashMap;

/// How a word form relates to its lemma.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Form {
    /// Base form: "attack" (also imperative, infinitive, present plural).
    Base,
    /// Third person singular present: "attacks".
    Third,
    /// Simple past: "attacked", "took".
    Past,
    /// Past participle: "attacked", "taken".
    Participle,
    /// Present participle / gerund: "attacking".
    Ing,
    /// Noun, singular or plural.
    Noun,
    /// An exact form listed as is.
    Exact,
}

/// Irregular verb table: lemma -> (3sg, past, participle, ing), each possibly several forms.
#[derive(Debug, Default)]
pub struct Irregulars {
    map: HashMap<String, [Vec<String>; 4]>,
}

impl Irregulars {
    /// Parses irregular.tsv (lemma, 3sg, past, participle, ing; `|` between alternatives).
    pub fn parse(text: &str) -> Result<Irregulars, (usize, String)> {
        let mut map = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            if cols.len() != 5 {
                return Err((n + 1, format!("expected 5 columns, got {}", cols.len())));
            }
            let split = |s: &str| s.split('|').map(str::to_string).collect::<Vec<_>>();
            map.insert(
                cols[0].to_string(),
                [
                    split(cols[1]),
                    split(cols[2]),
                    split(cols[3]),
                    split(cols[4]),
                ],
            );
        }
        Ok(Irregulars { map })
    }

    /// All forms of a verb lemma with their kind (spelling variants included).
    pub fn verb_forms(&self, lemma: &str) -> Vec<(String, Form)> {
        let mut out = Vec::new();
        for l in spelling_variants(lemma) {
            if let Some([third, past, part, ing]) = self.map.get(&l) {
                out.push((l.clone(), Form::Base));
                out.extend(third.iter().map(|f| (f.clone(), Form::Third)));
                out.extend(past.iter().map(|f| (f.clone(), Form::Past)));
                out.extend(part.iter().map(|f| (f.clone(), Form::Participle)));
                out.extend(ing.iter().map(|f| (f.clone(), Form::Ing)));
            } else {
                regular_verb(&l, &mut out);
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Consonant-vowel-consonant ending where the final consonant may double (stop, ban, cancel).
fn may_double(w: &[u8]) -> bool {
    let n = w.len();
    n >= 3
        && !is_vowel(w[n - 1])
        && !matches!(w[n - 1], b'w' | b'x' | b'y')
        && is_vowel(w[n - 2])
        && !is_vowel(w[n - 3])
        && w[n - 1].is_ascii_alphabetic()
}

fn regular_verb(l: &str, out: &mut Vec<(String, Form)>) {
    let b = l.as_bytes();
    let n = b.len();
    out.push((l.to_string(), Form::Base));
    if n == 0 {
        return;
    }
    let last = b[n - 1];
    let stem_y = n >= 2 && last == b'y' && !is_vowel(b[n - 2]);
    // 3rd person
    let third = if stem_y {
        format!("{}ies", &l[..n - 1])
    } else if l.ends_with('s')
        || l.ends_with("sh")
        || l.ends_with("ch")
        || l.ends_with('x')
        || l.ends_with('z')
        || l.ends_with('o')
    {
        format!("{l}es")
    } else {
        format!("{l}s")
    };
    out.push((third, Form::Third));
    // past / participle
    let mut pasts = Vec::new();
    if last == b'e' {
        pasts.push(format!("{l}d"));
    } else if stem_y {
        pasts.push(format!("{}ied", &l[..n - 1]));
    } else {
        pasts.push(format!("{l}ed"));
        if may_double(b) {
            pasts.push(format!("{l}{}ed", last as char));
        }
    }
    for p in pasts {
        out.push((p.clone(), Form::Past));
        out.push((p, Form::Participle));
    }
    // -ing
    if l.ends_with("ie") {
        out.push((format!("{}ying", &l[..n - 2]), Form::Ing));
    } else if last == b'e'
        && !l.ends_with("ee")
        && !l.ends_with("ye")
        && !l.ends_with("oe")
        && n > 2
    {
        out.push((format!("{}ing", &l[..n - 1]), Form::Ing));
    } else {
        out.push((format!("{l}ing"), Form::Ing));
        if may_double(b) {
            out.push((format!("{l}{}ing", last as char), Form::Ing));
        }
    }
}

/// British/American spelling variants of a word (the word itself first).
pub fn spelling_variants(w: &str) -> Vec<String> {
    let mut v = vec![w.to_string()];
    let swaps: [(&str, &str); 6] = [
        ("ize", "ise"),
        ("yze", "yse"),
        ("ization", "isation"),
        ("our", "or"),
        ("ense", "ence"),
        ("ilize", "ilise"),
    ];
    for (a, b) in swaps {
        for (x, y) in [(a, b), (b, a)] {
            if let Some(stem) = w.strip_suffix(x) {
                if stem.len() >= 3 {
                    v.push(format!("{stem}{y}"));
                }
            }
        }
    }
    // Inside a word: "-ize-" in "criticizing" is covered by inflecting each variant; nouns
    // such as "organisation(s)" come through the suffix swap above.
    v.sort();
    v.dedup();
    v.retain(|x| x != w);
    v.insert(0, w.to_string());
    v
}

/// Singular and plural of a noun (and spelling variants of both).
pub fn noun_forms(n: &str) -> Vec<String> {
    let mut out = Vec::new();
    for s in spelling_variants(n) {
        let b = s.as_bytes();
        let plural =
            if s.ends_with('s') || s.ends_with("sh") || s.ends_with("ch") || s.ends_with('x') {
                format!("{s}es")
            } else if b.len() >= 2 && s.ends_with('y') && !is_vowel(b[b.len() - 2]) {
                format!("{}ies", &s[..s.len() - 1])
            } else {
                format!("{s}s")
            };
        out.push(s);
        out.push(plural);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(l: &str) -> Vec<String> {
        Irregulars::default()
            .verb_forms(l)
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn regular_forms_and_spellings() {
        let f = forms("criticize");
        for w in [
            "criticizes",
            "criticized",
            "criticizing",
            "criticise",
            "criticised",
            "criticising",
        ] {
            assert!(f.contains(&w.to_string()), "{w} missing from {f:?}");
        }
        let f = forms("cancel");
        for w in [
            "cancels",
            "canceled",
            "cancelled",
            "cancelling",
            "canceling",
        ] {
            assert!(f.contains(&w.to_string()), "{w}");
        }
        assert!(forms("deny").contains(&"denied".to_string()));
        assert!(forms("deny").contains(&"denies".to_string()));
        assert!(forms("impose").contains(&"imposing".to_string()));
        assert!(forms("die").contains(&"dying".to_string()));
        assert!(forms("favour").contains(&"favored".to_string()));
    }

    #[test]
    fn irregular_table() {
        let irr = Irregulars::parse("# c\ntake\ttakes\ttook\ttaken\ttaking\n").unwrap();
        let f = irr.verb_forms("take");
        assert!(f.contains(&("took".to_string(), Form::Past)));
        assert!(f.contains(&("taken".to_string(), Form::Participle)));
        assert!(Irregulars::parse("bad\tline\n").is_err());
    }

    #[test]
    fn plurals() {
        assert_eq!(noun_forms("threat"), vec!["threat", "threats"]);
        assert!(noun_forms("atrocity").contains(&"atrocities".to_string()));
        assert!(noun_forms("mobilization").contains(&"mobilisations".to_string()));
    }
}
