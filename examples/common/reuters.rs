//! Reuters-21578 `labels.places` to ISO3 codes, shared by the examples that measure countries
//! (entities_eval, countries_eval), and their precision/recall counter. Place labels map by the gazetteer's country names and
//! aliases, folded to Reuters' spelling ("united-states" style), plus the labels that differ:
//! usa, uk, ussr -> SUN, west-germany -> DEU, east-germany -> DDR, czechoslovakia -> CSK,
//! yugoslavia -> YUG, yemen-demo-republic -> YMD, yemen-arab-republic -> YEM, zaire -> COD,
//! burma -> MMR, kampuchea -> KHM and a few more written differently.

use std::collections::{BTreeSet, HashMap};

use newsflow::entities::Gazetteer;

/// ASCII lower case, accents dropped.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkd()
        .filter(|c| c.is_ascii())
        .collect::<String>()
        .to_lowercase()
}

/// Reuters place label -> ISO3.
pub fn reuters_map(g: &Gazetteer) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for c in g.countries() {
        for n in std::iter::once(&c.name).chain(c.aliases.iter()) {
            m.entry(
                fold(n)
                    .replace([' ', '.'], "-")
                    .trim_matches('-')
                    .to_string(),
            )
            .or_insert_with(|| c.iso3.clone());
        }
    }
    for (k, v) in [
        ("usa", "USA"),
        ("uk", "GBR"),
        ("ussr", "SUN"),
        ("west-germany", "DEU"),
        ("east-germany", "DDR"),
        ("czechoslovakia", "CSK"),
        ("yugoslavia", "YUG"),
        ("yemen-demo-republic", "YMD"),
        ("yemen-arab-republic", "YEM"),
        ("zaire", "COD"),
        ("burma", "MMR"),
        ("kampuchea", "KHM"),
        ("uae", "ARE"),
        ("trinidad-tobago", "TTO"),
        ("us-virgin-islands", "VIR"),
        ("congo", "COG"),
        ("ivory-coast", "CIV"),
        ("hong-kong", "HKG"),
        ("south-korea", "KOR"),
        ("north-korea", "PRK"),
    ] {
        m.insert(k.to_string(), v.to_string());
    }
    m
}

/// Micro-averaged counts of a set comparison.
/// The ISO3 codes of a story's place labels; labels the map does not know
/// are added to `unmapped`.
pub fn gold_countries(
    labels: &serde_json::Value,
    map: &HashMap<String, String>,
    unmapped: &mut BTreeSet<String>,
) -> BTreeSet<String> {
    labels["places"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str())
        .filter_map(|p| {
            map.get(p).cloned().or_else(|| {
                unmapped.insert(p.to_string());
                None
            })
        })
        .collect()
}

#[derive(Default)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    /// Counts a story: `pred` against `gold`.
    pub fn add(&mut self, pred: &BTreeSet<String>, gold: &BTreeSet<String>) {
        self.tp += pred.intersection(gold).count();
        self.fp += pred.difference(gold).count();
        self.fn_ += gold.difference(pred).count();
    }

    pub fn line(&self, what: &str) -> String {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        format!(
            "{what}: precision {p:.3} recall {r:.3} (tp {} fp {} fn {})",
            self.tp, self.fp, self.fn_
        )
    }
}
