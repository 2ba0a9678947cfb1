#!/usr/bin/env python3
"""CPU time of the newsflow process per article, for one mode of the ladder.

    python3 scripts/cpu_per_article.py normalize [--articles 20000] [--perf]

Starts an Apache Kafka broker (scripts/kafka.sh), loads the bench file of
scripts/bench_e2e.py, then runs `newsflow run --exit-when-idle 2` in the
given mode (passthrough | normalize | dedup | all) and prints its rate and
its user + system CPU per article. Wall-clock rates move with the shared
host's load; CPU per article moves far less, so it is the figure to compare
two versions of a stage with. `--perf` records a profile to
/tmp/newsflow-<mode>.perf (read it with `perf report -i ...`).
"""
import argparse, json, os, resource, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_e2e import BIN, make_input, Kafka  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["passthrough", "normalize", "dedup", "all"])
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--perf", action="store_true")
    a = ap.parse_args()
    data = f"/tmp/newsflow-bench-{a.articles}.jsonl"
    make_input(a.articles, data)
    k = Kafka()
    try:
        env = dict(os.environ, RUST_LOG="warn", NEWSFLOW_METRICS__LISTEN="127.0.0.1:0",
                   NEWSFLOW_KAFKA__BROKERS=f"127.0.0.1:{k.port}",
                   NEWSFLOW_KAFKA__GROUP_ID=f"cpu-{a.mode}")
        subprocess.run([BIN, "create-topics"], env=env, check=True, capture_output=True)
        subprocess.run([BIN, "produce", data], env=env, check=True, capture_output=True)
        extra = ["--passthrough"] if a.mode == "passthrough" else ["--stages", a.mode]
        cmd = [BIN, "run", "--exit-when-idle", "2"] + extra
        if a.perf:
            cmd = ["perf", "record", "-F", "1999", "-o", f"/tmp/newsflow-{a.mode}.perf", "--"] + cmd
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        r = subprocess.run(cmd, env=env, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r.returncode != 0:
            sys.exit(f"newsflow failed: {r.stderr[-2000:]}")
        s = json.loads(r.stdout.strip().splitlines()[-1])
        user = after.ru_utime - before.ru_utime
        system = after.ru_stime - before.ru_stime
        n = s["consumed"]
        print(f"{a.mode}: {n / s['busy_secs']:.0f} articles/s, "
              f"CPU {(user + system) / n * 1e6:.1f} us/article (user {user:.2f} s, sys {system:.2f} s)")
    finally:
        k.stop()


if __name__ == "__main__":
    main()
