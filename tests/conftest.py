"""Shared test setup: every test gets its own data directory so nothing touches the user's store."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CUSTOMER_ESCALATION_HOME", str(tmp_path / "home"))
    # no connector is configured unless a test says so
    import os

    for key in list(os.environ):
        if key.split("_")[0] in {
            "ZENDESK", "INTERCOM", "HUBSPOT", "SALESFORCE", "SLACK", "JIRA", "LINEAR", "GITHUB", "CONFLUENCE", "NOTION",
        }:
            monkeypatch.delenv(key, raising=False)
    yield


@pytest.fixture
def anyio_backend():
    return "asyncio"


# --- the store's backends -----------------------------------------------------------------------------
# The store and escalation-log tests run on both: SQLite (the embedded default) and a real PostgreSQL, the one .ci/run
# starts ($CUSTOMER_ESCALATION_TEST_POSTGRES) or, without it, a throwaway cluster this session starts on a loopback port.


@pytest.fixture(scope="session")
def postgres_url():
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from tests import pg_cluster

    url = os.environ.get(pg_cluster.URL_ENV)
    if url:
        yield url
        return
    folder = Path(tempfile.mkdtemp(prefix="customer-escalation-pg-"))
    try:
        yield pg_cluster.start(folder)
    finally:
        pg_cluster.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_store(postgres_url):
    """The URL of an empty PostgreSQL store of this test's own (a schema dropped afterwards)."""
    import secrets

    import psycopg

    schema = f"test_{secrets.token_hex(6)}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    yield f"{postgres_url}?options=-csearch_path%3D{schema}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request):
    """None (the SQLite store) or a PostgreSQL store's URL: a test taking it runs on both backends."""
    return request.getfixturevalue("postgres_store") if request.param == "postgresql" else None
