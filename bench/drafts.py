"""Store size over time: state.db after weeks of briefs, with the draft retention (default 30 days) against keeping all.

Each simulated day renders `per_day` briefs on the sample workspace through the service (gather, assess, render, as
the tools chain them), then moves every draft's last use back one day, as a day passing would. The figure is the size
of state.db at the end (WAL checkpointed); the reference is the same run with a retention longer than the run.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from .common import Results, Row

ISSUES = ("SSO login loop affecting all Enterprise customers", "Data export is missing rows",
          "API returning 500 errors intermittently", "Dashboard totals doubled after the last release")


def size_after(home: Path, *, days: int, per_day: int, draft_days: float) -> tuple[int, int]:
    """(bytes of state.db, drafts kept) after `days` simulated days."""
    from customer_escalation.service import Service
    from customer_escalation.settings import Settings

    service = Service(Settings(workspace="sample", home=home, draft_days=draft_days), connectors=list)
    for day in range(days):
        for i in range(per_day):
            asyncio.run(service.run(f"{ISSUES[i % len(ISSUES)]} (day {day}, report {i})"))
        with service.store.transaction() as db:  # a day passes
            for draft_id, used in db.execute("SELECT id, created_at FROM drafts").fetchall():
                db.execute("UPDATE drafts SET created_at = ? WHERE id = ?",
                           ((datetime.fromisoformat(used) - timedelta(days=1)).isoformat(), draft_id))
    kept = service.store.connection.execute("SELECT count(*) FROM drafts").fetchone()[0]
    service.close()
    db = sqlite3.connect(home / "state.db")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return (home / "state.db").stat().st_size, kept


def run(results: Results, *, days: int = 90, per_day: int = 7) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-drafts-") as tmp:
        size, kept = size_after(Path(tmp) / "kept", days=days, per_day=per_day, draft_days=30)
        all_size, all_kept = size_after(Path(tmp) / "all", days=days, per_day=per_day, draft_days=days + 1)
    results.add(Row("drafts", f"state.db after {days * per_day} briefs over {days} days, drafts kept 30 days ({kept} left)",
                    size / 1024 / 1024, "MiB", f"every draft kept ({all_kept})", all_size / 1024 / 1024))
