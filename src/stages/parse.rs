//! The parse stage: bytes off the wire to a type-checked [`RawArticle`].
//!
//! Every way an input can be wrong maps to one [`ErrorClass`] and a message
//! naming the field, so the dead-letter record says what to fix. The rules are
//! the same as `schemas/raw-article.schema.json`; keep the two in step.

use crate::model::{ErrorClass, RawArticle, Rejection};
use serde_json::{Map, Value};

/// Longest accepted `id`, in bytes: what the dedup index can store.
pub use super::dedup::MAX_ID_BYTES;

/// Decodes and validates one input message.
pub fn parse(bytes: &[u8], max_message_bytes: usize) -> Result<RawArticle, Rejection> {
    if bytes.is_empty() {
        return Err(Rejection::new(
            ErrorClass::EmptyMessage,
            "message has no payload",
        ));
    }
    if bytes.len() > max_message_bytes {
        return Err(Rejection::new(
            ErrorClass::TooLarge,
            format!(
                "message is {} bytes, over pipeline.max_message_bytes = {}",
                bytes.len(),
                max_message_bytes
            ),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Rejection::new(
            ErrorClass::InvalidUtf8,
            format!(
                "payload is not UTF-8: invalid byte at offset {}",
                e.valid_up_to()
            ),
        )
    })?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Rejection::new(
            ErrorClass::InvalidJson,
            format!("payload is not valid JSON: {e}"),
        )
    })?;
    let Value::Object(mut obj) = value else {
        return Err(Rejection::new(
            ErrorClass::NotAnObject,
            format!("payload is a JSON {}, expected an object", kind(&value)),
        ));
    };

    let id = optional_string(&mut obj, "id")?;
    if let Some(id) = &id {
        check_id(id)?;
    }
    let url = optional_string(&mut obj, "url")?;
    if let Some(u) = &url {
        check_url(u)?;
    }
    let source = optional_string(&mut obj, "source")?;
    let published_at = match optional_string(&mut obj, "published_at")? {
        None => None,
        Some(s) => Some(parse_time(&s)?),
    };
    let title = optional_string(&mut obj, "title")?;
    let body = match obj.remove("body") {
        None => {
            return Err(Rejection::new(
                ErrorClass::MissingField,
                "required field `body` is absent",
            ))
        }
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(Rejection::new(
                ErrorClass::WrongType,
                format!("field `body` is a JSON {}, expected a string", kind(&other)),
            ))
        }
    };
    if body.trim().is_empty() {
        return Err(Rejection::new(
            ErrorClass::EmptyBody,
            "field `body` is empty",
        ));
    }
    let language = optional_string(&mut obj, "language")?;
    if let Some(l) = &language {
        check_language(l)?;
    }
    Ok(RawArticle {
        id,
        url,
        source,
        published_at,
        title,
        body,
        language,
        extra: obj,
    })
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Removes `key` from the object: absent or null is `None`, a string is
/// `Some`, anything else is a `wrong_type` rejection.
fn optional_string(obj: &mut Map<String, Value>, key: &str) -> Result<Option<String>, Rejection> {
    match obj.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(Rejection::new(
            ErrorClass::WrongType,
            format!(
                "field `{key}` is a JSON {}, expected a string or null",
                kind(&other)
            ),
        )),
    }
}

fn check_id(id: &str) -> Result<(), Rejection> {
    let bad = |why: &str| {
        Err(Rejection::new(
            ErrorClass::InvalidId,
            format!("field `id` {why}"),
        ))
    };
    if id.trim().is_empty() {
        return bad("is empty; omit it to let newsflow derive one");
    }
    if id.len() > MAX_ID_BYTES {
        return bad(&format!(
            "is {} bytes, over the {MAX_ID_BYTES}-byte limit",
            id.len()
        ));
    }
    if id.chars().any(char::is_control) {
        return bad("contains control characters");
    }
    Ok(())
}

fn check_url(u: &str) -> Result<(), Rejection> {
    match url::Url::parse(u) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {
            Ok(())
        }
        Ok(parsed) => Err(Rejection::new(
            ErrorClass::InvalidUrl,
            format!(
                "field `url` has scheme `{}`, expected http or https",
                parsed.scheme()
            ),
        )),
        Err(e) => Err(Rejection::new(
            ErrorClass::InvalidUrl,
            format!("field `url` is not an absolute URL ({e})"),
        )),
    }
}

fn parse_time(s: &str) -> Result<chrono::DateTime<chrono::Utc>, Rejection> {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| {
            Rejection::new(
                ErrorClass::InvalidTimestamp,
                format!(
                    "field `published_at` = {s:?} is not RFC 3339 ({e}); e.g. 2026-01-14T08:30:00Z"
                ),
            )
        })
}

fn check_language(l: &str) -> Result<(), Rejection> {
    let mut parts = l.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Ok(())
    } else {
        Err(Rejection::new(
            ErrorClass::InvalidLanguage,
            format!("field `language` = {l:?} is not a language tag such as `en` or `pt-BR`"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(input: &[u8]) -> ErrorClass {
        parse(input, 1 << 20).unwrap_err().class
    }

    #[test]
    fn keeps_unknown_fields_in_extra() {
        let a = parse(br#"{"body":"x y","section":"world","tags":[1]}"#, 1024).unwrap();
        assert_eq!(a.extra.len(), 2);
        assert_eq!(a.extra["section"], "world");
    }

    #[test]
    fn null_optional_fields_are_absent() {
        let a = parse(br#"{"id":null,"url":null,"title":null,"body":"b"}"#, 1024).unwrap();
        assert!(a.id.is_none() && a.url.is_none() && a.title.is_none());
    }

    #[test]
    fn timestamps_normalize_to_utc() {
        let a = parse(
            br#"{"body":"b","published_at":"2026-01-14T03:00:00+03:00"}"#,
            1024,
        )
        .unwrap();
        assert_eq!(
            a.published_at.unwrap().to_rfc3339(),
            "2026-01-14T00:00:00+00:00"
        );
    }

    #[test]
    fn each_malformed_case_has_its_class() {
        let deep = format!(
            "{{\"body\":\"b\",\"x\":{}{}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        let cases: Vec<(Vec<u8>, ErrorClass)> = vec![
            (b"".to_vec(), ErrorClass::EmptyMessage),
            (b"  \n".to_vec(), ErrorClass::InvalidJson),
            (b"{\"body\":\"\xff\xfe\"}".to_vec(), ErrorClass::InvalidUtf8),
            (b"{\"body\":\"abc\"".to_vec(), ErrorClass::InvalidJson),
            (
                b"{\"body\":\"abc\"} trailing".to_vec(),
                ErrorClass::InvalidJson,
            ),
            (b"[1,2]".to_vec(), ErrorClass::NotAnObject),
            (b"\"text\"".to_vec(), ErrorClass::NotAnObject),
            (b"null".to_vec(), ErrorClass::NotAnObject),
            (b"{\"title\":\"t\"}".to_vec(), ErrorClass::MissingField),
            (b"{\"body\":null}".to_vec(), ErrorClass::WrongType),
            (b"{\"body\":42}".to_vec(), ErrorClass::WrongType),
            (b"{\"body\":\"  \"}".to_vec(), ErrorClass::EmptyBody),
            (
                b"{\"body\":\"b\",\"published_at\":\"yesterday\"}".to_vec(),
                ErrorClass::InvalidTimestamp,
            ),
            (
                b"{\"body\":\"b\",\"published_at\":1700000000}".to_vec(),
                ErrorClass::WrongType,
            ),
            (
                b"{\"body\":\"b\",\"url\":\"not a url\"}".to_vec(),
                ErrorClass::InvalidUrl,
            ),
            (
                b"{\"body\":\"b\",\"url\":\"ftp://example.org/x\"}".to_vec(),
                ErrorClass::InvalidUrl,
            ),
            (
                b"{\"body\":\"b\",\"id\":\"\"}".to_vec(),
                ErrorClass::InvalidId,
            ),
            (
                b"{\"body\":\"b\",\"title\":{\"a\":1}}".to_vec(),
                ErrorClass::WrongType,
            ),
            (
                b"{\"body\":\"b\",\"language\":\"english-ish!\"}".to_vec(),
                ErrorClass::InvalidLanguage,
            ),
            (deep.into_bytes(), ErrorClass::InvalidJson),
        ];
        for (input, want) in cases {
            assert_eq!(
                class(&input),
                want,
                "input {:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }

    #[test]
    fn oversized_message_is_rejected_before_decoding() {
        let r = parse(&[b'x'; 100], 99).unwrap_err();
        assert_eq!(r.class, ErrorClass::TooLarge);
        assert!(r.message.contains("pipeline.max_message_bytes"));
    }
}
