#!/usr/bin/env python3
"""Benchmark inspector-report against the Python + Jinja2 reference (pyref) and a parse floor.

    Benchmarks/run.py [--binary PATH | --no-build] [--previous PATH] [--shared DIR] [--rounds N]
                      [--runs N] [--big N] [--skip-big] [--quick] [--pyref-all]
                      [--corpora DIR] [--json FILE] [--strict]

Generates seed-1 corpora with Benchmarks/generate.py into a temporary folder (or --corpora
DIR, where they are kept and reused), times our binary, the team's pyref/report.py (from
--shared, default ../shared) and an orjson parse-only floor alternately, prints medians, peak
RSS and the target ratios, and removes the temporary folder again.  Without pyref or orjson it
times what it can and says which targets it dropped and why, so it runs from a plain clone.
The measurement follows peers/pyref/bench.py (median wall time of N runs, warm page cache),
but takes wall time and peak RSS from os.wait4 instead of /usr/bin/time, so nothing extra has
to be installed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Callable

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PRODUCT = "inspector-report"
GENERATOR = os.path.join(HERE, "generate.py")
SEED = "1"
OUR_OUTPUTS = ("report.html", "junit.xml", "report.xml", "report.json", "summary.md")
PYREF_OUTPUTS = OUR_OUTPUTS[:4]  # pyref writes no summary.md
FORM_CORPORA = ("epoch", "iso", "boto3", "jsonl")  # compared by target 4

# Parse-only floor: read every input the tools would read and orjson.loads it, nothing else.
FLOOR_SCRIPT = """\
import os, sys, orjson
for root in sys.argv[1:]:
    for d, _, names in os.walk(root):
        for n in sorted(names):
            with open(os.path.join(d, n), 'rb') as f:
                data = f.read()
            if n.endswith('.json'):
                orjson.loads(data)
            elif n.endswith('.jsonl'):
                for line in data.splitlines():
                    if line.strip():
                        orjson.loads(line)
"""


@dataclass
class Corpus:
    """One generated input folder; `kind` is a timestamp form or 'jsonl' (epoch, one file)."""
    kind: str
    runs: int
    path: str = ""
    files: int = 0
    bytes: int = 0

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.runs}"


@dataclass(frozen=True)
class Tool:
    """A command to time: argv builder, accepted exit codes and files it must leave behind."""
    name: str
    argv: Callable[[str, str], list]
    exit_ok: tuple
    outputs: tuple


@dataclass
class Sample:
    corpus: str
    tool: str
    round: int
    wall_s: float
    maxrss_kib: int
    exit_code: int


@dataclass
class Ratio:
    label: str
    value: float | None
    op: str
    target: float
    dropped: str | None = None  # why the ratio cannot be computed on this machine at all

    @property
    def verdict(self) -> str:
        if self.dropped:
            return "DROPPED"
        if self.value is None:
            return "SKIP"
        ok = self.value >= self.target if self.op == ">=" else self.value <= self.target
        return "PASS" if ok else "FAIL"


def fail(msg: str) -> None:
    """Stop the whole benchmark: a wrong or missing result must never turn into a number."""
    raise SystemExit(f"run.py: error: {msg}")


def log(msg: str) -> None:
    """Progress goes to stderr so stdout holds only the report."""
    print(msg, file=sys.stderr, flush=True)


def parse_args(argv: list) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"),
                    help="the team's folder with peers/pyref/ (default ROOT/../shared); without it, no pyref")
    ap.add_argument("--binary", help="inspector-report binary to time (skips the build)")
    ap.add_argument("--previous", metavar="PATH",
                    help="a previous build's binary, timed alternately with ours on every corpus")
    ap.add_argument("--no-build", action="store_true", help="use the existing release binary")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds per corpus (default 3)")
    ap.add_argument("--runs", type=int, default=10_000, help="runs per form corpus (default 10000)")
    ap.add_argument("--big", type=int, default=100_000, help="runs in the linearity corpus (default 100000)")
    ap.add_argument("--skip-big", action="store_true", help="no linearity corpus")
    ap.add_argument("--quick", action="store_true", help="--runs 1000 --big 10000")
    ap.add_argument("--pyref-all", action="store_true", help="run pyref on every corpus, not only epoch")
    ap.add_argument("--corpora", metavar="DIR",
                    help="keep the corpora in DIR and reuse those already there (default: a temporary folder)")
    ap.add_argument("--json", metavar="FILE", help="write raw measurements as JSON")
    ap.add_argument("--strict", action="store_true", help="exit 1 if any target fails")
    args = ap.parse_args(argv)
    if args.quick:
        args.runs, args.big = 1_000, 10_000
    if args.rounds < 1 or args.runs < 1:
        ap.error("--rounds and --runs must be positive")
    if not args.skip_big and args.big <= args.runs:
        ap.error("--big must exceed --runs")
    return args


def find_pyref(shared: str) -> tuple:
    """Return (pyref report.py or None, why not): a clone without the team's folder still times ours and the floor."""
    pyref = os.path.join(shared, "peers", "pyref", "report.py")
    if not os.path.isfile(pyref):
        return None, f"no pyref: {pyref} not found; --shared DIR names the team's shared folder"
    if subprocess.run([sys.executable, "-c", "import jinja2, markupsafe"], capture_output=True).returncode:
        return None, f"no pyref: {sys.executable} cannot import jinja2 and markupsafe, which pyref needs"
    return pyref, None


def build_binary() -> str:
    """Build the release product and return its path, so we never time a debug build."""
    log(f"building {PRODUCT} (release) in {ROOT}")
    if subprocess.run(["swift", "build", "-c", "release", "--product", PRODUCT], cwd=ROOT,
                      stdout=sys.stderr).returncode:
        fail("swift build failed (or pass --binary PATH)")
    return release_binary()


def release_binary() -> str:
    """Ask SwiftPM where release products live instead of guessing the triple folder."""
    p = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
                       capture_output=True, text=True)
    if p.returncode:
        fail(f"swift build --show-bin-path failed:\n{p.stderr[-2000:]}")
    return os.path.join(p.stdout.strip(), PRODUCT)


def floor_missing() -> str | None:
    """Why there is no parse floor, if there is none: it is orjson's time, so only orjson makes it."""
    if subprocess.run([sys.executable, "-c", "import orjson"], capture_output=True).returncode:
        return f"no orjson floor: {sys.executable} cannot import orjson; " \
            f"`{sys.executable} -m pip install orjson` installs it"
    return None


def machine_facts() -> dict:
    """Facts needed to compare numbers across machines."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    try:
        out = subprocess.run(["swift", "--version"], capture_output=True, text=True)
        swift = (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError):
        swift = "swift not found"
    return {"cpu": cpu, "cores": os.cpu_count(), "swift": swift,
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "kernel": platform.release()}


def plan_corpora(args: argparse.Namespace) -> list:
    """Biggest first, so parallel generation finishes as early as possible."""
    corpora = [] if args.skip_big else [Corpus("epoch", args.big)]
    return corpora + [Corpus(kind, args.runs) for kind in FORM_CORPORA]


def generate(corpus: Corpus, folder: str) -> Corpus:
    """Write one corpus with generate.py; the fixed seed makes every machine time the same input.
    A corpus already in `folder` is reused when NAME.complete beside it records the same command
    and the SHA-256 of the same generator."""
    corpus.path = os.path.join(folder, corpus.name)
    form = "epoch" if corpus.kind == "jsonl" else corpus.kind
    cmd = [sys.executable, GENERATOR, "--runs", str(corpus.runs), "--seed", SEED, "--out", corpus.path,
           "--timestamps", form] + (["--jsonl"] if corpus.kind == "jsonl" else [])
    with open(GENERATOR, "rb") as f:
        made_by = json.dumps({"command": cmd[1:], "generator": hashlib.sha256(f.read()).hexdigest()})
    marker = corpus.path + ".complete"
    if os.path.isfile(marker):
        with open(marker) as f:
            if f.read() == made_by:
                paths = corpus_files(corpus.path)
                corpus.files, corpus.bytes = len(paths), sum(os.path.getsize(p) for p in paths)
                return corpus
        os.remove(marker)
    shutil.rmtree(corpus.path, ignore_errors=True)
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        fail(f"generating {corpus.name} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    paths = corpus_files(corpus.path)
    corpus.files, corpus.bytes = len(paths), sum(os.path.getsize(p) for p in paths)
    with open(marker, "w") as f:
        f.write(made_by)
    return corpus


def generate_all(corpora: list, folder: str) -> None:
    """Generation is single-threaded per corpus, so run one per core."""
    log(f"generating or reusing {', '.join(c.name for c in corpora)} in {folder}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for c in pool.map(lambda c: generate(c, folder), corpora):
            log(f"  {c.name}: {c.files} files, {c.bytes / 1e6:.1f} MB")
    # Gigabytes of freshly written corpora would otherwise be written back to disk during the first
    # timed runs, and slow whichever tool happens to run then.
    os.sync()


def corpus_files(path: str) -> list:
    return [os.path.join(d, n) for d, _, names in os.walk(path) for n in names]


def warm_up(corpus: Corpus) -> None:
    """Read every byte once untimed, so the first timed tool does not pay for cold pages."""
    for p in corpus_files(corpus.path):
        with open(p, "rb") as f:
            while f.read(1 << 20):
                pass


def make_tools(binary: str, previous: str | None, pyref: str | None, floor: bool) -> dict:
    """The tools this machine can run: ours always, the others when they are there."""
    py = sys.executable
    tools = {"ours": Tool("ours", lambda src, out: [binary, src, "--output-dir", out], (0, 1), OUR_OUTPUTS)}
    if previous:
        tools["previous"] = Tool("previous", lambda src, out: [previous, src, "--output-dir", out], (0, 1),
                                 OUR_OUTPUTS)
    if pyref:
        tools["pyref"] = Tool("pyref", lambda src, out: [py, pyref, src, "--out", out], (0, 1), PYREF_OUTPUTS)
    if floor:
        tools["orjson-floor"] = Tool("orjson-floor", lambda src, out: [py, "-c", FLOOR_SCRIPT, src], (0,), ())
    return tools


def timed(argv: list) -> tuple:
    """Run argv once; return (wall s, peak RSS KiB, exit code, stderr tail).

    os.wait4 reports the rusage of exactly this child (and its reaped descendants), so
    RSS of other rounds or of this harness never leaks into the number."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-2000:].decode(errors="replace")
    return wall, usage.ru_maxrss, proc.returncode, tail


def run_once(tool: Tool, corpus: Corpus, rnd: int, tmp: str) -> Sample:
    """Time one run into a fresh output folder, check it did its job, then delete the output."""
    out = tempfile.mkdtemp(prefix=f"out-{tool.name}-", dir=tmp)
    argv = tool.argv(corpus.path, out)
    wall, rss, code, tail = timed(argv)
    if code not in tool.exit_ok:
        fail(f"{tool.name} on {corpus.name} exited {code}: {shlex.join(argv)}\n{tail}")
    missing = [f for f in tool.outputs if not os.path.isfile(os.path.join(out, f))]
    if missing:
        fail(f"{tool.name} on {corpus.name} did not write {', '.join(missing)}: {shlex.join(argv)}")
    shutil.rmtree(out)
    log(f"  {corpus.name:<13} {tool.name:<12} round {rnd}: {wall:7.2f} s {rss / 1024:7.1f} MiB exit {code}")
    return Sample(corpus.name, tool.name, rnd, wall, rss, code)


def measure(corpora: list, tools: dict, args: argparse.Namespace, tmp: str) -> list:
    """Alternate tools within each round so drift (thermal, noisy neighbours) hits all alike."""
    samples = []
    for c in corpora:
        warm_up(c)
        os.sync()
        names = ["ours"] + (["previous"] if "previous" in tools else []) \
            + (["pyref"] if "pyref" in tools and (args.pyref_all or c.name == f"epoch-{args.runs}") else []) \
            + (["orjson-floor"] if "orjson-floor" in tools else [])
        for rnd in range(1, args.rounds + 1):
            samples += [run_once(tools[n], c, rnd, tmp) for n in names]
    return samples


def summarize(samples: list) -> dict:
    """(corpus, tool) -> median wall, peak RSS over rounds, and all walls."""
    groups: dict = {}
    for s in samples:
        groups.setdefault((s.corpus, s.tool), []).append(s)
    return {key: {"median_s": statistics.median(s.wall_s for s in g),
                  "peak_rss_kib": max(s.maxrss_kib for s in g),
                  "walls_s": [round(s.wall_s, 3) for s in g]}
            for key, g in groups.items()}


def compute_ratios(stats: dict, args: argparse.Namespace, dropped: dict, tool: str = "ours") -> list:
    """The five targets for `tool` (ours, or the previous build); a ratio whose inputs were not measured is
    SKIP, not FAIL, and one that needs a tool this machine lacks is DROPPED with `dropped[tool]` as the reason."""
    base = f"epoch-{args.runs}"

    def med(corpus, tool):
        return stats.get((corpus, tool), {}).get("median_s")

    def div(a, b):
        return a / b if a is not None and b else None

    ours, pyref, floor = med(base, tool), med(base, "pyref"), med(base, "orjson-floor")
    rss_ours = stats.get((base, tool), {}).get("peak_rss_kib")
    rss_pyref = stats.get((base, "pyref"), {}).get("peak_rss_kib")
    forms = [med(f"{k}-{args.runs}", tool) for k in FORM_CORPORA]
    spread = max(forms) / min(forms) if all(forms) else None
    big = None if args.skip_big else med(f"epoch-{args.big}", tool)
    scale = args.big / args.runs
    return [
        Ratio(f"speedup vs pyref ({base}): pyref / ours", div(pyref, ours), ">=", 20.0, dropped.get("pyref")),
        Ratio(f"ours / orjson floor ({base})", div(ours, floor), "<=", 2.0, dropped.get("orjson-floor")),
        Ratio(f"peak RSS ours / pyref ({base})", div(rss_ours, rss_pyref), "<=", 0.5, dropped.get("pyref")),
        Ratio(f"timestamp forms max / min ({', '.join(FORM_CORPORA)} @ {args.runs})", spread, "<=", 1.5),
        Ratio(f"linearity ours(epoch-{args.big}) / ours({base})", div(big, ours), "<=", round(1.1 * scale, 2)),
    ]


def print_report(facts: dict, command: str, binary: str, corpora: list, stats: dict,
                 ratios: list, rounds: int, previous: list = None) -> None:
    print(f"Machine: {facts['cpu']}, {facts['cores']} cores, Linux {facts['kernel']}")
    print(f"Swift:   {facts['swift']}")
    print(f"Python:  {facts['python']}")
    print(f"Command: {command}")
    print(f"Binary:  {binary}")
    print(f"\nCorpora (Benchmarks/generate.py --seed {SEED}):")
    print("| corpus | runs | files | MB |\n|---|---:|---:|---:|")
    for c in corpora:
        print(f"| {c.name} | {c.runs} | {c.files} | {c.bytes / 1e6:.1f} |")
    print(f"\nResults (median wall of {rounds} alternating round(s); peak RSS = max over rounds):")
    print("| corpus | tool | median s | all runs s | peak RSS MiB |\n|---|---|---:|---|---:|")
    for (corpus, tool), st in stats.items():
        walls = " ".join(f"{w:.2f}" for w in st["walls_s"])
        print(f"| {corpus} | {tool} | {st['median_s']:.3f} | {walls} | {st['peak_rss_kib'] / 1024:.1f} |")
    print("\nTargets:")
    for i, r in enumerate(ratios, 1):
        value = "n/a" if r.value is None else f"{r.value:.3f}"
        why = f" ({r.dropped})" if r.dropped else ""
        print(f"{i}. {r.label}: {value} (target {r.op} {r.target:g}) {r.verdict}{why}")
    if previous:
        print("\nSide by side with the previous build (same rounds, alternating):")
        print("| target | previous | ours |\n|---|---:|---:|")
        for i, (old, new) in enumerate(zip(previous, ratios), 1):
            shown = [r.verdict if r.value is None else f"{r.value:.3f} {r.verdict}" for r in (old, new)]
            print(f"| {i} | {shown[0]} | {shown[1]} |")
        print("\n| corpus | ours / previous, median wall | ours / previous, peak RSS |\n|---|---:|---:|")
        for c in corpora:
            new, old = stats.get((c.name, "ours")), stats.get((c.name, "previous"))
            if new and old:
                print(f"| {c.name} | {new['median_s'] / old['median_s']:.3f} "
                      f"| {new['peak_rss_kib'] / old['peak_rss_kib']:.3f} |")


def write_json(path: str, facts: dict, command: str, binary: str, args, corpora, samples, stats,
               ratios) -> None:
    doc = {
        "command": command, "machine": facts, "binary": binary, "rounds": args.rounds, "seed": int(SEED),
        "corpora": [{k: v for k, v in asdict(c).items() if k != "path"} | {"name": c.name} for c in corpora],
        "samples": [asdict(s) for s in samples],
        "summary": [{"corpus": c, "tool": t} | st for (c, t), st in stats.items()],
        "ratios": [asdict(r) | {"verdict": r.verdict} for r in ratios],
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def main(argv: list) -> int:
    args = parse_args(argv)
    command = shlex.join([sys.executable, os.path.abspath(__file__)] + argv)
    pyref, no_pyref = find_pyref(os.path.abspath(args.shared))
    no_floor = floor_missing()
    dropped = {name: why for name, why in (("pyref", no_pyref), ("orjson-floor", no_floor)) if why}
    for why in dropped.values():
        log(f"{why}; the targets that need it are dropped")
    binary = os.path.abspath(args.binary) if args.binary else \
        (release_binary() if args.no_build else build_binary())
    if not os.access(binary, os.X_OK):
        fail(f"{binary} is missing or not executable (build it, or pass --binary PATH)")
    if args.previous:
        args.previous = os.path.abspath(args.previous)
        if not os.access(args.previous, os.X_OK):
            fail(f"{args.previous} is missing or not executable")
    facts = machine_facts()
    tmp = tempfile.mkdtemp(prefix="inspector-bench-")
    try:
        corpora = plan_corpora(args)
        if args.corpora:
            os.makedirs(args.corpora, exist_ok=True)
        generate_all(corpora, os.path.abspath(args.corpora) if args.corpora else tmp)
        samples = measure(corpora, make_tools(binary, args.previous, pyref, not no_floor), args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    stats = summarize(samples)
    ratios = compute_ratios(stats, args, dropped)
    previous = compute_ratios(stats, args, dropped, "previous") if args.previous else None
    print_report(facts, command, binary, corpora, stats, ratios, args.rounds, previous)
    if args.json:
        write_json(args.json, facts, command, binary, args, corpora, samples, stats, ratios)
    return 1 if args.strict and any(r.verdict == "FAIL" for r in ratios) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
