//! The CAMEO code table (data/cameo.tsv): every CAMEO 1.1b3 code with its label, root class,
//! quad class and Goldstein weight. The one place code metadata comes from; the lexicon refers
//! to codes by string and is checked against this table at load time.

use std::collections::HashMap;

/// Metadata of one CAMEO code.
#[derive(Debug, Clone, PartialEq)]
pub struct CameoCode {
    pub code: String,
    pub root: String,
    pub quad_class: u8,
    pub goldstein: f64,
    pub label: String,
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
            };
            if !(-10.0..=10.0).contains(&entry.goldstein) || !(1..=4).contains(&entry.quad_class) {
                return Err(bad("value range"));
            }
            codes.insert(entry.code.clone(), entry);
        }
        Ok(CameoTable { codes })
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
    fn rejects_bad_rows() {
        assert!(CameoTable::parse("111\t12\t3\t-2.0\tx\n").is_err());
        assert!(CameoTable::parse("111\t11\t3\tabc\tx\n").is_err());
        assert!(CameoTable::parse("111\t11\t3\t-2.0\n").is_err());
    }
}
