"""Fan-out: gather_context over 8 loopback sources with latencies from 50 to 400 ms, and with one source hung.

Each source is a product connector, configured from the environment as the product does it, against its loopback
fake from tests/fakes/; a category with no connector yet is served by a small object implementing the category
interface over loopback HTTP with the product's HTTP client. The fakes run in their own process
(bench/fake_systems.py), like real remote systems. Each fake's per-request latency is set so that the source's
whole part (account lookup, search, comments...) takes its target time.

The reference, measured in the same run: the slowest source alone through the same path (gather_context with
only that source), so the ratio is what fanning out costs over waiting for the slowest system.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import PYTHON, ROOT, Results, Row, median

ISSUE = "CSV export is missing rows"
ACCOUNT = "Acme Corp"
LATENCIES_MS = [50, 100, 150, 200, 250, 300, 350, 400]


class FakeSystems:
    """The fakes' process (bench/fake_systems.py) and its command line protocol."""

    def __init__(self, count: int):
        self.proc = subprocess.Popen([PYTHON, str(ROOT / "bench" / "fake_systems.py"), str(count)], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.sources: list[dict[str, Any]] = json.loads(self.proc.stdout.readline())["sources"]

    def __call__(self, op: str, system: str = "", **args: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"op": op, "system": system, **args}) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        if not answer.get("ok"):
            raise RuntimeError(answer.get("error", answer))
        return answer

    def close(self) -> None:
        try:
            self("stop")
        finally:
            self.proc.wait(10)


class LoopbackSource:
    """A category connector for a system that has no product connector yet: one search request over loopback
    HTTP with the product's HTTP client (retries, timeouts, trusted errors)."""

    def __init__(self, name: str, category: str, url: str, settings: Any):
        from customer_escalation.connectors.base import HttpSource

        self.name, self.category = name, category
        self.http = HttpSource(name=name, base_url=url, settings=settings)

    async def check(self) -> None:
        await self.http.get_json("search", params={"q": "check"})

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _items(self, query: Any) -> list[dict[str, Any]]:
        return (await self.http.get_json("search", params={"q": " ".join(query.keywords)}))["items"]

    async def search_items(self, query: Any) -> Any:  # Tracker
        from customer_escalation.connectors.base import Page
        from customer_escalation.models import TrackerItem

        return Page([TrackerItem(id=f"{self.name}-{i['id']}", title=i["title"], source=self.name) for i in await self._items(query)])

    async def search_articles(self, query: Any) -> Any:  # KnowledgeBase
        from customer_escalation.connectors.base import Page
        from customer_escalation.models import KBArticle

        return Page([KBArticle(id=f"{self.name}-{i['id']}", title=i["title"], source=self.name) for i in await self._items(query)])

    async def search_messages(self, query: Any) -> Any:  # Chat
        from customer_escalation.connectors.base import Page
        from customer_escalation.models import ChatThread

        return Page([ChatThread(id=f"{self.name}-{i['id']}", channel="#support", topic=i["title"], source=self.name)
                     for i in await self._items(query)])


def _connectors(chosen: list[dict[str, Any]], http: Any) -> list[Any]:
    from customer_escalation.connectors.registry import from_env

    out: list[Any] = []
    for source in chosen:
        if source["real"]:
            configured = from_env(source["env"], http, only={source["system"]})
            if configured.misconfigured or not configured.connectors:
                raise RuntimeError(f"{source['system']}: not configured from {sorted(source['env'])}: {configured.misconfigured}")
            out += configured.connectors
        else:
            out.append(LoopbackSource(source["system"], source["category"], source["url"], http))
    return out


def _service(home: Path, chosen: list[dict[str, Any]], deadline: float) -> Any:
    """The product's service on the sample workspace; it builds its connectors afresh for every call, as it does
    from the environment."""
    from customer_escalation.connectors.base import HttpSettings
    from customer_escalation.service import Service
    from customer_escalation.settings import Settings

    settings = Settings(workspace="sample", home=home, gather_deadline=deadline)
    http = HttpSettings(timeout=settings.source_timeout, max_retries=1)  # as Service.connectors() configures them
    return Service(settings, connectors=lambda: _connectors(chosen, http))


async def _timed(service: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    chain = await service.gather_context(ISSUE, ACCOUNT)
    return time.perf_counter() - started, chain


def _state(chain: Any, system: str) -> str:
    return next((s.state for s in chain.context.sources if s.source == system), "missing")


def run(results: Results, *, runs: int = 5, hung_runs: int = 3, deadline: float = 4.0,
        latencies_ms: list[int] | None = None) -> None:
    latencies = latencies_ms or LATENCIES_MS
    fakes = FakeSystems(len(latencies))
    try:
        with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
            asyncio.run(_run(results, Path(tmp), fakes, latencies, runs, hung_runs, deadline))
    finally:
        fakes.close()


async def _run(results: Results, home: Path, fakes: FakeSystems, latencies: list[int], runs: int, hung_runs: int,
               deadline: float) -> None:
    chosen = fakes.sources
    alone_services = {s["system"]: _service(home / s["system"], [s], deadline) for s in chosen}
    everything = _service(home / "all", chosen, deadline)
    # calibrate: requests each source's part makes, so the fake's per-request latency adds up to the target
    per_source: dict[str, float] = {}
    for source, target_ms in zip(chosen, latencies):
        system, service = source["system"], alone_services[source["system"]]
        await _timed(service)  # warm-up: imports, the workspace loaded
        before = fakes("requests", system)["requests"]
        _, chain = await _timed(service)
        if _state(chain, system) != "ok":
            raise RuntimeError(f"{system} answered {_state(chain, system)} against its fake")
        fakes("latency", system, seconds=target_ms / 1000 / max(1, fakes("requests", system)["requests"] - before))
        per_source[system] = median([(await _timed(service))[0] for _ in range(max(1, min(3, runs)))])
    slowest_name = max(per_source, key=per_source.__getitem__)
    slowest = per_source[slowest_name]

    await _timed(everything)
    totals = []
    for _ in range(runs):
        elapsed, chain = await _timed(everything)
        bad = [(s.source, s.state) for s in chain.context.sources if s.state != "ok"]
        if bad:
            raise RuntimeError(f"sources not ok in the fan-out: {bad}")
        totals.append(elapsed)
    total = median(totals)

    # one source hung: it accepts the connection and never answers
    hung = chosen[-1]["system"]
    hung_times, states = [], set()
    fakes("hang", hung)
    try:
        for _ in range(hung_runs):
            elapsed, chain = await _timed(everything)
            hung_times.append(elapsed)
            states.add(_state(chain, hung))
    finally:
        fakes("clear", hung)
    hung_elapsed = max(hung_times)

    real = [s["system"] for s in chosen if s["real"]]
    loop = [s["system"] for s in chosen if not s["real"]]
    results.add(
        Row("fan-out", f"gather_context over {len(chosen)} sources ({min(latencies)}-{max(latencies)} ms), median of {runs}",
            total * 1000, "ms", f"slowest source alone ({slowest_name})", slowest * 1000, "<= 1.15x slowest",
            total <= 1.15 * slowest),
        Row("fan-out", f"one source hung ({hung}), worst of {hung_runs}", hung_elapsed * 1000, "ms",
            f"gather deadline ({deadline:g} s)", deadline * 1000, "<= deadline + 100 ms", hung_elapsed <= deadline + 0.1,
            note=f"hung source reported as {', '.join(sorted(states))}"),
    )
    results.notes.append(
        "Fan-out sources: product connectors against their loopback fakes: " + (", ".join(real) or "none")
        + (f"; the category interface over loopback HTTP (no product connector yet): {', '.join(loop)}" if loop else "")
        + ". Each source alone, target latency -> measured gather_context (ms): "
        + ", ".join(f"{s['system']} {t} -> {per_source[s['system']] * 1000:.0f}" for s, t in zip(chosen, latencies)) + "."
    )
