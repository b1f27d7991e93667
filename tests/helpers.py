"""Shared helpers for tests: a service on the small test workspace."""

from __future__ import annotations

from pathlib import Path

from customer_escalation.service import Service
from customer_escalation.settings import Settings

SMALL = str(Path(__file__).parent / "data" / "small_workspace.json")


def small_service(tmp_path: Path, **overrides) -> Service:
    return Service(Settings(workspace=SMALL, home=tmp_path / "home", **overrides), connectors=list)


def strings(value, path=""):
    """Every string in a JSON-like value, with its path (e.g. `.context.tracker_items[0].status`)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value
