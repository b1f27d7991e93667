"""Configuration mistakes that would expose data: each is refused, corrected or warned about.

- `install --env TOKEN=...`: warned about, and the install record keeps a digest, never the secret;
- credentials inside a base URL (`https://user:token@host`): removed (with a warning) before any link is built,
  so they reach no tool result or store; plain http to a remote host: warned about;
- `--workspace other.db`: a SQLite file that is not a workspace is refused, and left exactly as it was;
- under umask 022, the data directory and its databases are created for their owner alone;
- `/healthz` answers only the Host names `/mcp` answers.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
from pathlib import Path

import httpx2
import pytest

from customer_escalation import cli
from customer_escalation.connectors import registry
from customer_escalation.service import Service
from customer_escalation.settings import Settings
from customer_escalation.store import Store, StoreError
from tests.fakes.jira import API_TOKEN, EMAIL, FakeJira
from tests.helpers import SMALL
from tests.serving import http_server
from tests.test_install import places  # noqa: F401  (the fixture: a home and a project directory)

CANARY = "CANARYurlTok3n9x"


# --- install --env ------------------------------------------------------------------------------


def test_install_env_secrets_are_warned_about_and_kept_out_of_the_record(places, capsys):  # noqa: F811 (the imported fixture)
    project = places["P"]
    code = cli.main(["install", "--client", "claude-code", "--env", f"ZENDESK_API_TOKEN={CANARY}",
                     "--env", "ZENDESK_SUBDOMAIN=acme"])
    out = capsys.readouterr()
    assert code == 0
    assert "ZENDESK_API_TOKEN" in out.err and "plain text" in out.err and ".mcp.json" in out.err
    assert "ZENDESK_SUBDOMAIN" not in out.err and CANARY not in out.err + out.out
    config = json.loads((project / ".mcp.json").read_text())
    assert config["mcpServers"]["customer-escalation"]["env"]["ZENDESK_API_TOKEN"] == CANARY  # what the client needs
    records = list((Path(os.environ["CUSTOMER_ESCALATION_HOME"]) / "installs").glob("*.json"))
    assert records and all(CANARY not in r.read_text() for r in records)
    # the record still reverses the install exactly
    assert cli.main(["uninstall", "--client", "claude-code"]) == 0
    assert not (project / ".mcp.json").exists()


# --- base URLs ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jira_server():
    with FakeJira() as fake:
        yield fake


@pytest.mark.anyio
async def test_credentials_in_a_base_url_reach_no_link_result_or_store(tmp_path, jira_server, caplog):
    jira_server.reset()
    url = jira_server.url.replace("http://", f"http://agent:{CANARY}@")
    env = {"JIRA_BASE_URL": url, "JIRA_EMAIL": EMAIL, "JIRA_API_TOKEN": API_TOKEN}
    caplog.set_level(logging.DEBUG)
    service = Service(Settings(workspace=SMALL, home=tmp_path / "h"), env=env)
    chain = await service.gather_context("CSV export drops rows")
    service.close()
    jira = next(s for s in chain.context.sources if s.source == "jira")
    assert jira.state == "ok", jira.detail  # the connector's own credentials still work
    assert [t for t in chain.context.tracker_items if t.source == "jira" and t.url]
    everything = chain.context.model_dump_json() + caplog.text
    everything += "".join(p.read_bytes().decode("latin-1") for p in (tmp_path / "h").rglob("*") if p.is_file())
    assert CANARY not in everything
    assert "JIRA_BASE_URL holds credentials" in caplog.text


def test_plain_http_to_a_remote_host_is_warned_about(caplog):
    caplog.set_level(logging.WARNING)
    found = registry.from_env({"JIRA_BASE_URL": "http://jira.example.com", "JIRA_EMAIL": EMAIL, "JIRA_API_TOKEN": API_TOKEN})
    assert found.connectors and not found.misconfigured
    assert "JIRA_BASE_URL is plain http" in caplog.text
    caplog.clear()
    registry.from_env({"JIRA_BASE_URL": "http://127.0.0.1:9", "JIRA_EMAIL": EMAIL, "JIRA_API_TOKEN": API_TOKEN})
    assert "plain http" not in caplog.text  # loopback (a local proxy, the test fakes) is fine


# --- a workspace file that is not ours ----------------------------------------------------------


def test_a_sqlite_file_that_is_not_a_workspace_is_refused_and_left_alone(tmp_path, capsys):
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    db.execute("INSERT INTO invoices VALUES (1, 99.5)")
    db.commit()
    db.close()
    before = other.read_bytes()
    with pytest.raises(StoreError, match="not a customer-escalation workspace"):
        Store(tmp_path / "home", str(other))
    code = cli.main(["brief", "CSV export missing rows", "--workspace", str(other), "--home", str(tmp_path / "home")])
    assert code == 2 and "not a customer-escalation workspace" in capsys.readouterr().err
    assert other.read_bytes() == before
    tables = {r[0] for r in sqlite3.connect(other).execute("SELECT name FROM sqlite_master")}
    assert tables == {"invoices"}


def test_an_empty_or_own_database_file_is_still_a_workspace(tmp_path):
    empty = tmp_path / "new.db"
    empty.write_bytes(b"")
    Store(tmp_path / "home", str(empty)).close()  # an empty file becomes a workspace
    Store(tmp_path / "home", str(empty)).close()  # and is recognised as one afterwards


# --- permissions ----------------------------------------------------------------------------------


def test_the_data_directory_and_databases_are_the_owners_alone(tmp_path):
    old = os.umask(0o022)
    try:
        home = tmp_path / "data" / "customer-escalation"
        store = Store(home, "default")
        store.save_draft("chain", {"x": 1})
        files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in home.iterdir()}
        store.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert {"state.db", "state.db-wal", "workspace.db"} <= set(files)
    assert all(mode & 0o077 == 0 for mode in files.values()), files


# --- /healthz -------------------------------------------------------------------------------------


def test_healthz_answers_only_allowed_hosts(tmp_path):
    with http_server(tmp_path) as srv:
        assert httpx2.get(f"{srv.base}/healthz", timeout=10).status_code == 200
        foreign = httpx2.get(f"{srv.base}/healthz", headers={"host": "evil.example"}, timeout=10)
        assert foreign.status_code == 421
        assert "workspace" not in foreign.text
