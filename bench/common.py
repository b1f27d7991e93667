"""What every bench shares: result rows, statistics, the machine, a raw stdio MCP client, child resource use."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
PROTOCOL_VERSION = "2025-11-25"  # the handshake both SDK eras answer


@dataclass
class Row:
    """One figure: our value against a reference measured in the same run."""

    bench: str
    figure: str
    value: float
    unit: str
    reference: str  # what the ratio is against
    ref_value: float | None
    target: str = ""  # e.g. "<= 1.25x", "< 30 ms"
    ok: bool | None = None  # None: no target
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ref_value in (None, 0):
            return None
        return self.value / self.ref_value  # type: ignore[operator]


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *rows: Row) -> None:
        self.rows.extend(rows)


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-95 * len(ordered) // 100) - 1))]


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "n/a"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": f"{platform.system()} {platform.release()}",
        "load": load,
    }


# --- a raw stdio MCP client: the least a client can do, so it adds nothing to what is measured -------------


@dataclass
class Spawned:
    seconds_to_list: float  # process start to the tools/list answer
    tools: list[dict[str, Any]]
    max_rss_kb: int
    cpu_seconds: float  # user + system time of the process, start to exit (robust to load on the machine)
    stderr: str


def _send(proc: subprocess.Popen, message: dict[str, Any]) -> None:
    assert proc.stdin is not None
    proc.stdin.write((json.dumps(message) + "\n").encode())
    proc.stdin.flush()


def _answer(proc: subprocess.Popen, request_id: int) -> dict[str, Any]:
    assert proc.stdout is not None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"server exited before answering request {request_id}")
        message = json.loads(line)
        if message.get("id") == request_id:
            if "error" in message:
                raise RuntimeError(f"request {request_id} failed: {message['error']}")
            return message["result"]


def spawn_and_list(cmd: list[str], env: dict[str, str] | None = None, stderr_path: Path | None = None,
                   timeout: float = 60.0) -> Spawned:
    """Start an MCP server over stdio, initialize, ask tools/list; time from spawn to the answer."""
    err = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=env, cwd=ROOT)
    try:
        _send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": PROTOCOL_VERSION, "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}}})
        _answer(proc, 1)
        _send(proc, {"jsonrpc": "2.0", "method": "notifications/initialized"})
        _send(proc, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
        tools = _answer(proc, 2)["tools"]
        elapsed = time.perf_counter() - started
    finally:
        assert proc.stdin is not None
        proc.stdin.close()  # end of input: a stdio server exits
        rusage = wait_child(proc, timeout)
        if stderr_path:
            err.close()  # type: ignore[union-attr]
    text = stderr_path.read_text(errors="replace") if stderr_path else ""
    return Spawned(elapsed, tools, rusage.ru_maxrss, rusage.ru_utime + rusage.ru_stime, text)


def wait_child(proc: subprocess.Popen, timeout: float = 60.0):
    """Reap the child and return its own resource use (peak RSS in KiB on Linux)."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return rusage
        if time.monotonic() > deadline:
            proc.kill()
            _, status, rusage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            return rusage
        time.sleep(0.005)


def run_child(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 120.0) -> tuple[float, int, str, int]:
    """Run a command to completion: (wall seconds, peak RSS KiB, stdout, exit code). Stderr is discarded."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    assert proc.stdout is not None
    out = proc.stdout.read()  # read to the end before reaping, so a large output cannot block the child
    rusage = wait_child(proc, timeout)
    return time.perf_counter() - started, rusage.ru_maxrss, out.decode(errors="replace"), proc.returncode or 0


def bench_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment a child runs with: a throwaway data directory, and no connector credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUSTOMER_ESCALATION_", "ZENDESK_", "INTERCOM_", "HUBSPOT_",
                                                                   "SALESFORCE_", "SLACK_", "JIRA_", "LINEAR_", "GITHUB_",
                                                                   "CONFLUENCE_", "NOTION_"))}
    env["CUSTOMER_ESCALATION_HOME"] = str(home)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as users run it: the warm-up writes bytecode, later starts read it
    env.update(extra)
    return env
