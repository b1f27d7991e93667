"""The PostgreSQL store: several server processes share it, a killed one loses nothing acknowledged, and every bad
setting (a URL that is not one, a server that does not answer, the driver missing) is a clear error without secrets."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import anyio
import httpx2
import pytest

from customer_escalation import cli
from customer_escalation.lifecycle import EscalationLog
from customer_escalation.store import Store, StoreError
from tests.helpers import SMALL
from tests.serving import free_port, http_server
from tests.test_http import client

WRITERS = 8
FILINGS = 4  # acknowledged filings per writer
SECRET = "s3cret-Pa55word"


@pytest.mark.anyio
async def test_two_servers_sharing_one_store_lose_no_acknowledged_escalation_when_one_is_killed(tmp_path, postgres_store):
    env = {"CUSTOMER_ESCALATION_STORE": postgres_store}
    for host in ("a", "b"):  # two hosts: each its own data directory, the store shared
        (tmp_path / host).mkdir()
    with http_server(tmp_path / "a", "--enable-writes", workspace=SMALL, env=env) as a, \
            http_server(tmp_path / "b", "--enable-writes", workspace=SMALL, env=env) as b:
        acknowledged: dict[str, str] = {}  # escalation id -> the case its brief carries
        refused = {"calls": 0}
        killed = anyio.Event()

        async def file_once(url: str, case: str) -> str:
            async with client(url) as c:
                brief = await c.call_tool("render_brief", {"issue": "CSV export is missing rows", "account": "Acme Corp",
                                                           "summary": f"Export truncation {case}"})
                assert not brief.is_error, brief.content
                filed = await c.call_tool("file_escalation", {"draft_id": brief.structured_content["draft_id"],
                                                              "destinations": "log", "confirm": True})
                assert not filed.is_error, filed.content
                return str(filed.structured_content["escalation"]["id"])

        async def writer(i: int) -> None:
            servers = [a, b] if i % 2 else [b, a]
            done = 0
            while done < FILINGS:
                case = f"w{i}-n{done}"
                server = servers[0] if servers[0].process.poll() is None else servers[1]
                try:
                    escalation_id = await file_once(server.url, case)
                except Exception:  # the killed server's calls fail: nothing is acknowledged, the writer moves on
                    refused["calls"] += 1
                    continue
                acknowledged[escalation_id] = case
                done += 1
                if len(acknowledged) == WRITERS and not killed.is_set():
                    os.kill(a.process.pid, signal.SIGKILL)  # mid-run, with calls in flight on it
                    killed.set()

        async with anyio.create_task_group() as tg:
            for i in range(WRITERS):
                tg.start_soon(writer, i)
        assert killed.is_set() and a.process.wait(timeout=10) == -signal.SIGKILL
        assert b.process.poll() is None

    assert len(acknowledged) == WRITERS * FILINGS  # every id acknowledged once: no two filings shared an id
    store = Store(tmp_path / "check", SMALL, url=postgres_store)
    log = EscalationLog(store)
    stored = {e.id: e for e in log.list(limit=200)}
    for escalation_id, case in acknowledged.items():
        assert escalation_id in stored, f"acknowledged escalation {escalation_id} ({case}) lost"
        assert f"Export truncation {case}" in stored[escalation_id].brief_markdown
        assert [ev.kind for ev in log.require(escalation_id).history] == ["filed"]
    store.close()


def _url_with_password(postgres_url: str, port: int) -> str:
    return f"postgresql://escalations:{SECRET}@127.0.0.1:{port}/postgres"


def test_an_unreachable_server_is_a_clear_error_without_the_password(tmp_path):
    url = _url_with_password("", free_port())  # nothing listens there
    with pytest.raises(StoreError) as err:
        Store(tmp_path, "default", url=url)
    message = str(err.value)
    assert "cannot connect to the PostgreSQL store at postgresql://escalations:***@127.0.0.1" in message
    assert "Check that the server runs" in message and SECRET not in message


def test_a_wrong_password_is_a_clear_error_without_it(tmp_path, postgres_url):
    port = httpx2.URL(postgres_url).port
    with pytest.raises(StoreError) as err:
        Store(tmp_path, "default", url=_url_with_password(postgres_url, port))
    assert "password authentication failed" in str(err.value) and SECRET not in str(err.value)


@pytest.mark.parametrize("url", [f"mysql://u:{SECRET}@h/db", f"postgresql://u:{SECRET}@h:notaport/db", f"{SECRET}"])
def test_a_store_that_is_not_a_postgresql_url_is_refused_without_echoing_it(tmp_path, url):
    with pytest.raises(StoreError) as err:
        Store(tmp_path, "default", url=url)
    assert SECRET not in str(err.value) and "postgresql://USER:PASSWORD@HOST" in str(err.value)


def test_without_the_driver_the_message_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgres extra were not installed
    with pytest.raises(StoreError, match=r"customer-escalation\[postgres\]"):
        Store(tmp_path, "default", url=f"postgresql://u:{SECRET}@127.0.0.1:1/db")


def test_the_cli_and_serve_refuse_an_unreachable_store_naming_it_without_the_password(tmp_path, capsys):
    url = _url_with_password("", free_port())
    assert cli.main(["brief", "CSV export missing rows", "--workspace", SMALL, "--store", url]) == 2
    err = capsys.readouterr().err
    assert "cannot connect to the PostgreSQL store" in err and SECRET not in err and "Traceback" not in err
    assert cli.main(["serve", "--transport", "http", "--port", str(free_port()), "--store", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("customer-escalation: refusing to start: cannot connect") and SECRET not in err


def test_a_workspace_file_on_disk_is_not_mixed_with_a_shared_store(tmp_path, postgres_store):
    other = tmp_path / "other.db"
    other.touch()
    with pytest.raises(StoreError, match="with a PostgreSQL store the workspace is 'default'"):
        Store(tmp_path, str(other), url=postgres_store)


def test_the_imported_workspace_is_shared_by_every_host(tmp_path, postgres_store):
    """One host imports; another (its own data directory) sees and searches the same records."""
    from customer_escalation.store import read_workspace_file
    from customer_escalation.text import keywords

    first = Store(tmp_path / "host-a", "default", url=postgres_store)
    first.import_workspace(read_workspace_file(Path(SMALL)))
    second = Store(tmp_path / "host-b", "default", url=postgres_store)
    assert second.counts() == first.counts() and not second.is_empty()
    assert {h.record.id for h in second.search("ticket", keywords("CSV export is missing rows")) if h.score >= 0.5} >= {"T-1", "T-2", "T-3"}
    first.close()
    second.close()
