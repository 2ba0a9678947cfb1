#!/usr/bin/env python3
"""A random sample of coded events for a hand audit of the event coder.

Runs `newsflow extract` over a corpus (JSON lines of article records, each with its `events`),
collects every event of every article (hypothetical ones included), sorts them by article id,
sentence index and event id, and draws N of them with a fixed seed, so the same binary and
corpus give the same sample. For each it prints a number, the article id, title and
publication date, the event's sentence, source and target (text and code), the CAMEO code,
its root and label, the PLOVER type, the verb, the hypothetical flag and the event's date
(with its precision and basis). With --context the sentences around the event's sentence are
printed too; with --markdown a table skeleton to fill in with the verdicts is printed instead.

    python3 scripts/event_audit.py ../shared/corpora/reuters21578-train.jsonl --sample 100 --seed 1
    python3 scripts/event_audit.py ../shared/corpora/reuters21578-train.jsonl --sample 100 --seed 1 --markdown

A later build against the judged sample (which of the judged events it still codes, and how many
of those were right), with the audited build at hand:

    python3 scripts/event_audit.py ../shared/corpora/reuters21578-train.jsonl --recheck AUDITED_BINARY
"""

import argparse
import json
import random
import re
import subprocess


def run(binary, corpus):
    out = subprocess.run([binary, "extract", corpus], check=True,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def id_key(article_id):
    """Natural order of article ids ("reuters-9" before "reuters-10")."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", article_id)]


def actor(a):
    """An actor as text and code; "(none)" for an event with no target."""
    if a is None:
        return "(none)"
    return f"{a.get('text')} [{a.get('code')}]"


def one_line(text):
    return " ".join((text or "").split())


def context(article, event, n):
    """The n paragraphs of the body before the event's sentence, and the one holding it."""
    body = article.get("body") or ""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    sentence = one_line(event["evidence"]["sentence"])
    for i, p in enumerate(paragraphs):
        if sentence[:60] in one_line(p):
            return [one_line(q) for q in paragraphs[max(0, i - n):i + 1]]
    return [one_line(q) for q in paragraphs[:n]]


def plover_type(action):
    return (action.get("plover") or {}).get("event_type") or "-"


def md_cell(text):
    return one_line(text).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def excerpt(event, width):
    """The sentence, or a window of it around the verb when it is longer than width."""
    s = one_line(event["evidence"]["sentence"])
    if len(s) <= width:
        return s
    verb = event["action"].get("verb_text") or ""
    at = s.find(verb) if verb else -1
    start = 0 if at < 0 else max(0, min(at - width // 3, len(s) - width))
    cut = s[start:start + width].strip()
    return ("..." if start > 0 else "") + cut + ("..." if start + width < len(s) else "")


def draw(articles, n, seed, targetless=False):
    """Every event (with --targetless, every event with no target), in a fixed order, and `n`
    of them drawn with `seed`."""
    events = [(a, e) for a in articles for e in a.get("events", [])
              if not targetless or e.get("target") is None]
    events.sort(key=lambda ae: (id_key(ae[0]["id"]), ae[1]["evidence"]["sentence_index"],
                                ae[1]["event_id"]))
    return events, random.Random(seed).sample(events, min(n, len(events)))


def recheck(args):
    """The judged sample against another build: which judged events it still codes (same event
    id: same article, sentence, participants and code) and how many of those were right."""
    verdicts = {}
    for line in open(args.judged, encoding="utf-8"):
        m = re.match(r"\| (\d+) \|.*\| (RIGHT|WRONG[^|]*) \|", line)
        if m:
            verdicts[int(m.group(1))] = m.group(2).strip()
    _, sample = draw(run(args.recheck, args.corpus), args.sample, args.seed, args.targetless)
    now = {e["event_id"] for a in run(args.binary, args.corpus) for e in a.get("events", [])}
    kept = [i for i, (_, e) in enumerate(sample, 1) if e["event_id"] in now]
    right = [i for i in kept if verdicts.get(i) == "RIGHT"]
    dropped_right = [i for i in range(1, len(sample) + 1) if i not in kept and verdicts.get(i) == "RIGHT"]
    print(f"judged {len(verdicts)}; still coded {len(kept)}, of them right {len(right)} "
          f"({len(right) / max(len(kept), 1):.2f}); no longer coded {len(sample) - len(kept)}, "
          f"of them right {len(dropped_right)} {dropped_right}; events now {len(now)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--binary", default="target/release/newsflow")
    ap.add_argument("--sample", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--context", type=int, default=0,
                    help="also print this many paragraphs before the event's sentence")
    ap.add_argument("--markdown", action="store_true",
                    help="print a markdown table skeleton for the verdicts")
    ap.add_argument("--excerpt", type=int, default=140,
                    help="characters of the sentence kept in the markdown table")
    ap.add_argument("--recheck", metavar="AUDITED_BINARY",
                    help="draw the sample from the build that was judged (the verdicts are read from "
                         "--judged) and report which judged events --binary still codes")
    ap.add_argument("--judged", default="docs/event-audit.md")
    ap.add_argument("--targetless", action="store_true",
                    help="draw only from the events with no target")
    args = ap.parse_args()

    if args.recheck:
        recheck(args)
        return
    articles = run(args.binary, args.corpus)
    events, sample = draw(articles, args.sample, args.seed, args.targetless)
    with_events = sum(1 for a in articles if a.get("events"))
    hypothetical = sum(1 for _, e in events if e["hypothetical"])

    if args.markdown:
        print(f"Corpus `{args.corpus}`: {len(articles)} articles, {with_events} with events, "
              f"{len(events)} events ({hypothetical} hypothetical); sample {len(sample)}, "
              f"seed {args.seed}.\n")
        print("| # | article | sentence (excerpt) | source | target | code | hyp | date "
              "| verdict | reason |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for i, (a, e) in enumerate(sample, 1):
            s = excerpt(e, args.excerpt)
            act = e["action"]
            print(f"| {i} | {a['id']} | {md_cell(s)} | {md_cell(actor(e['source']))} "
                  f"| {md_cell(actor(e['target']))} | {act['cameo']} {plover_type(act)} "
                  f"| {'yes' if e['hypothetical'] else ''} | {e['date']} ({e['date_basis']}) |  |  |")
        return

    print(f"corpus: {args.corpus}")
    print(f"articles {len(articles)}, with events {with_events}, events {len(events)} "
          f"({hypothetical} hypothetical); sample {len(sample)}, seed {args.seed}\n")
    for i, (a, e) in enumerate(sample, 1):
        act = e["action"]
        plover = act.get("plover") or {}
        print(f"#{i} {a['id']} published {a.get('published_at')} title {a.get('title')!r}")
        for p in context(a, e, args.context)[:-1] if args.context else []:
            print(f"   ctx: {p}")
        print(f"   sentence [{e['evidence']['sentence_index']}]: "
              f"{one_line(e['evidence']['sentence'])}")
        print(f"   source: {actor(e['source'])}   target: {actor(e['target'])}")
        print(f"   code {act['cameo']} (root {act['root']}: {act['label']}) "
              f"plover {plover.get('event_type')}{'/' + plover['mode'] if plover.get('mode') else ''} "
              f"verb {act.get('verb_text')!r} pattern {e['evidence'].get('pattern_id')}")
        print(f"   hypothetical {e['hypothetical']}   date {e['date']} "
              f"({e['date_precision']}, {e['date_basis']})   published {a.get('published_at')}")
        print()


if __name__ == "__main__":
    main()
