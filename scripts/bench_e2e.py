#!/usr/bin/env python3
"""End-to-end benchmark: throughput and latency of `newsflow run`, next to a
passthrough baseline (same consumer, producer and commit path, no stages),
through the embedded broker and through an Apache Kafka process
(scripts/kafka.sh).

    python3 scripts/bench_e2e.py [--articles 100000] [--runs 3] [--brokers embedded,kafka]
                                 [--modes passthrough,normalize,dedup,all]

Modes form a ladder that prices the stages: passthrough (no stages),
normalize (parse + normalize: the streaming core's own stages), dedup (+
the dedup decision and its changelog-free records), all (+ extract and the
happenings stage: the service as deployed). Mode no-happenings is all
without the happenings stage (happenings.enabled = false), to price it;
mode exactly-once is all under `pipeline.delivery = "exactly-once"` (100 ms
transactions), to price the delivery mode (on Kafka only: the embedded
broker has no transactions).
Besides throughput each run reports its wall time, start to exit: the
happenings stage finishes its share after the last article record is out
(the stop's drain), which only the wall time counts.

Input: N articles of about 4 KB built from ../shared/corpora (bodies padded
with further stories to ~4 KB, unique ids), written to /tmp. The corpora are
read from ../shared, never copied into the repository.

Throughput = consumed / busy_secs (first message read to last output
acknowledged), from the summary line of `run --exit-when-idle`. The topic is
filled before the measured run starts (Kafka) or fed by `--seed` as fast as
the embedded broker's retention allows. Latency (p50/p99 of acknowledged
minus input timestamp) is measured in a separate embedded run that seeds at a
fixed rate below saturation (--seed-rate), since with a pre-filled topic it
would only measure queueing. Each figure is the median of --runs runs.

--visible-latency RATE (Kafka): latency as a downstream reader sees it, for
each delivery mode: `newsflow run` on a fresh broker, and
examples/visible_latency.rs sending 30 s of articles at RATE per second and
reading the articles topic with isolation.level=read_committed (under
exactly-once an article is visible only once its transaction commits).
"""
import argparse, json, os, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "corpora")
BIN = os.path.join(ROOT, "target", "release", "newsflow")
KAFKA_SH = os.path.join(ROOT, "scripts", "kafka.sh")


def make_input(n, path):
    if os.path.exists(path) and sum(1 for _ in open(path)) == n:
        return
    stories = []
    for name in ("reuters21578-train.jsonl", "bbc.jsonl"):
        with open(os.path.join(SHARED, name)) as f:
            stories += [json.loads(l) for l in f]
    with open(path, "w") as out:
        for i in range(n):
            a = dict(stories[i % len(stories)])
            body, k = a["body"], i
            while len(body) < 3800:
                k += 7919
                body += "\n\n" + stories[k % len(stories)]["body"]
            a["body"] = body[:4000]
            a["id"] = f"bench-{i}"
            a["url"] = f"https://bench.example/{i}"
            out.write(json.dumps(a) + "\n")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Kafka:
    """A single-node Apache Kafka broker (scripts/kafka.sh) on free ports in
    a temporary directory, started and ready; stop() ends it."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="newsflow-bench-kafka-")
        self.port = free_port()
        subprocess.run([KAFKA_SH, "start", self.dir, str(self.port), str(free_port()),
                        "--owner", str(os.getpid())], check=True, stdout=subprocess.DEVNULL)

    def stop(self):
        subprocess.run([KAFKA_SH, "stop", self.dir, "--kill"], check=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def run(env, args):
    e = dict(os.environ, RUST_LOG="warn", NEWSFLOW_METRICS__LISTEN="127.0.0.1:0", **env)
    started = time.monotonic()
    r = subprocess.run([BIN, "run", "--exit-when-idle", "2"] + args, env=e, capture_output=True, text=True, timeout=3600)
    wall = time.monotonic() - started
    if r.returncode != 0:
        sys.exit(f"newsflow failed: {r.stderr[-2000:]}")
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    summary["wall_secs"] = round(wall, 2)
    return summary


def median(xs):
    return statistics.median(xs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--brokers", default="embedded,kafka")
    ap.add_argument("--latency-rate", type=float, default=1000.0)
    ap.add_argument("--modes", default="passthrough,normalize,dedup,all")
    ap.add_argument("--visible-latency", type=float, default=0.0, metavar="RATE")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if a.visible_latency:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "visible_latency"], cwd=ROOT, check=True)
    data = f"/tmp/newsflow-bench-{a.articles}.jsonl"
    make_input(a.articles, data)
    size = os.path.getsize(data) / a.articles
    print(f"input: {a.articles} articles, mean {size:.0f} bytes, file {data}")
    results = {}
    for broker in a.brokers.split(","):
        for mode in a.modes.split(","):
            rates, walls = [], []
            for r in range(a.runs):
                if mode == "passthrough":
                    extra = ["--passthrough"]
                elif mode == "no-happenings":
                    extra = ["--stages", "all"]
                else:
                    extra = ["--stages", mode]
                off = {"NEWSFLOW_HAPPENINGS__ENABLED": "false"} if mode == "no-happenings" else {}
                if mode == "exactly-once":
                    extra = ["--stages", "all"]
                    off = {"NEWSFLOW_PIPELINE__DELIVERY": "exactly-once"}
                if broker == "embedded":
                    s = run(off, ["--seed", data] + extra)
                else:
                    k = Kafka()
                    try:
                        env = {"NEWSFLOW_KAFKA__BROKERS": f"127.0.0.1:{k.port}", "NEWSFLOW_KAFKA__GROUP_ID": f"bench-{mode}-{r}", **off}
                        subprocess.run([BIN, "create-topics"], env=dict(os.environ, **env), check=True, capture_output=True)
                        subprocess.run([BIN, "produce", data], env=dict(os.environ, **env), check=True, capture_output=True)
                        s = run(env, extra)
                    finally:
                        k.stop()
                assert s["consumed"] == a.articles, s
                rate = s["consumed"] / s["busy_secs"]
                rates.append(rate)
                walls.append(s["wall_secs"])
                print(f"  {broker:9} {mode:13} run {r + 1}: {rate:8.0f} articles/s  {s}", flush=True)
            results[(broker, mode)] = median(rates)
            results[(broker, mode, "wall")] = median(walls)
    lat = {}
    if "embedded" in a.brokers:
        n = min(a.articles, int(a.latency_rate * 30))
        sub = f"/tmp/newsflow-bench-latency-{n}.jsonl"
        with open(data) as f, open(sub, "w") as g:
            for i, line in enumerate(f):
                if i >= n:
                    break
                g.write(line)
        for mode in ("passthrough", "all"):
            p50, p99 = [], []
            for r in range(a.runs):
                extra = ["--passthrough"] if mode == "passthrough" else []
                s = run({}, ["--seed", sub, "--seed-rate", str(a.latency_rate)] + extra)
                p50.append(s["latency_p50_ms"])
                p99.append(s["latency_p99_ms"])
                print(f"  latency {mode:11} run {r + 1}: p50 {s['latency_p50_ms']} ms p99 {s['latency_p99_ms']} ms", flush=True)
            lat[mode] = (median(p50), median(p99))
    visible = {}
    if a.visible_latency:
        n = int(a.visible_latency * 30)
        for delivery in ("at-least-once", "exactly-once"):
            p50, p99 = [], []
            for r in range(a.runs):
                s = visible_latency(data, a.visible_latency, n, delivery)
                p50.append(s["p50_ms"])
                p99.append(s["p99_ms"])
                print(f"  visible latency {delivery:13} run {r + 1}: {s}", flush=True)
            visible[delivery] = (median(p50), median(p99))
    modes = a.modes.split(",")
    print("\n| broker | " + " | ".join(f"{m} (articles/s)" for m in modes) + " | " + " | ".join(f"{m} / passthrough" for m in modes if m != "passthrough") + " |")
    print("|---" * (2 * len(modes)) + "|")
    for broker in a.brokers.split(","):
        pt = results.get((broker, "passthrough"))
        cells = [f"{results[(broker, m)]:.0f}" for m in modes]
        ratios = [f"{results[(broker, m)] / pt:.2f}" if pt else "-" for m in modes if m != "passthrough"]
        print(f"| {broker} | " + " | ".join(cells + ratios) + " |")
    print("\n| broker | " + " | ".join(f"{m} (wall s)" for m in modes) + " |")
    print("|---" * (len(modes) + 1) + "|")
    for broker in a.brokers.split(","):
        print(f"| {broker} | " + " | ".join(f"{results[(broker, m, 'wall')]:.1f}" for m in modes) + " |")
    if lat:
        print(f"\nlatency at {a.latency_rate:.0f} articles/s (embedded): passthrough p50 {lat['passthrough'][0]} ms p99 {lat['passthrough'][1]} ms; "
              f"pipeline p50 {lat['all'][0]} ms p99 {lat['all'][1]} ms")
    for delivery, (p50, p99) in visible.items():
        print(f"visible to a read_committed reader at {a.visible_latency:.0f} articles/s (Kafka), {delivery}: p50 {p50} ms p99 {p99} ms")


def visible_latency(data, rate, n, delivery):
    """One `newsflow run` on a fresh Kafka broker under `delivery`, and the
    visible_latency example sending n articles of `data` at `rate`."""
    k = Kafka()
    try:
        env = dict(os.environ, RUST_LOG="warn", NEWSFLOW_METRICS__LISTEN="127.0.0.1:0",
                   NEWSFLOW_KAFKA__BROKERS=f"127.0.0.1:{k.port}", NEWSFLOW_PIPELINE__DELIVERY=delivery)
        subprocess.run([BIN, "create-topics"], env=env, check=True, capture_output=True)
        nf = subprocess.Popen([BIN, "run"], env=dict(env, RUST_LOG="info"), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        try:
            for line in nf.stderr:
                if "partitions assigned" in line:
                    break
            # Keep reading its log, so a full pipe never blocks it.
            threading.Thread(target=lambda: [None for _ in nf.stderr], daemon=True).start()
            example = os.path.join(ROOT, "target", "release", "examples", "visible_latency")
            r = subprocess.run([example, f"127.0.0.1:{k.port}", data, str(rate), str(n)],
                               capture_output=True, text=True, timeout=1800, check=True)
            return json.loads(r.stdout.strip().splitlines()[-1])
        finally:
            nf.terminate()
            nf.wait(timeout=120)
    finally:
        k.stop()


if __name__ == "__main__":
    main()
