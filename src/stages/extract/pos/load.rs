//! Loading the tagger: reads `lexicon.tsv`, `lexical_rules.tsv` and `context_rules.tsv`,
//! interns every word a rule names, parses the rules (`rules.rs`) and files the contextual ones
//! under their from-tag. A malformed line is an error naming its file and line, so a bad data
//! edit fails at start-up rather than tagging silently wrong.

use std::path::{Path, PathBuf};

use super::rules::{Arg, Context, ContextRule, Lexical, LexicalRule};
use super::Words;
use super::{Entry, Tag, Tagger, ANY, NO_WORD, OUTSIDE, OUTSIDE_WORD, UNKNOWN};

/// A tagger data file could not be read or has a malformed line.
#[derive(Debug, thiserror::Error)]
pub enum TaggerLoadError {
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {msg}")]
    Parse {
        path: PathBuf,
        line: usize,
        msg: String,
    },
}

/// The file names under the tagger's data directory.
pub const LEXICON_FILE: &str = "lexicon.tsv";
pub const LEXICAL_RULES_FILE: &str = "lexical_rules.tsv";
pub const CONTEXT_RULES_FILE: &str = "context_rules.tsv";

/// The lines of a data file that are not blank or comments, with their 1-based numbers. A
/// comment starts with `# ` (a word may start with `#`: "#1", "#win").
fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with("# ") && *l != "#")
}

impl Tagger {
    /// Loads `lexicon.tsv`, `lexical_rules.tsv` and `context_rules.tsv` from `dir`
    /// (normally `data_dir()/tagger`).
    pub fn load(dir: &Path) -> Result<Tagger, TaggerLoadError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .map(|text| (path.clone(), text))
                .map_err(|source| TaggerLoadError::Io { path, source })
        };
        let lexicon = read(LEXICON_FILE)?;
        let lexical = read(LEXICAL_RULES_FILE)?;
        let context = read(CONTEXT_RULES_FILE)?;
        Tagger::parse(
            (&lexicon.0, &lexicon.1),
            (&lexical.0, &lexical.1),
            (&context.0, &context.1),
        )
    }

    /// Builds a tagger from the texts of the three files, each with the path its errors name.
    pub fn parse(
        lexicon: (&Path, &str),
        lexical_rules: (&Path, &str),
        context_rules: (&Path, &str),
    ) -> Result<Tagger, TaggerLoadError> {
        let mut t = Tagger {
            words: Words::with_capacity(lexicon.1.len() / 12, lexicon.1.len()),
            lexical: Vec::new(),
            context: vec![Vec::new(); Tag::ALL.len()],
        };
        t.words.entry(
            "STAART",
            Entry {
                tag: UNKNOWN,
                id: OUTSIDE_WORD,
            },
        );
        let mut next_id = 1;
        t.read_lexicon(lexicon)?;
        t.read_lexical(lexical_rules, &mut next_id)?;
        t.read_context(context_rules, &mut next_id)?;
        Ok(t)
    }

    fn read_lexicon(&mut self, (path, text): (&Path, &str)) -> Result<(), TaggerLoadError> {
        for (n, line) in data_lines(text) {
            let err = |msg: String| parse_error(path, n, msg);
            let (word, tag) = line
                .split_once('\t')
                .ok_or_else(|| err("expected `word<TAB>tag`".into()))?;
            let tag = Tag::parse(tag).ok_or_else(|| err(format!("unknown tag {tag:?}")))?;
            if word.is_empty() {
                return Err(err("empty word".into()));
            }
            self.words
                .entry(
                    word,
                    Entry {
                        tag: UNKNOWN,
                        id: NO_WORD,
                    },
                )
                .tag = tag as u8;
        }
        Ok(())
    }

    /// The id of a word named by a rule, interning it.
    fn intern(&mut self, word: &str, next_id: &mut u32) -> u32 {
        let e = self.words.entry(
            word,
            Entry {
                tag: UNKNOWN,
                id: NO_WORD,
            },
        );
        if e.id == NO_WORD {
            e.id = *next_id;
            *next_id += 1;
        }
        e.id
    }

    fn read_lexical(
        &mut self,
        (path, text): (&Path, &str),
        next_id: &mut u32,
    ) -> Result<(), TaggerLoadError> {
        for (n, line) in data_lines(text) {
            let err = |msg: String| parse_error(path, n, msg);
            let f: Vec<&str> = line.split('\t').collect();
            let [kind, when, arg, to] = f[..] else {
                return Err(err(format!(
                    "expected 4 tab-separated fields, found {}",
                    f.len()
                )));
            };
            let kind = match kind {
                "word" => Lexical::Word,
                "char" => Lexical::Char,
                "haspref" => Lexical::HasPref,
                "hassuf" => Lexical::HasSuf,
                "addpref" => Lexical::AddPref,
                "addsuf" => Lexical::AddSuf,
                "deletepref" => Lexical::DeletePref,
                "deletesuf" => Lexical::DeleteSuf,
                "goodleft" => Lexical::GoodLeft,
                "goodright" => Lexical::GoodRight,
                _ => return Err(err(format!("unknown lexical rule {kind:?}"))),
            };
            let when = match when {
                "*" => ANY,
                t => Tag::parse(t).ok_or_else(|| err(format!("unknown tag {t:?}")))? as u8,
            };
            let to = Tag::parse(to).ok_or_else(|| err(format!("unknown tag {to:?}")))? as u8;
            if arg.is_empty() {
                return Err(err("empty argument".into()));
            }
            let arg_id = self.intern(arg, next_id);
            self.lexical.push(LexicalRule {
                kind,
                when,
                arg: arg.into(),
                arg_id,
                to,
            });
        }
        Ok(())
    }

    fn read_context(
        &mut self,
        (path, text): (&Path, &str),
        next_id: &mut u32,
    ) -> Result<(), TaggerLoadError> {
        let mut any = Vec::new();
        for (n, line) in data_lines(text) {
            let err = |msg: String| parse_error(path, n, msg);
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 3 {
                return Err(err(format!(
                    "expected from, to, rule and arguments, found {} fields",
                    f.len()
                )));
            }
            let (kind, args) = Context::parse(f[2])
                .ok_or_else(|| err(format!("unknown contextual rule {:?}", f[2])))?;
            if f.len() != 3 + args.len() {
                return Err(err(format!(
                    "{} takes {} argument(s), found {}",
                    f[2],
                    args.len(),
                    f.len() - 3
                )));
            }
            let to = Tag::parse(f[1]).ok_or_else(|| err(format!("unknown tag {:?}", f[1])))? as u8;
            let mut xy = [0u32; 2];
            for (k, (a, s)) in args.iter().zip(&f[3..]).enumerate() {
                xy[k] = match a {
                    Arg::W => self.intern(s, next_id),
                    Arg::T if *s == "STAART" => u32::from(OUTSIDE),
                    Arg::T => {
                        Tag::parse(s).ok_or_else(|| err(format!("unknown tag {s:?}")))? as u32
                    }
                };
            }
            let rule = ContextRule::new(kind, to, xy[0], xy[1]);
            match f[0] {
                "*" => any.push((self.context.iter().map(Vec::len).collect::<Vec<_>>(), rule)),
                t => self.context
                    [Tag::parse(t).ok_or_else(|| err(format!("unknown tag {t:?}")))? as usize]
                    .push(rule),
            }
        }
        // A `*` rule is filed under every tag at the place it had in the file.
        for (at, rule) in any.into_iter().rev() {
            for (list, &i) in self.context.iter_mut().zip(&at) {
                list.insert(i, rule);
            }
        }
        Ok(())
    }
}

fn parse_error(path: &Path, line: usize, msg: String) -> TaggerLoadError {
    TaggerLoadError::Parse {
        path: path.to_path_buf(),
        line,
        msg,
    }
}
