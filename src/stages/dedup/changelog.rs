//! The dedup changelog record: what one instance tells every other (and its
//! own future self after a restart) about an article it has accepted.
//!
//! Topic `topics.dedup_changelog`, compacted, key = article id, so it holds
//! one record per remembered article. Value layout (big-endian):
//!
//! ```text
//! u8  version (1)
//! i64 article time, epoch seconds
//! u16 story id length, then the story id bytes (UTF-8)
//! ... Fingerprint::to_bytes()
//! ```
//!
//! Binary, because the changelog is read in full at every start-up and
//! replayed into the index; it is not meant for humans (the duplicates topic
//! is).

use super::Fingerprint;

pub const VERSION: u8 = 1;

/// One decoded changelog value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub story_id: String,
    pub time: i64,
    pub fingerprint: Fingerprint,
}

pub fn encode(story_id: &str, time: i64, fp: &Fingerprint) -> Vec<u8> {
    let story = &story_id.as_bytes()[..story_id.len().min(u16::MAX as usize)];
    let fpb = fp.to_bytes();
    let mut v = Vec::with_capacity(1 + 8 + 2 + story.len() + fpb.len());
    v.push(VERSION);
    v.extend_from_slice(&time.to_be_bytes());
    v.extend_from_slice(&(story.len() as u16).to_be_bytes());
    v.extend_from_slice(story);
    v.extend_from_slice(&fpb);
    v
}

/// Decodes a value; `None` for anything malformed or of another version
/// (skipped, never fatal: the changelog is an optimisation of memory).
pub fn decode(value: &[u8]) -> Option<Entry> {
    let (&version, rest) = value.split_first()?;
    if version != VERSION || rest.len() < 10 {
        return None;
    }
    let time = i64::from_be_bytes(rest[..8].try_into().ok()?);
    let n = u16::from_be_bytes(rest[8..10].try_into().ok()?) as usize;
    let rest = &rest[10..];
    if rest.len() < n {
        return None;
    }
    let story_id = std::str::from_utf8(&rest[..n]).ok()?.to_string();
    let fingerprint = Fingerprint::from_bytes(&rest[n..]).ok()?;
    Some(Entry {
        story_id,
        time,
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
        let v = encode("story-1", 1_767_000_000, &fp);
        let e = decode(&v).unwrap();
        assert_eq!((e.story_id.as_str(), e.time), ("story-1", 1_767_000_000));
        assert_eq!(e.fingerprint, fp);
        assert!(decode(&v[..5]).is_none());
        assert!(decode(b"").is_none());
        let mut other = v.clone();
        other[0] = 9;
        assert!(decode(&other).is_none());
    }
}
