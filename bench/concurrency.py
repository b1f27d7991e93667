"""Concurrency: 20 gather_context calls over HTTP at once against 20 one after another, on the documented team setup
(`serve --transport http --workers 2`, one store shared by the workers), and on a single worker process.

The server runs as its own process on a loopback port, over a generated workspace imported into the store (SQLite,
and PostgreSQL when a server is given: $CUSTOMER_ESCALATION_BENCH_POSTGRES, else a throwaway cluster started from the
PostgreSQL server binaries when they are installed). Each call is one stateless MCP `tools/call` POST; throughput is
calls per second of wall time for the whole batch; the figure is the median of the rounds.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import Results, Row, median
from .workload import generate

CALLS = 20
HEADERS = {"accept": "application/json, text/event-stream", "content-type": "application/json", "mcp-protocol-version": "2025-06-18"}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(home: Path, workers: int, store: str | None, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    import httpx2

    port = _port()
    env = {**os.environ, "CUSTOMER_ESCALATION_HOME": str(home)}
    env.pop("CUSTOMER_ESCALATION_STORE", None)
    if store:
        env["CUSTOMER_ESCALATION_STORE"] = store
    script = str(Path(sys.executable).parent / "customer-escalation")
    with open(log, "wb") as out:
        proc = subprocess.Popen([script, "serve", "--transport", "http", "--port", str(port), "--workspace", "default",
                                 "--workers", str(workers)], stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')}")
        try:
            if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, f"{base}/mcp"
        except httpx2.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not become healthy")


async def _rounds(url: str, texts: list[str], rounds: int) -> tuple[list[float], list[float]]:
    """(sequential, concurrent) seconds for a batch of CALLS, per round."""
    import logging

    import httpx2

    logging.getLogger("httpx2").setLevel(logging.WARNING)  # one line per request otherwise, once logging is configured
    async with httpx2.AsyncClient(timeout=120, limits=httpx2.Limits(max_connections=CALLS * 2)) as http:
        async def call(i: int, text: str) -> None:
            body = {"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {"name": "gather_context", "arguments": {"issue": text}}}
            r = await http.post(url, json=body, headers=HEADERS)
            if r.status_code != 200 or '"isError":true' in r.text or '"result"' not in r.text:
                raise RuntimeError(f"gather_context failed: {r.status_code} {r.text[:300]}")

        for i, text in enumerate(texts[:4]):  # warm-up: every worker opens the store and loads what it loads at first use
            await asyncio.gather(*(call(i * CALLS + j, text) for j in range(4)))
        sequential, concurrent = [], []
        for n in range(rounds):
            batch = texts[n * CALLS % len(texts):][:CALLS] or texts[:CALLS]
            started = time.perf_counter()
            for i, text in enumerate(batch):
                await call(i, text)
            sequential.append(time.perf_counter() - started)
            started = time.perf_counter()
            await asyncio.gather(*(call(i, text) for i, text in enumerate(batch)))
            concurrent.append(time.perf_counter() - started)
    return sequential, concurrent


def _measure(home: Path, workers: int, store: str | None, texts: list[str], rounds: int, workdir: Path) -> tuple[float, float]:
    proc, url = _serve(home, workers, store, workdir / f"server-{workers}-{'pg' if store else 'sqlite'}.log")
    try:
        sequential, concurrent = asyncio.run(_rounds(url, texts, rounds))
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        proc.kill()  # nothing once it has exited
    return CALLS / median(sequential), CALLS / median(concurrent)


def _postgres(workdir: Path) -> tuple[str | None, Any]:
    """A PostgreSQL URL for the bench, and what stops it (None when no server is available)."""
    url = os.environ.get("CUSTOMER_ESCALATION_BENCH_POSTGRES")
    if url:
        return url, None
    import importlib.util

    if importlib.util.find_spec("psycopg") is None:  # the `postgres` extra is not installed
        return None, None
    try:
        from tests import pg_cluster  # the repository root is on the path (bench/__main__.py)

        pg_cluster.server_bin()
    except (ImportError, RuntimeError):
        return None, None
    folder = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    url = pg_cluster.start(folder)

    def stop() -> None:
        pg_cluster.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)

    return url, stop


def _import(home: Path, path: Path, store: str | None) -> None:
    from customer_escalation.store import Store, read_workspace_file

    s = Store(home, "default", url=store)
    s.import_workspace(read_workspace_file(path), replace=True)
    s.close()


def run(results: Results, workdir: Path, *, tickets: int = 10_000, rounds: int = 5, seed: int = 7) -> None:
    generated = generate(tickets, seed=seed, n_queries=max(CALLS * rounds, 40))
    path = generated.write(workdir / f"concurrency-{tickets}.json")
    texts = [q.text for q in generated.queries]
    home = workdir / "concurrency-home"
    _import(home, path, None)
    setups: list[tuple[str, str | None, int]] = [("SQLite", None, 2), ("SQLite", None, 1)]
    pg_url, stop = _postgres(workdir)
    try:
        if pg_url:
            _import(workdir / "concurrency-pg-home", path, pg_url)
            setups.insert(1, ("PostgreSQL", pg_url, 2))
        for label, store, workers in setups:
            seq, conc = _measure(workdir / ("concurrency-pg-home" if store else "concurrency-home"), workers, store, texts, rounds, workdir)
            documented = workers == 2
            results.add(Row("concurrency", f"{CALLS} concurrent gather_context over HTTP, {workers} worker process{'es' if workers > 1 else ''}, "
                            f"{label} store, {tickets:,} tickets: throughput, median of {rounds}", conc, "calls/s",
                            f"{CALLS} sequential, same server", seq,
                            target=">= 1.6x" if documented and label == "SQLite" else "",
                            ok=(conc / seq >= 1.6) if documented and label == "SQLite" else None))
    finally:
        if stop:
            stop()
