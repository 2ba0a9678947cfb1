//! The dedup changelog record: what one instance tells every other (and its
//! own future self after a restart) about an article it has accepted.
//!
//! Topic `topics.dedup_changelog`, compacted, key = article id, so it holds
//! one record per remembered article. Value layout (big-endian):
//!
//! ```text
//! u8  version (2)
//! i64 article time, epoch seconds
//! u32 delivery tag of the message it came from (`Delivery::to_bits`)
//! u16 story id length, then the story id bytes (UTF-8)
//! ... Fingerprint::to_bytes()
//! ```
//!
//! Version 1 records (no delivery tag) are still read, with the tag unknown.
//!
//! Binary, because the changelog is read in full at every start-up and
//! replayed into the index; it is not meant for humans (the duplicates topic
//! is).

use super::{Delivery, Fingerprint};

pub const VERSION: u8 = 2;

/// One decoded changelog value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub story_id: String,
    pub time: i64,
    pub delivery: Delivery,
    pub fingerprint: Fingerprint,
}

pub fn encode(story_id: &str, time: i64, delivery: Delivery, fp: &Fingerprint) -> Vec<u8> {
    let story = &story_id.as_bytes()[..story_id.len().min(u16::MAX as usize)];
    let fpb = fp.to_bytes();
    let mut v = Vec::with_capacity(1 + 8 + 4 + 2 + story.len() + fpb.len());
    v.push(VERSION);
    v.extend_from_slice(&time.to_be_bytes());
    v.extend_from_slice(&delivery.to_bits().to_be_bytes());
    v.extend_from_slice(&(story.len() as u16).to_be_bytes());
    v.extend_from_slice(story);
    v.extend_from_slice(&fpb);
    v
}

/// Decodes a value; `None` for anything malformed or of another version
/// (skipped, never fatal: the changelog is an optimisation of memory).
pub fn decode(value: &[u8]) -> Option<Entry> {
    let (&version, rest) = value.split_first()?;
    if !(1..=VERSION).contains(&version) || rest.len() < 8 {
        return None;
    }
    let time = i64::from_be_bytes(rest[..8].try_into().ok()?);
    let (delivery, rest) = if version >= 2 {
        let bits = u32::from_be_bytes(rest.get(8..12)?.try_into().ok()?);
        (Delivery::from_bits(bits), &rest[12..])
    } else {
        (Delivery::UNKNOWN, &rest[8..])
    };
    let n = u16::from_be_bytes(rest.get(..2)?.try_into().ok()?) as usize;
    let rest = &rest[2..];
    if rest.len() < n {
        return None;
    }
    let story_id = std::str::from_utf8(&rest[..n]).ok()?.to_string();
    let fingerprint = Fingerprint::from_bytes(&rest[n..]).ok()?;
    Some(Entry {
        story_id,
        time,
        delivery,
        fingerprint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_garbage() {
        let fp = Fingerprint::compute(
            Some("https://x.example/a"),
            "one two three four five six seven eight",
        );
        let d = Delivery::at(3, 1234);
        let v = encode("story-1", 1_767_000_000, d, &fp);
        let e = decode(&v).unwrap();
        assert_eq!((e.story_id.as_str(), e.time), ("story-1", 1_767_000_000));
        assert_eq!(e.delivery, d);
        assert_eq!(e.fingerprint, fp);
        assert!(decode(&v[..5]).is_none());
        assert!(decode(b"").is_none());
        let mut other = v.clone();
        other[0] = 9;
        assert!(decode(&other).is_none());
    }

    #[test]
    fn version_1_records_are_read_with_an_unknown_delivery() {
        let fp = Fingerprint::compute(None, "one two three four five six seven eight");
        let v2 = encode("s", 42, Delivery::at(0, 1), &fp);
        // Version 1: the same layout without the 4-byte tag.
        let mut v1 = vec![1u8];
        v1.extend_from_slice(&v2[1..9]);
        v1.extend_from_slice(&v2[13..]);
        let e = decode(&v1).unwrap();
        assert_eq!((e.story_id.as_str(), e.time), ("s", 42));
        assert_eq!(e.delivery, Delivery::UNKNOWN);
        assert_eq!(e.fingerprint, fp);
    }
}
