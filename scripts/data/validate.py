"""Validate the hand-curated files under data/ against the generated country list.

Checks: column counts, ISO3 country codes exist, code prefixes are a known country or an
international prefix (IGO, NGO, IMG ...), date ranges parse and are ordered, and every
agent row has a known kind and scope.
"""
import datetime
import os

INTL = {"IGO", "NGO", "IMG", "MED", "HRI", "BUS", "REB", "UAF", "ELI", "MNC"}
KINDS = {"office", "group", "title", "honorific"}
SCOPES = {"ctx", "bare", "attached"}


def _rows(path):
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.startswith("#") or not line.strip():
                continue
            yield n, line.rstrip("\n").split("\t")


def _date(s, where):
    if s:
        datetime.date.fromisoformat(s)  # raises on bad dates
    return s


def _codes(spec, iso3, where):
    defaults = 0
    for part in [p.strip() for p in spec.split(";") if p.strip()]:
        toks = part.split(" ")
        code = toks[0]
        if not (code[:3] in iso3 or code[:3] in INTL) or not code.isupper():
            raise SystemExit(f"{where}: unknown code prefix in {code!r}")
        if len(toks) > 1 and ".." in toks[1]:
            a, b = toks[1].split("..")
            _date(a, where), _date(b, where)
            if a and b and a >= b:
                raise SystemExit(f"{where}: empty range {toks[1]}")
        else:
            defaults += 1
    if defaults > 1:
        raise SystemExit(f"{where}: more than one undated code")


def check(data_dir: str) -> None:
    iso3 = set()
    for _, r in _rows(os.path.join(data_dir, "countries.tsv")):
        iso3.add(r[1])
    for f in ("actors.tsv", "organizations.tsv"):
        names = set()
        for n, r in _rows(os.path.join(data_dir, f)):
            where = f"{f}:{n}"
            if len(r) != 5:
                raise SystemExit(f"{where}: expected 5 columns, got {len(r)}")
            if r[0] in names:
                raise SystemExit(f"{where}: duplicate name {r[0]!r}")
            names.add(r[0])
            if r[3] != "-" and r[3] not in iso3:
                raise SystemExit(f"{where}: unknown country {r[3]!r}")
            _codes(r[4], iso3, where)
    for n, r in _rows(os.path.join(data_dir, "agents.tsv")):
        if len(r) != 4 or r[2] not in KINDS or r[3] not in SCOPES:
            raise SystemExit(f"agents.tsv:{n}: bad row {r}")
    for n, r in _rows(os.path.join(data_dir, "regions.tsv")):
        bad = [c for c in r[2].split() if c not in iso3]
        if len(r) != 5 or bad:
            raise SystemExit(f"regions.tsv:{n}: bad row or unknown members {bad}")
    for n, r in _rows(os.path.join(data_dir, "cues.tsv")):
        if len(r) != 3 or r[1] not in iso3 or not 0 < float(r[2]) <= 2:
            raise SystemExit(f"cues.tsv:{n}: bad row {r}")
    print("hand-curated files valid")
