"""The MCP prompt and resources: the skill for clients that only have the server."""

from __future__ import annotations

import json

import pytest
from mcp import Client

from customer_escalation import adapters
from customer_escalation.server import build_server
from tests.helpers import small_service

pytestmark = pytest.mark.anyio


async def test_prompt_fills_the_issue_into_the_skill(tmp_path):
    async with Client(build_server(small_service(tmp_path))) as c:
        (prompt,) = [p for p in (await c.list_prompts()).prompts if p.name == "customer-escalation"]
        assert [(a.name, a.required) for a in prompt.arguments] == [("issue", True), ("account", False)]
        got = await c.get_prompt("customer-escalation", {"issue": "SSO login loop\naffecting all Enterprise customers", "account": "Acme Corp"})
        text = got.messages[0].content.text
        assert "Issue: SSO login loop affecting all Enterprise customers\nAccount: Acme Corp" in text
        assert "gather_context" in text and "](skill/" not in text
        assert "customer-escalation://reference/tiers-and-severity" in text
        no_account = (await c.get_prompt("customer-escalation", {"issue": "Export missing rows"})).messages[0].content.text
        assert "Account: (not given" in no_account


async def test_resources_serve_policy_skill_and_references(tmp_path):
    service = small_service(tmp_path)
    skill = adapters.packaged_skill()
    async with Client(build_server(service)) as c:
        uris = {str(r.uri) for r in (await c.list_resources()).resources}
        expected = {"customer-escalation://policy", "customer-escalation://skill", "customer-escalation://brief-template"} | {
            f"customer-escalation://reference/{adapters.reference_name(p)}" for p in skill.references}
        assert expected <= uris
        policy = json.loads((await c.read_resource("customer-escalation://policy")).contents[0].text)
        assert policy["source"] == "built-in default"
        assert policy["policy"] == service.policy.model_dump(mode="json")
        assert (await c.read_resource("customer-escalation://skill")).contents[0].text == skill.skill_md
        template = (await c.read_resource("customer-escalation://brief-template")).contents[0].text
        assert template == skill.references["skill/brief-template.md"] and "ESCALATION:" in template
