"""`customer-escalation connectors`: what is configured, and does each system answer with these credentials."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Mapping
from typing import Any

from .base import ConnectorError, HttpSettings
from .registry import SYSTEMS, from_env

_VERDICT = {
    "auth_failed": "bad credentials",
    "unreachable": "unreachable",
    "timed_out": "unreachable (timed out)",
    "misconfigured": "misconfigured",
    "not_found": "misconfigured (not found)",
    "rate_limited": "rate limited (credentials accepted)",
    "error": "error",
    "invalid_request": "error",
}


async def check_all(env: Mapping[str, str], timeout: float = 5.0) -> list[dict[str, Any]]:
    configured = from_env(env, HttpSettings(timeout=timeout, max_retries=0))
    rows: list[dict[str, Any]] = []
    for exc in configured.misconfigured:
        rows.append({"system": exc.source, "category": SYSTEMS.get(exc.source, ("?",))[0], "status": "misconfigured",
                     "detail": exc.message, "fix": exc.fix})

    async def one(connector: Any) -> dict[str, Any]:
        started = time.perf_counter()
        row = {"system": connector.name, "category": connector.category}
        try:
            await asyncio.wait_for(connector.check(), timeout + 1)
            row.update(status="ok", detail=None, fix=None)
        except ConnectorError as exc:
            row.update(status=_VERDICT.get(exc.kind, "error"), detail=exc.message, fix=exc.fix)
        except TimeoutError:
            row.update(status="unreachable (timed out)", detail=f"no answer within {timeout:g}s",
                       fix="check the base URL and network path to the service")
        except Exception as exc:  # report the type only: its text may carry remote content
            row.update(status="error", detail=f"unexpected {type(exc).__name__}", fix=None)
        finally:
            await connector.aclose()
        row["elapsed_ms"] = int((time.perf_counter() - started) * 1000)
        return row

    rows += await asyncio.gather(*(one(c) for c in configured.connectors))
    named = {r["system"] for r in rows}
    for system, (category, switches) in SYSTEMS.items():
        if system not in named:
            rows.append({"system": system, "category": category, "status": "not configured", "detail": None,
                         "fix": f"set {', '.join(switches[:2])} (see CONNECTORS.md)"})
    order = list(SYSTEMS)
    rows.sort(key=lambda r: order.index(r["system"]) if r["system"] in order else 99)
    return rows


def run_cli(args: Any) -> int:
    rows = asyncio.run(check_all(dict(os.environ)))
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(f"{'system':<11} {'category':<15} status")
        for r in rows:
            line = f"{r['system']:<11} {r['category']:<15} {r['status']}"
            if r.get("detail"):
                line += f": {r['detail']}"
            if r.get("fix") and r["status"] != "not configured":
                line += f"\n{'':<28}fix: {r['fix']}"
            print(line)
        print("\nThe local workspace is always consulted.")
    failing = [r for r in rows if r["status"] not in ("ok", "not configured", "rate limited (credentials accepted)")]
    return 1 if failing else 0
