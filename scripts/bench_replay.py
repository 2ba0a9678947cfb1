#!/usr/bin/env python3
"""Replay throughput next to `run` throughput on the same data, as a ratio.

    python3 scripts/bench_replay.py [--articles 20000] [--runs 3]

Each run starts a fresh Apache Kafka broker (scripts/kafka.sh), loads N
articles of about 4 KB (built from ../shared/corpora as in bench_e2e.py),
then measures, on that same topic:

* `newsflow run --exit-when-idle 2` (its own group): consumed / busy_secs;
* `newsflow replay --from 2000-01-01 --output-suffix .backfill`:
  consumed / busy_secs.

Both go through every stage (parse, normalize, dedup, extract) and publish
their records; the figure reported is the median over runs of the ratio
measured within one run (same broker, same data, minutes apart).
"""
import argparse, json, os, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_e2e import BIN, ROOT, make_input, Kafka  # noqa: E402


def newsflow(env, args, timeout=3600):
    e = dict(os.environ, RUST_LOG="warn", NEWSFLOW_METRICS__LISTEN="127.0.0.1:0",
             NEWSFLOW_METRICS__REPLAY_LISTEN="127.0.0.1:0", **env)
    r = subprocess.run([BIN] + args, env=e, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        sys.exit(f"newsflow {args[0]} failed: {r.stderr[-2000:]}")
    return r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    data = f"/tmp/newsflow-bench-{a.articles}.jsonl"
    make_input(a.articles, data)
    ratios, runs, replays = [], [], []
    for r in range(a.runs):
        k = Kafka()
        try:
            env = {"NEWSFLOW_KAFKA__BROKERS": f"127.0.0.1:{k.port}", "NEWSFLOW_KAFKA__GROUP_ID": f"bench-{r}"}
            newsflow(env, ["create-topics", "--output-suffix", ".backfill"])
            newsflow(env, ["produce", data])
            s = json.loads(newsflow(env, ["run", "--exit-when-idle", "2"]))
            p = json.loads(newsflow(env, ["replay", "--from", "2000-01-01", "--output-suffix", ".backfill"]))
        finally:
            k.stop()
        assert s["consumed"] == a.articles and p["consumed"] == a.articles, (s, p)
        run_rate, replay_rate = s["consumed"] / s["busy_secs"], p["consumed"] / p["busy_secs"]
        runs.append(run_rate)
        replays.append(replay_rate)
        ratios.append(replay_rate / run_rate)
        print(f"  run {r + 1}: run {run_rate:7.0f}/s  replay {replay_rate:7.0f}/s  ratio {replay_rate / run_rate:.2f}", flush=True)
    print("\n| articles | run (articles/s) | replay (articles/s) | replay / run |")
    print("|---|---|---|---|")
    print(f"| {a.articles} | {statistics.median(runs):.0f} | {statistics.median(replays):.0f} | {statistics.median(ratios):.2f} |")


if __name__ == "__main__":
    main()
