"""`serve --transport http`: health, bearer auth, refusal without a token, DNS rebinding, concurrency over real HTTP."""

from __future__ import annotations

import subprocess

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from customer_escalation.http import BearerAuth, ServeError, allowed_hosts, is_loopback, load_token
from tests.helpers import SMALL
from tests.serving import TOKEN, http_server, serve_command

INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
MCP_HEADERS = {"accept": "application/json, text/event-stream", "content-type": "application/json"}


def client(url: str, token: str | None = TOKEN) -> Client:
    http = httpx2.AsyncClient(headers={"authorization": f"Bearer {token}"} if token else {}, timeout=60)
    return Client(streamable_http_client(url, http_client=http))


# --- pure pieces ---------------------------------------------------------------------------------

@pytest.mark.parametrize("host,loop", [("127.0.0.1", True), ("127.8.0.1", True), ("localhost", True), ("::1", True),
                                       ("0.0.0.0", False), ("10.0.0.5", False), ("escalations.example.com", False)])
def test_loopback_detection(host, loop):
    assert is_loopback(host) is loop


def test_allowed_hosts_cover_loopback_and_named_hosts():
    hosts = allowed_hosts("0.0.0.0", ["escalations.example.com", "10.1.2.3:8443"])
    assert {"127.0.0.1:*", "localhost:*", "[::1]:*", "escalations.example.com", "escalations.example.com:*", "10.1.2.3:8443"} <= set(hosts)
    assert "evil.example:*" not in hosts


def test_token_from_file_or_environment(tmp_path):
    f = tmp_path / "token"
    f.write_text("  s3cret-token-from-a-file-123\n")
    f.chmod(0o600)
    assert load_token(str(f), {}) == "s3cret-token-from-a-file-123"
    assert load_token(None, {"CUSTOMER_ESCALATION_HTTP_TOKEN": "env-token-0123456789"}) == "env-token-0123456789"
    assert load_token(None, {}) is None
    with pytest.raises(ServeError, match="at least 16"):
        load_token(None, {"CUSTOMER_ESCALATION_HTTP_TOKEN": "short"})
    with pytest.raises(ServeError, match="cannot read the token file"):
        load_token(str(tmp_path / "missing"), {})


def test_bearer_check_needs_scheme_and_exact_token():
    auth = BearerAuth(app=None, token=TOKEN)
    assert auth.authorized(f"Bearer {TOKEN}".encode())
    assert auth.authorized(f"bearer {TOKEN}".encode())
    assert not auth.authorized(TOKEN.encode())
    assert not auth.authorized(f"Bearer {TOKEN}x".encode())
    assert not auth.authorized(f"Basic {TOKEN}".encode())
    assert not auth.authorized(b"")


# --- refusing to start ---------------------------------------------------------------------------

def test_refuses_to_bind_beyond_loopback_without_a_token(tmp_path):
    env = {"CUSTOMER_ESCALATION_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    r = subprocess.run(serve_command("--host", "0.0.0.0", "--port", "1", "--workspace", "empty"), env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "refusing to start" in r.stderr and "--token-file" in r.stderr


def test_refuses_a_weak_token_and_never_prints_it(tmp_path):
    env = {"CUSTOMER_ESCALATION_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "CUSTOMER_ESCALATION_HTTP_TOKEN": "weakpass"}
    r = subprocess.run(serve_command("--host", "0.0.0.0", "--port", "1", "--workspace", "empty"), env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "at least 16" in r.stderr
    assert "weakpass" not in r.stderr + r.stdout


# --- a running server ----------------------------------------------------------------------------

def test_health_auth_and_dns_rebinding(tmp_path):
    with http_server(tmp_path) as srv:
        health = httpx2.get(f"{srv.base}/healthz", timeout=5)
        assert health.status_code == 200
        assert health.json() == {"status": "ok", "version": health.json()["version"], "workspace": "empty", "writes_enabled": False}

        no_token = httpx2.post(srv.url, json=INIT, headers=MCP_HEADERS, timeout=5)
        assert no_token.status_code == 401
        assert no_token.headers["www-authenticate"].startswith("Bearer")
        wrong = httpx2.post(srv.url, json=INIT, headers={**MCP_HEADERS, "authorization": "Bearer not-the-token-at-all"}, timeout=5)
        assert wrong.status_code == 401

        good = {**MCP_HEADERS, "authorization": f"Bearer {TOKEN}"}
        assert httpx2.post(srv.url, json=INIT, headers=good, timeout=5).status_code == 200
        rebound = httpx2.post(srv.url, json=INIT, headers={**good, "host": "evil.example:80"}, timeout=5)
        assert rebound.status_code == 421
        foreign_origin = httpx2.post(srv.url, json=INIT, headers={**good, "origin": "http://evil.example"}, timeout=5)
        assert foreign_origin.status_code == 403
    assert TOKEN not in srv.output()


def test_loopback_without_token_serves_and_says_so(tmp_path):
    with http_server(tmp_path, token=None) as srv:
        r = httpx2.post(srv.url, json=INIT, headers=MCP_HEADERS, timeout=5)
        assert r.status_code == 200
    assert "loopback only" in srv.output()


@pytest.mark.anyio
async def test_same_tools_as_stdio_and_writes_only_when_enabled(tmp_path):
    with http_server(tmp_path) as srv:
        async with client(srv.url) as c:
            read_only = {t.name for t in (await c.list_tools()).tools}
    with http_server(tmp_path, "--enable-writes") as srv:
        async with client(srv.url) as c:
            writable = {t.name for t in (await c.list_tools()).tools}
        assert httpx2.get(f"{srv.base}/healthz").json()["writes_enabled"] is True
    assert {"gather_context", "assess_impact", "choose_tier", "render_brief"} <= read_only
    assert read_only <= writable
    if "file_escalation" in writable:
        assert "file_escalation" not in read_only


CHAINS = 24


@pytest.mark.anyio
async def test_concurrent_tool_calls_lose_no_draft_or_escalation(tmp_path):
    """Many clients at once against one server process: every chain keeps its own draft, every filing is recorded."""
    with http_server(tmp_path, "--enable-writes", workspace=SMALL) as srv:
        results: dict[int, dict] = {}

        async def chain(i: int) -> None:
            async with client(srv.url) as c:
                g = await c.call_tool("gather_context", {"issue": f"CSV export is missing rows, case {i}", "account": "Acme Corp"})
                assert not g.is_error, g.content
                draft = g.structured_content["draft_id"]
                a = await c.call_tool("assess_impact", {"draft_id": draft, "customers_affected": i + 1, "workflow_impact": "blocked"})
                assert not a.is_error, a.content
                b = await c.call_tool("render_brief", {"draft_id": draft, "summary": f"Export truncation case {i}", "reported_by": f"agent-{i}"})
                assert not b.is_error, b.content
                results[i] = {"draft": draft, "markdown": b.structured_content["markdown"]}

        async with anyio.create_task_group() as tg:
            for i in range(CHAINS):
                tg.start_soon(chain, i)

        assert len(results) == CHAINS
        assert len({r["draft"] for r in results.values()}) == CHAINS
        for i, r in results.items():  # each brief carries its own chain's input, nobody else's
            assert f"Export truncation case {i}" in r["markdown"] and f"agent-{i}" in r["markdown"]

        async with client(srv.url) as c:  # re-read every draft afterwards: all stored, none overwritten
            for i, r in results.items():
                again = await c.call_tool("render_brief", {"draft_id": r["draft"], "summary": f"Export truncation case {i}"})
                assert not again.is_error and f"Export truncation case {i}" in again.structured_content["markdown"]
            tools = {t.name for t in (await c.list_tools()).tools}

        if "file_escalation" not in tools:
            return
        filed: list[str] = []

        async def file(i: int) -> None:
            async with client(srv.url) as c:
                f = await c.call_tool("file_escalation", {"draft_id": results[i]["draft"], "destinations": "log", "confirm": True})
                assert not f.is_error, f.content
                filed.append(i)

        async with anyio.create_task_group() as tg:
            for i in range(CHAINS):
                tg.start_soon(file, i)
        assert len(filed) == CHAINS
        async with client(srv.url) as c:
            listed = await c.call_tool("list_escalations", {"limit": 200})
            assert not listed.is_error, listed.content
            text = str(listed.structured_content)
        for i in range(CHAINS):
            assert f"Export truncation case {i}" in text, f"escalation {i} lost"
