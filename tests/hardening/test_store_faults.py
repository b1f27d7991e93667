"""The store survives: a writer killed mid-write, two writers at once, a locked, corrupted or full database.

Each failure is reported as a StoreError naming the file and what to do (from the core API, the
MCP tools and the CLI), never a traceback, and leaves no half-written record behind.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client

from customer_escalation import cli
from customer_escalation.storage import sqlite as sqlite_module
from customer_escalation.server import build_server
from customer_escalation.store import Store, StoreError
from customer_escalation.service import Service
from customer_escalation.settings import Settings
from tests.helpers import SMALL, small_service

ROOT = Path(__file__).resolve().parents[2]


def _service_at(home: Path) -> Service:
    return Service(Settings(workspace=SMALL, home=home), connectors=list)


def _writer(home: Path, tag: str, count: int, size: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-m", "tests.hardening.writer", str(home), tag, str(count), str(size)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _intact(data: dict) -> bool:
    return hashlib.sha256(data["body"].encode()).hexdigest() == data["sha"]


def test_a_writer_killed_mid_write_loses_no_committed_record(tmp_path):
    home = tmp_path / "home"
    proc = _writer(home, "kill", 100_000, 64_000)
    committed = []
    assert proc.stdout is not None
    while len(committed) < 40:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else "writer ended early"
        committed.append(line.strip())
    proc.send_signal(signal.SIGKILL)  # mid-way through the next transaction
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    db = sqlite3.connect(home / "state.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    store = Store(home, "empty")
    for draft_id in committed:
        data = store.load_draft(draft_id)
        assert data is not None, f"committed draft {draft_id} lost"
        assert _intact(data), f"committed draft {draft_id} torn"
    # whatever else is there (the commit that raced the kill) is whole too
    for (draft_id,) in store.connection.execute("SELECT id FROM drafts").fetchall():
        assert _intact(store.load_draft(draft_id))
    store.save_draft("chain", {"after": "restart"})  # and it takes writes again
    store.close()


def test_two_processes_writing_at_once_both_land_everything(tmp_path):
    home = tmp_path / "home"
    Store(home, "empty").close()  # create the database (and WAL mode) first
    procs = [_writer(home, tag, 60, 4_000) for tag in ("a", "b")]
    outputs = [p.communicate(timeout=60) for p in procs]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
        assert len(out.split()) == 60
    store = Store(home, "empty")
    ids = {r[0] for r in store.connection.execute("SELECT id FROM drafts").fetchall()}
    assert ids == {f"{t}_{i:05d}" for t in "ab" for i in range(60)}
    assert all(_intact(store.load_draft(i)) for i in ids)
    store.close()


# --- locked --------------------------------------------------------------------------------------


@pytest.fixture
def short_busy_timeout(monkeypatch):
    monkeypatch.setattr(sqlite_module, "BUSY_TIMEOUT", 0.2)


@pytest.fixture
def locked_home(tmp_path, short_busy_timeout):
    home = tmp_path / "home"
    Store(home, "empty").close()
    holder = sqlite3.connect(home / "state.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process mid-transaction, holding the write lock
    yield home
    holder.execute("ROLLBACK")
    holder.close()


def test_a_locked_database_is_a_clear_error_from_the_core(locked_home):
    store = Store(locked_home, "empty")
    with pytest.raises(StoreError) as err:
        store.save_draft("chain", {"x": 1})
    message = str(err.value)
    assert str(locked_home / "state.db") in message and "locked" in message
    assert "another" in message  # says what holds it and what to do
    store.close()


@pytest.mark.anyio
async def test_a_locked_database_is_a_clear_tool_error(locked_home):
    app = build_server(_service_at(locked_home))
    async with Client(app) as c:
        r = await c.call_tool("gather_context", {"issue": "CSV export missing rows"})
    assert r.is_error
    text = r.content[0].text
    assert "state.db" in text and "locked" in text and "Traceback" not in text


def test_a_locked_database_is_a_clear_cli_error(locked_home, capsys):
    code = cli.main(["brief", "CSV export missing rows", "--workspace", SMALL, "--home", str(locked_home)])
    err = capsys.readouterr().err
    assert code == 2
    assert "state.db" in err and "locked" in err and "Traceback" not in err


# --- corrupted -----------------------------------------------------------------------------------


def _garbage(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database\x00" * 400)


def _damage_pages(path: Path) -> None:
    """Keep the header, scribble over the pages after it (a torn disk write, a bad sector)."""
    data = bytearray(path.read_bytes())
    for i in range(4096, len(data), 97):
        data[i] = 0xA5
    path.write_bytes(bytes(data))


def test_a_garbage_state_database_is_a_clear_error_naming_the_file(tmp_path):
    home = tmp_path / "home"
    _garbage(home / "state.db")
    with pytest.raises(StoreError) as err:
        Store(home, "empty")
    assert str(home / "state.db") in str(err.value) and "move it aside" in str(err.value)


def test_damaged_pages_are_a_clear_error_not_a_crash(tmp_path):
    home = tmp_path / "home"
    store = Store(home, "empty")
    for i in range(200):
        store.save_draft("chain", {"i": i, "pad": "p" * 2000}, f"d{i}")
    store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    _damage_pages(home / "state.db")
    try:
        store = Store(home, "empty")
    except StoreError as exc:  # damage noticed on opening
        assert str(home / "state.db") in str(exc)
        return
    with pytest.raises(StoreError) as err:  # or on first use
        for i in range(200):
            store.load_draft(f"d{i}")
        store.save_draft("chain", {"x": 1})
    assert str(home / "state.db") in str(err.value) and ("damaged" in str(err.value) or "corrupt" in str(err.value))
    store.close()


def test_a_garbage_workspace_database_is_a_clear_error(tmp_path):
    ws = tmp_path / "workspace.db"
    _garbage(ws)
    with pytest.raises(StoreError) as err:
        Store(tmp_path / "home", str(ws))
    assert str(ws) in str(err.value)


@pytest.mark.anyio
async def test_a_corrupted_database_is_a_clear_tool_error(tmp_path):
    home = tmp_path / "home"
    _garbage(home / "state.db")
    app = build_server(_service_at(home))
    async with Client(app) as c:
        r = await c.call_tool("gather_context", {"issue": "CSV export missing rows"})
        assert r.is_error
        assert str(home / "state.db") in r.content[0].text and "move it aside" in r.content[0].text
        again = await c.call_tool("choose_tier", {"issue": "CSV export missing rows"})
        assert again.is_error  # still answering, still clear


def test_a_corrupted_database_is_a_clear_cli_error(tmp_path, capsys):
    home = tmp_path / "home"
    _garbage(home / "state.db")
    code = cli.main(["brief", "CSV export missing rows", "--workspace", SMALL, "--home", str(home)])
    err = capsys.readouterr().err
    assert code == 2 and str(home / "state.db") in err and "Traceback" not in err


# --- full disk ----------------------------------------------------------------------------------


def _fill(store: Store) -> None:
    """Let the state database grow no further: the next page it needs is 'disk full' (SQLITE_FULL)."""
    pages = store.connection.execute("PRAGMA page_count").fetchone()[0]
    store.connection.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_is_reported_and_nothing_half_written_remains(tmp_path):
    home = tmp_path / "home"
    store = Store(home, "empty")
    kept = store.save_draft("chain", {"before": True})
    _fill(store)
    with pytest.raises(StoreError) as err:
        store.save_draft("chain", {"big": "b" * 500_000}, "too_big")
    message = str(err.value)
    assert str(home / "state.db") in message and "space" in message and "nothing" in message
    assert store.load_draft("too_big") is None
    assert store.load_draft(kept) == {"before": True}
    store.connection.execute("PRAGMA max_page_count = 1073741823")
    store.save_draft("chain", {"after": True}, "after")  # recovers once space is back
    store.close()
    db = sqlite3.connect(home / "state.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {r[0] for r in db.execute("SELECT id FROM drafts")} == {kept, "after"}


@pytest.mark.anyio
async def test_a_full_disk_is_a_clear_tool_error(tmp_path):
    service = small_service(tmp_path)
    app = build_server(service)
    async with Client(app) as c:
        first = await c.call_tool("gather_context", {"issue": "CSV export missing rows"})
        assert not first.is_error
        _fill(service.store)
        r = await c.call_tool("render_brief", {"draft_id": first.structured_content["draft_id"], "evidence": "e" * 2000,
                                               "description": "d" * 2000, "tried": "t" * 4000, "repro_steps": "r" * 4000})
    assert r.is_error and "space" in r.content[0].text and "state.db" in r.content[0].text
