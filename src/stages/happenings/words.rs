//! The content words of a report's sentence, for the text rule of `rules.rs`: two reports of
//! different stories tell of one happening only if their sentences share what they are about
//! ("tariffs", "semiconductors", "accord"), not just the dyad and a vague code.
//!
//! A content word is a run of three or more ASCII letters, lower-cased, that is not a function
//! word or one of the words every news sentence uses (below). Words are kept as sorted, distinct
//! 32-bit hashes, so comparing two reports is a merge of two short sorted lists.

use xxhash_rust::xxh3::xxh3_64;

/// Function words and the reporting vocabulary of news wires: words two sentences share
/// whatever they are about. Sorted, for the binary search.
const COMMON: &[&str] = &[
    "about",
    "according",
    "added",
    "after",
    "again",
    "against",
    "all",
    "also",
    "and",
    "any",
    "are",
    "around",
    "because",
    "been",
    "before",
    "being",
    "between",
    "billion",
    "both",
    "but",
    "can",
    "could",
    "day",
    "days",
    "did",
    "dlrs",
    "does",
    "down",
    "during",
    "each",
    "earlier",
    "eight",
    "either",
    "five",
    "for",
    "four",
    "from",
    "had",
    "has",
    "have",
    "her",
    "here",
    "him",
    "his",
    "how",
    "into",
    "its",
    "last",
    "later",
    "may",
    "might",
    "million",
    "mln",
    "month",
    "months",
    "more",
    "most",
    "much",
    "must",
    "new",
    "next",
    "nine",
    "not",
    "now",
    "official",
    "officials",
    "one",
    "only",
    "other",
    "our",
    "out",
    "over",
    "pct",
    "per",
    "percent",
    "said",
    "saying",
    "says",
    "see",
    "seven",
    "she",
    "should",
    "since",
    "six",
    "some",
    "spokesman",
    "statement",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "three",
    "through",
    "today",
    "told",
    "two",
    "under",
    "until",
    "very",
    "was",
    "week",
    "weeks",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "will",
    "with",
    "would",
    "year",
    "years",
    "yesterday",
    "you",
    "your",
];

/// The sorted, distinct hashes of the content words of `sentence`.
pub fn content_words(sentence: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in sentence.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphabetic() {
            word.push(c.to_ascii_lowercase());
            continue;
        }
        if word.len() >= 3 && COMMON.binary_search(&word.as_str()).is_err() {
            out.push(xxh3_64(word.as_bytes()) as u32);
        }
        word.clear();
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The content words of `sentence` that are not content words of `mentions` (the actors'
/// names, which every report of the same dyad shares).
pub fn subject_words(sentence: &str, mentions: &[&str]) -> Vec<u32> {
    let mut words = content_words(sentence);
    let names: Vec<u32> = mentions.iter().flat_map(|m| content_words(m)).collect();
    words.retain(|w| !names.contains(w));
    words
}

/// How many words two sorted lists share.
pub fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_words_leave_out_function_and_reporting_words() {
        let a = content_words(
            "The United States said on Friday it would impose tariffs on Japanese semiconductors.",
        );
        let b = content_words(
            "Washington imposed 100 pct tariffs on Japanese semiconductors, officials said.",
        );
        assert_eq!(shared(&a, &b), 3, "tariffs, japanese, semiconductors");
        assert_eq!(
            content_words("The said of and, it 12 pct."),
            Vec::<u32>::new()
        );
        assert_eq!(content_words("Tariffs tariffs TARIFFS").len(), 1);
        assert!(COMMON.windows(2).all(|w| w[0] < w[1]), "COMMON is sorted");
        let c = subject_words(
            "The United States said on Friday it would impose tariffs on Japanese semiconductors.",
            &["The United States", "Japanese"],
        );
        assert_eq!(shared(&c, &b), 2, "tariffs, semiconductors");
    }
}
