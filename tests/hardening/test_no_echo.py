"""Errors never repeat what the caller sent, and text made only of invisible characters is no issue.

Each call sends a canary where a tool takes a name or an id (an account, a draft, an escalation, a customer); the
error must say what to do without the canary in it. An issue of NUL or zero-width characters alone must be refused
as empty, like a blank one.
"""

from __future__ import annotations

import pytest
from mcp import Client

from customer_escalation import cli
from customer_escalation.server import build_server
from tests.helpers import SMALL, small_service

pytestmark = pytest.mark.anyio

CANARY = "../../etc/passwd-c4n4ry"


async def filed(c: Client) -> str:
    r = await c.call_tool("render_brief", {"issue": "CSV export is missing rows", "account": "Acme Corp", "reported_by": "Sam"})
    f = await c.call_tool("file_escalation", {"draft_id": r.structured_content["draft_id"], "destinations": "log", "confirm": True})
    assert not f.is_error, f.content[0].text
    return f.structured_content["escalation"]["id"]


CALLS = {
    "unknown account": lambda e: ("gather_context", {"issue": "CSV export is missing rows", "account": CANARY}),
    "unknown draft": lambda e: ("assess_impact", {"draft_id": CANARY}),
    "unknown draft to file": lambda e: ("file_escalation", {"draft_id": CANARY}),
    "unknown escalation": lambda e: ("show_escalation", {"escalation_id": CANARY[:40]}),
    "unknown escalation to update": lambda e: ("record_update", {"escalation_id": CANARY[:40], "kind": "note"}),
    "unknown customer of an escalation": lambda e: ("draft_customer_update", {"escalation_id": e, "account": CANARY}),
    "unknown draft to attach": lambda e: ("attach_to_escalation", {"escalation_id": e, "draft_id": CANARY}),
}


@pytest.mark.parametrize("case", list(CALLS))
async def test_errors_do_not_repeat_the_value_sent(tmp_path, case):
    async with Client(build_server(small_service(tmp_path, enable_writes=True))) as c:
        escalation = await filed(c)
        tool, args = CALLS[case](escalation)
        r = await c.call_tool(tool, args)
    text = r.content[0].text
    assert r.is_error, text
    assert "c4n4ry" not in text and "passwd" not in text, text
    assert "call " in text.lower() or "pass" in text or "its customers" in text  # still says what to do


def test_the_cli_does_not_repeat_an_unknown_account(tmp_path, capsys):
    code = cli.main(["brief", "CSV export is missing rows", "--account", CANARY, "--workspace", SMALL, "--home", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "unknown account" in err and "c4n4ry" not in err


INVISIBLE = ["\x00\x00\x00", "\u200b\u200c\u200d\u2060", "\ufeff \x00 \u200b", "\u202e\u2066\u2069"]


@pytest.mark.parametrize("issue", INVISIBLE, ids=["nul", "zero-width", "mixed", "bidi"])
async def test_an_issue_of_invisible_characters_is_empty(tmp_path, issue):
    async with Client(build_server(small_service(tmp_path))) as c:
        r = await c.call_tool("gather_context", {"issue": issue})
        chained = await c.call_tool("render_brief", {"issue": issue})
    assert r.is_error and "issue is empty" in r.content[0].text
    assert chained.is_error and "ESCALATION" not in chained.content[0].text


@pytest.mark.parametrize("issue", INVISIBLE[:2], ids=["nul", "zero-width"])
def test_the_cli_refuses_an_invisible_issue(tmp_path, capsys, issue):
    code = cli.main(["brief", issue, "--workspace", SMALL, "--home", str(tmp_path)])
    assert code == 2 and "issue is empty" in capsys.readouterr().err
