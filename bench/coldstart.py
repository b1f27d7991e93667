"""Cold start: process start to the first tools/list answer over stdio, what a client waits for at launch.

Against the floor (bench/floor_server.py: a bare MCPServer, one trivial tool, same SDK) and a published
reference server (mcp-server-time from PyPI, on the same SDK). Runs interleave so that load on the machine
falls on all three alike. Also lists the heavy modules loaded before that answer (PYTHONPROFILEIMPORTTIME), and
who imported them. The workspace itself is opened at the first tool call, not at start.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .common import BIN, PYTHON, ROOT, Results, Row, bench_env, median, spawn_and_list

# must load when first needed, never at start: connectors, the brief and its templates (jinja2), gather
# (the HTTP stack, starlette and uvicorn, is the SDK's own import: the floor loads it too)
DEFERRED = ("customer_escalation.connectors.", "jinja2", "customer_escalation.brief", "customer_escalation.gather")
# worth knowing when they load at start (reported, not a target): the store module and sqlite3, YAML
NOTABLE = ("customer_escalation.store", "sqlite3", "yaml")


def commands() -> dict[str, list[str]]:
    time_server = shutil.which("mcp-server-time", path=str(BIN))
    return {
        "customer-escalation": [str(BIN / "customer-escalation"), "serve", "--workspace", "sample"],
        "floor": [PYTHON, str(ROOT / "bench" / "floor_server.py")],
        "mcp-server-time": [time_server] if time_server else [PYTHON, "-m", "mcp_server_time"],
    }


def _importtime(cmd: list[str], home: Path, log: Path) -> dict[str, tuple[int, str]]:
    """Module -> (its own import time in microseconds, the module that imported it), for the modules loaded
    before the first tools/list answer."""
    spawn_and_list(cmd, bench_env(home, PYTHONPROFILEIMPORTTIME="1"), stderr_path=log)
    rows = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            own, _, name = line.removeprefix("import time:").split("|")
            if own.strip().isdigit():
                rows.append((name.strip(), int(own), len(name) - len(name.lstrip())))
    modules = {}
    for i, (name, own, depth) in enumerate(rows):  # post-order: the importer is the next line one level up
        importer = next((n for n, _, d in rows[i + 1:] if d < depth), "")
        modules[name] = (own, importer)
    return modules


def imported_at_start(home: Path) -> tuple[list[str], list[str], float]:
    """Modules our server loads before its first tools/list answer that the floor does not (the SDK itself brings
    starlette and uvicorn), each with the module that imported it: (deferred ones loaded, notable ones loaded,
    import time of everything the floor does not load)."""
    cmds = commands()
    ours = _importtime(cmds["customer-escalation"], home, home / "importtime-ours.txt")
    floor = _importtime(cmds["floor"], home, home / "importtime-floor.txt")
    extra = {name: v for name, v in ours.items() if name not in floor}

    def found(prefixes: tuple[str, ...]) -> list[str]:
        hits = []
        for name, (_, importer) in extra.items():
            if name.startswith(prefixes) and not (importer.startswith(prefixes) and importer in extra):
                hits.append(f"{name} (imported by {importer or 'the command'})")
        return sorted(hits)

    return found(DEFERRED), found(NOTABLE), sum(own for own, _ in extra.values()) / 1e6


def run(results: Results, *, runs: int = 12) -> None:
    cmds = commands()
    times: dict[str, list[float]] = {name: [] for name in cmds}
    rss: dict[str, list[int]] = {name: [] for name in cmds}
    cpu: dict[str, list[float]] = {name: [] for name in cmds}
    tools: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        home = Path(tmp)
        env = bench_env(home)
        for cmd in cmds.values():  # warm-up: bytecode compiled, files in the page cache
            spawn_and_list(cmd, env)
        for _ in range(runs):
            for name, cmd in cmds.items():
                got = spawn_and_list(cmd, env)
                times[name].append(got.seconds_to_list)
                rss[name].append(got.max_rss_kb)
                cpu[name].append(got.cpu_seconds)
                tools[name] = len(got.tools)
        deferred, notable, own_seconds = imported_at_start(home)
    ours, floor, ref = (median(times[n]) for n in ("customer-escalation", "floor", "mcp-server-time"))
    paired = median([a / b for a, b in zip(times["customer-escalation"], times["floor"])])
    results.add(
        Row("cold start", f"stdio spawn -> tools/list ({tools['customer-escalation']} tools), median of {runs}", ours * 1000, "ms",
            "floor: bare MCPServer, 1 tool", floor * 1000, "<= 1.25x floor", ours <= 1.25 * floor),
        Row("cold start", f"same, mcp-server-time ({tools['mcp-server-time']} tools), median of {runs}", ref * 1000, "ms",
            "floor: bare MCPServer, 1 tool", floor * 1000, note="published reference server, same SDK"),
        Row("cold start", "ours vs mcp-server-time", ours * 1000, "ms", "mcp-server-time", ref * 1000),
        Row("cold start", f"ours / floor, run by run (median of {runs} ratios of neighbouring runs)", paired, "x", "", None,
            note="pairs runs made seconds apart, so load that comes and goes cancels out"),
        Row("cold start", f"CPU time (user+sys) to tools/list and exit, median of {runs}", median(cpu["customer-escalation"]) * 1000,
            "ms", "floor: bare MCPServer, 1 tool", median(cpu["floor"]) * 1000,
            note="less sensitive than wall time to other load on the machine"),
        Row("cold start", "peak RSS at first tools/list", median(rss["customer-escalation"]) / 1024, "MiB",
            "floor: bare MCPServer, 1 tool", median(rss["floor"]) / 1024),
        Row("cold start", "connectors, templates (jinja2), gather loaded before first tools/list", len(deferred), "modules",
            "the floor loads none", None, "0", not deferred, note=", ".join(deferred) or "none"),
        Row("cold start", "store module, sqlite3, YAML loaded before first tools/list", len(notable), "modules",
            "the floor loads none", None, note=", ".join(notable) or "none"),
        Row("cold start", "import time of modules the floor does not load", own_seconds * 1000, "ms",
            "floor: bare MCPServer, 1 tool", floor * 1000),
    )
