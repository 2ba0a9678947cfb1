#!/usr/bin/env python3
"""Builds data/tone/vader.tsv from the VADER sentiment lexicon (vaderSentiment 3.3.2, MIT).

    pip download --no-deps -d /tmp/vader vaderSentiment==3.3.2
    python3 scripts/data/build_tone.py /tmp/vader/vaderSentiment-3.3.2-py2.py3-none-any.whl

Keeps word entries (letters, inner apostrophes and hyphens; emoticons dropped) with their mean
valence, and drops a few words whose everyday news sense is neutral (VADER was tuned on social
media: "united" in United States, "party" in political party, "like" as a preposition). Output is
sorted and deterministic. The licence text is copied to data/tone/LICENSE-vader.txt.
"""
import re
import sys
import zipfile
from pathlib import Path

NEUTRAL_IN_NEWS = {
    "like", "likes", "liked", "party", "parties", "united", "well", "kind", "pretty", "no", "yes", "please",
    "ok", "okay", "interest", "interests", "hand", "top", "fine", "fines", "grand", "play", "spirit", "gross",
    "share", "shares", "credit", "lol", "haha", "matter", "matters", "hah", "huge", "big", "great", "greater",
    "major", "true", "sure", "giant", "charge", "charges", "charged",
}

def main(wheel: str) -> None:
    root = Path(__file__).resolve().parents[2]
    with zipfile.ZipFile(wheel) as z:
        lex = z.read("vaderSentiment/vader_lexicon.txt").decode("utf-8")
        lic = z.read("vaderSentiment-3.3.2.dist-info/LICENSE.txt").decode("utf-8")
    rows = []
    for line in lex.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        word, valence = parts[0], float(parts[1])
        if not re.fullmatch(r"[a-z][a-z'-]*[a-z]", word) or word in NEUTRAL_IN_NEWS:
            continue
        rows.append((word, valence))
    rows.sort()
    out = root / "data" / "tone" / "vader.tsv"
    with out.open("w", encoding="utf-8") as f:
        f.write("# VADER sentiment lexicon (C.J. Hutto, vaderSentiment 3.3.2, MIT licence: LICENSE-vader.txt),\n")
        f.write("# word entries only, news-neutral homographs dropped; built by scripts/data/build_tone.py.\n")
        f.write("# word\tmean valence (-4..+4)\n")
        for w, v in rows:
            f.write(f"{w}\t{v}\n")
    (root / "data" / "tone" / "LICENSE-vader.txt").write_text(lic, encoding="utf-8")
    print(f"wrote {len(rows)} entries to {out}")

if __name__ == "__main__":
    main(sys.argv[1])
