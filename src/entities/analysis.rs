//! Entry points: `recognize` and `analyze`. One pass of the automaton, the name heuristics,
//! the resolver, then context countries and salience.

use chrono::NaiveDate;

use super::context::{bind_defined_acronyms, fill_context, set_texts};
use super::fold::{fold_into, Folded};
use super::gazetteer::Gazetteer;
use super::matcher::{Hit, Target};
use super::names::{find_names, NameSpan};
use super::places::Evidence;
use super::resolve::Resolver;
use super::salience::{rank, with_cues};
use super::sentences::split_sentences;
use super::types::{Entity, Sentence};

pub(super) enum Item {
    Hit(Hit),
    Name(NameSpan),
}

impl Item {
    pub(super) fn span(&self) -> (usize, usize) {
        match self {
            Item::Hit(h) => (h.start, h.end),
            Item::Name(n) => (n.start, n.end),
        }
    }
}

/// An entity in folded offsets, possibly waiting for the country of its context.
pub(super) struct Pending {
    pub(super) e: Entity,
    pub(super) ctx_role: Option<String>,
}

/// Entities of an article and the countries it is about.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Analysis {
    pub entities: Vec<Entity>,
    /// ISO3 codes with their salience (entities plus country cues such as currencies), highest first.
    pub countries: Vec<(String, f64)>,
    /// The text's sentences, as the recognizer split them (the event coder reads the same).
    pub sentences: Vec<Sentence>,
}

impl Analysis {
    /// Share of the top salience a country needs to count as a main country of the article
    /// (tuned on the even-numbered Reuters-21578 training stories, see docs/entities.md).
    pub const MAIN_RATIO: f64 = 0.12;

    /// The countries the article is mainly about: salience >= `ratio` x the top salience.
    pub fn main_countries(&self, ratio: f64) -> Vec<&str> {
        self.main(ratio).map(|c| c.0.as_str()).collect()
    }

    /// The (code, salience) pairs of [`Analysis::main_countries`].
    fn main(&self, ratio: f64) -> impl Iterator<Item = &(String, f64)> {
        let top = self.countries.first().map_or(0.0, |c| c.1);
        self.countries
            .iter()
            .filter(move |c| c.1 >= ratio * top && c.1 > 0.0)
    }

    /// Decimals kept of a country's salience in [`Analysis::about`], so records are stable.
    pub const SALIENCE_DECIMALS: i32 = 3;

    /// The countries the article is about, as the article record carries them: the main
    /// countries at [`Analysis::MAIN_RATIO`], most salient first, with the gazetteer's name, the
    /// salience rounded to [`Analysis::SALIENCE_DECIMALS`] and the number of entities belonging
    /// to the country (0 for a country known only from cues such as "dlrs").
    pub fn about(&self, g: &Gazetteer) -> Vec<ArticleCountry> {
        let scale = 10f64.powi(Self::SALIENCE_DECIMALS);
        self.main(Self::MAIN_RATIO)
            .map(|(code, salience)| ArticleCountry {
                code: code.to_string(),
                name: g.country_name(code).unwrap_or(code).to_string(),
                salience: (salience * scale).round() / scale,
                mentions: self
                    .entities
                    .iter()
                    .filter(|e| e.country.as_ref() == Some(code))
                    .count(),
            })
            .collect()
    }
}

/// A country an article is about (see [`Analysis::about`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ArticleCountry {
    /// ISO 3166 alpha-3 (ISO 3166-3 for dissolved states).
    pub code: String,
    pub name: String,
    pub salience: f64,
    pub mentions: usize,
}

/// Recognizes entities in `text`. `published` picks the roles of dated actors.
pub fn recognize(g: &Gazetteer, text: &str, published: Option<NaiveDate>) -> Vec<Entity> {
    analyze(g, text, published).entities
}

/// Entities plus the article's countries, weighted ([`super::article_countries`] plus country cues).
pub fn analyze(g: &Gazetteer, text: &str, published: Option<NaiveDate>) -> Analysis {
    // The folded buffers are reused per thread (they are cleared first): no effect on output.
    let mut f = SCRATCH.with(|c| c.take());
    fold_into(text, &mut f);
    let a = analyze_folded(g, text, &f, published);
    SCRATCH.with(|c| c.replace(f));
    a
}

thread_local! {
    static SCRATCH: std::cell::Cell<Folded> = std::cell::Cell::new(Folded::default());
}

fn analyze_folded(g: &Gazetteer, text: &str, f: &Folded, published: Option<NaiveDate>) -> Analysis {
    let mut hits = g.matcher.find(f);
    let mut cues: Vec<(u16, f64)> = Vec::new();
    hits.retain(|h| {
        match h.targets.iter().find_map(|t| {
            if let Target::Cue(c) = t {
                Some(*c)
            } else {
                None
            }
        }) {
            Some(c) => {
                let cue = &g.cues[c as usize];
                cues.push((cue.country, cue.weight));
                false
            }
            None => true,
        }
    });
    drop_compound_agents(g, f, &mut hits);
    let ev = Evidence::collect(g, &hits);
    let names = find_names(g, f, &hits);
    let items = merge(hits, names);
    let r = Resolver {
        g,
        f,
        published,
        ev,
    };
    let mut out = r.run(&items);
    let sentences = split_sentences(text);
    fill_context(&mut out, g, &sentences, text);
    let mut ents: Vec<Entity> = out.into_iter().map(|p| p.e).collect();
    set_texts(text, &mut ents);
    bind_defined_acronyms(text, &mut ents);
    let cue_codes: Vec<(&str, f64)> = cues.iter().map(|(c, w)| (g.iso3(*c), *w)).collect();
    let countries = with_cues(rank(ents.iter()), &cue_codes);
    Analysis {
        entities: ents,
        countries,
        sentences,
    }
}

/// "anti-government": a role noun glued to a prefix is not an actor.
fn drop_compound_agents(g: &Gazetteer, f: &Folded, hits: &mut Vec<Hit>) {
    for h in hits.iter_mut() {
        if h.start > 0 && f.cased[h.start - 1] == b'-' {
            h.targets.retain(|t| !matches!(t, Target::Agent(_)));
        }
        // Honorifics and titles never stand alone at the end of a sentence-like run; keep them.
        let _ = g;
    }
    hits.retain(|h| !h.targets.is_empty());
}

/// Heuristic names win over the place-only hits they overlap.
fn merge(hits: Vec<Hit>, names: Vec<NameSpan>) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::with_capacity(hits.len() + names.len());
    for h in hits {
        if !names.iter().any(|n| n.start < h.end && h.start < n.end) {
            items.push(Item::Hit(h));
        }
    }
    items.extend(names.into_iter().map(Item::Name));
    items.sort_by_key(|i| i.span().0);
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::EntityKind;

    fn mention(country: &str) -> Entity {
        Entity {
            text: country.into(),
            code: Some(country.into()),
            country: Some(country.into()),
            ..Entity::new(EntityKind::Country, 0, 1, country.into())
        }
    }

    #[test]
    fn about_keeps_the_main_countries_named_rounded_and_counted() {
        let g = Gazetteer::load_default().unwrap();
        let a = Analysis {
            entities: vec![mention("RUS"), mention("RUS"), mention("PER")],
            countries: vec![
                ("RUS".into(), 10.0 / 3.0),
                ("USA".into(), 1.25),
                ("PER".into(), 0.41),
                // Below MAIN_RATIO x top (0.4): not a country the article is about.
                ("FRA".into(), 0.39),
            ],
            sentences: vec![],
        };
        let about = a.about(&g);
        let got: Vec<(&str, &str, f64, usize)> = about
            .iter()
            .map(|c| (c.code.as_str(), c.name.as_str(), c.salience, c.mentions))
            .collect();
        assert_eq!(
            got,
            [
                ("RUS", "Russia", 3.333, 2),
                ("USA", "United States", 1.25, 0),
                ("PER", "Peru", 0.41, 1),
            ]
        );
    }
}
