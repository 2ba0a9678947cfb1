//! Work budgets: the most work each stage may spend on one message, counted
//! in units of the input (bytes, tags, token pairs), never in wall-clock
//! time, so the same input always gets the same outcome.
//!
//! | stage       | bound                                                        |
//! |-------------|--------------------------------------------------------------|
//! | parse       | `pipeline.max_message_bytes`; JSON nesting (serde_json, 128) |
//! | normalize   | linear in the message; HTML over [`html::MAX_DEPTH`] or [`html::MAX_TAGS`] is stripped, not parsed |
//! | fingerprint | linear in the body's tokens                                  |
//! | extract     | [`MAX_CODER_WORK`] token pairs (checked here)                |
//! | records     | [`MAX_RECORD_BYTES`] per output record (checked here)        |
//!
//! Each stage but extract is linear in the message, so the message size
//! bounds it. The event coder's cost grows with the square of a sentence's
//! length; an article over its budget is rejected before any decision is
//! taken on it (`budget_exceeded`), and its partition moves on.
//!
//! [`html::MAX_DEPTH`]: super::html::MAX_DEPTH
//! [`html::MAX_TAGS`]: super::html::MAX_TAGS

use super::extract::Extractor;
use super::route::Output;
use crate::model::{Article, ErrorClass, Rejection};

/// The event coder's budget per article, in token pairs
/// ([`Extractor::coder_work`]). About 0.2 s on one core for the costliest
/// text measured (docs/robustness.md); ordinary prose uses about 25 per
/// token, so a 1 MB article of it needs under a tenth of this. The
/// longest single sentence it admits has about 7,000 tokens.
pub const MAX_CODER_WORK: u64 = 50_000_000;

/// The largest output record payload: librdkafka's default
/// `message.max.bytes` (1,000,000) less room for the key, headers and batch
/// framing. A record the producer or broker refuses would stop the service
/// on every restart, so an article whose records would be larger (a long
/// body with thousands of extracted mentions) is rejected instead; the
/// shell truncates a dead letter's payload to this size (the original stays
/// at its source offset, named in the headers).
pub const MAX_RECORD_BYTES: usize = 1_000_000 - 16 * 1024;

/// Whether every output record fits [`MAX_RECORD_BYTES`].
pub fn check_records(outputs: &[Output]) -> Result<(), Rejection> {
    match outputs.iter().find(|o| o.payload.len() > MAX_RECORD_BYTES) {
        None => Ok(()),
        Some(o) => Err(Rejection::new(
            ErrorClass::BudgetExceeded,
            format!(
                "records: the {} record would be {} bytes, over the budget of {MAX_RECORD_BYTES}",
                o.target.label(),
                o.payload.len()
            ),
        )),
    }
}

/// Whether the extract stage may run on this article. Only English
/// articles are coded, so only they are priced.
pub fn check_extract(article: &Article) -> Result<(), Rejection> {
    if !article.language.is_english {
        return Ok(());
    }
    if let Some(work) = Extractor::coder_work_over(&article.body, MAX_CODER_WORK) {
        return Err(Rejection::new(
            ErrorClass::BudgetExceeded,
            format!(
                "extract: the body's sentences need {work} token pairs of event coding, over the budget of {MAX_CODER_WORK} (a sentence of thousands of tokens; split the text into sentences)"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::{normalize, parse};

    fn article(body: &str) -> Article {
        let json = serde_json::json!({ "body": body, "language": "en" }).to_string();
        normalize::normalize(parse::parse(json.as_bytes(), 1 << 21).unwrap()).unwrap()
    }

    #[test]
    fn prose_is_within_budget_and_one_endless_sentence_is_not() {
        let prose = "Police detained 12 protesters on Monday, officials said. ".repeat(15_000);
        assert!(prose.len() > 800_000);
        assert_eq!(check_extract(&article(&prose)), Ok(()));
        let endless = "police detained protesters and ".repeat(8_000);
        let r = check_extract(&article(&endless)).unwrap_err();
        assert_eq!(r.class, ErrorClass::BudgetExceeded);
        assert!(r.message.contains("token pairs"), "{}", r.message);
    }

    #[test]
    fn records_over_the_producer_limit_are_refused() {
        use crate::stages::route::Target;
        let out = |n: usize| Output {
            target: Target::Articles,
            key: b"k".to_vec(),
            payload: vec![b'x'; n],
        };
        assert_eq!(check_records(&[out(10), out(MAX_RECORD_BYTES)]), Ok(()));
        let r = check_records(&[out(10), out(MAX_RECORD_BYTES + 1)]).unwrap_err();
        assert_eq!(r.class, ErrorClass::BudgetExceeded);
        assert!(r.message.contains("articles record"), "{}", r.message);
    }

    #[test]
    fn work_is_the_sum_of_squared_sentence_lengths() {
        assert_eq!(Extractor::coder_work("One two three. Four five."), 16 + 9);
        assert_eq!(Extractor::coder_work(""), 0);
        // Over a limit or not: the byte bound answers short texts, the count long ones.
        let t = "One two three. Four five.";
        assert_eq!(Extractor::coder_work_over(t, 25 * 25), None);
        assert_eq!(Extractor::coder_work_over(t, 25), None);
        assert_eq!(Extractor::coder_work_over(t, 24), Some(25));
    }
}
