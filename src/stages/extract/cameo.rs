//! The CAMEO code table (data/cameo.tsv): every CAMEO 1.1b3 code with its label, root class,
//! quad class and Goldstein weight, and its PLOVER event type, mode and contexts (data/plover.tsv,
//! the official CAMEO -> PLOVER table). The one place code metadata comes from; the lexicon
//! refers to codes by string and is checked against this table at load time.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

// Classes of codes the participant rules ask about.

/// Codes of acts that may be directed at a place when no participant is named: refuge sought
/// in it, intents and acts done there (aid delivered, a ceasefire declared, troops deployed, a
/// curfew imposed, force used). Statements, meetings (and calls for them or plans to hold
/// them), cooperation, stances and protests only happen at a place: a meeting "in London" is
/// not held with London.
pub fn place_directed(code: &str) -> bool {
    let venue_only = matches!(
        code.get(..2),
        Some("01" | "04" | "05" | "06" | "10" | "11" | "12" | "13" | "14")
    );
    !venue_only && !code.starts_with("026") && !code.starts_with("036")
}

/// Codes of a stance toward something (approve, praise, criticise, condemn, accuse, reject):
/// their object may be a thing ("rejected the referendum", "condemned the decision"), which
/// then stands as the target when no participant is named.
pub fn attitude(code: &str) -> bool {
    matches!(code.get(..2), Some("05" | "10" | "11" | "12"))
}

/// Codes of acts a state performs on people in its territory: coerce (arrest, detain, expel,
/// deport: 17) and yield (release: 08).
pub fn state_act(code: &str) -> bool {
    matches!(code.get(..2), Some("17" | "08"))
}

/// Codes of acts that send people somewhere: aid (07: troops, doctors, observers), force
/// posture (15: deploy, mobilize) and intents to do either (0332, 0333, 0334). The people
/// sent are the source's own; the other side is where they go.
pub fn sending(code: &str) -> bool {
    code.starts_with("07") || code.starts_with("15") || matches!(code, "0332" | "0333" | "0334")
}

/// The PLOVER reading of a CAMEO code: event type (AGREE, ASSAULT ...), mode (may be empty)
/// and contexts (may be empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plover {
    pub event_type: String,
    pub mode: String,
    pub context: Vec<String>,
}

/// Metadata of one CAMEO code.
#[derive(Debug, Clone, PartialEq)]
pub struct CameoCode {
    pub code: String,
    pub root: String,
    pub quad_class: u8,
    pub goldstein: f64,
    pub label: String,
    /// None for codes PLOVER has no type for (01, public statements).
    pub plover: Option<Plover>,
}

/// All codes, by code.
#[derive(Debug, Default)]
pub struct CameoTable {
    codes: HashMap<String, CameoCode>,
}

impl CameoTable {
    /// Parses the TSV (code, root, quad_class, goldstein, label).
    pub fn parse(text: &str) -> Result<CameoTable, (usize, String)> {
        let mut codes = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() != 5 {
                return Err((n + 1, format!("expected 5 columns, got {}", c.len())));
            }
            let bad = |what: &str| (n + 1, format!("bad {what}"));
            let code = c[0].trim();
            if !(2..=4).contains(&code.len())
                || !code.bytes().all(|b| b.is_ascii_digit())
                || !code.starts_with(c[1])
            {
                return Err(bad("code"));
            }
            let entry = CameoCode {
                code: code.to_string(),
                root: c[1].to_string(),
                quad_class: c[2].parse().map_err(|_| bad("quad class"))?,
                goldstein: c[3].parse().map_err(|_| bad("goldstein"))?,
                label: c[4].to_string(),
                plover: None,
            };
            if !(-10.0..=10.0).contains(&entry.goldstein) || !(1..=4).contains(&entry.quad_class) {
                return Err(bad("value range"));
            }
            codes.insert(entry.code.clone(), entry);
        }
        Ok(CameoTable { codes })
    }

    /// Adds the PLOVER table (code, event_type, mode, contexts `|`, label). A code not listed
    /// takes the entry of its 3-digit parent, else of its root, as the table intends.
    pub fn with_plover(mut self, text: &str) -> Result<CameoTable, (usize, String)> {
        let mut table: HashMap<&str, Plover> = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 4 || c[1].is_empty() {
                return Err((n + 1, "expected code, event_type, mode, contexts".into()));
            }
            let context = c[3].split('|').filter(|x| !x.is_empty()).map(String::from);
            table.insert(
                c[0],
                Plover {
                    event_type: c[1].to_string(),
                    mode: c[2].to_string(),
                    context: context.collect(),
                },
            );
        }
        for (code, entry) in self.codes.iter_mut() {
            entry.plover = [code.len(), 3, 2]
                .iter()
                .filter(|&&k| k <= code.len())
                .find_map(|&k| table.get(&code[..k]))
                .cloned();
        }
        Ok(self)
    }

    pub fn get(&self, code: &str) -> Option<&CameoCode> {
        self.codes.get(code)
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_table_is_complete() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/cameo.tsv"))
            .unwrap();
        let t = CameoTable::parse(&text).unwrap();
        assert_eq!(t.len(), 311);
        for r in 1..=20 {
            let root = format!("{r:02}");
            let c = t.get(&root).unwrap();
            assert_eq!(c.root, root);
        }
        let c = t.get("111").unwrap();
        assert_eq!(
            (c.root.as_str(), c.quad_class, c.goldstein),
            ("11", 3, -2.0)
        );
        assert_eq!(t.get("0874").unwrap().goldstein, 10.0);
        assert_eq!(t.get("145").unwrap().quad_class, 3);
        assert_eq!(t.get("190").unwrap().quad_class, 4);
    }

    #[test]
    fn plover_types_follow_the_official_table() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/");
        let t = CameoTable::parse(&std::fs::read_to_string(format!("{dir}cameo.tsv")).unwrap())
            .unwrap()
            .with_plover(&std::fs::read_to_string(format!("{dir}plover.tsv")).unwrap())
            .unwrap();
        let p = |c: &str| t.get(c).unwrap().plover.clone();
        assert_eq!(p("010"), None);
        assert_eq!(p("020").unwrap().event_type, "REQUEST");
        assert_eq!(p("0841").unwrap().mode, "release");
        assert_eq!(p("0841").unwrap().event_type, "RETREAT");
        assert_eq!(p("080").unwrap().event_type, "CONCEDE");
        assert_eq!(p("1124").unwrap().context, vec!["military", "legal"]);
        assert_eq!(p("190").unwrap().event_type, "ASSAULT");
        assert_eq!(p("1041").unwrap().event_type, "REQUEST");
        for r in 2..=20 {
            assert!(p(&format!("{r:02}")).is_some(), "root {r}");
        }
    }

    #[test]
    fn rejects_bad_rows() {
        assert!(CameoTable::parse("111\t12\t3\t-2.0\tx\n").is_err());
        assert!(CameoTable::parse("111\t11\t3\tabc\tx\n").is_err());
        assert!(CameoTable::parse("111\t11\t3\t-2.0\n").is_err());
    }
}
