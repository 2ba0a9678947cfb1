//! Recodings of matched actions by their verb group, after the frames: an ended cooperative
//! act, a refused one, an announced one.

use super::{Form, Frame, Hit, Lexicon, Matches};
use crate::stages::extract::text::{is_cessation, Doc};

/// An ended action ("stopped buying oil from Iran", "halted funding the agency"): a cooperative
/// act (05-08) ended is reduced relations (16, by the cooperation it ends: 164 talks, 162 aid,
/// 160 else); any other ended act is no event. The cessation verb's own match is part of it.
pub(super) fn cessations(d: &Doc, m: &mut Matches) {
    let ended: Vec<usize> = m
        .hits
        .iter()
        .filter(|h| h.verbal && h.form == Form::Ing && !h.consumed && h.tok > 0)
        .filter(|h| is_cessation(d.w(h.tok - 1)))
        .map(|h| h.tok)
        .collect();
    for h in &mut m.hits {
        if ended.contains(&(h.tok + 1)) {
            h.consumed = true;
        }
        if !ended.contains(&h.tok) {
            continue;
        }
        let reduced = match h.code.get(..2) {
            Some("04") => Some("164"),
            Some("07") => Some("162"),
            Some("05" | "06" | "08") => Some("160"),
            _ => None,
        };
        match reduced {
            Some(c) => h.code = c.to_string(),
            None => h.negated = true,
        }
    }
}

/// An announced cooperative act of the subject's own ("will release the prisoners", "pledged
/// to send aid") is coded as the expression of intent it states (CAMEO 03, by the intent
/// frame's table: 0353, 0331); the event stays marked hypothetical, as the act itself is to
/// come. An announced meeting gives both the (hypothetical) meeting and the intent to meet.
pub(super) fn intentions(lx: &Lexicon, m: &mut Matches) {
    let mut announced = Vec::new();
    for h in m
        .hits
        .iter_mut()
        .filter(|h| h.intended && h.verbal && !h.consumed && !h.negated)
    {
        // A scheduled meeting ("will hold talks on Monday", "will host the summit") stays a
        // (hypothetical) consultation, and its announcement is the intent to meet (036).
        if h.code.starts_with("04") {
            if let Some(c) = lx.frame_code(Frame::Intent, &h.code) {
                announced.push(Hit {
                    code: c.to_string(),
                    ..h.clone()
                });
            }
            continue;
        }
        if !matches!(&h.code[..2], "05" | "06" | "07" | "08") {
            continue;
        }
        if let Some(c) = lx.frame_code(Frame::Intent, &h.code) {
            h.code = c.to_string();
        }
    }
    m.hits.extend(announced);
}

/// A refused cooperative action is a rejection (CAMEO 12, by the reject frame's table):
/// "would not provide support to X" is 122x, "refused to release the prisoners" 1243. Not for
/// consultations ("did not meet" is no event) nor for failures ("failed to deliver").
pub(super) fn refusals(lx: &Lexicon, m: &mut Matches) {
    for h in m
        .hits
        .iter_mut()
        .filter(|h| h.refused && h.verbal && !h.consumed)
    {
        if !matches!(&h.code[..2], "05" | "06" | "07" | "08") {
            continue;
        }
        if let Some(c) = lx.frame_code(Frame::Reject, &h.code) {
            h.code = c.to_string();
            h.negated = false;
        }
    }
}
