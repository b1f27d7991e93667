"""A damaged store never breaks a read: each read names the damaged record and goes on with the others.

Damage as a disk or a crash leaves it: random bytes over the data pages of state.db, one escalation row whose JSON
is not valid (or not UTF-8), a draft whose parts have the wrong types, a damaged workspace record. Every read tool and
CLI command must answer with the records that are intact and name those that are not, or, when nothing can be read,
with an error naming the file and the next step; never a traceback, never the SDK's bare "Error executing tool".
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest
from mcp import Client

from customer_escalation import cli
from customer_escalation.server import build_server
from customer_escalation.service import Service
from customer_escalation.settings import Settings
from tests.helpers import SMALL

pytestmark = pytest.mark.anyio

ESCALATIONS = 6


def service(home: Path, workspace: str = SMALL) -> Service:
    return Service(Settings(workspace=workspace, home=home, enable_writes=True), connectors=list)


async def filed_store(home: Path) -> list[str]:
    """A state database holding drafts and filed escalations (Acme Corp's), checkpointed into the main file."""
    ids = []
    async with Client(build_server(service(home))) as c:
        for i in range(ESCALATIONS):
            r = await c.call_tool("render_brief", {"issue": f"CSV export is missing rows, report {i}", "account": "Acme Corp",
                                                   "reported_by": "Sam (L2)"})
            f = await c.call_tool("file_escalation", {"draft_id": r.structured_content["draft_id"], "destinations": "log",
                                                      "confirm": True})
            assert not f.is_error, f.content[0].text
            ids.append(f.structured_content["escalation"]["id"])
    db = sqlite3.connect(home / "state.db")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return ids


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> tuple[Path, list[str]]:
    import anyio

    home = tmp_path_factory.mktemp("pristine") / "home"
    return home, anyio.run(filed_store, home)


@pytest.fixture
def home(tmp_path, pristine) -> Path:
    source, _ = pristine
    copy = tmp_path / "home"
    copy.mkdir()
    for f in source.iterdir():
        if f.is_file():
            (copy / f.name).write_bytes(f.read_bytes())
    return copy


def sql(home: Path, statement: str, *params) -> None:
    db = sqlite3.connect(home / "state.db")
    db.execute(statement, params)
    db.commit()
    db.close()


READS = [  # (tool, arguments): every tool that reads the log or a draft
    ("list_escalations", {}),
    ("list_escalations", {"account": "Acme Corp"}),
    ("follow_ups", {"within_hours": 336}),
    ("show_escalation", {"escalation_id": "CE-0002"}),
    ("draft_customer_update", {"escalation_id": "CE-0003"}),
    ("gather_context", {"issue": "CSV export is missing rows", "account": "Acme Corp"}),
    ("render_brief", {"issue": "CSV export is missing rows", "account": "Acme Corp"}),
    ("record_update", {"escalation_id": "CE-0004", "kind": "note", "note": "checked"}),
]


def assert_clean(tool: str, result, home: Path) -> None:
    text = "\n".join(getattr(b, "text", "") for b in result.content)
    assert "Traceback" not in text
    assert text.strip() != f"Error executing tool {tool}", f"{tool}: a bare SDK error"
    if result.is_error and "no escalation with that id" not in text:  # (damage to an index can hide a row)
        # nothing readable: the file and what to do
        assert str(home / "state.db") in text, f"{tool}: {text[:300]}"
        assert any(w in text for w in ("restore", "move it aside", "Move it aside", "call gather_context")), text[:300]


async def call_every_read(home: Path) -> dict[str, object]:
    results = {}
    async with Client(build_server(service(home))) as c:
        for tool, args in READS:
            result = await c.call_tool(tool, args)
            assert_clean(tool, result, home)
            results[f"{tool} {json.dumps(args)}"] = result
    return results


def cli_reads(home: Path, capsys) -> None:
    for argv in (["escalations"], ["follow-ups", "--within", "336"], ["escalation", "show", "CE-0002"]):
        code = cli.main([*argv, "--workspace", SMALL, "--home", str(home)])
        out = capsys.readouterr()
        assert code in (0, 2), (argv, out.err[-500:])
        assert "Traceback" not in out.err
        if code == 2 and "no escalation with that id" not in out.err:
            assert str(home / "state.db") in out.err, out.err


@pytest.mark.parametrize("seed", range(6))
async def test_random_bytes_in_the_data_pages_never_crash_a_read(home, capsys, seed):
    data = bytearray((home / "state.db").read_bytes())
    rnd = random.Random(seed)
    for _ in range(40 + 40 * seed):  # from a few scattered bytes to many
        data[rnd.randrange(4096, len(data))] = rnd.randrange(256)
    (home / "state.db").write_bytes(bytes(data))
    await call_every_read(home)
    cli_reads(home, capsys)


async def test_one_escalation_with_invalid_json_is_named_and_the_others_still_read(home, pristine, capsys):
    ids = pristine[1]
    sql(home, "UPDATE escalations SET data = ? WHERE id = ?", '{"id": "CE-0002", "title": ', "CE-0002")
    results = await call_every_read(home)
    listed = results['list_escalations {}'].structured_content
    assert [e["id"] for e in listed["escalations"]] == [i for i in reversed(ids) if i != "CE-0002"]
    assert listed["damaged"] == ["escalation CE-0002"]
    by_account = results['list_escalations {"account": "Acme Corp"}'].structured_content
    assert len(by_account["escalations"]) == ESCALATIONS - 1 and by_account["damaged"] == ["escalation CE-0002"]
    due = results['follow_ups {"within_hours": 336}'].structured_content
    assert {f["escalation_id"] for f in due["items"]} == set(ids) - {"CE-0002"} and due["damaged"] == ["escalation CE-0002"]
    gathered = results['gather_context {"issue": "CSV export is missing rows", "account": "Acme Corp"}']
    assert not gathered.is_error
    context = gathered.structured_content["context"]
    assert {e["id"] for e in context["past_escalations"]} >= set(ids[-4:]) - {"CE-0002"}
    status = next(s for s in context["sources"] if s["source"] == "escalation log")
    assert status["state"] == "error" and "CE-0002" in status["detail"] and "state.db" in status["detail"]
    shown = results['show_escalation {"escalation_id": "CE-0002"}']
    assert shown.is_error and "CE-0002" in shown.content[0].text and "damaged" in shown.content[0].text
    assert not results['record_update {"escalation_id": "CE-0004", "kind": "note", "note": "checked"}'].is_error
    assert cli.main(["escalations", "--workspace", SMALL, "--home", str(home)]) == 0
    out = capsys.readouterr()
    assert "CE-0001" in out.out and "CE-0002" not in out.out and "escalation CE-0002" in out.err


async def test_bytes_that_are_not_utf8_in_one_row_are_named_too(home):
    sql(home, "UPDATE escalations SET data = CAST(? AS TEXT) WHERE id = ?", b'{"id": "CE-0005", "title": "\xff\xfe"}', "CE-0005")
    sql(home, "UPDATE escalation_events SET summary = CAST(? AS TEXT) WHERE escalation_id = ?", b"filed \xc3\x28", "CE-0003")
    results = await call_every_read(home)
    assert results['list_escalations {}'].structured_content["damaged"] == ["escalation CE-0005"]
    update = results['draft_customer_update {"escalation_id": "CE-0003"}']
    assert not update.is_error  # its history entry is damaged, not the escalation
    async with Client(build_server(service(home))) as c:
        shown = await c.call_tool("show_escalation", {"escalation_id": "CE-0003"})
    assert not shown.is_error
    assert shown.structured_content["damaged"] and "CE-0003" in shown.structured_content["damaged"][0]


@pytest.mark.parametrize("damage", ["issue is a number", "context is a string", "assessment lacks fields", "not JSON",
                                    "a list"])
async def test_a_damaged_draft_is_named_with_the_next_step(home, damage):
    async with Client(build_server(service(home))) as c:
        g = await c.call_tool("gather_context", {"issue": "CSV export is missing rows", "account": "Acme Corp"})
        draft = g.structured_content["draft_id"]
        a = await c.call_tool("assess_impact", {"draft_id": draft})
        assert not a.is_error
    data = json.loads(sqlite3.connect(home / "state.db").execute("SELECT data FROM drafts WHERE id = ?", (draft,)).fetchone()[0])
    text = {"issue is a number": json.dumps({**data, "issue": 5}),
            "context is a string": json.dumps({**data, "context": "oops"}),
            "assessment lacks fields": json.dumps({**data, "assessment": {"escalate": True}}),
            "not JSON": '{"issue": "x", "context": {',
            "a list": "[1, 2]"}[damage]
    sql(home, "UPDATE drafts SET data = ? WHERE id = ?", text, draft)
    async with Client(build_server(service(home))) as c:
        for tool in ("assess_impact", "choose_tier", "render_brief", "find_duplicates", "file_escalation"):
            r = await c.call_tool(tool, {"draft_id": draft})
            message = r.content[0].text
            assert r.is_error and f"draft {draft}" in message and "damaged" in message, (tool, message)
            assert "gather_context" in message and str(home / "state.db") in message


async def test_an_unopenable_store_is_a_clear_error_from_every_log_tool(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "state.db").write_bytes(b"this is not a database\x00" * 400)
    async with Client(build_server(service(home))) as c:
        for tool, args in READS:
            r = await c.call_tool(tool, args)
            assert r.is_error, tool
            assert str(home / "state.db") in r.content[0].text and "move it aside" in r.content[0].text, (tool, r.content[0].text)


async def test_a_damaged_workspace_record_is_left_out_and_the_rest_gathered(tmp_path, caplog):
    home = tmp_path / "home"
    assert cli.main(["import", SMALL, "--home", str(home)]) == 0
    db = sqlite3.connect(home / "workspace.db")
    damaged = db.execute("SELECT id FROM records WHERE kind = 'ticket' ORDER BY id LIMIT 1").fetchone()[0]
    db.execute("UPDATE records SET data = CAST(? AS TEXT) WHERE kind = 'ticket' AND id = ?", (b"{\xff", damaged))
    db.execute("UPDATE records SET data = '{}' WHERE kind = 'account' AND name = 'Beta Labs'")
    db.commit()
    db.close()
    async with Client(build_server(service(home, "default"))) as c:
        r = await c.call_tool("gather_context", {"issue": "CSV export is missing rows", "account": "Acme Corp"})
        brief = await c.call_tool("render_brief", {"draft_id": r.structured_content["draft_id"]})
    assert not r.is_error and not brief.is_error
    assert r.structured_content["context"]["account"]["name"] == "Acme Corp"
    assert damaged not in {t["id"] for t in r.structured_content["context"]["related_tickets"]}
    assert f"ticket record {damaged}" in caplog.text and "workspace.db" in caplog.text
