//! Event coding: turns a normalized article into entities, the countries it is about,
//! CAMEO-coded events (who did what to whom, when, where), quotes, casualties, dates, tone and
//! themes.
//!
//! [`Extractor`] loads the dictionaries once (the gazetteer of `crate::entities`, the CAMEO
//! table, the verb/noun pattern lexicon, the tone lexicon, the theme table) and is shared
//! read-only between threads. [`Extractor::extract`] is deterministic: the same article gives
//! the same [`Extraction`]; `stages::record` serializes its events for the `news.events`
//! topic. How the coder reads a sentence is described in docs/coding.md.

mod actors;
mod cameo;
mod casualties;
mod coder;
mod collapse;
mod dates;
mod events;
mod inflect;
mod lexicon;
mod numbers;
mod phrases;
pub mod pos;
mod quotes;
mod text;
mod themes;
mod tone;
mod word_table;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::entities::{
    analyze, article_countries, split_sentences, ArticleCountry, Entity, Gazetteer,
};
use crate::model::Article;

pub use actors::Actor;
pub use cameo::{CameoCode, CameoTable, Plover};
pub use casualties::{Casualty, CasualtyKind};
pub use dates::{Basis, DateMention, Precision};
pub use events::{Action, Event, Evidence, Location, Spans};
pub use numbers::Qualifier;
pub use quotes::{Quote, Speaker};
pub use tone::Tone;

/// The coder's data files (or the gazetteer under them) could not be read
/// or parsed.
#[derive(Debug, thiserror::Error)]
pub enum ExtractorLoadError {
    #[error(transparent)]
    Gazetteer(#[from] crate::entities::GazetteerLoadError),
    #[error(transparent)]
    Tagger(#[from] pos::TaggerLoadError),
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {msg}")]
    Parse { path: PathBuf, msg: String },
}

/// Everything extracted from one article (flattened into the article record).
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub entities: Vec<Entity>,
    /// The countries the article is about, most salient first ([`crate::entities::Analysis::about`]).
    pub countries: Vec<ArticleCountry>,
    pub events: Vec<Event>,
    pub quotes: Vec<Quote>,
    pub casualties: Vec<Casualty>,
    pub dates: Vec<DateMention>,
    pub tone: Tone,
    pub themes: Vec<String>,
}

/// The loaded dictionaries. `Send + Sync`; share behind an `Arc`.
#[derive(Debug)]
pub struct Extractor {
    gazetteer: Gazetteer,
    cameo: CameoTable,
    lexicon: lexicon::Lexicon,
    tone: tone::ToneLexicon,
    themes: themes::Themes,
    tagger: pos::Tagger,
}

fn read(dir: &Path, name: &str) -> Result<String, ExtractorLoadError> {
    let path = dir.join(name);
    std::fs::read_to_string(&path).map_err(|source| ExtractorLoadError::Io { path, source })
}

fn parse_err(dir: &Path, name: &str, (line, msg): (usize, String)) -> ExtractorLoadError {
    ExtractorLoadError::Parse {
        path: dir.join(name),
        msg: format!("line {line}: {msg}"),
    }
}

impl Extractor {
    /// Loads the gazetteer and the coder's tables from `data_dir` (see data/README.md).
    pub fn load(data_dir: &Path) -> Result<Extractor, ExtractorLoadError> {
        Self::with_gazetteer(data_dir, Gazetteer::load(data_dir)?)
    }

    /// Loads from the default data directory ([`crate::data_files::data_dir`]).
    pub fn load_default() -> Result<Extractor, ExtractorLoadError> {
        Self::load_configured(&crate::config::ExtractConfig {
            actor_dictionaries: Vec::new(),
            agent_dictionaries: Vec::new(),
        })
    }

    /// Loads from the default data directory, adding the users' PETRARCH-format actor and
    /// agent dictionaries the `[extract]` section names.
    pub fn load_configured(
        cfg: &crate::config::ExtractConfig,
    ) -> Result<Extractor, ExtractorLoadError> {
        let dir =
            crate::data_files::data_dir().map_err(crate::entities::GazetteerLoadError::from)?;
        let g = Gazetteer::load_with_dictionaries(
            &dir,
            &cfg.actor_dictionaries,
            &cfg.agent_dictionaries,
        )?;
        Self::with_gazetteer(&dir, g)
    }

    /// Loads the coder's tables around an already loaded gazetteer.
    pub fn with_gazetteer(
        data_dir: &Path,
        gazetteer: Gazetteer,
    ) -> Result<Extractor, ExtractorLoadError> {
        let cameo = CameoTable::parse(&read(data_dir, "cameo.tsv")?)
            .map_err(|e| parse_err(data_dir, "cameo.tsv", e))?
            .with_plover(&read(data_dir, "plover.tsv")?)
            .map_err(|e| parse_err(data_dir, "plover.tsv", e))?;
        let p = data_dir.join("patterns");
        let lexicon = lexicon::Lexicon::parse(
            &[
                ("verbs.tsv", &read(&p, "verbs.tsv")?),
                ("petrarch.tsv", &read(&p, "petrarch.tsv")?),
            ],
            &read(&p, "irregular.tsv")?,
            &read(&p, "frames.tsv")?,
            &cameo,
        )
        .map_err(|msg| ExtractorLoadError::Parse {
            path: p.clone(),
            msg,
        })?;
        let tone = tone::ToneLexicon::parse(&read(&data_dir.join("tone"), "vader.tsv")?)
            .map_err(|e| parse_err(&data_dir.join("tone"), "vader.tsv", e))?;
        let themes = themes::Themes::parse(&read(&p, "themes.tsv")?)
            .map_err(|e| parse_err(&p, "themes.tsv", e))?;
        let tagger = pos::Tagger::load(&data_dir.join("tagger"))?;
        Ok(Extractor {
            gazetteer,
            cameo,
            lexicon,
            tone,
            themes,
            tagger,
        })
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    pub fn cameo(&self) -> &CameoTable {
        &self.cameo
    }

    /// Number of distinct CAMEO codes the pattern lexicon can produce.
    pub fn coded_codes(&self) -> usize {
        self.lexicon.codes().len()
    }

    /// The event coder's work on `body`, in token pairs: the sum over its
    /// sentences of the square of their length in tokens (the coder matches
    /// each token of a sentence against the rest of it). The chain prices an
    /// article with it before extracting (`stages::budget`).
    pub fn coder_work(body: &str) -> u64 {
        let toks = text::tokenize(body);
        let (mut work, mut k) = (0u64, 0usize);
        for s in split_sentences(body) {
            while k < toks.len() && toks[k].s < s.start {
                k += 1;
            }
            let a = k;
            while k < toks.len() && toks[k].s < s.end {
                k += 1;
            }
            work += ((k - a) as u64).pow(2);
        }
        work
    }

    /// [`Self::coder_work`] when it exceeds `limit`, `None` when it does not. A body of
    /// `n` bytes has at most `n` tokens, hence at most `n * n` token pairs, so a body
    /// with `n * n <= limit` is within it without being tokenized (most articles: up to
    /// 7 KB against the chain's budget).
    pub fn coder_work_over(body: &str, limit: u64) -> Option<u64> {
        let n = body.len() as u64;
        if n.saturating_mul(n) <= limit {
            return None;
        }
        Some(Self::coder_work(body)).filter(|&w| w > limit)
    }

    /// Extracts everything from one article. Non-English articles get no entities or events.
    pub fn extract(&self, article: &Article) -> Extraction {
        let body = article.body.as_str();
        let pub_date = article.published_at.map(|t| t.date_naive());
        let empty = |tone: Tone| Extraction {
            entities: vec![],
            countries: vec![],
            events: vec![],
            quotes: vec![],
            casualties: vec![],
            dates: vec![],
            tone,
            themes: vec![],
        };
        if !article.language.is_english {
            return empty(Tone::default());
        }
        let analysis = analyze(&self.gazetteer, body, pub_date);
        let countries = analysis.about(&self.gazetteer);
        let entities = analysis.entities;
        let sentences = analysis.sentences;
        let main = article_countries(&entities).into_iter().next().map(|c| c.0);
        let (events, quotes, casualties, dates, tone, themes) = {
            let mut doc = text::Doc::new(body, sentences, &entities);
            doc.tag(&self.tagger);
            self.capitals_as_governments(&mut doc);
            let tone = self.tone.score(&doc);
            let dates = dates::find(&doc, pub_date);
            let mut casualties = casualties::find(&doc);
            let quotes = quotes::find(&doc, &self.lexicon);
            let themes = self.themes.find(&doc, article.title.as_deref());
            let ctx = events::Ctx {
                d: &doc,
                lx: &self.lexicon,
                cameo: &self.cameo,
                g: &self.gazetteer,
                main_country: main.as_deref(),
                dates: &dates,
                casualties: &[],
                pub_date,
                article_id: &article.id,
            };
            for c in &mut casualties {
                c.location = casualty_place(&ctx, c)
                    .or_else(|| main.as_deref().and_then(|m| ctx.country_location(m)));
            }
            let ctx = events::Ctx {
                casualties: &casualties,
                ..ctx
            };
            let mut events = Vec::new();
            for si in 0..doc.sents.len() {
                let (a, b) = doc.sent_toks[si];
                let m = coder::match_sentence(&doc, &self.lexicon, a, b);
                events.extend(ctx.sentence_events(si, &m));
            }
            // The outlet that publishes the article reports it: "a spokesman told Reuters",
            // "contacted by telephone ..., told Reuters" name no party of the act.
            if let Some(outlet) = article.source.as_deref().map(str::to_lowercase) {
                let reporter = |a: &Actor| {
                    let t = a.text.to_lowercase();
                    !outlet.is_empty()
                        && (t == outlet || t.trim_end_matches('s') == outlet.trim_end_matches('s'))
                };
                events.retain(|e| !reporter(&e.source) && !e.target.as_ref().is_some_and(reporter));
            }
            let mut events = collapse::collapse(events, ctx.article_id);
            for e in &mut events {
                e.tone = tone.tone;
            }
            (events, quotes, casualties, dates, tone, themes)
        };
        Extraction {
            entities,
            countries,
            events,
            quotes,
            casualties,
            dates,
            tone,
            themes,
        }
    }
}

impl Extractor {
    /// A national capital named as a participant ("accused Beijing", "visit Moscow") stands for
    /// its government; the recognizer codes capitals only in subject position, so the coder
    /// also codes the other mentions (places keep their place entity in the output). Not a
    /// participant: a capital after a locative preposition, where it is the venue ("a meeting
    /// in London", "talks at Geneva"), nor one that opens a longer capitalised name ("the
    /// London Interbank Offered Rate", "Moscow Narodny Bank").
    fn capitals_as_governments(&self, doc: &mut text::Doc) {
        const VENUE: &[&str] = &[
            "in",
            "at",
            "near",
            "outside",
            "inside",
            "across",
            "throughout",
        ];
        for (i, e) in doc.ents.iter().enumerate() {
            if e.kind != crate::entities::EntityKind::Place
                || doc.codes[i].is_some()
                || doc.attribute(i as u32).is_some()
            {
                continue;
            }
            let (a, b) = doc.ent_toks[i];
            let venue = a
                .checked_sub(1)
                .map(|p| &doc.toks[p])
                .is_some_and(|t| t.sent == doc.toks[a].sent && VENUE.contains(&&doc.low[t.s..t.e]));
            let longer_name = doc.toks.get(b).is_some_and(|t| {
                t.sent == doc.toks[a].sent
                    && t.cap
                    && t.kind == text::Kind::Word
                    && t.ent.is_none()
                    && !dates::is_month_or_weekday(&doc.low[t.s..t.e])
            });
            // "a smelter at Goldendale, Washington": a name after a place and a comma is
            // part of an address (a state or region of that name), not a government.
            let address = a >= 2
                && doc.w(a - 1) == ","
                && doc.toks[a - 2].sent == doc.toks[a].sent
                && doc.toks[a - 2].cap
                && doc.toks[a - 2].kind == text::Kind::Word;
            if venue || longer_name || address {
                continue;
            }
            let Some(c) = e
                .country
                .as_deref()
                .and_then(|c| self.gazetteer.country_index(c))
            else {
                continue;
            };
            let country = &self.gazetteer.countries()[c as usize];
            if !country.capital.is_empty() && country.capital == e.name {
                doc.codes[i] = Some(format!("{}GOV", country.iso3));
            }
        }
    }
}

/// How precisely a [`Location`] places an event or a casualty (written in
/// lower case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlacePrecision {
    /// A populated place with coordinates and its first-level division.
    City,
    /// A place known no finer than its first-level division.
    Admin1,
    /// A country, at its centre.
    Country,
    /// A region larger than a country.
    Region,
}

/// A place named in the casualty's sentence: one after "in/at/near/across" first; a dateline
/// ("NAIROBI - ...") only when nothing else is there.
fn casualty_place(ctx: &events::Ctx, c: &Casualty) -> Option<Location> {
    let d = ctx.d;
    let (a, b) = d.sent_toks[c.sentence_index];
    let mut best: Option<(u8, u32)> = None;
    for k in a..b {
        let Some((e, ea, _)) = d.ent_at(k) else {
            continue;
        };
        if ea != k || d.ents[e as usize].kind != crate::entities::EntityKind::Place {
            continue;
        }
        let rank = if ea > a && matches!(d.w(ea - 1), "in" | "at" | "near" | "across" | "outside") {
            0
        } else if ea == a {
            2
        } else {
            1
        };
        if best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, e));
        }
    }
    Some(Location::of_entity(
        &d.ents[best?.1 as usize],
        PlacePrecision::City,
    ))
}

/// Parses a `YYYY-MM-DD` date (for callers that pass `--date`).
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_covers_every_root_and_150_codes() {
        let x = Extractor::load_default().unwrap();
        let codes = x.lexicon.codes();
        for r in 1..=20 {
            let root = format!("{r:02}");
            assert!(
                codes.iter().any(|c| c.starts_with(&root) && c.len() > 2),
                "root {root} has no pattern"
            );
        }
        let specific = codes.iter().filter(|c| c.len() >= 3).count();
        assert!(specific >= 150, "{specific} specific codes");
        assert!(codes.iter().all(|c| x.cameo.get(c).is_some()));
    }

    #[test]
    fn missing_data_is_a_load_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Extractor::load(dir.path()).is_err());
    }
}
