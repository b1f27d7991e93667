"""Several worker processes for the HTTP server on one host (uvicorn's workers, `serve --workers N`), sharing one store."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from tests.helpers import SMALL
from tests.serving import http_server
from tests.test_http import client

CALLS = 20


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(p) for p in (task / "children").read_text().split()}
    return found


@pytest.mark.anyio
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_worker_processes_answer_concurrent_calls_and_share_drafts_and_the_log(tmp_path, backend, request):
    env = {"CUSTOMER_ESCALATION_STORE": request.getfixturevalue("postgres_store")} if backend == "postgresql" else {}
    with http_server(tmp_path, "--workers", "2", "--enable-writes", workspace=SMALL, env=env) as srv:
        assert len(_children(srv.process.pid)) >= 2  # the supervisor and its two workers
        drafts: dict[int, str] = {}

        async def gather(i: int) -> None:
            async with client(srv.url) as c:
                g = await c.call_tool("gather_context", {"issue": f"CSV export is missing rows, case {i}", "account": "Acme Corp"})
                assert not g.is_error, g.content
                drafts[i] = g.structured_content["draft_id"]

        async with anyio.create_task_group() as tg:
            for i in range(CALLS):
                tg.start_soon(gather, i)
        assert len(set(drafts.values())) == CALLS

        filed = set()
        for i, draft in drafts.items():  # each on a new connection: whichever worker answers finds the draft
            async with client(srv.url) as c:
                b = await c.call_tool("render_brief", {"draft_id": draft, "summary": f"Export truncation case {i}"})
                assert not b.is_error and f"case {i}" in b.structured_content["markdown"]
                f = await c.call_tool("file_escalation", {"draft_id": draft, "destinations": "log", "confirm": True})
                assert not f.is_error, f.content
                filed.add(f.structured_content["escalation"]["id"])
        assert len(filed) == CALLS
        async with client(srv.url) as c:
            listed = await c.call_tool("list_escalations", {"limit": 200})
        assert all(f"Export truncation case {i}" in str(listed.structured_content) for i in range(CALLS))
    assert "Traceback" not in srv.output()


def test_a_bad_worker_count_is_refused(tmp_path, capsys):
    from customer_escalation import cli

    assert cli.main(["serve", "--transport", "http", "--workers", "0", "--workspace", "sample"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err
