"""With writes disabled, no code path reaches a connector's write method.

Spy connectors stand in for all ten systems: they answer every read with nothing and record any
call to a method that writes (or looks for an earlier write). Every listed tool, and every write
tool by name, is called with every combination of the arguments that could trigger a remote write
(confirm, notify, destinations): the spies must record nothing. A control run with writes enabled
shows the spies do see writes, so the check is not vacuous.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from mcp import Client

from customer_escalation.connectors.base import CreatedItem, Page  # noqa: E402
from customer_escalation.connectors.registry import SYSTEMS  # noqa: E402
from customer_escalation.lifecycle import Lifecycle, WritesDisabled  # noqa: E402
from customer_escalation.lifecycle_tools import WRITE_TOOLS  # noqa: E402
from customer_escalation.models import Severity  # noqa: E402
from customer_escalation.server import build_server  # noqa: E402
from customer_escalation.service import Service  # noqa: E402
from customer_escalation.settings import Settings  # noqa: E402
from tests.helpers import SMALL  # noqa: E402

pytestmark = pytest.mark.anyio

WRITE_VERB = re.compile(r"^(create|post|update|add|delete|remove|close|comment|send|edit|set|upload|transition|find_by_marker|reply|assign|label)")


class Spy:
    """A connector for `name` that reads nothing and records every write-path call."""

    def __init__(self, name: str, category: str, calls: list[tuple[str, str]], payloads: list[dict] | None = None):
        self.name, self.category, self.calls = name, category, calls
        self.payloads = payloads if payloads is not None else []

    async def find_accounts(self, name_or_domain: str) -> list:
        return []

    async def search_tickets(self, query) -> Page:
        return Page([])

    search_items = search_messages = search_articles = search_tickets

    async def check(self) -> None:
        pass

    async def aclose(self) -> None:
        pass

    def __getattr__(self, attr: str) -> Any:
        if not WRITE_VERB.match(attr):
            raise AttributeError(attr)

        async def record(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((self.name, attr))
            self.payloads.append(kwargs)
            return None if attr == "find_by_marker" else CreatedItem(id=f"{self.name.upper()}-1", url=f"https://{self.name}.example/1", system=self.name)

        return record


def spies(calls: list, payloads: list | None = None) -> list[Spy]:
    payloads = payloads if payloads is not None else []
    return [Spy(name, category, calls, payloads) for name, (category, _vars) in SYSTEMS.items()]


def service(home, calls: list, *, writes: bool) -> Service:
    return Service(Settings(workspace=SMALL, home=home, enable_writes=writes), connectors=lambda: spies(calls))


async def _draft(c: Client, issue: str = "CSV export is missing rows", account: str = "Acme Corp") -> str:
    r = await c.call_tool("render_brief", {"issue": issue, "account": account, "reported_by": "Sam (L2)"})
    assert not r.is_error, r.content[0].text
    return r.structured_content["draft_id"]


async def _escalation(home) -> tuple[str, str]:
    """An escalation in the local log (filed to the log only, no connector), and a second draft."""
    async with Client(build_server(Service(Settings(workspace=SMALL, home=home, enable_writes=True), connectors=list))) as c:
        draft = await _draft(c)
        filed = await c.call_tool("file_escalation", {"draft_id": draft, "destinations": "log", "confirm": True})
        assert not filed.is_error, filed.content[0].text
        other = await _draft(c, "Export missing rows for Beta Labs too", "Beta Labs")
    return filed.structured_content["escalation"]["id"], other


VALUES = {
    "reason": ["workaround", "lower_severity"], "note": ["customer confirmed the workaround"], "resolution": ["fixed in 4.12"],
    "severity": ["critical", "medium"], "kind": ["internal", "reopened"], "progress": ["engineering found the cause"],
}


def argument_sets(schema: dict, draft: str, escalation: str) -> list[dict]:
    """Every combination of the arguments that decide whether something is sent, with plausible values for the rest."""
    props = schema.get("properties", {})
    axes: dict[str, list] = {}
    for name, prop in props.items():
        if name == "draft_id":
            axes[name] = [draft]
        elif name == "escalation_id":
            axes[name] = [escalation]
        elif prop.get("type") == "boolean":
            axes[name] = [True, False]
        elif name == "destinations":
            axes[name] = ["all", "tracker", "chat"]
        elif "enum" in prop:
            axes[name] = [v for v in prop["enum"] if v][:1] or [""]
        elif name in VALUES:
            axes[name] = VALUES[name]
        elif prop.get("type") == "string" and name in schema.get("required", []):
            axes[name] = ["because the customer said so"]
    names = list(axes)
    return [dict(zip(names, combo)) for combo in itertools.product(*(axes[n] for n in names))]


async def test_no_tool_call_reaches_a_write_method_with_writes_disabled(tmp_path):
    home = tmp_path / "home"
    escalation, other_draft = await _escalation(home)
    calls: list[tuple[str, str]] = []
    app = build_server(service(home, calls, writes=False))
    async with Client(app) as c:
        draft = await _draft(c)
        listed = {t.name: t.input_schema for t in (await c.list_tools()).tools}
        assert not set(WRITE_TOOLS) & set(listed), "write tools are not even listed"
        # write tools called by name anyway, with the schemas they have when enabled
        async with Client(build_server(service(tmp_path / "schemas", [], writes=True))) as w:
            write_schemas = {t.name: t.input_schema for t in (await w.list_tools()).tools if t.name in WRITE_TOOLS}
        assert set(write_schemas) == set(WRITE_TOOLS)
        calls_made = 0
        for tool, schema in {**listed, **write_schemas}.items():
            for args in argument_sets(schema, draft if tool != "attach_to_escalation" else other_draft, escalation):
                r = await c.call_tool(tool, args)
                calls_made += 1
                if tool in WRITE_TOOLS:
                    assert r.is_error and "CUSTOMER_ESCALATION_ENABLE_WRITES" in r.content[0].text or "--enable-writes" in r.content[0].text, r.content[0].text
        assert calls_made > 30
    assert calls == [], f"write methods reached with writes disabled: {calls}"


async def test_the_core_refuses_every_remote_write_with_writes_disabled(tmp_path):
    home = tmp_path / "home"
    escalation, other_draft = await _escalation(home)
    calls: list[tuple[str, str]] = []
    svc = service(home, calls, writes=False)
    life = Lifecycle.for_service(svc)
    async with Client(build_server(svc)) as c:
        draft = await _draft(c)
    now = svc.now()
    attempts = [
        lambda: life.file(draft, now, confirmed=True),
        lambda: life.file(draft, now, only="tracker", confirmed=True),
        lambda: life.file(draft, now, only="chat", confirmed=True),
        lambda: life.change_severity(escalation, Severity.critical, "worse", now, notify=True, confirmed=True),
        lambda: life.de_escalate(escalation, "workaround", "ok", now, workaround="set the timezone explicitly", notify=True, confirmed=True),
        lambda: life.resolve(escalation, "fixed", now, notify=True, confirmed=True),
        lambda: life.attach(escalation, other_draft, now, notify=True, confirmed=True),
    ]
    outcomes = []
    for attempt in attempts:
        try:
            o = await attempt()
        except WritesDisabled:
            outcomes.append("refused")
        else:
            # a call that needs no remote write may complete locally, but must say nothing was sent
            outcomes.append("applied" if o.applied else "unchanged")
            assert all(d.state != "done" for d in o.deliveries), o.message
    assert outcomes.count("refused") >= 5, outcomes
    assert calls == []


async def test_control_with_writes_enabled_the_spies_see_the_writes(tmp_path):
    calls: list[tuple[str, str]] = []
    async with Client(build_server(service(tmp_path / "home", calls, writes=True))) as c:
        draft = await _draft(c)
        preview = await c.call_tool("file_escalation", {"draft_id": draft})
        assert not preview.is_error and calls == []  # a preview writes nothing
        filed = await c.call_tool("file_escalation", {"draft_id": draft, "confirm": True})
        assert not filed.is_error, filed.content[0].text
    assert ("jira", "create_issue") in calls and ("slack", "post_message") in calls


async def test_hostile_ticket_text_triggers_no_write_even_with_writes_enabled(tmp_path):
    """Every read tool over a workspace full of instructions to post and file: the server writes nothing on its own."""
    from tests.hardening.test_hostile_content import PAYLOADS, hostile_workspace

    workspace = hostile_workspace(tmp_path, " ".join(PAYLOADS.values()))
    calls: list[tuple[str, str]] = []
    svc = Service(Settings(workspace=workspace, home=tmp_path / "home", enable_writes=True), connectors=lambda: spies(calls))
    async with Client(build_server(svc)) as c:
        draft = await _draft(c)
        tools = {t.name: t for t in (await c.list_tools()).tools}
        for name, tool in tools.items():
            if name in WRITE_TOOLS:
                continue  # called only when the human asks; covered above
            for args in argument_sets(tool.input_schema, draft, "CE-0001"):
                await c.call_tool(name, args)
    assert calls == []


async def test_a_brief_rendered_with_redact_is_filed_and_posted_masked(tmp_path):
    calls: list[tuple[str, str]] = []
    payloads: list[dict] = []
    svc = Service(Settings(workspace=SMALL, home=tmp_path / "home", enable_writes=True), connectors=lambda: spies(calls, payloads))
    evidence = "from bob.stone@acme.example: token xoxb-2012345678901-2012345678902-AbCdEfGhIjKlMnOp, call +1 415 555 0134"
    async with Client(build_server(svc)) as c:
        r = await c.call_tool("render_brief", {"issue": "CSV export is missing rows", "account": "Acme Corp", "evidence": evidence,
                                               "redact": True})
        assert not r.is_error, r.content[0].text
        filed = await c.call_tool("file_escalation", {"draft_id": r.structured_content["draft_id"], "confirm": True})
        assert not filed.is_error, filed.content[0].text
    sent = " ".join(str(v) for p in payloads for v in p.values())
    assert ("jira", "create_issue") in calls and "acme.example" in sent
    for secret in ("bob.stone@", "xoxb-", "555 0134"):
        assert secret not in sent, secret
