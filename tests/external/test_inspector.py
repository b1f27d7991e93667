"""The MCP Inspector CLI (stdio) lists the tools, prompts and resources and calls gather_context on the sample workspace."""

from __future__ import annotations

import json
import subprocess

from tests.external.conftest import js
from tests.serving import console_script


def inspect(node: str, env: dict, *args: str) -> dict:
    cmd = [node, str(js("mcp-inspector")), "--cli", console_script(), "serve", "--workspace", "sample", *args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout[r.stdout.index("{"):])


def test_lists_tools(node, isolated_env):
    tools = {t["name"]: t for t in inspect(node, isolated_env, "--method", "tools/list")["tools"]}
    assert {"gather_context", "assess_impact", "choose_tier", "render_brief"} <= set(tools)
    assert tools["gather_context"]["annotations"]["readOnlyHint"] is True


def test_calls_gather_context_on_the_sample_workspace(node, isolated_env):
    result = inspect(node, isolated_env, "--method", "tools/call", "--tool-name", "gather_context",
                     "--tool-arg", "issue=SSO login loop affecting all Enterprise customers")
    assert not result.get("isError"), result
    structured = result["structuredContent"]
    assert structured["draft_id"]
    assert structured["context"]["sources"][0]["state"] == "ok"
    assert structured["context"]["related_tickets"], "the sample workspace has tickets about SSO"


def test_prompt_and_resources(node, isolated_env):
    prompts = inspect(node, isolated_env, "--method", "prompts/list")["prompts"]
    assert any(p["name"] == "customer-escalation" for p in prompts)
    got = inspect(node, isolated_env, "--method", "prompts/get", "--prompt-name", "customer-escalation",
                  "--prompt-args", "issue=Data export is missing rows", "account=Acme")
    assert "Issue: Data export is missing rows" in got["messages"][0]["content"]["text"]
    uris = {r["uri"] for r in inspect(node, isolated_env, "--method", "resources/list")["resources"]}
    assert "customer-escalation://policy" in uris
    policy = inspect(node, isolated_env, "--method", "resources/read", "--uri", "customer-escalation://policy")
    assert json.loads(policy["contents"][0]["text"])["policy"]
