//! Actor, organisation and place recognition.
//!
//! [`Gazetteer`] loads the dictionaries under `data/` (countries, GeoNames cities, admin1
//! divisions, regions, curated actors and organisations with dated CAMEO codes, agent nouns)
//! and builds one matcher (a static byte trie) over all their names. [`recognize`] runs that
//! matcher once over an article, adds capitalized-name heuristics for people and
//! organisations not in the dictionaries, and resolves the hits into coded, located
//! [`Entity`] values: "Russian Foreign Ministry" -> RUSGOV, "Tehran's foreign ministry" ->
//! IRNGOV, "US President Donald Trump" -> USAGOV on the publication date, Paris, Texas vs
//! Paris, France. [`split_sentences`] and [`tokens`] give byte-offset sentences and tokens.

mod analysis;
mod build;
mod context;
mod fold;
mod gazetteer;
mod matcher;
mod names;
pub mod petrarch;
mod places;
mod records;
mod resolve;
mod salience;
mod sentences;
mod trie;
mod types;
mod wordlists;

pub use analysis::{analyze, recognize, Analysis, ArticleCountry};
pub use gazetteer::{Gazetteer, GazetteerLoadError};
pub use records::Country;
pub use salience::article_countries;
pub use sentences::{split_sentences, tokens};
pub use types::{Entity, EntityKind, Sentence, Token, TokenKind};
