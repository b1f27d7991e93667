"""The four tools through the real MCP protocol (in-memory client)."""

from __future__ import annotations

import pytest
from mcp import Client

from customer_escalation.server import build_server
from tests.helpers import small_service

pytestmark = pytest.mark.anyio


@pytest.fixture
def app(tmp_path):
    return build_server(small_service(tmp_path))


async def test_chain_by_draft_id(app):
    async with Client(app) as c:
        g = await c.call_tool("gather_context", {"issue": "CSV export is missing rows", "account": "Acme Corp"})
        assert not g.is_error
        sc = g.structured_content
        draft = sc["draft_id"]
        assert sc["context"]["account"]["name"] == "Acme Corp"
        assert sc["context"]["customers_reporting"] == 3
        assert {t["id"] for t in sc["context"]["related_tickets"]} >= {"T-1", "T-2", "T-3"}
        assert sc["context"]["tracker_items"][0]["id"] == "ENG-101"
        assert sc["context"]["past_escalations"][0]["id"] == "ESC-7"
        assert sc["context"]["sources"][0] == {**sc["context"]["sources"][0], "source": "workspace", "state": "ok"}

        a = await c.call_tool("assess_impact", {"draft_id": draft, "production_down": "no", "workflow_impact": "blocked"})
        assert not a.is_error
        assessment = a.structured_content["assessment"]
        assert assessment["escalate"] is True and assessment["severity"] == "critical"
        assert {"breadth", "depth", "duration", "revenue", "reputation", "contractual"} <= set(assessment)
        assert any(r["id"] == "impact.data_at_risk" for r in assessment["fired"])

        t = await c.call_tool("choose_tier", {"draft_id": draft})
        routing = t.structured_content["routing"]
        assert routing["target"] == "engineering"
        assert [i["item"] for i in routing["checklist"]][0] == "full reproduction steps"

        b = await c.call_tool("render_brief", {
            "draft_id": draft, "reported_by": "Sam Ortiz (L2)",
            "repro_steps": "Log in as an Enterprise admin on a fresh workspace\nOpen Reports > Orders and click Export CSV for 2026-10-01..2026-10-31",
            "expected": "All 14,203 rows", "actual": "File stops at 10,000 rows", "environment": "Chrome 131, macOS 15, Enterprise plan",
            "frequency": "always", "evidence": "export job log: page_limit=10000", "ruled_out": "same in Firefox; reproduced on a test account",
        })
        assert not b.is_error
        brief = b.structured_content
        md = brief["markdown"]
        assert md.startswith("# ESCALATION: ")
        for heading in ("## Impact", "## Issue description", "## What's been tried", "## Reproduction steps", "## Customer communication",
                        "## What's needed", "## Supporting context"):
            assert heading in md
        assert md.index("## Impact") < md.index("## Issue description") < md.index("## What's needed") < md.index("## Supporting context")
        assert "**Severity:** Critical" in md and "Sam Ortiz (L2)" in md and "ENG-101" in md
        assert brief["repro_gaps"] == []
        assert "what's been tried" in brief["needs_input"]


async def test_tools_work_alone_from_issue_text(app):
    async with Client(app) as c:
        r = await c.call_tool("render_brief", {"issue": "Data export is missing rows - 3 customers reported this week"})
        assert not r.is_error
        assert r.structured_content["target"] == "engineering"
        assert "needs input" in r.structured_content["markdown"]
        assert r.structured_content["repro_gaps"]
        t = await c.call_tool("choose_tier", {"issue": "How do I configure SSO?"})
        assert t.structured_content["routing"]["target"] is None


async def test_reassessing_with_new_facts_updates_the_draft(app):
    async with Client(app) as c:
        g = await c.call_tool("gather_context", {"issue": "Reports page acting weird"})
        draft = g.structured_content["draft_id"]
        first = await c.call_tool("assess_impact", {"draft_id": draft})
        assert first.structured_content["assessment"]["escalate"] is False
        second = await c.call_tool("assess_impact", {"draft_id": draft, "security_concern": "yes"})
        assert second.structured_content["assessment"]["escalate"] is True
        t = await c.call_tool("choose_tier", {"draft_id": draft})
        assert t.structured_content["routing"]["target"] == "security"


@pytest.mark.parametrize("tool, args", [
    ("assess_impact", {"production_down": "no"}),
    ("choose_tier", {}),
    ("render_brief", {"reported_by": "Sam Ortiz (L2)"}),
])
@pytest.mark.parametrize("from_step", ["gathered", "assessed"])
async def test_each_chain_tool_loads_its_draft_once_and_saves_it_once(tmp_path, tool, args, from_step):
    service = small_service(tmp_path)
    calls: list[str] = []
    load, save = service.store.load_draft, service.store.save_draft
    service.store.load_draft = lambda *a, **k: (calls.append("load"), load(*a, **k))[1]
    service.store.save_draft = lambda *a, **k: (calls.append("save"), save(*a, **k))[1]
    async with Client(build_server(service)) as c:
        g = await c.call_tool("gather_context", {"issue": "CSV export is missing rows", "account": "Acme Corp"})
        draft = g.structured_content["draft_id"]
        if from_step == "assessed":
            await c.call_tool("assess_impact", {"draft_id": draft})
        calls.clear()
        r = await c.call_tool(tool, {"draft_id": draft, **args})
        assert not r.is_error and r.structured_content["draft_id"] == draft
        assert calls == ["load", "save"]
        calls.clear()
        alone = await c.call_tool(tool, {"issue": "CSV export is missing rows", "account": "Acme Corp", **args})
        assert not alone.is_error and alone.structured_content["draft_id"] != draft
        assert calls == ["save"]  # a new draft, gathered in the same call: saved once
    stored = service.store.load_draft(draft)
    assert stored is not None and {"issue", "account", "context", "facts", "assessment"} <= set(stored)
    assert ("routing" in stored) == (tool != "assess_impact") and ("brief" in stored) == (tool == "render_brief")


@pytest.mark.parametrize("tool, args, says", [
    ("gather_context", {"issue": "   "}, "issue is empty"),
    ("gather_context", {"issue": "x" * 5000}, "limit is 4000"),
    ("gather_context", {"issue": "export broken", "account": "Acme Crop"}, "Did you mean: Acme Corp"),
    ("assess_impact", {"draft_id": "esc_missing"}, "call gather_context first"),
    ("assess_impact", {}, "pass draft_id"),
    ("assess_impact", {"issue": "x", "churn_threat": "maybe"}, "churn_threat"),
    ("assess_impact", {"issue": "x", "customers_affected": -3}, "customers_affected"),
    ("render_brief", {"draft_id": 42}, "draft_id"),
    ("no_such_tool", {}, "no_such_tool"),
])
async def test_bad_arguments_give_clear_errors(app, tool, args, says):
    async with Client(app) as c:
        r = await c.call_tool(tool, args)
        assert r.is_error
        assert says in r.content[0].text


async def test_tools_declare_all_annotations(app):
    async with Client(app) as c:
        tools = (await c.list_tools()).tools
        assert {t.name for t in tools} >= {"gather_context", "assess_impact", "choose_tier", "render_brief"}
        for t in tools:
            a = t.annotations
            assert None not in (a.read_only_hint, a.destructive_hint, a.idempotent_hint, a.open_world_hint), t.name


async def test_progress_is_reported(app):
    seen = []

    async def on_progress(progress, total, message):
        seen.append((progress, total, message))

    async with Client(app) as c:
        await c.call_tool("gather_context", {"issue": "export missing rows"}, progress_callback=on_progress)
    assert seen and seen[-1][0] == seen[-1][1]


async def test_an_empty_workspace_with_nothing_connected_is_said_in_the_sources(tmp_path):
    from customer_escalation.server import build_server
    from customer_escalation.service import Service
    from customer_escalation.settings import Settings

    service = Service(Settings(workspace="empty", home=tmp_path), connectors=list)
    async with Client(build_server(service)) as c:
        r = await c.call_tool("gather_context", {"issue": "SSO login loop"})
    (workspace,) = [s for s in r.structured_content["context"]["sources"] if s["source"] == "workspace"]
    assert "'empty' workspace is empty" in workspace["detail"] and "customer-escalation import FILE" in workspace["detail"]
    assert "--workspace sample" in workspace["detail"]
