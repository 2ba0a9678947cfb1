//! Where the configuration comes from and how the sources combine: TOML
//! parsing, the check that every key is a known setting (with the closest
//! known key as a hint), the merge of a file over the default, and the
//! `NEWSFLOW_<SECTION>__<KEY>` environment overrides.
//!
//! A few settings have no line in the default file because their default
//! follows from other settings (see [`optional_sample`]); they are still
//! known keys, in a file and in the environment.

use super::ConfigError;

/// Settings the default file leaves unset, with a value of their type (the
/// environment override is parsed to that type).
pub(super) fn optional_sample(section: &str, key: &str) -> Option<toml::Value> {
    match (section, key) {
        ("pipeline", "commit_interval_ms") => Some(toml::Value::Integer(0)),
        ("pipeline", "commit_every_messages") => Some(toml::Value::Integer(0)),
        ("pipeline", "transactional_id") => Some(toml::Value::String(String::new())),
        _ => None,
    }
}

pub(super) fn parse_toml(origin: &str, text: &str) -> Result<toml::Value, ConfigError> {
    text.parse::<toml::Table>()
        .map(toml::Value::Table)
        .map_err(|e| ConfigError::Syntax {
            origin: origin.to_string(),
            message: e.to_string(),
        })
}

/// Rejects keys the default does not have (except librdkafka pass-through
/// tables), suggesting the closest known key.
pub(super) fn check_known_keys(
    overlay: &toml::Value,
    known: &toml::Value,
    prefix: &str,
) -> Result<(), ConfigError> {
    let (Some(o), Some(k)) = (overlay.as_table(), known.as_table()) else {
        return Ok(());
    };
    for (key, value) in o {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        if path == "kafka.consumer" || path == "kafka.producer" {
            continue;
        }
        match k.get(key) {
            None if optional_sample(prefix, key).is_some() => {}
            None => {
                let hint = closest(key, k.keys().map(String::as_str))
                    .map(|c| {
                        format!(
                            "; did you mean `{}`?",
                            if prefix.is_empty() {
                                c.to_string()
                            } else {
                                format!("{prefix}.{c}")
                            }
                        )
                    })
                    .unwrap_or_default();
                return Err(ConfigError::Invalid { key: path, message: format!("is not a newsflow setting{hint} (librdkafka properties go under [kafka.consumer] or [kafka.producer])") });
            }
            Some(sub) => check_known_keys(value, sub, &path)?,
        }
    }
    Ok(())
}

fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

pub(super) fn merge(base: &mut toml::Value, overlay: toml::Value) {
    match (base, overlay) {
        (toml::Value::Table(b), toml::Value::Table(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) if existing.is_table() && v.is_table() => merge(existing, v),
                    _ => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

/// `NEWSFLOW_KAFKA__BROKERS=x` sets `kafka.brokers`; for the librdkafka
/// tables, `NEWSFLOW_KAFKA__PRODUCER__LINGER_MS=5` sets `linger.ms` (single
/// underscores become dots, since property names use dots).
pub(super) fn apply_env(
    root: &mut toml::Value,
    var: &str,
    rest: &str,
    value: &str,
) -> Result<(), ConfigError> {
    let parts: Vec<String> = rest.split("__").map(|p| p.to_ascii_lowercase()).collect();
    let unknown = |msg: String| {
        Err(ConfigError::Invalid {
            key: var.to_string(),
            message: msg,
        })
    };
    if parts.len() == 3 && parts[0] == "kafka" && (parts[1] == "consumer" || parts[1] == "producer")
    {
        // The file may have replaced these tables with something else; that
        // is its error to report, not a reason to panic here.
        let Some(table) = root.get_mut("kafka").and_then(|k| k.as_table_mut()) else {
            return unknown("the config's [kafka] is not a table".into());
        };
        let sub = table
            .entry(parts[1].clone())
            .or_insert_with(|| toml::Value::Table(Default::default()));
        let Some(sub) = sub.as_table_mut() else {
            return unknown(format!("the config's kafka.{} is not a table", parts[1]));
        };
        let prop = parts[2].replace('_', ".");
        sub.insert(prop, toml::Value::String(value.to_string()));
        return Ok(());
    }
    if parts.len() != 2 {
        return unknown("environment overrides look like NEWSFLOW_<SECTION>__<KEY>, e.g. NEWSFLOW_KAFKA__BROKERS".into());
    }
    let Some(section) = root.get_mut(&parts[0]).and_then(|s| s.as_table_mut()) else {
        return unknown(format!("there is no config section [{}]", parts[0]));
    };
    let Some(current) = section
        .get(&parts[1])
        .cloned()
        .or_else(|| optional_sample(&parts[0], &parts[1]))
    else {
        let hint = closest(&parts[1], section.keys().map(String::as_str))
            .map(|c| format!("; did you mean {}.{c}?", parts[0]))
            .unwrap_or_default();
        return unknown(format!(
            "there is no setting {}.{}{hint}",
            parts[0], parts[1]
        ));
    };
    let typed = match &current {
        toml::Value::String(_) => toml::Value::String(value.to_string()),
        toml::Value::Integer(_) => match value.trim().parse::<i64>() {
            Ok(n) => toml::Value::Integer(n),
            Err(_) => {
                return unknown(format!(
                    "= {value:?} must be an integer for {}.{}",
                    parts[0], parts[1]
                ))
            }
        },
        toml::Value::Float(_) => match value.trim().parse::<f64>() {
            Ok(n) => toml::Value::Float(n),
            Err(_) => {
                return unknown(format!(
                    "= {value:?} must be a number for {}.{}",
                    parts[0], parts[1]
                ))
            }
        },
        toml::Value::Boolean(_) => match value.trim() {
            "true" | "1" => toml::Value::Boolean(true),
            "false" | "0" => toml::Value::Boolean(false),
            _ => {
                return unknown(format!(
                    "= {value:?} must be true or false for {}.{}",
                    parts[0], parts[1]
                ))
            }
        },
        _ => {
            return unknown(format!(
                "{}.{} is a table; set its keys one by one",
                parts[0], parts[1]
            ))
        }
    };
    section.insert(parts[1].clone(), typed);
    Ok(())
}
