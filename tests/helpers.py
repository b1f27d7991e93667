"""Shared helpers for tests: a service on the small test workspace."""

from __future__ import annotations

from pathlib import Path

from customer_escalation.service import Service
from customer_escalation.settings import Settings

SMALL = str(Path(__file__).parent / "data" / "small_workspace.json")


def small_service(tmp_path: Path, **overrides) -> Service:
    return Service(Settings(workspace=SMALL, home=tmp_path / "home", **overrides), connectors=list)
