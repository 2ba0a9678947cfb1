#!/usr/bin/env python3
"""Converts the PETRARCH2 / Phoenix CAMEO verb dictionary into the project's pattern grammar.

    python3 scripts/data/build_petrarch.py ../shared/dictionaries/petrarch2

Reads CAMEO.2.0.txt (PETRARCH2 verb patterns and synonym sets; MIT, Open Event Data Alliance)
and writes data/patterns/petrarch.tsv in the grammar of verbs.tsv (docs/coding.md), loaded after
verbs.tsv so that the project's own lines win ties and its heads keep their own handling:

* a verb block (`--- ENGAGE [190] ---`) lists member verbs, each with its own code or the
  block's. That code alone (a bare line `190 engage`) is not written: PETRARCH codes a bare verb
  only between two actors of its dictionaries, a gate the coder's looser actor recognition does
  not give, and such lines coded mostly non-events (on the Reuters-21578 training split they made
  2,841 of petrarch.tsv's 3,464 events, mostly states, forecasts and company news: "is controlled
  by" 060, "expects" 030, "failed to" 120; on the PLOVER development rows 6 right dyad+root
  events against 58 others). The block's code still reaches its members through the patterns.
* a pattern line `- * (IN &NEGOTIATION) [046] # ENGAGE` applies to every member of its block:
  `046 engage,... +in +negotiation|negotiations|talks|...`; each content word (or `{A B}`
  phrase, or `&SET` expanded from the synonym sets) becomes a keyword that must occur after the
  verb in its clause; plural forms are added. Patterns with words before the verb (`- &MILITARY *`)
  need the subject's head noun, which the coder does not read this way: they are left out, as
  are patterns with no content word after the verb.
* `[a:b]` paired codes keep their first code; `---` (no event) is skipped; a code CAMEO 1.1b3
  (data/cameo.tsv) lacks becomes its parent code.
* verbs that verbs.tsv has as a frame, light or report head are left out (their roles are the
  hand-written lexicon's); other verbs.tsv heads get only the keyword patterns written for
  them (the pattern's comment names its verb), not the block's other patterns nor a bare
  default code: their curated senses (or deliberate lack of one) stand.
Output is sorted by block and deterministic.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PREPS = {"IN", "ON", "TO", "AT", "OF", "FOR", "WITH", "INTO", "FROM", "BY", "OVER", "AGAINST", "ABOUT",
         "BEFORE", "AFTER", "UNDER", "BEHIND", "TOWARD", "TOWARDS", "THROUGH", "ACROSS", "BETWEEN",
         "UPON", "AMONG", "NEAR", "AROUND", "WITHIN", "OUT", "UP", "OFF", "DOWN", "BACK", "AWAY",
         "ASIDE", "FORWARD", "A", "AN", "THE"}


def plural(w):
    if w.endswith("s") or not w.isalpha():
        return [w]
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        return [w, w[:-1] + "ies"]
    if w.endswith(("x", "ch", "sh")):
        return [w, w + "es"]
    return [w, w + "s"]


def clean(w):
    return w.strip("_").lower()


def parse(path):
    syn, blocks = {}, []
    cur_set, block = None, None
    in_verbs = False
    for raw in open(path, encoding="utf-8", errors="replace"):
        line = raw.split("#", 1)[0].rstrip()
        if "VERB PATTERNS" in raw:
            in_verbs = True
            continue
        if not line.strip():
            continue
        if not in_verbs:
            if line.startswith("&"):
                cur_set = line.strip().rstrip("_")
                syn[cur_set] = []
            elif line.startswith("+") and cur_set:
                syn[cur_set].append(line[1:].strip())
            continue
        m = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]", line)
        if m:
            block = {"name": m.group(1), "code": m.group(2).strip(), "members": [], "patterns": []}
            blocks.append(block)
            continue
        if block is None:
            continue
        if line.startswith("-"):
            m = re.match(r"^-\s*(.*?)\s*\[([^\]]*)\]", line)
            if m:
                origin = raw.split("#", 1)[1].strip().split() if "#" in raw else []
                origin = origin[0].lower() if origin else None
                block["patterns"].append((m.group(1), m.group(2).strip(), origin))
            continue
        m = re.match(r"^\+?([A-Z_\-']+)\s*(\{[^}]*\})?\s*(\[[^\]]*\])?", line.strip())
        if m:
            code = m.group(3)[1:-1].strip() if m.group(3) else None
            block["members"].append((m.group(1), m.group(2) is not None and m.group(2).strip() == "{}", code))
    return syn, blocks


CAMEO = {l.split("\t")[0] for l in open(ROOT / "data" / "cameo.tsv", encoding="utf-8") if not l.startswith("#")}


def first_code(c):
    """The first code of `[a:b]`; a code CAMEO 1.1b3 lacks (PETRARCH extensions) becomes its parent."""
    for part in c.split(":"):
        part = part.strip()
        if re.fullmatch(r"\d{2,4}", part):
            while part and part not in CAMEO:
                part = part[:-1] if len(part) > 2 else ""
            return part or None
    return None


def expand(tok, syn):
    """One pattern unit -> list of alternatives (phrases joined by _)."""
    if tok.startswith("&"):
        alts = []
        for w in syn.get(tok.rstrip("_"), []):
            w = clean(w)
            if not w or "&" in w:
                continue
            parts = w.split("_")
            alts.extend("_".join(parts[:-1] + [p]) for p in plural(parts[-1]))
        return sorted(set(alts))
    words = [clean(w) for w in tok.split("_") if clean(w)]
    if not words:
        return []
    return ["_".join(words[:-1] + [p]) for p in plural(words[-1])]


def pattern_keywords(post, syn):
    # {A B} is a phrase; (...) groups a prepositional phrase; markers $ + % ^ are actor slots.
    post = re.sub(r"\{([^}]*)\}", lambda m: "_".join(m.group(1).split()), post)
    post = post.replace("(", " ").replace(")", " ")
    kws, content = [], False
    for tok in post.split():
        if tok in "$+%^" or not re.fullmatch(r"[&A-Z_'\-]+", tok):
            continue
        if "_" not in tok and tok.upper() in PREPS:
            kws.append([tok.lower()])
            continue
        alts = expand(tok, syn)
        if not alts:
            return None
        content = True
        kws.append(alts)
    return kws if content else None


def head_of(name, exact):
    name = name.strip("_").lower().replace("-", "")
    if not re.fullmatch(r"[a-z]+(_[a-z]+)*", name):
        return None
    return ("=" if exact else "") + name


def project_heads():
    """Heads of verbs.tsv: (all heads, heads of function and frame lines)."""
    heads, special = set(), set()
    for line in open(ROOT / "data" / "patterns" / "verbs.tsv", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        for h in cols[1].split()[0].split(","):
            if h.startswith("n:"):
                continue
            heads.add(h.lstrip("="))
            if cols[0] == "-" or (len(cols) > 2 and "frame:" in cols[2]):
                special.add(h.lstrip("="))
    return heads, special


def main(src):
    syn, blocks = parse(Path(src) / "CAMEO.2.0.txt")
    own, special = project_heads()
    out = []
    for b in blocks:
        members = []
        for name, exact, code in b["members"]:
            h = head_of(name, exact)
            if h is None or h.lstrip("=") in special:
                continue
            members.append((h, code))
        if not members:
            continue
        shared = sorted({h for h, _ in members if h.lstrip("=") not in own})
        for pre, code, origin in b["patterns"]:
            # A pattern serves every verb of its block, except verbs.tsv heads: those take only
            # the patterns written for them (the comment names the verb a pattern came from).
            hs = shared + ([origin] if origin in own and any(h.lstrip("=") == origin for h, _ in members) else [])
            if not hs:
                continue
            heads = ",".join(sorted(set(hs)))
            c = first_code(code)
            if not c or "*" not in pre:
                continue
            before, after = pre.split("*", 1)
            if re.search(r"[&A-Z{]", before):
                continue
            kws = pattern_keywords(after, syn)
            if not kws:
                continue
            out.append(f"{c}\t{heads} " + " ".join("+" + "|".join(k) for k in kws))
    dst = ROOT / "data" / "patterns" / "petrarch.tsv"
    with open(dst, "w", encoding="utf-8") as f:
        f.write("# CAMEO verb patterns converted from the PETRARCH2/Phoenix dictionary CAMEO.2.0.txt (MIT,\n"
                "# Open Event Data Alliance; notice in data/README.md) by scripts/data/build_petrarch.py.\n"
                "# Grammar as verbs.tsv (docs/coding.md). Do not edit: rebuild; hand-written lines go in verbs.tsv.\n")
        seen = set()
        for l in out:
            if l not in seen:
                seen.add(l)
                f.write(l + "\n")
    print(f"{dst}: {len(seen)} lines")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/dictionaries/petrarch2")
