#!/usr/bin/env python3
"""Builds data/plover.tsv from the official CAMEO -> PLOVER conversion table.

    python3 scripts/data/build_plover.py ../shared/eval/CAMEO2PLOVER-2021.txt

The table (PLOVER manual draft 0.8, 2021, Philip Schrodt; CC BY-SA 4.0) gives for each CAMEO
code a PLOVER event type, mode and context(s): `0841: RETREAT, release, legal # Return ...`.
Root lines (`03: AGREE`) give the event type of every code of the root not listed itself. The
output, one line per CAMEO code, is: code, event_type, mode (may be empty), contexts (`|`-separated,
may be empty), the table's own label. CAMEO 02 (appeal) is not in the table; PLOVER folds appeals
into REQUEST, so the build adds `02 REQUEST`. CAMEO 01 (public statement) has no PLOVER type and
stays absent. Output keeps the table's order and is deterministic.
"""
import re
import sys
from pathlib import Path

HEADER = """# CAMEO code -> PLOVER event type, mode, contexts. Built by scripts/data/build_plover.py from
# CAMEO2PLOVER-2021.txt (PLOVER manual draft 0.8, 17 September 2021, ed. Philip Schrodt),
# licensed CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/); this file is a
# derivative under the same licence. Columns: cameo, event_type, mode, contexts (|), label.
"""


def main(src: str) -> None:
    out, seen = [], set()
    for line in open(src, encoding="utf-8"):
        m = re.match(r"^(\d{2,4}):\s*([^#]*?)\s*(?:#\s*(.*))?$", line.rstrip("\n"))
        if not m:
            continue
        code, body, label = m.group(1), m.group(2), (m.group(3) or "").strip()
        if code in seen:  # 08 is listed twice (CONCEDE, RETREAT): the first is the root's type
            continue
        seen.add(code)
        parts = [p.strip() for p in body.split(",")]
        etype = parts[0]
        mode = parts[1] if len(parts) > 1 else ""
        ctx = "|".join(c.strip() for c in parts[2].split(";") if c.strip()) if len(parts) > 2 else ""
        # a comment after the label ("21.09.17: ...") is the editor's note, not part of the label
        label = re.sub(r"\s+\d\d\.\d\d\.\d\d:.*$", "", label)
        out.append((code, etype, mode, ctx, label))
    if "02" not in seen:
        out.append(("02", "REQUEST", "", "", "Appeal (CAMEO 02; PLOVER folds appeals into REQUEST)"))
    dst = Path(__file__).resolve().parents[2] / "data" / "plover.tsv"
    with open(dst, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for row in out:
            f.write("\t".join(row) + "\n")
    print(f"{dst}: {len(out)} codes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval/CAMEO2PLOVER-2021.txt")
