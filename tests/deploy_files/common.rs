//! Readers for the deployment files and the service facts they must agree
//! with (ports, deadline, subcommands, topics, config keys).

pub use std::collections::{BTreeMap, BTreeSet};
pub use std::path::{Path, PathBuf};

pub use serde::Deserialize;
pub use serde_json::Value as Json;
pub use serde_yaml::Value as Yaml;

pub const METRICS_PORT: u16 = 9898;
pub const SHUTDOWN_DEADLINE_SECS: u64 = 30;
pub const SUBCOMMANDS: &[&str] = &["run", "check-config", "produce", "extract", "replay"];
/// Tables whose keys pass through to librdkafka unchecked.
pub const PASS_THROUGH_TABLES: &[&str] = &["kafka.consumer", "kafka.producer"];
pub const TOPICS: &[&str] = &[
    "news.articles.raw",
    "news.articles",
    "news.events",
    "news.duplicates",
    "news.articles.raw.dlq",
    "newsflow.dedup.changelog",
    "news.happenings",
    "newsflow.happenings.repartition",
    "newsflow.happenings.changelog",
];

/// Every config key the service reads (`section.key`): the keys of the
/// embedded default, which sets each one.
pub fn config_keys() -> BTreeSet<String> {
    let cfg: toml::Table = toml::from_str(&read("config/newsflow.toml")).unwrap();
    flatten(&cfg, "")
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

pub fn yaml(rel: &str) -> Yaml {
    serde_yaml::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"))
}

pub fn yaml_docs(path: &Path) -> Vec<Yaml> {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::Deserializer::from_str(&text)
        .map(|d| Yaml::deserialize(d).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .filter(|d| !d.is_null())
        .collect()
}

pub fn s(v: &Yaml) -> &str {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string, got {v:?}"))
}

/// Metric name -> type ("Counter", "Gauge", "Histogram"), read from the doc
/// comment that opens each constant's block in names.rs.
pub fn catalogue() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut kind: Option<String> = None;
    for line in read("src/metrics/names.rs").lines().map(str::trim) {
        if let Some(doc) = line.strip_prefix("///") {
            kind.get_or_insert_with(|| doc.trim().split(['.', ',']).next().unwrap().to_string());
        } else if line.starts_with("pub const") && line.contains(": &str") {
            let name = line.split('"').nth(1).expect("metric name literal");
            out.insert(
                name.to_string(),
                kind.take().expect("doc comment with the metric type"),
            );
        } else {
            kind = None;
        }
    }
    out
}

/// Series names a PromQL expression may use: every metric, plus the
/// `_bucket`/`_sum`/`_count` series of histograms.
pub fn known_series() -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for (name, kind) in catalogue() {
        if kind.starts_with("Histogram") {
            for suffix in ["_bucket", "_sum", "_count"] {
                set.insert(format!("{name}{suffix}"));
            }
        } else {
            set.insert(name);
        }
    }
    set
}

/// The metric names a PromQL expression selects: identifiers outside label
/// matchers, range selectors and strings that are neither functions,
/// aggregation operators nor keywords.
pub fn promql_metrics(expr: &str) -> Vec<String> {
    const NOT_METRICS: &[&str] = &[
        "sum",
        "min",
        "max",
        "avg",
        "count",
        "stddev",
        "stdvar",
        "topk",
        "bottomk",
        "quantile",
        "count_values",
        "group",
        "and",
        "or",
        "unless",
        "bool",
        "offset",
        "inf",
        "nan",
    ];
    const LABEL_LISTS: &[&str] = &[
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
    ];
    let c: Vec<char> = expr.chars().collect();
    let (mut i, mut out) = (0, Vec::new());
    // Index just past the group opened at `i`, skipping quoted strings inside.
    let skip = |mut i: usize, close: char| {
        let mut quote: Option<char> = None;
        i += 1;
        while i < c.len() {
            match (quote, c[i]) {
                (Some(_), '\\') => i += 1,
                (None, '\\') if matches!(close, '"' | '\'') => i += 1,
                (Some(q), ch) if ch == q => quote = None,
                (None, ch) if ch == close => return i + 1,
                (None, '"' | '\'' | '`') => quote = Some(c[i]),
                _ => {}
            }
            i += 1;
        }
        panic!("unbalanced {close} in {expr}");
    };
    while i < c.len() {
        let ch = c[i];
        if ch == '{' || ch == '[' {
            i = skip(i, if ch == '{' { '}' } else { ']' });
        } else if ch == '"' || ch == '\'' || ch == '`' {
            i = skip(i, ch);
        } else if ch.is_ascii_digit()
            || (ch == '.' && c.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '.') {
                let exp = matches!(c[i], 'e' | 'E') && matches!(c.get(i + 1), Some('+' | '-'));
                i += if exp { 2 } else { 1 };
            }
        } else if ch.is_ascii_alphabetic() || ch == '_' || ch == ':' {
            let start = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_' || c[i] == ':') {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            let mut j = i;
            while j < c.len() && c[j].is_whitespace() {
                j += 1;
            }
            let call = c.get(j) == Some(&'(');
            if LABEL_LISTS.contains(&word.as_str()) {
                if call {
                    i = skip(j, ')');
                }
            } else if !call && !NOT_METRICS.contains(&word.to_lowercase().as_str()) {
                out.push(word);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// `$var`, `${var}` or `$__interval`: Grafana would substitute them, Prometheus
/// cannot evaluate them. (`$1` in a label_replace replacement is fine.)
pub fn has_grafana_variable(expr: &str) -> bool {
    expr.split('$')
        .skip(1)
        .any(|rest| rest.starts_with(|c: char| c == '{' || c == '_' || c.is_ascii_alphabetic()))
}

/// `NEWSFLOW_<SECTION>__<KEY>` -> `section.key`.
pub fn env_to_key(name: &str) -> Option<String> {
    let rest = name.strip_prefix("NEWSFLOW_")?;
    Some(
        rest.split("__")
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join("."),
    )
}

pub fn assert_valid_config_key(key: &str, origin: &str) {
    let pass = PASS_THROUGH_TABLES
        .iter()
        .any(|t| key.starts_with(&format!("{t}.")));
    assert!(
        pass || config_keys().contains(key),
        "{origin}: `{key}` is not a newsflow config key"
    );
}

pub fn port_of(listen: &str) -> u16 {
    listen
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no port in {listen}"))
}

/// Checks the NEWSFLOW_ variables of one container and its metrics listener.
pub fn check_env(env: &BTreeMap<String, String>, origin: &str) {
    for (name, value) in env.iter().filter(|(n, _)| n.starts_with("NEWSFLOW_")) {
        let key = env_to_key(name).unwrap();
        assert_valid_config_key(&key, &format!("{origin} env {name}"));
        if key == "shutdown.deadline_secs" {
            assert_eq!(
                value,
                &SHUTDOWN_DEADLINE_SECS.to_string(),
                "{origin}: {name}"
            );
        }
    }
    let listen = env
        .get("NEWSFLOW_METRICS__LISTEN")
        .unwrap_or_else(|| panic!("{origin}: no NEWSFLOW_METRICS__LISTEN"));
    assert!(
        listen.starts_with("0.0.0.0:"),
        "{origin}: a container must listen on 0.0.0.0, not {listen}"
    );
    assert_eq!(port_of(listen), METRICS_PORT, "{origin}: metrics port");
}

pub fn flatten(t: &toml::Table, prefix: &str) -> BTreeSet<String> {
    t.iter()
        .flat_map(|(k, v)| {
            let key = format!("{prefix}{k}");
            match v {
                toml::Value::Table(sub) if !PASS_THROUGH_TABLES.contains(&key.as_str()) => {
                    flatten(sub, &format!("{key}."))
                }
                _ => BTreeSet::from([key]),
            }
        })
        .collect()
}
