"""The local store: import, search, accounts; broken workspace files change nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from customer_escalation.models import Ticket
from customer_escalation.store import ImportError_, Store, StoreError, read_workspace_file
from customer_escalation.text import keywords
from tests.helpers import SMALL


def test_import_then_search_finds_the_same_problem_across_customers(store_url, tmp_path):
    store = Store(tmp_path, "default", url=store_url)
    counts = store.import_workspace(read_workspace_file(Path(SMALL)))
    assert counts["tickets"] == 5 and counts["accounts"] == 5
    hits = store.search("ticket", keywords("CSV export is missing rows"), limit=10)
    ids = [h.record.id for h in hits if h.score >= 0.5]
    assert set(ids) >= {"T-1", "T-2", "T-3"}
    assert "T-4" not in ids  # an SSO how-to is not the export problem
    assert hits[0].score >= hits[-1].score


def test_search_restricted_to_an_account(store_url, tmp_path):
    store = Store(tmp_path, SMALL, url=store_url)
    hits = store.search("ticket", keywords("export missing rows"), account_id="beta")
    assert [h.record.account_id for h in hits] == ["beta"]


def test_find_accounts_by_name_domain_and_partial(store_url, tmp_path):
    store = Store(tmp_path, SMALL, url=store_url)
    assert [a.id for a in store.find_accounts("acme corp")] == ["acme"]
    assert [a.id for a in store.find_accounts("gamma.example")] == ["gamma"]
    assert [a.id for a in store.find_accounts("Epsilon")] == ["epsilon"]
    assert store.find_accounts("nobody here") == []


def test_import_is_upsert_and_reimport_keeps_search_consistent(store_url, tmp_path):
    store = Store(tmp_path, "default", url=store_url)
    ws = read_workspace_file(Path(SMALL))
    store.import_workspace(ws)
    ws.tickets[0].subject = "Webhook retries duplicated"
    ws.tickets[0].description = "webhook retries fire twice"
    ws.tickets[0].messages = []
    store.import_workspace(ws)
    assert store.counts()["ticket"] == 5
    assert [h.record.id for h in store.search("ticket", keywords("webhook retries"))] == ["T-1"]


def _broken(tmp_path: Path, mutate) -> Path:
    data = json.loads(Path(SMALL).read_text())
    mutate(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    return path


def test_broken_file_names_record_and_field_and_changes_nothing(store_url, tmp_path):
    store = Store(tmp_path / "home", "default", url=store_url)
    store.import_workspace(read_workspace_file(Path(SMALL)))
    before = store.counts()

    def bad_arr(d):
        d["accounts"][2]["arr"] = "lots"
        d["tickets"].append({"id": "NEW", "subject": "x", "created_at": "2026-11-01T00:00:00Z"})

    with pytest.raises(ImportError_) as err:
        read_workspace_file(_broken(tmp_path, bad_arr))
    msg = str(err.value)
    assert "accounts[2] (id 'gamma')" in msg and "field arr" in msg and "nothing was imported" in msg
    assert store.counts() == before


@pytest.mark.parametrize("content, expected", [
    ("{not json", "not valid JSON (line 1"),
    ("[1, 2]", "JSON object"),
    (b"\xff\xfe\x00", "UTF-8"),
])
def test_unreadable_files(tmp_path, content, expected):
    path = tmp_path / "w.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ImportError_, match=re.escape(expected)):
        read_workspace_file(path)


def test_duplicate_ids_rejected(tmp_path):
    path = _broken(tmp_path, lambda d: d["tickets"].append(dict(d["tickets"][0])))
    with pytest.raises(ImportError_, match=r"tickets\[5\] \(id 'T-1'\): duplicate id"):
        read_workspace_file(path)


def test_failed_import_mid_transaction_rolls_back(store_url, tmp_path, monkeypatch):
    store = Store(tmp_path, "default", url=store_url)
    ws = read_workspace_file(Path(SMALL))
    calls = {"n": 0}
    original = Ticket.model_dump_json

    def flaky(record, **kwargs):  # the third ticket cannot be written: the accounts and two tickets before it are undone
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk went away")
        return original(record, **kwargs)

    monkeypatch.setattr(Ticket, "model_dump_json", flaky)
    with pytest.raises(RuntimeError):
        store.import_workspace(ws)
    assert calls["n"] == 3
    assert store.counts() == {}


def test_read_only_workspaces_refuse_import(store_url, tmp_path):
    store = Store(tmp_path, "empty", url=store_url)
    with pytest.raises(StoreError, match="read-only"):
        store.import_workspace(read_workspace_file(Path(SMALL)))


def test_unknown_workspace_path(tmp_path):
    with pytest.raises(StoreError, match="not found"):
        Store(tmp_path, str(tmp_path / "missing.db"))


def test_index_built_with_an_older_normalisation_is_rebuilt_on_open(store_url, tmp_path):
    store = Store(tmp_path, "default", url=store_url)
    store.import_workspace(read_workspace_file(Path(SMALL)))
    # simulate an index written by an older version: wrong terms, older version mark
    with store.transaction() as db:
        if store.dialect == "sqlite":
            db.execute("DELETE FROM ws.fts_ticket")
            db.execute("INSERT INTO ws.fts_ticket (rowid, title, body) SELECT rowid, 'stale', 'stale' FROM ws.records WHERE kind = 'ticket'")
            db.execute("UPDATE ws.meta SET value = '0' WHERE key = 'index_version'")
        else:
            db.execute("UPDATE ws_records SET title_terms = 'stale', body_terms = 'stale', tsv = 'stale'::tsvector WHERE kind = 'ticket'")
            db.execute("UPDATE ws_meta SET value = '0' WHERE key = 'index_version'")
    store.close()
    reopened = Store(tmp_path, "default", url=store_url)
    hits = reopened.search("ticket", keywords("CSV export is missing rows"), limit=10)
    assert {h.record.id for h in hits if h.score >= 0.5} >= {"T-1", "T-2", "T-3"}
    assert reopened.meta("index_version") != "0"
