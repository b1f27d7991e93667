"""End to end: the README's main command, wall time and the child's peak memory (its own rusage, via wait4).

    customer-escalation brief "SSO login loop affecting all Enterprise customers" --workspace sample

Reference, same run: the floor (a bare MCPServer with one tool, bench/floor_server.py) started and asked
for tools/list: what any Python MCP tool on this SDK costs before doing anything.
"""

from __future__ import annotations

import resource
import tempfile
from pathlib import Path

from .common import BIN, PYTHON, ROOT, Results, Row, bench_env, median, run_child, spawn_and_list

COMMAND = ["brief", "SSO login loop affecting all Enterprise customers", "--workspace", "sample"]


def run(results: Results, *, runs: int = 5) -> None:
    walls, rss, floor_walls, floor_rss = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        env = bench_env(Path(tmp))
        cmd = [str(BIN / "customer-escalation"), *COMMAND]
        floor = [PYTHON, str(ROOT / "bench" / "floor_server.py")]
        if runs > 1:  # warm-up: bytecode compiled, files in the page cache
            run_child(cmd, env)
            spawn_and_list(floor, env)
        for _ in range(runs):
            wall, peak, out, code = run_child(cmd, env)
            if code != 0 or "ESCALATION" not in out.upper():
                raise RuntimeError(f"the brief command failed (exit {code}): {out[:300]}")
            walls.append(wall)
            rss.append(peak)
            got = spawn_and_list(floor, env)
            floor_walls.append(got.seconds_to_list)
            floor_rss.append(got.max_rss_kb)
    # a child's peak RSS includes what it shared with this process before exec: it reads true only while this is smaller
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if own >= min(rss + floor_rss):
        results.notes.append(f"End-to-end peak RSS is overstated: the bench process itself had reached {own / 1024:.0f} MiB "
                             "(run the e2e bench before the others, as `python -m bench` does).")
    results.add(
        Row("end to end", f"`customer-escalation {COMMAND[0]} \"{COMMAND[1]}\" --workspace sample`, wall, median of {runs}",
            median(walls) * 1000, "ms", "floor: bare MCPServer start -> tools/list", median(floor_walls) * 1000),
        Row("end to end", "same, peak RSS of the process", median(rss) / 1024, "MiB", "floor: bare MCPServer", median(floor_rss) / 1024),
    )
