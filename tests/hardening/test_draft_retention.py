"""Drafts are kept for a configurable time (default 30 days since last use), so the store stops growing with every brief.

Time passing is simulated by moving drafts' last-use stamps back, as the database would hold them after that many
days; a new draft then deletes those past the retention and keeps the rest. Filed escalations keep their brief in
the log, so deleting their drafts loses nothing.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from mcp import Client

from customer_escalation import cli
from customer_escalation.server import build_server
from customer_escalation.service import Service
from customer_escalation.settings import Settings
from customer_escalation.store import Store
from tests.helpers import SMALL

pytestmark = pytest.mark.anyio


def age(home: Path, draft_id: str, days: float) -> None:
    """Make a draft last used `days` ago."""
    db = sqlite3.connect(home / "state.db")
    db.execute("UPDATE drafts SET created_at = ? WHERE id = ?",
               ((datetime.now(timezone.utc) - timedelta(days=days)).isoformat(), draft_id))
    db.commit()
    db.close()


def draft_ids(home: Path) -> set[str]:
    db = sqlite3.connect(home / "state.db")
    try:
        return {r[0] for r in db.execute("SELECT id FROM drafts")}
    finally:
        db.close()


def test_a_new_draft_deletes_those_unused_for_30_days_and_keeps_the_rest(tmp_path):
    home = tmp_path / "home"
    store = Store(home, "empty", clock=lambda: datetime.now(timezone.utc))  # the caller's clock: real time here
    old, recent, used_again = (store.save_draft("chain", {"n": i}) for i in range(3))
    age(home, old, 31)
    age(home, recent, 29)
    age(home, used_again, 45)
    store.save_draft("chain", {"n": "updated"}, used_again)  # saving an existing draft is a use: it stays
    new = store.save_draft("chain", {"n": "new"})
    assert draft_ids(home) == {recent, used_again, new}
    assert store.load_draft(old) is None and store.load_draft(recent) == {"n": 1}
    store.close()


async def test_the_retention_is_a_setting_and_applies_through_the_tools(tmp_path, monkeypatch):
    monkeypatch.setenv("CUSTOMER_ESCALATION_DRAFT_DAYS", "7")
    home = tmp_path / "home"
    settings = Settings.from_env(workspace=SMALL, home=home, enable_writes=True)
    assert settings.draft_days == 7
    async with Client(build_server(Service(settings, connectors=list))) as c:
        first = await c.call_tool("render_brief", {"issue": "CSV export is missing rows", "account": "Acme Corp"})
        kept = await c.call_tool("gather_context", {"issue": "Dashboard timezone off by one hour"})
        first_id, kept_id = first.structured_content["draft_id"], kept.structured_content["draft_id"]
        filed = await c.call_tool("file_escalation", {"draft_id": first_id, "destinations": "log", "confirm": True})
        escalation = filed.structured_content["escalation"]["id"]
        age(home, first_id, 8)
        age(home, kept_id, 6)
        await c.call_tool("gather_context", {"issue": "SSO login loop"})  # a new draft
        assert first_id not in draft_ids(home) and kept_id in draft_ids(home)
        gone = await c.call_tool("assess_impact", {"draft_id": first_id})
        assert gone.is_error and "call gather_context" in gone.content[0].text
        shown = await c.call_tool("show_escalation", {"escalation_id": escalation})  # the log keeps the filed brief
        assert not shown.is_error and shown.structured_content["brief_markdown"].startswith("# ESCALATION")
        again = await c.call_tool("file_escalation", {"draft_id": first_id, "destinations": "log", "confirm": True})
        assert not again.is_error and again.structured_content["escalation"]["id"] == escalation  # never filed twice


@pytest.mark.parametrize("value", ["0", "-3", "soon", "inf"])
def test_a_bad_retention_setting_is_refused_with_a_message(tmp_path, monkeypatch, capsys, value):
    monkeypatch.setenv("CUSTOMER_ESCALATION_DRAFT_DAYS", value)
    code = cli.main(["brief", "CSV export is missing rows", "--workspace", SMALL, "--home", str(tmp_path)])
    assert code == 2 and "CUSTOMER_ESCALATION_DRAFT_DAYS must be a number of days" in capsys.readouterr().err
