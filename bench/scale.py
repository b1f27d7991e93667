"""Scale: gather_context and related-ticket search at 1k, 10k and 100k tickets, against the smallest size.

gather_context runs through the service with no remote sources (the workspace part of every call), on
generated workspaces imported into a store file as `customer-escalation import` does.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from .common import Results, Row, median, p95
from .workload import generate

SIZES = (1_000, 10_000, 100_000)


def _import(tickets: int, workdir: Path, seed: int) -> Path:
    from customer_escalation.store import Store, read_workspace_file

    home = workdir / f"home-{tickets}"
    path = generate(tickets, seed=seed, n_queries=0).write(workdir / f"workspace-{tickets}.json")
    store = Store(home, "default")
    store.import_workspace(read_workspace_file(path))
    store.close()
    return home


def measure(home: Path, texts: list[str]) -> tuple[list[float], list[float]]:
    """(gather_context seconds, search seconds) per issue text."""
    from customer_escalation.service import Service
    from customer_escalation.settings import Settings
    from customer_escalation.text import keywords

    service = Service(Settings(workspace="default", home=home), connectors=list)

    async def gathers() -> list[float]:
        await service.gather_context(texts[0])  # warm-up
        out = []
        for text in texts:
            t = time.perf_counter()
            await service.gather_context(text)
            out.append(time.perf_counter() - t)
        return out

    gather_times = asyncio.run(gathers())
    search_times = []
    for text in texts:
        t = time.perf_counter()
        service.store.search("ticket", keywords(text), limit=60)
        search_times.append(time.perf_counter() - t)
    service.close()
    return gather_times, search_times


def run(results: Results, workdir: Path, *, sizes: tuple[int, ...] = SIZES, queries: int = 30, seed: int = 7,
        imported: dict[int, Path] | None = None) -> None:
    imported = dict(imported or {})
    # issue texts phrased like the search bench's queries (drawn from a mid-sized workspace's problems)
    texts = [q.text for q in generate(min(max(sizes), 10_000), seed=seed, n_queries=queries).queries]
    measured = {}
    for size in sizes:
        home = imported.get(size) or _import(size, workdir, seed)
        measured[size] = measure(home, texts)
    base = min(sizes)
    g0, s0 = (median(x) for x in measured[base])
    for size in sizes:
        gathers, searches = measured[size]
        results.add(
            Row("scale", f"gather_context at {size:,} tickets, median (p95 {p95(gathers) * 1000:.1f} ms)",
                median(gathers) * 1000, "ms", f"same at {base:,}", g0 * 1000),
            Row("scale", f"related-ticket search at {size:,} tickets, median (p95 {p95(searches) * 1000:.1f} ms)",
                median(searches) * 1000, "ms", f"same at {base:,}", s0 * 1000),
        )
