#!/usr/bin/env python3
"""Figures and a hand-check sample for the aggregation of events into happenings.

Runs `newsflow extract` (article records) and `newsflow extract --happenings` over a corpus and
prints:
  * raw events vs happenings, mentions per happening, happenings with reports from several
    articles and several stories;
  * with --sample N: N random happenings with reports from two or more stories (not near
    copies of one article: are they one happening?) and N random pairs of reports that share the aggregation key, come from
    different articles, were reported at most the horizon apart, and were kept apart (should
    they have been merged?), each with the sentences and dates to judge them by.

The sample is drawn with a fixed seed, so the same binary and corpus give the same sample.

    python3 scripts/happenings_audit.py ../shared/corpora/reuters21578-train.jsonl --sample 50
"""

import argparse
import collections
import json
import random
import subprocess
import sys


def run(binary, corpus, *flags):
    out = subprocess.run([binary, "extract", *flags, corpus], check=True,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    return [json.loads(line) for line in out.splitlines()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--binary", default="target/release/newsflow")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--horizon-days", type=int, default=7)
    args = ap.parse_args()

    articles = run(args.binary, args.corpus)
    happenings = run(args.binary, args.corpus, "--happenings")
    events = {}
    for a in articles:
        for e in a.get("events", []):
            if not e["hypothetical"]:
                events[e["event_id"]] = (a, e)
    mentions = collections.Counter(h["mentions"] for h in happenings)
    multi_article = [h for h in happenings if h["articles"] > 1]
    multi_story = [h for h in happenings if h["stories"] > 1]
    print(f"corpus: {args.corpus}")
    print(f"articles {len(articles)}, events (not hypothetical) {len(events)}, "
          f"happenings {len(happenings)} ({len(happenings) / max(len(events), 1):.3f} per event)")
    print(f"mentions per happening: mean {len(events) / max(len(happenings), 1):.3f}, "
          f"distribution {dict(sorted(mentions.items()))}")
    print(f"happenings reported by 2+ articles {len(multi_article)}, by 2+ stories {len(multi_story)}")
    if not args.sample:
        return

    rng = random.Random(args.seed)
    print("\n# Happenings reported by two or more stories\n")
    for i, h in enumerate(rng.sample(multi_story, min(args.sample, len(multi_story))), 1):
        print(f"M{i} {h['happening_id']} {h['key']} code {h['action']['cameo']} "
              f"({h['action']['label']}) date {h['date']} mentions {h['mentions']} "
              f"articles {h['articles']} stories {h['stories']}")
        for eid in h["event_ids"]:
            a, e = events[eid]
            print(f"   - [{a['id']} {a.get('published_at')}] {e['action']['cameo']} "
                  f"{e['source']['code']}->{e['target']['code']} date {e['date']}: "
                  f"{a.get('title')!r} | {e['evidence']['sentence']}")
        print()

    member = {eid: h["happening_id"] for h in happenings for eid in h["event_ids"]}
    by_key = collections.defaultdict(list)
    for h in happenings:
        if len(h["event_ids"]) < h["mentions"]:
            continue  # not every member listed: cannot say which pairs were apart
        for eid in h["event_ids"]:
            by_key[h["key"]].append(eid)
    horizon = args.horizon_days * 86400

    def when(eid):
        a, _ = events[eid]
        p = a.get("published_at")
        if not p:
            return None
        from datetime import datetime
        return datetime.fromisoformat(p.replace("Z", "+00:00")).timestamp()

    pairs = []
    for key in sorted(by_key):
        ids = sorted(by_key[key])
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                a, b = ids[x], ids[y]
                if member[a] == member[b] or events[a][0]["id"] == events[b][0]["id"]:
                    continue
                ta, tb = when(a), when(b)
                if ta is not None and tb is not None and abs(ta - tb) > horizon:
                    continue
                pairs.append((key, a, b))
    print(f"\n# Pairs kept apart ({len(pairs)} candidates: same key, different articles, "
          f"within the horizon)\n")
    for i, (key, a, b) in enumerate(rng.sample(pairs, min(args.sample, len(pairs))), 1):
        print(f"P{i} {key}")
        for eid in (a, b):
            art, e = events[eid]
            print(f"   - [{art['id']} {art.get('published_at')}] {e['action']['cameo']} "
                  f"({e['action']['label']}) date {e['date']} place "
                  f"{(e['location'] or {}).get('name')}: {art.get('title')!r} | "
                  f"{e['evidence']['sentence']}")
        print()


if __name__ == "__main__":
    sys.exit(main())
