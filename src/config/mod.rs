//! Configuration: `config/newsflow.toml` (embedded into the binary as the
//! default), an optional file given with `--config`, then environment
//! overrides `NEWSFLOW_<SECTION>__<KEY>` (e.g. `NEWSFLOW_KAFKA__BROKERS`).
//!
//! Every error names the key and says how to fix it. librdkafka properties
//! pass through `[kafka.consumer]` and `[kafka.producer]`; those whose name
//! looks secret are redacted wherever the config is shown.

mod sources;

use serde::Deserialize;
use sources::{apply_env, check_known_keys, merge, parse_toml};
use std::collections::BTreeMap;
use std::fmt;

/// The default configuration, compiled in so `newsflow run` works anywhere.
pub const DEFAULT_TOML: &str = include_str!("../../config/newsflow.toml");

/// The environment prefix for overrides.
pub const ENV_PREFIX: &str = "NEWSFLOW_";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub kafka: KafkaConfig,
    pub topics: Topics,
    pub pipeline: PipelineConfig,
    pub shutdown: ShutdownConfig,
    pub metrics: MetricsConfig,
    pub dedup: DedupConfig,
    pub happenings: HappeningsConfig,
    pub extract: ExtractConfig,
    pub embedded: EmbeddedConfig,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaConfig {
    /// `host:port,…` or `embedded` for the in-process broker.
    pub brokers: String,
    pub group_id: String,
    /// librdkafka consumer properties, passed through verbatim.
    #[serde(default)]
    pub consumer: BTreeMap<String, toml::Value>,
    /// librdkafka producer properties, passed through verbatim.
    #[serde(default)]
    pub producer: BTreeMap<String, toml::Value>,
}

impl fmt::Debug for KafkaConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KafkaConfig")
            .field("brokers", &self.brokers)
            .field("group_id", &self.group_id)
            .field("consumer", &redacted(&self.consumer))
            .field("producer", &redacted(&self.producer))
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topics {
    pub input: String,
    pub articles: String,
    pub events: String,
    pub duplicates: String,
    pub dlq: String,
    pub dedup_changelog: String,
    /// Happening records, keyed by happening id (compacted).
    pub happenings: String,
    /// Event reports keyed by aggregation key: the stage's input.
    pub happenings_repartition: String,
    /// The aggregation state: reports by event id, co-partitioned with the
    /// repartition topic (compacted).
    pub happenings_changelog: String,
}

impl Topics {
    pub fn all(&self) -> [&str; 9] {
        [
            &self.input,
            &self.articles,
            &self.events,
            &self.duplicates,
            &self.dlq,
            &self.dedup_changelog,
            &self.happenings,
            &self.happenings_repartition,
            &self.happenings_changelog,
        ]
    }

    /// The topics `create-topics` creates compacted.
    pub fn compacted(&self) -> [&str; 3] {
        [
            &self.dedup_changelog,
            &self.happenings,
            &self.happenings_changelog,
        ]
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// Input messages read but not yet acknowledged downstream, at most.
    pub max_in_flight: usize,
    /// Worker tasks running the stage chain (partitions are spread over them).
    pub concurrency: usize,
    /// Larger input messages go to the DLQ as `too_large`.
    pub max_message_bytes: usize,
    /// How often completed offsets (at-least-once) or the open transaction
    /// (exactly-once) are committed; unset: the delivery mode's default
    /// (see [`PipelineConfig::commit_interval`]).
    #[serde(default)]
    pub commit_interval_ms: Option<u64>,
    /// Also commit once this many input messages were read since the last
    /// commit; unset: by time only.
    #[serde(default)]
    pub commit_every_messages: Option<u64>,
    pub delivery: Delivery,
    /// Exactly-once: the producer's `transactional.id`, the same for the
    /// same instance across restarts (so a zombie of it is fenced) and
    /// different for every instance. Unset: `<kafka.group_id>-<host name>`,
    /// filled in at load (a StatefulSet pod's name is stable).
    #[serde(default)]
    pub transactional_id: Option<String>,
}

/// What a crash may cost the outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    /// Offsets are committed after every output is acknowledged: a crash
    /// publishes the in-flight window again (duplicates, never loss).
    AtLeastOnce,
    /// Outputs and input offsets commit in one Kafka transaction: readers
    /// with `isolation.level=read_committed` see every output once.
    ExactlyOnce,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::AtLeastOnce => "at-least-once",
            Delivery::ExactlyOnce => "exactly-once",
        }
    }
}

impl PipelineConfig {
    /// `commit_interval_ms`, else 1 s under at-least-once (a commit costs a
    /// round trip and bounds only the re-read window) and 100 ms under
    /// exactly-once (outputs become visible to read_committed readers only
    /// when their transaction commits: the interval is their latency).
    pub fn commit_interval(&self) -> std::time::Duration {
        let default = match self.delivery {
            Delivery::AtLeastOnce => 1000,
            Delivery::ExactlyOnce => 100,
        };
        std::time::Duration::from_millis(self.commit_interval_ms.unwrap_or(default))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShutdownConfig {
    pub deadline_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    pub listen: String,
    /// Where `newsflow replay` serves its metrics: a backfill usually runs
    /// beside the live pipeline on the same host.
    pub replay_listen: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DedupConfig {
    pub near_threshold: f64,
    pub window_days: u64,
    /// See `stages::dedup::DedupConfig::max_lateness_secs`.
    pub max_lateness_hours: u64,
    pub on_duplicate: OnDuplicate,
    /// Articles the index can remember at once (memory is reserved for
    /// them up front, ~25 bytes each, the rest ~70 bytes as they arrive:
    /// ~100 per remembered article, docs/dedup.md "Memory").
    pub capacity: usize,
}

impl DedupConfig {
    /// The settings of the dedup index.
    pub fn index_config(&self) -> crate::stages::dedup::DedupConfig {
        crate::stages::dedup::DedupConfig {
            near_threshold: self.near_threshold as f32,
            window_secs: self.window_days.saturating_mul(86_400),
            max_lateness_secs: self.max_lateness_hours.saturating_mul(3_600),
            capacity: self.capacity,
        }
    }
}

/// The aggregation of events into happenings (`stages::happenings`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HappeningsConfig {
    /// `run` aggregates events into happenings (the repartition topic, the
    /// aggregation consumer group, the happenings topic).
    pub enabled: bool,
    pub tolerance_days: u32,
    pub horizon_days: u32,
    pub max_article_ids: usize,
}

impl HappeningsConfig {
    /// The aggregation rules.
    pub fn rules(&self) -> crate::stages::happenings::Rules {
        crate::stages::happenings::Rules {
            tolerance_days: i64::from(self.tolerance_days),
            horizon_secs: i64::from(self.horizon_days) * 86_400,
        }
    }
}

/// The event coder's dictionaries beyond data/ (`stages::extract`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractConfig {
    /// PETRARCH/TABARI-format actor dictionaries (names, aliases, dated roles).
    pub actor_dictionaries: Vec<std::path::PathBuf>,
    /// PETRARCH/TABARI-format agent dictionaries (police, rebels ...).
    pub agent_dictionaries: Vec<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnDuplicate {
    Drop,
    Annotate,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddedConfig {
    /// Partitions of every topic the embedded broker creates.
    pub partitions: i32,
    /// Bytes per input partition any producer may leave unread ahead of the
    /// pipeline before the broker's gate holds it back (the embedded broker
    /// keeps only the newest ~5 MB of each partition).
    pub max_lead_bytes: u64,
}

/// A configuration problem, always naming the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{origin}: {message}")]
    Syntax { origin: String, message: String },
    #[error("{key}: {message}")]
    Invalid { key: String, message: String },
    #[error(transparent)]
    Dedup(#[from] crate::stages::dedup::ConfigError),
}

impl Config {
    /// Loads the embedded default, then `path` (if any) over it, then the
    /// environment over both.
    pub fn load(path: Option<&str>) -> Result<Config, ConfigError> {
        let mut env: Vec<(String, String)> = std::env::vars().collect();
        // Shells set HOSTNAME without exporting it; the kernel knows it too.
        if !env.iter().any(|(k, _)| k == "HOSTNAME") {
            if let Ok(h) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
                env.push(("HOSTNAME".into(), h.trim().to_string()));
            }
        }
        let file = match path {
            None => None,
            Some(p) => Some((
                p.to_string(),
                std::fs::read_to_string(p).map_err(|e| ConfigError::Read {
                    path: p.to_string(),
                    source: e,
                })?,
            )),
        };
        Self::from_sources(file.as_ref().map(|(p, s)| (p.as_str(), s.as_str())), &env)
    }

    /// Pure version of [`Config::load`], for tests.
    pub fn from_sources(
        file: Option<(&str, &str)>,
        env: &[(String, String)],
    ) -> Result<Config, ConfigError> {
        let mut merged = parse_toml("embedded default config/newsflow.toml", DEFAULT_TOML)?;
        if let Some((path, text)) = file {
            let overlay = parse_toml(path, text)?;
            check_known_keys(&overlay, &merged, "")?;
            merge(&mut merged, overlay);
        }
        for (name, value) in env {
            // Only NEWSFLOW_<SECTION>__<KEY> variables are settings; others
            // with the prefix (NEWSFLOW_DATA_DIR, test switches) are not.
            let Some(rest) = name.strip_prefix(ENV_PREFIX).filter(|r| r.contains("__")) else {
                continue;
            };
            apply_env(&mut merged, name, rest, value)?;
        }
        // Named here: serde's error for an unknown variant names no key.
        if let Some(d) = merged.get("pipeline").and_then(|p| p.get("delivery")) {
            if !matches!(d.as_str(), Some("at-least-once" | "exactly-once")) {
                return Err(ConfigError::Invalid {
                    key: "pipeline.delivery".into(),
                    message: format!("= {d} must be \"at-least-once\" or \"exactly-once\""),
                });
            }
        }
        let cfg: Config = merged
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Syntax {
                origin: "configuration".into(),
                message: e.message().to_string(),
            })?;
        let mut cfg = cfg;
        if cfg.pipeline.delivery == Delivery::ExactlyOnce && cfg.pipeline.transactional_id.is_none()
        {
            let host = env
                .iter()
                .find(|(k, _)| k == "HOSTNAME")
                .map(|(_, v)| v.trim())
                .filter(|h| !h.is_empty());
            cfg.pipeline.transactional_id = host.map(|h| format!("{}-{h}", cfg.kafka.group_id));
        }
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key: &str, message: String| {
            Err(ConfigError::Invalid {
                key: key.into(),
                message,
            })
        };
        if self.kafka.brokers.trim().is_empty() {
            return bad(
                "kafka.brokers",
                "is empty; set `host:port[,host:port]` or \"embedded\"".into(),
            );
        }
        if self.kafka.group_id.trim().is_empty() {
            return bad(
                "kafka.group_id",
                "is empty; set a consumer group name such as \"newsflow\"".into(),
            );
        }
        for (key, name) in [
            ("topics.input", &self.topics.input),
            ("topics.articles", &self.topics.articles),
            ("topics.events", &self.topics.events),
            ("topics.duplicates", &self.topics.duplicates),
            ("topics.dlq", &self.topics.dlq),
            ("topics.dedup_changelog", &self.topics.dedup_changelog),
            ("topics.happenings", &self.topics.happenings),
            (
                "topics.happenings_repartition",
                &self.topics.happenings_repartition,
            ),
            (
                "topics.happenings_changelog",
                &self.topics.happenings_changelog,
            ),
        ] {
            if name.is_empty()
                || name.len() > 249
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
            {
                return bad(
                    key,
                    format!("= {name:?} is not a valid Kafka topic name (1-249 of [a-zA-Z0-9._-])"),
                );
            }
        }
        if self.topics.dlq == self.topics.input {
            return bad(
                "topics.dlq",
                "must differ from topics.input, or dead letters would loop".into(),
            );
        }
        if self.pipeline.max_in_flight == 0 {
            return bad(
                "pipeline.max_in_flight",
                "must be at least 1 (e.g. 1000)".into(),
            );
        }
        if self.pipeline.concurrency == 0 || self.pipeline.concurrency > 256 {
            return bad(
                "pipeline.concurrency",
                format!("= {} must be between 1 and 256", self.pipeline.concurrency),
            );
        }
        if self.pipeline.max_message_bytes < 64 {
            return bad(
                "pipeline.max_message_bytes",
                "must be at least 64 bytes (e.g. 1048576)".into(),
            );
        }
        if self.pipeline.commit_every_messages == Some(0) {
            return bad(
                "pipeline.commit_every_messages",
                "= 0 would commit on every poll; leave it unset to commit by time only, or give a count of messages".into(),
            );
        }
        if self.pipeline.commit_interval_ms == Some(0) {
            return bad(
                "pipeline.commit_interval_ms",
                "must be at least 1 (e.g. 1000), or unset for the delivery mode's default".into(),
            );
        }
        if self.pipeline.delivery == Delivery::ExactlyOnce {
            match self.pipeline.transactional_id.as_deref().map(str::trim) {
                None => return bad("pipeline.transactional_id", "is unset and there is no host name to derive it from; set it (NEWSFLOW_PIPELINE__TRANSACTIONAL_ID), stable for this instance and unique among instances".into()),
                Some("") => return bad("pipeline.transactional_id", "is empty; set a name stable for this instance, e.g. the pod name".into()),
                Some(_) => {}
            }
        }
        if self.shutdown.deadline_secs == 0 {
            return bad(
                "shutdown.deadline_secs",
                "must be at least 1 (default 30)".into(),
            );
        }
        for (key, value, example) in [
            ("metrics.listen", &self.metrics.listen, "127.0.0.1:9898"),
            (
                "metrics.replay_listen",
                &self.metrics.replay_listen,
                "127.0.0.1:9899",
            ),
        ] {
            if value.parse::<std::net::SocketAddr>().is_err() && value != "off" {
                return bad(
                    key,
                    format!("= {value:?} is not an address like {example} (or \"off\")"),
                );
            }
        }
        // The dedup index checks its own settings (one home for the rules).
        self.dedup.index_config().validate()?;
        let h = &self.happenings;
        if h.tolerance_days > 31 {
            return bad(
                "happenings.tolerance_days",
                format!("= {} must be at most 31", h.tolerance_days),
            );
        }
        if h.horizon_days < 1 || h.horizon_days > 366 {
            return bad(
                "happenings.horizon_days",
                format!("= {} must be between 1 and 366", h.horizon_days),
            );
        }
        if h.max_article_ids < 1 || h.max_article_ids > 1000 {
            return bad(
                "happenings.max_article_ids",
                format!("= {} must be between 1 and 1000", h.max_article_ids),
            );
        }
        if self.embedded.partitions < 1 || self.embedded.partitions > 1024 {
            return bad(
                "embedded.partitions",
                format!("= {} must be between 1 and 1024", self.embedded.partitions),
            );
        }
        for (section, props) in [
            ("kafka.consumer", &self.kafka.consumer),
            ("kafka.producer", &self.kafka.producer),
        ] {
            for (k, v) in props.iter() {
                if matches!(v, toml::Value::Array(_) | toml::Value::Table(_)) {
                    return bad(
                        &format!("{section}.\"{k}\""),
                        "librdkafka properties must be strings, numbers or booleans".into(),
                    );
                }
            }
        }
        Ok(())
    }

    pub fn is_embedded(&self) -> bool {
        self.kafka.brokers.trim() == "embedded"
    }

    /// The effective configuration as TOML, with secrets replaced by `***`.
    pub fn to_redacted_toml(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "[kafka]\nbrokers = {:?}\ngroup_id = {:?}\n",
            self.kafka.brokers, self.kafka.group_id
        ));
        for (section, props) in [
            ("kafka.consumer", &self.kafka.consumer),
            ("kafka.producer", &self.kafka.producer),
        ] {
            out.push_str(&format!("\n[{section}]\n"));
            for (k, v) in redacted(props) {
                out.push_str(&format!("{:?} = {:?}\n", k, v));
            }
        }
        let t = &self.topics;
        out.push_str(&format!(
            "\n[topics]\ninput = {:?}\narticles = {:?}\nevents = {:?}\nduplicates = {:?}\ndlq = {:?}\ndedup_changelog = {:?}\nhappenings = {:?}\nhappenings_repartition = {:?}\nhappenings_changelog = {:?}\n",
            t.input, t.articles, t.events, t.duplicates, t.dlq, t.dedup_changelog,
            t.happenings, t.happenings_repartition, t.happenings_changelog
        ));
        let p = &self.pipeline;
        out.push_str(&format!(
            "\n[pipeline]\nmax_in_flight = {}\nconcurrency = {}\nmax_message_bytes = {}\ndelivery = {:?}\ncommit_interval_ms = {}\n",
            p.max_in_flight,
            p.concurrency,
            p.max_message_bytes,
            p.delivery.as_str(),
            p.commit_interval().as_millis()
        ));
        if let Some(n) = p.commit_every_messages {
            out.push_str(&format!("commit_every_messages = {n}\n"));
        }
        if let Some(id) = &p.transactional_id {
            out.push_str(&format!("transactional_id = {id:?}\n"));
        }
        out.push_str(&format!(
            "\n[shutdown]\ndeadline_secs = {}\n",
            self.shutdown.deadline_secs
        ));
        out.push_str(&format!(
            "\n[metrics]\nlisten = {:?}\nreplay_listen = {:?}\n",
            self.metrics.listen, self.metrics.replay_listen
        ));
        let d = &self.dedup;
        out.push_str(&format!(
            "\n[dedup]\nnear_threshold = {}\nwindow_days = {}\nmax_lateness_hours = {}\ncapacity = {}\non_duplicate = {:?}\n",
            d.near_threshold,
            d.window_days,
            d.max_lateness_hours,
            d.capacity,
            if d.on_duplicate == OnDuplicate::Drop { "drop" } else { "annotate" }
        ));
        let h = &self.happenings;
        out.push_str(&format!(
            "\n[happenings]\nenabled = {}\ntolerance_days = {}\nhorizon_days = {}\nmax_article_ids = {}\n",
            h.enabled, h.tolerance_days, h.horizon_days, h.max_article_ids
        ));
        out.push_str(&format!(
            "\n[embedded]\npartitions = {}\nmax_lead_bytes = {}\n",
            self.embedded.partitions, self.embedded.max_lead_bytes
        ));
        out
    }
}

/// librdkafka property names whose values must never be shown.
pub fn is_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("password")
        || k.contains("secret")
        || k.ends_with(".key.pem")
        || k == "sasl.oauthbearer.config"
        || k.contains("token")
}

/// Property values as strings, secrets replaced by `***`.
pub fn redacted(props: &BTreeMap<String, toml::Value>) -> BTreeMap<String, String> {
    props
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                if is_secret(k) {
                    "***".to_string()
                } else {
                    scalar_string(v)
                },
            )
        })
        .collect()
}

/// A librdkafka property value as the string librdkafka expects.
pub fn scalar_string(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
