//! Just enough of the Kafka wire protocol for the pacing gate: the header of
//! every request, and which partitions a Produce request appends to, how many
//! offsets and how many bytes.
//!
//! Pure functions over the bytes of one frame (the part after the 4-byte
//! size), so they are unit-tested and fuzzed without a broker. Anything they
//! cannot read is an error the gate answers by forwarding the frame as it is:
//! the broker judges a request, this module only measures it.

use std::fmt;

/// The Produce API key.
pub const PRODUCE: i16 = 0;

/// The request header fields the gate needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub api_key: i16,
    pub api_version: i16,
    pub correlation_id: i32,
}

/// What a Produce request appends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Produce {
    /// What the response will carry back.
    pub correlation_id: i32,
    /// 0: the producer expects no response.
    pub acks: i16,
    pub appends: Vec<Append>,
}

/// What one Produce request appends to one partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Append {
    pub topic: String,
    pub partition: i32,
    /// Offsets the records take (sum of the batches' offset deltas + 1).
    pub offsets: u64,
    /// Bytes of the record batches: what the broker stores.
    pub bytes: u64,
}

/// Why a frame could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(&'static str);

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for WireError {}

/// A cursor over one frame; every read is bounds-checked.
struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|e| *e <= self.buf.len())
            .ok_or(WireError("truncated frame"))?;
        let s = &self.buf[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn i16(&mut self) -> Result<i16, WireError> {
        Ok(i16::from_be_bytes(self.take(2)?.try_into().unwrap()))
    }
    fn i32(&mut self) -> Result<i32, WireError> {
        Ok(i32::from_be_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn uvarint(&mut self) -> Result<u64, WireError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(WireError("varint longer than 64 bits"))
    }
    /// A length: `i16`/`i32` (-1 = null) or, in flexible versions, an
    /// unsigned varint holding length + 1 (0 = null).
    fn len(&mut self, flexible: bool, wide: bool) -> Result<Option<usize>, WireError> {
        let n = if flexible {
            self.uvarint()? as i64 - 1
        } else if wide {
            i64::from(self.i32()?)
        } else {
            i64::from(self.i16()?)
        };
        match n {
            -1 => Ok(None),
            n if n < -1 => Err(WireError("negative length")),
            n => usize::try_from(n)
                .map(Some)
                .map_err(|_| WireError("length too large")),
        }
    }
    fn bytes(&mut self, flexible: bool, wide: bool) -> Result<Option<&'a [u8]>, WireError> {
        match self.len(flexible, wide)? {
            Some(n) => self.take(n).map(Some),
            None => Ok(None),
        }
    }
    /// Tagged fields of a flexible version: skipped.
    fn tags(&mut self) -> Result<(), WireError> {
        for _ in 0..self.uvarint()? {
            self.uvarint()?;
            let n = self.uvarint()?;
            self.take(usize::try_from(n).map_err(|_| WireError("tag too large"))?)?;
        }
        Ok(())
    }
    /// An array's element count (flexible: count + 1, 0 = null).
    fn count(&mut self, flexible: bool) -> Result<usize, WireError> {
        Ok(self.len(flexible, true)?.unwrap_or(0))
    }
}

/// The header of a request frame.
pub fn header(frame: &[u8]) -> Result<Header, WireError> {
    let mut r = Reader { buf: frame, at: 0 };
    Ok(Header {
        api_key: r.i16()?,
        api_version: r.i16()?,
        correlation_id: r.i32()?,
    })
}

/// The correlation id of a response frame (its first field).
pub fn response_correlation(frame: &[u8]) -> Result<i32, WireError> {
    Reader { buf: frame, at: 0 }.i32()
}

/// The partitions a Produce request appends to (versions 0-12; version 13
/// names topics by id and is refused as unreadable). Not a Produce request:
/// `Ok(None)`.
pub fn produce_appends(frame: &[u8]) -> Result<Option<Produce>, WireError> {
    let h = header(frame)?;
    if h.api_key != PRODUCE {
        return Ok(None);
    }
    if !(0..=12).contains(&h.api_version) {
        return Err(WireError("Produce version not read by the gate"));
    }
    let flexible = h.api_version >= 9;
    let mut r = Reader { buf: frame, at: 8 };
    // client_id is a plain nullable string even in flexible headers.
    r.bytes(false, false)?;
    if flexible {
        r.tags()?;
    }
    if h.api_version >= 3 {
        r.bytes(flexible, false)?; // transactional_id
    }
    let acks = r.i16()?;
    r.i32()?; // timeout
    let mut out = Vec::new();
    for _ in 0..r.count(flexible)? {
        let name = r.bytes(flexible, false)?.ok_or(WireError("null topic"))?;
        let topic = std::str::from_utf8(name)
            .map_err(|_| WireError("topic not UTF-8"))?
            .to_string();
        for _ in 0..r.count(flexible)? {
            let partition = r.i32()?;
            let records = r.bytes(flexible, true)?.unwrap_or(&[]);
            out.push(Append {
                topic: topic.clone(),
                partition,
                offsets: offsets_in(records),
                bytes: records.len() as u64,
            });
            if flexible {
                r.tags()?;
            }
        }
        if flexible {
            r.tags()?;
        }
    }
    Ok(Some(Produce {
        correlation_id: h.correlation_id,
        acks,
        appends: out,
    }))
}

/// Offsets a records field takes: a v2 batch takes its last offset delta
/// plus one; a legacy message (magic 0/1) counts as one. A truncated tail
/// counts nothing (the broker refuses it).
fn offsets_in(records: &[u8]) -> u64 {
    const BATCH_HEADER: usize = 61;
    let mut at = 0usize;
    let mut n = 0u64;
    while records.len() - at >= 12 {
        let len = i32::from_be_bytes(records[at + 8..at + 12].try_into().unwrap());
        let Ok(len) = usize::try_from(len) else { break };
        let Some(end) = (at + 12).checked_add(len).filter(|e| *e <= records.len()) else {
            break;
        };
        let magic = records.get(at + 16).copied().unwrap_or(0);
        if magic >= 2 && len + 12 >= BATCH_HEADER {
            let delta = i32::from_be_bytes(records[at + 23..at + 27].try_into().unwrap());
            n += u64::try_from(delta).unwrap_or(0) + 1;
        } else {
            n += 1;
        }
        at = end;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A v2 record batch of `count` records with `payload` bytes of body.
    fn batch(count: i32, payload: usize) -> Vec<u8> {
        let mut b = vec![0u8; 61 + payload];
        let len = (b.len() - 12) as i32;
        b[8..12].copy_from_slice(&len.to_be_bytes());
        b[16] = 2;
        b[23..27].copy_from_slice(&(count - 1).to_be_bytes());
        b[57..61].copy_from_slice(&count.to_be_bytes());
        b
    }

    fn uvarint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    /// A Produce request of `version` with one topic and its partitions.
    fn produce(version: i16, topic: &str, parts: &[(i32, Vec<u8>)]) -> Vec<u8> {
        let flexible = version >= 9;
        let mut f = Vec::new();
        f.extend(0i16.to_be_bytes());
        f.extend(version.to_be_bytes());
        f.extend(7i32.to_be_bytes());
        f.extend(3i16.to_be_bytes());
        f.extend(b"cli");
        if flexible {
            f.push(0);
        }
        if version >= 3 {
            if flexible {
                f.push(0);
            } else {
                f.extend((-1i16).to_be_bytes());
            }
        }
        f.extend((-1i16).to_be_bytes());
        f.extend(30_000i32.to_be_bytes());
        if flexible {
            uvarint(&mut f, 2);
            uvarint(&mut f, topic.len() as u64 + 1);
            f.extend(topic.as_bytes());
            uvarint(&mut f, parts.len() as u64 + 1);
        } else {
            f.extend(1i32.to_be_bytes());
            f.extend((topic.len() as i16).to_be_bytes());
            f.extend(topic.as_bytes());
            f.extend((parts.len() as i32).to_be_bytes());
        }
        for (p, records) in parts {
            f.extend(p.to_be_bytes());
            if flexible {
                uvarint(&mut f, records.len() as u64 + 1);
            } else {
                f.extend((records.len() as i32).to_be_bytes());
            }
            f.extend(records);
            if flexible {
                f.push(0);
            }
        }
        if flexible {
            f.extend([0, 0]); // topic tags, body tags
        }
        f
    }

    #[test]
    fn reads_the_appends_of_plain_and_flexible_produce_requests() {
        for version in [2, 3, 7, 8, 9, 10, 12] {
            let mut two = batch(5, 100);
            two.extend(batch(3, 40));
            let f = produce(
                version,
                "news.articles.raw",
                &[(0, batch(1, 4000)), (3, two)],
            );
            let got = produce_appends(&f).unwrap().unwrap();
            assert_eq!((got.correlation_id, got.acks), (7, -1));
            assert_eq!(
                got.appends,
                vec![
                    Append {
                        topic: "news.articles.raw".into(),
                        partition: 0,
                        offsets: 1,
                        bytes: 4061
                    },
                    Append {
                        topic: "news.articles.raw".into(),
                        partition: 3,
                        offsets: 8,
                        bytes: 161 + 101
                    },
                ],
                "version {version}"
            );
        }
    }

    #[test]
    fn other_requests_are_not_produce_and_garbage_is_an_error() {
        let mut fetch = produce(10, "t", &[(0, batch(1, 1))]);
        fetch[1] = 1; // api key 1: Fetch
        assert_eq!(produce_appends(&fetch), Ok(None));
        let f = produce(10, "t", &[(0, batch(1, 1))]);
        for cut in 0..f.len() - 2 {
            assert!(produce_appends(&f[..cut]).is_err(), "cut at {cut}");
        }
        let mut v13 = f.clone();
        v13[3] = 13;
        assert!(produce_appends(&v13).is_err());
        assert_eq!(header(&f).unwrap().correlation_id, 7);
        assert_eq!(response_correlation(&[0, 0, 1, 2, 9]), Ok(258));
    }

    #[test]
    fn legacy_and_truncated_record_sets_are_counted_conservatively() {
        // Two legacy messages (offset, size, then `size` bytes, magic 1).
        let mut legacy = Vec::new();
        for _ in 0..2 {
            legacy.extend(0i64.to_be_bytes());
            legacy.extend(20i32.to_be_bytes());
            let mut m = vec![0u8; 20];
            m[4] = 1;
            legacy.extend(m);
        }
        assert_eq!(offsets_in(&legacy), 2);
        let b = batch(4, 10);
        assert_eq!(offsets_in(&b[..b.len() - 1]), 0);
        assert_eq!(offsets_in(&[]), 0);
    }
}
