"""Every tool's schema, checked in: a snapshot of tools/list in both modes, explicit annotations, flat input schemas,
and what the listing costs a model in tokens.

Regenerate the snapshot after an intended change:  UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_tool_schemas.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import anyio
import pytest
from mcp import Client

from customer_escalation.server import build_server
from customer_escalation.service import Service
from customer_escalation.settings import Settings

SNAPSHOT = Path(__file__).parent / "snapshots" / "tools_list.json"
MODES = {"read_only": False, "writes_enabled": True}
HINTS = ("readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint")


def list_tools(tmp: Path, writes: bool) -> list[dict]:
    service = Service(Settings(workspace="empty", home=tmp / ("w" if writes else "r"), enable_writes=writes), connectors=list)

    async def go() -> list[dict]:
        async with Client(build_server(service)) as c:
            return [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in (await c.list_tools()).tools]

    return sorted(anyio.run(go), key=lambda t: t["name"])


@pytest.fixture(scope="module")
def tools(tmp_path_factory) -> dict[str, list[dict]]:
    tmp = tmp_path_factory.mktemp("tools")
    return {mode: list_tools(tmp, writes) for mode, writes in MODES.items()}


def test_tools_list_matches_the_snapshot(tools):
    text = json.dumps(tools, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(text)
    assert SNAPSHOT.is_file(), "no snapshot yet: run with UPDATE_SNAPSHOTS=1"
    if SNAPSHOT.read_text() != text:
        old = json.loads(SNAPSHOT.read_text())
        changed = sorted({t["name"] for mode in tools for t in tools[mode] if t not in old.get(mode, [])}
                         | {t["name"] for mode in old for t in old[mode] if t not in tools.get(mode, [])})
        pytest.fail(f"tools/list changed for {changed}. If intended, review the diff and regenerate: "
                    "UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_tool_schemas.py")


def test_every_tool_sets_all_four_annotations(tools):
    for mode, listed in tools.items():
        for tool in listed:
            annotations = tool.get("annotations", {})
            missing = [h for h in HINTS if not isinstance(annotations.get(h), bool)]
            assert not missing, f"{tool['name']} ({mode}) does not set {missing} explicitly"


def test_write_tools_only_list_when_writes_are_enabled(tools):
    assert all(t["annotations"]["readOnlyHint"] for t in tools["read_only"])
    read_only = {t["name"] for t in tools["read_only"]}
    assert read_only <= {t["name"] for t in tools["writes_enabled"]}


def _walk(node, path="inputSchema"):
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def test_input_schemas_are_flat(tools):
    for tool in tools["writes_enabled"]:
        schema = tool["inputSchema"]
        assert schema.get("type") == "object"
        for where, key, value in _walk(schema):
            assert key not in ("$ref", "$defs", "definitions"), f"{tool['name']}: {key} at {where}"
            if key in ("anyOf", "oneOf"):
                assert not any(isinstance(v, dict) and v.get("type") == "null" for v in value), \
                    f"{tool['name']}: nullable {key} at {where}; use a default instead of null"
        for name, prop in schema.get("properties", {}).items():
            assert prop.get("type") in ("string", "integer", "number", "boolean", "array"), \
                f"{tool['name']}.{name}: parameters are scalars (or simple arrays), got {prop.get('type')}"


LISTING_BUDGET = 3000  # cl100k tokens, read-only or with writes: what every conversation pays before it starts


def test_each_listing_fits_the_token_budget(tools):
    from bench.tokens import listing_tokens

    for mode, listed in tools.items():
        assert listing_tokens(listed) <= LISTING_BUDGET, f"{mode}: {listing_tokens(listed)} tokens"


def test_the_listing_leaves_out_only_what_says_nothing(tools):
    """Lean, not lossy: enums, ranges and meaningful defaults stay; "not given" values and length limits go."""
    by_name = {t["name"]: t for t in tools["writes_enabled"]}
    assert all("outputSchema" not in t and "title" not in t for t in by_name.values())
    gather = by_name["gather_context"]["inputSchema"]["properties"]
    assert gather["detail"] == {"default": "summary", "description": "'full' returns longer lists", "enum": ["summary", "full"],
                                "type": "string"}
    assert "maxLength" not in gather["issue"] and "default" not in gather["account"]
    facts = by_name["assess_impact"]["inputSchema"]["properties"]
    assert facts["churn_threat"]["enum"] == ["yes", "no"] and facts["sla_status"]["enum"] == ["ok", "at_risk", "breached"]
    assert by_name["list_escalations"]["inputSchema"]["properties"]["limit"] == {"default": 20, "maximum": 200, "minimum": 1,
                                                                                  "type": "integer"}


@pytest.mark.anyio
async def test_limits_left_out_of_the_listing_still_hold_with_a_clear_error(tmp_path):
    service = Service(Settings(workspace="empty", home=tmp_path), connectors=list)
    async with Client(build_server(service)) as c:
        r = await c.call_tool("gather_context", {"issue": "x" * 5000})
        assert r.is_error and "issue" in r.content[0].text and "4000" in r.content[0].text
        ok = await c.call_tool("gather_context", {"issue": "export missing rows"})
        assert not ok.is_error and ok.structured_content["draft_id"]
