"""Small helpers the project-tracker connectors (Jira, Linear, GitHub) share."""

from __future__ import annotations

import re
from typing import Any

from ..text import clean
from . import _fields
from .base import ConnectorError

DESCRIPTION_LIMIT = 4000  # characters of an issue's description kept on a TrackerItem
MARKER_LINE = "Escalation-Key"  # `Escalation-Key: <marker>`, the last line of a filed issue's body (Linear, GitHub)

_MARKER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$")
# a name or value read from a structured vendor answer (field ids, allowed values): shown only when it looks like one
_SAFE_NAME = re.compile(r"^[\w .,:;/&()+#'-]{1,80}$", re.UNICODE)
_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")

PRIORITIES = ("critical", "high", "medium")


def text(value: Any, limit: int = DESCRIPTION_LIMIT) -> str:
    """Vendor text for a TrackerItem: cleaned of control characters, bounded."""
    if not isinstance(value, str):
        return ""
    value = clean(value).strip()
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def check_marker(system: str, marker: str) -> str:
    if not isinstance(marker, str) or not _MARKER.match(marker):
        raise ConnectorError(system, "invalid_request", "the escalation marker must be letters, digits and . _ : - only",
                             fix="use the marker the escalation log generated")
    return marker


def safe_id(value: Any) -> str | None:
    return value if isinstance(value, str) and _SAFE_ID.match(value) else None


def safe_name(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = clean(value).strip()
    return value if _SAFE_NAME.match(value) else None


def with_marker(body_markdown: str, marker: str) -> str:
    """The body with the marker as its last line."""
    return (body_markdown or "").rstrip() + f"\n\n{MARKER_LINE}: {marker}\n"


def has_marker(body: Any, marker: str) -> bool:
    if not isinstance(body, str):
        return False
    return any(line.strip() == f"{MARKER_LINE}: {marker}" for line in body.splitlines())


def base_url(system: str, value: str | None, var: str, default: str | None = None, example: str = "") -> str:
    return _fields.base_url(system, value, var, default=default or "",
                            fix=f"set {var} to the address, e.g. {example or default}")
