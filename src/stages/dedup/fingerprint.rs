//! The fingerprint of one article: everything deduplication needs to know about
//! its text and URL, computed once, deterministic, and small enough to write to
//! a compacted changelog topic (144 bytes, see [`Fingerprint::to_bytes`]).
//!
//! * Tokens are the lowercase alphanumeric runs of the normalized body (Unicode
//!   aware); the exact-text hash covers the token sequence, so case, whitespace
//!   and punctuation changes alone do not make a different text.
//! * Shingles are word 5-grams (one shingle of all tokens for shorter texts),
//!   each hashed with xxh3 under a fixed seed; the shingle *set* is what the
//!   Jaccard similarity is defined on.
//! * Candidates: one-permutation MinHash over 15 bins (with densification for
//!   short texts), grouped into 5 LSH bands of 3 rows. A pair with Jaccard J
//!   shares at least one band with probability 1-(1-J^3)^5 (0.972 at J = 0.8,
//!   0.991 at 0.85).
//! * Verification: a 256-bit odd sketch (Mitzenmacher, Pagh, Pham 2014) of a
//!   consistently sampled subset of the shingles; XOR of two sketches estimates
//!   the size of the symmetric difference, which with the (sampled) set sizes
//!   gives Jaccard. Small texts are sketched whole; large ones are sampled at
//!   rate 2^-level so that about [`SAMPLE_CAP`] shingles remain. Two sets within
//!   the 0.8 size ratio differ by at most one level, so a fingerprint carries
//!   its sketch at level-1, level and level+1, and the index keeps only one.
//!   docs/dedup.md has the measurements behind these choices.

use xxhash_rust::xxh3::{xxh3_64_with_seed, Xxh3};

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 5;
/// LSH bands and rows per band (one MinHash bin per row).
pub const BANDS: usize = 5;
pub const ROWS: usize = 3;
const BINS: usize = BANDS * ROWS;
/// Bits of the verification sketch (stored as eight u32 words).
pub const SKETCH_BITS: usize = 256;
pub(crate) const WORDS: usize = SKETCH_BITS / 32;
/// Target number of sampled shingles per sketch.
pub const SAMPLE_CAP: u64 = 512;
/// Bumped whenever anything above or the byte layout changes: fingerprints of
/// another version are rejected by [`Fingerprint::from_bytes`].
pub const FORMAT_VERSION: u8 = 2;
/// Length of [`Fingerprint::to_bytes`].
pub const ENCODED_LEN: usize = 1 + 8 + 8 + 4 + 1 + 4 * BANDS + 3 * 4 * WORDS + 3 * 2;

/// Sizes are compared saturated at the 16 bits the index keeps.
const SATURATED: u32 = u16::MAX as u32;

const SEED_TOKEN: u64 = 0x6e66_0001_746f_6b6e;
const SEED_TEXT: u64 = 0x6e66_0002_7465_7874;
const SEED_SHINGLE: u64 = 0x6e66_0003_7368_696e;
const SEED_DENSIFY: u64 = 0x6e66_0004_6465_6e73;
const SEED_BAND: u64 = 0x6e66_0005_6261_6e64;
const SEED_VERIFY: u64 = 0x6e66_0006_7665_7269;
const SEED_URL: u64 = 0x6e66_0007_7572_6c73;

/// Compact, deterministic summary of an article for deduplication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// xxh3 of the canonical URL; 0 when there is none.
    pub(crate) url: u64,
    /// xxh3 of the token sequence; 0 when the text has no tokens.
    pub(crate) text: u64,
    /// Number of distinct shingles.
    pub(crate) size: u32,
    /// Sampling level of the middle sketch.
    pub(crate) level: u8,
    pub(crate) bands: [u32; BANDS],
    /// Odd sketches at level-1, level, level+1 (the first is unused at level 0).
    pub(crate) sketches: [[u32; WORDS]; 3],
    /// Sampled shingles behind each sketch.
    pub(crate) counts: [u16; 3],
}

/// Why bytes could not be read back as a fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FingerprintError {
    #[error("fingerprint is {0} bytes, expected {ENCODED_LEN}")]
    Length(usize),
    #[error("fingerprint format version {0}, this build reads version {FORMAT_VERSION}")]
    Version(u8),
    #[error("fingerprint field `{0}` is out of range")]
    Field(&'static str),
}

/// The part of a fingerprint the index keeps per article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stored {
    pub bits: [u32; WORDS],
    pub size: u32,
    pub level: u8,
    pub count: u16,
}

impl Fingerprint {
    /// Fingerprint of an article from its canonical URL (if any) and its
    /// normalized body text.
    pub fn compute(canonical_url: Option<&str>, text: &str) -> Fingerprint {
        let url = canonical_url.map_or(0, |u| nonzero(xxh3_64_with_seed(u.as_bytes(), SEED_URL)));
        let tokens = token_hashes(text);
        let text = if tokens.is_empty() {
            0
        } else {
            let mut h = Xxh3::with_seed(SEED_TEXT);
            for t in &tokens {
                h.update(&t.to_le_bytes());
            }
            nonzero(h.digest())
        };
        let shingles = shingle_set(&tokens);
        let size = u32::try_from(shingles.len()).unwrap_or(u32::MAX);
        let mut level = 0u8;
        while u64::from(size) > SAMPLE_CAP << level {
            level += 1;
        }
        let (sketches, counts) = sketches(&shingles, level);
        Fingerprint {
            url,
            text,
            size,
            level,
            bands: band_keys(&shingles),
            sketches,
            counts,
        }
    }

    /// True when the text has at least one token (so it can match by text).
    pub fn has_text(&self) -> bool {
        self.text != 0
    }

    /// True when a canonical URL went in.
    pub fn has_url(&self) -> bool {
        self.url != 0
    }

    /// Distinct shingles in the text.
    pub fn shingle_count(&self) -> u32 {
        self.size
    }

    /// LSH band keys; two texts are near-duplicate candidates when any band
    /// (same position) has the same key.
    pub fn band_keys(&self) -> [u32; BANDS] {
        self.bands
    }

    /// True when both texts have the same token sequence.
    pub fn same_text(&self, other: &Fingerprint) -> bool {
        self.has_text() && self.text == other.text && self.size == other.size
    }

    /// Estimated Jaccard similarity of the shingle sets, computed exactly as the
    /// index does with `earlier` in the remembered role (1.0 for the same text).
    pub fn similarity(&self, earlier: &Fingerprint) -> f32 {
        if self.same_text(earlier) {
            return 1.0;
        }
        self.estimate(&earlier.stored())
    }

    /// True when the sketch at the remembered article's level is identical and
    /// the sets have the same size: with a matching text hash, the same text.
    pub(crate) fn same_set(&self, s: &Stored) -> bool {
        let slot = i32::from(s.level) - i32::from(self.level) + 1;
        slot == 1 && self.size.min(SATURATED) == s.size.min(SATURATED) && self.sketches[1] == s.bits
    }

    pub(crate) fn stored(&self) -> Stored {
        Stored {
            bits: self.sketches[1],
            size: self.size,
            level: self.level,
            count: self.counts[1],
        }
    }

    /// Jaccard estimate against a remembered article's sketch, capped by the
    /// exact bound min(|A|,|B|)/max(|A|,|B|).
    pub(crate) fn estimate(&self, s: &Stored) -> f32 {
        if !self.has_text() || s.size == 0 {
            return 0.0;
        }
        let slot = i32::from(s.level) - i32::from(self.level) + 1;
        if !(0..=2).contains(&slot) {
            return 0.0;
        }
        let mine = self.sketches[slot as usize];
        let z: u32 = mine
            .iter()
            .zip(&s.bits)
            .map(|(a, b)| (a ^ b).count_ones())
            .sum();
        let n = SKETCH_BITS as f64;
        if 2 * z as usize >= SKETCH_BITS {
            return 0.0;
        }
        // E[z] = n/2 (1 - (1 - 2/n)^d) for d elements in the symmetric difference.
        let d = (1.0 - 2.0 * f64::from(z) / n).ln() / (1.0 - 2.0 / n).ln();
        let total = f64::from(self.counts[slot as usize]) + f64::from(s.count);
        if total == 0.0 {
            return 0.0;
        }
        let j = ((total - d) / (total + d)).clamp(0.0, 1.0);
        let (a, b) = (self.size.min(SATURATED), s.size.min(SATURATED));
        let (lo, hi) = (a.min(b), a.max(b));
        j.min(f64::from(lo) / f64::from(hi)) as f32
    }

    /// Fixed-size little-endian encoding ([`ENCODED_LEN`] bytes), e.g. for the
    /// changelog topic keyed by article id.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(ENCODED_LEN);
        out.push(FORMAT_VERSION);
        out.extend_from_slice(&self.url.to_le_bytes());
        out.extend_from_slice(&self.text.to_le_bytes());
        out.extend_from_slice(&self.size.to_le_bytes());
        out.push(self.level);
        self.bands
            .iter()
            .for_each(|b| out.extend_from_slice(&b.to_le_bytes()));
        self.sketches
            .iter()
            .flatten()
            .for_each(|w| out.extend_from_slice(&w.to_le_bytes()));
        self.counts
            .iter()
            .for_each(|c| out.extend_from_slice(&c.to_le_bytes()));
        out
    }

    /// Inverse of [`Fingerprint::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Fingerprint, FingerprintError> {
        if bytes.len() != ENCODED_LEN {
            return Err(FingerprintError::Length(bytes.len()));
        }
        if bytes[0] != FORMAT_VERSION {
            return Err(FingerprintError::Version(bytes[0]));
        }
        let mut r = Reader { bytes, at: 1 };
        let url = u64::from_le_bytes(r.take());
        let text = u64::from_le_bytes(r.take());
        let size = u32::from_le_bytes(r.take());
        let level = r.take::<1>()[0];
        let bands = std::array::from_fn(|_| u32::from_le_bytes(r.take()));
        let sketches =
            std::array::from_fn(|_| std::array::from_fn(|_| u32::from_le_bytes(r.take())));
        let counts = std::array::from_fn(|_| u16::from_le_bytes(r.take()));
        if level > 32 {
            return Err(FingerprintError::Field("level"));
        }
        if (text == 0) != (size == 0) {
            return Err(FingerprintError::Field("size"));
        }
        Ok(Fingerprint {
            url,
            text,
            size,
            level,
            bands,
            sketches,
            counts,
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        out.copy_from_slice(&self.bytes[self.at..self.at + N]);
        self.at += N;
        out
    }
}

/// The sorted, distinct shingle hashes of a text: the exact set the Jaccard
/// similarity is defined on (used by the quality harness for ground truth).
pub fn shingles(text: &str) -> Vec<u64> {
    shingle_set(&token_hashes(text))
}

/// Hashes of the lowercase alphanumeric runs, with a byte-level fast path for
/// ASCII (same result as `char::is_alphanumeric` + `char::to_lowercase`).
fn token_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut word: Vec<u8> = Vec::with_capacity(32);
    let mut flush = |word: &mut Vec<u8>| {
        if !word.is_empty() {
            out.push(xxh3_64_with_seed(word, SEED_TOKEN));
            word.clear();
        }
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                word.push(b.to_ascii_lowercase());
            } else {
                flush(&mut word);
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if c.is_alphanumeric() {
            let mut buf = [0u8; 4];
            for l in c.to_lowercase() {
                word.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        } else {
            flush(&mut word);
        }
        i += c.len_utf8();
    }
    flush(&mut word);
    out
}

fn shingle_set(tokens: &[u64]) -> Vec<u64> {
    if tokens.is_empty() {
        return Vec::new();
    }
    let width = SHINGLE_WORDS.min(tokens.len());
    let mut buf = [0u8; 8 * SHINGLE_WORDS];
    let mut out: Vec<u64> = tokens
        .windows(width)
        .map(|w| {
            for (i, t) in w.iter().enumerate() {
                buf[8 * i..8 * i + 8].copy_from_slice(&t.to_le_bytes());
            }
            xxh3_64_with_seed(&buf[..8 * width], SEED_SHINGLE)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Maps the high 32 bits of `h` uniformly onto `0..n` (multiply-shift).
pub(crate) fn reduce(h: u64, n: usize) -> usize {
    (((h >> 32) * n as u64) >> 32) as usize
}

fn nonzero(h: u64) -> u64 {
    h.max(1)
}

/// One-permutation MinHash with optimal densification (Shrivastava 2017),
/// then one key per band of ROWS bins.
fn band_keys(shingles: &[u64]) -> [u32; BANDS] {
    if shingles.is_empty() {
        return [0; BANDS];
    }
    let mut bins = [u64::MAX; BINS];
    let mut filled = [false; BINS];
    for &h in shingles {
        let b = reduce(h, BINS);
        let v = h.rotate_left(32);
        if !filled[b] || v < bins[b] {
            bins[b] = v;
            filled[b] = true;
        }
    }
    let (own, own_filled) = (bins, filled);
    let first = own_filled.iter().position(|&f| f).unwrap_or(0);
    for i in 0..BINS {
        let mut attempt = 0u64;
        while !filled[i] {
            let probe =
                xxh3_64_with_seed(&((i as u64) << 32 | attempt).to_le_bytes(), SEED_DENSIFY);
            let j = if attempt < 1024 {
                reduce(probe, BINS)
            } else {
                first
            };
            if own_filled[j] {
                bins[i] = own[j];
                filled[i] = true;
            }
            attempt += 1;
        }
    }
    std::array::from_fn(|b| {
        let mut buf = [0u8; 8 * ROWS];
        for r in 0..ROWS {
            buf[8 * r..8 * r + 8].copy_from_slice(&bins[b * ROWS + r].to_le_bytes());
        }
        (xxh3_64_with_seed(&buf, SEED_BAND + b as u64) >> 32) as u32
    })
}

/// Odd sketches at levels level-1, level, level+1 of the consistently sampled
/// shingle set (a shingle is in level l when its verify hash has >= l trailing
/// zero bits), with the number of sampled shingles in each.
fn sketches(shingles: &[u64], level: u8) -> ([[u32; WORDS]; 3], [u16; 3]) {
    let mut sk = [[0u32; WORDS]; 3];
    let mut counts = [0u32; 3];
    let lowest = i32::from(level) - 1;
    for &h in shingles {
        let v = xxh3_64_with_seed(&h.to_le_bytes(), SEED_VERIFY);
        let zeros = (v as u32).trailing_zeros() as i32;
        let bit = reduce(v, SKETCH_BITS);
        for slot in 0..3 {
            let l = lowest + slot as i32;
            if l >= 0 && zeros >= l {
                sk[slot][bit / 32] ^= 1 << (bit % 32);
                counts[slot] += 1;
            }
        }
    }
    (sk, counts.map(|c| c.min(u32::from(u16::MAX)) as u16))
}
