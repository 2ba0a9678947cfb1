//! The output topics by name: one value per output (its topic name, its
//! partition count, its config key), so code says `topics.dlq` or
//! `topics.get(target)` and never relies on a position in a list.

use crate::config::Topics;
use crate::stages::route::Target;

/// One `T` per output topic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputTopics<T> {
    pub articles: T,
    pub events: T,
    pub duplicates: T,
    pub dlq: T,
    /// The dedup changelog (compacted; written by `run` only).
    pub changelog: T,
    /// Event reports by aggregation key (the happenings repartition topic).
    pub reports: T,
}

/// Every output, in the order they are listed and checked.
pub const OUTPUTS: [Target; 6] = [
    Target::Articles,
    Target::Events,
    Target::Duplicates,
    Target::Dlq,
    Target::Changelog,
    Target::Reports,
];

/// An output topic as the producer needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub name: String,
    /// Records go to the input's partition number modulo this; 0 means
    /// "partition by key" (the changelog: compaction needs one key, one
    /// partition; the reports: one partition owns each aggregation key).
    pub partitions: i32,
}

impl<T> OutputTopics<T> {
    pub fn get(&self, t: Target) -> &T {
        match t {
            Target::Articles => &self.articles,
            Target::Events => &self.events,
            Target::Duplicates => &self.duplicates,
            Target::Dlq => &self.dlq,
            Target::Changelog => &self.changelog,
            Target::Reports => &self.reports,
        }
    }

    /// A value per output, computed from the output and its value here.
    pub fn map<U>(&self, mut f: impl FnMut(Target, &T) -> U) -> OutputTopics<U> {
        OutputTopics {
            articles: f(Target::Articles, &self.articles),
            events: f(Target::Events, &self.events),
            duplicates: f(Target::Duplicates, &self.duplicates),
            dlq: f(Target::Dlq, &self.dlq),
            changelog: f(Target::Changelog, &self.changelog),
            reports: f(Target::Reports, &self.reports),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (Target, &T)> {
        OUTPUTS.into_iter().map(move |t| (t, self.get(t)))
    }
}

impl OutputTopics<String> {
    /// The configured output topics, `suffix` appended to all but the
    /// dedup changelog (a replay into suffixed copies never writes the live
    /// dedup memory; its reports feed happenings of its own).
    pub fn from_config(t: &Topics, suffix: &str) -> Self {
        OutputTopics {
            articles: format!("{}{suffix}", t.articles),
            events: format!("{}{suffix}", t.events),
            duplicates: format!("{}{suffix}", t.duplicates),
            dlq: format!("{}{suffix}", t.dlq),
            changelog: t.dedup_changelog.clone(),
            reports: format!("{}{suffix}", t.happenings_repartition),
        }
    }
}

impl OutputTopics<Topic> {
    /// (topic, kind) of the outputs a dashboard shows from the start (all
    /// but the changelog), for registering their counters at zero.
    pub fn shown(&self) -> Vec<(&str, &'static str)> {
        self.iter()
            .filter(|(t, _)| *t != Target::Changelog)
            .map(|(t, topic)| (topic.name.as_str(), t.label()))
            .collect()
    }
}

/// The config key that names an output's topic.
pub fn config_key(t: Target) -> &'static str {
    match t {
        Target::Articles => "topics.articles",
        Target::Events => "topics.events",
        Target::Duplicates => "topics.duplicates",
        Target::Dlq => "topics.dlq",
        Target::Changelog => "topics.dedup_changelog",
        Target::Reports => "topics.happenings_repartition",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_output_gets_its_own_value_and_suffix_spares_the_changelog() {
        let cfg = crate::config::Config::from_sources(None, &[]).unwrap();
        let t = OutputTopics::from_config(&cfg.topics, ".b");
        assert_eq!(t.get(Target::Dlq), "news.articles.raw.dlq.b");
        assert_eq!(t.events, "news.events.b");
        assert_eq!(t.changelog, cfg.topics.dedup_changelog);
        let keys: Vec<&str> = t.iter().map(|(o, _)| config_key(o)).collect();
        assert_eq!(keys.len(), 6);
        assert_eq!(t.reports, "newsflow.happenings.repartition.b");
        assert!(keys.iter().all(|k| k.starts_with("topics.")));
        let n = t.map(|o, name| (o.label(), name.len()));
        assert_eq!(n.duplicates, ("duplicates", "news.duplicates.b".len()));
    }
}
