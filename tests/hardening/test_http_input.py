"""Argument errors over the real HTTP transport: the short-circuited answers are well-formed on the wire."""

from __future__ import annotations

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from tests.serving import TOKEN, http_server

pytestmark = pytest.mark.anyio


async def test_bad_arguments_over_http_get_the_same_clear_errors(tmp_path):
    with http_server(tmp_path, "--verbose") as srv:
        http = httpx2.AsyncClient(headers={"authorization": f"Bearer {TOKEN}"}, timeout=60)
        async with Client(streamable_http_client(srv.url, http_client=http)) as c:
            wrong = await c.call_tool("assess_impact", {"issue": "export broken", "arr_at_risk": "sk_live_canaryCANARY0000000000"})
            huge = await c.call_tool("gather_context", {"issue": "z" * 5000})
            unknown = await c.call_tool("no_such_tool", {})
            ok = await c.call_tool("choose_tier", {"issue": "CSV export is missing rows"})
            prompts = (await c.list_prompts()).prompts
            prompt_error = None
            if prompts:
                try:
                    await c.get_prompt(prompts[0].name, {})
                except MCPError as exc:
                    prompt_error = exc.error.message
    assert wrong.is_error and "'arr_at_risk'" in wrong.content[0].text and "canary" not in wrong.content[0].text.lower()
    assert huge.is_error and "the limit is 4000" in huge.content[0].text and "zzzzzzzz" not in huge.content[0].text
    assert unknown.is_error and "tools/list" in unknown.content[0].text
    assert not ok.is_error  # the server is fine afterwards
    if prompts:
        assert prompt_error and "Invalid arguments for the prompt" in prompt_error
    log = srv.output()
    assert "canary" not in log.lower() and "zzzzzzzz" not in log and TOKEN not in log
    assert "Traceback" not in log
