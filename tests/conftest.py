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
